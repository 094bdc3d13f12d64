# SPDX-License-Identifier: MIT
"""Errors: one mapping from zhifa statuses to structured exceptions."""

import datetime
import json
import pickle

import pytest

from conftest import MINI_RULES

GOOD_VIOLATION = {"item": "GEN-004", "facts": {"untrained": 5}}


def write_rules(tmp_path, text, name="zhifa.yaml"):
    d = tmp_path / "bad-rules"
    d.mkdir(exist_ok=True)
    (d / name).write_text(text, encoding="utf-8")
    return d


def test_hierarchy(zhifa):
    assert issubclass(zhifa.RuleError, zhifa.Error)
    assert issubclass(zhifa.RuleError, ValueError)
    assert issubclass(zhifa.CaseError, zhifa.Error)
    assert issubclass(zhifa.CaseError, ValueError)
    assert issubclass(zhifa.IndeterminateError, zhifa.Error)
    assert not issubclass(zhifa.IndeterminateError, ValueError)
    assert issubclass(zhifa.Error, Exception)
    for cls in (zhifa.Error, zhifa.RuleError, zhifa.CaseError,
                zhifa.IndeterminateError):
        assert cls.__module__ == "zhifa"
        assert cls.__doc__


# -- rule sets --------------------------------------------------------------


def test_bad_rules_dir_unknown_key(zhifa, tmp_path):
    d = write_rules(tmp_path, MINI_RULES.replace("        conduct:",
                                                 "        condcut:"))
    with pytest.raises(zhifa.RuleError) as ei:
        zhifa.load(d)
    e = ei.value
    assert isinstance(e, ValueError)
    assert e.source == "bad-rules/zhifa.yaml"
    assert (e.line, e.column) == (21, 9)
    assert e.code == 101
    assert e.status == zhifa._zhifa.ESCHEMA
    assert "condcut" in e.message and "did you mean 'conduct'" in e.message
    assert str(e).startswith("bad-rules/zhifa.yaml:21:9: [ZF-101] ")


def test_bad_rules_dir_expression(zhifa, tmp_path):
    d = write_rules(tmp_path, MINI_RULES.replace("devices <= 2",
                                                 "devicez <= 2"))
    with pytest.raises(zhifa.RuleError) as ei:
        zhifa.load(d)
    e = ei.value
    assert (e.code, e.line, e.column) == (102, 28, 21)
    assert "devicez" in str(e)


def test_bad_rules_dir_regex(zhifa, tmp_path):
    d = write_rules(tmp_path, MINI_RULES.replace(
        "'安全设备.{0,8}未(维护|保养)'", "'安全(设备'"))
    with pytest.raises(zhifa.RuleError) as ei:
        zhifa.load(d)
    e = ei.value
    assert e.code == 114 and e.status == zhifa._zhifa.EREGEX
    assert e.line == 24 and e.column


def test_bad_rules_dir_yaml_syntax(zhifa, tmp_path):
    d = write_rules(tmp_path, "ruleset:\n  id: [x\n")
    with pytest.raises(zhifa.RuleError) as ei:
        zhifa.load(d)
    e = ei.value
    assert e.code == 100 and e.status == zhifa._zhifa.ESYNTAX
    assert e.line and e.column and e.source.endswith("zhifa.yaml")


def test_missing_include_is_oserror(zhifa, tmp_path):
    d = write_rules(tmp_path, "ruleset:\n  id: x\n  version: '1'\n"
                              "include:\n  - missing.yaml\n")
    with pytest.raises(OSError) as ei:
        zhifa.load(d)
    e = ei.value
    assert e.status == zhifa._zhifa.EIO and e.code == 901
    assert "missing.yaml" in str(e)
    assert e.line == 5  # the include line in the manifest


