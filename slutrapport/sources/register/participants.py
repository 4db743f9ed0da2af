"""Read and validate the participant register (``deltagare.csv`` / ``.xlsx``): one row per participant.

The register holds a pseudonymous id only, never names or personnummer. It is
configured under ``deltagare:`` in ``projekt.yaml``::

    deltagare:
      fil: deltagare.csv               # CSV (any separator, UTF-8 or Windows-1252) or .xlsx
      period: halvar                   # halvar (standard), kvartal, ar or manad
      rapportdatum: 2026-06-30         # standard: projektets slutdatum, annars sista datumet i registret
      kolumner:                        # "Rubrik i filen": fält, when the headings differ
        "Huvudsaklig försörjning före": forsorjning
      kategorier:
        status:                        # the project's own statuses → national group (replaces the standard list)
          arbete: förvärvsarbete
          studier: studier
        forsorjning:                   # income sources → national income group
          försörjningsstöd: ekonomiskt bistånd
        alias:                         # other spellings → a category above
          jobb: arbete
      aldersgrupper: [25, 35, 50]      # lower limits of the age bands after the first

Fields (:data:`FIELDS`): ``id``, ``kon``, ``inskrivningsdatum``,
``avslutsdatum``, ``status``, ``forsorjning`` (required) and ``alder`` /
``aldersgrupp``, ``moten``, ``samtycke`` (optional). The settings are checked
by :mod:`.register_settings`, the cells read by :mod:`.register_values`.

Decisions (every problem is a row in the :class:`ValidationReport`):

- a participant still active has neither avslutsdatum nor status; a status
  without avslutsdatum, or an avslutsdatum without status, is an **error**
  (the outcome tables would be wrong either way, and the fix is one cell);
- avslut before inskrivning, a date after the report date, a duplicate id
  (compared without regard to case and spaces), an unknown category, kön or
  date and an id that looks like a personnummer are errors;
- dates before the project's start and dropped times of day are warnings;
- a participant who has not consented to registration (``samtycke: nej``,
  SUS "anonyma") may have a blank id and is counted like everyone else;
- blank rows are skipped; columns that match no field are warnings and are
  never read, and a row with values only in such columns is a warning (it is
  not a participant);
- the reader's problems (a row with more or fewer fields than the header, a
  quote never closed) are in the report too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from slutrapport.core.errors import InputFileError, SlutrapportError, ValidationError
from slutrapport.core.problems import WARNING, ValidationReport
from slutrapport.sources.readers import read_raw
from slutrapport.sources.readers.raw import RawTable
from slutrapport.sources.register.settings import (
    DEFAULT_AGE_BOUNDS,
    DEFAULT_INCOME,
    DEFAULT_STATUS,
    FIELDS,
    NATIONAL_INCOME,
    NATIONAL_STATUS,
    PERIODS,
    UNUSED_FIELD,
    Settings,
    field_for,
    parse_settings,
    project_dates,
    register_categories,
)
from slutrapport.sources.register.values import CategoryMatcher, ValueProblem, category_key, looks_like_personal_number, parse_count, parse_date, parse_gender

__all__ = [
    "Register",
    "RegisterValidationError",
    "read_register",
    "register_categories",
    "project_dates",
    "FIELDS",
    "REQUIRED_FIELDS",
    "REGISTER_COLUMNS",
    "NATIONAL_STATUS",
    "NATIONAL_INCOME",
    "DEFAULT_STATUS",
    "DEFAULT_INCOME",
    "PERIODS",
]

#: The fields every register must have a column for.
REQUIRED_FIELDS = ("id", "kon", "inskrivningsdatum", "avslutsdatum", "status", "forsorjning")
_REQUIRED = REQUIRED_FIELDS
#: Columns of :attr:`Register.table` (``id`` never leaves the reader's checks and the analysis).
REGISTER_COLUMNS = ["rad", "id", "kon", "alder", "aldersgrupp", "inskrivning", "avslut", "forsorjning", "status", "moten", "anonym"]
_YES = {"ja", "j", "yes", "1", "x", "sant", "true"}
_NO = {"nej", "n", "no", "0", "falskt", "false"}


class RegisterValidationError(ValidationError):
    """The register (or its settings in ``projekt.yaml``) has errors; ``report`` lists every problem."""

    def __init__(self, report: ValidationReport) -> None:
        self.report = report
        SlutrapportError.__init__(
            self,
            f"Deltagarregistret innehåller {len(report.errors())} fel som måste rättas innan tabellerna kan beräknas.\n\n"
            + report.to_text(),
        )


@dataclass
class Register:
    """A validated participant register and the settings it was read with."""

    table: pd.DataFrame
    report: ValidationReport  # warnings only (errors raise)
    file: str
    status_groups: dict[str, str]  # the project's statuses, in report order → national group
    income_groups: dict[str, str]  # income sources → national income group
    aliases: dict[str, str]  # every accepted other spelling → category
    report_date: date  # rapportdatum, the project's end or the register's last date
    period: str = "halvar"
    start_date: date | None = None  # the project's start, when known
    age_bounds: tuple[int, ...] = DEFAULT_AGE_BOUNDS
    has_meetings: bool = False
    has_age: bool = False


# --------------------------------------------------------------------------- columns and rows


def _match_columns(raw: RawTable, settings: Settings, report: ValidationReport) -> dict[str, int]:
    found: dict[str, int] = {}
    for pos, heading in enumerate(raw.columns):
        name = settings.column_map.get(category_key(heading)) or field_for(heading)
        if name == UNUSED_FIELD:  # the project says the column is no field (deltagare: kolumner: "X": används inte)
            continue
        if name is None:
            if heading or (raw.data[pos].str.strip() != "").any():
                report.add(raw.name, "okänd kolumn", "kolumnen matchar inget fält i deltagarregistret och används inte",
                           rad=raw.header_row, kolumn=heading or f"(kolumn {pos + 1} utan rubrik)", allvar=WARNING)  # fmt: skip
            continue
        if name in found:
            report.add(raw.name, "dubblerad kolumn", f"kolumnen är också fältet {FIELDS[name][0]}, som redan är kolumn "
                       f"{found[name] + 1} ('{raw.columns[found[name]]}')", rad=raw.header_row, kolumn=heading)  # fmt: skip
            continue
        found[name] = pos
    for name in _REQUIRED:
        if name not in found:
            report.add(raw.name, "saknad kolumn", f"kolumnen för {FIELDS[name][0]} saknas; ange den under deltagare: kolumner: "
                       f"i projekt.yaml om den heter något annat (rubriker i filen: {'; '.join(h for h in raw.columns if h)})",
                       rad=raw.header_row)  # fmt: skip
    return found


def _cell(raw: RawTable, columns: dict[str, int], name: str, position: int) -> str:
    return str(raw.data.iat[position, columns[name]]).strip() if name in columns else ""


class _RowReader:
    """Reads the data rows into records, adding a problem for every bad cell."""

    def __init__(self, raw: RawTable, columns: dict[str, int], settings: Settings, report: ValidationReport) -> None:
        self.raw, self.columns, self.settings, self.report = raw, columns, settings, report
        self.status = CategoryMatcher(list(settings.status_groups), settings.aliases)
        self.income = CategoryMatcher(list(settings.income_groups), settings.aliases)

    def problem(self, row: int, name: str, check: str, message: str, value: object, severity: str = "fel") -> None:
        heading = self.raw.columns[self.columns[name]] if name in self.columns else FIELDS[name][0]
        self.report.add(self.raw.name, check, message, rad=row, kolumn=heading, varde=value, allvar=severity)

    def read(self, position: int) -> dict[str, Any] | None:
        values = {name: _cell(self.raw, self.columns, name, position) for name in FIELDS}
        if not any(values.values()):
            return None  # a blank row
        row = self.raw.row_number(position)
        record: dict[str, Any] = {"rad": row}
        record["anonym"] = self._consent(row, values["samtycke"]) is False
        record["id"] = self._id(row, values["id"], record["anonym"])
        record["kon"] = self._parse(row, "kon", "okänt kön", parse_gender, values["kon"])
        record["inskrivning"] = self._date(row, "inskrivningsdatum", values["inskrivningsdatum"], required=True)
        record["avslut"] = self._date(row, "avslutsdatum", values["avslutsdatum"], required=False)
        record["forsorjning"] = self._category(row, "forsorjning", values["forsorjning"], self.income, "försörjning", required=True)
        record["status"] = self._category(row, "status", values["status"], self.status, "status", required=False)
        record["alder"] = self._parse(row, "alder", "ogiltig ålder", lambda t: parse_count(t, "Åldern", 10, 100), values["alder"])
        record["aldersgrupp"] = " ".join(values["aldersgrupp"].split()) or None
        record["moten"] = self._parse(row, "moten", "ogiltigt tal", lambda t: parse_count(t, "Antal möten", 0, 10000), values["moten"])
        return record

    def _parse(self, row: int, name: str, check: str, parser, text: str):
        try:
            return parser(text)
        except ValueProblem as exc:
            self.problem(row, name, check, str(exc), text)
            return None

    def _consent(self, row: int, text: str) -> bool | None:
        key = category_key(text)
        if not key:
            return None
        if key in _YES or key in _NO:
            return key in _YES
        self.problem(row, "samtycke", "ogiltigt värde", "samtycke ska vara ja eller nej", text)
        return None

    def _id(self, row: int, text: str, anonymous: bool) -> str | None:
        if not text:
            if not anonymous:
                self.problem(row, "id", "saknat värde", "deltagar-id saknas (bara deltagare med samtycke nej får sakna id)", None)
            return None
        if looks_like_personal_number(text):
            self.problem(row, "id", "personnummer", "id:t ser ut som ett personnummer; registret får bara ha pseudonyma id "
                         "(t.ex. löpnummer)", "ÅÅMMDD-NNNN (dolt)")  # fmt: skip
            return None
        return text

    def _date(self, row: int, name: str, text: str, required: bool) -> date | None:
        try:
            value, had_time = parse_date(text)
        except ValueProblem as exc:
            self.problem(row, name, "ogiltigt datum", str(exc), text)
            return None
        if value is None and required:
            self.problem(row, name, "saknat värde", f"{FIELDS[name][0]} saknas", None)
        if had_time:
            self.problem(row, name, "klockslag", "klockslaget i datumet räknas inte; bara dagen används", text, WARNING)
        return value

    def _category(self, row: int, name: str, text: str, matcher: CategoryMatcher, what: str, required: bool) -> str | None:
        if not text:
            if required:
                self.problem(row, name, "saknat värde", f"{FIELDS[name][0]} saknas", None)
            return None
        found = matcher.match(text)
        if found is None:
            self.problem(row, name, "okänd kategori", matcher.explain(text, what), text)
        return found


# --------------------------------------------------------------------------- checks across rows


def _given(value: Any) -> bool:
    """False for a missing value (None, or NaN/NA in a pandas column)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return False
    return not (isinstance(value, float) and math.isnan(value))


