# SPDX-License-Identifier: MIT
"""Loading rule sets, their identity and catalogue."""

import os
import re

import pytest

from conftest import MINI_RULES, SOURCE_ROOT


def test_load_default_is_source_rules_in_build_tree(zhifa, rules):
    # The tests run from the build tree: the bundled rules are the source
    # tree's, as for the CLI.
    from zhifa import _buildtree

    assert zhifa.default_rules_path() == _buildtree.SOURCE_RULES
    assert os.path.samefile(rules.path, os.path.join(SOURCE_ROOT, "rules"))


def test_no_build_tree_path_in_the_extension(zhifa):
    # The extension is what gets installed: it carries install paths only;
    # the build tree's locations live in the never-installed _buildtree.py.
    from zhifa import _buildtree

    m = zhifa._zhifa
    assert m.INSTALLED_RULES == m.DATADIR + "/rules"
    assert m.DATADIR.endswith("zhifa")
    assert os.path.isdir(_buildtree.SOURCE_RULES)
    assert os.path.isdir(_buildtree.BUILD_ROOT)
    assert not hasattr(m, "SOURCE_RULES") and not hasattr(m, "BUILD_ROOT")
    # (the .so's debug info names the build dir; its data must not)
    for name, value in vars(m).items():
        if isinstance(value, str) and not name.startswith("__"):
            assert _buildtree.BUILD_ROOT not in value, name
            assert _buildtree.SOURCE_RULES not in value, name


def test_default_order_without_build_tree(zhifa, monkeypatch, tmp_path):
    # An installed package: the rules inside the package come first, then
    # the installed data dir.
    import sys

    from zhifa import _rules

    # as if _buildtree.py were not there (it is never installed)
    monkeypatch.delattr(zhifa, "_buildtree", raising=False)
    monkeypatch.setitem(sys.modules, "zhifa._buildtree", None)
    inside = tmp_path / "pkg" / "rules"
    monkeypatch.setattr(_rules, "_package_rules", lambda: str(inside))
    assert zhifa.default_rules_path() in (zhifa._zhifa.INSTALLED_RULES,
                                          str(inside))
    inside.mkdir(parents=True)
    assert zhifa.default_rules_path() == str(inside)


def test_env_overrides_default(zhifa, monkeypatch, tmp_path):
    from zhifa import _buildtree

    monkeypatch.setenv("ZHIFA_RULES", str(tmp_path / "nowhere"))
    assert zhifa.default_rules_path() == str(tmp_path / "nowhere")
    with pytest.raises(FileNotFoundError):
        zhifa.load()
    monkeypatch.setenv("ZHIFA_RULES", "")
    assert zhifa.default_rules_path() == _buildtree.SOURCE_RULES


def test_identity(zhifa, rules):
    assert rules.id == "cn-national"
    assert rules.version
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", rules.digest)
    assert rules.generation == 0
    assert "zhifa.Rules" in repr(rules) and rules.digest in repr(rules)
    assert zhifa.__version__ == zhifa._zhifa.VERSION
    assert zhifa._zhifa.VERSION == zhifa._zhifa.HEADER_VERSION


def test_same_sources_same_digest(zhifa, rules):
    again = zhifa.load(rules.path)
    assert again.digest == rules.digest
    assert again is not rules


def test_catalogue(rules):
    domains = rules.domains()
    items = rules.items()
    assert domains and items
    ids = [it["id"] for it in items]
    assert len(ids) == len(set(ids))
    assert len(items) == rules._c.item_count
    assert len(domains) == rules._c.domain_count
    assert sum(len(d["items"]) for d in domains) == len(items)
    for it in items:
        assert set(it) >= {
            "id", "title", "domain", "violates", "basis", "provision",
            "major_hazard", "must_check", "tags",
        }
    general = [d for d in domains if d["id"] == "general"]
    assert general and general[0]["name"] == "通用"
    by_id = rules.items(domain="general")
    by_name = rules.items(domain="通用")
    assert by_id == by_name and by_id
    assert all(it["domain"] == "general" for it in by_id)
    assert rules.items(domain="no-such-domain") == []


def test_catalogue_is_a_fresh_copy(rules):
    a = rules.items()
    a[0]["title"] = "changed"
    assert rules.items()[0]["title"] != "changed"


def test_item_detail(rules):
    for it in rules.items():
        d = rules.item(it["id"])
        for k, v in it.items():
            assert d[k] == v
        assert d["conduct"]
        assert re.fullmatch(r"rules/.+\.yaml:\d+", d["source"])
        assert isinstance(d["facts"], list)
        for f in d["facts"]:
            assert {"name", "type", "label"} <= set(f)
        assert d["discretion"], it["id"]
        assert it["id"] in rules


