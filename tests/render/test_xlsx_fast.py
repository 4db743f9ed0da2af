"""The column-at-a-time data sheet writer (render/xlsx_fast.py) writes exactly what openpyxl's write-only
``append`` of ``cell_value`` per cell wrote: the same sheet XML and the same styles, byte for byte, for every
kind of value and every column type (object, str, category, nullable), so a data sheet's numbers, texts,
number formats and formula safety are unchanged."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from slutrapport.render.xlsx import NUMBER_FORMATS, _styled, cell_value, data_sheet, workbook_bytes
from slutrapport.report.model import COEFFICIENT, COUNT, DIFF_MEAN, DIFF_SHARE, EFFECT, MEAN, MONEY, PERCENT, PVALUE, SHARE, Hidden

TEXTS = ["Organisation A", "=1+1", "+46 70", "-2", "@SUM(A1)", "#N/A", "#DIV/0!", " leading", "trailing ", "a\tb", "rad\nrad", "cr\rx",
         "<b>&amp;\"'</b>", "Åsa Öberg", "emoji 😀", "kontroll\x0btecken\x01", "", "x" * 40_000, "\ud800lone"]  # fmt: skip
KINDS = [None, COUNT, MEAN, SHARE, PERCENT, PVALUE, EFFECT, DIFF_MEAN, DIFF_SHARE, COEFFICIENT, MONEY]


def _reference_sheet(wb, name: str, table: pd.DataFrame, kinds, row_kinds=None) -> None:
    """The data sheet as written before xlsx_fast (the reference): one write-only append of cell_value per row."""
    ws = wb.create_sheet(name)
    for number, column in enumerate(table.columns, start=1):
        ws.column_dimensions[get_column_letter(number)].width = max(10, min(45, len(str(column)) + 4))
    ws.freeze_panes = "A2"
    ws.append([_styled(ws, cell_value(ws, str(column)), bold=True) for column in table.columns])
    column_kinds = [kinds.get(column) for column in table.columns]
    names = list(table.columns)
    by_row = [(names.index(c), names.index(key), measures) for c, (key, measures) in (row_kinds or {}).items()]
    for record in table.itertuples(index=False, name=None):
        row = list(column_kinds)
        for position, key, measures in by_row:
            row[position] = measures.get(record[key], row[position])
        ws.append([cell_value(ws, value, kind) for value, kind in zip(record, row, strict=True)])
    ws.auto_filter.ref = f"A1:{get_column_letter(max(len(table.columns), 1))}{len(table) + 1}"


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _both(tables: list[tuple[pd.DataFrame, dict, dict | None]]) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """The workbooks of the reference writer and of data_sheet for the same tables (several sheets, so that
    the styles of a later sheet meet the ones registered before)."""
    books = []
    for write in (_reference_sheet, lambda wb, name, table, kinds, row_kinds: data_sheet(wb, name, table, kinds, row_kinds=row_kinds)):
        wb = Workbook(write_only=True)
        for number, (table, kinds, row_kinds) in enumerate(tables):
            write(wb, f"Data {number}", table, kinds, row_kinds)
        books.append(_parts(workbook_bytes(wb, "Test")))
    return books[0], books[1]


def _odd_table(rows: int = 60, seed: int = 1) -> tuple[pd.DataFrame, dict]:
    """Every kind of value data_sheet meets, in every column type it may get."""
    rng = np.random.default_rng(seed)
    floats = rng.normal(0, 1, rows) * rng.choice([1e-300, 1e-7, 1, 37, 1e6, 1e17], rows)
    floats[::7] = np.nan
    floats[1], floats[2], floats[3], floats[4], floats[5] = np.inf, -np.inf, -0.0, 0.0, 3.0  # -0.0 is written "-0"
    floats[6], floats[8] = 0.1 + 0.2, 2.0**53 + 2  # a float needing 17 digits; a whole float beyond 2**53
    whole = np.round(floats * 10) / 10
    texts = [TEXTS[i % len(TEXTS)] for i in range(rows)]
    mixed = [[True, 1, 1.0, "1", None, np.nan, pd.NA, Hidden("få"), date(2025, 1, 31), datetime(2025, 2, 1, 12, 30), -0.0, 0, 2**60,
              np.int64(5), np.float64(2.5), np.bool_(False), complex(1, 2), "=x", pd.Timestamp("2025-03-01"), 2.0**53 + 1][i % 20]
             for i in range(rows)]  # fmt: skip
    table = pd.DataFrame(
        {
            "f_none": floats,
            "f_count": whole,
            "f_mean": floats,
            "f_percent": whole * 10,
            "f_share": floats,
            "f_pvalue": np.abs(floats),
            "f32": floats.astype(np.float32),
            "i_count": rng.integers(-5, 100, rows),
            "i_percent": rng.integers(0, 100, rows).astype(np.uint8),
            "i_big": np.array([2**53 + 1, -(2**62)] * (rows // 2), dtype=np.int64),
            "Int64": pd.array([None if i % 5 == 0 else i for i in range(rows)], dtype="Int64"),
            "Float64": pd.array([None if i % 4 == 0 else i / 3 for i in range(rows)], dtype="Float64"),
            "bool": rng.random(rows) < 0.5,
            "boolean": pd.array([None if i % 3 == 0 else bool(i % 2) for i in range(rows)], dtype="boolean"),
            "t_object": np.array([None if i % 9 == 0 else t for i, t in enumerate(texts)], dtype=object),
            "t_string": pd.array([None if i % 9 == 0 else t for i, t in enumerate(texts)], dtype="string"),
            "t_category": pd.Categorical([None if i % 9 == 0 else t for i, t in enumerate(texts)]),
            "mixed": np.array(mixed, dtype=object),
            "datetime": pd.to_datetime(["2025-01-31 00:00", None, "2025-12-24 10:00"] * (rows // 3)),
            "=formel": np.arange(rows),
        }
    )
    kinds = {"f_count": COUNT, "f_mean": MEAN, "f_percent": PERCENT, "f_share": SHARE, "f_pvalue": PVALUE, "f32": DIFF_MEAN, "i_count": COUNT,
             "i_percent": PERCENT, "i_big": MONEY, "Int64": COUNT, "Float64": EFFECT, "mixed": MEAN, "t_object": MEAN}  # fmt: skip
    return table, kinds


def test_every_kind_of_value_is_written_as_openpyxl_wrote_it():
    table, kinds = _odd_table()
    reference, fast = _both([(table, kinds, None)])
    assert reference.keys() == fast.keys()
    assert [name for name in reference if reference[name] != fast[name]] == []


@pytest.mark.parametrize("seed", [2, 3])
def test_random_tables_with_measures_by_row_give_the_same_bytes(seed):
    """A column whose rows hold different measures (a key figure's value) and several sheets in one workbook."""
    rng = np.random.default_rng(seed)
    rows = 200
    measures = {"andel": SHARE, "antal": COUNT, "procent": PERCENT, "kronor": MONEY}
    measured = pd.DataFrame(
        {
            "matt": pd.array(rng.choice([*measures, "okand", None], rows), dtype=object),
            "varde": np.where(rng.random(rows) < 0.5, rng.integers(0, 50, rows), rng.random(rows) * 100),
            "utfall": pd.array(rng.choice(["12", 3, 0.5, None, True], rows), dtype=object),
        }
    )
    table, kinds = _odd_table(rows=120, seed=seed)
    by_row = {"varde": ("matt", measures), "utfall": ("matt", measures)}
    reference, fast = _both([(table, kinds, None), (measured, {"varde": MEAN}, by_row), (table.iloc[::-1], {k: KINDS[seed] for k in table}, None)])
    assert [name for name in reference if reference[name] != fast[name]] == []


def test_long_columns_of_nearly_all_different_numbers_give_the_same_bytes():
    """Long columns of p-values and test statistics skip looking for repeated values (each row its own cell)
    and are written in several blocks of rows; the bytes stay openpyxl's, also with repeats, missing values,
    measures by row and a percent kind."""
    rng = np.random.default_rng(11)
    rows = 9000
    p = rng.random(rows)
    p[::13], p[5::17] = np.nan, 1.0  # missing and repeated values among the different ones
    table = pd.DataFrame(
        {
            "p_unc": p,
            "statistika": rng.normal(0, 1e4, rows),
            "n": rng.integers(0, 10**6, rows).astype(float),
            "matt": rng.choice(["andel", "antal"], rows),
            "varde": rng.random(rows) * 100,
        }
    )
    kinds = {"p_unc": PVALUE, "statistika": MEAN, "n": COUNT, "varde": PERCENT}
    reference, fast = _both([(table, kinds, {"varde": ("matt", {"andel": SHARE, "antal": COUNT})})])
    assert [name for name in reference if reference[name] != fast[name]] == []


def test_empty_tables_and_empty_columns_give_the_same_bytes():
    tables = [pd.DataFrame(), pd.DataFrame({"a": [], "b": []}), pd.DataFrame({"n": [np.nan, np.nan], "t": [None, None], "x": [pd.NA, None]})]
    reference, fast = _both([(table, {"n": COUNT}, None) for table in tables])
    assert [name for name in reference if reference[name] != fast[name]] == []


def test_a_text_column_is_written_alike_whatever_its_dtype():
    texts = [None if i % 4 == 0 else TEXTS[i % len(TEXTS)] for i in range(40)]
    sheets = []
    for values in (np.array(texts, dtype=object), pd.array(texts, dtype="string"), pd.Categorical(texts)):
        wb = Workbook(write_only=True)
        data_sheet(wb, "Data", pd.DataFrame({"text": values}), {})
        sheets.append(_parts(workbook_bytes(wb, "Test"))["xl/worksheets/sheet1.xml"])
    assert sheets[0] == sheets[1] == sheets[2]


def test_values_read_back_as_written():
    """The same read back with openpyxl: numbers as numbers with their format, texts as text with the quote prefix."""
    table = pd.DataFrame({"text": ["=1+1", "Org A", None], "n": [3.0, 2.5, np.nan], "p": [0.0123, 1.0, 0.5], "procent": [37, 100, 5]})
    wb = Workbook(write_only=True)
    data_sheet(wb, "Data", table, {"n": COUNT, "p": PVALUE, "procent": PERCENT})
    ws = load_workbook(io.BytesIO(workbook_bytes(wb, "Test")))["Data"]
    assert [[cell.value for cell in row] for row in ws.iter_rows()] == [
        ["text", "n", "p", "procent"],
        ["=1+1", 3, 0.0123, 0.37],
        ["Org A", 2.5, 1, 1],
        [None, None, 0.5, 0.05],
    ]
    assert ws["A2"].data_type == "s" and ws["A2"].quotePrefix and isinstance(ws["B2"].value, int)
    assert ws["B2"].number_format == "General" and ws["B3"].number_format == NUMBER_FORMATS[COUNT]
    assert ws["C2"].number_format == NUMBER_FORMATS[PVALUE] and ws["D2"].number_format == NUMBER_FORMATS[PERCENT]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:D4"
