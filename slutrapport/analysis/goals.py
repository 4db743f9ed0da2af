"""The project's measurable goals (``mal:`` in ``projekt.yaml``) and whether they were met.

A goal names the measure, the population, the statuses that count and the
target value::

    mal:
      - id: arbete-studier
        mal: "Minst 40 % av de avslutade deltagarna går till arbete eller studier"
        matt: andel                 # andel (a share) or antal (a count)
        population: avslutade       # avslutade (standard for andel) or inskrivna
        kategorier: [arbete, studier]   # statuses at avslut, or national groups such as förvärvsarbete
        malvarde: 40 %              # "40 %", 0.4 or 40 (a bare number above 1 is per cent)
        riktning: minst             # minst (standard) or högst
      - id: inskrivna
        mal: "Minst 25 deltagare skrivs in"
        matt: antal
        population: inskrivna
        malvarde: 25

**Counts.** ``namnare`` is the size of the population (all enrolled or all
finished participants); ``taljare`` is the number of them whose status at
avslut is one of ``kategorier`` (only finished participants have a status,
so for the population ``inskrivna`` a participant still active counts as
not reaching it). An ``antal`` goal without ``kategorier`` counts the whole
population.

**Attainment.** For a share, ``utfall = taljare / namnare`` with the 95 %
Wilson score interval (:func:`~.intervals.wilson_interval`). For "minst":
``ja`` when the whole interval is above the target, ``nej`` when the whole
interval is below it, ``osäkert`` when the interval contains the target
(boundary included); "högst" is the mirror image. A count is compared
directly: ``ja``/``nej``.

**Anonymity.** When the count a goal rests on is hidden by the participant
tables' suppression (fewer than ``min_n`` participants in the population or
reaching the goal, or a complement), ``utfall`` and the interval are empty
and ``uppnatt`` is ``osäkert``: "ja" or "nej" would tell on which side of
the target a hidden count lies (a bound on a small group), and with fewer
than ``min_n`` people the Wilson interval contains almost any target anyway.
The sentence says the outcome is hidden for anonymity, not that it is
statistically uncertain.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import pandas as pd

from slutrapport.analysis.intervals import wilson_interval
from slutrapport.core.problems import ValidationReport
from slutrapport.core.swedish import format_number, format_percent
from slutrapport.sources.register.participants import NATIONAL_STATUS
from slutrapport.sources.register.values import CategoryMatcher, category_key

__all__ = [
    "goal_description",
    "either_words",
    "target_text",
    "Goal",
    "GoalResults",
    "GOAL_COLUMNS",
    "SHARE",
    "COUNT",
    "ENROLLED",
    "FINISHED",
    "AT_LEAST",
    "AT_MOST",
    "YES",
    "NO",
    "UNCERTAIN",
    "parse_goals",
    "goal_key",
    "MAX_TARGET",
    "attainment",
    "goal_table",
]

GOAL_COLUMNS = ["id", "mal", "matt", "malvarde", "taljare", "namnare", "utfall", "ci_lag", "ci_hog", "uppnatt"]
SHARE, COUNT = "andel", "antal"
ENROLLED, FINISHED = "inskrivna", "avslutade"
AT_LEAST, AT_MOST = "minst", "högst"
YES, NO, UNCERTAIN = "ja", "nej", "osäkert"
PROJECT_FILE = "projekt.yaml"

_KEYS = {"id", "mal", "matt", "population", "kategorier", "malvarde", "riktning"}
_KEY_ALIASES = {"namn": "mal", "text": "mal", "matt": "matt", "varde": "malvarde", "mal varde": "malvarde"}
_FOLD = str.maketrans("åäöé", "aaoe")
#: The largest target a goal may have (a count of participants; a share is at most 100 %).
MAX_TARGET = 1_000_000
_PERCENT = re.compile(r"^([+-]?\d+(?:[.,]\d+)?)\s*%$")
_NUMBER = re.compile(r"^([+-]?\d+(?:[.,]\d+)?)$")


@dataclass(frozen=True)
class Goal:
    """One measurable goal, checked against the register's categories."""

    id: str
    text: str  # the goal as the project wrote it ("" → a generated description)
    measure: str  # SHARE or COUNT
    population: str  # ENROLLED or FINISHED
    categories: tuple[str, ...]  # the project's statuses that count (empty: the whole population)
    target: float  # a fraction for SHARE, a whole number for COUNT
    direction: str = AT_LEAST
    category_words: tuple[str, ...] = ()  # the kategorier as written, for sentences


