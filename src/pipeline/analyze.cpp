// The analysis: one call per stage, in the order of DESIGN.md, each timed and logged; and
// `whitezone analyze` as load + analyze + write.

#include "whitezone/calibrate.hpp"
#include "whitezone/classify.hpp"
#include "whitezone/coverage.hpp"
#include "whitezone/coverage/link_model.hpp"
#include "whitezone/error.hpp"
#include "whitezone/operators.hpp"
#include "whitezone/overlay.hpp"
#include "whitezone/pipeline.hpp"
#include "whitezone/rank.hpp"
#include "whitezone/report.hpp"

#include "common/parallel.hpp"
#include "common/spill.hpp"
#include "pipeline/stage.hpp"

#include <algorithm>
#include <chrono>
#include <future>
#include <memory>

namespace whitezone {

using pipeline::count;
using pipeline::model_network;
using pipeline::Network;
using pipeline::stage;

namespace {

// The commands that write (analyze_stages() with spill_areas): the villages' polygons moved
// into an unnamed temporary file once the last stage that reads them has run, and read back
// row by row by the write (docs/performance.md, "The villages' polygons on disk"). Kept in
// memory, said with -v, when the temporary folder cannot take them: the run is the same, only
// its memory larger.
void spill_village_areas(AnalysisResult& r, const Context& ctx) {
    std::vector<Village>& villages = r.inputs.villages;
    if (ctx.cancelled() || // the next stage throws
        std::all_of(villages.begin(), villages.end(),
                    [](const Village& v) { return v.is_point(); }))
        return;
    const auto t0 = std::chrono::steady_clock::now();
    try {
        r.spilled_areas = std::make_shared<const AreaSpill>(
            villages.size(),
            [&](std::size_t i) -> const MultiPolygon& { return villages[i].area; });
    } catch (const ExternalError& e) {
        ctx.log.say(std::string("villages: polygons kept in memory (") + e.what() + ")");
        return;
    }
    for (Village& v : villages)
        if (!v.is_point())
            v.area = MultiPolygon(1); // a polygon without rings: is_point() still answers
    pipeline::release_free_memory();
    ctx.log.say("villages: polygons moved to a temporary file (" +
                text::fixed(static_cast<double>(r.spilled_areas->bytes()) / (1 << 20), 1) +
                " MiB) in " + pipeline::seconds(pipeline::seconds_since(t0)));
}

} // namespace

AnalysisResult pipeline::analyze_stages(Inputs inputs, const Config& config, const Context& ctx,
                                        bool coverage_polygons, bool spill_areas,
                                        std::optional<CoverageRaster>* raster) {
    AnalysisResult r;
    analyze_stages(r, std::move(inputs), config, ctx, coverage_polygons, spill_areas, raster, {});
    return r;
}

void pipeline::analyze_stages(AnalysisResult& r, Inputs inputs, const Config& config,
                              const Context& ctx, bool coverage_polygons, bool spill_areas,
                              std::optional<CoverageRaster>* raster,
                              const std::function<void(AnalysisResult&)>& after_overlay) {
    const pipeline::StageOptions options = pipeline::stage_options(config, ctx);
    r.inputs = std::move(inputs.prepared);
    r.dem = std::move(inputs.dem);
    r.population = std::move(inputs.population);
    r.study_area = pipeline::study_area_of(r.inputs, options.threads);

    r.footprints = stage(
        ctx, "coverage", [&] { return model_coverage(r.inputs.stations, options.coverage); },
        [](const Footprints& f) {
            const auto outer = [&](ServiceClass cls) {
                const auto& flags = f.outer[index_of(cls)];
                return static_cast<std::size_t>(std::count(flags.begin(), flags.end(), 1));
            };
            return count(f.items.size(), "footprints") +
                   " (outer: " + count(outer(ServiceClass::Any), "any") + ", " +
                   count(outer(ServiceClass::Broadband), "broadband") + ")";
        });

    // Measurements (calibrate.hpp): the model's error at the measured points, and with
    // "calibrate" the fitted offsets in the config the coverage runs with.
    Config calibrated;
    const Config* run_config = &config;
    if (!config.measurements.empty() && r.dem) {
        r.calibration = stage(
            ctx, "calibrate",
            [&] {
                Calibration c = predict_at_measurements(
                    read_measurements(config.measurements, r.inputs.stations,
                                      r.inputs.station_fields, r.inputs.work_crs),
                    r.inputs.stations, r.footprints, *r.dem, options.coverage);
                c.source = config.measurements;
                assess_accuracy(c, config.calibrate);
                return c;
            },
            [&](const Calibration& c) {
                return count(c.points.size(), "measurements") +
                       (c.applied ? ", offsets fitted" : std::string());
            });
        for (const std::string& line : describe_accuracy(*r.calibration))
            ctx.log.say("calibrate: " + line);
        if (config.calibrate) {
            calibrated = config;
            for (const auto& [tech, offset] : calibration_offsets(*r.calibration))
                calibrated.coverage.itm.offset_db[tech] += offset;
            run_config = &calibrated;
        }
    }
    Network network =
        model_network(*run_config, r.inputs, r.inputs.stations, std::move(r.footprints),
                      pipeline::surroundings_of(r), coverage_polygons, ctx);
    r.footprints = std::move(network.footprints);
    r.coverage = std::move(network.coverage);
    r.overlay = std::move(network.overlay);
    if (raster)
        *raster = std::move(network.raster);
    if (network.signal)
        r.signal = signal_at_villages(std::move(*network.signal), r.inputs.villages);
    if (after_overlay)
        after_overlay(r);
    if (spill_areas && !config.stability.enabled)
        spill_village_areas(r, ctx); // no later stage reads them

    r.classification = stage(
        ctx, "classify", [&] { return classify_villages(r.inputs, r.overlay, config.classify); },
        [](const Classification& c) { return count(c.villages[0].size(), "villages"); });

    r.operators = stage(
        ctx, "overlay",
        [&] {
            return operators_at_villages(
                r.inputs, r.footprints, r.overlay, r.dem ? &*r.dem : nullptr, options.coverage,
                network.centre_servers[0].empty() ? nullptr : &network.centre_servers);
        },
        [](const VillageOperators& o) {
            return count(o.names.size(), "operators") + " at the village centres";
        });

    r.ranking = stage(
        ctx, "rank", [&] { return rank_villages(r.inputs, r.classification, config.rank); },
        [](const Ranking& k) {
            return count(static_cast<std::size_t>(k.gap_count), "gap villages") + " in " +
                   count(static_cast<std::size_t>(k.cluster_count), "clusters");
        });

    if (config.stability.enabled)
        r.stability = stage(
            ctx, "stability", [&] { return assess_stability(r, *run_config, ctx); },
            [&](const Stability& st) {
                long firm = 0, white = 0;
                const std::size_t k = index_of(ServiceClass::Broadband);
                for (std::size_t v = 0; v < st.share_same[k].size(); ++v)
                    if (r.classification.villages[k][v].status == Status::White) {
                        ++white;
                        firm += st.share_same[k][v] >= config.stability.firm_from;
                    }
                return std::to_string(st.runs) + " varied runs, " + std::to_string(firm) + " of " +
                       std::to_string(white) + " white (broadband) villages firm";
            });
    if (spill_areas && config.stability.enabled)
        spill_village_areas(r, ctx); // the varied runs overlay them again

    r.summary = stage(
        ctx, "report",
        [&] {
            Summary s = summarize(r.inputs, r.classification, r.stability ? &*r.stability : nullptr,
                                  config.stability.firm_from, &r.operators, options.threads);
            if (r.stability) {
                s.stability_runs = r.stability->runs;
                s.firm_from = config.stability.firm_from;
            }
            if (!inputs.halo.empty()) {
                // A tile counts the sites of its own stations only; the halo's are another
                // tile's (merge_summaries() adds the tiles up).
                PreparedInputs own;
                for (std::size_t i = 0; i < r.inputs.stations.size(); ++i)
                    if (!inputs.halo[i])
                        own.stations.push_back(r.inputs.stations[i]);
                s.sites = summarize(own, Classification{}).sites;
            }
            return s;
        },
        [](const Summary& s) { return count(s.rows.size(), "summary rows"); });
    warn_village_flags(r.inputs.villages, ctx.log); // one warning per flag (docs/output.md#flags)
}

AnalysisResult analyze(Inputs inputs, const Config& config, const Context& ctx,
                       bool coverage_polygons) {
    return pipeline::analyze_stages(std::move(inputs), config, ctx, coverage_polygons, false);
}

AnalysisResult run_analysis(const Config& config, const Context& ctx) {
    validate_config(config);
    return analyze(load_inputs(config, ctx), config, ctx);
}

std::vector<InputPath> pipeline::input_paths(const Config& config) {
    std::vector<InputPath> paths{{"--stations", config.stations.path},
                                 {"--villages", config.villages.path},
                                 {"--dem", config.dem},
                                 {"--population", config.population},
                                 {"--measurements", config.measurements}};
    for (const auto& [flag, layer] :
         {std::pair{"--settlements", &config.settlements}, std::pair{"--centres", &config.centres},
          std::pair{"--units", &config.units}, std::pair{"--candidates", &config.candidates},
          std::pair{"--planned", &config.planned}})
        if (*layer)
            paths.push_back({flag, (*layer)->path});
    return paths;
}

LayerSelection pipeline::analysis_layers(const Config& config) {
    const bool itm = link_model(config.coverage.model).needs_dem();
    return {.signal_files = itm, .measurements = itm && !config.measurements.empty()};
}

pipeline::DissolveBeside::DissolveBeside(const Context& ctx, std::string beside)
    : m_ctx(ctx), m_beside(std::move(beside)), m_enabled(ctx.worker_threads() > 1),
      m_threads(ctx.worker_threads()) {}

pipeline::DissolveBeside::~DissolveBeside() {
    m_stop.request_stop(); // the future's destructor then waits for the strips in hand
}

void pipeline::DissolveBeside::start(AnalysisResult& r) {
    if (!m_enabled)
        return;
    std::unique_ptr<CoverageView> view =
        m_raster ? raster_coverage(*m_raster) : footprint_coverage(r.footprints);
    m_method = view->shapes_method();
    m_done = std::async(std::launch::async, [&r, view = std::move(view), threads = m_threads,
                                             stop = m_stop.get_token()] {
        parallel::yield_to_others(); // the write is the one waited for
        const auto t0 = std::chrono::steady_clock::now();
        r.coverage = view->shapes(r.study_area, threads, stop);
        return pipeline::seconds_since(t0);
    });
}

void pipeline::DissolveBeside::wait() {
    const double s = pipeline::tagged("coverage", [&] { return m_done.get(); });
    m_raster.reset();
    pipeline::release_free_memory(); // the dissolve's working memory, before the indexes
    m_ctx.log.say("coverage: " + std::string(m_method) + " in " + pipeline::seconds(s) +
                  ", beside " + m_beside);
}

std::function<void()> pipeline::DissolveBeside::waiter() {
    if (!m_enabled)
        return {};
    return [this] { wait(); };
}

void pipeline::DissolveBeside::finish() {
    if (m_done.valid()) // a sink that did not read the coverage layer
        wait();
}

namespace {

// The write begun while the analysis ends (run_and_write(); docs/performance.md, "The
// stations layer beside the analysis"): begin() makes the tables on the calling thread and
// writes them on a thread of its own, where the tables of the stages after the overlay wait
// until finish(). Leaving the scope without finish() (the analysis threw) stops the write,
// which then leaves nothing behind, and waits for it: declare it after what it writes.
class WriteBeside {
  public:
    WriteBeside() = default;
    WriteBeside(const WriteBeside&) = delete;
    WriteBeside& operator=(const WriteBeside&) = delete;
    ~WriteBeside() {
        if (!m_writing.valid())
            return;
        if (!m_told)
            m_ended.set_exception(
                std::make_exception_ptr(Cancelled("write: the analysis stopped")));
        try {
            m_writing.get();
        } catch (...) { // the analysis's own error is the one to give
        }
    }

