"""Read and validate the activity log (``aktiviteter.csv`` / ``.xlsx``): one row per activity held.

Configured under ``aktiviteter:`` in ``projekt.yaml`` (``aktiviteter:
aktiviteter.csv`` is short for ``aktiviteter: {fil: aktiviteter.csv}``)::

    aktiviteter:
      fil: aktiviteter.csv
      kolumner:                  # "Rubrik i filen": fält, when the headings differ
        "När": datum
        "Vad": typ

Columns (:data:`ACTIVITY_FIELDS`): ``datum`` and ``typ`` are required;
``antal`` (how many activities the row stands for, a whole number 1 or more,
standard 1) is optional. Other columns (a description, who held it) are never
read; they are named once as information.

Decisions (every problem is a row of the :class:`ValidationReport`, with file,
row, column and value):

- a blank or unreadable date, a date after the report date, a blank type
  and an ``antal`` that is not a whole number 1 or more are **errors**;
- a date before the project's start is a warning (preparation work is
  sometimes logged, but it is usually a typo);
- blank rows are skipped.

The types are compared without regard to case, spaces, ``-``/``_``/``/`` and
å/ä/ö written a/a/o, so ``Informationsträff``, ``informations-träff`` and
``informationstraff`` are one type.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from slutrapport.core.errors import InputFileError, SlutrapportError, ValidationError
from slutrapport.core.problems import INFO, WARNING, ValidationReport
from slutrapport.sources.readers import read_raw
from slutrapport.sources.register.values import ValueProblem, category_key, parse_count, parse_date

__all__ = ["ActivityLog", "ActivityValidationError", "read_activities", "activity_key", "ACTIVITY_FIELDS", "ACTIVITY_COLUMNS"]

#: The fields of the log and the headings each is recognised by (compared folded).
ACTIVITY_FIELDS = {
    "datum": ("datum", "dag", "date"),
    "typ": ("typ", "aktivitet", "aktivitetstyp", "typ av aktivitet", "type"),
    "antal": ("antal", "antal aktiviteter", "count"),
}
_REQUIRED = ("datum", "typ")
#: Columns of :attr:`ActivityLog.table`: the file's row, the date, the type as written, its folded key and the count.
ACTIVITY_COLUMNS = ["rad", "datum", "typ", "typ_nyckel", "antal"]
PROJECT_FILE = "projekt.yaml"
_FOLD = str.maketrans("åäöé", "aaoe")
_SETTINGS = ("fil", "kolumner")


def activity_key(text: object) -> str:
    """The form two activity types are compared in: ``'Informations-träff '`` → ``'informationstraff'``."""
    return category_key(text).translate(_FOLD).replace(" ", "")


class ActivityValidationError(ValidationError):
    """The activity log (or its settings) has errors; ``report`` lists every problem."""

    def __init__(self, report: ValidationReport) -> None:
        self.report = report
        SlutrapportError.__init__(
            self, f"Aktivitetsloggen innehåller {len(report.errors())} fel som måste rättas innan målen kan räknas.\n\n" + report.to_text()
        )


@dataclass
class ActivityLog:
    """A validated activity log: :data:`ACTIVITY_COLUMNS`, one row per row of the file."""

    table: pd.DataFrame
    report: ValidationReport  # warnings and information only (errors raise)
    file: str

    def types(self) -> dict[str, str]:
        """Each type's key → its first spelling in the file."""
        found: dict[str, str] = {}
        for key, kind in zip(self.table["typ_nyckel"], self.table["typ"], strict=True):
            found.setdefault(key, kind)
        return found

    def count(self, kind: str, start: date = date.min, end: date = date.max) -> int:
        """How many activities of ``kind`` (a type as written) were held from ``start`` to ``end``, both included."""
        rows = self.table[(self.table["typ_nyckel"] == activity_key(kind)) & (self.table["datum"] >= start) & (self.table["datum"] <= end)]
        return int(rows["antal"].sum())


def _settings(spec: Any, root: Path, report: ValidationReport) -> tuple[Path | None, dict[str, str]]:
    spec = {"fil": spec} if isinstance(spec, str) else spec
    if not isinstance(spec, dict) or not spec.get("fil"):
        report.add(PROJECT_FILE, "aktiviteter", "'aktiviteter' ska ange filen, t.ex. aktiviteter: {fil: aktiviteter.csv}", kolumn="aktiviteter")
        return None, {}
    for key in spec:
        if key not in _SETTINGS:
            report.add(PROJECT_FILE, "aktiviteter", f"okänd nyckel; giltiga: {', '.join(_SETTINGS)}", kolumn=f"aktiviteter: {key}")
    columns = spec.get("kolumner") or {}
    if not isinstance(columns, dict) or not all(str(v) in ACTIVITY_FIELDS for v in columns.values()):
        report.add(PROJECT_FILE, "aktiviteter", f"'kolumner' ska ange \"Rubrik i filen\": fält, där fält är {', '.join(ACTIVITY_FIELDS)}",
                   kolumn="aktiviteter: kolumner")  # fmt: skip
        columns = {}
    path = Path(root) / str(spec["fil"])
    if not path.exists():
        report.add(PROJECT_FILE, "aktiviteter", f"filen {spec['fil']} finns inte i projektmappen", kolumn="aktiviteter: fil", varde=spec["fil"])
        return None, {}
    return path, {activity_key(k): str(v) for k, v in columns.items()}


