"""The library functions behind the CLI: files → tidy table → analysis → report model → outputs.

Each CLI command calls exactly one function here, so scripts and the web page
(``slutrapport serve``, with :mod:`slutrapport.web.workspace`) do the same thing
without the command line.
"""

from __future__ import annotations

import csv
import io
import tempfile
from dataclasses import dataclass, field, replace
from importlib.resources import files
from pathlib import Path

import pandas as pd

from slutrapport.analysis.economy import analyse_economy
from slutrapport.analysis.goals import parse_goals
from slutrapport.analysis.participants import analyse_participants
from slutrapport.analysis.selfeval import analyse_self_evaluation
from slutrapport.analysis.socioeconomic import analyse_socioeconomic
from slutrapport.analysis.survey import SurveyResults, analyse_survey
from slutrapport.core.errors import (
    InputFileError,
    OutputError,
    ProjectError,
    ValidationError,
    problem_list,
)
from slutrapport.core.outputs import OutputFolder, write_bytes_atomic
from slutrapport.core.problems import Problem, ValidationReport
from slutrapport.core.text import normalise
from slutrapport.core.yamlfile import parse_yaml
from slutrapport.project.folder import Project, load_project
from slutrapport.render import (
    changes_csv,
    comparison_csv,
    reliability_csv,
    render_docx,
    render_excel,
    render_html,
)
from slutrapport.render.bundle import render_bundle
from slutrapport.report.build import FILLED, project_report
from slutrapport.report.comparison import comparison_report
from slutrapport.report.model import Completeness
from slutrapport.report.results import ProjectResults
from slutrapport.sources.economy.budget import read_project_budget
from slutrapport.sources.economy.socioeconomic import (
    parameter_file,
    read_parameters,
    resolve_basis,
)
from slutrapport.sources.forms.definition import load_definition
from slutrapport.sources.forms.excel_form import form_workbook, workbook_bytes
from slutrapport.sources.forms.read import FormData, check_forms, read_forms
from slutrapport.sources.forms.source import project_form_source
from slutrapport.sources.register.participants import (
    Register,
    RegisterValidationError,
    project_dates,
    read_register,
    register_categories,
)
from slutrapport.sources.survey.ingest import read_waves
from slutrapport.sources.survey.instrument import Instrument, load_instrument

__all__ = [
    "Outcome",
    "CheckResult",
    "check_project",
    "compare_files",
    "validate_files",
    "validate_project",
    "validate_source",
    "load_column_map",
    "build_project",
    "build_demo",
    "sample_project_dir",
    "write_form",
    "project_results",
    "survey_results",
    "build_portfolio",
]



@dataclass
class Outcome:
    """What a command wrote, and the warnings found while reading (shown to the user)."""

    paths: list[Path]
    warnings: list[Problem] = field(default_factory=list)


def _write(out: Path, outputs: dict[str, bytes], force: bool) -> list[Path]:
    folder = OutputFolder(out, force=force)
    folder.check(list(outputs))
    return [folder.write(name, data) for name, data in outputs.items()]


def _survey_outputs(results: SurveyResults | None) -> dict[str, bytes]:
    empty = pd.DataFrame()
    return {
        "jamforelse.csv": comparison_csv(results.comparison if results else empty),
        "forandringar.csv": changes_csv(results.changes if results else empty),
        "reliabilitet.csv": reliability_csv(results.reliability if results else empty),
    }


def load_column_map(path: Path | None) -> dict[str, str]:
    """A column mapping file: YAML (``"Rubrik i filen": q07``) or CSV with two columns (rubrik, fråga)."""
    if path is None:
        return {}
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputFileError(f"Kolumnmappningen {path} kunde inte läsas: {exc}") from exc
    if path.suffix.lower() == ".csv":
        rows = [r for r in csv.reader(io.StringIO(text), delimiter=";" if text.count(";") > text.count(",") else ",") if r]
        if rows and normalise(rows[0][0]) in {"kolumn", "rubrik", "column", "heading"}:
            rows = rows[1:]
        bad = [i for i, r in enumerate(rows, start=2) if len(r) < 2 or not r[1].strip()]
        if bad:
            raise InputFileError(f"Kolumnmappningen {path.name}, rad {bad[0]}: ange rubrik och fråga-id i två kolumner.")
        return {r[0].strip(): r[1].strip() for r in rows}
    data = parse_yaml(text, f"Kolumnmappningen {path.name}", InputFileError) or {}
    if isinstance(data, dict) and isinstance(data.get("kolumner"), dict):
        data = data["kolumner"]
    if not isinstance(data, dict):
        raise InputFileError(f"Kolumnmappningen {path.name} ska ha rader som \"Rubrik i filen\": q07.")
    return {str(k): str(v) for k, v in data.items()}


