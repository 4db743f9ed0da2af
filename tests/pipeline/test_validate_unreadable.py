"""``validate PROJEKTMAPP``: a data file that cannot be read at all is one problem row, and every other source is still validated."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from slutrapport.cli import cli
from slutrapport.pipeline import validate_source
from slutrapport.pipeline.validate import UNREADABLE
from tests.conftest import MINI_INSTRUMENT, SAMPLES, write_csv

HEAD = "projekt:\n  namn: Testprojekt\n  period: {start: 2025-01-01, slut: 2026-06-30}\n"
SOURCES = (
    "ekonomi:\n  fil: ekonomi.xlsx\nsocioekonomi:\n  fil: socioekonomi.yaml\n"
    "deltagare:\n  fil: deltagare.csv\n  kolumner:\n    \"Huvudsaklig försörjning före\": forsorjning\n"
)


def _project(tmp_path: Path, survey: str = "") -> Path:
    root = tmp_path / "projekt"
    root.mkdir()
    for name in ("ekonomi.xlsx", "socioekonomi.yaml", "deltagare.csv"):
        shutil.copy(SAMPLES / name, root / name)
    (root / "projekt.yaml").write_text(HEAD + SOURCES + survey, encoding="utf-8")
    return root


def _validate(root: Path) -> tuple[int, dict, str]:
    result = CliRunner().invoke(cli, ["validate", str(root), "--json"])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "oväntat fel" not in result.output and "Traceback" not in result.output
    return result.exit_code, json.loads(result.stdout), result.stderr


def _unreadable(report: dict) -> dict[str, dict]:
    return {p["fil"]: p for p in report["problem"] if p["kontroll"] == UNREADABLE}


def test_the_clean_sources_are_valid(tmp_path):
    code, report, _ = _validate(_project(tmp_path))
    assert code == 0 and report["valid"] and not _unreadable(report)


def test_unreadable_files_are_problem_rows_and_the_other_sources_are_validated(tmp_path):
    root = _project(tmp_path)
    (root / "socioekonomi.yaml").write_text("typfall:\n  - [1, 2\nprojektkostnad: 100\n", encoding="utf-8")
    (root / "ekonomi.xlsx").write_bytes(bytes(range(256)) * 20)  # binary garbage
    rows = (SAMPLES / "deltagare.csv").read_text(encoding="cp1252").splitlines()
    rows[3] = rows[3].replace(";", ";;", 1)  # a row with a field too many: a problem of the register, still validated
    (root / "deltagare.csv").write_text("\n".join(rows) + "\n", encoding="cp1252")
    code, report, stderr = _validate(root)
    assert code == 1 and report["valid"] is False
    assert "Fel:" not in stderr and f"{report['fel']} fel måste rättas" in stderr
    found = _unreadable(report)
    assert set(found) == {"socioekonomi.yaml", "ekonomi.xlsx"}
    yaml_row = found["socioekonomi.yaml"]
    assert yaml_row["rad"] == 3 and yaml_row["allvar"] == "fel"
    assert "Parameterfilen socioekonomi.yaml rad 3" in yaml_row["meddelande"] and "inte giltig YAML" in yaml_row["meddelande"]
    assert "ekonomi.xlsx" in found["ekonomi.xlsx"]["meddelande"]
    assert any(p["fil"] == "deltagare.csv" and p["rad"] == 4 for p in report["problem"]), report  # the register was validated


def test_register_of_binary_garbage_is_a_problem_row(tmp_path):
    root = _project(tmp_path)
    (root / "deltagare.csv").write_bytes(bytes(range(256)) * 20)
    code, report, _ = _validate(root)
    assert code == 1 and "deltagare.csv" in _unreadable(report)


def test_socioeconomic_file_not_utf8_is_a_problem_row_without_json_too(tmp_path):
    root = _project(tmp_path)
    (root / "socioekonomi.yaml").write_bytes("typfall: Försörjningsstöd\n".encode("cp1252"))
    result = CliRunner().invoke(cli, ["validate", str(root)])
    assert result.exit_code == 1, result.output
    assert "filen kan inte läsas" in result.stdout and "Parameterfilen socioekonomi.yaml är inte sparad som UTF-8" in result.stdout
    assert "Fel:" not in result.output


def test_an_unreadable_own_instrument_names_the_instrument_file_and_line(tmp_path):
    survey = "personalenkat:\n  instrument: mini.yaml\n  enkater:\n    - {fil: w1.csv, etikett: Enkät 1}\n"
    root = _project(tmp_path, survey)
    (root / "mini.yaml").write_text(MINI_INSTRUMENT.replace("index:\n", "index:\n  a: [\n"), encoding="utf-8")
    write_csv(root / "w1.csv", [["A", f"k{i}", 3, 4, 2, ""] for i in range(6)])
    code, report, _ = _validate(root)
    assert code == 1
    row = _unreadable(report)["mini.yaml"]
    assert row["rad"] is not None and f"Instrumentfilen {root / 'mini.yaml'} rad {row['rad']}" in row["meddelande"]


def test_an_error_in_projekt_yaml_still_stops_validation(tmp_path):
    root = _project(tmp_path)
    (root / "projekt.yaml").write_text(HEAD + SOURCES + "anonymitetsgrans: 5\nanonymitetsgrans: 1\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(root), "--json"])
    assert result.exit_code == 1 and f"Fel: {root / 'projekt.yaml'} rad " in result.stderr


def test_the_web_pages_source_validation_gets_the_row(tmp_path):
    root = _project(tmp_path)
    (root / "socioekonomi.yaml").write_text("a: 1\na: 2\n", encoding="utf-8")
    report = validate_source(root, "ekonomi")
    assert [(p.fil, p.rad, p.kontroll) for p in report.errors()] == [("socioekonomi.yaml", 2, UNREADABLE)]
    assert validate_source(root, "deltagare").valid
