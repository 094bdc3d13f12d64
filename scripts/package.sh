#!/bin/sh
# SPDX-License-Identifier: MIT
# Build the Debian packages (debian/), check them with lintian, install them
# on this machine with apt-get and use the installed CLI, library and Python
# module from outside the source tree. What CI runs after the test suite
# (scripts/test.sh with ZHIFA_SANITIZE=1); see docs/packaging.md.
#
#   ./scripts/package.sh            build, lintian, install, smoke test, purge
#   ZHIFA_KEEP_PACKAGES=1 ./scripts/package.sh     leave the packages installed
#   DEB_BUILD_OPTIONS=...           default "nocheck parallel=2": the suite has
#                                   just run; set it to "parallel=2" to run it
#                                   inside the package build too
#
# The packages and logs land in build-deb/ (the source is copied to
# build-deb/src: dpkg-buildpackage writes its results next to the source).
set -eu
cd "$(dirname "$0")/.."
start=$(date +%s)
ZHIFA_EXTRA_PKGS="debhelper dh-python dpkg-dev lintian" ./scripts/deps.sh

if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
OUT=build-deb
rm -rf "$OUT"
mkdir -p "$OUT/src"

echo "== copy the source to $OUT/src"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    # tracked and new files, as they are in the working tree
    git ls-files -co --exclude-standard | while IFS= read -r f; do
        [ -e "$f" ] && printf '%s\n' "$f"
    done | tar -cf - -T - | tar -xf - -C "$OUT/src"
else
    tar -cf - --exclude='./build*' --exclude='./.git' . | tar -xf - -C "$OUT/src"
fi

echo "== dpkg-buildpackage -us -uc -b"
(
    cd "$OUT/src"
    dpkg-checkbuilddeps
    DEB_BUILD_OPTIONS="${DEB_BUILD_OPTIONS:-nocheck parallel=2}" \
        dpkg-buildpackage -us -uc -b >../build.log 2>&1
) || { tail -n 80 "$OUT/build.log"; echo "package: dpkg-buildpackage failed (full log: $OUT/build.log)"; exit 1; }
grep -E '^dpkg-gensymbols: (warning|error)' "$OUT/build.log" || true
ls "$OUT"/*.deb

echo "== lintian (errors fail)"
lintian --fail-on error --tag-display-limit 0 "$OUT"/*.changes | tee "$OUT/lintian.log"
echo "lintian: $(grep -c '^E:' "$OUT/lintian.log" || true) errors, $(grep -c '^W:' "$OUT/lintian.log" || true) warnings"

echo "== apt-get install the packages"
debs=""
for p in libzhifa0 libzhifa-dev zhifa zhifa-rules python3-zhifa; do
    debs="$debs $(ls "$PWD/$OUT/${p}"_*.deb)"
done
# shellcheck disable=SC2086
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $debs >"$OUT/install.log" 2>&1 ||
    { cat "$OUT/install.log"; exit 1; }
purge() {
    [ "${ZHIFA_KEEP_PACKAGES:-0}" = 1 ] && return 0
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq \
        libzhifa0 libzhifa-dev zhifa zhifa-rules python3-zhifa >/dev/null 2>&1 || true
}
trap purge EXIT

echo "== use the installed packages outside the source tree"
SRC=$PWD
T=$(mktemp -d "${TMPDIR:-/tmp}/zhifa-deb.XXXXXX")
cp examples/cases/basic.json examples/c/evaluate.c "$T/"
(
    cd "$T"
    unset PYTHONPATH ZHIFA_RULES
    version=$(sed -n "s/^ *version: '\([^']*\)'.*/\1/p" "$SRC/meson.build" | head -n 1)
    set -x
    [ "$(command -v zhifa)" = /usr/bin/zhifa ]
    zhifa --version | grep -q "^zhifa $version"
    zhifa --version | grep -q /usr/share/zhifa/rules
    zhifa check
    zhifa eval --compact basic.json | grep -q '"unit_fine":50000'
    zhifa eval --text basic.json | grep -q 建议罚款
    test -f /usr/share/man/man1/zhifa.1.gz && test -f /usr/share/man/man5/zhifa-rules.5.gz
    test -f /usr/share/bash-completion/completions/zhifa
    [ "$(pkg-config --modversion zhifa)" = "$version" ]
    # shellcheck disable=SC2046
    cc -o evaluate evaluate.c $(pkg-config --cflags --libs zhifa)
    ./evaluate /usr/share/zhifa/rules basic.json >/dev/null
    /usr/bin/python3 -c "
import zhifa
assert zhifa.__file__.startswith('/usr/lib/python3/dist-packages/zhifa/'), zhifa.__file__
assert zhifa.__version__ == '$version', zhifa.__version__
r = zhifa.load()
assert r.path == '/usr/share/zhifa/rules', r.path
d = r.evaluate(open('basic.json', 'rb').read())
assert d['total']['unit_fine'] == 50000, d['total']
print('python3-zhifa:', r, d['total'])
"
)
rm -rf "$T"
echo "== packages built, lint-clean of errors, installed and working ($(($(date +%s) - start)) s)"
