# SPDX-License-Identifier: MIT
"""Types of the zhifa package's public API (see docs/python.md)."""

from . import _zhifa as _zhifa
from ._io import (
    RECORD_FIELDS as RECORD_FIELDS,
    Record as Record,
    read_jsonl as read_jsonl,
    to_dataframe as to_dataframe,
    to_records as to_records,
    write_jsonl as write_jsonl,
)
from ._rules import (
    Case as Case,
    Decision as Decision,
    Rules as Rules,
    compile as compile,
    default_rules_path as default_rules_path,
    load as load,
)
from ._zhifa import (
    LIMITS as LIMITS,
    CaseError as CaseError,
    Error as Error,
    IndeterminateError as IndeterminateError,
    RuleError as RuleError,
)

__version__: str

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
