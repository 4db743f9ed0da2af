"""Find where the header is: the rows a tool writes above it are skipped.

:func:`locate` returns the sheet cut so that row 0 is the first header row,
and the notes saying what was skipped (for the validation report). With
``header_row`` (``--rubrikrad N``, 1-based as Excel shows it) the user decides.

Without it, title rows are skipped, conservatively. Some tools (Webropol,
report-style Excel exports) write the survey's name, "Rapport skapad
2026-03-01", "Antal svar: 29" and blank rows above the header. A row counts as
a title row when it has at most two filled cells; the header is the first row
below them that has at least three, and it must be clearly wider than every
title row (at least twice as many cells, plus one), at least half as wide as
the widest of the first rows, with no two headings alike and hardly any
numbers or dates (a data row has them); only a matrix heading over its
statements (a two-row header) may repeat itself or be narrower, counting the
statements. At most :data:`MAX_TITLE_ROWS` rows are skipped. A file whose first
row has three or more filled cells is never changed. When the row just above
the header turns out to hold matrix headings over the statements (a two-row
header, :mod:`.two_row`), it is kept as the first header row.
"""

from __future__ import annotations

from dataclasses import replace

from slutrapport.core.errors import InputFileError
from slutrapport.core.problems import WARNING, Problem
from slutrapport.core.text import normalise
from slutrapport.sources.readers.tabular import Sheet
from slutrapport.sources.readers.two_row import MATRIX, looks_like_data, two_row_header

__all__ = ["locate", "MAX_TITLE_ROWS"]

#: The most rows skipped above a header found automatically.
MAX_TITLE_ROWS = 15
#: Rows looked at to judge how wide the table is.
_WIDTH_ROWS = 60
_TITLE_CELLS = 2
_QUOTED = 3  # title texts quoted in the note


def locate(sheet: Sheet, header_row: int | None = None) -> tuple[Sheet, list[str]]:
    """The sheet from its header on, and notes on the rows skipped above it."""
    if header_row is None:
        return _automatic(sheet)
    skip = header_row - sheet.first_row
    if skip < 0 or skip >= len(sheet.frame):
        last = sheet.first_row + len(sheet.frame) - 1
        raise InputFileError(
            f"Rubrikraden {header_row} finns inte i {sheet.name}: filens ifyllda rader är {sheet.first_row}–{last}."
        )
    if skip == 0:
        return sheet, []
    rows = f"rad {sheet.first_row}" if skip == 1 else f"raderna {sheet.first_row}–{header_row - 1}"
    note = f"{rows} ovanför rubrikraden {header_row} hoppades över"
    cut = _cut(sheet, skip)
    cut.problems = [*sheet.problems, *_skipped_data(sheet, skip)]
    return cut, [note]


def _skipped_data(sheet: Sheet, skip: int) -> list[Problem]:
    """A warning when rows skipped above the user's header row look like answers: more filled cells than
    a title row has, and at least half as many as the header row."""
    wide = max(_TITLE_CELLS + 1, (len(_filled(sheet, skip)) + 1) // 2)
    rows = [sheet.first_row + r for r in range(skip) if len(_filled(sheet, r)) >= wide]
    if not rows:
        return []
    shown = ", ".join(map(str, rows[:10])) + (" …" if len(rows) > 10 else "")
    header = sheet.first_row + skip
    return [
        Problem(
            sheet.name, rows[0], None, "överhoppad rad", _short(" ".join(_filled(sheet, rows[0] - sheet.first_row))),
            f"rad {shown} ovanför rubrikraden {header} hoppades över fast {'den' if len(rows) == 1 else 'de'} har nästan "
            "lika många ifyllda celler som rubrikraden; det kan vara den riktiga rubrikraden eller svar. "
            "Kontrollera att rubrikraden (--rubrikrad) är rätt",
            WARNING,
        )
    ]


def _cut(sheet: Sheet, skip: int) -> Sheet:
    frame = sheet.frame.iloc[skip:].reset_index(drop=True)
    return replace(sheet, frame=frame, first_row=sheet.first_row + skip)


def _automatic(sheet: Sheet) -> tuple[Sheet, list[str]]:
    skip = _title_rows(sheet)
    if not skip:
        return sheet, []
    texts = [t for r in range(skip) for t in sheet.cells(r) if t]
    first, header = sheet.first_row, sheet.first_row + skip
    rows = f"rad {first}" if skip == 1 else f"raderna {first}–{header - 1}"
    kind = "titelrad" if skip == 1 else "titelrader"
    quoted = ", ".join(f"'{_short(t)}'" for t in texts[:_QUOTED]) + (" …" if len(texts) > _QUOTED else "")
    note = (
        f"{rows} ovanför rubrikraden {header} hoppades över ({kind}{': ' + quoted if quoted else ''}); "
        "är rubrikraden en annan, ange den med --rubrikrad"
    )
    return _cut(sheet, skip), [note]


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _filled(sheet: Sheet, row: int) -> list[str]:
    return [t for t in sheet.cells(row) if t]


def _title_rows(sheet: Sheet) -> int:
    """How many title rows stand above the header (0 when the first row is the header)."""
    frame = sheet.frame
    if frame.empty or len(_filled(sheet, 0)) > _TITLE_CELLS:
        return 0
    counts = [len(_filled(sheet, r)) for r in range(min(len(frame), _WIDTH_ROWS))]
    header = next((r for r, n in enumerate(counts) if n > _TITLE_CELLS), None)
    if header is None or header > MAX_TITLE_ROWS:
        return 0
    if counts[header] < 2 * max(counts[:header]) + 1:
        return 0
    cells = _filled(sheet, header)
    if sum(looks_like_data(c) for c in cells) > 0.1 * len(cells):
        return 0  # numbers and dates: a data row, not a header
    keys = [normalise(c) for c in cells]
    narrow = counts[header] < 0.5 * max(counts)
    if narrow or len(set(keys)) < len(keys):
        # Only a matrix heading over its statements may be narrower than the table, or repeat itself.
        two = two_row_header(_cut(sheet, header))
        if two is None or two.kind != MATRIX or (narrow and _union(sheet, header) < 0.5 * max(counts)):
            return 0
    if counts[header - 1] and header + 1 < len(frame):
        two = two_row_header(_cut(sheet, header - 1))
        if two is not None and two.kind == MATRIX:
            return header - 1  # the row above holds matrix headings over the statements
    return header


def _union(sheet: Sheet, row: int) -> int:
    """Columns filled in ``row`` or the row below it (a two-row header's extent)."""
    if row + 1 >= len(sheet.frame):
        return 0
    block = sheet.frame.iloc[row : row + 2].to_numpy(dtype=object)
    return int(sum(any(str(v).strip() for v in column) for column in block.T))
