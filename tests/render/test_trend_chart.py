"""The index chart's trend line: its band, n per wave under the waves, and the text alternative."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from slutrapport.render import charts
from slutrapport.render.charts import chart_alt_text, chart_png
from slutrapport.report.model import Chart

WAVES = ["Enkät 1", "Enkät 2", "Enkät 3"]


def _chart(trend: bool) -> Chart:
    data = pd.DataFrame(
        {"grupp": ["Alla"] * 3 + ["AF"] * 3, "enkat": WAVES * 2, "value": [3.4, 3.9, 4.1, 3.2, 3.8, 4.0],
         "n": [43, 47, 34, 14, 16, 12], "low": [3.2, 3.7, 3.9, 2.9, 3.5, 3.6], "high": [3.6, 4.1, 4.3, 3.5, 4.1, 4.4]}
    )  # fmt: skip
    line = pd.DataFrame({"enkat": WAVES, "value": [3.45, 3.8, 4.15], "low": [3.3, 3.7, 4.0], "high": [3.6, 3.9, 4.3], "test": "trend_lmm"})
    return Chart("Index A: medelvärde per enkät och grupp", data, WAVES, "Medelvärde", 1, 5, trend=line if trend else None)


def test_the_trend_line_band_and_n_per_wave_are_drawn(monkeypatch):
    drawn: dict[str, list] = {"band": [], "ticks": []}
    real_fill, real_ticks = plt.Axes.fill_between, plt.Axes.set_xticks

    def fill(self, x, low, high, **kwargs):
        drawn["band"].append((list(x), list(low), list(high)))
        return real_fill(self, x, low, high, **kwargs)

    def ticks(self, positions, labels=None, **kwargs):
        drawn["ticks"].append(list(labels or []))
        return real_ticks(self, positions, labels, **kwargs)

    monkeypatch.setattr(plt.Axes, "fill_between", fill)
    monkeypatch.setattr(plt.Axes, "set_xticks", ticks)
    assert charts._draw_lines(_chart(True)).startswith(b"\x89PNG")
    assert drawn["band"] == [([0.0, 1.0, 2.0], [3.3, 3.7, 4.0], [3.6, 3.9, 4.3])]
    assert drawn["ticks"] == [["Enkät 1\nn = 43", "Enkät 2\nn = 47", "Enkät 3\nn = 34"]]
    # without a trend, nothing is added
    drawn["band"].clear(), drawn["ticks"].clear()
    charts._draw_lines(_chart(False))
    assert drawn["band"] == [] and drawn["ticks"] == [WAVES]


def test_the_text_alternative_gives_the_trend_and_its_band():
    chart = _chart(True)
    assert chart_png(chart).startswith(b"\x89PNG")
    assert chart_alt_text(chart).endswith(
        "; skattad trend för Alla med 95 % konfidensband: Enkät 1 3,5 (3,3–3,6), Enkät 2 3,8 (3,7–3,9), Enkät 3 4,2 (4,0–4,3)."
    )
    assert "trend" not in chart_alt_text(_chart(False))
