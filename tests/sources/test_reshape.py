"""Long files, several waves in one file, column maps, organisation aliases and duplicate rows."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from slutrapport.cli import cli
from slutrapport.core.errors import InputFileError, ValidationError
from slutrapport.sources.survey import load_instrument, read_waves
from tests.conftest import HEADER, MINI_INSTRUMENT, write_csv

WIDE = {
    "Enkät 1": [["AF", "k1", 5, 4, 2, "Bra"], ["AF", "k2", 4, "Vet ej", 1, ""], ["Soc", "k3", 3, 3, "", ""]],
    "Enkät 2": [["AF", "k1", 4, 4, 2, ""], ["Soc", "k3", 2, 2, 4, "Sämre"]],
}
QUESTIONS = HEADER[2:]


def _values(survey):
    tidy = survey.tidy
    answered = tidy[tidy["status"].isin(["svar", "saknas", "fritext"])]
    return sorted(zip(answered["enkat"].astype(str), answered["organisation"], answered["fraga"], answered["svar"], strict=True))


@pytest.fixture
def instrument(tmp_path):
    path = tmp_path / "mini.yaml"
    path.write_text(MINI_INSTRUMENT, encoding="utf-8")
    return load_instrument(path)


@pytest.fixture
def wide_files(tmp_path):
    return [write_csv(tmp_path / f"w{i}.csv", rows) for i, rows in enumerate(WIDE.values(), start=1)]


def _long_rows(with_wave: bool):
    rows = []
    for wave, people in WIDE.items():
        for number, person in enumerate(people):
            respondent = f"{wave[-1]}-{number}"
            for question, answer in zip(QUESTIONS, person[2:], strict=True):
                if answer == "":
                    continue
                row = [respondent, person[0], person[1], question, answer]
                rows.append(([wave] if with_wave else []) + row)
    return rows


def test_long_file_with_wave_column_equals_the_wide_files(tmp_path, instrument, wide_files):
    header = ["Enkät", "Respondent", "Organisation", "Kod", "Fråga", "Svar"]
    long_file = write_csv(tmp_path / "long.csv", _long_rows(True), header=header)
    survey = read_waves([long_file], instrument)
    assert survey.waves == ["Enkät 1", "Enkät 2"]
    assert _values(survey) == _values(read_waves(wide_files, instrument))


def test_long_file_errors_name_the_long_row(tmp_path, instrument):
    rows = [["r1", "AF", "Fråga ett", "4"], ["r1", "AF", "Fråga två", "kanske"], ["r1", "AF", "Fråga tre är negativ", "2"]]
    path = write_csv(tmp_path / "long.csv", rows, header=["respondent", "organisation", "fråga", "svar"])
    with pytest.raises(ValidationError) as info:
        read_waves([path], instrument)
    error = info.value.report.errors()[0]
    assert (error.fil, error.rad, error.kolumn, error.varde) == ("long.csv", 3, "Fråga två", "kanske")


def test_long_file_duplicate_answer_is_an_error(tmp_path, instrument):
    rows = [["r1", "AF", "Fråga ett", "4"], ["r1", "AF", "Fråga ett", "5"], ["r1", "AF", "Fråga två", "2"], ["r1", "AF", "Fråga tre är negativ", "2"]]
    path = write_csv(tmp_path / "long.csv", rows, header=["respondent", "organisation", "fråga", "svar"])
    with pytest.raises(ValidationError) as info:
        read_waves([path], instrument)
    error = info.value.report.errors()[0]
    assert error.kontroll == "dubblerat svar" and error.rad == 3 and "också rad 2" in error.meddelande


def test_one_wide_file_with_several_waves(tmp_path, instrument, wide_files):
    rows = [[wave, *person] for wave, people in WIDE.items() for person in people]
    path = write_csv(tmp_path / "all.csv", rows, header=["Mätning", *HEADER])
    survey = read_waves([path], instrument, wave_column="Mätning")
    assert survey.waves == ["Enkät 1", "Enkät 2"]
    assert _values(survey) == _values(read_waves(wide_files, instrument))
    # labels decide the order, and must name every wave in the file
    assert read_waves([path], instrument, labels=["Enkät 2", "Enkät 1"], wave_column="Mätning").waves == ["Enkät 2", "Enkät 1"]
    with pytest.raises(InputFileError, match="Enkät 2 saknas bland etiketterna"):
        read_waves([path], instrument, labels=["Enkät 1"], wave_column="Mätning")
    with pytest.raises(ValidationError, match="enkätkolumnen 'Omgång' finns inte"):
        read_waves([path], instrument, wave_column="Omgång")


def test_numeric_wave_values_become_labels(tmp_path, instrument):
    rows = [["2", *WIDE["Enkät 2"][0]], ["10", *WIDE["Enkät 1"][0]], ["2", *WIDE["Enkät 2"][1]], ["10", *WIDE["Enkät 1"][1]]]
    path = write_csv(tmp_path / "all.csv", rows, header=["Enkät", *HEADER])
    assert read_waves([path], instrument, wave_column="enkät").waves == ["Enkät 2", "Enkät 10"]


def test_organisation_aliases_from_the_instrument(tmp_path):
    path = tmp_path / "alias.yaml"
    path.write_text(MINI_INSTRUMENT + "organisationer:\n  Arbetsförmedlingen: [AF, Af Storsjö]\n", encoding="utf-8")
    rows = [["AF", "", 4, 4, 2, ""], ["af storsjö", "", 3, 3, 3, ""], ["Arbetsförmedlingen", "", 5, 5, 1, ""]]
    survey = read_waves([write_csv(tmp_path / "w.csv", rows)], load_instrument(path))
    assert set(survey.tidy["organisation"]) == {"Arbetsförmedlingen"}


def test_identical_rows_with_timestamp_warn(tmp_path, instrument):
    row = ["2025-03-01 10:00:00", "AF", "k1", 4, 4, 2, ""]
    path = write_csv(tmp_path / "g.csv", [row, row, ["2025-03-01 11:00:00", "AF", "k2", 3, 3, 3, ""]], header=["Tidstämpel", *HEADER])
    survey = read_waves([path], instrument)
    kinds = [p.kontroll for p in survey.report.warnings()]
    assert "dubblerad rad" in kinds and "dubblerad kod" in kinds


def _run(*args):
    return CliRunner().invoke(cli, list(args))


def test_validate_command_text_json_and_exit_codes(tmp_path, mini_instrument):
    good = write_csv(tmp_path / "good.csv", [["AF", "", 4, 4, 2, ""], ["", "", 3, 3, 3, ""]])
    result = _run("validate", str(good), "--instrument", str(mini_instrument))
    assert result.exit_code == 0
    assert "varning" in result.output and "tom organisation" in result.output
    bad = write_csv(tmp_path / "bad.csv", [["AF", "", "mycket", 4, 2, ""]])
    result = _run("validate", str(bad), str(good), "--instrument", str(mini_instrument), "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["valid"] is False and data["fel"] == 1
    assert data["problem"][0] | {} == {
        "fil": "bad.csv", "rad": 2, "kolumn": "Fråga ett", "kontroll": "svarsalternativ", "varde": "mycket",
        "meddelande": data["problem"][0]["meddelande"], "allvar": "fel",
    }
    result = _run("validate", str(bad))
    assert result.exit_code == 1 and "--instrument" in result.output


def test_validate_a_project_folder(tmp_path):
    from tests.conftest import SAMPLES

    result = _run("validate", str(SAMPLES))
    assert result.exit_code == 0 and "Svarsdatum" in result.output


def test_map_file_yaml_and_csv(tmp_path, mini_instrument):
    header = ["Organisation", "Kod", "F1", "F2", "Fråga tre är negativ", "Övriga synpunkter"]
    wave = write_csv(tmp_path / "w.csv", [["AF", "", 4, 4, 2, ""]] * 5, header=header)
    yaml_map = tmp_path / "map.yaml"
    yaml_map.write_text('F1: q1\n"F2": q2\n', encoding="utf-8")
    csv_map = tmp_path / "map.csv"
    csv_map.write_text("kolumn;fråga\nF1;q1\nF2;q2\n", encoding="utf-8")
    assert _run("compare", "--instrument", str(mini_instrument), str(wave), "--out", str(tmp_path / "a")).exit_code == 1
    for mapping, out in ((yaml_map, "b"), (csv_map, "c")):
        result = _run("compare", "--instrument", str(mini_instrument), str(wave), "--map", str(mapping), "--out", str(tmp_path / out))
        assert result.exit_code == 0, result.output
    bad_map = tmp_path / "bad.yaml"
    bad_map.write_text("F1: q99\n", encoding="utf-8")
    result = _run("compare", "--instrument", str(mini_instrument), str(wave), "--map", str(bad_map))
    assert result.exit_code == 1 and "q99" in result.output


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [
        ("bad.yaml", "# rubrik: fråga\nkolumner:\n  F1: q1\n  F2: q99\n", 4),
        ("bad.yml", 'F1: q1\n\n"F2": q99\n', 3),
        ("bad.csv", "kolumn;fråga\nF1;q1\n\nF2;q99\n", 4),
    ],
)
def test_a_heading_mapped_to_an_unknown_question_names_the_mapping_file_and_line(tmp_path, mini_instrument, name, text, line):
    header = ["Organisation", "Kod", "F1", "F2", "Fråga tre är negativ", "Övriga synpunkter"]
    wave = write_csv(tmp_path / "w.csv", [["AF", "", 4, 4, 2, ""]] * 5, header=header)
    mapping = tmp_path / name
    mapping.write_text(text, encoding="utf-8")
    for command in ("validate", "compare"):
        args = [command, "--instrument", str(mini_instrument), str(wave), "--map", str(mapping)]
        result = _run(*args, *(["--out", str(tmp_path / "ut")] if command == "compare" else []))
        assert result.exit_code == 1, result.output
        assert f"Kolumnmappningen {mapping}, rad {line}: kolumnen 'F2' pekar på 'q99'" in result.output, result.output


def test_a_heading_of_projekt_yaml_mapped_to_an_unknown_question_names_its_line(tmp_path, mini_instrument):
    root = tmp_path / "projekt"
    root.mkdir()
    write_csv(root / "w.csv", [["AF", f"k{i}", 4, 4, 2, ""] for i in range(5)])
    (root / "mini.yaml").write_text(MINI_INSTRUMENT, encoding="utf-8")
    (root / "projekt.yaml").write_text(
        "projekt:\n  namn: Test\npersonalenkat:\n  instrument: mini.yaml\n  kolumner:\n    Kod: kod\n    Fråga ett: q99\n"
        "  enkater:\n    - fil: w.csv\n",
        encoding="utf-8",
    )
    result = _run("validate", str(root), "--json")
    assert result.exit_code == 1, result.output
    (row,) = [p for p in json.loads(result.stdout)["problem"] if p["allvar"] == "fel"]
    assert (row["fil"], row["rad"], row["kontroll"]) == ("projekt.yaml", 7, "projektfilen")
    assert f"{root / 'projekt.yaml'} (personalenkat: kolumner:), rad 7: kolumnen 'Fråga ett' pekar på 'q99'" in row["meddelande"]


def test_compare_prints_warnings_on_stderr(tmp_path, mini_instrument):
    rows = [["AF", "", 4, 4, 2, ""]] * 5 + [["", "", 3, 3, 3, ""]]
    wave = write_csv(tmp_path / "w.csv", rows)
    result = CliRunner().invoke(cli, ["compare", "--instrument", str(mini_instrument), str(wave), "--out", str(tmp_path / "o")])
    assert result.exit_code == 0
    assert "varning(ar) vid inläsningen" in result.stderr and "inte angett organisation" in result.stderr
    assert "varning" not in result.stdout
