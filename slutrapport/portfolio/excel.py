"""Render the portfolio model as an Excel workbook (``portfolio.xlsx``).

One sheet per overview section (key figures, completeness, staff surveys,
participants and goals, economy, problems) and then the tidy tables on
"Data …" sheets, each an Excel table with filter buttons. The project pages
are not repeated: the "Översikt" sheet and the Data sheets hold the same
figures, one row per project. The workbook is streamed (openpyxl write-only),
so hundreds of projects stay fast. Numbers are stored as numbers with number
formats; every text is stored as text, so a value starting with ``=``, ``+``,
``-`` or ``@`` never becomes a formula. The bytes are deterministic.
"""

from __future__ import annotations

import io
import math
import re
import warnings
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.drawing.image import Image
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table as ExcelTable
from openpyxl.worksheet.table import TableColumn, TableStyleInfo

from slutrapport.portfolio.charts import forest_png
from slutrapport.portfolio.model import (
    DIFF_MONEY,
    DIFF_PERCENT,
    MONEY,
    SHARE_RANGE,
    STATUS,
    ForestChart,
    Portfolio,
    Typed,
)
from slutrapport.portfolio.render import format_cell
from slutrapport.portfolio.tables import INTEGER_COLUMNS
from slutrapport.render.excel import _FIXED_TIME, _FORMATS, _sheet_name
from slutrapport.report.model import (
    COUNT,
    DIFF_MEAN,
    DIFF_SHARE,
    INTERVAL,
    MEAN,
    PVALUE,
    SHARE,
    Hidden,
    Paragraphs,
    Subsection,
    Table,
    TextList,
)

__all__ = ["render_portfolio_excel", "DATA_SHEETS"]

#: sheet name of each tidy table (see :mod:`.tables` for the columns)
DATA_SHEETS = {
    "projekt": "Data projekt",
    "fullstandighet": "Data fullständighet",
    "personalenkat": "Data personalenkät",
    "deltagare": "Data deltagare",
    "utfall": "Data utfall",
    "mal": "Data mål",
    "ekonomi": "Data ekonomi",
}
_NUMBER_FORMATS = _FORMATS | {
    MONEY: '#,##0" kr"',
    DIFF_MONEY: '+#,##0" kr";-#,##0" kr";0" kr"',
    DIFF_PERCENT: "+0.0%;-0.0%;0.0%",
}
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_HEADER_FILL = PatternFill("solid", fgColor="EEF3F8")
_MISSING_FILL = PatternFill("solid", fgColor="FFF4D6")
_WRAP = Alignment(wrap_text=True, vertical="top")
_FORMULA_START = ("=", "+", "-", "@")
_DATA_KINDS = {
    "projekt": {"budget_totalt": MONEY, "utfall_totalt": MONEY, "avvikelse_kr": DIFF_MONEY, "avvikelse_procent": DIFF_PERCENT,
                "kostnad_per_deltagare": MONEY, "kostnad_per_avslutad": MONEY},
    "personalenkat": {"medel_sista": MEAN, "andel_positiva_sista": SHARE, "diff_medel": DIFF_MEAN, "diff_andel_positiva": DIFF_SHARE,
                      "ci_lag": DIFF_SHARE, "ci_hog": DIFF_SHARE, "p_corr_medel": PVALUE, "p_corr_andel": PVALUE},
    "utfall": {"andel": SHARE},
    "mal": {"ci_lag": SHARE, "ci_hog": SHARE},
    "ekonomi": {"budget": MONEY, "utfall": MONEY, "avvikelse_kr": DIFF_MONEY, "avvikelse_procent": DIFF_PERCENT},
}  # fmt: skip


_MAX_TEXT = 32767  # Excel's limit for one cell


def _value(ws, value: Any, kind: str | None = None) -> Any:
    """A cell value for ``ws.append``: plain values where possible (fast), a cell for texts that
    look like formulas (kept as text) and for numbers with a number format."""
    if value is None:
        return None
    if isinstance(value, Hidden):
        value = "–"
    elif isinstance(value, (np.bool_, np.integer, np.floating)):
        value = value.item()
    if isinstance(value, str):
        if len(value) > _MAX_TEXT:
            value = value[: _MAX_TEXT - 1] + "…"
        if not value.startswith(_FORMULA_START):
            return value
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type, cell.quotePrefix = "s", True
        return cell
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if kind == COUNT and isinstance(value, (int, float)) and float(value).is_integer():
        return int(value)  # a whole number needs no number format (fewer styled cells: faster)
    number_format = _NUMBER_FORMATS.get(kind) if isinstance(value, (int, float)) else None
    if number_format is None:
        return value if isinstance(value, (int, float)) else str(value)
    cell = WriteOnlyCell(ws, value=value)
    cell.number_format = number_format
    return cell


def _cell(ws, value: Any, kind: str | None = None, font: Font | None = None, fill: PatternFill | None = None) -> Cell:
    """A styled cell (headings, captions); texts stay text."""
    plain = _value(ws, value, kind)
    cell = plain if isinstance(plain, Cell) else WriteOnlyCell(ws, value=plain)
    if isinstance(plain, str):
        cell.data_type = "s"
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    return cell


