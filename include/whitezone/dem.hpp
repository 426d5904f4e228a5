#pragma once
/// \file dem.hpp
/// The DEM routines shared by coverage (the terrain mode) and plan (new sites and their
/// backhaul): elevation at a point, terrain profiles, line of sight with the Earth's
/// curvature, and local high points. The DEM is a Raster<float> on the work grid (metres,
/// NaN where there is no data), as read_dem() makes it.

#include "whitezone/raster.hpp"
#include "whitezone/types.hpp"

#include <optional>
#include <vector>

namespace whitezone {

/// Mean Earth radius, metres.
inline constexpr double kEarthRadiusM = 6371000.0;

/// 1 / (2 k R): a point d metres away sits d² times this lower for the Earth's curvature with
/// the effective radius factor `k_factor` (4/3: standard refraction); 0 for k = 0 (a flat
/// Earth).
double earth_bulge_per_m2(double k_factor);

/// The DEM's elevation at `p` of the work CRS, interpolated bilinearly between the four
/// nearest cell centres; NaN outside the grid or next to a cell without data.
double elevation_at(const Raster<float>& dem, XY p);

/// One sample of a terrain profile.
struct ProfileSample {
    double distance_m = 0.0;  ///< from the profile's start
    double elevation_m = 0.0; ///< the DEM there (bilinear); NaN without data
};

/// The terrain between `a` and `b`: samples every `step_m` metres (the DEM's cell size when
/// 0) from `a` to `b`, both ends included. Empty when a and b coincide.
std::vector<ProfileSample> terrain_profile(const Raster<float>& dem, XY a, XY b,
                                           double step_m = 0.0);

/// Whether a point `height_b` metres above the ground at `b` is in line of sight from one
/// `height_a` metres above the ground at `a`: the straight line between them, with heights
/// lowered by d² / (2 k R) for the Earth's curvature (`k_factor`; 0: none), clears the DEM
/// (bilinear) sampled every cell between them. False when either end has no ground data.
/// Used for backhaul hops between masts and for a planned site's view of a village.
bool in_line_of_sight(const Raster<float>& dem, XY a, double height_a, XY b, double height_b,
                      double k_factor);

/// For each point of `around`, the centre of the highest DEM cell within `radius_m` of it
/// (the point's own cell when nothing is higher; nullopt when it has no ground data there):
/// the local high points where a planner would look for a mast.
std::vector<std::optional<XY>> highest_points(const Raster<float>& dem,
                                              const std::vector<XY>& around, double radius_m);

} // namespace whitezone
