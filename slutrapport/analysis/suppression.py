"""Anonymity rules for staff surveys.

Two steps protect small groups:

1. :func:`assign_groups`: in each wave, organisations that each have fewer
   than ``min_n`` respondents are merged into ``Övriga`` when there are at
   least two of them, together they reach ``min_n``, and at least one
   organisation is large enough to be shown on its own.
2. :func:`suppress`: every cell (question or index × group × wave) with
   ``0 < n < min_n`` is suppressed. When ``Alla`` is shown, the suppressed
   cells of a question and wave must together hold at least ``min_n``
   answers, otherwise "Alla minus the shown groups" would reveal them; the
   smallest shown groups are suppressed as well until that holds.

A suppressed cell keeps ``undertryckt = True`` and has every number empty,
including ``n``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = [
    "ALL",
    "OTHERS",
    "UNKNOWN_ORGANISATION",
    "REASON_SMALL",
    "REASON_DERIVABLE",
    "assign_groups",
    "suppress",
]

ALL = "Alla"
OTHERS = "Övriga"
UNKNOWN_ORGANISATION = "Ej angiven"
REASON_SMALL = "för få svar"
REASON_DERIVABLE = "skyddar en mindre grupp"

_NUMBERS = ["n", "medel", "sd", "median", "andel_positiva"]


def assign_groups(respondents: pd.DataFrame, min_n: int) -> pd.Series:
    """The reporting group of each respondent.

    Parameters
    ----------
    respondents : DataFrame
        One row per respondent with columns ``enkat`` and ``organisation``
        (missing organisation allowed).
    min_n : int
        The anonymity threshold.

    Returns
    -------
    Series
        Aligned with ``respondents``: the organisation, ``Ej angiven`` for a
        blank one, or ``Övriga`` for merged small organisations.
    """
    organisation = respondents["organisation"]
    group = pd.Series(
        np.where(organisation.isna(), UNKNOWN_ORGANISATION, organisation.astype(str)),
        index=respondents.index,
        dtype=object,
    )
    result = group.copy()
    for _, wave_groups in group.groupby(respondents["enkat"], observed=True):
        counts = wave_groups.value_counts()
        small = counts[counts < min_n]
        # Merge only when some organisation stays on its own: otherwise Övriga would just repeat Alla.
        if len(small) >= 2 and small.sum() >= min_n and len(small) < len(counts):
            merge = wave_groups.isin(small.index)
            result.loc[merge[merge].index] = OTHERS
    return result


def suppress(table: pd.DataFrame, min_n: int) -> pd.DataFrame:
    """Apply the anonymity rules to a comparison table.

    Parameters
    ----------
    table : DataFrame
        Columns ``niva, id, grupp, enkat, n, medel, sd, median, andel_positiva``;
        one row per cell, ``grupp == "Alla"`` for everyone.
    min_n : int
        Cells with fewer answers are suppressed.

    Returns
    -------
    DataFrame
        A copy with ``undertryckt`` (bool) and ``orsak`` (the reason, empty when
        shown) added and the numbers of suppressed cells set to missing.
    """
    out = table.copy()
    small = (out["n"] > 0) & (out["n"] < min_n)
    out["undertryckt"] = small.to_numpy()
    out["orsak"] = np.where(small, REASON_SMALL, "")
    for _, cell in out.groupby(["niva", "id", "enkat"], observed=True, sort=False):
        everyone = cell[cell["grupp"] == ALL]
        if everyone.empty or bool(everyone["undertryckt"].iloc[0]) or everyone["n"].iloc[0] == 0:
            continue
        groups = cell[(cell["grupp"] != ALL) & (cell["n"] > 0)]
        hidden = groups[out.loc[groups.index, "undertryckt"]]
        if hidden.empty:
            continue
        total = int(hidden["n"].sum())
        for idx in groups[~out.loc[groups.index, "undertryckt"]].sort_values("n", kind="stable").index:
            if total >= min_n:
                break
            out.loc[idx, "undertryckt"] = True
            out.loc[idx, "orsak"] = REASON_DERIVABLE
            total += int(out.loc[idx, "n"])
    hidden_rows = out["undertryckt"].to_numpy()
    out["n"] = out["n"].astype("Int64")
    out.loc[hidden_rows, "n"] = pd.NA
    out.loc[hidden_rows, _NUMBERS[1:]] = np.nan
    return out
