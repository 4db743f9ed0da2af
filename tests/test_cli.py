"""The CLI contract through CliRunner: commands, outputs, exit codes and Swedish messages."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
from click.testing import CliRunner

from slutrapport.cli import cli
from tests.conftest import SAMPLES, write_csv

CONTRACT = "niva,id,text,grupp,enkat,n,medel,sd,median,andel_positiva,undertryckt"


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_demo_builds_the_report_and_prints_paths(demo_run):
    out = demo_run.folder  # `slutrapport demo --out <folder>`, run once for the session
    assert demo_run.exit_code == 0, demo_run.output
    printed = demo_run.output.split()
    for name in ("rapport.html", "rapport.xlsx", "rapport.docx", "rapport.json", "jamforelse.csv", "forandringar.csv", "reliabilitet.csv"):
        assert (out / name).is_file()
        assert str(out / name) in printed
    assert (out / "jamforelse.csv").read_text(encoding="utf-8").splitlines()[0] == CONTRACT


def test_compare_three_files_with_default_instrument(sample_compare):
    # `slutrapport compare --instrument samverkan <the three sample waves> --labels Start,Mitt,Slut`, run once for the session
    out = sample_compare.folder
    assert sample_compare.exit_code == 0, sample_compare.output
    for name in ("jamforelse.csv", "jamforelse.xlsx", "jamforelse.html"):
        assert (out / name).is_file()
    table = pd.read_csv(out / "jamforelse.csv", keep_default_na=False, dtype=str)
    assert ",".join(table.columns) == CONTRACT
    assert list(dict.fromkeys(table["enkat"])) == ["Start", "Mitt", "Slut"]
    assert set(table["undertryckt"].astype(str)) == {"true", "false"}
    assert set(table["niva"]) == {"index", "fraga"}
    # suppressed rows have every number empty
    hidden = table[table["undertryckt"].astype(str) == "true"]
    assert (hidden[["n", "medel", "sd", "median", "andel_positiva"]] == "").all().all()
    shown = table[table["undertryckt"].astype(str) == "false"]
    assert pd.to_numeric(shown["andel_positiva"]).between(0, 1).all()


def _later(rows: list[list[object]]) -> list[list[object]]:
    """A later wave's rows: q2 answered 3 (the same answers for two waves would be an error)."""
    return [[*row[:3], 3, *row[4:]] for row in rows]


def test_compare_default_labels_and_min_n(tmp_path, mini_instrument):
    rows = [["AF", "", 4, 4, 2, ""]] * 3 + [["Soc", "", 2, 2, 4, ""]] * 3
    w1 = write_csv(tmp_path / "w1.csv", rows)
    w2 = write_csv(tmp_path / "w2.csv", _later(rows))
    out = tmp_path / "out"
    assert run("compare", "--instrument", str(mini_instrument), str(w1), str(w2), "--out", str(out)).exit_code == 0
    table = pd.read_csv(out / "jamforelse.csv", keep_default_na=False, dtype=str)
    assert sorted(set(table["enkat"])) == ["Enkät 1", "Enkät 2"]
    assert (table.loc[table["grupp"] != "Alla", "undertryckt"].astype(str) == "true").all()
    result = run("compare", "--instrument", str(mini_instrument), str(w1), "--min-n", "3", "--out", str(out), "--force")
    assert result.exit_code == 0
    table = pd.read_csv(out / "jamforelse.csv", keep_default_na=False, dtype=str)
    assert (table["undertryckt"].astype(str) == "false").all()


def test_unknown_label_gives_swedish_error_without_traceback(tmp_path, mini_instrument):
    bad = write_csv(tmp_path / "bad.csv", [["AF", "", "Instämmer nästan", 4, 2, ""]])
    result = run("compare", "--instrument", str(mini_instrument), str(bad), "--out", str(tmp_path / "o"))
    assert result.exit_code == 1
    assert "Fel:" in result.output
    assert "fil bad.csv, rad 2, kolumn 'Fråga ett', värde 'Instämmer nästan'" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "o").exists()


