#!/usr/bin/env bash
# Installs what is missing, builds whitezone, and analyses the sample province in data/:
# prints the summary table and writes out/lang_son.gpkg (layers villages, coverage, stations,
# summary, sites) for QGIS and its report out/lang_son-report.html (docs/report.md); then
# the terrain mode with the sample DEM and population grid (out/lang_son_terrain.gpkg).
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
echo "The yearly report of that result (docs/report.md): one HTML page with the text, tables"
echo "per district and a map, which opens offline; and the same text in English as Markdown:"
./build/release/whitezone report --results out/lang_son.gpkg --out out/lang_son-report.html --overwrite
./build/release/whitezone report --results out/lang_son.gpkg --lang en --format md \
  --out out/lang_son-report.md --overwrite
echo
echo "The same with terrain (data/dem.tif: line of sight from each antenna) and the"
echo "population grid (data/population.tif), docs/terrain.md:"
./build/release/whitezone analyze \
  --stations data/stations.csv \
  --villages data/villages.gpkg \
  --settlements data/settlements.gpkg \
  --dem data/dem.tif --population data/population.tif \
  --out out/lang_son_terrain.gpkg --overwrite
