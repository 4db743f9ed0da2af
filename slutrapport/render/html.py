"""Render the report model as one self-contained HTML file.

Templates and CSS are package data in ``report_templates/_html`` loaded with
jinja2's ``PackageLoader`` (autoescape on: every user text is escaped).
Charts are embedded as base64 PNG with Swedish alt text; nothing is fetched
from anywhere.
"""

from __future__ import annotations

import base64
from functools import lru_cache
from importlib.resources import files

from jinja2 import Environment, PackageLoader, select_autoescape
from markdown_it import MarkdownIt
from markupsafe import Markup

from slutrapport.render.charts import chart_alt_text, chart_png
from slutrapport.render.formatting import format_value
from slutrapport.report.model import (
    Chart,
    DivergingChart,
    Hidden,
    Paragraphs,
    Report,
    Subsection,
    Table,
    TextList,
)

__all__ = ["render_html", "markdown_to_html", "heading_prefix", "add_block_helpers", "column_groups"]


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    # html=False: raw HTML in a narrative is shown as text. Links and images are
    # switched off so the report never points at or fetches anything outside itself.
    return MarkdownIt("commonmark", {"html": False}).disable(["link", "image", "autolink"])


def markdown_to_html(text: str) -> Markup:
    """Markdown → HTML with raw HTML escaped (safe to insert)."""
    return Markup(_markdown().render(text))


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("slutrapport", "report_templates/_html"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    add_block_helpers(env)
    return env


def add_block_helpers(env: Environment) -> None:
    """The filters and tests a template needs to render report-model blocks (also used by the web page)."""
    env.filters.update(markdown=markdown_to_html, cell=_cell, numbered=heading_prefix)
    env.globals.update(
        is_table=lambda b: isinstance(b, Table),
        is_chart=lambda b: isinstance(b, (Chart, DivergingChart)),
        is_paragraphs=lambda b: isinstance(b, Paragraphs),
        is_list=lambda b: isinstance(b, TextList),
        is_subsection=lambda b: isinstance(b, Subsection),
        chart_src=_chart_src,
        chart_alt=chart_alt_text,
        column_groups=column_groups,
    )


def heading_prefix(number: str | None) -> str:
    """'3' → '3. ', '3.1' → '3.1 ', None → ''."""
    if not number:
        return ""
    return f"{number} " if "." in number else f"{number}. "


def _cell(value: object, kind: str) -> str:
    if isinstance(value, Hidden):
        return "–"
    return format_value(value, kind)


def _chart_src(chart: Chart | DivergingChart) -> str:
    return "data:image/png;base64," + base64.b64encode(chart_png(chart)).decode("ascii")


def column_groups(table: Table) -> list[tuple[str | None, int]]:
    """The spanning header row of a table: (group or None, number of columns) from left to right."""
    spans: list[tuple[str | None, int]] = []
    for column in table.columns:
        if spans and spans[-1][0] == column.group and column.group is not None:
            spans[-1] = (column.group, spans[-1][1] + 1)
        else:
            spans.append((column.group, 1))
    return spans


def render_html(report: Report) -> str:
    css = (files("slutrapport") / "report_templates" / "_html" / "style.css").read_text(encoding="utf-8")
    return _environment().get_template("rapport.html.j2").render(report=report, css=Markup(css))
