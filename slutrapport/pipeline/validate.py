"""Every problem in the data files, without computing anything (``slutrapport validate`` and the web page's source pages).

A project is validated source by source: a data file that cannot be read at all
(not YAML, not a workbook, not UTF-8) is one problem row of the report, naming the
file and, where known, its line, and the other sources are still validated. An
error in ``projekt.yaml`` itself (:class:`~slutrapport.core.errors.ProjectError`)
stops the validation: without it no source is known.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from slutrapport.core.errors import InstrumentError, ProjectError, SlutrapportError, ValidationError
from slutrapport.core.problems import ValidationReport
from slutrapport.pipeline.cache import SurveyCache
from slutrapport.pipeline.goals import project_goals
from slutrapport.pipeline.read import budget_spec, parameter_file, read_project_invited, read_project_register, read_project_survey
from slutrapport.project.folder import PROJECT_FILE, Project, load_project
from slutrapport.sources.economy.budget import read_budget_spec
from slutrapport.sources.economy.socioeconomic import read_parameters
from slutrapport.sources.forms.read import check_forms
from slutrapport.sources.forms.source import project_form_source
from slutrapport.sources.readers.options import ReadOptions
from slutrapport.sources.survey.ingest import read_waves
from slutrapport.sources.survey.instrument import load_instrument

__all__ = ["SOURCES", "validate_files", "validate_project", "validate_source"]


def validate_files(
    instrument: str | Path,
    files: list[Path],
    labels: list[str] | None = None,
    column_map: dict[str, str] | None = None,
    format: str | None = None,
    wave_column: str | None = None,
    *,
    options: ReadOptions | list[ReadOptions] | None = None,
) -> ValidationReport:
    """Every problem in the survey files, without computing anything.

    ``options`` are the reading choices (``--blad``, ``--rubrikrad`` …), one for
    every file or a list with one per file.
    """
    return _problems(
        lambda: read_waves(files, load_instrument(instrument), labels, column_map, format, wave_column, options=options).report
    )


def validate_project(project_dir: Path, surveys: SurveyCache | None = None) -> ValidationReport:
    """Every problem in a project's survey files, self-evaluation forms, participant register and goals,
    budget file and socio-economic parameter file. ``surveys`` keeps the survey's reading (the web page)."""
    project = load_project(Path(project_dir))
    report = ValidationReport()
    for source in SOURCES:
        report.extend(_SOURCE_PROBLEMS[source](project, surveys))
    return report


def validate_source(project_dir: Path, source: str, surveys: SurveyCache | None = None) -> ValidationReport:
    """Every problem in one data source of a project (one of :data:`SOURCES`; ``ekonomi`` includes
    the socio-economic parameter file). Used by the web page's data-source pages."""
    if source not in SOURCES:
        raise ValueError(f"unknown data source {source!r}")
    return _SOURCE_PROBLEMS[source](load_project(Path(project_dir)), surveys)


#: The check of the problem row for a data file that cannot be read at all.
UNREADABLE = "filen kan inte läsas"


def _problems(read: Callable[[], ValidationReport], file: Callable[[SlutrapportError], str] | None = None) -> ValidationReport:
    """The report of ``read()``: its warnings when the files are valid, every problem when it raises.

    With ``file`` (the name of the file an error is about), a file that cannot be read at all is one
    problem row; an error in ``projekt.yaml`` is raised as it is.
    """
    try:
        return read()
    except ValidationError as exc:
        return exc.report
    except ProjectError:
        raise
    except SlutrapportError as exc:
        if file is None:
            raise
        return _unreadable(exc, file(exc))


def _unreadable(exc: SlutrapportError, file: str) -> ValidationReport:
    """The problem row of a file that cannot be read at all: its name, the line when known, the message
    (a setting of ``projekt.yaml`` that does not fit the files, e.g. a column mapped to no question, is ``projektfilen``)."""
    report = ValidationReport()
    report.add(file, "projektfilen" if file == PROJECT_FILE else UNREADABLE, str(exc), rad=exc.rad)
    return report


def _shown(project: Project, path: Path | str) -> str:
    """``path`` as problem rows name files: relative to the project folder when inside it."""
    path = project.root / path
    try:
        return path.relative_to(project.root).as_posix()
    except ValueError:
        return path.name


def _survey_problems(project: Project, surveys: SurveyCache | None = None) -> ValidationReport:
    if not project.waves:
        return ValidationReport()
    def read() -> ValidationReport:
        survey = read_project_survey(project, surveys)
        report = ValidationReport(list(survey.report.problems))
        report.extend(_problems(lambda: read_project_invited(project, survey)[1]))
        return report

    def file(exc: SlutrapportError) -> str:
        own = project.instrument is not None and (project.root / project.instrument).exists()
        return _shown(project, project.instrument) if own and isinstance(exc, InstrumentError) else project.path.name

    return _problems(read, file)


def _form_problems(project: Project, _surveys: SurveyCache | None = None) -> ValidationReport:
    try:
        forms = project_form_source(project.root, project.data, project.path)
    except InstrumentError as exc:  # the form definition the project names cannot be read
        spec = project.data.get("sjalvvardering")
        definition = spec.get("definition") if isinstance(spec, dict) else None
        return _unreadable(exc, _shown(project, str(definition or project.path.name)))
    if forms is None:
        return ValidationReport()
    return _problems(lambda: check_forms(forms.folder, forms.definition), lambda _: _shown(project, forms.folder))


def _register_problems(project: Project, _surveys: SurveyCache | None = None) -> ValidationReport:
    """The register's problems (with the goals' keys) and, when those are valid, the goals' sources' (activity log, participant survey)."""
    spec = project.data.get("deltagare")
    report = ValidationReport()
    if spec is not None:
        name = str(spec.get("fil") or project.path.name) if isinstance(spec, dict) else project.path.name
        report = _problems(lambda: read_project_register(project)[0].report, lambda _: _shown(project, name))
    if project.data.get("mal") and report.valid:
        report.extend(_problems(lambda: _goal_problems(project), lambda _: project.path.name))
    return report


def _goal_problems(project: Project) -> ValidationReport:
    """The goals' problems with their sources, the register read again (its own problems are reported above)."""
    register = read_project_register(project)[0] if project.data.get("deltagare") is not None else None
    found = project_goals(project, register)
    return ValidationReport() if found is None else found[1]


def _economy_problems(project: Project, _surveys: SurveyCache | None = None) -> ValidationReport:
    """Every problem in the project's budget and socio-economic parameter files."""
    report = ValidationReport()
    spec = budget_spec(project)
    if spec is not None:
        report.extend(_problems(lambda: read_budget_spec(spec).report, lambda _: _shown(project, spec.file or project.path.name)))
    path = parameter_file(project)
    if path is not None:
        report.extend(_problems(lambda: read_parameters(path).report, lambda _: _shown(project, path)))
    return report


_SOURCE_PROBLEMS: dict[str, Callable[[Project, SurveyCache | None], ValidationReport]] = {
    "personalenkat": _survey_problems,
    "sjalvvardering": _form_problems,
    "deltagare": _register_problems,
    "ekonomi": _economy_problems,
}
#: The data sources of a project, in the order ``validate`` lists their problems.
SOURCES = tuple(_SOURCE_PROBLEMS)
