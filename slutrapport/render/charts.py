"""Charts as PNG bytes (matplotlib/seaborn, no display needed).

Every chart takes its colours from one colour-blind-safe palette,
:data:`PALETTE` (Okabe and Ito's eight colours): groups, the options of an
unordered question and the bars in its order, the diverging answer scale from
its vermillion to its blue through light grey (:func:`diverging_colours`), and
black and greys (:data:`NEUTRALS`) for "Alla", the trend and the text. Labels
are Swedish with decimal comma, and every chart shows n.

A line chart draws at most :data:`~slutrapport.report.charting.MAX_SERIES`
lines per panel, as the report layer decided (``Chart.panels``): one panel
names its lines at their ends instead of in a legend; small multiples draw one
small panel per group in one figure, the group in blue with its interval and
the reference group ("Alla") as a grey line, n per wave under each panel.
Every text a chart draws (title, axis label, tick labels, line labels) goes
through :func:`~slutrapport.core.safetext.chart_text`: control characters are
removed and ``$`` is escaped, so a name such as "Org $A$ och $B$" is drawn as
written, never as mathtext; a very long name is cut with an ellipsis on the
chart (the text alternative keeps it whole). The text alternative is the
chart's own (``alt``, written by the report layer).
"""

from __future__ import annotations

import io
import math
import textwrap

import matplotlib
import numpy as np

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib.colors import to_rgb  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from slutrapport.core.safetext import chart_text, clean_text, shorten  # noqa: E402
from slutrapport.render.formatting import format_number, format_value, largest_remainder  # noqa: E402
from slutrapport.report.charting import alt_text  # noqa: E402
from slutrapport.report.model import BarChart, Chart, DivergingChart, GroupedBarChart, StackedChart  # noqa: E402

__all__ = ["chart_png", "chart_alt_text", "PALETTE", "NEUTRALS", "diverging_colours"]

#: Okabe & Ito (2008), "Color Universal Design": told apart with every kind of colour vision. Ordered for
#: use: blue, vermillion, bluish green, reddish purple, orange, sky blue, yellow (lightest last), black.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000")
#: Black for the reference group ("Alla") and the zero line, greys for a reference line, a band and notes, white.
NEUTRALS = ("#000000", "#333333", "#555555", "#767676", "#BBBBBB", "#DDDDDD", "#FFFFFF")
_REFERENCE, _REFERENCE_GREY, _NOTE, _BAND, _NEUTRAL = "#000000", "#767676", "#555555", "#BBBBBB", "#DDDDDD"

_ALL = "Alla"
_MARKERS = ["o", "s", "^", "D", "v", "P", "X"]
_LABEL = 60  # characters of a wave or a category; longer ones are cut with an ellipsis
_LINE_LABEL = 28  # characters of a group named at the end of its line or over its panel
_AXIS = 80  # characters of an axis label
_ROW_LABEL = 160  # characters of a question beside a bar
_COLUMNS = 4  # panels per row of small multiples


def chart_png(chart: Chart | DivergingChart | StackedChart | BarChart) -> bytes:
    """The chart as PNG; drawn once and kept on the chart for the next renderer."""
    if chart.png is None:
        if isinstance(chart, DivergingChart):
            chart.png = _draw_diverging(chart)
        elif isinstance(chart, StackedChart):
            chart.png = _draw_stacked(chart)
        elif isinstance(chart, BarChart):
            chart.png = _draw_bars(chart)
        elif isinstance(chart, GroupedBarChart):
            chart.png = _draw_grouped(chart)
        else:
            chart.png = _draw_lines(chart)
    return chart.png


def chart_alt_text(chart: Chart | DivergingChart | StackedChart | BarChart) -> str:
    """The chart's Swedish text alternative (``alt``, from the report layer; built from the chart when a
    chart was made without it)."""
    return chart.alt or alt_text(chart)


