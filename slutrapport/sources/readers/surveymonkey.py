"""SurveyMonkey exports ("All responses data", XLSX or CSV, expanded columns).

Two header rows. Row 1 starts with the tool's own columns ``Respondent ID,
Collector ID, Start Date, End Date, IP Address, Email Address, First Name,
Last Name, Custom Data 1`` and then has each question's text, blank over the
further columns of a matrix question (or merged across them). Row 2 says
``Response`` or ``Open-Ended Response`` under single-column questions and the
row label under each column of a matrix. Data starts on row 3.

A matrix column is named ``Fråga [Radetikett]`` with the question text carried
forward over the blanks, and the row label alone is an alternative name.
"""

from __future__ import annotations

import re

from slutrapport.core.text import normalise
from slutrapport.sources.readers.options import ReadOptions
from slutrapport.sources.readers.raw import RawTable, add_alternative, table_from_sheet
from slutrapport.sources.readers.tabular import Sheet

__all__ = ["NAME", "matches", "build", "META"]

NAME = "surveymonkey"

#: Normalised headings of SurveyMonkey's own columns (row 1).
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
}
_CUSTOM = re.compile(r"^custom data \d+$")
#: Row-2 texts that mean "the answer itself", not a matrix row.
_RESPONSE = {"response", "open-ended response", "svar", "öppet svar"}


def matches(sheet: Sheet) -> bool:
    """Row 1 starts with ``Respondent ID`` and has ``Collector ID``."""
    first = [normalise(c) for c in sheet.cells(0)]
    return bool(first) and first[0] == "respondent id" and "collector id" in first


def _is_meta(heading: str) -> bool:
    key = normalise(heading)
    return key in META or bool(_CUSTOM.match(key))


def build(sheet: Sheet, options: ReadOptions | None = None) -> RawTable:
    top, sub = sheet.cells(0), sheet.cells(1)
    columns: list[str] = []
    meta: set[int] = set()
    alternatives: dict[int, list[str]] = {}
    question = ""
    for pos, (heading, label) in enumerate(zip(top, sub, strict=True)):
        if heading and _is_meta(heading) and not label:
            meta.add(pos)
            columns.append(heading)
            question = ""
            continue
        if heading:
            question = heading
        if not label or normalise(label) in _RESPONSE:
            columns.append(question or label)
        elif question:
            columns.append(f"{question} [{label}]")
            add_alternative(alternatives, pos, columns[-1], label)
        else:
            columns.append(label)
    return table_from_sheet(sheet, 2, columns, NAME, meta, alternatives)
