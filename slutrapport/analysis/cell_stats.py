"""The comparison's statistics per cell from counts: one pass over the coded observations.

:func:`_scale_cells` is the comparison table before suppression (the grid of
:func:`~.describe.compare_waves` with ``n``, ``medel``, ``sd``, ``median`` and
``andel_positiva``), :func:`_distribution` the answers per scale value of
every question cell (:func:`~.describe.answer_distribution`). Both come from
one count table, cells × distinct values, of the observations of
:mod:`.coded`; the ``Alla`` cells are the sums of the group cells.

The numbers are those pandas gave on the text-keyed tables before:

- ``n``, the share positive and the median come from the counts (a count
  and a share are exact; the median is the middle value, or the mean of the
  two middle values, as pandas' group median);
- the mean of whole-number answers is their exact sum over ``n``, which is
  what pandas' compensated sum gives; the mean of index scores (fractions)
  and every standard deviation (Welford's online update, which depends on
  the order of the values) are pandas' own groupby on the integer cell
  codes, over the values in the same order as before.

``tests/analysis/test_cell_stats.py`` compares these with the pandas groupby
they replace on random data. Helpers of the analysis folder only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from slutrapport.analysis.coded import _bincount, _codes, _groups, _observations, _small
from slutrapport.sources.survey.ingest import SurveyData

__all__: list[str] = []  # helpers of the analysis folder only

_GRID_COLUMNS = ["niva", "id", "text", "grupp", "enkat", "n", "medel", "sd", "median", "andel_positiva"]


@dataclass(frozen=True)
class _Counts:
    """Cells (``(item * groups + group) * waves + wave``) × distinct values (ascending ``values``): answers."""

    counts: np.ndarray
    values: np.ndarray
    shape: tuple[int, int, int]  # items, groups, waves


def _value_counts(survey: SurveyData, min_n: int) -> _Counts:
    key = ("value_counts", min_n)
    if key not in survey.derived:
        obs = _observations(survey, min_n)
        groups = _groups(survey, min_n)
        shape = obs.shape
        cells = shape[0] * shape[1] * shape[2]
        cell = obs.cell
        value_codes, uniques = pd.factorize(obs.value)  # missing values get -1 and are not counted (pandas' count)
        order = np.argsort(uniques)
        size = cells * len(uniques)  # the bin ``size`` collects what is not counted
        rank = np.zeros(len(uniques) + 1, dtype=_small(size + 1))
        rank[order] = np.arange(len(uniques))
        flat = rank[value_codes]  # built in place in a small integer type (millions of rows)
        uncounted = (value_codes < 0) | (cell < 0)
        del value_codes
        cell_part = cell.astype(flat.dtype)
        cell_part *= len(uniques)
        flat += cell_part
        del cell_part
        flat[uncounted] = size
        counts = _bincount(flat, size + 1)[:size].reshape(cells, len(uniques))
        if groups.by_organisation:  # Alla: every group of the item and wave together
            grid = counts.reshape(shape[0], shape[1], shape[2], len(uniques))
            grid[:, 0] = grid[:, 1:].sum(axis=1)
        survey.derived[key] = _Counts(counts, np.asarray(uniques, dtype=float)[order], shape)
    return survey.derived[key]


def _median(counts: np.ndarray, values: np.ndarray) -> np.ndarray:
    """The median of each row of ``counts`` (answers per value): the middle value, or the mean of the middle two."""
    n = counts.sum(axis=1)
    out = np.full(len(n), np.nan)
    filled = n > 0
    if not filled.any() or len(values) == 0:
        return out
    cumulative = np.cumsum(counts[filled], axis=1)
    size = n[filled]
    upper = values[np.argmax(cumulative > (size // 2)[:, None], axis=1)]
    lower = values[np.argmax(cumulative > (size // 2 - 1)[:, None], axis=1)]
    out[filled] = np.where(size % 2 == 1, upper, (upper + lower) / 2)
    return out


def _pandas_by_cell(cell: np.ndarray, values: np.ndarray, size: int, how: list[str]) -> dict[str, np.ndarray]:
    """pandas' groupby aggregations ``how`` of ``values`` by integer cell code, as arrays over every cell (NaN: no value)."""
    out = {name: np.full(size, np.nan) for name in how}
    keep = cell >= 0
    if not keep.any():
        return out
    if not keep.all():
        values, cell = values[keep], cell[keep]
    table = pd.Series(values, copy=False).groupby(cell).agg(how)  # as usual, no copies of the millions of values
    at = table.index.to_numpy()
    for name in how:
        out[name][at] = table[name].to_numpy(dtype=float)
    return out


