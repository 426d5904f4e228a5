// Micro-benchmarks of the hot kernels on generated countries, to compare a change before and
// after: footprint building, the dissolve per class, and the per-village overlay.
// Run: bash scripts/microbench.sh   (or build/bench/bench/whitezone_bench --benchmark_filter=…)

#include "whitezone/coverage.hpp"
#include "whitezone/generate.hpp"
#include "whitezone/overlay.hpp"

#include <benchmark/benchmark.h>

#include <map>

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

void BM_Overlay(benchmark::State& state) {
    const auto& c = country(static_cast<std::size_t>(state.range(0)));
    const Footprints f = model_coverage(c.stations, CoverageOptions{});
    OverlayOptions options;
    options.threads = static_cast<int>(state.range(1));
    for (auto _ : state)
        benchmark::DoNotOptimize(overlay_villages(c, f, options, Log{}));
    state.SetItemsProcessed(state.iterations() * static_cast<long>(c.villages.size()));
}

BENCHMARK(BM_ModelCoverage)->Arg(2000)->Arg(20000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Dissolve)->Arg(2000)->Arg(20000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Overlay)
    ->Args({2000, 1})
    ->Args({20000, 1})
    ->Args({20000, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

} // namespace
