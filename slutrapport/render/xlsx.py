"""Writing xlsx sheets: the one sheet writer of the report's and the portfolio's workbooks.

Rows are appended (``ws.append``), so a :class:`SheetWriter` fills an ordinary
worksheet and a streamed, write-only one alike. Numbers stay numbers, with an
Excel number format by value kind (Excel shows the decimal comma in a Swedish
locale); every text is stored as text, so a value starting with ``=``, ``+``,
``-`` or ``@`` never becomes a formula. Sheet names are unique and at most 31
characters; every text goes through :func:`~slutrapport.core.safetext.clean_text`
(control characters removed: openpyxl would refuse the cell), a long title is
shortened with an ellipsis in the sheet name and the document property and kept
whole in the cells; :func:`workbook_bytes` fixes the document and zip timestamps
(with :func:`reproducible_zip`, which the Word renderer uses too), so equal
input gives equal bytes.
"""

from __future__ import annotations

import io
import math
import re
import warnings
import zipfile
from collections.abc import Collection, Mapping, Sequence
from copy import copy
from datetime import date, datetime
from itertools import groupby
from typing import Any
from weakref import WeakKeyDictionary

import numpy as np
import pandas as pd
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, Cell
from openpyxl.drawing.image import Image
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.table import Table as ExcelTable
from openpyxl.worksheet.table import TableColumn, TableStyleInfo
from openpyxl.xml.functions import tostring

from slutrapport.core.safetext import clean_text, shorten, starts_like_formula
from slutrapport.render.formatting import format_value, property_text
from slutrapport.render.xlsx_fast import deflating_rows, set_rows, spliced_rows
from slutrapport.render.xlsx_rows import RowWriter
from slutrapport.render.zipwrite import zip_bytes
from slutrapport.report.model import (
    COEFFICIENT,
    COUNT,
    DIFF_MEAN,
    DIFF_SHARE,
    EFFECT,
    INTERVAL,
    MEAN,
    MONEY,
    PERCENT,
    PVALUE,
    SHARE,
    SHARE_INTERVAL,
    Hidden,
    Paragraphs,
    Subsection,
    Table,
    TextList,
    Typed,
)

__all__ = ["NUMBER_FORMATS", "sheet_name", "cell_value", "SheetWriter", "data_sheet", "workbook_bytes", "reproducible_zip"]

#: Excel number format of each value kind (a count that is a whole number needs none); a share is stored as
#: its fraction, so a column of them sums and charts (a :data:`PERCENT`, a whole percent, is divided by 100)
NUMBER_FORMATS = {
    MEAN: "0.0",
    SHARE: "0%",
    COUNT: "0",
    PERCENT: "0%",
    COEFFICIENT: "0.00",
    DIFF_MEAN: "+0.0;-0.0;0.0",
    DIFF_SHARE: "+0%;-0%;0%",
    EFFECT: "+0.00;-0.00;0.00",
    PVALUE: "0.000",
    # Excel stores format codes in en-US syntax; a Swedish Excel shows this as # ##0" kr" (space as thousands separator)
    MONEY: '#,##0" kr";"−"#,##0" kr"',
}
_FIXED_TIME = datetime(2000, 1, 1)
_MAX_TEXT = 32767  # Excel's limit for one cell
_MAX_SHEET_NAME = 31
_RESERVED_SHEET_NAMES = {"history"}  # Excel keeps it for change tracking
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_HEADER_FILL = PatternFill("solid", fgColor="EEF3F8")
_WRAP = Alignment(wrap_text=True, vertical="top")
#: workbook → the styles _styled made in it: (style before, font, fill, wrap) → (style array, font, fill)
_STYLES: WeakKeyDictionary[Any, dict[tuple, tuple]] = WeakKeyDictionary()


def sheet_name(title: str, used: set[str]) -> str:
    """A sheet name for ``title``: no characters Excel forbids, at most 31 characters, unlike every
    name in ``used`` (compared as Excel does, ignoring case); the name is added to ``used``."""
    name = re.sub(r"[\[\]:*?/\\]", "", clean_text(title, single_line=True)).strip().strip("'").strip() or "Blad"
    name = shorten(name, _MAX_SHEET_NAME)
    base, number = name, 2
    while name.casefold() in used or name.casefold() in _RESERVED_SHEET_NAMES:
        suffix = f" ({number})"
        name = base[: _MAX_SHEET_NAME - len(suffix)].rstrip() + suffix
        number += 1
    used.add(name.casefold())
    return name


