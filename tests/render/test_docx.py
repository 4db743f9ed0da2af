"""The Word report: real heading styles, Markdown narratives, Swedish numbers, safe text, pictures."""

from __future__ import annotations

import io
import re
import zipfile

import pandas as pd
import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm

from slutrapport.render.charts import chart_alt_text
from slutrapport.render.docx import render_docx
from slutrapport.report.model import COUNT, MEAN, PERCENT, Chart, Column, Completeness, Hidden, Paragraphs, Report, Section, Subsection, Table, TextList

HOSTILE = [
    "<script>alert(1)</script>",
    '=HYPERLINK("http://x","y")',
    "+46 70 123 45 67",
    "-2+3",
    "@SUM(A1)",
]

NARRATIVE = """\
Projektet har varit **viktigt** för *alla* parter.

- första punkten
* andra punkten med **fet** text

# Rubrik i texten

1. ett
2. två

<script>alert(1)</script>

=HYPERLINK("http://x","y")

3. tre
4. fyra
"""



def _chart() -> Chart:
    data = pd.DataFrame(
        {"grupp": ["Alla", "Alla", "AF", "AF"], "enkat": ["Enkät 1", "Enkät 2"] * 2, "value": [3.5, 4.0, 3.2, 3.9], "n": [20, 22, 8, 9]}
    )
    return Chart("Index A: medelvärde per enkät", data, ["Enkät 1", "Enkät 2"], "Medelvärde", 1, 5)


def _table() -> Table:
    columns = [
        Column("Grupp"),
        Column("Medel", MEAN, "Enkät 1"),
        Column("Andel positiva", PERCENT, "Enkät 1"),
        Column("n", COUNT, "Enkät 1"),
        Column("Medel", MEAN, "Enkät 2"),
        Column("n", COUNT, "Enkät 2"),
    ]
    rows = [["Alla", 4.5, 72, 1512, Hidden("färre än 5 svar"), 3], [HOSTILE[1], 3.3, 40, 12, 4.0, 10]]
    return Table("Index A per grupp", columns, rows, notes=["– = dolt: färre än 5 svar."])


def _report(draft: bool = True) -> Report:
    chart = _chart()
    sections = [
        Section("inledning", "1", "Inledning", narrative=NARRATIVE),
        Section("bakgrund", "1.1", "Bakgrund", level=2),
        Section(
            "resultat",
            "2",
            "Resultat",
            narrative="Se tabellerna.",
            blocks=[
                Subsection(
                    "Index A",
                    [
                        Paragraphs(["Förklarande text."]),
                        _table(),
                        chart,
                        TextList("Fritextsvar", HOSTILE),
                        TextList("Inga svar här", [], empty_text="Inga svar."),
                        Subsection("Djupare", [Paragraphs(["Nivå tre."])]),
                    ],
                )
            ],
        ),
    ]
    completeness = [
        Completeness("inledning", "1", "Inledning", True, "ifylld"),
        Completeness("bakgrund", "1.1", "Bakgrund", True, "saknas", ["text saknas"]),
    ]
    return Report(
        title="Vägen framåt",
        subtitle="Slutrapport",
        facts={"Projektägare": "Storsjö kommun", "Projektperiod": "2025–2026"},
        sections=sections,
        generated="2026-01-31",
        completeness=completeness,
        draft=draft,
    )


@pytest.fixture(scope="module")
def rendered() -> bytes:
    return render_docx(_report())


@pytest.fixture(scope="module")
def document(rendered):
    return Document(io.BytesIO(rendered))


def _headings(document) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]


def _table_with_header(document, label: str):
    return next(t for t in document.tables if any(label in [c.text for c in row.cells] for row in t.rows[:2]))


def test_sections_and_subsections_are_real_word_headings_in_order(document):
    assert document.paragraphs[0].style.name == "Title"
    assert document.paragraphs[0].text == "Vägen framåt"
    assert _headings(document) == [
        ("Heading 1", "1 Inledning"),
        ("Heading 2", "1.1 Bakgrund"),
        ("Heading 1", "2 Resultat"),
        ("Heading 2", "Index A"),
        ("Heading 3", "Djupare"),
    ]


def test_missing_text_is_said_in_italics(document):
    missing = [p for p in document.paragraphs if p.text.startswith("Text saknas under den här rubriken.")]
    assert len(missing) == 1 and all(r.italic for r in missing[0].runs)


