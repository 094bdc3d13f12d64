# SPDX-License-Identifier: MIT
"""Types of the C extension zhifa._zhifa (bindings/python/_zhifa.c).

Kept in step with the C code by the `typing` meson test (mypy.stubtest
checks every name here against the built module).
"""

from typing import Dict, Final, Iterable, List, Literal, Optional, \
    Sequence, Tuple, Union, final, overload

from _typeshed import ReadableBuffer, StrOrBytesPath

# JSON or YAML text: str, or any bytes-like object holding UTF-8
_Text = Union[str, ReadableBuffer]

OK: Final[int]
ESYNTAX: Final[int]
ESCHEMA: Final[int]
ELIMIT: Final[int]
EREGEX: Final[int]
EINPUT: Final[int]
EINDETERMINATE: Final[int]
ENOMEM: Final[int]
EIO: Final[int]
EINVAL: Final[int]
EINTERNAL: Final[int]
LIST_TEXT: Final[int]
LIST_JSON: Final[int]
LIST_MARKDOWN: Final[int]
RENDER_JSON: Final[int]
RENDER_JSON_PRETTY: Final[int]
RENDER_TEXT: Final[int]

VERSION: Final[str]
HEADER_VERSION: Final[str]
DATADIR: Final[str]
INSTALLED_RULES: Final[str]
LIMITS: Final[Tuple[str, ...]]


class Error(Exception):
    # set on every instance the library raises (not on ValueError)
    status: int
    code: int
    message: Optional[str]
    source: Optional[str]
    path: Optional[str]
    rule_id: Optional[str]
    line: Optional[int]
    column: Optional[int]
    offset: Optional[int]
    # set by Rules.evaluate_many() on a failing case
    index: int
    case_id: Optional[str]


class RuleError(Error, ValueError): ...


class CaseError(Error, ValueError): ...


class IndeterminateError(Error): ...


@final
class Ruleset:
    @property
    def id(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def digest(self) -> str: ...
    @property
    def generation(self) -> int: ...
    @property
    def domain_count(self) -> int: ...
    @property
    def item_count(self) -> int: ...
    @property
    def limits(self) -> Dict[str, int]: ...
    def list(self, format: int = ...) -> str: ...
    def show(self, item_id: str, format: int = ...) -> str: ...
    def plan(self, format: int = ...) -> str: ...
    def checklist(self, domains: Sequence[str], format: int = ...) -> str: ...
    @overload
    def evaluate(self, case_json: _Text, format: int = ...,
                 raw: Literal[False] = ...) -> str: ...
    @overload
    def evaluate(self, case_json: _Text, format: int,
                 raw: Literal[True]) -> bytes: ...
    @overload
    def evaluate(self, case_json: _Text, *,
                 raw: Literal[True]) -> bytes: ...
    @overload
    def evaluate(self, case_json: _Text, format: int = ...,
                 raw: bool = ...) -> Union[str, bytes]: ...
    # for each case, its compact decision JSON, or the exception evaluate()
    # would have raised for it
    def evaluate_batch(self, cases: Iterable[_Text], /) \
        -> List[Union[bytes, Exception]]: ...


def load(path: StrOrBytesPath,
         limits: Optional[Dict[str, int]] = ...) -> Ruleset: ...
def compile(text: _Text, source_name: str = ...,
            limits: Optional[Dict[str, int]] = ...) -> Ruleset: ...
def strerror(status: int, /) -> str: ...
def version() -> str: ...
