"""SurveyMonkey exports ("All responses data", XLSX or CSV), English and Swedish interface.

Two header rows. Row 1 starts with the tool's own columns, in English
``Respondent ID, Collector ID, Start Date, End Date, IP Address, Email
Address, First Name, Last Name, Custom Data 1`` and with the Swedish interface
``Respondent-ID, Insamlar-ID, Startdatum, Slutdatum, IP-adress,
E-postadress, Förnamn, Efternamn, Anpassade data 1``, and then has each
question's text, blank over the further columns of the same question (or
merged across them). Row 2 says ``Response``/``Svar`` or ``Open-Ended
Response``/``Öppet svar`` under single-column questions and the row label
under each column of a matrix. Data starts on row 3.

A matrix column is named ``Fråga [Radetikett]`` with the question text carried
forward over the blanks, and the row label alone is an alternative name.

**Expanded columns.** With "Columns: Expanded" a choice question gets one
column per answer option: row 2 holds the option's label and a cell holds
the label (or ``1``/``X``) when the option was ticked, blank otherwise. Such
a group is merged into one column named by the question, holding the ticked
option's label. It is told apart from a matrix conservatively: every
non-blank cell of every column must be that column's own label or a tick
mark. Two options ticked in one row of a merged question is a row problem
(``flera svar``, an error). A group where many rows have several ticks is a
"select all that apply" question and is kept as one column per option
(``Fråga [Alternativ]``). An ``Other (please specify)``/``Annat (ange)``
column after the options holds free text and stays a column of its own,
``Fråga [Annat]``.
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pandas as pd

from slutrapport.core.problems import ERROR, Problem
from slutrapport.core.text import normalise
from slutrapport.sources.readers.options import ReadOptions
from slutrapport.sources.readers.raw import RawTable, add_alternative, table_from_sheet
from slutrapport.sources.readers.tabular import Sheet

__all__ = ["NAME", "matches", "build", "META", "OTHER"]

NAME = "surveymonkey"

#: Normalised headings of SurveyMonkey's own columns (row 1), English and Swedish interface.
META = {
    "respondent id",
    "collector id",
    "start date",
    "end date",
    "ip address",
    "email address",
    "first name",
    "last name",
    "custom data",
    "respondent-id",
    "insamlar-id",
    "startdatum",
    "slutdatum",
    "ip-adress",
    "e-postadress",
    "förnamn",
    "efternamn",
    "anpassade data",
}
_CUSTOM = re.compile(r"^(?:custom data|anpassade data) \d+$")
_RESPONDENT = {"respondent id", "respondent-id", "respondentid"}
_COLLECTOR = {"collector id", "insamlar-id", "collectorid"}
#: Row-2 texts that mean "the answer itself", not a matrix row or an option.
_RESPONSE = {"response", "open-ended response", "svar", "öppet svar"}
#: The heading suffix of the free-text column beside a question's "Other" option.
OTHER = "Annat"
_OTHER_LABEL = re.compile(r"^(?:other|annat|annan|övrigt|övriga|andra)(?:\s*\(.*\))?$")
_TICKS = {"1", "x", "✓", "✔"}
#: A group is a "select all that apply" question when more than this share of its answered rows has several ticks.
_MULTI_SHARE = 1 / 3


def matches(sheet: Sheet) -> bool:
    """Row 1 starts with ``Respondent ID``/``Respondent-ID`` and has ``Collector ID``/``Insamlar-ID``."""
    first = sheet.keys(0)
    return bool(first) and first[0] in _RESPONDENT and bool(_COLLECTOR & set(first))


def _is_meta(heading: str) -> bool:
    key = normalise(heading)
    return key in META or bool(_CUSTOM.match(key))


def _groups(top: list[str], sub: list[str]) -> list[tuple[str, list[int]]]:
    """Consecutive columns under one row-1 heading (the tool's own columns each alone)."""
    groups: list[tuple[str, list[int]]] = []
    for pos, (heading, label) in enumerate(zip(top, sub, strict=True)):
        if heading and _is_meta(heading) and not label:
            groups.append(("", [pos]))
        elif heading or not groups or not groups[-1][0]:
            groups.append((heading, [pos]))
        else:
            groups[-1][1].append(pos)
    return groups


def build(sheet: Sheet, options: ReadOptions | None = None) -> RawTable:
    top, sub = sheet.cells(0), sheet.cells(1)
    data = sheet.frame.iloc[2:].reset_index(drop=True)
    columns: list[str] = []
    series: list[pd.Series] = []
    meta: set[int] = set()
    alternatives: dict[int, list[str]] = {}
    notes: list[str] = []
    problems: list[Problem] = []
    first_data_row = sheet.first_row + 2
    for question, positions in _groups(top, sub):
        if not question and len(positions) == 1 and _is_meta(top[positions[0]]):
            meta.add(len(columns))
            columns.append(top[positions[0]])
            series.append(data[positions[0]])
            continue
        other = _other(positions, sub, data)
        options_ = _expanded(question, [p for p in positions if p != other], sub, data)
        if options_ and options is not None and normalise(question) in options.multiple_choice:
            options_ = []  # the instrument asks it as multiple choice: one column per option, as exported
        if other is not None and "(" not in sub[other] and not options_:
            other = None  # a bare "Övrigt" is free text only beside expanded options (else e.g. a matrix row)
        if options_:
            merged, multi, answered = _merge(options_, sub, data)
            if len(multi) >= 2 and len(multi) > answered * _MULTI_SHARE:
                notes.append(f"frågan '{question}' har flera ikryssade alternativ på många rader och läses som en flervalsfråga")
                options_ = []
            else:
                columns.append(question)
                series.append(merged)
                problems += [_multiple(sheet.name, first_data_row + i, question, labels) for i, labels in multi.items()]
        for pos in positions:
            if pos in options_:
                continue
            label = sub[pos]
            if pos == other:
                name = f"{question} [{OTHER}]" if question else label
            elif not label or normalise(label) in _RESPONSE:
                name = question or label
            elif question:
                name = f"{question} [{label}]"
                add_alternative(alternatives, len(columns), name, label)
            else:
                name = label
            columns.append(name)
            series.append(data[pos])
    frame = pd.concat(series, axis=1, ignore_index=True) if series else data.iloc[:, :0]
    header = pd.DataFrame([[""] * len(columns)] * 2)
    rebuilt = replace(sheet, frame=pd.concat([header, frame], ignore_index=True))
    table = table_from_sheet(rebuilt, 2, columns, NAME, meta, alternatives)
    table.id_column = next((p for p in sorted(meta) if normalise(columns[p]) in _RESPONDENT), None)
    table.notes += notes
    table.problems += problems
    return table


def _is_tick(value: str, label: str) -> bool:
    key = normalise(value)
    return key == normalise(label) or key in _TICKS


def _other(positions: list[int], sub: list[str], data: pd.DataFrame) -> int | None:
    """The last column of a question when it is the free text of an "Other (please specify)" option."""
    if len(positions) < 2:
        return None
    last, label = positions[-1], sub[positions[-1]]
    if not _OTHER_LABEL.match(normalise(label)):
        return None
    cells = {v for v in data[last].unique() if str(v).strip()}
    # "Annat (ange)" is always free text; a bare "Annat" only when its cells are more than ticks.
    return last if "(" in label or not all(_is_tick(v, label) for v in cells) else None


def _expanded(question: str, positions: list[int], sub: list[str], data: pd.DataFrame) -> list[int]:
    """The option columns of an expanded choice question, or nothing when the group is not one."""
    if not question or len(positions) < 2:
        return []
    labels = [normalise(sub[p]) for p in positions]
    if any(not label or label in _RESPONSE for label in labels) or len(set(labels)) < len(labels):
        return []
    ticked_any = False
    for pos in positions:
        cells = {v for v in data[pos].unique() if str(v).strip()}
        if not all(_is_tick(v, sub[pos]) for v in cells):
            return []
        ticked_any |= bool(cells)
    return positions if ticked_any else []


def _merge(options: list[int], sub: list[str], data: pd.DataFrame) -> tuple[pd.Series, dict[int, list[str]], int]:
    """One column holding the ticked option's label per row (blank unless exactly one is ticked), the labels
    ticked in each row with more than one (by row position), and how many rows have any ticked.

    A cell is ticked when it is not blank (spaces only count as blank); each option's distinct cells are
    looked at once, not cell by cell.
    """
    ticks = np.zeros((len(options), len(data)), dtype=bool)
    for k, pos in enumerate(options):
        codes, uniques = pd.factorize(data[pos].to_numpy(dtype=object))
        filled = [not isinstance(u, str) or u.strip() != "" for u in uniques.tolist()]
        ticks[k] = np.array([*filled, True], dtype=bool)[codes]  # (code -1, a missing cell, is not blank text)
    count = ticks.sum(axis=0)
    labels = np.array([sub[pos] for pos in options], dtype=object)
    merged = np.where(count == 1, labels[ticks.argmax(axis=0)] if len(options) else "", "")
    multi = {int(i): labels[ticks[:, i]].tolist() for i in np.flatnonzero(count > 1)}
    return pd.Series(merged, index=data.index, dtype=object), multi, int((count > 0).sum())


def _multiple(file: str, row: int, question: str, labels: list[str]) -> Problem:
    return Problem(
        fil=file,
        rad=row,
        kolumn=question,
        kontroll="flera svar",
        varde="; ".join(labels),
        meddelande=f"{len(labels)} svarsalternativ är ikryssade i en fråga där bara ett svar är möjligt "
        f"({'; '.join(labels)}); svaret räknas inte. Rätta raden i filen eller i SurveyMonkey",
        allvar=ERROR,
    )
