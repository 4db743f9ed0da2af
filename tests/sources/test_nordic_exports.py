"""The Nordic survey tools' exports (Netigate, Webropol, Esmaker, Artologik Survey&Report) give the plain twin's tidy table.

The fixtures are written by ``tests/fixtures/exports/generate_nordic.py`` from
the same six respondents as ``plain.csv``; each is read with only the
instrument (no column map, no format), and the format is recognised in the
tools' Swedish and English interfaces.
"""

from __future__ import annotations

import contextlib
import csv
import io
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from slutrapport.core.errors import ValidationError
from slutrapport.sources.readers import detect_format, read_raw
from slutrapport.sources.survey import load_instrument, read_waves
from tests.fixtures.exports import generate as gen
from tests.fixtures.exports import generate_nordic as nordic
from tests.sources.test_readers import EXPORTS, INSTRUMENT, tidy_key

FILES = nordic.FILES


@pytest.fixture(scope="module")
def instrument():
    return load_instrument(INSTRUMENT)


@pytest.fixture(scope="module")
def twin(instrument):
    return tidy_key(read_waves([EXPORTS / "plain.csv"], instrument))


def readable(name: str) -> Path:
    """The fixture's path. Netigate's workbook starts with an information sheet: the answers
    sheet ('Rådata') must be chosen without any option."""
    path = EXPORTS / name
    assert read_raw(path).columns[:1] != [nordic.NETIGATE_INFO]
    return path


def _csv(path: Path, rows: list[list[object]], sep: str = ",", encoding: str = "utf-8") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=sep, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def _answer_rows(people: bool = False) -> list[list[str]]:
    return [
        [*((p[2],) if people else ()), o, k, *map(gen.label, a), f.replace("\n", " ")]
        for p, o, k, a, f in zip(gen.PEOPLE, gen.ORGS, gen.CODES, gen.ANSWERS, gen.FREE, strict=True)
    ]


# --------------------------------------------------------------------------- every fixture


@pytest.mark.parametrize("name", FILES)
def test_fixture_gives_the_same_tidy_table_as_the_plain_twin(name, instrument, twin):
    path = readable(name)
    expected_format, header_row, skipped = FILES[name]
    raw = read_raw(path)
    assert (raw.format, detect_format(path), raw.header_row) == (expected_format, expected_format, header_row)
    survey = read_waves([path], instrument)
    assert tidy_key(survey) == twin
    assert not survey.report.errors() and not survey.report.warnings(), survey.report.to_text()
    titles = [n for n in raw.notes if "titelrad" in n]
    assert len(titles) == (1 if skipped else 0)


@pytest.mark.parametrize("name", FILES)
def test_forced_format_gives_the_same_table(name, instrument, twin):
    path = readable(name)
    expected_format, _, _ = FILES[name]
    assert read_raw(path, format=expected_format).format == expected_format
    assert tidy_key(read_waves([path], instrument, format=expected_format)) == twin


@pytest.mark.parametrize("name", FILES)
def test_tool_columns_are_metadata_and_the_respondent_id_is_known(name):
    raw = read_raw(readable(name))
    assert raw.meta_columns and raw.meta_columns <= set(range(len(raw.columns)))
    assert all(pos not in raw.meta_columns for pos in raw.alternatives)
    assert raw.id_column in raw.meta_columns
    assert raw.columns[raw.id_column] in {"RespondentID", "Respondent ID", "Respondent", "Respondent-ID"}
    ids = raw.data[raw.id_column].tolist()
    assert len(set(ids)) == len(ids) == len(gen.ORGS)
    question_columns = [c for p, c in enumerate(raw.columns) if p not in raw.meta_columns]
    assert not any(word in c.casefold() for c in question_columns for word in ("e-post", "email", "namn", "name", "status"))


@pytest.mark.parametrize("name", FILES)
def test_metadata_never_reaches_the_tidy_table(name, instrument):
    path = readable(name)
    tidy = read_waves([path], instrument).tidy
    text = tidy.astype(str).to_csv(index=False)
    assert not [value for value in gen.SENSITIVE if value in text]
    assert not [str(n) for n in nordic.NETIGATE_IDS if str(n) in text]
    raw = read_raw(path)
    cells = set(tidy.select_dtypes(exclude="number").astype(str).to_numpy().ravel())
    meta_values = {v.strip() for pos in raw.meta_columns for v in raw.data[pos] if len(v.strip()) >= 4}
    assert meta_values and not meta_values & cells


