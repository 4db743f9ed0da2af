"""Excel as data: every number in every sheet of rapport.xlsx and jamforelse.xlsx is a number with a number format,
never a text that looks like one; shares are fractions with a percent format, so a column sums and charts."""

from __future__ import annotations

import io
import json
import re

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from slutrapport.analysis.socioeconomic import EFFECT_FACTORS
from slutrapport.render.formatting import cell_text
from slutrapport.render.xlsx import SheetWriter, data_sheet, workbook_bytes
from slutrapport.report.model import COEFFICIENT, COUNT, MONEY, PERCENT, PROTECTED, SHARE, Column, Table, Typed

#: A text a reader takes for a number: Swedish or English decimals, thousands spaces, a sign (also the real minus),
#: a percent, "p.e." or "kr" after it, a comparison before it and a footnote mark ("0,66 *") after it.
NUMBER_LIKE = re.compile(r"^\s*[<>≤≥]?\s*[+\-−]?\s*\d[\d \u00a0\u202f]*(?:[.,]\d+)?\s*(?:%|p\.e\.|kr)?\s*\*?\s*$")
#: A year is a period's name (a column heading, the economy's period column), not a quantity.
YEAR = re.compile(r"^(19|20)\d\d$")


def test_the_number_pattern_knows_numbers_from_names():
    numbers = ["12", "12 345 kr", "12\u00a0345\u00a0kr", "0,85", "0.85", "−0,3", "-0.3", "+4", "37 %", "37\u00a0%", "0,66 *", "< 0,001", "−12 p.e."]
    names = ["Enkät 1", "2025 H1", "5–6", "73–93 %", "−12 till 6 p.e.", "14 av 38", "minst 40 %", "q01", "–", "Effekter +25 %"]
    assert all(NUMBER_LIKE.match(text) for text in numbers)
    assert not any(NUMBER_LIKE.match(text) for text in names)


def _number_like_texts(data: bytes) -> list[str]:
    wb = load_workbook(io.BytesIO(data))
    return [
        f"{ws.title}!{cell.coordinate}: {cell.value!r}"
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and NUMBER_LIKE.match(cell.value) and not YEAR.match(cell.value)
    ]


def _percent_cells(data: bytes) -> list[tuple[str, float, str]]:
    """Every number shown with a percent: (where, value, format); a % inside quotes is a literal, not a percent format."""
    wb = load_workbook(io.BytesIO(data))
    return [
        (f"{ws.title}!{cell.coordinate}", cell.value, cell.number_format)
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for cell in row
        if isinstance(cell.value, int | float) and not isinstance(cell.value, bool) and "%" in re.sub(r'"[^"]*"', "", cell.number_format)
    ]


@pytest.fixture(scope="module", params=["rapport", "jamforelse"])
def workbook(request, demo_dir, sample_compare) -> bytes:
    """The demo's rapport.xlsx and the sample comparison's jamforelse.xlsx (the session's shared builds)."""
    path = demo_dir / "rapport.xlsx" if request.param == "rapport" else sample_compare.folder / "jamforelse.xlsx"
    return path.read_bytes()


def test_no_text_cell_looks_like_a_number(workbook):
    assert _number_like_texts(workbook) == []


def test_sheet_names_are_swedish_and_fit_excel(workbook):
    names = load_workbook(io.BytesIO(workbook), read_only=True).sheetnames
    assert names and all(len(name) <= 31 for name in names)
    assert "Data" in names and not [name for name in names if re.search(r"[_]|\b(sheet|data_)\b", name, re.I)]


def test_shares_are_fractions_with_a_percent_format(workbook, demo_dir):
    cells = _percent_cells(workbook)
    assert len(cells) > 100  # the distributions, the shares of positive answers, the changes
    # a share is 0–1 (a change −1–1); over 100 % only the socio-economic sensitivity's effect factors (125 %)
    # and the occupancy of the planned places (more active participants than places)
    places = json.loads((demo_dir / "rapport.json").read_text(encoding="utf-8"))["tabeller"]["deltagare_platser"]
    occupancy = {row[places["kolumner"].index("belaggning")] for row in places["rader"]}
    over = [o for o in occupancy if o is not None]
    outside = [c for c in cells if not -1 <= c[1] <= 1 and c[1] not in EFFECT_FACTORS and not any(abs(c[1] - o) < 1e-9 for o in over)]
    assert outside == []