def test_missing_question_column_error(tmp_path, mini_instrument):
    path = write_csv(tmp_path / "short.csv", [["AF", "", 4, 4, ""]], header=["Organisation", "Kod", "Fråga ett", "Fråga två", "Övriga synpunkter"])
    result = run("compare", "--instrument", str(mini_instrument), str(path))
    assert result.exit_code == 1
    assert "fil short.csv" in result.output and "frågan q3 ('Fråga tre är negativ') finns inte i filen" in result.output


def test_debug_shows_the_traceback(tmp_path, mini_instrument):
    bad = write_csv(tmp_path / "bad.csv", [["AF", "", "x", 4, 2, ""]])
    result = run("--debug", "compare", "--instrument", str(mini_instrument), str(bad))
    assert result.exit_code == 1
    assert type(result.exception).__name__ == "ValidationError"


def test_missing_file_and_unknown_instrument(tmp_path):
    result = run("compare", "--instrument", "samverkan", str(tmp_path / "finns-inte.csv"))
    assert result.exit_code == 1 and "finns-inte.csv finns inte" in result.output
    result = run("compare", "--instrument", "okänt", str(tmp_path / "x.csv"))
    assert result.exit_code == 1 and "Instrumentet 'okänt' finns inte" in result.output


def test_init_then_build_a_project(tmp_path):
    project = tmp_path / "projekt"
    result = run("init", str(project))
    assert result.exit_code == 0, result.output
    text = (project / "projekt.yaml").read_text(encoding="utf-8")
    assert text.startswith("#") and "anonymitetsgrans: 5" in text and "Personalenkäten" in text
    assert (project / "texter" / "sammanfattning.md").read_text(encoding="utf-8").startswith("<!--")
    assert (project / "enkater" / "LÄS MIG.txt").is_file()
    result = run("build", str(project))
    assert result.exit_code == 0, result.output
    html = (project / "rapport" / "rapport.html").read_text(encoding="utf-8")
    assert html.count("Text saknas under den här rubriken.") == 12
    assert (project / "rapport" / "jamforelse.csv").read_text(encoding="utf-8").strip() == CONTRACT
    # init never overwrites a project silently
    again = run("init", str(project))
    assert again.exit_code == 1 and "--force" in again.output


def test_build_with_waves_and_a_narrative(tmp_path):
    project = tmp_path / "p"
    assert run("init", str(project)).exit_code == 0
    import shutil

    shutil.copy(SAMPLES / "enkater" / "enkat3.csv", project / "enkater" / "e3.csv")
    config = (project / "projekt.yaml").read_text(encoding="utf-8")
    config = config.replace("  enkater:\n", "  enkater:\n    - fil: enkater/e3.csv\n      etikett: Slutmätning\n")
    (project / "projekt.yaml").write_text(config, encoding="utf-8")
    (project / "texter" / "sammanfattning.md").write_text("<!-- hjälp -->\nProjektet **lyckades**.\n", encoding="utf-8")
    result = run("build", str(project), "--out", str(tmp_path / "ut"))
    assert result.exit_code == 0, result.output
    html = (tmp_path / "ut" / "rapport.html").read_text(encoding="utf-8")
    assert "Projektet <strong>lyckades</strong>." in html
    assert "Slutmätning" in html


def test_build_reports_project_file_problems(tmp_path):
    (tmp_path / "projekt.yaml").write_text(
        "personalenkat:\n  enkater:\n    - fil: enkater/saknas.csv\nanonymitetsgrans: noll\n", encoding="utf-8"
    )
    result = run("build", str(tmp_path))
    assert result.exit_code == 1
    assert "enkater/saknas.csv finns inte" in result.output and "'anonymitetsgrans' ska vara ett heltal" in result.output
    (tmp_path / "projekt.yaml").write_text("projekt: [oavslutad\n", encoding="utf-8")
    result = run("build", str(tmp_path))
    assert result.exit_code == 1 and "projekt.yaml rad 2, kolumn 1" in result.output and "inte giltig YAML" in result.output


