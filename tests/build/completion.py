#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The bash completion completes commands, options, item ids and domains,
run in a real bash with bash-completion loaded.

    completion.py ZHIFA COMPLETION_FILE
"""
import os
import subprocess
import sys

zhifa, comp = sys.argv[1:3]
LIB = "/usr/share/bash-completion/bash_completion"
if not os.path.exists(LIB):
    print("bash-completion is not installed (scripts/deps.sh installs it)")
    sys.exit(1)


def complete(line):
    """COMPREPLY for the command line `line` (the cursor at its end)."""
    script = r'''
source %s
source %s
PATH=%s:$PATH
line=%s
read -ra COMP_WORDS <<< "$line"
[[ $line == *" " ]] && COMP_WORDS+=("")
COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
COMP_LINE=$line
COMP_POINT=${#line}
_zhifa zhifa "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
printf '%%s\n' "${COMPREPLY[@]}"
''' % (LIB, comp, os.path.dirname(os.path.abspath(zhifa)),
       "'" + line.replace("'", "'\\''") + "'")
    out = subprocess.run(["bash", "--norc", "--noprofile", "-c", script],
                         capture_output=True, text=True, timeout=60)
    if out.returncode:
        raise SystemExit("bash failed: " + out.stderr)
    return [w for w in out.stdout.split("\n") if w]


failures = []


def expect(line, want, exact=False):
    got = complete(line)
    ok = sorted(got) == sorted(want) if exact else set(want) <= set(got)
    if not ok:
        failures.append("%r: want %s%s, got %s" % (
            line, "exactly " if exact else "", want, got))


expect("zhifa ch", ["check", "checklist"], exact=True)
expect("zhifa eval --c", ["--compact"], exact=True)
expect("zhifa list --", ["--json", "--markdown", "--plan", "--rules"])
expect("zhifa show GEN-00", ["GEN-001", "GEN-004", "GEN-008"])
expect("zhifa checklist --domains mach", ["machinery"], exact=True)
expect("zhifa checklist --domains dust,mach", ["dust,machinery"], exact=True)
expect("zhifa help ev", ["eval"], exact=True)
if failures:
    print("\n".join(failures))
    sys.exit(1)
print("bash completion: commands, options, item ids and domains complete")
