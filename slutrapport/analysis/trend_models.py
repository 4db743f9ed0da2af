"""The per-cell trend models of :mod:`.trend`: one question or index and group at a time.

:func:`_trend` is the direct computation of one trend from its cells (one per
wave): the Jonckheere–Terpstra test with the least-squares line, Page's test
with the people's mean line, or the random-intercept mixed model fitted by
REML (:func:`~.trend_reml._reml`). :mod:`.trend` computes the same numbers for every trend
at once from count tables and integer linking codes, and falls back on
:func:`_trend` where its assumptions do not hold; the tests compare the two.
See :mod:`.trend` for the definitions.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from scipy import special

from slutrapport.analysis.cells import _Cell, _linked
from slutrapport.analysis.stattests import _quiet, _Result
from slutrapport.analysis.trend_reml import _reml
from slutrapport.core.lazy import lazy_module

stats = lazy_module("scipy.stats")  # Page's test only

__all__: list[str] = []

_Z = float(special.ndtri(0.975))  # equals stats.norm.ppf(0.975) to the bit


@dataclass(frozen=True)
class _Trend:
    """One trend test: the result, the slope per wave with its 95 % interval and the fitted line per wave."""

    result: _Result
    slope: float = math.nan
    low: float = math.nan
    high: float = math.nan
    paired: bool = False
    n_linked: int = 0  # people with answers in at least two of the waves
    line: list[tuple[float, float, float]] = field(default_factory=list)  # (fitted, low, high) per wave


def _jonckheere(samples: list[np.ndarray]) -> _Result:
    """Jonckheere–Terpstra test of an increasing trend over ``samples`` in order, two-sided."""
    sizes = np.array([len(s) for s in samples], dtype=float)
    total = sizes.sum()
    if len(samples) < 2 or (sizes == 0).any():
        return _Result("jonckheere", measure="rangbiserial_ordnad")
    j = 0.0
    for i, earlier in enumerate(samples):
        ordered = np.sort(earlier)
        for later in samples[i + 1 :]:
            below = np.searchsorted(ordered, later, side="left")
            at_or_below = np.searchsorted(ordered, later, side="right")
            j += float(below.sum() + 0.5 * (at_or_below - below).sum())
    _, ties = np.unique(np.concatenate(samples), return_counts=True)
    return _jonckheere_result(j, total, sizes, ties.astype(float))


def _jonckheere_result(j: float, total: float, sizes: np.ndarray, ties: np.ndarray) -> _Result:
    """The two-sided test of the statistic ``j`` from the wave sizes and the tie counts (the normal approximation
    with the tie-corrected variance)."""
    pairs = (total**2 - (sizes**2).sum()) / 2
    n = total
    variance = (
        (n * (n - 1) * (2 * n + 5) - (sizes * (sizes - 1) * (2 * sizes + 5)).sum() - (ties * (ties - 1) * (2 * ties + 5)).sum()) / 72
        + (sizes * (sizes - 1) * (sizes - 2)).sum() * (ties * (ties - 1) * (ties - 2)).sum() / (36 * n * (n - 1) * (n - 2))
        + (sizes * (sizes - 1)).sum() * (ties * (ties - 1)).sum() / (8 * n * (n - 1))
    ) if n > 2 else 0.0  # fmt: skip
    effect = 2 * j / pairs - 1 if pairs else math.nan
    if not variance > 0:
        return _Result("jonckheere", j, math.nan, effect, "rangbiserial_ordnad")
    z = (j - pairs / 2) / math.sqrt(variance)
    return _Result("jonckheere", j, float(2 * special.ndtr(-abs(z))), effect, "rangbiserial_ordnad")


def _page(matrix: np.ndarray) -> _Result:
    """Page's test on people × waves, two-sided; effect the mean Spearman correlation with the wave order."""
    n, k = matrix.shape
    if n < 2 or k < 3 or (matrix == matrix[:, :1]).all():
        return _Result("page", measure="spearman_medel")
    up = _quiet(stats.page_trend_test, matrix)
    down = _quiet(stats.page_trend_test, matrix[:, ::-1])
    if up is None or down is None:
        return _Result("page", measure="spearman_medel")
    p = min(1.0, 2 * min(float(up.pvalue), float(down.pvalue)))
    effect = 12 * float(up.statistic) / (n * k * (k**2 - 1)) - 3 * (k + 1) / (k - 1)
    return _Result("page", float(up.statistic), p, effect, "spearman_medel")


