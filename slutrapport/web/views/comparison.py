"""Jämförelse: the staff survey's tables, charts and sentences per index, filterable by organisation.

The tables and charts are the report's own (``render.survey_blocks``) built
from the same analysis tables, so the page shows exactly what the report will
say; the filter keeps "Alla" and the chosen organisation. The sentences are
the report's (:func:`~slutrapport.wording.survey.index_paragraph`) plus,
for a chosen organisation, :func:`~slutrapport.wording.groups.group_paragraph`.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, render_template, request

from slutrapport.analysis.suppression import ALL
from slutrapport.analysis.survey import SurveyResults
from slutrapport.report.blocks.survey import _trend_chart, _wave_table
from slutrapport.web.views.common import needs_project, state
from slutrapport.wording.groups import group_paragraph
from slutrapport.wording.survey import index_paragraph

__all__ = ["blueprint", "IndexView", "index_views"]

blueprint = Blueprint("jamforelse", __name__, url_prefix="/jamforelse")


@dataclass
class IndexView:
    """One index on the page: its name, the report's sentences, the organisation's sentences and the blocks."""

    id: str
    name: str
    sentences: list[str]
    group_sentences: list[str]
    blocks: list


def index_views(results: SurveyResults, organisation: str | None) -> list[IndexView]:
    """The page's content for every index; ``organisation`` None shows every group."""
    survey = results.survey
    instrument, table, waves = survey.instrument, results.comparison, survey.waves
    groups = [ALL, organisation] if organisation else list(dict.fromkeys(table["grupp"]))
    views = []
    for index_id, name in instrument.indices.items():
        cells = table[(table["niva"] == "index") & (table["id"] == index_id) & table["grupp"].isin(groups)]
        intervals = results.intervals[
            (results.intervals["niva"] == "index") & (results.intervals["id"] == index_id) & results.intervals["grupp"].isin(groups)
        ]
        questions = instrument.index_items(index_id)
        shown = organisation or ALL
        q_cells = table[(table["niva"] == "fraga") & table["id"].isin([q.id for q in questions]) & (table["grupp"] == shown)]
        q_rows = [(q.id, q.text + (" (negativt formulerad)" if q.reverse else "")) for q in questions]
        who = "alla svarande" if shown == ALL else shown
        blocks = [
            _wave_table(cells, waves, "grupp", [(g, g) for g in groups if g in set(cells["grupp"])],
                        f"{name}: indexvärde per grupp och enkät", results.min_n, "Grupp"),
            _trend_chart(cells, intervals, name, waves, instrument.scale.min, instrument.scale.max),
            _wave_table(q_cells, waves, "id", q_rows, f"{name}: frågorna i indexet, {who}", results.min_n, "Fråga"),
        ]
        sentences = index_paragraph(index_id, waves, table, results.changes, results.group_tests, results.reliability)
        mine = group_paragraph(index_id, organisation, waves, table, results.changes) if organisation else []
        views.append(IndexView(index_id, name, sentences, mine, blocks))
    return views


@blueprint.get("")
@needs_project
def index():
    web = state()
    results = web.results()
    survey = results.survey
    organisations: list[str] = []
    chosen = None
    views: list[IndexView] = []
    if survey is not None:
        organisations = [g for g in dict.fromkeys(survey.comparison["grupp"]) if g != ALL]
        wanted = request.args.get("organisation") or None
        chosen = wanted if wanted in organisations else None
        views = web.cached("jamforelse", lambda: index_views(survey, chosen), chosen)
    return render_template(
        "jamforelse.html.j2",
        survey=survey,
        problem=results.problems.get("personalenkat"),
        organisations=organisations,
        chosen=chosen,
        views=views,
    )
