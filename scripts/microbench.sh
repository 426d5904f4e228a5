#!/usr/bin/env bash
# Builds and runs the Google Benchmark micro-benchmarks of the hot kernels (footprints,
# dissolve, overlay). Extra arguments go to the benchmark program, e.g.
#   bash scripts/microbench.sh --benchmark_filter=Overlay --benchmark_out=before.json
set -euo pipefail
cd "$(dirname "$0")/.."
WHITEZONE_EXTRA_PACKAGES=libbenchmark-dev bash scripts/install-deps.sh
cmake -S . -B build/bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DWHITEZONE_BUILD_TESTS=OFF \
  -DWHITEZONE_BUILD_BENCHMARKS=ON >/dev/null
cmake --build build/bench --target whitezone_bench
exec build/bench/bench/whitezone_bench "$@"
