"""The grouped bar chart (planned places and active participants per period): drawn, and its text alternative lists every value."""

from __future__ import annotations

from slutrapport.render.charts import chart_alt_text, chart_png
from slutrapport.report.model import CHARTS, GroupedBarChart


def _chart() -> GroupedBarChart:
    return GroupedBarChart(
        title="Planerade platser och aktiva deltagare vid periodens slut",
        labels=["2025 H1", "2025 H2", "2026 H1"],
        series=[("Planerade platser", [18.0, 22.0, 22.0]), ("Aktiva deltagare", [18.0, None, 14.0])],
        y_label="Antal",
    )


def test_a_grouped_bar_chart_is_a_chart_every_renderer_draws():
    chart = _chart()
    assert isinstance(chart, CHARTS)
    png = chart_png(chart)
    assert png.startswith(b"\x89PNG") and chart.png is png  # drawn once, kept for the next renderer


def test_the_text_alternative_lists_every_value_and_a_hidden_one_as_a_dash():
    text = chart_alt_text(_chart())
    assert text == (
        "Stapeldiagram: Planerade platser och aktiva deltagare vid periodens slut. "
        "Planerade platser: 2025 H1 18, 2025 H2 22, 2026 H1 22; Aktiva deltagare: 2025 H1 18, 2025 H2 –, 2026 H1 14."
    )
