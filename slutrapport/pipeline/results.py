"""Every data source of a project read and analysed into :class:`~slutrapport.report.results.ProjectResults`.

Strict (``build``): the first source with errors stops with its
:class:`~slutrapport.core.errors.ValidationError`. Tolerant (``check`` and the
web page): a source whose files have errors is left out and named in
``ProjectResults.problems`` with a Swedish message, so the rest of the report
can still be shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol, TypeVar

from slutrapport.analysis.economy import analyse_economy
from slutrapport.analysis.participants import analyse_participants
from slutrapport.analysis.selfeval import analyse_self_evaluation
from slutrapport.analysis.socioeconomic import analyse_socioeconomic
from slutrapport.analysis.survey import SurveyResults, analyse_survey
from slutrapport.core.errors import InputFileError, InstrumentError, ProjectError, ValidationError
from slutrapport.core.problems import ValidationReport
from slutrapport.core.progress import ANALYSING, Progress, no_progress, progress_of
from slutrapport.pipeline.cache import SurveyCache
from slutrapport.pipeline.goals import project_goals
from slutrapport.pipeline.read import (
    parameter_file,
    participant_options,
    read_project_budget,
    read_project_forms,
    read_project_invited,
    read_project_register,
    read_project_survey,
)
from slutrapport.project.folder import Project, load_project
from slutrapport.project.uploaded import names_by_file, rename_report, rename_text
from slutrapport.report.results import ProjectResults
from slutrapport.sources.economy.financing import read_financing
from slutrapport.sources.economy.socioeconomic import read_parameters, resolve_basis

__all__ = ["analyse_project", "project_results", "survey_results", "SourceFilter"]

T = TypeVar("T")

#: What stops a source: errors in its files; the economy files also when they cannot be read at all.
_INVALID = (ValidationError,)
_INVALID_OR_UNREADABLE = (ValidationError, InputFileError)
#: What stops the goals: errors in a goal or its files, a file that cannot be read, the participant survey's instrument.
_GOAL_ERRORS = (ValidationError, InputFileError, InstrumentError)


class SourceFilter(Protocol):
    """Narrows a source's validated data before its analysis (an interim report's period, :mod:`.interim`)."""

    def narrow(self, source: str, data: T) -> T | None:
        """The data of ``source`` (``deltagare``, ``ekonomi``, ``sjalvvardering``) to analyse; None leaves the source out."""

    def reason(self, source: str) -> str:
        """Why ``source`` was left out (a phrase for the table of what is missing)."""


def analyse_project(
    project: Project,
    *,
    tolerant: bool = False,
    surveys: SurveyCache | None = None,
    progress: Progress | None = None,
    narrow: SourceFilter | None = None,
) -> ProjectResults:
    """Read and analyse every data source of a loaded project.

    With ``tolerant`` (``check``), a source whose files have errors is left
    out and named in ``ProjectResults.problems`` instead of stopping.
    ``surveys`` keeps the survey's reading between calls (the web page).
    ``progress`` (:mod:`slutrapport.core.progress`) is told the survey files read and the analysis.
    ``narrow`` filters the participant register, the budget and the self-evaluation forms before they are analysed.
    """
    reading = _Reading(project, ProjectResults(), tolerant, surveys, progress_of(progress), narrow)
    _survey_results(reading)
    _self_evaluation_results(reading)
    _participant_results(reading)
    _economy_results(reading)
    names = names_by_file(project.root)
    if names:  # the files as the user knows them, never the names the program stored them under
        reading.results.warnings = rename_report(ValidationReport(list(reading.results.warnings)), names).problems
        reading.results.problems = {key: rename_text(text, names) for key, text in reading.results.problems.items()}
    return reading.results


def project_results(project_dir: Path, tolerant: bool = True, surveys: SurveyCache | None = None) -> ProjectResults:
    """Read and analyse every data source of a project; with ``tolerant`` a source with errors becomes a problem."""
    return analyse_project(load_project(Path(project_dir)), tolerant=tolerant, surveys=surveys)


def survey_results(project_dir: Path) -> SurveyResults | None:
    """The staff-survey comparison of a project (None without waves); raises on errors in the files."""
    return project_results(project_dir, tolerant=False).survey


@dataclass
class _Reading:
    """The sources of one project being read into ``results``."""

    project: Project
    results: ProjectResults
    tolerant: bool
    surveys: SurveyCache | None = None
    progress: Progress = no_progress
    narrow: SourceFilter | None = None

    def narrowed(self, source: str, data: T) -> T | None:
        """``data`` through the filter (unchanged without one); None, with the reason as ``source``'s problem, when it is left out."""
        if self.narrow is None:
            return data
        kept = self.narrow.narrow(source, data)
        if kept is None:
            self.results.problems[source] = self.narrow.reason(source)
        return kept

    def attempt(self, source: str, what: str, read: Callable[[], T], errors: tuple[type[Exception], ...] = _INVALID) -> T | None:
        """``read()``; when it raises one of ``errors`` and the reading is tolerant, None and a problem under ``source``.

        ``what`` names the files in the Swedish message: ``"<what> har 3 fel
        (kör slutrapport validate <projekt>)"``, or ``"<what> kunde inte
        läsas: …"`` for a file that could not be read at all.
        """
        try:
            return read()
        except errors as exc:
            if not self.tolerant:
                raise
            if isinstance(exc, ValidationError):
                message = f"{what} har {len(exc.report.errors())} fel (kör slutrapport validate {self.project.root})"
            else:
                message = f"{what} kunde inte läsas: {exc}"
            self.results.problems[source] = message
            return None


