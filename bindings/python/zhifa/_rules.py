# SPDX-License-Identifier: MIT
"""Rule sets and decisions: the Pythonic layer over ``zhifa._zhifa``."""

import datetime
import errno
import json
import operator
import os
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Mapping as _Mapping, Union

from . import _zhifa

__all__ = ["Rules", "Decision", "load", "compile", "default_rules_path"]

#: A case: a mapping in CONTRACT.md's case shape, or the same as JSON text
#: (str or UTF-8 bytes-like), for type annotations (zhifa.Case).
Case = Union[_Mapping[str, Any], str, bytes, bytearray, memoryview]


def _package_rules():
    # A wheel (pip install .) carries the rule set inside the package.
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "rules")


def default_rules_path():
    """Return the path of the rule set ``load()`` uses when given none.

    The order is the CLI's: ``$ZHIFA_RULES`` when set and not empty; the
    source tree's ``rules/`` when this package runs from a meson build
    tree; the rule set inside the package (``zhifa/rules``, where a wheel
    built by ``pip install .`` puts it); the installed
    ``<datadir>/zhifa/rules`` (``meson install``, the Debian package
    zhifa-rules, ``zhifa._zhifa.INSTALLED_RULES``). Nothing is compiled in
    but the install path: the package finds its rules relative to itself.
    When none exists, the package's own location is returned (and
    ``load()`` raises ``FileNotFoundError`` naming it).
    """
    env = os.environ.get("ZHIFA_RULES")
    if env:
        return env
    try:
        from . import _buildtree  # generated in a build tree, not installed
    except ImportError:
        pass
    else:
        if os.path.exists(_buildtree.SOURCE_RULES):
            return _buildtree.SOURCE_RULES
    inside = _package_rules()
    if os.path.exists(inside):
        return inside
    installed = _zhifa.INSTALLED_RULES
    if installed and os.path.exists(installed):
        return installed
    return installed or inside


def load(path=None, *, limits=None):
    """Load and compile a rule set; return a :class:`Rules`.

    ``path`` is a directory holding ``zhifa.yaml`` or a YAML file; ``None``
    means :func:`default_rules_path`. ``limits`` optionally overrides the
    library's input limits, e.g. ``{"match": 10000}`` (names in
    ``zhifa.LIMITS``). The GIL is released while the rules compile.

    Raises :class:`RuleError` (with ``source``, ``line``, ``column``,
    ``code``) for invalid rules, :class:`FileNotFoundError` when ``path``
    does not exist, :class:`OSError` when a file cannot be read.
    """
    if path is None:
        path = default_rules_path()
    path = os.fspath(path)
    if not os.path.exists(path):
        raise FileNotFoundError(
            errno.ENOENT, "no rule set at this path", os.fsdecode(path)
        )
    return Rules(_zhifa.load(path, limits), os.fsdecode(path))


def compile(text, source_name="<string>", *, limits=None):
    """Compile a self-contained single-file rule set from YAML ``text``.

    ``text`` is str or UTF-8 bytes; ``source_name`` names it in errors and
    traces. Handy for rule authors' tests. Raises :class:`RuleError`.
    """
    return Rules(_zhifa.compile(text, source_name, limits), None)


def _json_default(o):
    # Mappings other than dict, dates, and integer-likes (numpy, pandas)
    # serialise naturally; anything else is the caller's mistake.
    if isinstance(o, Mapping):
        return dict(o)
    if isinstance(o, datetime.datetime):
        raise TypeError("case dates are YYYY-MM-DD: use a datetime.date")
    if isinstance(o, datetime.date):
        return o.isoformat()
    if hasattr(type(o), "__index__") and not isinstance(o, bool):
        return operator.index(o)
    raise TypeError(
        "Object of type %s is not JSON serializable" % type(o).__name__
    )


