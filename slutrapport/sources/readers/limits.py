"""Bounded work: a file larger than the :class:`~.options.Limits` is refused before it is parsed.

A zip workbook (.xlsx, .ods, .xlsb) is checked from its zip directory (the
total uncompressed size of its parts) and, for .xlsx, from the first bytes of
each worksheet part (its ``<dimension ref="A1:C3000001"/>``), so a zip bomb or
a sheet of a million rows costs almost nothing. The dimension may be missing
or wrong, and python-calamine allocates every cell of the rectangle up to the
last cell it finds, so each .xlsx worksheet part and an .ods ``content.xml``
are then read through (:mod:`.xmlscan`) for how far they reach. A sheet's
area (rows × columns) may not exceed :func:`cell_budget`. The counts are
checked again once a sheet is read, and a text file's size before it is read.
Every message is Swedish and names the file.
"""

from __future__ import annotations

import html
import posixpath
import re
import zipfile
import zlib
from pathlib import Path

from slutrapport.core.errors import InputFileError
from slutrapport.sources.readers.options import Limits
from slutrapport.sources.readers.xmlscan import column_number, ods_extents, xlsx_extent

__all__ = [
    "format_size",
    "format_count",
    "check_text_size",
    "check_file_size",
    "check_zip",
    "check_sheet_size",
    "check_row_count",
    "cell_budget",
]

_HEAD = 4096
#: What reading a damaged zip part raises (bad CRC or deflate data, cut off, encrypted, unknown method).
_DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError)
_DIMENSION = re.compile(
    rb'<(?:\w+:)?dimension\s+ref="\$?([A-Za-z]{1,3})\$?(\d{1,10})(?::\$?([A-Za-z]{1,3})\$?(\d{1,10}))?"'
)
_TAG_ATTRS = re.compile(r'([\w:]+)\s*=\s*"([^"]*)"')
_SHEET_TAG = re.compile(r"<(?:\w+:)?sheet\s([^>]*)>")
_RELATION_TAG = re.compile(r"<(?:\w+:)?Relationship\s([^>]*)>")
#: How much of workbook.xml and its relations is read to name the worksheet parts.
_INDEX_BYTES = 4 * 1024 * 1024


def format_size(size: int) -> str:
    """Bytes as Swedish text: ``2,6 GB``, ``500 MB``, ``12 kB``."""
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("kB", 1024)):
        if size >= scale:
            value = size / scale
            text = f"{value:.1f}" if value < 10 and round(value, 1) != int(value) else f"{value:.0f}"
            return f"{text.replace('.', ',')} {unit}"
    return f"{size} byte"


def format_count(count: int) -> str:
    """A count with Swedish digit grouping: ``1 000 000``."""
    return f"{count:,}".replace(",", " ")


def check_text_size(path: Path, size: int, limits: Limits) -> None:
    if size > limits.max_text_bytes:
        raise InputFileError(
            f"Filen {path.name} är {format_size(size)} stor, gränsen för textfiler (CSV) är "
            f"{format_size(limits.max_text_bytes)}. Dela upp filen, eller ta bort kolumner och rader som inte behövs."
        )


def check_file_size(path: Path, size: int, limits: Limits) -> None:
    """An old binary workbook (.xls) is not compressed: its size is what it costs to read."""
    if size > limits.max_uncompressed_bytes:
        raise InputFileError(
            f"Filen {path.name} är {format_size(size)} stor, gränsen är {format_size(limits.max_uncompressed_bytes)}. "
            "Spara bara bladet med enkätsvaren, som .xlsx eller CSV."
        )


