"""A project's data sources read from its folder, as ``projekt.yaml`` points at them.

Each function reads one source of a loaded :class:`~slutrapport.project.folder.Project`
with the readers of :mod:`slutrapport.sources`, which know files but not the
project folder: the staff survey with the project's own answer labels, the
self-evaluation forms, the participant register with the goals, the budget
(``ekonomi:``) and the socio-economic parameter file (``socioekonomi:``).
Errors in the files raise :class:`~slutrapport.core.errors.ValidationError`
(every problem in its report); errors in ``projekt.yaml`` raise
:class:`~slutrapport.core.errors.ProjectError`.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from slutrapport.core.errors import ProjectError, ValidationError, problem_list
from slutrapport.core.problems import ValidationReport
from slutrapport.core.progress import Progress
from slutrapport.core.text import normalise
from slutrapport.pipeline.cache import SurveyCache, survey_key
from slutrapport.pipeline.goals import parse_project_goals
from slutrapport.project.aliases import with_answer_aliases
from slutrapport.project.folder import Project
from slutrapport.sources.economy.budget import DEFAULT_CATEGORIES, Budget, BudgetSpec, read_budget_spec
from slutrapport.sources.economy.headings import ROLES
from slutrapport.sources.forms.read import FormData, read_forms
from slutrapport.sources.forms.source import project_form_source
from slutrapport.sources.register.participants import Register, RegisterValidationError, project_dates, read_register
from slutrapport.sources.register.places import parse_places
from slutrapport.sources.survey.columnmap import load_column_map
from slutrapport.sources.survey.ingest import SurveyData, read_waves
from slutrapport.sources.survey.instrument import Instrument, load_instrument
from slutrapport.sources.survey.invited import InvitedCount, check_invited, read_invited_file

__all__ = [
    "load_column_map",
    "read_project_survey",
    "read_project_invited",
    "read_project_forms",
    "read_project_register",
    "participant_options",
    "budget_spec",
    "read_project_budget",
    "parameter_file",
]


# ---------------------------------------------------------------- survey, forms, register


def _with_project_aliases(instrument: Instrument, project: Project) -> Instrument:
    """The instrument with the project's own answer labels (``personalenkat: alias:``) added to their scales
    (:func:`~slutrapport.project.aliases.with_answer_aliases`); an alias that clashes with its scale is an error on its line."""
    extended, bad = with_answer_aliases(instrument, project.answer_aliases, project.scale_aliases, project.lines)
    if bad:
        raise ProjectError(problem_list(str(project.path), bad))
    return extended


def _with_project_statistics(instrument: Instrument, project: Project) -> Instrument:
    """The instrument with the project's ``personalenkat: statistik:`` settings over its own ``statistik:``."""
    if not project.statistics:
        return instrument
    return replace(instrument, statistics=replace(instrument.statistics, **project.statistics))


def read_project_survey(project: Project, cache: SurveyCache | None = None, progress: Progress | None = None) -> SurveyData:
    """The project's survey waves read and validated with its instrument, its own answer labels and statistics plan.

    Each file is read with its wave's reading options (``blad:``, ``rubrikrad:``,
    ``etiketter:``, ``teckenkodning:``, ``dubbletter:`` and ``format:`` of the wave
    over those under ``personalenkat:``). With a ``cache`` (the web page's) a
    reading whose files and settings have not changed is not done again. ``progress``
    (:mod:`slutrapport.core.progress`) is told each file read.
    """

    def read() -> SurveyData:
        instrument = load_instrument(project.instrument or "samverkan", base_dir=project.root)
        instrument = _with_project_statistics(_with_project_aliases(instrument, project), project)
        return read_waves(
            [w.file for w in project.waves],
            instrument,
            None if project.wave_column else [w.label for w in project.waves],
            column_map=project.column_map,
            format=project.format,
            wave_column=project.wave_column,
            options=[w.options for w in project.waves],
            progress=progress,
        )

    return read() if cache is None else cache.get(survey_key(project), read)


