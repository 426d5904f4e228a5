// The outer footprints of each class and the dissolved coverage.

#include "whitezone/context.hpp"
#include "whitezone/coverage.hpp"

#include "common/convex.hpp"
#include "common/grid.hpp"
#include "common/parallel.hpp"
#include "coverage/convex_union.hpp"
#include "geos/geos.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <tuple>

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
    // The order is for the caches only (the search's answer does not depend on it): by cell
    // of the largest radius, row by row, the cell found with a multiplication; in a cell by
    // position, so that the footprints of one mast sit side by side.
    const double per_metre = 1.0 / largest;
    auto cell = [per_metre](double v) { return static_cast<long long>(std::floor(v * per_metre)); };
    std::sort(disks.begin(), disks.end(), [&](const Disk& p, const Disk& q) {
        const auto py = cell(p.y), qy = cell(q.y), px = cell(p.x), qx = cell(q.x);
        if (py != qy || px != qx)
            return py != qy ? py < qy : px < qx;
        return p.x != q.x ? p.x < q.x : (p.y != q.y ? p.y < q.y : p.id < q.id);
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
                // Inside the inner circle of a full disk of the same mast after it (a shorter
                // range, most often): covered, as the test of the nearest candidates below
                // would find, without the search.
                const auto cosited_inside = [&](std::size_t j) {
                    const Disk& b = disks[j];
                    return !b.sector && footprints.items[b.id].convex() && before(a, b) &&
                           a.radius <= b.inner;
                };
                bool inside_mast = false;
                for (std::size_t j = k;
                     !inside_mast && j-- > 0 && disks[j].x == a.x && disks[j].y == a.y;)
                    inside_mast = cosited_inside(j);
                for (std::size_t j = k + 1;
                     !inside_mast && j < disks.size() && disks[j].x == a.x && disks[j].y == a.y;
                     ++j)
                    inside_mast = cosited_inside(j);
                if (inside_mast)
                    continue; // outer[a.id] stays 0
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
                // Every cell of the 8 x 8 that meets the circle must be held by one candidate:
                // looked for in quarters first (a square held by one convex footprint holds
                // each of its cells, so the answer is that of the cells alone), by the last
                // holder and the nearest few, then in each quarter of the quarters not held,
                // down to the cells, which are looked for in every candidate.
                const double step = 2.0 * a.radius / kCells;
                // The square of cells [cx, cx + n) x [cy, cy + n).
                struct Square {
                    double x0, y0, x1, y1;
                };
                const auto square = [&](int cx, int cy, int n) {
                    const double x0 = box.minx + cx * step, y0 = box.miny + cy * step;
                    return Square{x0, y0, x0 + n * step, y0 + n * step};
                };
                const auto holds = [&](std::size_t j, const Square& q) {
                    const Disk& b = disks[j];
                    const XY corners[4] = {{q.x0, q.y0}, {q.x1, q.y0}, {q.x0, q.y1}, {q.x1, q.y1}};
                    for (const XY& c : corners) {
                        const double ex = c.x - b.x, ey = c.y - b.y;
                        if (ex * ex + ey * ey > b.inner * b.inner)
                            return false;
                        if (b.sector && !footprints.items[b.id].covers_within(c, b.inner))
                            return false;
                    }
                    return true;
                };
                const std::size_t first = std::min(near.size(), kSorted);
                const auto held = [&](const auto& self, int cx, int cy, int n) -> bool {
                    const Square q = square(cx, cy, n);
                    // A square wholly outside the circle holds none of the footprint.
                    const double dx = std::max({q.x0 - a.x, 0.0, a.x - q.x1});
                    const double dy = std::max({q.y0 - a.y, 0.0, a.y - q.y1});
                    if (dx * dx + dy * dy >= a.radius * a.radius)
                        return true;
                    if (holds(last, q))
                        return true;
                    const std::size_t tried = n == 1 ? near.size() : first;
                    for (std::size_t c = 0; c < tried; ++c)
                        if (const std::size_t j = near[c].second; j != last && holds(j, q)) {
                            last = j;
                            return true;
                        }
                    if (n == 1)
                        return false;
                    const int h = n / 2;
                    return self(self, cx, cy, h) && self(self, cx + h, cy, h) &&
                           self(self, cx, cy + h, h) && self(self, cx + h, cy + h, h);
                };
                covered = covered && held(held, 0, 0, kCells);
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

namespace {

// The footprints of one class to dissolve (the outer ones), west to east, cut into strips.
struct Strips {
    std::vector<std::size_t> outer;
    std::size_t count = 0;
    std::vector<MultiPolygon> merged; // each strip's union
};

// The class's outer footprints, by index. Without outer flags (Footprints made by hand), every
// footprint of the class counts.
std::vector<std::size_t> outer_footprints(const Footprints& footprints, ServiceClass cls) {
    const auto& flags = footprints.outer[index_of(cls)];
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < footprints.items.size(); ++i)
        if (flags.size() == footprints.items.size() ? flags[i] != 0
                                                    : serves(cls, footprints.items[i].tech))
            out.push_back(i);
    return out;
}

Strips strips_of(const Footprints& footprints, ServiceClass cls) {
    Strips s;
    s.outer = outer_footprints(footprints, cls);
    std::sort(s.outer.begin(), s.outer.end(), [&](std::size_t a, std::size_t b) {
        const XY pa = footprints.items[a].centre, pb = footprints.items[b].centre;
        return pa.x != pb.x ? pa.x < pb.x : (pa.y != pb.y ? pa.y < pb.y : a < b);
    });
    // Strips of about 10,000 footprints however many there are: a strip's union holds its
    // footprints and GEOS's working copies at once, so the strips' size bounds the memory the
    // dissolve adds (at XL 8 and 15 strips, where four strips of 21,000 and 38,000 added about
    // 50 MiB more), and the union of the strips' outlines stays small.
    constexpr std::size_t kPerStrip = 10000;
    s.count = s.outer.empty() ? 0 : std::max<std::size_t>(s.outer.size() / kPerStrip, 1);
    s.merged.resize(s.count);
    return s;
}

// The union of strip k's footprints, drawn straight into GEOS's polygons.
void union_strip(const geos::Context& ctx, const Footprints& footprints, Strips& s, std::size_t k) {
    const std::size_t first = k * s.outer.size() / s.count;
    geos::Geom all = geos::make_multipolygon(
        ctx, (k + 1) * s.outer.size() / s.count - first,
        [&](std::size_t i) { return footprints.items[s.outer[first + i]].shape(); });
    geos::Geom u = geos::own(ctx, GEOSUnaryUnion_r(ctx.handle(), all.get()), "UnaryUnion");
    s.merged[k] = geos::to_multipolygon(ctx, u.get());
}

// The union of the strips' unions: it only meets what is left of each strip's outline.
MultiPolygon union_of_strips(const geos::Context& ctx, Strips& s) {
    if (s.count <= 1)
        return s.count == 0 ? MultiPolygon{} : std::move(s.merged.front());
    geos::Geom all;
    {
        MultiPolygon parts;
        for (auto& m : s.merged) {
            std::move(m.begin(), m.end(), std::back_inserter(parts));
            MultiPolygon().swap(m);
        }
        all = geos::make_multipolygon(ctx, parts);
    }
    geos::Geom u = geos::own(ctx, GEOSUnaryUnion_r(ctx.handle(), all.get()), "UnaryUnion");
    return geos::to_multipolygon(ctx, u.get());
}

// The union of the class's footprints from the pieces of their sides (convex_union()), when
// every one is convex; nullopt where some is not, where a site has a sector among several
// footprints, or where convex_union() declines. A footprint drawn twice (co-sited cells of the
// same range and shape) is taken once: their sides would run along each other.
std::optional<MultiPolygon> convex_dissolve(const Footprints& footprints, ServiceClass cls,
                                            int threads) {
    std::vector<std::size_t> kept = outer_footprints(footprints, cls);
    for (const std::size_t i : kept)
        if (!footprints.items[i].convex())
            return std::nullopt;
    const auto key = [&](std::size_t i) {
        const Footprint& f = footprints.items[i];
        return std::make_tuple(f.centre.x, f.centre.y, f.radius_m, f.quad_segs, f.sector,
                               f.sector ? f.azimuth_deg : 0.0, f.sector ? f.beamwidth_deg : 0.0);
    };
    std::stable_sort(kept.begin(), kept.end(),
                     [&](std::size_t a, std::size_t b) { return key(a) < key(b); });
    kept.erase(std::unique(kept.begin(), kept.end(),
                           [&](std::size_t a, std::size_t b) { return key(a) == key(b); }),
               kept.end());
    // A site's sectors meet at their apex (and the sides of adjacent ones lie along each
    // other), where convex_union() declines: GEOS at once, without the attempt.
    for (std::size_t k = 1; k < kept.size(); ++k) {
        const Footprint& a = footprints.items[kept[k - 1]];
        const Footprint& b = footprints.items[kept[k]];
        if ((a.sector || b.sector) && a.centre.x == b.centre.x && a.centre.y == b.centre.y)
            return std::nullopt;
    }
    std::vector<convex::Ring> rings(kept.size());
    parallel::for_ranges(kept.size(), threads,
                         [&](std::size_t, std::size_t begin, std::size_t end) {
                             for (std::size_t k = begin; k < end; ++k)
                                 rings[k] = convex::ring_of(footprints.items[kept[k]].shape());
                         });
    return coverage::convex_union(rings, threads);
}

// The dissolve of each of `classes`, on up to `threads` threads: from the pieces of the
// footprints' sides where convex_dissolve() can, else by GEOS: every such class's strips in
// one queue (taken in order by whichever worker is free, so a class's last strip does not wait
// alone), then each class's union of strips, the classes side by side. The strips depend on
// the data alone, so the result does not depend on the threads.
std::vector<MultiPolygon> dissolve(const Footprints& footprints,
                                   std::span<const ServiceClass> classes, int threads,
                                   const std::stop_token& stop) {
    std::vector<MultiPolygon> out(classes.size());
    std::vector<std::size_t> by_geos;
    for (std::size_t c = 0; c < classes.size(); ++c) {
        if (stop.stop_requested())
            throw Cancelled("coverage: cancelled");
        if (auto u = convex_dissolve(footprints, classes[c], threads))
            out[c] = std::move(*u);
        else
            by_geos.push_back(c);
    }
    std::vector<Strips> strips(classes.size());
    std::vector<std::pair<std::size_t, std::size_t>> tasks; // (class, strip)
    for (const std::size_t c : by_geos) {
        strips[c] = strips_of(footprints, classes[c]);
        for (std::size_t k = 0; k < strips[c].count; ++k)
            tasks.emplace_back(c, k);
    }
    std::atomic<std::size_t> next{0};
    const auto workers = std::min<std::size_t>(static_cast<std::size_t>(std::max(threads, 1)),
                                               std::max<std::size_t>(tasks.size(), 1));
    parallel::for_ranges(
        workers, static_cast<int>(workers), [&](std::size_t, std::size_t, std::size_t) {
            geos::Context ctx;
            for (std::size_t t = next++; t < tasks.size() && !stop.stop_requested(); t = next++)
                union_strip(ctx, footprints, strips[tasks[t].first], tasks[t].second);
        });
    if (stop.stop_requested())
        throw Cancelled("coverage: cancelled");
    parallel::for_ranges(by_geos.size(), threads,
                         [&](std::size_t, std::size_t begin, std::size_t end) {
                             geos::Context ctx;
                             for (std::size_t k = begin; k < end; ++k)
                                 out[by_geos[k]] = union_of_strips(ctx, strips[by_geos[k]]);
                         });
    return out;
}

} // namespace

MultiPolygon dissolve_coverage(const Footprints& footprints, ServiceClass cls, int threads) {
    return std::move(dissolve(footprints, std::span(&cls, 1), threads, {}).front());
}

PerClass<MultiPolygon> dissolve_coverage(const Footprints& footprints, int threads,
                                         std::stop_token stop) {
    std::vector<MultiPolygon> both = dissolve(footprints, kServiceClasses, threads, stop);
    PerClass<MultiPolygon> out;
    for (std::size_t c = 0; c < both.size(); ++c)
        out[index_of(kServiceClasses[c])] = std::move(both[c]);
    return out;
}

} // namespace whitezone
