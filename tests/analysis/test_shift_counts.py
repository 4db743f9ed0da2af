"""The Hodges–Lehmann shift counts pairwise values by value (issue 20, part 6): the same numbers, memory that does not grow as n²."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from slutrapport.analysis.shift import _DECIMALS, _distinct, _walsh_averages, hodges_lehmann_independent, hodges_lehmann_paired

SCALES = ([1.0, 2.0, 3.0, 4.0, 5.0], [1.0, 2.5, 4.0], [1 / 3, 2 / 3, 1.0, 10.0], [0.0, 1.0])


@pytest.mark.parametrize("seed", range(12))
def test_distinct_values_and_median_equal_the_full_lists(seed):
    rng = np.random.default_rng(seed)
    values = np.array(SCALES[seed % len(SCALES)])
    x, y = rng.choice(values, rng.integers(1, 300)), rng.choice(values, rng.integers(1, 300))
    # the reference: every pairwise difference / Walsh average listed, as the estimator's definition
    full = np.sort(np.round(np.subtract.outer(x, y).ravel(), _DECIMALS))
    jumps, median = _distinct(x, y)
    assert np.array_equal(jumps, np.unique(full)) and median == np.median(full)
    walsh = _walsh_averages(x)
    jumps, median = _distinct(x)
    assert np.array_equal(jumps, np.unique(walsh)) and median == np.median(walsh)


def test_not_finite_values_take_the_full_list():
    x, y = np.array([1.0, np.nan, 3.0]), np.array([2.0, 2.0])
    jumps, median = _distinct(x, y)
    assert np.isnan(median) and np.isnan(jumps[-1])


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
