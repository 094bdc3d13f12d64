#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""One version, everywhere: meson.build's project version is the one of the
library, the CLI, zhifa.pc, the Python package (pyproject.toml takes it
from meson: dynamic), debian/changelog (upstream part) and the top entry of
CHANGELOG.md; the soname agrees with the Debian library package, and
debian/libzhifa0.symbols lists exactly the symbols lib/libzhifa.map exports.

    versions.py VERSION SOVERSION SOURCE_ROOT ZHIFA_EXE ZHIFA_PC [PYTHONPATH]
"""

import os
import re
import subprocess
import sys


def main():
    version, soversion, root, exe, pc = sys.argv[1:6]
    pydir = sys.argv[6] if len(sys.argv) > 6 else ""
    errors = []

    def check(what, got, want=version):
        if got != want:
            errors.append("%s: %r, expected %r" % (what, got, want))
        else:
            print("ok   %s: %s" % (what, got))

    def read(*parts):
        with open(os.path.join(root, *parts), encoding="utf-8") as f:
            return f.read()

    # the built artefacts
    out = subprocess.run([exe, "--version"], capture_output=True, text=True,
                         env=dict(os.environ, ZHIFA_RULES=os.path.join(
                             root, "rules"))).stdout
    m = re.match(r"zhifa (\S+)", out)
    check("zhifa --version (library)", m and m.group(1))
    m = re.search(r"^Version: (\S+)$", open(pc, encoding="utf-8").read(), re.M)
    check("zhifa.pc", m and m.group(1))
    if pydir:
        r = subprocess.run(
            [sys.executable, "-c",
             "import zhifa; print(zhifa.__version__, zhifa._zhifa.HEADER_VERSION)"],
            capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=pydir))
        check("zhifa.__version__ and the header it was built with",
              r.stdout.split(), [version, version])

    # the packaging files
    py = read("pyproject.toml")
    check("pyproject.toml takes the version from meson (dynamic)",
          bool(re.search(r'^dynamic = \[[^]]*"version"', py, re.M)) and
          not re.search(r"^version\s*=", py, re.M), True)
    m = re.match(r"(\S+) \(([^)]+)\)", read("debian", "changelog"))
    check("debian/changelog source", m and m.group(1), "zhifa")
    upstream = m and re.sub(r"-[^-]*$", "", re.sub(r"^\d+:", "", m.group(2)))
    check("debian/changelog upstream version", upstream)
    m = re.search(r"^## \[?(\d[^]\s]*)\]?", read("CHANGELOG.md"), re.M)
    check("CHANGELOG.md top entry", m and m.group(1))

    # soname and symbols
    control = read("debian", "control")
    check("debian/control library package",
          "Package: libzhifa%s" % soversion in control, True)
    symbols = read("debian", "libzhifa0.symbols")
    check("debian/libzhifa0.symbols soname",
          symbols.split("\n", 1)[0].split()[0:2],
          ["libzhifa.so.%s" % soversion, "libzhifa%s" % soversion])
    mapfile = read("lib", "libzhifa.map")
    exported = set()
    for node, body in re.findall(r"([\w.]+)\s*\{(.*?)\}", mapfile, re.S):
        glob = body.split("local:")[0]
        exported |= {"%s@%s" % (s, node)
                     for s in re.findall(r"\b(zf_\w+)\s*;", glob)}
        exported.add("%s@%s" % (node, node))
    listed = set(re.findall(r"^ (\S+@\S+) ", symbols, re.M))
    if exported != listed:
        errors.append(
            "debian/libzhifa0.symbols and lib/libzhifa.map differ:\n"
            "  exported, not in the symbols file (add ' NAME@NODE %s'): %s\n"
            "  in the symbols file, not exported (an ABI break: bump the "
            "soname): %s" % (version, sorted(exported - listed),
                             sorted(listed - exported)))
    else:
        print("ok   debian/libzhifa0.symbols: the %d symbols of "
              "lib/libzhifa.map" % len(listed))

    for e in errors:
        print("FAIL " + e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
