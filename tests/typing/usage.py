# SPDX-License-Identifier: MIT
"""Typed use of the public API, checked by `mypy --strict` (tests/typing).

Never run: it only has to type-check. It touches every public name, so a
stub that drops or mistypes one fails the test.
"""

import csv
import io
from typing import Any, Dict, List, Optional, Sequence, Union

import zhifa


def catalogue(rules: zhifa.Rules) -> List[str]:
    ids = [it["id"] for it in rules.items("机械")]
    plan: Dict[str, Any] = rules.plan()
    sheet: Dict[str, Any] = rules.checklist(["机械", "粉尘涉爆"])
    md: str = rules.checklist("机械", format="markdown")
    one: Dict[str, Any] = rules.item("GEN-004")
    assert "GEN-004" in rules and plan and sheet and md and one
    return ids + [d["id"] for d in rules.domains()]


def evaluate(rules: zhifa.Rules, cases: Sequence[zhifa.Case]) -> int:
    d: zhifa.Decision = rules.evaluate(cases[0])
    text: str = d.explain() + d.to_json(pretty=True) + d.case_id
    fine: int = d.total["unit_fine"]
    tier: Optional[str] = d.violations[0].get("tier")
    decisions: List[zhifa.Decision] = rules.evaluate_many(cases, threads=4)
    mixed: List[Union[zhifa.Decision, Exception]] = rules.evaluate_many(
        cases, errors="return")
    ok = [x for x in mixed if isinstance(x, zhifa.Decision)]
    rows: List[zhifa.Record] = zhifa.to_records(decisions + ok)
    recommended: Optional[int] = rows[0]["recommended"]
    buf = io.StringIO()
    csv.DictWriter(buf, zhifa.RECORD_FIELDS).writerows(rows)
    n: int = zhifa.write_jsonl(buf, mixed)
    assert text and tier and recommended is not None
    return fine + n + len(d) + len(d.warnings)


def low_level(rules: zhifa.Rules) -> bytes:
    c = zhifa._zhifa.load(rules.path or zhifa.default_rules_path())
    out = c.evaluate_batch([b"{}", bytearray(b"{}"), memoryview(b"{}"), "{}"])
    first = out[0]
    if isinstance(first, Exception):
        raise first
    raw: bytes = c.evaluate(b"{}", raw=True)
    s: str = c.evaluate("{}", zhifa._zhifa.RENDER_TEXT)
    return first + raw + s.encode()


def main() -> None:
    try:
        rules = zhifa.load(limits={"match": 10000})
    except zhifa.RuleError as e:
        print(e.source, e.line, e.column, e.code)
        raise
    small = zhifa.compile(b"ruleset: {id: x, version: '1'}\n", "x.yaml")
    cases = zhifa.read_jsonl("cases.jsonl")
    try:
        evaluate(rules, cases)
    except zhifa.CaseError as e:
        print(e.path, e.index, e.case_id)
    df = zhifa.to_dataframe(rules.evaluate_many(cases))
    print(catalogue(rules), low_level(small), df, zhifa.__version__,
          zhifa.LIMITS, rules.limits["match"], rules.generation)
