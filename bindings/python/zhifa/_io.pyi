# SPDX-License-Identifier: MIT
"""Types of zhifa._io: JSON Lines and flat tables of decisions."""

from typing import IO, Any, Dict, Final, Iterable, List, Mapping, Optional, \
    Tuple, TypedDict, Union

from _typeshed import StrOrBytesPath

from ._rules import Decision

__all__ = [
    "RECORD_FIELDS",
    "read_jsonl",
    "write_jsonl",
    "to_records",
    "to_dataframe",
]

RECORD_FIELDS: Final[Tuple[str, ...]]
MAX_LINE: Final[int]


class Record(TypedDict):
    """One row of to_records(): one violation of one decision (yuan)."""

    case_id: Optional[str]
    index: Optional[int]
    item: Optional[str]
    title: Optional[str]
    domain: Optional[str]
    basis: Optional[str]
    stage: Optional[str]
    tier: Optional[str]
    outcome: Optional[str]
    recommended: Optional[int]
    min: Optional[int]
    max: Optional[int]
    statutory_min: Optional[int]
    statutory_max: Optional[int]
    person_fines: int
    persons: int
    major_hazard: bool
    flags: str


_Decisions = Union[Decision, Mapping[str, Any],
                   Iterable[Union[Decision, Mapping[str, Any]]]]


def read_jsonl(path: Union[StrOrBytesPath, IO[str], IO[bytes]],
               max_line: int = ...) -> List[Dict[str, Any]]: ...
def write_jsonl(path: Union[StrOrBytesPath, IO[str]],
                records: Iterable[Union[Decision, Mapping[str, Any], str,
                                        BaseException]]) -> int: ...
def to_records(decisions: _Decisions) -> List[Record]: ...
# a pandas.DataFrame (pandas ships no type information in Debian)
def to_dataframe(decisions: _Decisions) -> Any: ...
