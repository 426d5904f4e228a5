// The outer footprints of each class and the dissolved coverage.

#include "whitezone/coverage.hpp"

#include "common/grid.hpp"
#include "common/parallel.hpp"
#include "geos/geos.hpp"

#include <algorithm>
#include <cmath>

namespace whitezone {

namespace {

std::vector<char> outer_of(const Footprints& footprints, ServiceClass cls, int threads,
                           const std::vector<char>* known_inner) {
    // A footprint is left out when the footprints after it in (radius, index) order cover it:
    // then, by induction from the largest, the union of those kept equals the union of all.
    // The test is conservative and exact for the drawn polygons: the footprint's box is cut
    // into 8 x 8 cells, and every cell that meets its circle must lie inside one convex
    // footprint further down the order (all four corners within its polygon's apothem).
    std::vector<std::size_t> ids;
    double largest = 0.0;
    for (std::size_t i = 0; i < footprints.items.size(); ++i)
        if (serves(cls, footprints.items[i].tech)) {
            ids.push_back(i);
            largest = std::max(largest, footprints.items[i].radius_m);
        }
    std::vector<char> outer(footprints.items.size(), 0);
    auto before = [&](std::size_t a, std::size_t b) {
        const double ra = footprints.items[a].radius_m, rb = footprints.items[b].radius_m;
        return ra != rb ? ra < rb : a < b;
    };
    // Convex footprints by centre: a neighbour's centre is at most `largest` beyond the box.
    grid::GridIndex index(std::max(largest, 1.0));
    for (std::size_t i : ids)
        if (footprints.items[i].convex())
            index.insert(grid::Box::around(footprints.items[i].centre, 0.0), i);

    // Each footprint's fate depends only on those after it, not on theirs: the decisions
    // run in parallel.
    constexpr int kCells = 8;
    parallel::for_ranges(ids.size(), threads, [&](std::size_t, std::size_t begin, std::size_t end) {
        std::vector<std::size_t> near;
        for (std::size_t k = begin; k < end; ++k) {
            const std::size_t i = ids[k];
            if (known_inner && !(*known_inner)[i])
                continue; // covered by a subset of this class's footprints already
            const Footprint& a = footprints.items[i];
            const grid::Box box = grid::Box::around(a.centre, a.radius_m);
            index.query_cells(grid::Box::around(a.centre, a.radius_m + largest), near);
            // Candidates: later in the order and overlapping this footprint, nearest first
            // (a footprint close to this one holds most of its cells).
            auto dist2 = [&](std::size_t j) {
                const XY c = footprints.items[j].centre;
                return (c.x - a.centre.x) * (c.x - a.centre.x) +
                       (c.y - a.centre.y) * (c.y - a.centre.y);
            };
            std::erase_if(near, [&](std::size_t j) {
                const double reach = a.radius_m + footprints.items[j].radius_m;
                return j == i || !before(i, j) || dist2(j) >= reach * reach;
            });
            std::sort(near.begin(), near.end(), [&](std::size_t p, std::size_t q) {
                const double dp = dist2(p), dq = dist2(q);
                return dp != dq ? dp < dq : p < q;
            });
            bool covered = !near.empty();
            std::size_t last = near.empty() ? 0 : near.front();
            const double step = 2.0 * a.radius_m / kCells;
            for (int cx = 0; cx < kCells && covered; ++cx)
                for (int cy = 0; cy < kCells && covered; ++cy) {
                    const double x0 = box.minx + cx * step, y0 = box.miny + cy * step;
                    // Cells wholly outside the circle hold none of the footprint.
                    const double dx = std::max({x0 - a.centre.x, 0.0, a.centre.x - (x0 + step)});
                    const double dy = std::max({y0 - a.centre.y, 0.0, a.centre.y - (y0 + step)});
                    if (dx * dx + dy * dy >= a.radius_m * a.radius_m)
                        continue;
                    const XY corners[4] = {{x0, y0}, {x0 + step, y0}, {x0, y0 + step},
                                           {x0 + step, y0 + step}};
                    auto holds = [&](std::size_t j) {
                        const Footprint& b = footprints.items[j];
                        for (const XY& c : corners)
                            if (!b.covers_within(c, b.inner_radius_m))
                                return false;
                        return true;
                    };
                    if (holds(last))
                        continue;
                    covered = false;
                    for (std::size_t j : near)
                        if (j != last && holds(j)) {
                            last = j;
                            covered = true;
                            break;
                        }
                }
            outer[i] = !covered;
        }
    });
    return outer;
}

} // namespace

PerClass<std::vector<char>> find_outer_footprints(const Footprints& footprints, int threads) {
    // Broadband first: a footprint covered by broadband footprints after it is covered by
    // footprints of any class after it too, so the "any" pass skips it.
    PerClass<std::vector<char>> out;
    auto& broadband = out[index_of(ServiceClass::Broadband)];
    broadband = outer_of(footprints, ServiceClass::Broadband, threads, nullptr);
    std::vector<char> maybe_outer(footprints.items.size(), 1);
    for (std::size_t i = 0; i < footprints.items.size(); ++i)
        if (serves(ServiceClass::Broadband, footprints.items[i].tech) && !broadband[i])
            maybe_outer[i] = 0;
    out[index_of(ServiceClass::Any)] = outer_of(footprints, ServiceClass::Any, threads, &maybe_outer);
    return out;
}

MultiPolygon dissolve_coverage(const Footprints& footprints, ServiceClass cls, int threads) {
    // Without outer flags (Footprints made by hand), every footprint of the class counts.
    const auto& flags = footprints.outer[index_of(cls)];
    std::vector<std::size_t> outer;
    for (std::size_t i = 0; i < footprints.items.size(); ++i)
        if (flags.size() == footprints.items.size() ? flags[i] != 0
                                                    : serves(cls, footprints.items[i].tech))
            outer.push_back(i);
    if (outer.empty())
        return {};
    // West-to-east strips of equal count, one union per strip in parallel, then one union
    // of the strips: the last union only meets what is left of each strip's outline. The
    // number of strips depends on the data alone, so the result does not depend on threads.
    std::sort(outer.begin(), outer.end(), [&](std::size_t a, std::size_t b) {
        const XY pa = footprints.items[a].centre, pb = footprints.items[b].centre;
        return pa.x != pb.x ? pa.x < pb.x : (pa.y != pb.y ? pa.y < pb.y : a < b);
    });
    constexpr std::size_t kPerStrip = 10000, kMaxStrips = 4;
    const std::size_t strips = std::clamp<std::size_t>(outer.size() / kPerStrip, 1, kMaxStrips);
    std::vector<MultiPolygon> merged(strips);
    parallel::for_ranges(strips, threads,
                         [&](std::size_t, std::size_t begin, std::size_t end) {
        geos::Context ctx;
        for (std::size_t k = begin; k < end; ++k) {
            MultiPolygon parts;
            for (std::size_t i = k * outer.size() / strips; i < (k + 1) * outer.size() / strips;
                 ++i)
                parts.push_back(footprints.items[outer[i]].shape);
            geos::Geom all = geos::make_multipolygon(ctx, parts);
            geos::Geom u = geos::own(ctx, GEOSUnaryUnion_r(ctx.handle(), all.get()), "UnaryUnion");
            merged[k] = geos::to_multipolygon(ctx, u.get());
        }
    });
    if (strips == 1)
        return std::move(merged.front());
    geos::Context ctx;
    MultiPolygon parts;
    for (auto& m : merged)
        std::move(m.begin(), m.end(), std::back_inserter(parts));
    geos::Geom all = geos::make_multipolygon(ctx, parts);
    geos::Geom u = geos::own(ctx, GEOSUnaryUnion_r(ctx.handle(), all.get()), "UnaryUnion");
    return geos::to_multipolygon(ctx, u.get());
}

} // namespace whitezone