def _scale_cells(survey: SurveyData, min_n: int) -> pd.DataFrame:
    """The comparison's cells before suppression: every item × group present in the wave × wave, in report order."""
    obs = _observations(survey, min_n)
    groups = _groups(survey, min_n)
    waves = _codes(survey).waves
    counted = _value_counts(survey, min_n)
    shape = counted.shape
    cells = shape[0] * shape[1] * shape[2]
    counts, values = counted.counts, counted.values
    n = counts.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        cell = obs.cell
        inside = cell >= 0
        if inside.all():  # counted a block at a time, without full-length copies
            rows, positive = _bincount(cell, cells), _bincount(cell, cells, obs.positive)
        else:
            rows = np.bincount(cell[inside], minlength=cells)
            positive = np.bincount(cell[inside], weights=obs.positive[inside].astype(float), minlength=cells)
        del inside
        everyone = obs.everyone
        if groups.by_organisation:
            grid = rows.reshape(shape)
            grid[:, 0] = grid[:, 1:].sum(axis=1)
            grid = positive.reshape(shape)
            grid[:, 0] = grid[:, 1:].sum(axis=1)
        share = np.where(rows > 0, positive / rows, np.nan)
        mean = np.where(n > 0, (counts * values).sum(axis=1) / n, np.nan) if len(values) else np.full(cells, np.nan)
    median = _median(counts, values)
    whole = np.array_equal(obs.value[: obs.questions], np.round(obs.value[: obs.questions]))
    fractions = np.ones(shape[0], dtype=bool)  # items whose mean pandas computes (index scores are fractions)
    fractions[obs.indices :] = not whole  # whole-number answers: the mean from the counts is exact
    partial = np.where(fractions[obs.item], cell, -1)
    found = _pandas_by_cell(cell, obs.value, cells, ["std"])
    sd, mean = found["std"], np.where(np.repeat(fractions, shape[1] * shape[2]), _pandas_by_cell(partial, obs.value, cells, ["mean"])["mean"], mean)
    if groups.by_organisation:  # the Alla cells: pandas over every value of the item and wave, in the same order
        alla = np.zeros(shape, dtype=bool)
        alla[:, 0] = True
        alla = alla.ravel()
        sd[alla] = _pandas_by_cell(everyone, obs.value, cells, ["std"])["std"][alla]
        again = alla & np.repeat(fractions, shape[1] * shape[2])
        mean[again] = _pandas_by_cell(np.where(fractions[obs.item], everyone, -1), obs.value, cells, ["mean"])["mean"][again]
    return _grid_frame(obs.items, groups, waves, shape, n, mean, sd, median, share)


def _grid_frame(items, groups, waves, shape, n, mean, sd, median, share) -> pd.DataFrame:
    item, group, wave = (a.ravel() for a in np.meshgrid(*(np.arange(s) for s in shape), indexing="ij"))
    shown = (group == 0) | groups.present[group, wave]
    at = np.flatnonzero(shown)
    item, group, wave = item[at], group[at], wave[at]
    return pd.DataFrame(
        {
            "niva": np.array([i[0] for i in items], dtype=object)[item],
            "id": np.array([i[1] for i in items], dtype=object)[item],
            "text": np.array([i[2] for i in items], dtype=object)[item],
            "grupp": np.asarray(groups.names, dtype=object)[group],
            "enkat": np.asarray(waves, dtype=object)[wave],
            "n": n[at].astype(np.int64),
            "medel": mean[at],
            "sd": sd[at],
            "median": median[at],
            "andel_positiva": share[at],
        },
        columns=_GRID_COLUMNS,
    )
