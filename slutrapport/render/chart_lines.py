"""Line charts of a value per wave: one panel with every group, or small multiples (one panel per group).

Called by :func:`slutrapport.render.charts.chart_png` inside the chart theme;
each function returns the figure (matplotlib's object API, no pyplot). The
small multiples are drawn as one Axes holding every panel, with few text
artists (text is what costs time): the group's name over each panel, its n
under each wave, the waves' names under the lowest panel of each column and
the value axis beside the first panel of each row.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator
from matplotlib.transforms import offset_copy

from slutrapport.core.safetext import chart_text, clean_text, shorten
from slutrapport.render.chart_canvas import add_text as _text
from slutrapport.render.chart_style import (
    AXIS,
    BAND,
    DPI,
    GRID,
    LABEL,
    LINE_LABEL,
    NEUTRALS,
    NOTE,
    PALETTE,
    REFERENCE,
    REFERENCE_GREY,
    TICK_TEXT,
    line_label,
    wrapped,
)
from slutrapport.render.formatting import format_number
from slutrapport.report.model import Chart

__all__ = ["line_figure", "line_panels_of"]

_ALL = "Alla"
_MARKERS = ["o", "s", "^", "D", "v", "P", "X"]
_COLUMNS = 4  # panels per row of small multiples
#: the small multiples' rows in inches: the group's name over the panel, the panel, the n under it, the gap to the next
_NAME, _PANEL, _COUNTS, _GAP = 0.34, 1.15, 0.2, 0.1
_TOP, _WAVES, _NOTE_HEIGHT, _LEFT, _RIGHT = 0.55, 0.22, 0.42, 0.62, 0.08  # margins in inches


def line_panels_of(chart: Chart) -> list[list[str]]:
    """The groups of each panel that has data (one panel with every group when the chart has no panels)."""
    groups = list(dict.fromkeys(chart.data["grupp"]))
    panels = [[g for g in panel if g in groups] for panel in chart.panels] if chart.panels else [groups]
    return [panel for panel in panels if panel] or [[]]


def line_figure(chart: Chart) -> Figure:
    """The chart's figure: small multiples when it has more than one panel with data."""
    panels = line_panels_of(chart)
    return _small_multiples(chart, panels) if len(panels) > 1 else _one_panel(chart, panels[0])


def _has_trend(chart: Chart) -> bool:
    return chart.trend is not None and not chart.trend.empty


def _rows_of(chart: Chart) -> dict[str, object]:
    return {str(group): rows for group, rows in chart.data.groupby("grupp", sort=False, observed=True)}


def _errorbar(ax, rows, x, colour: str, marker: str, width: float) -> None:
    """A group's line with its markers and its 95 % intervals as capped bars (drawn as two plain
    collections: :meth:`~matplotlib.axes.Axes.errorbar` makes many more artists and is slower)."""
    ax.plot(x, rows["value"], color=colour, linewidth=width, marker=marker, markersize=6)
    if {"low", "high"} <= set(rows.columns) and rows["low"].notna().any():
        shown = rows["low"].notna().to_numpy()
        xs, low, high = np.asarray(x, dtype=float)[shown], rows["low"].to_numpy(dtype=float)[shown], rows["high"].to_numpy(dtype=float)[shown]
        ax.vlines(xs, low, high, color=colour, linewidth=1)
        ax.hlines(np.concatenate([low, high]), np.concatenate([xs, xs]) - 0.05, np.concatenate([xs, xs]) + 0.05, color=colour, linewidth=1)


def _wave_ticks(chart: Chart, rows, width: int = LABEL) -> list[str]:
    """The waves' names with the n of ``rows`` (one group) under each; just the names without rows."""
    counts = {} if rows is None else {str(w): int(n) for w, n in zip(rows["enkat"], rows["n"], strict=True) if n == n}
    ticks = [chart_text(wave, width) for wave in chart.waves]
    return [f"{tick}\nn = {counts[wave]}" if wave in counts else tick for tick, wave in zip(ticks, chart.waves, strict=True)]


