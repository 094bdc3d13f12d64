#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The typing test: the stubs agree with the built module, and mypy
(Debian's) accepts the typed uses and rejects the wrong ones.

    check.py BUILD_PYTHON_DIR SOURCE_ROOT CACHE_DIR

1. mypy.stubtest compares every name and signature in zhifa/*.pyi with the
   imported package (the C extension included): a stub out of step with
   the code fails here.
2. mypy --strict over the stubs, tests/typing/usage.py (every public name,
   used as documented) and examples/python/parallel.py: no error.
3. mypy --check-untyped-defs over the other examples (untyped scripts;
   calls into zhifa are still checked against the stubs): no error.
4. mypy --strict over tests/typing/wrong.py: an error on exactly the lines
   marked `# E: text`, each containing that text.
"""

import os
import re
import subprocess
import sys


def mypy(args, pkgdir, cache, env):
    cmd = [sys.executable, "-m", "mypy", "--cache-dir", cache,
           "--no-error-summary", "--show-error-codes",
           "--hide-error-context", "--no-color-output"] + args
    r = subprocess.run(cmd, env=env, capture_output=True, text=True)
    return r.returncode, r.stdout + r.stderr


def main():
    pkgdir, root, cache = sys.argv[1:4]
    here = os.path.join(root, "tests", "typing")
    env = dict(os.environ, MYPYPATH=pkgdir, PYTHONPATH=pkgdir)
    failures = 0

    # 1. stubs against the runtime
    r = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "zhifa",
         "--mypy-config-file", os.path.join(here, "stubtest.ini"),
         "--allowlist", os.path.join(here, "stubtest-allowlist.txt")],
        env=env, capture_output=True, text=True)
    if r.returncode != 0:
        print("FAIL stubtest:\n" + r.stdout + r.stderr)
        failures += 1
    else:
        print("ok   stubtest: the stubs match zhifa and zhifa._zhifa")

    # 2. strict: the stubs themselves, the typed usage, the typed example
    examples = os.path.join(root, "examples", "python")
    strict = [os.path.join(here, "usage.py"),
              os.path.join(examples, "parallel.py")]
    stubs = sorted(os.path.join(pkgdir, "zhifa", f)
                   for f in os.listdir(os.path.join(pkgdir, "zhifa"))
                   if f.endswith(".pyi"))
    rc, out = mypy(["--strict"] + stubs + strict, pkgdir, cache, env)
    if rc != 0:
        print("FAIL mypy --strict:\n" + out)
        failures += 1
    else:
        print("ok   mypy --strict: zhifa stubs, usage.py, parallel.py")

    # 3. the untyped examples, their calls into zhifa checked
    others = sorted(os.path.join(examples, f) for f in os.listdir(examples)
                    if f.endswith(".py") and
                    os.path.join(examples, f) not in strict)
    if others:
        rc, out = mypy(["--check-untyped-defs"] + others, pkgdir, cache,
                       env)
        if rc != 0:
            print("FAIL mypy examples:\n" + out)
            failures += 1
        else:
            print("ok   mypy --check-untyped-defs: %s"
                  % ", ".join(os.path.basename(f) for f in others))

    # 4. the wrong uses are caught, each where marked
    wrong = os.path.join(here, "wrong.py")
    want = {}
    with open(wrong, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            m = re.search(r"# E: (.*)$", line)
            if m:
                want[n] = m.group(1).strip()
    rc, out = mypy(["--strict", wrong], pkgdir, cache, env)
    got = {}
    for line in out.splitlines():
        m = re.match(r".*wrong\.py:(\d+): error: (.*)$", line)
        if m:
            got.setdefault(int(m.group(1)), []).append(m.group(2))
    bad = []
    for n, text in sorted(want.items()):
        if not any(text in e for e in got.get(n, [])):
            bad.append("line %d: expected an error containing %r, got %r"
                       % (n, text, got.get(n)))
    for n in sorted(set(got) - set(want)):
        bad.append("line %d: unexpected error %r" % (n, got[n]))
    if bad or rc == 0:
        print("FAIL mypy wrong.py:\n  " + "\n  ".join(bad) + "\n" + out)
        failures += 1
    else:
        print("ok   mypy --strict rejects all %d wrong uses in wrong.py"
              % len(want))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
