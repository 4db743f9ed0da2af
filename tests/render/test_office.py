"""The LibreOffice helper the Word page-count checks use (tests/render/office.py)."""

from __future__ import annotations

from docx import Document
from docx.enum.text import WD_BREAK

from tests.render.office import docx_page_count, pdf_page_count


def test_pdf_pages_are_counted_without_the_page_tree():
    assert pdf_page_count(b"<< /Type /Pages /Count 2 >> << /Type /Page >> << /Type/Page/Parent 1 0 R >>") == 2


def test_libreoffice_counts_the_pages_of_a_word_document(tmp_path):
    doc = Document()
    for text in ("Sida ett", "Sida två", "Sida tre"):
        paragraph = doc.add_paragraph(text)
        if text != "Sida tre":
            paragraph.add_run().add_break(WD_BREAK.PAGE)
    doc.save(tmp_path / "tre.docx")
    assert docx_page_count(tmp_path / "tre.docx") == 3  # skipped where LibreOffice Writer is missing


def test_the_demo_word_report_a_funder_reads_has_at_most_25_pages(demo_dir):
    # LibreOffice's page count is a fair check of Word's (issue 19); the full tables are in bilaga.docx
    assert docx_page_count(demo_dir / "rapport.docx") <= 25  # (the bilaga, about 90 pages, holds what left the report)
