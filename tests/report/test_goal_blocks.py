"""The Måluppfyllelse block of every kind of goal, rendered as a row in HTML, Word, Excel and rapport.json, and read by the portfolio."""

from __future__ import annotations

import io
import json
import re
from html import unescape

import pytest
from docx import Document
from openpyxl import load_workbook

from slutrapport.analysis.goal_outcomes import evaluate_goals
from slutrapport.analysis.goals import parse_goals
from slutrapport.render.bundle import render_bundle, schema
from slutrapport.render.docx import render_docx
from slutrapport.render.excel import render_excel
from slutrapport.render.html import render_html
from slutrapport.report.blocks.goals import goal_blocks
from slutrapport.report.model import Report, Section
from slutrapport.sources.activities.log import read_activities
from slutrapport.sources.register.participants import DEFAULT_INCOME
from tests.analysis.test_goal_kinds import REGISTER, survey
from tests.analysis.test_participants import register

jsonschema = pytest.importorskip("jsonschema")

GOALS = [
    {"id": "status", "mal": "Minst 40 % till arbete", "matt": "andel", "kategorier": ["arbete"], "malvarde": "40 %"},
    {"id": "kon", "mal": "Varav minst 50 % kvinnor", "matt": "andel", "population": "inskrivna", "kon": "kvinnor", "malvarde": "50 %"},
    {"id": "forandring", "mal": "Minst 2 färre med försörjningsstöd", "matt": "forandring", "falt": "forsorjning",
     "kategorier": ["försörjningsstöd"], "fran": "2025-03-31", "till": "2025-09-30", "andring": "minskning", "malvarde": 2},
    {"id": "enkat", "mal": "80 % upplever bättre hälsa", "matt": "andel_svar", "fraga": "halsa", "svar": "positiva", "malvarde": "80 %"},
    {"id": "aktiviteter", "mal": "6 informationsträffar", "matt": "aktiviteter", "typ": "informationsträff", "malvarde": 6},
    {"id": "kvalitativt", "mal": "Gemensamma rutiner", "matt": "kvalitativt", "bedomning": "delvis", "motivering": "Två av tre parter <b>använder</b> dem."},
]  # fmt: skip
#: (goal, its row in the Word/HTML table after the goal's text: Mått, Målvärde, Utfall, Underlag, interval, Uppnått, Grund)
ROWS = {
    # 4 of 8 finished with arbete (p1, p3, p7, p9) = 50 %; intervals: statsmodels proportion_confint(k, n, method="wilson")
    "Minst 40 % till arbete": ["Andel", "minst 40\u00a0%", "50\u00a0%", "4 av 8", "22–78\u00a0%", "Ja", "Utfallet (punktskattningen) mot målvärdet"],
    "Varav minst 50 % kvinnor": ["Andel", "minst 50\u00a0%", "58\u00a0%", "7 av 12", "32–81\u00a0%", "Ja", "Utfallet (punktskattningen) mot målvärdet"],
    "Minst 2 färre med försörjningsstöd": ["Förändring", "minst 2 färre", "2 färre", "5 den 2025-03-31, 3 den 2025-09-30", "", "Ja", "Antalet mot målvärdet"],
    "80 % upplever bättre hälsa": ["Andel av svaren (deltagarenkät)", "minst 80\u00a0%", "57\u00a0%", "4 av 7", "25–84\u00a0%", "Nej",
                                   "Utfallet (punktskattningen) mot målvärdet"],
    "6 informationsträffar": ["Antal aktiviteter", "minst 6", "3", "aktivitetsloggen", "", "Nej", "Antalet mot målvärdet"],
    "Gemensamma rutiner": ["Kvalitativt", "", "", "Två av tre parter <b>använder</b> dem.", "", "Delvis", "Projektets egen bedömning"],
}  # fmt: skip


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Report:
    folder = tmp_path_factory.mktemp("mal")
    reg = register(folder, [[*row, "3"] for row in REGISTER])
    data = survey(folder, [("5", "Ja"), ("4", "Ja"), ("4", "Nej"), ("3", "Ja"), ("2", "Ja"), ("Vet ej", "Ja"), ("5", "Nej"), ("1", "Ja")])
    (folder / "aktiviteter.csv").write_text("Datum;Typ\n2025-02-01;Informationsträff\n2025-03-01;informationstraff\n2025-05-01;Informationsträff\n",
                                            encoding="utf-8")  # fmt: skip
    goals, problems = parse_goals(GOALS, reg.status_groups, reg.aliases, DEFAULT_INCOME)
    assert problems.problems == []
    results, problems = evaluate_goals(goals, register=reg, survey=data, activities=read_activities("aktiviteter.csv", folder), min_n=3)
    assert problems.problems == []
    section = Section("mal", "1", "Mål och resultat", blocks=goal_blocks(results))
    return Report(title="Vägen framåt", subtitle="Slutrapport", facts={}, sections=[section], generated="2026-01-31",
                  tables={"maluppfyllelse": results.table})  # fmt: skip


