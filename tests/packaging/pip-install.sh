#!/bin/sh
# SPDX-License-Identifier: MIT
# `pip install .` into a fresh venv, for each interpreter, then use the
# installed package from outside the source tree (docs/packaging.md).
#
#   tests/packaging/pip-install.sh [PYTHON ...]
#
# Default interpreters: /usr/bin/python3 and the python3 on PATH when it is
# another one (e.g. pyenv's). Nothing comes from PyPI: the venv is made with
# --system-site-packages and pip runs with --no-build-isolation --no-index,
# so the build backend is Debian's python3-mesonpy (scripts/deps.sh). An
# interpreter that is not Debian's cannot import Debian's packages; for the
# build step only, it is given a directory holding just the pure-Python
# backend (mesonpy, pyproject_metadata, packaging) from Debian's
# dist-packages. Checks, per interpreter:
#   - the wheel builds for that interpreter (its ABI tag) and installs;
#   - `import zhifa` from another directory, without PYTHONPATH, loads the
#     venv's copy, with py.typed and the stubs beside it;
#   - the rule set is the one inside the package (zhifa/rules), found with
#     no build-tree or source-tree path compiled in or configured;
#   - examples/cases/basic.json gives the same decision JSON as the CLI of
#     the build tree when one is given (ZHIFA_CLI), and 50000 yuan;
#   - the installed files hold no path of the source tree.
# Exit status 0 when every interpreter passes. Takes 1-2 min per interpreter
# (the library is compiled into each wheel).
set -eu
SRC=$(cd "$(dirname "$0")/../.." && pwd)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/zhifa-pip.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM

if [ $# -eq 0 ]; then
    set -- /usr/bin/python3
    onpath=$(cd / && python3 -c 'import sys; print(sys.executable)' 2>/dev/null || true)
    [ -n "$onpath" ] && [ "$(readlink -f "$onpath")" != "$(readlink -f /usr/bin/python3)" ] &&
        set -- "$@" "$onpath"
fi

# the Debian build backend, alone, for interpreters that are not Debian's
SHIM="$TMP/backend"
mkdir -p "$SHIM"
for m in mesonpy pyproject_metadata packaging; do
    d=/usr/lib/python3/dist-packages/$m
    [ -d "$d" ] || { echo "pip-install: $d missing (apt-get install python3-mesonpy)" >&2; exit 1; }
    ln -s "$d" "$SHIM/$m"
done

fail=0
n=0
for py in "$@"; do
    n=$((n + 1))
    venv="$TMP/venv$n"
    ver=$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
    echo "== pip install . with $py (Python $ver)"
    "$py" -m venv --system-site-packages "$venv"
    vpy="$venv/bin/python"
    backend_path=""
    "$vpy" -c 'import mesonpy' 2>/dev/null || backend_path="$SHIM"
    if ! (cd "$SRC" && env PYTHONPATH="$backend_path" PIP_NO_INDEX=1 \
            "$vpy" -m pip install --no-build-isolation --no-deps -q \
            --disable-pip-version-check . >"$TMP/pip$n.log" 2>&1); then
        tail -n 40 "$TMP/pip$n.log"
        echo "FAIL: pip install . with $py"
        fail=1
        continue
    fi
    # use it from elsewhere, with nothing from the source or build tree
    if (cd "$TMP" && env -u PYTHONPATH -u ZHIFA_RULES \
            ZF_SRC="$SRC" ZF_VENV="$venv" ZHIFA_CLI="${ZHIFA_CLI:-}" \
            "$vpy" - <<'PYEOF'
import json, os, subprocess, sys, sysconfig
import zhifa

src, venv = os.environ["ZF_SRC"], os.environ["ZF_VENV"]
pkg = os.path.dirname(zhifa.__file__)
assert pkg.startswith(venv + os.sep), pkg
assert pkg == os.path.join(sysconfig.get_paths()["platlib"], "zhifa"), pkg
for f in ("py.typed", "__init__.pyi", "_rules.pyi", "_io.pyi", "_zhifa.pyi"):
    assert os.path.isfile(os.path.join(pkg, f)), f
assert not os.path.exists(os.path.join(pkg, "_buildtree.py"))
assert not os.path.exists(os.path.join(pkg, "rules", "tests"))
assert zhifa.default_rules_path() == os.path.join(pkg, "rules")
rules = zhifa.load()
assert rules.path == os.path.join(pkg, "rules"), rules.path
with open(os.path.join(src, "examples", "cases", "basic.json"), "rb") as f:
    case = f.read()
d = rules.evaluate(case)
assert d["total"]["unit_fine"] == 50000, d["total"]
assert d["engine"]["version"] == zhifa.__version__
cli = os.environ.get("ZHIFA_CLI")
if cli:
    want = subprocess.run([cli, "eval", "--compact", "--rules",
                           os.path.join(src, "rules"), "-"], input=case,
                          capture_output=True, check=True).stdout
    got = json.loads(d.to_json())
    want = json.loads(want)
    # the same rules from another place: the same decision, the same digest
    assert got == want, "decision differs from the CLI's"
# the interpreter's own ABI
ext = [f for f in os.listdir(pkg) if f.startswith("_zhifa.") and not f.endswith(".pyi")]
assert ext == ["_zhifa" + sysconfig.get_config_var("EXT_SUFFIX")], ext
# no path of the source tree in anything installed
needle = src.encode()
for root, _, files in os.walk(pkg):
    for f in files:
        with open(os.path.join(root, f), "rb") as fh:
            assert needle not in fh.read(), os.path.join(root, f)
print("ok   %s: zhifa %s, %d items, rules %s" % (
    sys.executable, zhifa.__version__, len(rules.items()), rules.path))
PYEOF
    ); then :; else
        echo "FAIL: the installed package with $py"
        fail=1
    fi
done
[ "$fail" = 0 ] && echo "== pip install: all $n interpreters passed"
exit "$fail"
