"""Fuzz class 2: survey workbooks (.xlsx) with cells of odd types.

The demo's Microsoft Forms workbook, and the first wave of the all-question-types
sample saved as a workbook, get cells set to huge or tiny numbers, dates, times,
durations, booleans, formulas (``=1+1``, no cached value), error texts, Excel's
``_x000B_`` escapes of control characters, long strings; blank rows inserted,
number formats that show an answer as a date, merged cells, hidden rows, and
other sheets before the answers. ``slutrapport validate FILE --instrument …
--json`` must end in 0 or 1 with the file unchanged, and when it accepts the
file every respondent of the clean workbook (every row below the heading) is
counted (has an answer the results count) or named in a problem, by the row the
mutated workbook has it on.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from slutrapport.core.text import normalise
from slutrapport.sources.survey import load_instrument, read_waves
from slutrapport.sources.survey.instrument import FREETEXT
from tests.fuzz.support import budget, counted_rows, named_rows, validated_survey


@dataclass(frozen=True)
class Book:
    name: str
    instrument: str


BOOKS = [Book("enkat2_microsoft_forms.xlsx", "samverkan"), Book("blandad1.xlsx", "blandad.yaml")]

VALUES = [
    10**30, -(10**30), 2**63, 1e308, -1e308, 5e-324, 0.1 + 0.2, 4.0, 4, 0, -1, 3.5, True, False,
    dt.datetime(2025, 2, 28, 23, 59, 59), dt.date(1900, 1, 1), dt.time(12, 0), dt.timedelta(days=4),
    "=1+1", "=A1", "=1/0", '=HYPERLINK("http://x","4")', "#DIV/0!", "#N/A", "_x000B_", "_x0000_", "a_x000D_b",
    "x" * 32_767, "Ö" * 1000, " 4 ", "4,0", "$x$", "<script>alert(1)</script>", "", None, "\n", "\t", " ",
    "Vet ej", "Instämmer helt", "Ja", "Nej", "1e400", "NaN", "inf",
]  # fmt: skip
NUMBER_FORMATS = ["yyyy-mm-dd", "0.00%", "@", "[h]:mm", '"Svar "0', "0.0E+00", ";;;"]


class Clean(dict):
    """Every sample workbook's bytes, respondents and lenient columns by name (a short repr for Hypothesis)."""

    def __repr__(self) -> str:
        return f"Clean({', '.join(self)})"


def _workbook_from_csv(source: Path, target: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in csv.reader(io.StringIO(source.read_text(encoding="utf-8"), newline="")):
        sheet.append([int(v) if v.isdigit() else v for v in row])
    workbook.save(target)


def _instrument(samples: Path, book: Book) -> str:
    return str(samples / book.instrument) if book.instrument.endswith(".yaml") else book.instrument


@pytest.fixture(scope="module")
def clean(samples, tmp_path_factory) -> Clean:
    folder = tmp_path_factory.mktemp("xlsx-clean")
    _workbook_from_csv(samples / "blandad" / "enkat1.csv", folder / "blandad1.xlsx")
    (folder / BOOKS[0].name).write_bytes((samples / "enkater" / BOOKS[0].name).read_bytes())
    found = Clean()
    for book in BOOKS:
        path = folder / book.name
        instrument = load_instrument(_instrument(samples, book))
        data = read_waves([path], instrument)
        named, _ = named_rows([p.__dict__ for p in data.report.problems], path.name)
        sheet = openpyxl.load_workbook(path, read_only=True).active
        respondents = set(range(2, sheet.max_row + 1))  # every row below the heading is a respondent of the demo
        missing = respondents - counted_rows(data) - named
        assert not missing, f"the clean {book.name} leaves rows {sorted(missing)} unaccounted for"
        headings = [c.value for c in sheet[1]]
        closed = {normalise(q.text) for q in instrument.questions if q.kind != FREETEXT}
        lenient = [n for n, heading in enumerate(headings) if normalise(str(heading or "")) not in closed]
        found[book.name] = (path.read_bytes(), respondents, lenient)
    return found


@st.composite
def mutations(draw):
    book = draw(st.sampled_from(BOOKS))
    cell = st.tuples(st.integers(0, 10_000), st.integers(0, 10_000), st.booleans())
    edits = draw(st.lists(st.tuples(cell, st.sampled_from(VALUES) | st.integers() | st.floats(allow_nan=False, allow_infinity=False)), max_size=6))
    formats = draw(st.lists(st.tuples(cell, st.sampled_from(NUMBER_FORMATS)), max_size=2))
    blank_rows = draw(st.lists(st.integers(0, 10_000), max_size=3))
    merges = draw(st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 10_000)), max_size=2))
    hidden = draw(st.lists(st.integers(0, 10_000), max_size=2))
    sheets = draw(st.lists(st.sampled_from(["tomt", "skräp", "kopia av rubriker"]), max_size=2))
    return book, edits, formats, blank_rows, merges, hidden, sheets


def _mutate(content: bytes, lenient: list[int], mutation, target: Path) -> dict[int, int]:
    """Write the mutated workbook to ``target``; return where each clean row ended up."""
    _, edits, formats, blank_rows, merges, hidden, sheets = mutation
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook.active
    rows, columns = sheet.max_row, sheet.max_column

    def place(row: int, column: int, gentle: bool) -> tuple[int, int]:
        return 2 + row % (rows - 1), 1 + (lenient[column % len(lenient)] if gentle else column % columns)

    for (row, column, gentle), value in edits:
        sheet.cell(*place(row, column, gentle)).value = value
    for (row, column, gentle), number_format in formats:
        sheet.cell(*place(row, column, gentle)).number_format = number_format
    for row, column in merges:  # two cells of a data row merged: the second one's value is dropped
        at_row, at_column = place(row, column, False)
        at_column = min(at_column, columns - 1)
        sheet.merge_cells(start_row=at_row, start_column=at_column, end_row=at_row, end_column=at_column + 1)
    for row in hidden:
        sheet.row_dimensions[2 + row % (rows - 1)].hidden = True
    where = {number: number for number in range(1, rows + 1)}
    for at in sorted((2 + b % rows for b in blank_rows), reverse=True):
        sheet.insert_rows(at)
        where = {clean: (now + 1 if now >= at else now) for clean, now in where.items()}
    for position, kind in enumerate(sheets):
        extra = workbook.create_sheet(f"Blad{position}", index=0)
        if kind == "skräp":
            extra.append(["Rapport", dt.date(2025, 1, 1), 1e308, True])
        elif kind == "kopia av rubriker":
            extra.append([c.value for c in sheet[1]][:5])
    workbook.save(target)
    return where


@budget(12)
@given(mutation=mutations())
def test_mutated_workbook_is_read_or_refused_and_every_respondent_is_accounted_for(samples, clean, tmp_path_factory, mutation):
    book = mutation[0]
    content, respondents, lenient = clean[book.name]
    path = tmp_path_factory.mktemp("xlsx") / book.name
    where = _mutate(content, lenient, mutation, path)
    report, accepted = validated_survey(path, _instrument(samples, book), samples)
    if accepted is not None:
        counted, named, unnamed = accepted
        missing = {where[r] for r in respondents} - counted - named
        assert len(missing) <= unnamed, f"respondents on rows {sorted(missing)} are neither counted nor named: {report['problem']}"
