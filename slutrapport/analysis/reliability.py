"""Internal consistency of the indices: Cronbach's alpha per index, wave and group.

:func:`reliability` returns the table behind ``reliabilitet.csv`` and a table
of alpha if an item is deleted. Alpha is computed on the index's items after
reversing ``omvand`` items (``min + max − value`` of the item's own scale,
as in the index score),
on the respondents who answered every item on the scale (listwise complete
cases), with

    alpha = k / (k − 1) · (1 − Σ var(item) / var(sum of items))

(sample variances; Cronbach 1951). It equals Hoyt's (1941) ANOVA reliability
and the consistency intra-class correlation ICC(3, k) of Shrout & Fleiss (1979).

Only cells that the comparison table shows for the index (``Alla`` and the
reporting groups, not suppressed) and that have at least ``min_n`` complete
cases are reported, so a small group is never described. Indices with fewer
than two items have no alpha.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from slutrapport.analysis.coded import _codes, _first_order, _groups
from slutrapport.analysis.describe import INDEX, _mirror_sums
from slutrapport.analysis.suppression import ALL
from slutrapport.sources.survey.ingest import SurveyData

__all__ = [
    "AnswerCache",
    "LOW_ALPHA",
    "RELIABILITY_COLUMNS",
    "ITEM_DELETED_COLUMNS",
    "cronbach_alpha",
    "part_rows",
    "reliability",
    "reliability_of_parts",
    "reliability_parts",
]

LOW_ALPHA = 0.7  # alpha below this is commonly flagged as low internal consistency
RELIABILITY_COLUMNS = ["index", "enkat", "grupp", "n", "alfa", "antal_fragor"]
ITEM_DELETED_COLUMNS = ["index", "enkat", "grupp", "fraga", "alfa_utan_fragan"]


def cronbach_alpha(items: np.ndarray) -> float:
    """Cronbach's alpha of an n × k matrix of complete item scores.

    Parameters
    ----------
    items : ndarray
        One row per respondent, one column per item, no missing values.

    Returns
    -------
    float
        Alpha; NaN with fewer than 2 items or 2 respondents, or when the sum
        score does not vary.
    """
    x = np.asarray(items, dtype=float)
    if x.ndim != 2:
        raise ValueError("items must be a two-dimensional array")
    n, k = x.shape
    if k < 2 or n < 2:
        return math.nan
    total_variance = x.sum(axis=1).var(ddof=1)
    if total_variance == 0:
        return math.nan
    return float(k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / total_variance))


class _Answered:
    """The answers to index items as codes, found once for every index (the tidy table has a row per
    respondent × question × wave: millions in a large survey)."""

    def __init__(self, survey: SurveyData) -> None:
        instrument = survey.instrument
        self.codes = _codes(survey)
        indices = list(dict.fromkeys(q.index for q in instrument.scale_questions if q.index))
        index_of = np.full(len(instrument.questions) + 1, -1, dtype=np.int64)
        for i, question in enumerate(instrument.questions):
            if question in instrument.scale_questions and question.index:
                index_of[i] = indices.index(question.index)
        rows = np.flatnonzero(self.codes.answered & (index_of[self.codes.question] >= 0))
        index = index_of[self.codes.question[rows]]
        order = np.argsort(index.astype(np.uint16) if len(indices) < 2**16 else index, kind="stable")
        self.rows = rows[order]  # by index, each index's rows in the tidy table's order
        bounds = np.concatenate([[0], np.cumsum(np.bincount(index, minlength=len(indices)))])
        self.slices = {index_id: slice(bounds[i], bounds[i + 1]) for i, index_id in enumerate(indices)}
        self.question = self.codes.question[self.rows]
        self.values = self.codes.value[self.rows]


def _item_matrix(survey: SurveyData, index_id: str, answered: _Answered | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Respondent × item values (reversed where ``omvand``), complete cases only, and the respondents' codes.

    Respondents are in the order of their first answer to an item of the index in
    the tidy table (the files' order), not sorted by id (see :func:`~.describe.index_scores`).
    """
    instrument = survey.instrument
    items = instrument.index_items(index_id)
    answered = answered or _Answered(survey)
    position = {q.id: i for i, q in enumerate(instrument.questions)}
    column = np.full(len(instrument.questions) + 1, -1, dtype=np.int64)
    mirror = np.full(len(items), np.nan)
    for j, question in enumerate(items):
        column[position[question.id]] = j
    for question, total in _mirror_sums(instrument, items).items():
        mirror[[q.id for q in items].index(question)] = total
    at = answered.slices.get(index_id, slice(0, 0))
    which = column[answered.question[at]]
    values = answered.values[at]
    values = np.where(np.isnan(mirror[which]), values, mirror[which] - values)
    inverse, people = _first_order(answered.codes.person[answered.rows[at]], len(answered.codes.people))
    wide = np.full((len(people), len(items)), np.nan)
    wide[inverse[::-1], which[::-1]] = values[::-1]  # the first answer of a respondent to an item
    complete = ~np.isnan(wide).any(axis=1)
    return wide[complete], np.asarray(people)[complete]


