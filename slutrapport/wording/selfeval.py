"""Swedish sentences about the self-evaluation, generated from its tables.

Rules: every figure comes from the (already anonymity-safe) tables of
:mod:`.selfeval` and only cells that are shown are used; changes between
occasions are described as observed figures, never as statistically
established, because the forms are few and need not come from the same people
at each occasion; a difference that rounds to 0,0 is not called a change.
"""

from __future__ import annotations

import pandas as pd

from slutrapport.analysis.selfeval import SECTION
from slutrapport.analysis.suppression import ALL
from slutrapport.core.swedish import format_number, join_words

__all__ = ["selfeval_paragraphs"]

_SMALLEST_CHANGE = 0.05  # rounds to at least 0,1 with one decimal


def _mean(value: float) -> str:
    return format_number(float(value), 1)


def _forms_sentence(counts: pd.DataFrame, occasions: list[str], min_n: int) -> str:
    everyone = counts[counts["roll"] == ALL].set_index("tillfalle")
    parts = []
    for occasion in occasions:
        row = everyone.loc[occasion]
        if bool(row["undertryckt"]):
            parts.append(f"färre än {min_n} formulär vid {occasion}")
        else:
            parts.append(f"{int(row['n'])} formulär vid {occasion}")
    times = "ett tillfälle" if len(occasions) == 1 else f"{len(occasions)} tillfällen"
    return f"Självvärderingen har fyllts i vid {times}: {join_words(parts)}."


def _section_means(ratings: pd.DataFrame, occasion: str) -> pd.DataFrame:
    cells = ratings[
        (ratings["niva"] == SECTION) & (ratings["roll"] == ALL) & (ratings["tillfalle"] == occasion)
        & ~ratings["undertryckt"].astype(bool) & ratings["medel"].notna()
    ]  # fmt: skip
    return cells[["id", "text", "medel"]].reset_index(drop=True)


def _extremes_sentence(ratings: pd.DataFrame, occasion: str, scale: tuple[int, int]) -> str | None:
    means = _section_means(ratings, occasion)
    if len(means) < 2:
        return None
    high = means.loc[means["medel"].idxmax()]
    low = means.loc[means["medel"].idxmin()]
    if _mean(high["medel"]) == _mean(low["medel"]):
        return f"Vid {occasion} fick alla avsnitt samma medelbetyg ({_mean(high['medel'])}) på skalan {scale[0]}–{scale[1]}."
    return (
        f"Vid {occasion} fick ”{high['text']}” det högsta medelbetyget ({_mean(high['medel'])}) och "
        f"”{low['text']}” det lägsta ({_mean(low['medel'])}), på skalan {scale[0]}–{scale[1]}."
    )


def _change_sentence(ratings: pd.DataFrame, first: str, last: str) -> str | None:
    before = _section_means(ratings, first).set_index("id")
    after = _section_means(ratings, last).set_index("id")
    both = after.merge(before[["medel"]], left_index=True, right_index=True, suffixes=("", "_fore"))
    if both.empty:
        return None
    both["diff"] = both["medel"] - both["medel_fore"]
    parts = []
    rise = both[both["diff"] >= _SMALLEST_CHANGE]
    if not rise.empty:
        top = rise.loc[rise["diff"].idxmax()]
        parts.append(f"steg {{}}mest för ”{top['text']}” (från {_mean(top['medel_fore'])} till {_mean(top['medel'])})")
    fall = both[both["diff"] <= -_SMALLEST_CHANGE]
    if not fall.empty:
        bottom = fall.loc[fall["diff"].idxmin()]
        parts.append(f"sjönk {{}}mest för ”{bottom['text']}” (från {_mean(bottom['medel_fore'])} till {_mean(bottom['medel'])})")
    parts = [part.format("medelbetyget " if number == 0 else "") for number, part in enumerate(parts)]
    if not parts:
        return f"Mellan {first} och {last} är medelbetygen för avsnitten i stort sett oförändrade."
    return (
        f"Mellan {first} och {last} {join_words(parts)}. Skillnaderna beskriver svaren och är inte prövade "
        "statistiskt; de som fyller i formuläret vid olika tillfällen behöver inte vara samma personer."
    )


def selfeval_paragraphs(
    ratings: pd.DataFrame, counts: pd.DataFrame, occasions: list[str], scale: tuple[int, int], min_n: int
) -> list[str]:
    """The self-evaluation in a few sentences: forms per occasion, highest and lowest section, largest changes.

    Parameters
    ----------
    ratings, counts : DataFrame
        :func:`.selfeval.rating_table` and :func:`.selfeval.form_counts`.
    occasions : list of str
        The occasions with forms, in time order.
    scale : (int, int)
        The rating scale's lowest and highest value.
    min_n : int
        The anonymity threshold (named when a count is hidden).
    """
    if not occasions:
        return []
    sentences = [_forms_sentence(counts, occasions, min_n)]
    extremes = _extremes_sentence(ratings, occasions[-1], scale)
    if extremes:
        sentences.append(extremes)
    if len(occasions) >= 2:
        change = _change_sentence(ratings, occasions[0], occasions[-1])
        if change:
            sentences.append(change)
    return [" ".join(sentences)]