def read_project_invited(project: Project, survey: SurveyData) -> tuple[dict[str, dict[str, int]], ValidationReport]:
    """The invited counts (``inbjudna:`` of each wave and the file under ``personalenkat: inbjudna: fil:``)
    checked against the answers: wave → organisation in the answers' spelling (``Alla`` the total) → count.

    Raises :class:`ValidationError` when a count is smaller than the respondents, is given twice with
    different numbers or the file has errors; the warnings are in the returned report.
    """
    counts: list[InvitedCount] = []
    report = ValidationReport()
    for number, wave in enumerate(project.waves):
        for organisation, count in wave.invited.items():
            line = project.lines.get(("personalenkat", "enkater", number, "inbjudna", organisation)) or project.lines.get(
                ("personalenkat", "enkater", number, "inbjudna")
            )
            where = f"{project.path.name}{f', rad {line}' if line else ''} (enkät nr {number + 1}, inbjudna: {organisation})"
            counts.append(InvitedCount(wave.label, organisation, count, where, project.path.name, line))
    spec = (project.data.get("personalenkat") or {}).get("inbjudna")
    if isinstance(spec, dict) and spec.get("fil"):
        path = project.root / str(spec["fil"])
        if not path.exists():
            raise ProjectError(problem_list(str(project.path), [f"personalenkat: inbjudna: filen {spec['fil']} finns inte i {project.root}"]))
        # an interim report's project (pipeline/interim.py) leaves out the waves after its period: the file may name them
        later = [str(label) for label in getattr(project, "later_waves", ())]
        found, problems = read_invited_file(path, [w.label for w in project.waves] + later)
        counts += [count for count in found if count.wave not in later]
        report.extend(problems)
    invited, problems = check_invited(counts, survey.tidy, [str(w) for w in survey.waves])
    report.extend(problems)
    if not report.valid:
        raise ValidationError(report)
    return invited, report


def read_project_forms(project: Project) -> FormData | None:
    """The project's filled self-evaluation forms, or None without ``sjalvvardering:`` in projekt.yaml."""
    source = project_form_source(project.root, project.data, project.path)
    return None if source is None else read_forms(source.folder, source.definition)


def participant_options(project: Project) -> dict:
    """The keyword options of ``analyse_participants`` from ``projekt.yaml``: ``show_totals`` and ``places``.

    ``sekretess: deltagare: totaler:`` (visa, the default, or dolj) and ``platser:``; a problem in
    ``platser:`` raises :class:`RegisterValidationError` naming projekt.yaml and the key.
    """
    secrecy = project.data.get("sekretess") or {}
    participants = secrecy.get("deltagare") if isinstance(secrecy, dict) else None
    totals = participants.get("totaler") if isinstance(participants, dict) else None
    report = ValidationReport()
    places = parse_places(project.data.get("platser"), report)
    if not report.valid:
        raise RegisterValidationError(report)
    return {"show_totals": str(totals or "visa").lower() not in ("dolj", "dölj"), "places": places}


def read_project_register(project: Project) -> tuple[Register, list]:
    """The participant register under ``deltagare:`` and the goals under ``mal:``, checked together."""
    spec = project.data["deltagare"]
    goals, problems = parse_project_goals(project)
    parse_places(project.data.get("platser"), problems)  # checked with the register, used by participant_options
    try:
        register = read_register(spec, project.root, project_dates(project.data))
    except RegisterValidationError as exc:
        exc.report.extend(problems)
        raise RegisterValidationError(exc.report) from exc
    register.report.extend(problems)
    if not register.report.valid:
        raise RegisterValidationError(register.report)
    return register, goals


# ---------------------------------------------------------------- economy


_SPEC_KEYS = ("fil", "blad", "kategorier", "kolumner", "rader")


