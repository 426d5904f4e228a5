#!/usr/bin/env bash
# Installs what is missing, builds whitezone, and analyses the sample province in data/:
# prints the summary table and writes out/lang_son.gpkg (layers villages, coverage, stations,
# summary, sites) for QGIS; then the terrain mode with the sample DEM and population grid
# (out/lang_son_terrain.gpkg).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release
mkdir -p out
./build/release/whitezone analyze \
  --stations data/stations.csv \
  --villages data/villages.gpkg \
  --settlements data/settlements.gpkg \
  --out out/lang_son.gpkg --overwrite
echo
echo "The same with terrain (data/dem.tif: line of sight from each antenna) and the"
echo "population grid (data/population.tif), docs/terrain.md:"
./build/release/whitezone analyze \
  --stations data/stations.csv \
  --villages data/villages.gpkg \
  --settlements data/settlements.gpkg \
  --dem data/dem.tif --population data/population.tif \
  --out out/lang_son_terrain.gpkg --overwrite
