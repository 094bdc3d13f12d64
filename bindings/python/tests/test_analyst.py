# SPDX-License-Identifier: MIT
"""examples/python/analyst.py runs, and what it reports adds up."""

import csv
import importlib.util
import json
import os

import pytest

from conftest import SOURCE_ROOT, run_python

SCRIPT = os.path.join(SOURCE_ROOT, "examples", "python", "analyst.py")


@pytest.fixture(scope="module")
def analyst():
    spec = importlib.util.spec_from_file_location("analyst", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    d = tmp_path_factory.mktemp("analyst")
    args = [SCRIPT, "--cases", "500", "--seed", "7", "--show", "1000",
            "--json", str(d / "summary.json"), "--csv", str(d / "rows.csv")]
    r = run_python(args, timeout=240)
    assert r.returncode == 0, r.stderr
    with open(d / "summary.json", encoding="utf-8") as f:
        summary = json.load(f)
    with open(d / "rows.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return {"stdout": r.stdout, "summary": summary, "rows": rows,
            "args": args}


def test_runs_and_reports(report, rules):
    out, s = report["stdout"], report["summary"]
    assert s["cases"] == 500
    assert s["ruleset"]["digest"] == rules.digest
    assert "各领域罚款的裁量档次分布" in out
    assert "实际罚款超出裁量幅度的案件：%d 件" % len(s["outside_band"]) in out
    assert len(report["rows"]) == s["violations"]
    assert sum(s["outcomes"].values()) == s["violations"]
    assert s["violations"] >= s["cases"]


def test_tier_shares_make_sense(report, rules):
    s = report["summary"]
    domains = {d["id"] for d in rules.domains()}
    assert s["tier_share"], "no penalties at all?"
    assert set(s["tier_share"]) <= domains
    n_fined = 0
    for dom, share in s["tier_share"].items():
        pct = [share[t] for t in ("lighter", "normal", "heavier", "maximum",
                                  "mitigated")]
        assert all(0 <= p <= 100 for p in pct)
        assert abs(sum(pct) - 100.0) < 0.3, (dom, share)
        n_fined += share["n"]
    rows = report["rows"]
    assert n_fined == sum(1 for r in rows if r["outcome"] in (
        "penalty", "exemption_available") and r["tier"])


def test_outside_band_listing_is_right(report, analyst, rules):
    s = report["summary"]
    out = s["outside_band"]
    for x in out:
        assert x["actual"] < x["min"] or x["actual"] > x["max"], x
        assert x["case_id"] in report["stdout"]
    # recompute independently from the same generated data
    cases = analyst.generate_cases(rules, 500, 7)
    analyst.validate(rules, cases)
    decisions = rules.evaluate_many(cases, threads=1)
    actual = analyst.simulate_officers(decisions, 7)
    assert len(actual) == 500 and sum(actual) == s["actual_total"]
    expected = set()
    for c, d, a in zip(cases, decisions, actual):
        lo = hi = 0
        for v in d["violations"]:
            fine = ((v.get("unit") or {}).get("fine")) or None
            if v["outcome"] == "penalty" and fine:
                lo, hi = lo + fine["min"], hi + fine["max"]
            elif v["outcome"] == "exemption_available" and fine:
                hi += fine["max"]
        if not lo <= a <= hi:
            expected.add(c["case_id"])
    assert {x["case_id"] for x in out} == expected
    # the simulated officers mostly follow the recommendation
    assert 0 < len(out) < 0.6 * s["fined_cases"]


def test_actual_fines_are_outside_the_cases(analyst, rules):
    cases = analyst.generate_cases(rules, 50, 1)
    for c in cases:
        assert "actual_fine" not in json.dumps(c)


def test_deterministic(report):
    again = run_python(report["args"][:5] + ["--show", "1000"], timeout=240)
    assert again.returncode == 0
    assert again.stdout == report["stdout"]
