"""Report periods: the ``--delrapport PERIOD`` of an interim report, and the period labels of data files.

A period is written one of five ways (:func:`parse_period`):

- a year: ``2025``;
- a half-year: ``2025H1`` or ``2025H2`` (also ``2025-H1``, ``2025 h1``, ``2025-halvar1``);
- a quarter: ``2025K1`` … ``2025K4`` (also ``2025-K3``, ``2025Q3``);
- a month: ``2025-03``;
- a date range, both days included: ``2025-01-01..2025-06-30``.

Each becomes a :class:`ReportPeriod` with its first and last day, a short
``slug`` for file and folder names (``2025``, ``2025-h1``, ``2025-k3``,
``2025-03``, ``2025-01-01_2025-06-30``) and a Swedish ``label``.
:func:`label_period` reads the period labels a budget file or the
participant tables use (``2025``, ``2025 H1``, ``2025 K3``, ``2025-03``) the
same way, and returns None for a label that names no dates (``Etapp 1``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = ["ReportPeriod", "PeriodError", "parse_period", "label_period", "swedish_date", "PERIOD_SYNTAX"]

#: How a period is written, for help texts and error messages.
PERIOD_SYNTAX = "ett år (2025), ett halvår (2025H1, 2025H2), ett kvartal (2025K1–2025K4), en månad (2025-03) eller ett datumintervall (2025-01-01..2025-06-30)"

_MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december")
_YEAR = re.compile(r"^(\d{4})$")
_HALF = re.compile(r"^(\d{4})[\s_-]*(?:h|halvar|halvår)\s*([12])$", re.IGNORECASE)
_QUARTER = re.compile(r"^(\d{4})[\s_-]*(?:k|q|kvartal)\s*([1-4])$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s*\.\.\s*(\d{4}-\d{2}-\d{2})$")


class PeriodError(ValueError):
    """A period that cannot be read; the message is Swedish and names the value."""


def swedish_date(day: date) -> str:
    """``date(2025, 6, 30)`` → ``'30 juni 2025'``."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class ReportPeriod:
    """The days an interim report covers, both included."""

    start: date
    end: date
    slug: str  # for file and folder names: delrapport-<slug>.html, texter/delrapport-<slug>/
    text: str  # as the user wrote it

    @property
    def label(self) -> str:
        """The period in words: ``'1 januari–31 december 2025'``, ``'1 december 2025–31 maj 2026'``."""
        if self.start.year == self.end.year:
            first = f"{self.start.day} {_MONTHS[self.start.month - 1]}"
            return f"{first}–{swedish_date(self.end)}"
        return f"{swedish_date(self.start)}–{swedish_date(self.end)}"

    @property
    def span(self) -> str:
        """The period as ISO dates: ``'2025-01-01 – 2025-12-31'``."""
        return f"{self.start.isoformat()} – {self.end.isoformat()}"


def _months(year: int, first: int, count: int) -> tuple[date, date]:
    last_month = first + count - 1
    end = date(year + last_month // 12, last_month % 12 + 1, 1) - timedelta(days=1)
    return date(year, first, 1), end


def _iso(value: str, text: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise PeriodError(f"'{text}' innehåller datumet {value}, som inte finns") from exc


def parse_period(text: str) -> ReportPeriod:
    """The period ``text`` names; :class:`PeriodError` naming the value and the accepted forms when it names none."""
    value = str(text).strip()
    if match := _YEAR.match(value):
        start, end = _months(int(match[1]), 1, 12)
        return ReportPeriod(start, end, match[1], value)
    if match := _HALF.match(value):
        start, end = _months(int(match[1]), 6 * int(match[2]) - 5, 6)
        return ReportPeriod(start, end, f"{match[1]}-h{match[2]}", value)
    if match := _QUARTER.match(value):
        start, end = _months(int(match[1]), 3 * int(match[2]) - 2, 3)
        return ReportPeriod(start, end, f"{match[1]}-k{match[2]}", value)
    if (match := _MONTH.match(value)) and 1 <= int(match[2]) <= 12:
        start, end = _months(int(match[1]), int(match[2]), 1)
        return ReportPeriod(start, end, value, value)
    if match := _RANGE.match(value):
        start, end = _iso(match[1], value), _iso(match[2], value)
        if end < start:
            raise PeriodError(f"'{value}' slutar före den börjar: ange det första datumet först, t.ex. {end}..{start}")
        return ReportPeriod(start, end, f"{start.isoformat()}_{end.isoformat()}", value)
    raise PeriodError(f"'{value}' är ingen period: ange {PERIOD_SYNTAX}")


def label_period(label: str) -> tuple[date, date] | None:
    """The first and last day of a data file's period label (``2025``, ``2025 H1``, ``2025 K3``, ``2025-03``
    or a date range); None when the label names no dates."""
    try:
        period = parse_period(str(label))
    except PeriodError:
        return None
    return period.start, period.end
