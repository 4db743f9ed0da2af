"""The staff-survey comparison: ``compare``'s report and the web page's Jämförelse view share one builder."""

from __future__ import annotations

import pandas as pd
import pytest

from slutrapport.analysis.suppression import ALL
from slutrapport.analysis.survey import analyse_survey
from slutrapport.report.comparison import comparison_report, index_views, organisations
from slutrapport.report.model import Chart, Hidden, Paragraphs, Subsection, Table
from slutrapport.sources.survey import load_instrument, read_waves
from tests.conftest import SAMPLES

#: the sample survey's organisation with suppressed cells (too few answers in a wave)
SMALL = "Arbetsförmedlingen"


@pytest.fixture(scope="module")
def results():
    survey = read_waves(sorted((SAMPLES / "enkater").iterdir()), load_instrument("samverkan"))
    return analyse_survey(survey, 5)


@pytest.fixture(scope="module")
def report_indices(results):
    """The compare report's subsection per index, by index name."""
    (section,) = comparison_report(results).sections
    names = set(results.survey.instrument.indices.values())
    return {b.title: b.blocks for b in section.blocks if isinstance(b, Subsection) and b.title in names}


def _same_chart(a: Chart, b: Chart) -> None:
    assert (a.title, a.waves, a.y_label, a.y_min, a.y_max, a.value_kind) == (b.title, b.waves, b.y_label, b.y_min, b.y_max, b.value_kind)
    pd.testing.assert_frame_equal(a.data, b.data)


def _same_blocks(page: list, report: list) -> None:
    assert [type(b) for b in page] == [type(b) for b in report]
    for a, b in zip(page, report, strict=True):
        if isinstance(a, Chart):
            _same_chart(a, b)
        else:
            assert a == b


def _groups(table: Table) -> list[str]:
    return [row[0] for row in table.rows]


def _hidden(table: Table) -> dict[str, list[int]]:
    """Positions of the hidden cells per row label."""
    return {row[0]: [i for i, cell in enumerate(row) if isinstance(cell, Hidden)] for row in table.rows}


def test_the_page_for_every_group_shows_the_compare_reports_tables_charts_and_sentences(results, report_indices):
    views = index_views(results, None)
    assert [v.name for v in views] == list(results.survey.instrument.indices.values())
    for view in views:
        report = report_indices[view.name]
        assert report[0] == Paragraphs(view.sentences)
        assert view.group_sentences == []
        _same_blocks(view.blocks, report[1:4])
        assert isinstance(view.blocks[0], Table) and isinstance(view.blocks[1], Chart) and isinstance(view.blocks[2], Table)
        assert _groups(view.blocks[0]) == [ALL, *organisations(results)]


def test_organisations_are_every_group_but_alla(results):
    assert organisations(results) == [g for g in dict.fromkeys(results.comparison["grupp"]) if g != ALL]
    assert SMALL in organisations(results) and ALL not in organisations(results)


@pytest.mark.parametrize("organisation", [SMALL, "Socialtjänsten"])
def test_the_organisation_filter_keeps_alla_and_the_chosen_organisation(results, report_indices, organisation):
    for view in index_views(results, organisation):
        groups, chart, questions = view.blocks
        assert _groups(groups) == [ALL, organisation]
        report_groups = report_indices[view.name][1]
        assert groups.rows == [row for row in report_groups.rows if row[0] in (ALL, organisation)]
        assert set(chart.data["grupp"]) <= {ALL, organisation}
        assert questions.caption == f"{view.name}: frågorna i indexet, {organisation}"
        assert view.sentences == report_indices[view.name][0].texts


def test_the_filtered_question_table_shows_the_organisations_cells(results):
    table = results.comparison
    for view in index_views(results, "Socialtjänsten"):
        questions = view.blocks[2]
        for row, question in zip(questions.rows, results.survey.instrument.index_items(view.id), strict=True):
            cells = table[(table["niva"] == "fraga") & (table["id"] == question.id) & (table["grupp"] == "Socialtjänsten")]
            assert row[4::4] == cells["n"].tolist()  # n of each wave


def test_hidden_cells_stay_hidden_on_the_page_and_in_the_report(results, report_indices):
    table = results.comparison
    unfiltered = {v.name: v for v in index_views(results, None)}
    filtered = {v.name: v for v in index_views(results, SMALL)}
    assert any(_hidden(v.blocks[0])[SMALL] for v in filtered.values())
    for name, view in filtered.items():
        report_table = report_indices[name][1]
        hidden = _hidden(report_table)[SMALL]
        assert _hidden(view.blocks[0])[SMALL] == hidden == _hidden(unfiltered[name].blocks[0])[SMALL]
        cells = table[(table["niva"] == "index") & (table["id"] == view.id) & (table["grupp"] == SMALL)]
        assert len(hidden) == 4 * int(cells["undertryckt"].sum())  # mean, share positive, its interval and n of each hidden wave
        if hidden:
            assert view.blocks[0].notes == report_table.notes != []
            shown = view.blocks[1].data
            assert set(shown[shown["grupp"] == SMALL]["enkat"]) == set(cells[~cells["undertryckt"].astype(bool)]["enkat"])
        q_hidden = table[(table["niva"] == "fraga") & table["id"].isin([q.id for q in results.survey.instrument.index_items(view.id)])
                         & (table["grupp"] == SMALL)]["undertryckt"].sum()
        assert sum(len(cells) for cells in _hidden(view.blocks[2]).values()) == 4 * int(q_hidden)
