"""The rows of a large data sheet written as XML a column at a time, instead of a cell object per value.

A tidy table of a hundred thousand rows costs openpyxl about 15 µs a cell
(a cell object, its style, lxml's writer). Here each column is reduced to its
distinct values first (``pandas.factorize``; a number column by its bits, so
``-0.0`` stays apart from ``0.0``), each distinct value with its value kind is
turned once into the XML openpyxl writes for it, and the cells are then only
joined with their references. The bytes are the ones openpyxl's write-only
mode writes for the same ``append`` of :func:`~slutrapport.render.xlsx.cell_value`
results:

- a number column (integers up to 2**53, floats) is formatted with
  openpyxl's own ``"%.16g"``; its kind decides the number format exactly as
  ``cell_value`` does (a whole count none, a percent divided by 100, ...);
- every other value (texts, booleans, dates, mixed columns) goes through
  ``cell_value`` and openpyxl's cell writer, so texts stay inline strings,
  cleaned and never formulas (a text starting like one gets the quote prefix);
  an object column holding other values than texts is written value by value,
  since ``factorize`` would take ``True`` and ``1`` for one value;
- the styles (number format, quote prefix) are registered in the workbook in
  the order openpyxl would meet them (row by row), so equal input gives the
  same ``styles.xml`` and the same cell style ids as before.

The sheet itself (header row, widths, frozen pane, filter, Excel table) is
still written by openpyxl, with the header as its only row; :func:`set_rows`
keeps the data rows for the sheet and :func:`spliced_rows` puts them into the
saved sheet part before ``</sheetData>``.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from weakref import WeakKeyDictionary

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell._writer import write_cell
from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter
from openpyxl.xml.functions import xmlfile
from pandas.api.types import infer_dtype, is_object_dtype

from slutrapport.render.zipwrite import Deflating
from slutrapport.report.model import COUNT, PERCENT

__all__ = ["deflating_rows", "set_rows", "spliced_rows"]

#: value → what to append for it (the signature of :func:`~slutrapport.render.xlsx.cell_value`)
CellValue = Callable[[Any, Any, "str | None", Mapping[str, str]], Any]
#: a cell's style as openpyxl registers it here: (number format, quote prefix)
_Style = tuple[str, bool]
#: distinct values' XML after the style attribute, their style (an index into the list, -1: none) and the styles
_Tails = tuple[np.ndarray, np.ndarray, list[_Style]]
_BLOCK = 4096  # rows written at a time (a few MB of XML: deflated while the next are written)
_SAMPLE = 1024  # values looked at to tell a column of nearly all different numbers
_EXACT_INTEGERS = 2**53  # integers a float holds exactly: beyond, "%.16g" of int and of float could differ
#: sheet → its rows (bytes, or strings still being added to) and whether its part is deflated fast, until the workbook is saved
_ROWS: WeakKeyDictionary[Any, tuple[bytes | Deflating | list[str], bool]] = WeakKeyDictionary()


class _Column:
    """One column's cells: a code per row into its distinct (value, kind) pairs (-1: no cell) and, per pair,
    its XML after the style attribute (empty: no cell), its style (an index into ``style_list``, -1: none)
    and the row it first appears in (pairs are numbered in that order)."""

    def __init__(self, codes: np.ndarray, tails: np.ndarray, styles: np.ndarray, style_list: list[_Style], first: np.ndarray) -> None:
        self.codes, self.tails, self.styles, self.style_list, self.first = codes, tails, styles, style_list, first


def _number_tails(values: np.ndarray, kind_codes: np.ndarray, kinds: list[str | None], formats: Mapping[str, str]) -> _Tails:
    """The XML and style of distinct numbers, each with its kind (a code into ``kinds``), as ``cell_value`` decides
    them: no cell when not finite, no format for a whole count or a kind without one, a percent divided by 100."""
    style_list = list(dict.fromkeys((formats[kind], False) for kind in kinds if kind in formats))
    styles = np.array([style_list.index((formats[kind], False)) if kind in formats else -1 for kind in kinds], dtype=np.intp)[kind_codes]
    count, percent = (np.array([kind == name for kind in kinds], dtype=bool)[kind_codes] for name in (COUNT, PERCENT))
    finite = np.isfinite(values)
    whole = np.zeros(len(values), dtype=bool)
    whole[finite] = values[finite] == np.floor(values[finite])
    styles[count & whole | ~finite] = -1
    values = np.where(count & whole, values + 0.0, values)  # a whole count is written as int(value): no -0
    if PERCENT in formats:
        values = np.where(percent, values / 100, values)
    tails = np.full(len(values), "", dtype=object)
    tails[finite] = [' t="n"><v>%.16g</v></c>' % value for value in values[finite].tolist()]  # noqa: UP031 (openpyxl's own number text)
    return tails, styles, style_list


def _value_tails(values: Sequence[Any], kinds: Sequence[str | None], formats: Mapping[str, str], cell_value: CellValue) -> _Tails:
    """The XML and style of any values, through ``cell_value`` and openpyxl's cell writer (in a scratch
    workbook, so that no style is registered in the real one before its turn)."""
    ws = Workbook(write_only=True).create_sheet()
    cells: list[Cell | None] = []
    for value, kind in zip(values, kinds, strict=True):
        result = cell_value(ws, value, kind, formats)
        if result is not None and not isinstance(result, Cell):
            result = WriteOnlyCell(ws, value=result)  # as openpyxl's write-only append does
        cells.append(result)
    buffer = io.BytesIO()
    with xmlfile(buffer) as xf, xf.element("x"):  # lxml writes one root element
        for cell in cells:
            if cell is not None:
                write_cell(xf, ws, cell, False)  # every cell is A1: split on its reference below
    written = iter(buffer.getvalue().removesuffix(b"</x>").split(b'<c r="A1"')[1:])
    tails = np.array(["" if cell is None else next(written).decode("ascii") for cell in cells], dtype=object)
    keys = [(cell.number_format, bool(cell.quotePrefix)) if cell is not None and cell.has_style else None for cell in cells]
    style_list = list(dict.fromkeys(key for key in keys if key is not None))
    styles = np.array([-1 if key is None else style_list.index(key) for key in keys], dtype=np.intp)
    return tails, styles, style_list


def _kinds(table: pd.DataFrame, kind: str | None, by_row: tuple[int, Mapping[Any, str]] | None) -> tuple[np.ndarray, list]:
    """The kind of each row of a column: a code per row into a list of kinds (one kind unless measured by row)."""
    if by_row is None:
        return np.zeros(len(table), dtype=np.intp), [kind]
    key, measures = by_row
    codes, names = pd.factorize(table.iloc[:, key])
    kinds = [measures.get(name, kind) for name in names] + [kind]  # the last for a missing name (code -1)
    return np.where(codes < 0, len(names), codes), kinds


def _column(series: pd.Series, kind_codes: np.ndarray, kinds: list, formats: Mapping[str, str], cell_value: CellValue) -> _Column:
    dtype = series.dtype
    if dtype.kind in "iuf":
        values = series.to_numpy(dtype=np.float64, na_value=np.nan)
        missing = np.isnan(values)
        if dtype.kind == "f" or not (np.abs(values[~missing]) > _EXACT_INTEGERS).any():
            codes, rows = _pairs(values.view(np.int64), kind_codes, len(kinds), missing)  # by bits: -0.0 is not 0.0
            tails, styles, style_list = _number_tails(values[rows], kind_codes[rows], kinds, formats)
            return _Column(codes, tails, styles, style_list, rows)
    if is_object_dtype(dtype) and infer_dtype(series, skipna=True) not in ("string", "empty"):
        values = series.to_numpy(dtype=object)  # mixed values: one by one (factorize takes True and 1 for one value)
        tails, styles, style_list = _value_tails(values.tolist(), [kinds[k] for k in kind_codes.tolist()], formats, cell_value)
        return _Column(np.arange(len(values)), tails, styles, style_list, np.arange(len(values)))
    value_codes, uniques = pd.factorize(series)
    codes, rows = _pairs(value_codes, kind_codes, len(kinds), value_codes < 0)
    values = [uniques[code] for code in value_codes[rows].tolist()]
    tails, styles, style_list = _value_tails(values, [kinds[k] for k in kind_codes[rows].tolist()], formats, cell_value)
    return _Column(codes, tails, styles, style_list, rows)


def _pairs(values: np.ndarray, kind_codes: np.ndarray, kinds: int, missing: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A code per row for its (value, kind) pair, numbered in order of first appearance (-1 where the value is
    missing), and the row each code first appears in."""
    present = np.flatnonzero(~missing)
    values = values[present]
    if _mostly_distinct(values):  # each row its own pair: the same cells, without finding the few repeated
        codes = np.full(len(missing), -1, dtype=np.intp)
        codes[present] = np.arange(len(present))
        return codes, present
    if kinds > 1:
        values = pd.factorize(values)[0].astype(np.int64) * kinds + kind_codes[present]
    codes = np.full(len(missing), -1, dtype=np.intp)
    codes[present] = pd.factorize(values)[0]
    first = np.unique(codes[present], return_index=True)[1]
    return codes, present[first]