def cell_value(ws, value: Any, kind: str | None = None, formats: Mapping[str, str] = NUMBER_FORMATS) -> Any:
    """What to append for one value: a plain value where that is safe (fast), else a cell.

    ``Hidden`` is "–"; missing and non-finite numbers are an empty cell; a text that Excel
    would read as a formula or an error is a text cell; a number gets the format of its kind.
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, Hidden):
        value = "–"
    elif isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, str):
        value = clean_text(value)
        if len(value) > _MAX_TEXT:
            value = value[: _MAX_TEXT - 1] + "…"
        formula = starts_like_formula(value)
        if not formula and value not in ERROR_CODES:
            return value
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        if formula:
            cell.quotePrefix = True
        return cell
    if isinstance(value, (bool, date)):
        return value
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            return None
        if kind == COUNT and float(value).is_integer():
            return int(value)  # a whole number needs no number format (fewer styled cells: faster)
        if kind not in formats:
            return value
        if kind == PERCENT:
            value = value / 100  # a whole percent (37) as the share Excel's percent format shows (0.37 → 37 %)
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = formats[kind]
        return cell
    return cell_value(ws, str(value), kind, formats)


def _styled(ws, value: Any, bold: bool = False, font: Font | None = None, fill: PatternFill | None = None, wrap: bool = False) -> Cell:
    """A value from :func:`cell_value` as a cell with a style. A style met before in the workbook is copied
    (openpyxl hashes every font and fill it is given to find its number; a header row has thousands)."""
    cell = value if isinstance(value, Cell) else WriteOnlyCell(ws, value=value)
    font = font or (_BOLD if bold else None)
    if font is None and fill is None and not wrap:
        return cell
    known = _STYLES.setdefault(ws.parent, {})
    key = (tuple(cell._style) if cell.has_style else None, id(font), id(fill), wrap)
    if key in known:
        cell._style = copy(known[key][0])
        return cell
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    if wrap:
        cell.alignment = _WRAP
    known[key] = (copy(cell._style), font, fill)  # the font and fill kept alive: their ids stay theirs
    return cell


class SheetWriter:
    """Writes report-model blocks into a sheet, row after row.

    ``formats`` gives the number format of each value kind, ``widths`` the width of
    column A and of the next columns. Subclasses draw their own figures (:meth:`figure`)
    and may write their own kinds of table values (:meth:`table_value`).
    """

    def __init__(self, ws, formats: Mapping[str, str] = NUMBER_FORMATS, widths: tuple[float, float] = (60, 13)) -> None:
        self.ws = ws
        self.formats = formats
        self.row = 0  # rows written so far
        self._rows = RowWriter(ws) if ws.parent.write_only else None  # a streamed sheet's rows as XML by hand
        self._text_styles: dict[bool, int] = {}  # a wrapped line of text's style (bold or not), once it is registered
        if self._rows is not None:
            set_rows(ws, self._rows.rows, fast=False)
        ws.column_dimensions["A"].width = widths[0]
        for column in range(2, 30):
            ws.column_dimensions[get_column_letter(column)].width = widths[1]

    def value(self, value: Any, kind: str | None = None) -> Any:
        """A value to append (see :func:`cell_value`)."""
        return cell_value(self.ws, value, kind, self.formats)

    def cell(self, value: Any, kind: str | None = None, *, bold: bool = False, fill: PatternFill | None = None, wrap: bool = False) -> Cell:
        """A styled cell to append; texts stay text."""
        return _styled(self.ws, self.value(value, kind), bold=bold, fill=fill, wrap=wrap)

    def append(self, cells: list) -> None:
        if self._rows is not None:
            self._rows.append(cells)
        else:
            self.ws.append(cells)
        self.row += 1

    def blank(self, rows: int = 1) -> None:
        for _ in range(rows):
            self.append([])

    def text(self, value: str, bold: bool = False) -> None:
        """A line of text in column A, wrapped.

        A plain text (most lines: a report's free-text answers are thousands) is written by
        :meth:`~.xlsx_rows.RowWriter.text_row` with the style the first such line registered, the same row
        as through a cell of its own; any other value goes through its cell."""
        plain = self.value(value)
        text = self._rows is not None and type(plain) is str and plain != ""
        style = self._text_styles.get(bold) if text else None
        if style is not None and self._rows.text_row(plain, style):
            self.row += 1
            return
        cell = _styled(self.ws, plain, bold=bold, wrap=True)
        self.append([cell])
        if text and style is None:
            self._text_styles[bold] = cell.style_id  # registered by the row just written

    def title(self, value: str) -> None:
        """The sheet's title (large bold text)."""
        self.append([_styled(self.ws, self.value(value), font=_TITLE, wrap=True)])

    def blocks(self, blocks: list) -> None:
        for block in blocks:
            if isinstance(block, Subsection):
                self.blank()
                self.text(block.title, bold=True)
                self.blocks(block.blocks)
            elif isinstance(block, Paragraphs):
                for text in block.texts:
                    self.text(text)
            elif isinstance(block, TextList):
                self.text(block.title, bold=True)
                for item in block.items or [block.empty_text]:
                    self.text(item)
            elif isinstance(block, Table):
                self.table(block)
            else:
                self.figure(block)
            self.blank()

    def figure(self, block: Any) -> None:
        """A chart block; the report's and the portfolio's writers draw their own (nothing here)."""

    def table(self, table: Table) -> None:
        """Caption, a merged group row (when the columns have groups), the header row, the rows and the notes."""
        self.text(table.caption, bold=True)
        if table.has_groups:
            cells: list = []
            for group, members in groupby(table.columns, key=lambda column: column.group or None):
                span = len(list(members))
                if group is not None and span > 1:
                    self.ws.merged_cells.add(CellRange(min_col=len(cells) + 1, max_col=len(cells) + span, min_row=self.row + 1, max_row=self.row + 1))
                cells += [None if group is None else self.cell(group, bold=True, fill=_HEADER_FILL)] + [None] * (span - 1)
            self.append(cells)
        self.append([self.cell(column.label, bold=True, fill=_HEADER_FILL, wrap=True) for column in table.columns])
        for values in table.rows:
            cells = [self.table_value(value, column.kind) for value, column in zip(values, table.columns, strict=True)]
            if cells:
                cells[0] = _styled(self.ws, cells[0], wrap=True)
            self.append(cells)
        for note in table.notes:
            self.text(note)

    def table_value(self, value: Any, kind: str) -> Any:
        """One value of a table row: a ``Typed`` value by its own kind (a mark in the number format, so the
        cell stays a number: 0,66 *); an interval is written as its Swedish text."""
        if isinstance(value, Typed):
            return _marked(self.ws, self.table_value(value.value, value.kind), value.mark)
        if kind in (INTERVAL, SHARE_INTERVAL) and not isinstance(value, Hidden):
            return self.value(format_value(value, kind) or None)
        return self.value(value, kind)

    def image(self, png: bytes, caption: str) -> None:
        """A picture at 80 % size in column A, rows left free below it, then its caption."""
        image = Image(io.BytesIO(png))
        image.width, image.height = image.width * 0.8, image.height * 0.8
        self.ws.add_image(image, f"A{self.row + 1}")
        self.blank(int(image.height / 20) + 1)
        self.text(caption)


def _marked(ws, value: Any, mark: str) -> Any:
    """A value from :func:`cell_value` with ``mark`` shown after it: a number keeps its value and gets the
    mark as a literal of its number format (0.00" *"); a text gets it appended; a hidden value ("–") none."""
    if not mark or value is None or value == "–":
        return value
    literal = '" ' + mark.replace('"', "") + '"'
    if isinstance(value, Cell) and value.data_type == "n":
        value.number_format = ";".join(section + literal for section in value.number_format.split(";"))
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = ("0" if isinstance(value, int) else "General") + literal
        return cell
    text = value.value if isinstance(value, Cell) else value
    return cell_value(ws, f"{text} {mark}")


def _table_name(sheet: str) -> str:
    ascii_name = sheet.translate(str.maketrans("åäöÅÄÖ", "aaoAAO"))
    return re.sub(r"[^A-Za-z0-9]", "", ascii_name.title()) or "Tabell"


def data_sheet(
    wb,
    name: str,
    table: pd.DataFrame,
    kinds: Mapping[str, str | None],
    formats: Mapping[str, str] = NUMBER_FORMATS,
    excel_table: bool = False,
    row_kinds: Mapping[str, tuple[str, Mapping[Any, str]]] | None = None,
) -> None:
    """A tidy table on a sheet of its own: a bold header row, frozen, and filter buttons on it
    (an autofilter, or with ``excel_table`` an Excel table); ``kinds`` gives a column's value kind.

    ``row_kinds`` is for a column whose rows hold different measures (a key figure's ``varde``, a goal's
    ``utfall``): column → (the column naming the measure, measure → kind); a measure not named keeps
    the column's kind from ``kinds``."""
    ws = wb.create_sheet(name)
    for number, column in enumerate(table.columns, start=1):
        ws.column_dimensions[get_column_letter(number)].width = max(10, min(45, len(str(column)) + 4))
    ws.freeze_panes = "A2"
    ws.append([_styled(ws, cell_value(ws, str(column)), bold=True) for column in table.columns])
    column_kinds = [kinds.get(column) for column in table.columns]
    names = list(table.columns)
    by_row = {names.index(column): (names.index(key), measures) for column, (key, measures) in (row_kinds or {}).items() if {column, key} <= set(names)}
    if wb.write_only:  # the rows as XML a column at a time, put into the sheet when the workbook is saved
        set_rows(ws, deflating_rows(ws, table, column_kinds, by_row, formats, cell_value))  # deflated while the rest is written
    else:
        for record in table.itertuples(index=False, name=None):
            row = list(column_kinds)
            for position, (key, measures) in by_row.items():
                row[position] = measures.get(record[key], row[position])
            ws.append([cell_value(ws, value, kind, formats) for value, kind in zip(record, row, strict=True)])
    ref = f"A1:{get_column_letter(max(len(table.columns), 1))}{len(table) + 1}"
    if not excel_table:
        ws.auto_filter.ref = ref
    elif len(table):
        excel = ExcelTable(displayName=_table_name(name), ref=ref)
        excel.tableColumns = [TableColumn(id=number, name=clean_text(c)) for number, c in enumerate(table.columns, start=1)]
        excel.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=True)
        with warnings.catch_warnings():  # openpyxl warns in write-only mode; the columns are set above
            warnings.simplefilter("ignore", UserWarning)
            ws.add_table(excel)


