#!/usr/bin/env bash
# Benchmark of the ITM coverage model (docs/itm.md, "Speed"; results in docs/performance.md):
# the sample and the province case of bench-terrain.sh with {"coverage_model": "itm"}, each
# computed in full and with the adaptive coarser sampling far from the antenna ("itm":
# {"far_from_m", "far_step", "refine_margin_db", "refine_clearance_m", "skip_below_db"}), and how far the coarse run's village shares
# move from the full run's.
#
#   bash scripts/bench-itm-province.sh [RUNS]      default 1 run of each case
#
# Environment (defaults: the province of docs/performance.md):
#   ITM_VILLAGES=1675 ITM_SITES=570   the generated province (whitezone generate); about
#                                     6,700 km², 1,200 cells
#   ITM_CELL=30                       DEM cell size, m (scripts/make_dem.py --bench)
#   ITM_RADIUS=10000                  footprint radius of 2G, m; 3G/4G take 0.8 ×, 5G 0.3 ×
#   ITM_FAR_FROM=2000 ITM_FAR_STEP=4  the coarse sampling
#   ITM_MARGIN=6                      its refine_margin_db
#   ITM_CLEARANCE=10                  its refine_clearance_m
#   ITM_SKIP=20                       its skip_below_db (1000: every anchor computed)
#   ITM_SAMPLE=1                      0 leaves the sample out
#   ITM_THREADS=0                     --threads (0: every core)
#   WHITEZONE_BIN=PATH                time that binary instead of building build/release
# A small end-to-end check: ITM_VILLAGES=40 ITM_SITES=15 ITM_CELL=90 ITM_RADIUS=3000.
# Prints a markdown table: wall time, the ITM stage's own time (from the -v log), peak
# resident memory (medians of RUNS), and for the coarse runs the largest change of a village
# share (any / broadband) and the villages whose status changed, against the full run.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-1}
villages=${ITM_VILLAGES:-1675}
sites=${ITM_SITES:-570}
cell=${ITM_CELL:-30}
radius=${ITM_RADIUS:-10000}
far_from=${ITM_FAR_FROM:-2000}
far_step=${ITM_FAR_STEP:-4}
margin=${ITM_MARGIN:-6}
clearance=${ITM_CLEARANCE:-10}
skip=${ITM_SKIP:-20}
threads=${ITM_THREADS:-0}

# shellcheck source=scripts/bench/common.sh
. scripts/bench/common.sh
bench_setup gdal-bin time python3-numpy python3-gdal

p=$work/itm-province-$villages-$sites-$cell
if [ ! -f "$p/dem.tif" ]; then
  "$wz" generate --villages "$villages" --sites "$sites" --seed 7 --out "$p" --overwrite >/dev/null
  /usr/bin/python3 scripts/make_dem.py --bench "$p/villages.gpkg" "$p/dem.tif" "$cell" "$radius"
fi
r3=$((radius * 8 / 10))
r5=$((radius * 3 / 10))
radii="\"radius_m\": {\"2G\": $radius, \"3G\": $r3, \"4G\": $r3, \"5G\": $r5}"
echo "{\"coverage_model\": \"itm\", \"use_station_range\": false, $radii}" >"$p/full.json"
echo "{\"coverage_model\": \"itm\", \"use_station_range\": false, $radii,
  \"itm\": {\"far_from_m\": $far_from, \"far_step\": $far_step, \"refine_margin_db\": $margin,
  \"refine_clearance_m\": $clearance, \"skip_below_db\": $skip}}" \
  >"$p/coarse.json"
echo '{"coverage_model": "itm"}' >"$work/itm-sample-full.json"
echo "{\"coverage_model\": \"itm\", \"itm\": {\"far_from_m\": $far_from, \"far_step\": $far_step,
  \"refine_margin_db\": $margin, \"refine_clearance_m\": $clearance, \"skip_below_db\": $skip}}" \
  >"$work/itm-sample-coarse.json"
cells=$(ogrinfo -ro -so "$p/stations.gpkg" stations | sed -n 's/^Feature Count: //p')
nvillages=$(ogrinfo -ro -so "$p/villages.gpkg" villages | sed -n 's/^Feature Count: //p')

