#!/usr/bin/env bash
# Installs the Debian packages whitezone needs to build and test, if any is missing.
# Run as root on Debian 12 (bookworm) or newer. Set WHITEZONE_EXTRA_PACKAGES to add more.
set -euo pipefail

packages=(
  cmake ninja-build g++ pkg-config
  libgdal-dev libsqlite3-dev libgeos-dev libproj-dev
  libboost-graph-dev libcli11-dev nlohmann-json3-dev
  libgtest-dev clang-format libicu-dev libssl-dev
  libtcmalloc-minimal4  # the program's allocator (CMakeLists.txt, WHITEZONE_ALLOCATOR)
  postgresql
  clang-14 libclang-rt-14-dev
  python3-qgis qgis  # qgis: qgis_process, for the Processing provider's test
  pybind11-dev python3-dev python3-numpy python3-geopandas python3-distributed
  gdal-bin python3-gdal  # python3-gdal: GDAL's GeoPackage validator (tests/e2e/check_gpkg.sh)
  chromium  # the report's browser test
)
# shellcheck disable=SC2206
packages+=(${WHITEZONE_EXTRA_PACKAGES:-})

# A locale with a decimal comma, so that the tests of locale-free number parsing run
# (STYLE.md §7) instead of being skipped.
need_locale=0
locale -a 2>/dev/null | grep -qi '^de_DE\.utf-\?8$' || need_locale=1
[ $need_locale -eq 1 ] && packages+=(locales)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# PostGIS for the server the PostGIS output tests start (scripts/postgis-test-server.sh):
# "postgresql-postgis" is provided by the package of the distribution's PostgreSQL
# (postgresql-15-postgis-3 on Debian 12).
ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1 || missing+=(postgresql-postgis)
make_locale() {
  if [ $need_locale -eq 1 ] && [ "$(id -u)" -eq 0 ]; then
    sed -i 's/^# *\(de_DE.UTF-8 UTF-8\)/\1/' /etc/locale.gen 2>/dev/null || true
    grep -q '^de_DE.UTF-8 UTF-8' /etc/locale.gen 2>/dev/null || echo 'de_DE.UTF-8 UTF-8' >>/etc/locale.gen
    locale-gen >/dev/null
  fi
}
if [ ${#missing[@]} -eq 0 ]; then
  make_locale
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing packages: ${missing[*]}; run this script as root (or apt-get install them)." >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
make_locale
