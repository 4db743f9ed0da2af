"""Planned places (``platser:``) against the participants enrolled in and active at the end of each period.

``places`` (:data:`PLACES_COLUMNS`): one row per period and ``enhet``
(``Alla`` first: the whole project, from the flow table's ``Alla`` cells;
then each unit of ``platser: enheter:`` and every other unit the register's
column ``enhet`` names, and :data:`UNKNOWN_UNIT` for participants without
one). ``platser`` is the planned number (a unit's own number, the same in
every period), ``inskrivna`` the participants enrolled in the period,
``aktiva`` those active at its end (at the report date for the last period),
``belaggning`` = aktiva / platser (empty when either is missing or hidden).

The units' counts are a breakdown like kön and period: they join the
participant tables' :class:`~.table_suppression.CellSystem` with the
relation that the units sum to the project's count of the period, so a small
unit is hidden with whatever would reveal it.
"""

from __future__ import annotations

import re

import pandas as pd

from slutrapport.sources.register.places import PlacesPlan
from slutrapport.sources.register.values import ALL

__all__ = ["PLACES_COLUMNS", "UNKNOWN_UNIT", "add_unit_cells", "places_table", "check_periods"]

PLACES_COLUMNS = ["period", "enhet", "platser", "inskrivna", "aktiva", "belaggning", "undertryckt"]
UNKNOWN_UNIT = "enhet saknas"
_COUNTS = ("inskrivna", "aktiva")


_LABELS = {
    "halvar": re.compile(r"^\d{4} H[12]$"), "kvartal": re.compile(r"^\d{4} K[1-4]$"), "ar": re.compile(r"^\d{4}$"),
    "manad": re.compile(r"^\d{4}-(0[1-9]|1[0-2])$"),
}  # fmt: skip


def check_periods(plan: PlacesPlan, labels: list[str], kind: str = "halvar") -> list[str]:
    """The ``platser: perioder:`` labels that are no period of the tables.

    A label of the right form after the last period is not an error: a delrapport ends before the
    project does, and the places of its later periods are simply not compared yet.
    """
    return [label for label in plan.periods if label not in labels and not (_LABELS[kind].match(label) and label > labels[-1])]


def _units(cells, plan: PlacesPlan) -> list[str]:
    if not cells.register.has_unit:
        return []
    written = cells.register.table["enhet"]
    found = [u for u in dict.fromkeys(written.dropna()) if u not in plan.units]
    return [*plan.units, *sorted(found)] + ([UNKNOWN_UNIT] if written.isna().any() else [])


def add_unit_cells(cells, labels: list[str], plan: PlacesPlan) -> list[str]:
    """Add every unit's enrolled and active participants per period to ``cells``; the units in report order."""
    units = _units(cells, plan)
    if not units:
        return []
    register, system = cells.register, cells.system
    table = register.table
    unit = table["enhet"].fillna(UNKNOWN_UNIT)
    spans = {label: (start, end) for label, start, end in cells.spans}
    for label in labels:
        start, end = spans[label]
        moment = pd.Timestamp(min(end, register.report_date))
        enrolled = (table["inskrivning"] >= pd.Timestamp(start)) & (table["inskrivning"] <= pd.Timestamp(end))
        active = (table["inskrivning"] <= moment) & (table["avslut"].isna() | (table["avslut"] > moment))
        for name in units:
            for column, mask in (("inskrivna", enrolled), ("aktiva", active)):
                cells.add(("enhet", label, name, column), int((mask & (unit == name)).sum()), "enhet", "")
        for column in _COUNTS:
            system.add_sum(("flode", label, ALL, column), [("enhet", label, name, column) for name in units], protect=True)
    return units


def places_table(cells, hidden: dict, labels: list[str], plan: PlacesPlan, units: list[str]) -> pd.DataFrame:
    """The tidy places table (:data:`PLACES_COLUMNS`)."""
    system = cells.system
    rows = []
    for label in labels:
        keys = {ALL: {c: ("flode", label, ALL, c) for c in _COUNTS}}
        keys |= {name: {c: ("enhet", label, name, c) for c in _COUNTS} for name in units}
        for name, cell_keys in keys.items():
            row_hidden = any(k in hidden for k in cell_keys.values())
            numbers = {c: None if row_hidden else system.value(k) for c, k in cell_keys.items()}
            planned = plan.planned(label) if name == ALL else plan.units.get(name)
            share = numbers["aktiva"] / planned if numbers["aktiva"] is not None and planned else None
            rows.append({"period": label, "enhet": name, "platser": planned, **numbers, "belaggning": share, "undertryckt": row_hidden})
    frame = pd.DataFrame(rows, columns=PLACES_COLUMNS)
    for column in ("platser", *_COUNTS):
        frame[column] = frame[column].astype("Int64")
    frame["undertryckt"] = frame["undertryckt"].astype(bool)
    return frame