def cell_budget(limits: Limits) -> int:
    """The most cells (rows × columns, from A1) one sheet may span: what ``max_uncompressed_bytes``
    of XML could fill at 8 bytes a cell, and never less than one full row."""
    return max(limits.max_uncompressed_bytes // 8, limits.max_columns)


def check_zip(path: Path, archive: zipfile.ZipFile, limits: Limits, *, scan: bool = False) -> dict[str, dict[tuple[int, int], str]]:
    """Refuse a zip workbook whose parts unpack to too much, or whose .xlsx sheets or .ods tables are
    too large (``scan``: every .xlsx worksheet part is read through for the cells it names, not only
    its dimension).

    Returns the error cells the scan saw (``#N/A``, ``#DIV/0!`` …) per sheet name, by 0-based
    (row, column): python-calamine gives such cells as blanks, openpyxl gave their text."""
    infos = archive.infolist()
    total = sum(info.file_size for info in infos)
    if total > limits.max_uncompressed_bytes:
        raise InputFileError(
            f"Filen {path.name} kan inte läsas: den packas upp till {format_size(total)}, gränsen är "
            f"{format_size(limits.max_uncompressed_bytes)}. Arbetsboken kan vara skadad eller innehålla mycket mer "
            "än enkätsvaren; spara bara bladet med svaren, som .xlsx eller CSV."
        )
    names = {info.filename for info in infos}
    if "content.xml" in names and "xl/workbook.xml" not in names:
        try:
            with archive.open("content.xml") as handle:
                content = handle.read()
        except _DAMAGED:  # a damaged part is reported by the workbook reader
            return {}
        for table, rows, columns in ods_extents(content):
            check_sheet_size(path, table, rows, columns, limits)
        return {}
    errors: dict[str, dict[tuple[int, int], str]] = {}
    for sheet, part in _worksheet_parts(archive, names):
        try:
            with archive.open(part) as handle:
                head = handle.read(_HEAD)
        except _DAMAGED:  # a damaged part is reported by the workbook reader
            continue
        label = sheet or posixpath.basename(part)
        match = _DIMENSION.search(head)
        if match:
            end_column, end_row = (match.group(3), match.group(4)) if match.group(3) else match.group(1, 2)
            check_sheet_size(path, label, int(end_row), column_number(end_column), limits, ref=match.group(0))
        if scan:
            try:
                rows, columns, found = xlsx_extent(archive, part)
                if not _within(rows, columns, limits):  # the bound is over: count exactly, to refuse in the right words
                    rows, columns, found = xlsx_extent(archive, part, exact=True)
            except _DAMAGED:  # a damaged part is reported by the workbook reader
                continue
            check_sheet_size(path, label, rows, columns, limits)
            if found:
                errors[label] = found
    return errors


def check_sheet_size(path: Path, sheet: str, rows: int, columns: int, limits: Limits, ref: bytes | None = None) -> None:
    """Refuse a sheet of more rows or columns (or a larger area) than the limits allow."""
    if _within(rows, columns, limits):
        return
    budget = cell_budget(limits)
    size = f"{format_count(rows)} rader × {format_count(columns)} kolumner stort"
    if ref is not None:
        area = re.search(rb'ref="([^"]*)"', ref)
        size += f" ({area.group(1).decode('ascii', 'replace')})" if area else ""
    if rows <= limits.max_rows and columns <= limits.max_columns:
        bound = f"gränsen är {format_count(budget)} celler (rader × kolumner)"
    else:
        bound = f"gränsen är {format_count(limits.max_rows)} rader och {format_count(limits.max_columns)} kolumner"
    raise InputFileError(
        f"Bladet '{sheet}' i filen {path.name} är {size}; {bound}. "
        "Ta bort tomma rader och kolumner (även enstaka celler långt ut), eller dela upp bladet."
    )


def _within(rows: int, columns: int, limits: Limits) -> bool:
    return rows <= limits.max_rows and columns <= limits.max_columns and rows * columns <= cell_budget(limits)


def check_row_count(path: Path, rows: int, limits: Limits, sheet: str | None = None) -> None:
    """Refuse when more rows than the limit were read (``rows`` may stop at the limit + 1)."""
    if rows > limits.max_rows:
        where = f"Bladet '{sheet}' i filen {path.name}" if sheet else f"Filen {path.name}"
        raise InputFileError(
            f"{where} har fler än {format_count(limits.max_rows)} rader, vilket är gränsen. "
            "Dela upp filen, eller ta bort rader som inte är enkätsvar."
        )


def _worksheet_parts(archive: zipfile.ZipFile, names: set[str]) -> list[tuple[str | None, str]]:
    """``(sheet name, part)`` of every worksheet of an .xlsx, named from workbook.xml when it can be read."""
    named: list[tuple[str | None, str]] = []
    try:
        workbook = _read_text(archive, "xl/workbook.xml")
        relations = _read_text(archive, "xl/_rels/workbook.xml.rels")
    except Exception:  # noqa: BLE001 - damaged or missing index parts: fall back to the part names
        workbook = relations = ""
    targets = {}
    for tag in _RELATION_TAG.finditer(relations):
        attrs = dict(_TAG_ATTRS.findall(tag.group(1)))
        target = attrs.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        targets[attrs.get("Id")] = target
    for tag in _SHEET_TAG.finditer(workbook):
        attrs = dict(_TAG_ATTRS.findall(tag.group(1)))
        relation = next((v for k, v in attrs.items() if k.endswith(":id")), None)
        part = targets.get(relation)
        if part in names:
            named.append((html.unescape(attrs.get("name", "")) or None, part))
    seen = {part for _, part in named}
    others = sorted(n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml") and n not in seen)
    return named + [(None, part) for part in others]


def _read_text(archive: zipfile.ZipFile, name: str) -> str:
    with archive.open(name) as handle:
        return handle.read(_INDEX_BYTES).decode("utf-8", errors="replace")
