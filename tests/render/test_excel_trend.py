"""The Excel workbook's native index charts: the fitted trend and its 95 % band as three more series, their numbers in the sheet."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from slutrapport.analysis.suppression import ALL
from slutrapport.analysis.survey import analyse_survey
from slutrapport.render.excel import _ReportSheet, render_excel
from slutrapport.render.xlsx import workbook_bytes
from slutrapport.report.comparison import comparison_report
from slutrapport.report.model import Chart
from slutrapport.sources.survey import load_instrument, read_waves
from tests.conftest import SAMPLES

WAVES = ["Enkät 1", "Enkät 2", "Enkät 3"]
TREND_SERIES = ["Trend (skattad)", "95 % KI, nedre", "95 % KI, övre"]


def _chart(trend: bool) -> Chart:
    data = pd.DataFrame({"grupp": ["Alla"] * 3 + ["AF"] * 3, "enkat": WAVES * 2, "value": [3.4, 3.9, 4.1, 3.2, 3.8, 4.0], "n": [43, 47, 34, 14, 16, 12]})
    line = pd.DataFrame({"enkat": WAVES, "value": [3.45, 3.8, 4.15], "low": [3.3, 3.7, 4.0], "high": [3.6, 3.9, 4.3], "test": "trend_lmm"})
    return Chart("Index A: medelvärde per enkät och grupp", data, WAVES, "Medelvärde", 1, 5, trend=line if trend else None)


def _series(ws) -> list[list[tuple[str, list, str | None]]]:
    """Per chart: (name, values, line dash) of every series, read from the cells the series point to."""
    charts = []
    for chart in ws._charts:
        found = []
        for series in chart.series:
            name = ws[series.tx.strRef.f.split("!")[1]].value
            cells = ws[series.val.numRef.f.split("!")[1].replace("$", "")]
            values = [row[0].value for row in cells]
            dash = series.spPr.ln.prstDash if series.spPr is not None and series.spPr.ln is not None else None
            found.append((name, values, dash))
        charts.append(found)
    return charts


def _sheet(*charts: Chart):
    wb = Workbook(write_only=True)
    writer = _ReportSheet(wb.create_sheet("Blad"))
    writer.blocks(list(charts))
    return load_workbook(io.BytesIO(workbook_bytes(wb, "Test")))["Blad"]


def test_the_trend_and_its_band_are_three_more_series_written_as_numbers():
    with_trend, without = _series(_sheet(_chart(True), _chart(False)))
    assert [name for name, _, _ in with_trend] == ["Alla", "AF", *TREND_SERIES]
    assert [values for _, values, _ in with_trend] == [[3.4, 3.9, 4.1], [3.2, 3.8, 4.0], [3.45, 3.8, 4.15], [3.3, 3.7, 4.0], [3.6, 3.9, 4.3]]
    assert [dash for _, _, dash in with_trend[2:]] == ["dash", "sysDash", "sysDash"]
    # without a trend, only the groups
    assert [name for name, _, _ in without] == ["Alla", "AF"]


@pytest.fixture(scope="module")
def sample_results():
    return analyse_survey(read_waves(sorted((SAMPLES / "enkater").iterdir()), load_instrument("samverkan")), 5)


def test_the_workbooks_trend_series_hold_the_fitted_trend_of_alla(sample_results):
    trends = sample_results.trends
    alla = trends[(trends["niva"] == "index") & (trends["grupp"] == ALL)]
    assert alla["id"].nunique() >= 2  # the sample's three waves have trends
    names = sample_results.survey.instrument.indices
    workbook = load_workbook(io.BytesIO(render_excel(comparison_report(sample_results))))
    charts = [(chart, series) for ws in workbook.worksheets for chart, series in zip(ws._charts, _series(ws), strict=True)]
    seen = set()
    for chart, series in charts:
        title = "".join(run.t for paragraph in chart.title.tx.rich.p for run in paragraph.r or [])
        index = next(i for i, name in names.items() if title == f"{name}: medelvärde per enkät och grupp")
        line = alla[alla["id"] == index]
        if line.empty:
            assert not any(name in TREND_SERIES for name, _, _ in series)
            continue
        seen.add(index)
        assert [name for name, _, _ in series[-3:]] == TREND_SERIES
        for (_, values, _), column in zip(series[-3:], ("trend", "trend_lag", "trend_hog"), strict=True):
            assert values == pytest.approx(list(line[column]), abs=1e-12)
    assert seen == set(alla["id"])
