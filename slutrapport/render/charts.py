"""Charts as PNG bytes (matplotlib/seaborn, no display needed), with Swedish text alternatives.

Every chart kind uses a colour-blind-safe palette (seaborn ``colorblind`` for
groups and for the options of an unordered question, ``PuOr`` for the
diverging answer scale), Swedish labels with decimal comma, and shows n.
Every text a chart draws (title, axis label, tick labels, legend entries) goes through :func:`~slutrapport.core.safetext.chart_text`:
control characters are removed and ``$`` is escaped, so a name such as
"Org $A$ och $B$" is drawn as written, never as mathtext; a very long name
is cut with an ellipsis on the chart (the text alternative keeps it whole).
"""

from __future__ import annotations

import io
import textwrap

import matplotlib
import numpy as np

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from slutrapport.core.safetext import chart_text, clean_text, shorten  # noqa: E402
from slutrapport.render.formatting import format_number, format_value, largest_remainder  # noqa: E402
from slutrapport.report.model import BarChart, Chart, DivergingChart, GroupedBarChart, StackedChart  # noqa: E402

__all__ = ["chart_png", "chart_alt_text"]

_ALL = "Alla"
_MARKERS = ["o", "s", "^", "D", "v", "P", "X"]
_LABEL = 60  # characters of a legend entry or a wave; longer ones are cut with an ellipsis
_AXIS = 80  # characters of an axis label
_ROW_LABEL = 160  # characters of a question beside a bar


def chart_png(chart: Chart | DivergingChart | StackedChart) -> bytes:
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


def _png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def _wrapped(text: str, width: int, lines: int) -> str:
    """``text`` for the chart (:func:`chart_text`) in lines of at most ``width`` characters, at most
    ``lines`` of them (the last ends with an ellipsis when text is left out)."""
    return chart_text("\n".join(textwrap.wrap(clean_text(text), width, max_lines=lines, placeholder=" …")))


def _legend_label(group: str, rows) -> str:
    counts = ", ".join(str(int(n)) for n in rows["n"])
    return _wrapped(f"{shorten(clean_text(group, single_line=True), _LABEL)} (n {counts})", 32, 3)


def _draw_lines(chart: Chart) -> bytes:
    sns.set_theme(style="whitegrid", context="notebook")
    fig, ax = plt.subplots(figsize=(7.4, 3.6), dpi=110)
    try:
        positions = {wave: i for i, wave in enumerate(chart.waves)}
        palette = sns.color_palette("colorblind", n_colors=max(3, chart.data["grupp"].nunique()))
        groups = list(dict.fromkeys(chart.data["grupp"]))
        offset = 0.06
        for number, group in enumerate(groups):
            rows = chart.data[chart.data["grupp"] == group]
            x = rows["enkat"].map(positions) + (number - (len(groups) - 1) / 2) * offset
            is_all = group == _ALL
            colour = "black" if is_all else palette[number % len(palette)]
            has_ci = {"low", "high"} <= set(rows.columns) and rows["low"].notna().any()
            yerr = [rows["value"] - rows["low"], rows["high"] - rows["value"]] if has_ci else None
            ax.errorbar(
                x,
                rows["value"],
                yerr=yerr,
                label=_legend_label(group, rows),
                color=colour,
                linewidth=2.6 if is_all else 1.5,
                marker=_MARKERS[number % len(_MARKERS)],
                markersize=6,
                capsize=3,
                elinewidth=1,
            )
        footnote = "Felstaplar: 95 % konfidensintervall för medelvärdet."
        ticks = [chart_text(wave, _LABEL) for wave in chart.waves]
        if chart.trend is not None and not chart.trend.empty:
            _draw_trend(ax, chart, positions)
            counts = _group_counts(chart)
            ticks = [f"{tick}\nn = {counts[wave]}" if wave in counts else tick for tick, wave in zip(ticks, chart.waves, strict=True)]
            footnote += f" Streckad linje: skattad trend för {chart.trend_group} med 95 % konfidensband."
        ax.set_xticks(range(len(chart.waves)), ticks)
        ax.set_xlim(-0.4, len(chart.waves) - 0.6)
        ax.set_ylim(chart.y_min - 0.1, chart.y_max + 0.1)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: format_number(value, 1)))
        ax.set_ylabel(chart_text(chart.y_label, _AXIS))
        ax.set_title(_wrapped(chart.title, 70, 2), fontsize=11, loc="left")
        if not chart.data.empty:
            ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False, fontsize=8.5)
        fig.text(0.01, 0.01, chart_text(footnote), fontsize=7.5, color="#555555")
        fig.tight_layout(rect=(0, 0.03, 1, 1))
        return _png(fig)
    finally:
        plt.close(fig)


def _group_counts(chart: Chart) -> dict[str, int]:
    """n per wave of the trend's group (shown under each wave's name)."""
    rows = chart.data[chart.data["grupp"] == chart.trend_group]
    return {str(wave): int(n) for wave, n in zip(rows["enkat"], rows["n"], strict=True) if n == n}


