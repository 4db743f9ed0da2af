"""The project's goals (``mal:`` in ``projekt.yaml``) and whether they were met.

Six kinds of goal, told apart by ``matt:`` (the keys of each kind are parsed
by :mod:`.goal_kinds`, the outcomes computed by :mod:`.goal_outcomes`)::

    mal:
      - id: arbete-studier              # 1. a share or count of a register status
        mal: "Minst 40 % av de avslutade deltagarna går till arbete eller studier"
        matt: andel                     # andel (a share) or antal (a count)
        population: avslutade           # avslutade (standard for andel) or inskrivna
        kategorier: [arbete, studier]   # statuses at avslut, or national groups such as förvärvsarbete
        malvarde: 40 %                  # "40 %", 0.4 or 40 (a bare number above 1 is per cent)
        riktning: minst                 # minst (standard) or högst
      - id: kvinnor                     # 2. a share by kön or ålder
        matt: andel
        population: inskrivna
        kon: kvinnor                    # and/or alder: 18-29 (ages 18 to 29), alder: "-29", alder: "50-"
        malvarde: 50 %
      - id: farre-forsorjningsstod      # 3. a change in a count between two dates
        matt: forandring
        falt: forsorjning               # forsorjning (before inskrivning, of those in the project) or status
        kategorier: [försörjningsstöd]
        fran: 2025-12-31
        till: 2026-06-30
        andring: minskning              # minskning or okning
        malvarde: 6
      - id: halsa                       # 4. a share of a participant survey's answers
        matt: andel_svar
        fraga: halsa                    # a question of the deltagarenkat: instrument
        svar: [4, 5]                    # the values that count, or "positiva" (the scale's positive values)
        malvarde: 80 %
      - id: informationstraffar         # 5. a count of activities in the activity log
        matt: aktiviteter
        typ: informationsträff
        malvarde: 6
      - id: samverkan                   # 6. a qualitative goal with the project's own verdict
        matt: kvalitativt
        bedomning: delvis               # ja, delvis or nej
        motivering: "Rutinerna finns men används inte av alla handläggare."

**Verdict.** A measured goal is judged on its point estimate: "minst" is
``ja`` when the outcome is at or above the target, ``nej`` when below; "högst"
the mirror image. A share has its 95 % Wilson score interval
(:func:`~.intervals.wilson_interval`) beside it, to show how precise the
estimate is; the verdict does not wait for the interval to clear the target.
A qualitative goal carries the project's own verdict (``ja``/``delvis``/
``nej``). ``osäkert`` is left for a goal with no basis (an empty population,
a missing source) or a hidden outcome.

**Counts and privacy.** See :mod:`.goal_outcomes`: a goal's outcome is a
project-level figure, computed from the unsuppressed counts.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from slutrapport.analysis.goal_kinds import kind_fields
from slutrapport.analysis.intervals import wilson_interval
from slutrapport.core.problems import ValidationReport
from slutrapport.core.swedish import format_number, format_percent
from slutrapport.sources.register.participants import NATIONAL_STATUS
from slutrapport.sources.register.values import CategoryMatcher, category_key

__all__ = [
    "goal_description",
    "age_words",
    "either_words",
    "target_text",
    "Goal",
    "GoalResults",
    "GoalOutcome",
    "GOAL_COLUMNS",
    "GOAL_DETAIL_COLUMNS",
    "MEASURES",
    "SHARE",
    "COUNT",
    "CHANGE",
    "SURVEY_SHARE",
    "ACTIVITIES",
    "QUALITATIVE",
    "ENROLLED",
    "FINISHED",
    "AT_LEAST",
    "AT_MOST",
    "YES",
    "NO",
    "PARTLY",
    "UNCERTAIN",
    "BASIS_ESTIMATE",
    "BASIS_COUNT",
    "BASIS_OWN",
    "BASIS_HIDDEN",
    "BASIS_NONE",
    "parse_goals",
    "goal_key",
    "MAX_TARGET",
    "attainment",
    "goal_table",
    "outcome_table",
]

GOAL_COLUMNS = ["id", "mal", "matt", "malvarde", "taljare", "namnare", "utfall", "ci_lag", "ci_hog", "uppnatt"]
#: Columns after :data:`GOAL_COLUMNS` in the måluppfyllelse table: the basis of the verdict (``grund``, one of
#: the ``BASIS_*`` values), the counts at the two dates of a change goal (``fore``, ``efter``) and a
#: qualitative goal's motivation (``motivering``).
GOAL_DETAIL_COLUMNS = ["grund", "fore", "efter", "motivering"]
SHARE, COUNT, CHANGE, SURVEY_SHARE, ACTIVITIES, QUALITATIVE = "andel", "antal", "forandring", "andel_svar", "aktiviteter", "kvalitativt"
MEASURES = (SHARE, COUNT, CHANGE, SURVEY_SHARE, ACTIVITIES, QUALITATIVE)
ENROLLED, FINISHED = "inskrivna", "avslutade"
AT_LEAST, AT_MOST = "minst", "högst"
YES, NO, PARTLY, UNCERTAIN = "ja", "nej", "delvis", "osäkert"
#: ``grund``: the point estimate of a share against the target; a count against it; the project's own verdict;
#: the outcome is hidden; there is nothing to judge it on (an empty population, no source).
BASIS_ESTIMATE, BASIS_COUNT, BASIS_OWN, BASIS_HIDDEN, BASIS_NONE = "punktskattning", "antal", "projektets_bedomning", "dolt", "underlag_saknas"
PROJECT_FILE = "projekt.yaml"

_KEYS = {"id", "mal", "matt", "population", "kategorier", "malvarde", "riktning"}
_KIND_KEYS = {"kon", "alder", "falt", "fran", "till", "andring", "fraga", "svar", "typ", "bedomning", "motivering"}
_KEY_ALIASES = {"namn": "mal", "text": "mal", "matt": "matt", "varde": "malvarde", "mal varde": "malvarde", "fält": "falt", "fråga": "fraga"}
_FOLD = str.maketrans("åäöé", "aaoe")
#: The largest target a goal may have (a count of participants; a share is at most 100 %).
MAX_TARGET = 1_000_000
_PERCENT = re.compile(r"^([+-]?\d+(?:[.,]\d+)?)\s*%$")
_NUMBER = re.compile(r"^([+-]?\d+(?:[.,]\d+)?)$")
_SHARES = (SHARE, SURVEY_SHARE)


@dataclass(frozen=True)
class Goal:
    """One goal: its kind (``measure``), what it counts and its target (None for a qualitative goal)."""

    id: str
    text: str  # the goal as the project wrote it ("" → a generated description)
    measure: str  # one of MEASURES
    population: str  # ENROLLED or FINISHED (register goals)
    categories: tuple[str, ...]  # the project's statuses (or income sources, falt: forsorjning) that count
    target: float | None  # a fraction for a share, a whole number for a count or change, None when qualitative
    direction: str = AT_LEAST
    category_words: tuple[str, ...] = ()  # the kategorier as written, for sentences
    gender: str | None = None  # kon: the register's kön (Kvinnor, Män, Annat/ej angivet)
    ages: tuple[int | None, int | None] | None = None  # alder: the lowest and highest age, inclusive
    field: str = "status"  # falt: of a change goal, status or forsorjning
    dates: tuple[date, date] | None = None  # fran and till of a change goal
    change: str = ""  # andring: minskning or okning
    question: str = ""  # fraga: the participant survey's question id
    answers: tuple[str, ...] = ()  # svar: the answers that count as written ("positiva" or values/labels)
    activity: str = ""  # typ: the activity type as written
    own_verdict: str = ""  # bedomning: ja, delvis or nej
    motivation: str = ""  # motivering


@dataclass(frozen=True)
class GoalOutcome:
    """What a goal's verdict rests on, before anything is hidden.

    ``numerator``/``denominator`` for a share; ``value`` the count (or the
    change) for the other measured kinds; ``before``/``after`` the two counts
    of a change goal. ``hidden`` says the outcome may not be shown;
    ``verdict_shown`` keeps the verdict of a hidden
    outcome: the verdict uses the counts it needs even when they are not shown.
    ``available`` is False when the goal's source is missing.
    """

    numerator: int = 0
    denominator: int = 0
    value: int | None = None
    before: int | None = None
    after: int | None = None
    hidden: bool = False
    #: the verdict is shown although the outcome is hidden: it uses the counts it needs (a hidden breakdown)
    verdict_shown: bool = False
    available: bool = True


@dataclass
class GoalResults:
    """The goals and the måluppfyllelse table (:data:`GOAL_COLUMNS` + :data:`GOAL_DETAIL_COLUMNS`)."""

    goals: list[Goal]
    table: pd.DataFrame
    min_n: int
    show_totals: bool = True  # sekretess: deltagare: totaler: visa (a goal's share of a project total is shown)
    #: Words for the sentences found in a goal's source, by goal id: a survey goal's ``fraga`` (the question's text)
    #: and ``svar`` (the labels of the answers that count).
    words: dict[str, dict[str, str]] = field(default_factory=dict)


def _fold(key: object) -> str:
    return category_key(key).translate(_FOLD)


def goal_key(key: object) -> str | None:
    """The key of a goal a key as written stands for (``Mål`` → ``mal``, ``målvärde`` → ``malvarde``, ``namn`` → ``mal``); None if unknown."""
    name = _KEY_ALIASES.get(_fold(key), _fold(key))
    return name if name in _KEYS | _KIND_KEYS else None


class _GoalParser:
    def __init__(self, status_groups: dict[str, str], aliases: dict[str, str], report: ValidationReport, income_groups: dict[str, str]) -> None:
        self.status_groups = status_groups
        self.income_groups = income_groups
        self.matcher = CategoryMatcher(list(status_groups), aliases)
        self.income_matcher = CategoryMatcher(list(income_groups), aliases)
        self.national = {category_key(g): g for g in NATIONAL_STATUS}
        self.report = report

    def problem(self, number: int, key: str, message: str, value: object = None) -> None:
        self.report.add(PROJECT_FILE, "mål", message, kolumn=f"mal nr {number}: {key}", varde=value)

    def parse(self, number: int, item: Any) -> Goal | None:
        if not isinstance(item, dict):
            self.problem(number, "mal", "varje mål ska ha nycklar som mal:, matt:, kategorier: och malvarde:")
            return None
        errors = len(self.report.errors())
        fields: dict[str, Any] = {}
        for key, value in item.items():
            name = _KEY_ALIASES.get(_fold(key), _fold(key))
            if name not in _KEYS | _KIND_KEYS:
                self.problem(number, str(key), f"okänd nyckel; möjliga nycklar: {', '.join(sorted(_KEYS | _KIND_KEYS))}")
            fields[name] = value
        measure = _fold(fields.get("matt") or "").replace(" ", "_")  # andel_svar, "andel svar"
        if measure not in MEASURES:
            self.problem(
                number, "matt", "ange matt: andel, antal, forandring, andel_svar, aktiviteter eller kvalitativt", fields.get("matt")
            )
            return None
        register_goal = measure in (SHARE, COUNT)
        categories, words = self._categories(number, fields.get("kategorier"), fields.get("falt")) if measure in (SHARE, COUNT, CHANGE) else ((), ())
        extra = kind_fields(self, number, measure, fields)
        by_person = fields.get("kon") is not None or fields.get("alder") is not None
        if measure == SHARE and not categories and fields.get("kategorier") is None and not by_person:
            self.problem(number, "kategorier", "ett andelsmål behöver kategorier: (vilka statusar vid avslut som räknas), kon: eller alder:")
        population = FINISHED
        if register_goal:
            population = _fold(fields.get("population") or (FINISHED if (measure == SHARE and not by_person) or categories else ENROLLED))
            if population not in (ENROLLED, FINISHED):
                self.problem(number, "population", "ska vara avslutade eller inskrivna", fields.get("population"))
        direction = {"minst": AT_LEAST, "hogst": AT_MOST}.get(_fold(fields.get("riktning") or "minst"))
        if direction is None:
            self.problem(number, "riktning", "ska vara minst eller högst", fields.get("riktning"))
        target = None if measure == QUALITATIVE else self._target(number, measure, fields.get("malvarde"))
        if len(self.report.errors()) > errors:
            return None
        return Goal(
            id=str(fields.get("id") or f"mal{number}"),
            text=" ".join(str(fields.get("mal") or "").split()),
            measure=measure,
            population=population,
            categories=categories,
            target=target,
            direction=direction or AT_LEAST,
            category_words=words,
            **extra,
        )

    def _categories(self, number: int, raw: Any, field: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
        if raw is None:
            return (), ()
        income = _fold(field or "") == "forsorjning"
        groups, matcher, what = (self.income_groups, self.income_matcher, "försörjning") if income else (self.status_groups, self.matcher, "status")
        items = raw if isinstance(raw, list) else [part for part in str(raw).split(",")]
        found: list[str] = []
        words: list[str] = []
        for item in items:
            text = " ".join(str(item).split())
            match = matcher.match(text)
            group = None if income else self.national.get(category_key(text))
            if match is not None:
                members = [match]
            elif group is not None:
                members = [s for s, g in groups.items() if g == group]
            else:
                national = "" if income else f" Nationella grupper: {', '.join(NATIONAL_STATUS)}."
                self.problem(number, "kategorier", matcher.explain(text, what) + national, text)
                continue
            words.append(text)
            found += [m for m in members if m not in found]
        return tuple(s for s in groups if s in found), tuple(words)

    def _target(self, number: int, measure: str, raw: Any) -> float | None:
        if raw is None or isinstance(raw, bool):
            self.problem(number, "malvarde", "ange målvärdet, t.ex. malvarde: 40 % eller malvarde: 25", raw)
            return None
        text = " ".join(str(raw).split())
        percent = _PERCENT.match(text)
        plain = _NUMBER.match(text)
        number_value = float((percent or plain).group(1).replace(",", ".")) if (percent or plain) else None
        if number_value is None or not math.isfinite(number_value):
            self.problem(number, "malvarde", "målvärdet ska vara ett tal, t.ex. 40 % eller 25", raw)
            return None
        if number_value > MAX_TARGET:
            self.problem(number, "malvarde", f"målvärdet är orimligt stort (högst {MAX_TARGET})", raw)
            return None
        if measure not in _SHARES:
            if percent or number_value < 0 or not number_value.is_integer():
                self.problem(number, "malvarde", "ett antalsmål ska ha ett heltal som målvärde, t.ex. 25", raw)
                return None
            return number_value
        share = number_value / 100 if percent or number_value > 1 else number_value
        if not 0 <= share <= 1:
            self.problem(number, "malvarde", "en andel ska vara mellan 0 och 100 %", raw)
            return None
        return share


def parse_goals(
    raw: Any, status_groups: dict[str, str], aliases: dict[str, str] | None = None, income_groups: dict[str, str] | None = None
) -> tuple[list[Goal], ValidationReport]:
    """The goals under ``mal:`` and every problem with them (file ``projekt.yaml``).

    ``status_groups``, ``aliases`` and ``income_groups`` are the register's (a
    goal's ``kategorier`` are matched like the register's status column, or
    its försörjning column for ``falt: forsorjning``; a national group stands
    for all statuses in it). A survey question or activity type is checked
    against its source when the goals are evaluated.
    """
    from slutrapport.sources.register.participants import DEFAULT_INCOME

    report = ValidationReport()
    if raw is None:
        return [], report
    if not isinstance(raw, list):
        report.add(PROJECT_FILE, "mål", "'mal' ska vara en lista med ett mål per rad (- mal: …)", kolumn="mal")
        return [], report
    parser = _GoalParser(status_groups, aliases or {}, report, income_groups if income_groups is not None else DEFAULT_INCOME)
    goals = [g for number, item in enumerate(raw, start=1) if (g := parser.parse(number, item)) is not None]
    seen: set[str] = set()
    for number, goal in enumerate(goals, start=1):
        if goal.id in seen:
            report.add(PROJECT_FILE, "mål", f"id:t '{goal.id}' används av flera mål", kolumn=f"mal nr {number}: id", varde=goal.id)
        seen.add(goal.id)
    return goals, report


def _met(goal: Goal, value: float) -> bool:
    return value >= goal.target if goal.direction == AT_LEAST else value <= goal.target  # type: ignore[operator]


def attainment(goal: Goal, numerator: int, denominator: int) -> tuple[float | None, float | None, float | None, str]:
    """``(utfall, ci_lag, ci_hog, uppnatt)`` of a share or count goal, from counts that may be shown.

    The verdict compares the point estimate with the target (at the target is
    reached); a share's 95 % Wilson interval is returned beside it. A share
    with ``denominator == 0`` has no outcome and is ``osäkert``.
    """
    if goal.measure not in _SHARES:
        return float(numerator), None, None, YES if _met(goal, numerator) else NO
    if denominator == 0:
        return None, None, None, UNCERTAIN
    low, high = wilson_interval(numerator, denominator)
    share = numerator / denominator
    return share, low, high, YES if _met(goal, share) else NO


def _row(goal: Goal, outcome: GoalOutcome) -> dict[str, Any]:
    share = goal.measure in _SHARES
    row: dict[str, Any] = dict.fromkeys(GOAL_COLUMNS + GOAL_DETAIL_COLUMNS)
    row |= {
        "id": goal.id,
        "mal": goal.text or goal_description(goal),
        "matt": goal.measure,
        "malvarde": None if goal.target is None else goal.target if share else int(goal.target),
    }
    if goal.measure == QUALITATIVE:
        return row | {"uppnatt": goal.own_verdict, "grund": BASIS_OWN, "motivering": goal.motivation or None}
    if not outcome.available:
        return row | {"uppnatt": UNCERTAIN, "grund": BASIS_NONE}
    if outcome.hidden:
        if not outcome.verdict_shown:
            return row | {"uppnatt": UNCERTAIN, "grund": BASIS_HIDDEN}
        if share:
            verdict = attainment(goal, outcome.numerator, outcome.denominator)[3]
        else:
            verdict = YES if _met(goal, int(outcome.value if outcome.value is not None else outcome.numerator)) else NO
        return row | {"uppnatt": verdict, "grund": BASIS_HIDDEN}
    if share:
        value, low, high, verdict = attainment(goal, outcome.numerator, outcome.denominator)
        return row | {
            "taljare": outcome.numerator,
            "namnare": outcome.denominator,
            "utfall": value,
            "ci_lag": low,
            "ci_hog": high,
            "uppnatt": verdict,
            "grund": BASIS_ESTIMATE if outcome.denominator else BASIS_NONE,
        }
    value = int(outcome.value if outcome.value is not None else outcome.numerator)
    return row | {
        "taljare": value if goal.measure == COUNT else None,  # a register count goal's count, as before 1.4
        "utfall": value,
        "uppnatt": YES if _met(goal, value) else NO,
        "grund": BASIS_COUNT,
        "fore": outcome.before,
        "efter": outcome.after,
    }


def outcome_table(goals: list[Goal], outcomes: list[GoalOutcome]) -> pd.DataFrame:
    """The måluppfyllelse table (:data:`GOAL_COLUMNS` + :data:`GOAL_DETAIL_COLUMNS`), one row per goal."""
    rows = [_row(goal, outcome) for goal, outcome in zip(goals, outcomes, strict=True)]
    table = pd.DataFrame(rows, columns=GOAL_COLUMNS + GOAL_DETAIL_COLUMNS, dtype=object)  # utfall/malvarde: a share or a count
    for column in ("taljare", "namnare", "fore", "efter"):
        table[column] = table[column].astype("Int64")
    return table


def goal_table(goals: list[Goal], counts: list[tuple[int, int, bool, bool]]) -> pd.DataFrame:
    """The måluppfyllelse table of register goals from ``(taljare, namnare, taljare_hidden, namnare_hidden)`` per goal.

    A goal resting on a hidden count has its outcome hidden. A count goal has ``namnare`` empty.
    """
    outcomes = []
    for goal, (numerator, denominator, numerator_hidden, denominator_hidden) in zip(goals, counts, strict=True):
        hidden = numerator_hidden or (goal.measure in _SHARES and denominator_hidden)
        outcomes.append(GoalOutcome(numerator=numerator, denominator=denominator, hidden=hidden))
    table = outcome_table(goals, outcomes)
    table.loc[[g.measure not in _SHARES for g in goals], "namnare"] = pd.NA
    return table


# -- a goal's name when the project gave no text (the måluppfyllelse table's ``mal``) --

_DIRECTION_WORDS = {"minst": "minst", "högst": "högst"}
_GENDER_WORDS = {"Kvinnor": "kvinnor", "Män": "män", "Annat/ej angivet": "med annat eller ej angivet kön"}


def either_words(words: list[str] | tuple[str, ...]) -> str:
    """``['arbete', 'studier']`` → ``'arbete eller studier'``."""
    words = [w for w in words if w]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " eller " + words[-1] if words else ""


def target_text(measure: str, target: float | None, direction: str) -> str:
    if target is None:
        return ""
    value = format_percent(target) if measure in _SHARES else format_number(target, 0)
    return f"{_DIRECTION_WORDS.get(direction, direction)} {value}"


def age_words(ages: tuple[int | None, int | None]) -> str:
    """``(18, 29)`` → ``'18–29 år'``; ``(None, 29)`` → ``'högst 29 år'``; ``(50, None)`` → ``'minst 50 år'``."""
    low, high = ages
    if low is not None and high is not None:
        return f"{low}–{high} år"
    return f"högst {high} år" if high is not None else f"minst {low} år"


def goal_description(goal_or_measure: Goal | str, population: str = "", words: tuple[str, ...] = (), target: float = 0, direction: str = AT_LEAST) -> str:
    """A goal in words when the project gave no text: "Minst 40 % av de avslutade deltagarna har status arbete eller studier vid avslut".

    Takes a :class:`Goal`, or (as before) the measure, population, category words, target and direction of a register goal.
    """
    goal = goal_or_measure if isinstance(goal_or_measure, Goal) else Goal("", "", goal_or_measure, population, words, target, direction, words)
    head = target_text(goal.measure, goal.target, goal.direction)
    head = head[:1].upper() + head[1:]
    words, population = goal.category_words, goal.population
    if goal.measure == QUALITATIVE:
        return f"Kvalitativt mål {goal.id}"
    if goal.measure == ACTIVITIES:
        return f"{head} aktiviteter av typen {goal.activity}"
    if goal.measure == SURVEY_SHARE:
        return f"{head} av deltagarna svarar {either_words(goal.answers)} på fråga {goal.question}"
    if goal.measure == CHANGE:
        more = "färre" if goal.change == "minskning" else "fler"
        what = f"med försörjning {either_words(words)}" if goal.field == "forsorjning" else f"med status {either_words(words)}"
        return f"{head} {more} deltagare {what}"
    who = []
    if goal.gender is not None:
        who.append(_GENDER_WORDS.get(goal.gender, goal.gender))
    if goal.ages is not None:
        who.append(age_words(goal.ages))
    if goal.measure == SHARE:
        if who and not words:
            return f"{head} av de {population} deltagarna är {' och '.join(who)}"
        return f"{head} av de {population} deltagarna har status {either_words(words)} vid avslut"
    if words:
        return f"{head} {population} deltagare har status {either_words(words)} vid avslut"
    return f"{head} deltagare {'skrivs in' if population == 'inskrivna' else 'avslutas'}"
