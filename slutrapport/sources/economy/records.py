"""A budget as rows of kategori × period, and the checks every layout shares.

Each reader (:mod:`~slutrapport.sources.economy.table` for CSV/XLSX,
:mod:`~slutrapport.sources.economy.yaml_rows` for YAML) turns its rows into
:class:`Record` through a :class:`Collector`, which knows the kategorier and
reports every problem; :func:`assemble` then checks the records together
(periods, duplicates, missing rows, the file's own totals) into a
:class:`Budget` or raises :class:`EconomyValidationError`.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from slutrapport.core.problems import WARNING, ValidationReport
from slutrapport.core.swedish import format_money
from slutrapport.core.text import normalise
from slutrapport.sources.economy.money import MoneyError, parse_money
from slutrapport.sources.economy.problems import EconomyValidationError
from slutrapport.sources.readers.tabular import cell_text, clean_heading

__all__ = [
    "BUDGET_COLUMNS",
    "DEFAULT_CATEGORIES",
    "TOTAL",
    "TOLERANCE",
    "TOTAL_WORDS",
    "Budget",
    "Record",
    "Collector",
    "assemble",
    "as_period",
    "is_blank",
    "text_of",
]

#: Columns of :attr:`Budget.table`.
BUDGET_COLUMNS = ["kategori", "period", "budget", "utfall"]
#: The rows of RAR's "Ekonomisk redovisning" (the default list of kategorier).
DEFAULT_CATEGORIES = ("Personal", "Lokal", "Övrigt")
TOTAL = "Totalt"
#: Kronor a total row or column of the file may differ from the computed sum (rounding to whole kronor).
TOLERANCE = 1.0
#: Kategorier and periods (normalised) that mark a total row or column, not data.
TOTAL_WORDS = frozenset(
    {"totalt", "total", "summa", "totalsumma", "summa totalt", "totalt kostnader", "summa kostnader",
     "totala kostnader", "total kostnad", "hela perioden", "hela projektet", "hela projektperioden", "samtliga"}
)  # fmt: skip
#: Other spellings of the default kategorier (used only for kategorier in the project's list).
_CATEGORY_ALIASES = {
    "lokaler": "Lokal", "hyra": "Lokal", "lokalhyra": "Lokal",
    "lön": "Personal", "löner": "Personal", "lönekostnader": "Personal",
    "övriga": "Övrigt", "övrig": "Övrigt", "övriga kostnader": "Övrigt", "ovrigt": "Övrigt",
}  # fmt: skip


@dataclass
class Budget:
    """A validated budget: one row per kategori × period (kategori-major, file order), amounts in kronor."""

    table: pd.DataFrame  # BUDGET_COLUMNS; budget and utfall floats ≥ 0
    categories: list[str]
    periods: list[str]  # [TOTAL] when the file has no periods
    source: str  # the file name (or projekt.yaml for inline rows)
    report: ValidationReport  # warnings

    @property
    def single_period(self) -> bool:
        return self.periods == [TOTAL]


@dataclass
class Record:
    """One amount pair as read, before the records are checked together."""

    category: str  # a kategori, or TOTAL for a total row
    period: str | None  # None: no period (single-period file), TOTAL: a total row/column
    budget: float | None
    outcome: float | None
    row: int | None
    columns: tuple[str, str]  # where budget and utfall came from (for messages)


def text_of(value: Any) -> str:
    """A cell or YAML value as text (empty for None)."""
    if value is None:
        return ""
    return value if isinstance(value, str) else cell_text(value)


def is_blank(value: Any) -> bool:
    """True for an empty cell: None, NaN or only whitespace."""
    return value is None or (isinstance(value, float) and math.isnan(value)) or (isinstance(value, str) and not value.strip())


def as_period(label: str) -> str:
    """A period label, :data:`TOTAL` for a word that means the whole (``Summa``, ``Hela perioden`` …)."""
    return TOTAL if normalise(label) in TOTAL_WORDS else label


class Collector:
    """Turns raw rows into records, adding every problem to the report."""

    def __init__(self, source: str, categories: Sequence[str]) -> None:
        self.source = source
        self.report = ValidationReport()
        self.records: list[Record] = []
        self.keys: dict[str, str] = {}
        for name in categories:
            key = normalise(name)
            for variant in (key, key + "kostnader", key + "kostnad", key + " kostnader"):
                self.keys.setdefault(variant, name)
        for alias, name in _CATEGORY_ALIASES.items():
            if name in categories:
                self.keys.setdefault(alias, name)
        self.categories = list(categories)

    def error(self, check: str, message: str, row: int | None = None, column: str | None = None, value: Any = None) -> None:
        self.report.add(self.source, check, message, rad=row, kolumn=column, varde=value)

    def warn(self, check: str, message: str, row: int | None = None, column: str | None = None, value: Any = None) -> None:
        self.report.add(self.source, check, message, rad=row, kolumn=column, varde=value, allvar=WARNING)

    def category(self, raw: Any, row: int, column: str, has_amounts: bool) -> str | None:
        """The kategori of a row, TOTAL for a total row, or None (problem reported, row left out)."""
        text = clean_heading(text_of(raw))
        key = normalise(text)
        if key in TOTAL_WORDS:
            return TOTAL
        if key in self.keys:
            return self.keys[key]
        if not has_amounts:
            if text:
                self.warn("rad_utan_belopp", "raden har ingen känd kategori och inga belopp och används inte", row, column, text)
            return None
        if not text:
            self.error("kategori_saknas", "kategori saknas på en rad med belopp", row, column)
            return None
        close = difflib.get_close_matches(key, list(self.keys), n=1, cutoff=0.6)
        hint = f" Menade du '{self.keys[close[0]]}'?" if close else ""
        self.error(
            "okand_kategori",
            f"okänd kategori; tillåtna kategorier är {', '.join(self.categories)} (ändra listan med "
            f"ekonomi: kategorier: i projekt.yaml).{hint}",
            row,
            column,
            text,
        )
        return None

    def money(self, raw: Any, row: int | None, column: str, unit: float) -> float | None:
        try:
            value = parse_money(raw, unit)
        except MoneyError as exc:
            self.error("belopp", str(exc), row, column, text_of(raw) or None)
            return None
        if value < 0:
            self.error("negativt_belopp", "negativt belopp; budget och utfall ska vara 0 eller mer", row, column, text_of(raw))
            return None
        return value


def assemble(collector: Collector) -> Budget:
    """The collected records checked together into a :class:`Budget`; raises :class:`EconomyValidationError`."""
    data = [r for r in collector.records if r.category != TOTAL and r.period != TOTAL]
    checks = [r for r in collector.records if r.category == TOTAL or r.period == TOTAL]
    if any(r.period is not None for r in data):
        for record in [r for r in data if r.period is None]:
            collector.error("period_saknas", "period saknas (andra rader har en period)", record.row)
        data = [r for r in data if r.period is not None]
    categories = list(dict.fromkeys(r.category for r in data))
    period_keys = {normalise(r.period): r.period for r in reversed(data) if r.period is not None}
    periods = list(dict.fromkeys(period_keys[normalise(r.period)] for r in data if r.period is not None)) or [TOTAL]
    values: dict[tuple[str, str], tuple[float | None, float | None]] = {}
    seen: dict[tuple[str, str], int | None] = {}
    for record in data:
        key = (record.category, period_keys[normalise(record.period)] if record.period is not None else TOTAL)
        if key in seen:
            first = f" (första gången på rad {seen[key]})" if seen[key] is not None else ""
            label = key[0] if key[1] == TOTAL else f"{key[0]} {key[1]}"
            collector.error("dubblett", f"{label} förekommer mer än en gång{first}", record.row, None, label)
            continue
        seen[key] = record.row
        values[key] = (record.budget, record.outcome)
    if not data and collector.report.valid:
        collector.error("rader", "filen innehåller inga rader med kategori och belopp")
    for name in collector.categories:
        if name not in categories and data:
            collector.warn("saknad_kategori", f"kategorin {name} finns inte i filen och visas inte i rapporten", None, None, name)
    rows = []
    for category in categories:
        for period in periods:
            if (category, period) not in values:
                collector.warn("saknad_rad", f"ingen rad för {category} under perioden {period}; räknas som 0 kr", None, None, f"{category} {period}")
                values[(category, period)] = (0.0, 0.0)
            rows.append((category, period, *values[(category, period)]))
    if collector.report.valid:
        _check_totals(collector, checks, values, categories, periods)
    if not collector.report.valid:
        raise EconomyValidationError(collector.report, f"Ekonomifilen {collector.source}")
    table = pd.DataFrame(rows, columns=BUDGET_COLUMNS)
    table[["budget", "utfall"]] = table[["budget", "utfall"]].astype(float)
    return Budget(table, categories, periods, collector.source, collector.report)


def _check_totals(collector: Collector, checks: list[Record], values: dict, categories: list[str], periods: list[str]) -> None:
    def total(category: str, period: str, field: int) -> float:
        cats = categories if category == TOTAL else [category]
        pers = periods if period in (TOTAL, None) else [period]
        return sum(values[(c, p)][field] or 0.0 for c in cats for p in pers if (c, p) in values)

    confirmed: dict[str, int | None] = {}
    for check in checks:
        period = check.period if check.period is not None else TOTAL
        if check.category != TOTAL and check.category not in categories:
            continue
        if period != TOTAL and period not in periods:
            collector.error("summa", f"summan gäller perioden {period}, som inte finns bland raderna", check.row, check.columns[0])
            continue
        for field, written, column in ((0, check.budget, check.columns[0]), (1, check.outcome, check.columns[1])):
            if written is None:
                continue
            computed = total(check.category, period, field)
            if abs(written - computed) > TOLERANCE:
                of = "kategorierna" if check.category == TOTAL else "perioderna"
                collector.error(
                    "summa",
                    f"summan i filen ({format_money(written)}) stämmer inte med summan av {of} ({format_money(computed)})",
                    check.row,
                    column,
                    format_money(written),
                )
            else:
                label = f"raden {TOTAL}" if check.category == TOTAL else f"kolumnen {column}"
                confirmed.setdefault(label, check.row)
    for label, row in confirmed.items():
        collector.warn(
            "summa",
            f"{label} används bara som kontroll (den stämmer med summan); rapporten räknar fram summorna själv",
            row,
        )
