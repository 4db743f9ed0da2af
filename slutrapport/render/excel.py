"""Render the report model as an Excel workbook: one sheet per section plus the tidy comparison.

Numbers are stored as numbers with number formats (Excel shows the decimal
comma in a Swedish locale); every text is stored as a string, so an answer
starting with ``=``, ``+``, ``-`` or ``@`` never becomes a formula. Texts are
cleaned of what Excel cannot hold (see :mod:`.xlsx`); a long section title is
shortened in the sheet name and written whole in the sheet's first cell.

The workbook is written in openpyxl's write-only mode: each row of a section
is one ``append`` of plain values (a cell object only where a number needs its
number format or a text must stay text), streamed to the file instead of kept
as cells; the rows of a data sheet (a hundred thousand in a large comparison)
are written as XML a column at a time by :mod:`.xlsx_fast`, with the same
cells, and its zip is deflated on several cores (:mod:`.zipwrite`).
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager

from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference
from openpyxl.utils import get_column_letter

from slutrapport.render.charts import chart_alt_text, chart_png
from slutrapport.render.formatting import property_text
from slutrapport.render.xlsx import SheetWriter, data_sheet, sheet_name, workbook_bytes
from slutrapport.report.model import CHARTS, COEFFICIENT, COUNT, DIFF_MEAN, DIFF_SHARE, EFFECT, MEAN, MONEY, PVALUE, SHARE, Chart, Report

__all__ = ["render_excel", "COMPARISON_SHEET", "DATA_SHEETS"]

COMPARISON_SHEET = "Data"
#: Sheet name of each tidy table in ``Report.tables`` (the comparison first, on the sheet "Data").
DATA_SHEETS = {
    "jamforelse": COMPARISON_SHEET,
    "forandringar": "Data förändringar",
    "gruppskillnader": "Data gruppskillnader",
    "reliabilitet": "Data reliabilitet",
    "svarsfrekvens": "Data svarsfrekvens",
    "sammansattning": "Data sammansättning",
    "andelar": "Data andelar",
    "andelstest": "Data andelstest",
    "talfragor": "Data talfrågor",
    "talfragor_test": "Data talfrågor test",
    "sjalvvardering": "Data självvärdering",
    "ekonomi": "Data ekonomi",
    "ekonomi_nyckeltal": "Data ekonomi nyckeltal",
    "socioekonomi_aktorer": "Data socioekonomi",
    "socioekonomi_lonsamhet": "Data socioekonomi lönsamhet",
    "socioekonomi_nyckeltal": "Data socioekonomi nyckeltal",
    "socioekonomi_kanslighet": "Data socioekonomi känslighet",
    "socioekonomi_aktorsresultat": "Data socioekonomi aktörer",
    "socioekonomi_sammanfattning": "Data socioekonomi summering",
    "deltagare_flode": "Data deltagare",
    "deltagare_utfall": "Data utfall",
    "deltagare_forsorjning": "Data försörjning",
    "deltagare_tid": "Data tid i projektet",
    "maluppfyllelse": "Data måluppfyllelse",
    "kompetens_kategorisering": "Data kategorisering",
    "kompetens_omfattning": "Data utbildningarnas omfattning",
    "deltagare_totaler": "Data hela projektet",
    "deltagare_uppfoljning": "Data uppföljning",
    "deltagare_platser": "Data platser",
    "ekonomi_finansiering": "Data finansiering",
}
#: columns of the economy tables holding kronor (Data sheets show them with the money format)
_MONEY_COLUMNS = (
    "budget", "utfall", "avvikelse_kr", "kostnad_fore", "kostnad_efter", "arlig_vinst",
    "ackumulerad_vinst", "projektkostnad", "netto", "netto_3_ar", "arlig_intakt", "kostnad", "lonsamhet_1_ar",
    "lonsamhet_3_ar", "lonsamhet_5_ar", "intakt_per_deltagare", "intakt_totalt",
    "lonsamhet_per_deltagare", "lonsamhet_totalt",
)  # fmt: skip
#: value kind of the columns of the tidy tables (Data sheets)
_DATA_KINDS = {
    "medel": MEAN, "sd": MEAN, "median": MEAN, "andel_positiva": SHARE, "n": COUNT, "n_fran": COUNT,
    "n_till": COUNT, "n_par": COUNT, "diff_medel": DIFF_MEAN, "diff_andel_positiva": DIFF_SHARE,
    "ci_lag": DIFF_SHARE, "ci_hog": DIFF_SHARE, "p_unc": PVALUE, "p_corr": PVALUE, "effekt": EFFECT,
    "diff_medel_lag": DIFF_MEAN, "diff_medel_hog": DIFF_MEAN, "hl_skift": DIFF_MEAN, "hl_lag": DIFF_MEAN, "hl_hog": DIFF_MEAN,
    "alfa": COEFFICIENT, "alfa_utan_fragan": COEFFICIENT, "antal_fragor": COUNT, "inskrivna": COUNT, "aktiva": COUNT,
    "avslutade": COUNT, "medel_dagar": MEAN, "median_dagar": MEAN, "moten_medel": MEAN,
} | dict.fromkeys(_MONEY_COLUMNS, MONEY) | {"avvikelse_procent": DIFF_SHARE}  # fmt: skip
#: value kinds of a table's own columns, where a name means something else in another table
_TABLE_KINDS = {
    "andelar": {"andel": SHARE, "andel_lag": SHARE, "andel_hog": SHARE, "antal": COUNT},
    "talfragor": {"q1": MEAN, "q3": MEAN},
    "svarsfrekvens": {"svarsfrekvens": SHARE, "inbjudna": COUNT},
    "sammansattning": {"max_skift": SHARE, "andel_fran": SHARE, "andel_till": SHARE, "p": PVALUE},
    "maluppfyllelse": {"utfall": None, "ci_lag": SHARE, "ci_hog": SHARE, "taljare": COUNT, "namnare": COUNT},
    "deltagare_utfall": {"andel": SHARE},
    "socioekonomi_kanslighet": {"effektfaktor": SHARE, "aterbetalningstid_manader": COUNT},
    "socioekonomi_aktorsresultat": {"aterbetalningstid_manader": COUNT},
    "socioekonomi_sammanfattning": {"aterbetalningstid_manader": COUNT},
    "deltagare_totaler": {"andel": SHARE},
    "deltagare_uppfoljning": {"andel": SHARE, "manader": COUNT},
    "deltagare_platser": {"platser": COUNT, "inskrivna": COUNT, "aktiva": COUNT, "belaggning": SHARE},
    "ekonomi_finansiering": {"andel_budget": SHARE, "andel_utfall": SHARE},
}
_GOAL_KINDS = {"andel": SHARE, "andel_svar": SHARE, "antal": COUNT, "aktiviteter": COUNT, "forandring": COUNT}
#: kinds of a column whose rows hold different measures: column → (the column naming the measure, measure → kind)
_ROW_KINDS = {
    "maluppfyllelse": {"malvarde": ("matt", _GOAL_KINDS), "utfall": ("matt", _GOAL_KINDS)},
    "ekonomi_nyckeltal": {"varde": ("matt", {"budget_totalt": MONEY, "utfall_totalt": MONEY, "deltagare": COUNT, "avslutade": COUNT,
                                             "kostnad_per_deltagare": MONEY, "kostnad_per_avslutad": MONEY})},
    "socioekonomi_nyckeltal": {"varde": ("matt", {"projektkostnad": MONEY, "arlig_vinst": MONEY, "aterbetalningstid_manader": COUNT,
                                                  "utnyttjad_potential": SHARE, "samhallsekonomisk_kostnad": MONEY, "indirekt_skatt": SHARE,
                                                  "potential": MONEY, "lonsamhet_1_ar_avskrivning_3_ar": MONEY})},
}  # fmt: skip


class _ReportSheet(SheetWriter):
    """A section's sheet: charts are native Excel line charts where they can be, else pictures."""

    def figure(self, block: object) -> None:
        if isinstance(block, Chart) and not block.data.empty:
            self.native_line_chart(block)
        elif isinstance(block, CHARTS):
            self.image(chart_png(block), chart_alt_text(block))
        for note in getattr(block, "notes", None) or []:
            self.text(note)

    def native_line_chart(self, chart: Chart) -> None:
        """An Excel line chart over a small table of the plotted values (waves × groups); with a trend, its
        fitted line and 95 % band as three more columns and series (dashed), the numbers written beside the groups'."""
        groups = list(dict.fromkeys(chart.data["grupp"]))
        values = {(r.grupp, r.enkat): r.value for r in chart.data.itertuples()}
        trend = _trend_columns(chart)
        top = self.row + 1
        header = [*groups, *trend]
        self.append([self.cell("Enkät", bold=True), *(self.cell(name, bold=True) for name in header)])
        for wave in chart.waves:
            row = [values.get((group, wave)) for group in groups] + [column.get(wave) for column in trend.values()]
            self.append([self.value(wave), *(self.value(value, MEAN) for value in row)])
        line = LineChart()
        line.title = property_text(chart.title)  # chart texts are XML too: cleaned, one line, at most 255 characters
        line.y_axis.title = property_text(chart.y_label)
        line.y_axis.scaling.min, line.y_axis.scaling.max = chart.y_min, chart.y_max
        line.x_axis.title = "Enkät"
        line.height, line.width = 8, 16
        data = Reference(self.ws, min_col=2, max_col=1 + len(header), min_row=top, max_row=top + len(chart.waves))
        line.add_data(data, titles_from_data=True)
        for series, dash in zip(line.series[len(groups) :], _TREND_DASHES[: len(trend)], strict=True):
            series.graphicalProperties.line.solidFill = _TREND_COLOUR
            series.graphicalProperties.line.dashStyle = dash
            series.graphicalProperties.line.width = _TREND_WIDTH if dash == "dash" else _BAND_WIDTH
            series.marker.symbol = "none"
            series.smooth = False
        line.set_categories(Reference(self.ws, min_col=1, min_row=top + 1, max_row=top + len(chart.waves)))
        self.ws.add_chart(line, f"{get_column_letter(len(header) + 3)}{top}")
        self.blank(top + max(len(chart.waves) + 2, 17) - 1 - self.row)
        self.text(chart_alt_text(chart))


