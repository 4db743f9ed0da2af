"""Microsoft Forms response workbooks (``Svar på <formulär>.xlsx``).

One header row starting ``ID, Start time, Completion time, Email, Name`` (and
``Last modified time``), or in Swedish ``ID, Starttid, Tid för slutförande``
(older: ``Sluttid``), ``E-post, Namn, Senaste ändringstid``. Anonymous forms
write ``anonymous`` in Email/Name. Quizzes add ``Total points``, ``Quiz
feedback`` and per question ``Points - <fråga>`` and ``Feedback - <fråga>``;
all of these are metadata. Likert statements that are written as
``<fråga>.<påstående>`` may also be matched by the statement alone.
"""

from __future__ import annotations

import re

from slutrapport.core.text import normalise
from slutrapport.sources.readers.options import ReadOptions
from slutrapport.sources.readers.raw import RawTable, add_alternative, table_from_sheet
from slutrapport.sources.readers.tabular import Sheet

__all__ = ["NAME", "matches", "build", "META"]

NAME = "microsoft_forms"

_MARKERS = {"start time", "starttid"}
#: Normalised headings of Microsoft's own columns.
META = {
    "id",
    "start time",
    "completion time",
    "email",
    "name",
    "last modified time",
    "total points",
    "quiz feedback",
    "starttid",
    "sluttid",
    "tid för slutförande",
    "slutförandetid",
    "e-post",
    "namn",
    "senaste ändringstid",
    "totalt antal poäng",
    "totalpoäng",
    "frågesportsfeedback",
    "feedback för frågesport",
}
_PER_QUESTION = re.compile(r"^(?:points|poäng|feedback)\s*[-–—]\s*\S", re.IGNORECASE)


def matches(sheet: Sheet) -> bool:
    """The headings include ``ID`` and ``Start time``/``Starttid``."""
    headings = set(sheet.keys(0))
    return "id" in headings and bool(_MARKERS & headings)


def build(sheet: Sheet, options: ReadOptions | None = None) -> RawTable:
    columns = sheet.cells(0)
    meta = {
        pos
        for pos, heading in enumerate(columns)
        if normalise(heading) in META or _PER_QUESTION.match(heading)
    }
    alternatives: dict[int, list[str]] = {}
    questions = [pos for pos in range(len(columns)) if pos not in meta]
    for before, pos, after in zip([None, *questions], questions, [*questions[1:], None], strict=False):  # neighbours of each question
        neighbours = [columns[p] for p in (before, after) if p is not None]
        add_alternative(alternatives, pos, columns[pos], _statement(columns[pos], neighbours))
    return table_from_sheet(sheet, 1, columns, NAME, meta, alternatives)


def _statement(heading: str, neighbours: list[str]) -> str | None:
    """The part after the longest ``<fråga>.`` prefix shared with a neighbouring column."""
    for dot in range(len(heading) - 2, 2, -1):
        if heading[dot] != ".":
            continue
        prefix = heading[: dot + 1]
        if any(n.startswith(prefix) and len(n) > len(prefix) for n in neighbours):
            return heading[dot + 1 :].strip() or None
    return None
