"""Reading the files people have, and one clear report for bad ones."""

from __future__ import annotations

import zipfile
from datetime import datetime

import pytest
from openpyxl import Workbook

from slutrapport.core.errors import InputFileError, ValidationError
from slutrapport.sources.readers import read_raw
from slutrapport.sources.survey import load_instrument, read_waves
from tests.conftest import HEADER, write_csv

ROWS = [
    ["AF", "k1", "Instämmer helt", "4", "2", "Bra"],
    ["AF", "k2", "Instämmer i hög grad", "Vet ej", "1", ""],
    ["Socialtjänsten", "k3", "3", "3", "", ""],
]


def _tidy_values(survey):
    answered = survey.tidy[survey.tidy["status"] == "svar"]
    return sorted(zip(answered["organisation"], answered["fraga"], answered["varde"], strict=True))


@pytest.fixture
def plain(tmp_path):
    return write_csv(tmp_path / "plain.csv", ROWS)


def test_google_forms_csv(tmp_path, mini_instrument, plain):
    path = write_csv(
        tmp_path / "google.csv",
        [["2025/03/12 10:15:32", *row] for row in ROWS],
        header=["Tidstämpel", *HEADER],
    )
    inst = load_instrument(mini_instrument)
    assert read_raw(path).format == "google_forms"
    survey = read_waves([path], inst)
    assert _tidy_values(survey) == _tidy_values(read_waves([plain], inst))
    assert not survey.report.warnings()  # the timestamp column is the tool's own, not an extra column


def test_microsoft_forms_xlsx_with_numbers_as_cells(tmp_path, mini_instrument, plain):
    wb = Workbook()
    ws = wb.active
    ws.append(["ID", "Starttid", "Tid för slutförande", "E-post", "Namn", "Senaste ändringstid", *HEADER])
    for number, row in enumerate(ROWS, start=1):
        cells = [int(v) if v.isdigit() else v for v in row]
        ws.append([number, datetime(2025, 9, 1, 10), datetime(2025, 9, 1, 10, 5), "anonymous", None, None, *cells])
    path = tmp_path / "forms.xlsx"
    wb.save(path)
    inst = load_instrument(mini_instrument)
    assert read_raw(path).format == "microsoft_forms"
    survey = read_waves([path], inst)
    assert _tidy_values(survey) == _tidy_values(read_waves([plain], inst))
    assert "anonymous" not in survey.tidy.to_string()


def test_swedish_excel_csv_cp1252_semicolon(tmp_path, mini_instrument, plain):
    header = ["organisation ", "KOD", "fråga ett.", "Fråga  två", "Fråga tre är negativ", "Övriga synpunkter"]
    rows = [[r[0], r[1], {"Instämmer helt": "5,0", "Instämmer i hög grad": "4"}.get(r[2], r[2]), *r[3:]] for r in ROWS]
    path = write_csv(tmp_path / "excel.csv", rows, header=header, sep=";", encoding="cp1252")
    with path.open("rb") as handle:
        assert "å".encode("cp1252") in handle.read()
    inst = load_instrument(mini_instrument)
    assert _tidy_values(read_waves([path], inst)) == _tidy_values(read_waves([plain], inst))


def test_utf8_bom_and_organisation_spelling_unified(tmp_path, mini_instrument):
    rows = [["Socialtjänsten", "", 4, 4, 2, ""], ["socialtjänsten ", "", 3, 3, 3, ""], ["SOCIALTJÄNSTEN", "", 5, 5, 1, ""]]
    path = write_csv(tmp_path / "bom.csv", rows, encoding="utf-8-sig")
    survey = read_waves([path], load_instrument(mini_instrument))
    assert set(survey.tidy["organisation"]) == {"Socialtjänsten"}


def test_unknown_label_and_value_outside_scale_name_file_row_column_value(tmp_path, mini_instrument):
    rows = [["AF", "", "Instämmer lite", 4, 2, ""], ["AF", "", 4, 7, 2, ""]]
    path = write_csv(tmp_path / "bad.csv", rows)
    with pytest.raises(ValidationError) as info:
        read_waves([path], load_instrument(mini_instrument))
    problems = info.value.report.to_frame()
    errors = problems[problems["allvar"] == "fel"]
    assert errors[["fil", "rad", "kolumn", "varde"]].values.tolist() == [
        ["bad.csv", 2, "Fråga ett", "Instämmer lite"],
        ["bad.csv", 3, "Fråga två", "7"],
    ]
    text = str(info.value)
    assert "fil bad.csv, rad 2, kolumn 'Fråga ett', värde 'Instämmer lite': okänt svar" in text
    assert "värdet 7 ligger utanför skalan 1–5" in text


def test_missing_question_column_suggests_the_closest_heading(tmp_path, mini_instrument):
    header = ["Organisation", "Kod", "Fråga ett", "Fråga 2", "Fråga tre är negativ", "Övriga synpunkter"]
    path = write_csv(tmp_path / "missing.csv", [["AF", "", 4, 4, 2, ""]], header=header)
    with pytest.raises(ValidationError) as info:
        read_waves([path], load_instrument(mini_instrument))
    errors = info.value.report.errors()
    assert len(errors) == 1
    assert errors[0].kontroll == "saknad kolumn"
    assert "frågan q2 ('Fråga två') finns inte i filen; närmast liknande kolumn: 'Fråga 2'" in errors[0].meddelande


