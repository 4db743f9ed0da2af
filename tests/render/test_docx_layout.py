"""The Word report's layout holds: no number can wrap, header rows repeat, pictures are described, headings are Word's.

A number cell cannot wrap when it has no breakable space and its column is at
least as wide as the number on one line plus the cell's side margins. The
width of the text is measured here independently of the renderer, with
Pillow's FreeType on DejaVu Sans (the file matplotlib ships, so it is always
there) at the cell's font size, bold where the run is bold. DejaVu Sans is a
conservative estimate: its digits are 0.64 em wide, against 0.51 em in Calibri
(Word's default font) and Carlito (LibreOffice's metric twin of Calibri).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt, Twips
from docx.table import _Cell
from matplotlib import font_manager
from PIL import ImageFont

from slutrapport.render.docx import render_docx
from slutrapport.render.docx_layout import keep_numbers_together
from slutrapport.report.model import COUNT, MONEY, PERCENT, Column, Report, Section, Table

#: A cell whose whole text is a number, with its sign, unit or comparison: 12, −0,4, 1 234 567 kr, 72 %, < 0,001, 2025–2026.
NUMBER = re.compile(r"^[<>≤≥±~≈]?\u00a0?[−+\-]?\d[\d\u00a0,.–\-]*(\u00a0(%|kr|tkr|mkr|p\.e\.))?\*?$")
#: A plain (breakable) space inside a number or before its unit: never in the report.
BREAKABLE_NUMBER = re.compile(r"\d (\d{3}(?!\d)|(%|kr|tkr|mkr|p\.e\.)(?!\w))")
DEFAULT_MARGIN = 108  # Table Grid's left and right cell margin in twips (its w:tblCellMar), unless the table sets its own


def _font(bold: bool) -> ImageFont.FreeTypeFont:
    properties = font_manager.FontProperties(family="DejaVu Sans", weight="bold" if bold else "normal")
    return ImageFont.truetype(font_manager.findfont(properties, fallback_to_default=False), 1000)


FONTS = {False: _font(False), True: _font(True)}


def _width(text: str, size: float, bold: bool) -> int:
    """The width of ``text`` on one line at ``size`` pt in DejaVu Sans, in EMU."""
    return int(FONTS[bold].getlength(text) / 1000 * Pt(size))


def _size(paragraph) -> float:
    style = paragraph.style
    while style is not None:
        if style.font.size is not None:
            return style.font.size.pt
        style = style.base_style
    return 11.0


def _number_cells(document):
    """(text, font size, bold, room in the cell, room in the grid column) of every number cell that is not merged:
    its width less the cell's left and right margins."""
    for table in document.tables:
        grid = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        own = table._tbl.tblPr.xpath("./w:tblCellMar/w:left/@w:w | ./w:tblCellMar/w:right/@w:w")
        margins = Twips(sum(int(m) for m in own)) if own else 2 * Twips(DEFAULT_MARGIN)
        for row in table.rows:
            for tc in row._tr.tc_lst:
                if tc.grid_span != 1:
                    continue
                text = "".join(t.text for t in tc.iter(qn("w:t")))
                if not NUMBER.match(text):
                    continue
                paragraph = _Cell(tc, table).paragraphs[0]
                bold = any(r.bold for r in paragraph.runs)
                column = sum(1 for _ in tc.itersiblings(preceding=True) if _.tag == qn("w:tc"))
                yield text, _size(paragraph), bold, tc.width - margins, Twips(grid[column]) - margins


@pytest.fixture(scope="module")
def demo_document(demo_dir: Path):
    return Document(str(demo_dir / "rapport.docx"))  # the demo built once for the session (`slutrapport demo`)


@pytest.fixture(scope="module")
def demo_appendix(demo_dir: Path):
    return Document(str(demo_dir / "bilaga.docx"))  # the full tables and the charts (detaljniva: sammanfattning)


@pytest.fixture(params=["rapport", "bilaga"])
def demo_either(request, demo_document, demo_appendix):
    return demo_document if request.param == "rapport" else demo_appendix


def _too_narrow(document) -> list[tuple[str, float, int, int]]:
    """Every number cell with less room than its number needs: (text, size, room, needed width)."""
    found = []
    for text, size, bold, width, grid in _number_cells(document):
        needed = _width(text, size, bold)
        if min(width, grid) < needed:
            found.append((text, size, min(width, grid), needed))
    return found


def test_no_number_cell_of_the_demo_report_can_wrap(demo_document, demo_appendix):
    # the demo's tables are full of numbers (most in the bilaga): the test looks at them
    assert len(list(_number_cells(demo_document))) > 100 and len(list(_number_cells(demo_appendix))) > 1000
    for document in (demo_document, demo_appendix):
        assert _too_narrow(document) == []
        cells = ["".join(t.text for t in tc.iter(qn("w:t"))) for table in document.tables for tc in table._tbl.iter(qn("w:tc"))]
        assert [text for text in cells if BREAKABLE_NUMBER.search(text)] == []


