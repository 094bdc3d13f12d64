#!/bin/sh
# SPDX-License-Identifier: MIT
# Static analysis (STYLE.md 31): cppcheck over lib/ and tools/, findings
# are errors; the justified exceptions are in tests/lint/cppcheck.supp.
#   ./scripts/lint.sh [BUILD_DIR]     (BUILD_DIR holds config.h; default build)
# About a minute on 2 cores.
set -eu
cd "$(dirname "$0")/.."
build="${1:-build}"
if [ ! -f "$build/config.h" ]; then
    echo "lint: no $build/config.h: run meson setup $build first" >&2
    exit 2
fi
ZHIFA_EXTRA_PKGS="cppcheck" ./scripts/deps.sh
# -D__GNUC__: the code's attribute macros take their GNU branch, as gcc does.
cppcheck --quiet --std=c11 --error-exitcode=1 \
    --enable=warning,style,portability,performance \
    --library=tests/lint/cjson.cfg \
    --suppressions-list=tests/lint/cppcheck.supp --inline-suppr \
    -D__GNUC__ -I lib -I include -I include/zhifa -I "$build" \
    -j 2 lib tools
echo "lint: cppcheck clean"
