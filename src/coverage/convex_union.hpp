#pragma once
// Private to the dissolve: the union of convex polygons (the footprints as drawn) from the
// pieces of their sides that no other polygon covers, without GEOS's noding. GEOS does what
// this declines (coverage/dissolve.cpp).

#include "whitezone/types.hpp"

#include "common/convex.hpp"

#include <optional>
#include <vector>

namespace whitezone::coverage {

/// The union of `rings` (each convex and counter-clockwise, as convex::ring_of() makes them)
/// on up to `threads` threads, the same for any number: shells counter-clockwise, holes
/// clockwise, every ring closed; the polygons in the order of the rings they start from.
///
/// Each side of each ring is clipped against the rings near it (convex::clip()); the pieces no
/// other ring covers are the union's boundary. A piece ends at a vertex of its ring or where
/// its side enters another ring, at the crossing of the two sides, which is computed from the
/// two sides in a fixed order so that the piece on the other side starts at the same point,
/// bit for bit; the pieces are then joined end to start into rings, and each hole is given to
/// the polygon that holds the point just left of its leftmost vertex.
///
/// nullopt where it declines, so that the caller asks GEOS: sides running along each other,
/// a vertex on another ring's side or three sides through one point (within rounding), and any
/// piece whose end does not meet exactly one other piece's start.
std::optional<MultiPolygon> convex_union(const std::vector<convex::Ring>& rings, int threads);

} // namespace whitezone::coverage
