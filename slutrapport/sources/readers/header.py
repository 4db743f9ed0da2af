"""Find where the header is: the rows a tool writes above it are skipped.

:func:`locate` returns the sheet cut so that row 0 is the first header row,
and the notes saying what was skipped (for the validation report). With
``header_row`` (``--rubrikrad N``, 1-based as Excel shows it) the user decides.
"""

from __future__ import annotations

from dataclasses import replace

from slutrapport.core.errors import InputFileError
from slutrapport.sources.readers.tabular import Sheet

__all__ = ["locate"]


def locate(sheet: Sheet, header_row: int | None = None) -> tuple[Sheet, list[str]]:
    """The sheet from its header on, and notes on the rows skipped above it."""
    if header_row is None:
        return sheet, []
    skip = header_row - sheet.first_row
    if skip < 0 or skip >= len(sheet.frame):
        last = sheet.first_row + len(sheet.frame) - 1
        raise InputFileError(
            f"Rubrikraden {header_row} finns inte i {sheet.name}: filens ifyllda rader är {sheet.first_row}–{last}."
        )
    if skip == 0:
        return sheet, []
    frame = sheet.frame.iloc[skip:].reset_index(drop=True)
    note = f"raderna {sheet.first_row}–{header_row - 1} ovanför rubrikraden {header_row} hoppades över"
    return replace(sheet, frame=frame, first_row=header_row), [note]
