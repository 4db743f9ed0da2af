"""Render the report model as a Word document (.docx) with python-docx.

Sections become real Word headings ("Heading 1", "Heading 2", ...) so Word's
table of contents and navigation pane work; tables are real Word tables with
repeating header rows; charts are PNG pictures with their Swedish text
alternative as the picture description. Every user text is inserted as run
text (never as a field or formula), cleaned of the characters XML forbids
(:func:`~.formatting.xml_text`, e.g. a vertical tab in a free-text answer),
and the file is reproducible: fixed document dates and fixed zip timestamps.

A number never breaks across lines: the report's numbers carry no-break
spaces (``1 234 567 kr``), the plain spaces of a number in the project's own
text and facts are made no-break (quoted free-text answers stay as written),
and every table has fixed column widths at least as wide as its widest
number (:mod:`~.docx_layout`). The document is python-docx's own or the
template's Word document (``word_mall:``, :mod:`~.docx_base`).
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from itertools import groupby
from pathlib import Path

from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt
from docx.text.paragraph import Paragraph

from slutrapport.render.charts import chart_alt_text, chart_png
from slutrapport.render.docx_base import TABLE_NOTE, base_document
from slutrapport.render.docx_layout import CELL_MARGIN, TABLE_COMPACT, TABLE_TEXT, Layout, choose_layout, column_widths, keep_numbers_together
from slutrapport.render.formatting import cell_text, markdown_parser, property_text, xml_text
from slutrapport.render.xlsx import reproducible_zip
from slutrapport.report.model import CHARTS, TEXT, Chart, Column, DivergingChart, Paragraphs, Report, Section, StackedChart, Subsection, Table, TextList

__all__ = ["render_docx"]

_FIXED_TIME = datetime(2000, 1, 1, tzinfo=UTC)
_CHART_WIDTH = Cm(16)
_MAX_HEADING = 4
_NO_TEXT = "Text saknas under den här rubriken."
_COMPUTED = " Tabellerna och diagrammen nedan är beräknade från inlästa data."
_TOC_HINT = "Högerklicka här och välj Uppdatera fält för att visa innehållsförteckningen."


def _text(text: object) -> str:
    """A text for a run: one an XML file can hold, its numbers kept on one line."""
    return keep_numbers_together(xml_text(text))


def _repeat_header(row) -> None:
    """Mark a table row as a header row Word repeats at the top of every page (and never splits)."""
    tr_pr = row._tr.get_or_add_trPr()
    for name in ("w:cantSplit", "w:tblHeader"):
        tr_pr.append(OxmlElement(name))


def _cell_margins(table, margin: int) -> None:
    """Set the left and right margin of every cell of ``table`` (``w:tblCellMar``)."""
    cell_margins = OxmlElement("w:tblCellMar")
    for side in ("w:left", "w:right"):
        cell_margins.append(OxmlElement(side, {qn("w:w"): str(Emu(margin).twips), qn("w:type"): "dxa"}))
    look = table._tbl.tblPr.find(qn("w:tblLook"))
    if look is not None:  # the schema's order: … tblLayout, tblCellMar, tblLook, tblCaption
        look.addprevious(cell_margins)
    else:
        table._tbl.tblPr.append(cell_margins)


def _font_size(styles, name: str) -> float:
    """A paragraph style's font size in pt, through its base styles to the document's default (Word's 10 pt without one)."""
    style = styles[name]
    while style is not None:
        if style.font.size is not None:
            return style.font.size.pt
        style = style.base_style
    sizes = styles.element.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:sz/@w:val")
    return int(sizes[0]) / 2 if sizes else 10.0


class _Writer:
    """Appends the report's parts to one python-docx document (:func:`~.docx_base.base_document`)."""

    def __init__(self, reference: Path | None = None) -> None:
        self.doc = base_document(reference)
        styles = self.doc.styles
        self.table_note = styles[TABLE_NOTE]
        self.table_styles = {name: styles[name].style_id for name in (TABLE_TEXT, TABLE_COMPACT)}
        self.sizes = (_font_size(styles, TABLE_TEXT), _font_size(styles, TABLE_COMPACT))
        first = self.doc.sections[0]
        self.page = (first.page_width, first.page_height)
        self.text_widths = (first.page_width - first.left_margin - first.right_margin, first.page_height - first.left_margin - first.right_margin)
        self.chart_width = min(_CHART_WIDTH, self.text_widths[0])

    def text(self, text: str, style=None, bold: bool = False, italic: bool = False, verbatim: bool = False) -> Paragraph:
        """A paragraph of one run; ``verbatim`` (a quoted answer) keeps its spaces as written."""
        paragraph = self.doc.add_paragraph(style=style)
        run = paragraph.add_run(xml_text(text) if verbatim else _text(text))
        run.bold, run.italic = bold or None, italic or None
        return paragraph

    def heading(self, text: str, level: int) -> None:
        self.doc.add_heading(_text(text), min(max(level, 1), _MAX_HEADING))

    def title_page(self, report: Report) -> None:
        self.doc.add_heading(_text(report.title), 0)
        if report.subtitle:
            self.text(report.subtitle, style="Subtitle")
        if report.facts:
            facts = self.doc.add_table(rows=len(report.facts), cols=2)
            facts.style = "Table Grid"
            facts.autofit = False
            texts = [[_text(k), _text(v)] for k, v in report.facts.items()]
            widths = column_widths(["", ""], texts, Layout(self.sizes[0], TABLE_TEXT, self.text_widths[0]))
            for row, (label, value) in zip(facts.rows, texts, strict=True):
                for cell, text, width, bold in zip(row.cells, (label, value), widths, (True, False), strict=True):
                    cell.width = width
                    self.cell(cell, text, bold=bold)
        created = f"Skapad {report.generated}" + (f" · {report.template_name}" if report.template_name else "")
        self.text(created, italic=True).paragraph_format.space_before = Pt(12)
        if report.draft and report.completeness:
            self.table(_completeness_table(report))
        if len(report.sections) > 1:
            self.table_of_contents()
        self.doc.add_page_break()

    def table_of_contents(self) -> None:
        """A TOC field over Heading 1–2 with a hint; Word fills it in when the fields are updated."""
        self.text("Innehåll", style="TOC Heading")
        paragraph = self.doc.add_paragraph()
        for tag, value in (("w:fldChar", "begin"), ("w:instrText", 'TOC \\o "1-2" \\h \\z \\u'),
                           ("w:fldChar", "separate"), (None, _TOC_HINT), ("w:fldChar", "end")):
            run = paragraph.add_run()
            if tag is None:
                run.text, run.italic = value, True
            elif tag == "w:fldChar":
                run._r.append(OxmlElement(tag, {qn("w:fldCharType"): value}))
            else:
                element = OxmlElement(tag, {qn("xml:space"): "preserve"})
                element.text = value
                run._r.append(element)

    def section(self, section: Section) -> None:
        level = min(max(section.level, 1), _MAX_HEADING)
        self.heading(f"{section.number} {section.title}" if section.number else section.title, level)
        if section.narrative:
            self.markdown(section.narrative)
        elif section.expects_text:
            self.text(_NO_TEXT + (_COMPUTED if section.blocks else ""), italic=True)
        self.blocks(section.blocks, level)

    def blocks(self, blocks: list, level: int) -> None:
        for block in blocks:
            if isinstance(block, Subsection):
                self.heading(block.title, level + 1)
                self.blocks(block.blocks, min(level + 1, _MAX_HEADING))
            elif isinstance(block, Paragraphs):
                for text in block.texts:
                    self.text(text)
            elif isinstance(block, TextList):
                self.text(block.title, bold=True).paragraph_format.keep_with_next = True
                for item in block.items:
                    self.text(item, style="List Bullet", verbatim=True)
                if not block.items:
                    self.text(block.empty_text, italic=True)
            elif isinstance(block, Table):
                self.table(block)
            elif isinstance(block, CHARTS):
                self.chart(block)

    def markdown(self, source: str) -> None:
        """CommonMark → paragraphs, bullet and numbered lists, bold/italic; headings become bold paragraphs."""
        lists: list[tuple[str, str, int]] = []  # (item style, continuation style, numbering id or 0)
        first_in_item = heading = False
        quotes = 0
        for token in markdown_parser().parse(source):  # the HTML report's rules
            if token.type in ("bullet_list_open", "ordered_list_open"):
                suffix = f" {min(len(lists) + 1, 3)}" if lists else ""
                style = ("List Number" if token.type == "ordered_list_open" else "List Bullet") + suffix
                num_id = self.restart_numbering(style, int(token.attrGet("start") or 1)) if "Number" in style else 0
                lists.append((style, "List Continue" + suffix, num_id))
            elif token.type in ("bullet_list_close", "ordered_list_close"):
                lists.pop()
            elif token.type == "list_item_open":
                first_in_item = True
            elif token.type in ("blockquote_open", "blockquote_close"):
                quotes += 1 if token.type == "blockquote_open" else -1
            elif token.type in ("heading_open", "heading_close"):
                heading = token.type == "heading_open"
            elif token.type in ("fence", "code_block"):
                self.text(token.content.rstrip("\n"))
            elif token.type == "inline":
                style, num_id = ("Quote" if quotes else None), 0
                if lists:
                    style, continued, num_id = lists[-1]
                    style, num_id = (style, num_id) if first_in_item else (continued, 0)
                paragraph = self.doc.add_paragraph(style=style)
                if num_id:
                    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
                    num_pr.get_or_add_ilvl().val, num_pr.get_or_add_numId().val = 0, num_id
                first_in_item = False
                paragraph.paragraph_format.keep_with_next = heading or None
                _inline(paragraph, token.children or [], heading)

    def restart_numbering(self, style_name: str, start: int) -> int:
        """A new numbering instance for one numbered list, so each list starts at its own number."""
        num_pr = self.doc.styles[style_name].element.xpath("./w:pPr/w:numPr/w:numId/@w:val")
        if not num_pr:  # a reference document's list style without numbering: the style's own look
            return 0
        numbering = self.doc.part.numbering_part.element
        style_num = int(num_pr[0])
        num = numbering.add_num(numbering.num_having_numId(style_num).abstractNumId.val)
        num.add_lvlOverride(ilvl=0).add_startOverride(start)
        return num.numId

    def cell(self, cell, text: str, bold: bool = False, align=None, style: str = TABLE_TEXT) -> None:
        paragraph = cell.paragraphs[0]
        paragraph._p.style = self.table_styles[style]  # by id: python-docx's style lookup is slow per cell
        if align is not None:
            paragraph.alignment = align
        if text:
            run = paragraph.add_run(_text(text))
            run.bold = bold or None

    def page_orientation(self, landscape: bool) -> None:
        """Start a new Word section on a new page, landscape or portrait (the document's page size, A4 by default)."""
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        width, height = (self.page[1], self.page[0]) if landscape else self.page
        section.page_width, section.page_height = width, height

    def table(self, table: Table) -> None:
        """A Word table; one too wide for a portrait page even in 7 pt gets a landscape page of its own."""
        if not table.columns:
            return
        header = [column.label for column in table.columns]
        header = [_text(label) for label in header]
        body = [[_text(cell_text(value, column.kind)) for value, column in zip(values, table.columns, strict=True)] for values in table.rows]
        layout = choose_layout(header, body, self.text_widths, self.sizes)
        if layout.landscape:
            self.page_orientation(landscape=True)
        self._table(table, header, body, layout)
        if layout.landscape:
            self.page_orientation(landscape=False)

    def _table(self, table: Table, header: list[str], body: list[list[str]], layout: Layout) -> None:
        caption = self.text(table.caption, style="Caption", bold=True)
        caption.paragraph_format.keep_with_next = True
        widths = column_widths(header, body, layout)
        header_rows = 2 if table.has_groups else 1
        grid = self.doc.add_table(rows=header_rows + len(body), cols=len(header))
        grid.style = "Table Grid"
        grid.autofit = False  # fixed column widths (w:tblLayout fixed): Word keeps them
        if layout.margin != CELL_MARGIN:
            _cell_margins(grid, layout.margin)
        grid._tbl.tblPr.append(OxmlElement("w:tblCaption", {qn("w:val"): _text(property_text(table.caption))}))  # the table's alt text title
        rows = list(grid.rows)
        for column, width in zip(grid.columns, widths, strict=True):
            column.width = width
        if table.has_groups:
            cells, start = rows[0].cells, 0
            for group, members in groupby(table.columns, key=lambda column: column.group):
                span = len(list(members))
                cell = cells[start].merge(cells[start + span - 1]) if span > 1 else cells[start]
                cell.width = sum(widths[start : start + span])
                self.cell(cell, group or "", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, style=layout.style)
                start += span
        for row in rows[:header_rows]:
            _repeat_header(row)
        for number, (texts, row) in enumerate(zip([header, *body], rows[header_rows - 1 :], strict=True)):
            for cell, text, column, width in zip(row.cells, texts, table.columns, widths, strict=True):
                cell.width = width
                right = WD_ALIGN_PARAGRAPH.RIGHT if column.kind != TEXT else None
                self.cell(cell, text, bold=number == 0, align=right, style=layout.style)
        for note in table.notes:
            self.text(note, style=self.table_note)

    def chart(self, chart: Chart | DivergingChart | StackedChart) -> None:
        paragraph = self.doc.add_paragraph()
        paragraph.paragraph_format.keep_with_next = True
        shape = paragraph.add_run().add_picture(io.BytesIO(chart_png(chart)), width=self.chart_width)
        shape._inline.docPr.set("descr", xml_text(chart_alt_text(chart)))
        shape._inline.docPr.set("title", property_text(chart.title))
        self.text(chart.title, style="Caption")
        for note in getattr(chart, "notes", None) or []:
            self.text(note, style=self.table_note)

    def save(self, report: Report) -> bytes:
        props = self.doc.core_properties
        # Word allows at most 255 characters in a property (python-docx raises on more): a long
        # project name is cut with an ellipsis here and stays whole on the title page.
        props.title, props.author, props.last_modified_by = property_text(report.title), "slutrapport", "slutrapport"
        props.comments, props.keywords, props.subject, props.category = "", "", "", ""
        props.created = props.modified = _FIXED_TIME
        props.revision = 1
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return reproducible_zip(buffer.getvalue())


def _inline(paragraph: Paragraph, children: list, bold: bool) -> None:
    """Inline Markdown tokens as runs: text stays text, **bold** and *italic* become run formatting."""
    strong = emphasis = 0
    for child in children:
        if child.type in ("strong_open", "strong_close"):
            strong += 1 if child.type == "strong_open" else -1
        elif child.type in ("em_open", "em_close"):
            emphasis += 1 if child.type == "em_open" else -1
        elif child.type == "hardbreak":
            paragraph.add_run().add_break()
        elif child.type == "softbreak" or child.content:
            run = paragraph.add_run(" " if child.type == "softbreak" else _text(child.content))
            run.bold, run.italic = (bold or strong > 0) or None, emphasis > 0 or None
            if child.type == "code_inline":
                run.font.name = "Consolas"


def _completeness_table(report: Report) -> Table:
    rows = [
        [f"{c.number} {c.title}" if c.number else c.title, "ja" if c.required else "nej", c.status, "; ".join(c.missing)]
        for c in report.completeness
    ]
    return Table("Fullständighet", [Column("Rubrik"), Column("Krävs"), Column("Status"), Column("Vad saknas")], rows)


def render_docx(report: Report, reference: Path | None = None) -> bytes:
    """The report as a .docx file (A4 portrait, Swedish text); equal reports give equal bytes.

    ``reference`` is a Word document whose styles, fonts, page setup, header and footer the report
    takes (``word_mall:``, like pandoc's ``--reference-doc``); a missing or damaged one raises
    :class:`~slutrapport.core.errors.ProjectError` naming it.
    """
    writer = _Writer(reference)
    writer.title_page(report)
    for section in report.sections:
        writer.section(section)
    return writer.save(report)
