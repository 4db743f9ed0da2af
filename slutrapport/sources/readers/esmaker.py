"""Esmaker exports (CSV, or Excel): a row of question codes above the row of question texts.

Assumed layout (documented in ``docs/exporter/esmaker.md``; Esmaker's own
documentation is not public): row 1 holds the variable names, ``F1, F2,
F3_1 …`` for the questions and names such as ``RespondentID``/``RespID``,
``Status``, ``Startdatum``, ``Svarsdatum``, ``Epost`` for Esmaker's own
columns; row 2 holds the question texts (a matrix statement alone or as
``Rubrik - Påstående``). A column is named by its text; the code, and the
statement after `` - ``, are alternative names.

Recognised when the two rows have that shape (:mod:`.two_row`) and there is a
respondent-ID column; without one the file is read as plain, with the same
result apart from the tool's columns.
"""

from __future__ import annotations

from slutrapport.sources.readers.options import ReadOptions
from slutrapport.sources.readers.raw import RawTable
from slutrapport.sources.readers.tabular import Sheet
from slutrapport.sources.readers.tool_table import build_tool_table, headings, tool_two_row
from slutrapport.sources.readers.two_row import CODES

__all__ = ["NAME", "matches", "build", "META", "IDS"]

NAME = "esmaker"

#: Normalised names of the respondent-ID column (code row or text row).
IDS = {"respondentid", "respid", "resp_id", "respondent-id", "respondent id", "respondent"}
#: Normalised names of Esmaker's own columns, as codes or as texts.
META = IDS | {
    "id",
    "status",
    "startdatum",
    "startdate",
    "start date",
    "starttid",
    "slutdatum",
    "enddate",
    "end date",
    "sluttid",
    "svarsdatum",
    "svarstid",
    "inskickad",
    "submitted",
    "epost",
    "e-post",
    "email",
    "e-mail",
    "ip",
    "ip-adress",
    "språk",
    "sprak",
    "language",
    "lang",
}


def matches(sheet: Sheet) -> bool:
    """A respondent-ID column and question codes above question texts."""
    if not IDS & headings(sheet, rows=2):
        return False
    two = tool_two_row(sheet, META)
    return two is not None and two.kind == CODES


def build(sheet: Sheet, options: ReadOptions | None = None) -> RawTable:
    return build_tool_table(sheet, NAME, META, IDS)