def diverging_colours(count: int) -> list[str]:
    """``count`` colours of an ordered scale from :data:`PALETTE`'s vermillion (lowest) through light grey
    (the neutral middle of an odd scale) to its blue (highest), lighter towards the middle."""
    low, high = np.array(to_rgb(PALETTE[1])), np.array(to_rgb(PALETTE[0]))
    white = np.ones(3)
    side = count // 2
    lightness = [0.55 * i / max(side - 1, 1) for i in range(side)] if side > 1 else [0.0]
    left = [low + (white - low) * t for t in lightness[:side]]
    right = [high + (white - high) * t for t in reversed(lightness[:side])]
    middle = [np.array(to_rgb(_NEUTRAL))] if count % 2 else []
    return ["#{:02X}{:02X}{:02X}".format(*(round(255 * c) for c in colour)) for colour in left + middle + right]


def _dark(colour: str) -> bool:
    """Whether white text reads better on ``colour`` than black (relative luminance below 0.18)."""
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in to_rgb(colour)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2] < 0.18


def _png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def _wrapped(text: str, width: int, lines: int) -> str:
    """``text`` for the chart (:func:`chart_text`) in lines of at most ``width`` characters, at most
    ``lines`` of them (the last ends with an ellipsis when text is left out)."""
    return chart_text("\n".join(textwrap.wrap(clean_text(text), width, max_lines=lines, placeholder=" …")))


def _line_label(group: str, rows) -> str:
    """A group's name at the end of its line, with its n per wave."""
    counts = ", ".join(str(int(n)) for n in rows["n"])
    return _wrapped(f"{shorten(clean_text(group, single_line=True), _LINE_LABEL)} (n {counts})", 30, 2)


def _panels(chart: Chart) -> list[list[str]]:
    groups = list(dict.fromkeys(chart.data["grupp"]))
    panels = [[g for g in panel if g in groups] for panel in chart.panels] if chart.panels else [groups]
    return [panel for panel in panels if panel] or [[]]


def _has_trend(chart: Chart) -> bool:
    return chart.trend is not None and not chart.trend.empty


def _draw_lines(chart: Chart) -> bytes:
    panels = _panels(chart)
    fig = _small_multiples(chart, panels) if len(panels) > 1 else _one_panel(chart, panels[0])
    try:
        return _png(fig)
    finally:
        plt.close(fig)


def _errorbar(ax, chart: Chart, rows, x, colour: str, marker: str, width: float) -> None:
    """A group's line with its markers and its 95 % intervals as capped bars (drawn as two plain
    collections: :meth:`~matplotlib.axes.Axes.errorbar` makes many more artists and is slower)."""
    ax.plot(x, rows["value"], color=colour, linewidth=width, marker=marker, markersize=6)
    if {"low", "high"} <= set(rows.columns) and rows["low"].notna().any():
        shown = rows["low"].notna().to_numpy()
        xs, low, high = np.asarray(x, dtype=float)[shown], rows["low"].to_numpy(dtype=float)[shown], rows["high"].to_numpy(dtype=float)[shown]
        ax.vlines(xs, low, high, color=colour, linewidth=1)
        ax.hlines(np.concatenate([low, high]), np.concatenate([xs, xs]) - 0.05, np.concatenate([xs, xs]) + 0.05, color=colour, linewidth=1)


def _wave_ticks(chart: Chart, rows, width: int = _LABEL) -> list[str]:
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


def _setup_axes(ax, chart: Chart) -> None:
    ax.set_xlim(-0.4, len(chart.waves) - 0.6)
    ax.set_ylim(chart.y_min - 0.1, chart.y_max + 0.1)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: format_number(value, 1)))


def _title_and_note(fig, chart: Chart, note: str, height: float) -> None:
    fig.text(0.01, 1 - 0.1 / height, _wrapped(chart.title, 80, 2), fontsize=11, ha="left", va="top")
    fig.text(0.01, 0.06 / height, _wrapped(note, 125, 2), fontsize=7.5, color=_NOTE, va="bottom")


