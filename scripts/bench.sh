#!/usr/bin/env bash
# National-scale benchmark: whitezone against PostGIS and GeoPandas on the same synthetic
# countries, in one run on one machine (docs/performance.md).
#
#   bash scripts/bench.sh [SIZE…]          sizes S M L XL (default: S M L)
#
# For each size it generates the country (whitezone generate, cached in build/bench-data),
# then times with /usr/bin/time: the I/O floor (one ogr2ogr process copying both input layers,
# read from one GeoPackage, into a new GeoPackage; timed with and without GDAL's background
# R-tree thread, the faster kept; and without spatial indexes, to which whitezone's own time
# for packing its indexes is added: the floor hardest for it), whitezone analyze on the same GeoPackage
# (status_rule area_share, --threads 2, all layers written), the write floor (one ogr2ogr
# process copying whitezone's output GeoPackage, timed the same two ways),
# PostGIS (a throw-away server started here: load with ogr2ogr, then scripts/bench/postgis.sql)
# and GeoPandas (scripts/bench/geopandas_job.py); checks that the three agree on every
# village's shares to 0.01 (scripts/bench/compare.py, exit 1 otherwise) and prints a table.
# BENCH_PEERS_MAX=M runs the peers only up to that size (they take long at XL).
# BENCH_VERTEX_SPACING=40 uses villages with denser edges (generate --vertex-spacing).
# BENCH_QUAD_SEGS=16 draws every footprint with 16 segments per quarter circle instead of 8,
# in all three (whitezone's quad_segs, ST_Buffer's, GeoPandas' resolution).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(S M L)
peers_max=${BENCH_PEERS_MAX:-L}
quad_segs=${BENCH_QUAD_SEGS:-8}

# shellcheck source=scripts/bench/common.sh
. scripts/bench/common.sh
bench_setup gdal-bin time bc postgresql postgresql-postgis python3-gdal python3-geopandas python3-rtree
py=/usr/bin/python3

# A PostgreSQL server of our own on a Unix socket, stopped on exit.
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
pgdir=$(mktemp -d /tmp/whitezone-pg.XXXXXX)
chown postgres: "$pgdir"
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
as_pg "$pgbin/initdb" -D "$pgdir/data" -U postgres --auth=trust >/dev/null
as_pg "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/log" -w start -o \
  "-k $pgdir -p 54329 -c listen_addresses='' -c fsync=off -c synchronous_commit=off \
   -c full_page_writes=off -c shared_buffers=2GB -c work_mem=256MB \
   -c maintenance_work_mem=1GB -c max_parallel_workers_per_gather=2" >/dev/null
trap 'as_pg "$pgbin/pg_ctl" -D "$pgdir/data" -m fast stop >/dev/null; rm -rf "$pgdir"' EXIT
pg="host=$pgdir port=54329 user=postgres"

echo "{\"status_rule\": \"area_share\", \"quad_segs\": $quad_segs}" >"$work/area_share.json"
echo "bench: footprints drawn with $quad_segs segments per quarter circle" >&2
table="| size | villages | vertices/village | cells | I/O floor s | whitezone s | peak MiB | ÷ floor | floor, indexes packed s | ÷ it | write floor s | PostGIS s (load+SQL) | GeoPandas s | PostGIS ÷ wz | GeoPandas ÷ wz |"
table+=$'\n'"|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
# ratio A B DIGITS: A / B rounded to DIGITS decimals (bc's scale truncates).
ratio() { LC_ALL=C awk -v a="$1" -v b="$2" -v d="$3" 'BEGIN { printf "%.*f\n", d, a / b }'; }
rank() { case $1 in S) echo 1;; M) echo 2;; L) echo 3;; XL) echo 4;; esac; }
for size in "${sizes[@]}"; do
  bench_country "$size"

  # The I/O floor: one process reading both layers and writing them into one GeoPackage.
  copy_floor floor "$d/inputs.gpkg" "$d/floor.gpkg"
  floor=$secs
  # The same copy without spatial indexes: GDAL 3.6 fills its R-trees row by row, which is
  # most of the floor; whitezone packs its own (docs/performance.md), so the floor hardest for
  # whitezone is this copy plus the time whitezone's log gives for packing the indexes of
  # as many rows (its output has the inputs' villages and cells).
  rm -f "$d/floor-no-index.gpkg"
  measure floor_no_index ogr2ogr -f GPKG -lco SPATIAL_INDEX=NO "$d/floor-no-index.gpkg" \
    "$d/inputs.gpkg"
  floor_ni=$secs

  measure whitezone "$wz" analyze --stations "$d/inputs.gpkg" --stations-layer stations \
    --villages "$d/inputs.gpkg" --villages-layer villages \
    --config "$work/area_share.json" --threads 2 --out "$d/whitezone.gpkg" --overwrite -v
  wz_s=$secs wz_mib=$mib
  packing=$(sed -n 's/^write: spatial indexes packed in \([0-9.]*\) s$/\1/p' "$work/whitezone.err")
  [ -n "$packing" ] || { echo "bench: whitezone -v logged no packing time (an older binary?)" >&2; exit 1; }
  packed_floor=$(LC_ALL=C awk -v a="$floor_ni" -v b="$packing" 'BEGIN { printf "%.2f\n", a + b }')
  echo "bench: floor without spatial indexes: $floor_ni s; with whitezone's packing ($packing s): $packed_floor s" >&2

  # The write floor: copying whitezone's own output (every layer) with one ogr2ogr.
  copy_floor write_floor "$d/whitezone.gpkg" "$d/write-floor.gpkg"
  wfloor=$secs

  pg_s="-" gp_s="-" pg_x="-" gp_x="-"
  if [ "$(rank "$size")" -le "$(rank "$peers_max")" ]; then
    as_pg "$pgbin/psql" -h "$pgdir" -p 54329 -U postgres -qc "DROP DATABASE IF EXISTS b" \
      -c "CREATE DATABASE b" >/dev/null
    as_pg "$pgbin/psql" -h "$pgdir" -p 54329 -U postgres -d b -qc "CREATE EXTENSION postgis" >/dev/null
    measure pg_load ogr2ogr -f PostgreSQL "PG:$pg dbname=b" "$d/inputs.gpkg" \
      -lco GEOMETRY_NAME=geom
    load=$secs
    measure pg_sql "$pgbin/psql" -h "$pgdir" -p 54329 -U postgres -d b -q \
      -v quad_segs="$quad_segs" -f scripts/bench/postgis.sql
    cp "$work/pg_sql.out" "$d/postgis.csv"
    pg_s=$(printf "%.2f" "$(echo "$load + $secs" | bc)")

    measure geopandas "$py" scripts/bench/geopandas_job.py "$d/villages.gpkg" \
      "$d/stations.gpkg" "$d/geopandas.csv" "$quad_segs"
    gp_s=$secs

    "$py" scripts/bench/compare.py "$d/whitezone.gpkg" "$d/postgis.csv" "$d/geopandas.csv"
    pg_x=$(ratio "$pg_s" "$wz_s" 1)
    gp_x=$(ratio "$gp_s" "$wz_s" 1)
  fi
  x_floor=$(ratio "$wz_s" "$floor" 2)
  x_packed=$(ratio "$wz_s" "$packed_floor" 2)
  row="| $size | $nv | $nvert | $ns | $floor | $wz_s | $wz_mib | $x_floor | $packed_floor | $x_packed | $wfloor | $pg_s | $gp_s | $pg_x | $gp_x |"
  echo "$row"
  table+=$'\n'"$row"
done
echo
echo "$table" | tee "$work/results.md"
