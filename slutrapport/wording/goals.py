"""Swedish sentences on the goals of every kind, from the måluppfyllelse table.

Rules: a hidden count is never written, not even as a bound; the verdict is the
table's (``uppnatt``), which compares the point estimate with the target; a
share's 95 % interval is given beside it, and when the interval reaches past
the target the sentence says the outcome could lie on the other side with so
few people. A qualitative goal is the project's own judgement, said as such.
"""

from __future__ import annotations

import math

import pandas as pd

from slutrapport.analysis.goals import age_words, either_words, target_text
from slutrapport.core.swedish import format_number, format_percent, join_words
from slutrapport.wording.participants import format_share_interval

__all__ = ["goal_sentence", "format_share_interval", "what_counts", "change_target", "MISSING_SOURCE"]

_POPULATION_WORDS = {"inskrivna": "inskrivna deltagare", "avslutade": "avslutade deltagare"}
_GENDER_WORDS = {"Kvinnor": "kvinnor", "Män": "män", "Annat/ej angivet": "med annat eller ej angivet kön"}
#: What is missing when a goal has no source, by measure.
MISSING_SOURCE = {
    "andel": "deltagarregistret (deltagare: i projekt.yaml)",
    "antal": "deltagarregistret (deltagare: i projekt.yaml)",
    "forandring": "deltagarregistret (deltagare: i projekt.yaml)",
    "andel_svar": "deltagarenkäten (deltagarenkat: i projekt.yaml)",
    "aktiviteter": "aktivitetsloggen (aktiviteter: i projekt.yaml)",
}
_OWN = {"ja": "är uppnått", "delvis": "är delvis uppnått", "nej": "är inte uppnått"}


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def what_counts(goal) -> str:
    """What a register share or count goal counts: ``'hade status arbete eller studier vid avslut'``, ``'var kvinnor'``."""
    parts = []
    if goal.gender is not None:
        parts.append(f"var {_GENDER_WORDS.get(goal.gender, goal.gender)}")
    if goal.ages is not None:
        parts.append(f"var {age_words(goal.ages)}")
    if goal.categories:
        parts.append(f"hade status {either_words(goal.category_words)} vid avslut")
    return join_words(parts)


def change_target(goal) -> str:
    """``'minst 6 färre'``."""
    return f"{target_text(goal.measure, goal.target, goal.direction)} {'färre' if goal.change == 'minskning' else 'fler'}"


def _change_words(value: int, change: str) -> str:
    fewer = (value >= 0) == (change == "minskning")
    return f"{format_number(abs(value), 0)} {'färre' if fewer else 'fler'}"


def _verdict(row) -> str:
    return "är uppnått" if row["uppnatt"] == "ja" else "är inte uppnått"


def _share_sentence(goal, row, name: str, words: dict[str, str]) -> str:
    outcome, low, high = float(row["utfall"]), float(row["ci_lag"]), float(row["ci_hog"])
    share, interval = format_percent(outcome), format_share_interval(low, high)
    denominator = format_number(int(row["namnare"]), 0)
    count = None if _missing(row["taljare"]) else format_number(int(row["taljare"]), 0)
    if goal.measure == "andel_svar":
        answers = words.get("svar") or either_words(list(goal.answers))
        question = f"”{words['fraga']}”" if words.get("fraga") else goal.question
        who = f"av {denominator} som besvarade frågan {question} i deltagarenkäten svarade {answers}"
    else:
        who = f"av {denominator} {_POPULATION_WORDS[goal.population]} {what_counts(goal)}"
    fact = f"{count} {who} ({share}, 95 % konfidensintervall {interval})" if count else f"{share} {who} (95 % konfidensintervall {interval})"
    text = f"{name} {_verdict(row)}: {fact}, målvärdet är {target_text(goal.measure, goal.target, goal.direction)}."
    if count is None:
        text += " Antalet visas inte, eftersom det eller resten av gruppen är färre än anonymitetsgränsen; andelen gäller hela projektet."
    if low <= goal.target <= high:
        text += (
            " Konfidensintervallet omfattar målvärdet, så med så här få svar kan den verkliga andelen ligga på andra sidan målvärdet."
            if goal.measure == "andel_svar"
            else " Konfidensintervallet omfattar målvärdet, så med så här få deltagare kan den verkliga andelen ligga på andra sidan målvärdet."
        )
    return text


