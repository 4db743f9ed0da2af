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

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from slutrapport.analysis.describe import observations
from slutrapport.analysis.suppression import ALL
from slutrapport.sources.survey.ingest import SurveyData

__all__ = ["ACROSS_ALL", "FULLY", "PARTLY", "NOT_LINKED"]

ACROSS_ALL = "alla"  # ``fran`` / ``grupp_a`` of an omnibus row
#: How two waves are linked (:func:`_linkage`): every answer, some of them, or too few.
FULLY, PARTLY, NOT_LINKED = "alla", "delvis", "ingen"
_FLOAT_COLUMNS = {"diff_medel", "diff_andel_positiva", "ci_lag", "ci_hog", "statistika", "p_unc", "p_corr", "effekt"}


@dataclass(frozen=True)
class _Cell:
    """The values of one (level, id, group, wave) cell."""

    values: np.ndarray
    positive: np.ndarray
    keys: np.ndarray  # linking code, None when the person cannot be linked

    def __len__(self) -> int:
        return len(self.values)


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
