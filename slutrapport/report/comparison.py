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

:func:`question_details` is the page's view per question: for each scale
question the answers per option, wave and group (counts and shares, from the
analysis's ``distribution`` table, which holds shown cells only) beside the
report's own distribution chart and table, and the free-text answers as the
report lists them.

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
from slutrapport.report.blocks.survey import LOOSE_TITLE, distribution_blocks, index_blocks, loose_blocks, survey_blocks
from slutrapport.report.blocks.survey_method import scale_groups
from slutrapport.report.blocks.who_answered import with_response_rates
from slutrapport.report.model import COUNT, SHARE, Column, Paragraphs, Report, Section, Table, TextList
from slutrapport.wording.groups import group_paragraph
from slutrapport.wording.scales import category_labels
from slutrapport.wording.survey import index_paragraph

__all__ = [
    "comparison_report", "IndexView", "index_views", "QuestionView", "question_views", "QuestionDetail", "question_details", "organisations", "survey_tables",
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


@dataclass
class QuestionDetail:
    """One question on the page: its id, text, the index it belongs to (name, or None) and its blocks."""

    id: str
    text: str
    index: str | None
    blocks: list


def question_details(results: SurveyResults, organisation: str | None) -> list[QuestionDetail]:
    """Every scale question's answers per option and the free-text answers, in the instrument's order.

    The table per question has one row per group and wave with the count and
    share of each option: "Alla" and, when ``organisation`` is given, that
    organisation; a group the anonymity rules hide in a wave has no row, as it
    has none in the analysis table. The free-text answers are the report's:
    all respondents together, shuffled, only for waves with enough respondents.
    """
    survey = results.survey
    instrument, waves = survey.instrument, survey.waves
    groups = [ALL, organisation] if organisation else [ALL]
    dist = results.distribution
    details = []
    for question in instrument.scale_questions:
        scale = scale_groups(instrument, [question])[0][0]
        mine = dist[(dist["id"] == question.id) & dist["grupp"].isin(groups)]
        values = sorted(set(scale.values) | {int(v) for v in mine["varde"]})
        labels = category_labels(scale, values)
        rows = []
        for group in groups:
            for wave in waves:
                cell = mine[(mine["grupp"] == group) & (mine["enkat"] == wave)]
                if cell.empty:
                    continue
                by_value = {int(v): (int(a), float(s)) for v, a, s in zip(cell["varde"], cell["antal"], cell["andel"], strict=True)}
                counts = [by_value.get(v, (0, 0.0)) for v in values]
                rows.append([group, wave, *[x for pair in counts for x in pair], sum(a for a, _ in counts)])
        columns = [Column("Grupp"), Column("Enkät")]
        for label in labels:
            columns += [Column("antal", COUNT, group=label), Column("andel", SHARE, group=label)]
        table = Table(f"{question.text}: svar per svarsalternativ, grupp och enkät", [*columns, Column("n", COUNT)], rows)
        blocks = [table] if rows else [Paragraphs(["Inga svar att visa: grupperna är för små eller frågan saknar svar."])]
        blocks += distribution_blocks(results, question.text, [question])[:1]  # the report's chart
        index = instrument.indices.get(question.index) if question.index else None
        details.append(QuestionDetail(question.id, question.text, index, blocks))
    free = results.free_text
    for question in instrument.freetext_questions:
        lists = [TextList(wave, free[(free["fraga"] == question.id) & (free["enkat"] == wave)]["text"].tolist(), "Inga svar att visa.") for wave in waves]
        details.append(QuestionDetail(question.id, question.text, None, [*lists]))
    return details