def compare_files(
    instrument: str | Path,
    wave_files: list[Path],
    labels: list[str] | None = None,
    min_n: int = 5,
    out: Path = Path("."),
    force: bool = False,
    column_map: dict[str, str] | None = None,
    format: str | None = None,
    wave_column: str | None = None,
) -> Outcome:
    """Compare survey waves; write ``jamforelse.csv/.xlsx/.html``, ``forandringar.csv`` and ``reliabilitet.csv``."""
    survey = read_waves(wave_files, load_instrument(instrument), labels, column_map, format, wave_column)
    results = analyse_survey(survey, min_n)
    report = comparison_report(results)
    outputs = _survey_outputs(results) | {
        "jamforelse.xlsx": render_excel(report),
        "jamforelse.html": render_html(report).encode("utf-8"),
    }
    return Outcome(_write(Path(out), outputs, force), survey.report.warnings())


def validate_files(
    instrument: str | Path,
    files: list[Path],
    labels: list[str] | None = None,
    column_map: dict[str, str] | None = None,
    format: str | None = None,
    wave_column: str | None = None,
) -> ValidationReport:
    """Every problem in the survey files, without computing anything."""
    try:
        return read_waves(files, load_instrument(instrument), labels, column_map, format, wave_column).report
    except ValidationError as exc:
        return exc.report


def _with_project_aliases(instrument: Instrument, project: Project) -> Instrument:
    """The instrument with the project's own answer labels (``personalenkat: alias:``) added to its scale."""
    if not project.answer_aliases:
        return instrument
    scale = instrument.scale
    bad = [
        f"aliaset '{label}' under personalenkat: alias: pekar på {value}, som inte finns på skalan {scale.min}–{scale.max}"
        for label, value in project.answer_aliases.items()
        if value not in scale.values
    ]
    if bad:
        raise ProjectError(problem_list(str(project.path), bad))
    return replace(instrument, scale=replace(scale, aliases={**scale.aliases, **project.answer_aliases}))


def _read_project_survey(project: Project):
    instrument = _with_project_aliases(load_instrument(project.instrument or "samverkan", base_dir=project.root), project)
    return read_waves(
        [w.file for w in project.waves],
        instrument,
        None if project.wave_column else [w.label for w in project.waves],
        column_map=project.column_map,
        format=project.format,
        wave_column=project.wave_column,
    )


#: The data sources of a project, in the order ``validate`` lists their problems.
SOURCES = ("personalenkat", "sjalvvardering", "deltagare", "ekonomi")


def validate_project(project_dir: Path) -> ValidationReport:
    """Every problem in a project's survey files, self-evaluation forms, participant register and goals,
    budget file and socio-economic parameter file."""
    project = load_project(Path(project_dir))
    report = ValidationReport()
    for source in SOURCES:
        report.extend(_source_problems(project, source))
    return report


def validate_source(project_dir: Path, source: str) -> ValidationReport:
    """Every problem in one data source of a project (one of :data:`SOURCES`; ``ekonomi`` includes
    the socio-economic parameter file). Used by the web page's data-source pages."""
    if source not in SOURCES:
        raise ValueError(f"unknown data source {source!r}")
    return _source_problems(load_project(Path(project_dir)), source)


def _source_problems(project: Project, source: str) -> ValidationReport:
    report = ValidationReport()
    if source == "ekonomi":
        return _economy_problems(project)
    try:
        if source == "personalenkat" and project.waves:
            report.extend(_read_project_survey(project).report)
        elif source == "sjalvvardering":
            forms = project_form_source(project.root, project.data, project.path)
            if forms is not None:
                report.extend(check_forms(forms.folder, forms.definition))
        elif source == "deltagare" and project.data.get("deltagare") is not None:
            report.extend(_read_project_register(project)[0].report)
    except ValidationError as exc:
        report.extend(exc.report)
    return report


def _economy_problems(project: Project) -> ValidationReport:
    """Every problem in the project's budget and socio-economic parameter files (for ``validate``)."""
    report = ValidationReport()
    try:
        budget = read_project_budget(project)
        report.extend(budget.report if budget is not None else ValidationReport())
    except ValidationError as exc:
        report.extend(exc.report)
    path = parameter_file(project)
    if path is not None:
        try:
            report.extend(read_parameters(path).report)
        except ValidationError as exc:
            report.extend(exc.report)
    return report


def _read_project_forms(project: Project) -> FormData | None:
    """The project's filled self-evaluation forms, or None without ``sjalvvardering:`` in projekt.yaml."""
    source = project_form_source(project.root, project.data, project.path)
    return None if source is None else read_forms(source.folder, source.definition)


