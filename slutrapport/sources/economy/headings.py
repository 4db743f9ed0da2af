"""What a heading of a budget file (or a key of a YAML row) means: its role, period and unit.

A heading is a role by name (Kategori, Kostnadsslag, Post …; Period, År,
Halvår …; Budget, Budget enligt ansökan …; Utfall, Faktisk kostnad …), or
``Budget``/``Utfall`` with a period (``Budget 2025``, ``2026 Utfall``: the wide
layout). A unit in the heading (``Budget 2025 (tkr)``) multiplies the column's
amounts; ``kolumner:`` in ``projekt.yaml`` names other headings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from slutrapport.core.text import normalise
from slutrapport.sources.economy.money import UNITS
from slutrapport.sources.economy.records import as_period, text_of
from slutrapport.sources.readers.tabular import clean_heading

__all__ = ["ROLES", "Column", "classify", "heading_unit", "role_names"]

#: The roles of a budget column (and the keys of a YAML row).
ROLES = ("kategori", "period", "budget", "utfall")
_ROLE_NAMES = {
    "kategori": ("kategori", "kategorier", "kostnadsslag", "kostnadskategori", "kostnadspost", "budgetpost", "post", "kostnadstyp", "typ av kostnad"),
    "period": ("period", "perioder", "år", "halvår", "budgetår", "tidsperiod", "kvartal"),
    "budget": ("budget", "budget enligt ansökan", "budgeterat", "budgeterad", "beviljad budget", "ansökt", "ansökt belopp"),
    "utfall": ("utfall", "faktiskt utfall", "verkligt utfall", "redovisat utfall", "faktisk kostnad", "verklig kostnad", "förbrukat"),
}  # fmt: skip
_KEYWORDS = {
    "budget": r"budget(?:\s+enligt\s+ansökan)?|budgeterat|beviljad\s+budget",
    "utfall": r"faktiskt\s+utfall|verkligt\s+utfall|utfall|faktisk\s+kostnad",
}
_HEADING_UNIT = re.compile(r"\(?\s*\b(?:i\s+)?(tkr|mkr|tusen kronor|miljoner kronor|kronor|kr|sek)\b\.?\s*\)?", re.IGNORECASE)
_FILLER = " :;,–-()[]"


@dataclass
class Column:
    """A recognised column of a budget file."""

    index: int
    heading: str
    role: str  # kategori, period, budget, utfall
    period: str | None = None  # wide layout: the period label, or TOTAL for a total column
    unit: float = 1.0


def heading_unit(heading: str) -> tuple[str, float]:
    """The heading without its unit marker, and the unit ("tkr" → 1000)."""
    match = _HEADING_UNIT.search(heading)
    if match is None:
        return heading, 1.0
    rest = (heading[: match.start()] + " " + heading[match.end() :]).strip()
    return " ".join(rest.split()).strip(_FILLER), UNITS[match[1].lower()]


def classify(raw: Any, index: int, names: dict[str, str]) -> Column | None:
    """The column a heading names (``names`` from :func:`role_names`), or None for an unknown heading."""
    heading = clean_heading(text_of(raw))
    if not heading:
        return None
    text, unit = heading_unit(heading)
    role = names.get(normalise(text))
    if role:
        return Column(index, heading, role, None, unit)
    for role, keyword in _KEYWORDS.items():
        match = re.match(rf"^(?:{keyword})\b[\s:,–-]*(.+)$", text, re.IGNORECASE) or re.match(
            rf"^(.+?)[\s:,–-]*\b(?:{keyword})$", text, re.IGNORECASE
        )
        if match:
            return Column(index, heading, role, as_period(match[1].strip(_FILLER)), unit)
    return None


def role_names(columns: dict[str, str] | None) -> dict[str, str]:
    """Normalised heading → role: the known names, and ``columns`` (role → heading) from ``kolumner:``."""
    names = {normalise(n): role for role, alternatives in _ROLE_NAMES.items() for n in alternatives}
    for role, heading in (columns or {}).items():
        names[normalise(heading_unit(clean_heading(heading))[0])] = role
    return names
