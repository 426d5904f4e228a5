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
#include "whitezone/report.hpp"

#include "common/text.hpp"

#include <algorithm>
#include <chrono>
#include <iterator>
#include <thread>

namespace whitezone {

namespace {

// Runs one stage: logs "<stage>: <what> in <s> s" and makes sure every error names the stage.
template <class F>
auto stage(const Log& log, std::string_view name, F&& run,
           const std::function<std::string(const decltype(run())&)>& describe) {
    const auto t0 = std::chrono::steady_clock::now();
    auto tag = [name](const char* message) {
        std::string m(message);
        return m.rfind(std::string(name) + ":", 0) == 0 ? m : std::string(name) + ": " + m;
    };
    try {
        auto result = run();
        const double s =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        log.say(std::string(name) + ": " + describe(result) + " in " + text::fixed(s, 2) + " s");
        return result;
    } catch (const UsageError& e) {
        throw UsageError(tag(e.what()));
    } catch (const InputError& e) {
        throw InputError(tag(e.what()));
    } catch (const Error& e) {
        throw ExternalError(tag(e.what()));
    } catch (const std::bad_alloc&) {
        throw ExternalError(std::string(name) + ": out of memory");
    }
}

std::string count(std::size_t n, const char* what) {
    return text::thousands(static_cast<long long>(n)) + " " + what;
}

// config.threads, or all cores for 0.
int worker_threads(const Config& config) {
    return config.threads > 0 ? config.threads
                              : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

} // namespace

AnalysisResult run_analysis(const Config& config, const Log& log) {
    validate_config(config);
    AnalysisResult r;
    const int threads = worker_threads(config);
    PrepareOptions prepare = config.prepare;
    prepare.threads = threads;
    CoverageOptions coverage = config.coverage;
    coverage.threads = threads;
    OverlayOptions overlay = config.overlay;
    overlay.threads = threads;

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

    r.coverage = stage(
        log, "coverage",
        [&] {
            PerClass<MultiPolygon> out;
            for (ServiceClass cls : kServiceClasses)
                out[index_of(cls)] = dissolve_coverage(r.footprints, cls, threads);
            return out;
        },
        [](const PerClass<MultiPolygon>&) { return std::string("dissolved per class"); });

    r.overlay = stage(
        log, "overlay", [&] { return overlay_villages(r.inputs, r.footprints, overlay, log); },
        [](const Overlay& o) { return count(o.villages[0].size(), "villages"); });

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

// The what-if of config.planned. The planned layer is read and prepared by the same code as
// --stations (prepare_more_stations(), into the work CRS already chosen) and appended to the
// existing stations of a copy of the prepared inputs; coverage, overlay and classify then run
// again on that copy. Villages, settlements and every option are today's, so the two
// classifications differ only by the planned stations. The copy costs the villages' memory
// once more, but leaves today's analysis untouched for the plan and the write.
WhatIf run_whatif(const Config& config, const AnalysisResult& today, const Log& log) {
    const int threads = worker_threads(config);
    CoverageOptions coverage = config.coverage;
    coverage.threads = threads;
    OverlayOptions overlay = config.overlay;
    overlay.threads = threads;

    RawLayer raw = stage(
        log, "read", [&] { return read_layer(*config.planned, "planned"); },
        [](const RawLayer& l) { return count(l.features.size(), "planned stations"); });

    PreparedInputs with = today.inputs;
    const std::size_t planned = stage(
        log, "prepare",
        [&] {
            std::vector<Station> more = prepare_more_stations(
                std::move(raw), config.prepare, today.inputs.work_crs, "planned", log);
            with.stations.insert(with.stations.end(), std::make_move_iterator(more.begin()),
                                 std::make_move_iterator(more.end()));
            return more.size();
        },
        [](const std::size_t& n) { return count(n, "planned stations"); });

    const Footprints footprints = stage(
        log, "coverage", [&] { return model_coverage(with.stations, coverage); },
        [](const Footprints& f) { return count(f.items.size(), "footprints with planned"); });

    const Overlay overlaid = stage(
        log, "overlay", [&] { return overlay_villages(with, footprints, overlay, log); },
        [](const Overlay& o) { return count(o.villages[0].size(), "villages with planned"); });

    const Classification classified = stage(
        log, "classify", [&] { return classify_villages(with, overlaid, config.classify); },
        [](const Classification& c) {
            return count(c.villages[0].size(), "villages with planned");
        });

    return stage(
        log, "report",
        [&] {
            WhatIf w = compare_whatif(today.inputs, today.classification, classified,
                                      config.rank.service_class);
            w.planned_stations = planned;
            return w;
        },
        [](const WhatIf& w) {
            return count(static_cast<std::size_t>(w.rows.front().improved), "villages improved");
        });
}

} // namespace

PlanResult run_plan_and_write(const Config& config, const Log& log) {
    validate_config(config);
    check_output(config.write);
    PlanResult r;
    r.analysis = run_analysis(config, log);
    if (config.planned)
        r.whatif = run_whatif(config, r.analysis, log);
    PlanOptions options = config.plan;
    options.service_class = config.rank.service_class;

    const std::vector<PlanCandidate> candidates = stage(
        log, "plan",
        [&] {
            std::vector<PlanCandidate> all =
                gap_candidates(r.analysis.inputs, r.analysis.classification, options.service_class);
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
            return plan_sites(r.analysis.inputs, r.analysis.classification, candidates, options,
                              plan_radius_m(options, config.coverage));
        },
        [](const Plan& p) {
            return count(p.sites.size(), "new sites") +
                   " (stop: " + std::string(to_string(p.stop)) + ")";
        });

    r.plan = stage(
        log, "plan", [&] { return plan_backhaul(r.plan, r.analysis.inputs.stations, options); },
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
