"""Read and validate a project's budget against outcome (``ekonomi:`` in ``projekt.yaml``).

Layouts
-------
Both layouts project economists keep are read, from CSV (encoding and
separator sniffed as for survey files), XLSX (the first sheet with data, or
the sheet named by ``blad:``) or YAML:

*Wide*: one row per kategori and a pair of columns per period, as the
funder's table looks::

    Kategori | Budget 2025 | Utfall 2025 | Budget 2026 | Utfall 2026

  The period is what is left of a heading without ``Budget`` (``Budget enligt
  ansökan``, ``Budgeterat``) or ``Utfall`` (``Faktiskt utfall``, ``Faktisk
  kostnad``). The period may instead stand in a row above plain ``Budget`` /
  ``Utfall`` headings (merged cells over each pair).
*Long*: one row per kategori × period::

    Kategori | Period | Budget | Utfall

  The period column is optional. Headings are recognised by name (Kategori,
  Kostnadsslag, Post …; Period, År, Halvår …; Budget, Budget enligt ansökan …;
  Utfall, Faktisk kostnad …); ``kolumner:`` in ``projekt.yaml`` names others.
*YAML*: ``rader:`` with one ``{kategori, period, budget, utfall}`` per row,
  in a file or inline in ``projekt.yaml`` under ``ekonomi: rader:``.

Title rows above the heading row are skipped (it is searched for in the
first rows). A file without periods has one period, ``Totalt``.

Rules
-----
- Money is read by :func:`parse_money`: Excel and YAML numbers as they are;
  text with space, NBSP or narrow NBSP as thousands separator, decimal comma
  (or point), ``kr``/``SEK``/``:-`` and ``tkr``/``mkr`` (× 1 000 / × 1 000 000,
  also from a heading such as ``Budget 2025 (tkr)``). A value that could be
  read two ways (``1.234``, ``12,345``) is an error, never a guess.
- Budget and utfall must be 0 or more; an empty money cell is an error (write 0).
- Kategorier must be in the list of the template (``block_installningar:
  ekonomi: kategorier:``, default Personal, Lokal, Övrigt) or of
  ``ekonomi: kategorier:``; a few spellings (Lokaler, Personalkostnader,
  Övriga kostnader) are accepted. A listed kategori missing from the file is
  a warning.
- Rows named Totalt/Summa and columns ``Budget totalt``/``Utfall totalt`` are
  not data: they are checked against the sums of the rows (an error when they
  differ by more than :data:`TOLERANCE` kronor, a warning that they were only
  used as a check otherwise).
- A kategori × period that appears twice is an error; one that is missing in
  a long file counts as 0 kr with a warning.
- Rows without a kategori and without amounts (notes under the table) and
  unknown columns are left out with a warning.

Every problem is collected in a :class:`~slutrapport.core.problems.ValidationReport`
naming file, row, column and value; :class:`EconomyValidationError` is raised
when there are errors. The file is never modified.
"""

from __future__ import annotations

import difflib
import math
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import yaml

from slutrapport.core.errors import (
    InputFileError,
    ProjectError,
    ValidationError,
    problem_list,
)
from slutrapport.core.problems import WARNING, ValidationReport
from slutrapport.core.swedish import format_money, format_number
from slutrapport.core.text import normalise
from slutrapport.core.yamlfile import parse_yaml
from slutrapport.sources.readers.detect import XLSX, container
from slutrapport.sources.readers.tabular import cell_text, clean_heading, load_csv

if TYPE_CHECKING:  # pragma: no cover
    from slutrapport.project.folder import Project

__all__ = [
    "Budget",
    "BudgetSpec",
    "BUDGET_COLUMNS",
    "DEFAULT_CATEGORIES",
    "TOTAL",
    "TOLERANCE",
    "EconomyValidationError",
    "MoneyError",
    "parse_money",
    "read_budget",
    "budget_spec",
    "read_project_budget",
    "yaml_lines",
]

