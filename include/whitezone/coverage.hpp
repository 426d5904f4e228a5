#pragma once
/// \file coverage.hpp
/// Stage 3, model coverage: each cell's footprint in the work CRS, and the dissolved
/// coverage of each service class.

#include "whitezone/coverage/hata.hpp"
#include "whitezone/coverage/itm.hpp"
#include "whitezone/coverage/link_model.hpp"
#include "whitezone/coverage/options.hpp"
#include "whitezone/coverage/terrain.hpp"
#include "whitezone/prepare.hpp"
#include "whitezone/types.hpp"

#include <map>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

namespace whitezone {

/// One cell's footprint: a disk, or a sector wedge when azimuth and beamwidth are known.
struct Footprint {
    // Members ordered by size so that a footprint has no padding (a national run holds
    // hundreds of thousands of them).
    std::size_t station = 0; ///< index into PreparedInputs::stations
    XY centre;
    double radius_m = 0.0;
    double azimuth_deg = 0.0; ///< clockwise from grid north, when sector
    double beamwidth_deg = 360.0;
    /// Radius of the largest disk inside the drawn polygon (its apothem): a point this close
    /// (and inside the wedge's angle) is inside `shape` for sure.
    double inner_radius_m = 0.0;
    /// "" or why the radius is less certain: the link model's ModelRadius::flag (for a Hata
    /// radius, extrapolated beyond the model's validity, or capped at the maximum), as
    /// interned() keeps it: the flags are few and a national run has a million footprints.
    std::string_view radius_flag;
    RadiusSource radius_source = RadiusSource::Technology;
    int quad_segs = 8; ///< segments per quarter circle of the drawn polygon
    Tech tech = Tech::G4;
    bool sector = false; ///< false: full disk
    /// Terrain mode: the DEM has no data under the antenna, so the station gives no signal
    /// (written as `terrain_flag` "no_dem" in the stations layer).
    bool no_ground = false;

    /// The footprint drawn as a polygon (a regular 4·quad_segs-gon, or the apex and an arc),
    /// made on demand: a national run holds hundreds of thousands of footprints.
    [[nodiscard]] Polygon shape() const;

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
    /// Per class, 1 for the footprints that serve the class and are not covered by the
    /// class's footprints after them in (radius, index) order: a site's 3G disk inside its
    /// 2G disk, a town cell inside its neighbours. The union of these is the union of all
    /// the class's footprints as drawn (see find_outer_footprints()).
    PerClass<std::vector<char>> outer;
};

/// Builds every station's footprint and finds the outer ones. Throws InputError for a station the
/// model cannot use (negative range, beamwidth outside (0, 360]).
Footprints model_coverage(const std::vector<Station>& stations, const CoverageOptions& options);

/// model_coverage() without the search for outer footprints (`outer` left empty): each
/// footprint's radius, source and shape, at a small part of the cost. For what needs only the
/// radii or the signal at points (the reach of the stations, the input checks).
Footprints model_footprints(const std::vector<Station>& stations, const CoverageOptions& options);

/// Footprints::outer for the footprints' items, on `threads` threads. A footprint is left
/// out when its circle lies inside the inner circle of one full disk after it in the order,
/// or when every cell of an 8 x 8 grid over it that meets its circle lies inside one convex
/// footprint after it; by induction from the last, the union is unchanged.
PerClass<std::vector<char>> find_outer_footprints(const Footprints& footprints, int threads = 1);

/// The union of the footprints that serve `cls` (of the outer ones, which is the same), in
/// the work CRS, made on up to `threads` threads. Deterministic.
MultiPolygon dissolve_coverage(const Footprints& footprints, ServiceClass cls, int threads = 1);

/// The union of each class's footprints, as above, the two classes dissolved together: their
/// strips in one queue on up to `threads` threads, then their unions of strips side by side.
/// When `stop` is requested the workers take no more strips and it throws Cancelled
/// ("coverage: cancelled"; a strip already begun is finished first).
PerClass<MultiPolygon> dissolve_coverage(const Footprints& footprints, int threads = 1,
                                         std::stop_token stop = {});

} // namespace whitezone