def _one_panel(chart: Chart, groups: list[str]):
    """Every group in one panel, each line named at its end (no legend); the reference in black."""
    sns.set_theme(style="whitegrid", context="notebook")
    width, height = 7.4, 3.8
    fig, ax = plt.subplots(figsize=(width, height), dpi=110)
    positions = {wave: i for i, wave in enumerate(chart.waves)}
    offset = 0.06
    ends: list[tuple[str, str, str]] = []
    wanted: list[float] = []
    colours = iter(PALETTE)
    rows_of = {group: chart.data[chart.data["grupp"] == group] for group in groups}
    for number, group in enumerate(groups):
        rows = rows_of[group]
        x = rows["enkat"].map(positions) + (number - (len(groups) - 1) / 2) * offset
        black = group == chart.reference or (chart.reference is None and group == _ALL)
        colour = _REFERENCE if black else next(colours)
        _errorbar(ax, chart, rows, x, colour, _MARKERS[number % len(_MARKERS)], 2.6 if black else 1.5)
        if len(rows):
            wanted.append(float(rows["value"].iloc[-1]))
            ends.append((_line_label(group, rows), colour, _MARKERS[number % len(_MARKERS)]))
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
    _setup_axes(ax, chart)
    ax.set_ylabel(chart_text(chart.y_label, _AXIS))
    low, high = chart.y_min - 0.1, chart.y_max + 0.1
    heights = _place_labels(wanted, (high - low) * 0.11, low, high)
    edge = ax.get_yaxis_transform()  # x in axes fraction, y in data
    for (label, colour, marker), y in zip(ends, heights, strict=True):
        # the line's own marker and colour, then its name in black (legible on white whatever the line's colour)
        ax.plot([1.035], [y], marker=marker, color=colour, markersize=6, transform=edge, clip_on=False)
        ax.text(1.065, y, label, transform=edge, fontsize=8, color=_REFERENCE, va="center")
    _title_and_note(fig, chart, note, height)
    fig.subplots_adjust(left=0.09, right=0.66, top=1 - 0.62 / height, bottom=0.95 / height)
    return fig


def _small_multiples(chart: Chart, panels: list[list[str]]):
    """One small panel per group (the last of each panel's groups): the group in blue with its intervals,
    the panel's other group (the reference) as a thin grey line; the trend in its group's panel.

    The panels of a row share one Axes, side by side with a gap (one Axes per panel would draw about
    twice as slowly, and the big comparison draws many charts)."""
    sns.set_theme(style="whitegrid", context="notebook")
    columns = min(_COLUMNS, len(panels))
    lines = math.ceil(len(panels) / columns)
    width, height = 7.4, 0.95 + 1.95 * lines
    fig, axes = plt.subplots(lines, 1, figsize=(width, height), dpi=110, squeeze=False)
    step = len(chart.waves) + 0.8  # x distance from one panel to the next
    rows_of = {group: chart.data[chart.data["grupp"] == group] for group in dict.fromkeys(chart.data["grupp"])}
    for line, ax in enumerate(axes[:, 0]):
        ticks, labels = [], []
        row_panels = panels[line * columns : (line + 1) * columns]
        for column, panel in enumerate(row_panels):
            start = column * step
            positions = {wave: start + i for i, wave in enumerate(chart.waves)}
            focus = panel[-1]
            for group in panel[:-1]:
                rows = rows_of[group]
                ax.plot(rows["enkat"].map(positions), rows["value"], color=_REFERENCE_GREY, linewidth=1.2)
            rows = rows_of[focus]
            colour = _REFERENCE if focus == chart.reference else PALETTE[0]
            _errorbar(ax, chart, rows, rows["enkat"].map(positions), colour, "o", 1.8)
            if _has_trend(chart) and focus == chart.trend_group:
                _draw_trend(ax, chart, positions)
            ticks += list(positions.values())
            labels += _wave_ticks(chart, rows, 14)
            ax.text(start - 0.4, 1.04, _wrapped(shorten(clean_text(focus, single_line=True), 2 * _LINE_LABEL), 26, 2),
                    transform=ax.get_xaxis_transform(), fontsize=8.5, ha="left", va="bottom", color=_REFERENCE)
            if column:
                ax.axvspan(start - 0.8 - 0.05, start - 0.35, color="white", zorder=1.5, linewidth=0)  # the gap between panels
        ax.set_xticks(ticks, labels, fontsize=7)
        ax.tick_params(axis="y", labelsize=7.5)
        ax.set_xlim(-0.4, (columns - 1) * step + len(chart.waves) - 0.6)
        ax.set_ylim(chart.y_min - 0.1, chart.y_max + 0.1)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: format_number(value, 1)))
        ax.set_ylabel(chart_text(chart.y_label, _AXIS), fontsize=8.5)
    note = "En ruta per grupp; felstaplar: 95 % konfidensintervall för medelvärdet; n under varje enkät."
    if chart.reference in rows_of:
        note += f" Grå linje: {chart.reference}, som jämförelse."
    if _has_trend(chart):
        note += f" Streckad linje: skattad trend för {chart.trend_group} med 95 % konfidensband."
    _title_and_note(fig, chart, note, height)
    fig.subplots_adjust(left=0.08, right=0.99, top=1 - 0.7 / height, bottom=0.8 / height, hspace=0.85)
    return fig


