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

Extent study_area_of(const PreparedInputs& inputs, int threads) {
    const auto add = [](Extent& e, const Extent& x) {
        e = {std::min(e.minx, x.minx), std::min(e.miny, x.miny), std::max(e.maxx, x.maxx),
             std::max(e.maxy, x.maxy)};
    };
    // Each worker's extent of its villages, then theirs together (minima and maxima: the same
    // for any number of workers).
    const Extent none{1e300, 1e300, -1e300, -1e300};
    std::vector<Extent> parts(static_cast<std::size_t>(std::max(threads, 1)), none);
    parallel::for_ranges(
        inputs.villages.size(), threads,
        [&](std::size_t worker, std::size_t begin, std::size_t end) {
            for (std::size_t i = begin; i < end; ++i) {
                const Village& v = inputs.villages[i];
                add(parts[worker], {v.centre.x, v.centre.y, v.centre.x, v.centre.y});
                add(parts[worker], polygon::extent_of(v.area));
            }
        });
    Extent e = none;
    for (const Extent& part : parts)
        add(e, part);
    return e;
}

Surroundings surroundings_of(const AnalysisResult& analysis) {
    return {analysis.dem ? &*analysis.dem : nullptr,
            analysis.population.empty() ? nullptr : &analysis.population, analysis.study_area};
}

namespace {

// What the ITM model computed (-v): its evaluations and, with the coarser sampling far out,
// the cells the rounds left out (served by other stations already), how many were interpolated
// and how many were computed in full because a check refined their segment, by check
// (docs/itm.md, "Speed").
std::string itm_work_line(const ItmRasterStats& s, bool coarse) {
    std::string line = "coverage: " + count(s.evaluations, "ITM evaluations");
    if (!coarse)
        return line;
    const std::size_t refined = s.refined_visibility + s.refined_clearance + s.refined_margin;
    return line + "; " + count(s.left_out, "cells") +
           " left out as other stations serve them already, far out " +
           count(s.interpolated, "cells") + " interpolated between anchors, " +
           count(refined, "cells") + " computed in full (the antenna's visibility changes: " +
           text::thousands(static_cast<long long>(s.refined_visibility)) +
           ", a shadowed receiver off the clearance line: " +
           text::thousands(static_cast<long long>(s.refined_clearance)) +
           ", near the decision band: " +
           text::thousands(static_cast<long long>(s.refined_margin)) + ")" +
           (s.across > 0 ? "; " + count(s.across, "anchors") + " shared from the rays beside"
                         : std::string());
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
    // The stations serving each village centre's cell, for the operators: not for a terrain
    // run that starts from a carried raster, whose footprints are the added stations' only.
    std::vector<XY> centres;
    const bool from_carried = carried && *carried;
    if (surroundings.dem && (itm || !from_carried)) {
        centres.reserve(inputs.villages.size());
        for (const Village& v : inputs.villages)
            centres.push_back(v.centre);
    }
    if (surroundings.dem) {
        // The terrain mode traces line of sight; ITM computes received power (and keeps it).
        const char* what = itm ? "ITM received power" : "terrain line of sight";
        raster = stage(
            ctx, "coverage",
            [&] {
                TerrainStats stats;
                const CoverageRaster* start = from_carried ? &**carried : nullptr;
                CoverageRaster r;
                if (itm) {
                    ItmCoverage c = model_itm_coverage(stations, out.footprints, *surroundings.dem,
                                                       coverage_options, &stats, start, centres);
                    log.say(itm_work_line(stats.itm, coverage_options.itm.far_from_m > 0.0 &&
                                                         coverage_options.itm.far_step > 1));
                    out.signal = std::move(c.signal);
                    out.centre_servers = std::move(c.probe_servers);
                    r = std::move(c.raster);
                } else {
                    r = model_terrain_coverage(stations, out.footprints, *surroundings.dem,
                                               coverage_options, &stats, start);
                }
                for (std::size_t i : stats.without_ground)
                    out.footprints.items[i].no_ground = true;
                if (!stats.without_ground.empty())
                    log.warning("coverage: " + count(stats.without_ground.size(), "stations") +
                                " stand where the DEM has no data; they give no signal in the " +
                                (itm ? "ITM model" : "terrain mode") +
                                " and are flagged terrain_flag = no_dem in the stations layer "
                                "(give a DEM that covers them).");
                return r;
            },
            [&](const CoverageRaster& r) {
                return std::string(what) + " on " +
                       text::thousands(static_cast<long long>(r.grid.size())) + " cells of " +
                       text::fixed(r.grid.cell, 1) + " m" +
                       (itm ? " (location " + text::fixed(coverage_options.itm.location_pct, 0) +
                                  " %, time " + text::fixed(coverage_options.itm.time_pct, 0) +
                                  " %)"
                            : std::string()) +
                       suffix;
            });
    }

    if (raster && !itm && !centres.empty())
        out.centre_servers = stage(
            ctx, "coverage",
            [&] {
                return terrain_servers(stations, out.footprints, *surroundings.dem,
                                       coverage_options, centres);
            },
            [&](const ProbeServers&) {
                return "stations serving " + count(centres.size(), "village centres") + suffix;
            });
    if (carried && raster)
        *carried = *raster;

    // From here on the representation decides: footprints or covered cells.
    const std::unique_ptr<CoverageView> view =
        raster ? raster_coverage(*raster) : footprint_coverage(out.footprints);
    if (polygons)
        out.coverage = stage(
            ctx, "coverage", [&] { return view->shapes(surroundings.study, threads); },
            [&](const PerClass<MultiPolygon>&) {
                return std::string(view->shapes_method()) + suffix;
            });

    out.overlay = stage(
        ctx, "overlay",
        [&] {
            Overlay o = view->overlay(inputs, overlay, log);
            if (surroundings.population)
                apply_population(o, inputs, *surroundings.population, view->signal(), overlay);
            return o;
        },
        [&](const Overlay& o) {
            return count(o.villages[0].size(), "villages") +
                   (surroundings.population ? std::string(", weighted by population") : "") +
                   suffix;
        });
    if (!polygons)
        out.raster = std::move(raster); // `view` is not used again
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
