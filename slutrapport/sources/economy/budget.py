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
- Money is read by :func:`~slutrapport.sources.economy.money.parse_money`: Excel and YAML numbers as they are;
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

Modules
-------
This module holds the entry points; the work is done in
:mod:`~slutrapport.sources.economy.money` (amounts),
:mod:`~slutrapport.sources.economy.headings` (what a heading means),
:mod:`~slutrapport.sources.economy.table` (CSV/XLSX),
:mod:`~slutrapport.sources.economy.yaml_rows` (YAML) and
:mod:`~slutrapport.sources.economy.records` (the checks every layout shares).
Where a project's ``ekonomi:`` points is read by
:func:`slutrapport.pipeline.read.budget_spec`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from slutrapport.core.errors import InputFileError, ProjectError
from slutrapport.core.inputs import read_bytes_limited, read_text_limited
from slutrapport.core.oserrors import os_reason
from slutrapport.core.yamlfile import parse_yaml
from slutrapport.sources.economy.money import MoneyError, parse_money
from slutrapport.sources.economy.problems import EconomyValidationError, yaml_lines
from slutrapport.sources.economy.records import BUDGET_COLUMNS, DEFAULT_CATEGORIES, TOLERANCE, TOTAL, Budget, Collector, assemble
from slutrapport.sources.economy.table import csv_rows, grid_records, header_roles, xlsx_rows
from slutrapport.sources.economy.yaml_rows import yaml_records
from slutrapport.sources.readers.detect import XLSX, container
from slutrapport.sources.readers.options import DEFAULT_LIMITS

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
    "read_budget_spec",
    "read_budget_headings",
    "yaml_lines",
]


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
    collector = Collector(path.name, categories)
    try:
        # only a regular file is opened (never a pipe or a device), and never more than the limit
        if path.suffix.lower() in (".yaml", ".yml"):
            text = read_text_limited(path, "Ekonomifilen")
            data = parse_yaml(text, f"Ekonomifilen {path.name}", InputFileError)
            rows = data.get("rader") if isinstance(data, dict) else data
            yaml_records(collector, rows, yaml_lines(text), ("rader",) if isinstance(data, dict) else (), document=data)
        else:
            raw = read_bytes_limited(path, DEFAULT_LIMITS.max_text_bytes, "Ekonomifilen")
            kind = container(path, raw[:4096])
            grid_records(collector, xlsx_rows(path, sheet, raw) if kind == XLSX else csv_rows(path, raw), columns)
    except OSError as exc:
        raise InputFileError(f"Ekonomifilen {path} kunde inte öppnas: {os_reason(exc, reading=True)}") from exc
    except UnicodeDecodeError as exc:
        raise InputFileError(f"Ekonomifilen {path.name} är inte sparad som UTF-8.") from exc
    return assemble(collector)


@dataclass(frozen=True)
class BudgetSpec:
    """Where a project's budget is: a file or rows inline in ``projekt.yaml``."""

    file: Path | None
    rows: list | None
    categories: tuple[str, ...]
    columns: dict[str, str]
    sheet: str | None
    project_file: Path


def read_budget_spec(spec: BudgetSpec) -> Budget:
    """The budget a :class:`BudgetSpec` points at: its file (:func:`read_budget`) or its rows inline in the project file."""
    if spec.file is not None:
        return read_budget(spec.file, spec.categories, columns=spec.columns, sheet=spec.sheet)
    collector = Collector(spec.project_file.name, spec.categories)
    text = read_text_limited(spec.project_file, "Projektfilen", error=ProjectError)
    yaml_records(collector, spec.rows, yaml_lines(text), ("ekonomi", "rader"))
    return assemble(collector)


def read_budget_headings(source: Path | str, columns: dict[str, str] | None = None, sheet: str | None = None) -> list[tuple[str, str | None]]:
    """The headings of a budget file (CSV or XLSX) with the role each is read as: kategori, period, budget, utfall or None.

    A YAML budget has no headings (empty list). Raises :class:`InputFileError` when the file cannot be read.
    """
    path = Path(source)
    if path.suffix.lower() in (".yaml", ".yml"):
        return []
    try:
        raw = read_bytes_limited(path, DEFAULT_LIMITS.max_text_bytes, "Ekonomifilen")
        kind = container(path, raw[:4096])
        return header_roles(xlsx_rows(path, sheet, raw) if kind == XLSX else csv_rows(path, raw), columns)
    except OSError as exc:
        raise InputFileError(f"Ekonomifilen {path} kunde inte öppnas: {os_reason(exc, reading=True)}") from exc
    except UnicodeDecodeError as exc:
        raise InputFileError(f"Ekonomifilen {path.name} är inte sparad som UTF-8.") from exc
