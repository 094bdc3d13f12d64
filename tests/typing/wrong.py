# SPDX-License-Identifier: MIT
"""Wrong uses of the API: `mypy --strict` must report an error on every
line marked `# E:` (and on no other). Proves the stubs are strict enough
to catch a wrong signature, and that the typing test can fail."""

from typing import List

import zhifa

rules = zhifa.load("rules", threads=2)  # E: Unexpected keyword argument
rules2 = zhifa.load("rules", {"match": 1})  # E: Too many positional
d = rules.evaluate(42)  # E: incompatible type "int"
fine: str = d.total["unit_fine"]  # E: Incompatible types in assignment
many = rules.evaluate_many([{}], errors="ignore")  # E: No overload variant
ok: List[zhifa.Decision] = rules.evaluate_many([{}], errors="return")  # E: Incompatible types
sheet: str = rules.checklist(["机械"])  # E: Incompatible types
rules.evaluate_batch([b"{}"])  # E: has no attribute "evaluate_batch"
zhifa._zhifa.load("rules").evaluate_batch([1])  # E: List item 0 has incompatible type
rows = zhifa.to_records(d)
rows[0]["recomended"]  # E: has no key "recomended"
zhifa.write_jsonl("out.jsonl", [1, 2])  # E: List item 0 has incompatible type
zhifa.read_jsonl("x.jsonl", max_line="big")  # E: incompatible type "str"
