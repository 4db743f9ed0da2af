"""Render the report model as an Excel workbook: one sheet per section plus the tidy comparison.

Numbers are stored as numbers with number formats (Excel shows the decimal
comma in a Swedish locale); every text is stored as a string, so an answer
starting with ``=``, ``+``, ``-`` or ``@`` never becomes a formula.
"""

from __future__ import annotations

import io
import re
from datetime import datetime

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference
from openpyxl.drawing.image import Image
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from slutrapport.render.charts import chart_alt_text, chart_png
from slutrapport.render.formatting import format_value
from slutrapport.report.model import (
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
    Chart,
    DivergingChart,
    Hidden,
    Paragraphs,
    Report,
    Subsection,
    Table,
    TextList,
)

__all__ = ["render_excel", "COMPARISON_SHEET", "DATA_SHEETS"]

COMPARISON_SHEET = "Data"
#: Sheet name of each tidy table in ``Report.tables`` (the comparison first, on the sheet "Data").
DATA_SHEETS = {
    "jamforelse": COMPARISON_SHEET,
    "forandringar": "Data förändringar",
    "gruppskillnader": "Data gruppskillnader",
    "reliabilitet": "Data reliabilitet",
    "sjalvvardering": "Data självvärdering",
    "ekonomi": "Data ekonomi",
    "ekonomi_nyckeltal": "Data ekonomi nyckeltal",
    "socioekonomi_aktorer": "Data socioekonomi",
    "socioekonomi_lonsamhet": "Data socioekonomi lönsamhet",
    "socioekonomi_nyckeltal": "Data socioekonomi nyckeltal",
    "socioekonomi_kanslighet": "Data socioekonomi känslighet",
    "deltagare_flode": "Data deltagare",
    "deltagare_utfall": "Data utfall",
    "deltagare_forsorjning": "Data försörjning",
    "deltagare_tid": "Data tid i projektet",
    "maluppfyllelse": "Data måluppfyllelse",
}
_FORMATS = {
    MEAN: "0.0",
    SHARE: "0%",
    COUNT: "0",
    PERCENT: '0" %"',
    DIFF_MEAN: "+0.0;-0.0;0.0",
    DIFF_SHARE: "+0%;-0%;0%",
    EFFECT: "+0.00;-0.00;0.00",
    PVALUE: "0.000",
    # Excel stores format codes in en-US syntax; a Swedish Excel shows this as # ##0" kr" (space as thousands separator)
    MONEY: '#,##0" kr";"−"#,##0" kr"',
}
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_HEADER_FILL = PatternFill("solid", fgColor="EEF3F8")
_WRAP = Alignment(wrap_text=True, vertical="top")
_FIXED_TIME = datetime(2000, 1, 1)
_FORMULA_START = ("=", "+", "-", "@")
#: columns of the economy tables holding kronor (Data sheets show them with the money format)
_MONEY_COLUMNS = (
    "budget", "utfall", "avvikelse_kr", "kostnad_fore", "kostnad_efter", "arlig_vinst",
    "ackumulerad_vinst", "projektkostnad", "netto", "netto_3_ar",
)  # fmt: skip


