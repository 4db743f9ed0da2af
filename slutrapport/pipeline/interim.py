"""An interim report (lägesrapport, delrapport) for a period: ``slutrapport build PROJEKTMAPP --delrapport PERIOD``.

The same project folder, read the same way as for the final report, under the
funder's interim headings: the template ``delrapport_mall:`` in
``projekt.yaml`` names (a template with ``typ: delrapport``), by default
``rar-lagesrapport``. The data are taken as they stood on the period's last
day (:mod:`slutrapport.analysis.interim`): the participant register, the
budget's periods up to the period, the self-evaluation forms and the
staff-survey waves dated up to the period's end (all waves when one has no
``datum:``). The socio-economic calculation belongs to the final report and is
left out.

The texts under the headings are the project's own for that period, in
``texter/delrapport-<period>/<rubrik-id>.md`` (``texter/delrapport-2025/sammanfattning.md``);
the final report's ``texter/<rubrik-id>.md`` are never used. The outputs are
``delrapport-<period>.html``, ``.xlsx``, ``.docx`` and ``.json`` in the output
folder (by default ``<projekt>/rapport``, beside the final report's files,
which they never replace). The report's title block says the period, and its
first section, *Rapportperiod och underlag*, says what each table counts.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date
from pathlib import Path
from typing import Any

from slutrapport.analysis.interim import budget_until, forms_until, register_until
from slutrapport.core.errors import ProjectError
from slutrapport.core.periods import PeriodError, ReportPeriod, label_period, parse_period
from slutrapport.core.progress import Progress
from slutrapport.pipeline.cache import SurveyCache
from slutrapport.pipeline.results import analyse_project
from slutrapport.project.folder import Project, load_project, read_narrative
from slutrapport.project.templates import DEFAULT_INTERIM_TEMPLATE, INTERIM, load_template
from slutrapport.report.build import project_report
from slutrapport.report.model import Report, Section
from slutrapport.report.results import ProjectResults
from slutrapport.sources.register.participants import project_dates

__all__ = ["InterimProject", "interim_names", "texts_folder", "load_interim", "interim_report", "NOTES_SECTION"]

#: The id of the report's first section, which says the period and what each table counts.
NOTES_SECTION = "rapportperiod"
_OUTPUTS = ("html", "xlsx", "docx", "json")


def interim_names(period: ReportPeriod) -> dict[str, str]:
    """The output file names by kind: ``{"html": "delrapport-2025.html", …, "bilaga_html": "delrapport-2025-bilaga.html", …}``."""
    names = {kind: f"delrapport-{period.slug}.{kind}" for kind in _OUTPUTS}
    return names | {f"bilaga_{kind}": f"delrapport-{period.slug}-bilaga.{kind}" for kind in ("html", "docx")}


def texts_folder(root: Path, period: ReportPeriod) -> Path:
    """Where the interim report's texts are read: ``<root>/texter/delrapport-<period>``."""
    return Path(root) / "texter" / f"delrapport-{period.slug}"


@dataclass
class InterimProject(Project):
    """A project read for an interim report: the interim template, and the texts of the period's folder."""

    period: ReportPeriod | None = None
    texts: Path | None = None
    #: the survey waves projekt.yaml names, before those after the period were left out
    named_waves: int = 0
    #: the labels of the waves left out (after the period), which an invited-counts file may still name (pipeline/read.py)
    later_waves: tuple[str, ...] = ()

    def narrative(self, heading_id: str) -> str | None:
        return read_narrative(self.texts / f"{heading_id}.md") if self.texts is not None else None


def _period(text: str | ReportPeriod) -> ReportPeriod:
    if isinstance(text, ReportPeriod):
        return text
    try:
        return parse_period(text)
    except PeriodError as exc:
        raise ProjectError(f"Ogiltig period för --delrapport: {exc}.") from exc


def _wave_date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(str(text)[:10]) if text else None
    except ValueError:
        return None