def test_the_demo_report_tables_have_fixed_widths_repeating_header_rows_and_captions(demo_either, demo_document):
    body = list(demo_either.element.body)
    tables = demo_either.tables
    assert len(tables) > 10
    for table in tables:
        assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    # the report's first table is the title page's facts: no header row
    for table in tables[1:] if demo_either is demo_document else tables:
        first = table.rows[0]._tr
        assert first.trPr is not None and first.trPr.find(qn("w:tblHeader")) is not None
        caption = body[body.index(table._tbl) - 1]
        assert caption.tag == qn("w:p") and caption.pPr.pStyle.val == "Caption"
        caption_text = "".join(t.text for t in caption.iter(qn("w:t")))
        assert table._tbl.tblPr.find(qn("w:tblCaption")).get(qn("w:val")) == caption_text  # the table's alt text
    if demo_either is demo_document:
        facts = tables[0].rows[0]._tr
        assert facts.trPr is None or facts.trPr.find(qn("w:tblHeader")) is None


def test_the_demo_report_pictures_have_text_alternatives_and_headings_are_word_headings(demo_document, demo_appendix):
    shapes = [*demo_document.inline_shapes, *demo_appendix.inline_shapes]
    assert len(shapes) > 10 and all(len(s._inline.docPr.get("descr", "")) > 20 and s._inline.docPr.get("title") for s in shapes)
    styles = [p.style.name for p in demo_document.paragraphs]
    assert styles.count("Heading 1") == 12 and "Heading 2" in styles and "Heading 3" in styles
    xml = demo_document.element.xml
    assert re.findall(r"<w:instrText[^>]*>([^<]*)</w:instrText>", xml) == ['TOC \\o "1-2" \\h \\z \\u']
    assert 'w:fldCharType="begin"' in xml and 'w:fldCharType="end"' in xml


def test_the_test_would_see_a_number_that_does_not_fit():
    columns = [Column("Kategori"), Column("Utfall", MONEY)]
    report = Report("Budget", "", {}, [Section("ekonomi", "1", "Ekonomi", blocks=[Table("Ekonomi", columns, [["Personal", 12_345_678.0]])])], "2026-01-31")
    document = Document(io.BytesIO(render_docx(report)))
    assert _too_narrow(document) == []
    tc = document.tables[0].rows[1]._tr.tc_lst[1]
    tc.width = Twips(1300)  # 2,3 cm: "12 345 678 kr" is 2,4 cm in Calibri, 2,6 cm in DejaVu Sans, + 0,4 cm margins
    assert [text for text, *_ in _too_narrow(document)] == ["12\u00a0345\u00a0678\u00a0kr"]
    assert BREAKABLE_NUMBER.search("12 345 kr") and BREAKABLE_NUMBER.search("72 %") and not BREAKABLE_NUMBER.search("2025 2026")
    assert NUMBER.match("12\u00a0345\u00a0678\u00a0kr") and NUMBER.match("<\u00a00,001") and NUMBER.match("−0,4")
    assert not NUMBER.match("Enkät 1") and not NUMBER.match("Kolumn000")


def test_plain_spaces_in_numbers_and_before_units_become_no_break_spaces():
    assert keep_numbers_together("Budget 12 345 678 kr, 72 % och 3 500 tkr") == "Budget 12\u00a0345\u00a0678\u00a0kr, 72\u00a0% och 3\u00a0500\u00a0tkr"
    unchanged = "år 2025 2026, 1 2 3, 10 kronor, +46 70 123 45 67 och 1,5 000"
    assert keep_numbers_together(unchanged) == unchanged


def test_a_budget_table_keeps_every_amount_on_one_line_however_many_columns():
    columns = [Column("Kategori")] + [Column(f"Utfall period {i}", MONEY) for i in range(1, 9)] + [Column("Andel", PERCENT), Column("n", COUNT)]
    rows = [["Personal och lokaler för hela projekttiden", *[12_345_678.0 + i for i in range(8)], 100, 123456]]
    report = Report("Budget", "", {"Budget": "2 500 000 kr"}, [Section("ekonomi", "1", "Ekonomi", blocks=[Table("Ekonomi", columns, rows)])], "2026-01-31")
    document = Document(io.BytesIO(render_docx(report)))
    assert document.tables[0].rows[0].cells[1].text == "2\u00a0500\u00a0000\u00a0kr"  # a fact typed with plain spaces
    cells = [text for text, *_ in _number_cells(document)]
    assert [text for text in cells if text.endswith("kr")][1:3] == ["12\u00a0345\u00a0678\u00a0kr", "12\u00a0345\u00a0679\u00a0kr"]
    assert _too_narrow(document) == []
