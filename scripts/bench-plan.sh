#!/usr/bin/env bash
# Benchmark of `whitezone plan` at national scale (docs/plan.md, docs/performance.md).
#
#   bash scripts/bench-plan.sh [SIZE] [RUNS]      default: L (80,000 villages, 100,000 sites), 5
#
# Generates the country once (whitezone generate --size SIZE, cached in build/bench-data like
# scripts/bench.sh), then runs RUNS times
#   whitezone plan --budget 100 --threads 2 -v   (every layer written to a GeoPackage)
# under /usr/bin/time, and prints a markdown table: wall time, the time of the analysis stages
# (read to report), of the plan stage itself (candidates, greedy choice, backhaul, the villages
# near the new sites), of those villages classified again with the new sites (coverage,
# overlay and classify lines ending "with the new sites") and of the write, from the -v log
# lines, and the peak resident memory; the last row is the median of each column. BENCH_BUDGET and BENCH_THREADS change the budget and the threads;
# WHITEZONE_BIN=PATH times that binary instead of building build/release. As root it installs
# what is missing (scripts/install-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-L}
runs=${2:-5}
budget=${BENCH_BUDGET:-100}
threads=${BENCH_THREADS:-2}

# shellcheck source=scripts/bench/common.sh
. scripts/bench/common.sh
bench_setup gdal-bin time
bench_country "$size"

# stage_seconds FILE STAGE…: the seconds of these stages' -v lines ("<stage>: … in 1.23 s"),
# summed. FILE may be a process substitution.
stage_seconds() {
  local file=$1
  shift
  local pattern
  pattern="^($(
    IFS='|'
    echo "$*"
  )): "
  grep -E "$pattern" "$file" | sed -n 's/.* in \([0-9.]*\) s$/\1/p' |
    awk '{ s += $1 } END { printf "%.3f", s }'
}

# thousands N: 80000 -> 80,000.
thousands() { echo "$1" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta'; }

# median of the numbers on stdin.
median() {
  sort -g | awk '{ v[NR] = $1 } END { m = int((NR + 1) / 2);
    if (NR % 2) print v[m]; else printf "%.3f\n", (v[m] + v[m + 1]) / 2 }'
}

rows=$work/plan-runs.txt
: >"$rows"
for run in $(seq "$runs"); do
  measure plan "$wz" plan --stations "$d/stations.gpkg" --villages "$d/villages.gpkg" \
    --budget "$budget" --threads "$threads" -v --out "$d/plan.gpkg" --overwrite
  analysis=$(stage_seconds <(grep -v ' with the new sites in ' "$work/plan.err") \
    read prepare coverage overlay classify rank report)
  plan=$(stage_seconds "$work/plan.err" plan)
  again=$(stage_seconds <(grep ' with the new sites in ' "$work/plan.err") \
    coverage overlay classify)
  write=$(stage_seconds "$work/plan.err" write)
  echo "$run $secs $analysis $plan $again $write $mib" >>"$rows"
  echo "run $run: wall $secs s, plan stage $plan s, peak $mib MiB" >&2
done
sites=$(sed -n 's/^prepare: \([0-9,]*\) sites.*/\1/p' "$work/plan.err")
candidates=$(sed -n 's/^plan: \([0-9,]*\) candidates.*/\1/p' "$work/plan.err")
chosen=$(sed -n 's/^plan: \([0-9,]*\) new sites.*/\1/p' "$work/plan.err")

column() { awk -v c="$1" '{ print $c }' "$rows" | median; }
{
  echo "size $size: $(thousands "$nv") villages, $sites sites ($(thousands "$ns") cells);" \
    "$candidates candidates, $chosen new sites chosen;" \
    "whitezone plan --budget $budget --threads $threads, $runs runs"
  echo
  echo "| run | wall s | analysis s | plan stage s | with the new sites s | write s | peak MiB |"
  echo "|---|---|---|---|---|---|---|"
  awk '{ printf "| %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7 }' "$rows"
  echo "| median | $(column 2) | $(column 3) | $(column 4) | $(column 5) | $(column 6) |" \
    "$(column 7) |"
} | tee "$work/plan-results.md"
