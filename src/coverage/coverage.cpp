#include "whitezone/coverage.hpp"

#include "whitezone/error.hpp"

#include "common/grid.hpp"
#include "common/parallel.hpp"
#include "common/text.hpp"
#include "geos/geos.hpp"

#include <cmath>
#include <numbers>

namespace whitezone {

std::string_view to_string(RadiusSource source) {
    return source == RadiusSource::Station ? "station" : "technology";
}

namespace {

constexpr double kDegToRad = std::numbers::pi / 180.0;

// Bearing of (dx, dy) clockwise from grid north, in [0, 360).
double bearing_deg(double dx, double dy) {
    double b = std::atan2(dx, dy) / kDegToRad;
    return b < 0.0 ? b + 360.0 : b;
}

XY at_bearing(XY c, double radius, double bearing) {
    return {c.x + radius * std::sin(bearing * kDegToRad), c.y + radius * std::cos(bearing * kDegToRad)};
}

// A disk as a regular polygon with 4 × quad_segs vertices on the circle (as ST_Buffer
// draws it), counter-clockwise, closed.
Polygon disk(XY c, double radius, int quad_segs) {
    const int n = 4 * quad_segs;
    Ring ring;
    ring.reserve(static_cast<std::size_t>(n) + 1);
    for (int i = 0; i < n; ++i) {
        const double a = 2.0 * std::numbers::pi * i / n;
        ring.push_back({c.x + radius * std::cos(a), c.y + radius * std::sin(a)});
    }
    ring.push_back(ring.front());
    return Polygon{{std::move(ring)}};
}

// A sector wedge: the apex, then the arc from azimuth − beamwidth/2 to azimuth +
// beamwidth/2, with as many segments per quarter circle as a disk.
Polygon wedge(XY c, double radius, double azimuth, double beamwidth, int quad_segs) {
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

Footprints model_coverage(const std::vector<Station>& stations, const CoverageOptions& options) {
    if (options.quad_segs < 1)
        throw UsageError("coverage: \"quad_segs\" must be at least 1.");
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
            auto it = options.radius_m.find(s.tech);
            if (it == options.radius_m.end())
                throw UsageError("coverage: no radius for " + std::string(to_string(s.tech)) +
                                 "; add it to \"radius_m\" in the config.");
            f.radius_m = it->second;
        }
        if (!(f.radius_m > 0.0))
            throw InputError("coverage: station row " + std::to_string(s.row) + " has radius " +
                             text::fixed(f.radius_m, 1) + " m; a footprint needs a radius > 0.");
        if (s.azimuth_deg && s.beamwidth_deg && *s.beamwidth_deg < 360.0) {
            f.sector = true;
            f.azimuth_deg = *s.azimuth_deg;
            f.beamwidth_deg = *s.beamwidth_deg;
            f.shape = wedge(f.centre, f.radius_m, f.azimuth_deg, f.beamwidth_deg,
                            options.quad_segs);
        } else {
            f.shape = disk(f.centre, f.radius_m, options.quad_segs);
        }
        // The drawn polygon's vertices lie on the circle; its edges come no closer to the
        // centre than the apothem r·cos(π / (4 · quad_segs)).
        f.inner_radius_m = f.radius_m * std::cos(std::numbers::pi / (4.0 * options.quad_segs));
        out.items.push_back(std::move(f));
    }
    return out;
}

std::vector<std::size_t> outer_footprints(const Footprints& footprints, ServiceClass cls) {
    // Only disks are pruned: a disk inside another disk (d + r1 <= r2). Equal disks keep
    // the first. Candidates come from a hash grid, never all pairs.
    double largest = 0.0;
    for (const auto& f : footprints.items)
        largest = std::max(largest, f.radius_m);
    grid::GridIndex index(std::max(largest, 1.0));
    for (std::size_t i = 0; i < footprints.items.size(); ++i) {
        const Footprint& f = footprints.items[i];
        if (serves(cls, f.tech) && !f.sector)
            index.insert(grid::Box::around(f.centre, 0.0), i);
    }
    std::vector<std::size_t> out, near;
    for (std::size_t i = 0; i < footprints.items.size(); ++i) {
        const Footprint& f = footprints.items[i];
        if (!serves(cls, f.tech))
            continue;
        bool inside = false;
        if (!f.sector) {
            index.query(grid::Box::around(f.centre, largest), near);
            for (std::size_t j : near) {
                const Footprint& g = footprints.items[j];
                const double d = std::hypot(g.centre.x - f.centre.x, g.centre.y - f.centre.y);
                if (j != i && d + f.radius_m <= g.radius_m &&
                    (d + f.radius_m < g.radius_m || g.radius_m > f.radius_m || j < i)) {
                    inside = true;
                    break;
                }
            }
        }
        if (!inside)
            out.push_back(i);
    }
    return out;
}

MultiPolygon dissolve_coverage(const Footprints& footprints, ServiceClass cls, int threads) {
    std::vector<std::size_t> outer = outer_footprints(footprints, cls);
    if (outer.empty())
        return {};
    // West-to-east strips of equal count, one union per strip in parallel, then one union
    // of the strips: the last union only meets what is left of each strip's outline.
    std::sort(outer.begin(), outer.end(), [&](std::size_t a, std::size_t b) {
        const XY pa = footprints.items[a].centre, pb = footprints.items[b].centre;
        return pa.x != pb.x ? pa.x < pb.x : (pa.y != pb.y ? pa.y < pb.y : a < b);
    });
    const std::size_t strips =
        std::clamp<std::size_t>(static_cast<std::size_t>(std::max(threads, 1)), 1,
                                std::max<std::size_t>(outer.size() / 1000, 1));
    std::vector<MultiPolygon> merged(strips);
    parallel::for_ranges(strips, static_cast<int>(strips),
                         [&](std::size_t, std::size_t begin, std::size_t end) {
        geos::Context ctx;
        for (std::size_t k = begin; k < end; ++k) {
            MultiPolygon parts;
            for (std::size_t i = k * outer.size() / strips; i < (k + 1) * outer.size() / strips;
                 ++i)
                parts.push_back(footprints.items[outer[i]].shape);
            geos::Geom all = geos::make_multipolygon(ctx, parts);
            geos::Geom u = geos::own(ctx, GEOSUnaryUnion_r(ctx.handle(), all.get()), "UnaryUnion");
            merged[k] = geos::to_multipolygon(ctx, u.get());
        }
    });
    if (strips == 1)
        return std::move(merged.front());
    geos::Context ctx;
    MultiPolygon parts;
    for (auto& m : merged)
        std::move(m.begin(), m.end(), std::back_inserter(parts));
    geos::Geom all = geos::make_multipolygon(ctx, parts);
    geos::Geom u = geos::own(ctx, GEOSUnaryUnion_r(ctx.handle(), all.get()), "UnaryUnion");
    return geos::to_multipolygon(ctx, u.get());
}

} // namespace whitezone