def workbook_bytes(wb, title: str) -> bytes:
    """The workbook as bytes, with fixed document and zip timestamps (equal workbooks give equal bytes);
    ``title`` is the document's title property (cleaned, at most 255 characters)."""
    wb.properties.creator = "slutrapport"
    wb.properties.title = property_text(title)
    wb.properties.created = _FIXED_TIME
    buffer = io.BytesIO()
    wb.save(buffer)  # openpyxl stamps 'modified' with the current time; pinned again below
    wb.properties.modified = _FIXED_TIME
    sheets, fast = spliced_rows(wb, zipfile.ZipFile(buffer))
    return reproducible_zip(buffer.getvalue(), {"docProps/core.xml": tostring(wb.properties.to_tree())} | sheets, fast=fast)


def reproducible_zip(data: bytes, replace: Mapping[str, bytes | Sequence[bytes]] | None = None, fast: Collection[str] = ()) -> bytes:
    """An Office file (xlsx, docx) rewritten with fixed zip timestamps, and the parts in ``replace``
    (name → bytes, or pieces of bytes to join) swapped, so that equal documents give equal bytes. The parts named in ``fast`` (the
    large data sheets) are compressed at zlib's fastest level: four times faster, a fifth larger."""
    source = zipfile.ZipFile(io.BytesIO(data))
    replace = replace or {}
    return zip_bytes([(info.filename, replace.get(info.filename) or source.read(info), 1 if info.filename in fast else -1) for info in source.infolist()])
