#!/usr/bin/env bash
# Before/after: two whitezone binaries on the same synthetic country, runs alternated so that
# a change in the machine's load falls on both (docs/performance.md, "Before and after").
#
#   WHITEZONE_BIN_A=old/whitezone WHITEZONE_BIN_B=new/whitezone bash scripts/bench-ab.sh [SIZE] [RUNS] [ARGS…]
#
# SIZE (default L) is generated once with B into build/bench-data (bench.sh's data, one
# GeoPackage inputs.gpkg with both layers); each binary then runs `analyze` RUNS times (default
# 3) with status_rule area_share, --threads 2 and ARGS (e.g. --stability), every layer written.
# Prints per binary the wall seconds and peak MiB of each run, then the median and the spread
# (max − min), and the I/O floor (one ogr2ogr copying inputs.gpkg, the faster of GDAL's
# default and its background R-tree thread off: scripts/bench/common.sh) measured between the runs.
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-L}
runs=${2:-3}
shift $(($# < 2 ? $# : 2))
: "${WHITEZONE_BIN_A:?give the first binary}" "${WHITEZONE_BIN_B:?give the second binary}"
a=$(realpath "$WHITEZONE_BIN_A")
b=$(realpath "$WHITEZONE_BIN_B")

# shellcheck source=scripts/bench/common.sh
. scripts/bench/common.sh
WHITEZONE_BIN=$b bench_setup gdal-bin time bc
bench_country "$size"
echo '{"status_rule": "area_share"}' >"$work/area_share.json"

declare -A wall mib
for ((i = 1; i <= runs; i++)); do
  for side in A B floor; do
    case $side in
      A | B)
        bin=$a
        [ "$side" = B ] && bin=$b
        measure "ab_$side" "$bin" analyze --stations "$d/inputs.gpkg" --stations-layer stations \
          --villages "$d/inputs.gpkg" --villages-layer villages --config "$work/area_share.json" \
          --threads 2 --out "$d/ab_$side.gpkg" --overwrite "$@"
        ;;
      floor)
        copy_floor floor "$d/inputs.gpkg" "$d/floor.gpkg"
        ;;
    esac
    wall[$side]+="$secs "
    mib[$side]+="$mib "
  done
done

stats() { # the numbers → "median (spread)"
  printf '%s\n' $1 | sort -g | awk '{v[NR]=$1} END {m=(NR%2)?v[(NR+1)/2]:(v[NR/2]+v[NR/2+1])/2;
    printf "%.2f (spread %.2f)", m, v[NR]-v[1]}'
}
echo "size $size: $nv villages ($nvert vertices each on average), $ns cells; $runs runs each"
for side in A B floor; do
  label=$side
  [ "$side" = A ] && label="A $a"
  [ "$side" = B ] && label="B $b"
  echo "$label: wall s ${wall[$side]}→ $(stats "${wall[$side]}"); peak MiB ${mib[$side]}→ $(stats "${mib[$side]}")"
done
