"""Anonymity rules for staff surveys.

Three steps protect small groups:

1. :func:`assign_groups`: in each wave, organisations that each have fewer
   than ``min_n`` respondents are merged into ``Övriga`` when there are at
   least two of them, together they reach ``min_n``, and at least one
   organisation is large enough to be shown on its own.
2. :func:`suppress`: which groups are hidden is decided **once per wave**
   over every cell of that wave (every question and index), never cell by
   cell. A group is hidden in the whole wave when it has ``0 < n < min_n``
   answers in *any* of the wave's cells: item non-response can make a
   group of five respondents a group of four on one question, and hiding
   the group on that question alone would let its value there be derived
   from its shown index and other questions. When ``Alla`` is shown, the
   hidden groups of every cell of the wave must together hold at least
   ``min_n`` answers (or none), otherwise "Alla minus the shown groups"
   would reveal them; the smallest shown groups of the wave (fewest answers
   in their largest cell) are hidden as well, in the whole wave, until that
   holds. So the same groups are hidden in every question, index, share,
   interval and test of a wave, and "Alla minus the shown groups" only ever
   gives the combined result of the same set of at least ``min_n`` answers.
   The cells of a wave are those of every table published for it: the
   questions and indices of the comparison and the yes/no, choice and number
   questions (:func:`~.describe.hidden_by_wave`), so a group with three
   answers to a yes/no question is hidden in the scale tables too.
   ``Alla`` itself is hidden only in a cell where it has ``0 < n < min_n``.
3. :func:`published_precision`: in a wave where some group is hidden, the
   numbers are rounded to the precision the report shows (means, sd and
   medians to one decimal, shares to whole percents), so that exact figures
   cannot be combined into more than the report shows; waves without a
   hidden group keep full precision. The precision is the report's own on
   purpose: a value rounded to two decimals and then shown with one can show
   the wrong digit (3.1538 → 3.15 → "3,1"), rounding once to the shown
   precision cannot.

A suppressed cell keeps ``undertryckt = True`` and has every number empty,
including ``n``. The table never says why a cell is hidden: a reason
("too few answers" or "protects a smaller group") would tell which hidden
group is the small one.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = [
    "ALL",
    "OTHERS",
    "UNKNOWN_ORGANISATION",
    "MEAN_DECIMALS",
    "SHARE_DECIMALS",
    "assign_groups",
    "suppress",
    "hidden_groups",
    "hidden_cells",
    "wave_hidden_groups",
    "published_precision",
]

ALL = "Alla"
OTHERS = "Övriga"
UNKNOWN_ORGANISATION = "Ej angiven"
MEAN_DECIMALS = 1  # means, sd and medians as the report shows them (render.formatting: MEAN)
SHARE_DECIMALS = 2  # shares 0–1 as whole percents, as the report shows them (SHARE, DIFF_SHARE)

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


def hidden_groups(table: pd.DataFrame, min_n: int, forced: set[str] | None = None) -> set[str]:
    """The groups to hide in every cell of one wave (step 2 of the module docstring).

    Parameters
    ----------
    table : DataFrame
        The cells of one wave: columns ``niva``, ``id``, ``grupp``, ``n``
        (answers, 0 for an empty cell), ``Alla`` included.
    min_n : int
        The anonymity threshold.
    forced : set of str, optional
        Groups hidden for another reason (e.g. hidden in a linked table of
        the same wave); they count as hidden from the start.

    Returns
    -------
    set of str
        The hidden groups (never ``Alla``).
    """
    n = pd.to_numeric(table["n"], errors="coerce").fillna(0).astype(int)
    groups = table["grupp"] != ALL
    hidden = set(forced or ()) | set(table.loc[groups & (n > 0) & (n < min_n), "grupp"])
    cells = pd.DataFrame({"cell": list(zip(table["niva"], table["id"], strict=True)), "grupp": table["grupp"], "n": n})
    everyone = cells[~groups & (n >= min_n)].set_index("cell")["n"]
    parts = cells[groups & cells["cell"].isin(everyone.index)]
    size = parts.groupby("grupp", sort=False)["n"].max()  # a group's largest cell: its respondents, about
    order = list(size.sort_values(kind="stable").index)
    while hidden:
        secret = parts[parts["grupp"].isin(hidden)].groupby("cell", sort=False)["n"].sum()
        if not ((secret > 0) & (secret < min_n)).any():
            break
        candidates = [g for g in order if g not in hidden]
        if not candidates:
            break
        hidden.add(candidates[0])
    return hidden


def suppress(table: pd.DataFrame, min_n: int, forced: dict[str, set[str]] | None = None) -> pd.DataFrame:
    """Apply the anonymity rules to a comparison table.

    Parameters
    ----------
    table : DataFrame
        Columns ``niva, id, grupp, enkat, n, medel, sd, median, andel_positiva``;
        one row per cell, ``grupp == "Alla"`` for everyone.
    min_n : int
        Cells with fewer answers are suppressed, and with them the group in
        the whole wave (see the module docstring).
    forced : dict, optional
        Wave → groups to hide in that wave whatever their size.

    Returns
    -------
    DataFrame
        A copy with ``undertryckt`` (bool) added and the numbers of suppressed
        cells set to missing.
    """
    out = table.copy()
    n = pd.to_numeric(out["n"], errors="coerce").fillna(0).astype(int)
    hide = hidden_cells(out, min_n, forced)
    out["undertryckt"] = hide
    out["n"] = n.astype("Int64")
    out.loc[hide, "n"] = pd.NA
    out.loc[hide, _NUMBERS[1:]] = np.nan
    return out


def hidden_cells(table: pd.DataFrame, min_n: int, forced: dict[str, set[str]] | None = None) -> np.ndarray:
    """Which rows of ``table`` :func:`suppress` hides, as a bool array in row order.

    ``table`` needs the columns ``niva``, ``id``, ``grupp``, ``enkat`` and
    ``n``; a row of a group hidden in its wave is hidden, and so is ``Alla``
    where it has ``0 < n < min_n``. Tables with other numbers (the shares and
    numbers of the other question types) mark their rows with this and
    ``forced`` set to the groups decided over every cell of the wave.
    """
    n = pd.to_numeric(table["n"], errors="coerce").fillna(0).astype(int)
    hide = ((table["grupp"] == ALL) & (n > 0) & (n < min_n)).to_numpy(dtype=bool, copy=True)
    for wave, rows in table.groupby("enkat", observed=True, sort=False):
        hidden = hidden_groups(rows, min_n, (forced or {}).get(wave))
        hide[table.index.get_indexer(rows.index[rows["grupp"].isin(hidden)])] = True
    return hide


def wave_hidden_groups(table: pd.DataFrame, min_n: int) -> dict[str, set[str]]:
    """:func:`hidden_groups` of each wave of ``table`` (keyed by ``enkat`` as text): every cell of a wave decides together."""
    return {str(wave): hidden_groups(rows, min_n) for wave, rows in table.groupby("enkat", observed=True, sort=False)}


def published_precision(
    table: pd.DataFrame,
    wave_columns: tuple[str, ...] = ("enkat",),
    hidden_waves: set[str] | None = None,
    means: tuple[str, ...] = ("medel", "sd", "median"),
    shares: tuple[str, ...] = ("andel_positiva",),
) -> pd.DataFrame:
    """Round the rows of waves with a hidden group to the report's precision (step 3).

    Parameters
    ----------
    table : DataFrame
        A result table; a row belongs to a wave with a hidden group when any
        of its ``wave_columns`` names one.
    wave_columns : tuple of str, default ``("enkat",)``
        The columns holding wave labels (``("fran", "till")`` for changes).
    hidden_waves : set of str, optional
        Waves with a hidden group; by default those of ``table`` itself
        (a row with ``undertryckt``).
    means, shares : tuple of str
        Columns rounded to :data:`MEAN_DECIMALS` and :data:`SHARE_DECIMALS`.

    Returns
    -------
    DataFrame
        A copy, rounded where needed.
    """
    if hidden_waves is None:
        hidden_waves = set(table.loc[table["undertryckt"].astype(bool), "enkat"].astype(str))
    out = table.copy()
    rows = np.zeros(len(out), dtype=bool)
    for column in wave_columns:
        rows |= out[column].astype(str).isin(hidden_waves).to_numpy()
    for columns, decimals in ((means, MEAN_DECIMALS), (shares, SHARE_DECIMALS)):
        for column in columns:
            if column in out:
                values = out[column].astype(float)
                out[column] = values.where(~rows, values.round(decimals))
    return out
