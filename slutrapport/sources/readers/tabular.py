"""Load a CSV or XLSX file into a :class:`Sheet`: every row as strings, nothing coerced.

CSV files are decoded as UTF-8 (with or without BOM), UTF-16 with BOM (Excel's
"Unicode-text") or else Windows-1252 (Swedish Excel's "CSV
(semikolonavgränsad)"), and the separator (``,``, ``;`` or tab) is chosen by
how consistently each candidate splits the first records. An Excel ``sep=;``
first line is honoured. XLSX files are read with openpyxl in read-only mode;
numbers become text without a trailing ``.0`` and dates ISO text. Leading
blank rows and trailing blank columns are dropped, and :attr:`Sheet.first_row`
remembers where the kept rows start so row numbers stay the ones the user sees.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import itertools
import re
import warnings
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import NoReturn

import numpy as np
import pandas as pd

from slutrapport.core.errors import InputFileError

__all__ = ["Sheet", "load_csv", "load_xlsx", "cell_text", "clean_heading"]

_SEPARATORS = (",", ";", "\t")
_SNIFF_CHARS = 65536
_SNIFF_RECORDS = 50
_VISIBLE = re.compile(rb"\S")


@dataclass
class Sheet:
    """Rows of a file from its first non-blank row on, as a DataFrame of strings.

    ``frame`` has integer column positions and a RangeIndex; ``first_row`` is
    the 1-based row number (as Excel shows it) of ``frame`` row 0.
    """

    path: Path
    frame: pd.DataFrame
    first_row: int
    kind: str  # "csv" or "xlsx"

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def width(self) -> int:
        return self.frame.shape[1]

    def cells(self, row: int) -> list[str]:
        """Row ``row`` (0-based) as cleaned heading texts; blanks past the last row."""
        if row >= len(self.frame):
            return [""] * self.width
        return [clean_heading(v) for v in self.frame.iloc[row].tolist()]


def clean_heading(value: object) -> str:
    """A heading cell with whitespace (line breaks, NBSP) collapsed and stray BOMs removed."""
    return " ".join(str(value).replace("\ufeff", "").split())


# --------------------------------------------------------------------------- CSV


def load_csv(path: Path, raw: bytes) -> Sheet:
    """Parse the bytes of a CSV (or tab-separated) file.

    Valid UTF-8 goes from bytes straight to pandas' C parser (the fast path);
    UTF-16 and Windows-1252 files are decoded first.
    """
    name = path.name
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputFileError(
                f"Filen {name} ser ut att vara UTF-16-text men kunde inte avkodas ({exc.reason}); "
                "spara den som CSV (UTF-8) eller .xlsx."
            ) from exc
        return _from_text(path, text)
    nul = raw.find(b"\x00")
    if 0 <= nul < 4096:
        raise InputFileError(f"Filen {name} verkar inte vara en textfil (CSV). Spara den som CSV (UTF-8) eller .xlsx.")
    if nul >= 0:
        _reject_nul(name, raw.count(b"\n", 0, nul) + 1)
    start = 0
    while raw.startswith(codecs.BOM_UTF8, start):  # a BOM, sometimes doubled by re-saving
        start += len(codecs.BOM_UTF8)
    head = _utf8_prefix(raw[start : start + _SNIFF_CHARS])
    if head is None:
        return _from_text(path, _decode(raw[start:], bom=bool(start)))
    sep, skip = _separator_line(head)
    offset = start + len(head[:skip].encode("utf-8"))
    body = raw[offset:] if offset else raw
    if not _VISIBLE.search(body):
        raise InputFileError(f"Filen {name} är tom.")
    sep = sep or sniff_separator(head[skip:], truncated=len(raw) - start > _SNIFF_CHARS)
    try:
        frame = _read_csv(io.BytesIO(body), sep)
    except UnicodeDecodeError:  # invalid UTF-8 after the sniffed part
        return _from_text(path, _decode(raw[start:], bom=bool(start)))
    except _PARSER_ERRORS:
        frame = _csv_module(_decode(body, bom=bool(start)), sep, name)
    return _sheet(path, frame, "csv")


def _decode(data: bytes, bom: bool) -> str:
    """UTF-8 if valid; else Windows-1252, which Swedish Excel uses for "CSV (semikolonavgränsad)".
    A UTF-8 BOM wins: such a file keeps its readable parts."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("utf-8" if bom else "cp1252", errors="replace")


def _from_text(path: Path, text: str) -> Sheet:
    """Parse decoded text (UTF-16 or Windows-1252 files)."""
    text = text.lstrip("\ufeff")
    if "\x00" in text:
        _reject_nul(path.name, text.count("\n", 0, text.index("\x00")) + 1)
    sep, skip = _separator_line(text)
    text = text[skip:]
    if not text.strip():
        raise InputFileError(f"Filen {path.name} är tom.")
    sep = sep or sniff_separator(text)
    try:
        frame = _read_csv(io.StringIO(text, newline=""), sep)
    except _PARSER_ERRORS:
        frame = _csv_module(text, sep, path.name)
    return _sheet(path, frame, "csv")


def _reject_nul(name: str, line: int) -> NoReturn:
    raise InputFileError(
        f"Filen {name} innehåller ett ogiltigt tecken (NUL) på rad {line}; filen kan vara skadad. Exportera den igen."
    )


def _utf8_prefix(sample: bytes) -> str | None:
    """``sample`` decoded as UTF-8 (a character cut off at the end is dropped), or ``None``."""
    try:
        return sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.start >= len(sample) - 3:
            return sample[: exc.start].decode("utf-8")
        return None


