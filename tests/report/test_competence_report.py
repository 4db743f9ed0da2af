"""Socialstyrelsen's form filled in from projekt.yaml, in every output: the header facts, 3.4's boxes with the
"Ange vad!" text, and section 4 with approximate counts ("Ca 60*") and their note (HTML, Word, Excel, rapport.json)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from slutrapport.core.errors import ProjectError
from slutrapport.project.folder import load_project
from slutrapport.render import render_bundle, render_docx, render_excel, render_html
from slutrapport.render.bundle import schema
from slutrapport.report.blocks.competence import APPROXIMATE_NOTE
from slutrapport.report.build import project_report

jsonschema = pytest.importorskip("jsonschema")

GRANT = "Statsbidrag för kompetensutveckling av personal som i sitt arbete kommer i kontakt med personer med psykisk funktionsnedsättning"
PROJECT = f"""\
projekt:
  namn: Meningsfull sysselsättning och vägar till arbete
  projektagare: Socialförvaltningen i Järfälla
  period: {{start: 2012-01-01, slut: 2012-12-31}}
  dnr: Son 2010/204
  dnr_finansiar: 6438/2011
  statsbidrag: {GRANT}
  datum: September 2012
mall: socialstyrelsen-kompetens
kompetenssatsning:
  kategorisering:
    metoder:
      - Supported Employment (SE)
      - Annat innehåll: NPF och arbetslivet
    grupper: [Personer med neuropsykiatriska tillstånd]
  omfattning:
    - {{kurslangd: "0,5-1 dag", kursdagar: 1, deltagare: Ca 60, landsting: 0, kommun: ca 50, annan: ca 10, utan_hogskoleexamen: ca 25}}
    - {{kurslangd: "6-10 dagar", kursdagar: 8, deltagare: 15, landsting: 0, kommun: 15, annan: 0, utan_hogskoleexamen: 5}}
