"""Artologik Survey&Report exports (Excel, or CSV): numbered question headings beside the tool's own columns.

Assumed layout (documented in ``docs/exporter/artologik.md``; the
Survey&Report manual describes the export of answers only in outline): one
header row with Survey&Report's own columns ``Respondent``,
``Inskickad``/``Submitted``, ``Datum``/``Date`` (and ``E-post``/``Email``,
``Namn``/``Name`` for a non-anonymous survey), then the questions headed with
their numbers: ``3.2. Jag känner till …`` for a matrix statement, or
``3. Rubrik - Påstående``. The heading without its number, the statement
after `` - `` and the number are alternative names.

Recognised by one of its own columns together with numbered headings on at
least two and at least half of the other columns.
"""

from __future__ import annotations

from slutrapport.sources.readers.options import ReadOptions
from slutrapport.sources.readers.raw import RawTable
from slutrapport.sources.readers.tabular import Sheet
from slutrapport.sources.readers.tool_table import CONTACT_COLUMNS, build_tool_table, numbered

__all__ = ["NAME", "matches", "build", "META", "IDS"]

NAME = "artologik"

#: Normalised headings of the respondent column.
IDS = {"respondent", "respondent-id", "respondentid", "respondent id"}
_MARKS = {"respondent", "inskickad", "inskickat", "submitted", "datum", "date"}
#: Normalised headings of Survey&Report's own columns (Swedish and English interface).
META = IDS | _MARKS | CONTACT_COLUMNS | {
    "status",
    "språk",
    "language",
}


def matches(sheet: Sheet) -> bool:
    """One of ``Respondent``, ``Inskickad``/``Submitted``, ``Datum``/``Date`` and mostly numbered headings."""
    named = [(c, k) for c, k in zip(sheet.cells(0), sheet.keys(0), strict=True) if c]
    if not _MARKS & {k for _, k in named}:
        return False
    others = [c for c, k in named if k not in META]
    count = sum(numbered(c) is not None for c in others)
    return count >= 2 and count >= len(others) / 2


def build(sheet: Sheet, options: ReadOptions | None = None) -> RawTable:
    return build_tool_table(sheet, NAME, META, IDS)