def _check_rows(table: pd.DataFrame, name: str, headings: dict[str, str], report_date: date, start: date | None,
                report: ValidationReport) -> None:  # fmt: skip
    first_row: dict[str, int] = {}
    for record in table.itertuples(index=False):
        row = record.rad
        if _given(record.id):
            key = category_key(record.id)
            if key in first_row:
                report.add(name, "dubblerat id", f"id:t finns redan på rad {first_row[key]}; varje deltagare ska ha en rad",
                           rad=row, kolumn=headings["id"], varde=record.id)  # fmt: skip
            else:
                first_row[key] = row
        enrolled = record.inskrivning if _given(record.inskrivning) else None
        ended = record.avslut if _given(record.avslut) else None
        if enrolled is not None and ended is not None and ended < enrolled:
            report.add(name, "datumordning", f"avslutsdatum {ended.isoformat()} är före inskrivningsdatum {enrolled.isoformat()}",
                       rad=row, kolumn=headings["avslutsdatum"], varde=ended.isoformat())  # fmt: skip
        if ended is not None and not record.status_text:
            report.add(name, "status saknas", "deltagaren har avslutsdatum men ingen status vid avslut; ange status, "
                       "eller ta bort avslutsdatum om deltagaren fortfarande är aktiv", rad=row, kolumn=headings["status"])  # fmt: skip
        if not record.avslut_text and record.status_text:
            report.add(name, "avslutsdatum saknas", "deltagaren har status vid avslut men inget avslutsdatum; ange datumet, "
                       "eller ta bort statusen om deltagaren fortfarande är aktiv", rad=row, kolumn=headings["avslutsdatum"],
                       varde=record.status_text)  # fmt: skip
        for field_name, value in (("inskrivningsdatum", enrolled), ("avslutsdatum", ended)):
            if value is not None and value > report_date:
                report.add(name, "efter rapportdatum", f"datumet är efter rapportdatumet {report_date.isoformat()}; rätta datumet "
                           "eller ange ett senare deltagare: rapportdatum: i projekt.yaml", rad=row, kolumn=headings[field_name],
                           varde=value.isoformat())  # fmt: skip
        if start is not None and enrolled is not None and enrolled < start:
            report.add(name, "före projektstart", f"inskrivningsdatum är före projektets start {start.isoformat()}",
                       rad=row, kolumn=headings["inskrivningsdatum"], varde=enrolled.isoformat(), allvar=WARNING)  # fmt: skip


