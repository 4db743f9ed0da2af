"""Every goal's outcome from its source: the register, the participant survey, the activity log or the project's word.

:func:`evaluate_goals` gives the :class:`~.goals.GoalResults` (the
måluppfyllelse table) and the problems found when a goal does not fit its
source (an unknown question or answer, an age goal without ages, a date after
the report date), each naming ``projekt.yaml`` and the goal's key.

**What is counted** (the register's columns through :class:`~slutrapport.sources.register.participants.Register`):

- ``andel``/``antal`` (kinds 1 and 2): the population is every participant
  (``inskrivna``) or those with an avslutsdatum (``avslutade``); the
  numerator is those of them who match every condition the goal gives:
  status at avslut in ``kategorier``, ``kon``, ``alder`` (whole years,
  inclusive; a participant without an age never matches). An ``antal`` goal's
  outcome is the numerator.
- ``forandring`` (kind 3): a count on each of the two dates ``fran`` and
  ``till``. With ``falt: status`` it is the participants who finished on or
  before the date with a status in ``kategorier`` (a running total); with
  ``falt: forsorjning`` the participants *in the project* on the date
  (inskrivna on or before it and not finished before it) whose försörjning
  before inskrivning is in ``kategorier``: the register holds the försörjning
  at inskrivning only, so this is the size of that group among the current
  participants, not anyone's försörjning after the project. The outcome is
  ``fore − efter`` for ``andring: minskning`` ("6 färre"), ``efter − fore``
  for ``okning``; it may be negative. Both dates must be on or before the
  register's report date.
- ``andel_svar`` (kind 4): the respondents of the participant survey's last
  wave who answered the question (a "vet ej" or a blank is not an answer);
  the numerator those whose answer is one of ``svar`` (values or labels of the
  question's scale, or ``positiva``). Scale, yes/no and single-choice questions.
- ``aktiviteter`` (kind 5): the activities of the type in the log (rows × ``antal``),
  between ``fran`` and ``till`` when given.
- ``kvalitativt`` (kind 6): the project's ``bedomning`` and ``motivering``, nothing computed.

**Privacy.** The verdict is always computed from the true counts. A goal's
outcome is a project-level figure: with ``sekretess: deltagare: totaler:
visa`` (standard, ``show_totals``) it is shown even when a count under it is
below the anonymity threshold, but the small count itself is not printed (a
share's numerator, or a change goal's two counts, when it or its complement is
1 to ``min_n − 1``). With ``totaler: dolj`` such an outcome is hidden and the
goal is ``osäkert`` (grund ``dolt``): a verdict would bound the small count.
A survey goal follows the survey's rule: fewer than ``min_n`` respondents
hides it. Activities are not people and are always shown.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from slutrapport.analysis.goal_kinds import POSITIVE
from slutrapport.analysis.goals import (
    ACTIVITIES,
    CHANGE,
    COUNT,
    ENROLLED,
    QUALITATIVE,
    SHARE,
    SURVEY_SHARE,
    Goal,
    GoalOutcome,
    GoalResults,
    either_words,
    outcome_table,
)
from slutrapport.core.problems import WARNING, ValidationReport
from slutrapport.sources.activities.log import ActivityLog, activity_key
from slutrapport.sources.register.participants import Register
from slutrapport.sources.survey.answers import ANSWERED
from slutrapport.sources.survey.ingest import SurveyData
from slutrapport.sources.survey.instrument import FREETEXT, MULTIPLE, NUMBER

__all__ = ["evaluate_goals", "SOURCE_OF"]

PROJECT_FILE = "projekt.yaml"
#: The key of ``projekt.yaml`` each measure's source is configured under.
SOURCE_OF = {SHARE: "deltagare", COUNT: "deltagare", CHANGE: "deltagare", SURVEY_SHARE: "deltagarenkat", ACTIVITIES: "aktiviteter"}


def _small(count: int | None, min_n: int) -> bool:
    return count is not None and 0 < count < min_n


class _Evaluator:
    def __init__(self, register: Register | None, survey: SurveyData | None, activities: ActivityLog | None, min_n: int, show_totals: bool) -> None:
        self.register, self.survey, self.activities = register, survey, activities
        self.min_n, self.show_totals = min_n, show_totals
        self.report = ValidationReport()
        self.words: dict[str, dict[str, str]] = {}

    def problem(self, number: int, key: str, message: str, value: object = None, severity: str = "fel") -> None:
        self.report.add(PROJECT_FILE, "mål", message, kolumn=f"mal nr {number}: {key}", varde=value, allvar=severity)

    def outcome(self, number: int, goal: Goal) -> GoalOutcome:
        if goal.measure == QUALITATIVE:
            return GoalOutcome()
        source = {"deltagare": self.register, "deltagarenkat": self.survey, "aktiviteter": self.activities}[SOURCE_OF[goal.measure]]
        if source is None:
            return GoalOutcome(available=False)
        if goal.measure == CHANGE:
            return self._change(number, goal)
        if goal.measure == SURVEY_SHARE:
            return self._survey(number, goal)
        if goal.measure == ACTIVITIES:
            return self._activities(number, goal)
        return self._register(number, goal)

    # -- the register -------------------------------------------------------------

    def _register(self, number: int, goal: Goal) -> GoalOutcome:
        table = self.register.table  # type: ignore[union-attr]  # checked by outcome()
        population = table if goal.population == ENROLLED else table[table["avslut"].notna()]
        match = pd.Series(True, index=population.index)
        if goal.categories:
            match &= population["status"].isin(goal.categories)
        if goal.gender is not None:
            match &= population["kon"] == goal.gender
        if goal.ages is not None:
            ages = population["alder"]
            if ages.isna().all():
                self.problem(number, "alder", "deltagarregistret har ingen kolumn med deltagarnas ålder (alder)", goal.ages)
                return GoalOutcome(available=False)
            low, high = goal.ages
            match &= ages.notna() & ages.between(low if low is not None else -1, high if high is not None else 10_000).fillna(False)
        numerator, denominator = int(match.sum()), len(population)
        complement = denominator - numerator
        # A goal by kön or ålder counts a breakdown: a small count (or complement) of it is never shown. Otherwise
        # the counts are the whole project's, shown however small unless sekretess: deltagare: totaler: dolj.
        # Either way the verdict uses the counts it needs; only the numbers are hidden.
        breakdown = goal.gender is not None or goal.ages is not None
        if goal.measure == COUNT:
            small = _small(numerator, self.min_n)
            hidden = small if breakdown else not self.show_totals and small
            return GoalOutcome(numerator=numerator, denominator=denominator, value=numerator, hidden=hidden, verdict_shown=hidden)
        small = _small(numerator, self.min_n) or _small(complement, self.min_n)
        hidden = small if breakdown else not self.show_totals and (small or denominator < self.min_n)
        return GoalOutcome(numerator=numerator, denominator=denominator, hidden=hidden, verdict_shown=hidden)

    def _change(self, number: int, goal: Goal) -> GoalOutcome:
        register = self.register
        start, end = goal.dates  # type: ignore[misc]  # a change goal always has its dates
        if end > register.report_date:  # type: ignore[union-attr]
            # not yet measurable (an interim report's period, or a register counted before the goal's date): no verdict
            day = register.report_date.isoformat()  # type: ignore[union-attr]
            self.problem(number, "till", f"datumet är efter deltagarregistrets rapportdatum {day}; målet kan inte bedömas ännu", end, WARNING)
            return GoalOutcome(available=False)
        before, after = self.count_on(goal, start), self.count_on(goal, end)
        value = before - after if goal.change == "minskning" else after - before
        small = _small(before, self.min_n) or _small(after, self.min_n)
        hidden = not self.show_totals and small  # the whole project's counts on two days: shown unless totaler: dolj
        return GoalOutcome(value=value, before=before, after=after, hidden=hidden, verdict_shown=hidden)

    def count_on(self, goal: Goal, day: date) -> int:
        table = self.register.table  # type: ignore[union-attr]
        stamp = pd.Timestamp(day)
        if goal.field == "status":
            done = table["avslut"].notna() & (table["avslut"] <= stamp)
            return int((done & table["status"].isin(goal.categories)).sum())
        present = (table["inskrivning"] <= stamp) & (table["avslut"].isna() | (table["avslut"] > stamp))
        return int((present & table["forsorjning"].isin(goal.categories)).sum())

    # -- the participant survey -----------------------------------------------------

    def _survey(self, number: int, goal: Goal) -> GoalOutcome:
        survey = self.survey
        instrument = survey.instrument  # type: ignore[union-attr]
        try:
            question = instrument.question(goal.question)
        except KeyError:
            known = ", ".join(q.id for q in instrument.questions)
            self.problem(number, "fraga", f"frågan finns inte i deltagarenkätens instrument; frågor: {known}", goal.question)
            return GoalOutcome(available=False)
        scale = instrument.scale_for(question)
        if question.kind in (MULTIPLE, NUMBER, FREETEXT) or scale is None:
            self.problem(number, "fraga", "ett andelsmål kan bara gälla en skalfråga, en ja/nej-fråga eller en envalsfråga", goal.question)
            return GoalOutcome(available=False)
        values = self._answer_values(number, goal, scale)
        if values is None:
            return GoalOutcome(available=False)
        shown = [f"{int(v)} ({scale.label(v)})" if scale.label(v) != str(int(v)) else scale.label(v) for v in sorted(values)]
        self.words[goal.id] = {"fraga": question.text, "svar": either_words(shown)}
        tidy = survey.tidy  # type: ignore[union-attr]
        last = tidy[(tidy["enkat"] == survey.waves[-1]) & (tidy["fraga"] == question.id) & (tidy["status"] == ANSWERED)]  # type: ignore[union-attr]
        denominator = int(last["respondent"].nunique())
        numerator = int(last.loc[last["varde"].isin(values), "respondent"].nunique())
        return GoalOutcome(numerator=numerator, denominator=denominator, hidden=denominator < self.min_n)

    def _answer_values(self, number: int, goal: Goal, scale) -> set[float] | None:
        labels = {activity_key(label): value for value, label in scale.values.items() if label}
        labels |= {activity_key(alias): value for alias, value in scale.aliases.items()}
        found: set[float] = set()
        for answer in goal.answers:
            if activity_key(answer) == POSITIVE:
                if not scale.positive:
                    self.problem(number, "svar", "frågans skala har inga positiva värden; ange värdena, t.ex. svar: [4, 5]", answer)
                    return None
                found |= {float(v) for v in scale.positive}
            elif answer.lstrip("-").isdigit() and int(answer) in scale.values:
                found.add(float(answer))
            elif activity_key(answer) in labels:
                found.add(float(labels[activity_key(answer)]))
            else:
                shown = ", ".join(f"{v} = {label}" if label else str(v) for v, label in scale.values.items())
                self.problem(number, "svar", f"svaret finns inte på frågans skala; möjliga svar: {shown} eller positiva", answer)
                return None
        return found

    # -- the activity log ---------------------------------------------------------------

    def _activities(self, number: int, goal: Goal) -> GoalOutcome:
        log = self.activities
        types = log.types()  # type: ignore[union-attr]
        if activity_key(goal.activity) not in types:
            known = ", ".join(types.values()) or "inga"
            self.problem(number, "typ", f"typen finns inte i aktivitetsloggen {log.file}, så utfallet är 0; typer i loggen: {known}",  # type: ignore[union-attr]
                         goal.activity, WARNING)  # fmt: skip
        start, end = goal.dates or (date.min, date.max)
        return GoalOutcome(value=log.count(goal.activity, start, end))  # type: ignore[union-attr]


def evaluate_goals(
    goals: list[Goal],
    *,
    register: Register | None = None,
    survey: SurveyData | None = None,
    activities: ActivityLog | None = None,
    min_n: int = 5,
    show_totals: bool = True,
) -> tuple[GoalResults, ValidationReport]:
    """The måluppfyllelse of ``goals`` from their sources, and the problems of goals that do not fit them.

    A goal whose source is None gets the verdict ``osäkert`` with grund
    ``underlag_saknas``; the caller reports the missing source.
    """
    evaluator = _Evaluator(register, survey, activities, min_n, show_totals)
    outcomes = [evaluator.outcome(number, goal) for number, goal in enumerate(goals, start=1)]
    table = outcome_table(list(goals), outcomes)
    results = GoalResults(goals=list(goals), table=table, min_n=min_n, show_totals=show_totals, words=evaluator.words)
    return results, evaluator.report
