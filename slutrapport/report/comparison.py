"""The staff-survey comparison as report-model content, for ``slutrapport compare`` and the web page.

:func:`comparison_report` is the report of ``compare``: the staff-survey
section alone. :func:`index_views` is the same content per index for the web
page's Jämförelse view, filterable by organisation. Both take their tables and
charts from :func:`~slutrapport.report.blocks.survey.index_blocks` and their
sentences from :func:`~slutrapport.wording.survey.index_paragraph`, so the page
shows exactly what the report says; for a chosen organisation the page adds
:func:`~slutrapport.wording.groups.group_paragraph`.

:func:`question_views` is the rest of the page: the scale questions outside
every index and one view per other question type (yes/no, single and
multiple choice, numbers), the report's own subsections for them
(:func:`~slutrapport.report.blocks.survey.loose_blocks`,
:func:`~slutrapport.report.blocks.items.item_blocks`).

:func:`survey_tables` and :func:`survey_instrument` are the survey's part of
the bundle (``rapport.json``), shared with the project report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from slutrapport.analysis.suppression import ALL
from slutrapport.analysis.survey import SurveyResults
from slutrapport.report.blocks.items import KIND_TITLES, item_blocks, item_tables
from slutrapport.report.blocks.survey import LOOSE_TITLE, index_blocks, loose_blocks, survey_blocks
from slutrapport.report.blocks.who_answered import with_response_rates
from slutrapport.report.model import Report, Section
from slutrapport.wording.groups import group_paragraph
from slutrapport.wording.survey import index_paragraph

__all__ = [
    "comparison_report", "IndexView", "index_views", "QuestionView", "question_views", "organisations", "survey_tables",
    "survey_instrument", "ITEM_TABLE_NAMES",
]  # fmt: skip

#: The name of each table of the yes/no, choice and number questions among the report's tables (Excel's data sheets).
ITEM_TABLE_NAMES = {"shares": "andelar", "share_tests": "andelstest", "numeric": "talfragor", "numeric_tests": "talfragor_test"}


def survey_tables(results: SurveyResults | None) -> dict[str, pd.DataFrame]:
    """The survey's analysis tables by their ``rapport.json`` names (none without a survey), and the tables of
    the other question types that have rows (:data:`ITEM_TABLE_NAMES`), which only the Excel file shows."""
    if results is None:
        return {}
    tables = {
        "jamforelse": results.comparison,
        "forandringar": results.changes,
        "reliabilitet": results.reliability,
        "gruppskillnader": results.group_tests,
    }
    rates = getattr(results, "response_rates", None)
    if rates is not None and not rates.empty:  # only with invited counts: nothing about response rates is invented
        tables["svarsfrekvens"] = rates
    composition = getattr(results, "composition", None)
    if composition is not None and not composition.empty:
        tables["sammansattning"] = composition
    items = item_tables(results)
    for attribute, name in ITEM_TABLE_NAMES.items():
        if not items[attribute].empty:  # the Excel file's data sheets; the bundle writes only its own tables
            tables[name] = items[attribute]
    return tables


def survey_instrument(results: SurveyResults | None) -> dict | None:
    """The instrument and waves of the staff survey, for the bundle (which projects can be compared)."""
    if results is None:
        return None
    instrument = results.survey.instrument
    return {
        "id": instrument.id,
        "namn": instrument.name,
        "skala": {"min": instrument.scale.min, "max": instrument.scale.max, "positiva": sorted(instrument.scale.positive)},
        "enkater": [{"etikett": w, "datum": results.wave_dates.get(w)} for w in results.survey.waves],
    }


def comparison_report(results: SurveyResults, title: str = "Jämförelse av personalenkäter") -> Report:
    """A report with only the staff-survey comparison (for ``compare``)."""
    section = Section(id="personalenkat", number=None, title="Resultat personalenkät", blocks=survey_blocks(results), expects_text=False)
    return Report(
        title=title,
        subtitle=results.survey.instrument.name,
        facts={},
        sections=[section],
        generated=date.today().isoformat(),
        comparison=results.comparison,
        tables=survey_tables(results),
        instrument=survey_instrument(results),
    )


@dataclass
class IndexView:
    """One index on the page: its name, the report's sentences, the organisation's sentences and the blocks."""

    id: str
    name: str
    sentences: list[str]
    group_sentences: list[str]
    blocks: list


def organisations(results: SurveyResults) -> list[str]:
    """The groups an index view can be filtered by: every group of the comparison but "Alla", in report order."""
    return [g for g in dict.fromkeys(results.comparison["grupp"]) if g != ALL]


def index_views(results: SurveyResults, organisation: str | None) -> list[IndexView]:
    """The page's content for every index; ``organisation`` None shows every group.

    An organisation keeps "Alla" and that organisation only (see
    :func:`~slutrapport.report.blocks.survey.index_blocks`) and adds its own sentences.
    """
    survey = results.survey
    table, waves = results.comparison, survey.waves
    views = []
    for index_id, name in survey.instrument.indices.items():
        sentences = index_paragraph(index_id, waves, table, results.changes, results.group_tests, results.reliability)
        mine = group_paragraph(index_id, organisation, waves, table, results.changes) if organisation else []
        blocks = with_response_rates(index_blocks(results, index_id, organisation), results)
        views.append(IndexView(index_id, name, sentences, mine, blocks))
    return views


@dataclass
class QuestionView:
    """The questions of one type on the page: an anchor id, the report's subsection title and its blocks
    (for the yes/no, choice and number questions one subsection per question)."""

    id: str
    name: str
    blocks: list


def question_views(results: SurveyResults, organisation: str | None) -> list[QuestionView]:
    """The page's content for the questions outside the indices, one view per type the instrument has.

    ``organisation`` None shows every group; an organisation keeps "Alla" and
    that organisation in the tables per group (the choice questions, like the
    distributions, are for all respondents either way, as in the report).
    """
    ids = {LOOSE_TITLE: "skala", **{title: kind for kind, title in KIND_TITLES.items()}}
    blocks = with_response_rates([*loose_blocks(results, organisation), *item_blocks(results, organisation)], results)
    return [QuestionView(ids.get(block.title, f"typ-{number}"), block.title, list(block.blocks)) for number, block in enumerate(blocks, start=1)]
