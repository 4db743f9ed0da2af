"""How far a workbook's sheets reach, read from their XML before python-calamine parses them.

python-calamine allocates every cell of the rectangle from the first to the
last cell a sheet names: one cell at ``XFD1048576`` is 17 billion cells, and
the process aborts. :func:`xlsx_extent` streams an .xlsx worksheet part and
bounds its last row and column cheaply: the row numbers of ``<row r="N">``,
and, on a copy where every digit reads ``0`` and every capital letter ``A``,
plain substring searches for references with longer row numbers than any row
(``r="A0000000"``), with two column letters, or with three or more. With ``exact`` every
reference is read (slower; used to word a refusal). Cells without ``r`` take
the next column, so a row with such cells may reach as far as its cell count.
Error cells (``t="e"``), which calamine gives as blanks, are collected on the
way. :func:`ods_extents` does the same for an .ods ``content.xml``, where
repeated rows and cells (``number-rows-repeated``) are what can blow up.
"""

from __future__ import annotations

import html
import re
import string
import zipfile
from dataclasses import dataclass, field

__all__ = ["xlsx_extent", "ods_extents", "column_number"]

_CHUNK = 4 * 1024 * 1024
#: Chunks overlap so that a reference or an error cell cut at a boundary is seen whole in the next one
#: (seeing one twice changes no maximum).
_OVERLAP = 4096
#: Digits become 0 and capital letters A; the rest (``r="``, lower-case names) stays as it is.
_SHAPE = bytes.maketrans(b"0123456789" + string.ascii_uppercase.encode(), b"0" * 10 + b"A" * 26)
_ROW_TAG = re.compile(rb'row r="(\d+)"')
_REF = re.compile(rb' r="([A-Za-z]*)(\d+)"')
_REF_ROW = re.compile(rb' r="[A-Za-z]*(\d+)"')
_REF_COLUMN = re.compile(rb' r="([A-Za-z]+)\d')
_ERROR_CELL = re.compile(rb'<c\s([^>]*?\bt="e"[^>/]*)>(?:(?!</c>).)*?<v>([^<]*)</v>', re.S)
_CELL_REF = re.compile(rb'\br="([A-Za-z]+)(\d+)"')
_CELL_TAG = re.compile(rb"<c(\s[^>]*)?/?>")
_IMPLICIT_CELL = re.compile(rb'<c(?:/?>|\s(?![^>]*\br=")[^>]*>)')
_TWO_LETTERS, _THREE_LETTERS = b' r="AA0', b' r="AAA'


@dataclass
class _Extent:
    rows: int = 0
    implicit_rows: int = 0
    columns: int = 0
    two_letters: bool = False
    widest_implicit_row: int = 0
    errors: dict[tuple[int, int], str] = field(default_factory=dict)


def xlsx_extent(archive: zipfile.ZipFile, part: str, *, exact: bool = False) -> tuple[int, int, dict[tuple[int, int], str]]:
    """Rows and columns the worksheet part reaches (an upper bound unless ``exact``), and its error cells
    by 0-based (row, column)."""
    state = _Extent()
    tail = b""
    with archive.open(part) as handle:
        while chunk := handle.read(_CHUNK):
            block = tail + chunk
            _scan(block, state, exact)
            if b't="e"' in block:
                state.errors.update(_error_cells(block))
            tail = block[-_OVERLAP:]
    columns = state.columns if exact else max(state.columns, 702 if state.two_letters else 26)
    return state.rows + state.implicit_rows, columns + state.widest_implicit_row, state.errors


def _scan(block: bytes, state: _Extent, exact: bool) -> None:
    tagged = _ROW_TAG.findall(block)
    if tagged:
        state.rows = max(state.rows, max(map(int, tagged)))
    state.implicit_rows += max(0, block.count(b"<row") - len(tagged))  # (counts a <rowBreaks> too: a bound)
    if exact:
        rows = set(_REF_ROW.findall(block))
        if rows:
            state.rows = max(state.rows, max(map(int, rows)))
        letters = set(_REF_COLUMN.findall(block))
        if letters:
            state.columns = max(state.columns, max(map(column_number, letters)))
        if _IMPLICIT_CELL.search(block):
            state.columns = max(state.columns, _reach(block))
        return
    if b"<c>" in block or block.count(b"<c ") > block.count(b'<c r="'):  # cells without a reference first
        state.widest_implicit_row = max(state.widest_implicit_row, _widest_row(block))
    shape = block.translate(_SHAPE)
    state.two_letters = state.two_letters or _TWO_LETTERS in shape
    needles = [b"0" * (len(str(state.rows or 1)) + 1) + b'"', _THREE_LETTERS]  # longer row numbers; wide columns
    for needle in needles:
        at = shape.find(needle)
        while at >= 0:
            start = shape.rfind(b' r="', max(0, at - 32), at + 4)
            ref = _REF.match(block, start) if start >= 0 else None
            if ref:
                state.rows = max(state.rows, int(ref.group(2)))
                state.columns = max(state.columns, column_number(ref.group(1)))
            at = shape.find(needle, at + 1)


