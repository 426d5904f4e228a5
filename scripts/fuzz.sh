#!/usr/bin/env bash
# Builds the libFuzzer harnesses in fuzz/ with Debian's clang-14 (the asan preset: ASan + UBSan,
# float-cast-overflow included) and runs each for SECONDS (default 60) on a corpus seeded from
# tests/data. A crash, sanitizer report or unexpected exception stops the run with a non-zero
# exit and leaves the input in build/asan/findings/<target>/.
#   scripts/fuzz.sh [SECONDS] [TARGET...]     e.g. scripts/fuzz.sh 20, scripts/fuzz.sh 300 fuzz_config
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_stations fuzz_villages fuzz_config fuzz_opencellid fuzz_on_air)
# The asan preset (build/asan) is the fuzzing build too: clang-14, ASan + UBSan with
# float-cast-overflow, and the library instrumented for libFuzzer (fuzzer-no-link).
build=build/asan

if ! command -v clang++-14 >/dev/null; then
  echo "fuzz.sh: clang++-14 is missing; install it with: apt-get install -y clang-14 libclang-rt-14-dev" >&2
  exit 2
fi
cmake --preset asan >/dev/null
cmake --build "$build" --target "${targets[@]}"

# Seeds: the fixtures each reader takes (fuzz/seeds/ adds a few hand-written ones).
seed() { # target, files...
  local dir="$build/corpus/$1"
  shift
  mkdir -p "$dir"
  for f in "$@"; do [ -f "$f" ] && cp -f "$f" "$dir/"; done
}
seed fuzz_stations tests/data/*stations*.csv tests/data/opencellid*.csv fuzz/seeds/stations/*
seed fuzz_villages tests/data/*villages*.geojson tests/data/*villages*.csv tests/data/known_*.geojson
seed fuzz_config tests/data/*.json fuzz/seeds/config/*
seed fuzz_opencellid fuzz/seeds/opencellid/*
seed fuzz_on_air fuzz/seeds/on_air/*

export ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
status=0
for t in "${targets[@]}"; do
  mkdir -p "$build/findings/$t"
  echo "== $t: ${seconds} s"
  if ! "$build/fuzz/$t" -max_total_time="$seconds" -max_len=8192 -timeout=20 -rss_limit_mb=4096 \
       -print_final_stats=1 -artifact_prefix="$build/findings/$t/" \
       -dict=fuzz/dictionary.txt "$build/corpus/$t" 2>"$build/$t.log"; then
    echo "fuzz.sh: $t found a fault; see $build/$t.log and $build/findings/$t/" >&2
    tail -40 "$build/$t.log" >&2
    status=1
  fi
  grep -E '^stat::number_of_executed_units|^#[0-9]+.*DONE' "$build/$t.log" | tail -2 || true
done
exit $status
