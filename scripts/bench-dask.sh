#!/usr/bin/env bash
# Benchmark of the Dask driver (python3 -m whitezone.dask, docs/scale-out.md; figures in
# docs/performance.md): `whitezone analyze` in one process against the driver with a local
# cluster of 1 and of 2 worker processes, split by province, on generated countries.
#
#   bash scripts/bench-dask.sh                 XL and XXL, then the terrain case
#   BENCH_SIZES="S M" BENCH_TERRAIN=S bash scripts/bench-dask.sh     a quick check
#
# Cases:
#   vector    whitezone generate --size SIZE for each of BENCH_SIZES (default "XL XXL": 300,000
#             villages / 400,000 sites and 1,200,000 / 1,600,000), generated once and reused
#   terrain   the country of BENCH_TERRAIN (default L; "" skips it) with a 30 m DEM in UTM 48N
#             over it (a 300 m relief from scripts/make_dem.py --bench, resampled to 30 m
#             by gdalwarp, tiled and compressed: about 380 million cells at L, just under
#             the one-run raster cap of 400 million; 1.3 billion at XL, past it, where the
#             single run refuses the grid), the model's radii and the stations' own ranges
#             as in the vector runs, or the config BENCH_TERRAIN_CONFIG gives (JSON, e.g.
#             '{"use_station_range": false, "radius_m": {"2G": 10000, "3G": 8000, "4G": 8000,
#             "5G": 3000}}' for bench-terrain.sh's province radii)
# Each result of the driver is checked against the single run's (every village's fields,
# the summary) when the single run finished. Prints a markdown table per case: wall time,
# peak resident memory of the largest process, parts. BENCH_PARTITION (default province)
# chooses the split. Needs /usr/bin/python3 with the module's packages (as root it installs
# them with python3-gdal for the DEM); WHITEZONE_BIN=PATH times that binary (its python/
# folder beside it must hold the module).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=${BENCH_SIZES:-XL XXL}
terrain=${BENCH_TERRAIN-L}
terrain_config=${BENCH_TERRAIN_CONFIG-}
partition=${BENCH_PARTITION:-province}

# shellcheck source=scripts/bench/common.sh
. scripts/bench/common.sh
bench_setup gdal-bin time python3-numpy python3-gdal python3-distributed
export PYTHONPATH
PYTHONPATH=$(dirname "$wz")/python${PYTHONPATH:+:$PYTHONPATH}
py=/usr/bin/python3

# same WHOLE PARTS: every village's fields and every summary, operator, site and station row
# equal, shares and people to 1e-12 (a part's GEOS overlay may round the last bit otherwise,
# as python/tests/dask_test.py allows); exit 1 otherwise.
same() {
  "$py" - "$1" "$2" <<'PY'
import math, sqlite3, sys
def rows(path, layer):
    with sqlite3.connect(path) as db:
        return [r[1:] for r in db.execute(f'SELECT * FROM "{layer}" ORDER BY fid')]
def equal(x, y):
    if isinstance(x, float) and isinstance(y, float):
        return math.isclose(x, y, rel_tol=1e-12, abs_tol=1e-12)
    return x == y
for layer in ("villages", "summary", "summary_operators", "sites", "stations"):
    a, b = rows(sys.argv[1], layer), rows(sys.argv[2], layer)
    n = sum(not all(map(equal, x, y)) for x, y in zip(a, b)) + abs(len(a) - len(b))
    if n:
        sys.exit(f"bench: {layer} differs from the single run in {n} rows")
PY
}

# one_case LABEL ARGS…: the single run, then the driver with 1 and 2 workers.
one_case() {
  local label=$1
  shift
  echo
  echo "### $label"
  echo
  echo "| run | wall | plan s | parts s | merge and write s | peak memory | parts | same as one process |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
  local whole=$work/dask-whole.gpkg single=ok
  if /usr/bin/time -f "%e %M" -o "$work/time.txt" "$wz" analyze "$@" --out "$whole" \
    --overwrite >"$work/dask-whole.out" 2>"$work/dask-whole.err"; then
    read -r secs kib <"$work/time.txt"
    echo "| whitezone analyze (one process, all cores) | $secs s | - | - | - | $((kib / 1024)) MiB | - | - |"
  else
    single=failed
    echo "| whitezone analyze (one process) | refused: $(tail -1 "$work/dask-whole.err" | cut -c1-120) | | | | | | |"
  fi
  for n in 1 2; do
    measure dask "$py" -m whitezone.dask analyze --scheduler "local:$n" \
      --partition "$partition" "$@" --out "$work/dask-parts.gpkg" --overwrite -v
    local parts check=- plan_s parts_s merge_s
    parts=$(sed -n 's/.* in \([0-9]*\) parts.*/\1/p' "$work/dask.out")
    plan_s=$(sed -n 's/^plan: .* in \([0-9.]*\) s$/\1/p' "$work/dask.err")
    parts_s=$(sed -n 's/^parts: [0-9]* in \([0-9.]*\) s$/\1/p' "$work/dask.err")
    merge_s=$(sed -n 's/^merge and write in \([0-9.]*\) s$/\1/p' "$work/dask.err")
    if [ "$single" = ok ]; then
      if same "$whole" "$work/dask-parts.gpkg"; then check=yes; else check=NO; fi
    fi
    echo "| whitezone.dask, local:$n, by $partition | $secs s | $plan_s | $parts_s | $merge_s | $mib MiB | $parts | $check |"
  done
}

for size in $sizes; do
  bench_country "$size"
  one_case "$size: $nv villages, $ns cells (vector)" \
    --stations "$d/stations.gpkg" --villages "$d/villages.gpkg"
done

if [ -n "$terrain" ]; then
  bench_country "$terrain"
  dem=$d/dem30.tif
  if [ ! -f "$dem" ]; then
    "$py" scripts/make_dem.py --bench "$d/villages.gpkg" "$d/dem300.tif" 300 10000
    gdalwarp -q -overwrite -tr 30 30 -r bilinear -co TILED=YES -co COMPRESS=DEFLATE \
      -co PREDICTOR=3 -co BIGTIFF=YES "$d/dem300.tif" "$dem.tmp.tif"
    mv "$dem.tmp.tif" "$dem"
  fi
  config=()
  if [ -n "$terrain_config" ]; then
    echo "$terrain_config" >"$d/terrain.json"
    config=(--config "$d/terrain.json")
  fi
  one_case "$terrain: $nv villages, $ns cells, terrain on a 30 m DEM" \
    --stations "$d/stations.gpkg" --villages "$d/villages.gpkg" --dem "$dem" "${config[@]}"
fi
