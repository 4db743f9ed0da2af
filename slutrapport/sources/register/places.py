"""The ``platser:`` key of ``projekt.yaml``: the places the project planned, for the whole project and per unit.

::

    platser:
      antal: 30                 # ongoing places at any time (each period), the whole project
      perioder:                 # another number for some periods (the period labels of the tables)
        "2025 H1": 20
      enheter:                  # per unit (the register's column enhet), e.g. one kommun each
        Ale: 10
        Kungälv: 15

``antal`` defaults to the sum of ``enheter``. The places are compared with
the participants active at the end of each period (and enrolled in it) in
:mod:`slutrapport.analysis.places`; the period labels are checked there,
against the register's periods.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from slutrapport.core.problems import ValidationReport

__all__ = ["PlacesPlan", "parse_places", "PLACES_KEYS"]

PLACES_KEYS = ("antal", "perioder", "enheter")
_FILE = "projekt.yaml"


@dataclass
class PlacesPlan:
    """Planned places: ``total`` per period unless ``periods`` says otherwise; ``units`` per unit (report order)."""

    total: int | None = None
    periods: dict[str, int] = field(default_factory=dict)
    units: dict[str, int] = field(default_factory=dict)

    def planned(self, period: str) -> int | None:
        """The planned places of ``period`` (its own number, else ``total``)."""
        return self.periods.get(period, self.total)


def _count(value: Any, key: str, report: ValidationReport) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        report.add(_FILE, "projektfil", "ska vara ett heltal, 0 eller större (antal platser)", kolumn=f"platser: {key}", varde=value)
        return None
    return value


def _counts(raw: Any, key: str, report: ValidationReport) -> dict[str, int]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        report.add(_FILE, "projektfil", f"ska vara rader som namn: antal platser under platser: {key}", kolumn=f"platser: {key}")
        return {}
    found = {}
    for name, value in raw.items():
        number = _count(value, f"{key}: {name}", report)
        if number is not None:
            found[" ".join(str(name).split())] = number
    return found


def parse_places(raw: Any, report: ValidationReport) -> PlacesPlan | None:
    """The checked ``platser:`` settings (None when absent); every problem goes to ``report``."""
    if raw is None:
        return None
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = {"antal": raw}
    if not isinstance(raw, dict):
        report.add(_FILE, "projektfil", "'platser' ska ha nycklarna antal:, perioder: och enheter:", kolumn="platser")
        return None
    for key in sorted(set(map(str, raw)) - set(PLACES_KEYS)):
        report.add(_FILE, "projektfil", f"okänd nyckel; möjliga nycklar: {', '.join(PLACES_KEYS)}", kolumn=f"platser: {key}")
    plan = PlacesPlan(periods=_counts(raw.get("perioder"), "perioder", report), units=_counts(raw.get("enheter"), "enheter", report))
    if raw.get("antal") is not None:
        plan.total = _count(raw["antal"], "antal", report)
    elif plan.units:
        plan.total = sum(plan.units.values())
    if plan.total is None and not plan.periods:
        report.add(_FILE, "projektfil", "ange antalet planerade platser, t.ex. platser: {antal: 30}", kolumn="platser: antal")
    return plan
