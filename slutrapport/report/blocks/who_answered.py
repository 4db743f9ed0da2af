"""Who answered: the response rates (svarsfrekvens) and the organisation mix, as report blocks.

Only reshaping: the rates are :attr:`SurveyResults.response_rates`
(:mod:`slutrapport.analysis.response_rates`), the mix and its standardised
change :attr:`SurveyResults.composition` and the standardised rows of
``changes`` (:mod:`slutrapport.analysis.composition`); the sentences come from
:mod:`slutrapport.wording.who_answered`.

:func:`with_response_rates` gives every survey table and chart the response
rate: a table of groups per wave gets a column ``Svarsfrekvens`` per wave;
every other table and every chart gets a note with the rate of all
respondents per wave. Without invited counts nothing is added.
"""

from __future__ import annotations

import pandas as pd

from slutrapport.analysis.response_rates import rate_lookup
from slutrapport.analysis.survey import SurveyResults
from slutrapport.report.blocks.survey_method import hidden_note
from slutrapport.report.model import CHARTS, COUNT, PROTECTED, SHARE, TEXT, Column, Paragraphs, Subsection, Table
from slutrapport.wording.who_answered import composition_warnings, low_rate_sentences, rate_note

__all__ = ["RATE_COLUMN", "response_rate_blocks", "with_response_rates", "composition_blocks"]

#: The label of the response-rate column of a table of groups per wave.
RATE_COLUMN = "Svarsfrekvens"


def response_rate_blocks(results: SurveyResults) -> list:
    """The response-rate table (groups × waves: respondents, invited, rate) and its warnings; none without counts."""
    rates = getattr(results, "response_rates", None)
    if rates is None or rates.empty:
        return []
    waves = [w for w in results.survey.waves if (rates["enkat"] == w).any()]
    columns = [Column("Grupp", TEXT)]
    for wave in waves:
        columns += [Column("Svarande", COUNT, wave), Column("Inbjudna", COUNT, wave), Column(RATE_COLUMN, SHARE, wave)]
    lookup = {(r.grupp, r.enkat): r for r in rates.itertuples(index=False)}
    rows = []
    for group in dict.fromkeys(rates["grupp"]):
        row: list = [group]
        for wave in waves:
            found = lookup.get((group, wave))
            if found is None:
                row += [None, None, None]
                continue
            invited = None if pd.isna(found.inbjudna) else int(found.inbjudna)
            if bool(found.undertryckt):
                row += [PROTECTED, invited, PROTECTED]
            else:
                rate = None if pd.isna(found.svarsfrekvens) else float(found.svarsfrekvens)
                row += [None if pd.isna(found.n) else int(found.n), invited, rate]
        rows.append(row)
    notes = ["Svarsfrekvens = svarande delat med inbjudna. Tomt = antalet inbjudna är inte angivet."]
    if rates["undertryckt"].any():
        notes.append(hidden_note(results.min_n))
    table = Table(caption="Svarsfrekvens per grupp och enkät", columns=columns, rows=rows, notes=notes)
    warnings = low_rate_sentences(rates)
    return [table, *([Paragraphs(warnings)] if warnings else [])]


def composition_blocks(results: SurveyResults, niva: str | None = None, item: str | None = None) -> list:
    """The visible warning that the organisation mix changed, with the standardised change of ``item`` when given."""
    composition = getattr(results, "composition", None)
    if composition is None or composition.empty or not composition["skifte"].any():
        return []
    texts = composition_warnings(composition, results.changes, niva, item)
    return [Paragraphs(texts)] if texts else []


def with_response_rates(blocks: list, results: SurveyResults) -> list:
    """``blocks`` with the response rates added to every table and chart (see the module docstring); in place."""
    rates = rate_lookup(getattr(results, "response_rates", None))
    if not rates:
        return blocks
    waves = list(results.survey.waves)
    note = rate_note(rates, waves)
    for block in blocks:
        if isinstance(block, Subsection):
            with_response_rates(block.blocks, results)
        elif isinstance(block, Table):
            if any(c.label == RATE_COLUMN for c in block.columns):
                continue
            if not _add_rate_columns(block, rates, waves) and note:
                block.notes.append(note)
        elif isinstance(block, CHARTS) and note:
            notes = getattr(block, "notes", None)
            if isinstance(notes, list) and note not in notes:
                notes.append(note)
    return blocks


def _add_rate_columns(table: Table, rates: dict[tuple[str, str], float | None], waves: list[str]) -> bool:
    """A column ``Svarsfrekvens`` after each wave's ``n`` in a table whose rows are groups (first column ``Grupp``)."""
    if not table.columns or table.columns[0].label != "Grupp":
        return False
    places = [(i, c.group) for i, c in enumerate(table.columns) if c.label == "n" and c.group in waves]
    if not places:
        return False
    for position, wave in reversed(places):
        table.columns.insert(position + 1, Column(RATE_COLUMN, SHARE, wave))
        for row in table.rows:
            key = (str(row[0]), wave)
            value = rates.get(key, "missing")
            hidden = row[position] is PROTECTED
            row.insert(position + 1, PROTECTED if hidden or value is None else (None if value == "missing" else value))
    return True
