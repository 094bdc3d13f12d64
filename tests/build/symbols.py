#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The exported symbols of libzhifa.so must be exactly those of the version
script, and every ZF_API prototype in the header must be in the script."""
import re
import subprocess
import sys

lib, mapfile, header = sys.argv[1:4]
out = subprocess.run(["nm", "-D", "--defined-only", lib], check=True,
                     capture_output=True, text=True).stdout
exported = {l.split()[-1].split("@")[0] for l in out.splitlines()
            if l.split() and l.split()[-2] in ("T", "D", "B", "R")}
exported = {s for s in exported if not s.startswith("ZF_")}
script = set(re.findall(r"^\s+(zf_\w+);", open(mapfile).read(), re.M))
text = open(header).read()
protos = set(re.findall(r"ZF_API[^;]*?\b(zf_\w+)\s*\(", text, re.S))
ok = True
for name, a, b in (("exported but not in the map", exported, script),
                   ("in the map but not exported", script, exported),
                   ("declared ZF_API but not in the map", protos, script),
                   ("in the map but not declared", script, protos)):
    diff = sorted(a - b)
    if diff:
        ok = False
        print(f"{name}: {' '.join(diff)}")
print(f"{len(exported)} exported symbols checked")
sys.exit(0 if ok else 1)
