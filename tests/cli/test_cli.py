#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Tests of the zhifa command line (CONTRACT.md): exit codes, help, check,
list, show, eval, batch, error output and robustness.

Run by meson with ZHIFA (the CLI), ZF_SOURCE_ROOT and ZF_TEST_DATA set;
standard library only. Exit status 0 if every test passed.
"""
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import unittest

ZHIFA = os.environ.get("ZHIFA", "build/tools/zhifa/zhifa")
ROOT = os.environ.get("ZF_SOURCE_ROOT", ".")
DATA = os.environ.get("ZF_TEST_DATA", os.path.join(ROOT, "tests", "data"))
VERSION = os.environ.get("ZF_VERSION")
RULES = os.path.join(ROOT, "rules")
CASES = os.path.join(ROOT, "examples", "cases")
MINIMAL = os.path.join(DATA, "rules", "valid", "minimal.yaml")
PLAN = os.path.join(DATA, "rules", "valid", "plan.yaml")
COMMANDS = ["check", "list", "show", "eval", "batch", "checklist"]

ITEM_KEYS = {"id", "title", "domain", "violates", "basis", "provision",
             "major_hazard", "must_check", "tags"}


def run(*args, stdin=None, env=None, timeout=60, stdout=subprocess.PIPE):
    """Run the CLI; return (exit status, stdout bytes, stderr text)."""
    e = dict(os.environ)
    e.pop("ZHIFA_RULES", None)
    e["LC_ALL"] = "C.UTF-8"
    if env:
        e.update(env)
    p = subprocess.run([ZHIFA] + list(args), input=stdin, stdout=stdout,
                       stderr=subprocess.PIPE, env=e, timeout=timeout)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


class Base(unittest.TestCase):
    def assertExit(self, rc, expected, stderr=""):
        self.assertGreaterEqual(rc, 0, "killed by signal %d; stderr: %s"
                                % (-rc, stderr))
        self.assertEqual(rc, expected, "stderr: " + stderr)

    def tmpdir(self):
        d = tempfile.mkdtemp(prefix="zf-cli-")
        self.addCleanup(shutil.rmtree, d, True)
        return d

    def write(self, path, data):
        mode = "wb" if isinstance(data, bytes) else "w"
        kw = {} if isinstance(data, bytes) else {"encoding": "utf-8"}
        with open(path, mode, **kw) as f:
            f.write(data)
        return path


class Usage(Base):
    def test_no_arguments(self):
        rc, out, err = run()
        self.assertExit(rc, 2, err)
        self.assertIn("Usage: zhifa COMMAND", err)
        self.assertEqual(out, b"")

    def test_unknown_command(self):
        rc, out, err = run("frobnicate")
        self.assertExit(rc, 2, err)
        self.assertIn("unknown command 'frobnicate'", err)

    def test_unknown_option(self):
        for cmd in COMMANDS:
            rc, out, err = run(cmd, "--bogus")
            self.assertExit(rc, 2, err)
            self.assertIn("unknown option '--bogus'", err)
            self.assertEqual(out, b"")

    def test_missing_option_value(self):
        rc, out, err = run("check", "--rules")
        self.assertExit(rc, 2, err)
        self.assertIn("--rules needs a value", err)

    def test_inapplicable_options(self):
        for args in (["eval", "--json", "--text"], ["check", "--json"],
                     ["list", "--text"], ["batch", "--markdown"],
                     ["eval", "-o", "x.jsonl"], ["list", "--json",
                                                 "--markdown"]):
            rc, out, err = run(*args)
            self.assertExit(rc, 2, err)

    def test_wrong_argument_count(self):
        for args in (["show"], ["show", "GEN-001", "GEN-002"],
                     ["check", "extra"], ["list", "extra"],
                     ["eval", "a.json", "b.json"], ["batch", "a", "b"]):
            rc, out, err = run(*args)
            self.assertExit(rc, 2, err)

    def test_help(self):
        rc, main_help, err = run("--help")
        self.assertExit(rc, 0, err)
        self.assertTrue(main_help.startswith(b"Usage: zhifa COMMAND"))
        for cmd in COMMANDS:
            self.assertIn(("  %s " % cmd).encode(), main_help)
        rc, out, err = run("-h")
        self.assertEqual((rc, out), (0, main_help))
        rc, out, err = run("help")
        self.assertEqual((rc, out), (0, main_help))
        for cmd in COMMANDS:
            rc, out, err = run(cmd, "--help")
            self.assertExit(rc, 0, err)
            self.assertTrue(out.startswith(("Usage: zhifa %s" % cmd).encode()),
                            out)
            rc2, out2, err2 = run("help", cmd)
            self.assertExit(rc2, 0, err2)
            self.assertEqual(out2, out)
            rc3, out3, err3 = run(cmd, "-h")
            self.assertEqual((rc3, out3), (0, out))
            # --help wins over everything else, even bad arguments
            rc4, out4, err4 = run(cmd, "--rules", "/nonexistent", "--help")
            self.assertEqual((rc4, out4), (0, out))
        rc, out, err = run("help", "nosuch")
        self.assertExit(rc, 2, err)
        self.assertIn("unknown command 'nosuch'", err)

    def test_version(self):
        rc, out, err = run("--version")
        self.assertExit(rc, 0, err)
        text = out.decode()
        self.assertRegex(text, r"^zhifa \d+\.\d+\.\d+\nrules: cn-national "
                               r"\S+ sha256:[0-9a-f]{64} \(.*rules\)\n$")
        if VERSION:
            self.assertTrue(text.startswith("zhifa %s\n" % VERSION), text)
        # the digest is the one `check` reports for the same rules
        rc, chk, err = run("check")
        self.assertIn(text.split()[4], chk.decode())
        # rules that do not load are named, and --version still succeeds
        rc, out, err = run("--version", env={"ZHIFA_RULES": "/nonexistent"})
        self.assertExit(rc, 0, err)
        self.assertIn("rules: not loaded from /nonexistent ([ZF-", out.decode())


class Check(Base):
    def test_bundled(self):
        rc, out, err = run("check")
        self.assertExit(rc, 0, err)
        text = out.decode()
        self.assertRegex(text, r"OK — rule set cn-national \S+, \d+ domains, "
                         r"\d+ items, sha256:[0-9a-f]{64}\n$")
        self.assertEqual(err, "")
        # --rules with the same directory: the same digest
        rc2, out2, err2 = run("check", "--rules", RULES)
        self.assertExit(rc2, 0, err2)
        self.assertEqual(out2.split(b"sha256:")[1], out.split(b"sha256:")[1])

    def corrupted_copy(self, edit):
        d = os.path.join(self.tmpdir(), "rules")
        shutil.copytree(RULES, d)
        path = os.path.join(d, "domains", "general.yaml")
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
        lineno, col = edit(lines)
        self.write(path, "\n".join(lines))
        return d, lineno, col

    def test_corrupted_unknown_key(self):
        def edit(lines):
            for i, l in enumerate(lines):
                if l.startswith("        penalty: "):
                    lines[i] = l.replace("penalty:", "penalti:")
                    return i + 1, 9
            self.fail("no penalty line")
        d, line, col = self.corrupted_copy(edit)
        rc, out, err = run("check", "--rules", d)
        self.assertExit(rc, 1, err)
        self.assertEqual(out, b"")
        self.assertEqual(err, "rules/domains/general.yaml:%d:%d: error: "
                         "[ZF-101] unknown key 'penalti' in item "
                         "(did you mean 'penalty'?)\n" % (line, col))

    def test_corrupted_tab(self):
        def edit(lines):
            for i, l in enumerate(lines):
                if l.startswith("        title: "):
                    lines[i] = "\t" + l[1:]
                    return i + 1, 1
            self.fail("no title line")
        d, line, col = self.corrupted_copy(edit)
        rc, out, err = run("check", "--rules", d)
        self.assertExit(rc, 1, err)
        self.assertRegex(err, r"^rules/domains/general\.yaml:%d:%d: error: "
                         r"\[ZF-100\] YAML: .*tab.*\n$" % (line, col))

    def test_corrupted_dangling(self):
        def edit(lines):
            for i, l in enumerate(lines):
                if l.startswith("        penalty: aqsc:97("):
                    lines[i] = "        penalty: aqsc:97(9)"
                    return i + 1, 18
            self.fail("no aqsc:97 penalty")
        d, line, col = self.corrupted_copy(edit)
        rc, out, err = run("check", "--rules", d)
        self.assertExit(rc, 1, err)
        self.assertEqual(err, "rules/domains/general.yaml:%d:%d: error: "
                         "[ZF-107] penalty 'aqsc:97(9)': provision aqsc:97 "
                         "has only 7 clauses (项)\n" % (line, col))

    def test_missing_rules(self):
        rc, out, err = run("check", "--rules", "/nonexistent/rules")
        self.assertExit(rc, 1, err)
        self.assertIn("[ZF-901]", err)
        self.assertIn("No such file or directory", err)

    def test_golden_invalid_file(self):
        bad = os.path.join(DATA, "rules", "invalid", "unknown-key-item.yaml")
        with open(bad[:-5] + ".expected", encoding="utf-8") as f:
            expected = f.read().strip()
        rc, out, err = run("check", "--rules", bad)
        self.assertExit(rc, 1, err)
        loc, _, msg = expected.partition(" ")
        self.assertEqual(err, "invalid/unknown-key-item.yaml:%s error: %s\n"
                         % (loc, msg))


class RuleTestCommand(Base):
    def test_broken_test_file_counts_as_failed(self):
        # regression: a test file that does not parse printed its error
        # and then "0 passed, 0 failed"
        d = self.tmpdir()
        path = self.write(os.path.join(d, "bad.yaml"),
                          "tests:\n  - name: x\n    case: [\n")
        rc, out, err = run("test", "--rules", MINIMAL, path)
        self.assertExit(rc, 1, err)
        self.assertIn("bad.yaml:4:1: YAML:", err)
        self.assertTrue(out.decode().endswith("0 passed, 1 failed\n"), out)


class ControlCharacters(Base):
    """Control characters from rule files and cases are escaped in every
    diagnostic: raw ESC or BEL never reaches the terminal."""

    def test_rule_key(self):
        d = self.tmpdir()
        path = self.write(os.path.join(d, "r.yaml"),
                          'ruleset:\n  id: t\n  version: "1"\n'
                          '  "bad\\e[31mkey\\a": 1\n')   # YAML escapes
        rc, out, err = run("check", "--rules", path)
        self.assertExit(rc, 1, err)
        self.assertIn("unknown key 'bad\\x1b[31mkey\\x07'", err)
        self.assertNotIn("\x1b", err)
        self.assertNotIn("\x07", err)

    def test_case_value(self):
        case = '{"case_id": "a", "violations": [], "x\\u001b\\u0085y": 1}'
        rc, out, err = run("eval", "--rules", MINIMAL, stdin=case.encode())
        self.assertExit(rc, 1, err)
        self.assertIn("unknown key 'x\\x1b\\u0085y'", err)
        self.assertNotIn("\x1b", err)
        self.assertNotIn("\x85", err)


class RulesEnv(Base):
    def test_zhifa_rules_env(self):
        rc, out, err = run("check", env={"ZHIFA_RULES": MINIMAL})
        self.assertExit(rc, 0, err)
        self.assertIn(b"rule set t-base 1, 1 domains, 1 items", out)
        # --rules wins over the environment
        rc, out, err = run("check", "--rules", RULES,
                           env={"ZHIFA_RULES": MINIMAL})
        self.assertExit(rc, 0, err)
        self.assertIn(b"cn-national", out)
        # an empty variable is ignored
        rc, out, err = run("check", env={"ZHIFA_RULES": ""})
        self.assertExit(rc, 0, err)
        self.assertIn(b"cn-national", out)
        # and a bad one is an error, not a silent fallback
        rc, out, err = run("check", env={"ZHIFA_RULES": "/nonexistent"})
        self.assertExit(rc, 1, err)
        # eval honours it too
        case = b'{"violations":[{"item":"T-001","facts":{"untrained":1}}]}'
        rc, out, err = run("eval", "--compact", stdin=case,
                           env={"ZHIFA_RULES": MINIMAL})
        self.assertExit(rc, 0, err)
        self.assertEqual(json.loads(out)["ruleset"]["id"], "t-base")


class List(Base):
    def test_json_shape(self):
        rc, out, err = run("list", "--json")
        self.assertExit(rc, 0, err)
        doc = json.loads(out)
        self.assertIsInstance(doc["domains"], list)
        ids = set()
        n = 0
        for d in doc["domains"]:
            self.assertTrue({"id", "name", "items"} <= set(d), d.keys())
            self.assertIsInstance(d["id"], str)
            self.assertIsInstance(d["name"], str)
            for it in d["items"]:
                n += 1
                self.assertTrue(ITEM_KEYS <= set(it), it.keys())
                self.assertIsInstance(it["id"], str)
                self.assertNotIn(it["id"], ids)
                ids.add(it["id"])
                self.assertIsInstance(it["title"], str)
                self.assertEqual(it["domain"], d["id"])
                self.assertIsInstance(it["violates"], list)
                for v in it["violates"]:
                    self.assertRegex(v, r"^《[^》]+》第")
                self.assertRegex(it["basis"], r"^《[^》]+》第")
                self.assertRegex(it["provision"], r"^[A-Za-z0-9_-]+:")
                self.assertIsInstance(it["major_hazard"], bool)
                self.assertIsInstance(it["must_check"], bool)
                self.assertIsInstance(it["tags"], list)
        self.assertIn("GEN-004", ids)
        rc, check, err = run("check")
        self.assertIn((", %d items," % n).encode(), check)
        self.assertIn((", %d domains," % len(doc["domains"])).encode(), check)
        g = [i for d in doc["domains"] for i in d["items"]
             if i["id"] == "GEN-004"][0]
        self.assertEqual(g["domain"], "general")
        self.assertEqual(g["provision"], "aqsc:97")
        self.assertEqual(g["basis"],
                         "《中华人民共和国安全生产法》第九十七条第（三）项")

    def test_json_minimal(self):
        rc, out, err = run("list", "--json", "--rules", MINIMAL)
        self.assertExit(rc, 0, err)
        doc = json.loads(out)
        self.assertEqual(len(doc["domains"]), 1)
        self.assertEqual(doc["domains"][0]["items"], [{
            "id": "T-001", "title": "培训", "domain": "general",
            "violates": ["《中华人民共和国安全生产法》第二十八条第一款"],
            "basis": "《中华人民共和国安全生产法》第九十七条第（三）项",
            "provision": "aqsc:97", "major_hazard": False,
            "must_check": False, "tags": []}])

    def test_markdown(self):
        rc, out, err = run("list", "--markdown")
        self.assertExit(rc, 0, err)
        text = out.decode()
        self.assertTrue(text.startswith("# 检查事项清单 — cn-national "))
        lines = text.split("\n")
        head = lines.index("| 领域 | 编号 | 检查事项 | 违反条款 | 处罚条款 | "
                           "重大隐患 | 必查 |")
        self.assertEqual(lines[head + 1], "|---|---|---|---|---|---|---|")
        rows = [l for l in lines[head + 2:] if l.startswith("| ")]
        rc, js, err = run("list", "--json")
        items = [i for d in json.loads(js)["domains"] for i in d["items"]]
        self.assertEqual(len(rows), len(items))
        for row, it in zip(rows, items):
            self.assertEqual(row.count(" | "), 6, row)
            self.assertIn(" | %s | " % it["id"], row)

    def test_text(self):
        rc, out, err = run("list")
        self.assertExit(rc, 0, err)
        self.assertIn("GEN-004".encode(), out)
        self.assertIn("通用".encode(), out)


class Plan(Base):
    """`list --plan` and `checklist` (the plan's key items, 综合清单)."""

    def test_plan_json(self):
        rc, out, err = run("list", "--plan", "--json", "--rules", PLAN)
        self.assertExit(rc, 0, err)
        plan = json.loads(out)["plan"]
        self.assertEqual(plan["id"], "key-test")
        self.assertEqual(plan["key_items"], 2)
        self.assertEqual([(d["id"], [i["id"] for i in d["items"]])
                          for d in plan["domains"]],
                         [("general", ["T-001"]),
                          ("dust", ["D-002", "T-001"])])
        for d in plan["domains"]:
            for it in d["items"]:
                self.assertEqual(set(it), ITEM_KEYS)

    def test_plan_text_and_markdown(self):
        rc, out, err = run("list", "--plan", "--rules", PLAN)
        self.assertExit(rc, 0, err)
        self.assertIn("计划 key-test：2个领域，2项重点执法事项。", out.decode())
        rc, out, err = run("list", "--plan", "--markdown", "--rules", PLAN)
        self.assertExit(rc, 0, err)
        self.assertIn("| D-002 | 粉尘记录 |", out.decode())

    def test_shipped_plan(self):
        # the shipped plan: 16 domains, 121 key items, each domain with at
        # least one; every domain of the catalogue holds items
        rc, out, err = run("list", "--plan", "--json")
        self.assertExit(rc, 0, err)
        plan = json.loads(out)["plan"]
        self.assertEqual(len(plan["domains"]), 16)
        self.assertEqual(plan["key_items"], 121)
        self.assertTrue(all(d["items"] for d in plan["domains"]))
        rc, out, err = run("list", "--json")
        doms = json.loads(out)["domains"]
        self.assertEqual(len(doms), 16)
        self.assertTrue(all(d["items"] for d in doms),
                        [d["id"] for d in doms if not d["items"]])

    def test_no_plan(self):
        rc, out, err = run("list", "--plan", "--rules", MINIMAL)
        self.assertExit(rc, 1, err)
        self.assertIn("[ZF-104] the rule set has no plan", err)

    def test_checklist_merges_and_orders(self):
        rc, out, err = run("checklist", "--json", "--rules", PLAN,
                           "--domains", "粉尘涉爆")
        self.assertExit(rc, 0, err)
        doc = json.loads(out)
        self.assertEqual(doc["enterprise_domains"], ["dust"])
        self.assertEqual(doc["plan"], "key-test")
        secs = [(s["domain"], [(i["id"], i["key"], i["also_in"])
                               for i in s["items"]])
                for s in doc["sections"]]
        # T-001 is a key item of 通用 and of 粉尘涉爆: listed once, under
        # 通用, noting the other domain; D-001 is not a key item
        self.assertEqual(secs, [("general", [("T-001", True, ["dust"])]),
                                ("dust", [("D-002", True, [])])])
        self.assertEqual((doc["total"], doc["merged"]), (2, 1))

    def test_checklist_without_plan_lists_all(self):
        rc, out, err = run("checklist", "--json", "--rules", MINIMAL,
                           "--domains", "general")
        self.assertExit(rc, 0, err)
        doc = json.loads(out)
        self.assertIsNone(doc["plan"])
        # without a plan the common domain lists its 必查 items only
        self.assertEqual(doc["sections"][0]["items"], [])

    def test_checklist_bundled(self):
        rc, out, err = run("checklist", "--domains", "化工,危险化学品")
        self.assertExit(rc, 0, err)
        text = out.decode()
        self.assertTrue(text.startswith("综合检查清单：化工、危险化学品\n"))
        self.assertIn("一、通用", text)
        self.assertIn("二、化工", text)
        self.assertIn("三、危险化学品", text)
        # 工贸 criteria do not apply to a chemical enterprise
        self.assertNotIn("工贸企业重大事故隐患判定标准", text)
        rc, md, err = run("checklist", "--markdown", "--domains", "化工")
        self.assertExit(rc, 0, err)
        self.assertIn("| 序号 | 编号 | 检查事项 | 违反条款 | 处罚条款 ", md.decode())

    def test_checklist_from_case(self):
        d = self.tmpdir()
        case = self.write(os.path.join(d, "c.json"), json.dumps({
            "enterprise": {"domains": ["dust"]},
            "violations": [{"item": "T-001"}]}))
        rc, out, err = run("checklist", "--json", "--rules", PLAN, case)
        self.assertExit(rc, 0, err)
        self.assertEqual(json.loads(out)["enterprise_domains"], ["dust"])
        rc, out2, err = run("checklist", "--json", "--rules", PLAN, "-",
                            stdin=open(case, "rb").read())
        self.assertExit(rc, 0, err)
        self.assertEqual(out2, out)

    def test_checklist_errors(self):
        rc, out, err = run("checklist", "--domains", "机戒")
        self.assertExit(rc, 1, err)
        self.assertIn("[ZF-212] unknown domain '机戒' (did you mean '机械'?)",
                      err)
        rc, out, err = run("checklist")
        self.assertExit(rc, 2, err)
        rc, out, err = run("checklist", "--domains", "dust", "case.json")
        self.assertExit(rc, 2, err)
        rc, out, err = run("checklist", "--plan", "--domains", "dust")
        self.assertExit(rc, 2, err)
        rc, out, err = run("eval", "--domains", "dust")
        self.assertExit(rc, 2, err)


class Show(Base):
    def test_existing(self):
        rc, out, err = run("show", "GEN-004")
        self.assertExit(rc, 0, err)
        text = out.decode()
        self.assertTrue(text.startswith("GEN-004"))
        self.assertIn("第九十七条", text)
        self.assertIn("untrained", text)

    def test_json(self):
        rc, out, err = run("show", "--json", "GEN-004")
        self.assertExit(rc, 0, err)
        doc = json.loads(out)
        self.assertEqual(doc["item"]["id"], "GEN-004")
        self.assertTrue(ITEM_KEYS <= set(doc["item"]), doc["item"].keys())
        self.assertTrue(doc["discretion"])
        self.assertNotIn("accident_grade", doc)

    def test_accident_grade(self):
        # an item that decides the accident grade from its facts shows the
        # table (生产安全事故报告和调查处理条例第三条), in text and JSON
        rc, out, err = run("show", "--json", "ACC-001")
        self.assertExit(rc, 0, err)
        rows = json.loads(out)["accident_grade"]
        self.assertEqual([r["grade"] for r in rows],
                         ["especially_major", "major", "larger", "general"])
        self.assertEqual(rows[2]["when"],
                         "deaths >= 3 or serious_injuries >= 10 or "
                         "direct_loss >= 10000000")
        rc, out, err = run("show", "ACC-001")
        self.assertExit(rc, 0, err)
        self.assertIn("事故等级（案件未给出时依事实认定）", out.decode())

    def test_misspelled(self):
        rc, out, err = run("show", "GEN-04")
        self.assertExit(rc, 1, err)
        self.assertEqual(out, b"")
        self.assertIn("[ZF-208]", err)
        self.assertIn("did you mean 'GEN-004'?", err)
        rc, out, err = run("show", "nothing-like-it")
        self.assertExit(rc, 1, err)
        self.assertNotIn("did you mean", err)


BASIC = os.path.join(CASES, "basic.json")
CASE_T = b'{"case_id":"t1","violations":[{"item":"T-001","facts":{"untrained":2}}]}'


class Eval(Base):
    def test_file_and_stdin(self):
        rc, out, err = run("eval", BASIC)
        self.assertExit(rc, 0, err)
        doc = json.loads(out)
        self.assertEqual(doc["case_id"], "example-basic")
        self.assertEqual(doc["violations"][0]["item"], "GEN-004")
        with open(BASIC, "rb") as f:
            data = f.read()
        rc2, out2, err2 = run("eval", stdin=data)
        self.assertExit(rc2, 0, err2)
        self.assertEqual(out2, out)
        rc3, out3, err3 = run("eval", "-", stdin=data)
        self.assertEqual((rc3, out3), (0, out))
        rc4, out4, err4 = run("eval", "--json", BASIC)
        self.assertEqual((rc4, out4), (0, out))
        # --compact: the same document on one line
        rc5, out5, err5 = run("eval", "--compact", BASIC)
        self.assertExit(rc5, 0, err5)
        self.assertEqual(out5.count(b"\n"), 1)
        self.assertTrue(out5.endswith(b"\n"))
        self.assertEqual(json.loads(out5), doc)

    def test_figures_minimal(self):
        rc, out, err = run("eval", "--compact", "--rules", MINIMAL,
                           stdin=CASE_T)
        self.assertExit(rc, 0, err)
        v = json.loads(out)["violations"][0]
        # upto 100000, lighter [0, 30%], midpoint rounded to 100
        self.assertEqual(v["unit"]["fine"], {
            "min": 0, "max": 30000, "recommended": 15000,
            "statutory": {"min": 0, "max": 100000}})
        self.assertEqual(v["tier"], "lighter")

    def test_text(self):
        rc, out, err = run("eval", "--text", BASIC)
        self.assertExit(rc, 0, err)
        text = out.decode()
        self.assertTrue(text.startswith("行政处罚裁量说明（案件 example-basic）"))
        self.assertIn("GEN-004", text)
        self.assertIn("第九十七条", text)
        self.assertIn("合计：单位罚款", text)

    def test_every_example(self):
        for name in sorted(os.listdir(CASES)):
            if name.endswith(".json"):
                rc, out, err = run("eval", os.path.join(CASES, name))
                self.assertExit(rc, 0, name + ": " + err)
                json.loads(out)

    def test_invalid_case(self):
        d = self.tmpdir()
        p = self.write(os.path.join(d, "bad.json"),
                       '{"violations":[{"item":"GEN-04"}]}')
        rc, out, err = run("eval", p)
        self.assertExit(rc, 1, err)
        self.assertEqual(out, b"")
        self.assertEqual(err, "%s: error: [ZF-208] violations[0].item: no "
                         "checklist item 'GEN-04' (did you mean 'GEN-004'?)\n"
                         % p)
        p = self.write(os.path.join(d, "syntax.json"),
                       '{"violations":\n  [}')
        rc, out, err = run("eval", p)
        self.assertExit(rc, 1, err)
        self.assertRegex(err, r"^%s:2:4: error: \[ZF-200\] " % p)
        rc, out, err = run("eval", stdin=b'{"violations":[],"x":1}')
        self.assertExit(rc, 1, err)
        self.assertEqual(err, "<stdin>: error: [ZF-201] x: unknown key 'x'\n")

    def test_nonexistent_file(self):
        rc, out, err = run("eval", "/nonexistent/case.json")
        self.assertExit(rc, 1, err)
        self.assertIn("cannot open /nonexistent/case.json", err)

    def test_directory(self):
        d = self.tmpdir()
        rc, out, err = run("eval", d)
        self.assertExit(rc, 1, err)
        self.assertIn("is a directory", err)
        rc, out, err = run("batch", d)
        self.assertExit(rc, 1, err)
        self.assertIn("is a directory", err)

    def test_binary_garbage(self):
        rnd = random.Random(20240315)
        d = self.tmpdir()
        for i in range(20):
            data = bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 400)))
            p = self.write(os.path.join(d, "g%d" % i), data)
            rc, out, err = run("eval", p)
            self.assertExit(rc, 1, err)
            self.assertEqual(out, b"")
            rc, out, err = run("batch", p)
            self.assertGreaterEqual(rc, 0, err)
            self.assertIn(rc, (0, 1), err)
        # NUL bytes and an empty file
        for data in (b"\0" * 10, b"", b"{\"violations\":[]}\0"):
            p = self.write(os.path.join(d, "n"), data)
            rc, out, err = run("eval", p)
            self.assertExit(rc, 1, err)


