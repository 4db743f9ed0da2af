"""Renderers: the report model to HTML, Excel and CSV. No statistics are computed here."""

from __future__ import annotations

from .csvfile import comparison_csv
from .excel import render_excel
from .html import render_html

__all__ = ["comparison_csv", "render_excel", "render_html"]
