"""Tests of change between waves (``forandringar.csv``), and the survey tests' column contracts.

:func:`wave_changes` compares every question and index, for ``Alla`` and each
reporting group, between consecutive waves, between the first and the last
wave (with three or more waves), across all waves at once (omnibus) and as
a trend across all waves (:mod:`.trend`). Its siblings
compare the groups within each wave (:func:`~.groups.group_differences`) and
give confidence intervals for every shown cell of the comparison table
(:func:`~.intervals.mean_intervals`, chart error bars); both, and their
column lists, are importable from here too.

Which cells are tested, how people are linked between waves and when a test
is paired, partly linked (:mod:`.overlap`) or independent is described in
:mod:`.cells`; the tests' settings and effect sizes in :mod:`.stattests`. A test that cannot be computed gets NaN statistic, p and
effect and is left out of its family's adjustment. ``p_corr`` is adjusted
within the row's family (``familj``): the primary family (Holm) or the
exploratory one (Benjamini–Hochberg or Holm), see :mod:`.families`.

Besides the tests, each pair of waves gets intervals (columns appended after
the original contract, documented one by one in :func:`wave_changes`): a t
interval of the mean difference (paired t or Welch, :mod:`.intervals`) and,
on the rank test's row, the Hodges–Lehmann shift with the interval of R's
``wilcox.test(conf.int = TRUE)`` (:mod:`.shift`). The shift follows the rank
test's direction; the mean difference need not (answers that spread out).
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np
import pandas as pd

from slutrapport.analysis.cells import ACROSS_ALL, FULLY, NOT_LINKED, PARTLY, _Cell, _cells, _finish, _is_paired, _items_and_groups, _linkage, _linked, _shown
from slutrapport.analysis.change_omnibus import _omnibus_batch
from slutrapport.analysis.change_paired import _paired_batch
from slutrapport.analysis.change_rows import _independent_batch, _link_all, _partial_batch, _Registry
from slutrapport.analysis.composition import standardised_changes
from slutrapport.analysis.families import FAMILY_COLUMNS, change_families
from slutrapport.analysis.groups import GROUP_DIFFERENCE_COLUMNS, group_differences
from slutrapport.analysis.intervals import INTERVAL_COLUMNS, mean_intervals, newcombe_difference, newcombe_paired_difference, t_interval_mean, welch_interval
from slutrapport.analysis.overlap import _partover_t, _partover_z
from slutrapport.analysis.shift import hodges_lehmann_independent, hodges_lehmann_paired
from slutrapport.analysis.stattests import _chi2_waves, _cochrans_q, _friedman, _kruskal, _mann_whitney, _mcnemar, _Result, _share_independent, _wilcoxon
from slutrapport.analysis.suppression import ALL
from slutrapport.analysis.trend import _Trend, _trend_fits
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
    "diff_medel_lag", "diff_medel_hog", "hl_skift", "hl_lag", "hl_hog",
    *FAMILY_COLUMNS,
]  # fmt: skip
_ORDINAL_TESTS = ("wilcoxon", "mann_whitney")
_SHIFT_COLUMNS = ("hl_skift", "hl_lag", "hl_hog")  # on the ordinal test's row only
_APPENDED_FLOATS = {"diff_medel_lag": "float64", "diff_medel_hog": "float64"} | dict.fromkeys(_SHIFT_COLUMNS, "float64")


def _pair_rows(first: _Cell, second: _Cell, min_n: int, linked: list[np.ndarray] | None = None) -> tuple[dict[str, Any], list[_Result], dict[str, float]]:
    """The rows of one pair of waves; ``linked`` the linked positions when already known (:mod:`.change_rows`)."""
    index1, index2 = _linked([first, second]) if linked is None else linked
    n_par = len(index1)
    linkage = _linkage(n_par, [len(first), len(second)], min_n)
    if linkage == PARTLY:
        return _partial_rows(first, second, index1, index2)
    paired = linkage == FULLY
    if paired:
        x, y = first.values[index1], second.values[index2]
        px, py = first.positive[index1], second.positive[index2]
        a, b = int((px & py).sum()), int((px & ~py).sum())
        c, d = int((~px & py).sum()), int((~px & ~py).sum())
        share, low, high = newcombe_paired_difference(a, b, c, d)
        results = [_wilcoxon(x, y), _mcnemar(b, c, share)]
        _, mean_low, mean_high = t_interval_mean(y - x)
        shift = hodges_lehmann_paired(x, y)
    else:
        x, y, px, py = first.values, second.values, first.positive, second.positive
        k1, k2 = int(px.sum()), int(py.sum())
        share, low, high = newcombe_difference(k1, len(x), k2, len(y))
        results = [_mann_whitney(x, y), _share_independent(k1, len(x), k2, len(y), share)]
        mean_low, mean_high = welch_interval(x, y)
        shift = hodges_lehmann_independent(x, y)
    common = {
        "parad": paired,
        "n_fran": len(x),
        "n_till": len(y),
        "n_par": n_par,
        "diff_medel": float(y.mean() - x.mean()),
        "diff_andel_positiva": share,
        "ci_lag": low,
        "ci_hog": high,
        "diff_medel_lag": mean_low,
        "diff_medel_hog": mean_high,
    }
    return common, results, dict(zip(_SHIFT_COLUMNS, shift, strict=True))


def _partial_rows(first: _Cell, second: _Cell, index1: np.ndarray, index2: np.ndarray) -> tuple[dict[str, Any], list[_Result], dict[str, float]]:
    """Partly linked waves: every answer, the linked pairs and the unlinked answers together (:mod:`.overlap`)."""
    alone1 = np.setdiff1d(np.arange(len(first)), index1)
    alone2 = np.setdiff1d(np.arange(len(second)), index2)
    mean = _partover_t(first.values[alone1], second.values[alone2], first.values[index1], second.values[index2])
    share = _partover_z(first.positive[alone1], second.positive[alone2], first.positive[index1], second.positive[index2])
    low, high = share.low, share.high
    if math.isnan(low):  # no variation in the share (all or none positive): the independent Newcombe interval
        _, low, high = newcombe_difference(int(first.positive.sum()), len(first), int(second.positive.sum()), len(second))
    common = {
        "parad": False,
        "n_fran": len(first),
        "n_till": len(second),
        "n_par": len(index1),
        "diff_medel": float(second.values.mean() - first.values.mean()),
        "diff_andel_positiva": share.estimate,
        "ci_lag": low,
        "ci_hog": high,
        "diff_medel_lag": mean.low,
        "diff_medel_hog": mean.high,
    }
    return common, [mean.result, share.result], {}


def _trend_rows(fit: _Trend, cells: list[_Cell]) -> tuple[dict[str, Any], list[_Result], dict[str, float]]:
    """The trend across every wave (:mod:`.trend`): the slope per wave and its interval in ``diff_medel*``."""
    common = {
        "parad": fit.paired,
        "n_fran": len(cells[0]),
        "n_till": len(cells[-1]),
        "n_par": fit.n_linked,
        "diff_medel": fit.slope,
        "diff_andel_positiva": math.nan,
        "ci_lag": math.nan,
        "ci_hog": math.nan,
        "diff_medel_lag": fit.low,
        "diff_medel_hog": fit.high,
    }
    return common, [fit.result], {}


def _omnibus_rows(cells: list[_Cell], min_n: int, linked: list[np.ndarray] | None = None) -> tuple[dict[str, Any], list[_Result], dict[str, float]]:
    positions = _linked(cells) if linked is None else linked
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
        "diff_medel_lag": math.nan,
        "diff_medel_hog": math.nan,
    }
    return common, results, {}


def _all_pair_rows(
    triples: list[tuple[str, str, str]], plan: list[dict[str, _Cell]], pairs: list[tuple[str, str]], waves: list[str], min_n: int
) -> dict[tuple, tuple[dict[str, Any], list[_Result], dict[str, float]]]:
    """Rows of every pair of waves (key ``(t, fran, till)``) and omnibus (``(t, ACROSS_ALL)``) of every triple.

    People are linked for all comparisons at once and the tests of partly
    linked and of independent waves and across all waves computed together
    (:mod:`.change_rows`); the same rows as :func:`_pair_rows` and
    :func:`_omnibus_rows` one at a time, which still give the paired pairs.
    """
    across = len(waves) >= 3
    comparisons: list[tuple[str, ...]] = [*pairs, *([tuple(waves)] if across else [])]
    links = _link_all(triples, plan, comparisons, ALL)
    registry = _Registry([cell for wave_cells in plan for cell in wave_cells.values()])

    def linked(t: int, comparison: tuple[str, ...]) -> list[np.ndarray]:
        if links is None:
            return _linked([plan[t][wave] for wave in comparison])
        return links[(t, comparison)]

    out: dict[tuple, tuple[dict[str, Any], list[_Result], dict[str, float]]] = {}
    batches: dict[str, list[tuple[tuple, list[np.ndarray]]]] = {FULLY: [], PARTLY: [], NOT_LINKED: []}  # by linkage
    across_all: list[tuple[tuple, list[np.ndarray]]] = []
    for t, wave_cells in enumerate(plan):
        for fran, till in pairs:
            if fran not in wave_cells or till not in wave_cells:
                continue
            first, second = wave_cells[fran], wave_cells[till]
            positions = linked(t, (fran, till))
            linkage = _linkage(len(positions[0]), [len(first), len(second)], min_n)
            batches[linkage].append(((t, fran, till), positions))
        if across and len(wave_cells) == len(waves):
            across_all.append(((t, ACROSS_ALL), linked(t, tuple(waves))))

    def cells_of(batch: list, wave: int) -> np.ndarray:
        return registry.ids([plan[key[0]][key[1 + wave]] for key, _ in batch])

    paired, partly, alone = batches[FULLY], batches[PARTLY], batches[NOT_LINKED]
    items = {key: i for i, key in enumerate(dict.fromkeys(triple[:2] for triple in triples))}

    def paired_one(j: int) -> tuple[dict[str, Any], list[_Result], dict[str, float]]:
        (t, fran, till), positions = paired[j]
        return _pair_rows(plan[t][fran], plan[t][till], min_n, positions)

    def paired_shift(j: int) -> dict[str, float]:
        (t, fran, till), (index1, index2) = paired[j]
        moved = hodges_lehmann_paired(plan[t][fran].values[index1], plan[t][till].values[index2])
        return dict(zip(_SHIFT_COLUMNS, moved, strict=True))

    def partial_one(j: int) -> tuple[dict[str, Any], list[_Result], dict[str, float]]:
        (t, fran, till), positions = partly[j]
        return _partial_rows(plan[t][fran], plan[t][till], *positions)

    def alone_one(j: int) -> tuple[dict[str, Any], list[_Result], dict[str, float]]:
        (t, fran, till), positions = alone[j]
        return _pair_rows(plan[t][fran], plan[t][till], min_n, positions)

    def alone_shift(j: int) -> dict[str, float]:
        (t, fran, till), _ = alone[j]
        return dict(zip(_SHIFT_COLUMNS, hodges_lehmann_independent(plan[t][fran].values, plan[t][till].values), strict=True))

    def across_one(j: int) -> tuple[dict[str, Any], list[_Result], dict[str, float]]:
        (t, _), positions = across_all[j]
        return _omnibus_rows([plan[t][w] for w in waves], min_n, positions)

    found = [
        (
            paired,
            _paired_batch(registry, cells_of(paired, 0), cells_of(paired, 1), [p[0] for _, p in paired], [p[1] for _, p in paired], paired_one, paired_shift),
        ),
        (partly, _partial_batch(registry, cells_of(partly, 0), cells_of(partly, 1), [p[0] for _, p in partly], [p[1] for _, p in partly], partial_one)),
        (
            alone,
            _independent_batch(
                registry,
                cells_of(alone, 0),
                cells_of(alone, 1),
                [len(p[0]) for _, p in alone],
                np.array([items[triples[t][:2]] for (t, _, _), _ in alone], dtype=np.int64),
                alone_one,
                alone_shift,
            ),
        ),
        (
            across_all,
            _omnibus_batch(
                registry,
                np.array([[registry.index[id(plan[t][w])] for w in waves] for (t, _), _ in across_all], dtype=np.int64).reshape(-1, len(waves)),
                [p for _, p in across_all],
                min_n,
                across_one,
            ),
        ),
    ]
    for batch, rows in found:
        for (key, _), row in zip(batch, rows, strict=True):
            out[key] = row
    return out


def _wave_pairs(waves: list[str]) -> list[tuple[str, str]]:
    pairs = list(itertools.pairwise(waves))
    if len(waves) >= 3:
        pairs.append((waves[0], waves[-1]))
    return pairs


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
        more waves, first → last, one row per kind of test (the mean, share
        positive); with three or more waves also two omnibus rows and one
        trend row (``fran``/``till`` the first and the last wave, ``test``
        one of :data:`~.families.TREND_TESTS`, see :mod:`.trend`).

        - ``niva``: ``fraga`` or ``index``; ``id``: question or index id
        - ``grupp``: ``Alla`` or the reporting group
        - ``fran``, ``till``: the wave labels compared; ``"alla"`` and ``""``
          on omnibus rows (all waves)
        - ``parad`` (bool): the test is paired (every answer linked); False
          for partly linked waves (``partover_*``, every answer tested)
        - ``n_fran``, ``n_till`` (int): values tested in each wave (every
          valid answer, also when paired or partly linked); on omnibus rows
          the first and the last wave (the linked people when paired)
        - ``n_par`` (int): people linked between the waves with a value in
          each (across all waves on omnibus rows; on trend rows people with
          a value in at least two of the waves)
        - ``diff_medel``: mean later − mean earlier of the values tested; on
          trend rows the fitted change per wave
        - ``diff_andel_positiva``: share positive later − earlier
        - ``ci_lag``, ``ci_hog``: 95 % Newcombe interval of
          ``diff_andel_positiva`` (paired or independent version; for partly
          linked waves the interval of the partially overlapping z-test, or
          the independent Newcombe interval when every answer or none is
          positive), the same on both rows of a pair; NaN (like
          ``diff_andel_positiva``) on omnibus and trend rows
        - ``test``: ``wilcoxon``, ``mann_whitney``, ``partover_t``,
          ``mcnemar``, ``chi2``, ``fisher``, ``partover_z``, ``friedman``,
          ``kruskal_wallis``, ``cochrans_q``, or a trend test ``trend_lmm``,
          ``page`` or ``jonckheere``
        - ``statistika``: the test statistic (see the module docstring)
        - ``p_unc``: two-sided p-value; NaN when the test cannot be computed
        - ``p_corr``: adjusted within the row's family (NaN rows not counted)
        - ``effekt``: the effect size, positive for an increase where signed
        - ``effektmatt``: ``rangbiserial``, ``andelsskillnad``,
          ``kendalls_w``, ``epsilon2``, ``cramers_v``, ``r_t``
          (:mod:`.overlap`), ``rangbiserial_ordnad``, ``spearman_medel``,
          ``lutning_sd`` (:mod:`.trend`) or ``""``

        Appended after the original contract columns (:mod:`.intervals`, :mod:`.shift`):

        - ``diff_medel_lag``, ``diff_medel_hog``: 95 % t interval of
          ``diff_medel`` (paired t on the linked people's differences when
          ``parad``, the partially overlapping t interval when partly linked,
          else Welch); the same on both rows of a pair, NaN on omnibus rows
          and with fewer than two values; on trend rows the 95 % interval of
          the change per wave
        - ``hl_skift``: Hodges–Lehmann shift later − earlier on the ordinal
          test's row (``wilcoxon``: median of the Walsh averages of the
          non-zero differences; ``mann_whitney``: median of all pairwise
          differences); its sign agrees with the rank test's data, unlike
          ``diff_medel`` when answers spread out. NaN on share and omnibus rows
        - ``hl_lag``, ``hl_hog``: its 95 % interval as R's
          ``wilcox.test(..., conf.int = TRUE)`` (exact or normal approximation
          by the test's own rule); NaN where R cannot reach 95 %
        - ``familj``: ``primär`` (for ``Alla``, the test of the mean first →
          last and the trend of each index, or question with ``primar:
          fragor`` or without indices) or ``utforskande`` (every other row),
          see :mod:`.families`
        - ``justering``: ``holm`` or ``bh``, the method that adjusted ``p_corr``
          (the plan is ``survey.instrument.statistics``)

        Appended last, only where the organisation mix of a pair of waves
        shifted: the composition-standardised rows of ``grupp``
        ``Alla (standardiserad)``, tests ``standardiserat_medel`` and
        ``standardiserad_andel``, family ``standardiserad``
        (:func:`~.composition.standardised_changes`).
    """
    waves = [str(w) for w in survey.waves]
    shown = _shown(comparison)
    cells = _cells(survey, min_n)
    rows: list[dict[str, Any]] = []

    def emit(niva: str, item: str, group: str, fran: str, till: str, common: dict, results: list[_Result], shift: dict) -> None:
        for res in results:
            rows.append(
                {"niva": niva, "id": item, "grupp": group, "fran": fran, "till": till, **common,
                 "test": res.test, "statistika": res.statistic, "p_unc": res.p, "p_corr": math.nan,
                 "effekt": res.effect, "effektmatt": res.measure,
                 **(shift if res.test in _ORDINAL_TESTS else {})}
            )  # fmt: skip

    triples = _items_and_groups(comparison)
    plan: list[dict[str, _Cell]] = []
    for niva, item, group in triples:
        wave_cells: dict[str, _Cell] = {}
        for wave in waves:
            cell = cells.get(niva, item, group, wave)
            if (niva, item, group, wave) in shown and cell is not None and len(cell) > 0:
                wave_cells[wave] = cell
        plan.append(wave_cells)
    pairs = _wave_pairs(waves)
    computed = _all_pair_rows(triples, plan, pairs, waves, min_n)
    trends = _trend_fits(survey, comparison, min_n)  # after the pairs: a worker process may be searching its mixed models
    for t, (niva, item, group) in enumerate(triples):
        wave_cells = plan[t]
        for fran, till in pairs:
            if (t, fran, till) in computed:
                emit(niva, item, group, fran, till, *computed[(t, fran, till)])
        if (t, ACROSS_ALL) in computed:
            emit(niva, item, group, ACROSS_ALL, "", *computed[(t, ACROSS_ALL)])
        if (niva, item, group) in trends:
            emit(niva, item, group, waves[0], waves[-1], *_trend_rows(trends[(niva, item, group)], [wave_cells[w] for w in waves]))
    table = _finish(rows, CHANGE_COLUMNS, {"parad": "bool", "n_fran": "int64", "n_till": "int64", "n_par": "int64"})
    instrument = survey.instrument
    table = change_families(table, waves, instrument.statistics, bool(instrument.indices))
    # -- composition hook (issue 18, analysis.composition): the standardised "Alla" rows, appended last,
    # only for pairs of waves whose organisation mix shifted; their own family, so no other p_corr moves.
    standardised = standardised_changes(survey, comparison, min_n, list(table.columns))
    if not standardised.empty:
        table = pd.concat([table, standardised], ignore_index=True)
    return table.astype(_APPENDED_FLOATS)