@dataclass
class GoalResults:
    """The goals and the måluppfyllelse table (:data:`GOAL_COLUMNS`)."""

    goals: list[Goal]
    table: pd.DataFrame
    min_n: int


def _fold(key: object) -> str:
    return category_key(key).translate(_FOLD)


def goal_key(key: object) -> str | None:
    """The key of a goal a key as written stands for (``Mål`` → ``mal``, ``målvärde`` → ``malvarde``, ``namn`` → ``mal``); None if unknown."""
    name = _KEY_ALIASES.get(_fold(key), _fold(key))
    return name if name in _KEYS else None


class _GoalParser:
    def __init__(self, status_groups: dict[str, str], aliases: dict[str, str], report: ValidationReport) -> None:
        self.status_groups = status_groups
        self.matcher = CategoryMatcher(list(status_groups), aliases)
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
            if name not in _KEYS:
                self.problem(number, str(key), f"okänd nyckel; möjliga nycklar: {', '.join(sorted(_KEYS))}")
            fields[name] = value
        measure = _fold(fields.get("matt") or "")
        if measure not in (SHARE, COUNT):
            self.problem(number, "matt", "ange matt: andel (en andel av deltagarna) eller antal (ett antal deltagare)", fields.get("matt"))
        categories, words = self._categories(number, fields.get("kategorier"))
        if measure == SHARE and not categories and fields.get("kategorier") is None:
            self.problem(number, "kategorier", "ett andelsmål behöver kategorier: (vilka statusar vid avslut som räknas)")
        population = _fold(fields.get("population") or (FINISHED if measure == SHARE or categories else ENROLLED))
        if population not in (ENROLLED, FINISHED):
            self.problem(number, "population", "ska vara avslutade eller inskrivna", fields.get("population"))
        direction = {"minst": AT_LEAST, "hogst": AT_MOST}.get(_fold(fields.get("riktning") or "minst"))
        if direction is None:
            self.problem(number, "riktning", "ska vara minst eller högst", fields.get("riktning"))
        target = self._target(number, measure, fields.get("malvarde"))
        if len(self.report.errors()) > errors:
            return None
        return Goal(
            id=str(fields.get("id") or f"mal{number}"),
            text=" ".join(str(fields.get("mal") or "").split()),
            measure=measure,
            population=population,
            categories=categories,
            target=target,  # type: ignore[arg-type]  # checked above
            direction=direction or AT_LEAST,
            category_words=words,
        )

    def _categories(self, number: int, raw: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
        if raw is None:
            return (), ()
        items = raw if isinstance(raw, list) else [part for part in str(raw).split(",")]
        found: list[str] = []
        words: list[str] = []
        for item in items:
            text = " ".join(str(item).split())
            group = self.national.get(category_key(text))
            match = self.matcher.match(text)
            if match is not None:
                members = [match]
            elif group is not None:
                members = [s for s, g in self.status_groups.items() if g == group]
            else:
                self.problem(number, "kategorier", self.matcher.explain(text, "status") + f" Nationella grupper: {', '.join(NATIONAL_STATUS)}.", text)
                continue
            words.append(text)
            found += [m for m in members if m not in found]
        return tuple(s for s in self.status_groups if s in found), tuple(words)

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
        if measure == COUNT:
            if percent or number_value < 0 or not number_value.is_integer():
                self.problem(number, "malvarde", "ett antalsmål ska ha ett heltal som målvärde, t.ex. 25", raw)
                return None
            return number_value
        if measure != SHARE:
            return None
        share = number_value / 100 if percent or number_value > 1 else number_value
        if not 0 <= share <= 1:
            self.problem(number, "malvarde", "en andel ska vara mellan 0 och 100 %", raw)
            return None
        return share


def parse_goals(raw: Any, status_groups: dict[str, str], aliases: dict[str, str] | None = None) -> tuple[list[Goal], ValidationReport]:
    """The goals under ``mal:`` and every problem with them (file ``projekt.yaml``).

    ``status_groups`` and ``aliases`` are the register's (a goal's
    ``kategorier`` are matched like the register's status column; a national
    group stands for all statuses in it).
    """
    report = ValidationReport()
    if raw is None:
        return [], report
    if not isinstance(raw, list):
        report.add(PROJECT_FILE, "mål", "'mal' ska vara en lista med ett mål per rad (- mal: …)", kolumn="mal")
        return [], report
    parser = _GoalParser(status_groups, aliases or {}, report)
    goals = [g for number, item in enumerate(raw, start=1) if (g := parser.parse(number, item)) is not None]
    seen: set[str] = set()
    for number, goal in enumerate(goals, start=1):
        if goal.id in seen:
            report.add(PROJECT_FILE, "mål", f"id:t '{goal.id}' används av flera mål", kolumn=f"mal nr {number}: id", varde=goal.id)
        seen.add(goal.id)
    return goals, report


def attainment(goal: Goal, numerator: int, denominator: int) -> tuple[float | None, float | None, float | None, str]:
    """``(utfall, ci_lag, ci_hog, uppnatt)`` for counts that may be shown.

    A share with ``denominator == 0`` has no outcome and is ``osäkert``.
    """
    if goal.measure == COUNT:
        met = numerator >= goal.target if goal.direction == AT_LEAST else numerator <= goal.target
        return float(numerator), None, None, YES if met else NO
    if denominator == 0:
        return None, None, None, UNCERTAIN
    low, high = wilson_interval(numerator, denominator)
    above, below = low > goal.target, high < goal.target
    if goal.direction == AT_MOST:
        above, below = below, above
    verdict = YES if above else NO if below else UNCERTAIN
    return numerator / denominator, low, high, verdict


def goal_table(goals: list[Goal], counts: list[tuple[int, int, bool, bool]]) -> pd.DataFrame:
    """The måluppfyllelse table; ``counts`` holds ``(taljare, namnare, taljare_hidden, namnare_hidden)`` per goal.

    A count goal has ``namnare`` empty and ``utfall`` = the count.
    """
    rows = []
    for goal, (numerator, denominator, numerator_hidden, denominator_hidden) in zip(goals, counts, strict=True):
        share = goal.measure == SHARE
        hidden = numerator_hidden or (share and denominator_hidden)
        outcome, low, high, verdict = (None, None, None, UNCERTAIN) if hidden else attainment(goal, numerator, denominator)
        rows.append(
            {
                "id": goal.id,
                "mal": goal.text or goal_description(goal.measure, goal.population, goal.category_words, goal.target, goal.direction),
                "matt": goal.measure,
                "malvarde": goal.target if share else int(goal.target),
                "taljare": None if numerator_hidden else int(numerator),
                "namnare": None if (denominator_hidden or not share) else int(denominator),
                "utfall": None if outcome is None else (outcome if share else int(outcome)),
                "ci_lag": low,
                "ci_hog": high,
                "uppnatt": verdict,
            }
        )
    table = pd.DataFrame(rows, columns=GOAL_COLUMNS, dtype=object)  # utfall/malvarde: a share or a whole count
    for column in ("taljare", "namnare"):
        table[column] = table[column].astype("Int64")
    return table


# -- a goal's name when the project gave no text (the måluppfyllelse table's ``mal``) --

_DIRECTION_WORDS = {"minst": "minst", "högst": "högst"}


def either_words(words: list[str] | tuple[str, ...]) -> str:
    """``['arbete', 'studier']`` → ``'arbete eller studier'``."""
    words = [w for w in words if w]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " eller " + words[-1] if words else ""


def target_text(measure: str, target: float, direction: str) -> str:
    value = format_percent(target) if measure == "andel" else format_number(target, 0)
    return f"{_DIRECTION_WORDS.get(direction, direction)} {value}"


def goal_description(measure: str, population: str, words: tuple[str, ...], target: float, direction: str) -> str:
    """A goal in words when the project gave no text: "Minst 40 % av de avslutade deltagarna: arbete eller studier"."""
    head = target_text(measure, target, direction)
    head = head[0].upper() + head[1:]
    if measure == "andel":
        return f"{head} av de {population} deltagarna har status {either_words(words)} vid avslut"
    if words:
        return f"{head} {population} deltagare har status {either_words(words)} vid avslut"
    return f"{head} deltagare {'skrivs in' if population == 'inskrivna' else 'avslutas'}"