def _separator_line(text: str) -> tuple[str | None, int]:
    """Excel's ``sep=;`` first line: the separator and the characters to skip. Excel does not
    show the line, so rows are counted from the next one."""
    end = text.find("\n")
    line = text[: end + 1] if end >= 0 else text
    hint = line.strip()
    if len(hint) == 5 and hint.lower().startswith("sep="):
        return hint[4], len(line)
    return None, 0


def sniff_separator(text: str, truncated: bool | None = None) -> str:
    """The separator that splits the first records most consistently (ties: into more fields).

    ``truncated`` says whether ``text`` is only the beginning of the file (then its last,
    possibly cut-off record is ignored); by default, whether it is longer than the sample.
    """
    sample = text[:_SNIFF_CHARS]
    truncated = len(text) > len(sample) if truncated is None else truncated
    best, best_score = ",", None
    for sep in _SEPARATORS:
        records = _first_records(sample, sep)
        if truncated and len(records) > 1:
            records = records[:-1]  # the last one may be cut off
        widths = [len(r) for r in records if len(r) > 1 or (r and r[0].strip())]
        if not widths:
            continue
        modal, count = Counter(widths).most_common(1)[0]
        score = (modal > 1, count / len(widths), widths[0] == modal, modal)
        if best_score is None or score > best_score:
            best, best_score = sep, score
    return best if best_score is not None and best_score[0] else ","


def _first_records(sample: str, sep: str) -> list[list[str]]:
    records: list[list[str]] = []
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=sep)
    with contextlib.suppress(csv.Error):  # keep what was read before the problem
        records.extend(itertools.islice(reader, _SNIFF_RECORDS))
    return records


_PARSER_ERRORS = (pd.errors.ParserError, ValueError, OverflowError, IndexError)


def _read_csv(source: io.IOBase, sep: str) -> pd.DataFrame:
    """pandas' C parser, everything as text; raises on ragged rows (more fields than row 1)."""
    return pd.read_csv(
        source,
        sep=sep,
        header=None,
        dtype=str,
        keep_default_na=False,
        na_filter=False,
        skip_blank_lines=False,
        engine="c",
        encoding="utf-8",
    )


def _csv_module(text: str, sep: str, name: str) -> pd.DataFrame:
    """The slow path for ragged rows or odd quoting: the csv module, rows padded to one width."""
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))
    except csv.Error as exc:
        raise InputFileError(f"Filen {name} kunde inte tolkas som CSV (avgränsare '{_sep_name(sep)}'): {exc}") from exc
    return _frame(rows)


def _sep_name(sep: str) -> str:
    return "tabb" if sep == "\t" else sep


# --------------------------------------------------------------------------- XLSX


def load_xlsx(path: Path) -> Sheet:
    """The first worksheet that holds anything, read with openpyxl in read-only mode."""
    from openpyxl import load_workbook

    # openpyxl raises many kinds of exceptions on damaged files (zip, XML, KeyError for
    # missing parts, ValueError/TypeError for odd values); all mean the same to the user.
    # A file object is passed so that the file name's extension does not matter.
    with path.open("rb") as handle, warnings.catch_warnings():
        # openpyxl warns about styles and odd parts it ignores; they mean nothing to the user.
        warnings.simplefilter("ignore", UserWarning)
        try:
            workbook = load_workbook(handle, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - see above
            raise InputFileError(
                f"Filen {path.name} kunde inte läsas som Excel-arbetsbok (.xlsx): {_reason(exc)}. "
                "Öppna den i Excel och spara den igen som .xlsx."
            ) from exc
        rows: list[list[str]] = []
        try:
            for worksheet in workbook.worksheets:
                worksheet.reset_dimensions()  # some tools write a wrong <dimension>; read every cell
                rows = [
                    ["" if v is None else v if type(v) is str else cell_text(v) for v in row]
                    for row in worksheet.iter_rows(values_only=True)
                ]
                if any(cell.strip() for row in rows for cell in row):
                    break
        except Exception as exc:  # noqa: BLE001 - damaged sheet XML, as above
            raise InputFileError(
                f"Kalkylbladet i {path.name} kunde inte läsas: {_reason(exc)}. Öppna filen i Excel och spara den igen."
            ) from exc
        finally:
            workbook.close()
    return _sheet(path, _frame(rows), "xlsx")


def _reason(exc: Exception) -> str:
    return str(exc) or type(exc).__name__


def cell_text(value: object) -> str:
    """A cell value as the text a user would type: ``5.0`` → ``"5"``, dates ISO."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "Sant" if value else "Falskt"
    if isinstance(value, (float, np.floating)):
        value = float(value)
        if value != value:  # NaN
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        if (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat(timespec="seconds")
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


# --------------------------------------------------------------------------- shared


def _frame(rows: list[list[str]]) -> pd.DataFrame:
    width = max(map(len, rows), default=0)
    padded = [r if len(r) == width else r + [""] * (width - len(r)) for r in rows]
    if not padded or not width:
        return pd.DataFrame(np.empty((len(padded), width), dtype=object)).astype(str)
    return pd.DataFrame(padded, dtype=str)


def _sheet(path: Path, frame: pd.DataFrame, kind: str) -> Sheet:
    """Drop leading blank rows and trailing blank columns; remember the first kept row."""
    first = 0
    values = frame.itertuples(index=False, name=None)
    for row in values:
        if any(str(cell).strip() for cell in row):
            break
        first += 1
    if first >= len(frame):
        raise InputFileError(f"Filen {path.name} är tom (den innehåller inga ifyllda rader).")
    frame = frame.iloc[first:].reset_index(drop=True)
    width = frame.shape[1]
    while width > 1 and not any(str(v).strip() for v in frame[width - 1].to_numpy(dtype=object)):
        width -= 1
    if width < frame.shape[1]:
        frame = frame.iloc[:, :width]
    frame.columns = range(width)
    return Sheet(path=path, frame=frame, first_row=first + 1, kind=kind)
