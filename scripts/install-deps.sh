#!/usr/bin/env bash
# Installs the Debian packages whitezone needs to build and test, if any is missing.
# Run as root on Debian 12 (bookworm) or newer. Set WHITEZONE_EXTRA_PACKAGES to add more.
set -euo pipefail

packages=(
  cmake ninja-build g++ pkg-config
  libgdal-dev libgeos-dev libproj-dev
  libboost-graph-dev libcli11-dev nlohmann-json3-dev
  libgtest-dev clang-format
)
# shellcheck disable=SC2206
packages+=(${WHITEZONE_EXTRA_PACKAGES:-})

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
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
