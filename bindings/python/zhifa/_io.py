# SPDX-License-Identifier: MIT
"""JSON Lines input/output and flat tables of decisions."""

import json
import os
from collections.abc import Mapping
from typing import Optional, TypedDict

from . import _zhifa
from ._rules import Decision, _json_default

__all__ = [
    "RECORD_FIELDS",
    "read_jsonl",
    "write_jsonl",
    "to_records",
    "to_dataframe",
]

#: The columns of :func:`to_records` and :func:`to_dataframe`, in order.
RECORD_FIELDS = (
    "case_id",
    "index",
    "item",
    "title",
    "domain",
    "basis",
    "stage",
    "tier",
    "outcome",
    "recommended",
    "min",
    "max",
    "statutory_min",
    "statutory_max",
    "person_fines",
    "persons",
    "major_hazard",
    "flags",
)


class Record(TypedDict):
    """One row of :func:`to_records` (for type annotations: zhifa.Record):
    one violation of one decision, amounts in yuan, None where absent."""

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


def _reject_duplicates(pairs):
    d = {}
    for k, v in pairs:
        if k in d:
            raise ValueError("duplicate key %r" % k)
        d[k] = v
    return d


#: The longest line :func:`read_jsonl` reads: the library's default case
#: size limit (``limits["json_size"]``, 1 MiB).
MAX_LINE = 1 << 20


def _bounded_lines(f, limit):
    """Yield (line, too_long) from a binary or text file, holding at most
    ``limit`` + 1 bytes or characters of a line: the rest of a longer line
    is skipped to its newline, and the line yielded as too long."""
    nl = b"\n" if isinstance(f.read(0), bytes) else "\n"
    while True:
        line = f.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(nl):
            while True:
                rest = f.readline(65536)
                if not rest or rest.endswith(nl):
                    break
            yield None, True
            continue
        yield line, False


def read_jsonl(path, max_line=MAX_LINE):
    """Read a JSON Lines file (one case, or one decision, per line).

    ``path`` is a path (read as UTF-8) or an open file (text or binary).
    Blank lines are skipped. Returns a list of dicts in file order. A line
    that is not valid JSON, repeats a key inside an object (the library
    rejects duplicate keys, and a dict would silently keep the last one), or
    is longer than ``max_line`` bytes (characters for a text stream) raises
    ``ValueError`` naming ``file:line``; a longer line is never held in
    memory whole.
    """
    if hasattr(path, "read"):
        f, name, close = path, getattr(path, "name", "<stream>"), False
    else:
        f = open(path, "rb")
        name, close = os.fsdecode(path), True
    out = []
    try:
        for lineno, (line, too_long) in enumerate(
                _bounded_lines(f, max_line), 1):
            if too_long:
                raise ValueError("%s:%d: line longer than %d bytes"
                                 % (name, lineno, max_line))
            if isinstance(line, bytes):
                try:
                    line = line.decode("utf-8")
                except UnicodeDecodeError as e:
                    raise ValueError("%s:%d: %s" % (name, lineno, e)) from e
            if not line.strip():
                continue
            try:
                out.append(
                    json.loads(line, object_pairs_hook=_reject_duplicates)
                )
            except ValueError as e:
                raise ValueError("%s:%d: %s" % (name, lineno, e)) from e
    finally:
        if close:
            f.close()
    return out


def _error_line(e):
    # The shape of a failed line in `zhifa batch` output (CONTRACT.md).
    status = getattr(e, "status", None)
    if not isinstance(status, int):
        status = _zhifa.EINVAL
    err = {
        "code": _zhifa.strerror(status),
        "diag": getattr(e, "code", None) or 902,
        "message": getattr(e, "message", None) or str(e),
        "path": getattr(e, "path", None) or "",
    }
    if getattr(e, "line", None):
        err["line"] = e.line
        err["column"] = e.column
    return json.dumps(
        {"line": e.index + 1, "case_id": getattr(e, "case_id", None),
         "error": err},
        ensure_ascii=False,
        separators=(",", ":"),
    )


