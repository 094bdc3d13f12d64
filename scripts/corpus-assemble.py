#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Assemble the real-decision corpus from collectors' part files.

    scripts/corpus-assemble.py PART.jsonl... > tests/corpus/decisions.jsonl

Validates every record against the corpus format (docs/corpus.md), drops exact
duplicates (same source address and document number), assigns a stable `id`, and
fixes the `split`: a quarter of the records, chosen by a hash of the source address
(SHA-256 of source.url, first 32 bits, modulo 4 == 0), are `heldout`. The split
depends on the address only, so several decisions read from one page always land
on the same side, and re-running the script never moves a record.

Errors name the file and line; the script exits 1 if any record is invalid.
"""
import hashlib
import json
import re
import sys

DOMAINS = {"通用", "危险化学品", "化工", "烟花爆竹", "非煤矿山", "冶金", "有色", "建材",
           "机械", "轻工", "纺织", "烟草", "商贸", "粉尘涉爆", "涉氨制冷", "有限空间"}
GRADES = {None, "general", "larger", "major", "especially_major"}
CITE = re.compile(r"^《[^》]+》第[零一二三四五六七八九十百千]+条(之[一二三四五六七八九十]+)?"
                  r"(第[一二三四五六七八九十]+款)?(第（[一二三四五六七八九十]+）项)?$")
TOP = {"source", "province", "place", "industry", "domains", "violations",
       "unit_fine", "measures", "accident", "notes", "id", "split"}
VIOL = {"facts", "violates", "basis", "unit_fine", "persons"}


def split_of(url):
    h = int(hashlib.sha256(url.encode("utf-8")).hexdigest()[:8], 16)
    return "heldout" if h % 4 == 0 else "dev"


def check(rec, where, errors):
    def err(msg):
        errors.append(f"{where}: {msg}")
    if not isinstance(rec, dict):
        return err("not an object")
    for k in rec:
        if k not in TOP:
            err(f"unknown key '{k}'")
    src = rec.get("source")
    if not isinstance(src, dict) or not isinstance(src.get("url"), str) or not src["url"]:
        err("source.url missing")
    if not isinstance(rec.get("province"), str) or not rec.get("province"):
        err("province missing")
    for d in rec.get("domains") or []:
        if d not in DOMAINS:
            err(f"domains: unknown domain '{d}'")
    if rec.get("accident") not in GRADES:
        err(f"accident: '{rec.get('accident')}' is not a grade")
    uf = rec.get("unit_fine")
    if uf is not None and (not isinstance(uf, int) or isinstance(uf, bool) or uf < 0):
        err("unit_fine: not a non-negative integer or null")
    vs = rec.get("violations")
    if not isinstance(vs, list) or not vs:
        return err("violations: empty")
    for i, v in enumerate(vs):
        p = f"violations[{i}]"
        if not isinstance(v, dict):
            err(f"{p}: not an object")
            continue
        for k in v:
            if k not in VIOL:
                err(f"{p}: unknown key '{k}'")
        if not isinstance(v.get("facts"), str) or len(v["facts"]) < 6:
            err(f"{p}.facts: missing")
        for key in ("violates", "basis"):
            for c in v.get(key) or []:
                if not isinstance(c, str) or not CITE.match(c):
                    err(f"{p}.{key}: citation not normalised: {c!r}")
        f = v.get("unit_fine")
        if f is not None and (not isinstance(f, int) or isinstance(f, bool) or f < 0):
            err(f"{p}.unit_fine: not a non-negative integer or null")
        for j, per in enumerate(v.get("persons") or []):
            # a share of annual income may be published with 角/分
            if not isinstance(per, dict) or not isinstance(per.get("position"), str) or \
               isinstance(per.get("fine"), bool) or \
               not isinstance(per.get("fine"), (int, float, type(None))):
                err(f"{p}.persons[{j}]: needs a position and a numeric fine (or null)")


def main(paths):
    errors, out, seen = [], [], set()
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                where = f"{path}:{n}"
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as e:
                    errors.append(f"{where}: invalid JSON: {e}")
                    continue
                check(rec, where, errors)
                if not isinstance(rec, dict) or not isinstance(rec.get("source"), dict):
                    continue
                url = rec["source"].get("url", "")
                key = (url, rec["source"].get("doc_no") or "",
                       (rec.get("violations") or [{}])[0].get("facts", "")[:80])
                if key in seen:
                    continue
                seen.add(key)
                out.append(rec)
    if errors:
        for e in errors:
            print(e, file=sys.stderr)
        return 1
    out.sort(key=lambda r: (r["source"]["url"], r["source"].get("doc_no") or ""))
    for n, rec in enumerate(out, 1):
        rec.pop("id", None)
        rec.pop("split", None)
        digest = hashlib.sha256((rec["source"]["url"] + "\0" + (rec["source"].get("doc_no") or "")
                                 + "\0" + rec["violations"][0]["facts"]).encode()).hexdigest()[:10]
        ordered = {"id": "d-" + digest, "split": split_of(rec["source"]["url"])}
        ordered.update(rec)
        sys.stdout.write(json.dumps(ordered, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        sys.exit(0 if len(sys.argv) >= 2 else 2)
    sys.exit(main(sys.argv[1:]))
