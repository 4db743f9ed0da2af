"""Webropol exports (Excel, or CSV): title rows, then a header whose matrix headings span their statements.

Assumed layout (documented in ``docs/exporter/webropol.md``; Webropol's
manuals describe the Excel export only in outline): a few title rows (the
survey's name, the number of answers, the export date), skipped by
:mod:`.header`; a header row with Webropol's own columns (``Respondent``,
``Svarstid``/``Answer time``, ``E-post``/``Email``), each single-column
question's text, and each matrix question's heading merged across its columns;
below it, the matrix statements (blank under single-column questions); then
one row per respondent. A matrix column is named ``Rubrik [Påstående]`` and
the statement is an alternative name (:mod:`.two_row`).

Recognised by a respondent column together with an answer-time column or a
matrix heading over statements.
"""

from __future__ import annotations

from slutrapport.sources.readers.options import ReadOptions
from slutrapport.sources.readers.raw import RawTable
from slutrapport.sources.readers.tabular import Sheet
from slutrapport.sources.readers.tool_table import CONTACT_COLUMNS, build_tool_table, headings, tool_two_row
from slutrapport.sources.readers.two_row import MATRIX

__all__ = ["NAME", "matches", "build", "META", "IDS"]

NAME = "webropol"

#: Normalised headings of the respondent column.
IDS = {"respondent", "respondentnummer", "respondent number", "respondent nr", "svarsnummer", "svar nr", "#"}
_TIMES = {"svarstid", "svarsdatum", "svarstidpunkt", "answer time", "answered", "response time", "response date"}
#: Normalised headings of Webropol's own columns (Swedish and English interface).
META = IDS | _TIMES | CONTACT_COLUMNS | {
    "språk",
    "language",
}


def matches(sheet: Sheet) -> bool:
    """A respondent column with an answer-time column, or with a matrix heading over statements."""
    found = headings(sheet)
    if not IDS & found:
        return False
    if _TIMES & found:
        return True
    two = tool_two_row(sheet, META)
    return two is not None and two.kind == MATRIX


def build(sheet: Sheet, options: ReadOptions | None = None) -> RawTable:
    return build_tool_table(sheet, NAME, META, IDS)