def _match(columns: list[str], mapping: dict[str, str], name: str, report: ValidationReport) -> dict[str, int]:
    found: dict[str, int] = {}
    words = {activity_key(w): f for f, spellings in ACTIVITY_FIELDS.items() for w in spellings}
    unused = []
    for position, heading in enumerate(columns):
        field = mapping.get(activity_key(heading)) or words.get(activity_key(heading))
        if field is None or field in found:
            if str(heading).strip():
                unused.append(str(heading).strip())
            continue
        found[field] = position
    for field in _REQUIRED:
        if field not in found:
            report.add(name, "kolumn saknas", f"aktivitetsloggen saknar kolumnen för {field} (rubriken {ACTIVITY_FIELDS[field][0].capitalize()}); "
                       "ange rubriken under aktiviteter: kolumner: i projekt.yaml om den heter något annat", kolumn=field)  # fmt: skip
    if unused:
        report.add(name, "kolumner som inte läses", f"kolumnerna {', '.join(unused)} används inte", allvar=INFO)
    return found


def read_activities(spec: Any, root: Path, report_date: date | None = None, start: date | None = None) -> ActivityLog:
    """Read and validate the log named by the ``aktiviteter:`` settings ``spec`` (paths relative to ``root``).

    ``report_date`` (the project's end or the register's report date) and
    ``start`` (the project's start) bound the dates. Raises
    :class:`ActivityValidationError` with every problem when there is an error.
    """
    report = ValidationReport()
    path, mapping = _settings(spec, root, report)
    if path is None or not report.valid:
        raise ActivityValidationError(report)
    try:
        raw = read_raw(path, format="plain")
    except InputFileError as exc:
        report.add(path.name, "filen kan inte läsas", str(exc))
        raise ActivityValidationError(report) from exc
    report.problems.extend(raw.problems)
    columns = _match(raw.columns, mapping, raw.name, report)
    if not report.valid:
        raise ActivityValidationError(report)
    records = []
    for position in range(len(raw.data)):
        cells = {f: str(raw.data.iat[position, p]) for f, p in columns.items()}
        if not any(v.strip() for v in cells.values()):
            continue
        record = _row(cells, raw.row_number(position), raw.columns, columns, raw.name, report_date, start, report)
        if record is not None:
            records.append(record)
    if not report.valid:
        raise ActivityValidationError(report)
    table = pd.DataFrame.from_records(records, columns=ACTIVITY_COLUMNS)
    table["antal"] = table["antal"].astype("int64")
    return ActivityLog(table=table, report=report, file=raw.name)


def _row(cells: dict[str, str], row: int, headings: list[str], columns: dict[str, int], name: str,
         report_date: date | None, start: date | None, report: ValidationReport) -> dict[str, Any] | None:  # fmt: skip
    def problem(field: str, message: str, severity: str = "fel") -> None:
        report.add(name, "ogiltigt värde", message, rad=row, kolumn=headings[columns[field]], varde=cells[field].strip(), allvar=severity)

    errors = len(report.errors())
    day = None
    try:
        day, _ = parse_date(cells["datum"])
        if day is None:
            problem("datum", "datumet saknas")
    except ValueProblem as exc:
        problem("datum", str(exc))
    if day is not None and report_date is not None and day > report_date:
        problem("datum", f"datumet är efter rapportdatumet {report_date.isoformat()}")
    if day is not None and start is not None and day < start:
        problem("datum", f"datumet är före projektets start {start.isoformat()}", WARNING)
    kind = " ".join(cells["typ"].split())
    if not kind:
        problem("typ", "typen av aktivitet saknas")
    count = 1
    if "antal" in cells:
        try:
            found = parse_count(cells["antal"], "antal", low=1)
            count = 1 if found is None else found
        except ValueProblem as exc:
            problem("antal", str(exc))
    if len(report.errors()) > errors:
        return None
    return {"rad": row, "datum": day, "typ": kind, "typ_nyckel": activity_key(kind), "antal": count}
