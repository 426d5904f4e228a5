#include "common/convex.hpp"

#include <algorithm>
#include <cmath>

namespace whitezone::convex {

namespace {

double cross(double ax, double ay, double bx, double by) { return ax * by - ay * bx; }

double signed_area2(const std::vector<XY>& ring) {
    double a = 0.0;
    for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++)
        a += cross(ring[j].x, ring[j].y, ring[i].x, ring[i].y);
    return a;
}

} // namespace

Ring ring_of(const Polygon& polygon) {
    Ring c;
    const whitezone::Ring& r = polygon.rings.front();
    const bool closed = r.size() > 1 && r.front().x == r.back().x && r.front().y == r.back().y;
    c.points.assign(r.begin(), r.end() - (closed ? 1 : 0));
    if (signed_area2(c.points) < 0.0)
        std::reverse(c.points.begin(), c.points.end());
    c.minx = c.miny = 1e300;
    c.maxx = c.maxy = -1e300;
    for (const XY& p : c.points) {
        c.minx = std::min(c.minx, p.x);
        c.maxx = std::max(c.maxx, p.x);
        c.miny = std::min(c.miny, p.y);
        c.maxy = std::max(c.maxy, p.y);
        c.centre.x += p.x;
        c.centre.y += p.y;
    }
    if (c.points.empty())
        return c;
    const auto n = static_cast<double>(c.points.size());
    c.centre = {c.centre.x / n, c.centre.y / n};
    c.inner = 1e300;
    double outer2 = 0.0;
    for (std::size_t i = 0; i < c.points.size(); ++i) {
        const XY p = c.points[i], q = c.points[i + 1 == c.points.size() ? 0 : i + 1];
        const double wx = q.x - p.x, wy = q.y - p.y, w = std::sqrt(wx * wx + wy * wy);
        const double px = p.x - c.centre.x, py = p.y - c.centre.y;
        outer2 = std::max(outer2, px * px + py * py);
        if (w > 0.0) // the centre's distance from the side's line (inside: to its left)
            c.inner = std::min(c.inner, cross(wx, wy, -px, -py) / w);
    }
    c.outer = std::sqrt(outer2);
    // No inner circle where the ring has no area (every side of length 0: a footprint too
    // small for its coordinates' digits), and none larger than the ring.
    c.inner = c.inner > c.outer ? 0.0 : std::max(c.inner, 0.0);
    return c;
}

bool within_inner(const Ring& c, XY a, XY b) {
    const double inner2 = c.inner * c.inner * (1.0 - 1e-9);
    const double ax = a.x - c.centre.x, ay = a.y - c.centre.y;
    const double bx = b.x - c.centre.x, by = b.y - c.centre.y;
    return ax * ax + ay * ay < inner2 && bx * bx + by * by < inner2;
}

Clip clip(XY a, XY d, const Ring& c, double& t0, double& t1, int* enter, int* leave, bool* touch) {
    t0 = 0.0;
    t1 = 1.0;
    int in_side = -1, out_side = -1;
    const auto done = [&](Clip result) {
        if (enter)
            *enter = in_side;
        if (leave)
            *leave = out_side;
        return result;
    };
    // An edge within the inner circle lies inside, one that passes beyond the outer circle
    // outside: what clipping against every side would find (by a margin far above rounding,
    // so none of the sides lies along it), without it.
    if (within_inner(c, a, {a.x + d.x, a.y + d.y}))
        return done(Clip::Inside);
    const double ax = a.x - c.centre.x, ay = a.y - c.centre.y, dd = d.x * d.x + d.y * d.y;
    const double near = dd > 0.0 ? std::clamp(-(ax * d.x + ay * d.y) / dd, 0.0, 1.0) : 0.0;
    const double nx = ax + near * d.x, ny = ay + near * d.y; // the edge's point nearest the centre
    if (nx * nx + ny * ny > c.outer * c.outer * (1.0 + 1e-9))
        return done(Clip::Outside);
    const double dl = std::abs(d.x) + std::abs(d.y);
    const std::size_t n = c.points.size();
    // Only an end within the outer circle can lie on a side (not just on its line).
    const double reach2 = c.outer * c.outer * (1.0 + 1e-9);
    const bool near_a = touch && ax * ax + ay * ay <= reach2;
    const bool near_b = touch && (ax + d.x) * (ax + d.x) + (ay + d.y) * (ay + d.y) <= reach2;
    for (std::size_t i = 0; i < n; ++i) {
        const XY q = c.points[i], q2 = c.points[i + 1 == n ? 0 : i + 1];
        const double wx = q2.x - q.x, wy = q2.y - q.y, wl = std::abs(wx) + std::abs(wy);
        const double num = cross(wx, wy, a.x - q.x, a.y - q.y); // > 0: left of the edge, inside
        const double den = cross(wx, wy, d.x, d.y);
        if (touch && ((near_a && std::abs(num) <= 1e-9 * wl * wl) ||
                      (near_b && std::abs(num + den) <= 1e-9 * wl * wl)))
            *touch = true;
        if (std::abs(den) <= 1e-12 * wl * dl) { // parallel to this edge
            if (std::abs(num) <= 1e-9 * wl * wl)
                return done(Clip::Degenerate); // along it
            if (num < 0.0)
                return done(Clip::Outside);
            continue;
        }
        const double t = -num / den;
        if (den > 0.0) {
            if (t > t0) {
                t0 = t;
                in_side = static_cast<int>(i);
            }
        } else if (t < t1) {
            t1 = t;
            out_side = static_cast<int>(i);
        }
        if (t0 >= t1)
            return done(Clip::Outside);
    }
    return done(Clip::Inside);
}

} // namespace whitezone::convex