def load_interim(project_dir: Path, period: str | ReportPeriod, template_dirs: list[Path] | None = None) -> tuple[InterimProject, list[str]]:
    """The project read for the interim report of ``period``, and the notes on the survey waves it keeps.

    Raises :class:`ProjectError` for a period that cannot be read, one outside the project's period,
    and a ``delrapport_mall:`` that is no interim template.
    """
    period = _period(period)
    project = load_project(Path(project_dir), template_dirs)
    start, end = project_dates(project.data)
    if (start and period.end < start) or (end and period.start > end):
        raise ProjectError(f"Perioden {period.text} ({period.span}) ligger utanför projektperioden {start or '…'} – {end or '…'} i {project.path}.")
    template_id = str(project.data.get("delrapport_mall") or DEFAULT_INTERIM_TEMPLATE)
    template = load_template(template_id, project.template_dirs)
    if template.kind != INTERIM:
        raise ProjectError(
            f"{project.path}: delrapport_mall: {template_id} är en mall för slutrapporten (typ: {template.kind}); "
            f"ange en mall med typ: delrapport, t.ex. {DEFAULT_INTERIM_TEMPLATE}."
        )
    notes: list[str] = []
    waves = project.waves
    if waves and project.wave_column:  # the waves are in a column of the files, without dates
        notes.append(f"Alla personalenkäter tas med: enkättillfällena står i kolumnen {project.wave_column} och har inga datum.")
    elif waves and all(_wave_date(w.date) for w in waves):
        waves = [w for w in waves if (_wave_date(w.date) or period.end) <= period.end]
        left = len(project.waves) - len(waves)
        notes.append(
            f"Personalenkäten räknar {len(waves)} enkät{'er' if len(waves) > 1 else ''} som gjordes till och med {period.end.isoformat()}"
            + (f" ({left} senare enkät{'er' if left > 1 else ''} tas inte med)." if left else ".")
            if waves
            else f"Ingen personalenkät gjordes till och med {period.end.isoformat()}."
        )
    elif waves:
        notes.append("Alla personalenkäter tas med: någon enkät saknar datum (datum: under personalenkat: enkater: i projekt.yaml).")
    data: dict[str, Any] = {k: v for k, v in project.data.items() if k != "socioekonomi"}  # the final report's calculation
    values = {f.name: getattr(project, f.name) for f in fields(Project)}
    values |= {"template": template, "waves": waves, "data": data, "instrument": project.instrument if waves else None}
    later = tuple(w.label for w in project.waves if w not in waves)
    found = InterimProject(**values, period=period, texts=texts_folder(project.root, period), named_waves=len(project.waves), later_waves=later)
    return found, notes


class _PeriodFilter:
    """The sources as they stood on the period's last day (:class:`~slutrapport.pipeline.results.SourceFilter`)."""

    _FILTERS = {"deltagare": register_until, "ekonomi": budget_until, "sjalvvardering": forms_until}

    def __init__(self, end: date) -> None:
        self.end = end
        self.notes: dict[str, str] = {}

    def narrow(self, source: str, data):
        kept, self.notes[source] = self._FILTERS[source](data, self.end)
        return kept

    def reason(self, source: str) -> str:
        return self.notes[source]


_ORDER = ("deltagare", "ekonomi", "sjalvvardering")


def _notes_section(project: InterimProject, notes: list[str], found: _PeriodFilter) -> Section:
    period = project.period
    lines = [f"Rapporten gäller perioden {period.label} ({period.span})."]
    if period.end > date.today():
        lines.append(f"Perioden är inte slut ännu: uppgifterna är de som fanns när rapporten byggdes ({date.today().isoformat()}).")
    for source in _ORDER:
        if source in found.notes:
            note = found.notes[source]
            lines.append(note[0].upper() + note[1:] + ("" if note.endswith(".") else "."))
    lines += notes
    return Section(id=NOTES_SECTION, number=None, title="Rapportperiod och underlag", narrative="\n\n".join(lines), expects_text=False)


def interim_report(
    project: InterimProject,
    notes: list[str],
    draft: bool = False,
    surveys: SurveyCache | None = None,
    progress: Progress | None = None,
    tolerant: bool = False,
) -> tuple[Report, ProjectResults]:
    """The interim report of a project read by :func:`load_interim`, and the results it was built from."""
    period = project.period
    found = _PeriodFilter(period.end)
    results = analyse_project(project, tolerant=tolerant, surveys=surveys, progress=progress, narrow=found)
    if project.named_waves and not project.waves:
        results.problems["personalenkat"] = f"ingen personalenkät till och med {period.end.isoformat()}"
    if results.economy is not None and not results.economy.single_period:  # the periods kept run to the last one's end
        ends = [span[1] for span in map(label_period, results.economy.periods) if span is not None]
        results.economy = replace(results.economy, until=max(ends).isoformat() if ends else period.end.isoformat())
    report = project_report(project, results, draft=draft)
    funder = project.facts.get("Finansiär") or project.template.funder
    report.subtitle = f"Lägesrapport för perioden {period.label}" + (f" · {funder}" if funder else "")
    first = {k: v for k, v in report.facts.items() if k == "Projektets namn"}
    report.facts = first | {"Rapportperiod": period.span} | report.facts
    report.sections.insert(0, _notes_section(project, notes, found))
    return report, results