def _missing_meetings(table: pd.DataFrame, name: str, heading: str, report: ValidationReport) -> None:
    finished = table[table["avslut"].map(_given).astype(bool)]
    blank = finished[~finished["moten"].map(_given).astype(bool)]["rad"].tolist()
    if blank:
        shown = ", ".join(map(str, blank[:10])) + (" …" if len(blank) > 10 else "")
        report.add(name, "saknat värde", f"antal möten saknas för {len(blank)} avslutade deltagare (rad {shown}); "
                   "medelvärdet räknas på dem som har ett värde", kolumn=heading, allvar=WARNING)  # fmt: skip


# --------------------------------------------------------------------------- entry point


def read_register(
    spec: Any, root: Path, project_period: tuple[date | None, date | None] = (None, None)
) -> Register:
    """Read and validate the register named by the ``deltagare:`` settings ``spec``.

    ``root`` is the project folder (paths are relative to it);
    ``project_period`` is the project's (start, end) from ``projekt.yaml``.
    The report date is ``rapportdatum``, else the project's end, else the
    latest date in the register. Raises :class:`RegisterValidationError` with
    every problem when there is an error; warnings are in
    :attr:`Register.report`.
    """
    report = ValidationReport()
    settings = parse_settings(spec, Path(root), report)
    if not report.valid or settings.file is None:
        raise RegisterValidationError(report)
    try:
        raw = read_raw(settings.file, format="plain")
    except InputFileError as exc:
        report.add(settings.file.name, "filen kan inte läsas", str(exc))
        raise RegisterValidationError(report) from exc
    report.problems.extend(raw.problems)
    columns = _match_columns(raw, settings, report)
    if not report.valid:
        raise RegisterValidationError(report)
    reader = _RowReader(raw, columns, settings, report)
    records = []
    for position in range(len(raw.data)):
        record = reader.read(position)
        if record is None and any(str(v).strip() for v in raw.data.iloc[position]):
            report.add(raw.name, "rad utan uppgifter", "raden har inga värden i registrets kolumner, bara i kolumner som "
                       "inte används; den räknas inte som deltagare", rad=raw.row_number(position), allvar=WARNING)  # fmt: skip
        if record is not None:
            record["status_text"] = _cell(raw, columns, "status", position)
            record["avslut_text"] = _cell(raw, columns, "avslutsdatum", position)
            records.append(record)
    if not records:
        report.add(raw.name, "tomt register", "deltagarregistret har inga deltagare (bara rubrikrader eller tomma rader)")
        raise RegisterValidationError(report)
    frame = pd.DataFrame.from_records(records)
    start, end = project_period
    dates = [d for d in [*frame["inskrivning"], *frame["avslut"]] if isinstance(d, date)]
    report_date = settings.report_date or end or max(dates, default=date.today())
    headings = {name: raw.columns[pos] for name, pos in columns.items()}
    _check_rows(frame, raw.name, headings, report_date, start, report)
    if "moten" in columns:
        _missing_meetings(frame, raw.name, headings["moten"], report)
    if not report.valid:
        raise RegisterValidationError(report)
    table = frame[REGISTER_COLUMNS].copy()
    for column in ("inskrivning", "avslut"):
        table[column] = pd.to_datetime(table[column])
    for column in ("alder", "moten"):
        table[column] = table[column].astype("Int64")
    return Register(
        table=table.reset_index(drop=True),
        report=report,
        file=raw.name,
        status_groups=settings.status_groups,
        income_groups=settings.income_groups,
        aliases=settings.aliases,
        period=settings.period,
        report_date=report_date,
        start_date=start,
        age_bounds=settings.age_bounds,
        has_meetings="moten" in columns,
        has_age="alder" in columns or "aldersgrupp" in columns,
    )
