// The outer footprints of each class and the dissolved coverage.

#include "whitezone/coverage.hpp"

#include "common/grid.hpp"
#include "common/parallel.hpp"
#include "geos/geos.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>

namespace whitezone {

namespace {

// The few numbers the cover test needs, packed and in spatial order, so that neighbours sit
// close together in memory: at national scale the footprints do not fit in the caches.
struct Disk {
    double x = 0, y = 0, radius = 0, inner = 0;
    std::size_t id = 0; ///< index into Footprints::items
    bool sector = false;
};

std::vector<char> outer_of(const Footprints& footprints, ServiceClass cls, int threads,
                           const std::vector<char>* known_inner) {
    // A footprint is left out when the footprints after it in (radius, index) order cover it:
    // then, by induction from the largest, the union of those kept equals the union of all.
    // The tests are conservative and exact for the drawn polygons: a footprint whose circle
    // lies within one full disk's inner circle is covered by it; otherwise its box is cut
    // into 8 x 8 cells, and every cell that meets its circle must lie inside one convex
    // footprint further down the order (all four corners within its polygon's apothem).
    double largest = 1.0;
    std::vector<Disk> disks;
    for (std::size_t i = 0; i < footprints.items.size(); ++i) {
        const Footprint& f = footprints.items[i];
        if (serves(cls, f.tech)) {
            disks.push_back({f.centre.x, f.centre.y, f.radius_m, f.inner_radius_m, i, f.sector});
            largest = std::max(largest, f.radius_m);
        }
    }
    auto cell = [largest](double v) { return static_cast<long long>(std::floor(v / largest)); };
    std::sort(disks.begin(), disks.end(), [&](const Disk& p, const Disk& q) {
        const auto py = cell(p.y), qy = cell(q.y), px = cell(p.x), qx = cell(q.x);
        return py != qy ? py < qy : (px != qx ? px < qx : p.id < q.id);
    });
    auto before = [&](const Disk& p, const Disk& q) {
        return p.radius != q.radius ? p.radius < q.radius : p.id < q.id;
    };
    // Convex footprints by centre, in tiers of radius (radii within a factor of two): a
    // footprint looks only in the tiers that reach its radius, and in each only as far as that
    // tier's largest radius, rather than as far as the largest of all.
    struct Tier {
        double largest = 0.0;
        std::unique_ptr<grid::GridIndex> index;
    };
    std::map<int, Tier> tiers;
    auto tier_of = [](double radius) { return std::ilogb(std::max(radius, 1.0)); };
    for (const Disk& d : disks)
        if (footprints.items[d.id].convex()) {
            Tier& t = tiers[tier_of(d.radius)];
            t.largest = std::max(t.largest, d.radius);
        }
    for (auto& [tier, t] : tiers)
        t.index = std::make_unique<grid::GridIndex>(std::max(t.largest, 1.0));
    for (std::size_t k = 0; k < disks.size(); ++k)
        if (footprints.items[disks[k].id].convex())
            tiers.at(tier_of(disks[k].radius))
                .index->insert(grid::Box::around({disks[k].x, disks[k].y}, 0.0), k);

    // Each footprint's fate depends only on those after it, not on theirs: the decisions
    // run in parallel, each worker on a contiguous (so spatially compact) range.
    constexpr int kCells = 8;
    std::vector<char> outer(footprints.items.size(), 0);
    parallel::for_ranges(
        disks.size(), threads, [&](std::size_t, std::size_t begin, std::size_t end) {
            std::vector<std::size_t> in_tier;
            std::vector<std::pair<double, std::size_t>> near; // (squared distance, disk)
            for (std::size_t k = begin; k < end; ++k) {
                const Disk& a = disks[k];
                if (known_inner && !(*known_inner)[a.id])
                    continue; // covered by a subset of this class's footprints already
                const grid::Box box = grid::Box::around({a.x, a.y}, a.radius);
                // Candidates: later in the order and overlapping this footprint, the nearest
                // first (a footprint close to this one holds most of its cells). Only the
                // order of the search depends on this, not its answer: a cell that none of
                // the first few holds is looked for in all of them, so only those are sorted.
                near.clear();
                for (const auto& [tier, t] : tiers) {
                    if (t.largest < a.radius)
                        continue; // all of it before this footprint in the order
                    t.index->query_cells(grid::Box::around({a.x, a.y}, a.radius + t.largest),
                                         in_tier);
                    for (std::size_t j : in_tier) {
                        const Disk& b = disks[j];
                        const double d2 = (b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y);
                        const double reach = a.radius + b.radius;
                        if (j != k && before(a, b) && d2 < reach * reach)
                            near.emplace_back(d2, j);
                    }
                }
                auto nearer = [&](const auto& p, const auto& q) {
                    return p.first != q.first ? p.first < q.first
                                              : disks[p.second].id < disks[q.second].id;
                };
                constexpr std::size_t kSorted = 8;
                if (near.size() > kSorted)
                    std::nth_element(near.begin(), near.begin() + kSorted, near.end(), nearer);
                std::sort(near.begin(), near.begin() + std::min(near.size(), kSorted), nearer);
                bool covered = !near.empty();
                std::size_t last = near.empty() ? 0 : near.front().second;
                // Inside the inner circle of one full disk after it (a co-sited cell of a
                // shorter range, most often): its drawn polygon, inscribed in its circle, lies
                // inside that disk's, without the cells.
                const auto inside = [&](const auto& candidate) {
                    const Disk& b = disks[candidate.second];
                    return !b.sector && std::sqrt(candidate.first) + a.radius <= b.inner;
                };
                if (covered && std::any_of(near.begin(),
                                           near.begin() + std::min(near.size(), kSorted), inside)) {
                    outer[a.id] = 0;
                    continue;
                }
                const double step = 2.0 * a.radius / kCells;
                for (int cx = 0; cx < kCells && covered; ++cx)
                    for (int cy = 0; cy < kCells && covered; ++cy) {
                        const double x0 = box.minx + cx * step, y0 = box.miny + cy * step;
                        // Cells wholly outside the circle hold none of the footprint.
                        const double dx = std::max({x0 - a.x, 0.0, a.x - (x0 + step)});
                        const double dy = std::max({y0 - a.y, 0.0, a.y - (y0 + step)});
                        if (dx * dx + dy * dy >= a.radius * a.radius)
                            continue;
                        const XY corners[4] = {
                            {x0, y0}, {x0 + step, y0}, {x0, y0 + step}, {x0 + step, y0 + step}};
                        auto holds = [&](std::size_t j) {
                            const Disk& b = disks[j];
                            for (const XY& c : corners) {
                                const double ex = c.x - b.x, ey = c.y - b.y;
                                if (ex * ex + ey * ey > b.inner * b.inner)
                                    return false;
                                if (b.sector && !footprints.items[b.id].covers_within(c, b.inner))
                                    return false;
                            }
                            return true;
                        };
                        if (holds(last))
                            continue;
                        covered = false;
                        for (const auto& candidate : near)
                            if (const std::size_t j = candidate.second; j != last && holds(j)) {
                                last = j;
                                covered = true;
                                break;
                            }
                    }
                outer[a.id] = !covered;
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
    out[index_of(ServiceClass::Any)] =
        outer_of(footprints, ServiceClass::Any, threads, &maybe_outer);
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
    // Each strip's footprints are drawn straight into GEOS's polygons.
    std::sort(outer.begin(), outer.end(), [&](std::size_t a, std::size_t b) {
        const XY pa = footprints.items[a].centre, pb = footprints.items[b].centre;
        return pa.x != pb.x ? pa.x < pb.x : (pa.y != pb.y ? pa.y < pb.y : a < b);
    });
    // Strips of about 10,000 footprints however many there are: a strip's union holds its
    // footprints and GEOS's working copies at once, so the strips' size bounds the memory the
    // dissolve adds (at XL 8 and 15 strips, where four strips of 21,000 and 38,000 added about
    // 50 MiB more), and the union of the strips' outlines stays small.
    constexpr std::size_t kPerStrip = 10000;
    const std::size_t strips = std::max<std::size_t>(outer.size() / kPerStrip, 1);
    std::vector<MultiPolygon> merged(strips);
    parallel::for_ranges(strips, threads, [&](std::size_t, std::size_t begin, std::size_t end) {
        geos::Context ctx;
        for (std::size_t k = begin; k < end; ++k) {
            const std::size_t first = k * outer.size() / strips;
            geos::Geom all = geos::make_multipolygon(
                ctx, (k + 1) * outer.size() / strips - first,
                [&](std::size_t i) { return footprints.items[outer[first + i]].shape(); });
            geos::Geom u = geos::own(ctx, GEOSUnaryUnion_r(ctx.handle(), all.get()), "UnaryUnion");
            merged[k] = geos::to_multipolygon(ctx, u.get());
        }
    });
    if (strips == 1)
        return std::move(merged.front());
    geos::Context ctx;
    geos::Geom all;
    {
        MultiPolygon parts;
        for (auto& m : merged) {
            std::move(m.begin(), m.end(), std::back_inserter(parts));
            MultiPolygon().swap(m);
        }
        all = geos::make_multipolygon(ctx, parts);
    }
    geos::Geom u = geos::own(ctx, GEOSUnaryUnion_r(ctx.handle(), all.get()), "UnaryUnion");
    return geos::to_multipolygon(ctx, u.get());
}

} // namespace whitezone
