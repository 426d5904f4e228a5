#!/usr/bin/env bash
# Installs whitezone's QGIS plugin (qgis/whitezone_processing, a Processing provider) into a
# QGIS profile and enables it, for QGIS desktop and for qgis_process (docs/qgis.md).
#
# Usage: scripts/install-qgis-plugin.sh [--link] [--build DIR] [--profile NAME]
#   --link         symlink the plugin folder instead of copying it (for working on it)
#   --build DIR    a build tree (e.g. build/ci): the provider's settings point at its
#                  whitezone program and Python module, so nothing needs installing
#   --profile NAME the QGIS profile (default: default)
# The profiles are in $QGIS_PROFILES_PATH, else ~/.local/share/QGIS/QGIS3/profiles.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
source_dir="$here/qgis/whitezone_processing"
link=0
build=""
profile=default
while [ $# -gt 0 ]; do
  case "$1" in
    --link) link=1 ;;
    --build) build=${2:?"--build needs a build folder"}; shift ;;
    --profile) profile=${2:?"--profile needs a profile name"}; shift ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install-qgis-plugin: unknown argument '$1'; see --help" >&2; exit 2 ;;
  esac
  shift
done

if [ -n "$build" ]; then
  [ -d "$build" ] || {
    echo "install-qgis-plugin: build folder '$build' does not exist; build first (cmake --build --preset ci)" >&2; exit 2; }
  build=$(cd "$build" && pwd)
  [ -x "$build/whitezone" ] || {
    echo "install-qgis-plugin: $build/whitezone is missing; build it (cmake --build --preset ci)" >&2; exit 2; }
  ls "$build"/python/whitezone/_whitezone*.so >/dev/null 2>&1 || {
    echo "install-qgis-plugin: the Python module is missing in $build/python/whitezone; build it (needs pybind11-dev and python3-dev, docs/python.md)" >&2; exit 2; }
fi

profile_dir="${QGIS_PROFILES_PATH:-$HOME/.local/share/QGIS/QGIS3/profiles}/$profile"
plugins="$profile_dir/python/plugins"
target="$plugins/whitezone_processing"
mkdir -p "$plugins" "$profile_dir/QGIS"
rm -rf "$target"
if [ $link -eq 1 ]; then
  ln -s "$source_dir" "$target"
else
  cp -r "$source_dir" "$target"
  rm -rf "$target/__pycache__"
fi

# Enabled in the profile's QGIS3.ini ([PythonPlugins]), written with Qt's own QSettings so
# that the rest of the file is kept as QGIS wrote it: Debian's python3, where python3-pyqt5
# (a dependency of python3-qgis) is, even when another python3 comes first on PATH.
python=/usr/bin/python3
[ -x "$python" ] || python=python3
WZ_INI="$profile_dir/QGIS/QGIS3.ini" WZ_BUILD="$build" "$python" - <<'PY'
import os
from PyQt5.QtCore import QSettings

settings = QSettings(os.environ["WZ_INI"], QSettings.IniFormat)
settings.setValue("PythonPlugins/whitezone_processing", True)
build = os.environ["WZ_BUILD"]
if build:
    settings.setValue("Processing/Configuration/WHITEZONE_CLI", os.path.join(build, "whitezone"))
    settings.setValue("Processing/Configuration/WHITEZONE_PYTHONPATH", os.path.join(build, "python"))
settings.sync()
if settings.status() != QSettings.NoError:
    raise SystemExit(f"install-qgis-plugin: cannot write {os.environ['WZ_INI']}")
PY
echo "install-qgis-plugin: $( [ $link -eq 1 ] && echo linked || echo copied ) $source_dir to $target, enabled in $profile_dir/QGIS/QGIS3.ini${build:+ (engine: $build)}"
