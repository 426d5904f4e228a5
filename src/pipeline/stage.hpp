#pragma once
// Private to the pipeline: the wrapper that times, logs and tags each stage, and the pieces
// of the analysis that the commands (analyze, plan, trend) share.

#include "whitezone/config.hpp"
#include "whitezone/context.hpp"
#include "whitezone/error.hpp"
#include "whitezone/pipeline.hpp"
#include "whitezone/report.hpp"
#include "whitezone/types.hpp"

#include "common/text.hpp"

#include <chrono>
#include <functional>
#include <future>
#include <new>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

namespace whitezone::pipeline {

/// Hands the memory the allocator holds free back to the system, when the program's
/// allocator can (tcmalloc, linked by the whitezone program) and holds 512 MiB or more; else
/// does nothing.
void release_free_memory();

/// Runs `run` and returns its result; every error it throws names the stage `name` ("<name>:
/// …", kept when the message names it already), and running out of memory becomes an
/// ExternalError. Cancelled passes through.
template <class F> auto tagged(std::string_view name, F&& run) {
    auto tag = [name](const char* message) {
        std::string m(message);
        return m.rfind(std::string(name) + ":", 0) == 0 ? m : std::string(name) + ": " + m;
    };
    try {
        return run();
    } catch (const Cancelled&) {
        throw;
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

/// The seconds since `t0`.
inline double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

/// "2.35 s"; milliseconds below 0.1 s, so that a quick stage does not read "0.00 s".
inline std::string seconds(double s) { return text::fixed(s, s < 0.1 ? 3 : 2) + " s"; }

/// Runs one stage: checks for cancellation first, logs "<stage>: <what> in <s> s" and makes
/// sure every error names the stage (tagged()). What the stage freed goes back to the system
/// after it (release_free_memory), so that the next stage's peak does not stand on it.
template <class F>
auto stage(const Context& ctx, std::string_view name, F&& run,
           const std::function<std::string(const decltype(run())&)>& describe) {
    ctx.check_cancelled(name);
    const auto t0 = std::chrono::steady_clock::now();
    auto result = tagged(name, run);
    release_free_memory();
    ctx.log.say(std::string(name) + ": " + describe(result) + " in " + seconds(seconds_since(t0)));
    return result;
}

/// "1,071 footprints".
inline std::string count(std::size_t n, const char* what) {
    return text::thousands(static_cast<long long>(n)) + " " + what;
}

/// The stages' options from the config, with the context's threads (the one place that
/// copies the thread count into the option structs the stages take).
struct StageOptions {
    PrepareOptions prepare;
    CoverageOptions coverage;
    OverlayOptions overlay;
    int threads = 1;
};
StageOptions stage_options(const Config& config, const Context& ctx);

/// analyze(); with `spill_areas` (the commands that write: run_and_write(),
/// run_with_baseline_and_write()), the villages' polygons moved into an unnamed temporary
/// file once the last stage that reads them has run (AnalysisResult::spilled_areas;
/// docs/performance.md, "The villages' polygons on disk").
/// Without `coverage_polygons`, the raster modes' covered cells go to `raster` when given (for
/// DissolveBeside).
AnalysisResult analyze_stages(Inputs inputs, const Config& config, const Context& ctx,
                              bool coverage_polygons, bool spill_areas,
                              std::optional<CoverageRaster>* raster = nullptr);

/// analyze_stages() into `r` (a new AnalysisResult that stays where it is), calling
/// `after_overlay(r)` once the footprints and the overlay are final, before the stages after
/// them (classify, the operators at the centres, rank, report) change `r`: run_and_write()
/// begins the write there.
void analyze_stages(AnalysisResult& r, Inputs inputs, const Config& config, const Context& ctx,
                    bool coverage_polygons, bool spill_areas, std::optional<CoverageRaster>* raster,
                    const std::function<void(AnalysisResult&)>& after_overlay);

/// The footprints dissolved (with a DEM: the covered cells polygonized) on a thread of their
/// own while the command goes on (the write, and for `analyze --baseline` the comparison first;
/// docs/performance.md, "The dissolve beside the write"): with two threads or more. Ask
/// analyze_stages() for no coverage polygons when enabled(), giving it raster() for the raster
/// modes' cells, then start() it; the coverage table's rows wait for
/// it (waiter() as OutputSet::wait_for_coverage), and finish() waits for it when the sink
/// read no coverage layer. Leaving the scope stops a dissolve still running (it takes no more
/// strips) and waits for it: declare it after the AnalysisResult it fills.
class DissolveBeside {
  public:
    /// `beside`: what it runs beside, for the -v line ("the write").
    DissolveBeside(const Context& ctx, std::string beside);
    DissolveBeside(const DissolveBeside&) = delete;
    DissolveBeside& operator=(const DissolveBeside&) = delete;
    ~DissolveBeside();

    [[nodiscard]] bool enabled() const { return m_enabled; }
    /// Where analyze_stages() leaves the raster modes' covered cells (null when not enabled()).
    [[nodiscard]] std::optional<CoverageRaster>* raster() {
        return m_enabled ? &m_raster : nullptr;
    }
    /// Dissolves `r.footprints` (or polygonizes raster()'s cells) into `r.coverage` (nothing
    /// when not enabled()).
    void start(AnalysisResult& r);
    /// Waits for the dissolve, says how long it took; empty when not enabled().
    [[nodiscard]] std::function<void()> waiter();
    void finish();

  private:
    void wait();
    const Context& m_ctx;
    std::string m_beside;
    bool m_enabled = false;
    int m_threads = 1;
    std::optional<CoverageRaster> m_raster; // until the polygons are made
    std::string_view m_method;              // CoverageView::shapes_method(), for the -v line
    std::stop_source m_stop;
    std::future<double> m_done;
};

/// Every file `config` names as an input (--stations, --villages, --settlements, --centres,
/// --units, --candidates, --planned, --dem, --population, --measurements), for
/// check_output_apart().
std::vector<InputPath> input_paths(const Config& config);

/// What analyze writes with `config`, for check_output(): the analysis layers and, with the
/// ITM model, its GeoTIFFs and tables (measurements.csv with --measurements).
LayerSelection analysis_layers(const Config& config);

/// The sanity checks of loaded inputs (src/pipeline/checks.cpp): the stations' reach
/// (check_station_reach(): `far_from_stations`, the warnings, InputError when no station is
/// within reach of any village), the stations' own ranges against the model's radii, the DEM's
/// gaps (flag_dem_gaps()). analyze() warns once per village flag when it is done.
void check_inputs(Inputs& in, const Config& config, const Context& ctx);

/// The villages' extent: every polygon and centre (worked out on `threads` threads).
Extent study_area_of(const PreparedInputs& inputs, int threads = 1);

/// The villages `v` of `all` with `villages[v]` set, in their order, with their settlements
/// (renumbered), the work CRS and the field lists; no station. The villages of a part for
/// restrict_inputs(), and those the plan classifies again near its new sites.
PreparedInputs village_part(const PreparedInputs& all, const std::vector<char>& villages);

/// Distance from `p` to the box `e`, metres (0 inside it).
double distance_to(const Extent& e, XY p);

/// What the coverage of a network is modelled over: the DEM of the terrain mode and the
/// population grid (each null when not given), and the study area (the villages' extent).
struct Surroundings {
    const Raster<float>* dem = nullptr;
    const std::vector<PopulationCell>* population = nullptr;
    Extent study;
};

/// The surroundings of an analysis: its DEM, population grid and study area.
Surroundings surroundings_of(const AnalysisResult& analysis);

/// The coverage and overlay of a network.
struct Network {
    Footprints footprints;
    PerClass<MultiPolygon> coverage; ///< empty unless asked for
    Overlay overlay;
    /// The ITM model's received power (coverage_model "itm"); unset for the other models.
    std::optional<SignalRasters> signal;
    /// The raster modes: per class and village of `inputs`, the stations serving its centre's
    /// cell (ItmCoverage::probe_servers, terrain_servers()), for operators_at_villages();
    /// empty in the vector mode and for a terrain run that starts from a carried raster.
    ProbeServers centre_servers;
    /// The raster modes' covered cells when the polygons were not asked for (to be polygonized
    /// later, DissolveBeside); unset otherwise.
    std::optional<CoverageRaster> raster;
};

/// Models the coverage of `stations` (whose `footprints` are given) and overlays the villages
/// of `inputs` (whose own stations are not used): the footprints' shapes, or with a DEM the
/// terrain mode's raster; then weights the overlay by the population grid when there is one.
/// `polygons` asks for the coverage polygons (the `coverage` layer). `label` ends each log
/// line ("", " with planned", …). The analysis, the what-if and the trend all model their
/// networks with it, each with its own station vector.
/// `carried` (terrain mode, may be null or empty): the coverage raster of stations modelled
/// before; `footprints` are then only the added stations', and `carried` becomes the union.
Network model_network(const Config& config, const PreparedInputs& inputs,
                      const std::vector<Station>& stations, Footprints footprints,
                      const Surroundings& surroundings, bool polygons, const Context& ctx,
                      std::string_view label = "",
                      std::optional<CoverageRaster>* carried = nullptr);

} // namespace whitezone::pipeline
