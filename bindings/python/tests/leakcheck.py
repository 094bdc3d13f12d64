# SPDX-License-Identifier: MIT
"""Measure resident memory over many evaluations through the binding.

    PYTHONPATH=build/bindings/python /usr/bin/python3 \\
        bindings/python/tests/leakcheck.py [N] [--max-growth-kib K]

Warms up, then runs N evaluations (default 100000) that exercise every
path that allocates in C: good cases (dict, str and bytes input), cases
that fail in the parser and in the evaluator, explain() and pretty JSON,
evaluate_many() with threads (evaluator pool), and rule sets loaded and
dropped. Prints RSS at checkpoints as JSON on the last line and exits 1
if RSS grew by more than --max-growth-kib after the warm-up. A leak of a
C decision (about 13 KB) per evaluation would show as gigabytes.
"""

import argparse
import gc
import json
import os
import sys
import time

import zhifa

CASE = {
    "case_id": "leak",
    "violation_date": "2024-06-20",
    "inspection_date": "2024-06-20",
    "enterprise": {"name": "某纺织有限公司", "domains": ["textile"],
                   "penalties_180d": 1, "penalties_365d": 1},
    "persons": [
        {"id": "p1", "role": "direct_supervisor", "name": "李某",
         "annual_income": 180000},
        {"id": "p2", "role": "direct_staff", "name": "王某",
         "annual_income": 90000},
    ],
    "violations": [
        {"item": "GEN-004", "facts": {"untrained": 5}, "persons": ["p1"]},
        {"text": "二号车间动火作业未办理动火作业票，现场无人监护",
         "persons": ["p1", "p2"]},
        {"text": "职工食堂菜价偏高"},
    ],
}
BAD_PARSE = '{"case_id": "x", "violations": [], "bogus": 1}'
BAD_EVAL = {"violations": [{"item": "GEN-004", "facts": {"untrainde": 1}}]}


def rss_kib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def run(rules, n):
    """n evaluations, mixed; returns how many were done."""
    text = json.dumps(CASE, ensure_ascii=False)
    raw = text.encode("utf-8")
    done = 0
    while done < n:
        k = done % 100
        if k < 60:
            rules.evaluate(CASE if k % 3 == 0 else text if k % 3 == 1
                           else raw)
            done += 1
        elif k < 70:
            try:
                rules.evaluate(BAD_PARSE if k % 2 else BAD_EVAL)
            except zhifa.CaseError:
                pass
            done += 1
        elif k == 70:
            d = rules.evaluate(CASE)
            d.explain()
            d.to_json(pretty=True)
            d.to_dict()
            done += 3
        elif k == 71:
            out = rules.evaluate_many([CASE] * 24 + [BAD_PARSE], threads=4,
                                      errors="return")
            assert len(out) == 25
            done += 25
        else:
            rules.evaluate(raw)
            done += 1
    return done


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("n", nargs="?", type=int, default=100000)
    ap.add_argument("--max-growth-kib", type=int, default=4096)
    args = ap.parse_args()

    rules = zhifa.load()
    # warm up: allocator pools, evaluator pool, interned strings
    run(rules, 5000)
    for _ in range(3):
        zhifa.load(rules.path)
    gc.collect()
    base = rss_kib()
    marks = []
    t0 = time.perf_counter()
    step = max(1, args.n // 5)
    total = 0
    while total < args.n:
        total += run(rules, min(step, args.n - total))
        zhifa.load(rules.path)  # a rule set compiled and dropped
        gc.collect()
        marks.append((total, rss_kib()))
    secs = time.perf_counter() - t0
    growth = marks[-1][1] - base
    report = {
        "evaluations": total,
        "seconds": round(secs, 2),
        "rss_kib_after_warmup": base,
        "rss_kib_marks": marks,
        "growth_kib": growth,
        "bytes_per_evaluation": round(growth * 1024 / total, 2),
        "max_growth_kib": args.max_growth_kib,
        "pid": os.getpid(),
    }
    print(json.dumps(report))
    return 0 if growth <= args.max_growth_kib else 1


if __name__ == "__main__":
    sys.exit(main())
