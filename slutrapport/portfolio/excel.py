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

from typing import Any

from openpyxl import Workbook
from openpyxl.styles import PatternFill

from slutrapport.portfolio.charts import forest_png
from slutrapport.portfolio.model import DIFF_MONEY, DIFF_PERCENT, MONEY, SHARE_RANGE, STATUS, ForestChart, Portfolio, Typed
from slutrapport.portfolio.render import format_cell
from slutrapport.portfolio.tables import INTEGER_COLUMNS
from slutrapport.render.xlsx import NUMBER_FORMATS, SheetWriter, data_sheet, sheet_name, workbook_bytes
from slutrapport.report.model import COUNT, DIFF_MEAN, DIFF_SHARE, MEAN, PVALUE, SHARE, Hidden

__all__ = ["render_portfolio_excel", "DATA_SHEETS"]

#: sheet name of each tidy table (see :mod:`.tables` for the columns)
DATA_SHEETS = {
    "projekt": "Data projekt", "fullstandighet": "Data fullständighet", "personalenkat": "Data personalenkät",
    "deltagare": "Data deltagare", "utfall": "Data utfall", "mal": "Data mål", "ekonomi": "Data ekonomi",
}  # fmt: skip
_NUMBER_FORMATS = NUMBER_FORMATS | {
    MONEY: '#,##0" kr"',
    DIFF_MONEY: '+#,##0" kr";-#,##0" kr";0" kr"',
    DIFF_PERCENT: "+0.0%;-0.0%;0.0%",
}
_MISSING_FILL = PatternFill("solid", fgColor="FFF4D6")
_DATA_KINDS = {
    "projekt": {"budget_totalt": MONEY, "utfall_totalt": MONEY, "avvikelse_kr": DIFF_MONEY, "avvikelse_procent": DIFF_PERCENT,
                "kostnad_per_deltagare": MONEY, "kostnad_per_avslutad": MONEY},
    "personalenkat": {"medel_sista": MEAN, "andel_positiva_sista": SHARE, "diff_medel": DIFF_MEAN, "diff_andel_positiva": DIFF_SHARE,
                      "ci_lag": DIFF_SHARE, "ci_hog": DIFF_SHARE, "p_corr_medel": PVALUE, "p_corr_andel": PVALUE},
    "utfall": {"andel": SHARE},
    "mal": {"ci_lag": SHARE, "ci_hog": SHARE},
    "ekonomi": {"budget": MONEY, "utfall": MONEY, "avvikelse_kr": DIFF_MONEY, "avvikelse_procent": DIFF_PERCENT},
}  # fmt: skip


class _PortfolioSheet(SheetWriter):
    """An overview sheet: the portfolio's own cells (typed values, ranges, completeness status) and forest charts."""

    def __init__(self, ws) -> None:
        super().__init__(ws, _NUMBER_FORMATS, widths=(45, 14))

    def table_value(self, value: Any, kind: str) -> Any:
        if isinstance(value, Typed):
            return self.table_value(value.value, value.kind)
        if kind == SHARE_RANGE and value is not None and not isinstance(value, Hidden):
            return self.value(format_cell(value, kind) or None)
        if kind == STATUS:
            return self.cell(str(value), fill=_MISSING_FILL) if value == "saknas" else self.value(value)
        return super().table_value(value, kind)

    def figure(self, block: object) -> None:
        if isinstance(block, ForestChart):
            self.image(forest_png(block), f"Diagram: {block.title}. Värdena finns i tabellen ovan.")


def render_portfolio_excel(portfolio: Portfolio) -> bytes:
    """``portfolio.xlsx``: a sheet per overview section, then the tidy tables (deterministic bytes)."""
    wb = Workbook(write_only=True)
    used: set[str] = set()
    for section in portfolio.sections:
        title = f"{section.number} {section.title}" if section.number else section.title
        sheet = _PortfolioSheet(wb.create_sheet(sheet_name(title, used)))
        if section.id == "oversikt":
            sheet.title(portfolio.title)
            for label, value in portfolio.facts.items():
                sheet.text(f"{label}: {value}")
            sheet.text(f"Skapad {portfolio.generated}")
        else:
            sheet.title(title)
        sheet.blank()
        sheet.blocks(section.blocks)
    for name, sheet_title in DATA_SHEETS.items():
        kinds = dict.fromkeys(INTEGER_COLUMNS, COUNT) | _DATA_KINDS.get(name, {})
        data_sheet(wb, sheet_name(sheet_title, used), portfolio.tables[name], kinds, _NUMBER_FORMATS, excel_table=True)
    return workbook_bytes(wb, portfolio.title)
