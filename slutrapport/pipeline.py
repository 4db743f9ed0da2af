"""The library functions behind the CLI: files → tidy table → analysis → report model → outputs.

Each CLI command calls exactly one function here, so scripts (and a later web
page) can do the same thing without the command line.
"""

from __future__ import annotations

from datetime import date
from importlib.resources import files
from pathlib import Path

import pandas as pd

from .analysis.describe import COMPARISON_COLUMNS, compare_waves, free_text, response_summary
from .errors import ProjectError
from .outputs import OutputFolder
from .project import Project, load_project
from .render import comparison_csv, render_excel, render_html
from .render.model import Report, Section
from .render.survey_blocks import SurveyResults, survey_blocks
from .surveys.ingest import SurveyData, read_waves
from .surveys.instrument import load_instrument

__all__ = [
    "analyse_survey",
    "compare_files",
    "build_project",
    "build_demo",
    "sample_project_dir",
    "project_report",
    "comparison_report",
]

SURVEY_BLOCK = "personalenkat"


def analyse_survey(survey: SurveyData, min_n: int = 5, wave_dates: dict[str, str | None] | None = None) -> SurveyResults:
    """Compute everything the survey section shows."""
    return SurveyResults(
        survey=survey,
        comparison=compare_waves(survey, min_n),
        summary=response_summary(survey),
        free_text=free_text(survey, min_n),
        min_n=min_n,
        wave_dates=wave_dates or {},
    )


def comparison_report(results: SurveyResults, title: str = "Jämförelse av personalenkäter") -> Report:
    """A report with only the staff-survey comparison (for ``compare``)."""
    section = Section(
        id="personalenkat",
        number=None,
        title="Resultat personalenkät",
        blocks=survey_blocks(results),
        expects_text=False,
    )
    return Report(
        title=title,
        subtitle=results.survey.instrument.name,
        facts={},
        sections=[section],
        generated=date.today().isoformat(),
        comparison=results.comparison,
    )


def project_report(project: Project, results: SurveyResults | None) -> Report:
    """The full report under the project's template headings, in the template's order."""
    sections = []
    for number, heading in enumerate(project.template.headings, start=1):
        blocks: list = []
        if SURVEY_BLOCK in heading.blocks:
            if results is not None:
                blocks = survey_blocks(results)
        sections.append(
            Section(
                id=heading.id,
                number=number,
                title=heading.title,
                required=heading.required,
                help=heading.help,
                narrative=project.narrative(heading.id),
                blocks=blocks,
            )
        )
    return Report(
        title=project.name,
        subtitle=f"Slutrapport · {project.template.funder}" if project.template.funder else "Slutrapport",
        facts=project.facts,
        sections=sections,
        generated=date.today().isoformat(),
        template_name=project.template.name,
        comparison=results.comparison if results is not None else None,
    )


def _write(out: Path, outputs: dict[str, bytes], force: bool) -> list[Path]:
    folder = OutputFolder(out, force=force)
    folder.check(list(outputs))
    return [folder.write(name, data) for name, data in outputs.items()]


def compare_files(
    instrument: str | Path,
    wave_files: list[Path],
    labels: list[str] | None = None,
    min_n: int = 5,
    out: Path = Path("."),
    force: bool = False,
) -> list[Path]:
    """Compare survey waves (one file each, in order); write ``jamforelse.csv``, ``.xlsx`` and ``.html``."""
    survey = read_waves(wave_files, load_instrument(instrument), labels)
    results = analyse_survey(survey, min_n)
    report = comparison_report(results)
    return _write(
        Path(out),
        {
            "jamforelse.csv": comparison_csv(results.comparison),
            "jamforelse.xlsx": render_excel(report),
            "jamforelse.html": render_html(report).encode("utf-8"),
        },
        force,
    )


def _project_results(project: Project) -> SurveyResults | None:
    if not project.waves:
        return None
    instrument = load_instrument(project.instrument or "samverkan", base_dir=project.root)
    survey = read_waves(
        [w.file for w in project.waves],
        instrument,
        [w.label for w in project.waves],
        column_map=project.column_map,
    )
    return analyse_survey(survey, project.min_n, {w.label: w.date for w in project.waves})


def build_project(project_dir: Path, out: Path | None = None, force: bool = False) -> list[Path]:
    """Build ``rapport.html``, ``rapport.xlsx`` and ``jamforelse.csv`` for a project folder.

    The default output folder is ``<project>/rapport``.
    """
    project = load_project(Path(project_dir))
    results = _project_results(project)
    report = project_report(project, results)
    comparison = results.comparison if results is not None else pd.DataFrame(columns=COMPARISON_COLUMNS)
    return _write(
        Path(out) if out else project.root / "rapport",
        {
            "rapport.html": render_html(report).encode("utf-8"),
            "rapport.xlsx": render_excel(report),
            "jamforelse.csv": comparison_csv(comparison),
        },
        force,
    )


def sample_project_dir() -> Path:
    """The bundled sample project: package data in a wheel, ``data_samples/`` in a checkout."""
    packaged = files("slutrapport") / "_data_samples"
    if packaged.is_dir():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parent.parent / "data_samples"
    if checkout.is_dir():
        return checkout
    raise ProjectError("Exempelprojektet (data_samples) saknas i installationen.")


def build_demo(out: Path = Path("demo-rapport"), force: bool = False) -> list[Path]:
    """Build the full report from the bundled sample project into ``out``."""
    return build_project(sample_project_dir(), out=out, force=force)