#: Columns of :attr:`Budget.table`.
BUDGET_COLUMNS = ["kategori", "period", "budget", "utfall"]
#: The rows of RAR's "Ekonomisk redovisning" (the default list of kategorier).
DEFAULT_CATEGORIES = ("Personal", "Lokal", "Övrigt")
TOTAL = "Totalt"
#: Kronor a total row or column of the file may differ from the computed sum (rounding to whole kronor).
TOLERANCE = 1.0
_HEADER_SEARCH_ROWS = 12
_ROLES = ("kategori", "period", "budget", "utfall")
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
_TOTAL_WORDS = frozenset(
    {"totalt", "total", "summa", "totalsumma", "summa totalt", "totalt kostnader", "summa kostnader",
     "totala kostnader", "total kostnad", "hela perioden", "hela projektet", "hela projektperioden", "samtliga"}
)  # fmt: skip
#: Other spellings of the default kategorier (used only for kategorier in the project's list).
_CATEGORY_ALIASES = {
    "lokaler": "Lokal", "hyra": "Lokal", "lokalhyra": "Lokal",
    "lön": "Personal", "löner": "Personal", "lönekostnader": "Personal",
    "övriga": "Övrigt", "övrig": "Övrigt", "övriga kostnader": "Övrigt", "ovrigt": "Övrigt",
}  # fmt: skip
_UNITS = {"kr": 1.0, "kr.": 1.0, "kronor": 1.0, "sek": 1.0, ":-": 1.0, ",-": 1.0, "tkr": 1e3, "mkr": 1e6,
          "tusen kronor": 1e3, "miljoner kronor": 1e6}  # fmt: skip
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " ", "\t": " "})
_AMOUNT = re.compile(
    r"^(?P<sign>[-−–+])?\s*(?:(?:sek|kr)\s*)?(?P<sign2>[-−–])?\s*(?P<number>\d[\d .,]*?)\s*"
    r"(?P<unit>kr\.?|kronor|sek|tkr|mkr|:-|,-)?$",
    re.IGNORECASE,
)
_HEADING_UNIT = re.compile(r"\(?\s*\b(?:i\s+)?(tkr|mkr|tusen kronor|miljoner kronor|kronor|kr|sek)\b\.?\s*\)?", re.IGNORECASE)
_FILLER = " :;,–-()[]"


class EconomyValidationError(ValidationError):
    """A budget or parameter file has errors; the message names that file (not survey files)."""

    def __init__(self, report: ValidationReport, what: str) -> None:
        self.report = report
        Exception.__init__(
            self,
            f"{what} innehåller {len(report.errors())} fel som måste rättas innan rapporten kan byggas.\n\n"
            + report.to_text(),
        )


# --------------------------------------------------------------------------- money


class MoneyError(ValueError):
    """A value that is not an unambiguous amount in kronor; the message is Swedish."""


