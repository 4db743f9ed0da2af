"""What the web page (``slutrapport serve``) needs on top of :mod:`slutrapport.pipeline`.

The survey problems a user can fix by choosing from a list, every heading
with its help text and completeness, and the blocks of one data source as the
report builds them. Everything is computed by the library; the page only shows it.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from slutrapport.core.errors import SlutrapportError
from slutrapport.core.problems import ValidationReport
from slutrapport.core.text import normalise
from slutrapport.pipeline import CheckResult, SurveyCache, analyse_project, check_project, validate_project
from slutrapport.pipeline.status import heading_detail, heading_status
from slutrapport.project.aliases import DEFAULT_KEY, alias_key, alias_scale, alias_scale_name
from slutrapport.project.folder import load_project
from slutrapport.report.results import ProjectResults
from slutrapport.sources.survey.instrument import MULTIPLE, Instrument, load_instrument
from slutrapport.sources.survey.matching import build_targets, heading_keys

__all__ = [
    "ColumnFix",
    "AnswerFix",
    "SurveyFixes",
    "survey_fixes",
    "HeadingStatus",
    "heading_overview",
    "SourceBlock",
    "source_blocks",
    "heading_blocks",
]


@dataclass(frozen=True)
class ColumnFix:
    """A column no question matched: the file, its heading and the closest question (id) if any."""

    fil: str
    kolumn: str
    forslag: str | None


@dataclass(frozen=True)
class AnswerFix:
    """An answer label not on its question's scale: as written, the columns it occurs in, how often, the
    closest value on that scale, and the scale: its ``personalenkat: alias:`` key (:mod:`slutrapport.project.aliases`),
    its name on the page and its values with their labels (:meth:`Scale.label`: the number where a value has none)."""

    varde: str
    kolumner: tuple[str, ...]
    antal: int
    forslag: int | None
    skala: str = DEFAULT_KEY
    skalnamn: str = "standardskalan"
    val: tuple[tuple[int, str], ...] = ()


@dataclass
class SurveyFixes:
    """The survey's validation report and the problems a user can fix by choosing from a list."""

    report: ValidationReport
    columns: list[ColumnFix] = field(default_factory=list)
    answers: list[AnswerFix] = field(default_factory=list)
    #: choices for a column: (id, text), questions first, then the background roles organisation and kod
    targets: list[tuple[str, str]] = field(default_factory=list)


_UNKNOWN_COLUMN, _ANSWER_CHECK, _UNKNOWN_ANSWER = "okänd kolumn", "svarsalternativ", "okänt svar"


def _closest_key(text: str, candidates: dict[str, object], cutoff: float) -> object | None:
    key = normalise(text)
    if key.endswith("]") and "[" in key:
        key = key[key.rindex("[") + 1 : -1]  # Google Forms: "Fråga [Rad]"
    match = difflib.get_close_matches(key, list(candidates), n=1, cutoff=cutoff)
    return candidates[match[0]] if match else None


def survey_fixes(project_dir: Path, surveys: SurveyCache | None = None) -> SurveyFixes:
    """Every problem in the project's survey files, with the column and answer fixes offered on the page.

    An unmatched column can be mapped to a question (``personalenkat: kolumner:``);
    an unknown answer label to a value on the scale of the question whose column
    it is in (``personalenkat: alias:``, per scale: :mod:`slutrapport.project.aliases`).
    A label in a column no question is found for, or of a question that takes
    no alias, gets no list. ``surveys`` keeps the survey's reading between page views.
    """
    project = load_project(Path(project_dir))
    report = validate_project(project.root, surveys)
    if not project.waves:
        return SurveyFixes(report)
    instrument = load_instrument(project.instrument or "samverkan", base_dir=project.root)
    targets = [(q.id, q.text) for q in instrument.questions]
    targets += [(role, f"Bakgrund: {text}") for role, text in instrument.background.items()]
    by_text = {normalise(text): qid for qid, text in targets}
    columns = []
    for problem in report.problems:
        if problem.kontroll == _UNKNOWN_COLUMN and problem.kolumn and not problem.kolumn.startswith("(kolumn "):
            fix = ColumnFix(problem.fil, problem.kolumn, _closest_key(problem.kolumn, by_text, 0.6))  # type: ignore[arg-type]
            if fix not in columns:
                columns.append(fix)
    return SurveyFixes(report, columns, _answer_fixes(report, instrument, project.column_map), targets)