def _widest_row(block: bytes) -> int:
    """The most cells in one row of ``block``: cells without ``r`` reach at most this far past the last
    column a reference names (a bound)."""
    return max((row.count(b"<c>") + row.count(b"<c ") for row in block.split(b"</row>")), default=0)


def _reach(block: bytes) -> int:
    """The last column (1-based) any row of ``block`` with cells without ``r`` reaches, as calamine
    places them: such a cell takes the column after the previous cell of its row."""
    reach = 0
    for row in block.split(b"</row>"):
        if not _IMPLICIT_CELL.search(row):
            continue
        column = 0
        for cell in _CELL_TAG.finditer(row):
            ref = _CELL_REF.search(cell.group(1) or b"")
            column = column_number(ref.group(1)) - 1 if ref else column
            reach = max(reach, column + 1)
            column += 1
    return reach


def _error_cells(block: bytes) -> dict[tuple[int, int], str]:
    """``<c r="B3" t="e"><v>#N/A</v></c>`` cells in ``block``, by 0-based (row, column)."""
    found = {}
    for cell in _ERROR_CELL.finditer(block):
        ref = _CELL_REF.search(cell.group(1))
        if ref:
            position = (int(ref.group(2)) - 1, column_number(ref.group(1)) - 1)
            found[position] = html.unescape(cell.group(2).decode("utf-8", "replace"))
    return found


def column_number(letters: bytes) -> int:
    """``b"A"`` → 1, ``b"AB"`` → 28."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - ord("A") + 1
    return number


# --------------------------------------------------------------------------- .ods

_ODS_TABLE = re.compile(rb"<table:table\s([^>]*)>(.*?)</table:table>", re.S)
_ODS_ROW = re.compile(rb"<table:table-row\b([^>]*?)(?:/>|>(.*?)</table:table-row>)", re.S)
_ODS_CELL = re.compile(rb"<table:(?:covered-)?table-cell\b([^>]*?)(/?)>")
_ODS_NAME = re.compile(rb'table:name="([^"]*)"')
_ROWS_REPEATED = re.compile(rb'number-rows-repeated="(\d+)"')
_COLUMNS_REPEATED = re.compile(rb'number-columns-repeated="(\d+)"')


def ods_extents(content: bytes) -> list[tuple[str, int, int]]:
    """``(table name, rows, columns)`` of each table of an .ods ``content.xml``, counted as python-calamine
    will fill them: a row or cell with content repeated N times (``number-rows-repeated``,
    ``number-columns-repeated``) counts N times, trailing blank repeats (which LibreOffice writes up to
    the sheet's edge) do not."""
    extents = []
    for table in _ODS_TABLE.finditer(content):
        name = _ODS_NAME.search(table.group(1))
        rows = columns = position = 0
        for row in _ODS_ROW.finditer(table.group(2)):
            repeated = _ROWS_REPEATED.search(row.group(1))
            position += int(repeated.group(1)) if repeated else 1
            width = _ods_width(row.group(2) or b"")
            if width:
                rows, columns = position, max(columns, width)
        label = html.unescape(name.group(1).decode("utf-8", "replace")) if name else "?"
        extents.append((label, rows, columns))
    return extents


def _ods_width(row: bytes) -> int:
    """The position after the last cell with content in one row of an .ods table."""
    if b"columns-repeated" not in row:  # no repeats: every cell counts once (an upper bound)
        if b"<text:p" not in row and b"value-type" not in row:
            return 0
        return row.count(b"<table:table-cell") + row.count(b"<table:covered-table-cell")
    width = position = 0
    for cell in _ODS_CELL.finditer(row):
        repeated = _COLUMNS_REPEATED.search(cell.group(1))
        position += int(repeated.group(1)) if repeated else 1
        if not cell.group(2) or b"value-type" in cell.group(1):  # a cell with content or a value
            width = position
    return width
