#pragma once
/// \file coverage.hpp
/// Stage 3, model coverage: each cell's footprint in the work CRS, and the dissolved
/// coverage of each service class.

#include "whitezone/prepare.hpp"
#include "whitezone/types.hpp"

#include <map>
#include <string>
#include <vector>

namespace whitezone {

/// Options of the coverage stage; JSON keys in docs/config.md, defaults explained in
/// docs/method.md.
struct CoverageOptions {
    /// Radius of a cell's footprint per technology, metres (config "radius_m").
    std::map<Tech, double> radius_m{
        {Tech::G2, 5000.0}, {Tech::G3, 3000.0}, {Tech::G4, 3500.0}, {Tech::G5, 1000.0}};
    /// Use a station's own `range_m` instead of the technology radius when it has one.
    bool use_station_range = true;
    /// Segments per quarter circle when a footprint is drawn as a polygon; 8 is PostGIS's
    /// ST_Buffer default (a 32-gon holds 99.4 % of the disk's area).
    int quad_segs = 8;
};

/// Where a footprint's radius came from.
enum class RadiusSource : std::uint8_t { Technology, Station };
std::string_view to_string(RadiusSource source);

/// One cell's footprint: a disk, or a sector wedge when azimuth and beamwidth are known.
struct Footprint {
    std::size_t station = 0; ///< index into PreparedInputs::stations
    Tech tech = Tech::G4;
    XY centre;
    double radius_m = 0.0;
    RadiusSource radius_source = RadiusSource::Technology;
    bool sector = false;      ///< false: full disk
    double azimuth_deg = 0.0; ///< clockwise from grid north, when sector
    double beamwidth_deg = 360.0;
    Polygon shape; ///< the footprint drawn with CoverageOptions::quad_segs
    /// Radius of the largest disk inside the drawn polygon (its apothem): a point this close
    /// (and inside the wedge's angle) is inside `shape` for sure.
    double inner_radius_m = 0.0;

    /// Whether the model gives signal at `p` (exact disk or wedge, not the drawn polygon).
    [[nodiscard]] bool covers(XY p) const { return covers_within(p, radius_m); }
    /// Like covers() with another radius (e.g. inner_radius_m).
    [[nodiscard]] bool covers_within(XY p, double radius) const;
    /// Whether the footprint is convex (a disk or a wedge of at most 180°).
    [[nodiscard]] bool convex() const { return !sector || beamwidth_deg <= 180.0; }
};

/// All footprints, in station order.
struct Footprints {
    std::vector<Footprint> items;
};

/// Builds every station's footprint. Throws InputError for a station the model cannot use
/// (negative range, beamwidth outside (0, 360]).
Footprints model_coverage(const std::vector<Station>& stations, const CoverageOptions& options);

/// Indices of the footprints that serve `cls` and are not inside another one that does (a
/// site's 3G disk inside its 2G disk adds nothing to the union), ascending.
std::vector<std::size_t> outer_footprints(const Footprints& footprints, ServiceClass cls);

/// The union of the footprints that serve `cls`, in the work CRS, made on up to `threads`
/// threads. Deterministic.
MultiPolygon dissolve_coverage(const Footprints& footprints, ServiceClass cls, int threads = 1);

} // namespace whitezone
