"""Workbooks read with python-calamine: .xlsx/.xlsm, .ods and .xls, the sheet chosen, cells as text.

.xlsx files are written with openpyxl; .ods and .xls by hand
(:mod:`tests.sources.workbook_files`). No .xlsb can be written here, so only a
damaged one is tried (in ``test_readers``).
"""

from __future__ import annotations

import hashlib
import zipfile
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook

from slutrapport.core.errors import InputFileError
from slutrapport.core.problems import WARNING
from slutrapport.sources.readers import ReadOptions, read_raw
from tests.sources.workbook_files import write_ods, write_ole, write_xls

HEADER = ["Organisation", "Fråga ett", "Fråga två"]
ROWS = [["AF", 4, "Instämmer helt"], ["Socialtjänsten", 2.5, ""], ["Region Örebro", 5, "Vet ej"]]
TEXT_ROWS = [["AF", "4", "Instämmer helt"], ["Socialtjänsten", "2.5", ""], ["Region Örebro", "5", "Vet ej"]]
INFO = [["Om enkäten"], ["Svaren samlades in i mars."]]


def write_xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


WRITERS = {
    "svar.xlsx": write_xlsx,
    "svar.xlsm": write_xlsx,
    "svar.ods": write_ods,
    "svar.xls": write_xls,
    "ods_named.xlsx": write_ods,  # the content decides, not the name
}


@pytest.mark.parametrize("name", WRITERS)
def test_every_workbook_format_gives_the_same_table(tmp_path, name):
    path = WRITERS[name](tmp_path / name, {"Svar": [HEADER, *ROWS]})
    raw = read_raw(path)
    assert raw.columns == HEADER
    assert raw.data.values.tolist() == TEXT_ROWS
    assert (raw.sheet, raw.header_row, raw.row_number(2)) == ("Svar", 1, 4)
    assert raw.digest == hashlib.sha256(path.read_bytes()).hexdigest()
    assert raw.notes == [] and raw.problems == []


def test_cell_values_become_the_text_a_user_would_type(tmp_path):
    values = [5.0, 4.5, 12345678901, True, False]
    values += [datetime(2025, 3, 12, 10, 15, 32), datetime(2025, 3, 12), date(2025, 3, 12), time(9, 30), timedelta(hours=1, minutes=5)]
    path = write_xlsx(tmp_path / "typer.xlsx", {"Blad1": [[f"k{i}" for i in range(len(values))], values]})
    texts = ["5", "4.5", "12345678901", "Sant", "Falskt", "2025-03-12 10:15:32", "2025-03-12", "2025-03-12", "09:30:00", "1:05:00"]
    assert read_raw(path).data.iloc[0].tolist() == texts


def test_ods_and_xls_cell_values(tmp_path):
    ods = write_ods(tmp_path / "typer.ods", {"Blad1": [["a", "b", "c", "d"], [date(2025, 3, 1), True, 3.0, 0.25]]}, repeated_rows=1_000_000)
    assert read_raw(ods).data.values.tolist() == [["2025-03-01", "Sant", "3", "0.25"]]
    xls = write_xls(tmp_path / "typer.xls", {"Blad1": [["a", "b", "c"], [False, 3.0, "Öst"]]})
    assert read_raw(xls).data.values.tolist() == [["Falskt", "3", "Öst"]]


