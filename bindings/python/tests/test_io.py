# SPDX-License-Identifier: MIT
"""JSON Lines, records, data frames."""

import csv
import io
import json
import subprocess
import sys

import pytest


def test_jsonl_roundtrip(zhifa, batch, tmp_path):
    p = tmp_path / "cases.jsonl"
    assert zhifa.write_jsonl(p, batch[:30]) == 30
    text = p.read_text(encoding="utf-8")
    assert text.count("\n") == 30 and "测试企业" in text  # not \\u-escaped
    assert zhifa.read_jsonl(p) == batch[:30]
    assert zhifa.read_jsonl(str(p)) == batch[:30]
    with open(p, encoding="utf-8") as f:
        assert zhifa.read_jsonl(f) == batch[:30]


def test_read_jsonl_blank_lines_and_errors(zhifa, tmp_path):
    p = tmp_path / "x.jsonl"
    p.write_text('\n{"a": 1}\n   \n{"b": 2}\n\n', encoding="utf-8")
    assert zhifa.read_jsonl(p) == [{"a": 1}, {"b": 2}]
    p.write_text('{"a": 1}\n{"a": \n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"x\.jsonl:2: "):
        zhifa.read_jsonl(p)
    p.write_text('{"a": 1, "a": 2}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="duplicate key 'a'"):
        zhifa.read_jsonl(p)
    with pytest.raises(ValueError, match="<stream>|:1:"):
        zhifa.read_jsonl(io.StringIO("nope\n"))


def test_write_jsonl_kinds(zhifa, rules, batch):
    buf = io.StringIO()
    d = rules.evaluate(batch[0])
    n = zhifa.write_jsonl(buf, [d, {"k": "值"}, '{"raw": 1}\n'])
    assert n == 3
    lines = buf.getvalue().split("\n")
    assert lines[0] == d.to_json()
    assert lines[1] == '{"k":"值"}' and lines[2] == '{"raw": 1}'
    with pytest.raises(ValueError):
        zhifa.write_jsonl(io.StringIO(), ["a\nb"])
    with pytest.raises(TypeError):
        zhifa.write_jsonl(io.StringIO(), [42])


def test_batch_equal_to_cli(zhifa, rules, cli, batch, tmp_path):
    # write cases, run `zhifa batch`, compare with evaluate_many + write_jsonl
    cases = list(batch[:120])
    cases[7] = {"case_id": "bad-7", "violations": [], "bogus": 1}
    inp, theirs, ours = (tmp_path / n for n in ("in.jsonl", "cli.jsonl",
                                               "py.jsonl"))
    zhifa.write_jsonl(inp, cases)
    r = subprocess.run([cli, "batch", "--rules", rules.path, str(inp), "-o",
                        str(theirs)], capture_output=True)
    assert r.returncode == 1  # one bad line
    results = rules.evaluate_many(zhifa.read_jsonl(inp), threads=4,
                                  errors="return")
    zhifa.write_jsonl(ours, results)
    cli_lines = theirs.read_text(encoding="utf-8").splitlines()
    py_lines = ours.read_text(encoding="utf-8").splitlines()
    assert len(cli_lines) == len(py_lines) == 120
    for i, (a, b) in enumerate(zip(cli_lines, py_lines)):
        if i == 7:
            ea, eb = json.loads(a), json.loads(b)
            assert ea == eb, (ea, eb)
        else:
            assert a == b, i


def test_to_records(zhifa, rules, example_cases):
    ds = rules.evaluate_many(example_cases)
    rows = zhifa.to_records(ds)
    assert len(rows) == sum(len(d.violations) for d in ds)
    for row in rows:
        assert tuple(row) == zhifa.RECORD_FIELDS
    by_case = {}
    for row in rows:
        by_case.setdefault(row["case_id"], []).append(row)
    for d in ds:
        rs = by_case[d.case_id]
        assert [r["index"] for r in rs] == list(range(len(d.violations)))
        for r, v in zip(rs, d.violations):
            assert r["item"] == v["item"] and r["tier"] == v["tier"]
            assert r["outcome"] == v["outcome"]
            assert isinstance(r["flags"], str)
            assert r["flags"] == ";".join(v["flags"])
            assert r["persons"] == len(v["persons"])
            assert r["person_fines"] == sum(
                (p["fine"] or {}).get("recommended", 0) for p in v["persons"])
            if v["unit"] and v["unit"].get("fine"):
                f = v["unit"]["fine"]
                assert (r["recommended"], r["min"], r["max"]) == (
                    f["recommended"], f["min"], f["max"])
                assert (r["statutory_min"], r["statutory_max"]) == (
                    f["statutory"]["min"], f["statutory"]["max"])
            else:
                assert r["recommended"] is None
    # sums of person fines match the decisions' totals
    for d in ds:
        assert sum(r["person_fines"] for r in by_case[d.case_id]) == \
            d.total["person_fines"]


def test_to_records_inputs(zhifa, rules, example_cases):
    d = rules.evaluate(example_cases[1])
    assert zhifa.to_records(d) == zhifa.to_records([d])
    assert zhifa.to_records([d.to_dict()]) == zhifa.to_records([d])
    fresh = rules.evaluate(example_cases[1])
    zhifa.to_records([fresh])
    assert fresh._parsed is None  # one-pass reading keeps no decoded copy
    with pytest.raises(TypeError):
        zhifa.to_records([d, ValueError("x")])
    with pytest.raises(TypeError):
        zhifa.to_records([{"no": "violations"}])


def test_records_to_csv(zhifa, rules, batch):
    rows = zhifa.to_records(rules.evaluate_many(batch[:50]))
    buf = io.StringIO()
    w = csv.DictWriter(buf, zhifa.RECORD_FIELDS)
    w.writeheader()
    w.writerows(rows)
    back = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert len(back) == len(rows)
    assert [r["item"] for r in back] == [r["item"] or "" for r in rows]


def test_to_dataframe_without_pandas(zhifa, rules, example_cases,
                                     monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # import fails
    with pytest.raises(ImportError, match="python3-pandas"):
        zhifa.to_dataframe(rules.evaluate_many(example_cases))


def test_to_dataframe_with_pandas(zhifa, rules, batch):
    # scripts/deps.sh installs python3-pandas: this test never skips
    import pandas as pd
    ds = rules.evaluate_many(batch[:100])
    df = zhifa.to_dataframe(ds)
    assert isinstance(df, pd.DataFrame)
    assert list(df.columns) == list(zhifa.RECORD_FIELDS)
    assert len(df) == sum(len(d.violations) for d in ds)
    empty = zhifa.to_dataframe([])
    assert list(empty.columns) == list(zhifa.RECORD_FIELDS)


def test_read_jsonl_long_line_bounded(zhifa, tmp_path):
    # a line beyond max_line raises, naming it, without being read whole;
    # lines before it are fine, and text streams are bounded the same way
    p = tmp_path / "long.jsonl"
    p.write_bytes(b'{"a": 1}\n' + b"x" * 5000 + b'\n{"b": 2}\n')
    with pytest.raises(ValueError, match=r"long.jsonl:2: line longer than 4096"):
        zhifa.read_jsonl(p, max_line=4096)
    with pytest.raises(ValueError, match=r":2: Expecting value"):
        zhifa.read_jsonl(p, max_line=5000)    # read whole: not JSON
    with pytest.raises(ValueError, match=r":2: line longer than 100"):
        zhifa.read_jsonl(io.StringIO('{"a": 1}\n' + "y" * 300), max_line=100)
    # exactly max_line bytes (newline excluded) is still a line
    q = tmp_path / "edge.jsonl"
    q.write_bytes(b'{"a": "' + b"z" * 10 + b'"}\n')      # 19 bytes + newline
    assert zhifa.read_jsonl(q, max_line=19) == [{"a": "z" * 10}]
    with pytest.raises(ValueError, match="line longer than 18"):
        zhifa.read_jsonl(q, max_line=18)
