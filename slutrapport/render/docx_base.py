"""The document the Word report is written into: python-docx's own, or a funder's reference document.

A template (``word_mall:`` in ``mall.yaml``) or a project (``word_mall:`` in
``projekt.yaml``) may name a Word document whose look the report takes, as
pandoc's ``--reference-doc``: its styles, fonts, page size and margins,
header and footer. The document is opened as the base, its body is emptied
(its last section properties, which hold the page setup and the header and
footer, are kept) and the report is written into it. A style the report
uses that the reference document lacks (a document saved by Word holds only
the styles it has used) is copied from python-docx's default document, so
that the report never fails on a missing style.
"""

from __future__ import annotations

import copy
import io
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from slutrapport.core.errors import ProjectError
from slutrapport.core.inputs import MEGABYTE, damage_reason, read_bytes_limited
from slutrapport.render.docx_layout import TABLE_COMPACT, TABLE_TEXT

__all__ = ["base_document", "TABLE_NOTE", "REFERENCE_LIMIT"]

TABLE_NOTE = "Tabellnot"
#: The largest reference document read (a Word template with a logo is well under this).
REFERENCE_LIMIT = 50 * MEGABYTE
_PAGE_WIDTH, _PAGE_HEIGHT, _MARGIN = Cm(21.0), Cm(29.7), Cm(2.0)
#: Every style the report's paragraphs and tables use.
_USED_STYLES = (
    "Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Heading 4", "Caption", "TOC Heading", "Quote",
    "List Bullet", "List Bullet 2", "List Bullet 3", "List Number", "List Number 2", "List Number 3",
    "List Continue", "List Continue 2", "List Continue 3", "Table Grid",
)  # fmt: skip


def base_document(reference: Path | None = None) -> DocxDocument:
    """An empty document to write the report into: A4 portrait with 2 cm margins and Swedish as the
    language, or the reference document emptied of its text; with the report's table styles."""
    if reference is None:
        doc = Document()
        section = doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = _PAGE_WIDTH, _PAGE_HEIGHT
        section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = _MARGIN
        for lang in doc.styles.element.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:lang"):
            lang.set(qn("w:val"), "sv-SE")  # Swedish spelling and hyphenation in Word
    else:
        doc = _reference(Path(reference))
    _add_table_styles(doc)
    return doc


def _reference(path: Path) -> DocxDocument:
    """The reference document, its body emptied; a missing, damaged or non-Word file is a Swedish error naming it."""
    data = read_bytes_limited(path, REFERENCE_LIMIT, "Word-mallen", error=ProjectError)
    try:
        doc = Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises zip, XML, KeyError and ValueError kinds on a file that is no .docx
        reason = "det är inget Word-dokument (.docx)" if isinstance(exc, ValueError) else damage_reason(exc)
        raise ProjectError(f"Word-mallen {path} kunde inte läsas: {reason}. Spara den i Word som Word-dokument (.docx).") from exc
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    _copy_missing_styles(doc)
    return doc


def _copy_missing_styles(doc: DocxDocument) -> None:
    """Copy each style the report uses and ``doc`` lacks from python-docx's default document.

    A copied list style whose numbering ``doc`` does not have loses its numbering (the list is still indented).
    """
    have = {style.name for style in doc.styles}
    default = Document()
    numbering = doc.part.numbering_part.element if _has_numbering(doc) else None
    known = {num.numId for num in numbering.num_lst} if numbering is not None else set()
    for name in _USED_STYLES:
        if name in have:
            continue
        element = copy.deepcopy(default.styles[name].element)
        for num_pr in element.xpath("./w:pPr/w:numPr"):
            num_id = num_pr.numId.val if num_pr.numId is not None else None
            if num_id not in known:
                num_pr.getparent().remove(num_pr)
        doc.styles.element.append(element)


def _has_numbering(doc: DocxDocument) -> bool:
    try:
        doc.part.numbering_part  # noqa: B018 (python-docx raises NotImplementedError when the part is absent)
    except NotImplementedError:
        return False
    return True


def _add_table_styles(doc: DocxDocument) -> None:
    """The small paragraph styles of tables and table notes (kept when the reference document has them)."""
    styles = doc.styles
    have = {style.name for style in styles}
    for name, size in ((TABLE_TEXT, 9), (TABLE_NOTE, 8), (TABLE_COMPACT, 7)):
        if name in have:
            continue
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Normal"]
        style.font.size = Pt(size)
        style.paragraph_format.space_after = Pt(3 if name == TABLE_NOTE else 0)
        style.paragraph_format.line_spacing = 1.0