median() {
  sort -g | awk '{ v[NR] = $1 } END { m = int((NR + 1) / 2);
    if (NR % 2) print v[m]; else printf "%.3f\n", (v[m] + v[m + 1]) / 2 }'
}

# villages_csv GPKG: the villages' shares and statuses, one line each, in file order.
villages_csv() {
  ogr2ogr -f CSV /vsistdout/ "$1" villages \
    -select share_any,share_broadband,status_any,status_broadband 2>/dev/null | tail -n +2
}

# run_case LABEL OUT ARGS…: RUNS runs of `whitezone analyze ARGS -v --out OUT`; sets $row
# (the table's first columns).
run_case() {
  local label=$1 out=$2
  shift 2
  : >"$work/itm-runs.txt"
  for _ in $(seq "$runs"); do
    measure itm "$wz" analyze "$@" --threads "$threads" -v --out "$out" --overwrite
    local itm_s
    itm_s=$(sed -n 's/^coverage: ITM received power .* in \([0-9.]*\) s$/\1/p' "$work/itm.err")
    echo "$secs ${itm_s:-0} $mib" >>"$work/itm-runs.txt"
  done
  local grid
  grid=$(sed -n 's/^coverage: ITM received power on \(.* m\).*/\1/p' "$work/itm.err")
  # What the model computed (its -v line): evaluations, and the coarse run's refinements.
  sed -n 's/^coverage: \([0-9,]* ITM evaluations.*\)/\1/p' "$work/itm.err" |
    sed "s/^/$label: /" >>"$work/itm-work.txt"
  row="| $label | ${grid:--} | $(cut -d' ' -f1 "$work/itm-runs.txt" | median) s | $(cut -d' ' -f2 "$work/itm-runs.txt" | median) s | $(cut -d' ' -f3 "$work/itm-runs.txt" | median) MiB"
}

# compare FULL COARSE: "max |Δshare| any / broadband, villages whose status changed".
compare() {
  paste -d, <(villages_csv "$1") <(villages_csv "$2") | awk -F, '
    function abs(x) { return x < 0 ? -x : x }
    { da = abs($1 - $5); db = abs($2 - $6); if (da > ma) ma = da; if (db > mb) mb = db;
      if ($3 != $7 || $4 != $8) changed++ }
    END { printf "%.4f / %.4f | %d of %d", ma, mb, changed, NR }'
}

echo "Machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); $runs run(s) each, medians; --threads $threads."
echo "Province: $nvillages villages, $cells cells, DEM of $cell m, radii 2G $radius m, 3G/4G $r3 m, 5G $r5 m."
echo "Coarse: ITM at every ${far_step}th ray point beyond $far_from m, refined within $margin dB of the threshold, where the visibility changes or a shadowed receiver lies over $clearance m off the clearance line; stretches more than $skip dB below it skipped where no receiver's knife edge could make up the difference."
echo
echo "| case | work grid | wall | ITM stage | peak memory | max share change (any / broadband) | status changed |"
echo "|---|---|---|---|---|---|---|"
: >"$work/itm-work.txt"
if [ "${ITM_SAMPLE:-1}" != 0 ]; then
  sample=(--stations data/stations.csv --villages data/villages.gpkg --dem data/dem.tif)
  run_case "sample, ITM full" "$work/itm-sample-full.gpkg" "${sample[@]}" --config "$work/itm-sample-full.json"
  echo "$row | – | – |"
  run_case "sample, ITM coarse" "$work/itm-sample-coarse.gpkg" "${sample[@]}" --config "$work/itm-sample-coarse.json"
  echo "$row | $(compare "$work/itm-sample-full.gpkg" "$work/itm-sample-coarse.gpkg") |"
fi
province=(--stations "$p/stations.gpkg" --villages "$p/villages.gpkg" --dem "$p/dem.tif")
run_case "province, ITM full" "$work/itm-province-full.gpkg" "${province[@]}" --config "$p/full.json"
echo "$row | – | – |"
run_case "province, ITM coarse" "$work/itm-province-coarse.gpkg" "${province[@]}" --config "$p/coarse.json"
echo "$row | $(compare "$work/itm-province-full.gpkg" "$work/itm-province-coarse.gpkg") |"
echo
cat "$work/itm-work.txt"
