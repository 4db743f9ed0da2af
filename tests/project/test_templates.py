"""Funder templates: shipped and custom, completeness check, draft table, Socialstyrelsen's tables."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from slutrapport.cli import cli
from slutrapport.core.errors import ProjectError
from slutrapport.project.templates import available_templates, load_template
from tests.conftest import SAMPLES

SNAPSHOTS = Path(__file__).resolve().parents[1] / "snapshots"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_three_templates_ship_and_are_listed():
    assert {"rar-slutrapport", "socialstyrelsen-kompetens", "extern-utvardering"} <= set(available_templates())
    result = run("templates")
    assert result.exit_code == 0
    assert "rar-slutrapport (standard): Slutrapport enligt RAR Sörmlands mall" in result.output
    assert "socialstyrelsen-kompetens" in result.output and "extern-utvardering" in result.output


def test_socialstyrelsen_numbering_and_subheadings():
    template = load_template("socialstyrelsen-kompetens")
    numbered = [(h.number, h.title) for h in template.all_headings()]
    assert numbered[0] == (None, "Sammanfattning") and numbered[-1] == (None, "Bilagor")
    assert ("3.4", "Kategorisering av projektets innehåll och inriktning") in numbered
    assert [n for n, _ in numbered if n and "." not in n] == [str(i) for i in range(1, 10)]
    assert [h.title for h in template.headings[6].children] == [
        "Personal", "Verksamheter", "Organiserat brukarinflytande och anhörigsamarbete", "Brukare/patienter/klienter",
    ]


def _custom(tmp_path: Path, body: str) -> Path:
    folder = tmp_path / "mallar" / "egen"
    folder.mkdir(parents=True)
    (folder / "mall.yaml").write_text(body, encoding="utf-8")
    return tmp_path / "mallar"


def test_custom_template_folder_without_code(tmp_path):
    folder = _custom(
        tmp_path, "id: egen\nnamn: Egen mall\nrubriker:\n  - {id: a, rubrik: Första, kravs: true}\n  - {id: b, rubrik: Andra, block: [personalenkat]}\n"
    )
    assert "egen" in available_templates([folder])
    result = run("init", tmp_path / "p", "--template", "egen", "--templates", folder)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "p" / "texter").iterdir()) == ["a.md", "b.md"]
    # the project can name the folder itself with mallar:
    config = (tmp_path / "p" / "projekt.yaml").read_text(encoding="utf-8").replace("# mallar: [finansiarens-mallar]", "mallar: [../mallar]")
    (tmp_path / "p" / "projekt.yaml").write_text(config, encoding="utf-8")
    result = run("build", tmp_path / "p")
    assert result.exit_code == 0, result.output
    html = (tmp_path / "p" / "rapport" / "rapport.html").read_text(encoding="utf-8")
    assert "<h2>1. Första</h2>" in html and "<h2>2. Andra</h2>" in html


@pytest.mark.parametrize(
    "body, fragment",
    [
        ("id: x\nrubriker:\n  - {id: a, rubrik: A, block: [okant]}\n", "'block' nr 1 i rubriken 'A' ska vara en av personalenkat"),
        ("id: x\nrubriker:\n  - {rubrik: A}\n", "rubrik nr 1 saknar id"),
        ("id: x\nrubriker:\n  - {id: a}\n", "saknar rubrik"),
        ("id: x\nrubriker: []\n", "mallen har inga rubriker"),
        ("id: x\nrubriker:\n  - {id: a, rubrik: A}\n  - {id: a, rubrik: B}\n", "rubrik-id används flera gånger: a"),
        ("id: x\nrubriker: [\n", "inte giltig YAML"),
    ],
)
def test_broken_templates_give_clear_errors(tmp_path, body, fragment):
    folder = _custom(tmp_path, body)
    with pytest.raises(ProjectError, match=re.escape(fragment)) as info:
        load_template("egen", [folder])
    assert "mall.yaml" in str(info.value)


def test_check_on_the_demo_project_reports_exactly_what_is_missing(tmp_path):
    result = run("check", SAMPLES)
    assert result.exit_code == 0  # the demo fills every required heading (build --strikt exits 0 on it)
    assert result.output.splitlines()[-1] == "12 av 12 obligatoriska rubriker har innehåll."
    project = tmp_path / "p"
    shutil.copytree(SAMPLES, project)
    for heading in ("sekundara-effekter", "lsg-analys", "forbundschefens-analys"):
        (project / "texter" / f"{heading}.md").unlink()
    result = run("check", project)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == "Vägen framåt – mall: Slutrapport enligt RAR Sörmlands mall"
    assert lines[1:] == [
        "  ✓ 1 Sammanfattning: har text",
        "  ✓ 2 Uppdraget: har text",
        "  ✓ 3 Arbetsprocess och metod: har text",
        "  ✓ 4 Extern utvärdering: har beräknat innehåll, ingen egen text ännu",
        "  ✓ 5 Ekonomisk redovisning: har beräknat innehåll, ingen egen text ännu",
        "  ✓ 6 Resultat personalenkät: har beräknat innehåll, ingen egen text ännu",
        "  ✓ 7 Individperspektiv: har beräknat innehåll, ingen egen text ännu",
        "  ✗ 8 Sekundära effekter: text saknas",
        "  ✓ 9 Implementering: har text",
        "  ✓ 10 Projektledarens analys och förslag: har text",
        "  ✗ 11 LSG:s analys och förslag: text saknas",
        "  ✗ 12 Förbundschefens analys och förslag: text saknas",
        "9 av 12 obligatoriska rubriker har innehåll.",
    ]


def test_check_passes_when_every_required_heading_has_text(tmp_path):
    project = tmp_path / "p"
    shutil.copytree(SAMPLES, project)
    for heading in load_template("rar-slutrapport").all_headings():
        path = project / "texter" / f"{heading.id}.md"
        if not path.exists():
            path.write_text("Text.", encoding="utf-8")
    result = run("check", project)
    assert result.exit_code == 0, result.output
    assert "12 av 12 obligatoriska rubriker har innehåll." in result.output


def test_check_names_survey_errors_instead_of_stopping(tmp_path):
    project = tmp_path / "p"
    shutil.copytree(SAMPLES, project)
    (project / "enkater" / "enkat3.csv").write_text("Organisation;Något annat\nAF;1\n", encoding="utf-8")
    result = run("check", project)
    assert result.exit_code == 1
    assert "personalenkätens filer har" in result.output and "slutrapport validate" in result.output


def test_utkast_shows_the_completeness_table(demo_draft_run, demo_dir):
    result = demo_draft_run  # `slutrapport demo --utkast`, run once for the session
    assert result.exit_code == 0, result.output
    html = (result.folder / "rapport.html").read_text(encoding="utf-8")
    # the demo fills every required heading: the table lists them all as filled
    assert "Utkast: vad saknas?" in html and '<tr class="ifylld"><th scope="row">8 Sekundära effekter</th>' in html
    plain = demo_dir  # `slutrapport demo` without --utkast
    assert "Utkast: vad saknas?" not in (plain / "rapport.html").read_text(encoding="utf-8")


def _fill_competence(project: Path) -> None:
    config = (project / "projekt.yaml").read_text(encoding="utf-8")
    config = config.replace("    #  - Kognitiv beteendeterapi (KBT)", "      - Kognitiv beteendeterapi (KBT)")
    config = config.replace("    #  - Motiverande samtal (MI)", "      - MI").replace("    #  - Äldre", "      - Äldre")  # an alias works too
    config = config.replace(
        '  #  - {kurslangd: "2-5 dagar", kursdagar: 0, deltagare: 0, landsting: 0, kommun: 0, annan: 0, utan_hogskoleexamen: 0}',
        '    - {kurslangd: "2–5 dagar", kursdagar: 12, deltagare: 40, landsting: 10, kommun: 25, annan: 5, utan_hogskoleexamen: 18}',
    )  # the older template's dash: a hyphen and a dash are the same
    (project / "projekt.yaml").write_text(config, encoding="utf-8")


def test_socialstyrelsen_tables_from_the_project_file(tmp_path):
    project = tmp_path / "ss"
    assert run("init", project, "--template", "socialstyrelsen-kompetens").exit_code == 0
    assert (project / "texter" / "kategorisering.md").exists() and (project / "texter" / "resultat-personal.md").exists()
    check = run("check", project)
    expected = "✗ 3.4 Kategorisering av projektets innehåll och inriktning: text saknas; kategorisering saknas"
    assert expected + " (i projekt.yaml: kompetenssatsning: kategorisering:)" in check.output
    assert "✗ 4 Utbildningarnas omfattning: text saknas; omfattning saknas (i projekt.yaml: kompetenssatsning: omfattning:)" in check.output
    _fill_competence(project)
    result = run("build", project)
    assert result.exit_code == 0, result.output
    html = (project / "rapport" / "rapport.html").read_text(encoding="utf-8")
    assert "<h3>3.4 Kategorisering av projektets innehåll och inriktning</h3>" in html
    assert '<th scope="row">Kognitiv beteendeterapi (KBT)</th><td class="text">X</td>' in html
    assert '<th scope="row">Motiverande samtal (MI)</th><td class="text">X</td>' in html
    assert '<th scope="row">Ett Självständigt Liv (ESL)</th><td class="text"></td>' in html
    assert re.search(r'<th scope="row">Totalt</th><td class="count">12</td><td class="count">40</td>', html)
    assert "✓ 4 Utbildningarnas omfattning: har beräknat innehåll, ingen egen text ännu" in run("check", project).output


def test_socialstyrelsen_volume_errors_name_the_row(tmp_path):
    project = tmp_path / "ss"
    run("init", project, "--template", "socialstyrelsen-kompetens")
    config = (
        (project / "projekt.yaml")
        .read_text(encoding="utf-8")
        .replace(
            '  #  - {kurslangd: "6-10 dagar", kursdagar: 0, deltagare: 0, landsting: 0, kommun: 0, annan: 0, utan_hogskoleexamen: 0}',
            '    - {kurslangd: "6-10 dagar", kursdagar: 3, deltagare: 10, landsting: 1, kommun: 1, annan: 1, utan_hogskoleexamen: 0}\n'
            '    - {kurslangd: "en vecka", kursdagar: 1}',  # a count below 0 is the schema's (test_yaml_schemas)
        )
    )
    (project / "projekt.yaml").write_text(config, encoding="utf-8")
    result = run("build", project)
    assert result.exit_code == 1
    assert "rad 1 (6-10 dagar): landsting + kommun + annan (3) ska vara lika med deltagare (10)" in result.output
    assert "rad 2: okänd kurslängd 'en vecka'" in result.output


@pytest.mark.parametrize("template_id", ["rar-slutrapport", "socialstyrelsen-kompetens", "extern-utvardering"])
def test_rendered_heading_structure_snapshot(tmp_path, template_id):
    project = tmp_path / "p"
    run("init", project, "--template", template_id)
    shutil.copytree(SAMPLES / "enkater", project / "enkater", dirs_exist_ok=True)
    config = (
        (project / "projekt.yaml")
        .read_text(encoding="utf-8")
        .replace("  enkater:\n", "  enkater:\n    - {fil: enkater/enkat1_google_forms.csv}\n    - {fil: enkater/enkat3.csv}\n")
    )
    (project / "projekt.yaml").write_text(config, encoding="utf-8")
    # the HTML `build` writes, without the Word and Excel files the snapshot does not read
    from slutrapport.pipeline import analyse_project
    from slutrapport.project.folder import load_project
    from slutrapport.render import render_html
    from slutrapport.report.build import project_report

    loaded = load_project(project)
    html = render_html(project_report(loaded, analyse_project(loaded)))
    structure = [f"{tag} {re.sub(r'<[^>]+>', '', text)}" for tag, text in re.findall(r"<(h[1-6])[^>]*>(.*?)</h[1-6]>", html)]
    snapshot = SNAPSHOTS / f"struktur_{template_id}.json"
    if __import__("os").environ.get("SLUTRAPPORT_UPDATE_SNAPSHOTS"):
        snapshot.write_text(json.dumps(structure, ensure_ascii=False, indent=1), encoding="utf-8")
    assert structure == json.loads(snapshot.read_text(encoding="utf-8"))


def test_hostile_narratives_stay_text_in_every_format(tmp_path):
    from docx import Document
    from openpyxl import load_workbook

    project = tmp_path / "p"
    run("init", project)
    hostile = ["=SUMMA(A1:A9)", "+46 70 123 45 67", "-1 är lägsta värdet", "@kollegor", "<script>alert(1)</script>"]
    (project / "texter" / "sammanfattning.md").write_text("\n\n".join(hostile) + "\n", encoding="utf-8")
    assert run("build", project).exit_code == 0
    out = project / "rapport"
    html = (out / "rapport.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    sheet = load_workbook(out / "rapport.xlsx")["1 Sammanfattning"]
    cells = {c.value: c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}
    for text in hostile:
        assert text in cells and cells[text].data_type == "s", text
    paragraphs = [p.text for p in Document(str(out / "rapport.docx")).paragraphs]
    for text in hostile:
        assert text in paragraphs, text
    headings = [p.text for p in Document(str(out / "rapport.docx")).paragraphs if p.style.name == "Heading 1"]
    assert headings[:2] == ["1 Sammanfattning", "2 Uppdraget"] and len(headings) == 12


@pytest.mark.parametrize("heading_id", ["../../victim", "a/b", "Sammanfattning", "..", "x.md", "temp/../x"])
def test_a_heading_id_that_is_not_a_file_name_is_refused_and_nothing_is_written(tmp_path, heading_id):
    folder = tmp_path / "mallar" / "egen"
    folder.mkdir(parents=True)
    body = f'id: egen\nnamn: Egen mall\nrubriker:\n  - {{id: "{heading_id}", rubrik: Sammanfattning, kravs: true}}\n'
    (folder / "mall.yaml").write_text(body, encoding="utf-8")
    project = tmp_path / "a" / "b" / "p"
    result = run("init", project, "--template", "egen", "--templates", tmp_path / "mallar")
    assert result.exit_code == 1
    assert f"har id '{heading_id}', som inte kan bli ett filnamn" in result.output
    assert "Traceback" not in result.output
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert written == ["mallar/egen/mall.yaml"]


def test_kravs_is_read_as_a_yes_or_no(tmp_path):
    folder = tmp_path / "mallar" / "egen"
    folder.mkdir(parents=True)
    body = (
        'id: egen\nnamn: Egen mall\nrubriker:\n'
        '  - {id: a, rubrik: A, kravs: "nej"}\n  - {id: b, rubrik: B, kravs: ja}\n  - {id: c, rubrik: C, kravs: "kanske"}\n'
    )
    (folder / "mall.yaml").write_text(body, encoding="utf-8")
    with pytest.raises(ProjectError, match="rubriken 'C': 'kravs' ska vara true eller false"):
        load_template("egen", [tmp_path / "mallar"])
    (folder / "mall.yaml").write_text(body.replace('  - {id: c, rubrik: C, kravs: "kanske"}\n', ""), encoding="utf-8")
    assert [h.required for h in load_template("egen", [tmp_path / "mallar"]).all_headings()] == [False, True]


def test_the_interim_template_ships_with_its_type():
    template = load_template("rar-lagesrapport")
    assert template.kind == "delrapport" and load_template("rar-slutrapport").kind == "slutrapport"
    assert [h.id for h in template.all_headings() if not h.required] == ["personalenkat"]
    result = run("templates")
    assert "rar-lagesrapport (delrapport, build --delrapport): Lägesrapport enligt RAR Sörmlands mall" in result.output
