// The pipeline: one call per stage, in the order of DESIGN.md, each timed and logged.

#include "whitezone/classify.hpp"
#include "whitezone/coverage.hpp"
#include "whitezone/error.hpp"
#include "whitezone/overlay.hpp"
#include "whitezone/pipeline.hpp"
#include "whitezone/plan.hpp"
#include "whitezone/prepare.hpp"
#include "whitezone/rank.hpp"
#include "whitezone/read.hpp"
#include "whitezone/read/raster.hpp"
#include "whitezone/report.hpp"

#include "common/polygon.hpp"
#include "common/text.hpp"
#include "pipeline/stage.hpp"

#include <algorithm>
#include <chrono>
#include <iterator>
#include <thread>

namespace whitezone {

using pipeline::count;
using pipeline::model_network;
using pipeline::Network;
using pipeline::stage;
using pipeline::surroundings_of;
using pipeline::worker_threads;

AnalysisResult run_analysis(const Config& config, const Log& log) {
    return pipeline::run_analysis(config, log, {});
}

namespace {

// The villages' extent: every polygon and centre.
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

// Reads the DEM (over the study area and the reach of the widest footprint around it) and the
// population grid (over the study area) into the work CRS, when the config names them.
void read_rasters(const Config& config, AnalysisResult& r, const Log& log) {
    const Extent& study = r.study_area;
    if (!config.dem.empty()) {
        double reach = 0.0;
        for (const Footprint& f : r.footprints.items)
            reach = std::max(reach, f.radius_m);
        const Extent around{study.minx - reach, study.miny - reach, study.maxx + reach,
                            study.maxy + reach};
        r.dem = stage(
            log, "read",
            [&] {
                return read_dem(config.dem, "dem", r.inputs.work_crs_wkt, around,
                                config.coverage.terrain.cell_m);
            },
            [](const Raster<float>& dem) {
                return "DEM of " + text::thousands(dem.grid.cols) + " x " +
                       text::thousands(dem.grid.rows) + " cells of " +
                       text::fixed(dem.grid.cell, 1) + " m";
            });
        long missing = 0, cells = 0;
        const GridSpec& g = r.dem->grid;
        for (int row = 0; row < g.rows; ++row)
            for (int col = 0; col < g.cols; ++col) {
                const XY p = g.centre(col, row);
                if (p.x < study.minx || p.x > study.maxx || p.y < study.miny || p.y > study.maxy)
                    continue;
                ++cells;
                missing += std::isnan(r.dem->at(col, row)) ? 1 : 0;
            }
        if (missing > 0)
            log.warning("read: the DEM has no data on " +
                        text::fixed(100.0 * static_cast<double>(missing) /
                                        static_cast<double>(std::max(cells, 1L)),
                                    1) +
                        " % of the study area; villages there count as without signal (give a "
                        "DEM that covers every village).");
    }
    if (!config.population.empty()) {
        r.population = stage(
            log, "read",
            [&] {
                return read_population(config.population, "population", r.inputs.work_crs_wkt,
                                       study);
            },
            [](const std::vector<PopulationCell>& cells) {
                double people = 0.0;
                for (const auto& c : cells)
                    people += c.people;
                return count(cells.size(), "populated cells") + " (" +
                       text::thousands(std::llround(people)) + " people)";
            });
        if (r.population.empty())
            log.warning("read: the population grid has no people in the study area; shares "
                        "stay shares of area (check that --population covers the villages).");
    }
}

} // namespace

AnalysisResult pipeline::run_analysis(const Config& config, const Log& log,
                                      const PreparedCheck& check) {
    validate_config(config);
    AnalysisResult r;
    const int threads = worker_threads(config);
    PrepareOptions prepare = config.prepare;
    prepare.threads = threads;
    CoverageOptions coverage = config.coverage;
    coverage.threads = threads;

    RawInputs raw = stage(
        log, "read",
        [&] {
            RawInputs in{read_layer(config.stations, "stations"),
                         read_layer(config.villages, "villages"), std::nullopt, std::nullopt};
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

    r.inputs = stage(
        log, "prepare", [&] { return prepare_inputs(std::move(raw), prepare, log); },
        [](const PreparedInputs& p) {
            return count(p.site_count, "sites") + ", " + count(p.villages.size(), "villages") +
                   " in " + p.work_crs;
        });
    if (check)
        check(r.inputs);

    r.footprints = stage(
        log, "coverage", [&] { return model_coverage(r.inputs.stations, coverage); },
        [](const Footprints& f) {
            const auto outer = [&](ServiceClass cls) {
                const auto& flags = f.outer[index_of(cls)];
                return static_cast<std::size_t>(std::count(flags.begin(), flags.end(), 1));
            };
            return count(f.items.size(), "footprints") +
                   " (outer: " + count(outer(ServiceClass::Any), "any") + ", " +
                   count(outer(ServiceClass::Broadband), "broadband") + ")";
        });

    r.study_area = study_area_of(r.inputs);
    read_rasters(config, r, log);
    Network network = model_network(config, r.inputs, std::move(r.footprints), surroundings_of(r),
                                    /*polygons=*/true, log);
    r.footprints = std::move(network.footprints);
    r.coverage = std::move(network.coverage);
    r.overlay = std::move(network.overlay);

    r.classification = stage(
        log, "classify", [&] { return classify_villages(r.inputs, r.overlay, config.classify); },
        [](const Classification& c) { return count(c.villages[0].size(), "villages"); });

    r.ranking = stage(
        log, "rank", [&] { return rank_villages(r.inputs, r.classification, config.rank); },
        [](const Ranking& k) {
            return count(static_cast<std::size_t>(k.gap_count), "gap villages") + " in " +
                   count(static_cast<std::size_t>(k.cluster_count), "clusters");
        });

    r.summary = stage(
        log, "report", [&] { return summarize(r.inputs, r.classification); },
        [](const Summary& s) { return count(s.rows.size(), "summary rows"); });
    return r;
}

AnalysisResult run_and_write(const Config& config, const Log& log) {
    validate_config(config);
    check_output(config.write); // a bad --out fails before any work
    AnalysisResult r = run_analysis(config, log);
    stage(
        log, "write",
        [&] {
            write_outputs(r, config.write);
            return true;
        },
        [&](const bool&) { return output_path(config.write); });
    return r;
}

namespace {

// The what-if's report, and the network with the planned stations on air that the plan
// builds on: the villages' classification and the stations (existing, then planned).
struct WhatIfRun {
    WhatIf report;
    Classification classification;
    std::vector<Station> stations;
};

// The what-if of config.planned. The planned layer is read and prepared by the same code as
// --stations (prepare_more_stations(), into the work CRS already chosen, with
// "planned.fields" over "stations.fields") and appended, for the time of this run, to the
// existing stations of today's prepared inputs; coverage, overlay and classify then run
// again. Villages, settlements and every option are today's, so the two classifications
// differ only by the planned stations. Today's stations are restored before it returns, so
// the analysis is written as it was.
WhatIfRun run_whatif(const Config& config, AnalysisResult& today, const Log& log) {
    const int threads = worker_threads(config);
    CoverageOptions coverage = config.coverage;
    coverage.threads = threads;

    RawLayer raw = stage(
        log, "read", [&] { return read_layer(*config.planned, "planned"); },
        [](const RawLayer& l) { return count(l.features.size(), "planned stations"); });

    // The planned stations are appended to today's for this run and cut off again afterwards
    // (on an error too), so that the villages are not copied.
    PreparedInputs& with = today.inputs;
    struct Restore {
        std::vector<Station>& stations;
        std::size_t existing;
        ~Restore() { stations.resize(existing); }
    } restore{with.stations, with.stations.size()};
    const std::size_t planned = stage(
        log, "prepare",
        [&] {
            PrepareOptions prepare = config.prepare;
            for (const auto& [role, field] : config.planned_fields)
                prepare.station_fields[role] = field;
            std::vector<Station> more = prepare_more_stations(
                std::move(raw), prepare, today.inputs.work_crs, "planned", log);
            with.stations.insert(with.stations.end(), std::make_move_iterator(more.begin()),
                                 std::make_move_iterator(more.end()));
            return more.size();
        },
        [](const std::size_t& n) { return count(n, "planned stations"); });

    Footprints footprints = stage(
        log, "coverage", [&] { return model_coverage(with.stations, coverage); },
        [](const Footprints& f) { return count(f.items.size(), "footprints with planned"); });
    const Overlay overlaid =
        model_network(config, with, std::move(footprints), surroundings_of(today),
                      /*polygons=*/false, log, " with planned")
            .overlay;

    WhatIfRun out;
    out.classification = stage(
        log, "classify", [&] { return classify_villages(with, overlaid, config.classify); },
        [](const Classification& c) {
            return count(c.villages[0].size(), "villages with planned");
        });

    out.report = stage(
        log, "report",
        [&] {
            WhatIf w = compare_whatif(today.inputs, today.classification, out.classification,
                                      config.rank.service_class);
            w.planned_stations = planned;
            return w;
        },
        [](const WhatIf& w) {
            return count(static_cast<std::size_t>(w.rows.front().improved), "villages improved");
        });
    out.stations = with.stations;
    return out;
}

} // namespace

PlanResult run_plan_and_write(const Config& config, const Log& log) {
    validate_plan_config(config);
    check_output(config.write);
    PlanResult r;
    r.analysis = run_analysis(config, log);
    // With planned stations, the new sites are chosen on the gaps left once they are on air,
    // and their backhaul may reach them as well as the existing stations.
    std::optional<WhatIfRun> whatif;
    if (config.planned) {
        whatif = run_whatif(config, r.analysis, log);
        r.whatif = whatif->report;
    }
    const Classification& gaps = whatif ? whatif->classification : r.analysis.classification;
    const std::vector<Station>& network = whatif ? whatif->stations : r.analysis.inputs.stations;
    PlanOptions options = config.plan;
    options.service_class = config.rank.service_class;

    // With a DEM a new site must see what it serves: the village centres it reaches, and the
    // mast at the other end of each backhaul hop.
    SiteReach reaches;
    HopClear clear;
    if (const Raster<float>* dem = r.analysis.dem ? &*r.analysis.dem : nullptr) {
        const double k = config.coverage.terrain.k_factor;
        const double receiver = config.coverage.hata.receiver_height_m;
        reaches = [dem, k, receiver, mast = options.mast_height_m](XY site, XY village) {
            return in_line_of_sight(*dem, site, mast, village, receiver, k);
        };
        clear = [dem, k](XY a, double height_a, XY b, double height_b) {
            return in_line_of_sight(*dem, a, height_a, b, height_b, k);
        };
    }

    const std::vector<PlanCandidate> candidates = stage(
        log, "plan",
        [&] {
            std::vector<PlanCandidate> all =
                gap_candidates(r.analysis.inputs, gaps, options.service_class);
            if (r.analysis.dem) {
                const std::vector<PlanCandidate> tops =
                    high_point_candidates(all, *r.analysis.dem, options);
                all.insert(all.end(), tops.begin(), tops.end());
            }
            if (config.candidates) {
                const RawLayer layer = read_layer(*config.candidates, "candidates");
                for (const auto& p :
                     prepare_points(layer, r.analysis.inputs.work_crs, "candidates"))
                    all.push_back({p.xy, CandidateSource::Candidates, -1, p.row});
            }
            return all;
        },
        [](const std::vector<PlanCandidate>& c) { return count(c.size(), "candidates"); });

    r.plan = stage(
        log, "plan",
        [&] {
            Plan p = plan_sites(r.analysis.inputs, gaps, candidates, options,
                                plan_radius_m(options, config.coverage), reaches);
            p.planned_stations = r.whatif ? r.whatif->planned_stations : 0;
            return p;
        },
        [](const Plan& p) {
            return count(p.sites.size(), "new sites") +
                   " (stop: " + std::string(to_string(p.stop)) + ")";
        });

    r.plan = stage(
        log, "plan", [&] { return plan_backhaul(r.plan, network, options, clear); },
        [](const Plan& p) {
            return count(static_cast<std::size_t>(p.connected), "connected") + ", " +
                   count(static_cast<std::size_t>(p.unconnectable), "unconnectable");
        });

    stage(
        log, "write",
        [&] {
            write_outputs(r.analysis, config.write, &r.plan, r.whatif ? &*r.whatif : nullptr);
            return true;
        },
        [&](const bool&) { return output_path(config.write); });
    return r;
}

} // namespace whitezone
