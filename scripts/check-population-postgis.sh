#!/usr/bin/env bash
# Checks whitezone's population weighting against PostGIS on the sample: the people of each
# village are the population grid's pixels whose centre lies inside it (PostGIS:
# ST_PixelAsCentroids + ST_Contains in WGS 84; whitezone: pixel centres reprojected into the
# work CRS). Prints the villages compared, how many agree to 0.001 people, the largest
# difference and both totals. As root on Debian with PostgreSQL and PostGIS installed
# (scripts/bench.sh installs them), after `cmake --preset release && cmake --build --preset release`.
set -euo pipefail
cd "$(dirname "$0")/.."
wz=${WHITEZONE_BIN:-build/release/whitezone}
tmp=$(mktemp -d)
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
"$wz" analyze --stations data/stations.csv --villages data/villages.gpkg \
  --population data/population.tif --out "$tmp/wz.gpkg" >/dev/null
cp data/villages.gpkg data/population.tif "$tmp/"
chmod 644 "$tmp"/*
pg_ctlcluster 15 main start 2>/dev/null || true
as_pg() { su postgres -c "$1"; }
as_pg "psql -q -c 'DROP DATABASE IF EXISTS wz_population_check' -c 'CREATE DATABASE wz_population_check'"
db="psql -q -d wz_population_check"
as_pg "$db -c 'CREATE EXTENSION postgis' -c 'CREATE EXTENSION postgis_raster'"
as_pg "ogr2ogr -f PostgreSQL PG:dbname=wz_population_check $tmp/villages.gpkg -nln villages -lco GEOMETRY_NAME=geom"
as_pg "ogr2ogr -f PostgreSQL PG:dbname=wz_population_check $tmp/wz.gpkg -nln wz -sql 'SELECT village_id, people_grid FROM villages'"
cat >"$tmp/check.sql" <<SQL
SET postgis.gdal_enabled_drivers = 'ENABLE_ALL';
CREATE TABLE pop AS SELECT ST_FromGDALRaster(pg_read_binary_file('$tmp/population.tif')) AS rast;
CREATE TABLE pg AS SELECT v.village_id, SUM(c.val) AS people
  FROM villages v JOIN (SELECT (ST_PixelAsCentroids(rast)).* FROM pop) c
    ON ST_Contains(v.geom, c.geom) AND c.val > 0 GROUP BY v.village_id;
SELECT (SELECT COUNT(*) FROM pg) AS villages_postgis,
  (SELECT COUNT(*) FROM wz WHERE people_grid IS NOT NULL) AS villages_whitezone,
  (SELECT COUNT(*) FROM pg JOIN wz USING (village_id)
    WHERE abs(pg.people - wz.people_grid) < 1e-3) AS agree,
  (SELECT MAX(abs(pg.people - wz.people_grid)) FROM pg JOIN wz USING (village_id)) AS max_difference,
  (SELECT SUM(people) FROM pg) AS people_postgis,
  (SELECT SUM(people_grid) FROM wz) AS people_whitezone;
SQL
chmod 644 "$tmp/check.sql"
as_pg "$db -f $tmp/check.sql"
as_pg "psql -q -c 'DROP DATABASE wz_population_check'"
