#pragma once
// Private to the pipeline: the wrapper that times, logs and tags each stage, and the pieces
// of the analysis that the commands (analyze, plan, trend) share.

#include "whitezone/config.hpp"
#include "whitezone/error.hpp"
#include "whitezone/report.hpp"
#include "whitezone/types.hpp"

#include "common/text.hpp"

#include <algorithm>
#include <chrono>
#include <functional>
#include <new>
#include <string>
#include <string_view>
#include <thread>

namespace whitezone::pipeline {

/// Runs one stage: logs "<stage>: <what> in <s> s" and makes sure every error names the stage.
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
        // Milliseconds below 0.1 s, so that a quick stage does not read "0.00 s".
        log.say(std::string(name) + ": " + describe(result) + " in " +
                text::fixed(s, s < 0.1 ? 3 : 2) + " s");
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

/// "1,071 footprints".
inline std::string count(std::size_t n, const char* what) {
    return text::thousands(static_cast<long long>(n)) + " " + what;
}

/// config.threads, or all cores for 0.
inline int worker_threads(const Config& config) {
    return config.threads > 0 ? config.threads
                              : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

/// A command's own check of the prepared inputs, run before the long stages so that it fails
/// early (trend: some station has an on-air year).
using PreparedCheck = std::function<void(const PreparedInputs&)>;

/// run_analysis(), calling `check` (when set) right after prepare.
AnalysisResult run_analysis(const Config& config, const Log& log, const PreparedCheck& check);

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
};

/// Models the coverage of `inputs.stations` (whose `footprints` are given) and overlays the
/// villages: the footprints' shapes, or with a DEM the terrain mode's raster; then weights
/// the overlay by the population grid when there is one. `polygons` asks for the coverage
/// polygons (the `coverage` layer). `label` ends each log line ("", " with planned", …).
/// The analysis, the what-if and the trend all model their networks with it.
/// `carried` (terrain mode, may be null or empty): the coverage raster of stations modelled
/// before; `footprints` are then only the added stations', and `carried` becomes the union.
Network model_network(const Config& config, const PreparedInputs& inputs, Footprints footprints,
                      const Surroundings& surroundings, bool polygons, const Log& log,
                      std::string_view label = "",
                      std::optional<CoverageRaster>* carried = nullptr);

} // namespace whitezone::pipeline