def _plant(source: Path, target: Path) -> int:
    """Copy with the one 'Instämmer inte alls' made unknown; return the row the user sees it on."""
    if source.suffix == ".xlsx":
        workbook = load_workbook(source)
        cells = [c for sheet in workbook.worksheets for row in sheet.iter_rows() for c in row if c.value == gen.PLANTED["label"]]
        assert len(cells) == 1
        cells[0].value = "Instämmer knappt"
        workbook.save(target)
        return cells[0].row
    content = source.read_bytes()
    encoding = "utf-8-sig" if content.startswith(b"\xef\xbb\xbf") else "utf-8" if _utf8(content) else "cp1252"
    text = content.decode(encoding)
    assert text.count(gen.PLANTED["label"]) == 1
    target.write_bytes(text.replace(gen.PLANTED["label"], "Instämmer knappt").encode(encoding))
    return text.count("\n", 0, text.index(gen.PLANTED["label"])) + 1


def _utf8(content: bytes) -> bool:
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@pytest.mark.parametrize("name", FILES)
def test_row_number_of_a_bad_answer_is_the_row_the_user_sees(name, instrument, tmp_path):
    readable(name)
    target = tmp_path / name
    expected = _plant(EXPORTS / name, target)
    _, header_row, _ = FILES[name]
    assert expected == header_row + gen.PLANTED["row"] + 1
    with pytest.raises(ValidationError) as info:
        read_waves([target], instrument)
    errors = info.value.report.errors()
    assert [(p.fil, p.rad, p.kontroll) for p in errors] == [(name, expected, "svarsalternativ")]


def test_input_files_are_never_modified(instrument):
    paths = [EXPORTS / name for name in FILES]
    before = [(p.read_bytes(), p.stat().st_mtime_ns) for p in paths]
    for path in paths:
        read_raw(path)
        with contextlib.suppress(ValidationError):
            read_waves([path], instrument)
    assert [(p.read_bytes(), p.stat().st_mtime_ns) for p in paths] == before


# --------------------------------------------------------------------------- each tool in detail


def test_netigate_answers_sheet_alone(tmp_path, instrument, twin):
    workbook = load_workbook(EXPORTS / "netigate.xlsx")
    assert workbook.sheetnames == ["Information", "Rådata"]
    del workbook["Information"]
    path = tmp_path / "netigate_radata.xlsx"
    workbook.save(path)
    raw = read_raw(path)
    assert (raw.format, raw.header_row, raw.id_column) == ("netigate", 1, 0)
    assert raw.meta_columns == set(range(6))
    pos = raw.columns.index(f"{gen.MATRIX_Q} - {gen.ITEMS[1][1]}")
    assert raw.alternatives[pos] == [gen.ITEMS[1][1]]
    assert raw.data.iloc[0, 0] == str(nordic.NETIGATE_IDS[0])
    survey = read_waves([path], instrument)
    assert tidy_key(survey) == twin and survey.report.valid


def test_webropol_title_rows_and_matrix_heading():
    raw = read_raw(EXPORTS / "webropol.xlsx")
    first = raw.columns.index(f"{gen.MATRIX_Q} [{gen.ITEMS[0][1]}]")
    assert raw.columns[first : first + 5] == [f"{gen.MATRIX_Q} [{t}]" for _, t in gen.ITEMS]
    assert raw.alternatives[first + 2] == [gen.ITEMS[2][1]]
    assert raw.columns[:5] == ["Respondent", "Svarstid", "E-post", gen.ORG_Q, gen.KOD_Q]
    assert raw.notes == [
        "raderna 1–4 ovanför rubrikraden 5 hoppades över (titelrader: 'Samverkan i projektet 2025', 'Antal svar: 6', "
        "'Rapport skapad 2025-04-01 09:00'); är rubrikraden en annan, ange den med --rubrikrad",
        "rad 5 (matrisrubriker) och rad 6 (påståenden) lästes som rubrikrader",
    ]
    assert raw.row_number(0) == 7
    english = read_raw(EXPORTS / "webropol_en.csv")  # the heading repeated over each statement
    assert english.columns[4] == f"{gen.MATRIX_Q} [{gen.ITEMS[0][1]}]"
    assert english.notes[0].startswith("raderna 1–3 ovanför rubrikraden 4 hoppades över (titelrader: 'Staff survey on cooperation 2025', 'Responses: 6')")