def _mostly_distinct(values: np.ndarray) -> bool:
    """True for a long column whose first :data:`_SAMPLE` values are nearly all different (p-values, test
    statistics): finding its distinct values costs more than formatting the few repeated ones again."""
    return len(values) >= 4 * _SAMPLE and len(np.unique(values[:_SAMPLE])) >= 0.9 * _SAMPLE


def _style_attributes(ws, columns: list[_Column]) -> list[np.ndarray]:
    """Each column's style attribute per pair (`` s="3"`` or empty): the styles registered in the workbook
    in the order a row-by-row writer meets them (first row, then column)."""
    first: dict[_Style, tuple[int, int]] = {}
    for number, column in enumerate(columns):
        styled = np.flatnonzero(column.styles >= 0)
        indices, at = np.unique(column.styles[styled], return_index=True)  # a style's first pair is its first row
        for index, pair in zip(indices.tolist(), styled[at].tolist(), strict=True):
            style, place = column.style_list[index], (int(column.first[pair]), number)
            first[style] = min(first.get(style, place), place)
    ids = {}
    for style in sorted(first, key=first.__getitem__):
        cell = WriteOnlyCell(ws)
        cell.number_format, cell.quotePrefix = style
        ids[style] = f' s="{cell.style_id}"'
    return [np.array([ids.get(style, "") for style in column.style_list] + [""], dtype=object)[column.styles] for column in columns]


