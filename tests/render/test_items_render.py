"""The yes/no, choice and number sections in HTML, Excel and Word, from a report model built from hand-made tables."""

from __future__ import annotations

import html
import io
import re

import pytest
from docx import Document
from openpyxl import load_workbook

from slutrapport.core.safetext import FORBIDDEN_CHARACTERS
from slutrapport.render.charts import chart_alt_text, chart_png
from slutrapport.render.docx import render_docx
from slutrapport.render.excel import render_excel
from slutrapport.render.html import render_html
from slutrapport.report.comparison import comparison_report
from slutrapport.report.model import StackedChart
from tests.render.test_safe_output import BAD, _drawn_texts
from tests.report import item_tables

YES_NO = "Har du deltagit i en utbildning inom projektet?"
HOSTILE = "Har du <script>alert(1)</script> deltagit?"


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    return comparison_report(item_tables.results(tmp_path_factory.mktemp("typer")))


@pytest.fixture(scope="module")
def page(report) -> str:
    return render_html(report)


def _text(page: str) -> str:
    """The page's visible text, one space between words."""
    body = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def _stacked(report) -> StackedChart:
    def walk(blocks):
        for block in blocks:
            if isinstance(block, StackedChart):
                return block
            found = walk(getattr(block, "blocks", []))
            if found:
                return found
        return None

    return walk(report.sections[0].blocks)


def test_html_has_every_types_sentence_table_and_chart(report, page):
    text = _text(page)
    assert f"Andelen som svarade ja på ”{YES_NO}” ökade från 40 % i enkät 1 till 65 % i enkät 3" in text.replace("\u00a0", " ")
    for title in ("Ja/nej-frågor", "Frågor med ett svarsalternativ", "Frågor med flera svarsalternativ", "Frågor som besvaras med ett tal"):
        assert f">{title}</h" in page
    assert "Andel ja" in text and "summerar inte till 100 %" in text and "Nedre kvartil" in text
    assert "4,4" in text and "65\u00a0%" in html.unescape(page)  # decimal comma, percent with a space
    alt = html.escape(chart_alt_text(_stacked(report)), quote=True)
    assert f'alt="{alt}"' in page and "Handläggare 60 %" in chart_alt_text(_stacked(report))
    assert "None" not in text and "nan" not in text.split()


def test_hidden_cells_are_a_dash_in_html(page):
    table = page[page.index(f"{YES_NO}: andel som svarade ja per grupp och enkät") :]
    row = re.search(r'<th scope="row">Org B</th>(.*?)</tr>', table, flags=re.S).group(1)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
    assert (cells[0], cells[2]) == ("35\u00a0%", "18") and cells[3:6] == ["–", "–", "–"]


def test_the_stacked_chart_is_drawn():
    chart = StackedChart("Roll", ["Handläggare", "Chef", "Annan roll"], [("Enkät 1", [0.6, 0.2, 0.2], 40), ("Enkät 2", [0.5, 0.3, 0.2], 42)])
    assert chart_png(chart).startswith(b"\x89PNG")
    assert chart_alt_text(chart) == (
        "Stapeldiagram: Roll. Enkät 1 (n = 40): Handläggare 60 %, Chef 20 %, Annan roll 20 %; "
        "Enkät 2 (n = 42): Handläggare 50 %, Chef 30 %, Annan roll 20 %."
    )


def test_stacked_chart_texts_with_dollars_and_control_characters_are_drawn_literally(monkeypatch):
    chart = StackedChart("Roll $\\alpha\x0b", [BAD, "Chef $x$"], [("Start $x$", [0.7, 0.3], 12)])
    texts = _drawn_texts(chart, monkeypatch)
    assert texts and not any(is_math for _, is_math in texts)
    shown = "\n".join(text for text, _ in texts)
    assert not FORBIDDEN_CHARACTERS.search(shown)
    for text in ("Org $A$ och $B$ X", "Chef $x$", "Start $x$ (n = 12)", "Roll $\\alpha"):
        assert text in shown, (text, shown)


def test_excel_keeps_numbers_as_numbers_and_shares_as_percent_cells(report):
    wb = load_workbook(io.BytesIO(render_excel(report)))
    ws = wb[wb.sheetnames[0]]
    cells = {(c.row, c.column): c for row in ws.iter_rows() for c in row}
    yes = next(c for c in cells.values() if c.value == "Andel ja")
    everyone = next(c for c in cells.values() if c.value == "Alla" and c.row > yes.row)
    share = cells[(everyone.row, everyone.column + 1)]
    assert share.value == 0.40 and share.number_format == "0%" and share.data_type == "n"
    assert cells[(everyone.row, everyone.column + 2)].value.endswith("%")  # the interval as Swedish text
    assert cells[(everyone.row, everyone.column + 3)].value == 40
    mean = next(c for c in cells.values() if c.value == 4.4)
    assert mean.number_format == "0.0"
    for sheet in ("Data andelar", "Data andelstest", "Data talfrågor", "Data talfrågor test"):
        assert sheet in wb.sheetnames
    data = wb["Data andelar"]
    header = [c.value for c in data[1]]
    andel = data.cell(row=2, column=header.index("andel") + 1)
    assert isinstance(andel.value, float) and andel.number_format == "0%"


def test_word_has_the_tables_in_swedish_and_the_stacked_chart_as_a_described_picture(report):
    document = Document(io.BytesIO(render_docx(report)))
    texts = [p.text for p in document.paragraphs]
    assert any(t.startswith(f"Andelen som svarade ja på ”{YES_NO}” ökade") for t in texts)
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "65\u00a0%" in cells and "4,4" in cells and "–" in cells and "Nedre kvartil" in cells
    descriptions = [d.get("descr") for d in document.element.body.iter() if d.tag.endswith("}docPr")]
    assert chart_alt_text(_stacked(report)) in descriptions
    assert not any("None" in t for t in texts + cells)


def test_hostile_question_texts_are_escaped_in_html_and_text_in_excel(tmp_path):
    source = item_tables.INSTRUMENT.replace(YES_NO, HOSTILE)
    report = comparison_report(item_tables.results(tmp_path, source=source))
    page = render_html(report)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    ws = load_workbook(io.BytesIO(render_excel(report)))[report.sections[0].title]
    assert any(c.value == HOSTILE for row in ws.iter_rows() for c in row)