def parse_money(value: Any, unit: float = 1.0) -> float:
    """An amount in kronor from a cell, a YAML value or a text.

    ``unit`` multiplies amounts without their own unit (1 000 for a column in
    tkr). Numbers are taken as they are; texts follow the rules in the module
    docstring. Raises :class:`MoneyError` with a Swedish reason.

    >>> parse_money("1 234 567 kr"), parse_money("1234567,50"), parse_money("12 tkr")
    (1234567.0, 1234567.5, 12000.0)
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        raise MoneyError("värde saknas (skriv 0 om det inte fanns något belopp)")
    if isinstance(value, (bool, np.bool_, datetime, date)):
        raise MoneyError("är inte ett belopp i kronor")
    if isinstance(value, (int, float, np.integer, np.floating)):
        number = float(value)
        if not math.isfinite(number):
            raise MoneyError("är inte ett belopp i kronor")
        return number * unit
    text = " ".join(str(value).translate(_SPACES).split())
    if not text:
        raise MoneyError("värde saknas (skriv 0 om det inte fanns något belopp)")
    match = _AMOUNT.match(text)
    if match is None:
        raise MoneyError("kan inte läsas som ett belopp i kronor (skriv t.ex. 1 234 567 eller 1 234 567 kr)")
    if match["sign"] and match["sign2"]:
        raise MoneyError("har två tecken framför beloppet")
    negative = match["sign2"] is not None or (match["sign"] is not None and match["sign"] != "+")
    if match["unit"]:
        unit = _UNITS[match["unit"].lower()]
    number = _number(match["number"].strip())
    return (-number if negative else number) * unit


def _number(text: str) -> float:
    """Digits with thousands separators and at most one decimal separator (see :func:`parse_money`)."""
    decimal = None
    if "," in text and "." in text:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
    elif text.count(",") == 1:
        decimal = ","
    elif text.count(".") == 1:
        decimal = "."
    whole, fraction = (text.rsplit(decimal, 1) if decimal else (text, ""))
    whole = whole.strip()
    if decimal and not fraction.isdigit():
        raise MoneyError("kan inte läsas som ett belopp i kronor (skriv t.ex. 1 234 567 eller 1 234 567,50)")
    separators = {c for c in whole if not c.isdigit()}
    if len(separators) > 1:
        raise MoneyError("blandar olika tusentalsavgränsare (skriv t.ex. 1 234 567)")
    groups = re.split(r"[ .,]", whole) if separators else [whole]
    if not all(g.isdigit() for g in groups) or (
        len(groups) > 1 and (len(groups[0]) > 3 or any(len(g) != 3 for g in groups[1:]))
    ):
        raise MoneyError("siffrorna är inte grupperade tre och tre; står det två tal i cellen?")
    if decimal and len(fraction) == 3 and len(groups) == 1 and whole != "0":
        raise MoneyError(
            f"kan betyda både {format_money(float(whole + fraction))} och {whole},{fraction} kr; skriv tusental "
            "med mellanslag (1 234) eller belopp med högst två decimaler (1,23)"
        )
    return float("".join(groups) + ("." + fraction if decimal else ""))


# --------------------------------------------------------------------------- the result


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
class _Record:
    category: str  # a kategori, or TOTAL for a total row
    period: str | None  # None: no period (single-period file), TOTAL: a total row/column
    budget: float | None
    outcome: float | None
    row: int | None
    columns: tuple[str, str]  # where budget and utfall came from (for messages)


class _Collector:
    """Turns raw rows into records, adding every problem to the report."""

    def __init__(self, source: str, categories: Sequence[str]) -> None:
        self.source = source
        self.report = ValidationReport()
        self.records: list[_Record] = []
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
        text = clean_heading(_text(raw))
        key = normalise(text)
        if key in _TOTAL_WORDS:
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
            self.error("belopp", str(exc), row, column, _text(raw) or None)
            return None
        if value < 0:
            self.error("negativt_belopp", "negativt belopp; budget och utfall ska vara 0 eller mer", row, column, _text(raw))
            return None
        return value


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else cell_text(value)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or (isinstance(value, str) and not value.strip())


# --------------------------------------------------------------------------- grids (CSV/XLSX)


@dataclass
class _Column:
    index: int
    heading: str
    role: str  # kategori, period, budget, utfall
    period: str | None = None  # wide layout: the period label, or TOTAL for a total column
    unit: float = 1.0


def _heading_unit(heading: str) -> tuple[str, float]:
    """The heading without its unit marker, and the unit ("tkr" → 1000)."""
    match = _HEADING_UNIT.search(heading)
    if match is None:
        return heading, 1.0
    rest = (heading[: match.start()] + " " + heading[match.end() :]).strip()
    return " ".join(rest.split()).strip(_FILLER), _UNITS[match[1].lower()]


def _classify(raw: Any, index: int, names: dict[str, str]) -> _Column | None:
    heading = clean_heading(_text(raw))
    if not heading:
        return None
    text, unit = _heading_unit(heading)
    role = names.get(normalise(text))
    if role:
        return _Column(index, heading, role, None, unit)
    for role, keyword in _KEYWORDS.items():
        match = re.match(rf"^(?:{keyword})\b[\s:,–-]*(.+)$", text, re.IGNORECASE) or re.match(
            rf"^(.+?)[\s:,–-]*\b(?:{keyword})$", text, re.IGNORECASE
        )
        if match:
            period = match[1].strip(_FILLER)
            return _Column(index, heading, role, TOTAL if normalise(period) in _TOTAL_WORDS else period, unit)
    return None


def _role_names(columns: dict[str, str] | None) -> dict[str, str]:
    names = {normalise(n): role for role, alternatives in _ROLE_NAMES.items() for n in alternatives}
    for role, heading in (columns or {}).items():
        names[normalise(_heading_unit(clean_heading(heading))[0])] = role
    return names


def _find_header(rows: list[tuple[int, list[Any]]], names: dict[str, str]) -> tuple[int, list[_Column]] | None:
    for position, (_, cells) in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        columns = [c for i, cell in enumerate(cells) if (c := _classify(cell, i, names))]
        roles = {c.role for c in columns}
        if {"budget", "utfall"} <= roles:
            return position, columns
    return None


def _periods_from_row_above(cells: list[Any], columns: list[_Column]) -> bool:
    """Plain Budget/Utfall headings repeated under period labels (merged cells): take the periods from above."""
    money = [c for c in columns if c.role in ("budget", "utfall") and c.period is None]
    if sum(c.role == "budget" for c in money) < 2:
        return False
    label = ""
    above = {}
    for index, cell in enumerate(cells):
        text = clean_heading(_text(cell))
        label = text or label  # a merged cell holds its value in the first cell only
        above[index] = label
    if not all(above.get(c.index) for c in money):
        return False
    for column in money:
        period, unit = _heading_unit(above[column.index])
        column.period = TOTAL if normalise(period) in _TOTAL_WORDS else period
        column.unit = column.unit if column.unit != 1.0 else unit
    return True


def _grid_records(collector: _Collector, rows: list[tuple[int, list[Any]]], columns: dict[str, str] | None) -> None:
    names = _role_names(columns)
    found = _find_header(rows, names)
    if found is None:
        wanted = ", ".join(f"'{h}'" for h in (columns or {}).values())
        collector.error(
            "rubriker",
            "hittar ingen rubrikrad med kolumner för budget och utfall (t.ex. Kategori, Budget 2025, Utfall 2025, "
            "eller Kategori, Period, Budget, Utfall)" + (f"; kolumner enligt projekt.yaml: {wanted}" if wanted else ""),
            rows[0][0] if rows else None,
        )
        return
    position, cols = found
    header_row = rows[position][0]
    if position > 0:
        _periods_from_row_above(rows[position - 1][1], cols)
    by_role: dict[str, list[_Column]] = {role: [c for c in cols if c.role == role] for role in _ROLES}
    for role in ("kategori", "period"):
        for extra in by_role[role][1:]:
            collector.warn("kolumn", f"fler än en kolumn för {role}; den första används", header_row, extra.heading)
    category = by_role["kategori"][0] if by_role["kategori"] else None
    used = {c.index for c in cols if c.role in ("budget", "utfall")}
    if category is None:
        free = [i for i in range(len(rows[position][1])) if i not in used]
        if not free:
            collector.error("rubriker", "hittar ingen kolumn med kategorierna (t.ex. Kategori)", header_row)
            return
        category = _Column(free[0], clean_heading(_text(rows[position][1][free[0]])) or "kolumn 1", "kategori")
    wide = any(c.period not in (None, TOTAL) for c in cols if c.role in ("budget", "utfall"))
    period_column = by_role["period"][0] if by_role["period"] and not wide else None
    pairs = _pairs(collector, cols, wide, header_row)
    if pairs is None:
        return
    used |= {category.index} | ({period_column.index} if period_column else set())
    for column in cols:
        if column.unit != 1.0 and column.role in ("budget", "utfall"):
            collector.warn(
                "enhet", f"beloppen i kolumnen räknas om till kronor (× {format_number(column.unit, 0)})", header_row, column.heading
            )
    data = rows[position + 1 :]
    for index, heading in enumerate(rows[position][1]):
        if index in used:
            continue
        if not _blank(heading) or any(index < len(c) and not _blank(c[index]) for _, c in data):
            collector.warn("kolumn", "kolumnen används inte", header_row, clean_heading(_text(heading)) or f"kolumn {index + 1}")
    for row, cells in data:
        amounts = [_cell(cells, c) for pair in pairs.values() for c in pair]
        if all(_blank(v) for v in cells):
            continue
        name = collector.category(_cell(cells, category), row, category.heading, not all(_blank(v) for v in amounts))
        if name is None:
            continue
        period = None
        if period_column is not None:
            period = clean_heading(_text(_cell(cells, period_column)))
            if not period:
                collector.error("period_saknas", "period saknas", row, period_column.heading)
                continue
            period = TOTAL if normalise(period) in _TOTAL_WORDS else period
        for label, (budget, outcome) in pairs.items():
            collector.records.append(
                _Record(
                    name,
                    period if label is None else label,
                    collector.money(_cell(cells, budget), row, budget.heading, budget.unit),
                    collector.money(_cell(cells, outcome), row, outcome.heading, outcome.unit),
                    row,
                    (budget.heading, outcome.heading),
                )
            )


def _cell(cells: list[Any], column: _Column) -> Any:
    return cells[column.index] if column.index < len(cells) else None


def _pairs(collector: _Collector, cols: list[_Column], wide: bool, header_row: int) -> dict[str | None, tuple[_Column, _Column]] | None:
    """Period label (None in a long file) → its budget and utfall columns."""
    money = [c for c in cols if c.role in ("budget", "utfall")]
    if wide:
        for column in money:
            if column.period is None:  # a plain "Budget" next to "Budget 2025": the total
                column.period = TOTAL
    found: dict[str | None, dict[str, _Column]] = {}
    ok = True
    for column in money:
        key = column.period if wide or column.period == TOTAL else None
        slot = found.setdefault(key, {})
        if column.role in slot:
            collector.error("kolumn", f"två kolumner för {column.role} {key or ''}".strip(), header_row, column.heading)
            ok = False
        slot[column.role] = column
    if not wide and TOTAL in found and None not in found:
        found = {None: found.pop(TOTAL)}  # only "Budget totalt"/"Utfall totalt": a file without periods
    pairs = {}
    for key, slot in found.items():
        for role in ("budget", "utfall"):
            if role not in slot:
                which = role if key in (None, TOTAL) else f"{role} {key}"
                message = f"kolumnen för {which} saknas; varje period behöver en kolumn för budget och en för utfall"
                collector.error("kolumn", message, header_row, next(iter(slot.values())).heading)
                ok = False
        if len(slot) == 2:
            pairs[key] = (slot["budget"], slot["utfall"])
    return pairs if ok else None


def _xlsx_rows(path: Path, sheet: str | None) -> list[tuple[int, list[Any]]]:
    """The rows of the first sheet with data (or ``sheet``), cell values as Excel stores them."""
    from openpyxl import load_workbook

    with path.open("rb") as handle, warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        try:
            workbook = load_workbook(handle, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - damaged files raise many kinds of exceptions
            raise InputFileError(
                f"Filen {path.name} kunde inte läsas som Excel-arbetsbok (.xlsx): {exc or type(exc).__name__}. "
                "Öppna den i Excel och spara den igen som .xlsx."
            ) from exc
        try:
            sheets = workbook.worksheets
            if sheet is not None:
                names = {normalise(n): n for n in workbook.sheetnames}
                if normalise(sheet) not in names:
                    raise InputFileError(
                        f"Filen {path.name} har inget blad som heter '{sheet}'. Bladen heter: {', '.join(workbook.sheetnames)}."
                    )
                sheets = [workbook[names[normalise(sheet)]]]
            rows: list[tuple[int, list[Any]]] = []
            for worksheet in sheets:
                worksheet.reset_dimensions()
                rows = [(number, list(values)) for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1)]
                if any(not _blank(v) for _, values in rows for v in values):
                    break
        except InputFileError:
            raise
        except Exception as exc:  # noqa: BLE001 - damaged sheet XML
            raise InputFileError(f"Kalkylbladet i {path.name} kunde inte läsas: {exc}. Öppna filen i Excel och spara den igen.") from exc
        finally:
            workbook.close()
    rows = [(n, values) for n, values in rows if any(not _blank(v) for v in values)]
    if not rows:
        raise InputFileError(f"Filen {path.name} är tom (den innehåller inga ifyllda rader).")
    width = max(len(values) for _, values in rows)  # read-only sheets may give rows of different lengths
    return [(n, values + [None] * (width - len(values))) for n, values in rows]


def _csv_rows(path: Path, raw: bytes) -> list[tuple[int, list[Any]]]:
    sheet = load_csv(path, raw)
    return [
        (sheet.first_row + number, values)
        for number, values in enumerate(sheet.frame.itertuples(index=False, name=None))
        if any(str(v).strip() for v in values)
    ]


# --------------------------------------------------------------------------- YAML


def yaml_lines(text: str) -> dict[tuple, int]:
    """The 1-based line of every node of a YAML document, by its path of keys (as text) and list positions."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}
    lines: dict[tuple, int] = {}

    def walk(node: yaml.Node, path: tuple) -> None:
        lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                walk(value, path + (str(key.value),))
        elif isinstance(node, yaml.SequenceNode):
            for position, item in enumerate(node.value):
                walk(item, path + (position,))

    if root is not None:
        walk(root, ())
    return lines