"""
CAPTION_METHODS = "Huvudsakligt innehåll i utbildningar som bedrivits av projektet under 2012 – perspektiv och metoder"


def _project(root: Path, text: str = PROJECT):
    root.mkdir(parents=True, exist_ok=True)
    (root / "projekt.yaml").write_text(text, encoding="utf-8")
    return load_project(root)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    return project_report(_project(tmp_path_factory.mktemp("sos") / "p"))


def test_html_prints_the_form(report):
    html = render_html(report)
    facts = html[html.index('<dl class="fakta">') : html.index("</dl>")]
    assert facts.index("<dt>Dnr</dt><dd>Son 2010/204</dd>") < facts.index("<dt>Socialstyrelsens dnr</dt><dd>6438/2011</dd>")
    assert f"<dt>Statsbidrag</dt><dd>{GRANT}</dd>" in facts and "<dt>Datum</dt><dd>September 2012</dd>" in facts
    assert f"<caption>{CAPTION_METHODS}</caption>" in html
    assert '<th scope="col" class="text">perspektiv och metoder</th><th scope="col" class="text">Sätt X här</th>' in html
    assert '<th scope="row">Supported Employment (SE)</th><td class="text">X</td>' in html
    assert '<th scope="row">Annat innehåll? Ange vad! NPF och arbetslivet</th><td class="text">X</td>' in html
    assert '<th scope="row">Kognitiv beteendeterapi (KBT)</th><td class="text"></td>' in html
    assert '<th scope="row">Annat särskilt ämne i fokus? Ange vad!</th><td class="text"></td>' in html  # not ticked: no text
    assert '<th scope="colgroup" colspan="3" class="grupp">Deltagare anställda av:</th>' in html
    # as written, with the marker; the totals by hand: 60 + 15 = 75, 50 + 15 = 65, 10 + 0 = 10, 25 + 5 = 30; 1 + 8 = 9 exact
    assert '<th scope="row">0,5-1 dag</th><td class="count">1</td><td class="count">Ca 60*</td><td class="count">0</td><td class="count">ca 50*</td>' in html
    assert (
        '<th scope="row">Totalt</th><td class="count">9</td><td class="count">ca 75*</td><td class="count">0</td>'
        '<td class="count">ca 65*</td><td class="count">ca 10*</td><td class="count">ca 30*</td>'
    ) in html
    assert f'<p class="not">* {APPROXIMATE_NOTE}</p>' in html


def test_word_prints_the_form(report):
    document = Document(io.BytesIO(render_docx(report)))
    cells = [[c.text for c in row.cells] for table in document.tables for row in table.rows]
    assert ["Socialstyrelsens dnr", "6438/2011"] in cells and ["Statsbidrag", GRANT] in cells and ["Dnr", "Son 2010/204"] in cells
    assert ["Annat innehåll? Ange vad! NPF och arbetslivet", "X"] in cells
    assert ["Totalt", "9", "ca 75*", "0", "ca 65*", "ca 10*", "ca 30*"] in cells
    assert ["0,5-1 dag", "1", "Ca 60*", "0", "ca 50*", "ca 10*", "ca 25*"] in cells
    texts = [p.text for p in document.paragraphs]
    assert CAPTION_METHODS in texts and f"* {APPROXIMATE_NOTE}" in texts


def test_excel_prints_the_form_and_carries_the_tidy_tables(report):
    workbook = load_workbook(io.BytesIO(render_excel(report)))
    volume = workbook["4 Utbildningarnas omfattning"]
    rows = [[c for c in row if c is not None] for row in volume.iter_rows(values_only=True)]
    assert ["Totalt", 9, "ca 75*", 0, "ca 65*", "ca 10*", "ca 30*"] in rows  # an exact count stays a number
    assert [f"* {APPROXIMATE_NOTE}"] in rows
    data = [list(row) for row in workbook["Data utbildningarnas omfattning"].iter_rows(values_only=True)]
    assert data[0] == ["kurslangd", "matt", "antal", "ungefarligt"]
    assert ["Totalt", "deltagare", 75, True] in data and ["Totalt", "kursdagar", 9, False] in data
    boxes = [list(row) for row in workbook["Data kategorisering"].iter_rows(values_only=True)]
    assert boxes[0] == ["grupp", "alternativ", "vald", "ange"]
    assert ["metoder", "Annat innehåll? Ange vad!", True, "NPF och arbetslivet"] in boxes


def test_rapport_json_carries_the_form_and_validates(report):
    data = json.loads(render_bundle(report))
    errors = [f"{e.json_path}: {e.message}" for e in jsonschema.Draft202012Validator(schema()).iter_errors(data)]
    assert errors == []
    assert data["schema_version"] == "1.4"
    facts = data["projekt"]["uppgifter"]
    assert list(facts)[:3] == ["Dnr", "Socialstyrelsens dnr", "Statsbidrag"] and facts["Datum"] == "September 2012"
    boxes = data["tabeller"]["kompetens_kategorisering"]
    assert boxes["kolumner"] == ["grupp", "alternativ", "vald", "ange"]
    assert ["metoder", "Annat innehåll? Ange vad!", True, "NPF och arbetslivet"] in boxes["rader"]
    assert ["metoder", "Kognitiv beteendeterapi (KBT)", False, None] in boxes["rader"]
    volume = data["tabeller"]["kompetens_omfattning"]
    assert volume["kolumner"] == ["kurslangd", "matt", "antal", "ungefarligt"]
    assert ["0,5-1 dag", "deltagare", 60, True] in volume["rader"] and ["6-10 dagar", "deltagare", 15, False] in volume["rader"]
    assert ["Totalt", "deltagare", 75, True] in volume["rader"]


def test_the_year_and_the_note_come_from_the_project(tmp_path):
    text = PROJECT.replace("kompetenssatsning:\n", "kompetenssatsning:\n  ar: 2013\n  fotnot: Utbildningen har ännu inte ägt rum.\n")
    html = render_html(project_report(_project(tmp_path / "a", text)))
    assert "bedrivits av projektet under 2013 – perspektiv och metoder" in html
    assert '<p class="not">* Utbildningen har ännu inte ägt rum.</p>' in html
    # without ar: the year of datum:, then of the period's end, else "året"
    undated = PROJECT.replace("  datum: September 2012\n", "").replace("slut: 2012-12-31", "slut: 2014-06-30")
    assert "under 2014 – perspektiv" in render_html(project_report(_project(tmp_path / "b", undated)))
    no_year = undated.replace("  period: {start: 2012-01-01, slut: 2014-06-30}\n", "")
    assert "bedrivits av projektet under året – perspektiv" in render_html(project_report(_project(tmp_path / "c", no_year)))


def test_exact_counts_have_no_marker_and_no_note(tmp_path):
    rough = "deltagare: Ca 60, landsting: 0, kommun: ca 50, annan: ca 10, utan_hogskoleexamen: ca 25"
    text = PROJECT.replace(rough, "deltagare: 60, kommun: 50, annan: 10, utan_hogskoleexamen: 25")
    html = render_html(project_report(_project(tmp_path / "p", text)))
    assert '<th scope="row">Totalt</th><td class="count">9</td><td class="count">75</td>' in html
    assert APPROXIMATE_NOTE not in html and "*</td>" not in html


def test_a_count_in_words_is_an_error_naming_file_line_key_and_value(tmp_path):
    with pytest.raises(ProjectError) as error:
        _project(tmp_path / "p", PROJECT.replace("deltagare: Ca 60", "deltagare: ca sextio"))
    assert str(error.value) == (
        f"{tmp_path / 'p' / 'projekt.yaml'} har 1 problem:\n"
        "- rad 17: 'deltagare' i rad nr 1 under 'omfattning' ska vara ett heltal från 0 till 1000000 "
        "eller ett ungefärligt antal som 'ca 60', fick 'ca sextio'"
    )


def test_free_text_on_a_plain_box_is_an_error(tmp_path):
    with pytest.raises(ProjectError) as error:
        project_report(_project(tmp_path / "p", PROJECT.replace("      - Supported Employment (SE)", "      - Supported Employment (SE): i grupp")))
    assert "alternativet 'Supported Employment (SE)' under kategorisering: metoder har inget fält för egen text" in str(error.value)
