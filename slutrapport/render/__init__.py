"""Renderers: the report model to HTML, Excel and CSV. No statistics are computed here."""

from __future__ import annotations

from slutrapport.render.bundle import load_bundle, render_bundle
from slutrapport.render.csvfile import changes_csv, comparison_csv, reliability_csv
from slutrapport.render.docx import render_docx
from slutrapport.render.excel import render_excel
from slutrapport.render.html import render_html

__all__ = [
    "comparison_csv",
    "changes_csv",
    "reliability_csv",
    "render_excel",
    "render_html",
    "render_bundle",
    "render_docx",
    "load_bundle",
]
