"""Swedish sentences on participants and goals, from the participant and måluppfyllelse tables."""

from __future__ import annotations

import math

import pandas as pd

from slutrapport.analysis.goals import either_words, target_text
from slutrapport.core.swedish import format_number, format_percent, join_words

# -- participants and goals ------------------------------------------------------
#
# Rules: a hidden count is never written, not even as a bound; a goal is called
# reached (uppnått) or not reached only as the måluppfyllelse table says (the
# whole 95 % Wilson interval above or below the target for a share; the count
# itself for a number), otherwise the sentence says it cannot be told for sure
# and gives the observed numbers.

__all__ = ["goal_sentence", "participant_summary", "format_share_interval"]

_POPULATION_WORDS = {"inskrivna": "inskrivna deltagare", "avslutade": "avslutade deltagare"}


def format_share_interval(low: float, high: float) -> str:
    """``(0.2, 0.48)`` → ``'20–48 %'`` (whole percent, Swedish style)."""
    return f"{format_number(100 * low, 0)}–{format_number(100 * high, 0)}\u00a0%"


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def goal_sentence(goal, row, min_n: int) -> str:
    """One Swedish sentence on a goal from its måluppfyllelse row.

    ``goal`` is an :class:`~slutrapport.analysis.goals.Goal`; ``row`` maps the
    columns of the måluppfyllelse table.
    """
    name = f"Målet ”{row['mal']}”"
    population = _POPULATION_WORDS[goal.population]
    what = either_words(goal.category_words)
    target = target_text(goal.measure, goal.target, goal.direction)
    numerator, denominator, outcome = row["taljare"], row["namnare"], row["utfall"]
    if _missing(outcome):
        if goal.measure == "andel" and not _missing(denominator) and int(denominator) == 0:
            return f"{name} kan inte bedömas ännu: det finns inga {population}."
        return (
            f"Utfallet för {name[0].lower() + name[1:]} visas inte, eftersom det bygger på färre än {min_n} deltagare "
            "eller skulle göra det möjligt att räkna fram en så liten grupp. Måluppfyllelsen redovisas därför som osäker."
        )
    if goal.measure == "antal":
        count = format_number(int(numerator), 0)
        if what:
            fact = f"{count} {population} hade status {what} vid avslut"
        else:
            fact = f"{count} deltagare {'skrevs in' if goal.population == 'inskrivna' else 'avslutades'}"
        verdict = "är uppnått" if row["uppnatt"] == "ja" else "är inte uppnått"
        return f"{name} {verdict}: {fact} (målvärde {target})."
    share = format_percent(float(outcome))
    interval = format_share_interval(float(row["ci_lag"]), float(row["ci_hog"]))
    fact = (
        f"{format_number(int(numerator), 0)} av {format_number(int(denominator), 0)} {population} ({share}, "
        f"95 % konfidensintervall {interval}) hade status {what} vid avslut"
    )
    goal_value = format_percent(goal.target)
    if row["uppnatt"] == "ja":
        side = "över" if goal.direction == "minst" else "under"
        return f"{name} är uppnått: {fact}. Hela konfidensintervallet ligger {side} målvärdet {goal_value}."
    if row["uppnatt"] == "nej":
        side = "under" if goal.direction == "minst" else "över"
        return f"{name} är inte uppnått: {fact}. Hela konfidensintervallet ligger {side} målvärdet {goal_value}."
    observed = float(outcome)
    relation = "lika med" if observed == goal.target else "över" if observed > goal.target else "under"
    return (
        f"Det går inte att säga säkert om {name[0].lower() + name[1:]} är uppnått: {fact}. Utfallet är {relation} "
        f"målvärdet {goal_value}, men konfidensintervallet omfattar målvärdet, så skillnaden kan bero på slumpen "
        "med så här få deltagare."
    )


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
