"""Blocks for the staff-survey section, reshaped from the analysis tables.

Only reshaping happens here: the numbers come from
:func:`slutrapport.analysis.describe.compare_waves` as they are.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..analysis.suppression import ALL, OTHERS, UNKNOWN_ORGANISATION
from ..surveys.ingest import SurveyData
from ..surveys.validation import WARNING
from .model import COUNT, MEAN, SHARE, TEXT, Chart, Column, Hidden, Paragraphs, Subsection, Table, TextList

__all__ = ["SurveyResults", "survey_blocks"]


@dataclass
class SurveyResults:
    """Everything the survey section shows, computed beforehand by ``analysis``."""

    survey: SurveyData
    comparison: pd.DataFrame
    summary: pd.DataFrame
    free_text: pd.DataFrame
    min_n: int
    wave_dates: dict[str, str | None]


def _cell(row: pd.Series | None, column: str):
    if row is None:
        return None
    if bool(row["undertryckt"]):
        return Hidden(str(row["orsak"]))
    value = row[column]
    return None if pd.isna(value) else value


def _hidden_note(min_n: int) -> str:
    return (
        f"– = dolt: färre än {min_n} svar, eller dolt för att en mindre grupps resultat "
        "annars skulle kunna räknas fram ur Alla."
    )


def _wave_table(cells: pd.DataFrame, waves: list[str], row_key: str, row_labels: list[tuple[str, str]], caption: str, min_n: int, first: str) -> Table:
    columns = [Column(first, TEXT)]
    for wave in waves:
        columns += [Column("Medel", MEAN, wave), Column("Andel positiva", SHARE, wave), Column("n", COUNT, wave)]
    lookup = {(r[row_key], r["enkat"]): r for _, r in cells.iterrows()}
    rows = []
    for key, label in row_labels:
        row: list = [label]
        for wave in waves:
            found = lookup.get((key, wave))
            row += [_cell(found, "medel"), _cell(found, "andel_positiva"), _cell(found, "n")]
        rows.append(row)
    notes = []
    if cells["undertryckt"].any():
        notes.append(_hidden_note(min_n))
    return Table(caption=caption, columns=columns, rows=rows, notes=notes)


def _chart(cells: pd.DataFrame, name: str, waves: list[str], y_min: float, y_max: float) -> Chart:
    shown = cells[~cells["undertryckt"].astype(bool) & cells["medel"].notna()]
    data = pd.DataFrame({"grupp": shown["grupp"], "enkat": shown["enkat"], "value": shown["medel"].astype(float)})
    return Chart(
        title=f"{name}: medelvärde per enkät och grupp",
        data=data.reset_index(drop=True),
        waves=waves,
        y_label="Medelvärde",
        y_min=y_min,
        y_max=y_max,
    )


def _method(results: SurveyResults) -> list:
    survey = results.survey
    instrument = survey.instrument
    scale = instrument.scale
    positive = ", ".join(f"{v} ({scale.values[v]})" for v in sorted(scale.positive))
    dates = [f"{w} ({results.wave_dates[w]})" if results.wave_dates.get(w) else w for w in survey.waves]
    texts = [
        f"Enkäten ”{instrument.name}” har besvarats vid {len(survey.waves)} tillfällen: {', '.join(dates)}. "
        f"Svaren ges på en skala från {scale.min} ({scale.values[scale.min]}) till {scale.max} "
        f"({scale.values[scale.max]}). Andel positiva är andelen svar {positive}.",
        "Ett index är medelvärdet av en persons svar på indexets frågor (negativt formulerade frågor vänds först) "
        "och räknas bara för den som har besvarat minst hälften av frågorna. "
        f"Andel positiva för ett index är andelen personer vars indexvärde är minst {scale.positive_threshold}.",
        f"Svar som {', '.join(f'”{m}”' for m in scale.missing) or 'saknas'} och obesvarade frågor räknas inte som värden. "
        f"Grupper med färre än {results.min_n} svar visas inte, och inte heller grupper vars resultat "
        "annars skulle kunna räknas fram ur totalen.",
    ]
    if (results.comparison["grupp"] == OTHERS).any():
        texts.append(f"Organisationer med färre än {results.min_n} svarande har slagits ihop till ”{OTHERS}”.")
    if (results.comparison["grupp"] == UNKNOWN_ORGANISATION).any():
        texts.append(f"Svarande som inte angett organisation redovisas som ”{UNKNOWN_ORGANISATION}”.")
    summary = Table(
        caption="Svar per enkättillfälle",
        columns=[
            Column("Enkät"),
            Column("Fil"),
            Column("Svarande", COUNT),
            Column("Svar på skalan", COUNT),
            Column("Utanför skalan (t.ex. Vet ej)", COUNT),
            Column("Obesvarade", COUNT),
        ],
        rows=results.summary[["enkat", "fil", "svarande", "svar", "saknas", "tomma"]].values.tolist(),
    )
    blocks: list = [Paragraphs(texts), summary]
    warnings = [p for p in survey.report.problems if p.allvar == WARNING]
    if warnings:
        items = [
            f"{p.fil}" + (f", kolumn ”{p.kolumn}”" if p.kolumn else "") + f": {p.meddelande}" for p in warnings
        ]
        blocks.append(TextList("Anmärkningar vid inläsningen", items))
    return blocks


def survey_blocks(results: SurveyResults) -> list:
    """The staff-survey section: method, one subsection per index, free-text answers."""
    survey = results.survey
    instrument = survey.instrument
    table = results.comparison
    waves = survey.waves
    scale = instrument.scale
    blocks: list = [Subsection("Om enkäten och svaren", _method(results))]

    groups = list(dict.fromkeys(table["grupp"]))
    group_rows = [(g, g) for g in groups]
    for index_id, name in instrument.indices.items():
        cells = table[(table["niva"] == "index") & (table["id"] == index_id)]
        questions = instrument.index_items(index_id)
        q_cells = table[(table["niva"] == "fraga") & table["id"].isin([q.id for q in questions]) & (table["grupp"] == ALL)]
        q_rows = [(q.id, q.text + (" (negativt formulerad)" if q.reverse else "")) for q in questions]
        sub = [
            _wave_table(cells, waves, "grupp", group_rows, f"{name}: indexvärde per grupp och enkät", results.min_n, "Grupp"),
            _chart(cells, name, waves, scale.min, scale.max),
            _wave_table(q_cells, waves, "id", q_rows, f"{name}: frågorna i indexet, alla svarande", results.min_n, "Fråga"),
        ]
        blocks.append(Subsection(name, sub))

    loose = [q for q in instrument.scale_questions if q.index is None]
    if loose:
        sub = []
        for question in loose:
            cells = table[(table["niva"] == "fraga") & (table["id"] == question.id)]
            sub.append(_wave_table(cells, waves, "grupp", group_rows, f"{question.text}: per grupp och enkät", results.min_n, "Grupp"))
        blocks.append(Subsection("Frågor som inte ingår i något index", sub))

    free = results.free_text
    if instrument.freetext_questions:
        sub = [
            Paragraphs(
                [
                    "Fritextsvaren redovisas för alla svarande tillsammans, i slumpvis ordning och utan "
                    f"bakgrundsuppgifter. Svar från enkättillfällen med färre än {results.min_n} svarande visas inte."
                ]
            )
        ]
        for question in instrument.freetext_questions:
            for wave in waves:
                texts = free[(free["fraga"] == question.id) & (free["enkat"] == wave)]["text"].tolist()
                sub.append(TextList(f"{question.text} ({wave})", texts))
        blocks.append(Subsection("Fritextsvar", sub))
    return blocks

