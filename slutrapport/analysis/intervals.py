"""Confidence intervals and multiplicity adjustment on plain counts and arrays.

Pure functions without any knowledge of surveys, used by :mod:`.changes`
(differences between waves) and for error bars in charts:

- :func:`wilson_interval`: Wilson score interval for one proportion
  (Wilson 1927; Newcombe 1998a, method 3).
- :func:`newcombe_difference`: hybrid score ("square-and-add") interval for the
  difference between two independent proportions (Newcombe 1998a, method 10).
- :func:`newcombe_paired_difference`: square-and-add interval for the
  difference between two paired proportions (Newcombe 1998b, method 10).
- :func:`t_interval_mean`, :func:`t_interval_summary`: Student-t interval for
  a mean, from the values or from mean, sd and n (also the paired-t interval
  of a mean difference, from the differences).
- :func:`welch_interval`: Welch's t interval for the difference between the
  means of two independent samples (R's ``t.test(later, earlier)``).
- :func:`holm`: Holm's step-down adjustment of p-values, NaN-aware.

:func:`mean_intervals` applies the interval of a mean and of a share to every
cell of the comparison table (``medel``, ``sd``, ``andel_positiva`` and ``n``
of :func:`~.describe.compare_waves`), for the charts' error bars.

Every difference is *later minus earlier* (``p2 - p1``, after − before), so a
positive value means an increase. Nothing here formats text.

References
----------
Newcombe RG (1998a). Interval estimation for the difference between
independent proportions: comparison of eleven methods. Stat Med 17:873–890.

Newcombe RG (1998b). Improved confidence intervals for the difference between
binomial proportions based on paired data. Stat Med 17:2635–2650.

Holm S (1979). A simple sequentially rejective multiple test procedure.
Scand J Stat 6:65–70.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import special

if TYPE_CHECKING:
    from slutrapport.sources.survey.ingest import SurveyData

__all__ = [
    "wilson_interval",
    "newcombe_difference",
    "newcombe_paired_difference",
    "t_interval_mean",
    "t_interval_summary",
    "welch_interval",
    "holm",
    "adjust_sorted",
    "INTERVAL_COLUMNS",
    "mean_intervals",
]

INTERVAL_COLUMNS = ["niva", "id", "grupp", "enkat", "medel_ci_lag", "medel_ci_hog", "andel_ci_lag", "andel_ci_hog"]

_NAN2 = (math.nan, math.nan)


def _z(confidence: float) -> float:
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence}")
    return _normal_quantile(1 - (1 - confidence) / 2)


@functools.lru_cache(maxsize=64)
def _normal_quantile(q: float) -> float:
    """``stats.norm.ppf(q)`` (= ``special.ndtri``), cached: the same level is asked for thousands of times."""
    return float(special.ndtri(q))


def _t_quantile(q: float, df: float) -> float:
    """``stats.t.ppf(q, df)`` for 0 < q < 1 and df > 0 (= ``special.stdtrit``), without the wrapper's overhead."""
    return float(special.stdtrit(df, q))


def _check_count(k: int, n: int) -> None:
    if n < 0 or k < 0 or k > n:
        raise ValueError(f"need 0 <= k <= n, got k={k}, n={n}")


