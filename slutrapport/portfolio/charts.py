"""Forest charts as PNG (matplotlib, no display needed), with a Swedish text alternative.

One row per project: the estimate as a point, its 95 % interval as a line,
a zero line; a flagged row (a certain decline) is drawn with a different
colour and marker (▼, so the colour is never the only sign) and named in the
note. The colours are the report's palette (:data:`slutrapport.render.charts.PALETTE`). Values are shares drawn in
percentage points with Swedish number format, projects in the table's order.
Beyond :data:`MAX_LABELLED` projects the names no longer fit: the chart keeps
a fixed height and sorts the projects by their estimate (a caterpillar plot),
and the table above it gives each project's values.
"""

from __future__ import annotations

import io
import textwrap

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from slutrapport.core.swedish import format_number  # noqa: E402
from slutrapport.portfolio.model import ForestChart  # noqa: E402
from slutrapport.render.charts import NEUTRALS, PALETTE  # noqa: E402
from slutrapport.render.formatting import format_value  # noqa: E402
from slutrapport.report.model import DIFF_SHARE  # noqa: E402

__all__ = ["forest_png", "forest_alt_text", "MAX_LABELLED"]

#: Up to this many rows each project is named on the chart.
MAX_LABELLED = 40
_ROW_HEIGHT = 0.28  # inches per labelled row


def forest_png(chart: ForestChart) -> bytes:
    """The chart as PNG; drawn once and kept on the chart for the next renderer."""
    if chart.png is None:
        chart.png = _draw(chart)
    return chart.png


def _limits(chart: ForestChart) -> tuple[float, float]:
    values = [v for r in chart.rows for v in (r.estimate, r.low, r.high) if v is not None]
    reach = max([0.1] + [abs(v) for v in values])
    reach = min(1.0, np.ceil(reach * 10 + 0.5) / 10)
    return -100 * reach, 100 * reach


def _draw(chart: ForestChart) -> bytes:
    sns.set_theme(style="whitegrid", context="notebook")
    count = len(chart.rows)
    labelled = count <= MAX_LABELLED
    rows = chart.rows if labelled else sorted(chart.rows, key=lambda r: r.estimate)
    height = 1.6 + _ROW_HEIGHT * max(count, 1) if labelled else 6.0
    fig, ax = plt.subplots(figsize=(7.4, height), dpi=100)
    try:
        y = np.arange(count)
        estimates = np.array([100 * r.estimate for r in rows], dtype=float)
        low = np.array([100 * (r.low if r.low is not None else r.estimate) for r in rows], dtype=float)
        high = np.array([100 * (r.high if r.high is not None else r.estimate) for r in rows], dtype=float)
        flagged = np.array([r.flagged for r in rows], dtype=bool)
        ax.axvline(0, color=NEUTRALS[1], linewidth=0.9)
        if count:
            ax.hlines(y, low, high, color=NEUTRALS[1], linewidth=1.3 if labelled else 0.5)
            size = 6 if labelled else 2.5
            ax.plot(estimates[~flagged], y[~flagged], "o", color=PALETTE[0], markersize=size)
            if flagged.any():
                ax.plot(estimates[flagged], y[flagged], "v", color=PALETTE[1], markersize=size + 2)
        if labelled:
            ax.set_yticks(y, [textwrap.shorten(r.label, 40, placeholder="…") for r in rows])
            ax.tick_params(axis="y", labelsize=8.5)
        else:
            ax.set_yticks([])
            ax.set_ylabel(f"{count} projekt, sorterade efter förändringen")
        ax.set_ylim(count - 0.5, -0.5)
        ax.set_xlim(*_limits(chart))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: format_number(value, 0)))
        ax.set_xlabel(chart.x_label)
        title = textwrap.wrap(chart.title, 90)[:2]
        fig.text(0.01, 1 - 0.12 / height, "\n".join(title), fontsize=10, ha="left", va="top")
        note = "Punkt: förändring; linje: 95 % konfidensintervall (Newcombe)."
        if flagged.any():
            note += f" ▼ (rödorange): {chart.flag_label}."
        fig.text(0.01, 0.12 / height, note, fontsize=7.5, color=NEUTRALS[2])
        # fixed margins in inches (tight_layout measures every label and is slow for many charts)
        left = 2.7 if labelled else 0.5
        fig.subplots_adjust(left=left / 7.4, right=1 - 0.2 / 7.4, top=1 - (0.3 + 0.2 * len(title)) / height, bottom=0.85 / height)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", metadata={"Software": None})
        return buffer.getvalue()
    finally:
        plt.close(fig)


def forest_alt_text(chart: ForestChart) -> str:
    """A Swedish text alternative that lists every value the chart shows."""
    parts = []
    for row in chart.rows:
        interval = ""
        if row.low is not None and row.high is not None:
            interval = f" (95 % KI {format_value((row.low, row.high), 'interval')})"
        flag = ", säkerställd minskning av medelvärdet" if row.flagged else ""
        parts.append(f"{row.label}: {format_value(row.estimate, DIFF_SHARE)}{interval}{flag}")
    text = f"Forestdiagram: {chart.title}. " + ("; ".join(parts) + "." if parts else "Inga värden kan visas.")
    if chart.hidden:
        text += f" Visas inte (dolt eller saknas): {', '.join(chart.hidden)}."
    return text
