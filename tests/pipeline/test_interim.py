"""``slutrapport build --delrapport PERIOD`` (pipeline/interim.py) and the summary ``build`` ends with (``--strikt``)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from slutrapport.cli import cli
from tests.conftest import SAMPLES

INTERIM_FILES = (
    "delrapport-2025.html", "delrapport-2025.xlsx", "delrapport-2025.docx", "delrapport-2025.json",
    "delrapport-2025-bilaga.html", "delrapport-2025-bilaga.docx",
)  # fmt: skip


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture(scope="module")
def demo_interim(tmp_path_factory):
    """``slutrapport build data_samples --out <tmp> --delrapport 2025 --strikt``, run once for the module."""
    out = tmp_path_factory.mktemp("delrapport") / "ut"
    return out, run("build", SAMPLES, "--out", out, "--delrapport", "2025", "--strikt")


def test_the_demo_interim_report_is_built_under_the_interim_headings(demo_interim):
    out, result = demo_interim
    assert result.exit_code == 0, result.output  # --strikt: every required heading of the demo's 2025 report has content
    assert result.stdout.split() == [str(out / name) for name in INTERIM_FILES]  # stdout: the written paths only
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == sorted(INTERIM_FILES)  # no rapport.*
    html = (out / "delrapport-2025.html").read_text(encoding="utf-8")
    assert "Lägesrapport för perioden 1 januari–31 december 2025 · Samordningsförbundet Mälardalen Syd" in html
    assert "Rapportperiod och underlag" in html and "2025-01-01 – 2025-12-31" in html
    for title in ("Projektets status och aktiviteter under perioden", "Måluppfyllelse hittills", "Planering för nästa period"):
        assert title in html
    assert "trepartssamtal för varje ny deltagare" in html  # texter/delrapport-2025/status-och-aktiviteter.md
    assert "Kärnan i arbetssättet" not in html  # the final report's texter/sammanfattning.md is never used
    assert "Enkät 3" not in html and "1 senare enkät tas inte med" in html  # enkät 3 is dated 2026-03-20
    assert "Samhällsekonomiskt resultat" not in html
    assert "Klart: 7 av 7 obligatoriska rubriker har innehåll; personalenkät: 2 enkäter lästa (Enkät 1, Enkät 2)" in result.stderr


def test_the_demo_interim_tables_count_up_to_the_period_end(demo_interim):
    out, _result = demo_interim
    bundle = json.loads((out / "delrapport-2025.json").read_text(encoding="utf-8"))
    assert bundle["mall"]["id"] == "rar-lagesrapport"
    assert bundle["projekt"]["uppgifter"]["Rapportperiod"] == "2025-01-01 – 2025-12-31"
    tables = {name: pd.DataFrame(t["rader"], columns=t["kolumner"]) for name, t in bundle["tabeller"].items()}
    flow = tables["deltagare_flode"]
    assert list(flow["period"].drop_duplicates()) == ["2025 H1", "2025 H2", "Totalt"]
    # by hand from the register file: enrolled by 2025-12-31, and of them finished by then
    raw = pd.read_csv(SAMPLES / "deltagare.csv", sep=";", encoding="cp1252", dtype=str, keep_default_na=False)
    enrolled = pd.to_datetime(raw["Inskrivningsdatum"].str[:10]) <= "2025-12-31"
    ended = pd.to_datetime(raw["Avslutsdatum"].str[:10].replace("", None))
    finished = enrolled & ended.notna() & (ended <= "2025-12-31")
    total = flow[(flow["period"] == "Totalt") & (flow["kon"] == "Alla")].iloc[0]
    assert (total["inskrivna"], total["avslutade"], total["aktiva"]) == (enrolled.sum(), finished.sum(), enrolled.sum() - finished.sum())
    economy = tables["ekonomi"]
    assert set(economy["period"]) == {"2025", "Totalt"}  # the budget's 2026 begins after the period
    personal = economy[(economy["kategori"] == "Personal") & (economy["period"] == "Totalt")].iloc[0]
    assert (personal["budget"], personal["utfall"]) == (2_300_000, 2_212_400)  # ekonomi.xlsx, column 2025


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "p"
    assert run("init", project).exit_code == 0
    return project


def test_build_of_a_new_project_lists_its_empty_required_headings_and_strict_exits_1(tmp_path):
    project = _project(tmp_path)
    result = run("build", project)
    assert result.exit_code == 0, result.output
    assert all(Path(line).is_file() for line in result.stdout.split())  # stdout stays the written paths
    lines = result.stderr.splitlines()
    assert "Klart: 0 av 12 obligatoriska rubriker har innehåll; personalenkät: ingen enkät läst; 0 varningar." in lines
    start = lines.index("Tomma obligatoriska rubriker (12):")
    assert lines[start + 1 : start + 3] == ["  ✗ 1 Sammanfattning", "  ✗ 2 Uppdraget"]
    assert "  ✗ 11 LSG:s analys och förslag" in lines and f"Skriv texterna i {project / 'texter'} (en fil per rubrik, <rubrikens id>.md)." in lines
    strict = run("build", project, "--strikt", "--force")
    assert strict.exit_code == 1 and "--strikt: 12 obligatoriska rubriker är tomma (filerna skrevs ändå)." in strict.stderr
    assert (project / "rapport" / "rapport.html").is_file()


def test_strict_exits_0_when_every_required_heading_has_content(tmp_path):
    project = _project(tmp_path)
    for path in (project / "texter").glob("*.md"):
        path.write_text("Text.\n", encoding="utf-8")
    result = run("build", project, "--strikt")
    assert result.exit_code == 0, result.output
    assert "Klart: 12 av 12 obligatoriska rubriker har innehåll" in result.stderr and "Tomma" not in result.stderr


def test_an_interim_report_of_a_new_project_names_its_texts_folder_and_keeps_the_final_report(tmp_path):
    project = _project(tmp_path)
    year = __import__("datetime").date.today().year  # init writes this year's period
    assert run("build", project).exit_code == 0
    result = run("build", project, "--delrapport", f"{year}H1", "--strikt")
    assert result.exit_code == 1, result.output
    out = project / "rapport"
    assert (out / "rapport.html").is_file() and (out / f"delrapport-{year}-h1.html").is_file()
    assert "Tomma obligatoriska rubriker (7):" in result.stderr and "  ✗ 3 Deltagare under perioden" in result.stderr
    assert f"Skriv texterna i {project / 'texter' / f'delrapport-{year}-h1'}" in result.stderr
    (project / "texter" / f"delrapport-{year}-h1").mkdir()
    (project / "texter" / f"delrapport-{year}-h1" / "planering.md").write_text("Vi planerar **mer**.\n", encoding="utf-8")
    assert run("build", project, "--delrapport", f"{year}H1", "--force").exit_code == 0
    assert "Vi planerar <strong>mer</strong>." in (out / f"delrapport-{year}-h1.html").read_text(encoding="utf-8")
    check = run("check", project, "--delrapport", f"{year}H1")  # check names the interim report's headings too
    assert check.exit_code == 1 and check.stdout.splitlines()[0].endswith("mall: Lägesrapport enligt RAR Sörmlands mall")
    assert "  ✓ 8 Planering för nästa period: har text" in check.stdout and "1 av 7 obligatoriska rubriker har innehåll." in check.stdout


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("2025H3", "Ogiltigt värde för '--delrapport': '2025H3' är ingen period: ange ett år (2025), ett halvår (2025H1, 2025H2)"),
        ("2025-06-31..2025-07-01", "'2025-06-31..2025-07-01' innehåller datumet 2025-06-31, som inte finns"),
    ],
)
def test_a_bad_period_is_refused_in_swedish_before_any_work(tmp_path, value, said):
    result = run("build", SAMPLES, "--out", tmp_path / "ut", "--delrapport", value)
    assert result.exit_code == 1 and said in result.output and "Traceback" not in result.output
    assert not (tmp_path / "ut").exists()


def test_a_period_outside_the_project_and_a_final_template_are_refused(tmp_path):
    project = _project(tmp_path)
    result = run("build", project, "--delrapport", "1999")
    assert result.exit_code == 1 and "Perioden 1999 (1999-01-01 – 1999-12-31) ligger utanför projektperioden" in result.output
    config = project / "projekt.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "delrapport_mall: rar-slutrapport\n", encoding="utf-8")
    year = __import__("datetime").date.today().year
    result = run("build", project, "--delrapport", str(year))
    assert result.exit_code == 1 and "delrapport_mall: rar-slutrapport är en mall för slutrapporten (typ: slutrapport)" in result.output


def test_the_survey_waves_kept_follow_their_dates(tmp_path):
    import shutil

    from slutrapport.pipeline.interim import load_interim

    project = _project(tmp_path)
    year = __import__("datetime").date.today().year
    for name in ("enkat1_google_forms.csv", "enkat3.csv"):
        shutil.copy(SAMPLES / "enkater" / name, project / "enkater" / name)
    config = project / "projekt.yaml"
    text = config.read_text(encoding="utf-8")
    waves = f"    - {{fil: enkater/enkat1_google_forms.csv, datum: {year}-03-01}}\n    - {{fil: enkater/enkat3.csv, datum: {year}-09-01}}\n"
    config.write_text(text.replace("  enkater:\n", "  enkater:\n" + waves), encoding="utf-8")
    found, notes = load_interim(project, f"{year}H1")
    assert [w.file.name for w in found.waves] == ["enkat1_google_forms.csv"]
    assert notes == [f"Personalenkäten räknar 1 enkät som gjordes till och med {year}-06-30 (1 senare enkät tas inte med)."]
    found, notes = load_interim(project, f"{year}-01")
    assert found.waves == [] and found.instrument is None and notes == [f"Ingen personalenkät gjordes till och med {year}-01-31."]
    config.write_text(text.replace("  enkater:\n", "  enkater:\n" + waves.replace(f", datum: {year}-09-01", "")), encoding="utf-8")
    found, notes = load_interim(project, f"{year}H1")  # one wave without a date: every wave, and the note says why
    assert len(found.waves) == 2 and "någon enkät saknar datum" in notes[0]
    assert found.texts == project / "texter" / f"delrapport-{year}-h1" and found.template.id == "rar-lagesrapport"


def test_an_invited_counts_file_may_name_the_waves_after_the_period(tmp_path):
    import shutil

    project = _project(tmp_path)
    year = __import__("datetime").date.today().year
    for name in ("enkat1_google_forms.csv", "enkat3.csv"):
        shutil.copy(SAMPLES / "enkater" / name, project / "enkater" / name)
    (project / "inbjudna.csv").write_text("enkät,organisation,inbjudna\nEnkät 1,Alla,100\nEnkät 2,Alla,90\n", encoding="utf-8")
    config = project / "projekt.yaml"
    waves = f"    - {{fil: enkater/enkat1_google_forms.csv, datum: {year}-03-01}}\n    - {{fil: enkater/enkat3.csv, datum: {year}-09-01}}\n"
    text = config.read_text(encoding="utf-8").replace("  enkater:\n", "  inbjudna: {fil: inbjudna.csv}\n  enkater:\n" + waves)
    config.write_text(text, encoding="utf-8")
    result = run("build", project, "--delrapport", f"{year}H1")
    assert result.exit_code == 0, result.output
    assert "personalenkät: 1 enkät läst (Enkät 1)" in result.stderr
