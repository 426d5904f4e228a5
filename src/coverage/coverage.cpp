#include "whitezone/coverage.hpp"

#include "whitezone/error.hpp"

#include "common/text.hpp"
#include "geos/geos.hpp"

#include <cmath>
#include <numbers>
#include <vector>

namespace whitezone {

namespace {

constexpr double kDegToRad = std::numbers::pi / 180.0;

// Bearing of (dx, dy) clockwise from grid north, in [0, 360).
double bearing_deg(double dx, double dy) {
    double b = std::atan2(dx, dy) / kDegToRad;
    return b < 0.0 ? b + 360.0 : b;
}

XY at_bearing(XY c, double radius, double bearing) {
    return {c.x + radius * std::sin(bearing * kDegToRad),
            c.y + radius * std::cos(bearing * kDegToRad)};
}

// A disk as a regular polygon with 4 × quad_segs vertices on the circle (as ST_Buffer
// draws it), counter-clockwise, closed.
Polygon disk(XY c, double radius, int quad_segs) {
    // The cosines and sines of the vertices' angles, the same for every disk of as many
    // segments: computed once per thread, not 64 times per footprint.
    thread_local std::vector<XY> unit;
    const int n = 4 * quad_segs;
    if (unit.size() != static_cast<std::size_t>(n)) {
        unit.resize(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) {
            const double a = 2.0 * std::numbers::pi * i / n;
            unit[static_cast<std::size_t>(i)] = {std::cos(a), std::sin(a)};
        }
    }
    Ring ring;
    ring.reserve(static_cast<std::size_t>(n) + 1);
    for (const XY& u : unit)
        ring.push_back({c.x + radius * u.x, c.y + radius * u.y});
    ring.push_back(ring.front());
    return Polygon{{std::move(ring)}};
}

// The narrowest wedge drawn: below it the arc's points coincide in double precision (at
// UTM coordinates), the wedge collapses to a line and GEOS refuses the ring. 1e-6° is 0.2 mm
// wide at 10 km: a narrower beam covers no more.
constexpr double kNarrowestWedgeDeg = 1e-6;

// A sector wedge: the apex, then the arc from azimuth − beamwidth/2 to azimuth +
// beamwidth/2, with as many segments per quarter circle as a disk.
Polygon wedge(XY c, double radius, double azimuth, double beamwidth, int quad_segs) {
    beamwidth = std::max(beamwidth, kNarrowestWedgeDeg);
    const int n = std::max(2, static_cast<int>(std::ceil(beamwidth / 90.0 * quad_segs)));
    Ring ring;
    ring.reserve(static_cast<std::size_t>(n) + 3);
    ring.push_back(c);
    // Clockwise bearings; reverse to keep the ring counter-clockwise like the disks.
    for (int i = n; i >= 0; --i)
        ring.push_back(at_bearing(c, radius, azimuth - beamwidth / 2.0 + beamwidth * i / n));
    ring.push_back(c);
    return Polygon{{std::move(ring)}};
}

} // namespace

Polygon Footprint::shape() const {
    return sector ? wedge(centre, radius_m, azimuth_deg, beamwidth_deg, quad_segs)
                  : disk(centre, radius_m, quad_segs);
}

bool Footprint::covers_within(XY p, double radius) const {
    const double dx = p.x - centre.x, dy = p.y - centre.y;
    if (dx * dx + dy * dy > radius * radius)
        return false;
    if (!sector || (dx == 0.0 && dy == 0.0))
        return true;
    double diff = std::abs(bearing_deg(dx, dy) - azimuth_deg);
    if (diff > 180.0)
        diff = 360.0 - diff;
    return diff <= beamwidth_deg / 2.0;
}

Footprints model_footprints(const std::vector<Station>& stations, const CoverageOptions& options) {
    if (options.quad_segs < 1)
        throw UsageError("coverage: \"quad_segs\" must be at least 1.");
    const LinkModel& model = link_model(options.model);
    Footprints out;
    out.items.reserve(stations.size());
    for (std::size_t i = 0; i < stations.size(); ++i) {
        const Station& s = stations[i];
        Footprint f;
        f.station = i;
        f.tech = s.tech;
        f.centre = s.xy;
        if (options.use_station_range && s.range_m) {
            f.radius_m = *s.range_m;
            f.radius_source = RadiusSource::Station;
        } else {
            ModelRadius r = model.radius(s, options);
            f.radius_m = r.radius_m;
            f.radius_source = r.source;
            f.radius_flag = interned(r.flag);
        }
        if (!(f.radius_m > 0.0))
            throw InputError("coverage: station row " + std::to_string(s.row) + " has radius " +
                             text::fixed(f.radius_m, 1) + " m; a footprint needs a radius > 0.");
        if (s.azimuth_deg && s.beamwidth_deg && *s.beamwidth_deg < 360.0) {
            f.sector = true;
            f.azimuth_deg = *s.azimuth_deg;
            f.beamwidth_deg = *s.beamwidth_deg;
        }
        f.quad_segs = options.quad_segs;
        // The drawn polygon's vertices lie on the circle; its edges come no closer to the
        // centre than the apothem r·cos(π / (4 · quad_segs)).
        f.inner_radius_m = f.radius_m * std::cos(std::numbers::pi / (4.0 * options.quad_segs));
        out.items.push_back(std::move(f));
    }
    return out;
}

Footprints model_coverage(const std::vector<Station>& stations, const CoverageOptions& options) {
    Footprints out = model_footprints(stations, options);
    out.outer = find_outer_footprints(out, options.threads);
    return out;
}

} // namespace whitezone