def test_dir_without_manifest_is_oserror(zhifa, tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(OSError) as ei:
        zhifa.load(tmp_path / "empty")
    assert "zhifa.yaml" in str(ei.value)


def test_nonexistent_path(zhifa, tmp_path):
    with pytest.raises(FileNotFoundError) as ei:
        zhifa.load(tmp_path / "nope")
    assert ei.value.filename == str(tmp_path / "nope")


def test_rule_error_limit(zhifa, tmp_path):
    d = write_rules(tmp_path, MINI_RULES)
    with pytest.raises(zhifa.RuleError) as ei:
        zhifa.load(d, limits={"file_size": 100})
    assert ei.value.status == zhifa._zhifa.ELIMIT
    assert 300 <= ei.value.code < 400


# -- cases ------------------------------------------------------------------


def case_error(rules, case):
    import zhifa

    with pytest.raises(zhifa.CaseError) as ei:
        rules.evaluate(case)
    return ei.value


def test_case_unknown_key(zhifa, rules):
    e = case_error(rules, {"case_id": "x", "violations": [], "bogus": 1})
    assert isinstance(e, ValueError)
    assert (e.code, e.path) == (201, "bogus")
    assert e.status == zhifa._zhifa.EINPUT
    assert str(e) == "[ZF-201] bogus: unknown key 'bogus'"


def test_case_nested_paths(zhifa, rules):
    e = case_error(rules, {"violations": [GOOD_VIOLATION,
                                          dict(GOOD_VIOLATION, colour=1)]})
    assert e.path == "violations[1].colour"
    e = case_error(rules, {"violations": [dict(GOOD_VIOLATION,
                                               corrected=3)]})
    assert (e.code, e.path) == (202, "violations[0].corrected")
    e = case_error(rules, {"enterprise": {"penalties_180d": "x"},
                           "violations": []})
    assert e.path == "enterprise.penalties_180d"


def test_case_values(zhifa, rules):
    e = case_error(rules, {"violation_date": "2024-02-30",
                           "violations": [GOOD_VIOLATION]})
    assert (e.code, e.path) == (205, "violation_date")
    e = case_error(rules, {
        "persons": [{"id": "p1", "role": "principal",
                     "annual_income": 1000.5}],
        "violations": [GOOD_VIOLATION]})
    assert e.code == 206 and e.path == "persons[0].annual_income"
    e = case_error(rules, {"violations": [dict(GOOD_VIOLATION,
                                               harm="fatal")]})
    assert e.code == 204 and e.path == "violations[0].harm"
    e = case_error(rules, {})
    assert e.code == 203


def test_case_against_rules(zhifa, rules):
    e = case_error(rules, {"violations": [{"item": "GEN-9999"}]})
    assert (e.code, e.path) == (208, "violations[0].item")
    assert "GEN-9999" in e.message
    e = case_error(rules, {"violations": [
        {"item": "GEN-004", "facts": {"untrainde": 5}}]})
    assert (e.code, e.path) == (209, "violations[0].facts.untrainde")
    assert "did you mean 'untrained'" in e.message
    e = case_error(rules, {"violations": [dict(GOOD_VIOLATION,
                                               persons=["p9"])]})
    assert e.code == 211


def test_case_json_text_errors(zhifa, rules):
    e = case_error(rules, '{"case_id": "x",\n "violations": [1,}')
    assert e.code == 200 and e.status == zhifa._zhifa.ESYNTAX
    assert (e.line, e.column) == (2, 19)
    assert str(e).startswith("line 2, column 19: [ZF-200] ")
    e = case_error(rules, '{"case_id": "a", "case_id": "b", "violations": []}')
    assert e.code == 207
    e = case_error(rules, b'{"case_id": "\xff", "violations": []}')
    assert e.code == 210
    e = case_error(rules, '{"case_id": "a\\u0000", "violations": []}')
    assert e.code == 210


def test_case_python_type_errors(zhifa, rules):
    with pytest.raises(TypeError):
        rules.evaluate(42)
    with pytest.raises(TypeError):
        rules.evaluate(None)
    with pytest.raises(TypeError):
        rules.evaluate({"violations": [], "case_id": {1, 2}})
    with pytest.raises(TypeError, match="datetime.date"):
        rules.evaluate({"violations": [],
                        "decision_date": datetime.datetime(2024, 1, 1)})
    with pytest.raises(ValueError):
        rules.evaluate({"violations": [GOOD_VIOLATION],
                        "enterprise": {"penalties_180d": float("nan")}})


def test_case_dates_and_integer_likes_accepted(zhifa, rules):
    class Count:
        def __index__(self):
            return 5

    d = rules.evaluate({
        "violation_date": datetime.date(2024, 3, 12),
        "inspection_date": datetime.date(2024, 3, 15),
        "violations": [{"item": "GEN-004", "facts": {"untrained": Count()}}],
    })
    assert d["violations"][0]["tier"] == "normal"


def test_indeterminate(zhifa):
    text = MINI_RULES.replace("'安全设备.{0,8}未(维护|保养)'", "'(a+)+$'")
    r = zhifa.compile(text, "mini.yaml")
    with pytest.raises(zhifa.IndeterminateError) as ei:
        r.evaluate({"violations": [{"text": "a" * 28 + "!"}]})
    e = ei.value
    assert not isinstance(e, ValueError)
    assert e.status == zhifa._zhifa.EINDETERMINATE and e.code == 400
    assert e.rule_id == "M-1"
    # a short subject is fine, and so is the same rule set afterwards
    d = r.evaluate({"violations": [{"text": "aaaa!"}]})
    assert d["violations"][0]["outcome"] == "unmatched"


def test_errors_pickle_with_attributes(zhifa, rules):
    e = case_error(rules, {"bogus": 1, "violations": []})
    e2 = pickle.loads(pickle.dumps(e))
    assert type(e2) is zhifa.CaseError
    assert (e2.code, e2.path, str(e2)) == (e.code, e.path, str(e))


def test_error_attributes_complete(zhifa, rules):
    e = case_error(rules, {"bogus": 1, "violations": []})
    for name in ("status", "code", "message", "source", "path", "rule_id",
                 "line", "column", "offset"):
        assert hasattr(e, name), name


def test_rules_survive_errors(zhifa, rules, example_cases):
    # errors leave the rule set and its evaluators usable
    before = json.dumps(rules.evaluate(example_cases[0]).to_dict())
    for _ in range(50):
        with pytest.raises(zhifa.CaseError):
            rules.evaluate({"bogus": 1})
    after = json.dumps(rules.evaluate(example_cases[0]).to_dict())
    assert before == after
