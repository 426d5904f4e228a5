#pragma once
// Private to the overlay: the area of a village outside the union of convex footprints,
// computed exactly from the boundary pieces (Green's theorem), without building the
// difference. GEOS does the cases this declines (overlay.cpp).

#include "whitezone/types.hpp"

#include "common/convex.hpp"

#include <optional>
#include <vector>

namespace whitezone::overlay {

/// What area_outside() finds: the area left, and whether no cut reached the area at all (the
/// area left is then all of it, and the share covered is exactly 0, not a rounding error
/// away from it).
struct Outside {
    double area = 0.0;
    bool untouched = false;
};

/// The area of `area` (a valid MultiPolygon: shells and holes, any orientation) that lies
/// outside every one of `cuts`, in square units of the coordinates; nullopt when an edge of
/// one lies along an edge of another (within about 1e-9 of its length: touching or equal
/// footprints, a footprint along a village's edge), where the caller asks GEOS instead.
///
/// The boundary of the area left is made of the village's edges outside every cut and of the
/// cuts' edges inside the village and outside the other cuts (traversed backwards); its area
/// is half the sum of x1 y2 - x2 y1 over those pieces. Each edge is clipped against a convex
/// cut by its half-planes (Cyrus-Beck), and split at its crossings with the village's edges,
/// each piece kept when its middle lies inside the village. Coordinates are taken relative
/// to the village's first vertex, so the sums do not lose digits to large UTM values.
std::optional<Outside> area_outside(const MultiPolygon& area,
                                    const std::vector<const convex::Ring*>& cuts);

} // namespace whitezone::overlay
