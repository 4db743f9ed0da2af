"""Render the portfolio model as self-contained HTML and tidy CSV files (Excel: :mod:`.excel`).

HTML: ``report_templates/_portfolio/portfolio.html.j2`` with the report's CSS
(``_html/style.css``) and ``_portfolio/portfolio.css`` inlined, autoescape on,
charts as inline PNG; nothing is fetched from anywhere. Table bodies are
written by :func:`_table_rows` (every value escaped), which keeps a portfolio
of hundreds of projects fast. CSV: UTF-8, comma, decimal point,
``true``/``false``, counts as whole numbers. No statistics are computed here.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from jinja2 import Environment
from markupsafe import Markup, escape

from slutrapport.core.swedish import format_number
from slutrapport.portfolio.charts import forest_alt_text, forest_png
from slutrapport.portfolio.model import DIFF_MONEY, DIFF_PERCENT, SHARE_RANGE, STATUS, ForestChart, Portfolio, Typed
from slutrapport.portfolio.tables import INTEGER_COLUMNS, TABLE_COLUMNS
from slutrapport.render.csvfile import clean_columns
from slutrapport.render.formatting import cell_text, signed_number
from slutrapport.render.jinja import environment, inline_css, png_data_uri
from slutrapport.report.model import Hidden, Table

__all__ = ["render_portfolio_html", "portfolio_csv", "format_cell", "CSV_FILES"]

#: file name of each tidy table (see :mod:`.tables` for the columns) and of the problem list
CSV_FILES = {name: f"portfolio_{name}.csv" for name in TABLE_COLUMNS} | {"problem": "portfolio_problem.csv"}
_STATUS_TEXT = {"ifylld": "✓", "saknas": "✗", "ej bedömd": "?"}
_NBSP = "\u00a0"


# -- values --------------------------------------------------------------------


def format_cell(value: Any, kind: str) -> str:
    """A model cell as Swedish text: ``Hidden`` → "–", ``Typed`` by its own kind, None/NaN → ""."""
    if isinstance(value, Typed):
        return format_cell(value.value, value.kind)
    if kind not in _OWN_KINDS or value is None or isinstance(value, Hidden) or (isinstance(value, float) and math.isnan(value)):
        return cell_text(value, kind)
    if kind == DIFF_MONEY:
        return f"{signed_number(float(value), 0)}{_NBSP}kr"
    if kind == DIFF_PERCENT:
        return f"{signed_number(100 * float(value), 1)}{_NBSP}%"
    if kind == STATUS:
        return _STATUS_TEXT.get(str(value), "")
    low, high = value  # SHARE_RANGE
    return f"{format_number(100 * low, 0)}–{format_number(100 * high, 0)}{_NBSP}%"


_OWN_KINDS = {DIFF_MONEY, DIFF_PERCENT, STATUS, SHARE_RANGE}


# -- HTML ------------------------------------------------------------------------


def _portfolio_helpers(env: Environment) -> None:
    """What the portfolio template adds to the block helpers: its cells, forest charts and fast table rows."""
    env.filters["cell"] = format_cell
    env.globals.update(
        is_forest=lambda b: isinstance(b, ForestChart),
        table_rows=_table_rows,
        chart_src=lambda chart: png_data_uri(forest_png(chart)),
        chart_alt=forest_alt_text,
    )


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


def render_portfolio_html(portfolio: Portfolio) -> str:
    """``portfolio.html``: one self-contained file (CSS and charts inline)."""
    template = environment("_portfolio", extras=_portfolio_helpers).get_template("portfolio.html.j2")
    return template.render(portfolio=portfolio, css=inline_css("_html/style.css", "_portfolio/portfolio.css"))


# -- CSV -------------------------------------------------------------------------


def portfolio_csv(table: pd.DataFrame, columns: list[str]) -> bytes:
    """``table[columns]`` as CSV: true/false for flags, whole numbers for counts, empty for missing; texts cleaned
    and formula-safe as in the report's CSV files (:func:`~slutrapport.render.csvfile.clean_columns`)."""
    out = clean_columns(table.reindex(columns=columns))
    for name in columns:
        values = out[name]
        present = set(values.dropna().tolist())
        if name in INTEGER_COLUMNS:
            out[name] = pd.to_numeric(values).round().astype("Int64")
        elif present and present <= {True, False} and all(isinstance(v, (bool, np.bool_)) for v in present):
            out[name] = values.map(lambda v: None if v is None or v is pd.NA else ("true" if v else "false"))
    return out.to_csv(index=False, lineterminator="\n").encode("utf-8")