def _read_project_register(project: Project) -> tuple[Register, list]:
    """The participant register under ``deltagare:`` and the goals under ``mal:``, checked together."""
    spec = project.data["deltagare"]
    goals, problems = parse_goals(project.data.get("mal"), *register_categories(spec))
    try:
        register = read_register(spec, project.root, project_dates(project.data))
    except RegisterValidationError as exc:
        exc.report.extend(problems)
        raise RegisterValidationError(exc.report) from exc
    register.report.extend(problems)
    if not register.report.valid:
        raise RegisterValidationError(register.report)
    return register, goals


def _project_results(project: Project, tolerant: bool = False) -> ProjectResults:
    """Read and analyse every data source of the project.

    With ``tolerant`` (``check``), a source whose files have errors is left
    out and named in ``ProjectResults.problems`` instead of stopping.
    """
    results = ProjectResults()
    if project.waves:
        try:
            survey = _read_project_survey(project)
        except ValidationError as exc:
            if not tolerant:
                raise
            results.problems["personalenkat"] = (
                f"personalenkätens filer har {len(exc.report.errors())} fel (kör slutrapport validate {project.root})"
            )
        else:
            results.survey = analyse_survey(survey, project.min_n, {w.label: w.date for w in project.waves})
            results.warnings += survey.report.warnings()
    _self_evaluation_results(project, results, tolerant)
    _participant_results(project, results, tolerant)
    participants = results.participants
    _economy_results(
        project,
        results,
        tolerant,
        participants=participants.enrolled if participants is not None else None,
        finished=participants.finished if participants is not None else None,
    )
    return results


def _participant_results(project: Project, results: ProjectResults, tolerant: bool) -> None:
    """The participant register's tables and the goals' attainment, into ``results``."""
    if project.data.get("deltagare") is None:
        return
    try:
        register, goals = _read_project_register(project)
    except ValidationError as exc:
        if not tolerant:
            raise
        results.problems["deltagare"] = (
            f"deltagarregistret eller målen har {len(exc.report.errors())} fel (kör slutrapport validate {project.root})"
        )
        return
    results.participants, results.goals = analyse_participants(register, project.min_n, goals)
    results.warnings += register.report.warnings()


def _self_evaluation_results(project: Project, results: ProjectResults, tolerant: bool) -> None:
    """The filled self-evaluation forms compared per section, occasion and role, into ``results``."""
    try:
        forms = _read_project_forms(project)
    except ValidationError as exc:
        if not tolerant:
            raise
        results.problems["sjalvvardering"] = (
            f"självvärderingens formulär har {len(exc.report.errors())} fel (kör slutrapport validate {project.root})"
        )
        return
    if forms is not None:
        results.self_evaluation = analyse_self_evaluation(forms, project.min_n)
        results.warnings += forms.report.warnings()


def _economy_results(
    project: Project, results: ProjectResults, tolerant: bool, participants: int | None = None, finished: int | None = None
) -> None:
    """Budget against outcome and the socio-economic calculation, into ``results``.

    ``participants`` and ``finished`` are the whole project's counts from the
    participant register (None: unknown or suppressed).
    """
    try:
        budget = read_project_budget(project)
    except (ValidationError, InputFileError) as exc:
        if not tolerant:
            raise
        results.problems["ekonomi"] = _problem("ekonomifilen", exc, project)
        budget = None
    if budget is not None:
        results.economy = analyse_economy(budget, participants, finished, project.min_n)
        results.warnings += budget.report.warnings()
    path = parameter_file(project)
    if path is None:
        return
    try:
        params = read_parameters(path)
        cost = float(results.economy.value("utfall_totalt")) if results.economy is not None else None
        basis = resolve_basis(params, finished, cost)
    except (ValidationError, InputFileError) as exc:
        if not tolerant:
            raise
        results.problems["socioekonomi"] = _problem("parameterfilen för den samhällsekonomiska beräkningen", exc, project)
        return
    results.socioeconomic = analyse_socioeconomic(params, basis)
    results.warnings += params.report.warnings()


def _problem(what: str, exc: Exception, project: Project) -> str:
    if isinstance(exc, ValidationError):
        return f"{what} har {len(exc.report.errors())} fel (kör slutrapport validate {project.root})"
    return f"{what} kunde inte läsas: {exc}"


