"""The shared xlsx sheet writer: texts stay text, numbers stay numbers, names fit Excel, bytes are reproducible."""

from __future__ import annotations

import io
import time
import zipfile

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from slutrapport.render.xlsx import NUMBER_FORMATS, SheetWriter, data_sheet, sheet_name, workbook_bytes
from slutrapport.report.model import COUNT, INTERVAL, MEAN, MONEY, SHARE, Column, Hidden, Paragraphs, Subsection, Table, TextList

FORMULA_LIKE = ["=1+1", '=HYPERLINK("http://evil.example","klicka")', "+46 70 123 45 67", "-2+3", "@SUM(A1)", "#N/A", "#DIV/0!"]


def _workbook(write_only: bool) -> Workbook:
    wb = Workbook(write_only=write_only)
    if not write_only:
        wb.remove(wb.active)
    return wb


def _reload(wb: Workbook, title: str = "Test"):
    return load_workbook(io.BytesIO(workbook_bytes(wb, title)))


def _cells(ws) -> list:
    return [c for row in ws.iter_rows() for c in row if c.value is not None]


def _table() -> Table:
    columns = [Column("Fråga"), Column("n", COUNT, "Enkät 1"), Column("Medel", MEAN, "Enkät 1"), Column("Andel", SHARE), Column("Intervall", INTERVAL)]
    rows = [
        ["=cmd|' /C calc'!A0", 12, 3.456, 0.5, (-0.1, 0.2)],
        ["Fråga två", np.int64(7), np.float64(4.0), Hidden("för få svar"), (None, None)],
        ["Fråga tre", 3.0, float("nan"), None, Hidden("för få svar")],
    ]
    return Table("Tabell 1", columns, rows, notes=["+ en not som ser ut som en formel"])


@pytest.mark.parametrize("write_only", [False, True])
def test_formula_like_texts_stay_text(write_only):
    wb = _workbook(write_only)
    writer = SheetWriter(wb.create_sheet("Blad"))
    writer.title(FORMULA_LIKE[0])
    for text in FORMULA_LIKE:
        writer.text(text)
    writer.blocks([Paragraphs(FORMULA_LIKE), TextList("@lista", FORMULA_LIKE), Subsection("=rubrik", [_table()])])
    data_sheet(wb, "Data", pd.DataFrame({"text": FORMULA_LIKE, "=kolumn": range(len(FORMULA_LIKE))}), {})
    loaded = _reload(wb)
    cells = [c for ws in loaded.worksheets for c in _cells(ws)]
    texts = {c.value for c in cells if isinstance(c.value, str)}
    assert set(FORMULA_LIKE) | {"=rubrik", "@lista", "=kolumn", "=cmd|' /C calc'!A0", "+ en not som ser ut som en formel"} <= texts
    assert all(c.data_type == "s" for c in cells if isinstance(c.value, str))
    assert all(c.quotePrefix for c in cells if isinstance(c.value, str) and c.value.startswith(("=", "+", "-", "@")))


@pytest.mark.parametrize("write_only", [False, True])
def test_numbers_stay_numbers_with_the_format_of_their_kind(write_only):
    wb = _workbook(write_only)
    writer = SheetWriter(wb.create_sheet("Blad"))
    writer.table(_table())
    ws = _reload(wb)["Blad"]
    values = {c.coordinate: c for c in _cells(ws)}
    assert values["A1"].value == "Tabell 1" and values["A1"].font.bold
    assert values["B2"].value == "Enkät 1" and "B2:C2" in {str(r) for r in ws.merged_cells.ranges}
    assert [values[f"{col}3"].value for col in "ABCDE"] == ["Fråga", "n", "Medel", "Andel", "Intervall"]
    first, second, third = (4, 5, 6)
    assert values[f"B{first}"].value == 12 and isinstance(values[f"B{first}"].value, int)
    assert values[f"C{first}"].value == pytest.approx(3.456) and values[f"C{first}"].number_format == NUMBER_FORMATS[MEAN]
    assert values[f"D{first}"].value == 0.5 and values[f"D{first}"].number_format == NUMBER_FORMATS[SHARE]
    assert values[f"E{first}"].value == "−10 till 20\u00a0p.e."  # an interval is written as its text
    assert values[f"B{second}"].value == 7 and values[f"C{second}"].value == 4.0 and values[f"D{second}"].value == "–"
    assert f"E{second}" not in values  # an interval without bounds is empty
    assert values[f"B{third}"].value == 3 and isinstance(values[f"B{third}"].value, int)  # a whole count: an integer
    assert f"C{third}" not in values and f"D{third}" not in values and values[f"E{third}"].value == "–"
    numbers = [c for c in values.values() if c.data_type == "n"]
    assert numbers and all(isinstance(c.value, (int, float)) for c in numbers)


