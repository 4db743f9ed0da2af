"""Plain Excel/CSV files: one header row with the question texts, then one row per respondent.

This is what a user gets when answers are typed into Excel by hand, or when an
export has been tidied and saved again (including Swedish Excel's
"CSV (semikolonavgränsad)"). Nothing is metadata.
"""

from __future__ import annotations

from slutrapport.sources.readers.options import ReadOptions
from slutrapport.sources.readers.raw import RawTable, add_alternative, bracket_label, table_from_sheet
from slutrapport.sources.readers.tabular import Sheet

__all__ = ["NAME", "matches", "build"]

NAME = "plain"


def matches(sheet: Sheet) -> bool:
    """Any table can be read as plain; this is the fallback."""
    return True


def build(sheet: Sheet, options: ReadOptions | None = None) -> RawTable:
    columns = sheet.cells(0)
    alternatives: dict[int, list[str]] = {}
    for pos, heading in enumerate(columns):
        add_alternative(alternatives, pos, heading, bracket_label(heading))
    return table_from_sheet(sheet, 1, columns, NAME, (), alternatives)
