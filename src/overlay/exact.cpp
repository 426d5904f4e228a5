#include "overlay/exact.hpp"

#include "common/grid.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

namespace whitezone::overlay {

namespace {

double cross(double ax, double ay, double bx, double by) { return ax * by - ay * bx; }

bool same(XY a, XY b) { return a.x == b.x && a.y == b.y; }

// The ring's vertices without the closing one.
std::size_t open_size(const Ring& r) {
    return r.size() > 1 && same(r.front(), r.back()) ? r.size() - 1 : r.size();
}

double signed_area2(const std::vector<XY>& ring) {
    double a = 0.0;
    for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++)
        a += cross(ring[j].x, ring[j].y, ring[i].x, ring[i].y);
    return a;
}

using grid::Box;

Box box_of(XY a, XY b) {
    return {std::min(a.x, b.x), std::min(a.y, b.y), std::max(a.x, b.x), std::max(a.y, b.y)};
}

Box box_of(const ConvexRing& c) { return {c.minx, c.miny, c.maxx, c.maxy}; }

enum class Clip { Outside, Inside, Degenerate };

// Whether the segment a b lies within c's inner circle, so inside c, by a margin far above
// rounding (none of c's sides lies along it).
bool within_inner(const ConvexRing& c, XY a, XY b) {
    const double inner2 = c.inner * c.inner * (1.0 - 1e-9);
    const double ax = a.x - c.centre.x, ay = a.y - c.centre.y;
    const double bx = b.x - c.centre.x, by = b.y - c.centre.y;
    return ax * ax + ay * ay < inner2 && bx * bx + by * by < inner2;
}

// Where a + t d, t in [0, 1], lies strictly inside the convex ring `c`: [t0, t1].
Clip clip(XY a, XY d, const ConvexRing& c, double& t0, double& t1) {
    t0 = 0.0;
    t1 = 1.0;
    // An edge within the inner circle lies inside, one that passes beyond the outer circle
    // outside: what clipping against every side would find (by a margin far above rounding,
    // so none of the sides lies along it), without it.
    if (within_inner(c, a, {a.x + d.x, a.y + d.y}))
        return Clip::Inside;
    const double ax = a.x - c.centre.x, ay = a.y - c.centre.y, dd = d.x * d.x + d.y * d.y;
    const double near = dd > 0.0 ? std::clamp(-(ax * d.x + ay * d.y) / dd, 0.0, 1.0) : 0.0;
    const double nx = ax + near * d.x, ny = ay + near * d.y; // the edge's point nearest the centre
    if (nx * nx + ny * ny > c.outer * c.outer * (1.0 + 1e-9))
        return Clip::Outside;
    const double dl = std::abs(d.x) + std::abs(d.y);
    const std::size_t n = c.points.size();
    for (std::size_t i = 0; i < n; ++i) {
        const XY q = c.points[i], q2 = c.points[i + 1 == n ? 0 : i + 1];
        const double wx = q2.x - q.x, wy = q2.y - q.y, wl = std::abs(wx) + std::abs(wy);
        const double num = cross(wx, wy, a.x - q.x, a.y - q.y); // > 0: left of the edge, inside
        const double den = cross(wx, wy, d.x, d.y);
        if (std::abs(den) <= 1e-12 * wl * dl) { // parallel to this edge
            if (std::abs(num) <= 1e-9 * wl * wl)
                return Clip::Degenerate; // along it
            if (num < 0.0)
                return Clip::Outside;
            continue;
        }
        const double t = -num / den;
        if (den > 0.0)
            t0 = std::max(t0, t);
        else
            t1 = std::min(t1, t);
        if (t0 >= t1)
            return Clip::Outside;
    }
    return Clip::Inside;
}

bool inside(const std::vector<std::vector<XY>>& rings, XY p) {
    bool in = false;
    for (const auto& r : rings)
        for (std::size_t i = 0, j = r.size() - 1; i < r.size(); j = i++)
            if ((r[i].y > p.y) != (r[j].y > p.y) &&
                p.x < (r[j].x - r[i].x) * (p.y - r[i].y) / (r[j].y - r[i].y) + r[i].x)
                in = !in;
    return in;
}

// Twice the signed area swept by the pieces of a + t d, t in [lo, hi], outside `cuts_in`
// (the intervals where the edge is inside a cut; sorted here).
double outside(XY a, XY d, std::vector<std::pair<double, double>>& cuts_in, double lo, double hi) {
    std::sort(cuts_in.begin(), cuts_in.end());
    double sum = 0.0, at = lo;
    auto piece = [&](double s, double t) {
        if (t > s)
            sum += cross(a.x + s * d.x, a.y + s * d.y, a.x + t * d.x, a.y + t * d.y);
    };
    for (const auto& [s, t] : cuts_in) {
        if (t <= at)
            continue;
        if (s >= hi)
            break;
        piece(at, std::max(at, s));
        at = t;
        if (at >= hi)
            return sum;
    }
    piece(at, hi);
    return sum;
}

} // namespace

