"""Tests for two waves whose respondents are partly the same people (partially overlapping samples).

When some, but not all, of the answers of two waves come from people linked
by their personal code (``kod``, see :mod:`.cells`), every answer is used:
the linked people's pairs and the unlinked answers of each wave together.

- ``partover_t``: the partially overlapping samples t-test of Derrick, Russ,
  Toher and White (2017), "Test statistics for the comparison of means for
  two samples that include both paired and independent observations",
  Journal of Modern Applied Statistical Methods 16(1), 137–157; the statistic
  T_new2 (equal variances not assumed), as R's
  ``Partiallyoverlapping::Partover.test(x1, x2, x3, x4, var.equal = FALSE)``::

      t  = (mean₂ − mean₁) / sqrt(s₁²/n₁ + s₂²/n₂ − 2 r n₁₂ s₁ s₂ / (n₁ n₂))
      ν  = (n₁₂ − 1) + (γ − n₁₂ + 1) / (nₐ + n_b + 2 n₁₂) · (nₐ + n_b)

  where means and variances are over every answer of a wave (n₁, n₂ of them),
  r is the correlation of the n₁₂ linked pairs (0 when either side of the
  pairs is constant), nₐ and n_b the unlinked answers and γ Welch's degrees
  of freedom. The p-value is two-sided from t with ν degrees of freedom, the
  interval ``estimate ± t₀.₉₇₅,ν · se``. Used for index scores and also for
  the questions: Derrick and White ("Methods for comparing the responses
  from a Likert question, with paired observations and independent
  observations in each of two samples", International Journal of
  Mathematics and Statistics, 2018) found the partially overlapping t-tests
  Type I error robust on five- and seven-point Likert items, and more
  powerful than discarding the unlinked answers for a Wilcoxon or paired
  t-test; they recommend it for such data. (A combined rank test, e.g. a
  weighted z of a signed-rank test on the pairs and a Mann–Whitney test on
  the rest, was not chosen: it has no published interval to go with it.) The effect size is r = t / sqrt(t² + ν) (Rosenthal 1991), signed
  like the change, so the same limits as the rank-biserial correlation name
  its size (``effektmatt`` ``r_t``).
- ``partover_z``: the share positive with the partially overlapping samples
  z-test of Derrick, Dobson-McKittrick, Toher and White (2015), "Test
  statistics for comparing two proportions with partially overlapping
  samples", Journal of Applied Quantitative Methods 10(3); as R's
  ``Partiallyoverlapping::Prop.test(x1, x2, x3, x4)``::

      z = (p₂ − p₁) / sqrt(p̄(1 − p̄)(1/n₁ + 1/n₂ − 2 r n₁₂ / (n₁ n₂)))

  with p̄ the share over all answers of both waves and r the correlation of
  the linked pairs' 0/1 values; its interval is ``estimate ± 1.96 · se``.

Wave 1 of the formulas is the earlier wave, so a positive statistic is an
increase (R's functions subtract the other way round: call them with the
later wave first).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import special  # ndtr, ndtri, stdtr, stdtrit: stats.norm's and stats.t's sf and ppf to the bit

from slutrapport.analysis.stattests import _Result

__all__: list[str] = []  # helpers of the analysis folder only

_R_FROM_T = "r_t"
_SHARE_DIFFERENCE = "andelsskillnad"


@dataclass(frozen=True)
class _Overlap:
    """One partially overlapping comparison: the result and the difference with its 95 % interval."""

    result: _Result
    estimate: float
    low: float
    high: float


def _pair_correlation(x: np.ndarray, y: np.ndarray) -> float:
    """Pearson r of the linked pairs; 0 when either side is constant (as the R package)."""
    if len(x) < 2 or np.std(x) == 0 or np.std(y) == 0:
        return 0.0
    return float(np.corrcoef(x, y)[0, 1])


def _partover_t(earlier: np.ndarray, later: np.ndarray, pairs_earlier: np.ndarray, pairs_later: np.ndarray) -> _Overlap:
    """T_new2 on the unlinked answers of each wave and the linked pairs (positions aligned)."""
    first = np.concatenate([earlier, pairs_earlier]).astype(float)
    second = np.concatenate([later, pairs_later]).astype(float)
    n1, n2, n12 = len(first), len(second), len(pairs_earlier)
    empty = _Overlap(_Result("partover_t", measure=_R_FROM_T), math.nan, math.nan, math.nan)
    if n12 < 2 or n1 < 2 or n2 < 2:
        return empty
    estimate = float(second.mean() - first.mean())
    var1, var2 = float(first.var(ddof=1)), float(second.var(ddof=1))
    r = _pair_correlation(pairs_earlier, pairs_later)
    variance = var1 / n1 + var2 / n2 - 2 * r * n12 * math.sqrt(var1 * var2) / (n1 * n2)
    welch_denominator = (var1 / n1) ** 2 / (n1 - 1) + (var2 / n2) ** 2 / (n2 - 1)
    if not variance > 0 or welch_denominator == 0:
        return _Overlap(empty.result, estimate, math.nan, math.nan)
    se = math.sqrt(variance)
    statistic = estimate / se
    welch = (var1 / n1 + var2 / n2) ** 2 / welch_denominator
    unpaired = len(earlier) + len(later)
    df = (n12 - 1) + (welch - n12 + 1) / (unpaired + 2 * n12) * unpaired
    p = float(2 * special.stdtr(df, -abs(statistic)))
    half = float(special.stdtrit(df, 0.975)) * se
    effect = statistic / math.sqrt(statistic**2 + df)
    return _Overlap(_Result("partover_t", statistic, p, effect, _R_FROM_T), estimate, estimate - half, estimate + half)


def _partover_z(earlier: np.ndarray, later: np.ndarray, pairs_earlier: np.ndarray, pairs_later: np.ndarray) -> _Overlap:
    """The partially overlapping z-test of the share positive (0/1 arrays, pairs aligned)."""
    first = np.concatenate([earlier, pairs_earlier]).astype(float)
    second = np.concatenate([later, pairs_later]).astype(float)
    u, v, n12 = len(first), len(second), len(pairs_earlier)
    if n12 < 2 or u == 0 or v == 0:
        return _Overlap(_Result("partover_z", measure=_SHARE_DIFFERENCE), math.nan, math.nan, math.nan)
    estimate = float(second.mean() - first.mean())
    pooled = (first.sum() + second.sum()) / (u + v)
    w = pooled * (1 - pooled)
    r = _pair_correlation(pairs_earlier.astype(float), pairs_later.astype(float))
    variance = w / u + w / v - 2 * r * w * n12 / (u * v)
    if not variance > 0:
        return _Overlap(_Result("partover_z", effect=estimate, measure=_SHARE_DIFFERENCE), estimate, math.nan, math.nan)
    se = math.sqrt(variance)
    statistic = estimate / se
    p = float(2 * special.ndtr(-abs(statistic)))
    half = float(special.ndtri(0.975)) * se
    result = _Result("partover_z", statistic, p, estimate, _SHARE_DIFFERENCE)
    return _Overlap(result, estimate, estimate - half, estimate + half)
