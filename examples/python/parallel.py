#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Evaluate a JSON Lines file of cases from a pool of processes.

For a year of cases on a many-core machine, or the pattern to copy into a
Dask/Spark job: every worker process loads the rule set itself, by path,
once (a compiled rule set is a C object and is not pickled), evaluates the
chunks of lines it is sent, and returns plain records — the flat rows of
zhifa.to_records(), dicts of str/int/bool/None — which pickle cheaply and
need no zhifa on the receiving side. A zhifa.Decision cannot be pickled on
purpose: it holds the C rule set; send records or decision JSON instead.

Each line is handed to the library as the JSON text it is, so a bad line
is that line's error (with its number), as in `zhifa batch`, and the rest
go on. Output order is input order.

    python3 examples/python/parallel.py cases.jsonl --processes 4 -o rows.csv

from a build tree: PYTHONPATH=build/bindings/python /usr/bin/python3 ...
(installed: pip install . or the python3-zhifa package). Exit status 0,
or 1 when a line failed (listed on stderr), as `zhifa batch`.
"""

import argparse
import csv
import itertools
import json
import multiprocessing
import sys
from typing import Any, Dict, Iterator, List, Optional, Sequence, TextIO, \
    Tuple

import zhifa

#: The columns written: the input line number, then zhifa.RECORD_FIELDS.
FIELDS = ("line",) + tuple(zhifa.RECORD_FIELDS)

# One worker's rule set, loaded by init_worker() in that process.
_rules: Optional[zhifa.Rules] = None


def init_worker(rules_path: str) -> None:
    """Pool initializer: load the rule set once per worker process."""
    global _rules
    _rules = zhifa.load(rules_path)


def evaluate_chunk(chunk: List[Tuple[int, str]]) -> List[Dict[str, Any]]:
    """Evaluate (line number, JSON text) pairs; return plain records.

    A decision becomes its rows (one per violation, each with "line"); a
    line that failed becomes {"line", "case_id", "error"}.
    """
    assert _rules is not None, "init_worker() did not run"
    out: List[Dict[str, Any]] = []
    results = _rules.evaluate_many([text for _, text in chunk], threads=1,
                                   errors="return")
    for (line, text), result in zip(chunk, results):
        if isinstance(result, zhifa.Decision):
            for row in zhifa.to_records(result):
                out.append({"line": line, **row})
        else:
            out.append({"line": line, "case_id": _case_id(text),
                        "error": str(result)})
    return out


def _case_id(text: str) -> Optional[str]:
    try:
        cid = json.loads(text).get("case_id")
    except (ValueError, AttributeError):
        return None
    return cid if isinstance(cid, str) else None


def chunks(f: TextIO, size: int) -> Iterator[List[Tuple[int, str]]]:
    """The file's non-blank lines as lists of (line number, text)."""
    numbered = ((n, line) for n, line in enumerate(f, 1) if line.strip())
    while True:
        chunk = list(itertools.islice(numbered, size))
        if not chunk:
            return
        yield chunk


def evaluate_file(path: str, rules_path: str, processes: int,
                  chunk_size: int = 64,
                  start_method: str = "spawn") -> List[Dict[str, Any]]:
    """Every record of every line of the JSONL file at path, in order."""
    ctx = multiprocessing.get_context(start_method)
    records: List[Dict[str, Any]] = []
    with open(path, encoding="utf-8") as f, ctx.Pool(
            processes, initializer=init_worker,
            initargs=(rules_path,)) as pool:
        # imap keeps the input order and streams: the file is never held
        # whole, nor are more results than the pool has produced
        for part in pool.imap(evaluate_chunk, chunks(f, chunk_size)):
            records.extend(part)
    return records


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("cases", help="JSON Lines file, one case per line")
    ap.add_argument("--rules", help="rule set (default: the bundled one)")
    ap.add_argument("--processes", type=int, default=None,
                    help="worker processes (default: one per CPU)")
    ap.add_argument("--chunk", type=int, default=64,
                    help="lines sent to a worker at a time")
    ap.add_argument("-o", "--output", help="CSV of records (default: stdout)")
    ap.add_argument("--jsonl", action="store_true",
                    help="write records as JSON Lines instead of CSV")
    args = ap.parse_args(argv)

    # resolved here, once, so every worker loads the very same rule set
    rules_path = args.rules or zhifa.default_rules_path()
    records = evaluate_file(args.cases, rules_path, args.processes,
                            args.chunk)
    rows = [r for r in records if "error" not in r]
    failed = [r for r in records if "error" in r]

    out = open(args.output, "w", encoding="utf-8", newline="") \
        if args.output else sys.stdout
    try:
        if args.jsonl:
            zhifa.write_jsonl(out, rows)
        else:
            w = csv.DictWriter(out, FIELDS)
            w.writeheader()
            w.writerows(rows)
    finally:
        if out is not sys.stdout:
            out.close()
    for r in failed:
        print("%s:%d: %s" % (args.cases, r["line"], r["error"]),
              file=sys.stderr)
    print("%d rows, %d failed lines" % (len(rows), len(failed)),
          file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