def test_missing_and_odd_values_in_a_data_sheet():
    wb = _workbook(write_only=True)
    table = pd.DataFrame(
        {
            "n": pd.array([5, None], dtype="Int64"),
            "medel": [float("inf"), np.nan],
            "flagga": np.array([True, False]),
            "belopp": [1_234_567.0, -5.0],
            "text": ["a\x0bb", "x" * 40_000],  # a control character Excel cannot hold; a text over Excel's limit
        }
    )
    data_sheet(wb, "Data", table, {"n": COUNT, "medel": MEAN, "belopp": MONEY}, excel_table=True)
    ws = _reload(wb)["Data"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("n", "medel", "flagga", "belopp", "text")
    assert rows[1][:4] == (5, None, True, 1_234_567) and rows[2][:4] == (None, None, False, -5)
    assert rows[1][4] == "a b" and len(rows[2][4]) == 32767  # the vertical tab separated words: a space
    assert ws["D2"].number_format == NUMBER_FORMATS[MONEY]
    assert ws.freeze_panes == "A2" and ws["A1"].font.bold
    assert [t.ref for t in ws.tables.values()] == ["A1:E3"]


def test_a_data_sheet_without_an_excel_table_has_an_autofilter():
    wb = _workbook(write_only=False)
    data_sheet(wb, "Data", pd.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"]}), {})
    ws = _reload(wb)["Data"]
    assert ws.auto_filter.ref == "A1:B4" and not ws.tables


def test_sheet_names_are_unique_short_and_allowed():
    used: set[str] = set()
    titles = [
        "11 LSG:s analys och förslag",
        "Data",
        "data",
        "DATA",
        "[Bilaga] 1/2 *?",
        "",
        "'",
        "En mycket lång rubrik som inte får plats i ett bladnamn",
        "En mycket lång rubrik som inte får plats i ett bladnamn",
        "x" * 40,
        "x" * 40,
    ]
    names = [sheet_name(title, used) for title in titles]
    assert all(0 < len(name) <= 31 for name in names)
    assert len({name.casefold() for name in names}) == len(names)
    assert not any(set(name) & set("[]:*?/\\") for name in names)
    assert names[:4] == ["11 LSGs analys och förslag", "Data", "data (2)", "DATA (3)"]
    assert names[5] == "Blad" and names[6] == "Blad (2)"
    assert names[7:9] == ["En mycket lång rubrik som…", "En mycket lång rubrik som… (2)"]  # cut at a word
    wb = Workbook()
    for name in names:
        wb.create_sheet(name)
    assert wb.sheetnames[1:] == names  # openpyxl took every name as it is


def test_the_same_input_gives_the_same_bytes(monkeypatch):
    def build() -> bytes:
        wb = _workbook(write_only=True)
        writer = SheetWriter(wb.create_sheet(sheet_name("1 Inledning", set())))
        writer.title("1 Inledning")
        writer.blocks([_table(), Paragraphs(["Text"])])
        data_sheet(wb, "Data", pd.DataFrame({"n": [1, 2], "medel": [3.5, 4.25]}), {"n": COUNT, "medel": MEAN}, excel_table=True)
        return workbook_bytes(wb, "Rapport")

    first = build()
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 3 * 3600)  # zip entries are stamped from time.time()
    assert build() == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode("utf-8")
    assert core.count("2000-01-01T00:00:00Z") == 2  # created and modified