def _place_labels(wanted: list[float], gap: float, low: float, high: float) -> list[float]:
    """Label heights as near ``wanted`` as can be with at least ``gap`` between neighbours, within [low, high]."""
    order = sorted(range(len(wanted)), key=lambda i: wanted[i])
    placed = [wanted[i] for i in order]
    for i in range(1, len(placed)):
        placed[i] = max(placed[i], placed[i - 1] + gap)
    overshoot = placed[-1] - high if placed else 0.0
    if overshoot > 0:
        placed = [p - overshoot for p in placed]
        for i in range(len(placed) - 2, -1, -1):
            placed[i] = min(placed[i], placed[i + 1] - gap)
    placed = [max(p, low) for p in placed]
    result = [0.0] * len(wanted)
    for position, i in enumerate(order):
        result[i] = placed[position]
    return result


def _title_and_note(fig, chart: Chart, note: str, height: float) -> None:
    fig.text(0.01, 1 - 0.1 / height, wrapped(chart.title, 80, 2), fontsize=11, ha="left", va="top")
    fig.text(0.01, 0.06 / height, wrapped(note, 125, 2), fontsize=7.5, color=NOTE, va="bottom")


def _draw_trend(ax, chart: Chart, positions: dict[str, float], shift: float = 0.0) -> None:
    """The fitted trend line (dashed) and its 95 % band, ``shift`` added to its values."""
    trend = chart.trend
    x = np.array([positions[str(w)] for w in trend["enkat"]], dtype=float)
    ax.fill_between(x, trend["low"].to_numpy(dtype=float) + shift, trend["high"].to_numpy(dtype=float) + shift, color=BAND, alpha=0.35,
                    linewidth=0, label=None)  # fmt: skip
    ax.plot(x, trend["value"].to_numpy(dtype=float) + shift, linestyle="--", color=NEUTRALS[1], linewidth=1.4)


def _one_panel(chart: Chart, groups: list[str]) -> Figure:
    """Every group in one panel, each line named at its end (no legend); the reference in black."""
    width, height = 7.4, 3.8
    fig = Figure(figsize=(width, height), dpi=DPI)
    ax = fig.subplots()
    positions = {wave: i for i, wave in enumerate(chart.waves)}
    offset = 0.06
    ends: list[tuple[str, str, str]] = []
    wanted: list[float] = []
    colours = iter(PALETTE)
    rows_of = _rows_of(chart)
    for number, group in enumerate(groups):
        rows = rows_of[group]
        x = [positions[str(w)] + (number - (len(groups) - 1) / 2) * offset for w in rows["enkat"]]
        black = group == chart.reference or (chart.reference is None and group == _ALL)
        colour = REFERENCE if black else next(colours)
        _errorbar(ax, rows, x, colour, _MARKERS[number % len(_MARKERS)], 2.6 if black else 1.5)
        if len(rows):
            wanted.append(float(rows["value"].iloc[-1]))
            ends.append((line_label(group, [int(n) for n in rows["n"]]), colour, _MARKERS[number % len(_MARKERS)]))
    note = "Felstaplar: 95 % konfidensintervall för medelvärdet."
    whose = (
        chart.reference if chart.reference in rows_of
        else chart.trend_group if _has_trend(chart) and chart.trend_group in rows_of
        else groups[0] if len(groups) == 1 else None
    )  # fmt: skip
    if _has_trend(chart):
        _draw_trend(ax, chart, positions)
        note += f" Streckad linje: skattad trend för {chart.trend_group} med 95 % konfidensband."
    if whose is not None and len(groups) > 1:
        note += f" n under enkäten gäller {whose}."
    ax.set_xticks(range(len(chart.waves)), _wave_ticks(chart, rows_of.get(whose)))
    ax.set_xlim(-0.4, len(chart.waves) - 0.6)
    low, high = chart.y_min - 0.1, chart.y_max + 0.1
    ax.set_ylim(low, high)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: format_number(value, 1)))
    ax.set_ylabel(chart_text(chart.y_label, AXIS))
    heights = _place_labels(wanted, (high - low) * 0.11, low, high)
    edge = ax.get_yaxis_transform()  # x in axes fraction, y in data
    for (label, colour, marker), y in zip(ends, heights, strict=True):
        # the line's own marker and colour, then its name in black (legible on white whatever the line's colour)
        ax.plot([1.035], [y], marker=marker, color=colour, markersize=6, transform=edge, clip_on=False)
        ax.text(1.065, y, label, transform=edge, fontsize=8, color=REFERENCE, va="center")
    _title_and_note(fig, chart, note, height)
    fig.subplots_adjust(left=0.09, right=0.66, top=1 - 0.62 / height, bottom=0.95 / height)
    return fig


