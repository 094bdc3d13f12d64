#!/bin/sh
# SPDX-License-Identifier: MIT
# Set up, build (warnings are errors) and run the whole test suite.
#   ./scripts/test.sh            release-like build + valgrind run of the unit tests
#   ZHIFA_SANITIZE=1 ./scripts/test.sh   also an ASan+UBSan build (what CI runs)
set -eu
cd "$(dirname "$0")/.."
./scripts/deps.sh

echo "== build (werror)"
[ -d build-test ] || meson setup build-test -Dwerror=true >/dev/null
ninja -C build-test
echo "== test"
meson test -C build-test --print-errorlogs

echo "== valgrind (unit tests)"
meson test -C build-test --setup=valgrind --suite unit --print-errorlogs

if [ "${ZHIFA_SANITIZE:-0}" = 1 ]; then
    echo "== ASan + UBSan"
    [ -d build-asan ] || meson setup build-asan -Db_sanitize=address,undefined \
        -Db_lundef=false -Dpython=false >/dev/null
    ninja -C build-asan
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        meson test -C build-asan --print-errorlogs
fi
echo "== all tests passed"
