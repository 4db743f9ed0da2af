"""Jämförelse: the staff survey's tables, charts and sentences per index, per question type and per question.

The content is the report's own, built by :func:`slutrapport.report.comparison.index_views`
(the indices), :func:`~slutrapport.report.comparison.question_views` (the
scale questions outside the indices, yes/no, single and multiple choice and
number questions) and :func:`~slutrapport.report.comparison.question_details`
(each question's answers per option, and the free-text answers) from the same
analysis tables, so the page shows exactly what the report will say. Reading
and analysing the files runs as a job (:mod:`slutrapport.web.jobs`) while the
page shows its steps; every table can be downloaded as CSV
(:func:`~slutrapport.render.csvfile.table_csv`) and every chart as the PNG
the report embeds (:func:`~slutrapport.render.charts.chart_png`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Blueprint, Response, abort, flash, render_template, request, url_for

from slutrapport.render.charts import chart_png
from slutrapport.render.csvfile import table_csv
from slutrapport.report.comparison import IndexView, QuestionDetail, QuestionView, index_views, organisations, question_details, question_views
from slutrapport.report.model import CHARTS, Subsection, Table
from slutrapport.web.views.common import needs_project, state

__all__ = ["blueprint", "COMPARISON_JOB"]

blueprint = Blueprint("jamforelse", __name__, url_prefix="/jamforelse")
COMPARISON_JOB = "jamforelse"


@dataclass
class _Content:
    """The page's views and its tables and charts numbered in page order (the download addresses)."""

    views: list[IndexView]
    questions: list[QuestionView]
    details: list[QuestionDetail]
    numbered: list = field(default_factory=list)
    #: how many of :attr:`numbered` are in the index and question-type views (drawn before the page is shown)
    shown_first: int = 0

    def __post_init__(self) -> None:
        for view in [*self.views, *self.questions]:
            self._number(view.blocks)
        self.shown_first = len(self.numbered)
        for detail in self.details:  # their charts are loaded as images when the question is opened
            self._number(detail.blocks)

    def _number(self, blocks: list) -> None:
        for block in blocks:
            if isinstance(block, Subsection):
                self._number(block.blocks)
            elif isinstance(block, (Table, *CHARTS)):
                self.numbered.append(block)

    def number(self, block) -> int | None:
        return next((i for i, found in enumerate(self.numbered) if found is block), None)


def _chosen(survey) -> str | None:
    wanted = request.args.get("organisation") or None
    return wanted if wanted in organisations(survey) else None


def _content(web, survey, chosen: str | None) -> _Content:
    """The page's content for ``chosen`` (None: every group), kept until an input changes."""
    return web.cached("jamforelse", lambda: _Content(index_views(survey, chosen), question_views(survey, chosen), question_details(survey, chosen)), chosen)


def _loading(wanted: str | None):
    """The job reading and analysing the survey when that is not done yet (None when the results are at hand)."""
    web = state()
    if web.is_cached("results"):
        survey = web.results().survey
        if survey is None or web.is_cached("jamforelse", wanted if wanted in organisations(survey) else None):
            return None
    latest = web.jobs.latest(web.project, COMPARISON_JOB)
    if latest is not None and not latest.running and latest.messages and not latest.shown:
        latest.shown = True  # a failed run: show why once, then compute as usual (the error page says it again)
        for kind, text in latest.messages:
            flash(text, kind)
        return None

    def work(progress) -> list:
        results = web.results()
        if results.survey is not None:
            chosen = wanted if wanted in organisations(results.survey) else None
            content = _content(web, results.survey, chosen)
            progress("Ritar diagrammen")
            for block in content.numbered[: content.shown_first]:
                if isinstance(block, CHARTS):
                    chart_png(block)  # drawn once, kept on the chart
        return []

    job, _started = web.jobs.start(web.project, COMPARISON_JOB, work)
    return job if job.running else None


@blueprint.get("")
@needs_project
def index():
    web = state()
    job = _loading(request.args.get("organisation") or None)
    if job is not None:
        return render_template("jamforelse.html.j2", job=job, survey=None, problem=None)
    results = web.results()
    survey = results.survey
    choices: list[str] = []
    chosen = None
    content = _Content([], [], [])
    if survey is not None:
        choices, chosen = organisations(survey), _chosen(survey)
        content = _content(web, survey, chosen)

    def links(block) -> dict[str, str]:
        number = content.number(block)
        if number is None:
            return {}
        kind, suffix = ("tabell", "csv") if isinstance(block, Table) else ("diagram", "png")
        return {suffix: url_for(f"jamforelse.{kind}", number=number, organisation=chosen)}

    return render_template(
        "jamforelse.html.j2",
        job=None,
        survey=survey,
        problem=results.problems.get("personalenkat"),
        organisations=choices,
        chosen=chosen,
        views=content.views,
        questions=content.questions,
        details=content.details,
        links=links,
    )


def _block(number: int, kind: type | tuple):
    survey = state().results().survey
    if survey is None:
        abort(404)
    numbered = _content(state(), survey, _chosen(survey)).numbered
    if not 0 <= number < len(numbered) or not isinstance(numbered[number], kind):
        abort(404)
    return numbered[number]


def _attachment(data: bytes, mimetype: str, name: str) -> Response:
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@blueprint.get("/tabell/<int:number>.csv")
@needs_project
def tabell(number: int):
    """One table of the page as CSV (semicolons, the cells as the report shows them, formula-safe)."""
    return _attachment(table_csv(_block(number, Table)), "text/csv; charset=utf-8", f"jamforelse-tabell-{number + 1}.csv")


@blueprint.get("/diagram/<int:number>.png")
@needs_project
def diagram(number: int):
    """One chart of the page as the PNG the report embeds."""
    return _attachment(chart_png(_block(number, CHARTS)), "image/png", f"jamforelse-diagram-{number + 1}.png")
