"""Jämförelse: the staff survey's tables, charts and sentences per index and per question type, filterable by organisation.

The content is the report's own, built by :func:`slutrapport.report.comparison.index_views`
(the indices) and :func:`~slutrapport.report.comparison.question_views` (the
scale questions outside the indices, yes/no, single and multiple choice and
number questions) from the same analysis tables, so the page shows exactly
what the report will say; this view only reads the chosen organisation and
fills the template.
"""

from __future__ import annotations

from flask import Blueprint, render_template, request

from slutrapport.report.comparison import IndexView, QuestionView, index_views, organisations, question_views
from slutrapport.web.views.common import needs_project, state

__all__ = ["blueprint"]

blueprint = Blueprint("jamforelse", __name__, url_prefix="/jamforelse")


@blueprint.get("")
@needs_project
def index():
    web = state()
    results = web.results()
    survey = results.survey
    choices: list[str] = []
    chosen = None
    views: list[IndexView] = []
    questions: list[QuestionView] = []
    if survey is not None:
        choices = organisations(survey)
        wanted = request.args.get("organisation") or None
        chosen = wanted if wanted in choices else None
        views, questions = web.cached("jamforelse", lambda: (index_views(survey, chosen), question_views(survey, chosen)), chosen)
    return render_template(
        "jamforelse.html.j2",
        survey=survey,
        problem=results.problems.get("personalenkat"),
        organisations=choices,
        chosen=chosen,
        views=views,
        questions=questions,
    )
