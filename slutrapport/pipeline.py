"""The library functions behind the CLI: files → tidy table → analysis → report model → outputs.

Each CLI command calls exactly one function here, so scripts (and a later web
page) can do the same thing without the command line.
"""

from __future__ import annotations

import csv
import io
import tempfile
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

import pandas as pd

from .analysis.survey import SurveyResults, analyse_survey
from .errors import InputFileError, ProjectError, ValidationError
from .outputs import OutputFolder, write_bytes_atomic
from .project import Project, load_project
from .render import changes_csv, comparison_csv, reliability_csv, render_docx, render_excel, render_html
from .render.bundle import render_bundle
from .render.model import Completeness
from .report import FILLED, comparison_report, project_report
from .results import ProjectResults
from .surveys.ingest import read_waves
from .surveys.instrument import load_instrument
from .surveys.text import normalise
from .surveys.validation import Problem, ValidationReport
from .yamlfile import parse_yaml

__all__ = [
    "Outcome",
    "CheckResult",
    "check_project",
    "compare_files",
    "validate_files",
    "validate_project",
    "load_column_map",
    "build_project",
    "build_demo",
    "sample_project_dir",
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


def _read_project_survey(project: Project):
    instrument = load_instrument(project.instrument or "samverkan", base_dir=project.root)
    return read_waves(
        [w.file for w in project.waves],
        instrument,
        None if project.wave_column else [w.label for w in project.waves],
        column_map=project.column_map,
        format=project.format,
        wave_column=project.wave_column,
    )


def validate_project(project_dir: Path) -> ValidationReport:
    """Every problem in a project's survey files."""
    project = load_project(Path(project_dir))
    if not project.waves:
        return ValidationReport()
    try:
        return _read_project_survey(project).report
    except ValidationError as exc:
        return exc.report


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
    return results


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


def check_project(project_dir: Path, template_dirs: list[Path] | None = None) -> CheckResult:
    """Which required headings have content, and what is missing (``slutrapport check``).

    Survey files with errors do not stop the check: the survey headings are
    reported as missing with the number of errors.
    """
    project = load_project(Path(project_dir), template_dirs)
    report = project_report(project, _project_results(project, tolerant=True))
    return CheckResult(project, report.completeness)


def sample_project_dir() -> Path:
    """The bundled sample project: package data in a wheel, ``data_samples/`` in a checkout."""
    packaged = files("slutrapport") / "_data_samples"
    if packaged.is_dir():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parent.parent / "data_samples"
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
    from .portfolio.demo import write_demo_variants

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
    from .portfolio import portfolio_outputs

    outputs, problems = portfolio_outputs([Path(p) for p in paths], template, strict)
    return Outcome(_write(Path(out), outputs, force), problems.errors() + problems.warnings())
