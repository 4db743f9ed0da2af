"""Hodges–Lehmann location shift with its confidence interval, as R's ``wilcox.test(conf.int=TRUE)``.

Pure functions on arrays, used by :mod:`.changes` for the ``hl_*`` columns of
``forandringar.csv``. The shift is *later minus earlier*, so a positive value
means that the later wave lies higher, in the direction of the rank test's
effect (rank-biserial r) on the same data.

- :func:`hodges_lehmann_independent`: the median of all pairwise differences
  ``later_j − earlier_i`` (Hodges & Lehmann 1963), with the interval of
  ``wilcox.test(later, earlier, conf.int = TRUE)``.
- :func:`hodges_lehmann_paired`: the median of the Walsh averages
  ``(d_i + d_j) / 2, i ≤ j`` of the differences ``d = later − earlier``, with
  the interval of ``wilcox.test(later, earlier, paired = TRUE, conf.int = TRUE)``.
  As in the signed-rank test itself (``zero_method="wilcox"``, as R) zero
  differences are dropped first, so the shift is that of the people whose
  answer changed.

The intervals follow R's algorithm (``stats:::wilcox.test.default``, R 4.4,
default ``exact = NULL, correct = TRUE``), the same rule as the tests'
p-values in :mod:`.stattests`:

- **exact** when both samples (the non-zero differences when paired) have
  fewer than 50 values and there are no ties (and, paired, no zeros): the
  limits are order statistics of the sorted pairwise differences (Walsh
  averages), ``diffs[qu]`` and ``diffs[N − qu + 1]`` with
  ``qu = qwilcox(α/2, n_x, n_y)`` (``qsignrank(α/2, n)``), ``qu = 1`` when 0;
- otherwise the **normal approximation** with tie-corrected variance and
  continuity correction: the limits are the shifts ``d`` at which the
  standardised statistic of ``(later − d, earlier)`` (of ``d_i − d``) equals
  ∓ z(α/2). R finds them with ``uniroot(tol = 1e-4)``; that statistic is a
  step function of ``d`` that jumps only at pairwise differences (Walsh
  averages), so here the crossing jump is found exactly by bisection over
  them. Two samples: when even the extreme shift does not reach the
  quantile, R returns ``min(later) − max(earlier)`` or
  ``max(later) − min(earlier)``, and so do we.

Where R gives no interval (all values tied, or every non-zero difference
equal) and where R warns "requested conf.level not achievable" in the exact
case (achieved α above 1.5 α), both limits are NaN here: the columns promise a
95 % interval. One deliberate deviation, paired and normal approximation: R
checks its bracket by the statistic *at* ``min(d)`` and ``max(d)``, where the
differences equal to the extreme drop out; with tied Likert differences (say
seven +1 and two +2) the statistic collapses there and R doubles α. Here the
bracket is checked just outside the data (every difference of one sign), so
the limits are those of inverting the same test (the shifts it does not
reject); NaN only when no shift at all is rejected. Wherever R's bracket
holds the two agree. The estimate is always the Hodges–Lehmann median (R
reports a root of the statistic instead in the normal-approximation case; the
two agree to the step of the data).

References
----------
Hodges JL, Lehmann EL (1963). Estimates of location based on rank tests.
Ann Math Stat 34:598–611.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import cache

import numpy as np
from scipy import special

__all__ = ["hodges_lehmann_independent", "hodges_lehmann_paired"]

_EXACT_LIMIT = 50  # as R's wilcox.test (and .stattests)
_DECIMALS = 9  # index scores are means: round away float noise so equal values tie
_NAN3 = (math.nan, math.nan, math.nan)


# --- exact null distributions (R's cwilcox / csignrank), as exact integer counts -------------


@cache
def _rank_sum_counts(m: int, n: int) -> tuple[int, ...]:
    """Counts of the Mann–Whitney statistic W = 0 … m·n for sample sizes m and n (R's ``cwilcox``)."""
    # Generating function: Gaussian binomial [m+n choose m]_q = prod_{i=1..m} (1 - q^(n+i)) / (1 - q^i).
    counts = [1] + [0] * (m * n)
    for i in range(1, m + 1):
        for k in range(m * n, n + i - 1, -1):  # multiply by (1 - q^(n+i))
            counts[k] -= counts[k - n - i]
        for k in range(i, m * n + 1):  # divide by (1 - q^i)
            counts[k] += counts[k - i]
    return tuple(counts)


@cache
def _signed_rank_counts(n: int) -> tuple[int, ...]:
    """Counts of the signed-rank statistic V = 0 … n(n+1)/2 (R's ``csignrank``)."""
    counts = [1] + [0] * (n * (n + 1) // 2)
    for i in range(1, n + 1):
        for k in range(len(counts) - 1, i - 1, -1):
            counts[k] += counts[k - i]
    return tuple(counts)


def _quantile(counts: tuple[int, ...], p: float) -> int:
    """R's ``qwilcox`` / ``qsignrank`` for ``p ≤ 0.5``: the smallest q with P(S ≤ q) ≥ p."""
    total, cumulative = sum(counts), 0
    target = p - 10 * np.finfo(float).eps
    for q, count in enumerate(counts):
        cumulative += count
        if cumulative / total >= target:
            return q
    return len(counts) - 1  # pragma: no cover - p ≤ 0.5 is reached first


def _cdf(counts: tuple[int, ...], q: int) -> float:
    return sum(counts[: q + 1]) / sum(counts) if q >= 0 else 0.0


def _exact_limits(diffs: np.ndarray, counts: tuple[int, ...], alpha: float) -> tuple[float, float]:
    """R: ``qu <- q(alpha/2); if (qu == 0) qu <- 1; ql <- N - qu; c(diffs[qu], diffs[ql + 1])``."""
    qu = max(_quantile(counts, alpha / 2), 1)
    ql = len(counts) - 1 - qu
    achieved = 2 * _cdf(counts, qu - 1)
    if achieved - alpha > alpha / 2:  # R: warning("requested conf.level not achievable")
        return math.nan, math.nan
    return float(diffs[qu - 1]), float(diffs[ql])


# --- normal approximation: the crossing of a step function ---------------------------------


def _crossing(f: Callable[[float], float], jumps: np.ndarray, outside: float | None = None) -> float:
    """The jump point at which the non-increasing step function ``f`` changes sign.

    ``f`` is constant between consecutive ``jumps`` and may take a value of its
    own at a jump; ``f(jumps[-1]) < 0`` and ``f(jumps[0]) > 0``, or, given
    ``outside`` (the value of ``f`` below ``jumps[0]``), ``outside > 0``. The
    sequence (outside,) point, open interval, point, … is searched for its
    first non-positive element; the root is the jump at or just before it
    (what ``uniroot`` converges to for a step function).
    """
    points = len(jumps)

    # Element 2k is jumps[k]; element 2k + 1 is the open interval (jumps[k], jumps[k + 1]); -1 is below jumps[0].
    def value(element: int) -> float:
        if element < 0:
            return outside  # type: ignore[return-value]
        k = element // 2
        return f(jumps[k]) if element % 2 == 0 else f((jumps[k] + jumps[k + 1]) / 2)

    low, high = (0 if outside is None else -1), 2 * (points - 1)  # value(low) > 0 ≥ value(high)
    while high - low > 1:
        middle = (low + high) // 2
        if value(middle) > 0:
            low = middle
        else:
            high = middle
    return float(jumps[max(high, 0) // 2])


def _weighted(values: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct ``values`` (sorted) and the summed ``weights`` of each: a sample given by its counts."""
    distinct, which = np.unique(values, return_inverse=True)
    return distinct, np.bincount(which.ravel(), weights=np.ravel(weights), minlength=distinct.size)


def _weighted_median(values: np.ndarray, counts: np.ndarray) -> float:
    """``np.median`` of the sample where ``values[i]`` (sorted) occurs ``counts[i]`` times."""
    cumulative = np.cumsum(counts)
    total = int(cumulative[-1])
    middle = np.searchsorted(cumulative, [(total - 1) // 2, total // 2], side="right")
    low, high = values[middle[0]], values[middle[1]]
    return float(low) if total % 2 else float(np.mean([low, high]))


def _tie_counts(counts: np.ndarray) -> float:
    """Σ (t³ − t) over the tied groups given by their sizes."""
    t = np.asarray(counts, dtype=float)
    return float((t**3 - t).sum())


def _mid_ranks(counts: np.ndarray) -> np.ndarray:
    return np.cumsum(counts) - counts + (counts + 1) / 2


# --- the estimators -------------------------------------------------------------------------
#
# Both estimators work on the samples' counts (distinct values and how often each occurs):
# answers and index scores take few values, so the pairwise differences (Walsh averages) and
# the rank statistics are sums over those values, not over millions of pairs. Every element
# is rounded and compared exactly as it would be one by one, so the results are the same.


def hodges_lehmann_independent(earlier: np.ndarray, later: np.ndarray, confidence: float = 0.95) -> tuple[float, float, float]:
    """Shift ``later − earlier`` of two independent samples: ``(estimate, low, high)``.

    R: ``wilcox.test(later, earlier, conf.int = TRUE, conf.level = confidence)``
    for the interval; the estimate is ``median(outer(later, earlier, "-"))``.
    NaN for an empty sample; NaN limits where R gives none (see the module docstring).
    """
    x = np.round(np.asarray(later, dtype=float), _DECIMALS)  # R's x
    y = np.round(np.asarray(earlier, dtype=float), _DECIMALS)  # R's y
    n_x, n_y = x.size, y.size
    if n_x == 0 or n_y == 0:
        return _NAN3
    alpha = 1 - confidence
    joined = np.concatenate([x, y])
    if n_x < _EXACT_LIMIT and n_y < _EXACT_LIMIT and np.unique(joined).size == joined.size:
        diffs = np.sort(np.round(np.subtract.outer(x, y).ravel(), _DECIMALS))
        return (float(np.median(diffs)), *_exact_limits(diffs, _rank_sum_counts(n_x, n_y), alpha))
    x_values, x_counts = np.unique(x, return_counts=True)
    y_values, y_counts = np.unique(y, return_counts=True)
    jumps, weights = _weighted(np.round(np.subtract.outer(x_values, y_values), _DECIMALS), np.multiply.outer(x_counts, y_counts))
    estimate = _weighted_median(jumps, weights)
    # The standardised statistic at every point the search can ask for (each jump and each midpoint
    # between two), computed at once; the search then looks them up.
    points = np.concatenate([jumps, (jumps[:-1] + jumps[1:]) / 2])
    base = dict(zip(points.tolist(), _standardised_many(points, x_values, x_counts, y_values, y_counts).tolist(), strict=True))

    def standardised(d: float, zq: float) -> float:
        value = base[float(d)]
        return value - zq if not math.isnan(value) else math.nan

    mumin, mumax = float(jumps[0]), float(jumps[-1])

    def root(zq: float) -> float:
        f_lower, f_upper = standardised(mumin, zq), standardised(mumax, zq)
        if math.isnan(f_lower) or math.isnan(f_upper):
            return math.nan  # R: stop("cannot compute confidence interval when all observations are tied")
        if f_lower <= 0:
            return mumin
        if f_upper >= 0:
            return mumax
        return _crossing(lambda d: standardised(d, zq), jumps)

    z = float(special.ndtri(1 - alpha / 2))
    return estimate, root(z), root(-z)


def _standardised_many(shifts: np.ndarray, x_values: np.ndarray, x_counts: np.ndarray, y_values: np.ndarray, y_counts: np.ndarray) -> np.ndarray:
    """R's standardised Wilcoxon rank-sum statistic of ``(x − d, y)`` for every ``d`` in ``shifts``, without ``− zq``.

    ``(dz − sign(dz)·0.5) / sigma`` with ``dz = W − n_x·n_y/2`` and the
    tie-corrected ``sigma``; NaN where sigma is 0. ``x_values``/``y_values``
    are the distinct values (sorted) and ``*_counts`` how often each occurs.
    """
    n_x, n_y = int(x_counts.sum()), int(y_counts.sum())
    total = n_x + n_y
    shifted = np.round(x_values[None, :] - shifts[:, None], _DECIMALS)  # shifts × distinct x
    y_below = np.concatenate([[0], np.cumsum(y_counts)])
    left = np.searchsorted(y_values, shifted, side="left")
    right = np.searchsorted(y_values, shifted, side="right")
    equal = y_below[right] - y_below[left]
    # W of x: pairs where x − d is higher, ties counted half (= rank sum − n_x(n_x + 1)/2; exact half-integers)
    w = np.sum(x_counts * (y_below[left] + equal / 2), axis=1)
    dz = w - n_x * n_y / 2
    # Ties: x − d equal to a y joins that y's tie group; distinct x rarely meet after rounding (then counted apart below).
    xc, yc = x_counts.astype(float), y_counts.astype(float)
    matched = equal > 0
    joined = xc + np.where(matched, equal, 0)
    tie = float((yc**3 - yc).sum()) + np.sum(np.where(matched, joined**3 - joined - (equal**3 - equal), xc**3 - xc), axis=1)
    merged = np.any(np.diff(shifted, axis=1) == 0, axis=1)
    for row in np.flatnonzero(merged):  # distinct x − d that round to one value: their tie group, as rankdata sees it
        pooled = np.concatenate([shifted[row], y_values])
        _, which = np.unique(pooled, return_inverse=True)
        t = np.bincount(which, weights=np.concatenate([xc, yc]))
        tie[row] = float((t**3 - t).sum())
    with np.errstate(invalid="ignore"):
        sigma = np.sqrt(np.maximum(0.0, n_x * n_y / 12 * ((total + 1) - tie / (total * (total - 1)))))
    with np.errstate(divide="ignore", invalid="ignore"):
        out = (dz - np.copysign(0.5, dz) * (dz != 0)) / sigma
    return np.where(sigma == 0, np.nan, out)


def _walsh_averages(d: np.ndarray) -> np.ndarray:
    i, j = np.triu_indices(d.size)
    return np.sort(np.round((d[i] + d[j]) / 2, _DECIMALS))


def _walsh_counts(d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct Walsh averages of ``d`` and how many pairs i ≤ j give each."""
    values, counts = np.unique(d, return_counts=True)
    i, j = np.triu_indices(values.size)
    pairs = np.where(i == j, counts[i] * (counts[i] + 1) // 2, counts[i] * counts[j])
    return _weighted(np.round((values[i] + values[j]) / 2, _DECIMALS), pairs)


def hodges_lehmann_paired(earlier: np.ndarray, later: np.ndarray, confidence: float = 0.95) -> tuple[float, float, float]:
    """Shift of the paired differences ``later − earlier``: ``(estimate, low, high)``.

    R: ``wilcox.test(later, earlier, paired = TRUE, conf.int = TRUE, conf.level = confidence)``
    for the interval; the estimate is the median of the Walsh averages of the
    non-zero differences. NaN when every difference is zero.
    """
    d = np.round(np.asarray(later, dtype=float) - np.asarray(earlier, dtype=float), _DECIMALS)
    zeros = bool((d == 0).any())
    d = d[d != 0]  # R: x <- x[x != 0], as the signed-rank test
    n = d.size
    if n == 0:
        return _NAN3
    alpha = 1 - confidence
    if n < _EXACT_LIMIT and np.unique(np.abs(d)).size == n and not zeros:
        walsh = _walsh_averages(d)
        return (float(np.median(walsh)), *_exact_limits(walsh, _signed_rank_counts(n), alpha))
    jumps, weights = _walsh_counts(d)
    estimate = _weighted_median(jumps, weights)
    values, counts = np.unique(d, return_counts=True)

    def statistic(mu: float) -> float:
        shifted = np.round(values - mu, _DECIMALS)
        kept = shifted != 0
        shifted, weight = shifted[kept], counts[kept]
        m = int(weight.sum())
        if m == 0:
            return math.nan
        sizes, which = np.unique(np.abs(shifted), return_inverse=True)
        pooled = np.bincount(which, weights=weight, minlength=sizes.size)
        up = np.bincount(which, weights=np.where(shifted > 0, weight, 0), minlength=sizes.size)
        zd = float(up @ _mid_ranks(pooled)) - m * (m + 1) / 4
        sigma = math.sqrt(m * (m + 1) * (2 * m + 1) / 24 - _tie_counts(pooled) / 48)
        if sigma == 0:
            return math.nan
        return (zd - math.copysign(0.5, zd) * (zd != 0)) / sigma

    # Beyond the data every difference has the same sign: the largest and smallest statistic there is.
    if jumps.size == 1:  # every non-zero difference equal; R: "all observations are zero or tied"
        return estimate, math.nan, math.nan
    below, above = statistic(float(jumps[0]) - 1), statistic(float(jumps[-1]) + 1)
    z = float(special.ndtri(1 - alpha / 2))
    if not (math.isfinite(below) and math.isfinite(above)) or below - z <= 0 or above + z >= 0:
        return estimate, math.nan, math.nan  # no shift is rejected: no 95 % interval (R warns)
    low = _crossing(lambda mu: statistic(mu) - z, jumps, outside=below - z)
    high = _crossing(lambda mu: statistic(mu) + z, jumps, outside=below + z)
    return estimate, low, high
