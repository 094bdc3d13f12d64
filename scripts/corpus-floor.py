#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Raise tests/corpus/floor.json to the figures `zhifa corpus --json` reports.

    build/tools/zhifa/zhifa corpus --json tests/corpus/decisions.jsonl \\
        | scripts/corpus-floor.py tests/corpus/floor.json

A floor only moves up: each rate becomes max(old floor, current rate rounded
down to 0.001). The median fine distance is held at the issue's target (0.15)
once it is reached (it moves with the sample as more records are recognised). Figures of both
splits are floored; raising a heldout floor is not tuning on it (no miss of
the heldout split is ever looked at).
"""
import json
import math
import sys

TARGET_DISTANCE = 0.15
KEYS = ["top1_article", "top1_item", "top3_article", "unit_fine_in_range",
        "person_fine_in_range"]


def main(path):
    rep = json.load(sys.stdin)
    try:
        with open(path, encoding="utf-8") as fh:
            floor = json.load(fh)
    except FileNotFoundError:
        floor = {}
    for split in ("dev", "heldout", "all"):
        cur = rep["splits"][split]
        old = floor.get(split, {})
        new = {}
        for k in KEYS:
            r = cur[k]["rate"]
            f = old.get(k)
            if r is not None:
                r = math.floor(r * 1000) / 1000
                f = r if f is None else max(f, r)
            if f is not None:
                new[k] = f
        # the median fine distance moves with the sample as recognition
        # grows (each newly recognised record joins it), so its ceiling is
        # the target (0.15) once reached, not the last value
        m = cur.get("median_distance")
        if m is not None and m <= TARGET_DISTANCE:
            new["median_distance"] = TARGET_DISTANCE
        elif "median_distance" in old:
            new["median_distance"] = old["median_distance"]
        floor[split] = new
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(floor, fh, indent=2, ensure_ascii=False)
        fh.write("\n")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        sys.exit(0 if len(sys.argv) == 2 else 2)
    sys.exit(main(sys.argv[1]))