def _small_multiples(chart: Chart, panels: list[list[str]]) -> Figure:
    """One small panel per group (the last of each panel's groups): the group in blue with its intervals,
    the panel's other groups (the reference) as a thin grey line; the trend in its group's panel.

    Every panel is drawn in one Axes without axes of its own (an Axes per panel or per row, with its
    ticks, draws several times as slowly, and the big comparison draws many charts): panel (row r,
    column c) is the part of the data plane shifted ``c * step`` to the right and ``r * pitch`` down.
    Its grid is one collection, its lines one collection per colour; the n of every wave is written
    under the wave, the waves' names only under the lowest panel of each column and the values only
    beside the first panel of each row."""
    columns = min(_COLUMNS, len(panels))
    lines = math.ceil(len(panels) / columns)
    waves = len(chart.waves)
    step = waves + 0.8  # x distance from one panel to the next
    low, high = chart.y_min - 0.1, chart.y_max + 0.1
    unit = (high - low) / _PANEL  # data units of an inch, upwards
    pitch = (_NAME + _PANEL + _COUNTS + _GAP) * unit  # from one row of panels to the next
    width, height = 7.4, _TOP + lines * (_NAME + _PANEL + _COUNTS + _GAP) + _WAVES + _NOTE_HEIGHT
    fig = Figure(figsize=(width, height), dpi=DPI)
    bottom = (_NOTE_HEIGHT + _WAVES) / height
    ax = fig.add_axes((_LEFT / width, bottom, 1 - (_LEFT + _RIGHT) / width, 1 - bottom - _TOP / height))
    ax.set_axis_off()
    ax.set_xlim(-0.5, (columns - 1) * step + waves - 0.5)
    ax.set_ylim(low - (lines - 1) * pitch - (_COUNTS + _GAP) * unit, high + _NAME * unit)
    ticks = [t for t in MaxNLocator(nbins=4, steps=[1, 2, 2.5, 5, 10]).tick_values(chart.y_min, chart.y_max) if low <= t <= high]
    named = ticks[::2] if len(ticks) > 3 and len(ticks) % 2 else ticks  # 1, 3 and 5 on a scale of five: both ends named
    # a wave's name in at most two lines as wide as a wave's room (7 points: about 0.055 inches a character)
    room = max(5, min(14, int((width - _LEFT - _RIGHT) / ((columns - 1) * step + waves) / 0.055)))
    wave_names = [wrapped(wave, room, 2) for wave in chart.waves]
    series = _series_of(chart)
    grid: list[np.ndarray] = []
    greys: list[np.ndarray] = []
    drawn: dict[str, dict[str, list]] = {colour: {"lines": [], "bars": []} for colour in (PALETTE[0], REFERENCE)}
    text = {"fontsize": 7, "color": TICK_TEXT}
    beside = offset_copy(ax.transData, fig=fig, x=-4, units="points")  # the values and "n" left of the first panel of a row
    label = offset_copy(ax.transData, fig=fig, x=-0.42, units="inches")  # the value axis's name left of them
    y_label = chart_text(chart.y_label, AXIS)
    tick_texts = [format_number(t, 1) for t in named]
    offsets = np.arange(waves, dtype=float)
    lowest = {}  # column → the row of its lowest panel
    for number, panel in enumerate(panels):
        line, column = divmod(number, columns)
        lowest[column] = line
        start, shift = column * step, -line * pitch
        left, right = start - 0.4, start + waves - 0.6
        grid.append(np.array([[(left, t + shift), (right, t + shift)] for t in ticks] + [[(x, low + shift), (x, high + shift)] for x in start + offsets]))
        for group in panel[:-1]:
            greys.append(series[group].points(start, shift))
        focus = panel[-1]
        group = series[focus]
        into = drawn[REFERENCE if focus == chart.reference else PALETTE[0]]
        into["lines"].append(group.points(start, shift))
        if group.low is not None:
            shown = ~np.isnan(group.low)
            into["bars"].append(np.column_stack([start + group.wave[shown], group.low[shown] + shift, group.high[shown] + shift]))
        if _has_trend(chart) and focus == chart.trend_group:
            _draw_trend(ax, chart, {wave: start + i for i, wave in enumerate(chart.waves)}, shift)
        _text(ax, left, high + shift + 0.06 * unit, wrapped(shorten(clean_text(focus, single_line=True), 2 * LINE_LABEL), 26, 2),
              fontsize=8.5, ha="left", va="bottom", color=REFERENCE)  # fmt: skip
        for x, n in zip(start + group.wave, group.n, strict=True):
            if n == n:
                _text(ax, x, low + shift - 0.04 * unit, str(int(n)), ha="center", va="top", **text)
        if column == 0:
            for t, tick in zip(named, tick_texts, strict=True):
                _text(ax, left, t + shift, tick, ha="right", va="center", fontsize=7.5, color=TICK_TEXT, transform=beside)
            _text(ax, left, low + shift - 0.04 * unit, "n", ha="right", va="top", transform=beside, **text)
            _text(ax, left, (low + high) / 2 + shift, y_label, rotation=90, ha="center", va="center", fontsize=8, color=TICK_TEXT, transform=label)
    for column, line in lowest.items():
        for i, name in enumerate(wave_names):
            _text(ax, column * step + i, low - line * pitch - 0.22 * unit, name, ha="center", va="top", **text)
    ax.add_collection(LineCollection(np.concatenate(grid), colors=GRID, linewidths=0.8, zorder=0.5))
    if greys:
        ax.add_collection(LineCollection(greys, colors=REFERENCE_GREY, linewidths=1.2, zorder=1.5))
    for colour, parts in drawn.items():
        if parts["lines"]:
            ax.add_collection(LineCollection(parts["lines"], colors=colour, linewidths=1.8, zorder=2))
            every = np.concatenate(parts["lines"])
            ax.plot(every[:, 0], every[:, 1], linestyle="none", marker="o", markersize=5, color=colour, zorder=2.5)
        if parts["bars"]:
            x, lo, hi = np.concatenate(parts["bars"]).T
            bars = np.stack([np.column_stack([x, lo]), np.column_stack([x, hi])], axis=1)  # each interval's line
            caps = np.stack([np.column_stack([np.r_[x, x] - 0.05, np.r_[lo, hi]]), np.column_stack([np.r_[x, x] + 0.05, np.r_[lo, hi]])], axis=1)
            ax.add_collection(LineCollection(np.concatenate([bars, caps]), colors=colour, linewidths=1, zorder=2))
    note = "En ruta per grupp; felstaplar: 95 % konfidensintervall för medelvärdet; n under varje enkät."
    if chart.reference in series:
        note += f" Grå linje: {chart.reference}, som jämförelse."
    if _has_trend(chart):
        note += f" Streckad linje: skattad trend för {chart.trend_group} med 95 % konfidensband."
    _title_and_note(fig, chart, note, height)
    return fig


