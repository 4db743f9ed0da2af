"""The survey's result tables cut to one index and its questions, for the blocks and sentences of that index.

Every block of an index (:func:`~.survey.index_blocks`, the changes and pair
tables, the sentences of :func:`~slutrapport.wording.survey.index_paragraph`)
selects its rows by ``id`` (or ``index``) from the whole tables. In a large
survey those tables have tens of thousands of rows (every pair of 30
organisations for every question and wave), and comparing their text columns
again for every index and block was most of the report model's time.
:class:`ItemRows` splits each table by id once; :meth:`ItemRows.results`
gives the results with only the rows of the ids asked for, in the tables'
own order, so every block finds exactly the rows it found before.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from slutrapport.analysis.survey import SurveyResults

__all__ = ["ItemRows"]

#: The tables of :class:`~slutrapport.analysis.survey.SurveyResults` with a row per question or index, and the column naming it.
_BY_ITEM = {
    "comparison": "id", "changes": "id", "group_tests": "id", "intervals": "id", "distribution": "id", "trends": "id",
    "reliability": "index", "alpha_if_deleted": "index",
}  # fmt: skip


class ItemRows:
    """The positions of each id's rows in the per-item tables of ``results``, found once."""

    def __init__(self, results: SurveyResults) -> None:
        self._results = results
        self._positions: dict[str, dict] = {}
        for name, column in _BY_ITEM.items():
            table = getattr(results, name, None)
            if isinstance(table, pd.DataFrame) and column in table.columns:
                self._positions[name] = table.groupby(table[column].astype(object), sort=False).indices

    def results(self, ids: list[str], tables: tuple[str, ...] | None = None) -> SurveyResults:
        """``results`` with the per-item tables holding only the rows of ``ids``; the other tables as they are.
        ``tables`` (names of :class:`SurveyResults` fields) cuts only those, for a caller that reads no others
        (or selects its rows by id itself)."""
        cut = {}
        for name, positions in self._positions.items():
            if tables is not None and name not in tables:
                continue
            found = [positions[i] for i in dict.fromkeys(ids) if i in positions]
            rows = np.sort(np.concatenate(found)) if found else np.empty(0, dtype=np.intp)
            cut[name] = getattr(self._results, name).take(rows)
        return dataclasses.replace(self._results, **cut)
