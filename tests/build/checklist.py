#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""docs/checklist.md must be what `zhifa list --markdown` generates from the
shipped rules (regenerate with: zhifa list --markdown > docs/checklist.md);
with --plan, docs/plan.md what `zhifa list --plan --markdown` generates."""
import subprocess
import sys

zhifa, rules, doc = sys.argv[1:4]
extra = sys.argv[4:]          # e.g. --plan
out = subprocess.run([zhifa, "list", "--markdown", *extra, "--rules", rules],
                     check=True, capture_output=True, text=True).stdout
have = open(doc, encoding="utf-8").read()
if out != have:
    print(f"{doc} is out of date; run: zhifa list --markdown "
          f"{' '.join(extra)} > {doc}")
    sys.exit(1)
print(f"{doc} is up to date ({out.count(chr(10))} lines)")
