"""The documents a command writes: the survey comparison, a project's report, a portfolio and the blank form.

Each function reads, analyses, renders and writes its outputs through
:class:`~slutrapport.core.outputs.OutputFolder` (which refuses to overwrite a
file the user edited unless ``force``), and returns what it wrote as an
:class:`Outcome`. :func:`check_project` writes nothing: it tells which
headings of the report have content.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from slutrapport.core.errors import OutputError, ProjectError
from slutrapport.core.lazy import lazy_function
from slutrapport.core.outputs import OutputFolder
from slutrapport.core.problems import Problem
from slutrapport.core.progress import ANALYSING, WRITING, Progress, progress_of, reporting
from slutrapport.core.safetext import collect_repairs, encode_utf8, note_repairs, with_repairs
from slutrapport.core.worker import beside
from slutrapport.render.drawing_pool import charts_in_blocks, charts_in_order, drawing_ahead, worth_a_worker
from slutrapport.report.model import watching_blocks
from slutrapport.sources.readers.options import ReadOptions
from slutrapport.sources.survey.ingest import read_waves
from slutrapport.sources.survey.instrument import load_instrument

# compare reads its files first: the statistics and the writers are imported when they are first called
analyse_survey = lazy_function("slutrapport.analysis.survey", "analyse_survey")
comparison_report = lazy_function("slutrapport.report.comparison", "comparison_report")
comparison_csv = lazy_function("slutrapport.render.csvfile", "comparison_csv")
changes_csv = lazy_function("slutrapport.render.csvfile", "changes_csv")
reliability_csv = lazy_function("slutrapport.render.csvfile", "reliability_csv")
render_excel = lazy_function("slutrapport.render.excel", "render_excel")
render_html = lazy_function("slutrapport.render.html", "render_html")

if TYPE_CHECKING:
    # The project report's readers and writers are imported by the functions that use them, not by ``compare``.
    from slutrapport.analysis.survey import SurveyResults
    from slutrapport.pipeline.cache import SurveyCache
    from slutrapport.pipeline.status import InputStatus
    from slutrapport.project.folder import Project
    from slutrapport.report.model import Completeness
    from slutrapport.report.results import ProjectResults

__all__ = [
    "Outcome",
    "CheckResult",
    "compare_files",
    "build_project",
    "check_project",
    "build_portfolio",
    "write_form",
    "REPORT_FILES",
    "COMPARE_FILES",
    "PDF_FILE",
    "word_reference_of",
]


@dataclass
class Outcome:
    """What a command wrote, and the warnings found while reading (shown to the user).

    ``build`` also says what the report holds, for its summary on the terminal: ``headings``
    (each heading's :class:`Completeness`), ``waves`` (the staff-survey waves read) and ``texts``
    (the folder its texts are read from).
    """

    paths: list[Path]
    warnings: list[Problem] = field(default_factory=list)
    headings: list[Completeness] = field(default_factory=list)
    waves: list[str] = field(default_factory=list)
    texts: Path | None = None

    @property
    def empty_required(self) -> list[Completeness]:
        """The required headings with neither text nor generated content (what ``check`` marks ✗)."""
        from slutrapport.report.build import FILLED

        return [h for h in self.headings if h.required and h.status != FILLED]


def _write(out: Path, outputs: dict[str, bytes], force: bool) -> list[Path]:
    folder = OutputFolder(out, force=force)
    folder.check(list(outputs))
    return [folder.write(name, data) for name, data in outputs.items()]


#: Every file ``build`` and ``compare`` write (the survey CSV files are written even without a survey).
SURVEY_FILES = ("jamforelse.csv", "forandringar.csv", "reliabilitet.csv")
#: Answers (rows of the tidy table) from which ``compare`` has its worker write the CSV files: below, this
#: process writes them itself (about 0.3 s; the worker, busy with the charts after them, would end later).
CSV_BESIDE_ROWS = 1_000_000
REPORT_FILES = ("rapport.html", "rapport.xlsx", "rapport.docx", "rapport.json", *SURVEY_FILES, "bilaga.html", "bilaga.docx")
COMPARE_FILES = (*SURVEY_FILES, "jamforelse.xlsx", "jamforelse.html")


def _refuse_early(out: Path, names: tuple[str, ...], force: bool) -> None:
    """Refuse before the work, not after it, when a file the build would write has been edited."""
    OutputFolder(out, force=force).check(list(names))


def _survey_outputs(results: SurveyResults | None) -> dict[str, bytes]:
    empty = pd.DataFrame()
    return _survey_csv(results.comparison, results.changes, results.reliability) if results else _survey_csv(empty, empty, empty)


def _survey_csv(comparison: pd.DataFrame, changes: pd.DataFrame, reliability: pd.DataFrame) -> dict[str, bytes]:
    return {"jamforelse.csv": comparison_csv(comparison), "forandringar.csv": changes_csv(changes), "reliabilitet.csv": reliability_csv(reliability)}


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
    *,
    options: ReadOptions | list[ReadOptions] | None = None,
    progress: Progress | None = None,
) -> Outcome:
    """Compare survey waves; write ``jamforelse.csv/.xlsx/.html``, ``forandringar.csv`` and ``reliabilitet.csv``.

    ``options`` are the reading choices (``--blad``, ``--rubrikrad``, ``--etiketter``,
    ``--encoding``, ``--behall-dubbletter``), one for every file or a list with one per file.
    ``progress`` is told each step (:mod:`slutrapport.core.progress`): reading wave k of n, analysing, writing.
    """
    progress = progress_of(progress)
    _refuse_early(Path(out), COMPARE_FILES, force)
    definition = load_instrument(instrument)
    # a worker process draws the charts while this one writes: started at once for large files, or when the
    # report will have many charts (a line chart and a bar chart per index), so that its start is not waited for
    with drawing_ahead(wave_files, early=worth_a_worker(2 * len(definition.indices))) as drawing:
        with reporting(progress):  # read_waves tells it each file
            survey = read_waves(wave_files, definition, labels, column_map, format, wave_column, options=options)
        progress(ANALYSING)
        results = analyse_survey(survey, min_n)
        # a large survey's CSV files are written by the run's worker process (when it has one ready) while the
        # report is built here; a smaller one's run ends waiting for the worker's charts, so they are written here
        csv_files = beside(with_repairs, _survey_csv, results.comparison, results.changes, results.reliability, send=len(survey.tidy) >= CSV_BESIDE_ROWS)
        # the pictures among each index's blocks as soon as they are made (the workbook needs them first)
        with watching_blocks(lambda blocks: drawing.early(charts_in_blocks(blocks, pictures_only=True))):
            report = comparison_report(results)
        drawing.ahead(charts_in_order(report, pictures_only=True) + charts_in_order(report))  # the workbook's, then the HTML's
        progress(WRITING)
        with collect_repairs() as repairs:
            written, repaired = csv_files()
            note_repairs(repaired)  # first, as when they are written here
            outputs = written | {
                "jamforelse.xlsx": render_excel(report),
                "jamforelse.html": encode_utf8(render_html(report)),
            }
    return Outcome(_write(Path(out), outputs, force), survey.report.warnings() + repairs.warnings(str(out)))


def build_project(
    project_dir: Path,
    out: Path | None = None,
    force: bool = False,
    draft: bool = False,
    template_dirs: list[Path] | None = None,
    surveys: SurveyCache | None = None,
    progress: Progress | None = None,
    interim: str | None = None,
    detail: str | None = None,
    pdf: bool = False,
) -> Outcome:
    """Build ``rapport.html``, ``.xlsx``, ``.docx``, ``.json``, the appendix ``bilaga.html`` and
    ``bilaga.docx`` and the survey CSV files for a project folder.

    The default output folder is ``<project>/rapport``. ``draft`` puts the
    completeness table at the top of the report (``--utkast``). ``surveys``
    (the web page's) saves reading survey files that have not changed.
    ``progress`` is told each step (:mod:`slutrapport.core.progress`).
    ``interim`` (``--delrapport``, a period such as ``2025`` or ``2025H1``) builds
    the interim report for that period instead (:mod:`slutrapport.pipeline.interim`):
    ``delrapport-<period>.html``, ``.xlsx``, ``.docx`` and ``.json`` with its appendix
    ``delrapport-<period>-bilaga.html`` and ``.docx``.
    ``detail`` (``--detaljniva``: ``sammanfattning`` or ``full``) overrides the
    template's ``detaljniva:``; the HTML and Word report and appendix follow it
    (:func:`~slutrapport.report.appendix.split_report`), while the workbook and
    ``rapport.json`` always hold every table. ``pdf`` (``--pdf``) also
    writes ``rapport.pdf`` from the report's HTML (:func:`_write_pdf`). ``rapport.docx`` takes the look of the Word
    document ``word_mall:`` names (:func:`word_reference_of`), and so does the appendix.
    """
    from slutrapport.pipeline.results import analyse_project
    from slutrapport.project.folder import load_project
    from slutrapport.project.templates import DETAIL_LEVELS
    from slutrapport.render.bundle import render_bundle
    from slutrapport.render.docx import render_docx
    from slutrapport.report.appendix import split_report
    from slutrapport.report.build import project_report

    progress = progress_of(progress)
    if detail is not None and detail not in DETAIL_LEVELS:
        raise ProjectError(f"Detaljnivån '{detail}' finns inte: välj {' eller '.join(DETAIL_LEVELS)}.")
    if interim is not None:
        return _build_interim(Path(project_dir), interim, out, force, draft, template_dirs, surveys, progress, detail)
    project = load_project(Path(project_dir), template_dirs)
    reference = word_reference_of(project)
    out = Path(out) if out else project.root / "rapport"
    _refuse_early(out, (*REPORT_FILES, PDF_FILE) if pdf else REPORT_FILES, force)
    with drawing_ahead(early=len(project.waves) > 1) as drawing:  # a survey's comparison: many charts
        results = analyse_project(project, surveys=surveys, progress=progress)
        report = project_report(project, results, draft=draft)
        main, appendix = split_report(report, detail or project.template.detail)
        drawing.ahead(charts_in_order(main) + charts_in_order(report, pictures_only=True) + charts_in_order(appendix))
        progress(WRITING)
        with collect_repairs() as repairs:
            outputs = (
                {
                    "rapport.html": encode_utf8(render_html(main)),
                    "rapport.xlsx": render_excel(report),
                    "rapport.docx": render_docx(main, reference),
                    "rapport.json": render_bundle(report),
                }
                | _survey_outputs(results.survey)
                | {
                    "bilaga.html": encode_utf8(render_html(appendix)),
                    "bilaga.docx": render_docx(appendix, reference),
                }
            )
    paths = _write(out, outputs, force)
    if pdf:
        paths.append(_write_pdf(out, outputs["rapport.html"], force))
    return Outcome(paths, results.warnings + repairs.warnings(str(out)), report.completeness, _waves(results), project.root / "texter")


def _waves(results: ProjectResults) -> list[str]:
    return [str(w) for w in results.survey.survey.waves] if results.survey is not None else []


def _build_interim(
    root: Path,
    period: str,
    out: Path | None,
    force: bool,
    draft: bool,
    template_dirs: list[Path] | None,
    surveys: SurveyCache | None,
    progress: Progress,
    detail: str | None = None,
) -> Outcome:
    """The interim report of ``period``: ``delrapport-<period>.html``, ``.xlsx``, ``.docx`` and ``.json``."""
    from slutrapport.pipeline.interim import interim_names, interim_report, load_interim
    from slutrapport.render.bundle import render_bundle
    from slutrapport.render.docx import render_docx
    from slutrapport.report.appendix import split_report

    project, notes = load_interim(root, period, template_dirs)
    names = interim_names(project.period)
    out = Path(out) if out else project.root / "rapport"
    _refuse_early(out, tuple(names.values()), force)
    reference = word_reference_of(project)
    report, results = interim_report(project, notes, draft=draft, surveys=surveys, progress=progress)
    main, appendix = split_report(report, detail or project.template.detail)
    progress(WRITING)
    with collect_repairs() as repairs:
        outputs = {
            names["html"]: encode_utf8(render_html(main)),
            names["xlsx"]: render_excel(report),
            names["docx"]: render_docx(main, reference),
            names["json"]: render_bundle(report),
            names["bilaga_html"]: encode_utf8(render_html(appendix)),
            names["bilaga_docx"]: render_docx(appendix, reference),
        }
    warnings = results.warnings + repairs.warnings(str(out))
    return Outcome(_write(out, outputs, force), warnings, report.completeness, _waves(results), project.texts)


#: The file ``build --pdf`` adds.
PDF_FILE = "rapport.pdf"


def word_reference_of(project: Project) -> Path | None:
    """The Word document whose look ``rapport.docx`` takes: the project's own ``word_mall:`` (a path from
    the project folder), else the template's (from the template's folder), else None (the program's look)."""
    from slutrapport.project.templates import word_reference

    own = word_reference(project.data.get("word_mall"), project.root, f"projektfilen {project.path}")
    return own or project.template.word_reference


def _write_pdf(out: Path, html: bytes, force: bool) -> Path:
    """Write ``rapport.pdf`` from the HTML report, after the other files: without WeasyPrint they are
    written and :class:`~slutrapport.render.pdf.PdfUnavailableError` says how to install it."""
    from slutrapport.render.pdf import PdfUnavailableError, render_pdf

    try:
        data = render_pdf(html.decode("utf-8"))
    except PdfUnavailableError as exc:
        raise PdfUnavailableError(f"{exc} De andra filerna skrevs till {out}.") from None
    return _write(out, {PDF_FILE: data}, force)[0]


@dataclass
class CheckResult:
    """The completeness of a project's report, heading by heading, and the status of each input.

    The statuses in words are :func:`~slutrapport.pipeline.status.heading_status`
    and :func:`~slutrapport.pipeline.status.heading_detail`; the web page shows the same.
    """

    project: Project
    headings: list[Completeness]
    inputs: list[InputStatus] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """True when every required heading has text or generated content."""
        from slutrapport.report.build import FILLED

        return all(h.status == FILLED for h in self.headings if h.required)


def check_project(project_dir: Path, template_dirs: list[Path] | None = None, results: ProjectResults | None = None, interim: str | None = None) -> CheckResult:
    """Which required headings have content, and what is missing (``slutrapport check``).

    Survey files with errors do not stop the check: the survey headings are
    reported as missing with the number of errors. ``results`` (from
    :func:`~slutrapport.pipeline.results.project_results`) saves reading the data again.
    ``interim`` (``--delrapport PERIOD``) checks the interim report of that period instead.
    """
    from slutrapport.pipeline.results import analyse_project
    from slutrapport.pipeline.status import input_statuses
    from slutrapport.project.folder import load_project
    from slutrapport.report.build import project_report

    if interim is not None:
        from slutrapport.pipeline.interim import interim_report, load_interim

        found, notes = load_interim(Path(project_dir), interim, template_dirs)
        return CheckResult(found, interim_report(found, notes, tolerant=True)[0].completeness)
    project = load_project(Path(project_dir), template_dirs)
    results = results if results is not None else analyse_project(project, tolerant=True)
    report = project_report(project, results)
    return CheckResult(project, report.completeness, input_statuses(project, results))


def build_portfolio(
    paths: list[Path],
    out: Path = Path("portfolj"),
    template: str | None = None,
    strict: bool = False,
    force: bool = False,
    progress: Progress | None = None,
) -> Outcome:
    """Compare many projects' bundles: ``portfolio.html``, ``portfolio.xlsx`` and the ``portfolio_*.csv`` files.

    Each path is a ``rapport.json``, a build output folder or a folder searched
    recursively. ``template`` keeps only the projects on that template. A
    bundle that cannot be read is left out and reported in
    ``Outcome.warnings`` (errors and warnings); with ``strict`` any error stops.
    ``progress`` is told each step (:mod:`slutrapport.core.progress`).
    """
    from slutrapport.portfolio import portfolio_outputs

    with collect_repairs() as repairs:
        outputs, problems = portfolio_outputs([Path(p) for p in paths], template, strict, progress=progress_of(progress))
    return Outcome(_write(Path(out), outputs, force), problems.errors() + problems.warnings() + repairs.warnings(str(out)))


def write_form(out: Path, definition: str | Path | None = None, force: bool = False) -> Path:
    """Write the fillable self-evaluation form (``slutrapport form sjalvvardering``) to ``out`` (.xlsx).

    ``definition`` is a form definition file; None uses the built-in one.
    """
    from slutrapport.sources.forms.definition import load_definition
    from slutrapport.sources.forms.excel_form import form_workbook, workbook_bytes

    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise OutputError(f"Formuläret sparas som Excel-arbetsbok: ange ett filnamn som slutar på .xlsx, inte {out.name}.")
    data = workbook_bytes(form_workbook(load_definition(definition)))
    return _write(out.parent, {out.name: data}, force)[0]
