#!/usr/bin/env bash
# Results must not change: runs two whitezone binaries on the sample (analyze plain, with
# settlements, terrain + population, Shapefile; plan; trend; generate --size S), dumps every
# layer as CSV sorted by row (ogr2ogr, geometry as WKT) plus each GeoPackage's schema
# (ogrinfo), and reports the layers that differ. Needs gdal-bin (ogr2ogr, ogrinfo).
#   scripts/compare-outputs.sh OLD_BINARY NEW_BINARY [WORK_FOLDER]
# Exit code 0 when every layer and schema is identical, 1 otherwise. With OLD_COLUMNS=1, a
# layer counts as identical when the old binary's fields hold the same values in the new
# one's output (fields added by the new binary, and the schemas, are not compared): the
# check for a change that adds fields but must not change the others.
set -euo pipefail
cd "$(dirname "$0")/.."
old=$(realpath "$1"); new=$(realpath "$2")
work=${3:-$(mktemp -d)}
data=$PWD/data

dump() { # dump BINARY FOLDER
  local wz=$1 o=$2
  rm -rf "$o"; mkdir -p "$o"
  "$wz" analyze --stations "$data/stations.csv" --villages "$data/villages.gpkg" --out "$o/plain.gpkg" >/dev/null
  "$wz" analyze --stations "$data/stations.csv" --villages "$data/villages.gpkg" \
    --settlements "$data/settlements.gpkg" --out "$o/settlements.gpkg" >/dev/null
  "$wz" analyze --stations "$data/stations.csv" --villages "$data/villages.gpkg" \
    --dem "$data/dem.tif" --population "$data/population.tif" --out "$o/terrain.gpkg" >/dev/null
  "$wz" analyze --stations "$data/stations.csv" --villages "$data/villages.gpkg" \
    --format shp --out "$o/shp" >/dev/null
  "$wz" plan --stations "$data/stations.csv" --villages "$data/villages.gpkg" --budget 5 \
    --out "$o/plan.gpkg" >/dev/null
  "$wz" trend --stations "$data/stations.csv" --villages "$data/villages.gpkg" \
    --out "$o/trend.gpkg" >/dev/null
  "$wz" generate --size S --out "$o/generate" >/dev/null
  local f l
  for f in "$o"/*.gpkg "$o"/generate/*.gpkg "$o"/shp/*.shp "$o"/shp/summary.dbf "$o"/shp/sites.dbf; do
    for l in $(ogrinfo -ro -q "$f" | sed -n 's/^[0-9]*: \([^ ]*\).*/\1/p'); do
      ogr2ogr -f CSV /vsistdout/ "$f" "$l" -lco GEOMETRY=AS_WKT |
        { IFS= read -r header; echo "$header"; LC_ALL=C sort; } >"$o/$(basename "$f").$l.csv"
    done
    case $f in *.gpkg) ogrinfo -ro -so -al "$f" | grep -v '^INFO\|using driver' >"$o/$(basename "$f").schema" ;; esac
  done
}

dump "$old" "$work/old"
dump "$new" "$work/new"
status=0
same_old_columns() { # OLD.csv NEW.csv: the old file's columns equal, row for row (sorted)
  python3 - "$1" "$2" <<'PY'
import csv, sys
csv.field_size_limit(sys.maxsize)
old, new = (list(csv.DictReader(open(p, encoding="utf-8-sig"))) for p in sys.argv[1:3])
cols = list(old[0].keys()) if old else []
def rows(table):
    return sorted(tuple(r.get(c, "") for c in cols) for r in table)
sys.exit(0 if len(old) == len(new) and rows(old) == rows(new) else 1)
PY
}
files=("$work"/old/*.csv)
[ "${OLD_COLUMNS:-0}" = 1 ] || files+=("$work"/old/*.schema)
for f in "${files[@]}"; do
  if [ "${OLD_COLUMNS:-0}" = 1 ]; then
    same_old_columns "$f" "$work/new/$(basename "$f")" && continue
    echo "differs: $(basename "$f")"
    status=1
  elif ! cmp -s "$f" "$work/new/$(basename "$f")"; then
    echo "differs: $(basename "$f")"
    status=1
  fi
done
n=$(ls "$work"/old/*.csv | wc -l)
[ $status -eq 0 ] && echo "identical: $n layers${OLD_COLUMNS:+ (in the old binary fields)} and every schema ($work)"
exit $status
