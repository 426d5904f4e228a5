#!/usr/bin/env bash
# Regenerates the key tables of docs/config.md from the options the stages declare
# (include/whitezone/*/options.hpp): builds the unit tests and runs the doc test in update
# mode. Commit the result; CI's test fails while the file is out of date.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset ci >/dev/null
cmake --build --preset ci --target whitezone_unit_tests
WHITEZONE_UPDATE_DOCS=1 ./build/ci/tests/unit/whitezone_unit_tests \
    --gtest_filter='ConfigDoc.KeyTablesInDocsConfigMdMatchTheDeclarations'
git --no-pager diff --stat -- docs/config.md
