#!/usr/bin/env bash
# Installs what is missing, builds whitezone, and analyses the sample province in data/:
# prints the summary table and writes out/lang_son.gpkg (layers villages, coverage, stations,
# summary, sites) for QGIS.
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