def deflating_rows(
    ws,
    table: pd.DataFrame,
    kinds: Sequence[str | None],
    by_row: Mapping[int, tuple[int, Mapping[Any, str]]],
    formats: Mapping[str, str],
    cell_value: CellValue,
    level: int = 1,
) -> Deflating:
    """The ``<row>`` elements of ``table`` from the second row on, as openpyxl's write-only ``append`` of
    ``cell_value(ws, value, kind, formats)`` per cell writes them, deflated (at ``level``) by other threads as
    they are written while the program goes on (see :class:`~slutrapport.render.zipwrite.Deflating`);
    ``kinds`` gives each column's kind and ``by_row`` column position → (position of the column naming the
    measure, measure → kind)."""
    out = Deflating(level)
    for block in _row_blocks(ws, table, kinds, by_row, formats, cell_value, 2):
        out.write(block)
    return out.close()


def _row_blocks(ws, table, kinds, by_row, formats, cell_value, first_row: int):
    """The rows of :func:`deflating_rows` in blocks of :data:`_BLOCK` rows (the styles are registered first)."""
    columns = []
    for position, kind in enumerate(kinds):
        kind_codes, row_kinds = _kinds(table, kind, by_row.get(position))
        columns.append(_column(table.iloc[:, position], kind_codes, row_kinds, formats, cell_value))
    letters = [f'<c r="{get_column_letter(position + 1)}' for position in range(len(columns))]
    # a cell's XML after its row number, per pair ('" s="3" t="n"><v>…'); the last: no cell
    attributes = _style_attributes(ws, columns)
    cells = [np.append(np.where(column.tails != "", '"' + style + column.tails, ""), "") for column, style in zip(columns, attributes, strict=True)]
    for begin in range(0, len(table), _BLOCK):
        end = min(begin + _BLOCK, len(table))
        numbers = np.arange(first_row + begin, first_row + end).astype(str).astype(object)
        # one row of pieces per table row, joined at once: <row r="N">, then per cell '<c r="B', 'N', '" s="3" t="n"><v>…'
        pieces = np.empty((end - begin, 2 + 3 * len(columns)), dtype=object)
        pieces[:, 0] = '<row r="' + numbers + '">'
        pieces[:, -1] = "</row>"
        for position, (column, xml) in enumerate(zip(columns, cells, strict=True)):
            tails = xml[column.codes[begin:end]]
            present = tails != ""
            start, number = 1 + 3 * position, 2 + 3 * position
            pieces[:, start] = letters[position]
            pieces[:, number] = numbers
            if not present.all():
                pieces[~present, start : number + 1] = ""
            pieces[:, number + 1] = tails
        yield "".join(pieces.ravel().tolist()).encode("ascii")


def set_rows(ws, rows: Deflating | list[str], fast: bool = True) -> None:
    """Keep ``rows`` (from :func:`deflating_rows`, or a list of ASCII row strings that may still grow, a section
    sheet's from :class:`~slutrapport.render.xlsx_rows.RowWriter`) to be put into ``ws`` when its workbook is
    saved; ``fast``: its part is deflated at zlib's fastest level (a large data sheet)."""
    _ROWS[ws] = (rows, fast)


def spliced_rows(wb, archive: zipfile.ZipFile) -> tuple[dict[str, bytes | tuple[bytes, bytes | Deflating, bytes]], set[str]]:
    """The parts of the saved ``archive`` of ``wb`` whose sheets have rows kept: part name → the part in three
    pieces to be joined (a fast part; any other part joined), its rows between openpyxl's start (up to
    ``</sheetData>``) and end; and the names of the parts to deflate fast."""
    parts, fast = {}, set()
    for ws in wb.worksheets:
        kept = _ROWS.pop(ws, None)
        if kept is None:
            continue
        rows, quick = kept
        if isinstance(rows, list):
            rows = "".join(rows).encode("ascii")
        elif isinstance(rows, Deflating) and not quick:
            rows = b"".join(rows.close().views)
        name = ws.path[1:]
        if quick:
            fast.add(name)
        xml = archive.read(name).replace(b"<sheetData/>", b"<sheetData></sheetData>", 1)
        end = xml.index(b"</sheetData>")
        # a data sheet's pieces are deflated apart (faster); any other part whole, as openpyxl's own part was
        parts[name] = (xml[:end], rows, xml[end:]) if quick else xml[:end] + rows + xml[end:]
    return parts, fast
