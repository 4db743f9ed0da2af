"""A section sheet's rows written as XML by hand (render/xlsx_rows.py) are the bytes openpyxl's write-only
``append`` wrote: the same sheet XML and the same styles, byte for byte, for every kind of value a sheet
writer appends (texts to escape, texts with spaces at their ends, characters beyond ASCII, numbers, styled
cells, formula-like and error-like texts, dates, booleans, empty and styled empty cells, merged cells)."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import numpy as np
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import PatternFill

from slutrapport.render import xlsx_rows
from slutrapport.render.xlsx import SheetWriter, _styled, cell_value, workbook_bytes
from slutrapport.report.model import COUNT, DIFF_MEAN, INTERVAL, MEAN, PERCENT, PVALUE, SHARE, Column, Hidden, Paragraphs, Subsection, Table, TextList, Typed

TEXTS = ["Organisation A", "=1+1", "=", "+46 70", "-2", "@SUM(A1)", "#N/A", "#DIV/0!", " leading", "trailing ", "  ", "a\tb",
         "rad\nrad", "cr\rx", "<b>&amp;\"'</b>", "]]>", "Åsa Öberg", "emoji 😀", "kontroll\x0btecken\x01", "", "x" * 40_000,
         "\ud800lone", "\u00a0nbsp", "–"]  # fmt: skip
NUMBERS = [0, -0.0, 1, -7, 2**53 + 1, 2**60, 0.1 + 0.2, 1e-300, 1e17, 3.5, float("nan"), float("inf"), 123456789.123]
KINDS = [None, COUNT, MEAN, SHARE, PERCENT, PVALUE, DIFF_MEAN]
_FILL = PatternFill("solid", fgColor="EEF3F8")


def _rows(ws) -> list[list]:
    """Rows as the sheet writers append them, every value made for ``ws``."""
    rows: list[list] = [[], [None], [None, None, "sist"]]
    rows += [[cell_value(ws, text), _styled(ws, cell_value(ws, text), bold=True, wrap=True)] for text in TEXTS]
    rows += [[cell_value(ws, number, kind) for kind in KINDS] for number in NUMBERS]
    rows += [[_styled(ws, cell_value(ws, number, kind), fill=_FILL) for kind in KINDS] for number in NUMBERS]
    raw_text = WriteOnlyCell(ws, value="#N/A")
    raw_text.data_type = "s"
    styled_empty = _styled(ws, None, bold=True)
    rows += [
        [True, False, np.bool_(True), np.int64(4), np.float64(2.5), cell_value(ws, Hidden("få")), None, "efter"],
        [date(2025, 1, 31), datetime(2025, 2, 1, 12, 30), "=SUMMA(A1)", "#REF!", raw_text, "x"],
        [styled_empty, None, WriteOnlyCell(ws), WriteOnlyCell(ws, value=""), "slut"],
        ["text", 1, raw_text, 2.5, "mer text"],
    ]
    return rows


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _book(fast: bool) -> dict[str, bytes]:
    """The workbook written with the rows by hand (``fast``) or by openpyxl's ``append`` (the reference)."""
    wb = Workbook(write_only=True)
    for name in ("Första", "Andra"):  # two sheets: the second meets the styles registered by the first
        ws = wb.create_sheet(name)
        writer = xlsx_rows.RowWriter(ws) if fast else None
        if writer is not None:
            from slutrapport.render.xlsx_fast import set_rows

            set_rows(ws, writer.rows, fast=False)
        for row in _rows(ws):
            writer.append(row) if writer is not None else ws.append(row)
    return _parts(workbook_bytes(wb, "Test"))


def test_rows_by_hand_are_the_bytes_openpyxl_appends():
    reference, fast = _book(False), _book(True)
    assert list(fast) == list(reference)
    for name in reference:
        assert fast[name] == reference[name], name


def test_the_comparison_would_see_a_wrong_escape(monkeypatch):
    # the test can fail: a text escaped otherwise than lxml does is seen
    monkeypatch.setattr(xlsx_rows, "_ESCAPES", str.maketrans({"&": "&amp;", "<": "&lt;"}))
    reference, fast = _book(False), _book(True)
    assert any(fast[name] != reference[name] for name in reference)


def _report_blocks() -> list:
    columns = [Column("Fråga"), Column("n", COUNT, "Enkät 1"), Column("Medel", MEAN, "Enkät 1"), Column("Andel", SHARE), Column("Intervall", INTERVAL)]
    rows = [
        ["=cmd|' /C calc'!A0", 12, 3.456, 0.5, (-0.1, 0.2)],
        ["Fråga två", np.int64(7), np.float64(4.0), Hidden("för få svar"), (None, None)],
        ["Fråga tre", 3.0, float("nan"), Typed(0.25, SHARE, "*"), Hidden("för få svar")],
        [" Åsa & <Öberg> ", Typed(4, COUNT, "**"), Typed(float("nan"), MEAN, "*"), None, (0.1, 0.3)],
    ]
    table = Table("Tabell 1", columns, rows, notes=["+ en not som ser ut som en formel"])
    return [Paragraphs(TEXTS[:10]), TextList("@lista", TEXTS[10:16]), Subsection("=rubrik", [table]), table, TextList("Alla texter", TEXTS), Paragraphs(TEXTS)]


def _sheet_writer_book(fast: bool, monkeypatch) -> dict[str, bytes]:
    if not fast:
        monkeypatch.setattr(xlsx_rows.RowWriter, "_fast_row", lambda self, values, number: None)  # openpyxl's writer for every row
        monkeypatch.setattr(xlsx_rows.RowWriter, "text_row", lambda self, value, style: False)  # (a line of text too)
    wb = Workbook(write_only=True)
    writer = SheetWriter(wb.create_sheet("Avsnitt"))
    writer.title("1 Rubrik")
    writer.blocks(_report_blocks())
    return _parts(workbook_bytes(wb, "Test"))


def test_a_section_sheet_by_hand_is_the_one_openpyxl_writes(monkeypatch):
    written = []
    real = xlsx_rows.RowWriter.text_row
    monkeypatch.setattr(xlsx_rows.RowWriter, "text_row", lambda self, value, style: written.append(value) or real(self, value, style))
    fast = _sheet_writer_book(True, monkeypatch)
    assert "Åsa Öberg" in written and "x" * 32766 + "…" in written  # lines of text were written by text_row
    with monkeypatch.context() as patched:
        reference = _sheet_writer_book(False, patched)
    assert fast == reference