def _draw_trend(ax, chart: Chart, positions: dict[str, int]) -> None:
    """The fitted trend line (dashed) and its 95 % band."""
    trend = chart.trend
    x = trend["enkat"].map(positions).to_numpy(dtype=float)
    ax.fill_between(x, trend["low"].to_numpy(dtype=float), trend["high"].to_numpy(dtype=float), color=_BAND, alpha=0.35, linewidth=0, label=None)
    ax.plot(x, trend["value"].to_numpy(dtype=float), linestyle="--", color=NEUTRALS[1], linewidth=1.4)


def _diverging_lefts(chart: DivergingChart) -> np.ndarray:
    """Left edge of every segment (rows × categories) so that the centre sits at 0."""
    shares = np.array([row[1] for row in chart.rows], dtype=float)
    cumulative = np.cumsum(shares, axis=1) - shares
    half = shares[:, chart.neutral] / 2 if chart.neutral is not None else 0.0
    centre = shares[:, : chart.neutral if chart.neutral is not None else shares.shape[1] // 2].sum(axis=1) + half
    return cumulative - centre[:, None]


def _draw_diverging(chart: DivergingChart) -> bytes:
    sns.set_theme(style="white", context="notebook")
    fig, ax = plt.subplots(figsize=(8.0, max(2.6, 1.3 + 0.42 * len(chart.rows))), dpi=110)
    try:
        colours = diverging_colours(len(chart.categories))
        shares = np.array([row[1] for row in chart.rows], dtype=float)
        lefts = _diverging_lefts(chart)
        y = np.arange(len(chart.rows))
        for number, label in enumerate(chart.categories):
            ax.barh(y, shares[:, number], left=lefts[:, number], color=colours[number], edgecolor="white", height=0.75,
                    label=chart_text(label, _LABEL))
        for row, (_, row_shares, _) in enumerate(chart.rows):
            for number, percent in enumerate(largest_remainder(row_shares)):
                if row_shares[number] >= 0.06:
                    dark = _dark(colours[number])
                    ax.text(lefts[row, number] + row_shares[number] / 2, row, str(percent), ha="center", va="center",
                            fontsize=7.5, color="white" if dark else "black")
        ax.set_yticks(y, [f"{chart_text(label, _ROW_LABEL)} (n = {n})" for label, _, n in chart.rows], fontsize=8)
        ax.invert_yaxis()
        ax.axvline(0, color=NEUTRALS[1], linewidth=0.8)
        ax.set_xlim(-1, 1)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{abs(value) * 100:.0f} %"))
        ax.set_title(_wrapped(chart.title, 55, 3), fontsize=10, loc="left")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08 - 0.6 / max(len(chart.rows), 1)),
                  ncol=min(3, len(chart.categories)), frameon=False, fontsize=7.5)
        sns.despine(left=True)
        fig.tight_layout()
        return _png(fig)
    finally:
        plt.close(fig)


