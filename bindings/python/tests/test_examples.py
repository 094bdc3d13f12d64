# SPDX-License-Identifier: MIT
"""The worked examples in examples/python run and say what they claim."""

import csv
import json
import os
import subprocess
import sys

from conftest import EXAMPLE_CASES, SOURCE_ROOT

PARALLEL = os.path.join(SOURCE_ROOT, "examples", "python", "parallel.py")


def _jsonl_of_examples(tmp_path, repeat):
    cases = []
    for name in sorted(os.listdir(EXAMPLE_CASES)):
        with open(os.path.join(EXAMPLE_CASES, name), encoding="utf-8") as f:
            cases.append(json.load(f))
    lines = []
    for i in range(repeat):
        for c in cases:
            c = dict(c, case_id="%s-%d" % (c.get("case_id", "x"), i))
            lines.append(json.dumps(c, ensure_ascii=False))
    return cases, lines


def test_parallel_pool_equals_in_process(zhifa, rules, tmp_path):
    # Two worker processes (spawned, each loading the rules by path) give
    # the rows one process gives, in input order; a bad line is reported
    # with its number and the exit status is 1, as `zhifa batch`.
    _, lines = _jsonl_of_examples(tmp_path, 5)
    bad = len(lines) // 2
    lines.insert(bad, '{"case_id": "broken", "violations": 7}')
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(lines) + "\n\n", encoding="utf-8")
    out = tmp_path / "rows.csv"
    env = dict(os.environ)
    r = subprocess.run(
        [sys.executable, PARALLEL, str(path), "--processes", "2",
         "--chunk", "3", "--rules", rules.path, "-o", str(out)],
        env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 1, r.stderr
    assert "cases.jsonl:%d:" % (bad + 1) in r.stderr
    with open(out, encoding="utf-8", newline="") as f:
        got = list(csv.DictReader(f))

    want = []
    for n, text in enumerate(lines, 1):
        if n == bad + 1:
            continue
        for row in zhifa.to_records(rules.evaluate(text)):
            want.append({"line": str(n), **{
                k: "" if v is None else str(v) for k, v in row.items()}})
    assert len(got) == len(want) > 10
    assert got == want
