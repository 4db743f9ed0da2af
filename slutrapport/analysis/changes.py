"""Tests of change between waves and of differences between groups.

:func:`wave_changes` (the table behind ``forandringar.csv``) compares every
question and index, for ``Alla`` and each reporting group, between
consecutive waves, between the first and the last wave (with three or more
waves) and across all waves at once. :func:`group_differences` compares the
groups within each wave, and :func:`mean_intervals` gives confidence intervals
for every shown cell of the comparison table (chart error bars).

Data and anonymity
------------------
Values are those behind :func:`~.describe.compare_waves`: for a question the
answer as given (``varde`` of answers with status ``svar``), for an index the
score from :func:`~.describe.index_scores`. "Positive" means a value in the
scale's ``positiva`` (questions) or a score at or above its lowest value
(indices). Groups come from :func:`~.describe.reporting_groups`, so merged
``Övriga`` groups are the same as in the comparison table. A cell that the
comparison table suppresses (``undertryckt``) or that has no answers is never
tested: a comparison involving such a cell gets no row.

Linking and paired tests
------------------------
A person is linked between waves when the same personal code (``kod``) occurs
exactly once in each wave (codes written on several rows of a wave are never
linked) and, for an organisation group, the person belongs to that group in
every wave compared. A comparison is paired when the linked people with a
value in every wave compared (``n_par``) are more than half of the answers of
every wave, at least 2 and at least ``min_n``; the paired test then uses the
linked people only. The ``min_n`` condition keeps a paired test from
describing a subgroup smaller than the anonymity threshold. Otherwise the
independent test uses everyone.

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
  wave (of ``grupp_b`` in :func:`group_differences`).
- ``mcnemar``: exact two-sided binomial test on the discordant pairs when
  there are fewer than 25 of them (statistic: the smaller discordant count, as
  statsmodels), otherwise chi-square with Edwards' continuity correction.
- ``chi2`` / ``fisher``: Pearson chi-square without continuity correction on
  the 2×2 table of wave × positive; Fisher's exact test (two-sided) when an
  expected count is below 5, with the sample odds ratio (odds later / odds
  earlier; NaN when infinite or undefined) as statistic. With more than two
  waves, chi-square on the k×2 table whatever the expected counts.
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
statistic, p and effect and is left out of the Holm adjustment. ``p_corr`` is
Holm-adjusted over all rows of the returned table.
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from slutrapport.analysis.describe import observations
from slutrapport.analysis.intervals import (
    holm,
    newcombe_difference,
    newcombe_paired_difference,
    t_interval_summary,
    wilson_interval,
)
from slutrapport.analysis.suppression import ALL
from slutrapport.sources.survey.ingest import SurveyData

__all__ = [
    "CHANGE_COLUMNS",
    "GROUP_DIFFERENCE_COLUMNS",
    "INTERVAL_COLUMNS",
    "ACROSS_ALL",
    "wave_changes",
    "group_differences",
    "mean_intervals",
]

CHANGE_COLUMNS = [
    "niva", "id", "grupp", "fran", "till", "parad", "n_fran", "n_till", "n_par",
    "diff_medel", "diff_andel_positiva", "ci_lag", "ci_hog", "test", "statistika",
    "p_unc", "p_corr", "effekt", "effektmatt",
]  # fmt: skip
GROUP_DIFFERENCE_COLUMNS = [
    "niva", "id", "enkat", "grupp_a", "grupp_b", "n_a", "n_b", "test", "statistika",
    "p_unc", "p_corr", "effekt", "effektmatt",
]  # fmt: skip
INTERVAL_COLUMNS = ["niva", "id", "grupp", "enkat", "medel_ci_lag", "medel_ci_hog", "andel_ci_lag", "andel_ci_hog"]
ACROSS_ALL = "alla"  # ``fran`` / ``grupp_a`` of an omnibus row

_EXACT_LIMIT = 50  # exact rank tests below this size (without ties), as R
_MCNEMAR_EXACT_LIMIT = 25  # exact McNemar below this many discordant pairs
_RANK_BISERIAL = "rangbiserial"
_FLOAT_COLUMNS = {"diff_medel", "diff_andel_positiva", "ci_lag", "ci_hog", "statistika", "p_unc", "p_corr", "effekt"}
_SHARE_DIFFERENCE = "andelsskillnad"


@dataclass(frozen=True)
class _Result:
    test: str
    statistic: float = math.nan
    p: float = math.nan
    effect: float = math.nan
    measure: str = ""


@dataclass(frozen=True)
class _Cell:
    """The values of one (level, id, group, wave) cell."""

    values: np.ndarray
    positive: np.ndarray
    keys: np.ndarray  # linking code, None when the person cannot be linked

    def __len__(self) -> int:
        return len(self.values)


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


def _constant(*arrays: np.ndarray) -> bool:
    joined = np.concatenate(arrays)
    return joined.size == 0 or bool((joined == joined[0]).all())


# --- two samples ---------------------------------------------------------------------------


def _wilcoxon(before: np.ndarray, after: np.ndarray) -> _Result:
    # Index scores are means (e.g. 13/3 - 4 vs 10/3 - 3): round away float noise so equal
    # differences tie and zero differences are zero.
    diff = np.round(after - before, 9)
    nonzero = diff[diff != 0]
    if nonzero.size == 0:
        return _Result("wilcoxon", measure=_RANK_BISERIAL)
    ranks = stats.rankdata(np.abs(nonzero))
    r_plus, r_minus = ranks[nonzero > 0].sum(), ranks[nonzero < 0].sum()
    effect = (r_plus - r_minus) / (r_plus + r_minus)
    exact = nonzero.size < _EXACT_LIMIT and nonzero.size == diff.size and np.unique(ranks).size == ranks.size
    res = _quiet(
        stats.wilcoxon, diff, zero_method="wilcox", correction=True, method="exact" if exact else "asymptotic"
    )
    if res is None:
        return _Result("wilcoxon", measure=_RANK_BISERIAL)
    return _Result("wilcoxon", _finite(res.statistic), _finite(res.pvalue), float(effect), _RANK_BISERIAL)


def _mann_whitney(first: np.ndarray, second: np.ndarray) -> _Result:
    """Mann–Whitney U of ``second`` against ``first``; the effect is positive when ``second`` is higher."""
    if len(first) == 0 or len(second) == 0 or _constant(first, second):
        return _Result("mann_whitney", measure=_RANK_BISERIAL)
    joined = np.concatenate([first, second])
    exact = len(first) < _EXACT_LIMIT and len(second) < _EXACT_LIMIT and np.unique(joined).size == joined.size
    res = _quiet(
        stats.mannwhitneyu, second, first, use_continuity=True, alternative="two-sided",
        method="exact" if exact else "asymptotic",
    )  # fmt: skip
    if res is None:
        return _Result("mann_whitney", measure=_RANK_BISERIAL)
    u = float(res.statistic)
    return _Result("mann_whitney", u, _finite(res.pvalue), 2 * u / (len(first) * len(second)) - 1, _RANK_BISERIAL)


def _mcnemar(b: int, c: int, effect: float) -> _Result:
    """McNemar on the discordant counts b (positive → not) and c (not → positive)."""
    discordant = b + c
    if discordant == 0:
        return _Result("mcnemar", measure=_SHARE_DIFFERENCE)
    if discordant < _MCNEMAR_EXACT_LIMIT:
        p = stats.binomtest(min(b, c), discordant, 0.5).pvalue
        return _Result("mcnemar", float(min(b, c)), float(p), effect, _SHARE_DIFFERENCE)
    statistic = (abs(b - c) - 1) ** 2 / discordant
    return _Result("mcnemar", float(statistic), float(stats.chi2.sf(statistic, 1)), effect, _SHARE_DIFFERENCE)


def _share_independent(k1: int, n1: int, k2: int, n2: int, effect: float) -> _Result:
    """Chi-square (or Fisher's exact test for small expected counts) on the 2×2 table."""
    table = np.array([[k2, n2 - k2], [k1, n1 - k1]], dtype=float)
    positives, total = k1 + k2, n1 + n2
    if positives == 0 or positives == total:
        return _Result("chi2", measure=_SHARE_DIFFERENCE)
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / total
    if (expected < 5).any():
        res = _quiet(stats.fisher_exact, table.astype(int), alternative="two-sided")
        if res is None:
            return _Result("fisher", measure=_SHARE_DIFFERENCE)
        return _Result("fisher", _finite(res.statistic), _finite(res.pvalue), effect, _SHARE_DIFFERENCE)
    res = _quiet(stats.chi2_contingency, table, correction=False)
    if res is None:
        return _Result("chi2", measure=_SHARE_DIFFERENCE)
    return _Result("chi2", _finite(res.statistic), _finite(res.pvalue), effect, _SHARE_DIFFERENCE)


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
    total = sum(len(s) for s in samples)
    if len(samples) < 2 or any(len(s) == 0 for s in samples) or _constant(*samples):
        return _Result("kruskal_wallis", measure="epsilon2")
    res = _quiet(stats.kruskal, *samples)
    if res is None or not math.isfinite(res.statistic):
        return _Result("kruskal_wallis", measure="epsilon2")
    h = float(res.statistic)
    return _Result("kruskal_wallis", h, _finite(res.pvalue), h / (total - 1), "epsilon2")


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
    return _Result("cochrans_q", float(q), float(stats.chi2.sf(q, k - 1)))


def _chi2_waves(positive: list[np.ndarray]) -> _Result:
    counts = np.array([[p.sum(), len(p) - p.sum()] for p in positive], dtype=float)
    total = counts.sum()
    if total == 0 or counts[:, 0].sum() in (0, total) or (counts.sum(axis=1) == 0).any():
        return _Result("chi2", measure="cramers_v")
    res = _quiet(stats.chi2_contingency, counts, correction=False)
    if res is None:
        return _Result("chi2", measure="cramers_v")
    chi2 = float(res.statistic)
    return _Result("chi2", chi2, _finite(res.pvalue), math.sqrt(chi2 / total), "cramers_v")


# --- data ----------------------------------------------------------------------------------


def _link_keys(tidy: pd.DataFrame) -> pd.Series:
    """Respondent → linking code; missing when the code is blank or repeated in the wave."""
    people = tidy.drop_duplicates("respondent")[["respondent", "enkat", "kod"]]
    people = people.assign(enkat=people["enkat"].astype(str))
    counts = people.groupby(["enkat", "kod"], dropna=True)["respondent"].transform("size")
    unique = people["kod"].notna() & (counts == 1)
    return pd.Series(np.where(unique, people["kod"], None), index=people["respondent"].to_numpy(), dtype=object)


def _cells(survey: SurveyData, min_n: int) -> _Cells:
    """The test cells of :func:`~.describe.observations` with linking codes, built once per survey."""
    key = ("test_cells", min_n)
    if key not in survey.derived:
        obs = observations(survey, min_n)
        survey.derived[key] = _Cells(obs.assign(kod=obs["respondent"].map(_link_keys(survey.tidy))))
    return survey.derived[key]


class _Cells:
    """Cells of observations by (niva, id, grupp, enkat), ``Alla`` included."""

    def __init__(self, obs: pd.DataFrame) -> None:
        self._cells: dict[tuple[str, str, str, str], _Cell] = {}
        for group_key, frame in obs.groupby(["niva", "id", "grupp", "enkat"], sort=False):
            self._cells[group_key] = self._make(frame)
        for (niva, item, wave), frame in obs.groupby(["niva", "id", "enkat"], sort=False):
            self._cells[(niva, item, ALL, wave)] = self._make(frame)

    @staticmethod
    def _make(frame: pd.DataFrame) -> _Cell:
        codes = frame["kod"].to_numpy(dtype=object)
        keys = np.where(pd.isna(codes), None, codes).astype(object)
        return _Cell(frame["varde"].to_numpy(dtype=float), frame["positiv"].to_numpy(dtype=bool), keys)

    def get(self, niva: str, item: str, group: str, wave: str) -> _Cell | None:
        return self._cells.get((niva, item, group, wave))


def _shown(comparison: pd.DataFrame) -> set[tuple[str, str, str, str]]:
    """(niva, id, grupp, enkat) of the cells the comparison table shows with at least one answer."""
    n = pd.to_numeric(comparison["n"], errors="coerce").fillna(0)
    shown = comparison[~comparison["undertryckt"].astype(bool) & (n > 0)]
    return set(zip(shown["niva"], shown["id"], shown["grupp"], shown["enkat"].astype(str), strict=True))


def _linked(cells: list[_Cell]) -> list[np.ndarray]:
    """Positions in each cell of the people linked across all the cells, in the same order."""
    positions = [{key: i for i, key in enumerate(cell.keys) if key is not None} for cell in cells]
    common = set(positions[0]).intersection(*positions[1:])
    ordered = sorted(common)
    return [np.array([pos[key] for key in ordered], dtype=int) for pos in positions]


def _is_paired(n_linked: int, sizes: list[int], min_n: int) -> bool:
    return n_linked >= max(2, min_n) and all(n_linked * 2 > size for size in sizes)


# --- wave_changes --------------------------------------------------------------------------


def _pair_rows(first: _Cell, second: _Cell, min_n: int) -> tuple[dict[str, Any], list[_Result]]:
    index1, index2 = _linked([first, second])
    n_par = len(index1)
    paired = _is_paired(n_par, [len(first), len(second)], min_n)
    if paired:
        x, y = first.values[index1], second.values[index2]
        px, py = first.positive[index1], second.positive[index2]
        a, b = int((px & py).sum()), int((px & ~py).sum())
        c, d = int((~px & py).sum()), int((~px & ~py).sum())
        share, low, high = newcombe_paired_difference(a, b, c, d)
        results = [_wilcoxon(x, y), _mcnemar(b, c, share)]
    else:
        x, y, px, py = first.values, second.values, first.positive, second.positive
        k1, k2 = int(px.sum()), int(py.sum())
        share, low, high = newcombe_difference(k1, len(x), k2, len(y))
        results = [_mann_whitney(x, y), _share_independent(k1, len(x), k2, len(y), share)]
    common = {
        "parad": paired,
        "n_fran": len(x),
        "n_till": len(y),
        "n_par": n_par,
        "diff_medel": float(y.mean() - x.mean()),
        "diff_andel_positiva": share,
        "ci_lag": low,
        "ci_hog": high,
    }
    return common, results


def _omnibus_rows(cells: list[_Cell], min_n: int) -> tuple[dict[str, Any], list[_Result]]:
    positions = _linked(cells)
    n_linked = len(positions[0])
    paired = _is_paired(n_linked, [len(cell) for cell in cells], min_n)
    if paired:
        values = np.column_stack([cell.values[pos] for cell, pos in zip(cells, positions, strict=True)])
        positive = np.column_stack([cell.positive[pos] for cell, pos in zip(cells, positions, strict=True)])
        results = [_friedman(values), _cochrans_q(positive)]
        n_first = n_last = n_linked
    else:
        results = [_kruskal([cell.values for cell in cells]), _chi2_waves([cell.positive for cell in cells])]
        n_first, n_last = len(cells[0]), len(cells[-1])
    common = {
        "parad": paired,
        "n_fran": n_first,
        "n_till": n_last,
        "n_par": n_linked,
        "diff_medel": math.nan,
        "diff_andel_positiva": math.nan,
        "ci_lag": math.nan,
        "ci_hog": math.nan,
    }
    return common, results


def _wave_pairs(waves: list[str]) -> list[tuple[str, str]]:
    pairs = list(itertools.pairwise(waves))
    if len(waves) >= 3:
        pairs.append((waves[0], waves[-1]))
    return pairs


def _items_and_groups(comparison: pd.DataFrame) -> list[tuple[str, str, str]]:
    """(niva, id, grupp) in the comparison table's order."""
    keys = comparison[["niva", "id", "grupp"]].drop_duplicates()
    return list(keys.itertuples(index=False, name=None))


def _finish(rows: list[dict[str, Any]], columns: list[str], int_columns: dict[str, str]) -> pd.DataFrame:
    table = pd.DataFrame(rows, columns=columns)
    table["p_corr"] = holm(table["p_unc"].to_numpy(dtype=float))
    for name, dtype in int_columns.items():
        table[name] = table[name].astype(dtype)
    for name in _FLOAT_COLUMNS.intersection(columns):
        table[name] = table[name].astype(float)
    return table[columns]


def wave_changes(survey: SurveyData, comparison: pd.DataFrame, min_n: int = 5) -> pd.DataFrame:
    """Tests of change between waves for every question, index and group.

    Parameters
    ----------
    survey : SurveyData
        The validated waves.
    comparison : DataFrame
        The table from :func:`~.describe.compare_waves` for ``survey`` and the
        same ``min_n``; its suppressed cells are never tested.
    min_n : int, default 5
        Anonymity threshold, also the smallest number of linked people for a
        paired test.

    Returns
    -------
    DataFrame
        Columns :data:`CHANGE_COLUMNS` (``forandringar.csv``). Per question or
        index and group: for each consecutive pair of waves and, with three or
        more waves, first → last, one row per kind of test (ordinal, share
        positive); with three or more waves also two omnibus rows.

        - ``niva``: ``fraga`` or ``index``; ``id``: question or index id
        - ``grupp``: ``Alla`` or the reporting group
        - ``fran``, ``till``: the wave labels compared; ``"alla"`` and ``""``
          on omnibus rows (all waves)
        - ``parad`` (bool): the test is paired (linked people only)
        - ``n_fran``, ``n_till`` (int): values tested in each wave (the linked
          people when paired); on omnibus rows the first and the last wave
        - ``n_par`` (int): people linked between the waves with a value in
          each (across all waves on omnibus rows)
        - ``diff_medel``: mean later − mean earlier of the values tested
        - ``diff_andel_positiva``: share positive later − earlier
        - ``ci_lag``, ``ci_hog``: 95 % Newcombe interval of
          ``diff_andel_positiva`` (paired or independent version), the same on
          both rows of a pair; NaN (like the ``diff_*``) on omnibus rows
        - ``test``: ``wilcoxon``, ``mann_whitney``, ``mcnemar``, ``chi2``,
          ``fisher``, ``friedman``, ``kruskal_wallis`` or ``cochrans_q``
        - ``statistika``: the test statistic (see the module docstring)
        - ``p_unc``: two-sided p-value; NaN when the test cannot be computed
        - ``p_corr``: Holm-adjusted over all rows with a p-value
        - ``effekt``: the effect size, positive for an increase where signed
        - ``effektmatt``: ``rangbiserial``, ``andelsskillnad``,
          ``kendalls_w``, ``epsilon2``, ``cramers_v`` or ``""``
    """
    waves = [str(w) for w in survey.waves]
    shown = _shown(comparison)
    cells = _cells(survey, min_n)
    rows: list[dict[str, Any]] = []

    def emit(niva: str, item: str, group: str, fran: str, till: str, common: dict, results: list[_Result]) -> None:
        for res in results:
            rows.append(
                {"niva": niva, "id": item, "grupp": group, "fran": fran, "till": till, **common,
                 "test": res.test, "statistika": res.statistic, "p_unc": res.p, "p_corr": math.nan,
                 "effekt": res.effect, "effektmatt": res.measure}
            )  # fmt: skip

    for niva, item, group in _items_and_groups(comparison):
        wave_cells: dict[str, _Cell] = {}
        for wave in waves:
            cell = cells.get(niva, item, group, wave)
            if (niva, item, group, wave) in shown and cell is not None and len(cell) > 0:
                wave_cells[wave] = cell
        for fran, till in _wave_pairs(waves):
            if fran in wave_cells and till in wave_cells:
                emit(niva, item, group, fran, till, *_pair_rows(wave_cells[fran], wave_cells[till], min_n))
        if len(waves) >= 3 and len(wave_cells) == len(waves):
            emit(niva, item, group, ACROSS_ALL, "", *_omnibus_rows([wave_cells[w] for w in waves], min_n))
    return _finish(rows, CHANGE_COLUMNS, {"parad": "bool", "n_fran": "int64", "n_till": "int64", "n_par": "int64"})


# --- group_differences ---------------------------------------------------------------------


def group_differences(survey: SurveyData, comparison: pd.DataFrame, min_n: int = 5) -> pd.DataFrame:
    """Differences between the reporting groups within each wave.

    Per question or index and wave, the shown groups (not ``Alla``, not
    suppressed, with answers) are compared with a Kruskal–Wallis test when
    there are at least two, and every pair of them with a Mann–Whitney U test.

    Parameters
    ----------
    survey : SurveyData
        The validated waves.
    comparison : DataFrame
        The table from :func:`~.describe.compare_waves` (same ``min_n``).
    min_n : int, default 5
        Anonymity threshold used for the reporting groups.

    Returns
    -------
    DataFrame
        Columns :data:`GROUP_DIFFERENCE_COLUMNS`:

        - ``niva``, ``id``: the question or index; ``enkat``: the wave
        - ``grupp_a``, ``grupp_b``: the two groups compared (in the comparison
          table's order); ``"alla"`` and ``""`` on the Kruskal–Wallis row
        - ``n_a``, ``n_b`` (Int64): values in each group; on the Kruskal–Wallis
          row ``n_a`` is the total over the groups and ``n_b`` is missing
        - ``test``: ``kruskal_wallis`` or ``mann_whitney``
        - ``statistika``: H, or U of ``grupp_b``
        - ``p_unc``: two-sided p-value (NaN when not computable)
        - ``p_corr``: Holm-adjusted over all rows of the table
        - ``effekt``: epsilon² (Kruskal–Wallis) or rank-biserial correlation,
          positive when ``grupp_b`` is higher
        - ``effektmatt``: ``epsilon2`` or ``rangbiserial``
    """
    waves = [str(w) for w in survey.waves]
    shown = _shown(comparison)
    cells = _cells(survey, min_n)
    order = _items_and_groups(comparison)
    rows: list[dict[str, Any]] = []
    items = list(dict.fromkeys((niva, item) for niva, item, _ in order))
    for niva, item in items:
        groups = [g for n, i, g in order if (n, i) == (niva, item) and g != ALL]
        for wave in waves:
            present = []
            for group in groups:
                cell = cells.get(niva, item, group, wave)
                if (niva, item, group, wave) in shown and cell is not None and len(cell) > 0:
                    present.append((group, cell))
            if len(present) < 2:
                continue
            base = {"niva": niva, "id": item, "enkat": wave}
            res = _kruskal([cell.values for _, cell in present])
            rows.append(
                {**base, "grupp_a": ACROSS_ALL, "grupp_b": "", "n_a": sum(len(c) for _, c in present), "n_b": pd.NA,
                 "test": res.test, "statistika": res.statistic, "p_unc": res.p, "p_corr": math.nan,
                 "effekt": res.effect, "effektmatt": res.measure}
            )  # fmt: skip
            for (name_a, cell_a), (name_b, cell_b) in combinations(present, 2):
                res = _mann_whitney(cell_a.values, cell_b.values)
                rows.append(
                    {**base, "grupp_a": name_a, "grupp_b": name_b, "n_a": len(cell_a), "n_b": len(cell_b),
                     "test": res.test, "statistika": res.statistic, "p_unc": res.p, "p_corr": math.nan,
                     "effekt": res.effect, "effektmatt": res.measure}
                )  # fmt: skip
    return _finish(rows, GROUP_DIFFERENCE_COLUMNS, {"n_a": "Int64", "n_b": "Int64"})


# --- mean_intervals ------------------------------------------------------------------------


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
        Not needed; accepted so that every function of this module can be
        called the same way.

    Returns
    -------
    DataFrame
        One row per row of ``comparison``, in its order:

        - ``niva``, ``id``, ``grupp``, ``enkat``: the cell
        - ``medel_ci_lag``, ``medel_ci_hog``: Student-t interval of the mean
          (:func:`~.intervals.t_interval_summary`)
        - ``andel_ci_lag``, ``andel_ci_hog``: Wilson interval of the share
          positive (:func:`~.intervals.wilson_interval`)

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