def _case_json(case):
    """Turn a case (mapping, JSON str or bytes) into JSON text for C."""
    if isinstance(case, (str, bytes, bytearray, memoryview)):
        return case
    if isinstance(case, Mapping):
        # bytes: the C side reads them as they are (a str would grow a
        # cached UTF-8 copy), and they are what the decision keeps
        return json.dumps(
            case,
            ensure_ascii=False,
            allow_nan=False,
            separators=(",", ":"),
            default=_json_default,
        ).encode("utf-8")
    raise TypeError(
        "a case is a dict or JSON text, not %s" % type(case).__name__
    )


def _case_id_of(case):
    if isinstance(case, Mapping):
        cid = case.get("case_id")
        return cid if isinstance(cid, str) else None
    return None


class Decision(Mapping):
    """The decision for one case: a read-only mapping of the decision JSON.

    Keys are those of CONTRACT.md's decision JSON (``case_id``, ``engine``,
    ``ruleset``, ``violations``, ``total``, ``procedure``, ``referrals``,
    ``warnings``, ...). Values are plain JSON values (dicts, lists, str,
    int, bool, None); treat them as read-only, or take a private copy with
    :meth:`to_dict`.

    A decision keeps the JSON the library rendered (decoded into Python
    objects on first access, so large batches stay small), its
    :class:`Rules` and the case's JSON text, from which :meth:`explain`
    has the library render the decision as text. Evaluation is
    deterministic (it never depends on the clock): that is the very same
    decision.
    """

    __slots__ = ("_json", "_parsed", "_case", "_rules")

    def __init__(self, json_bytes, case_json, rules):
        # Made by Rules.evaluate(); not meant to be constructed by hand.
        self._json = json_bytes
        self._parsed = None
        self._case = case_json
        self._rules = rules

    @property
    def _data(self):
        d = self._parsed
        if d is None:
            d = self._parsed = json.loads(self._json)
        return d

    def _peek(self):
        # The data without keeping a decoded copy (for one-pass readers).
        d = self._parsed
        return json.loads(self._json) if d is None else d

    def __getitem__(self, key):
        return self._data[key]

    def __iter__(self):
        return iter(self._data)

    def __len__(self):
        return len(self._data)

    def __contains__(self, key):
        return key in self._data

    def __repr__(self):
        d = self._peek()
        total = d.get("total") or {}
        return "<zhifa.Decision case_id=%r violations=%d unit_fine=%s>" % (
            d.get("case_id"),
            len(d.get("violations") or ()),
            total.get("unit_fine"),
        )

    def __reduce__(self):
        raise TypeError(
            "a zhifa.Decision cannot be pickled; use to_dict() or to_json()"
        )

    @property
    def rules(self):
        """The :class:`Rules` this decision was made with."""
        return self._rules

    @property
    def case_id(self):
        """The case's ``case_id`` ("" when the case had none)."""
        return self._data.get("case_id")

    @property
    def violations(self):
        """The list of per-violation results (``self["violations"]``)."""
        return self._data["violations"]

    @property
    def total(self):
        """``{"unit_fine": ..., "person_fines": ...}`` in yuan."""
        return self._data["total"]

    @property
    def warnings(self):
        """Warnings (Chinese text), e.g. facts the case did not give."""
        return self._data["warnings"]

    def case(self):
        """Return the case this decision was made for, as a new dict."""
        return json.loads(self._case)

    def explain(self):
        """Return the decision as the Chinese 裁量说明 text.

        The same text as ``zhifa eval --text``: the items, stages, tiers,
        ranges and recommended amounts, with the trace and its sources.
        """
        return self._rules._c.evaluate(self._case, _zhifa.RENDER_TEXT)

    def to_json(self, pretty=False):
        """Return the decision JSON exactly as the library rendered it.

        Compact (byte-identical to ``zhifa eval --compact`` and ``zhifa
        batch`` lines) or, with ``pretty=True``, indented as ``zhifa eval``
        prints it.
        """
        if pretty:
            return self._rules._c.evaluate(
                self._case, _zhifa.RENDER_JSON_PRETTY
            )
        return self._json.decode("utf-8")

    def to_dict(self):
        """Return a new, independent ``dict`` copy of the decision JSON."""
        return json.loads(self._json)