def _yaml_records(collector: _Collector, rows: Any, lines: dict[tuple, int], prefix: tuple) -> None:
    where = " › ".join(str(p) for p in prefix) or "filen"
    if not isinstance(rows, list) or not rows:
        collector.error("rader", f"{where} ska vara en lista med en rad per kategori och period: "
                        "- {kategori: Personal, period: 2025, budget: 1 200 000, utfall: 1 150 000}", lines.get(prefix))  # fmt: skip
        return
    names = _role_names(None)
    for position, item in enumerate(rows):
        row = lines.get(prefix + (position,))
        if not isinstance(item, dict):
            collector.error("rader", "raden ska ha nycklarna kategori, period, budget och utfall", row, None, item)
            continue
        values: dict[str, Any] = {}
        for key, value in item.items():
            column = _classify(key, 0, names)
            if column is None or column.period is not None or column.role in values:
                collector.error("nyckel", "okänd nyckel; en rad har nycklarna kategori, period, budget och utfall", row, str(key))
                continue
            values[column.role] = (value, str(key), column.unit)
        missing = [r for r in ("kategori", "budget", "utfall") if r not in values]
        if missing:
            collector.error("nyckel", f"raden saknar {', '.join(missing)}", row)
            continue
        name = collector.category(values["kategori"][0], row, values["kategori"][1], True)
        if name is None:
            continue
        period = None
        if "period" in values:
            period = clean_heading(_text(values["period"][0]))
            if not period:
                collector.error("period_saknas", "period saknas", row, values["period"][1])
                continue
            period = TOTAL if normalise(period) in _TOTAL_WORDS else period
        budget, outcome = values["budget"], values["utfall"]
        collector.records.append(
            _Record(
                name,
                period,
                collector.money(budget[0], row, budget[1], budget[2]),
                collector.money(outcome[0], row, outcome[1], outcome[2]),
                row,
                (budget[1], outcome[1]),
            )
        )