def test_every_problem_is_collected_across_files(tmp_path, mini_instrument):
    bad1 = write_csv(tmp_path / "a.csv", [["AF", "", "x", 4, 2, ""]])
    bad2 = write_csv(tmp_path / "b.csv", [["AF", "", 4, "y", 2, ""]])
    empty = tmp_path / "c.csv"
    empty.write_bytes(b"")
    with pytest.raises(ValidationError) as info:
        read_waves([bad1, bad2, empty], load_instrument(mini_instrument))
    assert sorted(p.fil for p in info.value.report.errors()) == ["a.csv", "b.csv", "c.csv"]


def test_column_map_matches_renamed_headings(tmp_path, mini_instrument):
    header = ["Organisation", "Kod", "Q-ett", "Fråga två", "Fråga tre är negativ", "Övriga synpunkter"]
    path = write_csv(tmp_path / "renamed.csv", [["AF", "", 4, 4, 2, ""]], header=header)
    survey = read_waves([path], load_instrument(mini_instrument), column_map={"q-ett": "q1"})
    assert "q1" in set(survey.tidy["fraga"])


@pytest.mark.parametrize(
    "name, content, fragment",
    [
        ("empty.csv", b"", "är tom"),
        ("blank.csv", b"\n\n  \n", "är tom"),
        ("page.xlsx", b"<!DOCTYPE html><html><body>Logga in</body></html>", "ingen Excel-arbetsbok"),
        ("page.csv", b"<!DOCTYPE html><html><body>Logga in</body></html>", "webbsida"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls"),
        ("binary.csv", b"\x00\x01\x02\x03" * 100, "inte vara en textfil"),
    ],
)
def test_files_that_are_not_what_they_claim(tmp_path, name, content, fragment):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputFileError, match=fragment):
        read_raw(path)


def test_zip_that_is_not_xlsx(tmp_path):
    path = tmp_path / "fake.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hej")
    with pytest.raises(InputFileError, match="kunde inte läsas som Excel-arbetsbok"):
        read_raw(path)


def test_input_files_are_never_modified(tmp_path, mini_instrument, plain):
    before = plain.read_bytes(), plain.stat().st_mtime_ns
    read_waves([plain], load_instrument(mini_instrument))
    assert (plain.read_bytes(), plain.stat().st_mtime_ns) == before


def test_labels_must_match_files(plain, mini_instrument):
    with pytest.raises(InputFileError, match="Antalet etiketter"):
        read_waves([plain], load_instrument(mini_instrument), labels=["A", "B"])
    with pytest.raises(InputFileError, match="olika"):
        read_waves([plain, plain], load_instrument(mini_instrument), labels=["A", "A"])


def test_sample_waves_read_without_errors():
    from tests.conftest import SAMPLES

    files = sorted((SAMPLES / "enkater").iterdir())
    formats = [read_raw(f).format for f in files]
    assert formats == ["google_forms", "microsoft_forms", "plain"]
    survey = read_waves(files, load_instrument("samverkan"))
    assert survey.report.valid
    statuses = set(survey.tidy["status"])
    assert {"svar", "saknas", "tomt", "fritext"} <= statuses


def test_nul_byte_deep_in_a_csv_is_reported_with_its_line(tmp_path):
    path = tmp_path / "nul.csv"
    path.write_bytes(("Organisation,Fråga ett\n" + "AF,4\n" * 3000).encode() + b"AF,4\x00\n")
    with pytest.raises(InputFileError, match="NUL\\) på rad 3002"):
        read_raw(path)


def test_xlsx_data_on_a_later_sheet(tmp_path, mini_instrument, plain):
    wb = Workbook()
    wb.active.title = "Tomt"
    data = wb.create_sheet("Svar")
    data.append(HEADER)
    for row in ROWS:
        data.append(row)
    path = tmp_path / "later.xlsx"
    wb.save(path)
    inst = load_instrument(mini_instrument)
    assert _tidy_values(read_waves([path], inst)) == _tidy_values(read_waves([plain], inst))


def test_an_organisation_called_alla_is_renamed_with_a_warning(tmp_path, mini_instrument):
    """An organisation literally named "Alla" must not merge with (or hide behind) the whole group."""
    from slutrapport.analysis.describe import compare_waves

    rows = [["alla", f"k{i}", 4, 4, 2, ""] for i in range(5)] + [["AF", f"a{i}", 2, 2, 4, ""] for i in range(5)]
    path = write_csv(tmp_path / "w1.csv", rows)
    survey = read_waves([path], load_instrument(mini_instrument))
    assert sorted(survey.tidy["organisation"].unique()) == ["AF", "alla (organisation)"]
    warning = [p for p in survey.report.warnings() if p.kontroll == "reserverat gruppnamn"]
    assert len(warning) == 1 and warning[0].varde == "alla" and warning[0].fil == "w1.csv"
    comparison = compare_waves(survey, 5)
    q1 = comparison[(comparison["id"] == "q1")].set_index("grupp")
    assert q1.loc["Alla", "n"] == 10 and q1.loc["alla (organisation)", "medel"] == 4