def _draw_trend(ax, chart: Chart, positions: dict[str, int]) -> None:
    """The fitted trend line (dashed) and its 95 % band."""
    trend = chart.trend
    x = trend["enkat"].map(positions).to_numpy(dtype=float)
    ax.fill_between(x, trend["low"].to_numpy(dtype=float), trend["high"].to_numpy(dtype=float), color="#888888", alpha=0.18,
                    linewidth=0, label=None)
    ax.plot(x, trend["value"].to_numpy(dtype=float), linestyle="--", color="#333333", linewidth=1.4,
            label=_wrapped(f"Trend, {clean_text(chart.trend_group, single_line=True)}", 32, 2))


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
        colours = sns.color_palette("PuOr", n_colors=len(chart.categories))[::-1]
        shares = np.array([row[1] for row in chart.rows], dtype=float)
        lefts = _diverging_lefts(chart)
        y = np.arange(len(chart.rows))
        for number, label in enumerate(chart.categories):
            ax.barh(y, shares[:, number], left=lefts[:, number], color=colours[number], edgecolor="white", height=0.75,
                    label=chart_text(label, _LABEL))
        for row, (_, row_shares, _) in enumerate(chart.rows):
            for number, percent in enumerate(largest_remainder(row_shares)):
                if row_shares[number] >= 0.06:
                    dark = number in (0, len(row_shares) - 1)
                    ax.text(lefts[row, number] + row_shares[number] / 2, row, str(percent), ha="center", va="center",
                            fontsize=7.5, color="white" if dark else "black")
        ax.set_yticks(y, [f"{chart_text(label, _ROW_LABEL)} (n = {n})" for label, _, n in chart.rows], fontsize=8)
        ax.invert_yaxis()
        ax.axvline(0, color="#333333", linewidth=0.8)
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
        colours = sns.color_palette("colorblind", n_colors=max(3, len(chart.categories)))
        shares = np.array([row[1] for row in chart.rows], dtype=float).reshape(len(chart.rows), len(chart.categories))
        lefts = np.cumsum(shares, axis=1) - shares
        y = np.arange(len(chart.rows))
        for number, label in enumerate(chart.categories):
            ax.barh(y, shares[:, number], left=lefts[:, number], color=colours[number % len(colours)], edgecolor="white",
                    height=0.7, label=chart_text(label, _LABEL))
        for row, (_, row_shares, _) in enumerate(chart.rows):
            for number, percent in enumerate(largest_remainder(row_shares)):
                if row_shares[number] >= 0.06:
                    red, green, blue = colours[number % len(colours)][:3]
                    dark = 0.299 * red + 0.587 * green + 0.114 * blue < 0.5
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
        colours = sns.color_palette("colorblind", n_colors=max(3, len(chart.labels)))
        x = np.arange(len(chart.labels))
        ax.bar(x, chart.values, color=[colours[i % len(colours)] for i in range(len(chart.labels))], width=0.6)
        for position, value in zip(x, chart.values, strict=True):
            ax.annotate(chart_text(format_value(value, chart.value_kind)), (position, value), ha="center",
                        va="bottom" if value >= 0 else "top", fontsize=8, xytext=(0, 3 if value >= 0 else -3), textcoords="offset points")
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
        colours = sns.color_palette("colorblind", n_colors=max(3, len(chart.series)))
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


def chart_alt_text(chart: Chart | DivergingChart | StackedChart | BarChart | GroupedBarChart) -> str:
    """A Swedish text alternative that lists every value the chart shows."""
    if isinstance(chart, GroupedBarChart):
        parts = []
        for name, values in chart.series:
            listed = ", ".join(f"{label} {'–' if v is None else format_value(v, chart.value_kind)}" for label, v in zip(chart.labels, values, strict=True))
            parts.append(f"{name}: {listed}")
        return f"Stapeldiagram: {chart.title}. " + "; ".join(parts) + "."
    if isinstance(chart, BarChart):
        values = "; ".join(f"{label} {format_value(value, chart.value_kind)}" for label, value in zip(chart.labels, chart.values, strict=True))
        return f"Stapeldiagram: {chart.title}. {values}."
    if isinstance(chart, (DivergingChart, StackedChart)):
        parts = []
        for label, shares, n in chart.rows:
            percents = largest_remainder(shares)
            spread = ", ".join(f"{c} {p} %" for c, p in zip(chart.categories, percents, strict=True))
            parts.append(f"{label} (n = {n}): {spread}")
        return f"Stapeldiagram: {chart.title}. " + "; ".join(parts) + "."
    parts = []
    for group, rows in chart.data.groupby("grupp", sort=False):
        values = ", ".join(
            f"{w} {format_value(v, chart.value_kind)} (n = {int(n)})" for w, v, n in zip(rows["enkat"], rows["value"], rows["n"], strict=True)
        )
        parts.append(f"{group}: {values}")
    if not parts:
        return f"Diagram: {chart.title}. Inga värden kan visas."
    if chart.trend is not None and not chart.trend.empty:
        points = ", ".join(
            f"{w} {format_value(v, chart.value_kind)} ({format_value(lo, chart.value_kind)}–{format_value(hi, chart.value_kind)})"
            for w, v, lo, hi in zip(chart.trend["enkat"], chart.trend["value"], chart.trend["low"], chart.trend["high"], strict=True)
        )
        parts.append(f"skattad trend för {chart.trend_group} med 95 % konfidensband: {points}")
    return f"Linjediagram: {chart.title}. " + "; ".join(parts) + "."