def test_the_demo_writes_alpha_goals_and_counts_as_numbers(demo_dir):
    wb = load_workbook(demo_dir / "rapport.xlsx")
    survey = next(ws for ws in wb.worksheets if "personalenkät" in ws.title and not ws.title.startswith("Data"))
    formats = {cell.number_format for row in survey.iter_rows() for cell in row if isinstance(cell.value, float)}
    assert {"0.00", '0.00" *"'} <= formats  # Cronbach's alpha, and alpha under 0,7 with its mark
    goals = wb["Data måluppfyllelse"]
    header = [cell.value for cell in goals[1]]
    records = [dict(zip(header, row, strict=True)) for row in goals.iter_rows(min_row=2) if row[0].value is not None]
    outcomes = {record["matt"].value: (type(record["utfall"].value), record["utfall"].number_format) for record in records}
    # a share in percent, a count as a whole number, never kronor; a qualitative goal has no number
    assert outcomes == {
        "andel": (float, "0%"), "andel_svar": (float, "0%"), "antal": (int, "General"), "aktiviteter": (int, "General"),
        "forandring": (int, "General"), "kvalitativt": (type(None), "General"),
    }  # fmt: skip


def _reload(write) -> Workbook:
    """A write-only workbook with a sheet "Blad" that ``write(writer, wb)`` fills, saved and read back."""
    wb = Workbook(write_only=True)
    write(SheetWriter(wb.create_sheet("Blad")), wb)
    return load_workbook(io.BytesIO(workbook_bytes(wb, "Test")))


def test_typed_cells_marks_and_whole_percents_stay_numbers():
    table = Table(
        "Tabell",
        [Column("Rad"), Column("Alfa", COEFFICIENT), Column("Procent", PERCENT), Column("Utfall")],
        [
            ["a", 0.83, 37, Typed(52, COUNT)],
            ["b", Typed(0.6634, COEFFICIENT, "*"), 63, Typed(0.368, SHARE)],
            ["c", PROTECTED, PROTECTED, Typed(PROTECTED, SHARE)],
            ["d", None, None, Typed(1234.5, MONEY, "*")],
        ],
    )
    loaded = _reload(lambda writer, wb: writer.table(table))
    rows = {row[0].value: row[1:] for row in loaded["Blad"].iter_rows(min_row=3)}
    assert [(c.value, c.number_format) for c in rows["a"]] == [(0.83, "0.00"), (0.37, "0%"), (52, "General")]
    assert [(c.value, c.number_format) for c in rows["b"]] == [(0.6634, '0.00" *"'), (0.63, "0%"), (0.368, "0%")]
    assert [c.value for c in rows["c"]] == ["–", "–", "–"]  # hidden stays the marker text, never a mark
    assert rows["d"][2].value == 1234.5 and rows["d"][2].number_format == '#,##0" kr"" *";"−"#,##0" kr"" *"'
    # the same cells as text (HTML, Word): the mark after the value, hidden without one
    assert cell_text(Typed(0.6634, COEFFICIENT, "*"), "text") == "0,66 *"
    assert cell_text(0.8349, COEFFICIENT) == "0,83"
    assert cell_text(Typed(0.368, SHARE), "text") == "37\u00a0%"
    assert cell_text(Typed(PROTECTED, SHARE, "*"), "text") == "–"


def test_a_data_column_holding_different_measures_gets_each_rows_format():
    table = pd.DataFrame({"matt": ["andel", "antal", "okänd"], "utfall": [0.4, 52, 3.5]})
    kinds = {"utfall": MONEY}
    loaded = _reload(lambda writer, wb: data_sheet(wb, "Data", table, kinds, row_kinds={"utfall": ("matt", {"andel": SHARE, "antal": COUNT})}))
    cells = [row[1] for row in loaded["Data"].iter_rows(min_row=2)]
    assert [(c.value, c.number_format) for c in cells] == [(0.4, "0%"), (52, "General"), (3.5, '#,##0" kr";"−"#,##0" kr"')]
