#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Every command of `zhifa --help` and every option of each command's
`--help` appears in the man page source (docs/man/zhifa.1.scd) and in the
bash completion; the built page (if scdoc was found) is roff.

    manpage.py ZHIFA MAN_SCD COMPLETION [BUILT_PAGE]
"""
import re
import subprocess
import sys

zhifa, scd_path, comp_path = sys.argv[1:4]
built = sys.argv[4] if len(sys.argv) > 4 else None


def helptext(*args):
    return subprocess.run([zhifa, *args], check=True, capture_output=True,
                          text=True).stdout


main = helptext("--help")
commands = re.findall(r"^  ([a-z]+)  ", main, re.M)
assert "check" in commands and "eval" in commands, commands
scd = open(scd_path, encoding="utf-8").read()
comp = open(comp_path, encoding="utf-8").read()
missing = []
for cmd in commands:
    if not re.search(r"^\*%s\*" % cmd, scd, re.M) and \
       "*zhifa %s*" % cmd not in scd:
        missing.append("man: command %s" % cmd)
    if not re.search(r"\b%s\b" % cmd, comp.split("local commands=")[1]
                     .split("\n")[0]):
        missing.append("completion: command %s" % cmd)
    if cmd == "help":
        continue
    for opt in sorted(set(re.findall(r"(?<![\w-])(--[a-z][a-z-]*|-o)\b",
                                     helptext(cmd, "--help")))):
        if "*%s*" % opt not in scd:
            missing.append("man: %s %s" % (cmd, opt))
        line = re.search(r"^\s*%s\)(.*)$" % cmd, comp, re.M)
        if opt not in ("--rules", "--help") and \
           not (line and opt in re.findall(r"-[-\w]+", line.group(1))):
            missing.append("completion: %s %s" % (cmd, opt))
for opt in ("--version", "--help", "--rules"):
    if "*%s*" % opt not in scd:
        missing.append("man: %s" % opt)
if built:
    page = open(built, encoding="utf-8").read()
    if not page.startswith(".\\\"") and ".TH" not in page[:400]:
        missing.append("built page is not roff")
if missing:
    print("\n".join(missing))
    sys.exit(1)
print("%d commands documented in the man page and the completion" %
      len(commands))
