"""The goals under ``mal:`` with their sources: the register, the participant survey and the activity log.

``projekt.yaml`` names the two sources besides the register::

    deltagarenkat:                 # the participants' own survey (goals matt: andel_svar)
      fil: deltagarenkat.csv
      instrument: deltagarenkat.yaml
    aktiviteter: aktiviteter.csv   # the activity log (goals matt: aktiviteter)
    sekretess:
      deltagare:
        totaler: visa              # visa (standard) or dolj: a goal's outcome resting on a small count

:func:`project_goals` parses the goals, reads the sources their kinds need
and evaluates them (:func:`~slutrapport.analysis.goal_outcomes.evaluate_goals`);
a goal whose source is not configured is an error naming the key to add.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from slutrapport.analysis.goal_outcomes import SOURCE_OF, evaluate_goals
from slutrapport.analysis.goals import Goal, GoalResults, parse_goals
from slutrapport.core.errors import ProjectError, ValidationError, problem_list
from slutrapport.core.problems import INFO, ValidationReport
from slutrapport.project.folder import Project
from slutrapport.sources.activities.log import ActivityLog, read_activities
from slutrapport.sources.register.participants import Register, project_dates
from slutrapport.sources.register.settings import parse_settings
from slutrapport.sources.survey.ingest import SurveyData, read_waves
from slutrapport.sources.survey.instrument import load_instrument

__all__ = ["parse_project_goals", "read_participant_survey", "read_project_activities", "project_goals", "show_totals", "SURVEY_LABEL"]

#: The wave label of the participant survey.
SURVEY_LABEL = "Deltagarenkät"
_SURVEY_KEYS = ("fil", "instrument")


def parse_project_goals(project: Project) -> tuple[list[Goal], ValidationReport]:
    """The goals under ``mal:``, checked against the register's categories (the standard ones without ``deltagare:``)."""
    settings = parse_settings(project.data.get("deltagare") or {}, Path("."), ValidationReport())
    return parse_goals(project.data.get("mal"), settings.status_groups, settings.aliases, settings.income_groups)


def show_totals(project: Project) -> bool:
    """``sekretess: deltagare: totaler:`` is not ``dolj`` (the standard is visa)."""
    secrecy = project.data.get("sekretess")
    participants = secrecy.get("deltagare") if isinstance(secrecy, dict) else None
    totals = participants.get("totaler") if isinstance(participants, dict) else None
    return str(totals or "visa").strip().lower() not in ("dolj", "dölj")


def read_participant_survey(project: Project) -> SurveyData | None:
    """The participant survey under ``deltagarenkat:`` read with its instrument; None when the project has none."""
    spec: Any = project.data.get("deltagarenkat")
    if spec in (None, "", {}):
        return None
    problems = []
    if not isinstance(spec, dict) or not spec.get("fil") or not spec.get("instrument"):
        problems.append("'deltagarenkat' ska ha nycklarna fil: (svarsfilen) och instrument: (frågorna, en YAML-fil)")
    else:
        problems += [f"okänd nyckel under 'deltagarenkat': {key} (giltiga: {', '.join(_SURVEY_KEYS)})" for key in spec if key not in _SURVEY_KEYS]
        if not (project.root / str(spec["fil"])).exists():
            problems.append(f"deltagarenkat: filen {spec['fil']} finns inte i {project.root}")
    if problems:
        raise ProjectError(problem_list(str(project.path), problems))
    instrument = load_instrument(str(spec["instrument"]), base_dir=project.root)
    return read_waves([project.root / str(spec["fil"])], instrument, [SURVEY_LABEL])


def read_project_activities(project: Project, register: Register | None = None) -> ActivityLog | None:
    """The activity log under ``aktiviteter:``; None when the project has none.

    Dates are checked against the project's end (or the register's report date when it is later) and
    the project's start. When the register was counted to an earlier day (an interim report's period,
    ``build --delrapport``), the activities after that day are not counted, and an information row says how many.
    """
    spec = project.data.get("aktiviteter")
    if spec in (None, "", {}):
        return None
    start, end = project_dates(project.data)
    counted_to = register.report_date if register is not None else None
    latest = max((day for day in (end, counted_to) if day is not None), default=None)
    log = read_activities(spec, project.root, latest, start)
    if counted_to is not None and latest is not None and counted_to < latest:
        later = log.table["datum"] > counted_to
        if later.any():
            log.table = log.table[~later].reset_index(drop=True)
            rows = int(later.sum())
            log.report.add(
                log.file,
                "period",
                f"{rows} {'rad' if rows == 1 else 'rader'} efter {counted_to.isoformat()} räknas inte i den här rapporten",
                allvar=INFO,
            )
    return log


def project_goals(project: Project, register: Register | None) -> tuple[GoalResults, ValidationReport] | None:
    """The goals evaluated against their sources, and the warnings; None without goals.

    ``register`` is the read participant register (None without ``deltagare:``).
    Raises :class:`ValidationError` when a goal or a source has errors.
    """
    goals, report = parse_project_goals(project)
    if not report.valid:
        raise ValidationError(report)
    if not goals:
        return None
    configured = {"deltagare": register is not None}
    for key in ("deltagarenkat", "aktiviteter"):
        configured[key] = project.data.get(key) not in (None, "", {})
    for number, goal in enumerate(goals, start=1):
        source = SOURCE_OF.get(goal.measure)
        if source is not None and not configured[source]:
            report.add("projekt.yaml", "mål", f"målet räknas från {source}: som saknas i projekt.yaml; lägg till {source}: fil:",
                       kolumn=f"mal nr {number}: matt", varde=goal.measure)  # fmt: skip
    if not report.valid:
        raise ValidationError(report)
    kinds = {goal.measure for goal in goals}
    survey = read_participant_survey(project) if "andel_svar" in kinds else None
    activities = read_project_activities(project, register) if "aktiviteter" in kinds else None
    for source in (survey, activities):
        if source is not None:
            report.extend(source.report)
    results, problems = evaluate_goals(goals, register=register, survey=survey, activities=activities, min_n=project.min_n, show_totals=show_totals(project))
    report.extend(problems)
    if not report.valid:
        raise ValidationError(report)
    return results, report
