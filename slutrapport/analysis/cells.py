"""The cells that the tests of change and of group differences compare.

A cell is the values of one (level, id, group, wave) of the comparison table,
with each person's linking code; :func:`~.changes.wave_changes` and
:func:`~.groups.group_differences` build their rows from these cells and
finish their tables with :func:`_finish` (fixed dtypes; ``p_corr`` is set by
:mod:`.families`).

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
every wave compared. Two waves are compared in one of three ways
(:func:`_linkage`), by the linked people with a value in both (``n_par``):

- every answer of both waves is linked (:data:`FULLY`), and ``n_par`` is at
  least 2 and at least ``min_n``: the paired tests;
- some but not all answers are linked (:data:`PARTLY`), at least 2 and at
  least ``min_n`` people: the partially overlapping samples tests of
  :mod:`.overlap`, on every answer (the pairs and the unlinked answers);
- otherwise (:data:`NOT_LINKED`): the independent tests on every answer.

The ``min_n`` condition keeps a test from resting on a correlation of fewer
pairs than the anonymity threshold. The tests across all waves (omnibus
rows) are paired when the people linked across every wave are more than half
of the answers of every wave, at least 2 and at least ``min_n``, and then use
those people only; the trend rows are described in :mod:`.trend`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from slutrapport.analysis.coded import _bincount, _codes, _groups, _link_codes, _observations
from slutrapport.sources.survey.ingest import SurveyData

__all__ = ["ACROSS_ALL", "FULLY", "PARTLY", "NOT_LINKED"]

ACROSS_ALL = "alla"  # ``fran`` / ``grupp_a`` of an omnibus row
#: How two waves are linked (:func:`_linkage`): every answer, some of them, or too few.
FULLY, PARTLY, NOT_LINKED = "alla", "delvis", "ingen"
_FLOAT_COLUMNS = {"diff_medel", "diff_andel_positiva", "ci_lag", "ci_hog", "statistika", "p_unc", "p_corr", "effekt"}


class _Cell:
    """The values of one (level, id, group, wave) cell, in the order of the observations.

    ``link`` is each person's linking code as a number (-1: cannot be linked),
    numbered in the sorted order of the codes; ``keys`` are the codes
    themselves (None when the person cannot be linked).
    """

    __slots__ = ("values", "positive", "link", "_names", "_sorted")

    def __init__(self, values: np.ndarray, positive: np.ndarray, link: np.ndarray, names: np.ndarray) -> None:
        self.values = values
        self.positive = positive
        self.link = link
        self._names = names  # the codes' texts by number, None last (number -1)
        self._sorted: tuple[np.ndarray, np.ndarray] | None = None

    def __len__(self) -> int:
        return len(self.values)

    @property
    def keys(self) -> np.ndarray:
        return self._names[self.link]

    def sorted_links(self) -> tuple[np.ndarray, np.ndarray]:
        """The linked people's numbers in ascending order and their positions in the cell."""
        if self._sorted is None:
            at = np.flatnonzero(self.link >= 0)
            order = np.argsort(self.link[at], kind="stable")
            self._sorted = (self.link[at][order], at[order])
        return self._sorted


def _cells(survey: SurveyData, min_n: int) -> _Cells:
    """The test cells of :func:`~.describe.observations` with linking codes, built once per survey."""
    key = ("test_cells", min_n)
    if key not in survey.derived:
        survey.derived[key] = _Cells(survey, min_n)
    return survey.derived[key]


class _Cells:
    """Cells of observations by (niva, id, grupp, enkat), ``Alla`` included (from the codes of :mod:`.coded`)."""

    def __init__(self, survey: SurveyData, min_n: int) -> None:
        obs = _observations(survey, min_n)
        groups = _groups(survey, min_n)
        waves = _codes(survey).waves
        link, names = _link_codes(survey)
        shape = (len(obs.items), len(groups.names), len(waves))
        person_link = link[obs.person]
        self._cells: dict[tuple[str, str, str, str], _Cell] = {}
        passes = [obs.cell, obs.everyone] if groups.by_organisation else [obs.cell]
        size = shape[0] * shape[1] * shape[2]
        for cell in passes:
            if (cell >= 0).all():
                order = np.argsort(cell.astype(np.uint16) if size < 2**16 else cell, kind="stable")
                counts = _bincount(cell, size)
            else:  # a wave outside the survey's has no cell
                inside = np.flatnonzero(cell >= 0)
                order = inside[np.argsort(cell[inside].astype(np.uint16) if size < 2**16 else cell[inside], kind="stable")]
                counts = np.bincount(cell[inside], minlength=size)
                del inside
            values, positive, links = obs.value[order], obs.positive[order], person_link[order]
            del order
            ends = np.cumsum(counts)
            for code in np.flatnonzero(counts):
                start, end = ends[code] - counts[code], ends[code]
                item, rest = divmod(int(code), shape[1] * shape[2])
                group, wave = divmod(rest, shape[2])
                niva, item_id, _ = obs.items[item]
                self._cells[(niva, item_id, groups.names[group], waves[wave])] = _Cell(values[start:end], positive[start:end], links[start:end], names)

    def get(self, niva: str, item: str, group: str, wave: str) -> _Cell | None:
        return self._cells.get((niva, item, group, wave))


def _shown(comparison: pd.DataFrame) -> set[tuple[str, str, str, str]]:
    """(niva, id, grupp, enkat) of the cells the comparison table shows with at least one answer."""
    n = pd.to_numeric(comparison["n"], errors="coerce").fillna(0)
    shown = comparison[~comparison["undertryckt"].astype(bool) & (n > 0)]
    return set(zip(shown["niva"], shown["id"], shown["grupp"], shown["enkat"].astype(str), strict=True))


def _linked(cells: list[_Cell]) -> list[np.ndarray]:
    """Positions in each cell of the people linked across all the cells, in the order of their linking codes."""
    links = [cell.sorted_links() for cell in cells]
    common = links[0][0]
    for numbers, _ in links[1:]:  # the numbers in every cell (each cell's numbers are sorted and distinct)
        if len(numbers) == 0:
            common = numbers
            break
        at = np.minimum(np.searchsorted(numbers, common), len(numbers) - 1)
        common = common[numbers[at] == common]
    return [positions[np.searchsorted(numbers, common)].astype(int) for numbers, positions in links]


def _linkage(n_linked: int, sizes: list[int], min_n: int) -> str:
    """:data:`FULLY`, :data:`PARTLY` or :data:`NOT_LINKED` for two waves with these cell sizes."""
    if n_linked < max(2, min_n):
        return NOT_LINKED
    return FULLY if all(n_linked == size for size in sizes) else PARTLY


def _is_paired(n_linked: int, sizes: list[int], min_n: int) -> bool:
    return n_linked >= max(2, min_n) and all(n_linked * 2 > size for size in sizes)


def _items_and_groups(comparison: pd.DataFrame) -> list[tuple[str, str, str]]:
    """(niva, id, grupp) in the comparison table's order."""
    keys = comparison[["niva", "id", "grupp"]].drop_duplicates()
    return list(keys.itertuples(index=False, name=None))


def _finish(rows: list[dict[str, Any]], columns: list[str], int_columns: dict[str, str]) -> pd.DataFrame:
    """The table of ``rows`` with fixed dtypes; ``p_corr`` and the family columns are left for :mod:`.families`."""
    table = pd.DataFrame(rows, columns=columns)
    for name, dtype in int_columns.items():
        table[name] = table[name].astype(dtype)
    for name in _FLOAT_COLUMNS.intersection(columns):
        table[name] = table[name].astype(float)
    return table[columns]
