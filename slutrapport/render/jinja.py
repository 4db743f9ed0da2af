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
from markupsafe import Markup

from slutrapport.core.safetext import clean_text
from slutrapport.render.charts import chart_alt_text, chart_png
from slutrapport.render.formatting import cell_text, format_value, markdown_parser
from slutrapport.report.model import CHARTS, Paragraphs, Subsection, Table, TextList

__all__ = ["environment", "html_finalize", "add_block_helpers", "markdown_to_html", "heading_prefix", "column_groups", "png_data_uri", "inline_css"]

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


def html_finalize(value: object) -> object:
    """What a template prints, cleaned (:func:`~slutrapport.core.safetext.clean_text`): a text keeps
    its kind (escaped or :class:`~markupsafe.Markup`), anything else is printed as it is."""
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


def column_groups(table: Table) -> list[tuple[str | None, int]]:
    """The spanning header row of a table: (group or None, number of columns) from left to right."""
    spans: list[tuple[str | None, int]] = []
    for column in table.columns:
        if spans and spans[-1][0] == column.group and column.group is not None:
            spans[-1] = (column.group, spans[-1][1] + 1)
        else:
            spans.append((column.group, 1))
    return spans


def png_data_uri(png: bytes) -> str:
    """A PNG as an ``img src`` that needs nothing outside the page."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def inline_css(*paths: str) -> Markup:
    """Stylesheets from package data (paths under ``report_templates/``), joined for a ``<style>`` element."""
    base = files(_PACKAGE) / _TEMPLATES
    return Markup("\n".join((base / path).read_text(encoding="utf-8") for path in paths))
