"""The paired rows of :func:`~.changes.wave_changes` (every answer linked) for many pairs of waves at once.

The same tests as ``changes._pair_rows`` on paired waves (:mod:`.stattests`):
the Wilcoxon signed-rank test from the counts of the rounded differences by
size (:func:`~.counts._signed_rank_counts`'s formulas on a table of all
pairs), McNemar's chi-square with Edwards' correction from the four kinds of
pair (``special.chdtrc`` behind ``stats.chi2.sf``), the paired t interval of
the mean difference from sums, Newcombe's paired interval pair by pair. The
exact tests (fewer than 50 differences without ties or zeros, fewer than 25
discordant pairs), NaN values and the Hodges–Lehmann shift of
:mod:`.shift` stay one pair at a time.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pandas as pd
from scipy import special

from slutrapport.analysis.change_rows import _chunks, _linked_sample, _Registry, _Rows, _shifted, _t_ppf
from slutrapport.analysis.intervals import newcombe_paired_difference
from slutrapport.analysis.stattests import _EXACT_LIMIT, _MCNEMAR_EXACT_LIMIT, _RANK_BISERIAL, _finite, _mcnemar, _Result

__all__: list[str] = []  # helpers of the analysis folder only

_DECIMALS = 9  # as stattests._wilcoxon rounds the differences


def _paired_batch(
    reg: _Registry,
    c1: np.ndarray,
    c2: np.ndarray,
    index1: list[np.ndarray],
    index2: list[np.ndarray],
    one_by_one: Callable[[int], _Rows],
    shift: Callable[[int], dict],
) -> list[_Rows]:
    """``changes._pair_rows`` for every fully linked pair of waves; ``shift(j)`` the Hodges–Lehmann columns."""
    if not len(c1):
        return []
    parts = _chunks([len(i) for i in index1])
    if len(parts) > 1:  # a very large survey: a few million linked pairs at a time
        return [
            row
            for part in parts
            for row in _paired_batch(reg, c1[part], c2[part], index1[part], index2[part], _shifted(one_by_one, part), _shifted(shift, part))
        ]
    at1, at2, ids, n12, _ = _linked_sample(reg, c1, c2, index1, index2)
    x, y = reg.values[at1], reg.values[at2]
    size = n12.size
    bad = np.bincount(ids, weights=np.isnan(x) | np.isnan(y), minlength=size) > 0
    wilcoxon, exact = _signed_ranks(np.round(y - x, _DECIMALS), ids, n12)
    joint = np.bincount(ids * 4 + reg.positive[at1].astype(np.int64) * 2 + reg.positive[at2], minlength=size * 4).reshape(size, 4)
    mean_low, mean_high = _paired_t(y - x, ids, n12)
    rows: list[_Rows] = []
    for j in range(size):
        if bad[j] or exact[j]:
            rows.append(one_by_one(j))
            continue
        d, c, b, a = (int(v) for v in joint[j])  # codes 0 (−,−), 1 (−,+), 2 (+,−), 3 (+,+)
        share, low, high = newcombe_paired_difference(a, b, c, d)
        common = {
            "parad": True,
            "n_fran": int(n12[j]),
            "n_till": int(n12[j]),
            "n_par": int(n12[j]),
            "diff_medel": float(reg.mean[c2[j]] - reg.mean[c1[j]]),
            "diff_andel_positiva": share,
            "ci_lag": low,
            "ci_hog": high,
            "diff_medel_lag": float(mean_low[j]),
            "diff_medel_hog": float(mean_high[j]),
        }
        rows.append((common, [wilcoxon[j], _mcnemar_fast(b, c, share)], shift(j)))
    return rows


def _mcnemar_fast(b: int, c: int, effect: float) -> _Result:
    """``stattests._mcnemar``: its chi-square branch here, the exact binomial test by that function."""
    discordant = b + c
    if discordant < _MCNEMAR_EXACT_LIMIT:
        return _mcnemar(b, c, effect)
    statistic = (abs(b - c) - 1) ** 2 / discordant
    p = 1.0 if statistic <= 0 else float(special.chdtrc(1.0, statistic))  # stats.chi2.sf(statistic, 1)
    return _Result("mcnemar", float(statistic), p, effect, "andelsskillnad")


def _signed_ranks(diff: np.ndarray, ids: np.ndarray, sizes: np.ndarray) -> tuple[list[_Result], np.ndarray]:
    """``stattests._wilcoxon`` of each pair's rounded differences, and where its exact test decides (None there)."""
    pairs = sizes.size
    nonzero = (diff != 0) & ~np.isnan(diff)  # pairs with NaN go one at a time
    count = np.bincount(ids, weights=nonzero, minlength=pairs).astype(np.int64)
    codes, uniques = pd.factorize(np.abs(diff[nonzero]))
    rank = np.empty(uniques.size, dtype=np.int64)
    rank[np.argsort(uniques, kind="stable")] = np.arange(uniques.size)
    width = max(uniques.size, 1)
    owner = ids[nonzero]
    cell = owner * width + rank[codes]
    up = np.bincount(cell[diff[nonzero] > 0], minlength=pairs * width).reshape(pairs, width)
    down = np.bincount(cell[diff[nonzero] < 0], minlength=pairs * width).reshape(pairs, width)
    pooled = up + down
    distinct = np.count_nonzero(pooled, axis=1)
    exact = (count < _EXACT_LIMIT) & (count == sizes) & (distinct == count) & (count > 0)
    ranks = np.cumsum(pooled, axis=1) - pooled + (pooled + 1) / 2
    r_plus = np.sum(up * ranks, axis=1)
    r_minus = np.sum(down * ranks, axis=1)
    n = count.astype(float)
    t = pooled.astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        mn = n * (n + 1.0) * 0.25
        se = n * (n + 1.0) * (2.0 * n + 1.0)
        se = np.sqrt((se - np.sum(t**3 - t, axis=1) / 2) / 24)
        z = (r_plus - mn) / se
        z = z - np.sign(z) * 0.5 / se
        p = 2 * special.ndtr(-np.abs(z))
        effect = (r_plus - r_minus) / (r_plus + r_minus)
    results = []
    for j in range(pairs):
        if count[j] == 0:
            results.append(_Result("wilcoxon", measure=_RANK_BISERIAL))
        else:
            results.append(_Result("wilcoxon", _finite(min(r_plus[j], r_minus[j])), _finite(p[j]), float(effect[j]), _RANK_BISERIAL))
    return results, exact


def _paired_t(diff: np.ndarray, ids: np.ndarray, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``intervals.t_interval_mean(later − earlier)``'s limits per pair (NaN below two pairs)."""
    n = sizes.astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.bincount(ids, weights=diff, minlength=sizes.size) / n
        sd = np.sqrt(np.bincount(ids, weights=(diff - mean[ids]) ** 2, minlength=sizes.size) / (n - 1))
        se = sd / np.sqrt(n)
        t = _t_ppf(0.975, np.where(sizes >= 2, n - 1, 1.0))
        low = np.where(se == 0, mean, mean - t * se)
        high = np.where(se == 0, mean, mean + t * se)
    small = sizes < 2
    return np.where(small, math.nan, low), np.where(small, math.nan, high)
