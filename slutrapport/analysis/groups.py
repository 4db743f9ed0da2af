"""Differences between the reporting groups within each wave.

:func:`group_differences` compares, per question or index and wave, the
groups that the comparison table shows: a Kruskal–Wallis test across them and
a Mann–Whitney U test for every pair (see :mod:`.stattests` for the tests'
settings and effect sizes, :mod:`.cells` for which cells are tested). Each
wave's rows are one family (``familj`` ``gruppskillnader``): ``p_corr`` is
Holm-adjusted within the wave, see :mod:`.families`.
"""

from __future__ import annotations

import math
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd

from slutrapport.analysis.cell_stats import _value_counts
from slutrapport.analysis.cells import ACROSS_ALL, _Cell, _cells, _finish, _items_and_groups, _shown
from slutrapport.analysis.coded import _groups, _observations
from slutrapport.analysis.counts import _grid_counts, _mann_whitney_counts
from slutrapport.analysis.families import FAMILY_COLUMNS, group_families
from slutrapport.analysis.stattests import (
    _EXACT_LIMIT,
    _RANK_BISERIAL,
    _has_nan,
    _kruskal,
    _kruskal_from_counts,
    _mann_whitney,
    _mann_whitney_exact,
    _mann_whitney_result,
    _Result,
)
from slutrapport.analysis.suppression import ALL
from slutrapport.sources.survey.ingest import SurveyData

__all__ = ["GROUP_DIFFERENCE_COLUMNS", "group_differences"]