def _ols(x: np.ndarray, y: np.ndarray, positions: list[int]) -> tuple[float, float, float, list[tuple[float, float, float]]]:
    """Least-squares slope with its 95 % t interval, and the fitted line with its band at ``positions``."""
    n = len(y)
    design = np.column_stack([np.ones(n), x])
    if n < 3 or np.ptp(x) == 0:
        return math.nan, math.nan, math.nan, []
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    residual = y - design @ coef
    sigma2 = float(residual @ residual) / (n - 2)
    cov = sigma2 * np.linalg.inv(design.T @ design)
    return _with_band(coef, cov, float(special.stdtrit(n - 2, 0.975)), positions)


def _with_band(coef: np.ndarray, cov: np.ndarray, critical: float, positions: list[int]) -> tuple[float, float, float, list[tuple[float, float, float]]]:
    half = critical * math.sqrt(max(float(cov[1, 1]), 0.0))
    line = []
    for x in positions:
        point = np.array([1.0, float(x)])
        fitted = float(point @ coef)
        spread = critical * math.sqrt(max(float(point @ cov @ point), 0.0))
        line.append((fitted, fitted - spread, fitted + spread))
    return float(coef[1]), float(coef[1]) - half, float(coef[1]) + half, line


def _mixed(x: np.ndarray, y: np.ndarray, groups: np.ndarray | None, positions: list[int], person: np.ndarray | None = None) -> _Trend | None:
    """The random-intercept trend (:func:`~.trend_reml._reml`); None when it cannot be fitted."""
    return _mixed_trend(_reml(x, y, groups, person), positions)


def _mixed_trend(fitted: tuple[np.ndarray, np.ndarray, float, float] | None, positions: list[int]) -> _Trend | None:
    """The trend of a REML fit (coefficients, their covariance, residual and person variance); None without one."""
    if fitted is None:
        return None
    coef, cov, scale, person_variance = fitted
    if not (np.isfinite(cov).all() and cov[1, 1] > 0):
        return None
    slope, low, high, line = _with_band(coef, cov, _Z, positions)
    z = slope / math.sqrt(cov[1, 1])
    effect = slope / math.sqrt(scale + person_variance)
    result = _Result("trend_lmm", z, float(2 * special.ndtr(-abs(z))), effect, "lutning_sd")
    return _Trend(result, slope, low, high, line=line)


def _person_slopes(matrix: np.ndarray, positions: list[int]) -> tuple[float, float, float, list[tuple[float, float, float]]]:
    """Mean of each person's least-squares slope (t interval), and the mean fitted line with its band."""
    x = np.asarray(positions, dtype=float)
    n = matrix.shape[0]
    centred = x - x.mean()
    slopes = matrix @ centred / (centred @ centred)
    intercepts = matrix.mean(axis=1) - slopes * x.mean()
    if n < 2:
        return math.nan, math.nan, math.nan, []
    critical = float(special.stdtrit(n - 1, 0.975))
    stacked = np.column_stack([intercepts, slopes])
    coef = stacked.mean(axis=0)
    cov = np.cov(stacked, rowvar=False, ddof=1) / n
    return _with_band(coef, cov, critical, positions)


def _trend(cells: list[_Cell], positions: list[int], niva: str) -> _Trend:
    """The trend test of one question or index and group across ``cells`` (one per wave, at ``positions``)."""
    y = np.concatenate([cell.values for cell in cells]).astype(float)
    x = np.concatenate([np.full(len(cell), pos, dtype=float) for cell, pos in zip(cells, positions, strict=True)])
    keys = [key for cell in cells for key in cell.keys]
    counts = Counter(key for key in keys if key is not None)
    n_linked = sum(1 for count in counts.values() if count >= 2)
    linked = _linked(cells)
    fully = len(linked[0]) >= 2 and all(len(pos) == len(cell) for pos, cell in zip(linked, cells, strict=True))
    if niva == "index" and n_linked:
        groups = np.array([key if key is not None and counts.get(key, 0) >= 2 else f"\0{i}" for i, key in enumerate(keys)], dtype=object)
        fitted = _mixed(x, y, groups, positions)
        if fitted is not None:
            return _Trend(fitted.result, fitted.slope, fitted.low, fitted.high, False, n_linked, fitted.line)
        return _Trend(_Result("trend_lmm", measure="lutning_sd"), n_linked=n_linked)
    if niva != "index" and fully:
        matrix = np.column_stack([cell.values[pos] for cell, pos in zip(cells, linked, strict=True)])
        slope, low, high, line = _person_slopes(matrix, positions)
        return _Trend(_page(matrix), slope, low, high, True, n_linked, line)
    slope, low, high, line = _ols(x, y, positions)
    return _Trend(_jonckheere([cell.values for cell in cells]), slope, low, high, False, n_linked, line)
