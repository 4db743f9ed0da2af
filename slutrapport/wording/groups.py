"""Swedish sentences about one organisation's results, for the comparison page filtered by organisation.

The report's own sentences (:func:`.wording.index_paragraph`) speak about all
respondents and name organisations only when they differ. When a user looks
at one organisation, :func:`group_paragraph` says the same things for that
group, under the same rules as :mod:`.survey`:

- a change is called statistically certain only in the primary family, which
  holds ``Alla`` only: an organisation's change with adjusted p-value below
  :data:`~.wording.SIGNIFICANCE` is told as ``utforskande`` with its method
  (:func:`~.wording.survey.p_label`); otherwise the text says it is not
  statistically certain; its direction is the rank test's
  (:func:`~.survey.change_direction`), and when the mean moved the other way
  (:func:`~.survey.spread_out`) the text says that the answers spread out;
- a shown result with fewer than :data:`~.wording.SMALL_GROUP` answers is
  named as uncertain; a hidden result is named as hidden, never with numbers.
"""

from __future__ import annotations

import math

import pandas as pd

from slutrapport.analysis.families import PRIMARY
from slutrapport.core.swedish import format_number, format_percent, join_words, wave_list, wave_name
from slutrapport.wording.survey import ORDINAL_TESTS, SIGNIFICANCE, SMALL_GROUP, change_direction, effect_word, p_label, spread_out

__all__ = ["group_paragraph"]

_OMNIBUS = "alla"


def _certain(p: float) -> bool:
    return not (p is None or math.isnan(p)) and p < SIGNIFICANCE


def _level(cells: pd.DataFrame, group: str, waves: list[str]) -> list[str]:
    shown = cells[~cells["undertryckt"].astype(bool) & (cells["n"].fillna(0) > 0)]
    by_wave = {row["enkat"]: row for _, row in shown.iterrows()}
    present = [w for w in waves if w in by_wave]
    hidden = [w for w in waves if w not in by_wave and w in set(cells["enkat"])]
    sentences = []
    if present:
        shares = [format_percent(by_wave[w]["andel_positiva"]) for w in present]
        means = [format_number(by_wave[w]["medel"], 1) for w in present]
        if len(set(shares)) == 1:
            text = f"För {group} var andelen positiva {shares[0]} vid {wave_list(present)}"
        else:
            text = f"För {group} var andelen positiva " + join_words(
                [f"{s} vid {wave_name(w)}" for s, w in zip(shares, present, strict=True)]
            )
        sentences.append(text + f" (medelvärde {join_words(means)}).")
        small = [w for w in present if by_wave[w]["n"] < SMALL_GROUP]
        if small:
            counts = join_words([f"{wave_name(w)} (n = {int(by_wave[w]['n'])})" for w in small])
            sentences.append(f"{group} hade få svar vid {counts}, så resultatet är osäkert.")
    if hidden:
        sentences.append(
            f"Vid {wave_list(hidden)} visas inte resultatet för {group}, för att skydda svarande i små grupper."
        )
    if not present and not hidden:
        sentences.append(f"{group} har inga svar på den här frågan.")
    return sentences


def _changes(changes: pd.DataFrame, niva: str, item: str, group: str) -> list[str]:
    rows = changes[
        (changes["niva"] == niva)
        & (changes["id"] == item)
        & (changes["grupp"] == group)
        & (changes["fran"] != _OMNIBUS)
        & changes["test"].isin(ORDINAL_TESTS)
    ]
    sentences, uncertain = [], []
    for _, row in rows.iterrows():
        span = f"från {wave_name(row['fran'])} till {wave_name(row['till'])}"
        if not _certain(row["p_corr"]):
            uncertain.append(span)
            continue
        who = f"för de {int(row['n_par'])} personer som svarade båda gångerna " if bool(row["parad"]) else ""
        certain = "statistiskt säkerställd " if row.get("familj") == PRIMARY else ""
        if spread_out(row):
            up = change_direction(row) > 0
            mean_verb = "sjönk" if row["diff_medel"] < 0 else "steg" if row["diff_medel"] > 0 else "var oförändrat"
            sentences.append(
                f"För {group} spreds svaren ut {span}{' ' + who.strip() if who else ''}: rangtestet visar en {certain}förskjutning "
                f"{'uppåt' if up else 'nedåt'} (effekten {effect_word(row['effekt'])}, {p_label(row)}), "
                f"medan medelvärdet {mean_verb} (skillnad {format_number(row['diff_medel'], 2)})."
            )
            continue
        verb = "ökade" if change_direction(row) > 0 else "minskade"
        size = format_number(abs(row["diff_medel"]), 1)
        sentences.append(
            f"Medelvärdet för {group} {verb} {span} {who}med {size}; {'förändringen är ' + certain + 'och ' if certain else ''}"
            f"effekten {effect_word(row['effekt'])} ({p_label(row)})."
        )
    if uncertain:
        plural = len(uncertain) > 1
        sentences.append(
            f"{'Förändringarna' if plural else 'Förändringen'} för {group} {join_words(uncertain)} "
            f"{'är inte statistiskt säkerställda' if plural else 'är inte statistiskt säkerställd'}."
        )
    return sentences


def group_paragraph(
    item: str, group: str, waves: list[str], comparison: pd.DataFrame, changes: pd.DataFrame, niva: str = "index"
) -> list[str]:
    """Sentences about ``group``'s result for one index (or question): level per wave, then changes."""
    cells = comparison[(comparison["niva"] == niva) & (comparison["id"] == item) & (comparison["grupp"] == group)]
    return _level(cells, group, waves) + _changes(changes, niva, item, group)
