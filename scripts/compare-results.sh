#!/usr/bin/env bash
# "Results must not change": runs two builds of whitezone on the same inputs and compares
# every output layer, dumped as CSV with ogr2ogr (attributes and geometry as WKT, rows
# sorted), so that a
# refactoring can show it changed no number.
#
# Usage: scripts/compare-results.sh BEFORE_BINARY AFTER_BINARY [WORK_DIR]
#   e.g. scripts/compare-results.sh /work/main/build/ci/whitezone build/ci/whitezone
#
# Cases (the sample province in data/, as scripts/demo.sh runs it):
#   analyze            stations, villages, settlements
#   analyze-terrain    the same with --dem data/dem.tif --population data/population.tif
#   generate-S/-M      `whitezone generate --size S|M` (the generated layers themselves),
#                      then `analyze` on each generated country
#   plan               `plan --budget 10` on the sample
#   plan-planned       `plan --budget 10 --planned P --candidates C` on the sample, P being 30
#                      stations of data/stations.csv moved 7 km east and 5 km north, C three
#                      points (the what-if)
#   plan-terrain       `plan --budget 5` on the sample with the DEM
#   trend              `trend` on the sample (the stations' on_air dates)
# Prints one line per layer (same / DIFFERENT) and exits 1 when any layer differs.
set -euo pipefail
cd "$(dirname "$0")/.."
WHITEZONE_EXTRA_PACKAGES=gdal-bin bash scripts/install-deps.sh # ogr2ogr, ogrinfo
before=$(realpath "$1")
after=$(realpath "$2")
work=${3:-$(mktemp -d)}
mkdir -p "$work"
threads=${WHITEZONE_THREADS:-2}

sample=(--stations data/stations.csv --villages data/villages.gpkg
        --settlements data/settlements.gpkg)
terrain=(--dem data/dem.tif --population data/population.tif)
# The planned stations and candidate sites of the what-if case.
planned="$work/planned.csv"
candidates="$work/candidates.csv"
awk -F, 'BEGIN { OFS = "," } NR == 1 { print; next } NR <= 31 { $1 = "P" $1; $4 += 0.07; $5 += 0.05; print }' \
  data/stations.csv >"$planned"
printf 'name,lon,lat\na,106.60,21.90\nb,106.80,22.00\nc,106.40,21.70\n' >"$candidates"

# run LABEL BINARY: every case into $work/LABEL.
run() {
  local label=$1 bin=$2 out="$work/$1"
  rm -rf "$out" && mkdir -p "$out"
  echo "compare-results: running $label ($bin)" >&2
  "$bin" analyze "${sample[@]}" --threads "$threads" --out "$out/analyze.gpkg" >/dev/null
  "$bin" analyze "${sample[@]}" "${terrain[@]}" --threads "$threads" \
    --out "$out/analyze-terrain.gpkg" >/dev/null
  for size in S M; do
    "$bin" generate --size $size --out "$out/generate-$size" >/dev/null
    "$bin" analyze --stations "$out/generate-$size/stations.gpkg" \
      --villages "$out/generate-$size/villages.gpkg" --threads "$threads" \
      --out "$out/generate-$size-analyze.gpkg" >/dev/null
  done
  "$bin" plan "${sample[@]}" --budget 10 --threads "$threads" --out "$out/plan.gpkg" >/dev/null
  "$bin" plan "${sample[@]}" --budget 10 --planned "$planned" --candidates "$candidates" \
    --threads "$threads" --out "$out/plan-planned.gpkg" >/dev/null
  "$bin" plan "${sample[@]}" "${terrain[@]}" --budget 5 --threads "$threads" \
    --out "$out/plan-terrain.gpkg" >/dev/null
  "$bin" trend "${sample[@]}" --threads "$threads" --out "$out/trend.gpkg" \
    --chart "$out/trend.svg" >/dev/null
}

# dump DIR: every layer of every GeoPackage under DIR as DIR/csv/<file>--<layer>.csv, the
# header first and the rows sorted.
dump() {
  local dir=$1
  mkdir -p "$dir/csv"
  find "$dir" -name '*.gpkg' | sort | while read -r gpkg; do
    local name=${gpkg#"$dir"/}
    name=${name//\//_}
    ogrinfo -q -ro "$gpkg" 2>/dev/null | sed -nE 's/^[0-9]+: ([^ ]+).*/\1/p' |
      while read -r layer; do
        local csv="$dir/csv/${name%.gpkg}--$layer.csv"
        ogr2ogr -f CSV -lco GEOMETRY=AS_WKT /vsistdout/ "$gpkg" "$layer" 2>/dev/null |
          { IFS= read -r header; echo "$header"; LC_ALL=C sort; } >"$csv"
      done
  done
}

run before "$before"
run after "$after"
dump "$work/before"
dump "$work/after"

status=0
layers=0
for csv in "$work/before/csv/"*.csv; do
  name=$(basename "$csv")
  layers=$((layers + 1))
  rows=$(($(wc -l <"$csv") - 1))
  if [ ! -f "$work/after/csv/$name" ]; then
    echo "MISSING    $name (not in the after build's output)"
    status=1
  elif cmp -s "$csv" "$work/after/csv/$name"; then
    echo "same       $name ($rows rows)"
  else
    echo "DIFFERENT  $name: $(diff "$csv" "$work/after/csv/$name" | grep -c '^[<>]') lines differ"
    status=1
  fi
done
for csv in "$work/after/csv/"*.csv; do
  [ -f "$work/before/csv/$(basename "$csv")" ] || { echo "NEW        $(basename "$csv")"; status=1; }
done
cmp -s "$work/before/trend.svg" "$work/after/trend.svg" && echo "same       trend.svg" ||
  { echo "DIFFERENT  trend.svg"; status=1; }
echo "compare-results: $layers layers compared in $work: $([ $status -eq 0 ] && echo 'all identical' || echo 'differences found')"
exit $status
