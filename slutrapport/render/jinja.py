"""The one Jinja environment factory for the HTML the package writes (report, portfolio, web page).

Templates are package data under ``report_templates/`` loaded with jinja2's
``PackageLoader``; autoescape is on for every template and string, so every
user text is escaped, and :func:`html_finalize` cleans every value a template
prints of control characters and lone surrogates (which no UTF-8 file can hold). :func:`add_block_helpers` installs the filters and
globals that render report-model blocks (the web page installs them in
Flask's environment too); a caller adds its own with ``extras``.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from functools import cache
from importlib.resources import files

from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from slutrapport.core.safetext import clean_text
from slutrapport.render.charts import chart_alt_text, chart_png
from slutrapport.render.formatting import cell_text, format_value, markdown_parser
from slutrapport.report.model import CHARTS, Paragraphs, Subsection, Table, TextList

__all__ = [
    "environment",
    "html_finalize",
    "add_block_helpers",
    "markdown_to_html",
    "heading_prefix",
    "column_groups",
    "table_parts",
    "MAX_COLUMNS",
    "WIDE_TABLE",
    "png_data_uri",
    "inline_css",
    "table_rows",
]

_PACKAGE, _TEMPLATES = "slutrapport", "report_templates"


@cache
def environment(*template_folders: str, extras: Callable[[Environment], None] | None = None) -> Environment:
    """The environment for templates in ``report_templates/<folder>`` (the first folder that has a
    template wins), with autoescape on, the block helpers and then ``extras(env)``; one per arguments."""
    loaders = [PackageLoader(_PACKAGE, f"{_TEMPLATES}/{folder}") for folder in template_folders]
    env = Environment(
        loader=loaders[0] if len(loaders) == 1 else ChoiceLoader(loaders),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=html_finalize,
    )
    add_block_helpers(env)
    if extras is not None:
        extras(env)
    return env


class _DataUri(str):
    """A picture's ``data:`` URL (:func:`png_data_uri`): base64, so nothing in it to clean."""


def html_finalize(value: object) -> object:
    """What a template prints, cleaned (:func:`~slutrapport.core.safetext.clean_text`): a text keeps
    its kind (escaped or :class:`~markupsafe.Markup`), anything else is printed as it is (a picture's
    ``data:`` URL needs no cleaning: it is base64)."""
    if type(value) is _DataUri:
        return str(value)
    if isinstance(value, Markup):
        return Markup(clean_text(value))
    if isinstance(value, str):
        return clean_text(value)
    return value


def add_block_helpers(env: Environment) -> None:
    """The filters and tests a template needs to render report-model blocks (also used by the web page)."""
    env.filters.update(markdown=markdown_to_html, cell=cell_text, numbered=heading_prefix, format_value=format_value)
    env.globals.update(
        is_table=lambda b: isinstance(b, Table),
        is_chart=lambda b: isinstance(b, CHARTS),
        is_paragraphs=lambda b: isinstance(b, Paragraphs),
        is_list=lambda b: isinstance(b, TextList),
        is_subsection=lambda b: isinstance(b, Subsection),
        chart_src=lambda chart: png_data_uri(chart_png(chart)),
        chart_alt=chart_alt_text,
        column_groups=column_groups,
        table_parts=table_parts,
        table_rows=table_rows,
        wide_table=WIDE_TABLE,
    )


def markdown_to_html(text: str, top: int | None = None) -> Markup:
    """Markdown → HTML with raw HTML escaped (safe to insert).

    ``top``: the heading level of the text's highest heading, so that a narrative's headings sit under
    its section's heading (never a second ``h1``); its other headings follow on the next levels, in
    the order of the levels the text uses, without a skipped level (at most ``h6``)."""
    parser = markdown_parser()
    tokens = parser.parse(text)
    if top is not None:
        used = sorted({int(t.tag[1:]) for t in tokens if t.type == "heading_open"})
        levels = {level: f"h{min(6, top + rank)}" for rank, level in enumerate(used)}
        for token in tokens:
            if token.type in ("heading_open", "heading_close"):
                token.tag = levels[int(token.tag[1:])]
    return Markup(parser.renderer.render(tokens, parser.options, {}))