#: the trend's series in a native chart: the fitted line dashed, its 95 % band as two thinner dashed lines
_TREND_NAMES = ("Trend (skattad)", "95 % KI, nedre", "95 % KI, övre")
_TREND_DASHES = ("dash", "sysDash", "sysDash")
_TREND_COLOUR = "333333"
_TREND_WIDTH, _BAND_WIDTH = 19050, 9525  # EMU: 1.5 and 0.75 points


def _trend_columns(chart: Chart) -> dict[str, dict[str, float]]:
    """The trend's columns of a native chart's table (name → value per wave); empty without a trend."""
    trend = chart.trend
    if trend is None or trend.empty:
        return {}
    waves = [str(wave) for wave in trend["enkat"]]
    return {name: dict(zip(waves, trend[column].astype(float), strict=True)) for name, column in zip(_TREND_NAMES, ("value", "low", "high"), strict=True)}


@contextmanager
def _old_objects_left_alone() -> Iterator[None]:
    """Python's cycle collector leaves the objects made before alone while the workbook is written (a large
    survey's analysis holds a million of them: a full collection, which the workbook's many small objects
    set off, took a tenth of a second); afterwards they are collected as before."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def render_excel(report: Report) -> bytes:
    """The workbook as bytes (deterministic: fixed document timestamps)."""
    with _old_objects_left_alone():
        return _workbook(report)


def _workbook(report: Report) -> bytes:
    wb = Workbook(write_only=True)  # streamed: rows are appended and written out, never held as cells
    used: set[str] = set()
    sheets = []
    for section in report.sections:
        title = f"{section.number} {section.title}" if section.number else section.title
        sheets.append((section, title, wb.create_sheet(sheet_name(title, used))))
    # the data sheets (after the sections in the workbook) are written first: they need no chart, so a worker
    # process draws the sections' pictures meanwhile (:mod:`~slutrapport.render.drawing_pool`)
    tables = report.tables or ({"jamforelse": report.comparison} if report.comparison is not None else {})
    for key, name in DATA_SHEETS.items():
        if key in tables and tables[key] is not None:
            data_sheet(wb, sheet_name(name, used), tables[key], _DATA_KINDS | _TABLE_KINDS.get(key, {}), row_kinds=_ROW_KINDS.get(key))
    for section, title, ws in sheets:
        writer = _ReportSheet(ws)
        writer.title(title)
        if section.narrative:
            for paragraph in re.split(r"\n\s*\n", section.narrative):
                writer.text(paragraph.strip())
        elif section.expects_text:
            writer.text("Text saknas under den här rubriken.")
        writer.blank()
        writer.blocks(section.blocks)
    return workbook_bytes(wb, report.title)
