#!/usr/bin/env bash
# The GeoPackage of `whitezone analyze` on the sample passes GDAL's own validator
# (validate_gpkg.py of python3-gdal: the standard's tables, and for each spatial index, packed
# by whitezone (src/report/sinks/gpkg_rtree.cpp), its virtual table, triggers and extension
# row), and each index passes SQLite's rtreecheck() and holds one box per feature with a
# geometry. Skipped (exit 77) without the validator.
# Usage: check_gpkg.sh WHITEZONE DATA_DIR WORK_DIR
set -euo pipefail
wz=$1 data=$2 work=$3
validator=/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py
[ -f "$validator" ] || { echo "skipped: no $validator (apt-get install python3-gdal)"; exit 77; }
rm -rf "$work"
mkdir -p "$work"
"$wz" analyze --stations "$data/stations.csv" --villages "$data/villages.gpkg" \
  --out "$work/results.gpkg" >"$work/analyze.log"
/usr/bin/python3 "$validator" "$work/results.gpkg"
/usr/bin/python3 - "$work/results.gpkg" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
tables = db.execute("SELECT table_name, column_name FROM gpkg_geometry_columns").fetchall()
assert {t for t, _ in tables} >= {"villages", "stations", "coverage"}, tables
for table, column in tables:
    rtree = f"rtree_{table}_{column}"
    (check,) = db.execute(f"SELECT rtreecheck('{rtree}')").fetchone()
    (boxes,) = db.execute(f'SELECT count(*) FROM "{rtree}"').fetchone()
    (features,) = db.execute(f'SELECT count(*) FROM "{table}" WHERE "{column}" IS NOT NULL').fetchone()
    print(f"{rtree}: {check}, {boxes} boxes for {features} features")
    assert check == "ok" and boxes == features > 0, (rtree, check, boxes, features)
PY