def jsonl(*objs):
    out = []
    for o in objs:
        out.append(o if isinstance(o, str) else
                   json.dumps(o, ensure_ascii=False))
    return ("\n".join(out) + "\n").encode()


GOOD1 = {"case_id": "g1", "violations": [{"item": "T-001",
                                          "facts": {"untrained": 1}}]}
GOOD2 = {"case_id": "g2", "violations": [{"item": "T-001",
                                          "facts": {"untrained": 7}}]}


class Batch(Base):
    def test_mixed(self):
        data = jsonl(GOOD1, "", "{not json", {"case_id": "u",
                     "violations": [], "bogus": 1}, "   \t", GOOD2,
                     {"case_id": "x", "violations": [{"item": "T-999"}]})
        rc, out, err = run("batch", "--rules", MINIMAL, stdin=data)
        self.assertExit(rc, 1, err)
        lines = out.decode().split("\n")
        self.assertEqual(lines[-1], "")
        docs = [json.loads(l) for l in lines[:-1]]
        self.assertEqual(len(docs), 5)
        # output order = input order; blank lines produce nothing
        self.assertEqual(docs[0]["case_id"], "g1")
        self.assertEqual(docs[1]["line"], 3)
        self.assertIsNone(docs[1]["case_id"])
        self.assertEqual(docs[1]["error"]["diag"], 200)
        self.assertEqual(docs[2]["line"], 4)
        self.assertEqual(docs[2]["case_id"], "u")
        self.assertEqual(docs[2]["error"]["diag"], 201)
        self.assertEqual(docs[2]["error"]["path"], "bogus")
        self.assertEqual(docs[2]["error"]["message"],
                         "bogus: unknown key 'bogus'")
        self.assertEqual(docs[3]["case_id"], "g2")
        self.assertEqual(docs[4]["line"], 7)
        self.assertEqual(docs[4]["case_id"], "x")
        self.assertEqual(docs[4]["error"]["diag"], 208)
        self.assertEqual(set(docs[1]), {"line", "case_id", "error"})
        # each decision equals what eval prints for the same case
        for doc, case in ((docs[0], GOOD1), (docs[3], GOOD2)):
            rc1, one, err1 = run("eval", "--compact", "--rules", MINIMAL,
                                 stdin=jsonl(case))
            self.assertExit(rc1, 0, err1)
            self.assertEqual(json.loads(one), doc)
        # stderr names the failing lines and sums up
        self.assertIn("<stdin>:3: error: [ZF-200]", err)
        self.assertIn("<stdin>:4: error: [ZF-201]", err)
        self.assertIn("<stdin>:7: error: [ZF-208]", err)
        self.assertTrue(err.endswith("3 of 5 cases failed\n"), err)

    def test_endless_line_memory_bounded(self):
        # a 160 MiB line (160 times the case size limit) then a good case:
        # the long line is answered with ZF-307 without being held in memory
        d = self.tmpdir()
        path = os.path.join(d, "big.jsonl")
        with open(path, "wb") as f:
            chunk = b"x" * (1 << 20)
            for _ in range(160):
                f.write(chunk)
            f.write(b"\n" + jsonl(GOOD1))
        import resource
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        rc, out, err = run("batch", "--rules", MINIMAL, path)
        after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        self.assertExit(rc, 1, err)
        docs = [json.loads(l) for l in out.decode().splitlines()]
        self.assertEqual(docs[0]["line"], 1)
        self.assertEqual(docs[0]["error"]["diag"], 307)
        self.assertEqual(docs[1]["case_id"], "g1")
        self.assertIn("big.jsonl:1: error: [ZF-307] line longer than", err)
        # ru_maxrss is the largest child so far, in KiB: under 100 MiB
        # (room for sanitizer builds) though the line alone is 160 MiB
        self.assertLess(max(before, after), 100 * 1024)

    def test_output_is_input(self):
        d = self.tmpdir()
        path = self.write(os.path.join(d, "in.jsonl"),
                          jsonl(GOOD1).decode())
        rc, out, err = run("batch", "--rules", MINIMAL, path, "-o", path)
        self.assertExit(rc, 2, err)
        self.assertIn("is the input file", err)
        self.assertEqual(open(path, "rb").read(), jsonl(GOOD1))

    def test_all_good(self):
        rc, out, err = run("batch", "--rules", MINIMAL,
                           stdin=jsonl(GOOD1, GOOD2, GOOD1))
        self.assertExit(rc, 0, err)
        ids = [json.loads(l)["case_id"] for l in out.decode().splitlines()]
        self.assertEqual(ids, ["g1", "g2", "g1"])
        # empty input: no output, success
        rc, out, err = run("batch", "--rules", MINIMAL, stdin=b"")
        self.assertExit(rc, 0, err)
        self.assertEqual(out, b"")
        # CRLF line ends and no final newline
        rc, out, err = run("batch", "--rules", MINIMAL,
                           stdin=jsonl(GOOD1).replace(b"\n", b"\r\n") +
                           json.dumps(GOOD2).encode())
        self.assertExit(rc, 0, err)
        self.assertEqual(len(out.decode().splitlines()), 2)

    def test_output_file(self):
        d = self.tmpdir()
        inp = self.write(os.path.join(d, "in.jsonl"),
                         jsonl(GOOD1, "oops", GOOD2))
        rc, ref, err = run("batch", "--rules", MINIMAL, inp)
        self.assertExit(rc, 1, err)
        for opt in (["-o"], ["--output"]):
            outp = os.path.join(d, "out%d.jsonl" % len(opt[0]))
            rc, out, err = run("batch", "--rules", MINIMAL, inp, *opt, outp)
            self.assertExit(rc, 1, err)
            self.assertEqual(out, b"")
            with open(outp, "rb") as f:
                self.assertEqual(f.read(), ref)
        outp = os.path.join(d, "eq.jsonl")
        rc, out, err = run("batch", "--rules", MINIMAL, inp,
                           "--output=" + outp)
        with open(outp, "rb") as f:
            self.assertEqual(f.read(), ref)
        # an output file that cannot be created
        rc, out, err = run("batch", "--rules", MINIMAL, inp, "-o",
                           os.path.join(d, "no", "such", "dir.jsonl"))
        self.assertExit(rc, 1, err)
        self.assertIn("cannot create", err)

    def test_nonexistent_input(self):
        rc, out, err = run("batch", "/nonexistent/in.jsonl")
        self.assertExit(rc, 1, err)
        self.assertIn("cannot open /nonexistent/in.jsonl", err)


