"""Read a survey export into a raw table of strings, and recognise which tool wrote it.

Everything is read as text: numbers, dates and labels are interpreted later by
:mod:`slutrapport.surveys.answers`, so nothing is coerced on the way in.
CSV files are sniffed for encoding (UTF-8 with or without BOM, else cp1252)
and separator (``,``, ``;`` or tab). XLSX files are read with openpyxl in
read-only mode. Input files are never modified.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import pandas as pd

from ..errors import InputFileError
from .text import normalise

__all__ = ["RawTable", "read_raw", "detect_format", "FORMATS"]

FORMATS = ("google_forms", "microsoft_forms", "plain")

_GOOGLE_FIRST = {"tidstämpel", "timestamp"}
_GOOGLE_META = _GOOGLE_FIRST | {"e-postadress", "email address", "poäng", "score"}
_MS_MARKERS = {"start time", "starttid"}
_MS_META = {
    "id",
    "start time",
    "completion time",
    "email",
    "name",
    "last modified time",
    "total points",
    "quiz feedback",
    "starttid",
    "sluttid",
    "tid för slutförande",
    "slutförandetid",
    "e-post",
    "namn",
    "senaste ändringstid",
    "totalt antal poäng",
    "frågesportsfeedback",
}


@dataclass
class RawTable:
    """A file's header and data rows as strings.

    ``data`` has one row per data row and integer column positions; the row a
    user sees in Excel for position ``i`` is :meth:`row_number`. ``header_row``
    is the last header row. ``meta_columns`` are positions of the survey tool's
    own columns (timestamps, e-mail, name) that are never used;
    ``alternatives`` lists other names a column may be matched by.
    """

    path: Path
    columns: list[str]
    data: pd.DataFrame
    header_row: int = 1
    format: str = "plain"
    meta_columns: set[int] = field(default_factory=set)
    #: Other names a column may be matched by (e.g. an export tag, or the row label of a matrix question).
    alternatives: dict[int, list[str]] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.path.name

    def row_number(self, position: int) -> int:
        return self.header_row + 1 + position


def read_raw(path: Path) -> RawTable:
    """Read ``path`` (CSV or XLSX) as text; raise :class:`InputFileError` if it cannot be read."""
    path = Path(path)
    if not path.is_file():
        raise InputFileError(f"Filen {path} finns inte.")
    try:
        head = path.open("rb").read(8)
    except OSError as exc:
        raise InputFileError(f"Filen {path} kunde inte öppnas: {exc.strerror or exc}") from exc
    if not head:
        raise InputFileError(f"Filen {path.name} är tom.")
    suffix = path.suffix.lower()
    if head.startswith(b"PK"):
        table = _read_xlsx(path)
    elif suffix in (".xlsx", ".xlsm"):
        raise InputFileError(
            f"Filen {path.name} heter .xlsx men är ingen Excel-arbetsbok "
            "(den kan vara en webbsida eller en omdöpt fil). Öppna den i Excel och spara som .xlsx eller CSV."
        )
    elif suffix == ".xls" or head.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputFileError(
            f"Filen {path.name} är i det gamla Excel-formatet .xls, som inte kan läsas. "
            "Öppna den i Excel och spara som .xlsx eller CSV."
        )
    else:
        table = _read_csv(path)
    table.format, table.meta_columns = detect_format(table.columns)
    return table


def detect_format(columns: list[str]) -> tuple[str, set[int]]:
    """Which tool wrote a file with these headers, and which columns are its own metadata."""
    norm = [normalise(c) for c in columns]
    if norm and norm[0] in _GOOGLE_FIRST:
        return "google_forms", {i for i, c in enumerate(norm) if c in _GOOGLE_META}
    if "id" in norm and _MS_MARKERS & set(norm):
        return "microsoft_forms", {i for i, c in enumerate(norm) if c in _MS_META}
    return "plain", set()


def _decode(raw: bytes, name: str) -> str:
    if b"\x00" in raw[:4096]:
        raise InputFileError(
            f"Filen {name} verkar inte vara en textfil (CSV). Spara den som CSV (UTF-8) eller .xlsx."
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Swedish Excel saves "CSV (semikolonavgränsad)" as Windows-1252.
        return raw.decode("cp1252", errors="replace")


def _sniff_separator(text: str) -> str:
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        first = text.splitlines()[0] if text else ""
        counts = {sep: first.count(sep) for sep in (";", ",", "\t")}
        return max(counts, key=counts.get) if max(counts.values()) else ","


def _read_csv(path: Path) -> RawTable:
    text = _decode(path.read_bytes(), path.name)
    if not text.strip():
        raise InputFileError(f"Filen {path.name} är tom.")
    if text.lstrip().lower().startswith(("<!doctype", "<html")):
        raise InputFileError(
            f"Filen {path.name} är en webbsida (HTML), inte en CSV-fil. Ladda ner exporten igen som CSV eller .xlsx."
        )
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise InputFileError(
            f"Filen {path.name} innehåller ett ogiltigt tecken (NUL) på rad {line}; filen kan vara skadad. "
            "Exportera den igen."
        )
    sep = _sniff_separator(text)
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=sep,
            header=None,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            engine="c",
        )
    except (pd.errors.ParserError, ValueError):
        # Ragged rows (more fields than the header): parse with the csv module and pad.
        try:
            rows = list(csv.reader(io.StringIO(text), delimiter=sep))
        except csv.Error as exc:
            raise InputFileError(f"Filen {path.name} kunde inte tolkas som CSV (avgränsare '{sep}'): {exc}") from exc
        width = max((len(r) for r in rows), default=0)
        frame = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object)
    return _split_header(path, frame)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Sant" if value else "Falskt"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value)


def _read_xlsx(path: Path) -> RawTable:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise InputFileError(
            f"Filen {path.name} kunde inte läsas som Excel-arbetsbok (.xlsx): {exc}. "
            "Öppna den i Excel och spara den igen som .xlsx."
        ) from exc
    try:
        rows: list[list[str]] = []
        for sheet in workbook.worksheets:  # the first sheet that holds anything
            rows = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
            if any(cell.strip() for row in rows for cell in row):
                break
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError) as exc:
        raise InputFileError(f"Kalkylbladet i {path.name} kunde inte läsas: {exc}") from exc
    finally:
        workbook.close()
    width = max((len(r) for r in rows), default=0)
    frame = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object)
    return _split_header(path, frame)


def _split_header(path: Path, frame: pd.DataFrame) -> RawTable:
    frame = frame.fillna("").astype(str)
    nonblank = frame.apply(lambda col: col.str.strip() != "").any(axis=1)
    if not nonblank.any():
        raise InputFileError(f"Filen {path.name} innehåller inga rader.")
    header_pos = int(nonblank.to_numpy().argmax())
    columns = [c.strip() for c in frame.iloc[header_pos].tolist()]
    # Drop trailing columns with neither header nor data (Excel often leaves them).
    while columns and not columns[-1] and not (frame.iloc[header_pos + 1 :, len(columns) - 1].str.strip() != "").any():
        columns.pop()
    data = frame.iloc[header_pos + 1 :, : len(columns)].reset_index(drop=True)
    data.columns = range(len(columns))
    # Keep row numbers as the user sees them; fully blank rows are skipped later.
    return RawTable(path=path, columns=columns, data=data, header_row=header_pos + 1)
