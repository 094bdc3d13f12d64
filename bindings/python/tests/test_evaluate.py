# SPDX-License-Identifier: MIT
"""Evaluating cases: decisions as mappings, text, JSON, the CLI's output."""

import collections.abc
import gc
import json
import pickle
import subprocess
import weakref

import pytest

CONTRACT_KEYS = {"case_id", "engine", "ruleset", "violations", "total",
                 "procedure", "referrals", "warnings"}
VIOLATION_KEYS = {"index", "item", "matched_by", "candidates", "domain",
                  "violates", "basis", "provision", "stage", "major_hazard",
                  "outcome", "tier", "unit", "persons", "factors", "flags",
                  "trace"}


def test_decision_is_a_read_only_mapping(rules, example_cases):
    d = rules.evaluate(example_cases[0])
    assert isinstance(d, collections.abc.Mapping)
    assert not isinstance(d, collections.abc.MutableMapping)
    assert CONTRACT_KEYS <= set(d)
    assert len(d) == len(list(d))
    assert "total" in d and "nope" not in d
    assert d.get("nope") is None
    with pytest.raises(KeyError):
        d["nope"]
    with pytest.raises(TypeError):
        d["case_id"] = "x"
    with pytest.raises(AttributeError):
        d.anything = 1
    assert dict(d) == d.to_dict()
    assert d == d.to_dict()
    assert d.to_dict() is not d.to_dict()


def test_contract_shape(rules, example_cases):
    for case in example_cases:
        d = rules.evaluate(case)
        assert d.case_id == case["case_id"]
        assert d["engine"]["version"]
        assert d["ruleset"]["id"] == rules.id
        assert d["ruleset"]["digest"] == rules.digest
        assert d.violations is d["violations"]
        assert len(d.violations) == len(case["violations"])
        for i, v in enumerate(d.violations):
            assert VIOLATION_KEYS <= set(v)
            assert v["index"] == i
            assert v["outcome"] in ("penalty", "exempt", "exemption_available",
                                    "time_barred", "unmatched", "ambiguous")
            if v["unit"] and v["unit"].get("fine"):
                f = v["unit"]["fine"]
                assert f["min"] <= f["recommended"] <= f["max"]
            for t in v["trace"]:
                assert {"step", "rule", "source", "cite", "detail"} <= set(t)
        assert d.total["unit_fine"] >= 0 and d.total["person_fines"] >= 0
        assert isinstance(d.warnings, list)


def test_inputs_dict_str_bytes_agree(rules, example_paths):
    for p in example_paths:
        with open(p, "rb") as f:
            raw = f.read()
        a = rules.evaluate(json.loads(raw))
        b = rules.evaluate(raw.decode("utf-8"))
        c = rules.evaluate(raw)
        e = rules.evaluate(bytearray(raw))
        f_ = rules.evaluate(memoryview(raw))
        assert a.to_json() == b.to_json() == c.to_json() == e.to_json() \
            == f_.to_json()


def test_mapping_types_accepted(rules, example_cases):
    import types

    case = example_cases[0]
    proxy = types.MappingProxyType(
        dict(case, enterprise=types.MappingProxyType(case["enterprise"])))
    assert rules.evaluate(proxy).to_json() == rules.evaluate(case).to_json()


def test_case_roundtrip(rules, example_cases):
    d = rules.evaluate(example_cases[1])
    assert d.case() == example_cases[1]


def test_explain(rules, example_cases):
    d = rules.evaluate(example_cases[0])
    text = d.explain()
    assert text.startswith("行政处罚裁量说明")
    assert d.case_id in text
    for v in d.violations:
        if v["item"]:
            assert v["item"] in text
    assert text == d.explain()


def test_to_json_determinism(rules, example_cases):
    for case in example_cases:
        d = rules.evaluate(case)
        assert json.loads(d.to_json()) == d
        assert json.loads(d.to_json(pretty=True)) == d
        assert "\n" not in d.to_json() and "\n" in d.to_json(pretty=True)
        assert rules.evaluate(case).to_json() == d.to_json()


def test_equal_to_cli(rules, cli, example_paths):
    for p in example_paths:
        out = subprocess.run(
            [cli, "eval", "--rules", rules.path, "--compact", p],
            capture_output=True, check=True)
        with open(p, "rb") as f:
            d = rules.evaluate(f.read())
        assert out.stdout.decode("utf-8") == d.to_json() + "\n"
        assert json.loads(out.stdout) == d
        pretty = subprocess.run([cli, "eval", "--rules", rules.path, p],
                                capture_output=True, check=True)
        assert pretty.stdout.decode("utf-8").rstrip("\n") == \
            d.to_json(pretty=True).rstrip("\n")
        text = subprocess.run([cli, "eval", "--rules", rules.path, "--text",
                               p], capture_output=True, check=True)
        assert text.stdout.decode("utf-8") == d.explain()


def test_equal_to_cli_generated(rules, cli, batch):
    # A varied batch, through `zhifa eval` one by one (sampled).
    for case in batch[::40]:
        out = subprocess.run(
            [cli, "eval", "--rules", rules.path, "--compact", "-"],
            input=json.dumps(case, ensure_ascii=False).encode("utf-8"),
            capture_output=True, check=True)
        assert out.stdout.decode("utf-8") == rules.evaluate(case).to_json() \
            + "\n"


def test_decision_outlives_rules(zhifa, example_cases):
    r = zhifa.load()
    ref = weakref.ref(r)
    d = r.evaluate(example_cases[1])
    text, js = d.explain(), d.to_json()
    del r
    gc.collect()
    assert ref() is not None  # the decision keeps its rules alive
    assert d.rules is ref()
    assert d.explain() == text and d.to_json() == js
    del d
    gc.collect()
    assert ref() is None  # and lets them go with it


def test_free_in_any_order(zhifa, example_cases):
    # decisions first, rules first, interleaved: nothing may crash
    for order in range(3):
        r = zhifa.load()
        ds = [r.evaluate(c) for c in example_cases]
        if order == 0:
            del ds
            del r
        elif order == 1:
            del r
            gc.collect()
            for d in ds:
                d.explain()
            del ds
        else:
            ds2 = ds[::2]
            del ds
            del r
            ds2[0].explain()
            del ds2
        gc.collect()


def test_repr_and_pickle(rules, example_cases):
    d = rules.evaluate(example_cases[0])
    assert repr(d).startswith("<zhifa.Decision case_id=")
    with pytest.raises(TypeError, match="to_dict"):
        pickle.dumps(d)
    assert pickle.loads(pickle.dumps(d.to_dict())) == d


def test_lazy_decoding_is_invisible(rules, example_cases):
    d = rules.evaluate(example_cases[2])
    r = repr(d)  # does not decode for good
    assert d._parsed is None
    assert d["case_id"] == example_cases[2]["case_id"]
    assert d._parsed is not None and repr(d) == r


def test_empty_and_missing_facts(rules):
    d = rules.evaluate({"violations": []})
    assert d.case_id == "" and d.violations == [] \
        and d.total["unit_fine"] == 0
    d = rules.evaluate({"violations": [{"item": "GEN-004"}]})
    assert any("untrained" in w for w in d.warnings)


def test_unmatched(rules):
    d = rules.evaluate({"violations": [{"text": "职工食堂菜价偏高"}]})
    v = d.violations[0]
    assert v["outcome"] == "unmatched" and v["matched_by"] == "none"
    assert v["item"] is None and v["unit"] is None