def reliability(survey: SurveyData, comparison: pd.DataFrame, min_n: int = 5) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cronbach's alpha per index, wave and group, and alpha if an item is deleted.

    Parameters
    ----------
    survey : SurveyData
        The validated waves.
    comparison : DataFrame
        The table from :func:`~.describe.compare_waves` (same ``min_n``); only
        its shown index cells are reported, in its order.
    min_n : int, default 5
        Anonymity threshold: a cell needs at least this many complete cases.

    Returns
    -------
    alpha : DataFrame
        Columns :data:`RELIABILITY_COLUMNS` (``reliabilitet.csv``):

        - ``index``: index id; ``enkat``: wave; ``grupp``: ``Alla`` or group
        - ``n`` (int): respondents who answered every item of the index
        - ``alfa``: Cronbach's alpha (NaN when the sum score does not vary);
          compare with :data:`LOW_ALPHA`
        - ``antal_fragor`` (int): items in the index
    item_deleted : DataFrame
        Columns :data:`ITEM_DELETED_COLUMNS`, for indices with at least three
        items (with two, the remaining single item has no alpha):

        - ``index``, ``enkat``, ``grupp``: as above
        - ``fraga``: the item left out
        - ``alfa_utan_fragan``: alpha of the other items on the same
          respondents
    """
    return _tables([part_rows(survey, min_n, AnswerCache(), _cells(comparison))])


def reliability_parts(comparison: pd.DataFrame) -> list[pd.DataFrame]:
    """The cells :func:`reliability` reports, in parts (one run of an index's cells each): :func:`reliability_of_parts`
    of :func:`part_rows` of each part, in order, is :func:`reliability`'s result."""
    cells = _cells(comparison)
    ids = cells["id"].to_numpy(dtype=object)
    starts = [0, *(k for k in range(1, len(ids)) if ids[k] != ids[k - 1])]
    return [cells.iloc[start:end] for start, end in zip(starts, [*starts[1:], len(ids)], strict=True)] if len(ids) else []


def part_rows(survey: SurveyData, min_n: int, answers: AnswerCache, cells: pd.DataFrame) -> tuple[list[tuple], list[tuple]]:
    """The rows of :func:`reliability`'s two tables for a part of its cells (:func:`reliability_parts`); the parts
    of one reliability share one ``answers``."""
    return _rows(survey, min_n, cells, answers)


def reliability_of_parts(rows: list[tuple[list[tuple], list[tuple]]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`reliability`'s two tables from the rows of its parts, in order."""
    return _tables(rows)


class AnswerCache:
    """The answers to the index items as codes (a large survey's millions), found when a part of a reliability
    first needs them and kept for its other parts while this object lives; never pickled (a worker process
    finds them again from the survey it was sent)."""

    def __init__(self) -> None:
        self._found: _Answered | None = None

    def of(self, survey: SurveyData) -> _Answered:
        if self._found is None:
            self._found = _Answered(survey)
        return self._found

    def __getstate__(self) -> dict:
        return {"_found": None}


def _cells(comparison: pd.DataFrame) -> pd.DataFrame:
    """The comparison's shown index cells with respondents, in its order."""
    n_values = pd.to_numeric(comparison["n"], errors="coerce").fillna(0)
    return comparison[(comparison["niva"] == INDEX) & ~comparison["undertryckt"].astype(bool) & (n_values > 0)]


def _rows(survey: SurveyData, min_n: int, cells: pd.DataFrame, answers: AnswerCache) -> tuple[list[tuple], list[tuple]]:
    instrument = survey.instrument
    alpha_rows: list[tuple] = []
    deleted_rows: list[tuple] = []
    matrices: dict[str, tuple[np.ndarray, dict, bool]] = {}
    index_items: dict[str, list[str]] = {}
    for index_id, group, wave in zip(cells["id"], cells["grupp"], cells["enkat"].astype(str), strict=True):
        if index_id not in index_items:
            index_items[index_id] = [q.id for q in instrument.index_items(index_id)]
        items = index_items[index_id]
        if len(items) < 2:
            continue
        if index_id not in matrices:
            values, positions = _cell_rows(survey, min_n, *_item_matrix(survey, index_id, answers.of(survey)))
            matrices[index_id] = (values, positions, bool(np.array_equal(values, np.round(values))))
        values, positions, whole = matrices[index_id]
        x = values[positions.get((wave, group), np.empty(0, dtype=np.intp))]
        n = x.shape[0]
        if n < max(min_n, 2):
            continue
        alpha, deleted = _alphas(x, whole, len(items) >= 3)
        alpha_rows.append((index_id, wave, group, n, alpha, len(items)))
        if deleted:
            deleted_rows.extend((index_id, wave, group, item, value) for item, value in zip(items, deleted, strict=True))
    return alpha_rows, deleted_rows


def _tables(parts: list[tuple[list[tuple], list[tuple]]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    alpha = pd.DataFrame([row for rows, _ in parts for row in rows], columns=RELIABILITY_COLUMNS)
    alpha = alpha.astype({"n": "int64", "antal_fragor": "int64", "alfa": "float64"})
    deleted = pd.DataFrame([row for _, rows in parts for row in rows], columns=ITEM_DELETED_COLUMNS).astype({"alfa_utan_fragan": "float64"})
    return alpha, deleted


def _alphas(x: np.ndarray, whole: bool, deleted: bool) -> tuple[float, list[float]]:
    """(:func:`cronbach_alpha` of ``x``, :func:`_alpha_if_deleted` of ``x`` when ``deleted``, else none) for n ≥ 2, k ≥ 2.

    ``whole``: every value of ``x`` is known to be a whole number. The sum
    score and the item variances are computed once for both, with the very
    same numpy calls as the two functions make.
    """
    total, item_variances = x.sum(axis=1), x.var(axis=0, ddof=1)
    k = x.shape[1]
    total_variance = total.var(ddof=1)
    alpha = math.nan if total_variance == 0 else float(k / (k - 1) * (1 - item_variances.sum() / total_variance))
    if not deleted:
        return alpha, []
    if not (whole or np.array_equal(x, np.round(x))):
        return alpha, _alpha_if_deleted(x)
    return alpha, _deleted_from(item_variances, np.ascontiguousarray((total[:, None] - x).T).var(axis=1, ddof=1))


def _alpha_if_deleted(x: np.ndarray) -> list[float]:
    """``cronbach_alpha(np.delete(x, j, axis=1))`` for every item ``j`` of an n × k matrix (k ≥ 3, n ≥ 2).

    With whole-number values every sum of items is exact, so the sum without
    item ``j`` is ``total − x[:, j]``, and an item's variance is the same
    number in ``x`` as in ``x`` without another item: the k alphas come from
    one variance per item and one per left-out item, the same numbers as the
    k calls of :func:`cronbach_alpha` (``tests/analysis/test_reliability.py``).
    """
    n, k = x.shape
    if not np.array_equal(x, np.round(x)):
        return [cronbach_alpha(np.delete(x, j, axis=1)) for j in range(k)]
    item_variances = x.var(axis=0, ddof=1)
    totals = np.ascontiguousarray((x.sum(axis=1)[:, None] - x).T)  # row j: the sum of the items but j
    return _deleted_from(item_variances, totals.var(axis=1, ddof=1))


def _deleted_from(item_variances: np.ndarray, total_variances: np.ndarray) -> list[float]:
    """Alpha without each item from the item variances and the variances of the sums without each item."""
    k = len(item_variances)
    out = []
    for j in range(k):
        if total_variances[j] == 0:
            out.append(math.nan)
            continue
        rest = np.delete(item_variances, j).sum()
        out.append(float((k - 1) / (k - 2) * (1 - rest / total_variances[j])))
    return out


def _cell_rows(survey: SurveyData, min_n: int, values: np.ndarray, people: np.ndarray) -> tuple[np.ndarray, dict[tuple[str, str], np.ndarray]]:
    """``values`` and the positions of the rows of each (wave, group) and (wave, ``Alla``).

    Positions keep the rows' order, so every cell's matrix is the one filtering the table would give.
    """
    codes = _codes(survey)
    groups = _groups(survey, min_n)
    wave = codes.person_wave[people]
    group = groups.group[people]
    positions: dict[tuple[str, str], np.ndarray] = {}
    for key, name in ((wave * len(groups.names) + group, None), (wave, ALL)):
        at = np.flatnonzero((wave >= 0) & ((group >= 0) | (name is not None)))
        if len(at) == 0:
            continue
        order = at[np.argsort(key[at], kind="stable")]
        found, starts = np.unique(key[order], return_index=True)
        for code, rows in zip(found, np.split(order, starts[1:]), strict=True):
            if name is None:
                positions[(codes.waves[code // len(groups.names)], groups.names[code % len(groups.names)])] = rows.astype(np.intp)
            else:
                positions[(codes.waves[code], name)] = rows.astype(np.intp)
    return values, positions
