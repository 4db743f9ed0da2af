"""The goal block (Måluppfyllelse): one sentence and one table row per goal, of every kind.

Only reshaping happens here: every number comes from
:class:`~slutrapport.analysis.goals.GoalResults` as it is, every sentence from
:mod:`slutrapport.wording.goals`. A count the table leaves empty for
anonymity becomes :data:`~slutrapport.report.model.PROTECTED`, shown as "–".
Each row says the target, the outcome, what it rests on (Underlag), the
interval of a share, the verdict and the basis of the verdict.
"""

from __future__ import annotations

import math

import pandas as pd

from slutrapport.analysis.goals import GoalResults
from slutrapport.core.swedish import format_number, format_percent
from slutrapport.report.model import COUNT, PROTECTED, SHARE, TEXT, Column, Paragraphs, Subsection, Table, Typed
from slutrapport.wording.goals import MISSING_SOURCE, change_target, format_share_interval, goal_sentence

__all__ = ["goal_blocks", "MEASURE_LABELS", "VERDICT_LABELS", "BASIS_LABELS"]

#: The Mått column per measure.
MEASURE_LABELS = {
    "andel": "Andel",
    "antal": "Antal",
    "forandring": "Förändring",
    "andel_svar": "Andel av svaren (deltagarenkät)",
    "aktiviteter": "Antal aktiviteter",
    "kvalitativt": "Kvalitativt",
}
VERDICT_LABELS = {"ja": "Ja", "nej": "Nej", "delvis": "Delvis", "osäkert": "Osäkert"}
#: The basis of the verdict (column ``grund``) in the table.
BASIS_LABELS = {
    "punktskattning": "Utfallet (punktskattningen) mot målvärdet",
    "antal": "Antalet mot målvärdet",
    "projektets_bedomning": "Projektets egen bedömning",
    "dolt": "Utfallet är dolt (anonymitet)",
    "underlag_saknas": "Underlag saknas",
}


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _count(value) -> str:
    return format_number(int(value), 0)


def _target(goal) -> str | None:
    if goal.target is None:
        return None
    if goal.measure == "forandring":
        return change_target(goal)
    value = format_percent(goal.target) if goal.measure in ("andel", "andel_svar") else format_number(goal.target, 0)
    return f"{goal.direction} {value}"


def _cells(goal, row) -> tuple[object, object, object]:
    """``(utfall, underlag, intervall)`` of one goal's row."""
    basis = row["grund"]
    if goal.measure == "kvalitativt":
        return None, None if _missing(row["motivering"]) else row["motivering"], None
    if basis == "dolt":
        return PROTECTED, PROTECTED, PROTECTED if goal.measure in ("andel", "andel_svar") else None
    if basis == "underlag_saknas":
        empty = goal.measure in ("andel", "andel_svar") and not _missing(row["namnare"])
        return None, "inga svar" if empty and goal.measure == "andel_svar" else "inga deltagare" if empty else f"{MISSING_SOURCE[goal.measure]} saknas", None
    if goal.measure in ("andel", "andel_svar"):
        shown = not _missing(row["taljare"])
        underlag = f"{_count(row['taljare'])} av {_count(row['namnare'])}" if shown else PROTECTED
        interval = format_share_interval(float(row["ci_lag"]), float(row["ci_hog"]))
        return Typed(float(row["utfall"]), SHARE), underlag, interval  # a number in Excel, "37 %" in the text
    if goal.measure == "forandring":
        value = int(row["utfall"])
        fewer = (value >= 0) == (goal.change == "minskning")
        outcome = f"{_count(abs(value))} {'färre' if fewer else 'fler'}"
        start, end = goal.dates
        if _missing(row["fore"]) or _missing(row["efter"]):
            return outcome, PROTECTED, None
        return outcome, f"{_count(row['fore'])} den {start.isoformat()}, {_count(row['efter'])} den {end.isoformat()}", None
    if goal.measure == "aktiviteter":
        return Typed(int(row["utfall"]), COUNT), "aktivitetsloggen", None
    return Typed(int(row["utfall"]), COUNT), None, None


def goal_blocks(results: GoalResults) -> list:
    """The måluppfyllelse sentences and table, and how attainment is judged."""
    rows, sentences, small = [], [], False
    for goal, (_, row) in zip(results.goals, results.table.iterrows(), strict=True):
        sentences.append(goal_sentence(goal, row, results.min_n, results.words.get(goal.id)))
        outcome, basis, interval = _cells(goal, row)
        small = small or (basis is PROTECTED and row["grund"] != "dolt")
        rows.append(
            [row["mal"], MEASURE_LABELS[goal.measure], _target(goal), outcome, basis, interval,
             VERDICT_LABELS[row["uppnatt"]], BASIS_LABELS[row["grund"]]]
        )  # fmt: skip
    notes = [
        (
            "Mätbara mål bedöms på utfallet (punktskattningen): ett minst-mål är uppnått när utfallet är lika med eller "
            "över målvärdet, ett högst-mål när det är lika med eller under. För andelar visas ett 95 % konfidensintervall "
            "enligt Wilsons metod bredvid; det visar hur säker skattningen är men avgör inte bedömningen. "
            "Kvalitativa mål bedöms av projektet självt (Ja, Delvis eller Nej) med en motivering."
        ),
    ]
    table = results.table
    if any(table["grund"] == "dolt"):
        notes.append(
            f"– = dolt: utfallet bygger på färre än {results.min_n} deltagare eller svarande eller skulle avslöja ett litet "
            "antal. Ett mål i deltagarregistret bedöms ändå på de antal som inte visas; ett mål i deltagarenkäten med för "
            "få svarande redovisas som osäkert."
        )
    if small:
        notes.append(
            f"– i Underlag: antalet är färre än {results.min_n} (eller skulle avslöja ett så litet antal) och visas inte; "
            "utfallet gäller hela projektet och visas."
        )
    goal_table = Table(
        caption="Projektets mål och utfall",
        columns=[
            Column("Mål"),
            Column("Mått"),
            Column("Målvärde"),
            Column("Utfall", TEXT),
            Column("Underlag"),
            Column("95 % konfidensintervall"),
            Column("Uppnått"),
            Column("Grund för bedömningen"),
        ],
        rows=rows,
        notes=notes,
    )
    return [Subsection("Måluppfyllelse", [Paragraphs(sentences), goal_table])]
