"""Renderers: the report model to HTML, Excel and CSV. No statistics are computed here.

The names below are imported from their module when first asked for, so that
importing one renderer (``slutrapport.render.excel``) does not load the others
(python-docx for Word, the bundle's JSON Schema).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from slutrapport.core.lazy import lazy_exports

if TYPE_CHECKING:
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

#: The module each public name comes from.
_HOMES = {
    "slutrapport.render.bundle": ("load_bundle", "render_bundle"),
    "slutrapport.render.csvfile": ("changes_csv", "comparison_csv", "reliability_csv"),
    "slutrapport.render.docx": ("render_docx",),
    "slutrapport.render.excel": ("render_excel",),
    "slutrapport.render.html": ("render_html",),
}
__getattr__, __dir__ = lazy_exports(__name__, _HOMES, __all__)
