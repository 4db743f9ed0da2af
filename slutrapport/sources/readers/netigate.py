"""Netigate exports: the answers sheet of the Excel export ("Rådata" / "Raw data"), or that sheet saved as CSV.

Assumed layout (Netigate's help pages describe the export only in outline, so
this is modelled on the exports we have been shown and documented in
``docs/exporter/netigate.md``): the workbook starts with an information sheet
(survey name, period, number of answers) and the answers are on the sheet
``Rådata`` (Swedish interface) or ``Raw data`` (English). That sheet has one
header row: Netigate's own columns ``RespondentID``/``Respondent-ID``,
``Status``, ``Startdatum``/``Start date``, ``Slutdatum``/``End date``,
``E-post``/``Email``, ``Språk``/``Language`` (and, from a respondent list,
names, telephone and login), then one column per question. A matrix
statement is headed ``Rubrik - Påstående``; the statement is an alternative
name. A two-row header (matrix headings above the statements) is read too.

Choosing the answers sheet in a workbook is done by the workbook loader; this
module recognises that sheet by its columns.
"""

from __future__ import annotations

from slutrapport.sources.readers.options import ReadOptions
from slutrapport.sources.readers.raw import RawTable
from slutrapport.sources.readers.tabular import Sheet
from slutrapport.sources.readers.tool_table import CONTACT_COLUMNS, build_tool_table, headings

__all__ = ["NAME", "matches", "build", "META", "IDS"]

NAME = "netigate"

#: Normalised headings of the respondent-ID column.
IDS = {"respondentid", "respondent-id", "respondent id"}
_MARKS = {"status", "startdatum", "start date", "slutdatum", "end date", "språk", "language"}
#: Normalised headings of Netigate's own columns (Swedish and English interface).
META = IDS | _MARKS | CONTACT_COLUMNS | {
    "startdate",
    "enddate",
    "starttid",
    "sluttid",
    "förnamn",
    "efternamn",
    "first name",
    "last name",
    "telefon",
    "mobilnummer",
    "phone",
    "mobile",
    "inloggning",
    "login",
    "utskick",
    "send-out",
    "svarstid (sekunder)",
    "time (seconds)",
}


def matches(sheet: Sheet) -> bool:
    """Row 1 has a respondent-ID column and two of ``Status``, start date, end date, language."""
    found = headings(sheet)
    return bool(IDS & found) and len(_MARKS & found) >= 2


def build(sheet: Sheet, options: ReadOptions | None = None) -> RawTable:
    return build_tool_table(sheet, NAME, META, IDS)
