"""Bar charts: the diverging answer scale, 100 % stacked bars, plain bars and bars side by side.

Called by :func:`slutrapport.render.charts.chart_png` inside the chart theme;
each function returns the laid-out figure (matplotlib's object API, no pyplot).
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter
from matplotlib.transforms import blended_transform_factory, offset_copy

from slutrapport.core.safetext import chart_text
from slutrapport.render.chart_canvas import TextCachingCanvas, add_text
from slutrapport.render.chart_style import AXIS, DPI, LABEL, NEUTRALS, PALETTE, REFERENCE, ROW_LABEL, TICK_TEXT, diverging_colours, is_dark, wrapped
from slutrapport.render.formatting import format_number, format_value, largest_remainder
from slutrapport.report.model import BarChart, DivergingChart, GroupedBarChart, StackedChart

__all__ = ["diverging_figure", "stacked_figure", "bars_figure", "grouped_figure"]


def _figure(width: float, height: float):
    fig = Figure(figsize=(width, height), dpi=DPI)
    TextCachingCanvas(fig)  # its renderer measures the row labels (and keeps their sizes for the drawing)
    return fig, fig.subplots()


def _despine(ax) -> None:
    """Only the bottom spine (seaborn's ``despine(left=True)``)."""
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)


def _laid_out(fig) -> Figure:
    """``fig`` after ``tight_layout``, with no layout engine left on it (else saving it lays it out again)."""
    fig.tight_layout()
    fig.set_layout_engine(None)
    return fig


def _horizontal_bars(fig, ax, chart, lefts: np.ndarray, colours: list[str], height: float, labels: list[str], scale: dict[float, str]) -> None:
    """Each row's segments (one collection per category: quicker than a rectangle per bar), the row labels,
    the percent ``scale`` under the bars (value → text), the title over them and the legend under them.

    Drawn without matplotlib's axes and ticks (the axes' tick objects and their measuring cost more than
    the bars) and without ``tight_layout`` (which lays every text out once more): the row labels and the
    scale are plain texts beside and under the bars, with room for the row labels measured."""
    shares = np.array([row[1] for row in chart.rows], dtype=float).reshape(len(chart.rows), len(chart.categories))
    rows = len(chart.rows)
    for number in range(len(chart.categories)):
        boxes = [[(x, y - height / 2), (x + w, y - height / 2), (x + w, y + height / 2), (x, y + height / 2)]
                 for y, (x, w) in enumerate(zip(lefts[:, number], shares[:, number], strict=True))]  # fmt: skip
        ax.add_collection(PolyCollection(boxes, facecolors=colours[number], edgecolors="white", linewidths=1), autolim=False)
    low, high = min(scale), max(scale)
    ax.set_xlim(low, high)
    ax.set_ylim(rows - 0.5, -0.5)  # the first row at the top
    ax.set_axis_off()
    beside = offset_copy(ax.transData, fig=fig, x=-9.5, units="points")  # where a tick label would be
    under = offset_copy(ax.transData, fig=fig, y=-9.5, units="points")
    for row, label in enumerate(labels):
        add_text(ax, low, row, label, ha="right", va="center", fontsize=8, color=TICK_TEXT, transform=beside)
    for value, text in scale.items():
        add_text(ax, value, rows - 0.5, text, ha="center", va="top", fontsize=8, color=TICK_TEXT, transform=under)
    ax.plot([low, high], [rows - 0.5, rows - 0.5], color=TICK_TEXT, linewidth=1.25, clip_on=False)  # the scale's line
    renderer = fig.canvas.get_renderer()
    font = FontProperties(size=8)
    widest = max((renderer.get_text_width_height_descent(label.replace("\\$", "$"), font, ismath=False)[0] for label in labels), default=0)
    width, tall = fig.get_size_inches()
    left = min(widest / fig.dpi + 0.3, 0.6 * width)  # the label, its distance to the axis (tick length and pad) and a margin
    title = wrapped(chart.title, 55, 3)
    top = 0.12 + (title.count("\n") + 1) * 0.19
    legend_rows = math.ceil(len(chart.categories) / 3)
    fig.subplots_adjust(left=left / width, right=1 - 0.2 / width, top=1 - top / tall, bottom=min((0.42 + legend_rows * 0.2) / tall, 0.45))
    fig.text(left / width, 1 - 0.08 / tall, title, fontsize=10, ha="left", va="top")
    # the legend under the bars' x axis, ending where the bars end (x in the axes, y in the figure)
    handles = [Patch(facecolor=colours[number], edgecolor="white", label=chart_text(label, LABEL)) for number, label in enumerate(chart.categories)]
    ax.legend(handles=handles, loc="lower right", bbox_to_anchor=(1.0, 0.04 / tall), bbox_transform=blended_transform_factory(ax.transAxes, fig.transFigure),
              ncol=min(3, max(len(handles), 1)), frameon=False, fontsize=7.5)  # fmt: skip
    for row, (_, row_shares, _) in enumerate(chart.rows):
        for number, percent in enumerate(largest_remainder(row_shares)):
            if row_shares[number] >= 0.06:
                colour = "white" if is_dark(colours[number]) else "black"
                add_text(ax, lefts[row, number] + row_shares[number] / 2, row, str(percent), ha="center", va="center", fontsize=7.5, color=colour)


