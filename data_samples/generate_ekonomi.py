"""Generate the fictional budget ``data_samples/ekonomi.xlsx`` of the sample project "Vägen framåt".

The workbook looks like one a project economist keeps by hand: a sheet
``Ekonomi`` with a title row, an empty row, and then the funder's table in
the wide layout, one row per kategori (Personal, Lokal, Övrigt) and a pair of
columns per period (``Budget 2025``, ``Utfall 2025``, ``Budget 2026``,
``Utfall 2026``; 2026 is the half year January–June). Amounts are numeric
cells with a ``# ##0" kr"`` number format, except one outcome typed as text
with non-breaking spaces (``88 900 kr``), as people do.

Totals (budget 4 080 000 kr, utfall 3 966 250 kr, 2,8 % under budget) are
left for the toolkit to compute. Everything is fixed and the zip entries and
document properties are pinned, so the file is rewritten byte for byte
identically: ``python data_samples/generate_ekonomi.py``.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.packaging.core import DocumentProperties
from openpyxl.styles import Font
from openpyxl.xml.functions import tostring

HERE = Path(__file__).resolve().parent
OUT = HERE / "ekonomi.xlsx"
PINNED = dt.datetime(2026, 8, 14, 9, 0, 0)

PERIODS = ("2025", "2026")
#: kategori → (budget, utfall) per period, kronor
AMOUNTS = {
    "Personal": ((2_300_000, 2_212_400), (1_150_000, 1_198_600)),
    "Lokal": ((180_000, 180_000), (90_000, 90_000)),
    "Övrigt": ((240_000, 196_350), (120_000, "88\u00a0900 kr")),  # one amount typed as text
}


def build() -> bytes:
    """The workbook as bytes with pinned timestamps."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Ekonomi"
    ws.append(["Ekonomisk redovisning – Vägen framåt (belopp i kronor)"])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([])
    header = ["Kategori"] + [f"{kind} {period}" for period in PERIODS for kind in ("Budget", "Utfall")]
    ws.append(header)
    for cell in ws[3]:
        cell.font = Font(bold=True)
    for category, periods in AMOUNTS.items():
        ws.append([category] + [value for pair in periods for value in pair])
    for row in ws.iter_rows(min_row=4, min_col=2):
        for cell in row:
            if isinstance(cell.value, int):
                cell.number_format = '#,##0" kr"'
    ws.column_dimensions["A"].width = 14
    for column in "BCDE":
        ws.column_dimensions[column].width = 16

    wb.properties = DocumentProperties(creator="Vägen framåt", created=PINNED, modified=PINNED)
    raw = io.BytesIO()
    wb.save(raw)  # openpyxl stamps "modified" with now(); undone below
    wb.properties.modified = PINNED
    core_xml = tostring(wb.properties.to_tree())
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = core_xml if info.filename == "docProps/core.xml" else src.read(info.filename)
            fixed = zipfile.ZipInfo(info.filename, date_time=PINNED.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, data)
    return out.getvalue()


def main() -> None:
    OUT.write_bytes(build())
    print(f"{OUT.name}: {', '.join(AMOUNTS)} × {', '.join(PERIODS)}")


if __name__ == "__main__":
    main()
