#!/bin/sh
# SPDX-License-Identifier: MIT
# Set up, build (warnings are errors), lint (scripts/lint.sh) and run the
# whole test suite.
#   ./scripts/test.sh            release-like build + valgrind run of the unit tests
#   ZHIFA_SANITIZE=1 ./scripts/test.sh   also an ASan+UBSan build, a TSan build
#       of the thread tests, a short libFuzzer run per target, then the Debian
#       packages built, linted, installed and used (scripts/package.sh) and
#       `pip install .` into fresh venvs (tests/packaging/pip-install.sh)
#       (what CI runs; ZHIFA_FUZZ_SECONDS sets the fuzzing time per target,
#       default 60)
set -eu
cd "$(dirname "$0")/.."
./scripts/deps.sh

echo "== build (werror)"
[ -d build-test ] || meson setup build-test -Dwerror=true >/dev/null
ninja -C build-test
echo "== lint (cppcheck; exceptions justified in tests/lint/cppcheck.supp)"
./scripts/lint.sh build-test
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

    echo "== TSan (threads and hot reload)"
    [ -d build-tsan ] || meson setup build-tsan -Db_sanitize=thread \
        -Dpython=false >/dev/null
    ninja -C build-tsan tests/test-threads
    TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
    ZF_THREADS=4 ZF_THREAD_ITERS=500 ZF_RELOAD_CYCLES=100 \
        meson test -C build-tsan --no-rebuild --suite threads --print-errorlogs

    echo "== libFuzzer (${ZHIFA_FUZZ_SECONDS:-60} s per target)"
    ZHIFA_EXTRA_PKGS="clang libclang-rt-14-dev" ./scripts/deps.sh
    [ -d build-fuzz ] || CC=clang meson setup build-fuzz -Dfuzz=true \
        -Db_sanitize=address,undefined -Db_lundef=false -Dpython=false >/dev/null
    ninja -C build-fuzz tests/fuzz-ruleset tests/fuzz-expr tests/fuzz-eval \
        tests/fuzz-case tests/fuzz-lines
    for t in ruleset expr eval case lines; do
        mkdir -p "build-fuzz/corpus-$t"
        dict=""
        [ -f "tests/fuzz/$t.dict" ] && dict="-dict=tests/fuzz/$t.dict"
        # long subjects for the evaluator (free text up to the subject limit)
        maxlen=""
        [ "$t" = eval ] && maxlen="-max_len=65536"
        # shellcheck disable=SC2086
        if ! ASAN_OPTIONS=allocator_may_return_null=1:detect_leaks=1 \
            UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
            "build-fuzz/tests/fuzz-$t" -max_total_time="${ZHIFA_FUZZ_SECONDS:-60}" \
                -timeout=5 -rss_limit_mb=2048 -print_final_stats=1 \
                $dict $maxlen -artifact_prefix="build-fuzz/$t-" \
                "build-fuzz/corpus-$t" "tests/fuzz/corpus/$t" "tests/fuzz/regress/$t" \
                >"build-fuzz/fuzz-$t.log" 2>&1; then
            tail -n 60 "build-fuzz/fuzz-$t.log"
            echo "fuzz-$t found a problem: see build-fuzz/$t-* (add it to tests/fuzz/regress/$t/)"
            # A new finding of a time-limited random search is reported, and
            # fatal for developers (the default); CI sets ZHIFA_FUZZ_STRICT=0
            # so that a finding it happens on does not block everything else.
            # Everything found before is replayed as a fatal test above.
            if [ "${ZHIFA_FUZZ_STRICT:-1}" = 1 ]; then
                exit 1
            fi
            echo "fuzz-$t: NOT FATAL (ZHIFA_FUZZ_STRICT=0)"
        fi
        grep -E '^stat::number_of_executed_units' "build-fuzz/fuzz-$t.log" | sed "s/^/fuzz-$t: /"
    done

    # last: the packages users install (docs/packaging.md)
    echo "== Debian packages: build, lintian, install, use (scripts/package.sh)"
    ./scripts/package.sh
    echo "== pip install . into fresh venvs (tests/packaging/pip-install.sh)"
    ZHIFA_EXTRA_PKGS="python3-venv" ./scripts/deps.sh
    ZHIFA_CLI="$PWD/build-test/tools/zhifa/zhifa" tests/packaging/pip-install.sh
fi
echo "== all tests passed"
