"""The statistical tests behind :func:`~.changes.wave_changes`, :func:`~.groups.group_differences` and the tests of the other question types.

Each wrapper takes plain arrays or counts and returns a :class:`_Result`
(test name, statistic, two-sided p-value, effect size and its name). The
functions are internal to the analysis folder; the tables they fill are
documented in :mod:`.changes` and :mod:`.groups`.

Tests and their settings
------------------------
- ``wilcoxon``: Wilcoxon signed-rank on the differences later − earlier, zero
  differences dropped (``zero_method="wilcox"``, as R's ``wilcox.test``); exact
  p-value when there are fewer than 50 non-zero differences, no ties and no
  zeros, otherwise the normal approximation with tie-corrected variance and
  continuity correction (R's ``wilcox.test(paired=TRUE, correct=TRUE)``).
  Statistic: the smaller of the signed-rank sums.
- ``mann_whitney``: two-sided Mann–Whitney U; exact when both samples are
  smaller than 50 and there are no ties, otherwise normal approximation with
  tie correction and continuity correction (as R). Statistic: U of the later
  wave (of ``grupp_b`` in :func:`~.groups.group_differences`).
- ``mcnemar``: exact two-sided binomial test on the discordant pairs when
  there are fewer than 25 of them (statistic: the smaller discordant count, as
  statsmodels), otherwise chi-square with Edwards' continuity correction.
- ``chi2`` / ``fisher``: Pearson chi-square without continuity correction on
  the 2×2 table of wave × positive; Fisher's exact test (two-sided) when an
  expected count is below 5, with the sample odds ratio (odds later / odds
  earlier; NaN when infinite or undefined) as statistic. With more than two
  waves, chi-square on the k×2 table whatever the expected counts.
- ``chi2`` / ``fisher`` / ``fisher_freeman_halton`` on an options × two waves
  table (a single-choice question, :func:`_options_by_wave`): options nobody
  chose in either wave are dropped; Pearson chi-square without continuity
  correction when every expected count is at least 5; otherwise Fisher's exact
  test, exact on a 2×2 table (statistic: the odds ratio) and the
  Fisher–Freeman–Halton test on a larger one, its p-value by Monte Carlo over
  :data:`MONTE_CARLO_RESAMPLES` tables with the observed margins (seed
  :data:`MONTE_CARLO_SEED`, so the same data always give the same p; Monte
  Carlo standard error about 0.002 at p = 0.05); statistic: the probability of
  the observed table (scipy). The effect is Cramér's V of the Pearson
  chi-square whichever test decided.
- ``friedman`` / ``kruskal_wallis``: scipy's tie-corrected statistics.
- ``cochrans_q``: Cochran's Q, chi-square with k − 1 degrees of freedom.

Effect sizes (``effektmatt``): ``rangbiserial`` (matched-pairs rank-biserial
correlation, Kerby 2014, for Wilcoxon; ``2U/(n1 n2) − 1`` for Mann–Whitney;
positive when the later wave or ``grupp_b`` is higher), ``andelsskillnad``
(share positive later − earlier), ``kendalls_w`` (Friedman Q / (n(k − 1))),
``epsilon2`` (Kruskal–Wallis H / (N − 1), Tomczak & Tomczak 2014),
``cramers_v`` (sqrt(χ² / N) for k×2). Cochran's Q has no effect size here
(NaN, ``effektmatt`` empty).

A test that cannot be computed (no variation, no discordant pairs) gets NaN
statistic, p and effect.

Speed: the asymptotic Mann–Whitney, Wilcoxon and Kruskal–Wallis tests are
computed from count tables (how many values of each size, :mod:`.counts`)
with scipy's formulas, not by calling scipy per test; the exact tests (small
samples without ties) still call scipy. The results are the same.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import special  # special.chdtrc(df, x) is stats.chi2.sf(x, df) to the bit

from slutrapport.analysis.counts import _fisher_exact_many, _grid_counts, _kruskal_counts, _mann_whitney_counts, _pearson_chi2, _signed_rank_counts
from slutrapport.analysis.discrete import binomtest_p
from slutrapport.core.lazy import lazy_module

stats = lazy_module("scipy.stats")  # imported at the first exact or rarely used test

__all__ = ["MONTE_CARLO_RESAMPLES", "MONTE_CARLO_SEED"]  # otherwise helpers of the analysis folder only

_EXACT_LIMIT = 50  # exact rank tests below this size (without ties), as R
_MCNEMAR_EXACT_LIMIT = 25  # exact McNemar below this many discordant pairs
_RANK_BISERIAL = "rangbiserial"
_SHARE_DIFFERENCE = "andelsskillnad"
_EXPECTED_MINIMUM = 5  # chi-square only when every expected count reaches this
#: Tables drawn for the Monte Carlo p-value of the Fisher–Freeman–Halton test, and the seed that makes it repeatable.
MONTE_CARLO_RESAMPLES = 9999
MONTE_CARLO_SEED = 21


@dataclass(frozen=True)
class _Result:
    """One test's outcome: name, statistic, two-sided p, effect size and the effect's name (``effektmatt``)."""

    test: str
    statistic: float = math.nan
    p: float = math.nan
    effect: float = math.nan
    measure: str = ""


def _quiet(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call a scipy function silently; None when it refuses the input."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            return func(*args, **kwargs)
        except (ValueError, ZeroDivisionError, FloatingPointError):
            return None


def _finite(value: Any) -> float:
    value = float(value)
    return value if math.isfinite(value) else math.nan


def _has_nan(*arrays: np.ndarray) -> bool:
    """scipy refuses (or propagates) NaN values: the test is then not computed."""
    return any(np.isnan(np.asarray(a, dtype=float)).any() for a in arrays)


# --- two samples ---------------------------------------------------------------------------


def _wilcoxon(before: np.ndarray, after: np.ndarray) -> _Result:
    # Index scores are means (e.g. 13/3 - 4 vs 10/3 - 3): round away float noise so equal
    # differences tie and zero differences are zero.
    diff = np.round(after - before, 9)
    nonzero = diff[diff != 0]
    if nonzero.size == 0:
        return _Result("wilcoxon", measure=_RANK_BISERIAL)
    sizes, which = np.unique(np.abs(nonzero), return_inverse=True)
    up = np.bincount(which[nonzero > 0], minlength=sizes.size)
    down = np.bincount(which[nonzero < 0], minlength=sizes.size)
    exact = nonzero.size < _EXACT_LIMIT and nonzero.size == diff.size and sizes.size == nonzero.size
    if exact:
        ranks = stats.rankdata(np.abs(nonzero))
        r_plus, r_minus = ranks[nonzero > 0].sum(), ranks[nonzero < 0].sum()
        res = _quiet(stats.wilcoxon, diff, zero_method="wilcox", correction=True, method="exact")
        if res is None:
            return _Result("wilcoxon", measure=_RANK_BISERIAL)
        statistic, p = res.statistic, res.pvalue
    else:  # the asymptotic test from the counts of the differences by size (.counts)
        r_plus, r_minus, statistic, p = _signed_rank_counts(sizes, up, down)
    effect = (r_plus - r_minus) / (r_plus + r_minus)
    return _Result("wilcoxon", _finite(statistic), _finite(p), float(effect), _RANK_BISERIAL)


def _mann_whitney(first: np.ndarray, second: np.ndarray) -> _Result:
    """Mann–Whitney U of ``second`` against ``first``; the effect is positive when ``second`` is higher."""
    if len(first) == 0 or len(second) == 0 or _has_nan(first, second):
        return _Result("mann_whitney", measure=_RANK_BISERIAL)
    counts = _grid_counts([first, second])
    if counts.shape[1] < 2:  # every value equal
        return _Result("mann_whitney", measure=_RANK_BISERIAL)
    exact = len(first) < _EXACT_LIMIT and len(second) < _EXACT_LIMIT and counts.shape[1] == len(first) + len(second)
    if exact:
        return _mann_whitney_exact(first, second)
    u, p = _mann_whitney_counts(counts[0], counts[1])
    return _mann_whitney_result(float(u), float(p), len(first), len(second))


def _mann_whitney_exact(first: np.ndarray, second: np.ndarray) -> _Result:
    """The exact test (small samples without ties), by scipy."""
    res = _quiet(stats.mannwhitneyu, second, first, use_continuity=True, alternative="two-sided", method="exact")
    if res is None:
        return _Result("mann_whitney", measure=_RANK_BISERIAL)
    return _mann_whitney_result(float(res.statistic), float(res.pvalue), len(first), len(second))


def _mann_whitney_result(u: float, p: float, n_first: int, n_second: int) -> _Result:
    return _Result("mann_whitney", u, _finite(p), 2 * u / (n_first * n_second) - 1, _RANK_BISERIAL)


def _mcnemar(b: int, c: int, effect: float) -> _Result:
    """McNemar on the discordant counts b (positive → not) and c (not → positive)."""
    discordant = b + c
    if discordant == 0:
        return _Result("mcnemar", measure=_SHARE_DIFFERENCE)
    if discordant < _MCNEMAR_EXACT_LIMIT:
        p = binomtest_p(min(b, c), discordant, 0.5)  # = stats.binomtest(min(b, c), discordant, 0.5).pvalue (.discrete)
        return _Result("mcnemar", float(min(b, c)), float(p), effect, _SHARE_DIFFERENCE)
    statistic = (abs(b - c) - 1) ** 2 / discordant
    return _Result("mcnemar", float(statistic), float(special.chdtrc(1, statistic)), effect, _SHARE_DIFFERENCE)


def _share_independent(k1: int, n1: int, k2: int, n2: int, effect: float) -> _Result:
    """Chi-square (or Fisher's exact test for small expected counts) on the 2×2 table."""
    table = np.array([[k2, n2 - k2], [k1, n1 - k1]], dtype=float)
    positives, total = k1 + k2, n1 + n2
    if positives == 0 or positives == total:
        return _Result("chi2", measure=_SHARE_DIFFERENCE)
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / total
    if (expected < 5).any():  # = stats.fisher_exact(table.astype(int), alternative="two-sided") (.counts)
        odds, p = _fisher_exact_many(table.astype(int)[None])
        return _Result("fisher", _finite(odds[0]), _finite(p[0]), effect, _SHARE_DIFFERENCE)
    pearson = _pearson_chi2(table)  # = stats.chi2_contingency(table, correction=False), see .counts
    if pearson is None:
        return _Result("chi2", measure=_SHARE_DIFFERENCE)
    return _Result("chi2", _finite(pearson[0]), _finite(pearson[1]), effect, _SHARE_DIFFERENCE)


# --- several samples -----------------------------------------------------------------------


def _friedman(matrix: np.ndarray) -> _Result:
    n, k = matrix.shape
    if n < 2 or (matrix == matrix[:, :1]).all():
        return _Result("friedman", measure="kendalls_w")
    res = _quiet(stats.friedmanchisquare, *matrix.T)
    if res is None or not math.isfinite(res.statistic):
        return _Result("friedman", measure="kendalls_w")
    q = float(res.statistic)
    return _Result("friedman", q, _finite(res.pvalue), q / (n * (k - 1)), "kendalls_w")


def _kruskal(samples: list[np.ndarray]) -> _Result:
    if len(samples) < 2 or any(len(s) == 0 for s in samples) or _has_nan(*samples):
        return _Result("kruskal_wallis", measure="epsilon2")
    return _kruskal_from_counts(_grid_counts(samples))


def _kruskal_from_counts(counts: np.ndarray) -> _Result:
    """Kruskal–Wallis on groups × values counts (every group with a value)."""
    if counts.shape[0] < 2 or counts.shape[1] < 2:  # fewer than two groups, or every value equal
        return _Result("kruskal_wallis", measure="epsilon2")
    h, p = _kruskal_counts(counts)
    if not math.isfinite(h):
        return _Result("kruskal_wallis", measure="epsilon2")
    return _Result("kruskal_wallis", h, _finite(p), h / (int(counts.sum()) - 1), "epsilon2")


def _cochrans_q(matrix: np.ndarray) -> _Result:
    """Cochran's Q for an n × k 0/1 matrix (people × waves)."""
    x = matrix.astype(float)
    k = x.shape[1]
    rows, cols = x.sum(axis=1), x.sum(axis=0)
    total = x.sum()
    denominator = k * total - (rows**2).sum()
    if k < 2 or denominator == 0:
        return _Result("cochrans_q")
    q = (k - 1) * (k * (cols**2).sum() - total**2) / denominator
    return _Result("cochrans_q", float(q), float(special.chdtrc(k - 1, q)))


def _chi2_waves(positive: list[np.ndarray]) -> _Result:
    counts = np.array([[p.sum(), len(p) - p.sum()] for p in positive], dtype=float)
    total = counts.sum()
    if total == 0 or counts[:, 0].sum() in (0, total) or (counts.sum(axis=1) == 0).any():
        return _Result("chi2", measure="cramers_v")
    pearson = _pearson_chi2(counts)  # = stats.chi2_contingency(counts, correction=False)
    if pearson is None:
        return _Result("chi2", measure="cramers_v")
    chi2 = pearson[0]
    return _Result("chi2", chi2, _finite(pearson[1]), math.sqrt(chi2 / total), "cramers_v")


def _options_by_wave(counts: np.ndarray) -> _Result:
    """Options × waves counts (rows: options, columns: the two waves) of a single-choice question."""
    table = np.asarray(counts, dtype=np.int64)
    table = table[table.sum(axis=1) > 0]
    if table.shape[0] < 2 or (table.sum(axis=0) == 0).any():
        return _Result("chi2", measure="cramers_v")
    pearson = _pearson_chi2(table)  # = stats.chi2_contingency(table, correction=False) (.counts)
    if pearson is None:
        return _Result("chi2", measure="cramers_v")
    chi2, p, expected = pearson
    effect = math.sqrt(chi2 / (table.sum() * (min(table.shape) - 1)))
    if (expected >= _EXPECTED_MINIMUM).all():
        return _Result("chi2", chi2, _finite(p), effect, "cramers_v")
    if table.shape == (2, 2):  # = stats.fisher_exact(table, alternative="two-sided") (.counts)
        odds, p_fisher = _fisher_exact_many(table[None])
        return _Result("fisher", _finite(odds[0]), _finite(p_fisher[0]), effect, "cramers_v")
    method = stats.MonteCarloMethod(n_resamples=MONTE_CARLO_RESAMPLES, rng=np.random.default_rng(MONTE_CARLO_SEED))
    res = _quiet(stats.fisher_exact, table, method=method)
    if res is None:
        return _Result("fisher_freeman_halton", effect=effect, measure="cramers_v")
    # (scipy gives some tables' statistic and p as arrays of one number)
    return _Result("fisher_freeman_halton", _finite(np.asarray(res.statistic).item()), _finite(np.asarray(res.pvalue).item()), effect, "cramers_v")