def _put(ws, row: int, column: int, value: object, kind: str | None = None):
    """Write one cell; strings are always stored as text."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, Hidden):
        value = "–"
    elif kind == INTERVAL:
        value = format_value(value, kind) or None
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return cell
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"
        if value.startswith(_FORMULA_START):
            cell.quotePrefix = True
    elif hasattr(value, "item"):  # numpy scalar
        cell.value = value.item()
    else:
        cell.value = value
    if kind in _FORMATS and not isinstance(cell.value, str):
        cell.number_format = _FORMATS[kind]
    return cell


def _sheet_name(title: str, used: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", "", title).strip().strip("'") or "Blad"
    if len(name) > 31:
        name = name[:30].rsplit(" ", 1)[0] + "…"
    base, number = name, 2
    while name.casefold() in used:
        suffix = f" ({number})"
        name = base[: 31 - len(suffix)] + suffix
        number += 1
    used.add(name.casefold())
    return name


class _SheetWriter:
    def __init__(self, ws) -> None:
        self.ws = ws
        self.row = 1
        ws.column_dimensions["A"].width = 60
        for column in range(2, 20):
            ws.column_dimensions[get_column_letter(column)].width = 13

    def text(self, value: str, font: Font | None = None) -> None:
        cell = _put(self.ws, self.row, 1, value)
        cell.alignment = _WRAP
        if font:
            cell.font = font
        self.row += 1

    def blocks(self, blocks: list) -> None:
        for block in blocks:
            if isinstance(block, Subsection):
                self.row += 1
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
            elif isinstance(block, (Chart, DivergingChart)):
                self.chart(block)
            self.row += 1

    def table(self, table: Table) -> None:
        ws = self.ws
        self.text(table.caption, _BOLD)
        if table.has_groups:
            start = 1
            groups = [c.group for c in table.columns]
            for number, group in enumerate(groups, start=1):
                previous = groups[number - 2] if number > 1 else None
                following = groups[number] if number < len(groups) else None
                if group and group != previous:
                    cell = _put(ws, self.row, number, group)
                    cell.font, cell.fill = _BOLD, _HEADER_FILL
                    start = number
                if group and group != following and number > start:
                    ws.merge_cells(start_row=self.row, start_column=start, end_row=self.row, end_column=number)
            self.row += 1
        for number, col in enumerate(table.columns, start=1):
            cell = _put(ws, self.row, number, col.label)
            cell.font, cell.fill = _BOLD, _HEADER_FILL
            cell.alignment = _WRAP
        self.row += 1
        for values in table.rows:
            for number, (value, col) in enumerate(zip(values, table.columns, strict=True), start=1):
                cell = _put(ws, self.row, number, value, col.kind)
                if number == 1:
                    cell.alignment = _WRAP
            self.row += 1
        for note in table.notes:
            self.text(note)

    def chart(self, chart: Chart | DivergingChart) -> None:
        if isinstance(chart, Chart) and not chart.data.empty:
            self.native_line_chart(chart)
            return
        image = Image(io.BytesIO(chart_png(chart)))
        image.width, image.height = image.width * 0.8, image.height * 0.8
        self.ws.add_image(image, f"A{self.row}")
        self.row += int(image.height / 20) + 1
        self.text(chart_alt_text(chart))

    def native_line_chart(self, chart: Chart) -> None:
        """An Excel line chart over a small table of the plotted values (waves × groups)."""
        ws = self.ws
        groups = list(dict.fromkeys(chart.data["grupp"]))
        values = {(r.grupp, r.enkat): r.value for r in chart.data.itertuples()}
        top = self.row
        _put(ws, top, 1, "Enkät").font = _BOLD
        for column, group in enumerate(groups, start=2):
            _put(ws, top, column, group).font = _BOLD
        for offset, wave in enumerate(chart.waves, start=1):
            _put(ws, top + offset, 1, wave)
            for column, group in enumerate(groups, start=2):
                _put(ws, top + offset, column, values.get((group, wave)), MEAN)
        line = LineChart()
        line.title = chart.title
        line.y_axis.title = chart.y_label
        line.y_axis.scaling.min, line.y_axis.scaling.max = chart.y_min, chart.y_max
        line.x_axis.title = "Enkät"
        line.height, line.width = 8, 16
        data = Reference(ws, min_col=2, max_col=1 + len(groups), min_row=top, max_row=top + len(chart.waves))
        line.add_data(data, titles_from_data=True)
        line.set_categories(Reference(ws, min_col=1, min_row=top + 1, max_row=top + len(chart.waves)))
        ws.add_chart(line, f"{get_column_letter(len(groups) + 3)}{top}")
        self.row = top + max(len(chart.waves) + 2, 17)
        self.text(chart_alt_text(chart))


def _data_sheet(wb: Workbook, name: str, table: pd.DataFrame) -> None:
    """A tidy table with a bold, frozen, filterable header row."""
    ws = wb.create_sheet(name)
    for number, column in enumerate(table.columns, start=1):
        _put(ws, 1, number, str(column)).font = _BOLD
        ws.column_dimensions[get_column_letter(number)].width = max(10, min(45, len(str(column)) + 4))
    kinds = {
        "medel": MEAN, "sd": MEAN, "median": MEAN, "andel_positiva": SHARE, "n": COUNT, "n_fran": COUNT,
        "n_till": COUNT, "n_par": COUNT, "diff_medel": DIFF_MEAN, "diff_andel_positiva": DIFF_SHARE,
        "ci_lag": DIFF_SHARE, "ci_hog": DIFF_SHARE, "p_unc": PVALUE, "p_corr": PVALUE, "effekt": EFFECT,
    }  # fmt: skip
    kinds.update(dict.fromkeys(_MONEY_COLUMNS, MONEY))
    kinds["avvikelse_procent"] = DIFF_SHARE
    for r, record in enumerate(table.itertuples(index=False), start=2):
        for c, (column, value) in enumerate(zip(table.columns, record, strict=True), start=1):
            if isinstance(value, (bool, np.bool_)):
                value = bool(value)
            elif value is pd.NA or (isinstance(value, float) and np.isnan(value)):
                value = None
            _put(ws, r, c, value, kinds.get(column))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions


def render_excel(report: Report) -> bytes:
    """The workbook as bytes (deterministic: fixed document timestamps)."""
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for section in report.sections:
        title = f"{section.number} {section.title}" if section.number else section.title
        writer = _SheetWriter(wb.create_sheet(_sheet_name(title, used)))
        writer.text(title, _TITLE)
        if section.narrative:
            for paragraph in re.split(r"\n\s*\n", section.narrative):
                writer.text(paragraph.strip())
        elif section.expects_text:
            writer.text("Text saknas under den här rubriken.")
        writer.row += 1
        writer.blocks(section.blocks)
    tables = report.tables or ({"jamforelse": report.comparison} if report.comparison is not None else {})
    for key, sheet in DATA_SHEETS.items():
        if key in tables and tables[key] is not None:
            _data_sheet(wb, sheet, tables[key])
    wb.properties.creator = "slutrapport"
    wb.properties.title = report.title
    wb.properties.created = wb.properties.modified = _FIXED_TIME
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