def test_narrative_markdown_becomes_word_paragraphs_and_lists(document):
    paragraphs = document.paragraphs
    bullets = [p.text for p in paragraphs if p.style.name == "List Bullet"]
    assert bullets[:2] == ["första punkten", "andra punkten med fet text"]
    numbered = [p for p in paragraphs if p.style.name == "List Number"]
    assert [p.text for p in numbered] == ["ett", "två", "tre", "fyra"]
    # Each numbered list gets its own numbering instance starting at its own first number.
    num_ids = [p._p.pPr.numPr.numId.val for p in numbered]
    assert num_ids[0] == num_ids[1] != num_ids[2] == num_ids[3]
    numbering = document.part.numbering_part.element
    starts = [numbering.num_having_numId(i).xpath("./w:lvlOverride/w:startOverride/@w:val")[0] for i in (num_ids[0], num_ids[2])]
    assert starts == ["1", "3"]
    first = next(p for p in paragraphs if p.text.startswith("Projektet har varit"))
    assert [(r.text, bool(r.bold), bool(r.italic)) for r in first.runs] == [
        ("Projektet har varit ", False, False),
        ("viktigt", True, False),
        (" för ", False, False),
        ("alla", False, True),
        (" parter.", False, False),
    ]
    inner = next(p for p in paragraphs if p.text == "Rubrik i texten")
    assert inner.style.name == "Normal" and all(r.bold for r in inner.runs)


def test_nested_lists_quotes_and_code_keep_their_text():
    report = _report(draft=False)
    report.sections[0].narrative = "1. punkt\n   - under **a**\n\n   mer i punkten\n\n> citat\n\n```\nkod = <b>1</b>\n```\n"
    paragraphs = Document(io.BytesIO(render_docx(report))).paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.text == "punkt")
    assert [(p.style.name, p.text) for p in paragraphs[start : start + 5]] == [
        ("List Number", "punkt"),
        ("List Bullet 2", "under a"),
        ("List Continue", "mer i punkten"),
        ("Quote", "citat"),
        ("Normal", "kod = <b>1</b>"),
    ]


def test_hostile_text_is_verbatim_text_never_a_field(rendered, document):
    texts = [p.text for p in document.paragraphs]
    assert texts.count("<script>alert(1)</script>") == 2  # narrative and free-text list
    assert texts.count('=HYPERLINK("http://x","y")') == 2
    for value in HOSTILE[2:]:
        assert value in texts
    table = _table_with_header(document, "Andel positiva")
    assert table.rows[3].cells[0].text == HOSTILE[1]
    xml = zipfile.ZipFile(io.BytesIO(rendered)).read("word/document.xml").decode("utf-8")
    assert "fldSimple" not in xml
    assert re.findall(r"<w:instrText[^>]*>([^<]*)</w:instrText>", xml) == ['TOC \\o "1-2" \\h \\z \\u']
    assert "<script>" not in xml and "&lt;script&gt;alert(1)&lt;/script&gt;" in xml


