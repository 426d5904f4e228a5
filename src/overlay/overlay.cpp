#include "whitezone/overlay.hpp"

#include "whitezone/error.hpp"

#include "geos/geos.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <mutex>
#include <numbers>
#include <thread>

namespace whitezone {

namespace {

// One worker's view of the footprints: its own GEOS context, the footprints as GEOS
// polygons, an STRtree over them, and prepared geometries built on first use.
class FootprintIndex {
  public:
    FootprintIndex(const geos::Context& ctx, const Footprints& footprints)
        : m_ctx(ctx), m_footprints(footprints), m_tree(ctx) {
        m_geoms.reserve(footprints.items.size());
        for (const auto& f : footprints.items)
            m_geoms.push_back(geos::make_polygon(ctx, f.shape));
        m_prepared.resize(m_geoms.size());
        for (std::size_t i = 0; i < m_geoms.size(); ++i)
            m_tree.insert(m_geoms[i].get(), i);
    }

    [[nodiscard]] std::vector<std::size_t> near(const GEOSGeometry* g) const {
        return m_tree.query(g);
    }

    [[nodiscard]] const GEOSGeometry* geom(std::size_t i) const { return m_geoms[i].get(); }

    const GEOSPreparedGeometry* prepared(std::size_t i) {
        if (!m_prepared[i])
            m_prepared[i] = geos::prepare(m_ctx, m_geoms[i].get());
        return m_prepared[i].get();
    }

    [[nodiscard]] const Footprint& footprint(std::size_t i) const {
        return m_footprints.items[i];
    }

  private:
    const geos::Context& m_ctx;
    const Footprints& m_footprints;
    std::vector<geos::Geom> m_geoms;
    std::vector<geos::Prepared> m_prepared;
    geos::StrTree m_tree;
};

bool point_has_signal(const FootprintIndex& index, const geos::Context& ctx, XY p,
                      ServiceClass cls) {
    geos::Geom g = geos::make_point(ctx, p);
    for (std::size_t i : index.near(g.get())) {
        const Footprint& f = index.footprint(i);
        if (serves(cls, f.tech) && f.covers(p))
            return true;
    }
    return false;
}

// Covered share of `area` by the union of the candidate footprints of one class. Each
// candidate is clipped to the village's bounding box before the union, so the union's cost
// depends on the village's size, not on the footprints'.
double covered_share(FootprintIndex& index, const geos::Context& ctx, const GEOSGeometry* area,
                     double area_m2, const std::vector<std::size_t>& candidates,
                     ServiceClass cls) {
    if (area_m2 <= 0.0)
        return 0.0;
    std::vector<std::size_t> mine;
    for (std::size_t i : candidates)
        if (serves(cls, index.footprint(i).tech))
            mine.push_back(i);
    if (mine.empty())
        return 0.0;
    for (std::size_t i : mine)
        if (geos::check(ctx, GEOSPreparedCovers_r(ctx.handle(), index.prepared(i), area),
                        "PreparedCovers"))
            return 1.0;

    const auto b = geos::bounds(ctx, area);
    std::vector<GEOSGeometry*> clipped;
    clipped.reserve(mine.size());
    try {
        for (std::size_t i : mine) {
            GEOSGeometry* c =
                GEOSClipByRect_r(ctx.handle(), index.geom(i), b[0], b[1], b[2], b[3]);
            if (!c)
                ctx.fail("ClipByRect");
            clipped.push_back(c);
        }
    } catch (...) {
        for (auto* g : clipped)
            GEOSGeom_destroy_r(ctx.handle(), g);
        throw;
    }
    // The collection takes ownership of the clipped parts.
    geos::Geom collection = geos::own(
        ctx,
        GEOSGeom_createCollection_r(ctx.handle(), GEOS_GEOMETRYCOLLECTION, clipped.data(),
                                    static_cast<unsigned>(clipped.size())),
        "createCollection");
    geos::Geom merged =
        geos::own(ctx, GEOSUnaryUnion_r(ctx.handle(), collection.get()), "UnaryUnion");
    geos::Geom inside =
        geos::own(ctx, GEOSIntersection_r(ctx.handle(), merged.get(), area), "Intersection");
    return std::clamp(geos::area(ctx, inside.get()) / area_m2, 0.0, 1.0);
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

void overlay_range(const PreparedInputs& inputs, const Footprints& footprints,
                   const OverlayOptions& options,
                   const std::vector<std::vector<std::size_t>>& clusters, std::size_t begin,
                   std::size_t end, Overlay& out, std::atomic<std::size_t>& done) {
    geos::Context ctx;
    FootprintIndex index(ctx, footprints);
    for (std::size_t v = begin; v < end; ++v) {
        const Village& village = inputs.villages[v];
        const MultiPolygon* shape = &village.area;
        MultiPolygon disk;
        double area_m2 = village.area_m2;
        if (village.is_point() && options.village_radius_m > 0.0) {
            disk = village_disk(village.centre, options.village_radius_m);
            shape = &disk;
            area_m2 = std::numbers::pi * options.village_radius_m * options.village_radius_m;
        }
        geos::Geom area;
        std::vector<std::size_t> candidates;
        if (!shape->empty()) {
            area = geos::make_multipolygon(ctx, *shape);
            candidates = index.near(area.get());
            if (village.is_point())
                area_m2 = geos::area(ctx, area.get());
        }
        for (ServiceClass cls : kServiceClasses) {
            VillageOverlay& o = out.villages[index_of(cls)][v];
            o.centre = point_has_signal(index, ctx, village.centre, cls);
            if (area)
                o.share = covered_share(index, ctx, area.get(), area_m2, candidates, cls);
            else
                o.share = o.centre ? 1.0 : 0.0;
            for (std::size_t s : clusters[v]) {
                ++o.clusters;
                if (!point_has_signal(index, ctx, (*inputs.settlements)[s].xy, cls))
                    ++o.clusters_without;
            }
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

    // Villages are split into contiguous ranges, one per worker; each writes only its own
    // slots, so the result does not depend on the thread count.
    const std::size_t threads =
        std::clamp<std::size_t>(static_cast<std::size_t>(std::max(options.threads, 1)), 1,
                                std::max<std::size_t>(n / 64, 1));
    std::atomic<std::size_t> done{0};
    std::atomic<bool> failed{false};
    std::vector<std::exception_ptr> errors(threads);
    std::vector<std::thread> workers;
    const std::size_t chunk = (n + threads - 1) / threads;
    for (std::size_t t = 0; t < threads; ++t) {
        const std::size_t begin = std::min(n, t * chunk), end = std::min(n, begin + chunk);
        workers.emplace_back([&, t, begin, end] {
            try {
                overlay_range(inputs, footprints, options, clusters, begin, end, out, done);
            } catch (...) {
                errors[t] = std::current_exception();
                failed = true;
            }
        });
    }
    if (log.progress) {
        while (done.load() < n && !failed.load()) {
            log.advance("overlay", static_cast<double>(done.load()) / static_cast<double>(n));
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    }
    for (auto& w : workers)
        w.join();
    for (auto& e : errors)
        if (e)
            std::rethrow_exception(e);
    log.advance("overlay", 1.0);
    return out;
}

} // namespace whitezone
