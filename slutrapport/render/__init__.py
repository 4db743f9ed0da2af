"""Renderers: the report model to HTML, Excel and CSV. No statistics are computed here."""

from __future__ import annotations

from .bundle import load_bundle, render_bundle
from .csvfile import changes_csv, comparison_csv, reliability_csv
from .docx import render_docx
from .excel import render_excel
from .html import render_html

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
