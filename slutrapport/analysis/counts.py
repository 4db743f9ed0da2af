"""Rank tests computed from count tables instead of from the answers one by one.

Answers on a scale take a handful of values and index scores (means of items)
a few dozen, so a group of thousands of respondents is fully described by how
many of them gave each value. The rank tests of :mod:`.stattests` need only
those counts: every value's mid-rank in the pooled sample follows from the
counts below it and its own, and so do the rank sums, the Mann–Whitney U and
the tie correction. This module computes them with numpy for many samples at
once (every pair of groups of a wave in one broadcast), with the same
formulas, in the same order of operations, as scipy 1.17:

- :func:`_mann_whitney_counts`: ``scipy.stats.mannwhitneyu(second, first,
  use_continuity=True, alternative="two-sided", method="asymptotic")`` (U of
  ``second``, tie-corrected normal approximation with continuity correction,
  two-sided p clipped to [0, 1]);
- :func:`_kruskal_counts`: ``scipy.stats.kruskal(*groups)`` (tie-corrected H,
  chi-square with groups − 1 degrees of freedom);
- :func:`_signed_rank_counts`: ``scipy.stats.wilcoxon(d, zero_method="wilcox",
  correction=True, method="asymptotic")`` from the counts of the non-zero
  differences;
- :func:`_fisher_exact_many`: ``scipy.stats.fisher_exact(table,
  alternative="two-sided")`` of many 2×2 tables at once (scipy's steps, its
  hypergeometric functions called on arrays).

Values are compared exactly as scipy's ``rankdata`` compares them (equal
floats tie); the callers decide, as before, when a sample is small enough for
an exact test and call scipy for it. Counts and rank sums are whole or half
numbers, exact in float64 far beyond any survey's size, so the statistics
equal scipy's; ``tests/analysis/test_counts.py`` compares them on random data.
These are helpers of the analysis folder.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from slutrapport.analysis.discrete import binary_search_many, hypergeom

__all__: list[str] = []  # helpers of the analysis folder only


def _grid_counts(samples: list[np.ndarray]) -> np.ndarray:
    """Samples × distinct values: how many of each sample's values equal each value of the pooled, sorted grid."""
    sizes = [len(s) for s in samples]
    if sum(sizes) == 0:
        return np.zeros((len(samples), 0), dtype=np.int64)
    _, inverse = np.unique(np.concatenate(samples), return_inverse=True)
    k = int(inverse.max()) + 1
    owner = np.repeat(np.arange(len(samples)), sizes)
    return np.bincount(owner * k + inverse, minlength=len(samples) * k).reshape(len(samples), k)


def _mid_ranks(pooled: np.ndarray) -> np.ndarray:
    """Mid-rank of each value of the grid in the pooled sample whose counts are ``pooled`` (last axis)."""
    below = np.cumsum(pooled, axis=-1) - pooled
    return below + (pooled + 1) / 2


def _tie_term(pooled: np.ndarray) -> np.ndarray:
    """Σ (t³ − t) over the tied groups of the pooled counts (last axis)."""
    t = pooled.astype(float)
    return np.sum(t**3 - t, axis=-1)


