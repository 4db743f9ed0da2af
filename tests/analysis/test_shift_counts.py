"""The Hodges–Lehmann shift works from counts of distinct values (issue 20, part 6): memory that does not grow as n².

That the estimates and limits equal the full pairwise lists is tested in ``test_counts.py``.
"""

from __future__ import annotations

import tracemalloc

import numpy as np

from slutrapport.analysis.shift import hodges_lehmann_independent, hodges_lehmann_paired


def test_large_waves_need_memory_for_their_distinct_answers_only():
    rng = np.random.default_rng(1)
    earlier, later = rng.integers(1, 6, 20_000).astype(float), rng.integers(1, 6, 20_000).astype(float)
    tracemalloc.start()
    try:
        estimate, low, high = hodges_lehmann_independent(earlier, later)
        paired = hodges_lehmann_paired(earlier, later)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 50 * 2**20  # the full list would be 20,000² differences: 3.2 GB
    assert estimate == 0.0 and low <= estimate <= high
    assert paired[0] == 0.0
