#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Compose the plan's key items (rules/plan/key-items.yaml) from the catalogue.

    scripts/plan-select.py [--rules DIR] [--corpus FILE] [-o rules/plan/key-items.yaml]

The official list of "16个领域121条重点执法事项" is not public. This script
selects 121 key items from the shipped catalogue by a fixed, documented rule:

  * each domain has a quota (QUOTA below; the 15 industry domains share 101,
    通用 has 20), capped by the items it holds;
  * 通用 items tagged 动火 or 有限空间 (the plan's 顶格 work) come first;
    then 通用 items are ranked by how often their penalty article (处罚依据) is
    cited in the dev split of the real-decision corpus (tests/corpus/;
    decisions from 2021-09 on, when the current numbering applies), then by
    必查 (must_check), then by id;
  * industry items are ranked first by being a 重大事故隐患 criterion of the
    applicable 判定标准, then by corpus citations, then by id.

The held-out split of the corpus is not read. Re-run after the catalogue or
the corpus changes; `zhifa check` verifies the result.
"""
import argparse
import collections
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TOTAL = 121
# hazardous work the plan penalises at the top of the range (顶格): 违规动火
# and 有限空间 work are key items of 通用 whatever the corpus says
TOP_TAGS = {"动火", "有限空间"}
QUOTA = {  # 101 for the industry domains
    "general": 20,
    "hazchem": 8, "chemical": 9, "fireworks": 9, "mining": 9,
    "metallurgy": 8, "nonferrous": 8, "building_materials": 7,
    "machinery": 7, "light_industry": 6, "textile": 2, "tobacco": 4,
    "commerce": 4, "dust": 9, "ammonia": 3, "confined_space": 8,
}


def corpus_counts(path):
    exact, article = collections.Counter(), collections.Counter()
    with open(path, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if r.get("split") != "dev":
                continue
            # articles of the 2014 安全生产法 are numbered differently
            if (r["source"].get("date") or "9999") < "2021-09" or \
                    "2014" in (r.get("notes") or ""):
                continue
            for v in r["violations"]:
                for b in v.get("basis") or []:
                    exact[b] += 1
                    if b.endswith("条"):  # an article cited without 款/项
                        article[b] += 1
    return exact, article


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rules", default=os.path.join(ROOT, "rules"))
    ap.add_argument("--corpus", default=os.path.join(
        ROOT, "tests", "corpus", "decisions.jsonl"))
    ap.add_argument("--zhifa", default=os.environ.get(
        "ZHIFA", os.path.join(ROOT, "build", "tools", "zhifa", "zhifa")))
    ap.add_argument("-o", "--output", help="write here (default: stdout)")
    a = ap.parse_args()
    # the catalogue without the current plan, which may name items that
    # are gone: a copy of the rule set whose manifest leaves plan/ out
    with tempfile.TemporaryDirectory() as tmp:
        rules = os.path.join(tmp, "rules")
        shutil.copytree(a.rules, rules, ignore=shutil.ignore_patterns("tests"))
        man = os.path.join(rules, "zhifa.yaml")
        lines = open(man, encoding="utf-8").read().split("\n")
        with open(man, "w", encoding="utf-8") as f:
            f.write("\n".join(l for l in lines if "plan/" not in l))
        cat = json.loads(subprocess.run(
            [a.zhifa, "list", "--json", "--rules", rules], check=True,
            capture_output=True, text=True).stdout)
    exact, article = corpus_counts(a.corpus)

    def cites(it):
        # exact citations; a bare article counts for each of its 项 items
        b = it["basis"]
        return 2 * exact[b] + article[b.split("条")[0] + "条"]

    plan, total = [], 0
    for dom in cat["domains"]:
        items = [it for it in dom["items"] if "事故" not in it["tags"]]
        if dom["id"] == "general":
            key = lambda it: (not set(it["tags"]) & TOP_TAGS, -cites(it),
                              not it["must_check"], it["id"])
        else:
            key = lambda it: (not it["major_hazard"], -cites(it), it["id"])
        n = min(QUOTA.get(dom["id"], 1), len(items))
        chosen = sorted(items, key=key)[:n]
        chosen.sort(key=lambda it: it["id"])
        plan.append((dom, chosen))
        total += n
    out = open(a.output + ".tmp", "w", encoding="utf-8") if a.output \
        else sys.stdout
    out.write("""# 执法计划：重点执法事项（本项目编制，不是官方清单）
# 由 scripts/plan-select.py 按下列规则从检查事项目录中选出（生成文件，勿手工编辑；
# 执法机关可以用自己的清单整体替换本文件，事项本身不受影响）。
plan:
  id: key-items
  title: 重点执法事项清单（16个领域，本项目编制）
  method: 官方“16个领域121条重点执法事项”清单未公开，本清单按固定规则从目录中选取：各领域设定名额（通用20项，15个行业领域共101项，不超过该领域的事项数）；通用领域先取违规动火、有限空间作业事项（计划的顶格事项），再按处罚依据在真实处罚决定语料（tests/corpus，仅用开发集，2021年9月1日以后的决定）中被引用的次数、是否必查排序；行业领域先取属于重大事故隐患判定标准条款的事项，再按语料引用次数排序；事故责任事项（标签“事故”）由事故调查认定，不列为检查事项。
  note: 本清单是建模选择，不代表任何执法机关的正式计划；执法机关应以本地年度执法计划替换。
  domains:
""")
    for dom, chosen in plan:
        out.write("    - domain: %s   # %s\n      items: [%s]\n" % (
            dom["id"], dom["name"], ", ".join(it["id"] for it in chosen)))
    if a.output:
        out.close()
        os.replace(a.output + ".tmp", a.output)
    if total != TOTAL:
        print("plan-select: %d key items, not %d (a domain has fewer items "
              "than its quota)" % (total, TOTAL), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
