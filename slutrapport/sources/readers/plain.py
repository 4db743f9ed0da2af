"""Plain Excel/CSV files: the question texts in a header row, then one row per respondent.

This is what a user gets when answers are typed into Excel by hand, or when an
export has been tidied and saved again (including Swedish Excel's
"CSV (semikolonavgränsad)"). Nothing is metadata.

A two-row header is read too (:mod:`.two_row`): question codes above the
question texts (the code becomes an alternative name), or matrix headings
merged above their statements (the column is named ``Rubrik [Påstående]``).
Title rows above the header are skipped before this module sees the sheet
(:mod:`.header`).
"""

from __future__ import annotations

from slutrapport.sources.readers.options import ReadOptions
from slutrapport.sources.readers.raw import RawTable, add_alternative, bracket_label, table_from_sheet
from slutrapport.sources.readers.tabular import Sheet
from slutrapport.sources.readers.two_row import two_row_header

__all__ = ["NAME", "matches", "build"]

NAME = "plain"


def matches(sheet: Sheet) -> bool:
    """Any table can be read as plain; this is the fallback."""
    return True


def build(sheet: Sheet, options: ReadOptions | None = None) -> RawTable:
    two = two_row_header(sheet)
    if two is not None:
        table = table_from_sheet(sheet, 2, two.columns, NAME, (), two.alternatives)
        table.notes.append(two.note(sheet.first_row))
        return table
    columns = sheet.cells(0)
    alternatives: dict[int, list[str]] = {}
    for pos, heading in enumerate(columns):
        add_alternative(alternatives, pos, heading, bracket_label(heading))
    return table_from_sheet(sheet, 1, columns, NAME, (), alternatives)
