# SPDX-License-Identifier: MIT
"""evaluate_many, threads, big batches."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import make_cases


def jsons(decisions):
    return [d.to_json() for d in decisions]


def test_threads_equal_sequential(rules, batch):
    seq = rules.evaluate_many(batch, threads=1)
    assert [d.case_id for d in seq] == [c["case_id"] for c in batch]
    for threads in (2, 8, None):
        par = rules.evaluate_many(batch, threads=threads)
        assert jsons(par) == jsons(seq), threads
        assert [dict(d) for d in par] == [dict(d) for d in seq]


def test_iterables(rules, batch):
    seq = jsons(rules.evaluate_many(batch[:50], threads=1))
    assert jsons(rules.evaluate_many(iter(batch[:50]), threads=4)) == seq
    assert jsons(rules.evaluate_many((c for c in batch[:50]))) == seq
    assert rules.evaluate_many([], threads=8) == []
    assert len(rules.evaluate_many(batch[:1], threads=8)) == 1


def test_bad_threads(rules, batch):
    for bad in (0, -1, 1.5, "2", True):
        with pytest.raises(ValueError):
            rules.evaluate_many(batch[:2], threads=bad)
    with pytest.raises(ValueError):
        rules.evaluate_many(batch[:2], errors="ignore")


def test_errors_raise_with_index(zhifa, rules, batch):
    cases = list(batch[:100])
    cases[37] = {"case_id": "bad-37", "violations": [], "bogus": 1}
    for threads in (1, 8):
        with pytest.raises(zhifa.CaseError) as ei:
            rules.evaluate_many(cases, threads=threads)
        e = ei.value
        assert e.index == 37 and e.case_id == "bad-37" and e.path == "bogus"
        assert any("#37" in n for n in getattr(e, "__notes__", ["#37"]))


def test_errors_return(zhifa, rules, batch):
    cases = list(batch[:100])
    cases[5] = {"case_id": "bad-5", "bogus": 1}
    cases[60] = 42
    out = rules.evaluate_many(cases, threads=4, errors="return")
    assert len(out) == 100
    assert isinstance(out[5], zhifa.CaseError) and out[5].index == 5
    assert isinstance(out[60], TypeError) and out[60].index == 60
    good = [d for d in out if isinstance(d, zhifa.Decision)]
    assert len(good) == 98
    assert [d.case_id for d in good] == [
        c["case_id"] for i, c in enumerate(cases) if i not in (5, 60)]


def test_shared_rules_raw_threads(rules, batch):
    # Many Python threads calling evaluate() on one Rules at once: each
    # gets its own evaluator from the pool; results equal the golden ones.
    golden = jsons(rules.evaluate_many(batch[:64], threads=1))
    failures = []
    barrier = threading.Barrier(16)

    def worker(k):
        barrier.wait()
        for rnd in range(3):
            for i in range(k % 7, 64, 5):
                got = rules.evaluate(batch[i]).to_json()
                if got != golden[i]:
                    failures.append((k, i))

    ts = [threading.Thread(target=worker, args=(k,)) for k in range(16)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert not failures


def test_executor_with_16_workers(zhifa, rules, batch):
    # STYLE 4.5.3: a ThreadPoolExecutor with 16 workers, shared rule set.
    golden = jsons(rules.evaluate_many(batch, threads=1))
    with ThreadPoolExecutor(max_workers=16) as ex:
        got = list(ex.map(lambda c: rules.evaluate(c).to_json(), batch))
    assert got == golden
    # explain() and to_json() from many threads on shared decisions
    ds = rules.evaluate_many(batch[:32], threads=4)
    with ThreadPoolExecutor(max_workers=16) as ex:
        texts = list(ex.map(lambda d: d.explain(), ds * 4))
    assert texts[:32] == texts[32:64] == [d.explain() for d in ds]


def test_rules_loaded_in_threads(zhifa, rules):
    with ThreadPoolExecutor(max_workers=4) as ex:
        sets = list(ex.map(lambda _: zhifa.load(rules.path), range(8)))
    assert {r.digest for r in sets} == {rules.digest}


def test_big_batch(rules):
    cases = make_cases(rules, 5000, seed=2024)
    out = rules.evaluate_many(cases)
    assert len(out) == 5000
    assert [d.case_id for d in out] == [c["case_id"] for c in cases]
    n_viol = sum(len(c["violations"]) for c in cases)
    assert sum(len(d.violations) for d in out) == n_viol
    # spot-check against single evaluation
    for i in range(0, 5000, 499):
        assert out[i].to_json() == rules.evaluate(cases[i]).to_json()


def test_gil_released_during_evaluation(rules, batch):
    # A pure-Python thread keeps ticking while a long C batch runs: with
    # the GIL held throughout, its longest pause would be the whole batch.
    import json
    import time

    texts = [json.dumps(c, ensure_ascii=False) for c in batch] * 5
    ratios = []
    for _attempt in range(3):
        ticks = []
        stop = threading.Event()

        def ticker():
            while not stop.is_set():
                ticks.append(time.perf_counter())
                time.sleep(0.0005)

        t = threading.Thread(target=ticker)
        t.start()
        time.sleep(0.01)
        t0 = time.perf_counter()
        rules._c.evaluate_batch(texts)
        t1 = time.perf_counter()
        stop.set()
        t.join()
        inside = [x for x in ticks if t0 <= x <= t1]
        gaps = [b - a for a, b in zip([t0] + inside, inside + [t1])]
        ratios.append(max(gaps) / (t1 - t0))
        if ratios[-1] < 0.5:
            break
    assert min(ratios) < 0.5, ratios


def test_evaluate_batch_takes_any_buffer(zhifa, rules, batch):
    # evaluate_batch() takes what evaluate() takes: str, bytes and any
    # bytes-like object (bytearray, memoryview, array), each giving the
    # very same decision bytes; anything else is a TypeError naming it.
    import array
    import json

    text = json.dumps(batch[0], ensure_ascii=False).encode("utf-8")
    want = rules._c.evaluate(text, raw=True)
    forms = [text.decode("utf-8"), text, bytearray(text), memoryview(text),
             memoryview(b"  " + text)[2:], array.array("B", text)]
    got = rules._c.evaluate_batch(forms)
    assert got == [want] * len(forms)
    for form in forms[2:]:
        assert rules._c.evaluate(form, raw=True) == want
    # a bad case among buffers is that case's exception, the rest go on
    got = rules._c.evaluate_batch([bytearray(b"{"), bytearray(text)])
    assert isinstance(got[0], zhifa.CaseError) and got[1] == want
    with pytest.raises(TypeError, match="case 1: .*int"):
        rules._c.evaluate_batch([text, 5])
    # the buffers are released: a bytearray can be resized again
    ba = bytearray(text)
    rules._c.evaluate_batch([ba])
    ba.extend(b" ")
    # a non-contiguous buffer is refused, as by evaluate()
    with pytest.raises(BufferError):
        rules._c.evaluate_batch([memoryview(text)[::2]])
    with pytest.raises(BufferError):
        rules._c.evaluate(memoryview(text)[::2])