def test_table_has_group_header_swedish_numbers_and_hidden_cells(document):
    table = _table_with_header(document, "Andel positiva")
    assert table.style.name == "Table Grid"
    assert [c.text for c in table.rows[0].cells] == ["", "Enkät 1", "Enkät 1", "Enkät 1", "Enkät 2", "Enkät 2"]
    spans = [tc.grid_span for tc in table.rows[0]._tr.tc_lst]
    assert spans == [1, 3, 2]
    assert [c.text for c in table.rows[1].cells] == ["Grupp", "Medel", "Andel positiva", "n", "Medel", "n"]
    assert all(r.bold for c in table.rows[1].cells for p in c.paragraphs for r in p.runs)
    assert [c.text for c in table.rows[2].cells] == ["Alla", "4,5", "72\u00a0%", "1\u00a0512", "–", "3"]
    assert [c.text for c in table.rows[3].cells][1:] == ["3,3", "40\u00a0%", "12", "4,0", "10"]
    assert table.rows[2].cells[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert table.rows[2].cells[0].paragraphs[0].alignment is None
    caption = next(p for p in document.paragraphs if p.text == "Index A per grupp")
    assert all(r.bold for r in caption.runs)
    assert any(p.text == "– = dolt: färre än 5 svar." for p in document.paragraphs)


def test_header_rows_repeat_on_every_page(document):
    table = _table_with_header(document, "Andel positiva")
    marked = [row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None for row in table.rows]
    assert marked == [True, True, False, False]


def test_chart_is_a_picture_with_its_text_alternative(document):
    shapes = document.inline_shapes
    assert len(shapes) == 1
    assert shapes[0]._inline.docPr.get("descr") == chart_alt_text(_chart())
    assert _close(shapes[0].width, 16)
    picture = next(i for i, p in enumerate(document.paragraphs) if p._p.xpath(".//wp:docPr"))
    assert document.paragraphs[picture + 1].text == "Index A: medelvärde per enkät"


def test_text_lists_are_bullets_or_say_they_are_empty(document):
    texts = [p.text for p in document.paragraphs]
    start = texts.index("Fritextsvar")
    assert [p.style.name for p in document.paragraphs[start + 1 : start + 1 + len(HOSTILE)]] == ["List Bullet"] * len(HOSTILE)
    assert texts[texts.index("Inga svar här") + 1] == "Inga svar."


def test_title_page_facts_and_draft_completeness(document):
    facts = document.tables[0]
    assert [[c.text for c in row.cells] for row in facts.rows] == [["Projektägare", "Storsjö kommun"], ["Projektperiod", "2025–2026"]]
    assert any(p.text == "Skapad 2026-01-31" for p in document.paragraphs)
    completeness = document.tables[1]
    assert [[c.text for c in row.cells] for row in completeness.rows] == [
        ["Rubrik", "Krävs", "Status", "Vad saknas"],
        ["1 Inledning", "ja", "ifylld", ""],
        ["1.1 Bakgrund", "ja", "saknas", "text saknas"],
    ]
    final = Document(io.BytesIO(render_docx(_report(draft=False))))
    assert all(t.rows[0].cells[0].text != "Rubrik" for t in final.tables)


def _close(length: int, cm: float) -> bool:
    return abs(length - Cm(cm)) < Cm(0.01)  # Word stores twips, not EMU


def test_a4_portrait_fixed_properties_and_reproducible_bytes(rendered, document):
    section = document.sections[0]
    assert _close(section.page_width, 21) and _close(section.page_height, 29.7)
    assert all(_close(m, 2) for m in (section.left_margin, section.right_margin, section.top_margin, section.bottom_margin))
    assert section.orientation == WD_ORIENT.PORTRAIT
    props = document.core_properties
    assert (props.title, props.author) == ("Vägen framåt", "slutrapport")
    assert props.created.year == props.modified.year == 2000
    assert render_docx(_report()) == rendered


def test_characters_word_cannot_hold_are_dropped():
    report = _report(draft=False)
    report.sections[0].narrative = "före\x0befter"
    report.sections[0].blocks = [Paragraphs(["a\x00b\x1fc\ud800"])]
    texts = [p.text for p in Document(io.BytesIO(render_docx(report))).paragraphs]
    assert "före efter" in texts and "ab c" in texts  # the vertical tab and U+001F separate words: a space


def test_demo_report_has_every_rar_heading_as_heading_1_in_order(demo_dir):
    from slutrapport.pipeline import sample_project_dir
    from slutrapport.project.folder import load_project

    project = load_project(sample_project_dir())
    document = Document(str(demo_dir / "rapport.docx"))  # the demo built once for the session (`slutrapport demo`)
    found = [re.sub(r"^\d+ ", "", text) for style, text in _headings(document) if style == "Heading 1"]
    assert found == [h.title for h in project.template.all_headings()]
    assert len(found) == 12
    assert document.inline_shapes and all(s._inline.docPr.get("descr") for s in document.inline_shapes)


def test_a_table_too_wide_for_a_portrait_page_gets_a_landscape_page_of_its_own():
    from slutrapport.report.model import COUNT, MEAN

    report = _report(draft=False)
    narrow = Table("Smal tabell", [Column("Fråga"), Column("n", COUNT)], [["En fråga", 5]])
    columns = [Column("Index")] + [Column(f"Förändringsmått {i}", MEAN) for i in range(12)]
    wide = Table("Bred tabell", columns, [["Inställning till samverkan", *[1.25] * 12]])
    report.sections[0].blocks = [narrow, wide, Paragraphs(["Efter tabellen."])]
    document = Document(io.BytesIO(render_docx(report)))
    orientations = [s.orientation for s in document.sections]
    # portrait (title … narrow table), landscape (the wide table), portrait again (the rest)
    assert orientations == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]
    landscape = document.sections[1]
    assert _close(landscape.page_width, 29.7) and _close(landscape.page_height, 21)
    table = _table_with_header(document, "Förändringsmått 11")
    assert sum(c.width for c in table.columns) <= Cm(29.7 - 4) and sum(c.width for c in table.columns) > Cm(21 - 4)


def test_a_table_that_fits_in_7_pt_stays_on_the_portrait_page_in_the_small_table_style():
    from slutrapport.report.model import MEAN

    report = _report(draft=False)
    # 10 columns whose longest words need 9 + 3 characters each: 120 characters of 0.18 cm (21.6 cm) do
    # not fit 17 cm at 9 pt; 10 × (9 + 2) characters of 0.14 cm (15.4 cm) do at 7 pt.
    columns = [Column(f"Kolumn{i:03d}", MEAN) for i in range(10)]
    report.sections[0].blocks = [Table("Ganska bred tabell", columns, [[1.5] * 10])]
    document = Document(io.BytesIO(render_docx(report)))
    assert [s.orientation for s in document.sections] == [WD_ORIENT.PORTRAIT]
    table = _table_with_header(document, "Kolumn009")
    assert {p.style.name for row in table.rows for cell in row.cells for p in cell.paragraphs} == {"Tabelltext liten"}
    assert table.style.name == "Table Grid"