def _draw_stacked(chart: StackedChart) -> bytes:
    """Bars of 100 % side by side in category order, each segment labelled with its whole percent."""
    sns.set_theme(style="white", context="notebook")
    fig, ax = plt.subplots(figsize=(8.0, max(2.4, 1.5 + 0.45 * len(chart.rows))), dpi=110)
    try:
        colours = PALETTE
        shares = np.array([row[1] for row in chart.rows], dtype=float).reshape(len(chart.rows), len(chart.categories))
        lefts = np.cumsum(shares, axis=1) - shares
        y = np.arange(len(chart.rows))
        for number, label in enumerate(chart.categories):
            ax.barh(y, shares[:, number], left=lefts[:, number], color=colours[number % len(colours)], edgecolor="white",
                    height=0.7, label=chart_text(label, _LABEL))
        for row, (_, row_shares, _) in enumerate(chart.rows):
            for number, percent in enumerate(largest_remainder(row_shares)):
                if row_shares[number] >= 0.06:
                    dark = _dark(colours[number % len(colours)])
                    ax.text(lefts[row, number] + row_shares[number] / 2, row, str(percent), ha="center", va="center",
                            fontsize=7.5, color="white" if dark else "black")
        ax.set_yticks(y, [f"{chart_text(label, _LABEL)} (n = {n})" for label, _, n in chart.rows], fontsize=8)
        ax.invert_yaxis()
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value * 100:.0f} %"))
        ax.set_title(_wrapped(chart.title, 55, 3), fontsize=10, loc="left")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1 - 0.6 / max(len(chart.rows), 1)),
                  ncol=min(3, max(len(chart.categories), 1)), frameon=False, fontsize=7.5)
        sns.despine(left=True)
        fig.tight_layout()
        return _png(fig)
    finally:
        plt.close(fig)


def _draw_bars(chart: BarChart) -> bytes:
    """Vertical bars, each labelled with its value (kronor with thousands spaces)."""
    sns.set_theme(style="whitegrid", context="notebook")
    fig, ax = plt.subplots(figsize=(6.4, 3.6), dpi=110)
    try:
        colours = PALETTE
        x = np.arange(len(chart.labels))
        ax.bar(x, chart.values, color=[colours[i % len(colours)] for i in range(len(chart.labels))], width=0.6)
        for position, value in zip(x, chart.values, strict=True):
            ax.annotate(chart_text(format_value(value, chart.value_kind)), (position, value), ha="center",
                        va="bottom" if value >= 0 else "top", fontsize=8, xytext=(0, 3 if value >= 0 else -3), textcoords="offset points", color=_REFERENCE)
        ax.set_xticks(x, [_wrapped(label, 26, 2) for label in chart.labels], fontsize=8)
        ax.grid(axis="x", visible=False)
        ax.axhline(0, color="black", linewidth=0.8)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: format_number(value, 0)))
        ax.tick_params(axis="y", labelsize=7.5)
        ax.margins(y=0.15)
        ax.set_title(_wrapped(chart.title, 60, 3), fontsize=10, loc="left")
        sns.despine(left=True)
        fig.tight_layout()
        return _png(fig)
    finally:
        plt.close(fig)


def _draw_grouped(chart: GroupedBarChart) -> bytes:
    """Bars side by side per label, one colour per series, each labelled with its value; a value not shown has no bar."""
    sns.set_theme(style="whitegrid", context="notebook")
    fig, ax = plt.subplots(figsize=(7.4, 3.6), dpi=110)
    try:
        colours = PALETTE
        x = np.arange(len(chart.labels))
        width = 0.8 / max(len(chart.series), 1)
        for number, (name, values) in enumerate(chart.series):
            positions = x - 0.4 + width * (number + 0.5)
            shown = [(p, v) for p, v in zip(positions, values, strict=True) if v is not None]
            ax.bar([p for p, _ in shown], [v for _, v in shown], width=width * 0.95, color=colours[number % len(colours)],
                   label=chart_text(name, _LABEL))  # fmt: skip
            for position, value in shown:
                ax.annotate(chart_text(format_value(value, chart.value_kind)), (position, value), ha="center", va="bottom",
                            fontsize=7.5, xytext=(0, 2), textcoords="offset points")  # fmt: skip
        ax.set_xticks(x, [_wrapped(label, 14, 2) for label in chart.labels], fontsize=8)
        ax.grid(axis="x", visible=False)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: format_number(value, 0)))
        ax.set_ylabel(chart_text(chart.y_label, _AXIS))
        ax.margins(y=0.15)
        ax.set_title(_wrapped(chart.title, 70, 2), fontsize=10, loc="left")
        ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False, fontsize=8.5)
        sns.despine(left=True)
        fig.tight_layout()
        return _png(fig)
    finally:
        plt.close(fig)

