"""Each chart is drawn once per run: the HTML, the workbook and the Word document share its PNG through the
cache keyed by the chart's content; the drawing modules are imported only when a chart is drawn (issue 20)."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace

import pandas as pd
import pytest

from slutrapport.render import charts
from slutrapport.report.model import Chart, DivergingChart

WAVES = ["Enkät 1", "Enkät 2"]


def _line(title: str = "Index A") -> Chart:
    data = pd.DataFrame({"grupp": ["Alla", "Alla"], "enkat": WAVES, "value": [3.1, 3.4], "n": [40, 42], "low": [2.9, 3.2], "high": [3.3, 3.6]})
    return Chart(title, data, WAVES, "Medelvärde", 1, 5)


def _counting(monkeypatch) -> list[int]:
    drawn: list[int] = []
    real = charts._png

    def spy(fig) -> bytes:
        drawn.append(1)
        return real(fig)

    monkeypatch.setattr(charts, "_png", spy)
    charts.forget_drawings()
    return drawn


def test_a_chart_of_the_same_content_is_drawn_once(monkeypatch):
    drawn = _counting(monkeypatch)
    first = charts.chart_png(_line())
    again = _line()  # another object with the same content (a report built again from the same results)
    assert charts.chart_png(again) == first and again.png == first and len(drawn) == 1
    # anything the chart shows makes it another chart: its title, a value, the kind of chart
    other = _line("Index B")
    changed = _line()
    changed.data.loc[1, "value"] = 3.5
    assert charts.chart_png(other) != first and charts.chart_png(changed) != first and len(drawn) == 3
    bars = DivergingChart("Index A", ["Nej", "Ja"], [("Fråga", [0.4, 0.6], 40)], None)
    charts.chart_png(bars)
    charts.chart_png(replace(bars, png=None))
    assert len(drawn) == 4


def test_the_cache_keeps_at_most_its_number_of_drawings(monkeypatch):
    drawn = _counting(monkeypatch)
    monkeypatch.setattr(charts, "CACHE_CHARTS", 2)
    for title in ("A", "B", "C"):
        charts.chart_png(_line(title))
    charts.chart_png(_line("C"))  # kept
    assert len(drawn) == 3
    charts.chart_png(_line("A"))  # the least recently used went first
    assert len(drawn) == 4
    monkeypatch.setattr(charts, "CACHE_BYTES", 10)  # a drawing bigger than the cache is not kept
    charts.chart_png(_line("D"))
    charts.chart_png(_line("D"))
    assert len(drawn) == 6


def test_the_drawing_modules_are_imported_when_a_chart_is_drawn_and_seaborn_never():
    probe = (
        "import json, sys\n"
        "import slutrapport.render.charts as charts, slutrapport.render.html\n"
        "from tests.render.test_chart_cache import _line\n"
        "loaded = lambda: sorted(m for m in sys.modules if m.split('.')[0] == 'seaborn' or m.startswith('slutrapport.render.chart_'))\n"
        "before = loaded()\n"
        "charts.chart_png(_line())\n"
        "print(json.dumps([before, loaded()]))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    before, after = json.loads(done.stdout.strip().splitlines()[-1])
    assert before == ["slutrapport.render.chart_style"]
    assert after == ["slutrapport.render.chart_bars", "slutrapport.render.chart_canvas", "slutrapport.render.chart_lines", "slutrapport.render.chart_style"]


def test_the_cycle_collector_is_paused_while_a_chart_is_drawn_and_as_before_afterwards(monkeypatch):
    import gc

    seen: list[bool] = []
    real = charts._png
    monkeypatch.setattr(charts, "_png", lambda fig: seen.append(gc.isenabled()) or real(fig))
    charts.forget_drawings()
    assert gc.isenabled()
    charts.chart_png(_line("Pausad"))
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:
        charts.chart_png(_line("Redan pausad"))
        assert not gc.isenabled()  # left off when it was off
    finally:
        gc.enable()
    monkeypatch.setattr(charts, "_png", lambda fig: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        charts.chart_png(_line("Fel"))
    assert gc.isenabled()  # back on after a failed drawing
