#!/bin/sh
# SPDX-License-Identifier: MIT
# Set up, build, and evaluate a bundled example case with the bundled rules.
#   ./scripts/demo.sh [CASE.json] [--text]
set -eu
cd "$(dirname "$0")/.."
./scripts/deps.sh
[ -d build ] || meson setup build >/dev/null
ninja -C build >/dev/null
case_file=examples/cases/basic.json
fmt=--text
for a in "$@"; do
    case "$a" in
        --json|--text) fmt=$a ;;
        *) case_file=$a ;;
    esac
done
exec build/tools/zhifa/zhifa eval "$fmt" "$case_file"
