#!/usr/bin/env bash
# Installs whitezone from a build folder into a temporary prefix, then configures, builds and
# runs examples/consumer against that installed package (find_package(whitezone)), as an
# outside project would. Also checks that the installed public headers name no GDAL, GEOS or
# PROJ type. Usage: scripts/check-example.sh [BUILD_DIR]   (default build/ci)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/ci}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cmake --install "$build" --prefix "$work/prefix" >/dev/null
# Public headers name only whitezone and standard types (STYLE.md §1).
if grep -rnE '#include *<(gdal|ogr|cpl|geos|proj|boost|CLI|nlohmann)|\b(OGR[A-Z]|GDAL[A-Z]|GEOS[A-Z]|PJ_?[A-Z]*\b \*)' \
    "$work/prefix/include/whitezone"; then
  echo "check-example: an installed public header names a GDAL/GEOS/PROJ/Boost type" >&2
  exit 1
fi
cmake -S examples/consumer -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/build" >/dev/null
"$work/build/consumer"
# The installed program runs from its prefix (it finds the library through its RPATH).
"$work/prefix/bin/whitezone" --version