GROUP_DIFFERENCE_COLUMNS = [
    "niva", "id", "enkat", "grupp_a", "grupp_b", "n_a", "n_b", "test", "statistika",
    "p_unc", "p_corr", "effekt", "effektmatt",
    *FAMILY_COLUMNS,
]  # fmt: skip


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
        - ``p_corr``: Holm-adjusted over the rows of the same wave (one family per wave)
        - ``effekt``: epsilon² (Kruskal–Wallis) or rank-biserial correlation,
          positive when ``grupp_b`` is higher
        - ``effektmatt``: ``epsilon2`` or ``rangbiserial``
        - ``familj``: ``gruppskillnader``; ``justering``: ``holm``
    """
    waves = [str(w) for w in survey.waves]
    shown = _shown(comparison)
    order = _items_and_groups(comparison)
    obs = _observations(survey, min_n)
    if np.isnan(obs.value).any():  # scipy would not compute these: keep the earlier path, cell by cell
        return _from_cells(survey, min_n, waves, shown, order)
    counted = _value_counts(survey, min_n)
    _, group_count, wave_count = counted.shape
    item_of = {(niva, item): i for i, (niva, item, _) in enumerate(obs.items)}
    group_of = {g: i for i, g in enumerate(_groups(survey, min_n).names)}
    blocks: list[dict[str, Any]] = []
    items = list(dict.fromkeys((niva, item) for niva, item, _ in order))
    for niva, item in items:
        groups = [g for n, i, g in order if (n, i) == (niva, item) and g != ALL]
        for w, wave in enumerate(waves):
            present = [g for g in groups if (niva, item, g, wave) in shown and g in group_of]
            rows = np.array([(item_of[(niva, item)] * group_count + group_of[g]) * wave_count + w for g in present], dtype=np.int64)
            counts = counted.counts[rows] if len(rows) else np.zeros((0, 0), dtype=np.int64)
            filled = counts.sum(axis=1) > 0
            if filled.sum() < 2:
                continue
            present = [g for g, keep in zip(present, filled, strict=True) if keep]
            counts = counts[filled]
            counts = counts[:, counts.sum(axis=0) > 0]  # the pooled grid of these groups' values
            blocks.append(_wave_block(survey, min_n, (niva, item, wave), present, counts))
    return group_families(_table(blocks))


def _from_cells(survey: SurveyData, min_n: int, waves: list[str], shown: set, order: list) -> pd.DataFrame:
    """The earlier path, cell by cell from :func:`~.cells._cells` (values scipy cannot rank, such as NaN)."""
    cells = _cells(survey, min_n)
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
            rows += _wave_rows({"niva": niva, "id": item, "enkat": wave}, present)
    return group_families(_finish(rows, GROUP_DIFFERENCE_COLUMNS, {"n_a": "Int64", "n_b": "Int64"}))


def _wave_rows(base: dict[str, Any], present: list[tuple[str, _Cell]]) -> list[dict[str, Any]]:
    """The Kruskal–Wallis row and the pairwise rows of one question or index at one wave.

    One count table (groups × distinct values) serves every test: the
    Kruskal–Wallis test and the Mann–Whitney U of every pair at once
    (:mod:`.counts`); a pair small enough for the exact test, without ties,
    goes to scipy as before.
    """
    values = [cell.values for _, cell in present]
    sizes = [len(v) for v in values]
    if _has_nan(*values):  # scipy would not compute these: keep the earlier path
        omnibus = _kruskal(values)
        pairs = {(a, b): _mann_whitney(values[a], values[b]) for a, b in combinations(range(len(values)), 2)}
    else:
        counts = _grid_counts(values)
        omnibus = _kruskal_from_counts(counts)
        pairs = _pairwise(counts, values)
    rows = [
        {**base, "grupp_a": ACROSS_ALL, "grupp_b": "", "n_a": sum(sizes), "n_b": pd.NA, "test": omnibus.test,
         "statistika": omnibus.statistic, "p_unc": omnibus.p, "p_corr": math.nan, "effekt": omnibus.effect,
         "effektmatt": omnibus.measure}
    ]  # fmt: skip
    for a, b in combinations(range(len(present)), 2):
        res = pairs[(a, b)]
        rows.append(
            {**base, "grupp_a": present[a][0], "grupp_b": present[b][0], "n_a": sizes[a], "n_b": sizes[b],
             "test": res.test, "statistika": res.statistic, "p_unc": res.p, "p_corr": math.nan,
             "effekt": res.effect, "effektmatt": res.measure}
        )  # fmt: skip
    return rows


def _pairwise(counts: np.ndarray, values: list[np.ndarray]) -> dict[tuple[int, int], _Result]:
    """:func:`~.stattests._mann_whitney` of every pair (a, b), a before b, from the groups × values counts."""
    g = counts.shape[0]
    u, p = _mann_whitney_counts(counts[:, None, :], counts[None, :, :])  # [a, b]: U of b against a
    occupied = (counts[:, None, :] + counts[None, :, :]) > 0
    distinct = occupied.sum(axis=-1)
    sizes = counts.sum(axis=1)
    out: dict[tuple[int, int], _Result] = {}
    for a, b in combinations(range(g), 2):
        if distinct[a, b] < 2:  # every value of the two groups equal
            out[(a, b)] = _Result("mann_whitney", measure="rangbiserial")
        elif sizes[a] < _EXACT_LIMIT and sizes[b] < _EXACT_LIMIT and distinct[a, b] == sizes[a] + sizes[b]:
            out[(a, b)] = _mann_whitney_exact(values[a], values[b])
        else:
            out[(a, b)] = _mann_whitney_result(float(u[a, b]), float(p[a, b]), int(sizes[a]), int(sizes[b]))
    return out


def _wave_block(survey: SurveyData, min_n: int, key: tuple[str, str, str], present: list[str], counts: np.ndarray) -> dict[str, Any]:
    """The Kruskal–Wallis row and every pair's Mann–Whitney row of one question or index at one wave, as columns.

    From the groups × values counts (:mod:`.counts`), as :func:`_wave_rows`;
    a pair small enough for the exact test, without ties, goes to scipy with the cell's values.
    """
    niva, item, wave = key
    omnibus = _kruskal_from_counts(counts)
    sizes = counts.sum(axis=1)
    first, second = np.triu_indices(len(present), 1)  # the pairs (a, b), a before b, as combinations()
    u, p = _mann_whitney_counts(counts[first], counts[second])  # U of b against a
    distinct = ((counts[first] + counts[second]) > 0).sum(axis=1)
    n_a, n_b = sizes[first], sizes[second]
    with np.errstate(divide="ignore", invalid="ignore"):
        effect = 2 * u / (n_a * n_b) - 1
    p = np.where(np.isfinite(p), p, np.nan)
    undefined = distinct < 2  # every value of the two groups equal
    u, p, effect = (np.where(undefined, np.nan, x) for x in (u, p, effect))
    exact = ~undefined & (n_a < _EXACT_LIMIT) & (n_b < _EXACT_LIMIT) & (distinct == n_a + n_b)
    if exact.any():
        cells = _cells(survey, min_n)
        for at in np.flatnonzero(exact):
            res = _mann_whitney_exact(cells.get(niva, item, present[first[at]], wave).values, cells.get(niva, item, present[second[at]], wave).values)
            u[at], p[at], effect[at] = res.statistic, res.p, res.effect
    pairs = len(first)
    names = np.asarray(present, dtype=object)
    return {
        "niva": [niva] * (pairs + 1), "id": [item] * (pairs + 1), "enkat": [wave] * (pairs + 1),
        "grupp_a": [ACROSS_ALL, *names[first]], "grupp_b": ["", *names[second]],
        "n_a": np.concatenate([[sizes.sum()], n_a]), "n_b": np.concatenate([[-1], n_b]),
        "test": [omnibus.test, *["mann_whitney"] * pairs],
        "statistika": np.concatenate([[omnibus.statistic], u]), "p_unc": np.concatenate([[omnibus.p], p]),
        "effekt": np.concatenate([[omnibus.effect], effect]), "effektmatt": [omnibus.measure, *[_RANK_BISERIAL] * pairs],
    }  # fmt: skip


def _table(blocks: list[dict[str, Any]]) -> pd.DataFrame:
    """The rows of every block in one table with :func:`~.cells._finish`'s dtypes (``n_b`` missing on the omnibus rows)."""
    if not blocks:
        return _finish([], GROUP_DIFFERENCE_COLUMNS, {"n_a": "Int64", "n_b": "Int64"})
    columns: dict[str, Any] = {}
    for name in ("niva", "id", "enkat", "grupp_a", "grupp_b", "test", "effektmatt"):
        columns[name] = [x for block in blocks for x in block[name]]
    for name in ("statistika", "p_unc", "effekt"):
        columns[name] = np.concatenate([block[name] for block in blocks]).astype(float)
    n_b = np.concatenate([block["n_b"] for block in blocks]).astype(np.int64)
    columns["n_a"] = pd.array(np.concatenate([block["n_a"] for block in blocks]).astype(np.int64), dtype="Int64")
    columns["n_b"] = pd.array(n_b, dtype="Int64")
    columns["n_b"][n_b < 0] = pd.NA
    columns["p_corr"] = np.full(len(n_b), np.nan)
    return pd.DataFrame(columns)[GROUP_DIFFERENCE_COLUMNS[: -len(FAMILY_COLUMNS)]]