def build_project(
    project_dir: Path,
    out: Path | None = None,
    force: bool = False,
    draft: bool = False,
    template_dirs: list[Path] | None = None,
) -> Outcome:
    """Build ``rapport.html``, ``.xlsx``, ``.docx``, ``.json`` and the survey CSV files for a project folder.

    The default output folder is ``<project>/rapport``. ``draft`` puts the
    completeness table at the top of the report (``--utkast``).
    """
    project = load_project(Path(project_dir), template_dirs)
    results = _project_results(project)
    report = project_report(project, results, draft=draft)
    outputs = {
        "rapport.html": render_html(report).encode("utf-8"),
        "rapport.xlsx": render_excel(report),
        "rapport.docx": render_docx(report),
        "rapport.json": render_bundle(report),
    } | _survey_outputs(results.survey)
    return Outcome(_write(Path(out) if out else project.root / "rapport", outputs, force), results.warnings)


@dataclass
class CheckResult:
    """The completeness of a project's report, heading by heading."""

    project: Project
    headings: list[Completeness]

    @property
    def complete(self) -> bool:
        """True when every required heading has text or generated content."""
        return all(h.status == FILLED for h in self.headings if h.required)


def check_project(
    project_dir: Path, template_dirs: list[Path] | None = None, results: ProjectResults | None = None
) -> CheckResult:
    """Which required headings have content, and what is missing (``slutrapport check``).

    Survey files with errors do not stop the check: the survey headings are
    reported as missing with the number of errors. ``results`` (from
    :func:`project_results`) saves reading the data again.
    """
    project = load_project(Path(project_dir), template_dirs)
    report = project_report(project, results if results is not None else _project_results(project, tolerant=True))
    return CheckResult(project, report.completeness)


def sample_project_dir() -> Path:
    """The bundled sample project: package data in a wheel, ``data_samples/`` in a checkout."""
    packaged = files("slutrapport") / "_data_samples"
    if packaged.is_dir():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parents[2] / "data_samples"
    if checkout.is_dir():
        return checkout
    raise ProjectError("Exempelprojektet (data_samples) saknas i installationen.")


def build_demo(out: Path = Path("demo-rapport"), force: bool = False, draft: bool = False) -> Outcome:
    """Build the full report from the bundled sample project into ``out``, and a demo portfolio into ``out/portfolj``."""
    outcome = build_project(sample_project_dir(), out=out, force=force, draft=draft)
    portfolio = _demo_portfolio(Path(out), force)
    return Outcome(outcome.paths + portfolio.paths, outcome.warnings)


def _demo_portfolio(out: Path, force: bool) -> Outcome:
    """The sample project's bundle and two variants' (built in a temporary folder) as a portfolio."""
    from slutrapport.portfolio.demo import write_demo_variants

    with tempfile.TemporaryDirectory(prefix="slutrapport-demo-") as tmp:
        bundles = [out / "rapport.json"]
        for folder in write_demo_variants(Path(tmp), sample_project_dir()):
            project = load_project(folder)
            path = folder / "rapport" / "rapport.json"
            write_bytes_atomic(path, render_bundle(project_report(project, _project_results(project))))
            bundles.append(path)
        return build_portfolio(bundles, out=out / "portfolj", force=force)


def build_portfolio(
    paths: list[Path],
    out: Path = Path("portfolj"),
    template: str | None = None,
    strict: bool = False,
    force: bool = False,
) -> Outcome:
    """Compare many projects' bundles: ``portfolio.html``, ``portfolio.xlsx`` and the ``portfolio_*.csv`` files.

    Each path is a ``rapport.json``, a build output folder or a folder searched
    recursively. ``template`` keeps only the projects on that template. A
    bundle that cannot be read is left out and reported in
    ``Outcome.warnings`` (errors and warnings); with ``strict`` any error stops.
    """
    from slutrapport.portfolio import portfolio_outputs

    outputs, problems = portfolio_outputs([Path(p) for p in paths], template, strict)
    return Outcome(_write(Path(out), outputs, force), problems.errors() + problems.warnings())


def write_form(out: Path, definition: str | Path | None = None, force: bool = False) -> Path:
    """Write the fillable self-evaluation form (``slutrapport form sjalvvardering``) to ``out`` (.xlsx).

    ``definition`` is a form definition file; None uses the built-in one.
    """
    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise OutputError(f"Formuläret sparas som Excel-arbetsbok: ange ett filnamn som slutar på .xlsx, inte {out.name}.")
    data = workbook_bytes(form_workbook(load_definition(definition)))
    return _write(out.parent, {out.name: data}, force)[0]


# ---------------------------------------------------------------- a project's results (for scripts and the web page)


def project_results(project_dir: Path, tolerant: bool = True) -> ProjectResults:
    """Read and analyse every data source of a project; with ``tolerant`` a source with errors becomes a problem."""
    return _project_results(load_project(Path(project_dir)), tolerant=tolerant)


def survey_results(project_dir: Path) -> SurveyResults | None:
    """The staff-survey comparison of a project (None without waves); raises on errors in the files."""
    return project_results(project_dir, tolerant=False).survey
