#include "overlay/exact.hpp"

#include "common/convex.hpp"
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

Box box_of(const convex::Ring& c) { return {c.minx, c.miny, c.maxx, c.maxy}; }

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

std::optional<Outside> area_outside(const MultiPolygon& area,
                                    const std::vector<const convex::Ring*>& cuts) {
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
    std::vector<convex::Ring> local;
    local.reserve(cuts.size());
    for (const convex::Ring* c : cuts) {
        convex::Ring l;
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
            const convex::Clip c = convex::clip(a, d, local[j], t0, t1);
            if (c == convex::Clip::Degenerate)
                return false;
            if (c == convex::Clip::Inside)
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
                covered = j != c && e.intersects(box_of(local[j])) &&
                          convex::within_inner(local[j], a, b);
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
