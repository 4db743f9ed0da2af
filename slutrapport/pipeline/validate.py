"""Every problem in the data files, without computing anything (``slutrapport validate`` and the web page's source pages)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from slutrapport.core.errors import ValidationError
from slutrapport.core.problems import ValidationReport
from slutrapport.pipeline.cache import SurveyCache
from slutrapport.pipeline.read import parameter_file, read_project_budget, read_project_invited, read_project_register, read_project_survey
from slutrapport.project.folder import Project, load_project
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


def _problems(read: Callable[[], ValidationReport]) -> ValidationReport:
    """The report of ``read()``: its warnings when the files are valid, every problem when it raises."""
    try:
        return read()
    except ValidationError as exc:
        return exc.report


def _survey_problems(project: Project, surveys: SurveyCache | None = None) -> ValidationReport:
    if not project.waves:
        return ValidationReport()
    def read() -> ValidationReport:
        survey = read_project_survey(project, surveys)
        report = ValidationReport(list(survey.report.problems))
        report.extend(_problems(lambda: read_project_invited(project, survey)[1]))
        return report

    return _problems(read)


def _form_problems(project: Project, _surveys: SurveyCache | None = None) -> ValidationReport:
    forms = project_form_source(project.root, project.data, project.path)
    if forms is None:
        return ValidationReport()
    return _problems(lambda: check_forms(forms.folder, forms.definition))


def _register_problems(project: Project, _surveys: SurveyCache | None = None) -> ValidationReport:
    if project.data.get("deltagare") is None:
        return ValidationReport()
    return _problems(lambda: read_project_register(project)[0].report)


def _economy_problems(project: Project, _surveys: SurveyCache | None = None) -> ValidationReport:
    """Every problem in the project's budget and socio-economic parameter files."""
    report = ValidationReport()

    def budget() -> ValidationReport:
        found = read_project_budget(project)
        return found.report if found is not None else ValidationReport()

    report.extend(_problems(budget))
    path = parameter_file(project)
    if path is not None:
        report.extend(_problems(lambda: read_parameters(path).report))
    return report


_SOURCE_PROBLEMS: dict[str, Callable[[Project, SurveyCache | None], ValidationReport]] = {
    "personalenkat": _survey_problems,
    "sjalvvardering": _form_problems,
    "deltagare": _register_problems,
    "ekonomi": _economy_problems,
}
#: The data sources of a project, in the order ``validate`` lists their problems.
SOURCES = tuple(_SOURCE_PROBLEMS)