def budget_spec(project: Project) -> BudgetSpec | None:
    """The ``ekonomi:`` key of ``projekt.yaml`` checked; None when the project has none.

    ``ekonomi: ekonomi.xlsx`` is short for ``ekonomi: {fil: ekonomi.xlsx}``.
    The kategorier default to the template's (``block_installningar: ekonomi:
    kategorier:``). Raises :class:`ProjectError` naming every problem.
    """
    raw = project.data.get("ekonomi")
    if raw in (None, "", {}):
        return None
    raw = {"fil": raw} if isinstance(raw, str) else raw
    problems: list[str] = []
    if not isinstance(raw, dict):
        raise ProjectError(problem_list(str(project.path), ["'ekonomi' ska ha nyckeln fil: (t.ex. fil: ekonomi.xlsx) eller rader:"]))
    unknown = [str(k) for k in raw if k not in _SPEC_KEYS]
    if unknown:
        problems.append(f"okända nycklar under 'ekonomi': {', '.join(unknown)} (giltiga: {', '.join(_SPEC_KEYS)})")
    if bool(raw.get("fil")) == bool(raw.get("rader")):
        problems.append("'ekonomi' ska ha antingen fil: (en budgetfil) eller rader: (raderna direkt i projekt.yaml)")
    file = project.root / str(raw["fil"]) if raw.get("fil") else None
    if file is not None and not file.exists():  # a pipe, a device or a folder is refused unopened when read
        problems.append(f"ekonomi: filen {raw['fil']} finns inte i {project.root}")
    settings = project.template.settings.get("ekonomi") or {}
    categories = raw.get("kategorier") or (settings.get("kategorier") if isinstance(settings, dict) else None) or DEFAULT_CATEGORIES
    if not isinstance(categories, (list, tuple)) or not all(isinstance(c, str) and c.strip() for c in categories):
        problems.append("'ekonomi: kategorier' ska vara en lista med namn, t.ex. [Personal, Lokal, Övrigt]")
        categories = DEFAULT_CATEGORIES
    elif len({normalise(c) for c in categories}) < len(categories):
        problems.append("'ekonomi: kategorier' har samma kategori flera gånger")
    columns = raw.get("kolumner") or {}
    if not isinstance(columns, dict) or not all(k in ROLES and isinstance(v, str) for k, v in columns.items()):
        problems.append(f"'ekonomi: kolumner' ska ange rubriken i filen för {', '.join(ROLES)}, t.ex. budget: \"Beviljat\"")
        columns = {}
    if problems:
        raise ProjectError(problem_list(str(project.path), problems))
    return BudgetSpec(
        file=file,
        rows=raw.get("rader"),
        categories=tuple(str(c).strip() for c in categories),
        columns={str(k): str(v) for k, v in columns.items()},
        sheet=str(raw["blad"]) if raw.get("blad") else None,
        project_file=project.path,
    )


def read_project_budget(project: Project) -> Budget | None:
    """The project's validated budget, or None when ``projekt.yaml`` has no ``ekonomi:``."""
    spec = budget_spec(project)
    return None if spec is None else read_budget_spec(spec)


def parameter_file(project: Project) -> Path | None:
    """The parameter file named by ``socioekonomi:`` in ``projekt.yaml`` (``{fil: …}`` or the file name); None without one."""
    raw = project.data.get("socioekonomi")
    if raw in (None, "", {}):
        return None
    raw = {"fil": raw} if isinstance(raw, str) else raw
    if not isinstance(raw, dict) or not raw.get("fil") or set(raw) - {"fil"}:
        raise ProjectError(problem_list(str(project.path), ["'socioekonomi' ska ha nyckeln fil: med parameterfilen, t.ex. fil: socioekonomi.yaml"]))
    path = project.root / str(raw["fil"])
    if not path.exists():  # a pipe, a device or a folder is refused unopened when read
        raise ProjectError(problem_list(str(project.path), [f"socioekonomi: filen {raw['fil']} finns inte i {project.root}"]))
    return path
