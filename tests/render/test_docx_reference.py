"""word_mall: rapport.docx takes the styles, fonts, page setup, header and footer of a funder's Word document."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from slutrapport.cli import cli
from slutrapport.core.errors import ProjectError
from slutrapport.project.templates import load_template
from slutrapport.render.docx import render_docx
from slutrapport.report.model import MONEY, Column, Report, Section, Table

HEADER_TEXT = "Samordningsförbundet – rapportmall"


def _reference(path: Path) -> Path:
    """A reference document with a distinctive look: Georgia 20 pt headings, Verdana 10 pt text, wide margins, A5-ish page, a header."""
    doc = Document()
    doc.styles["Heading 1"].font.name = "Georgia"
    doc.styles["Heading 1"].font.size = Pt(20)
    doc.styles["Normal"].font.name = "Verdana"
    doc.styles["Normal"].font.size = Pt(10)
    doc.styles["Caption"].font.name = "Georgia"
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(18), Cm(25)
    section.left_margin = section.right_margin = Cm(3.5)
    section.header.paragraphs[0].text = HEADER_TEXT
    doc.add_paragraph("Den här texten ska inte synas i rapporten.")
    doc.save(path)
    return path


def _report() -> Report:
    table = Table("Ekonomi", [Column("Kategori"), Column("Utfall", MONEY)], [["Personal", 1_234_567.0]])
    sections = [Section("a", "1", "Inledning", narrative="Text med 12 345 kr."), Section("b", "2", "Ekonomi", blocks=[table])]
    return Report("Vägen framåt", "Slutrapport", {"Projektägare": "Storsjö kommun"}, sections, "2026-01-31")


def _style(doc, name: str) -> tuple:
    style = doc.styles[name]
    return style.font.name, style.font.size


def test_the_report_takes_the_reference_documents_styles_page_and_header(tmp_path):
    reference = _reference(tmp_path / "mall.docx")
    rendered = Document(io.BytesIO(render_docx(_report(), reference)))
    source = Document(str(reference))
    for name in ("Heading 1", "Normal", "Caption"):
        assert _style(rendered, name) == _style(source, name)
    assert _style(rendered, "Heading 1") == ("Georgia", Pt(20))
    section = rendered.sections[0]
    page = ("page_width", "page_height", "left_margin", "right_margin", "top_margin", "bottom_margin")
    assert [getattr(section, name) for name in page] == [getattr(source.sections[0], name) for name in page]
    assert abs(section.page_width - Cm(18)) < Cm(0.01) and abs(section.left_margin - Cm(3.5)) < Cm(0.01)
    assert section.header.paragraphs[0].text == HEADER_TEXT
    texts = [p.text for p in rendered.paragraphs]
    assert "Den här texten ska inte synas i rapporten." not in texts
    assert texts[0] == "Vägen framåt" and "1 Inledning" in texts and "Text med 12\u00a0345\u00a0kr." in texts
    # the tables fit the reference page's text width (18 − 2 × 3,5 = 11 cm)
    assert sum(c.width for c in rendered.tables[-1].columns) <= Cm(11) + Cm(0.01)


def test_a_reference_document_saved_by_word_without_heading_styles_still_gives_headings(tmp_path):
    doc = Document()
    styles = doc.styles.element
    for style in list(styles):
        name = style.find(qn("w:name"))
        if name is not None and name.get(qn("w:val")) in ("heading 1", "Title", "List Bullet", "List Number"):
            styles.remove(style)
    doc.save(tmp_path / "tunn.docx")
    report = _report()
    report.sections[0].narrative = "- punkt\n\n1. ett\n2. två\n"
    rendered = Document(io.BytesIO(render_docx(report, tmp_path / "tunn.docx")))
    assert [p.style.name for p in rendered.paragraphs if p.text in ("1 Inledning", "Vägen framåt", "punkt", "ett")] == [
        "Title", "Heading 1", "List Bullet", "List Number",
    ]  # fmt: skip


@pytest.mark.parametrize(
    "content, reason",
    [(None, "finns inte"), (b"inget zip-arkiv", "inget giltigt zip-arkiv"), ("text", "det är inget Word-dokument")],
)
def test_a_missing_or_broken_word_mall_is_a_swedish_error_naming_the_file(tmp_path, content, reason):
    path = tmp_path / "mall.docx"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content == "text":  # a zip, but an Excel workbook renamed .docx
        from openpyxl import Workbook

        Workbook().save(path)
    with pytest.raises(ProjectError, match=reason) as info:
        render_docx(_report(), path)
    assert str(path) in str(info.value) and "Word-mallen" in str(info.value)


def _template(tmp_path: Path, word_mall: str) -> Path:
    folder = tmp_path / "mallar" / "egen"
    folder.mkdir(parents=True)
    (folder / "mall.yaml").write_text(f"id: egen\nnamn: Egen mall\nword_mall: {word_mall}\nrubriker:\n  - {{id: a, rubrik: Första}}\n", encoding="utf-8")
    return folder


def test_word_mall_in_the_template_is_found_beside_mall_yaml_and_checked_at_load(tmp_path):
    folder = _template(tmp_path, "mall.docx")
    with pytest.raises(ProjectError, match="Word-mallen .*mall.docx finns inte. Den anges under 'word_mall' i mallfilen .*mall.yaml"):
        load_template("egen", [folder.parent])
    _reference(folder / "mall.docx")
    assert load_template("egen", [folder.parent]).word_reference == folder / "mall.docx"
    assert load_template("rar-slutrapport").word_reference is None  # the shipped templates keep the program's look
    (folder / "mall.yaml").write_text("id: egen\nword_mall: mall.dotx\nrubriker:\n  - {id: a, rubrik: Första}\n", encoding="utf-8")
    with pytest.raises(ProjectError, match=r"'word_mall' i mallfilen .* ska vara ett Word-dokument som slutar på .docx, inte mall.dotx"):
        load_template("egen", [folder.parent])


def test_build_uses_the_projects_own_word_mall_and_refuses_a_broken_one_without_traceback(tmp_path):
    project = tmp_path / "p"
    assert CliRunner().invoke(cli, ["init", str(project)]).exit_code == 0
    config = project / "projekt.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "word_mall: utseende/mall.docx\n", encoding="utf-8")
    (project / "utseende").mkdir()
    _reference(project / "utseende" / "mall.docx")
    result = CliRunner().invoke(cli, ["build", str(project)])
    assert result.exit_code == 0, result.output
    rendered = Document(str(project / "rapport" / "rapport.docx"))
    assert _style(rendered, "Heading 1") == ("Georgia", Pt(20)) and rendered.sections[0].header.paragraphs[0].text == HEADER_TEXT
    (project / "utseende" / "mall.docx").write_bytes(b"PK\x03\x04 trasig")
    result = CliRunner().invoke(cli, ["build", str(project), "--force"])
    assert result.exit_code == 1
    assert "Word-mallen" in result.output and "mall.docx kunde inte läsas" in result.output and "Traceback" not in result.output



def test_the_reference_documents_own_table_style_sets_the_size_the_columns_are_measured_at(tmp_path):
    from slutrapport.render.docx_layout import TABLE_TEXT
    from tests.render.test_docx_layout import _too_narrow

    doc = Document()
    style = doc.styles.add_style(TABLE_TEXT, WD_STYLE_TYPE.PARAGRAPH)
    style.font.size = Pt(14)
    doc.save(tmp_path / "stor.docx")
    columns = [Column("Kategori")] + [Column(f"Utfall {i}", MONEY) for i in range(3)]
    report = Report("Budget", "", {}, [Section("e", "1", "Ekonomi", blocks=[Table("Ekonomi", columns, [["Personal", 12_345_678.0, 1.0, 22.0]])])], "2026-01-31")
    rendered = Document(io.BytesIO(render_docx(report, tmp_path / "stor.docx")))
    table = rendered.tables[-1]
    assert table.rows[1].cells[1].paragraphs[0].style.name == TABLE_TEXT and rendered.styles[TABLE_TEXT].font.size == Pt(14)
    assert _too_narrow(rendered) == []
