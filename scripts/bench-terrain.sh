#!/usr/bin/env bash
# Benchmark of the terrain mode (--dem, docs/method.md §3; results in docs/performance.md).
#
#   bash scripts/bench-terrain.sh [RUNS]      default 3 runs of each case
#
# Cases:
#   sample    data/: Lạng Sơn, 1,654 villages, 713 cells, data/dem.tif (6″ ≈ 178 m in the
#             work CRS) and data/population.tif; the disk model on the same data for scale
#   province  a generated province of about 6,700 km² (whitezone generate --villages 1675:
#             4 km² a village, --sites 570), about 1,200 cells, radii raised to 10 km (2G) / 8 km (3G, 4G) /
#             3 km (5G) with the stations' own ranges off; a synthetic 30 m DEM in UTM 48N
#             over it plus 10 km (scripts/make_dem.py --bench); run with --threads 1 and with
#             every core
# Prints a markdown table: wall time, the terrain line-of-sight stage's own time (from the -v
# log), and peak resident memory, each the median of RUNS. Needs /usr/bin/python3 with numpy
# and GDAL for the DEM (as root it installs python3-numpy python3-gdal and what the build
# needs); WHITEZONE_BIN=PATH times that binary instead of building build/release.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}

# shellcheck source=scripts/bench/common.sh
. scripts/bench/common.sh
bench_setup gdal-bin time python3-numpy python3-gdal

# The generated province and its DEM, made once and reused.
p=$work/terrain-province
if [ ! -f "$p/dem30.tif" ]; then
  "$wz" generate --villages 1675 --sites 570 --seed 7 --out "$p" --overwrite >/dev/null
  /usr/bin/python3 scripts/make_dem.py --bench "$p/villages.gpkg" "$p/dem30.tif" 30 10000
fi
cat >"$p/config.json" <<'JSON'
{"use_station_range": false, "radius_m": {"2G": 10000, "3G": 8000, "4G": 8000, "5G": 3000}}
JSON
cells=$(ogrinfo -ro -so "$p/stations.gpkg" stations | sed -n 's/^Feature Count: //p')
villages=$(ogrinfo -ro -so "$p/villages.gpkg" villages | sed -n 's/^Feature Count: //p')

# median of the numbers on stdin.
median() {
  sort -g | awk '{ v[NR] = $1 } END { m = int((NR + 1) / 2);
    if (NR % 2) print v[m]; else printf "%.3f\n", (v[m] + v[m + 1]) / 2 }'
}

# run_case LABEL ARGS…: RUNS runs of `whitezone analyze ARGS -v`; prints a table row.
run_case() {
  local label=$1
  shift
  : >"$work/terrain-runs.txt"
  for _ in $(seq "$runs"); do
    measure terrain "$wz" analyze "$@" -v --out "$work/terrain-out.gpkg" --overwrite
    los=$(sed -n 's/^coverage: terrain line of sight .* in \([0-9.]*\) s$/\1/p' "$work/terrain.err")
    echo "$secs ${los:-0} $mib" >>"$work/terrain-runs.txt"
  done
  local wall los_s mem grid
  wall=$(cut -d' ' -f1 "$work/terrain-runs.txt" | median)
  los_s=$(cut -d' ' -f2 "$work/terrain-runs.txt" | median)
  mem=$(cut -d' ' -f3 "$work/terrain-runs.txt" | median)
  grid=$(sed -n 's/^read: DEM of \(.*\) in .*/\1/p' "$work/terrain.err")
  echo "| $label | ${grid:--} | $wall s | $los_s s | $mem MiB |"
}

echo "Machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); $runs runs each, medians."
echo "Province: $villages villages, $cells cells."
echo
echo "| case | work grid | wall | line of sight | peak memory |"
echo "|---|---|---|---|---|"
sample=(--stations data/stations.csv --villages data/villages.gpkg --settlements data/settlements.gpkg)
run_case "sample, disk model" "${sample[@]}"
run_case "sample, terrain + population" "${sample[@]}" --dem data/dem.tif --population data/population.tif
province=(--stations "$p/stations.gpkg" --villages "$p/villages.gpkg" --config "$p/config.json" --dem "$p/dem30.tif")
run_case "province, terrain, 1 thread" "${province[@]}" --threads 1
run_case "province, terrain, $(nproc) threads" "${province[@]}" --threads 0
