#include "coverage/convex_union.hpp"

#include "common/grid.hpp"
#include "common/parallel.hpp"
#include "geos/geos.hpp"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <limits>
#include <tuple>

namespace whitezone::coverage {

namespace {

double cross(double ax, double ay, double bx, double by) { return ax * by - ay * bx; }

bool same(XY a, XY b) { return a.x == b.x && a.y == b.y; }

grid::Box box_of(const convex::Ring& r) { return {r.minx, r.miny, r.maxx, r.maxy}; }

// A piece of side `side` of ring `ring` that no other ring covers, from `start` to `end`; the
// boundary goes on from `end` along side `next_side` of ring `next_ring`.
struct Piece {
    XY start, end;
    std::uint32_t ring = 0, side = 0, next_ring = 0, next_side = 0;
};

// Where a side lies inside another ring: [t0, t1], entering through side `enter` of `ring`
// and leaving through side `leave` (-1: not at all, the side starts or ends inside).
struct Stretch {
    double t0 = 0.0, t1 = 0.0;
    std::uint32_t ring = 0;
    int enter = -1, leave = -1;
};

// Where side k of ring i crosses side m of ring j, computed from the (ring, side) that comes
// first, so that the two sides give the same bits.
XY crossing(const std::vector<convex::Ring>& rings, std::uint32_t i, std::uint32_t k,
            std::uint32_t j, std::uint32_t m) {
    if (std::tie(j, m) < std::tie(i, k)) {
        std::swap(i, j);
        std::swap(k, m);
    }
    const auto& p = rings[i].points;
    const auto& q = rings[j].points;
    const XY a = p[k], b = p[k + 1 == p.size() ? 0 : k + 1];
    const XY c = q[m], e = q[m + 1 == q.size() ? 0 : m + 1];
    const double dx = b.x - a.x, dy = b.y - a.y, wx = e.x - c.x, wy = e.y - c.y;
    const double t =
        std::clamp(cross(c.x - a.x, c.y - a.y, wx, wy) / cross(dx, dy, wx, wy), 0.0, 1.0);
    return {a.x + t * dx, a.y + t * dy};
}

// The pieces of ring i's sides that none of the rings `near` covers, appended to `out`;
// false where it declines (see convex_union()).
bool pieces_of(const std::vector<convex::Ring>& rings, std::uint32_t i,
               const std::vector<std::size_t>& near, std::vector<Stretch>& in,
               std::vector<Piece>& out) {
    const auto& points = rings[i].points;
    const auto n = static_cast<std::uint32_t>(points.size());
    std::size_t last = near.size(); // the ring that held the side before whole
    for (std::uint32_t k = 0; k < n; ++k) {
        const std::uint32_t k2 = k + 1 == n ? 0 : k + 1;
        const XY a = points[k], b = points[k2], d{b.x - a.x, b.y - a.y};
        const grid::Box e{std::min(a.x, b.x), std::min(a.y, b.y), std::max(a.x, b.x),
                          std::max(a.y, b.y)};
        // Most sides lie within another ring's inner circle, most often the one that held
        // the side before: no clipping, no pieces.
        if (last < near.size() && convex::within_inner(rings[near[last]], a, b))
            continue;
        bool whole = false;
        for (std::size_t q = 0; q < near.size() && !whole; ++q)
            if (e.intersects(box_of(rings[near[q]])) &&
                convex::within_inner(rings[near[q]], a, b)) {
                last = q;
                whole = true;
            }
        if (whole)
            continue;
        in.clear();
        for (const std::size_t j : near) {
            if (!e.intersects(box_of(rings[j])))
                continue;
            double t0 = 0.0, t1 = 0.0;
            int enter = -1, leave = -1;
            bool touch = false;
            const convex::Clip c = convex::clip(a, d, rings[j], t0, t1, &enter, &leave, &touch);
            // Along the other ring's side, or a vertex on its side's line: whether the
            // vertex is inside would be rounding's choice, made apart for its two sides.
            if (c == convex::Clip::Degenerate || touch)
                return false;
            if (c != convex::Clip::Inside)
                continue;
            in.push_back({t0, t1, static_cast<std::uint32_t>(j), enter, leave});
        }
        std::sort(in.begin(), in.end(), [](const Stretch& p, const Stretch& q) {
            return p.t0 != q.t0 ? p.t0 < q.t0 : p.ring < q.ring;
        });
        // Covered up to `at`, where the side leaves ring at_ring through its side at_side.
        double at = 0.0;
        std::uint32_t at_ring = i;
        int at_side = -1;
        const auto from = [&] {
            return at == 0.0 ? a
                             : crossing(rings, i, k, at_ring, static_cast<std::uint32_t>(at_side));
        };
        for (const Stretch& s : in) {
            if (s.t0 > at) {
                const auto enter = static_cast<std::uint32_t>(s.enter);
                out.push_back({from(), crossing(rings, i, k, s.ring, enter), i, k, s.ring, enter});
            } else if (s.t0 == at && at > 0.0) {
                return false; // it enters one ring where it leaves another
            }
            if (s.t1 > at) {
                at = s.t1;
                at_ring = s.ring;
                at_side = s.leave;
            } else if (s.t1 == at && at < 1.0) {
                return false; // it leaves two rings at one point
            }
            if (at >= 1.0)
                break;
        }
        if (at < 1.0)
            out.push_back({from(), b, i, k, i, k2});
    }
    return true;
}

double signed_area2(const Ring& r) {
    double a = 0.0;
    const XY o = r.front();
    for (std::size_t i = 0; i + 1 < r.size(); ++i)
        a += cross(r[i].x - o.x, r[i].y - o.y, r[i + 1].x - o.x, r[i + 1].y - o.y);
    return a;
}

// For each hole (`rings[h]` with `hole[h]`), the ring whose side is nearest to the left of
// its leftmost vertex: the point between lies inside the union, so that ring is the hole's
// polygon's shell or another of its holes. nullopt where a hole has none or two at once.
std::optional<std::vector<std::size_t>> left_of_holes(const std::vector<Ring>& rings,
                                                      const std::vector<char>& hole) {
    constexpr auto none = std::numeric_limits<std::size_t>::max();
    double miny = std::numeric_limits<double>::infinity(), maxy = -miny;
    std::size_t sides = 0;
    for (const Ring& r : rings) {
        for (const XY& p : r) {
            miny = std::min(miny, p.y);
            maxy = std::max(maxy, p.y);
        }
        sides += r.size() - 1;
    }
    // The sides by horizontal bands, each listed in every band it spans.
    const std::size_t bands = std::clamp<std::size_t>(sides / 8, 1, std::size_t{1} << 22);
    const double height = (maxy - miny) / static_cast<double>(bands);
    const auto band = [&](double y) {
        if (!(height > 0.0))
            return std::size_t{0};
        return std::min(bands - 1, static_cast<std::size_t>(std::max(0.0, (y - miny) / height)));
    };
    std::vector<std::size_t> first(bands + 1, 0);
    const auto each_side = [&](auto visit) {
        for (std::size_t r = 0; r < rings.size(); ++r)
            for (std::size_t i = 0; i + 1 < rings[r].size(); ++i) {
                const double y0 = rings[r][i].y, y1 = rings[r][i + 1].y;
                for (std::size_t b = band(std::min(y0, y1)); b <= band(std::max(y0, y1)); ++b)
                    visit(b, r, i);
            }
    };
    each_side([&](std::size_t b, std::size_t, std::size_t) { ++first[b + 1]; });
    for (std::size_t b = 0; b < bands; ++b)
        first[b + 1] += first[b];
    std::vector<std::pair<std::uint32_t, std::uint32_t>> listed(first.back());
    std::vector<std::size_t> fill(first.begin(), first.end() - 1);
    each_side([&](std::size_t b, std::size_t r, std::size_t i) {
        listed[fill[b]++] = {static_cast<std::uint32_t>(r), static_cast<std::uint32_t>(i)};
    });

    std::vector<std::size_t> left(rings.size(), none);
    for (std::size_t h = 0; h < rings.size(); ++h) {
        if (!hole[h])
            continue;
        XY v = rings[h].front();
        for (const XY& p : rings[h])
            if (p.x < v.x || (p.x == v.x && p.y < v.y))
                v = p;
        double best = -std::numeric_limits<double>::infinity();
        bool tie = false;
        const std::size_t b = band(v.y);
        for (std::size_t e = first[b]; e < first[b + 1]; ++e) {
            const auto [r, i] = listed[e];
            if (r == h)
                continue;
            const XY p = rings[r][i], q = rings[r][i + 1];
            if ((p.y > v.y) == (q.y > v.y))
                continue;
            const double x = p.x + (v.y - p.y) * (q.x - p.x) / (q.y - p.y);
            if (x >= v.x || x < best)
                continue;
            tie = x == best && left[h] != r;
            best = x;
            left[h] = r;
        }
        if (left[h] == none || tie)
            return std::nullopt;
    }
    return left;
}

} // namespace

std::optional<MultiPolygon> convex_union(const std::vector<convex::Ring>& rings, int threads) {
    if (rings.empty())
        return MultiPolygon{};
    if (rings.size() > std::numeric_limits<std::uint32_t>::max())
        return std::nullopt;
    double width = 0.0;
    for (const convex::Ring& r : rings) {
        if (r.points.size() < 3 || !(r.inner > 0.0))
            return std::nullopt; // no area for its coordinates' digits
        width += r.maxx - r.minx;
    }
    grid::GridIndex index(std::max(width / static_cast<double>(rings.size()), 1.0));
    for (std::size_t i = 0; i < rings.size(); ++i)
        index.insert(box_of(rings[i]), i);

    // The pieces, ring by ring: each worker's in the order of its contiguous range of rings.
    std::vector<std::vector<Piece>> parts(static_cast<std::size_t>(std::max(threads, 1)));
    std::atomic<bool> declined{false};
    parallel::for_ranges(
        rings.size(), threads, [&](std::size_t worker, std::size_t begin, std::size_t end) {
            std::vector<std::size_t> near;
            std::vector<Stretch> in;
            for (std::size_t i = begin; i < end && !declined; ++i) {
                index.query_intersecting(box_of(rings[i]), near,
                                         [&](std::size_t j) { return box_of(rings[j]); });
                near.erase(std::remove(near.begin(), near.end(), i), near.end());
                if (!pieces_of(rings, static_cast<std::uint32_t>(i), near, in, parts[worker]))
                    declined = true;
            }
        });
    if (declined)
        return std::nullopt;
    std::vector<Piece> pieces;
    for (auto& part : parts) {
        pieces.insert(pieces.end(), part.begin(), part.end());
        std::vector<Piece>().swap(part);
    }
    std::vector<std::size_t> first(rings.size() + 1, 0); // ring r's pieces: [first[r], first[r+1])
    for (const Piece& p : pieces)
        ++first[p.ring + 1];
    for (std::size_t r = 0; r < rings.size(); ++r)
        first[r + 1] += first[r];

    // Each piece's successor: the one piece on its next side that starts where it ends.
    std::vector<std::size_t> next(pieces.size());
    std::vector<char> reached(pieces.size(), 0);
    for (std::size_t p = 0; p < pieces.size(); ++p) {
        const Piece& piece = pieces[p];
        auto it = std::lower_bound(
            pieces.begin() + static_cast<std::ptrdiff_t>(first[piece.next_ring]),
            pieces.begin() + static_cast<std::ptrdiff_t>(first[piece.next_ring + 1]),
            piece.next_side, [](const Piece& q, std::uint32_t side) { return q.side < side; });
        std::size_t found = pieces.size();
        for (; it != pieces.end() && it->ring == piece.next_ring && it->side == piece.next_side;
             ++it)
            if (same(it->start, piece.end)) {
                if (found != pieces.size())
                    return std::nullopt;
                found = static_cast<std::size_t>(it - pieces.begin());
            }
        if (found == pieces.size() || reached[found])
            return std::nullopt;
        reached[found] = 1;
        next[p] = found;
    }

    // The rings of the boundary: every piece has one successor and one predecessor, so each
    // chain comes back to where it began.
    std::vector<Ring> loops;
    std::vector<char> hole;
    std::vector<char> used(pieces.size(), 0);
    for (std::size_t p = 0; p < pieces.size(); ++p) {
        if (used[p])
            continue;
        Ring r;
        std::size_t q = p;
        do {
            used[q] = 1;
            if (r.empty() || !same(r.back(), pieces[q].start))
                r.push_back(pieces[q].start);
            q = next[q];
        } while (q != p);
        if (same(r.back(), r.front()))
            r.pop_back();
        r.push_back(r.front());
        if (r.size() < 4)
            return std::nullopt;
        const double a = signed_area2(r);
        if (a == 0.0)
            return std::nullopt;
        hole.push_back(a < 0.0 ? 1 : 0);
        loops.push_back(std::move(r));
    }

    // Each hole to its shell, through the rings left of the holes.
    std::vector<std::size_t> shell(loops.size());
    for (std::size_t r = 0; r < loops.size(); ++r)
        shell[r] = r;
    if (std::find(hole.begin(), hole.end(), 1) != hole.end()) {
        const auto left = left_of_holes(loops, hole);
        if (!left)
            return std::nullopt;
        for (std::size_t r = 0; r < loops.size(); ++r) {
            std::size_t s = r, steps = 0;
            while (hole[s] && steps++ <= loops.size())
                s = (*left)[s];
            if (hole[s])
                return std::nullopt;
            shell[r] = s;
        }
    }
    MultiPolygon out;
    std::vector<std::size_t> polygon(loops.size());
    for (std::size_t r = 0; r < loops.size(); ++r)
        if (!hole[r]) {
            polygon[r] = out.size();
            out.push_back(Polygon{{std::move(loops[r])}});
        }
    for (std::size_t r = 0; r < loops.size(); ++r)
        if (hole[r])
            out[polygon[shell[r]]].rings.push_back(std::move(loops[r]));

    // What rounding could still have spoilt (a crossing a hair off its side, pieces shorter
    // than the rounding): GEOS checks each polygon.
    parallel::for_ranges(out.size(), threads, [&](std::size_t, std::size_t begin, std::size_t end) {
        geos::Context ctx;
        for (std::size_t k = begin; k < end && !declined; ++k) {
            geos::Geom g = geos::make_polygon(ctx, out[k]);
            if (!geos::check(ctx, GEOSisValid_r(ctx.handle(), g.get()), "isValid"))
                declined = true;
        }
    });
    if (declined)
        return std::nullopt;
    return out;
}

} // namespace whitezone::coverage
