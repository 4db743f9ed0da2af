"""The survey tables show the 95 % Wilson interval of each shown share positive (issue 17)."""

from __future__ import annotations

import math

import pytest

from slutrapport.analysis.describe import compare_waves
from slutrapport.analysis.intervals import wilson_interval
from slutrapport.analysis.suppression import ALL
from slutrapport.analysis.survey import analyse_survey
from slutrapport.render import render_html
from slutrapport.render.formatting import cell_text, format_value
from slutrapport.report.blocks.survey import index_blocks
from slutrapport.report.comparison import comparison_report
from slutrapport.report.model import PROTECTED, SHARE, SHARE_INTERVAL, Table
from slutrapport.sources.survey import load_instrument, read_waves
from tests.conftest import SAMPLES

#: the sample survey's organisation with suppressed cells
SMALL = "Arbetsförmedlingen"


@pytest.fixture(scope="module")
def survey():
    return read_waves(sorted((SAMPLES / "enkater").iterdir()), load_instrument("samverkan"))


@pytest.fixture(scope="module")
def results(survey):
    return analyse_survey(survey, 5)


def _interval_columns(table: Table) -> list[int]:
    return [i for i, column in enumerate(table.columns) if column.kind == SHARE_INTERVAL]


def _cell(table: Table, label: str, wave: str, kind: str):
    """The value of ``label``'s row in ``wave``'s column of ``kind``."""
    (column,) = [i for i, c in enumerate(table.columns) if c.kind == kind and c.group == wave]
    (row,) = [r for r in table.rows if r[0] == label]
    return row[column]


def test_the_interval_follows_each_share_positive_in_every_wave(results):
    index_id = next(iter(results.survey.instrument.indices))
    groups, _chart, questions = index_blocks(results, index_id)
    for table in (groups, questions):
        labels = [(c.label, c.kind, c.group) for c in table.columns[1:]]
        assert labels == [
            item for wave in results.survey.waves
            for item in (("Medel", "mean", wave), ("Andel positiva", SHARE, wave), ("95 % KI", SHARE_INTERVAL, wave), ("n", "count", wave))
        ]  # fmt: skip
        assert table.notes[-1] == "95 % KI = Wilsonintervall för andelen positiva."


def test_the_interval_shown_is_the_wilson_interval_of_the_cell(survey, results):
    index_id = next(iter(results.survey.instrument.indices))
    wave = results.survey.waves[0]
    exact = compare_waves(survey, 5, exact=True)
    cell = exact[(exact["niva"] == "index") & (exact["id"] == index_id) & (exact["grupp"] == ALL) & (exact["enkat"] == wave)].iloc[0]
    n = int(cell["n"])
    k = round(float(cell["andel_positiva"]) * n)
    assert k / n == pytest.approx(float(cell["andel_positiva"]), abs=1e-12)  # a whole number of positive people
    shown = _cell(index_blocks(results, index_id)[0], ALL, wave, SHARE_INTERVAL)
    assert shown == pytest.approx(wilson_interval(k, n), abs=1e-12)
    # reference: statsmodels.stats.proportion.proportion_confint(k, n, alpha=0.05, method="wilson")
    proportion = pytest.importorskip("statsmodels.stats.proportion")
    assert shown == pytest.approx(proportion.proportion_confint(k, n, alpha=0.05, method="wilson"), abs=1e-9)
    assert format_value(shown, SHARE_INTERVAL) in render_html(comparison_report(results))


def test_a_hidden_cell_has_a_protected_interval_and_a_shown_cell_a_number(results):
    table = results.comparison
    seen_hidden = 0
    for index_id in results.survey.instrument.indices:
        groups = index_blocks(results, index_id)[0]
        for wave in results.survey.waves:
            for label in (row[0] for row in groups.rows):
                cell = table[(table["niva"] == "index") & (table["id"] == index_id) & (table["grupp"] == label) & (table["enkat"] == wave)]
                interval = _cell(groups, label, wave, SHARE_INTERVAL)
                if bool(cell["undertryckt"].iloc[0]):
                    seen_hidden += 1
                    assert interval is PROTECTED
                    assert cell_text(interval, SHARE_INTERVAL) == "–"
                else:
                    low, high = interval
                    assert 0 <= low <= float(cell["andel_positiva"].iloc[0]) <= high <= 1
    assert seen_hidden  # the sample has hidden cells (SMALL)
    # the organisation's own page (the web's Jämförelse view) protects the same cells
    for index_id in results.survey.instrument.indices:
        for table in index_blocks(results, index_id, SMALL)[::2]:
            for row in table.rows:
                for i in _interval_columns(table):
                    assert (row[i] is PROTECTED) == (row[i - 1] is PROTECTED)  # the share beside it


def test_the_interval_is_written_in_whole_percent():
    assert format_value(wilson_interval(22, 34), SHARE_INTERVAL) == "48–79\u00a0%"
    assert format_value((0.0, 0.3085), SHARE_INTERVAL) == "0–31\u00a0%"
    assert format_value((math.nan, math.nan), SHARE_INTERVAL) == ""
    assert format_value(None, SHARE_INTERVAL) == ""
    assert cell_text(PROTECTED, SHARE_INTERVAL) == "–"
