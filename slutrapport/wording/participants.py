"""Swedish sentences on participants, from the participant tables (the goals' sentences are :mod:`.goals`)."""

from __future__ import annotations

import pandas as pd

from slutrapport.core.swedish import format_number, format_percent, join_words

# -- participants -------------------------------------------------------------------
#
# Rule: a hidden count is never written, not even as a bound.

__all__ = ["participant_summary", "format_share_interval"]

def format_share_interval(low: float, high: float) -> str:
    """``(0.2, 0.48)`` → ``'20–48 %'`` (whole percent, Swedish style)."""
    return f"{format_number(100 * low, 0)}–{format_number(100 * high, 0)}\u00a0%"


_GENDER_WORDS = {"Kvinnor": "kvinnor", "Män": "män", "Annat/ej angivet": "med annat eller ej angivet kön"}


def _flow_value(flow: pd.DataFrame, gender: str, column: str) -> int | None:
    row = flow[(flow["period"] == "Totalt") & (flow["kon"] == gender)]
    if row.empty or bool(row["undertryckt"].iloc[0]) or pd.isna(row[column].iloc[0]):
        return None
    return int(row[column].iloc[0])


def participant_summary(results) -> list[str]:
    """The participants in brief (``results`` is a :class:`~slutrapport.analysis.participants.ParticipantResults`).

    Hidden counts are left out and the text says that some are not shown.
    """
    flow, outcome, time = results.flow, results.outcome, results.time
    enrolled, finished, active = (_flow_value(flow, "Alla", c) for c in ("inskrivna", "avslutade", "aktiva"))
    day = results.report_date.isoformat()
    sentences = []
    if enrolled is None:
        return [f"Antalet deltagare visas inte, eftersom de är färre än {results.min_n} (anonymitetsgränsen)."]
    split = [(g, _flow_value(flow, g, "inskrivna")) for g in results.genders[1:]]
    text = f"Fram till rapportdatumet {day} skrevs {format_number(enrolled, 0)} deltagare in i projektet"
    if len(split) > 1 and all(n is not None for _, n in split):
        text += f" ({join_words([f'{format_number(n, 0)} {_GENDER_WORDS[g]}' for g, n in split])})"
    elif len(split) > 1:
        text += " (fördelningen på kön visas inte helt av anonymitetsskäl)"
    sentences.append(text + ".")
    if finished is not None and active is not None:
        sentences.append(f"Av dem hade {format_number(finished, 0)} avslutat sitt deltagande och {format_number(active, 0)} var fortfarande aktiva.")
    if finished:
        rows = outcome[(outcome["indelning"] == "nationell") & (outcome["kon"] == "Alla")]
        parts, hidden = [], False
        for row in rows.itertuples():
            if row.undertryckt:
                hidden = True
                continue
            share = "" if pd.isna(row.andel) else f" ({format_percent(float(row.andel))})"
            parts.append(f"{row.kategori} {format_number(int(row.n), 0)}{share}")
        if parts:
            text = f"Sysselsättningen vid avslut enligt den nationella indelningen: {join_words(parts)}"
            sentences.append(text + (" (övriga grupper visas inte av anonymitetsskäl)." if hidden else "."))
        else:
            sentences.append("Sysselsättningen vid avslut visas inte av anonymitetsskäl.")
    everyone = time[time["kon"] == "Alla"]
    if len(everyone) and not bool(everyone["undertryckt"].iloc[0]) and pd.notna(everyone["medel_dagar"].iloc[0]):
        row = everyone.iloc[0]
        text = (
            f"De avslutade deltagarna var i genomsnitt {format_number(float(row['medel_dagar']), 0)} dagar i projektet "
            f"(median {format_number(float(row['median_dagar']), 0)} dagar)"
        )
        if pd.notna(row["moten_medel"]):
            text += f" och hade i genomsnitt {format_number(float(row['moten_medel']), 1)} möten"
        sentences.append(text + ".")
    return sentences
