#include "whitezone/overlay.hpp"

#include "whitezone/error.hpp"

#include "common/grid.hpp"
#include "common/parallel.hpp"
#include "common/polygon.hpp"
#include "geos/geos.hpp"
#include "overlay/exact.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <memory>
#include <numbers>
#include <numeric>
#include <optional>

namespace whitezone {

namespace {

using grid::Box;

Box box_of(const Footprint& f) { return Box::around(f.centre, f.radius_m); }

Box box_of(const MultiPolygon& mp) {
    const Extent e = polygon::extent_of(mp);
    return {e.minx, e.miny, e.maxx, e.maxy};
}

// Whether the drawn polygon of a convex footprint surely contains the whole village: every
// shell vertex within the polygon's apothem (and angle). Exact with respect to the drawn
// polygon, so shares agree with a polygon overlay such as PostGIS's.
bool surely_contains(const Footprint& f, const MultiPolygon& area, const Box& box) {
    if (!f.convex())
        return false;
    // A side of the area's box beyond that circle: the vertex on that side is too (by a
    // margin above rounding, else the vertices decide).
    const double r2 = f.inner_radius_m * f.inner_radius_m * (1.0 + 1e-12);
    const double cx = std::clamp(f.centre.x, box.minx, box.maxx) - f.centre.x;
    const double cy = std::clamp(f.centre.y, box.miny, box.maxy) - f.centre.y;
    for (const double x : {box.minx - f.centre.x, box.maxx - f.centre.x})
        if (x * x + cy * cy > r2)
            return false;
    for (const double y : {box.miny - f.centre.y, box.maxy - f.centre.y})
        if (cx * cx + y * y > r2)
            return false;
    // The area's box within that circle (and wedge: the two are convex) holds every vertex.
    if (f.covers_within({box.minx, box.miny}, f.inner_radius_m) &&
        f.covers_within({box.maxx, box.miny}, f.inner_radius_m) &&
        f.covers_within({box.minx, box.maxy}, f.inner_radius_m) &&
        f.covers_within({box.maxx, box.maxy}, f.inner_radius_m))
        return true;
    for (const auto& poly : area)
        for (const XY& p : poly.rings.front())
            if (!f.covers_within(p, f.inner_radius_m))
                return false;
    return true;
}

// One worker's GEOS state: its own context and the footprints' GEOS polygons, built on
// first use (a worker only meets the footprints near its villages).
class Worker {
  public:
    explicit Worker(const Footprints& footprints)
        : m_footprints(footprints), m_geoms(footprints.items.size()) {}

    const geos::Context& ctx() const { return m_ctx; }

    const GEOSGeometry* geom(std::size_t i) {
        if (!m_geoms[i])
            m_geoms[i] = geos::make_polygon(m_ctx, m_footprints.items[i].shape());
        return m_geoms[i].get();
    }

    // Footprint i's polygon for overlay::area_outside(), drawn on first use; valid until
    // the next trim_rings().
    const convex::Ring* ring(std::size_t i) {
        if (m_rings.empty())
            m_rings.resize(m_footprints.items.size());
        if (!m_rings[i]) {
            m_rings[i] =
                std::make_unique<convex::Ring>(convex::ring_of(m_footprints.items[i].shape()));
            m_drawn.push_back(i);
        }
        return m_rings[i].get();
    }

    // Between villages: drops every ring drawn once more than kRings are kept, so that a
    // national run (XL at quad_segs 16: about 1 KiB a ring) does not keep every ring a
    // worker met; the villages come in grid order, so those dropped are mostly far behind.
    void trim_rings() {
        constexpr std::size_t kRings = 5000;
        if (m_drawn.size() < kRings)
            return;
        for (std::size_t i : m_drawn)
            m_rings[i].reset();
        m_drawn.clear();
    }