def test_unknown_item(rules):
    with pytest.raises(KeyError) as ei:
        rules.item("GEN-0O4")
    assert "GEN-0O4" in str(ei.value)
    assert "did you mean" in str(ei.value)
    assert "NOPE" not in rules
    assert 42 not in rules
    with pytest.raises(TypeError):
        rules.item(42)


def test_limits(zhifa):
    r = zhifa.load(limits={"match": 5000, "json_depth": 16})
    assert r.limits["match"] == 5000
    assert r.limits["json_depth"] == 16
    assert set(r.limits) == set(zhifa.LIMITS)
    with pytest.raises(ValueError, match="unknown limit"):
        zhifa.load(limits={"bogus": 1})
    with pytest.raises(ValueError, match="at least 1"):
        zhifa.load(limits={"match": 0})
    with pytest.raises(TypeError):
        zhifa.load(limits={"match": "many"})
    with pytest.raises(TypeError):
        zhifa.load(limits={"match": True})
    with pytest.raises(TypeError):
        zhifa.load(limits=[("match", 1)])


def test_json_size_limit_applies_to_cases(zhifa):
    r = zhifa.load(limits={"json_size": 64})
    with pytest.raises(zhifa.CaseError) as ei:
        r.evaluate({"case_id": "x" * 100, "violations": []})
    assert ei.value.status == zhifa._zhifa.ELIMIT


def test_pathlike_and_file(zhifa, rules, tmp_path):
    import pathlib

    r = zhifa.load(pathlib.Path(rules.path))
    assert r.digest == rules.digest
    r2 = zhifa.load(pathlib.Path(rules.path) / "zhifa.yaml")
    assert r2.digest == rules.digest


def test_compile_mini(zhifa):
    r = zhifa.compile(MINI_RULES, "mini.yaml")
    assert r.id == "t-mini" and r.version == "1" and r.path is None
    assert [it["id"] for it in r.items()] == ["M-1"]
    assert r.item("M-1")["source"] == "mini.yaml:19"
    r2 = zhifa.compile(MINI_RULES.encode("utf-8"), "mini.yaml")
    assert r2.digest == r.digest
    d = r.evaluate({"violations": [{"item": "M-1", "facts": {"devices": 1}}]})
    v = d["violations"][0]
    assert v["tier"] == "lighter"
    assert v["unit"]["fine"]["statutory"] == {"min": 0, "max": 50000}
    assert v["trace"][0]["source"] == "mini.yaml:19"


def test_compile_bad_yaml(zhifa):
    with pytest.raises(zhifa.RuleError) as ei:
        zhifa.compile("ruleset: [1, 2\n", "bad.yaml")
    e = ei.value
    assert e.source == "bad.yaml"
    assert e.line and e.column
    assert 100 <= e.code < 200
    with pytest.raises(TypeError):
        zhifa.compile(12)


PLAN_RULES = os.path.join(SOURCE_ROOT, "tests", "data", "rules", "valid",
                          "plan.yaml")


def test_plan(zhifa):
    plan = zhifa.load(PLAN_RULES).plan()
    assert plan["id"] == "key-test"
    assert plan["key_items"] == 2
    assert [[i["id"] for i in d["items"]] for d in plan["domains"]] == [
        ["T-001"], ["D-002", "T-001"]]


def test_no_plan_raises(zhifa):
    with pytest.raises(zhifa.Error, match="no plan"):
        zhifa.compile(MINI_RULES).plan()


def test_checklist(zhifa):
    r = zhifa.load(PLAN_RULES)
    c = r.checklist(["粉尘涉爆"])
    assert c["enterprise_domains"] == ["dust"]
    assert [[(i["id"], i["also_in"]) for i in s["items"]]
            for s in c["sections"]] == [[("T-001", ["dust"])],
                                        [("D-002", [])]]
    # one str is one domain; the same list as the CLI prints
    assert r.checklist("dust") == c
    text = r.checklist(["dust"], format="markdown")
    assert "| D-002 | 粉尘记录 |" in text


def test_checklist_errors(zhifa, rules):
    with pytest.raises(KeyError, match="did you mean '机械'"):
        rules.checklist(["机戒"])
    with pytest.raises(TypeError):
        rules.checklist([1])
    with pytest.raises(ValueError):
        rules.checklist(["机械"], format="html")
