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

from slutrapport.analysis.cells import ACROSS_ALL, _Cell, _cells, _finish, _items_and_groups, _shown
from slutrapport.analysis.counts import _grid_counts, _mann_whitney_counts
from slutrapport.analysis.families import FAMILY_COLUMNS, group_families
from slutrapport.analysis.stattests import (
    _EXACT_LIMIT,
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
