"""Charts as PNG bytes (matplotlib/seaborn, no display needed)."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from .formatting import format_number, format_value  # noqa: E402
from .model import Chart  # noqa: E402

__all__ = ["chart_png", "chart_alt_text"]

_ALL = "Alla"


def chart_png(chart: Chart) -> bytes:
    """A line chart: waves on the x axis, one line per group, ``Alla`` drawn thicker."""
    if chart.png is None:
        chart.png = _draw(chart)
    return chart.png


def _draw(chart: Chart) -> bytes:
    sns.set_theme(style="whitegrid", context="notebook")
    fig, ax = plt.subplots(figsize=(7.0, 3.6), dpi=110)
    try:
        positions = {wave: i for i, wave in enumerate(chart.waves)}
        palette = sns.color_palette("colorblind", n_colors=max(3, chart.data["grupp"].nunique()))
        markers = ["o", "s", "^", "D", "v", "P", "X"]
        for number, (group, rows) in enumerate(chart.data.groupby("grupp", sort=False)):
            rows = rows.assign(x=rows["enkat"].map(positions)).sort_values("x")
            is_all = group == _ALL
            ax.plot(
                rows["x"],
                rows["value"],
                label=group,
                color="black" if is_all else palette[number % len(palette)],
                linewidth=2.8 if is_all else 1.6,
                marker=markers[number % len(markers)],
                markersize=6,
            )
        ax.set_xticks(range(len(chart.waves)), chart.waves)
        ax.set_xlim(-0.3, len(chart.waves) - 0.7)
        ax.set_ylim(chart.y_min - 0.1, chart.y_max + 0.1)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: format_number(value, 1)))
        ax.set_ylabel(chart.y_label)
        ax.set_title(chart.title, fontsize=11, loc="left")
        if not chart.data.empty:
            ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False, fontsize=9)
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", metadata={"Software": None})
        return buffer.getvalue()
    finally:
        plt.close(fig)


def chart_alt_text(chart: Chart) -> str:
    """A Swedish text alternative that lists every plotted value."""
    parts = []
    for group, rows in chart.data.groupby("grupp", sort=False):
        values = ", ".join(f"{w} {format_value(v, chart.value_kind)}" for w, v in zip(rows["enkat"], rows["value"]))
        parts.append(f"{group}: {values}")
    if not parts:
        return f"Diagram: {chart.title}. Inga värden kan visas."
    return f"Linjediagram: {chart.title}. " + "; ".join(parts) + "."