# --------------------------------------------------------------------------- assembling


def _assemble(collector: _Collector) -> Budget:
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


def _check_totals(collector: _Collector, checks: list[_Record], values: dict, categories: list[str], periods: list[str]) -> None:
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


# --------------------------------------------------------------------------- entry points


def read_budget(
    source: Path | str,
    categories: Sequence[str] = DEFAULT_CATEGORIES,
    *,
    columns: dict[str, str] | None = None,
    sheet: str | None = None,
) -> Budget:
    """Read and validate a budget file (CSV, XLSX or YAML).

    Parameters
    ----------
    source : path
        The file; ``.yaml``/``.yml`` is read as YAML, anything else as CSV or
        XLSX judged from its first bytes.
    categories : list of str
        The kategorier allowed, in the report's spelling.
    columns : dict, optional
        Role (``kategori``, ``period``, ``budget``, ``utfall``) → a heading in the file.
    sheet : str, optional
        The XLSX sheet to read (default: the first one with data).

    Raises
    ------
    InputFileError
        The file cannot be read at all.
    EconomyValidationError
        With every problem of the file.
    """
    path = Path(source)
    if not path.is_file():
        raise InputFileError(f"Ekonomifilen {path} finns inte.")
    collector = _Collector(path.name, categories)
    try:
        if path.suffix.lower() in (".yaml", ".yml"):
            text = path.read_text(encoding="utf-8-sig")
            data = parse_yaml(text, f"Ekonomifilen {path.name}", InputFileError)
            rows = data.get("rader") if isinstance(data, dict) else data
            _yaml_records(collector, rows, yaml_lines(text), ("rader",) if isinstance(data, dict) else ())
        else:
            raw = path.read_bytes()
            kind = container(path, raw[:4096])
            _grid_records(collector, _xlsx_rows(path, sheet) if kind == XLSX else _csv_rows(path, raw), columns)
    except OSError as exc:
        raise InputFileError(f"Ekonomifilen {path} kunde inte öppnas: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise InputFileError(f"Ekonomifilen {path.name} är inte sparad som UTF-8.") from exc
    return _assemble(collector)


@dataclass(frozen=True)
class BudgetSpec:
    """Where a project's budget is: a file or rows inline in ``projekt.yaml``."""

    file: Path | None
    rows: list | None
    categories: tuple[str, ...]
    columns: dict[str, str]
    sheet: str | None
    project_file: Path


_SPEC_KEYS = ("fil", "blad", "kategorier", "kolumner", "rader")


def budget_spec(project: Project) -> BudgetSpec | None:
    """The ``ekonomi:`` key of ``projekt.yaml`` checked; None when the project has none.

    ``ekonomi: ekonomi.xlsx`` is short for ``ekonomi: {fil: ekonomi.xlsx}``.
    Raises :class:`ProjectError` naming every problem.
    """
    raw = project.data.get("ekonomi")
    if raw in (None, "", {}):
        return None
    raw = {"fil": raw} if isinstance(raw, str) else raw
    problems: list[str] = []
    if not isinstance(raw, dict):
        raise ProjectError(problem_list(str(project.path), ["'ekonomi' ska ha nyckeln fil: (t.ex. fil: ekonomi.xlsx) eller rader:"]))
    unknown = [str(k) for k in raw if k not in _SPEC_KEYS]
    if unknown:
        problems.append(f"okända nycklar under 'ekonomi': {', '.join(unknown)} (giltiga: {', '.join(_SPEC_KEYS)})")
    if bool(raw.get("fil")) == bool(raw.get("rader")):
        problems.append("'ekonomi' ska ha antingen fil: (en budgetfil) eller rader: (raderna direkt i projekt.yaml)")
    file = project.root / str(raw["fil"]) if raw.get("fil") else None
    if file is not None and not file.is_file():
        problems.append(f"ekonomi: filen {raw['fil']} finns inte i {project.root}")
    settings = project.template.settings.get("ekonomi") or {}
    categories = raw.get("kategorier") or (settings.get("kategorier") if isinstance(settings, dict) else None) or DEFAULT_CATEGORIES
    if not isinstance(categories, (list, tuple)) or not all(isinstance(c, str) and c.strip() for c in categories):
        problems.append("'ekonomi: kategorier' ska vara en lista med namn, t.ex. [Personal, Lokal, Övrigt]")
        categories = DEFAULT_CATEGORIES
    elif len({normalise(c) for c in categories}) < len(categories):
        problems.append("'ekonomi: kategorier' har samma kategori flera gånger")
    columns = raw.get("kolumner") or {}
    if not isinstance(columns, dict) or not all(k in _ROLES and isinstance(v, str) for k, v in columns.items()):
        problems.append(f"'ekonomi: kolumner' ska ange rubriken i filen för {', '.join(_ROLES)}, t.ex. budget: \"Beviljat\"")
        columns = {}
    if problems:
        raise ProjectError(problem_list(str(project.path), problems))
    return BudgetSpec(
        file=file,
        rows=raw.get("rader"),
        categories=tuple(str(c).strip() for c in categories),
        columns={str(k): str(v) for k, v in columns.items()},
        sheet=str(raw["blad"]) if raw.get("blad") else None,
        project_file=project.path,
    )


def read_project_budget(project: Project) -> Budget | None:
    """The project's validated budget, or None when ``projekt.yaml`` has no ``ekonomi:``."""
    spec = budget_spec(project)
    if spec is None:
        return None
    if spec.file is not None:
        return read_budget(spec.file, spec.categories, columns=spec.columns, sheet=spec.sheet)
    collector = _Collector(spec.project_file.name, spec.categories)
    text = spec.project_file.read_text(encoding="utf-8-sig")
    _yaml_records(collector, spec.rows, yaml_lines(text), ("ekonomi", "rader"))
    return _assemble(collector)
