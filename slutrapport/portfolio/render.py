"""Render the portfolio model as self-contained HTML and tidy CSV files (Excel: :mod:`.excel`).

HTML: ``report_templates/_portfolio/portfolio.html.j2`` with the report's CSS
(``_html/style.css``) and ``_portfolio/portfolio.css`` inlined, autoescape on,
charts as inline PNG; nothing is fetched from anywhere. Table bodies are
written by :func:`_table_rows` (every value escaped), which keeps a portfolio
of hundreds of projects fast. CSV: UTF-8, comma, decimal point,
``true``/``false``, counts as whole numbers. No statistics are computed here.
"""

from __future__ import annotations

import base64
import math
from functools import lru_cache
from importlib.resources import files
from typing import Any

import numpy as np
import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from slutrapport.core.swedish import format_number
from slutrapport.portfolio.charts import forest_alt_text, forest_png
from slutrapport.portfolio.model import (
    DIFF_MONEY,
    DIFF_PERCENT,
    MONEY,
    SHARE_RANGE,
    STATUS,
    ForestChart,
    Portfolio,
    Typed,
)
from slutrapport.portfolio.tables import INTEGER_COLUMNS, TABLE_COLUMNS
from slutrapport.render.formatting import format_value
from slutrapport.render.html import column_groups, heading_prefix
from slutrapport.report.model import Hidden, Paragraphs, Subsection, Table, TextList

__all__ = ["render_portfolio_html", "portfolio_csv", "format_cell", "CSV_FILES"]

#: file name of each tidy table (see :mod:`.tables` for the columns) and of the problem list
CSV_FILES = {name: f"portfolio_{name}.csv" for name in TABLE_COLUMNS} | {"problem": "portfolio_problem.csv"}
_STATUS_TEXT = {"ifylld": "✓", "saknas": "✗", "ej bedömd": "?"}
_MINUS = "\u2212"
_NBSP = "\u00a0"


# -- values --------------------------------------------------------------------


def _signed(value: float, decimals: int) -> str:
    text = format_number(abs(value), decimals)
    if text.strip("0,") == "":
        return text
    return ("+" if value > 0 else _MINUS) + text


def format_cell(value: Any, kind: str) -> str:
    """A model cell as Swedish text: ``Hidden`` → "–", ``Typed`` by its own kind, None/NaN → ""."""
    if isinstance(value, Hidden):
        return "–"
    if isinstance(value, Typed):
        return format_cell(value.value, value.kind)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if kind == MONEY:
        return f"{format_number(float(value), 0)}{_NBSP}kr"
    if kind == DIFF_MONEY:
        return f"{_signed(float(value), 0)}{_NBSP}kr"
    if kind == DIFF_PERCENT:
        return f"{_signed(100 * float(value), 1)}{_NBSP}%"
    if kind == STATUS:
        return _STATUS_TEXT.get(str(value), "")
    if kind == SHARE_RANGE:
        low, high = value
        return f"{format_number(100 * low, 0)}–{format_number(100 * high, 0)}{_NBSP}%"
    return format_value(value, kind)


# -- HTML ------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("slutrapport", "report_templates/_portfolio"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["cell"] = format_cell
    env.filters["numbered"] = heading_prefix
    env.globals.update(
        is_table=lambda b: isinstance(b, Table),
        is_forest=lambda b: isinstance(b, ForestChart),
        is_paragraphs=lambda b: isinstance(b, Paragraphs),
        is_list=lambda b: isinstance(b, TextList),
        is_subsection=lambda b: isinstance(b, Subsection),
        table_rows=_table_rows,
        chart_src=lambda chart: "data:image/png;base64," + base64.b64encode(forest_png(chart)).decode("ascii"),
        chart_alt=forest_alt_text,
        column_groups=column_groups,
    )
    return env


def _status_of(value: Any) -> str:
    """The CSS class of a status cell."""
    return {"ifylld": "status-ifylld", "saknas": "status-saknas", "ej bedömd": "status-ej-bedomd"}.get(str(value), "") if value else ""


def _table_rows(table: Table) -> Markup:
    """The ``<tr>`` rows of a table body: the first cell a row header, status cells with a hidden text."""
    kinds = [str(escape(c.kind)) for c in table.columns]
    lines = []
    for row in table.rows:
        cells = []
        for number, (value, kind) in enumerate(zip(row, kinds, strict=True)):
            text = escape(format_cell(value, kind))
            if number == 0:
                cells.append(f'<th scope="row">{text}</th>')
            elif kind == STATUS:
                spoken = escape(value) if value else "finns inte i mallen"
                cells.append(f'<td class="status {_status_of(value)}"><span aria-hidden="true">{text}</span><span class="sr">{spoken}</span></td>')
            else:
                cells.append(f'<td class="{kind}">{text}</td>')
        lines.append("<tr>" + "".join(cells) + "</tr>")
    return Markup("\n".join(lines))


def _css() -> Markup:
    base = files("slutrapport") / "report_templates"
    text = (base / "_html" / "style.css").read_text(encoding="utf-8") + "\n" + (base / "_portfolio" / "portfolio.css").read_text(encoding="utf-8")
    return Markup(text)


def render_portfolio_html(portfolio: Portfolio) -> str:
    """``portfolio.html``: one self-contained file (CSS and charts inline)."""
    return _environment().get_template("portfolio.html.j2").render(portfolio=portfolio, css=_css())


# -- CSV -------------------------------------------------------------------------


def portfolio_csv(table: pd.DataFrame, columns: list[str]) -> bytes:
    """``table[columns]`` as CSV: true/false for flags, whole numbers for counts, empty for missing."""
    out = table.reindex(columns=columns).copy()
    for name in columns:
        values = out[name]
        present = set(values.dropna().tolist())
        if name in INTEGER_COLUMNS:
            out[name] = pd.to_numeric(values).round().astype("Int64")
        elif present and present <= {True, False} and all(isinstance(v, (bool, np.bool_)) for v in present):
            out[name] = values.map(lambda v: None if v is None or v is pd.NA else ("true" if v else "false"))
    return out.to_csv(index=False, lineterminator="\n").encode("utf-8")

