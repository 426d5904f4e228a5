// The coverage and overlay of one network, in the disk / Hata model or the terrain mode,
// weighted by the population grid: shared by analyze, the what-if and the trend.

#include "whitezone/classify.hpp"
#include "whitezone/coverage.hpp"
#include "whitezone/overlay.hpp"

#include "common/parallel.hpp"
#include "common/polygon.hpp"
#include "pipeline/stage.hpp"

#include <algorithm>
#include <cmath>

namespace whitezone::pipeline {

StageOptions stage_options(const Config& config, const Context& ctx) {
    StageOptions o{config.prepare, config.coverage, config.overlay, ctx.worker_threads()};
    o.prepare.threads = o.coverage.threads = o.overlay.threads = o.threads;
    o.prepare.use_station_range = config.coverage.use_station_range;
    return o;
}

Extent study_area_of(const PreparedInputs& inputs) {
    Extent e{1e300, 1e300, -1e300, -1e300};
    auto add = [&](const Extent& x) {
        e = {std::min(e.minx, x.minx), std::min(e.miny, x.miny), std::max(e.maxx, x.maxx),
             std::max(e.maxy, x.maxy)};
    };
    for (const Village& v : inputs.villages) {
        add({v.centre.x, v.centre.y, v.centre.x, v.centre.y});
        add(polygon::extent_of(v.area));
    }
    return e;
}

Surroundings surroundings_of(const AnalysisResult& analysis) {
    return {analysis.dem ? &*analysis.dem : nullptr,
            analysis.population.empty() ? nullptr : &analysis.population, analysis.study_area};
}

namespace {

// The part of `grid` that covers the study area, in whole cells.
GridSpec window_of(const GridSpec& grid, const Extent& study) {
    const int c0 = std::max(0, static_cast<int>(std::floor((study.minx - grid.x0) / grid.cell)));
    const int r0 = std::max(0, static_cast<int>(std::floor((grid.y0 - study.maxy) / grid.cell)));
    const int c1 =
        std::min(grid.cols, static_cast<int>(std::ceil((study.maxx - grid.x0) / grid.cell)));
    const int r1 =
        std::min(grid.rows, static_cast<int>(std::ceil((grid.y0 - study.miny) / grid.cell)));
    return {grid.x0 + c0 * grid.cell, grid.y0 - r0 * grid.cell, grid.cell, std::max(0, c1 - c0),
            std::max(0, r1 - r0)};
}

} // namespace

Network model_network(const Config& config, const PreparedInputs& inputs,
                      const std::vector<Station>& stations, Footprints footprints,
                      const Surroundings& surroundings, bool polygons, const Context& ctx,
                      std::string_view label, std::optional<CoverageRaster>* carried) {
    const StageOptions options = stage_options(config, ctx);
    const int threads = options.threads;
    const OverlayOptions& overlay = options.overlay;
    const Log& log = ctx.log;
    const std::string suffix(label);
    Network out;
    out.footprints = std::move(footprints);

    std::optional<CoverageRaster> raster;
    const CoverageOptions& coverage_options = options.coverage;
    const bool itm = link_model(coverage_options.model).needs_dem();
    if (itm && !surroundings.dem)
        throw UsageError("coverage: \"coverage_model\": \"" + coverage_options.model.name() +
                         "\" computes received power over the terrain and needs a DEM; pass "
                         "--dem FILE (or set \"dem\" in the config), or choose \"disk\" or "
                         "\"hata\".");
    if (itm) {
        raster = stage(
            ctx, "coverage",
            [&] {
                TerrainStats stats;
                const CoverageRaster* start = carried && *carried ? &**carried : nullptr;
                ItmCoverage r = model_itm_coverage(stations, out.footprints, *surroundings.dem,
                                                   coverage_options, &stats, start);
                for (std::size_t i : stats.without_ground)
                    out.footprints.items[i].no_ground = true;
                if (!stats.without_ground.empty())
                    log.warning("coverage: " + count(stats.without_ground.size(), "stations") +
                                " stand where the DEM has no data; they give no signal in the "
                                "ITM model and are flagged terrain_flag = no_dem in the "
                                "stations layer (give a DEM that covers them).");
                out.signal = std::move(r.signal);
                return std::move(r.raster);
            },
            [&](const CoverageRaster& r) {
                return "ITM received power on " +
                       text::thousands(static_cast<long long>(r.grid.size())) + " cells of " +
                       text::fixed(r.grid.cell, 1) + " m (location " +
                       text::fixed(coverage_options.itm.location_pct, 0) + " %, time " +
                       text::fixed(coverage_options.itm.time_pct, 0) + " %)" + suffix;
            });
    } else if (surroundings.dem) {
        const CoverageOptions& coverage = options.coverage;
        raster = stage(
            ctx, "coverage",
            [&] {
                TerrainStats stats;
                const CoverageRaster* start = carried && *carried ? &**carried : nullptr;
                CoverageRaster r = model_terrain_coverage(
                    stations, out.footprints, *surroundings.dem, coverage, &stats, start);
                for (std::size_t i : stats.without_ground)
                    out.footprints.items[i].no_ground = true;
                if (!stats.without_ground.empty())
                    log.warning("coverage: " + count(stats.without_ground.size(), "stations") +
                                " stand where the DEM has no data; they give no signal in the "
                                "terrain mode and are flagged terrain_flag = no_dem in the "
                                "stations layer (give a DEM that covers them).");
                return r;
            },
            [&](const CoverageRaster& r) {
                return "terrain line of sight on " +
                       text::thousands(static_cast<long long>(r.grid.size())) + " cells of " +
                       text::fixed(r.grid.cell, 1) + " m" + suffix;
            });
    }

    if (carried && raster)
        *carried = *raster;

    if (polygons)
        out.coverage = stage(
            ctx, "coverage",
            [&] {
                PerClass<MultiPolygon> shapes;
                if (!raster) {
                    for (ServiceClass cls : kServiceClasses)
                        shapes[index_of(cls)] = dissolve_coverage(out.footprints, cls, threads);
                    return shapes;
                }
                // One class per thread: polygonizing is GDAL's, one-threaded per raster.
                const GridSpec window = window_of(raster->grid, surroundings.study);
                parallel::for_ranges(kServiceClasses.size(), threads,
                                     [&](std::size_t, std::size_t begin, std::size_t end) {
                                         for (std::size_t k = begin; k < end; ++k)
                                             shapes[k] = polygonize_coverage(
                                                 *raster, kServiceClasses[k], window);
                                     });
                return shapes;
            },
            [&](const PerClass<MultiPolygon>&) {
                return std::string(raster ? "polygonized per class" : "dissolved per class") +
                       suffix;
            });

    out.overlay = stage(
        ctx, "overlay",
        [&] {
            Overlay o = raster ? overlay_villages_raster(inputs, *raster, overlay)
                               : overlay_villages(inputs, out.footprints, overlay, log);
            if (surroundings.population) {
                const SignalAt signal = raster ? SignalAt([&r = *raster](ServiceClass cls, XY p) {
                    return r.covers(cls, p);
                })
                                               : signal_from_footprints(out.footprints);
                apply_population(o, inputs, *surroundings.population, signal, overlay);
            }
            return o;
        },
        [&](const Overlay& o) {
            return count(o.villages[0].size(), "villages") +
                   (surroundings.population ? std::string(", weighted by population") : "") +
                   suffix;
        });
    return out;
}

} // namespace whitezone::pipeline

namespace whitezone {

NetworkRun classify_network(const AnalysisResult& analysis, const std::vector<Station>& stations,
                            const Config& config, const Context& ctx, std::string_view label) {
    using pipeline::count;
    using pipeline::stage;
    const std::string suffix(label);
    Footprints footprints = stage(
        ctx, "coverage",
        [&] { return model_coverage(stations, pipeline::stage_options(config, ctx).coverage); },
        [&](const Footprints& f) { return count(f.items.size(), "footprints") + suffix; });
    pipeline::Network network = pipeline::model_network(
        config, analysis.inputs, stations, std::move(footprints),
        pipeline::surroundings_of(analysis), /*polygons=*/false, ctx, label);
    NetworkRun out;
    out.footprints = std::move(network.footprints);
    out.overlay = std::move(network.overlay);
    out.classification = stage(
        ctx, "classify",
        [&] { return classify_villages(analysis.inputs, out.overlay, config.classify); },
        [&](const Classification& c) { return count(c.villages[0].size(), "villages") + suffix; });
    return out;
}

} // namespace whitezone