ConvexRing convex_ring(const Polygon& polygon) {
    ConvexRing c;
    const Ring& r = polygon.rings.front();
    c.points.assign(r.begin(), r.begin() + static_cast<std::ptrdiff_t>(open_size(r)));
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

std::optional<Outside> area_outside(const MultiPolygon& area,
                                    const std::vector<const ConvexRing*>& cuts) {
    if (area.empty() || area.front().rings.empty() || area.front().rings.front().empty())
        return Outside{0.0, true};
    const XY o = area.front().rings.front().front();
    // The village's rings relative to o, open, shells counter-clockwise and holes clockwise.
    std::vector<std::vector<XY>> rings;
    Box village{1e300, 1e300, -1e300, -1e300};
    for (const auto& poly : area)
        for (std::size_t k = 0; k < poly.rings.size(); ++k) {
            const Ring& in = poly.rings[k];
            std::vector<XY> r;
            r.reserve(in.size());
            for (std::size_t i = 0; i < open_size(in); ++i)
                r.push_back({in[i].x - o.x, in[i].y - o.y});
            if (r.size() < 3)
                continue;
            if ((k == 0) != (signed_area2(r) > 0.0))
                std::reverse(r.begin(), r.end());
            for (const XY& p : r)
                village = {std::min(village.minx, p.x), std::min(village.miny, p.y),
                           std::max(village.maxx, p.x), std::max(village.maxy, p.y)};
            rings.push_back(std::move(r));
        }
    std::vector<ConvexRing> local;
    local.reserve(cuts.size());
    for (const ConvexRing* c : cuts) {
        ConvexRing l;
        l.points.reserve(c->points.size());
        for (const XY& p : c->points)
            l.points.push_back({p.x - o.x, p.y - o.y});
        l.minx = c->minx - o.x;
        l.maxx = c->maxx - o.x;
        l.miny = c->miny - o.y;
        l.maxy = c->maxy - o.y;
        l.centre = {c->centre.x - o.x, c->centre.y - o.y};
        l.inner = c->inner;
        l.outer = c->outer;
        local.push_back(std::move(l));
    }

    double sum = 0.0;
    bool untouched = true; // no village edge enters a cut, no cut edge lies inside the village
    std::vector<std::pair<double, double>> cut_in;
    // The intervals where the edge a + t d (box `e`) lies inside the cuts other than `skip`;
    // false when it runs along one of their edges.
    auto inside_cuts = [&](XY a, XY d, const Box& e, std::size_t skip) {
        cut_in.clear();
        for (std::size_t j = 0; j < local.size(); ++j) {
            if (j == skip || !e.intersects(box_of(local[j])))
                continue;
            double t0 = 0.0, t1 = 0.0;
            const Clip c = clip(a, d, local[j], t0, t1);
            if (c == Clip::Degenerate)
                return false;
            if (c == Clip::Inside)
                cut_in.emplace_back(t0, t1);
        }
        return true;
    };
    // The village's edges outside every cut.
    for (const auto& r : rings)
        for (std::size_t i = 0; i < r.size(); ++i) {
            const XY a = r[i], b = r[i + 1 == r.size() ? 0 : i + 1], d{b.x - a.x, b.y - a.y};
            if (!inside_cuts(a, d, box_of(a, b), local.size()))
                return std::nullopt;
            untouched = untouched && cut_in.empty();
            sum += outside(a, d, cut_in, 0.0, 1.0);
        }
    // The cuts' edges inside the village and outside the other cuts, backwards.
    std::vector<double> ts;
    for (std::size_t c = 0; c < local.size(); ++c) {
        const auto& points = local[c].points;
        for (std::size_t i = 0; i < points.size(); ++i) {
            const XY a = points[i], b = points[i + 1 == points.size() ? 0 : i + 1];
            const XY d{b.x - a.x, b.y - a.y};
            const Box e = box_of(a, b);
            if (!village.intersects(e))
                continue;
            // Inside another cut: none of it bounds the area left (the pieces would all be
            // dropped below), whether it lies in the village or not.
            bool covered = false;
            for (std::size_t j = 0; j < local.size() && !covered; ++j)
                covered = j != c && e.intersects(box_of(local[j])) && within_inner(local[j], a, b);
            if (covered)
                continue;
            const double dl = std::abs(d.x) + std::abs(d.y);
            ts.assign({0.0, 1.0});
            for (const auto& r : rings)
                for (std::size_t k = 0; k < r.size(); ++k) {
                    const XY p = r[k], q = r[k + 1 == r.size() ? 0 : k + 1];
                    if (!e.intersects(box_of(p, q)))
                        continue;
                    const double ux = q.x - p.x, uy = q.y - p.y, ul = std::abs(ux) + std::abs(uy);
                    const double apx = p.x - a.x, apy = p.y - a.y;
                    const double den = cross(d.x, d.y, ux, uy);
                    if (std::abs(den) <= 1e-12 * dl * ul) { // parallel
                        if (std::abs(cross(apx, apy, d.x, d.y)) <= 1e-9 * dl * dl)
                            return std::nullopt; // along the village's edge
                        continue;
                    }
                    const double t = cross(apx, apy, ux, uy) / den;
                    const double u = cross(apx, apy, d.x, d.y) / den;
                    if (u >= 0.0 && u <= 1.0 && t > 0.0 && t < 1.0)
                        ts.push_back(t);
                }
            std::sort(ts.begin(), ts.end());
            bool others = false; // the other cuts, clipped once per edge
            for (std::size_t k = 0; k + 1 < ts.size(); ++k) {
                const double s = ts[k], t = ts[k + 1];
                if (t <= s)
                    continue;
                const double m = 0.5 * (s + t);
                if (!inside(rings, {a.x + m * d.x, a.y + m * d.y}))
                    continue;
                if (!others) {
                    if (!inside_cuts(a, d, e, c))
                        return std::nullopt;
                    others = true;
                }
                untouched = false;
                sum -= outside(a, d, cut_in, s, t);
            }
        }
    }
    return Outside{0.5 * sum, untouched};
}

} // namespace whitezone::overlay
