# SPDX-License-Identifier: MIT
"""Shared fixtures for the zhifa binding tests.

meson runs these with PYTHONPATH=<builddir>/bindings/python, ZHIFA_CLI (the
built CLI) and ZHIFA_SOURCE_ROOT set; run by hand the same way:

    PYTHONPATH=build/bindings/python ZHIFA_CLI=build/tools/zhifa/zhifa \\
        /usr/bin/python3 -m pytest -q bindings/python/tests
"""

import json
import os
import random
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_ROOT = os.environ.get("ZHIFA_SOURCE_ROOT") or os.path.abspath(
    os.path.join(HERE, "..", "..", "..")
)
EXAMPLE_CASES = os.path.join(SOURCE_ROOT, "examples", "cases")


# A small self-contained rule set, for tests that must not depend on the
# bundled rules (which grow): one law, one item with a fact and a pattern.
MINI_RULES = """\
ruleset:
  id: t-mini
  version: "1"
laws:
  - id: aqsc
    title: 中华人民共和国安全生产法
    provisions:
      - article: 99
        clauses: 8
        stages:
          - stage: first
            orders: [责令限期改正]
            unit: { fine: { upto: 50000 } }
domains:
  - id: general
    name: 通用
    common: true
    items:
      - id: M-1
        title: 安全设备维护
        conduct: 未对安全设备进行经常性维护、保养
        violates: [aqsc:99]
        penalty: aqsc:99(3)
        patterns: ['安全设备.{0,8}未(维护|保养)']
        facts:
          devices: { type: int, label: 设备台数 }
        discretion:
          - { when: devices <= 2, tier: lighter, reason: 少 }
          - { tier: heavier, reason: 多 }
profiles:
  - id: default
    title: 默认
    tiers:
      range: { lighter: [0, 30], normal: [30, 70], heavier: [70, 100] }
      upto: { lighter: [0, 30], normal: [30, 70], heavier: [70, 100] }
"""


@pytest.fixture(autouse=True)
def _no_rules_env(monkeypatch):
    # Tests choose their rule set explicitly; a user's $ZHIFA_RULES must
    # not leak in.
    monkeypatch.delenv("ZHIFA_RULES", raising=False)


@pytest.fixture(scope="session")
def zhifa():
    import zhifa as mod

    return mod


@pytest.fixture(scope="session")
def rules(zhifa):
    """The bundled rule set, loaded once."""
    os.environ.pop("ZHIFA_RULES", None)
    return zhifa.load()


@pytest.fixture(scope="session")
def example_paths():
    names = sorted(f for f in os.listdir(EXAMPLE_CASES) if f.endswith(".json"))
    assert names, "no example cases in " + EXAMPLE_CASES
    return [os.path.join(EXAMPLE_CASES, f) for f in names]


@pytest.fixture(scope="session")
def example_cases(example_paths):
    out = []
    for p in example_paths:
        with open(p, encoding="utf-8") as f:
            out.append(json.load(f))
    return out


@pytest.fixture(scope="session")
def cli():
    """Path of the built CLI, or skip."""
    path = os.environ.get("ZHIFA_CLI")
    if not path or not os.access(path, os.X_OK):
        pytest.skip("ZHIFA_CLI not set (run through meson test)")
    return path


def fact_value(rng, fact):
    """A plausible value for an item fact, by its declared type."""
    t = fact.get("type")
    if t == "bool":
        return rng.random() < 0.3
    if t == "int":
        return rng.choice([1, 1, 2, 2, 3, 4, 5, 7, 10, 15])
    if t == "money":
        return rng.randrange(0, 500000, 1000)
    if t == "enum":
        return rng.choice(fact["values"])
    if t == "date":
        return "2024-%02d-%02d" % (rng.randint(1, 12), rng.randint(1, 28))
    return "某情形"


def drop_bad_facts(rules, case):
    """Remove facts the rules reject as out of range; return the case.

    Item details give a fact's type but not its min/max, so a generated
    value may fall outside; such a fact is dropped (the tier then falls to
    the item's default, with a warning), deterministically.
    """
    import re

    import zhifa

    for _ in range(20):
        try:
            rules.evaluate(case)
            return case
        except zhifa.CaseError as e:
            m = re.fullmatch(r"violations\[(\d+)\]\.facts\.(\w+)",
                             e.path or "")
            if not m:
                raise
            del case["violations"][int(m.group(1))]["facts"][m.group(2)]
    raise AssertionError("cannot repair generated case")


def make_cases(rules, n, seed=1):
    """n deterministic, valid cases over the rule set's items."""
    rng = random.Random(seed)
    items = rules.items()
    details = {it["id"]: rules.item(it["id"]) for it in items}
    cases = []
    for i in range(n):
        violations = []
        for _ in range(rng.randint(1, 3)):
            it = rng.choice(items)
            facts = {
                f["name"]: fact_value(rng, f)
                for f in details[it["id"]]["facts"]
                if rng.random() < 0.9
            }
            overdue = rng.random() < 0.15
            violations.append(
                {
                    "item": it["id"],
                    "facts": facts,
                    "corrected": not overdue and rng.random() < 0.6,
                    "overdue": overdue,
                    "first_offence": rng.random() < 0.3,
                    "persons": ["p1"] if rng.random() < 0.5 else [],
                }
            )
        case = (
            {
                "case_id": "T-%05d" % i,
                "violation_date": "2024-03-%02d" % rng.randint(1, 28),
                "inspection_date": "2024-04-%02d" % rng.randint(1, 28),
                "enterprise": {
                    "name": "测试企业%d" % i,
                    "high_risk": rng.random() < 0.2,
                    "penalties_180d": rng.choice([0, 0, 0, 1]),
                    "penalties_365d": rng.choice([0, 0, 1, 2]),
                },
                "persons": [
                    {
                        "id": "p1",
                        "role": rng.choice(["principal", "direct_supervisor"]),
                        "name": "某某",
                        "annual_income": rng.randrange(60000, 600000, 1000),
                    }
                ],
                "violations": violations,
            }
        )
        cases.append(drop_bad_facts(rules, case))
    return cases


@pytest.fixture(scope="session")
def batch(rules):
    """A deterministic batch of 400 valid cases."""
    return make_cases(rules, 400, seed=7)


def run_python(args, **kw):
    """Run the interpreter running the tests (same PYTHONPATH)."""
    import subprocess

    return subprocess.run(
        [sys.executable] + list(args),
        capture_output=True,
        text=True,
        **kw
    )
