"""What a chart shows, decided where the chart is built: the panels of a line chart, its text alternative and its n.

A chart has at most :data:`MAX_SERIES` lines (or categories) so that a
reader can tell them apart; a line chart with more groups is drawn as small
multiples, one panel per group with the reference group ("Alla") as a grey
line in each (:func:`line_panels`). :func:`describe` fills in the text
alternative every renderer uses (``alt``: what the chart shows and its
numbers, or, when there are many, where the table with them is), the n per
wave shown under it (``n_text``) and the caption of the table beside it
(``values_table``). Only reshaping and wording happen here: every number is
the chart's own.
"""

from __future__ import annotations

import math

from slutrapport.core.rounding import largest_remainder
from slutrapport.core.swedish import format_money, format_number, format_percent, join_words
from slutrapport.report.model import COUNT, MONEY, PERCENT, SHARE, BarChart, Chart, DivergingChart, GroupedBarChart, StackedChart

__all__ = ["MAX_SERIES", "line_panels", "panel_series", "series_count", "describe", "alt_text", "n_text"]

#: The most lines (or categories of a stacked bar) one chart or panel shows.
MAX_SERIES = 5


def line_panels(groups: list[str], reference: str | None, trend: bool = False) -> list[list[str]]:
    """The groups of a line chart per panel: one panel when every line fits (at most :data:`MAX_SERIES`,
    the trend line counted), else one panel per group: the reference first on its own (with its trend),
    then each other group together with the reference."""
    groups = list(dict.fromkeys(groups))
    if len(groups) + (1 if trend else 0) <= MAX_SERIES:
        return [groups]
    if reference in groups:
        return [[reference]] + [[reference, group] for group in groups if group != reference]
    return [[group] for group in groups]


def _has_trend(chart: Chart) -> bool:
    return chart.trend is not None and not chart.trend.empty


def panel_series(chart: Chart) -> list[int]:
    """The lines each panel of a line chart draws (the groups of the panel, and the trend line in the panel
    of the trend's group)."""
    panels = chart.panels or [list(dict.fromkeys(chart.data["grupp"]))]
    return [len(panel) + (1 if _has_trend(chart) and chart.trend_group in panel and (len(panels) == 1 or panel[-1] == chart.trend_group) else 0)
            for panel in panels]  # fmt: skip


def series_count(chart: Chart | DivergingChart | StackedChart | BarChart) -> int:
    """The most series a reader must tell apart in one panel of the chart (lines, or a bar's categories)."""
    if isinstance(chart, Chart):
        return max(panel_series(chart), default=0)
    if isinstance(chart, (DivergingChart, StackedChart)):
        return len(chart.categories)
    if isinstance(chart, GroupedBarChart):
        return len(chart.series)
    return 1  # one bar per label, each named under it


def describe(chart, values_table: str | None = None, n: str | None = None):
    """``chart`` with its text alternative, its n per wave (``n``, when given, replaces the one read from the
    chart) and the caption of the table beside it that gives its values; returns the chart."""
    chart.values_table = values_table
    chart.n_text = n if n is not None else n_text(chart)
    chart.alt = alt_text(chart)
    return chart


def _value(value: float, kind: str) -> str:
    if kind == MONEY:
        return format_money(float(value))
    if kind == SHARE:
        return format_percent(float(value))
    if kind == PERCENT:
        return f"{int(value)}\u00a0%"
    if kind == COUNT:
        return format_number(float(value), 0)
    return format_number(float(value), 1)


def _span(counts: list[int]) -> str:
    low, high = min(counts), max(counts)
    return str(low) if low == high else f"{low}–{high}"


