# SPDX-License-Identifier: MIT
"""No leaks over 100,000 evaluations (resident memory, in a fresh process)."""

import json
import os

import pytest

from conftest import HERE, run_python


@pytest.mark.skipif("asan" in os.environ.get("LD_PRELOAD", ""),
                    reason="ASan's quarantine holds freed memory")
def test_no_rss_growth_over_100k_evaluations():
    n = int(os.environ.get("ZHIFA_LEAK_EVALUATIONS", "100000"))
    r = run_python([os.path.join(HERE, "leakcheck.py"), str(n),
                    "--max-growth-kib", "4096"], timeout=280)
    assert r.stdout, r.stderr
    report = json.loads(r.stdout.strip().splitlines()[-1])
    print(report)  # shown with pytest -s, and on failure
    assert report["evaluations"] >= n
    assert r.returncode == 0, report
    # a leak of even 64 bytes per evaluation would exceed this
    assert report["bytes_per_evaluation"] < 42, report