def _survey_results(reading: _Reading) -> None:
    """The staff survey's waves compared, into ``results``."""
    project, results = reading.project, reading.results
    survey = None
    if project.waves:
        survey = reading.attempt(
            "personalenkat", "personalenkätens filer", lambda: read_project_survey(project, reading.surveys, reading.progress)
        )
    reading.progress(ANALYSING)  # the survey (when there is one) and then every other source
    if survey is None:
        return
    names = names_by_file(project.root)
    if names:  # a renamed copy: the cached reading keeps the stored names
        survey = replace(
            survey, files={w: rename_text(f, names) for w, f in survey.files.items()}, report=rename_report(survey.report, names), derived=survey.derived
        )
    found = reading.attempt("personalenkat", "antalet inbjudna (inbjudna:)", lambda: read_project_invited(project, survey))
    if found is None:
        return
    invited, problems = found
    results.survey = analyse_survey(survey, project.min_n, {w.label: w.date for w in project.waves}, invited)
    results.warnings += survey.report.warnings() + problems.warnings()


def _self_evaluation_results(reading: _Reading) -> None:
    """The filled self-evaluation forms compared per section, occasion and role, into ``results``."""
    project, results = reading.project, reading.results
    forms = reading.attempt("sjalvvardering", "självvärderingens formulär", lambda: read_project_forms(project))
    if forms is not None:
        results.warnings += forms.report.warnings()
        forms = reading.narrowed("sjalvvardering", forms)
    if forms is not None:
        results.self_evaluation = analyse_self_evaluation(forms, project.min_n)


def _participant_results(reading: _Reading) -> None:
    """The participant register's tables and the goals' attainment, into ``results``."""
    project, results = reading.project, reading.results
    register = None
    if project.data.get("deltagare") is not None:
        found = reading.attempt("deltagare", "deltagarregistret eller målen", lambda: read_project_register(project))
        if found is None:
            return
        register = found[0]
        results.warnings += register.report.warnings()
        register = reading.narrowed("deltagare", register)
        if register is not None:
            results.participants = analyse_participants(register, project.min_n, **participant_options(project))  # the goals: project_goals below
    if project.data.get("mal"):
        goals = reading.attempt("deltagare", "målen eller deras underlag", lambda: project_goals(project, register), _GOAL_ERRORS)
        if goals is not None:
            results.goals = goals[0]
            results.warnings += goals[1].warnings()


def _economy_results(reading: _Reading) -> None:
    """Budget against outcome and the socio-economic calculation, into ``results``.

    Both use the whole project's counts from the participant register, when
    it was read (None: unknown or suppressed).
    """
    project, results = reading.project, reading.results
    participants = results.participants.enrolled if results.participants is not None else None
    finished = results.participants.finished if results.participants is not None else None
    budget = reading.attempt("ekonomi", "ekonomifilen", lambda: read_project_budget(project), _INVALID_OR_UNREADABLE)
    financing = reading.attempt(
        "ekonomi", "finansieringen (finansiering:)", lambda: read_financing(project.data.get("finansiering"), str(project.path)), (ProjectError,)
    )
    if budget is not None:
        results.warnings += budget.report.warnings()
        budget = reading.narrowed("ekonomi", budget)
    if budget is not None:
        results.economy = analyse_economy(budget, participants, finished, project.min_n, financing)
    path = parameter_file(project)
    if path is None:
        return

    def parameters():
        params = read_parameters(path)
        cost = float(results.economy.value("utfall_totalt")) if results.economy is not None else None
        return params, resolve_basis(params, finished, cost)

    found = reading.attempt(
        "socioekonomi", "parameterfilen för den samhällsekonomiska beräkningen", parameters, _INVALID_OR_UNREADABLE
    )
    if found is not None:
        params, basis = found
        results.socioeconomic = analyse_socioeconomic(params, basis)
        results.warnings += params.report.warnings()