class ClosedStdout(Base):
    """Writing to a closed pipe must be an error exit, never a signal."""

    def closed_pipe_run(self, args, stdin=None):
        r, w = os.pipe()
        os.close(r)
        e = dict(os.environ)
        e.pop("ZHIFA_RULES", None)
        p = subprocess.run([ZHIFA] + args, input=stdin, stdout=w,
                           stderr=subprocess.PIPE, env=e, timeout=60)
        os.close(w)
        return p.returncode, p.stderr.decode("utf-8", "replace")

    def test_closed_before_start(self):
        # the process inherits SIGPIPE's default disposition from us
        for args in (["list"], ["list", "--json"], ["--version"],
                     ["--help"], ["show", "GEN-004"], ["eval", BASIC],
                     ["check"]):
            rc, err = self.closed_pipe_run(args)
            self.assertExit(rc, 3, err)
            self.assertIn("cannot write", err)

    def test_head_c1(self):
        # `zhifa batch big | head -c1`: the reader goes away mid-stream
        big = jsonl(*([GOOD1] * 300))
        p = subprocess.Popen([ZHIFA, "batch", "--rules", MINIMAL],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
        p.stdin.write(big)
        p.stdin.close()
        self.assertEqual(len(p.stdout.read(1)), 1)
        p.stdout.close()
        err = p.stderr.read().decode()
        p.stderr.close()
        rc = p.wait(timeout=60)
        self.assertExit(rc, 3, err)
        # and a small output that may fit in the pipe: 0 or 3, no signal
        p = subprocess.Popen([ZHIFA, "list"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
        p.stdout.read(1)
        p.stdout.close()
        err = p.stderr.read().decode()
        p.stderr.close()
        rc = p.wait(timeout=60)
        self.assertGreaterEqual(rc, 0, "signal %d" % -rc)
        self.assertIn(rc, (0, 3), err)


if __name__ == "__main__":
    if not os.access(ZHIFA, os.X_OK):
        print("ZHIFA=%s is not executable" % ZHIFA, file=sys.stderr)
        sys.exit(1)
    result = unittest.main(verbosity=2, exit=False).result
    sys.exit(0 if result.wasSuccessful() else 1)