def test_refuses_to_overwrite_an_edited_output(demo_run, demo_draft_run, demo_refusal):
    from slutrapport.pipeline.build import REPORT_FILES
    from tests.conftest import EDITED_TEXT

    assert demo_run.exit_code == 0
    # demo_refusal: `slutrapport demo --utkast` over a copy of the demo build whose rapport.html the user edited
    assert demo_refusal["exit_code"] == 1
    assert "rapport.html" in demo_refusal["output"] and "--force" in demo_refusal["output"]
    assert not [name for name in REPORT_FILES if name != "rapport.html" and name in demo_refusal["output"]]  # unchanged outputs are no obstacle
    assert demo_refusal["kept"] == EDITED_TEXT
    # demo_draft_run: the same command with --force
    assert demo_draft_run.exit_code == 0
    assert (demo_draft_run.folder / "rapport.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_unchanged_outputs_are_replaced_without_force(tmp_path, mini_instrument):
    rows = [["AF", "", 4, 4, 2, ""]] * 5 + [["Soc", "", 2, 2, 4, ""]] * 5
    files = [str(write_csv(tmp_path / "w1.csv", rows)), str(write_csv(tmp_path / "w2.csv", _later(rows)))]
    out = tmp_path / "ut"
    assert run("compare", "--instrument", str(mini_instrument), *files, "--out", str(out)).exit_code == 0
    (out / "jamforelse.html").write_bytes((out / "jamforelse.html").read_bytes())  # touched, not changed
    again = run("compare", "--instrument", str(mini_instrument), *files, "--out", str(out))
    assert again.exit_code == 0, again.output


def test_refuses_to_overwrite_a_file_it_did_not_write(tmp_path, mini_instrument):
    (tmp_path / "jamforelse.csv").write_text("användarens fil", encoding="utf-8")
    rows = [["AF", "", 4, 4, 2, ""]] * 3 + [["Soc", "", 2, 2, 4, ""]] * 3  # a quick comparison: the refusal is under test
    files = [str(write_csv(tmp_path / "w1.csv", rows)), str(write_csv(tmp_path / "w2.csv", _later(rows)))]
    result = run("compare", "--instrument", str(mini_instrument), *files, "--out", str(tmp_path))
    assert result.exit_code == 1
    assert "jamforelse.csv" in result.output and "samma" not in result.output  # refused, not stopped by the files
    assert (tmp_path / "jamforelse.csv").read_text(encoding="utf-8") == "användarens fil"
    assert not (tmp_path / "jamforelse.html").exists()  # nothing written when refusing


def test_help_shows_examples():
    for command in ("demo", "init", "build", "compare"):
        result = run(command, "--help")
        assert result.exit_code == 0 and "Exempel:" in result.output and "slutrapport " + command in result.output


def test_python_dash_m_works(tmp_path):
    result = subprocess.run([sys.executable, "-m", "slutrapport", "--help"], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0 and "compare" in result.stdout


def test_instrument_command_prints_the_builtin_yaml():
    result = run("instrument", "samverkan")
    assert result.exit_code == 0 and "id: samverkan" in result.output


def test_debug_after_the_command_name(tmp_path, mini_instrument):
    bad = write_csv(tmp_path / "bad.csv", [["AF", "", "x", 4, 2, ""]])
    result = run("compare", "--instrument", str(mini_instrument), str(bad), "--debug")
    assert result.exit_code == 1 and type(result.exception).__name__ == "ValidationError"


def test_unexpected_errors_become_a_message_not_a_traceback(monkeypatch, tmp_path):
    import slutrapport.pipeline as pipeline

    def boom(*args, **kwargs):
        raise RuntimeError("trasig")

    monkeypatch.setattr(pipeline, "build_demo", boom)
    result = run("demo", "--out", str(tmp_path))
    assert result.exit_code == 1
    assert "Ett oväntat fel inträffade (RuntimeError: trasig)" in result.output and "--debug" in result.output
    assert "Traceback" not in result.output


def test_swedish_usage_errors():
    result = run("compare")
    assert result.exit_code == 1
    assert "Användning:" in result.output and "Fel:" in result.output and "Usage" not in result.output


def _english(output: str) -> list[str]:
    words = ("Usage", "Try ", "Error", "Directory", "is a file", "is a directory", "does not exist", "is not", "Missing", "No such",
             "Invalid value", "File exists", "requires", "Got unexpected")  # fmt: skip
    return [word for word in words if word in output]


def test_every_message_click_can_show_a_user_has_a_swedish_text():
    """Each text click marks for translation is in ``_click_sv`` (or is one only a programmer meets): a new click cannot
    bring English back unseen."""
    import ast
    from pathlib import Path

    import click

    from slutrapport._click_sv import _SV, PROGRAMMER_TEXTS

    missing = []
    for source in sorted(Path(click.__file__).parent.glob("*.py")):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "ngettext"):
                texts = [a.value for a in node.args[:2] if isinstance(a, ast.Constant) and isinstance(a.value, str)]
                missing += [f"{source.name}: {text!r}" for text in texts if text not in _SV and text not in PROGRAMMER_TEXTS]
    assert missing == []


def test_click_checks_of_paths_choices_and_ranges_are_said_in_swedish(tmp_path):
    a_file = tmp_path / "fil.txt"
    a_file.write_text("x", encoding="utf-8")
    cases = [
        (["templates", "--templates", str(a_file)], f"Ogiltigt värde för '--templates': Mappen '{a_file}' är en fil."),
        (["init", str(a_file)], f"Ogiltigt värde för 'MAPP': Mappen '{a_file}' är en fil."),
        (["build", str(a_file)], f"Mappen '{a_file}' är en fil."),
        (["form", "sjalvvardering", "--definition", str(tmp_path), "--out", str(tmp_path / "f.xlsx")], f"Filen '{tmp_path}' är en mapp."),
        (["compare", "--instrument", "samverkan", "--etiketter", str(tmp_path / "saknas.lss"), str(a_file)], "finns inte."),
        (["schema", "okand"], "'okand' är inte någon av 'projekt', 'mall'"),
        (["serve", "--port", "0"], "0 ligger inte i intervallet"),
        (["serve", "--port", "-5"], "ligger inte i intervallet"),
        (["compare", "--instrument", "samverkan", "--min-n", "x", str(a_file)], "'x' är inte ett giltigt heltal."),
        (["compare", "--instrument", "samverkan", "--rubrikrad", "", str(a_file)], "'' är inte ett giltigt heltal."),
        (["build"], "Argument saknas 'PROJEKTMAPP'."),
        (["build", str(tmp_path), "--inget"], "Flaggan '--inget' finns inte."),
        (["build", str(tmp_path), "--out"], "Flaggan '--out' behöver ett värde."),
        (["build", str(tmp_path), "extra"], "Oväntat extra argument (extra)"),
        (["bygg"], "Kommandot 'bygg' finns inte."),
        (["validate", str(a_file), "--json=ja"], "Flaggan '--json' tar inget värde."),
    ]
    for args, message in cases:
        result = run(*args)
        assert result.exit_code == 1, (args, result.output)
        assert message in result.output and "Fel: " in result.output, (args, result.output)
        assert _english(result.output) == [] and "oväntat fel" not in result.output, (args, result.output)


def test_a_pipe_or_device_given_as_a_folder_is_named_before_any_work(tmp_path):
    import os

    import pytest

    if not hasattr(os, "mkfifo") or not os.path.exists("/dev/null"):
        pytest.skip("named pipes and /dev/null exist on POSIX only")
    pipe = tmp_path / "ror"
    os.mkfifo(pipe)
    for args, message in [
        (["init", "/dev/null"], "Ogiltigt värde för 'MAPP': /dev/null är en teckenenhet"),
        (["build", str(pipe)], f"Ogiltigt värde för 'PROJEKTMAPP': {pipe} är en namngiven pipe, inte en mapp."),
        (["check", str(pipe)], "är en namngiven pipe, inte en mapp."),
        (["templates", "--templates", str(pipe)], "Ogiltigt värde för '--templates'"),
    ]:
        result = run(*args)
        assert result.exit_code == 1 and message in result.output, (args, result.output)
        assert _english(result.output) == [] and "oväntat fel" not in result.output, (args, result.output)