def test_merged_cells_keep_the_value_in_the_top_left_cell(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Organisation", "Fråga ett", "Fråga två"])
    sheet.append(["AF", 4, 5])
    sheet["A3"] = "Soc"
    sheet["B3"] = "Vet ej"
    sheet.merge_cells("B3:C3")
    path = tmp_path / "merged.xlsx"
    workbook.save(path)
    assert read_raw(path).data.values.tolist() == [["AF", "4", "5"], ["Soc", "Vet ej", ""]]


def test_blank_rows_and_columns_around_the_data_keep_excel_row_numbers(tmp_path):
    path = write_ods(tmp_path / "offset.ods", {"Blad1": [[], [], ["", "Organisation", "Fråga ett"], [], ["", "AF", 4]]})
    raw = read_raw(path)
    assert raw.columns == ["", "Organisation", "Fråga ett"]
    assert raw.header_row == 3 and raw.row_number(1) == 5


# --------------------------------------------------------------------------- which sheet


@pytest.fixture
def three_sheets(tmp_path) -> Path:
    return write_xlsx(tmp_path / "blad.xlsx", {"Tom": [], "Information": INFO, "Rådata": [HEADER, *ROWS]})


def test_without_prefer_the_sheet_with_the_answers_is_used_and_the_sheets_are_named(three_sheets):
    # An information sheet holds fewer filled cells than the answers.
    raw = read_raw(three_sheets)
    assert raw.sheet == "Rådata" and raw.columns == HEADER
    assert raw.notes == ["bladet 'Rådata' användes (arbetsboken har bladen: Information, Rådata); välj ett annat med --blad"]


def test_prefer_picks_the_sheet_that_matches_best(three_sheets):
    raw = read_raw(three_sheets, prefer=lambda table: sum(c.startswith("Fråga") for c in table.columns))
    assert raw.sheet == "Rådata" and raw.columns == HEADER
    assert raw.notes == ["bladet 'Rådata' användes (arbetsboken har bladen: Information, Rådata); välj ett annat med --blad"]


def test_prefer_wins_over_the_filled_cells(three_sheets):
    assert read_raw(three_sheets, prefer=lambda table: table.sheet == "Information").sheet == "Information"


def test_equal_sheets_go_to_the_first(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Första"
    book.active.append(["Fråga"])
    book.active.append(["1"])
    second = book.create_sheet("Andra")
    second.append(["Fråga"])
    second.append(["1"])
    book.save(tmp_path / "lika.xlsx")
    assert read_raw(tmp_path / "lika.xlsx", prefer=lambda table: 1.0).sheet == "Första"


@pytest.mark.parametrize("asked", ["Rådata", "  RÅDATA ", "rådata"])
def test_the_sheet_option_picks_a_sheet_ignoring_case_and_spaces(three_sheets, asked):
    raw = read_raw(three_sheets, options=ReadOptions(sheet=asked), prefer=lambda table: -len(table.columns))
    assert raw.sheet == "Rådata" and raw.columns == HEADER
    assert raw.notes == []  # the user chose it


def test_an_unknown_sheet_lists_the_sheets(three_sheets):
    with pytest.raises(InputFileError) as info:
        read_raw(three_sheets, options=ReadOptions(sheet="Svar"))
    assert str(info.value) == "Bladet 'Svar' finns inte i filen blad.xlsx. Arbetsbokens blad: 'Tom', 'Information', 'Rådata'."


def test_an_empty_sheet_asked_for_is_an_error(three_sheets):
    with pytest.raises(InputFileError, match="Bladet 'Tom' i filen blad.xlsx är tomt"):
        read_raw(three_sheets, options=ReadOptions(sheet="tom"))


def test_a_sheet_that_cannot_be_built_is_passed_over(tmp_path):
    path = write_xlsx(tmp_path / "rubrik.xlsx", {"Information": INFO, "Rådata": [["Export"], [], HEADER, *ROWS]})
    raw = read_raw(path, options=ReadOptions(header_row=3))  # the info sheet has no row 3
    assert raw.sheet == "Rådata" and raw.columns == HEADER
    with pytest.raises(InputFileError, match="Rubrikraden 9 finns inte"):
        read_raw(path, options=ReadOptions(header_row=9))


def test_a_workbook_with_one_sheet_has_no_note_and_empty_sheets_are_skipped(tmp_path):
    path = write_ods(tmp_path / "en.ods", {"Tomt": [[""]], "Svar": [HEADER, *ROWS]})
    raw = read_raw(path)
    assert raw.sheet == "Svar" and raw.notes == []


def test_options_that_do_not_apply_are_noted(tmp_path):
    csv = tmp_path / "svar.csv"
    csv.write_text("Organisation,Fråga ett\nAF,4\n", encoding="utf-8")
    assert read_raw(csv, options=ReadOptions(sheet="Svar")).notes == ["--blad 'Svar' användes inte: svar.csv är ingen arbetsbok"]
    xlsx = write_xlsx(tmp_path / "svar.xlsx", {"Svar": [HEADER, *ROWS]})
    assert read_raw(xlsx, options=ReadOptions(encoding="cp1252")).notes == ["--encoding 'cp1252' användes inte: den gäller bara textfiler (CSV)"]


def test_a_workbook_without_any_filled_cell_is_empty(tmp_path):
    path = write_ods(tmp_path / "tom.ods", {"A": [[""]], "B": [[" "]]})
    with pytest.raises(InputFileError, match="Filen tom.ods är tom"):
        read_raw(path)


# --------------------------------------------------------------------------- mojibake in cells


def test_mojibake_in_a_workbook_is_a_warning_at_its_first_cell(tmp_path):
    rows = [HEADER, ["AF", 4, "Bra"], ["Soc", 3, "MÃ¥nga mÃ¶ten"], ["FrÃ¥ga", 2, ""]]
    raw = read_raw(write_xlsx(tmp_path / "fel.xlsx", {"Svar": rows}))
    (problem,) = raw.problems
    assert (problem.fil, problem.rad, problem.kolumn, problem.kontroll, problem.varde, problem.allvar) == (
        "fel.xlsx", 3, "Fråga två", "teckenkodning", "MÃ¥nga mÃ¶ten", WARNING
    )
    assert problem.meddelande == (
        "texten innehåller 'Ã¥' där 'å' väntas: filen har sparats om med fel teckenkodning. "
        "Rätta texten i arbetsboken eller exportera den igen"
    )


# --------------------------------------------------------------------------- damaged and locked


def test_a_password_protected_xls_says_so(tmp_path):
    path = write_xls(tmp_path / "låst.xls", {"Svar": [HEADER]}, encrypted=True)
    with pytest.raises(InputFileError, match="Filen låst.xls är lösenordsskyddad"):
        read_raw(path)


@pytest.mark.parametrize("name", ["låst.xlsx", "låst.xls", "låst.csv"])
def test_an_encrypted_office_file_says_so_whatever_its_name(tmp_path, name):
    path = write_ole(tmp_path / name, {"EncryptionInfo": b"\x04\x00\x04\x00", "EncryptedPackage": b"\x00" * 100})
    with pytest.raises(InputFileError, match=f"Filen {name} är lösenordsskyddad"):
        read_raw(path)


def test_an_xls_that_makes_calamine_panic_gives_a_swedish_error_and_nothing_on_stderr(tmp_path, capfd):
    path = write_xls(tmp_path / "trasig.xls", {"Info": [["Om enkäten"]], "Rådata": [["Organisation", "Fråga ett"], ["AF", 4.0], ["Soc", True]]})
    data = bytearray(path.read_bytes())
    data[1569] ^= 1 << 2  # found by fuzzing: calamine panics (index out of bounds) on this file
    path.write_bytes(bytes(data))
    with pytest.raises(InputFileError, match="Filen trasig.xls är i det gamla Excel-formatet .xls men kunde inte läsas"):
        read_raw(path)
    assert "panicked" not in capfd.readouterr().err


@pytest.mark.parametrize("cut", [0.3, 0.6, 0.9])
def test_truncated_ods_and_xls(tmp_path, cut):
    for name, writer in (("kort.ods", write_ods), ("kort.xls", write_xls)):
        path = writer(tmp_path / name, {"Svar": [HEADER, *ROWS] * 20})
        content = path.read_bytes()
        path.write_bytes(content[: int(len(content) * cut)])
        with pytest.raises(InputFileError, match=name):
            read_raw(path)


def test_a_damaged_ods_part_names_the_format(tmp_path):
    path = tmp_path / "trasig.ods"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content><office:body><office:spreadsheet><table:table")
    with pytest.raises(InputFileError, match="Filen trasig.ods kunde inte läsas som OpenDocument-kalkylblad"):
        read_raw(path)


def test_the_digest_is_the_sha256_of_the_file_for_every_kind(tmp_path):
    from tests.sources.test_readers import write_sav

    csv = tmp_path / "svar.csv"
    csv.write_text("Organisation,Fråga ett\nAF,4\n", encoding="utf-8")
    sav = write_sav(tmp_path / "svar.sav")
    xls = write_xls(tmp_path / "svar.xls", {"Svar": [HEADER, *ROWS]})
    for path in (csv, sav, xls):
        assert read_raw(path).digest == hashlib.sha256(path.read_bytes()).hexdigest()
    assert read_raw(csv).digest != read_raw(xls).digest


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("writer", [write_ods, write_xls], ids=["ods", "xls"])
def test_damaged_ods_and_xls_give_a_result_or_a_swedish_error(tmp_path, writer, seed):
    """Random bit flips (seeded, so the same files every run): never a crash, a traceback or another exception."""
    import random

    rnd = random.Random(seed)
    path = writer(tmp_path / f"skadad.{'ods' if writer is write_ods else 'xls'}", {"Info": INFO, "Svar": [HEADER, *ROWS]})
    data = bytearray(path.read_bytes())
    for _ in range(rnd.randint(1, 6)):
        data[rnd.randrange(len(data))] ^= 1 << rnd.randrange(8)
    path.write_bytes(bytes(data))
    try:
        raw = read_raw(path)
    except InputFileError as exc:
        assert path.name in str(exc)
    else:
        assert all(isinstance(v, str) for v in raw.data.to_numpy().ravel())


def test_error_cells_keep_their_text(tmp_path):
    """calamine gives #N/A and #DIV/0! as blanks; the sheet scan puts the text back, as openpyxl read it."""
    sheet = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:C3"/><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>Organisation</t></is></c><c r="B1" t="inlineStr"><is><t>Fr\xc3\xa5ga ett</t></is></c>'
        b'<c r="C1" t="inlineStr"><is><t>Summa</t></is></c></row>'
        b'<row r="2"><c r="A2" t="inlineStr"><is><t>AF</t></is></c><c r="B2" t="e"/><c r="C2"><v>3</v></c></row>'
        b'<row r="3"><c r="A3" t="inlineStr"><is><t>Soc</t></is></c><c r="B3" s="1" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
        b'<c r="C3" t="e"><v>#N/A</v></c></row>'
        b"</sheetData></worksheet>"
    )
    source = write_xlsx(tmp_path / "källa.xlsx", {"Svar": [["x"]]})
    path = tmp_path / "fel.xlsx"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(path, "w") as target:
        for name in original.namelist():
            target.writestr(name, sheet if name == "xl/worksheets/sheet1.xml" else original.read(name))
    assert read_raw(path).data.values.tolist() == [["AF", "", "3"], ["Soc", "#DIV/0!", "#N/A"]]