def test_esmaker_codes_are_alternatives():
    raw = read_raw(EXPORTS / "esmaker.csv")
    pos = raw.columns.index(gen.ITEMS[3][1])
    assert raw.alternatives[pos] == ["F3_4"]
    assert raw.alternatives[raw.columns.index(gen.ORG_Q)] == ["F1"]
    assert raw.columns[:4] == ["Respondent-ID", "Status", "Svarsdatum", "E-postadress"]
    assert raw.notes == ["rad 1 (frågekoder) och rad 2 (frågetexter) lästes som rubrikrader"]


def test_artologik_numbers_and_statements_are_alternatives():
    raw = read_raw(EXPORTS / "artologik.xlsx")
    pos = raw.columns.index(f"3.2. {gen.ITEMS[1][1]}")
    assert raw.alternatives[pos] == [gen.ITEMS[1][1], "3.2"]
    english = read_raw(EXPORTS / "artologik_en.csv")
    pos = english.columns.index(f"3. {gen.MATRIX_Q} - {gen.ITEMS[1][1]}")
    assert english.alternatives[pos] == [gen.ITEMS[1][1], f"{gen.MATRIX_Q} - {gen.ITEMS[1][1]}"]  # "3" is shared: no alternative
    assert english.alternatives[english.columns.index(f"1. {gen.ORG_Q}")] == [gen.ORG_Q, "1"]


# --------------------------------------------------------------------------- recognised in both interfaces

STAMP = datetime(2025, 3, 12, 10, 15)
STATEMENTS = [t for _, t in gen.ITEMS]


def _layouts() -> dict[str, list[list[object]]]:
    """Small exports in the tools' Swedish and English interfaces: name → rows."""
    rows = _answer_rows()
    ids = [str(500 + i) for i in range(len(rows))]
    stamp = STAMP.strftime("%Y-%m-%d %H:%M")
    matrix = [f"{gen.MATRIX_Q} - {t}" for t in STATEMENTS]
    numbered = [f"3.{n}. {t}" for n, t in enumerate(STATEMENTS, 1)]
    return {
        "netigate_sv": [["Respondent-ID", "Status", "Startdatum", "Slutdatum", "Språk", gen.ORG_Q, gen.KOD_Q, *matrix, gen.FREE_Q]]
        + [[i, "Avslutad", stamp, stamp, "Svenska", *r] for i, r in zip(ids, rows, strict=True)],
        "netigate_en": [["RespondentID", "Status", "Start date", "End date", "Language", gen.ORG_Q, gen.KOD_Q, *matrix, gen.FREE_Q]]
        + [[i, "Completed", stamp, stamp, "English", *r] for i, r in zip(ids, rows, strict=True)],
        "webropol_sv": [["Respondent", "Svarstid", gen.ORG_Q, gen.KOD_Q, gen.MATRIX_Q, "", "", "", "", gen.FREE_Q], ["", "", "", "", *STATEMENTS, ""]]
        + [[i, stamp, *r] for i, r in zip(ids, rows, strict=True)],
        "webropol_en": [["Respondent", gen.ORG_Q, gen.KOD_Q, gen.MATRIX_Q, "", "", "", "", gen.FREE_Q], ["", "", "", *STATEMENTS, ""]]
        + [[i, *r] for i, r in zip(ids, rows, strict=True)],
        "esmaker_sv": [["RespondentID", "F1", "F2", *(f"F3_{n}" for n in range(1, 6)), "F4"], ["Respondent-ID", gen.ORG_Q, gen.KOD_Q, *STATEMENTS, gen.FREE_Q]]
        + [[i, *r] for i, r in zip(ids, rows, strict=True)],
        "esmaker_en": [["RespID", "Q1", "Q2", *(f"Q3_{n}" for n in range(1, 6)), "Q4"], ["Respondent ID", gen.ORG_Q, gen.KOD_Q, *STATEMENTS, gen.FREE_Q]]
        + [[i, *r] for i, r in zip(ids, rows, strict=True)],
        "artologik_sv": [["Respondent", "Inskickad", f"1. {gen.ORG_Q}", f"2. {gen.KOD_Q}", *numbered, f"4. {gen.FREE_Q}"]]
        + [[i, stamp, *r] for i, r in zip(ids, rows, strict=True)],
        "artologik_en": [["Respondent", "Submitted", f"1. {gen.ORG_Q}", f"2. {gen.KOD_Q}", *(f"3. {m}" for m in matrix), f"4. {gen.FREE_Q}"]]
        + [[i, stamp, *r] for i, r in zip(ids, rows, strict=True)],
    }