def n_text(chart) -> str:
    """How many answered, per wave: ``n = 120 (Enkät 1), 131 (Enkät 2) för Alla``; a range over the groups
    or questions when they differ."""
    if isinstance(chart, Chart):
        data = chart.data[chart.data["n"].notna()]
        if data.empty:
            return ""
        whose = chart.reference if chart.reference in set(data["grupp"]) else None
        rows = data[data["grupp"] == whose] if whose else data
        per_wave = [(wave, [int(n) for n in rows.loc[rows["enkat"] == wave, "n"]]) for wave in chart.waves]
        text = "n = " + join_words([f"{_span(counts)} ({wave})" for wave, counts in per_wave if counts])
        if whose:
            text += f" för {whose}"
            if data["grupp"].nunique() > 1:
                text += "; n för varje grupp står " + ("i tabellen" if chart.values_table else "i diagrammet")
        elif data["grupp"].nunique() > 1:
            text += ", det lägsta och högsta antalet bland linjerna"
        return text + "."
    if isinstance(chart, StackedChart):
        return "n = " + join_words([f"{n} ({label})" for label, _, n in chart.rows]) + "." if chart.rows else ""
    if isinstance(chart, DivergingChart):
        return f"n = {_span([n for _, _, n in chart.rows])} per fråga och enkät (antalet står vid varje stapel)." if chart.rows else ""
    return ""


def alt_text(chart) -> str:
    """A Swedish text alternative: the kind of chart, what it shows, and its numbers (for a line chart with
    more groups than :data:`MAX_SERIES` the reference group's, and where the table with every group's is)."""
    if isinstance(chart, GroupedBarChart):
        parts = []
        for name, values in chart.series:
            listed = ", ".join(f"{label} {'–' if v is None else _value(v, chart.value_kind)}" for label, v in zip(chart.labels, values, strict=True))
            parts.append(f"{name}: {listed}")
        return f"Stapeldiagram: {chart.title}. " + "; ".join(parts) + "." + _table_pointer(chart)
    if isinstance(chart, BarChart):
        values = "; ".join(f"{label} {_value(value, chart.value_kind)}" for label, value in zip(chart.labels, chart.values, strict=True))
        return f"Stapeldiagram: {chart.title}. {values}." + _table_pointer(chart)
    if isinstance(chart, (DivergingChart, StackedChart)):
        parts = []
        for label, shares, n in chart.rows:
            spread = ", ".join(f"{c} {p} %" for c, p in zip(chart.categories, largest_remainder(shares), strict=True))
            parts.append(f"{label} (n = {n}): {spread}")
        return f"Stapeldiagram: {chart.title}. " + "; ".join(parts) + "." + _table_pointer(chart)
    return _line_alt(chart)


def _table_pointer(chart) -> str:
    return f" Värdena står i tabellen ”{chart.values_table}”." if chart.values_table else ""


def _line_values(chart: Chart, group: str, rows) -> str:
    values = ", ".join(
        f"{wave} {_value(value, chart.value_kind)} (n = {int(n)})"
        for wave, value, n in zip(rows["enkat"], rows["value"], rows["n"], strict=True)
        if not (isinstance(value, float) and math.isnan(value))
    )
    return f"{group}: {values}"


def _line_alt(chart: Chart) -> str:
    groups = list(dict.fromkeys(chart.data["grupp"]))
    if not groups:
        return f"Diagram: {chart.title}. Inga värden kan visas."
    by_group = {group: rows for group, rows in chart.data.groupby("grupp", sort=False)}
    panels = chart.panels or [groups]
    text = f"Linjediagram: {chart.title}."
    if len(panels) > 1:
        focus = [panel[-1] for panel in panels]
        text += f" Ett litet diagram per grupp ({len(panels)} st): {join_words(focus)}."
        if chart.reference in by_group:
            text += f" {chart.reference} är en grå jämförelselinje i varje diagram."
    shown = groups if len(groups) <= MAX_SERIES or not chart.values_table else [g for g in groups if g == chart.reference]
    parts = [_line_values(chart, group, by_group[group]) for group in shown]
    if _has_trend(chart):
        trend = chart.trend
        points = ", ".join(
            f"{w} {_value(v, chart.value_kind)} ({_value(lo, chart.value_kind)}–{_value(hi, chart.value_kind)})"
            for w, v, lo, hi in zip(trend["enkat"], trend["value"], trend["low"], trend["high"], strict=True)
        )
        parts.append(f"skattad trend för {chart.trend_group} med 95 % konfidensband: {points}")
    if parts:
        text += " " + "; ".join(parts) + "."
    return text + _table_pointer(chart)