class _Series:
    """One group's values per wave as arrays (quicker to read than the chart's frame, panel after panel):
    ``wave`` is each row's wave's place in ``chart.waves``; ``low`` and ``high`` are None without intervals."""

    __slots__ = ("wave", "value", "n", "low", "high")

    def __init__(self, wave, value, n, low, high) -> None:
        self.wave, self.value, self.n, self.low, self.high = wave, value, n, low, high

    def points(self, start: float, shift: float) -> np.ndarray:
        """The (x, y) of the group's values in a panel starting at ``start``, ``shift`` added; a hidden value
        (NaN) is left out."""
        shown = ~np.isnan(self.value)
        return np.column_stack([start + self.wave[shown], self.value[shown] + shift])


def _series_of(chart: Chart) -> dict[str, _Series]:
    data = chart.data
    place = {wave: i for i, wave in enumerate(chart.waves)}
    wave = np.array([place[str(w)] for w in data["enkat"]], dtype=float)
    value = data["value"].to_numpy(dtype=float, na_value=np.nan)
    n = data["n"].to_numpy(dtype=float, na_value=np.nan)
    intervals = {"low", "high"} <= set(data.columns)
    low = data["low"].to_numpy(dtype=float, na_value=np.nan) if intervals else None
    high = data["high"].to_numpy(dtype=float, na_value=np.nan) if intervals else None
    series = {}
    for group, rows in pd.Series(range(len(data))).groupby(data["grupp"].to_numpy(), sort=False):
        at = rows.to_numpy()
        series[str(group)] = _Series(wave[at], value[at], n[at], None if low is None else low[at], None if high is None else high[at])
    return series
