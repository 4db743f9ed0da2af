"""Render the report model as one self-contained HTML file.

The template ``report_templates/_html/rapport.html.j2`` and its CSS are
package data, rendered in the shared environment of :mod:`.jinja` (autoescape
on: every user text is escaped). Charts are embedded as base64 PNG with
Swedish alt text; nothing is fetched from anywhere.
"""

from __future__ import annotations

from slutrapport.render.jinja import add_block_helpers, column_groups, environment, heading_prefix, inline_css, markdown_to_html
from slutrapport.report.model import Report

# The block helpers are re-exported here for the modules that import them from the HTML renderer.
__all__ = ["render_html", "markdown_to_html", "heading_prefix", "add_block_helpers", "column_groups"]


def render_html(report: Report) -> str:
    """``rapport.html``: one self-contained file (CSS and charts inline)."""
    return environment("_html").get_template("rapport.html.j2").render(report=report, css=inline_css("_html/style.css"))
