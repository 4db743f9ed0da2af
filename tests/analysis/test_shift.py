"""Hodges–Lehmann shifts and mean-difference intervals, against brute-force reimplementations of R.

No R is available here, so each reference is computed independently of the
code under test, the way R documents it (``stats:::wilcox.test.default``,
R 4.4):

- the estimate by brute force over every pairwise difference / Walsh average;
- the exact interval from the null distribution enumerated over every
  subset of ranks (every sign pattern) and R's order-statistic rule
  ``c(diffs[qu], diffs[N - qu + 1])`` with ``qu = qwilcox(alpha/2, ...)``;
- the normal-approximation interval with R's own ``wdiff``/``W`` function
  solved by Brent's method (``scipy.optimize.brentq``, as R's ``uniroot`` with
  ``tol = 1e-4``), including R's endpoint rule and its "conf.level not
  achievable" rule.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from scipy import optimize, stats

from slutrapport.analysis.intervals import t_interval_mean, welch_interval
from slutrapport.analysis.shift import hodges_lehmann_independent, hodges_lehmann_paired

Z = stats.norm.ppf(0.975)
ALPHA = 0.05
TOL = 1e-3  # uniroot's tol = 1e-4, with room


# --- references -------------------------------------------------------------------------------


def _r_qu(distribution: list[int], alpha: float = ALPHA) -> int:
    """R's qwilcox / qsignrank(alpha/2, ...) from an enumerated distribution of the statistic."""
    values, counts = np.unique(distribution, return_counts=True)
    cdf = np.cumsum(counts) / len(distribution)
    q = int(values[np.argmax(cdf >= alpha / 2 - 1e-12)])
    return max(q, 1)