def _default_threads(n):
    return max(1, min(n, 32, os.cpu_count() or 1))


class Rules:
    """A compiled, immutable rule set (make one with :func:`load`).

    Thread-safe: one ``Rules`` may be used from any number of threads at
    once; each concurrent evaluation uses its own C evaluator.
    """

    __slots__ = ("_c", "_path", "__weakref__")

    def __init__(self, c_ruleset, path=None):
        # Made by load() / compile(); not meant to be constructed by hand.
        self._c = c_ruleset
        self._path = path

    def __repr__(self):
        return "<zhifa.Rules %s %s %s, %d items>" % (
            self.id,
            self.version,
            self.digest,
            self._c.item_count,
        )

    # -- identity -------------------------------------------------------

    @property
    def id(self):
        """The rule set's id (``ruleset.id`` in the manifest)."""
        return self._c.id

    @property
    def version(self):
        """The rule set's version string."""
        return self._c.version

    @property
    def digest(self):
        """``"sha256:<hex>"`` over every source file, as in decisions."""
        return self._c.digest

    @property
    def generation(self):
        """0 for a rule set loaded directly."""
        return self._c.generation

    @property
    def path(self):
        """The path loaded from, or ``None`` for :func:`compile`."""
        return self._path

    @property
    def limits(self):
        """The input limits in force, as a new ``{name: value}`` dict."""
        return self._c.limits

    # -- catalogue ------------------------------------------------------

    def _catalogue(self):
        return json.loads(self._c.list(_zhifa.LIST_JSON))

    def domains(self):
        """Return the domains as a list of dicts, in rule-set order.

        Each is ``{"id", "name", "items": [...]}`` with the items as
        :meth:`items` describes them (CONTRACT.md ``list --json``).
        """
        return self._catalogue()["domains"]

    def items(self, domain=None):
        """Return the checklist items as a list of dicts.

        Each has ``id``, ``title``, ``domain``, ``violates``, ``basis``,
        ``provision``, ``major_hazard``, ``must_check``, ``tags``.
        ``domain`` (an id such as ``"machinery"`` or a Chinese name such as
        ``"机械"``) keeps only that domain's items.
        """
        out = []
        for d in self.domains():
            if domain is None or domain in (d["id"], d["name"]):
                out.extend(d["items"])
        return out

    def plan(self):
        """Return the enforcement plan as a dict (``zhifa list --plan --json``).

        ``{"id", "title", "method", "note", "key_items", "domains": [{"id",
        "name", "items": [...]}]}``, the items as :meth:`items` describes
        them. Raises :class:`zhifa.Error` when the rule set has no plan.
        """
        return json.loads(self._c.plan(_zhifa.LIST_JSON))["plan"]

    def checklist(self, domains, format="json"):
        """Return an enterprise's combined checklist (综合清单).

        ``domains``: the enterprise's domains (ids or Chinese names, e.g.
        ``["机械", "粉尘涉爆"]``). ``format``: ``"json"`` gives a dict
        (``zhifa checklist --json``: ``sections`` of items with their
        ``criteria``, ``key`` and ``also_in``); ``"text"`` and
        ``"markdown"`` give the printable str. Raises :class:`KeyError` for
        an unknown domain, with the closest suggested.
        """
        fmts = {"json": _zhifa.LIST_JSON, "text": _zhifa.LIST_TEXT,
                "markdown": _zhifa.LIST_MARKDOWN}
        if format not in fmts:
            raise ValueError("format is 'json', 'text' or 'markdown'")
        if isinstance(domains, str):
            domains = [domains]
        out = self._c.checklist(list(domains), fmts[format])
        return json.loads(out) if format == "json" else out

    def item(self, item_id):
        """Return one item in detail, as a dict.

        The fields of :meth:`items` plus ``conduct``, ``source``
        (``file:line``), ``facts`` (``[{"name", "type", "label"}]``),
        ``discretion`` (``[{"when", "tier", "reason"}]``) and
        ``patterns``. Raises :class:`KeyError` for an unknown id, with the
        closest id suggested.
        """
        if not isinstance(item_id, str):
            raise TypeError("an item id is a str")
        d = json.loads(self._c.show(item_id, _zhifa.LIST_JSON))
        out = dict(d.pop("item"))
        out.update(d)
        return out

    def __contains__(self, item_id):
        if not isinstance(item_id, str):
            return False
        try:
            self._c.show(item_id, _zhifa.LIST_TEXT)
        except KeyError:
            return False
        return True

    # -- evaluation -----------------------------------------------------

    def evaluate(self, case):
        """Evaluate one case and return its :class:`Decision`.

        ``case`` is a dict (or any mapping) in CONTRACT.md's case shape, or
        the same as JSON text (str or UTF-8 bytes). Unknown keys, undeclared
        facts and malformed values raise :class:`CaseError` naming the JSON
        path; a regular expression hitting its match limit raises
        :class:`IndeterminateError`. The GIL is released while the library
        parses and evaluates.
        """
        text = _case_json(case)
        if isinstance(text, (bytearray, memoryview)):
            text = bytes(text)  # a private, immutable copy for explain()
        return Decision(self._c.evaluate(text, raw=True), text, self)

    def evaluate_many(self, cases, threads=None, errors="raise"):
        """Evaluate an iterable of cases; return a list in input order.

        ``threads``: worker threads (``None``: one per CPU, at most 32;
        1: evaluate in the calling thread). The rule set is shared, each
        thread has its own evaluator, and the GIL is released while the
        library works.

        ``errors="raise"`` (default) raises the first failing case's error,
        with ``.index`` (position in ``cases``) and ``.case_id`` added.
        ``errors="return"`` puts that exception object in the list in
        place of the decision and goes on, like ``zhifa batch``
        (:func:`write_jsonl` writes them as batch error lines).
        """
        if errors not in ("raise", "return"):
            raise ValueError('errors must be "raise" or "return"')
        cases = list(cases)
        n = len(cases)
        if threads is None:
            threads = _default_threads(n)
        elif (
            not isinstance(threads, int)
            or isinstance(threads, bool)
            or threads < 1
        ):
            raise ValueError("threads must be a positive int or None")
        keep_going = errors == "return"

        def failed(e, i):
            e.index = i
            e.case_id = _case_id_of(cases[i])
            return e

        def run(lo, hi):
            # Cases lo..hi-1: to JSON text here, then one C call that
            # evaluates them all with the GIL released once.
            out = [None] * (hi - lo)
            texts, where = [], []
            for i in range(lo, hi):
                try:
                    text = _case_json(cases[i])
                except (TypeError, ValueError) as e:
                    out[i - lo] = failed(e, i)
                    continue
                if isinstance(text, (bytearray, memoryview)):
                    text = bytes(text)
                texts.append(text)
                where.append(i)
            results = self._c.evaluate_batch(texts)
            for i, text, r in zip(where, texts, results):
                if isinstance(r, bytes):
                    out[i - lo] = Decision(r, text, self)
                else:
                    out[i - lo] = failed(r, i)
            if not keep_going:
                for e in out:
                    if isinstance(e, BaseException):
                        if hasattr(e, "add_note"):  # Python >= 3.11
                            e.add_note("in case #%d of the batch" % e.index)
                        raise e
            return out

        if threads == 1 or n < 2:
            chunk = 256
        else:
            # a few chunks per thread keep the load even
            chunk = max(1, min(256, -(-n // (threads * 4))))
        bounds = [(lo, min(n, lo + chunk)) for lo in range(0, n, chunk)]
        results = []
        if threads == 1 or len(bounds) < 2:
            for lo, hi in bounds:
                results.extend(run(lo, hi))
            return results
        ex = ThreadPoolExecutor(
            max_workers=min(threads, len(bounds)), thread_name_prefix="zhifa"
        )
        try:
            futures = [ex.submit(run, lo, hi) for lo, hi in bounds]
            for f in futures:
                results.extend(f.result())
        finally:
            ex.shutdown(wait=True, cancel_futures=True)
        return results