def test_every_kind_is_a_row_of_the_html_table(report):
    html = render_html(report)
    assert "<b>använder</b>" not in html  # the project's own text is escaped
    for goal, cells in ROWS.items():
        row = re.search(r"<tr>(?:(?!</tr>).)*?" + re.escape(goal.replace("<", "&lt;")) + r"(?:(?!</tr>).)*</tr>", html, re.S)
        assert row, goal
        texts = [unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row.group(0), re.S)]
        assert texts == [goal, *cells], goal


def test_every_kind_is_a_row_of_the_word_table(report):
    document = Document(io.BytesIO(render_docx(report)))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Mål")
    # Word keeps a number and its unit together with a no-break space ("95\u00a0%")
    assert [c.text.replace("\xa0", " ") for c in table.rows[0].cells] == ["Mål", "Mått", "Målvärde", "Utfall", "Underlag", "95 % konfidensintervall", "Uppnått",
                                                      "Grund för bedömningen"]  # fmt: skip
    rows = {r.cells[0].text.replace("\xa0", " "): [c.text.replace("\xa0", " ") for c in r.cells[1:]] for r in table.rows[1:]}
    for goal, cells in ROWS.items():
        assert rows[goal] == [c.replace("\xa0", " ") if isinstance(c, str) else c for c in cells], goal
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Projektet bedömer att målet ”Gemensamma rutiner” är delvis uppnått: Två av tre parter <b>använder</b> dem." in text


def test_every_kind_is_a_row_on_the_excel_sheets(report):
    book = load_workbook(io.BytesIO(render_excel(report)))
    cells = {str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value is not None}
    for goal in ROWS:
        assert goal in cells, goal
    data = book["Data måluppfyllelse"]
    header = [c.value for c in data[1]]
    assert header[:10] == ["id", "mal", "matt", "malvarde", "taljare", "namnare", "utfall", "ci_lag", "ci_hog", "uppnatt"]
    assert header[10:] == ["grund", "fore", "efter", "motivering"]
    by_id = {row[0]: dict(zip(header, row, strict=True)) for row in data.iter_rows(min_row=2, values_only=True)}
    assert (by_id["forandring"]["fore"], by_id["forandring"]["efter"], by_id["forandring"]["utfall"]) == (5, 3, 2)
    assert by_id["kvalitativt"]["uppnatt"] == "delvis" and by_id["enkat"]["matt"] == "andel_svar"


def test_every_kind_is_a_row_of_rapport_json_valid_against_the_schema(report):
    data = json.loads(render_bundle(report))
    jsonschema.Draft202012Validator(schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER).validate(data)
    goals = data["tabeller"]["maluppfyllelse"]
    rows = {r[0]: dict(zip(goals["kolumner"], r, strict=True)) for r in goals["rader"]}
    assert [rows[g["id"]]["matt"] for g in GOALS] == ["andel", "andel", "forandring", "andel_svar", "aktiviteter", "kvalitativt"]
    assert [rows[g["id"]]["uppnatt"] for g in GOALS] == ["ja", "ja", "ja", "nej", "nej", "delvis"]
    assert (rows["status"]["taljare"], rows["status"]["namnare"]) == (4, 8)
    details = data["tabeller"]["maluppfyllelse_underlag"]
    assert details["kolumner"] == ["id", "grund", "fore", "efter", "motivering"]
    assert [r for r in details["rader"] if r[0] in ("forandring", "kvalitativt")] == [
        ["forandring", "antal", 5, 3, None],
        ["kvalitativt", "projektets_bedomning", None, None, "Två av tre parter <b>använder</b> dem."],
    ]


def test_the_portfolio_reads_a_bundle_with_every_kind(report, tmp_path):
    from slutrapport.pipeline.build import build_portfolio

    path = tmp_path / "rapport.json"
    path.write_bytes(render_bundle(report))
    outcome = build_portfolio([path], out=tmp_path / "portfolj")
    html = (tmp_path / "portfolj" / "portfolio.html").read_text(encoding="utf-8")
    assert "Gemensamma rutiner" in html and "delvis" in html and outcome.paths
    assert "Av 6 mål är 3 uppnådda, 1 delvis uppnått, 2 inte uppnådda och inget osäkert." in unescape(html)
