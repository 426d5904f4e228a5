// Micro-benchmarks of the hot kernels on generated countries, to compare a change before and
// after: footprint building, the dissolve per class, the per-village overlay, and one
// station's ITM received power over hilly terrain.
// Run: bash scripts/microbench.sh   (or build/bench/bench/whitezone_bench --benchmark_filter=…)

#include "whitezone/coverage.hpp"
#include "whitezone/generate.hpp"
#include "whitezone/itm_raster.hpp"
#include "whitezone/overlay.hpp"

#include <benchmark/benchmark.h>

#include <cmath>
#include <map>
#include <vector>

namespace {

using namespace whitezone;

// One generated country per size, made once: villages and sites in equal numbers.
const PreparedInputs& country(std::size_t villages) {
    static std::map<std::size_t, PreparedInputs> cache;
    auto it = cache.find(villages);
    if (it == cache.end())
        it = cache.emplace(villages, generate_country({villages, villages, 7})).first;
    return it->second;
}

void BM_ModelCoverage(benchmark::State& state) {
    const auto& c = country(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state)
        benchmark::DoNotOptimize(model_coverage(c.stations, CoverageOptions{}));
    state.SetItemsProcessed(state.iterations() * static_cast<long>(c.stations.size()));
}

void BM_Dissolve(benchmark::State& state) {
    const auto& c = country(static_cast<std::size_t>(state.range(0)));
    const Footprints f = model_coverage(c.stations, CoverageOptions{});
    for (auto _ : state)
        benchmark::DoNotOptimize(dissolve_coverage(f, ServiceClass::Broadband));
    state.SetItemsProcessed(state.iterations() * static_cast<long>(f.items.size()));
}

// Both classes' coverage on range(1) threads: one class after the other (range(2) = 0), or
// together, their strips in one queue (1; what the pipeline does).
void BM_DissolveBothClasses(benchmark::State& state) {
    const auto& c = country(static_cast<std::size_t>(state.range(0)));
    const Footprints f = model_coverage(c.stations, CoverageOptions{});
    const int threads = static_cast<int>(state.range(1));
    for (auto _ : state) {
        if (state.range(2) == 1) {
            benchmark::DoNotOptimize(dissolve_coverage(f, threads));
        } else {
            for (ServiceClass cls : kServiceClasses)
                benchmark::DoNotOptimize(dissolve_coverage(f, cls, threads));
        }
    }
    state.SetItemsProcessed(state.iterations() * static_cast<long>(f.items.size()));
}

void BM_Overlay(benchmark::State& state) {
    const auto& c = country(static_cast<std::size_t>(state.range(0)));
    const Footprints f = model_coverage(c.stations, CoverageOptions{});
    OverlayOptions options;
    options.threads = static_cast<int>(state.range(1));
    for (auto _ : state)
        benchmark::DoNotOptimize(overlay_villages(c, f, options, Log{}));
    state.SetItemsProcessed(state.iterations() * static_cast<long>(c.villages.size()));
}

// A square DEM of `cell_m` cells reaching `half_m` from (0, 0) on each side: hills of a few
// wavelengths and heights between about 200 and 1,300 m, like the sample's mountain province
// (scripts/make_dem.py), so that rays cross ridges and shadows.
Raster<float> hills(double half_m, double cell_m) {
    Raster<float> dem;
    const int n = static_cast<int>(std::ceil(2.0 * half_m / cell_m));
    dem.grid = {-half_m, half_m, cell_m, n, n};
    dem.values.resize(dem.grid.size());
    for (int row = 0; row < n; ++row)
        for (int col = 0; col < n; ++col) {
            const XY c = dem.grid.centre(col, row);
            const double z = 700.0 + 300.0 * std::sin(c.x / 2300.0) * std::cos(c.y / 3100.0) +
                             150.0 * std::sin((c.x + 2.0 * c.y) / 830.0) +
                             60.0 * std::cos((3.0 * c.x - c.y) / 270.0);
            dem.values[dem.grid.index(col, row)] = static_cast<float>(z);
        }
    return dem;
}

// One station's received power at 30 m cells within range(0) metres, ITM at every point
// (range(1) = 0) or adaptively beyond 2 km (range(1) = far_step); items are ITM evaluations.
void BM_ItmReceivedPower(benchmark::State& state) {
    const double range_m = static_cast<double>(state.range(0));
    const Raster<float> dem = hills(range_m + 200.0, 30.0);
    ItmRasterOptions o;
    o.range_m = range_m;
    o.itm.h_tx_m = 30.0;
    if (state.range(1) > 1) {
        o.far_from_m = 2000.0;
        o.far_step = static_cast<int>(state.range(1));
    }
    ItmRasterStats stats;
    for (auto _ : state)
        benchmark::DoNotOptimize(itm_received_power(dem, {15.0, 15.0}, o, &stats));
    state.SetItemsProcessed(state.iterations() * static_cast<long>(stats.evaluations));
    state.counters["evaluations"] = static_cast<double>(stats.evaluations);
}

// Two co-sited stations of one range (900 and 1800 MHz) as one group: with the same mast
// (argument 0), or masts 30 and 40 m (1); compare with twice BM_ItmReceivedPower.
void BM_ItmReceivedPowerCoSited(benchmark::State& state) {
    const double range_m = static_cast<double>(state.range(0));
    const Raster<float> dem = hills(range_m + 200.0, 30.0);
    std::vector<ItmRasterOptions> group(2);
    for (ItmRasterOptions& o : group) {
        o.range_m = range_m;
        o.itm.h_tx_m = 30.0;
    }
    group[1].itm.f_mhz = 1800.0;
    group[1].eirp_dbm = 48.0;
    if (state.range(1) != 0)
        group[1].itm.h_tx_m = 40.0;
    std::vector<ItmRasterStats> stats(group.size());
    for (auto _ : state)
        benchmark::DoNotOptimize(itm_received_power(dem, {15.0, 15.0}, group, stats));
    state.SetItemsProcessed(state.iterations() *
                            static_cast<long>(stats[0].evaluations + stats[1].evaluations));
}

BENCHMARK(BM_ModelCoverage)->Arg(2000)->Arg(20000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Dissolve)->Arg(2000)->Arg(20000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_DissolveBothClasses)
    ->Args({80000, 2, 0})
    ->Args({80000, 2, 1})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_Overlay)
    ->Args({2000, 1})
    ->Args({20000, 1})
    ->Args({20000, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_ItmReceivedPower)
    ->Args({3000, 0})
    ->Args({10000, 0})
    ->Args({10000, 4})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);
BENCHMARK(BM_ItmReceivedPowerCoSited)
    ->Args({10000, 0})
    ->Args({10000, 1})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

} // namespace
