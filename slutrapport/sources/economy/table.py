"""Budget rows from a CSV or XLSX file: the wide and the long layout.

The heading row is searched for in the first rows (title rows above it are
skipped); in the wide layout the periods may stand in a row above plain
``Budget``/``Utfall`` headings (merged cells over each pair). Every row
becomes :class:`~slutrapport.sources.economy.records.Record` through the
:class:`~slutrapport.sources.economy.records.Collector`, which reports the problems.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path
from typing import Any

from slutrapport.core.errors import InputFileError
from slutrapport.core.inputs import damage_reason, read_bytes_limited
from slutrapport.core.swedish import format_number
from slutrapport.core.text import normalise
from slutrapport.sources.economy.headings import ROLES, Column, classify, heading_unit, role_names
from slutrapport.sources.economy.records import TOTAL, Collector, Record, as_period, is_blank, text_of
from slutrapport.sources.readers.options import DEFAULT_LIMITS
from slutrapport.sources.readers.tabular import clean_heading, load_csv

__all__ = ["grid_records", "header_roles", "xlsx_rows", "csv_rows"]

_HEADER_SEARCH_ROWS = 12


def _find_header(rows: list[tuple[int, list[Any]]], names: dict[str, str]) -> tuple[int, list[Column]] | None:
    for position, (_, cells) in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        columns = [c for i, cell in enumerate(cells) if (c := classify(cell, i, names))]
        roles = {c.role for c in columns}
        if {"budget", "utfall"} <= roles:
            return position, columns
    return None


def header_roles(rows: list[tuple[int, list[Any]]], columns: dict[str, str] | None) -> list[tuple[str, str | None]]:
    """The headings of the budget's heading row with the role each is read as (None: not used).

    The heading row is the one the reader finds; without one, the first row with text.
    """
    names = role_names(columns)
    found = _find_header(rows, names)
    if found is not None:
        cells = rows[found[0]][1]
    else:
        cells = next((cells for _, cells in rows[:_HEADER_SEARCH_ROWS] if any(clean_heading(text_of(c)) for c in cells)), [])
    roles = []
    for index, cell in enumerate(cells):
        heading = clean_heading(text_of(cell))
        if heading:
            column = classify(cell, index, names)
            roles.append((heading, column.role if column else None))
    return roles


def _periods_from_row_above(cells: list[Any], columns: list[Column]) -> bool:
    """Plain Budget/Utfall headings repeated under period labels (merged cells): take the periods from above."""
    money = [c for c in columns if c.role in ("budget", "utfall") and c.period is None]
    if sum(c.role == "budget" for c in money) < 2:
        return False
    label = ""
    above = {}
    for index, cell in enumerate(cells):
        text = clean_heading(text_of(cell))
        label = text or label  # a merged cell holds its value in the first cell only
        above[index] = label
    if not all(above.get(c.index) for c in money):
        return False
    for column in money:
        period, unit = heading_unit(above[column.index])
        column.period = as_period(period)
        column.unit = column.unit if column.unit != 1.0 else unit
    return True


def grid_records(collector: Collector, rows: list[tuple[int, list[Any]]], columns: dict[str, str] | None) -> None:
    """The records of a table's rows (``(row number, cells)``); ``columns`` are role → heading from ``kolumner:``."""
    names = role_names(columns)
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
    by_role: dict[str, list[Column]] = {role: [c for c in cols if c.role == role] for role in ROLES}
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
        category = Column(free[0], clean_heading(text_of(rows[position][1][free[0]])) or "kolumn 1", "kategori")
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
        if not is_blank(heading) or any(index < len(c) and not is_blank(c[index]) for _, c in data):
            collector.warn("kolumn", "kolumnen används inte", header_row, clean_heading(text_of(heading)) or f"kolumn {index + 1}")
    for row, cells in data:
        amounts = [_cell(cells, c) for pair in pairs.values() for c in pair]
        if all(is_blank(v) for v in cells):
            continue
        name = collector.category(_cell(cells, category), row, category.heading, not all(is_blank(v) for v in amounts))
        if name is None:
            continue
        period = None
        if period_column is not None:
            period = clean_heading(text_of(_cell(cells, period_column)))
            if not period:
                collector.error("period_saknas", "period saknas", row, period_column.heading)
                continue
            period = as_period(period)
        for label, (budget, outcome) in pairs.items():
            collector.records.append(
                Record(
                    name,
                    period if label is None else label,
                    collector.money(_cell(cells, budget), row, budget.heading, budget.unit),
                    collector.money(_cell(cells, outcome), row, outcome.heading, outcome.unit),
                    row,
                    (budget.heading, outcome.heading),
                )
            )


def _cell(cells: list[Any], column: Column) -> Any:
    return cells[column.index] if column.index < len(cells) else None


def _pairs(collector: Collector, cols: list[Column], wide: bool, header_row: int) -> dict[str | None, tuple[Column, Column]] | None:
    """Period label (None in a long file) → its budget and utfall columns."""
    money = [c for c in cols if c.role in ("budget", "utfall")]
    if wide:
        for column in money:
            if column.period is None:  # a plain "Budget" next to "Budget 2025": the total
                column.period = TOTAL
    found: dict[str | None, dict[str, Column]] = {}
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


def xlsx_rows(path: Path, sheet: str | None, data: bytes | None = None) -> list[tuple[int, list[Any]]]:
    """The rows of the first sheet with data (or ``sheet``), cell values as Excel stores them.

    ``data`` is the file's bytes when the caller has read them; otherwise the file is read here,
    refused when it is no regular file or larger than the survey readers' limit.
    """
    from openpyxl import load_workbook

    if data is None:
        data = read_bytes_limited(path, DEFAULT_LIMITS.max_uncompressed_bytes, "Ekonomifilen")
    with io.BytesIO(data) as handle, warnings.catch_warnings():
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
                if any(not is_blank(v) for _, values in rows for v in values):
                    break
        except InputFileError:
            raise
        except Exception as exc:  # noqa: BLE001 - damaged sheet XML
            raise InputFileError(
                f"Kalkylbladet i {path.name} kunde inte läsas: {damage_reason(exc)}. Öppna filen i Excel och spara den igen."
            ) from exc
        finally:
            workbook.close()
    rows = [(n, values) for n, values in rows if any(not is_blank(v) for v in values)]
    if not rows:
        raise InputFileError(f"Filen {path.name} är tom (den innehåller inga ifyllda rader).")
    width = max(len(values) for _, values in rows)  # read-only sheets may give rows of different lengths
    return [(n, values + [None] * (width - len(values))) for n, values in rows]


def csv_rows(path: Path, raw: bytes) -> list[tuple[int, list[Any]]]:
    """The non-empty rows of a CSV file (encoding and separator sniffed as for survey files), with their row numbers."""
    sheet = load_csv(path, raw)
    return [
        (sheet.first_row + number, values)
        for number, values in enumerate(sheet.frame.itertuples(index=False, name=None))
        if any(str(v).strip() for v in values)
    ]