def _jsonl_line(obj):
    if isinstance(obj, Decision):
        return obj.to_json()
    if isinstance(obj, Mapping):
        return json.dumps(
            obj,
            ensure_ascii=False,
            allow_nan=False,
            separators=(",", ":"),
            default=_json_default,
        )
    if isinstance(obj, str):
        s = obj.rstrip("\n")
        if "\n" in s:
            raise ValueError("a JSON Lines record cannot span lines")
        return s
    if isinstance(obj, BaseException) and isinstance(
        getattr(obj, "index", None), int
    ):
        return _error_line(obj)
    raise TypeError(
        "cannot write %s as a JSON Lines record" % type(obj).__name__
    )


def write_jsonl(path, records):
    """Write records as JSON Lines (UTF-8, ``\\n``); return how many.

    ``path`` is a path or an open text file. A :class:`Decision` is written
    exactly as the library renders it (byte-identical to ``zhifa batch``),
    a mapping as compact JSON, a str as given (one line). An exception
    from ``evaluate_many(..., errors="return")`` becomes a ``zhifa batch``
    error line: ``{"line": N, "case_id": ..., "error": {...}}``.
    """
    if hasattr(path, "write"):
        f, close = path, False
    else:
        f, close = open(path, "w", encoding="utf-8", newline="\n"), True
    n = 0
    try:
        for rec in records:
            f.write(_jsonl_line(rec))
            f.write("\n")
            n += 1
    finally:
        if close:
            f.close()
    return n


def _violation_row(case_id, v):
    unit = v.get("unit") or {}
    fine = unit.get("fine") or {}
    statutory = fine.get("statutory") or {}
    persons = v.get("persons") or []
    person_fines = 0
    for p in persons:
        person_fines += (p.get("fine") or {}).get("recommended") or 0
    return {
        "case_id": case_id,
        "index": v.get("index"),
        "item": v.get("item"),
        "title": v.get("title"),
        "domain": v.get("domain"),
        "basis": v.get("basis"),
        "stage": v.get("stage"),
        "tier": v.get("tier"),
        "outcome": v.get("outcome"),
        "recommended": fine.get("recommended"),
        "min": fine.get("min"),
        "max": fine.get("max"),
        "statutory_min": statutory.get("min"),
        "statutory_max": statutory.get("max"),
        "person_fines": person_fines,
        "persons": len(persons),
        "major_hazard": bool(v.get("major_hazard")),
        "flags": ";".join(v.get("flags") or ()),
    }


def to_records(decisions):
    """Flatten decisions into one row (a dict) per violation.

    ``decisions`` is an iterable of :class:`Decision` objects or decision
    dicts (e.g. from :func:`read_jsonl`), or a single one. Columns are
    :data:`RECORD_FIELDS`: ``case_id``, ``index``, ``item``, ``title``,
    ``domain``, ``basis``, ``stage``, ``tier``, ``outcome``,
    ``recommended``, ``min``, ``max`` (the tier's band),
    ``statutory_min``, ``statutory_max``, ``person_fines`` (sum of the
    recommended fines on persons), ``persons`` (how many), ``major_hazard``
    and ``flags`` (``;``-joined). Amounts are yuan, ``None`` where the
    violation carries no fine (unmatched, no fine in the provision).
    Ready for ``csv.DictWriter(f, zhifa.RECORD_FIELDS)``.

    Anything that is not a decision (such as an exception returned by
    ``evaluate_many(..., errors="return")``) raises ``TypeError``: filter
    with ``isinstance(d, zhifa.Decision)`` first.
    """
    if isinstance(decisions, Mapping):
        decisions = (decisions,)
    rows = []
    for n, d in enumerate(decisions):
        if isinstance(d, Decision):
            d = d._peek()  # no decoded copy is kept on the decision
        elif not isinstance(d, Mapping) or "violations" not in d:
            raise TypeError(
                "item %d is not a decision (%s)" % (n, type(d).__name__)
            )
        case_id = d.get("case_id")
        for v in d["violations"]:
            rows.append(_violation_row(case_id, v))
    return rows


def to_dataframe(decisions):
    """Return :func:`to_records` as a ``pandas.DataFrame``.

    Needs pandas; raises ``ImportError`` naming the Debian package
    (python3-pandas) when it is missing.
    """
    try:
        import pandas
    except ImportError:
        raise ImportError(
            "zhifa.to_dataframe() needs pandas, which is not installed: "
            "install the Debian package python3-pandas "
            "(apt-get install python3-pandas), or use zhifa.to_records() "
            "with the csv module"
        ) from None
    return pandas.DataFrame.from_records(
        to_records(decisions), columns=list(RECORD_FIELDS)
    )