def _diverging_lefts(chart: DivergingChart) -> np.ndarray:
    """Left edge of every segment (rows × categories) so that the centre sits at 0."""
    shares = np.array([row[1] for row in chart.rows], dtype=float)
    cumulative = np.cumsum(shares, axis=1) - shares
    half = shares[:, chart.neutral] / 2 if chart.neutral is not None else 0.0
    centre = shares[:, : chart.neutral if chart.neutral is not None else shares.shape[1] // 2].sum(axis=1) + half
    return cumulative - centre[:, None]


def diverging_figure(chart: DivergingChart) -> Figure:
    """The answer scale as bars centred on the middle of the scale, each segment labelled with its whole percent."""
    fig, ax = _figure(8.0, max(2.6, 1.3 + 0.42 * len(chart.rows)))
    labels = [f"{chart_text(label, ROW_LABEL)} (n = {n})" for label, _, n in chart.rows]
    scale = {value / 4: f"{abs(value) * 25} %" for value in range(-4, 5)}  # 100 % to the left, 0 % in the middle, 100 % to the right
    _horizontal_bars(fig, ax, chart, _diverging_lefts(chart), diverging_colours(len(chart.categories)), 0.75, labels, scale)
    ax.axvline(0, color=NEUTRALS[1], linewidth=0.8)
    return fig


def stacked_figure(chart: StackedChart) -> Figure:
    """Bars of 100 % side by side in category order, each segment labelled with its whole percent."""
    fig, ax = _figure(8.0, max(2.4, 1.5 + 0.45 * len(chart.rows)))
    shares = np.array([row[1] for row in chart.rows], dtype=float).reshape(len(chart.rows), len(chart.categories))
    colours = [PALETTE[number % len(PALETTE)] for number in range(len(chart.categories))]
    labels = [f"{chart_text(label, LABEL)} (n = {n})" for label, _, n in chart.rows]
    scale = {value / 5: f"{value * 20} %" for value in range(6)}
    _horizontal_bars(fig, ax, chart, np.cumsum(shares, axis=1) - shares, colours, 0.7, labels, scale)
    return fig


def bars_figure(chart: BarChart) -> Figure:
    """Vertical bars, each labelled with its value (kronor with thousands spaces)."""
    fig, ax = _figure(6.4, 3.6)
    colours = PALETTE
    x = np.arange(len(chart.labels))
    ax.bar(x, chart.values, color=[colours[i % len(colours)] for i in range(len(chart.labels))], width=0.6)
    for position, value in zip(x, chart.values, strict=True):
        ax.annotate(
            chart_text(format_value(value, chart.value_kind)),
            (position, value),
            ha="center",
            va="bottom" if value >= 0 else "top",
            fontsize=8,
            xytext=(0, 3 if value >= 0 else -3),
            textcoords="offset points",
            color=REFERENCE,
        )
    ax.set_xticks(x, [wrapped(label, 26, 2) for label in chart.labels], fontsize=8)
    ax.grid(axis="x", visible=False)
    ax.axhline(0, color="black", linewidth=0.8)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: format_number(value, 0)))
    ax.tick_params(axis="y", labelsize=7.5)
    ax.margins(y=0.15)
    ax.set_title(wrapped(chart.title, 60, 3), fontsize=10, loc="left")
    _despine(ax)
    return _laid_out(fig)


def grouped_figure(chart: GroupedBarChart) -> Figure:
    """Bars side by side per label, one colour per series, each labelled with its value; a value not shown has no bar."""
    fig, ax = _figure(7.4, 3.6)
    colours = PALETTE
    x = np.arange(len(chart.labels))
    width = 0.8 / max(len(chart.series), 1)
    for number, (name, values) in enumerate(chart.series):
        positions = x - 0.4 + width * (number + 0.5)
        shown = [(p, v) for p, v in zip(positions, values, strict=True) if v is not None]
        ax.bar([p for p, _ in shown], [v for _, v in shown], width=width * 0.95, color=colours[number % len(colours)],
               label=chart_text(name, LABEL))  # fmt: skip
        for position, value in shown:
            ax.annotate(chart_text(format_value(value, chart.value_kind)), (position, value), ha="center", va="bottom",
                        fontsize=7.5, xytext=(0, 2), textcoords="offset points")  # fmt: skip
    ax.set_xticks(x, [wrapped(label, 14, 2) for label in chart.labels], fontsize=8)
    ax.grid(axis="x", visible=False)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: format_number(value, 0)))
    ax.set_ylabel(chart_text(chart.y_label, AXIS))
    ax.margins(y=0.15)
    ax.set_title(wrapped(chart.title, 70, 2), fontsize=10, loc="left")
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False, fontsize=8.5)
    _despine(ax)
    return _laid_out(fig)