  private:
    geos::Context m_ctx;
    const Footprints& m_footprints;
    std::vector<geos::Geom> m_geoms;
    std::vector<std::unique_ptr<convex::Ring>> m_rings;
    std::vector<std::size_t> m_drawn; // the indices of the rings kept
};

// Cuts the footprints `mine` (whose boxes meet the village's box `b`) out of `rest`, each
// clipped to the box first; stops as soon as nothing is left. Clears `untouched` when a cut
// reaches the village.
void cut_out(Worker& w, geos::Geom& rest, const Box& b, const std::vector<std::size_t>& mine,
             bool& untouched) {
    const geos::Context& ctx = w.ctx();
    for (std::size_t i : mine) {
        if (geos::check(ctx, GEOSisEmpty_r(ctx.handle(), rest.get()), "isEmpty"))
            return;
        geos::Geom clipped = geos::own(
            ctx, GEOSClipByRect_r(ctx.handle(), w.geom(i), b.minx, b.miny, b.maxx, b.maxy),
            "ClipByRect");
        if (geos::check(ctx, GEOSisEmpty_r(ctx.handle(), clipped.get()), "isEmpty") ||
            !geos::check(ctx, GEOSIntersects_r(ctx.handle(), rest.get(), clipped.get()),
                         "Intersects"))
            continue;
        untouched = false;
        rest =
            geos::own(ctx, GEOSDifference_r(ctx.handle(), rest.get(), clipped.get()), "Difference");
    }
}

// The share covered when `left` of the village's area_m2 lies outside its footprints:
// exactly 0 when no footprint reached it (the area left, summed another way than area_m2,
// may differ from it in the last bits).
double share_left(const overlay::Outside& left, double area_m2) {
    return left.untouched ? 0.0 : std::clamp(1.0 - left.area / area_m2, 0.0, 1.0);
}

// A small disk around a point village, drawn like a footprint.
MultiPolygon village_disk(XY c, double radius) {
    constexpr int kSegments = 64;
    Ring ring;
    for (int i = 0; i < kSegments; ++i) {
        const double a = 2.0 * std::numbers::pi * i / kSegments;
        ring.push_back({c.x + radius * std::cos(a), c.y + radius * std::sin(a)});
    }
    ring.push_back(ring.front());
    return {Polygon{{std::move(ring)}}};
}

struct Shared {
    const PreparedInputs& inputs;
    const Footprints& footprints;
    const OverlayOptions& options;
    const grid::GridIndex& index;
    const std::vector<std::vector<std::size_t>>& clusters;
};

// Signal at a point, per class, from one grid query.
PerClass<bool> signal_at(const Shared& s, XY p, std::vector<std::size_t>& near) {
    PerClass<bool> out{};
    s.index.query(Box::around(p, 0.0), near);
    for (std::size_t i : near) {
        const Footprint& f = s.footprints.items[i];
        if (!out[index_of(ServiceClass::Broadband)] || !out[index_of(ServiceClass::Any)])
            if (f.covers(p))
                for (ServiceClass cls : kServiceClasses)
                    out[index_of(cls)] = out[index_of(cls)] || serves(cls, f.tech);
    }
    return out;
}

bool is_outer(const Footprints& f, ServiceClass cls, std::size_t i) {
    const auto& flags = f.outer[index_of(cls)];
    return flags.size() != f.items.size() || flags[i] != 0;
}

void overlay_range(const Shared& s, const std::vector<std::size_t>& order, std::size_t begin,
                   std::size_t end, Overlay& out, std::atomic<std::size_t>& done) {
    Worker w(s.footprints);
    const geos::Context& ctx = w.ctx();
    std::vector<std::size_t> near, candidates;
    for (std::size_t k = begin; k < end; ++k) {
        w.trim_rings();
        const std::size_t v = order[k];
        const Village& village = s.inputs.villages[v];
        const MultiPolygon* shape = &village.area;
        MultiPolygon disk;
        double area_m2 = village.area_m2;
        if (village.is_point() && s.options.village_radius_m > 0.0) {
            disk = village_disk(village.centre, s.options.village_radius_m);
            shape = &disk;
        }
        Box b{};
        if (!shape->empty()) {
            b = box_of(*shape);
            s.index.query_intersecting(
                b, candidates, [&](std::size_t i) { return box_of(s.footprints.items[i]); });
            if (shape == &disk)
                area_m2 = geos::area(ctx, geos::make_multipolygon(ctx, disk).get());
        }
        VillageOverlay& any = out.villages[index_of(ServiceClass::Any)][v];
        VillageOverlay& broadband = out.villages[index_of(ServiceClass::Broadband)][v];
        const PerClass<bool> centre = signal_at(s, village.centre, near);
        any.centre = centre[index_of(ServiceClass::Any)];
        broadband.centre = centre[index_of(ServiceClass::Broadband)];
        if (!shape->empty() && area_m2 > 0.0) {
            // Broadband first; "any" adds only the 2G-only footprints to what broadband
            // left (its union is the broadband union plus theirs), so nothing is cut twice.
            bool inside_bb = false, inside_any = false;
            std::vector<std::size_t> mine_bb, mine_2g;
            for (std::size_t i : candidates) {
                const Footprint& f = s.footprints.items[i];
                const bool bb = serves(ServiceClass::Broadband, f.tech);
                if (surely_contains(f, *shape, b)) {
                    inside_any = true; // inside one footprint: no overlay needed
                    inside_bb = inside_bb || bb;
                } else if (bb && is_outer(s.footprints, ServiceClass::Broadband, i)) {
                    mine_bb.push_back(i); // only outer footprints change a union
                } else if (!bb && is_outer(s.footprints, ServiceClass::Any, i)) {
                    mine_2g.push_back(i);
                }
            }
            // The area left outside the footprints, exactly from the boundary pieces
            // (overlay/exact.hpp); GEOS's differences where a footprint is not convex or edges
            // lie along each other.
            std::vector<const convex::Ring*> cuts;
            auto add_cuts = [&](const std::vector<std::size_t>& mine) {
                for (std::size_t i : mine) {
                    if (!s.footprints.items[i].convex())
                        return false;
                    cuts.push_back(w.ring(i));
                }
                return true;
            };
            std::optional<overlay::Outside> left_bb, left_any;
            if (add_cuts(mine_bb)) {
                left_bb = inside_bb ? overlay::Outside{} : overlay::area_outside(*shape, cuts);
                if (left_bb && add_cuts(mine_2g))
                    left_any =
                        inside_any ? overlay::Outside{} : overlay::area_outside(*shape, cuts);
            }
            if (left_bb && left_any) {
                broadband.share = inside_bb ? 1.0 : share_left(*left_bb, area_m2);
                any.share = inside_any ? 1.0 : share_left(*left_any, area_m2);
            } else {
                geos::Geom rest = geos::make_multipolygon(ctx, *shape);
                bool untouched = true;
                auto left = [&] {
                    return overlay::Outside{geos::area(ctx, rest.get()), untouched};
                };
                if (!inside_bb)
                    cut_out(w, rest, b, mine_bb, untouched);
                broadband.share = inside_bb ? 1.0 : share_left(left(), area_m2);
                if (!inside_any && !inside_bb)
                    cut_out(w, rest, b, mine_2g, untouched);
                any.share = inside_any ? 1.0 : share_left(left(), area_m2);
            }
        } else {
            any.share = any.centre ? 1.0 : 0.0;
            broadband.share = broadband.centre ? 1.0 : 0.0;
        }
        for (std::size_t c : s.clusters[v]) {
            const Settlement& cluster = (*s.inputs.settlements)[c];
            const PerClass<bool> signal = signal_at(s, cluster.xy, near);
            for (ServiceClass cls : kServiceClasses)
                count_cluster(out.villages[index_of(cls)][v], cluster, signal[index_of(cls)]);
        }
        ++done;
    }
}

} // namespace

Overlay overlay_villages(const PreparedInputs& inputs, const Footprints& footprints,
                         const OverlayOptions& options, const Log& log) {
    const std::size_t n = inputs.villages.size();
    Overlay out;
    for (auto& per_class : out.villages)
        per_class.assign(n, VillageOverlay{});

    std::vector<std::vector<std::size_t>> clusters(n);
    if (inputs.settlements)
        for (std::size_t s = 0; s < inputs.settlements->size(); ++s)
            if (long v = (*inputs.settlements)[s].village; v >= 0)
                clusters[static_cast<std::size_t>(v)].push_back(s);

    // The footprints in a hash grid with cells about a footprint's size: each village meets
    // only the footprints in the cells under its box, never all of them.
    double typical = 0.0;
    for (const auto& f : footprints.items)
        typical = std::max(typical, f.radius_m);
    grid::GridIndex index(std::clamp(typical, 500.0, 10000.0));
    for (std::size_t i = 0; i < footprints.items.size(); ++i)
        index.insert(box_of(footprints.items[i]), i);
    const Shared shared{inputs, footprints, options, index, clusters};

    // Villages in spatial order (by grid cell of their centre), so that each worker's range
    // is compact and meets the same footprints again and again (their GEOS polygons are
    // built once per worker, and stay in the caches). Results go to each village's own slot.
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    const double cell = std::clamp(typical, 500.0, 10000.0);
    auto cell_of = [&](std::size_t v) {
        const XY c = inputs.villages[v].centre;
        return std::pair{std::floor(c.y / cell), std::floor(c.x / cell)};
    };
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        const auto ca = cell_of(a), cb = cell_of(b);
        return ca != cb ? ca < cb : a < b;
    });

    // Small batches are not worth a thread: at least 64 villages per worker.
    const int threads = static_cast<int>(std::min<std::size_t>(
        static_cast<std::size_t>(std::max(options.threads, 1)), std::max<std::size_t>(n / 64, 1)));
    std::atomic<std::size_t> done{0};
    parallel::for_ranges(
        n, threads,
        [&](std::size_t, std::size_t begin, std::size_t end) {
            overlay_range(shared, order, begin, end, out, done);
        },
        log.progress ? std::function<void()>([&] {
            log.advance("overlay", static_cast<double>(done.load()) / static_cast<double>(n));
        })
                     : std::function<void()>());
    log.advance("overlay", 1.0);
    return out;
}

} // namespace whitezone