@pytest.mark.parametrize("name", sorted(_layouts()))
def test_recognised_in_swedish_and_english(name, tmp_path, instrument, twin):
    path = _csv(tmp_path / f"{name}.csv", _layouts()[name], sep=";")
    tool = name.rsplit("_", 1)[0]
    assert detect_format(path) == tool
    raw = read_raw(path)
    assert raw.format == tool and raw.id_column == 0
    survey = read_waves([path], instrument)
    assert tidy_key(survey)[0] == twin[0] and survey.report.valid  # free texts lose their line break here


@pytest.mark.parametrize("name", ["webropol_sv", "webropol_en", "esmaker_sv", "esmaker_en"])
def test_without_the_tools_columns_a_two_row_header_is_read_as_plain(name, tmp_path, instrument, twin):
    rows = _layouts()[name]
    path = _csv(tmp_path / f"{name}.csv", [row[-8:] for row in rows], sep=";")  # the questions only
    raw = read_raw(path)
    assert raw.format == "plain" and not raw.meta_columns
    survey = read_waves([path], instrument)
    assert tidy_key(survey)[0] == twin[0] and survey.report.valid


def test_a_survey_monkey_file_is_not_taken_for_netigate():
    assert detect_format(EXPORTS / "surveymonkey.csv") == "surveymonkey"


def test_numbered_headings_without_the_tools_columns_are_not_artologik(tmp_path):
    rows = [[f"1. {gen.ORG_Q}", f"2. {gen.KOD_Q}", *(f"3.{n}. {t}" for n, t in enumerate(STATEMENTS, 1))]]
    rows += [r[:7] for r in _answer_rows()]
    assert detect_format(_csv(tmp_path / "numbered.csv", rows)) == "plain"


def test_webropol_workbook_with_merged_cells(tmp_path, instrument, twin):
    wb = Workbook()
    ws = wb.active
    ws.append(["Samverkan 2025"])
    ws.append([])
    ws.append(["Respondent", "Svarstid", gen.ORG_Q, gen.KOD_Q, gen.MATRIX_Q, None, None, None, None, gen.FREE_Q])
    ws.append([None, None, None, None, *STATEMENTS, None])
    ws.merge_cells("E3:I3")
    for n, row in enumerate(_answer_rows(), start=1):
        ws.append([n, STAMP, *row])
    path = tmp_path / "webropol.xlsx"
    wb.save(path)
    raw = read_raw(path)
    assert (raw.format, raw.header_row, raw.row_number(0)) == ("webropol", 4, 5)
    survey = read_waves([path], instrument)
    assert tidy_key(survey)[0] == twin[0] and survey.report.valid


def test_the_committed_text_fixtures_are_what_the_script_writes(tmp_path, monkeypatch):
    monkeypatch.setattr(nordic, "HERE", tmp_path)
    monkeypatch.setattr(nordic.base, "HERE", tmp_path)
    nordic.netigate()
    nordic.webropol()
    nordic.esmaker()
    nordic.artologik()
    for name in FILES:
        assert (tmp_path / name).is_file()
        if name.endswith(".csv"):  # a workbook records when it was saved
            assert (tmp_path / name).read_bytes() == (EXPORTS / name).read_bytes(), name
