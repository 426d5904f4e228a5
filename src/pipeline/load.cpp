// Loading: the files a config names → Inputs in memory, in the work CRS (read and prepare,
// then the rasters over the study area). The only part of the pipeline that reads files,
// besides the plan's extra layers.

#include "whitezone/coverage.hpp"
#include "whitezone/pipeline.hpp"
#include "whitezone/prepare.hpp"
#include "whitezone/read.hpp"
#include "whitezone/read/raster.hpp"

#include "common/text.hpp"
#include "pipeline/stage.hpp"

#include <algorithm>
#include <cmath>
#include <future>

namespace whitezone {

using pipeline::count;
using pipeline::stage;

double reach_m(const std::vector<Station>& stations, const Config& config, const Context& ctx) {
    const pipeline::StageOptions options = pipeline::stage_options(config, ctx);
    double reach = 0.0;
    for (const Footprint& f : model_footprints(stations, options.coverage).items)
        reach = std::max(reach, f.radius_m);
    return reach + std::max(0.0, config.overlay.village_radius_m);
}

namespace {

// Reads the DEM (over the study area and the reach of the widest footprint around it) and the
// population grid (over the study area) into the work CRS, when the config names them.
void read_rasters(const Config& config, Inputs& in, const Context& ctx) {
    const Extent study = pipeline::study_area_of(in.prepared, ctx.worker_threads());
    if (!config.dem.empty()) {
        // The widest footprint, as the coverage stage will draw it (the terrain mode traces
        // each station out to its footprint's radius).
        const double reach = stage(
            ctx, "coverage",
            [&] {
                double r = 0.0;
                for (const Footprint& f :
                     model_footprints(in.prepared.stations,
                                      pipeline::stage_options(config, ctx).coverage)
                         .items)
                    r = std::max(r, f.radius_m);
                return r;
            },
            [](const double& r) {
                return "widest footprint " + text::fixed(r, 0) + " m (the DEM's margin)";
            });
        const Extent around{study.minx - reach, study.miny - reach, study.maxx + reach,
                            study.maxy + reach};
        in.dem = stage(
            ctx, "read",
            [&] {
                return read_dem(config.dem, "dem", in.prepared.work_crs_wkt, around,
                                config.coverage.terrain.cell_m, ctx.worker_threads());
            },
            [](const Raster<float>& dem) {
                return "DEM of " + text::thousands(dem.grid.cols) + " x " +
                       text::thousands(dem.grid.rows) + " cells of " +
                       text::fixed(dem.grid.cell, 1) + " m";
            });
        long missing = 0, cells = 0;
        const GridSpec& g = in.dem->grid;
        for (int row = 0; row < g.rows; ++row)
            for (int col = 0; col < g.cols; ++col) {
                const XY p = g.centre(col, row);
                if (p.x < study.minx || p.x > study.maxx || p.y < study.miny || p.y > study.maxy)
                    continue;
                ++cells;
                missing += std::isnan(in.dem->at(col, row)) ? 1 : 0;
            }
        if (missing > 0)
            ctx.log.warning("read: the DEM has no data on " +
                            text::fixed(100.0 * static_cast<double>(missing) /
                                            static_cast<double>(std::max(cells, 1L)),
                                        1) +
                            " % of the study area; villages there count as without signal "
                            "(give a DEM that covers every village).");
    }
    if (!config.population.empty()) {
        in.population = stage(
            ctx, "read",
            [&] {
                return read_population(config.population, "population", in.prepared.work_crs_wkt,
                                       study);
            },
            [](const std::vector<PopulationCell>& cells) {
                double people = 0.0;
                for (const auto& c : cells)
                    people += c.people;
                return count(cells.size(), "populated cells") + " (" +
                       text::thousands(std::llround(people)) + " people)";
            });
        if (in.population.empty())
            ctx.log.warning("read: the population grid has no people in the study area; shares "
                            "stay shares of area (check that the grid covers the villages).");
    }
}

} // namespace

Inputs load_inputs(const Config& config, const Context& ctx) {
    const pipeline::StageOptions options = pipeline::stage_options(config, ctx);
    RawInputs raw = stage(
        ctx, "read",
        [&] {
            // The stations and the villages on two threads where the run has them, each GDAL
            // reading one layer through its own handle (docs/performance.md, "The two input
            // layers read at once"). When both fail, the stations' error is the one reported,
            // as on one thread.
            std::future<RawLayer> villages;
            if (options.threads > 1)
                villages = std::async(std::launch::async,
                                      [&] { return read_layer(config.villages, "villages"); });
            RawLayer stations = read_layer(config.stations, "stations");
            RawInputs in{std::move(stations),
                         villages.valid() ? villages.get()
                                          : read_layer(config.villages, "villages"),
                         std::nullopt, std::nullopt};
            if (config.settlements)
                in.settlements = read_layer(*config.settlements, "settlements");
            if (config.centres)
                in.centres = read_layer(*config.centres, "centres");
            return in;
        },
        [](const RawInputs& in) {
            return count(in.stations.features.size(), "stations") + ", " +
                   count(in.villages.features.size(), "villages");
        });

    Inputs in;
    in.prepared = stage(
        ctx, "prepare", [&] { return prepare_inputs(std::move(raw), options.prepare, ctx.log); },
        [](const PreparedInputs& p) {
            return count(p.site_count, "sites") + ", " + count(p.villages.size(), "villages") +
                   " in " + p.work_crs;
        });
    if (config.units) {
        // The administrative units of --units: each village goes to the unit holding its centre.
        RawLayer units_layer = stage(
            ctx, "read", [&] { return read_layer(*config.units, "units"); },
            [](const RawLayer& l) { return count(l.features.size(), "units"); });
        stage(
            ctx, "prepare",
            [&] {
                const std::vector<AdminUnit> units =
                    prepare_units(std::move(units_layer), config.prepare.unit_fields,
                                  in.prepared.work_crs, ctx.log);
                const std::size_t outside = assign_units(in.prepared.villages, units);
                // Units of another area (or in a wrong CRS) would leave every village outside
                // and every unit's row empty: a wrong file, not a finding.
                if (!units.empty() && !in.prepared.villages.empty() &&
                    outside == in.prepared.villages.size())
                    throw InputError(
                        "prepare: none of the " +
                        text::thousands(static_cast<long long>(in.prepared.villages.size())) +
                        " villages' centres lies in any of the " +
                        text::thousands(static_cast<long long>(units.size())) +
                        (units.size() == 1 ? " unit" : " units") + " of --units '" +
                        config.units->path +
                        "'; give the units of the villages' area (check its CRS, "
                        "\"units.crs\"), or leave --units out.");
                return std::pair{units.size(), outside};
            },
            [&](const std::pair<std::size_t, std::size_t>& n) {
                return count(in.prepared.villages.size() - n.second, "villages") + " in " +
                       count(n.first, "units") + ", " + count(n.second, "outside every unit");
            });
    }
    read_rasters(config, in, ctx);
    pipeline::check_inputs(in, config, ctx);
    return in;
}

PlanInputs load_plan_inputs(const Config& config, const std::string& work_crs, const Context& ctx) {
    PlanInputs out;
    if (config.planned) {
        RawLayer raw = stage(
            ctx, "read", [&] { return read_layer(*config.planned, "planned"); },
            [](const RawLayer& l) { return count(l.features.size(), "planned stations"); });
        // Read and prepared by the same code as --stations, into the work CRS already chosen,
        // with "planned.fields" over "stations.fields".
        out.planned = stage(
            ctx, "prepare",
            [&] {
                PrepareOptions prepare = pipeline::stage_options(config, ctx).prepare;
                for (const auto& [role, field] : config.planned_fields)
                    prepare.station_fields[role] = field;
                return prepare_more_stations(std::move(raw), prepare, work_crs, "planned", ctx.log);
            },
            [](const std::vector<Station>& s) { return count(s.size(), "planned stations"); });
    }
    if (config.candidates)
        out.candidates = stage(
            ctx, "read",
            [&] {
                RawLayer layer = read_layer(*config.candidates, "candidates");
                std::vector<PreparedPoint> points = prepare_points(layer, work_crs, "candidates");
                // prepare_points() keeps the features' order: the values go alongside.
                out.candidate_fields = layer.fields;
                for (RawFeature& f : layer.features)
                    out.candidate_values.push_back(f.values.values());
                return points;
            },
            [](const std::vector<PreparedPoint>& p) { return count(p.size(), "candidates"); });
    return out;
}

} // namespace whitezone