class _Sheet:
    """Writes blocks row by row into a write-only sheet."""

    def __init__(self, ws) -> None:
        self.ws = ws
        self.row = 0
        ws.column_dimensions["A"].width = 45
        for column in range(2, 30):
            ws.column_dimensions[get_column_letter(column)].width = 14

    def append(self, cells: list) -> None:
        self.ws.append(cells)
        self.row += 1

    def text(self, value: str, font: Font | None = None) -> None:
        cell = _cell(self.ws, value, font=font)
        cell.alignment = _WRAP
        self.append([cell])

    def blank(self) -> None:
        self.append([])

    def blocks(self, blocks: list) -> None:
        for block in blocks:
            if isinstance(block, Subsection):
                self.blank()
                self.text(block.title, _BOLD)
                self.blocks(block.blocks)
            elif isinstance(block, Paragraphs):
                for text in block.texts:
                    self.text(text)
            elif isinstance(block, TextList):
                self.text(block.title, _BOLD)
                for item in block.items or [block.empty_text]:
                    self.text(item)
            elif isinstance(block, Table):
                self.table(block)
            elif isinstance(block, ForestChart):
                self.forest(block)
            self.blank()

    def table(self, table: Table) -> None:
        ws = self.ws
        self.text(table.caption, _BOLD)
        if table.has_groups:
            groups: list = []
            previous = None
            for column in table.columns:
                label = column.group if column.group != previous else None
                groups.append(_cell(ws, label, font=_BOLD, fill=_HEADER_FILL) if column.group else None)
                previous = column.group
            self.append(groups)
        header = []
        for column in table.columns:
            cell = _cell(ws, column.label, font=_BOLD, fill=_HEADER_FILL)
            cell.alignment = _WRAP
            header.append(cell)
        self.append(header)
        for values in table.rows:
            self.append([self._table_value(value, column.kind) for value, column in zip(values, table.columns, strict=True)])
        for note in table.notes:
            self.text(note)

    def _table_value(self, value: Any, kind: str) -> Any:
        if isinstance(value, Typed):
            return self._table_value(value.value, value.kind)
        if kind in (INTERVAL, SHARE_RANGE) and value is not None and not isinstance(value, Hidden):
            return _value(self.ws, format_cell(value, kind) or None)
        if kind == STATUS:
            return _cell(self.ws, str(value), fill=_MISSING_FILL) if value == "saknas" else _value(self.ws, value)
        return _value(self.ws, value, kind)

    def forest(self, chart: ForestChart) -> None:
        image = Image(io.BytesIO(forest_png(chart)))
        image.width, image.height = image.width * 0.8, image.height * 0.8
        self.ws.add_image(image, f"A{self.row + 1}")
        for _ in range(int(image.height / 20) + 1):
            self.blank()
        self.text(f"Diagram: {chart.title}. Värdena finns i tabellen ovan.")


def _table_name(sheet: str) -> str:
    ascii_name = sheet.translate(str.maketrans("åäöÅÄÖ", "aaoAAO"))
    return re.sub(r"[^A-Za-z0-9]", "", ascii_name.title()) or "Tabell"


def _data_sheet(wb: Workbook, name: str, sheet: str, table: pd.DataFrame) -> None:
    """A tidy table as an Excel table (filter buttons), header row frozen."""
    ws = wb.create_sheet(sheet)
    for number, column in enumerate(table.columns, start=1):
        ws.column_dimensions[get_column_letter(number)].width = max(10, min(40, len(str(column)) + 4))
    ws.freeze_panes = "A2"
    kinds = _DATA_KINDS.get(name, {})
    columns = list(table.columns)
    column_kinds = [kinds.get(c, COUNT if c in INTEGER_COLUMNS else None) for c in columns]
    ws.append([_cell(ws, str(c), font=_BOLD) for c in columns])
    for record in table.itertuples(index=False, name=None):
        cells = []
        for column, value, kind in zip(columns, record, column_kinds, strict=True):
            if value is pd.NA or (isinstance(value, float) and math.isnan(value)):
                value = None
            elif column in INTEGER_COLUMNS and isinstance(value, float) and value.is_integer():
                value = int(value)
            cells.append(_value(ws, value, kind))
        ws.append(cells)
    if len(table):
        ref = f"A1:{get_column_letter(len(columns))}{len(table) + 1}"
        excel_table = ExcelTable(displayName=_table_name(sheet), ref=ref)
        excel_table.tableColumns = [TableColumn(id=number, name=str(c)) for number, c in enumerate(columns, start=1)]
        excel_table.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=True)
        with warnings.catch_warnings():  # openpyxl warns in write-only mode; the columns are set above
            warnings.simplefilter("ignore", UserWarning)
            ws.add_table(excel_table)


def render_portfolio_excel(portfolio: Portfolio) -> bytes:
    """``portfolio.xlsx``: a sheet per overview section, then the tidy tables (deterministic bytes)."""
    wb = Workbook(write_only=True)
    used: set[str] = set()
    for section in portfolio.sections:
        title = f"{section.number} {section.title}" if section.number else section.title
        sheet = _Sheet(wb.create_sheet(_sheet_name(title, used)))
        if section.id == "oversikt":
            sheet.text(portfolio.title, _TITLE)
            for label, value in portfolio.facts.items():
                sheet.text(f"{label}: {value}")
            sheet.text(f"Skapad {portfolio.generated}")
        else:
            sheet.text(title, _TITLE)
        sheet.blank()
        sheet.blocks(section.blocks)
    for name, sheet_name in DATA_SHEETS.items():
        _data_sheet(wb, name, _sheet_name(sheet_name, used), portfolio.tables[name])
    wb.properties.creator = "slutrapport"
    wb.properties.title = portfolio.title
    wb.properties.created = wb.properties.modified = _FIXED_TIME
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
