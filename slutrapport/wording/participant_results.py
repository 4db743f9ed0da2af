"""Sentences about the participants' follow-up after avslut and the planned places against the active participants.

Hidden counts are never written; a sentence says when something is not shown.
"""

from __future__ import annotations

import pandas as pd

from slutrapport.core.swedish import format_number, format_percent, join_words

__all__ = ["follow_up_sentences", "places_sentences"]


def _n(value) -> str:
    return format_number(int(value), 0)


def follow_up_sentences(table: pd.DataFrame, months: int) -> list[str]:
    """The follow-up ``months`` after avslut in brief (``table``: the tidy follow-up table, the ``Alla`` rows are read)."""
    rows = table[(table["manader"] == months) & (table["kon"] == "Alla")]
    groups = rows[rows["indelning"] == "uppfoljning"].set_index("kategori")
    if groups["undertryckt"].any():
        return [f"Uppföljningen {months} månader efter avslut visas inte i sin helhet av anonymitetsskäl."]
    followed, not_due, lost = (int(groups.at[k, "n"]) for k in ("uppföljda", "ej uppföljda än", "bortfall"))
    finished = followed + not_due + lost
    text = (
        f"Av {_n(finished)} avslutade deltagare hade {_n(followed)} följts upp {months} månader efter avslut; "
        f"för {_n(not_due)} hade {months} månader ännu inte gått vid rapportdatumet och {_n(lost)} gick inte att följa upp (bortfall)."
    )
    sentences = [text]
    national = rows[(rows["indelning"] == "nationell") & ~rows["undertryckt"] & (rows["n"] > 0)]
    if followed and len(national):
        parts = [f"{r.kategori} {_n(r.n)}" + ("" if pd.isna(r.andel) else f" ({format_percent(float(r.andel))})") for r in national.itertuples()]
        sentences.append(f"De uppföljdas sysselsättning efter {months} månader: {join_words(parts)}.")
    return sentences


def places_sentences(places: pd.DataFrame) -> list[str]:
    """The planned places against the participants active at the end of each period (the project's ``Alla`` rows)."""
    rows = places[places["enhet"] == "Alla"]
    known = rows[rows["platser"].notna() & rows["belaggning"].notna()]
    if known.empty:
        return ["Beläggningen kan inte anges för någon period (antalet aktiva deltagare visas inte eller platserna saknas)."]
    full = known[known["belaggning"] >= 1]
    low, high = known["belaggning"].min(), known["belaggning"].max()
    text = (
        f"Vid periodernas slut var {format_percent(float(low)).rstrip('%').rstrip()}–{format_percent(float(high))} av de planerade platserna belagda"
        if low != high
        else f"Vid periodernas slut var {format_percent(float(low))} av de planerade platserna belagda"
    )
    text += f"; alla platser var fyllda i {_n(len(full))} av {_n(len(known))} perioder." if len(full) else "; ingen period hade alla platser fyllda."
    sentences = [text]
    if len(known) < len(rows):
        sentences.append("För perioder där antalet aktiva visas som – döljs det av anonymitetsskäl eller saknas planerade platser.")
    return sentences
