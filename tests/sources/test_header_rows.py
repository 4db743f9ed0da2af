"""Where the header is: title rows above it are skipped, and a second header row is read, conservatively.

A file whose first row is its header must read exactly as before; a file with
the survey's name, "Antal svar: 29" and blank rows above the header must give
the same answers as its plain twin, with the Excel row numbers kept and a note
saying what was skipped. Question codes above question texts, and a matrix
heading above its statements, are read from plain files too; a first
respondent is never taken for a header row.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from slutrapport.core.errors import InputFileError
from slutrapport.sources.readers import ReadOptions, read_raw
from slutrapport.sources.readers.header import MAX_TITLE_ROWS, locate
from slutrapport.sources.readers.tabular import Sheet
from slutrapport.sources.readers.two_row import CODES, MATRIX, two_row_header
from slutrapport.sources.survey import load_instrument, read_waves
from tests.fixtures.exports import generate as gen
from tests.sources.test_readers import EXPORTS, FIXTURES, INSTRUMENT, tidy_key

HEADER = [gen.ORG_Q, gen.KOD_Q, *(t for _, t in gen.ITEMS), gen.FREE_Q]
STATEMENTS = [t for _, t in gen.ITEMS]


@pytest.fixture(scope="module")
def instrument():
    return load_instrument(INSTRUMENT)


@pytest.fixture(scope="module")
def twin(instrument):
    return tidy_key(read_waves([EXPORTS / "plain.csv"], instrument))


def rows() -> list[list[str]]:
    """The six respondents as label rows (free text on one line)."""
    return [[o, k, *map(gen.label, a), f.replace("\n", " ")] for o, k, a, f in zip(gen.ORGS, gen.CODES, gen.ANSWERS, gen.FREE, strict=True)]


def write(path: Path, table: list[list[object]], sep: str = ",") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=sep, lineterminator="\r\n").writerows(table)
    path.write_bytes(buffer.getvalue().encode("utf-8"))
    return path


def sheet_of(table: list[list[str]]) -> Sheet:
    width = max(map(len, table))
    frame = pd.DataFrame([r + [""] * (width - len(r)) for r in table], dtype=str)
    return Sheet(path=Path("test.csv"), frame=frame, first_row=1, kind="csv")


def same_answers(path: Path, instrument, twin) -> None:
    survey = read_waves([path], instrument)
    assert tidy_key(survey)[0] == twin[0]  # the free texts are on one line here
    assert survey.report.valid and not survey.report.warnings(), survey.report.to_text()


# --------------------------------------------------------------------------- title rows


@pytest.mark.parametrize("name", [n for n in FIXTURES if n != "survey.sav"])
def test_a_file_whose_first_row_is_the_header_is_not_changed(name):
    raw = read_raw(EXPORTS / name)
    assert raw.header_row == FIXTURES[name][1]
    assert not [n for n in raw.notes if "hoppades över" in n or "rubrikrader" in n]


def test_title_rows_above_the_header_of_a_csv_are_skipped(tmp_path, instrument, twin):
    width = len(HEADER)
    titles = [["Medarbetarenkät om samverkan 2026", *[""] * (width - 1)], ["Rapport skapad 2026-03-01", *[""] * (width - 1)],
              ["Antal svar:", "29", *[""] * (width - 2)], [""] * width]  # fmt: skip
    path = write(tmp_path / "titled.csv", [*titles, HEADER, *rows()], sep=";")
    raw = read_raw(path)
    assert raw.columns == HEADER and raw.format == "plain"
    assert raw.header_row == 5 and raw.row_number(0) == 6
    assert raw.notes == [
        "raderna 1–4 ovanför rubrikraden 5 hoppades över (titelrader: 'Medarbetarenkät om samverkan 2026', "
        "'Rapport skapad 2026-03-01', 'Antal svar:' …); är rubrikraden en annan, ange den med --rubrikrad"
    ]
    same_answers(path, instrument, twin)


def test_title_rows_above_the_header_of_a_workbook_keep_excel_row_numbers(tmp_path, instrument, twin):
    wb = Workbook()
    ws = wb.active
    ws["B2"] = "Svar: 29"  # the first row is blank: the sheet starts on row 2
    ws.append([])
    ws.append(HEADER)
    for row in rows():
        ws.append([v or None for v in row])
    path = tmp_path / "titled.xlsx"
    wb.save(path)
    raw = read_raw(path)
    assert raw.columns == HEADER
    assert (raw.header_row, raw.row_number(2)) == (4, 7)
    assert raw.notes[0].startswith("raderna 2–3 ovanför rubrikraden 4 hoppades över (titelrader: 'Svar: 29')")
    same_answers(path, instrument, twin)


def test_one_title_row(tmp_path):
    path = write(tmp_path / "one.csv", [["Enkät 2026"], ["Organisation", "Fråga ett", "Fråga två"], ["AF", "4", "5"]])
    raw = read_raw(path)
    assert raw.columns == ["Organisation", "Fråga ett", "Fråga två"] and raw.header_row == 2
    assert raw.notes[0].startswith("rad 1 ovanför rubrikraden 2 hoppades över (titelrad: 'Enkät 2026')")


def test_the_users_header_row_wins(tmp_path):
    width = len(HEADER)
    path = write(tmp_path / "titled.csv", [["Enkät 2026", *[""] * (width - 1)], HEADER, *rows()])
    raw = read_raw(path, options=ReadOptions(header_row=3))  # the user says row 3 (a respondent) is the header
    assert raw.header_row == 3 and raw.columns[0] == gen.ORGS[0]
    assert raw.notes == ["raderna 1–2 ovanför rubrikraden 3 hoppades över"]
    assert read_raw(path, options=ReadOptions(header_row=1)).columns[0] == "Enkät 2026"
    with pytest.raises(InputFileError, match="Rubrikraden 40 finns inte i titled.csv"):
        read_raw(path, options=ReadOptions(header_row=40))


@pytest.mark.parametrize(
    "table",
    [
        [["Organisation", "Fråga ett"], ["AF", "4", "extra"], ["Soc"]],  # two headings, one ragged row
        [["Organisation", "Fråga ett"], ["AF", "4"], ["Soc", "5"]],  # a two-column file
        [["Organisation"], ["AF"]],
        [["Enkät", "2026", "Svar: 29"], ["Organisation", "Fråga ett", "Fråga två", "Fråga tre"], ["AF", "4", "5", "3"]],  # three title cells
        [["Enkät", "Svar: 29"], ["Organisation", "Fråga ett", "Fråga två", "Fråga tre"], ["AF", "4", "5", "3"]],  # not twice as wide
        [["Organisation", "Kod"], ["AF", "ab12", "4", "5", "3"], ["Soc", "cd34", "5", "2", "1"]],  # headings missing: data below
        [["Organisation", "Kod"], ["AF", "ab12", "Bra", "Bra", "Dåligt"], ["Soc", "cd34", "Bra", "Dåligt", "Bra"]],  # repeated labels
        [["Enkät"], ["Organisation", "Fråga ett", "Fråga två"], *[["AF", "4", "5", "3", "2", "1", "4", "5"]] * 3],  # far narrower than the data
        [*[["Titel"]] * (MAX_TITLE_ROWS + 1), ["Organisation", "Fråga ett", "Fråga två"], ["AF", "4", "5"]],  # too many title rows
    ],
)
def test_no_rows_are_skipped_unless_they_are_clearly_titles(table):
    sheet = sheet_of(table)
    located, notes = locate(sheet)
    assert located is sheet and notes == []


def test_many_title_rows_up_to_the_limit():
    table = [*[["Titel"]] * MAX_TITLE_ROWS, ["Organisation", "Fråga ett", "Fråga två"], ["AF", "4", "5"]]
    located, notes = locate(sheet_of(table))
    assert located.first_row == MAX_TITLE_ROWS + 1 and located.cells(0)[0] == "Organisation"
    assert notes[0].startswith(f"raderna 1–{MAX_TITLE_ROWS} ovanför rubrikraden {MAX_TITLE_ROWS + 1}") and notes[0].count("'Titel'") == 3


# --------------------------------------------------------------------------- codes above texts


def test_question_codes_above_question_texts(tmp_path, instrument, twin):
    codes = ["F1", "F2", *(f"F3_{i}" for i in range(1, 6)), "F4"]
    path = write(tmp_path / "codes.csv", [codes, HEADER, *rows()], sep=";")
    raw = read_raw(path)
    assert raw.format == "plain" and raw.columns == HEADER and raw.header_row == 2
    assert raw.alternatives[2] == ["F3_1"] and raw.alternatives[0] == ["F1"]
    assert raw.notes == ["rad 1 (frågekoder) och rad 2 (frågetexter) lästes som rubrikrader"]
    same_answers(path, instrument, twin)


def test_codes_match_the_instruments_question_ids(tmp_path, instrument, twin):
    codes = ["organisation", "kod", *(q for q, _ in gen.ITEMS), "f01"]
    texts = ["Organisation", "Personlig kod", *(f"Påstående nummer {i}" for i in range(1, 6)), "Synpunkter i fritext"]
    path = write(tmp_path / "ids.csv", [codes, texts, *rows()])
    raw = read_raw(path)
    assert raw.header_row == 2 and raw.alternatives[2] == ["q01"]
    same_answers(path, instrument, twin)


@pytest.mark.parametrize(
    "second",
    [
        ["Arbetsförmedlingen", "ab12", "Instämmer helt", "Instämmer i hög grad", "Instämmer i liten grad"],  # a respondent: labels recur below
        ["Socialtjänsten", "cd34", "4", "3", "5"],  # numbers
        ["Arbetsförmedlingen", "2026-03-01", "Bra", "Dåligt", "Bra"],  # a date, a repeated answer
    ],
)
def test_code_headings_above_a_respondent_are_one_header_row(second):
    data = [["Arbetsförmedlingen", "ef56", "Instämmer helt", "Instämmer delvis", "Instämmer i hög grad"],
            ["Socialtjänsten", "gh78", "Instämmer i liten grad", "Instämmer helt", "Bra"]]  # fmt: skip
    sheet = sheet_of([["F1", "F2", "F3_1", "F3_2", "F3_3"], second, *data])
    assert two_row_header(sheet) is None


def test_a_free_text_survey_with_codes_keeps_its_first_respondent():
    first = ["Bra möten men för få", "Mer tid behövs nu", "Tydligare ansvar"]
    sheet = sheet_of([["F1", "F2", "F3"], first, ["Fungerar bra idag", "Vi behöver en väg in", "Tack för allt"]])
    assert two_row_header(sheet) is None  # free texts never recur: nothing tells texts from a respondent


def test_short_headings_without_digits_are_not_codes():
    sheet = sheet_of([["Org", "Kod", "Svar"], ["Vilken organisation?", "Din personliga kod", "Hur nöjd är du?"], ["AF", "ab12", "4"]])
    assert two_row_header(sheet) is None


# --------------------------------------------------------------------------- matrix headings above statements


def matrix_table() -> list[list[str]]:
    top = [gen.ORG_Q, gen.KOD_Q, gen.MATRIX_Q, "", "", "", "", gen.FREE_Q]
    sub = ["", "", *STATEMENTS, ""]
    return [top, sub, *rows()]


def test_matrix_heading_above_statements_in_a_plain_csv(tmp_path, instrument, twin):
    path = write(tmp_path / "matrix.csv", matrix_table())
    raw = read_raw(path)
    assert raw.columns[2:7] == [f"{gen.MATRIX_Q} [{t}]" for t in STATEMENTS]
    assert raw.alternatives[3] == [STATEMENTS[1]] and raw.header_row == 2
    assert raw.notes == ["rad 1 (matrisrubriker) och rad 2 (påståenden) lästes som rubrikrader"]
    same_answers(path, instrument, twin)


def test_merged_matrix_heading_in_a_workbook_below_title_rows(tmp_path, instrument, twin):
    wb = Workbook()
    ws = wb.active
    ws.append(["Medarbetarenkät 2026"])
    ws.append(["Antal svar: 6"])
    table = matrix_table()
    ws.append([v or None for v in table[0]])
    ws.append([v or None for v in table[1]])
    ws.merge_cells("C3:G3")
    ws.merge_cells("A3:A4")
    for row in table[2:]:
        ws.append([v or None for v in row])
    path = tmp_path / "matrix.xlsx"
    wb.save(path)
    raw = read_raw(path)
    assert (raw.header_row, raw.row_number(0)) == (4, 5)
    assert raw.columns[6] == f"{gen.MATRIX_Q} [{STATEMENTS[4]}]"
    assert raw.notes[0].startswith("raderna 1–2 ovanför rubrikraden 3 hoppades över")
    same_answers(path, instrument, twin)


def test_a_sparse_matrix_heading_row_is_not_taken_for_a_title():
    """Two filled cells above the statements: the row holds headings, not a title."""
    top = [gen.ORG_Q, gen.MATRIX_Q, "", "", "", ""]
    sub = ["", *STATEMENTS]
    data = [[r[0], *r[2:7]] for r in rows()]
    located, notes = locate(sheet_of([["Enkät 2026"], top, sub, *data]))
    assert located.first_row == 2 and located.cells(0) == top
    assert notes[0].startswith("rad 1 ovanför rubrikraden 2")
    assert two_row_header(located).kind == MATRIX


def test_heading_repeated_over_each_statement():
    top = [gen.ORG_Q, *[gen.MATRIX_Q] * 5]
    sub = ["", *STATEMENTS]
    two = two_row_header(sheet_of([top, sub, *[[r[0], *r[2:7]] for r in rows()]]))
    assert two.kind == MATRIX and two.columns[1] == f"{gen.MATRIX_Q} [{STATEMENTS[0]}]"


@pytest.mark.parametrize(
    "table",
    [
        [["Organisation", "", "", ""], ["AF", "4", "5", "3"], ["Soc", "5", "4", "2"]],  # blank headings over a respondent
        [["Organisation", "Fråga", "", ""], ["AF", "Bra", "Dåligt", "Bra"], ["Soc", "Bra", "Bra", "Dåligt"]],  # answers recur
        [["Enkät 2026", "", "", ""], ["Organisation", "Fråga ett", "Fråga två", "Fråga tre"], ["AF", "4", "5", "3"]],  # a title over all
        [["Organisation", "Fråga", "", ""], ["AF", "Instämmer helt", "Vet ej", "Bra möten"], ["Soc", "4", "5", "3"]],  # data under a single
        [["Organisation", "Fråga"], ["", "Bra"], ["AF", "4"]],  # no group
        [["Fråga", "", ""], ["Lön", "Arbetstid", "Lön"], ["4", "5", "3"]],  # statements alike
    ],
)
def test_not_a_matrix_header(table):
    assert two_row_header(sheet_of(table)) is None


def test_a_header_only_file_is_read_as_one_row(tmp_path):
    sheet = sheet_of([["F1", "F2", "F3"], ["Vilken organisation?", "Din kod", "Hur nöjd är du?"]])
    assert two_row_header(sheet) is None
    assert locate(sheet_of([["Enkät"], ["A", "B", "C"]]))[0].first_row == 2


def test_codes_layout_is_named():
    sheet = sheet_of([["F1", "F2", "F3"], ["Vilken organisation?", "Din personliga kod", "Hur nöjd är du?"], ["AF", "ab12", "4"]])
    two = two_row_header(sheet)
    assert two.kind == CODES and two.columns == ["Vilken organisation?", "Din personliga kod", "Hur nöjd är du?"]
    assert two.alternatives == {0: ["F1"], 1: ["F2"], 2: ["F3"]}


@pytest.mark.parametrize("blank", [0, 1, 7, 8, 9, 39, 40, 41, 200])
def test_blank_rows_above_the_header_are_left_out_however_many(tmp_path, blank):
    from slutrapport.sources.readers.sheet import trimmed

    rows = [["", " ", ""]] * blank + [["Organisation", "Fråga 1", ""], ["AF", "4", ""]]
    sheet = trimmed(tmp_path / "fil.csv", pd.DataFrame(rows, dtype=object), "csv")
    assert sheet.first_row == blank + 1 and sheet.frame.iloc[0].tolist() == ["Organisation", "Fråga 1"]


def test_a_sheet_of_blank_rows_only_is_empty(tmp_path):
    from slutrapport.sources.readers.sheet import trimmed

    with pytest.raises(InputFileError, match="är tom"):
        trimmed(tmp_path / "fil.csv", pd.DataFrame([["", " "]] * 50, dtype=object), "csv")
