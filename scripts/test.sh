#!/usr/bin/env bash
# Installs what is missing, builds with warnings as errors, and runs the whole test suite
# (unit and end-to-end), then builds and runs examples/consumer against the installed package.
# This is what CI runs (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
# Formatting (STYLE.md §8): clang-format 14 with the repository's .clang-format.
if clang-format --version | grep -q ' 14\.'; then
  git ls-files '*.cpp' '*.hpp' | xargs clang-format --dry-run --Werror
fi
cmake --preset ci >/dev/null
cmake --build --preset ci
ctest --preset ci -j "$(nproc)" -LE example
# The installed package consumed by an outside project (examples/consumer): cmake --install
# to a temporary prefix, find_package(whitezone), build, run.
bash scripts/check-example.sh build/ci
