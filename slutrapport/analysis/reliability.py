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

from slutrapport.analysis.describe import INDEX, _mirror_sums, reporting_groups
from slutrapport.analysis.suppression import ALL
from slutrapport.sources.survey.answers import ANSWERED
from slutrapport.sources.survey.ingest import SurveyData

__all__ = ["LOW_ALPHA", "RELIABILITY_COLUMNS", "ITEM_DELETED_COLUMNS", "cronbach_alpha", "reliability"]

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
    """The answered rows of the survey, their positions per question and each respondent's wave, found once
    for every index (the tidy table has a row per respondent × question × wave: millions in a large survey)."""

    def __init__(self, survey: SurveyData) -> None:
        tidy = survey.tidy
        self.rows = tidy[(tidy["status"] == ANSWERED).to_numpy()]
        self.values = self.rows["varde"].to_numpy(dtype=float)
        self.positions = self.rows.groupby("fraga", sort=False, observed=True).indices
        self.waves = tidy.drop_duplicates("respondent").set_index("respondent")["enkat"].astype(str)


def _item_matrix(survey: SurveyData, index_id: str, answered: _Answered | None = None) -> pd.DataFrame:
    """Respondent × item values (reversed where ``omvand``), complete cases only, with ``enkat``.

    Respondents are in the files' order, not sorted by id (see :func:`~.describe.index_scores`).
    """
    instrument = survey.instrument
    items = instrument.index_items(index_id)
    ids = [q.id for q in items]
    mirror = _mirror_sums(instrument, items)
    answered = answered or _Answered(survey)
    found = [answered.positions[q] for q in ids if q in answered.positions]
    if not found:
        return pd.DataFrame(columns=["enkat", *ids])
    rows = np.sort(np.concatenate(found))  # the tidy table's order, as filtering it gives
    values = answered.values.copy()
    for question, total in mirror.items():
        if question in answered.positions:
            at = answered.positions[question]
            values[at] = total - answered.values[at]
    part = answered.rows.take(rows)
    wide = (
        pd.DataFrame({"respondent": part["respondent"], "fraga": part["fraga"], "varde": values[rows]}, index=part.index)
        .pivot_table(index="respondent", columns="fraga", values="varde", aggfunc="first", sort=False)
        .reindex(columns=ids)
        .dropna()
    )
    wide.insert(0, "enkat", _lookup(answered.waves, wide.index))
    return wide


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
    instrument = survey.instrument
    groups = reporting_groups(survey, min_n)["grupp"]
    n_values = pd.to_numeric(comparison["n"], errors="coerce").fillna(0)
    cells = comparison[(comparison["niva"] == INDEX) & ~comparison["undertryckt"].astype(bool) & (n_values > 0)]
    alpha_rows: list[tuple] = []
    deleted_rows: list[tuple] = []
    matrices: dict[str, tuple[np.ndarray, dict]] = {}
    answered: _Answered | None = None
    for index_id, group, wave in zip(cells["id"], cells["grupp"], cells["enkat"].astype(str), strict=True):
        items = [q.id for q in instrument.index_items(index_id)]
        if len(items) < 2:
            continue
        if index_id not in matrices:
            answered = answered or _Answered(survey)
            matrices[index_id] = _cell_rows(_item_matrix(survey, index_id, answered), items, groups)
        values, positions = matrices[index_id]
        x = values[positions.get((wave, group), np.empty(0, dtype=np.intp))]
        n = x.shape[0]
        if n < max(min_n, 2):
            continue
        alpha_rows.append((index_id, wave, group, n, cronbach_alpha(x), len(items)))
        if len(items) >= 3:
            for position, item in enumerate(items):
                deleted_rows.append((index_id, wave, group, item, cronbach_alpha(np.delete(x, position, axis=1))))
    alpha = pd.DataFrame(alpha_rows, columns=RELIABILITY_COLUMNS)
    alpha = alpha.astype({"n": "int64", "antal_fragor": "int64", "alfa": "float64"})
    deleted = pd.DataFrame(deleted_rows, columns=ITEM_DELETED_COLUMNS).astype({"alfa_utan_fragan": "float64"})
    return alpha, deleted


def _cell_rows(wide: pd.DataFrame, items: list[str], groups: pd.Series) -> tuple[np.ndarray, dict[tuple[str, str], np.ndarray]]:
    """The item values of ``wide`` as one array, and the positions of the rows of each (wave, group) and (wave, ``Alla``).

    Positions keep the rows' order, so every cell's matrix is the one filtering the table would give.
    """
    values = wide[items].to_numpy(dtype=float)
    waves = wide["enkat"].astype(str).to_numpy()
    owners = _lookup(groups, wide.index)
    positions: dict[tuple[str, str], np.ndarray] = {}
    frame = pd.DataFrame({"enkat": waves, "grupp": np.asarray(owners, dtype=object)})
    for key, rows in frame.groupby(["enkat", "grupp"], sort=False, dropna=True).indices.items():
        positions[(str(key[0]), key[1])] = np.asarray(rows, dtype=np.intp)
    for wave, rows in frame.groupby("enkat", sort=False).indices.items():
        positions[(str(wave), ALL)] = np.asarray(rows, dtype=np.intp)
    return values, positions


def _lookup(series: pd.Series, keys: pd.Index) -> np.ndarray:
    """``keys.map(series)`` (missing keys NaN) as one hash join instead of a Python call per key."""
    if series.index.is_unique:
        return series.reindex(keys).to_numpy(dtype=object)
    return np.asarray(keys.map(series), dtype=object)