def _ref_independent(earlier, later):
    """R: wilcox.test(later, earlier, conf.int = TRUE) — x = later, y = earlier."""
    x, y = np.asarray(later, float), np.asarray(earlier, float)
    nx, ny = len(x), len(y)
    diffs = sorted(b - a for b in x for a in y)
    estimate = float(np.median(diffs))
    pooled = np.concatenate([x, y])
    if nx < 50 and ny < 50 and len(set(pooled)) == len(pooled):
        # Null distribution of W = rank sum of x - nx(nx+1)/2 over every subset of ranks.
        n = nx + ny
        dist = [sum(c) - nx * (nx + 1) // 2 for c in itertools.combinations(range(1, n + 1), nx)]
        qu = _r_qu(dist)
        achieved = 2 * np.mean(np.asarray(dist) <= qu - 1)
        if achieved - ALPHA > ALPHA / 2:
            return estimate, math.nan, math.nan
        ql = nx * ny - qu
        return estimate, diffs[qu - 1], diffs[ql]

    def wdiff(d, zq):  # R's wdiff, line by line
        dr = stats.rankdata(np.concatenate([np.round(x - d, 9), y]))
        _, nties = np.unique(dr, return_counts=True)
        dz = dr[:nx].sum() - nx * (nx + 1) / 2 - nx * ny / 2
        correction = np.sign(dz) * 0.5
        sigma = math.sqrt((nx * ny / 12) * ((nx + ny + 1) - (nties**3 - nties).sum() / ((nx + ny) * (nx + ny - 1))))
        return (dz - correction) / sigma - zq

    mumin, mumax = x.min() - y.max(), x.max() - y.min()

    def root(zq):
        f_lower = wdiff(mumin, zq)
        if f_lower <= 0:
            return mumin
        f_upper = wdiff(mumax, zq)
        if f_upper >= 0:
            return mumax
        return optimize.brentq(wdiff, mumin, mumax, args=(zq,), xtol=1e-4)

    return estimate, root(Z), root(-Z)


def _ref_paired(earlier, later):
    """R: wilcox.test(later, earlier, paired = TRUE, conf.int = TRUE)."""
    x = np.asarray(later, float) - np.asarray(earlier, float)
    x = np.round(x, 9)
    x = x[x != 0]  # R: if (ZEROES) x <- x[x != 0]
    n = len(x)
    walsh = sorted((x[i] + x[j]) / 2 for i in range(n) for j in range(i, n))
    estimate = float(np.median(walsh))
    ranks = stats.rankdata(np.abs(x))
    if n < 50 and len(set(ranks)) == n:
        # Null distribution of V over every sign pattern of the ranks 1..n.
        dist = [sum(r for r, s in zip(range(1, n + 1), signs, strict=True) if s) for signs in itertools.product([0, 1], repeat=n)]
        qu = _r_qu(dist)
        achieved = 2 * np.mean(np.asarray(dist) <= qu - 1)
        if achieved - ALPHA > ALPHA / 2:
            return estimate, math.nan, math.nan
        ql = n * (n + 1) // 2 - qu
        return estimate, walsh[qu - 1], walsh[ql]

    def W(d):  # R's W, line by line
        xd = np.round(x - d, 9)
        xd = xd[xd != 0]
        nx = len(xd)
        if nx == 0:
            return math.nan  # 0 / 0 in R
        dr = stats.rankdata(np.abs(xd))
        zd = dr[xd > 0].sum() - nx * (nx + 1) / 4
        _, nties = np.unique(dr, return_counts=True)
        sigma = math.sqrt(nx * (nx + 1) * (2 * nx + 1) / 24 - (nties**3 - nties).sum() / 48)
        return (zd - np.sign(zd) * 0.5) / sigma

    wmin, wmax = W(x.min()), W(x.max())
    if not (math.isfinite(wmin) and math.isfinite(wmax)):
        return estimate, math.nan, math.nan
    if wmin - Z < 0 or wmax + Z > 0:
        # R doubles alpha here ("requested conf.level not achievable"), often only because the tied
        # extreme differences drop out at mu = min(x) or max(x). The documented deviation: the
        # 95 % test-inversion limits, or NaN when no shift at all is rejected.
        return (estimate, *_inversion(W, x))
    low = optimize.brentq(lambda d: W(d) - Z, x.min(), x.max(), xtol=1e-4)
    high = optimize.brentq(lambda d: W(d) + Z, x.min(), x.max(), xtol=1e-4)
    return estimate, low, high


def _inversion(W, x):
    """The shifts mu the two-sided test does not reject (|W(mu)| <= z), on a fine grid plus every Walsh average."""
    walsh = [(a + b) / 2 for a in x for b in x]
    grid = np.unique(np.concatenate([np.arange(x.min() - 1, x.max() + 1, 5e-4), walsh]))
    accepted = [mu for mu in grid if not abs(W(mu)) > Z]  # NaN (everything tied) counts as accepted
    if not accepted or accepted[0] == grid[0] or accepted[-1] == grid[-1]:
        return math.nan, math.nan
    return accepted[0], accepted[-1]


def _close(actual, expected):
    for a, e in zip(actual, expected, strict=True):
        if math.isnan(e):
            assert math.isnan(a), (actual, expected)
        else:
            assert a == pytest.approx(e, abs=TOL), (actual, expected)


# --- datasets ---------------------------------------------------------------------------------

# (earlier, later, which R branch the interval takes)
INDEPENDENT = {
    # continuous, no ties, n < 50: exact interval
    "exact": ([1.1, 2.3, 3.7, 4.2, 5.9, 6.4, 0.4], [2.8, 4.9, 5.5, 7.1, 8.0, 3.3, 6.6, 9.2]),
    # tied 1-5 Likert answers: normal approximation
    "likert": ([2, 3, 3, 4, 2, 5, 3, 1, 4, 4, 3, 2, 3, 3], [4, 3, 5, 4, 3, 5, 4, 2, 5, 5, 4, 3, 1, 4, 4]),
    # answers spread out: mean down, ranks up
    "spread": ([3] * 40 + [4] * 5 + [2] * 5, [4] * 33 + [1] * 17),
    # index scores (means of three items), float noise included
    "index": ([10 / 3, 11 / 3, 3.0, 4.0, 13 / 3, 8 / 3, 3.0, 11 / 3, 2.0, 4.0],
              [11 / 3, 4.0, 13 / 3, 4.0, 14 / 3, 3.0, 10 / 3, 4.0, 11 / 3, 5.0, 13 / 3]),
    # a clear shift in small tied samples: the interval hits R's endpoint rule or lies inside
    "small": ([1, 2, 2, 3, 2], [4, 5, 5, 4, 5]),
}  # fmt: skip

PAIRED = {
    # distinct non-zero differences, n < 50: exact interval
    "exact": ([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0], [1.5, 3.1, 2.8, 5.9, 5.4, 7.6, 8.7, 11.2, 9.1]),
    # tied 1-5 Likert answers with zero differences: normal approximation
    "likert": ([2, 3, 3, 4, 2, 5, 3, 1, 4, 4, 3, 2, 3, 3, 4, 2], [4, 3, 5, 4, 3, 5, 4, 2, 5, 5, 4, 3, 3, 4, 3, 4]),
    # spread out: the 3s move to 1 or 4/5, more up than down
    "spread": ([3] * 20, [1] * 6 + [3] * 2 + [4] * 8 + [5] * 4),
    # too few changes for a 95 % interval (R: "requested conf.level not achievable")
    "few": ([3, 3, 3, 3, 3, 3], [4, 5, 3, 4, 3, 2]),
    # all changes upward and tied: R's check at mu = min(x) fails (the tied 1s drop out there);
    # the test-inversion interval is [1; 1,5]
    "upward": ([2, 3, 3, 4, 2, 5, 3, 1, 4, 4, 3, 2, 3, 3, 4, 2], [4, 3, 5, 4, 3, 5, 4, 2, 5, 5, 4, 3, 3, 4, 4, 3]),
    # every change the same: R gives no interval ("all observations are zero or tied")
    "tied": ([3, 3, 3, 3, 3, 3], [4, 4, 3, 4, 4, 4]),
}


@pytest.mark.parametrize("name", sorted(INDEPENDENT))
def test_independent_shift_matches_r_algorithm(name):
    earlier, later = INDEPENDENT[name]
    actual = hodges_lehmann_independent(np.array(earlier, float), np.array(later, float))
    expected = _ref_independent(earlier, later)
    _close(actual, expected)
    assert expected[1] - TOL <= expected[0] <= expected[2] + TOL or math.isnan(expected[1])


@pytest.mark.parametrize("name", sorted(PAIRED))
def test_paired_shift_matches_r_algorithm(name):
    earlier, later = PAIRED[name]
    actual = hodges_lehmann_paired(np.array(earlier, float), np.array(later, float))
    _close(actual, _ref_paired(earlier, later))


def test_hand_checked_values():
    # R: wilcox.test(c(4, 5, 5, 4, 5), c(1, 2, 2, 3, 2), conf.int = TRUE)$estimate is the median of the
    # 25 differences later - earlier, counted by hand: 1 ×1, 2 ×7, 3 ×11, 4 ×6 -> the 13th is 3.
    assert hodges_lehmann_independent(np.array([1, 2, 2, 3, 2.0]), np.array([4, 5, 5, 4, 5.0]))[0] == 3
    # R: wilcox.test(d, conf.int = TRUE) with 9 distinct non-zero differences is exact;
    # qsignrank(0.025, 9) = 6 (P(V <= 5) = 10/512 < 0.025 <= P(V <= 6) = 14/512), so the limits are
    # the 6th smallest and the 6th largest of the 45 Walsh averages, the estimate their median.
    d = np.array([0.5, 1.1, -0.2, 1.9, 0.4, 1.6, 1.7, 3.2, 0.1])
    walsh = sorted((d[i] + d[j]) / 2 for i in range(9) for j in range(i, 9))
    estimate, low, high = hodges_lehmann_paired(np.zeros(9), d)
    assert (estimate, low, high) == pytest.approx((walsh[22], walsh[5], walsh[39]))


def test_spread_out_answers_shift_up_while_the_mean_falls():
    earlier, later = INDEPENDENT["spread"]
    assert np.mean(later) < np.mean(earlier)
    estimate, low, high = hodges_lehmann_independent(np.array(earlier, float), np.array(later, float))
    assert estimate > 0 and low <= estimate <= high


def test_degenerate_input():
    nan3 = hodges_lehmann_independent(np.array([]), np.array([1.0, 2.0]))
    assert all(math.isnan(v) for v in nan3)
    # every value tied: R stops ("cannot compute confidence interval when all observations are tied")
    estimate, low, high = hodges_lehmann_independent(np.array([3.0, 3, 3]), np.array([3.0, 3, 3, 3]))
    assert estimate == 0 and math.isnan(low) and math.isnan(high)
    assert all(math.isnan(v) for v in hodges_lehmann_paired(np.array([2.0, 3]), np.array([2.0, 3])))


# --- mean differences ---------------------------------------------------------------------------


def _welch_by_hand(earlier, later):
    """R: t.test(later, earlier)$conf.int (Welch), written out."""
    x, y = np.asarray(later, float), np.asarray(earlier, float)
    v1, v2 = x.var(ddof=1) / len(x), y.var(ddof=1) / len(y)
    df = (v1 + v2) ** 2 / (v1**2 / (len(x) - 1) + v2**2 / (len(y) - 1))
    half = stats.t.ppf(0.975, df) * math.sqrt(v1 + v2)
    return x.mean() - y.mean() - half, x.mean() - y.mean() + half


@pytest.mark.parametrize("name", sorted(INDEPENDENT))
def test_welch_interval(name):
    earlier, later = INDEPENDENT[name]
    expected = _welch_by_hand(earlier, later)
    assert welch_interval(earlier, later) == pytest.approx(expected, abs=1e-12)
    scipy_ci = stats.ttest_ind(later, earlier, equal_var=False).confidence_interval()
    assert expected == pytest.approx((scipy_ci.low, scipy_ci.high), abs=1e-9)


@pytest.mark.parametrize("name", sorted(PAIRED))
def test_paired_t_interval(name):
    # R: t.test(later, earlier, paired = TRUE)$conf.int
    earlier, later = PAIRED[name]
    ci = stats.ttest_rel(later, earlier).confidence_interval()
    _, low, high = t_interval_mean(np.asarray(later, float) - np.asarray(earlier, float))
    assert (low, high) == pytest.approx((ci.low, ci.high), abs=1e-9)


def test_welch_degenerate():
    assert all(math.isnan(v) for v in welch_interval([3.0], [1.0, 2.0]))
    assert welch_interval([3.0, 3.0], [4.0, 4.0, 4.0]) == (1.0, 1.0)
