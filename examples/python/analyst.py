#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""An analyst's walk-through with the zhifa Python binding (案卷评查).

A bureau wants to know how its penalties compare with what the discretion
rules recommend. This script

  1. builds a batch of cases (here: generated deterministically from the
     bundled rule set's items, with plausible facts; in real use, read the
     year's cases with zhifa.read_jsonl),
  2. evaluates them all (threads share one rule set),
  3. sets the fine each officer actually imposed next to each case — kept
     in a parallel list, OUTSIDE the case dicts, because the engine rejects
     unknown case keys (here the officers are simulated; in real use the
     amounts come from the case files),
  4. tabulates the share of penalties per discretion tier by domain,
  5. lists the cases whose actual fine lies outside the band the tiers
     allow, and explains the largest deviation in the engine's own words.

Standard library only. Run from a build tree:

    PYTHONPATH=build/bindings/python /usr/bin/python3 \\
        examples/python/analyst.py --cases 500 --seed 2024 \\
        --csv violations.csv --json summary.json

The same seed always gives the same cases, fines and report.
"""

import argparse
import collections
import csv
import datetime
import json
import random
import re
import sys
import unicodedata

import zhifa

TIERS = ("lighter", "normal", "heavier", "maximum", "mitigated")
TIER_ZH = {"lighter": "从轻", "normal": "一般", "heavier": "从重",
           "maximum": "顶格", "mitigated": "减轻"}
FINED = ("penalty", "exemption_available")


# -- 1. a batch of cases ----------------------------------------------------

def fact_value(rng, fact):
    """A plausible value for an item's fact, by its declared type."""
    t = fact.get("type")
    if t == "bool":
        return rng.random() < 0.35
    if t == "int":
        # counts of people, devices, places...: mostly small
        return rng.choice([1, 1, 2, 2, 3, 3, 4, 5, 6, 8, 10, 12, 20])
    if t == "money":
        return rng.randrange(10000, 800000, 1000)
    if t == "enum":
        return rng.choice(fact["values"])
    if t == "date":
        return "2024-%02d-%02d" % (rng.randint(1, 12), rng.randint(1, 28))
    return "现场检查发现"


def iso(d):
    return d.isoformat()


def generate_cases(rules, n, seed):
    """n cases as CONTRACT.md case dicts, deterministic for a seed."""
    rng = random.Random(seed)
    items = rules.items()
    detail = {it["id"]: rules.item(it["id"]) for it in items}
    domain_ids = [d["id"] for d in rules.domains() if d["id"] != "general"]
    cases = []
    for i in range(n):
        picked = [rng.choice(items) for _ in range(rng.choice([1, 1, 1, 2,
                                                               2, 3]))]
        own = [it["domain"] for it in picked if it["domain"] != "general"]
        domains = sorted(set(own)) or (
            [rng.choice(domain_ids)] if domain_ids and rng.random() < 0.7
            else [])
        seen = datetime.date(2023, 1, 1) + datetime.timedelta(
            days=rng.randrange(650))
        # a few violations that ended long before they were found (时效)
        happened = seen - datetime.timedelta(
            days=rng.randrange(800, 1100) if rng.random() < 0.03
            else rng.randrange(0, 60))
        decided = seen + datetime.timedelta(days=rng.randrange(5, 45))
        persons = [{"id": "p1", "role": "principal", "name": "张某",
                    "annual_income": rng.randrange(80000, 900000, 1000)}]
        if rng.random() < 0.5:
            persons.append({"id": "p2", "role": "direct_supervisor",
                            "name": "李某",
                            "annual_income": rng.randrange(50000, 300000,
                                                           1000)})
        violations = []
        for it in picked:
            v = {}
            if rng.random() < 0.05:
                v["text"] = detail[it["id"]]["conduct"]  # found by pattern
            else:
                v["item"] = it["id"]
                v["facts"] = {f["name"]: fact_value(rng, f)
                              for f in detail[it["id"]]["facts"]
                              if rng.random() < 0.9}
            overdue = rng.random() < 0.12
            v.update({
                "overdue": overdue,
                "corrected": not overdue and rng.random() < 0.6,
                "first_offence": rng.random() < 0.3,
                "harm": rng.choices(["none", "minor", "serious"],
                                    [85, 12, 3])[0],
                "persons": rng.choice([[], ["p1"], [p["id"] for p in
                                                    persons]]),
            })
            if rng.random() < 0.1:
                v["factors"] = {"confessed": rng.random() < 0.7,
                                "remedied_harm": rng.random() < 0.3,
                                "repeat_12m": rng.choice([0, 0, 1, 2])}
            violations.append(v)
        cases.append({
            "case_id": "2024-%04d" % (i + 1),
            "violation_date": iso(happened),
            "inspection_date": iso(seen),
            "decision_date": iso(decided),
            "enterprise": {
                "name": "某%s有限公司" % rng.choice(["机械", "纺织", "食品",
                                                   "建材", "商贸", "化工"]),
                "domains": domains,
                "high_risk": rng.random() < 0.15,
                "penalties_180d": rng.choices([0, 1, 2], [80, 15, 5])[0],
                "penalties_365d": rng.choices([0, 1, 2, 3],
                                              [70, 18, 8, 4])[0],
            },
            "persons": persons,
            "violations": violations,
        })
    return cases


FACT_PATH = re.compile(r"violations\[(\d+)\]\.facts\.(\w+)")


def validate(rules, cases):
    """Evaluate once; drop generated facts the rules reject as out of range.

    The item catalogue gives each fact's type but not its allowed range,
    so a generated value can fall outside; the engine says which (a
    CaseError with the JSON path) and the fact is dropped — the tier then
    falls back to the item's default, with a warning. Returns how many
    facts were dropped.
    """
    dropped = 0
    todo = list(range(len(cases)))
    while todo:
        results = rules.evaluate_many([cases[i] for i in todo],
                                      errors="return")
        again = []
        for i, r in zip(todo, results):
            if isinstance(r, zhifa.Decision):
                continue
            m = FACT_PATH.fullmatch(getattr(r, "path", None) or "")
            if not m:
                raise r
            del cases[i]["violations"][int(m.group(1))]["facts"][m.group(2)]
            dropped += 1
            again.append(i)
        todo = again
    return dropped


# -- 3. what the officers imposed -------------------------------------------

def simulate_officers(decisions, seed):
    """The unit fine imposed in each case (yuan), parallel to `decisions`.

    Officers mostly follow the recommendation, rounded to a tidy amount;
    some pick anywhere in the statutory range, some go to the maximum,
    some well below the band, some waive a first offence.
    """
    rng = random.Random(seed ^ 0x5EED)
    actual = []
    for d in decisions:
        total = 0
        for v in d["violations"]:
            if v["outcome"] not in FINED:
                continue
            fine = ((v.get("unit") or {}).get("fine")) or None
            if not fine:
                continue
            if v["outcome"] == "exemption_available" and rng.random() < 0.5:
                continue  # 首违不罚
            lo, hi = fine["statutory"]["min"], fine["statutory"]["max"]
            habit = rng.random()
            if habit < 0.6:
                x = round(fine["recommended"] / 5000) * 5000
            elif habit < 0.8:
                x = rng.randrange(lo, hi + 1) // 1000 * 1000
            elif habit < 0.9:
                x = hi
            else:
                x = fine["min"] // 2 // 1000 * 1000
            total += min(max(x, lo), hi)
        actual.append(total)
    return actual


# -- 4. and 5. the analysis ------------------------------------------------

def band(decision):
    """(min, max, recommended) of the unit fines the tiers allow, summed
    over the violations that carry a fine; a waivable first offence may
    also be fined 0."""
    lo = hi = rec = 0
    for v in decision["violations"]:
        if v["outcome"] not in FINED:
            continue
        fine = ((v.get("unit") or {}).get("fine")) or None
        if not fine:
            continue
        lo += 0 if v["outcome"] == "exemption_available" else fine["min"]
        hi += fine["max"]
        rec += fine["recommended"]
    return lo, hi, rec


def tier_shares(rows):
    """{domain: {"n": penalties, tier: percent}} from to_records rows."""
    counts: dict = collections.defaultdict(collections.Counter)
    for r in rows:
        if r["outcome"] in FINED and r["tier"]:
            counts[r["domain"]][r["tier"]] += 1
    out = {}
    for dom, c in counts.items():
        n = sum(c.values())
        out[dom] = {"n": n}
        for t in TIERS:
            out[dom][t] = round(100.0 * c[t] / n, 1)
    return out


def outside_band(cases, decisions, actual):
    out = []
    for case, d, a in zip(cases, decisions, actual):
        lo, hi, rec = band(d)
        if a < lo or a > hi:
            out.append({"case_id": case["case_id"], "actual": a, "min": lo,
                        "max": hi, "recommended": rec,
                        "deviation": a - (lo if a < lo else hi)})
    out.sort(key=lambda x: (-abs(x["deviation"]), x["case_id"]))
    return out


def yuan(x):
    return "{:,}".format(x)


def width(s):
    """Display width: CJK characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1
               for ch in s)


def ljust(s, n):
    return s + " " * max(0, n - width(s))


def rjust(s, n):
    return " " * max(0, n - width(s)) + s


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rules", help="rule set (default: the bundled one)")
    ap.add_argument("--cases", type=int, default=500)
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--show", type=int, default=15,
                    help="how many out-of-band cases to list")
    ap.add_argument("--csv", help="write one row per violation here")
    ap.add_argument("--json", help="write the summary as JSON here")
    args = ap.parse_args(argv)

    rules = zhifa.load(args.rules)
    print("规则集 %s %s (%s)" % (rules.id, rules.version, rules.digest))
    names = {d["id"]: d["name"] for d in rules.domains()}

    # 1. and 2.
    cases = generate_cases(rules, args.cases, args.seed)
    dropped = validate(rules, cases)
    decisions = rules.evaluate_many(cases, threads=args.threads)
    rows = zhifa.to_records(decisions)
    print("案件 %d 件，违法行为 %d 项（生成时剔除超出取值范围的事实 %d 项）"
          % (len(cases), len(rows), dropped))

    outcomes = collections.Counter(r["outcome"] for r in rows)
    print("处理结果：" + "，".join("%s %d" % (k, outcomes[k])
                                 for k in sorted(outcomes, key=str)))

    # 3.
    actual = simulate_officers(decisions, args.seed)

    # 4.
    shares = tier_shares(rows)
    print("\n各领域罚款的裁量档次分布（%）")
    print(ljust("领域", 14) + rjust("项数", 6) +
          "".join(rjust(TIER_ZH[t], 8) for t in TIERS))
    for dom in sorted(shares, key=lambda k: (-shares[k]["n"], k)):
        s = shares[dom]
        print(ljust(names.get(dom, dom), 14) + rjust(str(s["n"]), 6) +
              "".join(rjust("%.1f" % s[t], 8) for t in TIERS))

    # 5.
    out = outside_band(cases, decisions, actual)
    fined = sum(1 for d in decisions if band(d)[1] > 0)
    print("\n实际罚款超出裁量幅度的案件：%d 件（有罚款的案件 %d 件）"
          % (len(out), fined))
    print(ljust("案件", 10) + rjust("实际罚款", 12) + rjust("裁量幅度", 22) +
          rjust("建议罚款", 12))
    for x in out[:args.show]:
        print(ljust(x["case_id"], 10) + rjust(yuan(x["actual"]), 12) +
              rjust("%s-%s" % (yuan(x["min"]), yuan(x["max"])), 22) +
              rjust(yuan(x["recommended"]), 12))
    if out:
        worst = next(d for d in decisions if d.case_id == out[0]["case_id"])
        print("\n偏离最大的案件 %s 的裁量说明（节选）：" % worst.case_id)
        print("\n".join(worst.explain().splitlines()[:14]))

    if args.csv:
        with open(args.csv, "w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, zhifa.RECORD_FIELDS)
            w.writeheader()
            w.writerows(rows)
    if args.json:
        summary = {
            "ruleset": {"id": rules.id, "version": rules.version,
                        "digest": rules.digest},
            "seed": args.seed,
            "cases": len(cases),
            "violations": len(rows),
            "dropped_facts": dropped,
            "outcomes": dict(outcomes),
            "tier_share": shares,
            "fined_cases": fined,
            "actual_total": sum(actual),
            "outside_band": out,
        }
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(summary, f, ensure_ascii=False, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