def _question_keys(instrument: Instrument, column_map: dict[str, str]) -> Callable[[str], str | None]:
    """The ``alias:`` key of the question a column heading is read as (None: no question, or one without aliases)."""
    try:
        found = build_targets(instrument, column_map)
    except SlutrapportError:  # a broken mapping is reported by the reading itself
        found = build_targets(instrument, {})
    questions = {q.id: q for q in instrument.questions}

    def key(heading: str) -> str | None:
        target = next((found[k] for k in heading_keys(heading) if k in found), None)
        if target is None or not target.startswith("q:") or target[2:] not in questions:
            return None
        question = questions[target[2:]]
        return None if question.kind == MULTIPLE else alias_key(instrument, question)

    return key


def _answer_fixes(report: ValidationReport, instrument: Instrument, column_map: dict[str, str]) -> list[AnswerFix]:
    key_of = _question_keys(instrument, column_map)
    found: dict[tuple[str, str], dict] = {}
    for problem in report.problems:
        if problem.kontroll != _ANSWER_CHECK or not problem.meddelande.startswith(_UNKNOWN_ANSWER) or not problem.varde:
            continue
        key = key_of(problem.kolumn) if problem.kolumn else None
        if key is None:
            continue
        entry = found.setdefault((key, normalise(problem.varde)), {"varde": problem.varde, "kolumner": [], "antal": 0})
        entry["antal"] += 1
        if problem.kolumn and problem.kolumn not in entry["kolumner"]:
            entry["kolumner"].append(problem.kolumn)
    answers = []
    for (key, _), entry in found.items():
        scale = alias_scale(instrument, key)
        assert scale is not None  # alias_key gives keys alias_scale knows
        labels = {normalise(label): value for value, label in scale.values.items() if label}
        answers.append(
            AnswerFix(
                entry["varde"],
                tuple(entry["kolumner"]),
                entry["antal"],
                _closest_key(entry["varde"], labels, 0.5),  # type: ignore[arg-type]
                key,
                alias_scale_name(instrument, key),
                tuple((value, scale.label(value)) for value in sorted(scale.values)),
            )
        )
    return answers


@dataclass(frozen=True)
class HeadingStatus:
    """One template heading with its help text and completeness (the page's heading list)."""

    id: str
    number: str | None
    title: str
    level: int
    required: bool
    help: str
    blocks: tuple[str, ...]
    status: str  # "ifylld", "saknas" or "valfri" (:func:`slutrapport.pipeline.status.heading_status`, as ``check``)
    missing: tuple[str, ...]
    has_text: bool
    detail: str = ""  # what ``check`` says about the heading (:func:`slutrapport.pipeline.status.heading_detail`)


def heading_overview(project_dir: Path, results: ProjectResults | None = None, check: CheckResult | None = None) -> list[HeadingStatus]:
    """Every heading of the project's template, in order, with help text and the status ``slutrapport check`` gives."""
    check = check if check is not None else check_project(Path(project_dir), results=results)
    status = {c.id: c for c in check.headings}
    return [
        HeadingStatus(
            id=h.id,
            number=h.number,
            title=h.title,
            level=h.level,
            required=h.required,
            help=h.help,
            blocks=h.blocks,
            status=heading_status(status[h.id]),
            missing=tuple(status[h.id].missing),
            has_text=check.project.narrative(h.id) is not None,
            detail=heading_detail(status[h.id]),
        )
        for h in check.project.template.all_headings()
    ]


@dataclass(frozen=True)
class SourceBlock:
    """One generated block of a data source as the report would show it, or what is missing."""

    block: str
    description: str
    blocks: list
    missing: str | None


def source_blocks(project_dir: Path, source: str, results: ProjectResults | None = None) -> list[SourceBlock]:
    """The report-model blocks built from one data source (``ProjectResults.problems`` key), whatever the template."""
    from slutrapport.project.templates import BLOCKS
    from slutrapport.report.build import BlockBuilder

    project = load_project(Path(project_dir))
    builder = BlockBuilder(project, results if results is not None else analyse_project(project, tolerant=True))
    return [SourceBlock(block, BLOCKS.get(block, block), built, missing) for block, built, missing in builder.for_source(source)]


def heading_blocks(project_dir: Path, blocks: tuple[str, ...], results: ProjectResults) -> list[SourceBlock]:
    """The generated blocks under one heading (its template ``block:`` names) as the report builds them from ``results``."""
    from slutrapport.project.templates import BLOCKS
    from slutrapport.report.build import BlockBuilder

    builder = BlockBuilder(load_project(Path(project_dir)), results)
    return [SourceBlock(block, BLOCKS.get(block, block), *builder.build(block)) for block in blocks]