def heading_prefix(number: str | None) -> str:
    """'3' → '3. ', '3.1' → '3.1 ', None → ''."""
    if not number:
        return ""
    return f"{number} " if "." in number else f"{number}. "


def column_groups(table: Table, positions: list[int] | None = None) -> list[tuple[str | None, int]]:
    """The spanning header row of a table (or of the columns at ``positions``, one part of it):
    (group or None, number of columns) from left to right."""
    spans: list[tuple[str | None, int]] = []
    for column in (table.columns if positions is None else [table.columns[i] for i in positions]):
        if spans and spans[-1][0] == column.group and column.group is not None:
            spans[-1] = (column.group, spans[-1][1] + 1)
        else:
            spans.append((column.group, 1))
    return spans


#: A table with more columns than this is drawn in parts of whole column groups (waves), each part with the
#: leading columns again (:func:`table_parts`), and a part this wide in a smaller type (class ``bred``).
MAX_COLUMNS, WIDE_TABLE = 11, 9


def table_parts(table: Table, limit: int = MAX_COLUMNS) -> list[list[int]]:
    """The column positions of each part a table is drawn in, so that a printed page holds it.

    A table of at most ``limit`` columns, or without column groups, is one part. A wider one is cut between
    its column groups (the waves): every part starts with the columns before the first group (the row
    labels), and takes whole groups while it stays within ``limit`` columns; a group wider than that is a
    part of its own. Columns after the last group go with the last part.
    """
    columns = table.columns
    if len(columns) <= limit or not table.has_groups:
        return [list(range(len(columns)))]
    lead = 0
    while lead < len(columns) and columns[lead].group is None:
        lead += 1
    pieces: list[list[int]] = []
    for position in range(lead, len(columns)):
        group = columns[position].group
        if pieces and (group is None or columns[pieces[-1][-1]].group == group):
            pieces[-1].append(position)
        else:
            pieces.append([position])
    parts: list[list[int]] = []
    for piece in pieces:
        if parts and len(parts[-1]) + len(piece) <= limit:
            parts[-1] += piece
        else:
            parts.append(list(range(lead)) + piece)
    return parts


def table_rows(table: Table, positions: list[int]) -> Markup:
    """The body rows of a table (of the columns at ``positions``, one part of it) as HTML: the first column a
    row heading, every cell its :func:`~slutrapport.render.formatting.cell_text`, cleaned and escaped as the
    template would print it. Written here rather than in the template: a table of a thousand rows is then
    a few milliseconds instead of a template expression per cell."""
    opening = [f'<td class="{escape(clean_text(table.columns[i].kind))}">' for i in positions]
    kinds = [table.columns[i].kind for i in positions]
    rows = []
    for row in table.rows:
        cells = [
            f'<th scope="row">{escape(clean_text(cell_text(row[i], kind)))}</th>' if i == 0 else f"{start}{escape(clean_text(cell_text(row[i], kind)))}</td>"
            for i, kind, start in zip(positions, kinds, opening, strict=True)
        ]
        rows.append("    <tr>\n" + "".join(cells) + "    </tr>\n")
    return Markup("".join(rows))


def png_data_uri(png: bytes) -> str:
    """A PNG as an ``img src`` that needs nothing outside the page."""
    return _DataUri("data:image/png;base64," + base64.b64encode(png).decode("ascii"))


def inline_css(*paths: str) -> Markup:
    """Stylesheets from package data (paths under ``report_templates/``), joined for a ``<style>`` element."""
    base = files(_PACKAGE) / _TEMPLATES
    return Markup("\n".join((base / path).read_text(encoding="utf-8") for path in paths))
