"""The reading options of compare and validate (--blad, --rubrikrad, --etiketter, --encoding, --behall-dubbletter)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from slutrapport.cli import cli
from slutrapport.core.errors import SlutrapportError
from slutrapport.core.problems import ValidationReport
from slutrapport.pipeline import build, validate
from slutrapport.sources.readers.options import ReadOptions
from tests.conftest import SAMPLES, write_csv


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


class _Stop(SlutrapportError):
    """Raised by the fake read_waves once it has seen its arguments (shown as "Fel: stopp")."""


@pytest.fixture
def seen(monkeypatch):
    """The arguments read_waves gets from compare and validate (which then stop)."""
    found: dict = {}

    def fake_read_waves(paths, instrument, labels=None, column_map=None, format=None, wave_column=None, *, options=None):
        found.update(paths=paths, labels=labels, format=format, wave_column=wave_column, options=options)
        if "validate" in found:
            return type("Survey", (), {"report": ValidationReport()})()
        raise _Stop("stopp")

    monkeypatch.setattr(build, "read_waves", fake_read_waves)
    monkeypatch.setattr(validate, "read_waves", fake_read_waves)
    return found


def test_compare_passes_every_reading_option_to_read_waves(tmp_path, mini_instrument, seen):
    wave = write_csv(tmp_path / "w1.csv", [["AF", "", 4, 4, 2, ""]])
    labels = tmp_path / "etiketter.lss"
    labels.write_text("<?xml version='1.0'?><document/>", encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        ["compare", "--instrument", str(mini_instrument), str(wave), "--out", str(tmp_path / "ut"),
         "--blad", "Svar", "--rubrikrad", "3", "--etiketter", str(labels), "--encoding", "cp1252",
         "--behall-dubbletter", "--format", "plain", "--wave-column", "Enkät"],
    )  # fmt: skip
    assert result.exit_code == 1 and "Fel: stopp" in result.output, result.output
    assert seen["options"] == ReadOptions(
        format="plain", sheet="Svar", header_row=3, labels_file=labels, encoding="cp1252", keep_duplicates=True
    )
    assert seen["wave_column"] == "Enkät" and seen["paths"] == [wave]


def test_without_reading_options_read_waves_gets_the_defaults(tmp_path, mini_instrument, seen):
    wave = write_csv(tmp_path / "w1.csv", [["AF", "", 4, 4, 2, ""]])
    result = run("compare", "--instrument", str(mini_instrument), str(wave), "--out", str(tmp_path / "ut"))
    assert result.exit_code == 1 and "Fel: stopp" in result.output, result.output
    assert seen["options"] == ReadOptions()


def test_validate_passes_the_reading_options(tmp_path, mini_instrument, seen):
    seen["validate"] = True
    wave = write_csv(tmp_path / "w1.csv", [["AF", "", 4, 4, 2, ""]])
    result = run("validate", str(wave), "--instrument", str(mini_instrument), "--encoding", "UTF-8", "--rubrikrad", "1")
    assert result.exit_code == 0, result.output
    assert "Inga problem hittades." in result.output
    assert seen["options"] == ReadOptions(header_row=1, encoding="UTF-8")


@pytest.mark.parametrize(
    "args, message",
    [
        (["--encoding", "klingon"], "Ogiltigt värde för '--encoding': okänd teckenkodning 'klingon' (exempel: utf-8, cp1252"),
        (["--encoding", "base64"], "okänd teckenkodning 'base64'"),
        (["--rubrikrad", "0"], "Ogiltigt värde för '--rubrikrad': 0 ligger inte i intervallet x>=1."),
        (["--rubrikrad", "tre"], "Ogiltigt värde för '--rubrikrad': 'tre' är inte ett giltigt heltal."),
        (["--etiketter", "finns-inte.lss"], "Ogiltigt värde för '--etiketter': Filen 'finns-inte.lss' finns inte."),
    ],
)
def test_bad_reading_options_are_swedish_usage_errors(tmp_path, mini_instrument, args, message):
    wave = write_csv(tmp_path / "w1.csv", [["AF", "", 4, 4, 2, ""]])
    result = run("validate", str(wave), "--instrument", str(mini_instrument), *args)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_reading_options_with_a_project_folder_point_at_projekt_yaml():
    result = run("validate", str(SAMPLES), "--blad", "Svar")
    assert result.exit_code == 1
    assert "För en projektmapp anges de i projekt.yaml under personalenkat:" in result.output


def test_the_real_reading_with_options_the_readers_honour(tmp_path, mini_instrument):
    # two lines above the header: found by --rubrikrad 3, and read as UTF-8 as given
    path = tmp_path / "med-rubrik.csv"
    write_csv(path, [["AF", "", 4, 4, 2, "Bra"]] * 3)
    path.write_text("Export från enkätverktyget\nSkapad 2025-03-01\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    result = run("validate", str(path), "--instrument", str(mini_instrument), "--rubrikrad", "3", "--encoding", "utf-8")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("command", ["compare", "validate"])
def test_help_lists_the_options_in_swedish(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    for text in ("--blad NAMN", "--rubrikrad N", "--etiketter FIL", "--encoding KODNING", "--behall-dubbletter",
                 "Kalkylbladet", "Teckenkodning", "samma fil"):  # fmt: skip
        assert text in result.output


def test_validate_of_a_clean_file_shows_what_was_read_and_says_no_problems(tmp_path, mini_instrument):
    from click.testing import CliRunner

    from slutrapport.cli import cli

    wave = write_csv(tmp_path / "w1.csv", [["AF", f"k{i}", 4, 4, 2, ""] for i in range(6)])
    result = CliRunner().invoke(cli, ["validate", str(wave), "--instrument", str(mini_instrument)])
    assert result.exit_code == 0, result.output
    assert "6 datarader lästes; 6 svarande ingår" in result.output
    assert result.output.rstrip().endswith("Inga problem hittades.")