def goal_sentence(goal, row, min_n: int, words: dict[str, str] | None = None) -> str:
    """One Swedish sentence on a goal of any kind from its måluppfyllelse row.

    ``goal`` is an :class:`~slutrapport.analysis.goals.Goal`; ``row`` maps the
    columns of the måluppfyllelse table (with ``grund``, ``fore``, ``efter``, ``motivering``); ``words``
    the goal's entry of :attr:`~slutrapport.analysis.goals.GoalResults.words`.
    """
    name = f"Målet ”{row['mal']}”"
    lower = name[0].lower() + name[1:]
    basis = row.get("grund")
    if goal.measure == "kvalitativt":
        motivation = row.get("motivering")
        text = f"Projektet bedömer att {lower} {_OWN.get(row['uppnatt'], 'inte har bedömts')}"
        return text + (f": {motivation}" if not _missing(motivation) else ".")
    if basis == "underlag_saknas":
        if goal.measure in ("andel", "andel_svar") and not _missing(row["namnare"]) and int(row["namnare"]) == 0:
            who = "svar på frågan i deltagarenkäten" if goal.measure == "andel_svar" else _POPULATION_WORDS[goal.population]
            return f"{name} kan inte bedömas ännu: det finns inga {who}."
        return f"{name} kan inte bedömas: underlaget, {MISSING_SOURCE[goal.measure]}, saknas."
    if basis == "dolt" and row["uppnatt"] in ("ja", "nej"):
        return (
            f"{name} {_verdict(row)}. Utfallet visas inte, eftersom det bygger på färre än {min_n} deltagare "
            "eller skulle göra det möjligt att räkna fram en så liten grupp; bedömningen bygger på de antal som inte visas."
        )
    if basis == "dolt" or _missing(row["utfall"]):
        who = "svarande" if goal.measure == "andel_svar" else "deltagare"
        return (
            f"Utfallet för {lower} visas inte, eftersom det bygger på färre än {min_n} {who} "
            "eller skulle göra det möjligt att räkna fram en så liten grupp. Måluppfyllelsen redovisas därför som osäker."
        )
    target = target_text(goal.measure, goal.target, goal.direction)
    if goal.measure in ("andel", "andel_svar"):
        return _share_sentence(goal, row, name, words or {})
    count = format_number(int(row["utfall"]), 0)
    if goal.measure == "aktiviteter":
        period = ""
        if goal.dates is not None:
            start, end = goal.dates
            period = "".join(
                [f" från {start.isoformat()}" if start.year > 1 else "", f" till och med {end.isoformat()}" if end.year < 9999 else ""]
            )
        return f"{name} {_verdict(row)}: projektet genomförde {count} aktiviteter av typen {goal.activity}{period} (målvärde {target})."
    if goal.measure == "forandring":
        start, end = goal.dates
        what = f"med försörjningen {either_words(goal.category_words)} före inskrivningen i projektet" if goal.field == "forsorjning" else (
            f"som avslutats med status {either_words(goal.category_words)}"
        )  # fmt: skip
        change = _change_words(int(row["utfall"]), goal.change)
        if _missing(row["fore"]) or _missing(row["efter"]):
            fact = (
                f"antalet deltagare {what} var {change} den {end.isoformat()} än den {start.isoformat()} "
                f"(antalen visas inte, eftersom något av dem är färre än {min_n})"
            )
        else:
            fact = (
                f"antalet deltagare {what} var {format_number(int(row['fore']), 0)} den {start.isoformat()} och "
                f"{format_number(int(row['efter']), 0)} den {end.isoformat()}, alltså {change}"
            )
        return f"{name} {_verdict(row)}: {fact} (målvärde {change_target(goal)})."
    condition = what_counts(goal)
    if condition:
        fact = f"{count} {_POPULATION_WORDS[goal.population]} {condition}"
    else:
        fact = f"{count} deltagare {'skrevs in' if goal.population == 'inskrivna' else 'avslutades'}"
    return f"{name} {_verdict(row)}: {fact} (målvärde {target})."
