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
# Public headers name only whitezone and standard types (STYLE.md §1): no include of a
# dependency, and no GDAL/OGR/GEOS/PROJ type outside comments.
if grep -rnE '#include *<(gdal|ogr|cpl|geos|proj|boost|CLI|nlohmann)' "$work/prefix/include" ||
  grep -rnE '\b(OGR[A-Z][A-Za-z]+|GDAL[A-Z][A-Za-z]+|GEOS[A-Z][A-Za-z]+|PJ_[A-Z]+|PJ)\b' \
    "$work/prefix/include" | grep -vE '^[^:]+:[0-9]+: *//'; then
  echo "check-example: an installed public header names a dependency's type (above)" >&2
  exit 1
fi
cmake -S examples/consumer -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/build" >/dev/null
"$work/build/consumer"
# The installed program runs from its prefix (it finds the library through its RPATH).
"$work/prefix/bin/whitezone" --version
# The installed Python module (when the build has one, docs/python.md) imports from its
# prefix and finds the library through its RPATH.
for pkg in "$work"/prefix/lib/python3*/dist-packages/whitezone; do
  [ -d "$pkg" ] || continue
  PYTHONPATH="$(dirname "$pkg")" /usr/bin/python3 -c \
    'import whitezone, sys; print("python: whitezone", whitezone.__version__, "from", whitezone.__file__)'
done