    void begin(OutputSet& outputs, const WriteOptions& options, const Log& log) {
        outputs.wait_for_analysis = [ended = m_ended_future] { ended.get(); };
        m_writing = std::async(std::launch::async, begin_write(outputs, options, log));
    }
    [[nodiscard]] bool begun() const { return m_writing.valid(); }
    // The analysis has ended: the write goes on; returns when it has (or throws its error).
    void finish() {
        m_told = true;
        m_ended.set_value();
        m_writing.get();
    }

  private:
    std::promise<void> m_ended;
    std::shared_future<void> m_ended_future = m_ended.get_future().share();
    std::future<void> m_writing;
    bool m_told = false;
};

} // namespace

AnalysisResult run_and_write(const Config& config, const Context& run_ctx) {
    validate_config(config);
    // A bad --out (or an ITM raster beside it) fails before any work.
    check_output(config.write, pipeline::analysis_layers(config));
    check_output_apart(config.write, pipeline::input_paths(config));
    const RunRecord record(config, run_ctx); // provenance: start time, warnings counted
    const Context& ctx = record.context();
    // The coverage layer's polygons (the footprints dissolved; with a DEM the covered cells
    // polygonized) are read by that layer alone: they are made while the other layers are
    // written, on the threads the writer leaves (docs/performance.md, "The dissolve beside the
    // write"). When the write fails before it took the polygons, the dissolve takes no more
    // strips (classes); a run cancelled during the write finishes the write, dissolve included.
    // A GeoPackage's stations layer needs only the footprints: with two threads or more it is
    // written while the stages after the overlay run (WriteBeside), the other layers after them.
    AnalysisResult r;
    pipeline::DissolveBeside dissolve(ctx, "the write"); // after `r`: it goes first
    Provenance provenance;
    OutputSet outputs{.analysis = &r,
                      .provenance = &provenance,
                      .signal_files = true,
                      .wait_for_coverage = dissolve.waiter(),
                      .threads = ctx.worker_threads()};
    const auto describe = [&] {
        provenance = record.finish(r.inputs.work_crs, false);
        if (r.calibration)
            provenance.accuracy = describe_accuracy(*r.calibration);
    };
    WriteBeside writer; // after what it writes: it stops and goes first
    const bool beside = dissolve.enabled() && !config.stability.enabled &&
                        output_format(config.write) == OutputFormat::GeoPackage;
    pipeline::analyze_stages(r, load_inputs(config, ctx), config, ctx, !dissolve.enabled(), true,
                             dissolve.raster(), [&](AnalysisResult& result) {
                                 if (!beside || result.signal || ctx.cancelled())
                                     return; // ITM's side files: the write after the analysis
                                 describe();
                                 writer.begin(outputs, config.write, ctx.log);
                             });
    dissolve.start(r);
    stage(
        ctx, "write",
        [&] {
            if (writer.begun()) {
                record.refresh(provenance); // the warnings of the stages since begin()
                writer.finish();
            } else {
                describe();
                write_outputs(outputs, config.write, ctx.log);
            }
            return true;
        },
        [&](const bool&) { return output_path(config.write); });
    dissolve.finish();
    return r;
}

} // namespace whitezone