def _mann_whitney_counts(first: np.ndarray, second: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """U of ``second`` and the two-sided asymptotic p of ``mannwhitneyu(second, first)`` from counts.

    ``first`` and ``second`` are counts on one value grid (last axis) and
    broadcast against each other, so ``first[None, :, :]`` and
    ``second[:, None, :]`` give every pair of rows at once. Pairs where the
    test is undefined (an empty sample, every value equal) get NaN p; the
    caller decides those before, as :func:`~.stattests._mann_whitney` does.
    """
    first, second = np.broadcast_arrays(np.asarray(first, dtype=np.int64), np.asarray(second, dtype=np.int64))
    n1 = second.sum(axis=-1)  # scipy's x is the second sample
    n2 = first.sum(axis=-1)
    below_first = np.cumsum(first, axis=-1) - first
    # U of x: pairs where x is higher, ties counted half (= R1 - n1(n1+1)/2; exact half-integers)
    u1 = np.sum(second * (below_first + first / 2), axis=-1)
    u2 = n1 * n2 - u1
    u = np.maximum(u1, u2)
    n = n1 + n2
    with np.errstate(divide="ignore", invalid="ignore"):
        mu = n1 * n2 / 2
        s = np.sqrt(n1 * n2 / 12 * ((n + 1) - _tie_term(first + second) / (n * (n - 1))))
        numerator = u - mu
        numerator = numerator - 0.5
        z = numerator / s
        p = special.ndtr(-z)
    p = p * 2
    p = np.clip(p, 0.0, 1.0)
    return u1, p


def _kruskal_counts(counts: np.ndarray) -> tuple[float, float]:
    """H and p of ``scipy.stats.kruskal`` on the groups whose counts are the rows of ``counts`` (groups × values).

    Every group must have a value and not every value be equal (the caller checks).
    """
    counts = np.asarray(counts, dtype=np.int64)
    pooled = counts.sum(axis=0)
    ranks = _mid_ranks(pooled)
    sizes = counts.sum(axis=1)
    totaln = int(sizes.sum())
    ties = 1 - _tie_term(pooled) / (totaln**3 - totaln)
    rank_sums = counts @ ranks
    ssbn = 0
    for rank_sum, size in zip(rank_sums, sizes, strict=True):
        ssbn += rank_sum**2 / int(size)
    h = 12.0 / (totaln * (totaln + 1)) * ssbn - 3 * (totaln + 1)
    h /= ties
    return float(h), float(special.chdtrc(np.float64(counts.shape[0] - 1), h))


def _signed_rank_counts(magnitudes: np.ndarray, positive: np.ndarray, negative: np.ndarray) -> tuple[float, float, float, float]:
    """Signed-rank test from counts of the non-zero differences by size.

    ``magnitudes`` are the distinct absolute differences (sorted), ``positive``
    and ``negative`` how many differences of each size are above and below
    zero. Returns ``(r_plus, r_minus, statistic, p)`` of
    ``scipy.stats.wilcoxon(d, zero_method="wilcox", correction=True, method="asymptotic")``.
    """
    del magnitudes  # the order is all that counts
    pooled = positive + negative
    ranks = _mid_ranks(pooled)
    r_plus = float(np.sum(positive * ranks))
    r_minus = float(np.sum(negative * ranks))
    count = float(pooled.sum())
    mn = count * (count + 1.0) * 0.25
    se = count * (count + 1.0) * (2.0 * count + 1.0)
    se = np.sqrt((se - _tie_term(pooled) / 2) / 24)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (r_plus - mn) / se
        z = z - np.sign(z) * 0.5 / se
        p = 2 * special.ndtr(-np.abs(z))
    return r_plus, r_minus, min(r_plus, r_minus), float(p)


def _pearson_chi2(table: np.ndarray) -> tuple[float, float, np.ndarray] | None:
    """Pearson's chi-square of a two-way table as ``scipy.stats.chi2_contingency(table, correction=False)``.

    Returns ``(statistic, p, expected)``; None where scipy refuses the table
    (a zero expected count or a negative count).
    """
    observed = np.asarray(table, dtype=np.float64)
    if (observed < 0).any():
        return None
    expected = observed.sum(axis=1, keepdims=True) * observed.sum(axis=0, keepdims=True) / observed.sum()
    if (expected == 0).any():
        return None
    dof = expected.size - sum(expected.shape) + expected.ndim - 1
    if dof == 0:
        return 0.0, 1.0, expected
    statistic = np.sum((observed - expected) ** 2 / expected)
    return float(statistic), float(special.chdtrc(np.float64(dof), statistic)), expected


#: scipy's relative tolerance for a table as probable as the observed one (``fisher_exact``'s ``epsilon``).
_FISHER_EPSILON = 1e-14


def _fisher_exact_many(tables: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The odds ratio and two-sided p of ``scipy.stats.fisher_exact(table)`` for each 2×2 table of ``tables``
    (shape ``(m, 2, 2)``, counts), by scipy 1.17's steps on arrays.

    The p is the observed table's tail plus the other tail's tables at most
    ``1 + 1e-14`` times as probable, the other tail's end found by the same
    binary search as scipy's; the hypergeometric ``pmf``, ``cdf`` and ``sf``
    are ``scipy.stats.hypergeom``'s (:mod:`.discrete`: the same functions,
    without importing ``scipy.stats``), called on arrays, so every number is
    the one scipy's own call gives (``tests/analysis/test_counts.py``).
    """
    c = np.asarray(tables, dtype=np.int64).reshape(-1, 2, 2)
    a, b, c_, d = c[:, 0, 0], c[:, 0, 1], c[:, 1, 0], c[:, 1, 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        odds = np.where((c_ > 0) & (b > 0), a * d / (c_ * b), np.inf)
    n1, n2, n = a + b, c_ + d, a + c_
    total = n1 + n2
    empty = (n1 == 0) | (n2 == 0) | (n == 0) | (b + d == 0)  # a row or column of zeros: p 1, odds ratio NaN
    odds[empty] = np.nan
    p = np.ones(len(c))
    rows = np.flatnonzero(~empty)
    if not len(rows):
        return odds, p
    a, n1, n, total = a[rows], n1[rows], n[rows], total[rows]
    mode = ((n + 1) * (n1 + 1) / (total + 2)).astype(np.int64)
    exact = hypergeom("pmf", a, total, n1, n)
    at_mode = hypergeom("pmf", mode, total, n1, n)
    gamma = 1 + _FISHER_EPSILON
    with np.errstate(divide="ignore", invalid="ignore"):
        likeliest = np.abs(exact - at_mode) / np.maximum(exact, at_mode) <= _FISHER_EPSILON
    result = np.ones(len(rows))
    below = a < mode  # the observed table in the lower tail: the other tail runs from the mode up to n
    for side in (~likeliest & below, ~likeliest & ~below):
        k = np.flatnonzero(side)
        if len(k):
            result[k] = _fisher_tails(bool(below[k][0]), a[k], total[k], n1[k], n[k], mode[k], exact[k] * gamma)
    p[rows] = np.minimum(result, 1.0)
    return odds, p


def _fisher_tails(lower: bool, a: np.ndarray, m: np.ndarray, good: np.ndarray, drawn: np.ndarray, mode: np.ndarray, limit: np.ndarray) -> np.ndarray:
    """``fisher_exact``'s two-sided p of tables whose observed count ``a`` is below the ``mode`` (``lower``) or
    not: its own tail, plus the other tail's tables no likelier than ``limit`` (the observed table's pmf × gamma)."""
    tail = hypergeom("cdf", a, m, good, drawn) if lower else hypergeom("sf", a - 1, m, good, drawn)
    end = drawn if lower else np.zeros(len(a), dtype=np.int64)  # the other tail's far end
    s = np.flatnonzero(~(hypergeom("pmf", end, m, good, drawn) > limit))  # else the far end alone is likelier: one tail
    if not len(s):
        return tail
    m, good, drawn, mode = m[s], good[s], drawn[s], mode[s]
    sign = -1.0 if lower else 1.0  # ascending towards the mode, as scipy searches

    def pmf(x: np.ndarray, j: np.ndarray) -> np.ndarray:
        return sign * hypergeom("pmf", x, m[j], good[j], drawn[j])

    bounds = (mode, drawn) if lower else (np.zeros(len(s), dtype=np.int64), mode)
    guess = binary_search_many(pmf, sign * limit[s], *bounds)
    other = hypergeom("sf", guess, m, good, drawn) if lower else hypergeom("cdf", guess, m, good, drawn)
    out = tail.copy()
    out[s] = tail[s] + other
    return out
