# Shell helpers shared by the benchmark scripts (scripts/bench.sh, scripts/bench-plan.sh).
# Sourced, not run: the caller has `set -euo pipefail` and is in the repository root.
# shellcheck shell=bash
# shellcheck disable=SC2034  # the variables set here are the caller's results

# bench_setup PACKAGE…: installs what whitezone needs to build, plus these Debian packages,
# when missing (as root, scripts/install-deps.sh); builds the release preset; sets $wz (the
# binary) and $work (BENCH_DIR, default build/bench-data, as an absolute path).
# WHITEZONE_BIN=PATH times that binary instead of building build/release.
bench_setup() {
  WHITEZONE_EXTRA_PACKAGES="$*" bash scripts/install-deps.sh
  if [ -n "${WHITEZONE_BIN:-}" ]; then
    wz=$(realpath "$WHITEZONE_BIN")
  else
    cmake --preset release >/dev/null
    cmake --build --preset release >/dev/null
    wz=$PWD/build/release/whitezone
  fi
  work=${BENCH_DIR:-build/bench-data}
  mkdir -p "$work"
  work=$(cd "$work" && pwd)
}

# bench_country SIZE: the synthetic country of that size (whitezone generate --size SIZE,
# docs/generate.md), generated once into $work/SIZE and reused after; with
# BENCH_VERTEX_SPACING=METRES, villages with that edge vertex spacing instead of 150 m, in
# $work/SIZE-vMETRES. Also both layers in one GeoPackage, inputs.gpkg (layers villages and
# stations), as a national data set often comes. Sets $d (its folder), $nv (villages), $ns
# (station rows, i.e. cells) and $nvert (village vertices, rounded mean per village).
bench_country() {
  local spacing=${BENCH_VERTEX_SPACING:-}
  d=$work/$1${spacing:+-v$spacing}
  if [ ! -f "$d/villages.gpkg" ] || [ ! -f "$d/stations.gpkg" ]; then
    "$wz" generate --size "$1" ${spacing:+--vertex-spacing "$spacing"} --out "$d" \
      --overwrite >/dev/null
    rm -f "$d/inputs.gpkg"
  fi
  if [ ! -f "$d/inputs.gpkg" ]; then
    ogr2ogr -f GPKG "$d/inputs.gpkg.tmp" "$d/villages.gpkg" villages
    ogr2ogr -update -f GPKG "$d/inputs.gpkg.tmp" "$d/stations.gpkg" stations
    mv "$d/inputs.gpkg.tmp" "$d/inputs.gpkg"
  fi
  nv=$(ogrinfo -ro -so "$d/villages.gpkg" villages | sed -n 's/^Feature Count: //p')
  ns=$(ogrinfo -ro -so "$d/stations.gpkg" stations | sed -n 's/^Feature Count: //p')
  nvert=$(ogrinfo -ro -q -dialect SQLite -sql \
    "SELECT CAST(ROUND(AVG(ST_NPoints(geom))) AS INTEGER) AS n FROM villages" \
    "$d/villages.gpkg" | sed -n 's/^ *n (Integer) = //p')
}

# measure NAME CMD…: runs CMD with /usr/bin/time, its stdout and stderr in $work/NAME.out and
# $work/NAME.err; sets $secs (wall seconds) and $mib (peak resident memory, MiB). A failing
# CMD stops the script with the end of its stderr.
measure() {
  local name=$1
  shift
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >"$work/$name.out" 2>"$work/$name.err" || {
    echo "bench: $name failed:" >&2
    tail -5 "$work/$name.err" >&2
    exit 1
  }
  read -r secs kib <"$work/time.txt"
  mib=$((kib / 1024))
}

# copy_floor NAME SOURCE TARGET: one ogr2ogr process copying every layer of SOURCE into a new
# GeoPackage TARGET, timed twice: as GDAL does by default, and with its background R-tree
# thread off (OGR_GPKG_ALLOW_THREADED_RTREE=NO). GDAL 3.6's background thread makes the
# main thread wait on SQLite's locks (sleeps of the busy handler: 7.4 s against 4.0 s at L
# on the project's machine), so the faster of the two is the floor, the one hardest for
# whitezone. Sets $secs to it; prints both.
copy_floor() {
  local name=$1 source=$2 target=$3 threaded
  rm -f "$target"
  measure "$name" ogr2ogr -f GPKG "$target" "$source"
  threaded=$secs
  rm -f "$target"
  OGR_GPKG_ALLOW_THREADED_RTREE=NO measure "${name}_serial_rtree" ogr2ogr -f GPKG "$target" "$source"
  echo "bench: $name: $threaded s with GDAL's background R-tree thread, $secs s without" >&2
  secs=$(LC_ALL=C awk -v a="$threaded" -v b="$secs" 'BEGIN { print (a < b ? a : b) }')
}
