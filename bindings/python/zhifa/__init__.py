# SPDX-License-Identifier: MIT
"""zhifa (执法): work-safety (安全生产) enforcement decisions from Python.

A thin, Pythonic layer over libzhifa. Load a rule set once, evaluate cases
(CONTRACT.md case JSON, as dicts or JSON text) and get decisions that are
read-only mappings of the decision JSON, with every figure traced to a
rule-file line and a legal article::

    import zhifa

    rules = zhifa.load()                       # the bundled rule set
    d = rules.evaluate({"case_id": "2024-031",
                        "violations": [{"item": "GEN-004",
                                        "facts": {"untrained": 5}}]})
    d["total"]["unit_fine"]                    # 50000
    print(d.explain())                         # 裁量说明, in Chinese

    decisions = rules.evaluate_many(cases, threads=8)
    rows = zhifa.to_records(decisions)         # one row per violation

Only the standard library is needed at run time; ``to_dataframe`` uses
pandas when it is installed (Debian: python3-pandas).
"""

from . import _zhifa
from ._zhifa import (
    Error,
    RuleError,
    CaseError,
    IndeterminateError,
    LIMITS,
)
from ._rules import (
    Case,
    Rules,
    Decision,
    load,
    compile,
    default_rules_path,
)
from ._io import (
    RECORD_FIELDS,
    Record,
    read_jsonl,
    write_jsonl,
    to_records,
    to_dataframe,
)

#: The version of libzhifa the module is running against.
__version__ = _zhifa.version()

__all__ = [
    "Error",
    "RuleError",
    "CaseError",
    "IndeterminateError",
    "LIMITS",
    "Rules",
    "Decision",
    "load",
    "compile",
    "default_rules_path",
    "RECORD_FIELDS",
    "read_jsonl",
    "write_jsonl",
    "to_records",
    "to_dataframe",
    "__version__",
]
