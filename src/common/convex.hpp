#pragma once
// Convex polygons (the footprints as drawn) and segments clipped against them: what the
// overlay's exact area (overlay/exact.cpp) and the union of convex footprints
// (coverage/convex_union.cpp) share.

#include "whitezone/types.hpp"

#include <vector>

namespace whitezone::convex {

/// A convex polygon, counter-clockwise, without the closing vertex, with its box and two
/// circles about the mean of its vertices: one inside it (`inner`, the nearest of its edges'
/// lines) and one around it (`outer`, its farthest vertex), which settle most edges without
/// clipping them against every side.
struct Ring {
    std::vector<XY> points;
    double minx = 0.0, miny = 0.0, maxx = 0.0, maxy = 0.0;
    XY centre;
    double inner = 0.0, outer = 0.0;
};

/// The outer ring of `polygon` (a convex footprint drawn by Footprint::shape()) as a Ring.
Ring ring_of(const Polygon& polygon);

/// Whether the segment a b lies within c's inner circle, so inside c, by a margin far above
/// rounding (none of c's sides lies along it).
bool within_inner(const Ring& c, XY a, XY b);

enum class Clip { Outside, Inside, Degenerate };

/// Where the segment a + t d, t in [0, 1], lies strictly inside `c`: Inside with [t0, t1],
/// Outside, or Degenerate when it runs along one of c's sides (parallel to it within about
/// 1e-12 and on its line within about 1e-9 of its length). `enter` and `leave` (when given)
/// are the sides of c through which it enters at t0 and leaves at t1: the index of the side's
/// first vertex, or -1 where the segment starts (t0 = 0) or ends (t1 = 1) inside. `touch`
/// (when given) is set when the segment comes within c's outer circle and an end of it, within
/// that circle, lies on the line of one of c's sides within the same 1e-9: where rounding
/// decides whether that end is inside.
Clip clip(XY a, XY d, const Ring& c, double& t0, double& t1, int* enter = nullptr,
          int* leave = nullptr, bool* touch = nullptr);

} // namespace whitezone::convex