def wilson_interval(k: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a proportion ``k / n``.

    Parameters
    ----------
    k : int
        Number of successes, ``0 <= k <= n``.
    n : int
        Number of trials.
    confidence : float, default 0.95
        Confidence level.

    Returns
    -------
    tuple of float
        ``(low, high)``, within [0, 1]; ``(nan, nan)`` when ``n == 0``.
    """
    _check_count(k, n)
    if n == 0:
        return _NAN2
    z = _z(confidence)
    z2 = z * z
    p = k / n
    centre = (k + z2 / 2) / (n + z2)
    half = z * math.sqrt(n * p * (1 - p) + z2 / 4) / (n + z2)
    # Exact 0 and 1 at the boundaries instead of 1e-17 rounding noise.
    low = 0.0 if k == 0 else max(0.0, centre - half)
    high = 1.0 if k == n else min(1.0, centre + half)
    return low, high


def newcombe_difference(
    k1: int, n1: int, k2: int, n2: int, confidence: float = 0.95
) -> tuple[float, float, float]:
    """Newcombe's hybrid score interval for ``p2 - p1`` (two independent samples).

    Method 10 of Newcombe (1998a): the Wilson intervals ``(l1, u1)`` and
    ``(l2, u2)`` of the two proportions are combined as
    ``d - sqrt((p2 - l2)^2 + (u1 - p1)^2)`` to
    ``d + sqrt((u2 - p2)^2 + (p1 - l1)^2)`` with ``d = p2 - p1``.

    Parameters
    ----------
    k1, n1 : int
        Successes and trials in the earlier sample.
    k2, n2 : int
        Successes and trials in the later sample.
    confidence : float, default 0.95
        Confidence level.

    Returns
    -------
    tuple of float
        ``(diff, low, high)`` with ``diff = k2/n2 - k1/n1``; all NaN when a
        sample is empty.
    """
    _check_count(k1, n1)
    _check_count(k2, n2)
    if n1 == 0 or n2 == 0:
        return math.nan, math.nan, math.nan
    p1, p2 = k1 / n1, k2 / n2
    l1, u1 = wilson_interval(k1, n1, confidence)
    l2, u2 = wilson_interval(k2, n2, confidence)
    diff = p2 - p1
    low = diff - math.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2)
    high = diff + math.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)
    return diff, max(-1.0, low), min(1.0, high)


def newcombe_paired_difference(
    a: int, b: int, c: int, d: int, confidence: float = 0.95
) -> tuple[float, float, float]:
    """Newcombe's square-and-add interval for a difference of paired proportions.

    The 2×2 table of before × after counts is::

                        after +   after −
        before +          a         b
        before −          c         d

    so the share before is ``(a + b) / n`` and after ``(a + c) / n``. Method 10
    of Newcombe (1998b) combines the Wilson intervals of the two marginal
    shares, allowing for their correlation through the phi coefficient of the
    table, with phi's numerator ``ad − bc`` shrunk by ``n/2`` when positive
    (set to 0 when ``0 <= ad − bc <= n/2``), and phi = 0 when a margin is
    empty.

    Parameters
    ----------
    a, b, c, d : int
        Cell counts as above (positive both times, positive → not,
        not → positive, not positive either time).
    confidence : float, default 0.95
        Confidence level.

    Returns
    -------
    tuple of float
        ``(diff, low, high)`` with ``diff = (c − b) / n``, the share after minus
        the share before; all NaN when the table is empty.
    """
    for count in (a, b, c, d):
        if count < 0:
            raise ValueError(f"counts must be >= 0, got {(a, b, c, d)}")
    n = a + b + c + d
    if n == 0:
        return math.nan, math.nan, math.nan
    before, after = a + b, a + c
    p1, p2 = before / n, after / n
    l1, u1 = wilson_interval(before, n, confidence)
    l2, u2 = wilson_interval(after, n, confidence)
    margins = (a + b) * (c + d) * (a + c) * (b + d)
    if margins == 0:
        phi = 0.0
    else:
        cross = a * d - b * c
        if cross > n / 2:
            cross -= n / 2
        elif cross >= 0:
            cross = 0
        phi = cross / math.sqrt(margins)
    # Newcombe writes the interval for before − after (theta = p1 − p2):
    #   L = theta − sqrt(dl1² − 2 phi dl1 du2 + du2²), U = theta + sqrt(du1² − 2 phi du1 dl2 + dl2²)
    # with dl = p − l and du = u − p. After − before is −theta, so the limits swap.
    dl1, du1, dl2, du2 = p1 - l1, u1 - p1, p2 - l2, u2 - p2
    theta = p1 - p2
    low_theta = theta - math.sqrt(max(0.0, dl1**2 - 2 * phi * dl1 * du2 + du2**2))
    high_theta = theta + math.sqrt(max(0.0, du1**2 - 2 * phi * du1 * dl2 + dl2**2))
    # 0.0 - x rather than -x: no negative zeros in the output.
    return (c - b) / n, max(-1.0, 0.0 - high_theta), min(1.0, 0.0 - low_theta)


def t_interval_mean(values: Sequence[float] | np.ndarray, confidence: float = 0.95) -> tuple[float, float, float]:
    """Student-t confidence interval for the mean of ``values``.

    NaN values are ignored. The interval is ``mean ± t(n−1) · sd / √n`` with
    the sample standard deviation (ddof=1); see :func:`t_interval_summary`.

    Parameters
    ----------
    values : array-like of float
        The observations.
    confidence : float, default 0.95
        Confidence level.

    Returns
    -------
    tuple of float
        ``(mean, low, high)``. With fewer than two values the limits are NaN
        (the mean is NaN with none); when all values are equal the interval
        collapses to the mean.
    """
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    if x.size == 0:
        _z(confidence)  # validates the level
        return math.nan, math.nan, math.nan
    mean = float(x.mean())
    sd = float(x.std(ddof=1)) if x.size >= 2 else math.nan
    return (mean, *t_interval_summary(mean, sd, int(x.size), confidence))


def t_interval_summary(mean: float, sd: float, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Student-t confidence interval for a mean from summary statistics.

    Parameters
    ----------
    mean : float
        The sample mean.
    sd : float
        The sample standard deviation (ddof=1).
    n : int
        The number of observations.
    confidence : float, default 0.95
        Confidence level.

    Returns
    -------
    tuple of float
        ``(low, high)`` = ``mean ± t(n−1) · sd / √n``; NaN when ``n < 2`` or
        an input is NaN, ``(mean, mean)`` when ``sd == 0``.
    """
    _z(confidence)  # validates the level
    if n < 2 or math.isnan(mean) or math.isnan(sd):
        return _NAN2
    se = sd / math.sqrt(n)
    if se == 0:
        return mean, mean
    t = _t_quantile(1 - (1 - confidence) / 2, n - 1)
    return mean - t * se, mean + t * se


def welch_interval(
    earlier: Sequence[float] | np.ndarray, later: Sequence[float] | np.ndarray, confidence: float = 0.95
) -> tuple[float, float]:
    """Welch's t interval for ``mean(later) − mean(earlier)`` (independent samples).

    ``diff ± t(ν) · se`` with ``se² = s₁²/n₁ + s₂²/n₂`` and the
    Welch–Satterthwaite ``ν`` (R: ``t.test(later, earlier)$conf.int``).

    Returns
    -------
    tuple of float
        ``(low, high)``; NaN when a sample has fewer than two values,
        ``(diff, diff)`` when both samples are constant (as :func:`t_interval_summary`).
    """
    _z(confidence)  # validates the level
    x, y = np.asarray(earlier, dtype=float), np.asarray(later, dtype=float)
    if x.size < 2 or y.size < 2:
        return _NAN2
    diff = float(y.mean() - x.mean())
    v1, v2 = float(x.var(ddof=1)) / x.size, float(y.var(ddof=1)) / y.size
    se = math.sqrt(v1 + v2)
    if se == 0:
        return diff, diff
    df = (v1 + v2) ** 2 / (v1**2 / (x.size - 1) + v2**2 / (y.size - 1))
    t = _t_quantile(1 - (1 - confidence) / 2, df)
    return diff - t * se, diff + t * se


def holm(pvalues: Sequence[float] | np.ndarray) -> np.ndarray:
    """Holm–Bonferroni adjusted p-values.

    Parameters
    ----------
    pvalues : array-like of float
        Unadjusted p-values; NaN marks a test that could not be computed.

    Returns
    -------
    ndarray of float
        Adjusted p-values in the input order: ``p_(i) · (m − i + 1)`` made
        monotone and capped at 1, where ``m`` counts only the non-NaN values.
        NaN stays NaN.
    """
    return adjust_sorted(pvalues, lambda ordered, m: np.minimum(np.maximum.accumulate(ordered * (m - np.arange(m))), 1.0))


def adjust_sorted(pvalues: Sequence[float] | np.ndarray, step: Callable[[np.ndarray, int], np.ndarray]) -> np.ndarray:
    """Adjusted p-values by a step-up or step-down rule.

    ``step(ordered, m)`` gets the non-NaN p-values sorted ascending and their
    count ``m`` and returns their adjusted values in that order; the result
    is in the input order, NaN stays NaN (a test that could not be computed
    is not counted in ``m``).
    """
    p = np.asarray(pvalues, dtype=float)
    out = np.full(p.shape, np.nan)
    finite = ~np.isnan(p)
    m = int(finite.sum())
    if m == 0:
        return out
    values = p[finite]
    if ((values < 0) | (values > 1)).any():
        raise ValueError("p-values must be between 0 and 1")
    order = np.argsort(values, kind="stable")
    result = np.empty(m)
    result[order] = step(values[order], m)
    out[finite] = result
    return out


def mean_intervals(comparison: pd.DataFrame, survey: SurveyData | None = None) -> pd.DataFrame:
    """95 % intervals of the mean and of the share positive for each cell (error bars).

    Both intervals are computed from the comparison table's own ``n``,
    ``medel``, ``sd`` and ``andel_positiva`` (the share times ``n`` is the
    whole number of positive answers), which determine them exactly; the
    bars therefore always belong to the numbers shown and no anonymity
    threshold or grouping has to be repeated.

    Parameters
    ----------
    comparison : DataFrame
        The table from :func:`~.describe.compare_waves`.
    survey : SurveyData, optional
        Not needed; accepted so that it can be called like
        :func:`~.changes.wave_changes` and :func:`~.groups.group_differences`.

    Returns
    -------
    DataFrame
        One row per row of ``comparison``, in its order:

        - ``niva``, ``id``, ``grupp``, ``enkat``: the cell
        - ``medel_ci_lag``, ``medel_ci_hog``: Student-t interval of the mean
          (:func:`t_interval_summary`)
        - ``andel_ci_lag``, ``andel_ci_hog``: Wilson interval of the share
          positive (:func:`wilson_interval`)

        All four are NaN for a suppressed cell or one with fewer than 2 values.
    """
    del survey  # the comparison holds everything needed
    n = pd.to_numeric(comparison["n"], errors="coerce").fillna(0).astype(int).to_numpy()
    hidden = comparison["undertryckt"].astype(bool).to_numpy()
    rows = []
    for i, (mean, sd, share) in enumerate(zip(comparison["medel"], comparison["sd"], comparison["andel_positiva"], strict=True)):
        limits = (math.nan,) * 4
        if not hidden[i] and n[i] >= 2:
            positives = int(round(float(share) * n[i]))
            limits = (*t_interval_summary(float(mean), float(sd), int(n[i])), *wilson_interval(positives, int(n[i])))
        rows.append(limits)
    table = pd.DataFrame(rows, columns=INTERVAL_COLUMNS[4:], dtype=float)
    keys = comparison[["niva", "id", "grupp", "enkat"]].reset_index(drop=True).astype({"enkat": str})
    return pd.concat([keys, table], axis=1)[INTERVAL_COLUMNS]
