"""The staff survey on one table: every index (or, without indices, every scale question) per wave for all
respondents, with each statistically certain change marked by a symbol.

The table a reader of the main report sees first (the full tables per group, question and test are in the
appendix, :mod:`slutrapport.report.appendix`). Only reshaping: the values are the comparison table's, and a
change is marked by the same rule as the sentences (:mod:`slutrapport.wording.survey`): a row of the primary
family with ``p_corr`` below :data:`~slutrapport.wording.survey.SIGNIFICANCE`, its direction from the test
that decided (:func:`~slutrapport.wording.survey.change_direction`). The symbols are text, so the marking
never rests on colour.
"""

from __future__ import annotations

import pandas as pd

from slutrapport.analysis.families import PRIMARY, TREND_TESTS
from slutrapport.analysis.suppression import ALL
from slutrapport.analysis.survey import SurveyResults
from slutrapport.report.blocks.survey_method import hidden_note
from slutrapport.report.model import MEAN, PROTECTED, SHARE, TEXT, Column, Table
from slutrapport.wording.rows import row_dicts
from slutrapport.wording.survey import SIGNIFICANCE, change_direction, spread_out

__all__ = ["overview_table", "UP", "DOWN", "SPREAD", "NO_CHANGE"]

#: The marks of the change column: a certain rise, a certain fall, a certain shift where the answers spread out.
UP, DOWN, SPREAD = "▲", "▼", "↕"
#: The change column's text when no change is certain.
NO_CHANGE = "ingen"
_LEGEND = (
    f"{UP} = statistiskt säkerställd ökning, {DOWN} = statistiskt säkerställd minskning, {SPREAD} = statistiskt "
    "säkerställd förskjutning där svaren spreds ut och medelvärdet inte följde med; "
    f"{NO_CHANGE} = ingen statistiskt säkerställd förändring (skillnaderna kan bero på slumpen). Säkerställd betyder "
    "rapportens primära test för alla svarande, Holm-justerat p under 0,05."
)


def _certain(row: pd.Series) -> bool:
    return row.get("familj") == PRIMARY and not pd.isna(row["p_corr"]) and row["p_corr"] < SIGNIFICANCE


def _span(row: pd.Series) -> str:
    if row["test"] in TREND_TESTS:
        return "trend över alla enkäter"
    if row["fran"] == "alla":
        return "alla enkäter"
    return f"{row['fran']} → {row['till']}"


def _change_text(rows: list[dict]) -> str:
    """``'▲ Enkät 1 → Enkät 3'``: every certain change in ``rows`` (one item's, for all respondents), or ``ingen``."""
    marks = []
    for row in rows:
        if not _certain(row):
            continue
        symbol = SPREAD if spread_out(row) else UP if change_direction(row) > 0 else DOWN
        marks.append(f"{symbol} {_span(row)}")
    return "; ".join(marks) or NO_CHANGE


def _cell(found: pd.Series | None, column: str):
    if found is None:
        return None
    if bool(found["undertryckt"]):
        return PROTECTED
    value = found[column]
    return None if pd.isna(value) else value


def overview_table(results: SurveyResults) -> Table | None:
    """Index (or scale question) × wave for all respondents: mean, share positive and the certain changes; None without either."""
    survey = results.survey
    instrument, waves = survey.instrument, list(survey.waves)
    if instrument.indices:
        niva, items, first, what = "index", list(instrument.indices.items()), "Index", "index"
    else:
        niva, first, what = "fraga", "Fråga", "frågor"
        items = [(q.id, q.text) for q in instrument.scale_questions]
    if not items or not waves:
        return None
    table = results.comparison
    cells = table[(table["niva"] == niva) & (table["grupp"] == ALL)]
    lookup = {(r["id"], str(r["enkat"])): r for r in row_dicts(cells)}
    columns = [Column(first, TEXT)]
    for wave in waves:
        columns += [Column("Medel", MEAN, wave), Column("Andel positiva", SHARE, wave)]
    changes_column = len(waves) > 1
    if changes_column:
        columns.append(Column("Säkerställd förändring", TEXT))
    changes: dict[str, list[dict]] = {}  # id → its changes for all respondents, in table order
    if changes_column:
        for change in row_dicts(results.changes[(results.changes["niva"] == niva) & (results.changes["grupp"] == ALL)]):
            changes.setdefault(change["id"], []).append(change)
    rows = []
    for item, label in items:
        row: list = [label]
        for wave in waves:
            found = lookup.get((item, str(wave)))
            row += [_cell(found, "medel"), _cell(found, "andel_positiva")]
        if changes_column:
            row.append(_change_text(changes.get(item, [])))
        rows.append(row)
    hidden = any(value is PROTECTED for row in rows for value in row)
    notes = ([hidden_note(results.min_n)] if hidden else []) + ([_LEGEND] if changes_column else [])
    return Table(caption=f"Personalenkätens {what} per enkät, alla svarande", columns=columns, rows=rows, notes=notes)
