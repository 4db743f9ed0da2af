"""The grid every container is loaded into: a :class:`Sheet` of strings, and how cells become text.

A text file gives one sheet, a workbook one per worksheet that holds
anything. Leading blank rows and trailing blank columns are dropped, and
:attr:`Sheet.first_row` remembers where the kept rows start, so row numbers
stay the ones the user sees.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from slutrapport.core.errors import InputFileError
from slutrapport.core.text import normalise

__all__ = ["Sheet", "cell_text", "clean_heading", "frame_block", "frame_of", "trimmed", "CSV", "XLSX", "XLS", "ODS", "XLSB", "WORKBOOKS"]

#: Container kinds (:attr:`Sheet.kind`): a text file and the workbooks python-calamine reads.
CSV, XLSX, XLS, ODS, XLSB = "csv", "xlsx", "xls", "ods", "xlsb"
WORKBOOKS = (XLSX, XLS, ODS, XLSB)


@dataclass
class Sheet:
    """Rows of a file from its first non-blank row on, as a DataFrame of strings.

    ``frame`` has integer column positions and a RangeIndex; ``first_row`` is
    the 1-based row number (as Excel shows it) of ``frame`` row 0.
    """

    path: Path
    frame: pd.DataFrame
    first_row: int
    kind: str  # the container: one of CSV, XLSX, XLS, ODS, XLSB
    #: The worksheet's name, for a workbook.
    sheet: str | None = None
    #: What the loader decided on its own (the encoding it guessed), for the validation report.
    notes: list[str] = field(default_factory=list)
    #: False when the loader knows the text has no "Ã", so no UTF-8-read-as-Latin-1 need be looked for.
    may_have_mojibake: bool = True
    #: For a text file, how many fields each record has (index: row number - 1), see :mod:`.records`;
    #: ``None`` when the loader knows every record has the frame's width, and for a workbook.
    field_counts: np.ndarray | None = None
    #: Problems the loader found in single rows (a quoted field never closed), as
    #: :class:`~slutrapport.core.problems.Problem` objects for the raw table.
    problems: list = field(default_factory=list)
    #: :meth:`cells` of the rows asked for so far (each format's detector asks for the same header rows).
    _cells: dict[int, list[str]] = field(default_factory=dict, init=False, repr=False, compare=False)
    #: :meth:`keys` of the rows asked for so far.
    _keys: dict[int, list[str]] = field(default_factory=dict, init=False, repr=False, compare=False)

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
        if row not in self._cells:
            block = frame_block(self.frame)  # (a row of the one block: no Series made)
            values = block[row].tolist() if block is not None else self.frame.iloc[row].tolist()
            self._cells[row] = [clean_heading(v) for v in values]
        return list(self._cells[row])

    def keys(self, row: int) -> list[str]:
        """:meth:`cells` normalised (:func:`~slutrapport.core.text.normalise`), as the formats' detectors compare them."""
        if row not in self._keys:
            self._keys[row] = [normalise(c) for c in self.cells(row)]
        return list(self._keys[row])


def frame_block(frame: pd.DataFrame) -> np.ndarray | None:
    """A frame's cells as one 2-D object array (rows × columns), a view of its one block of texts (a CSV file's
    frame), or ``None`` when the frame is held otherwise (several blocks, cells of another type, repeated labels)."""
    blocks = getattr(getattr(frame, "_mgr", None), "blocks", ())
    if len(blocks) != 1 or getattr(blocks[0], "dtype", None) != np.dtype(object) or not frame.columns.is_unique:
        return None
    cells = frame.to_numpy(dtype=object, copy=False)
    return cells if cells.shape == frame.shape else None


def clean_heading(value: object) -> str:
    """A heading cell with whitespace (line breaks, NBSP) collapsed and stray BOMs removed."""
    return " ".join(str(value).replace("\ufeff", "").split())


def cell_text(value: object) -> str:
    """A cell value as the text a user would type: ``5.0`` → ``"5"``, dates ISO, ``True`` → ``"Sant"``."""
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


def frame_of(rows: list[list[str]]) -> pd.DataFrame:
    """Rows of strings as a DataFrame, short rows padded with blanks."""
    width = max(map(len, rows), default=0)
    padded = [r if len(r) == width else r + [""] * (width - len(r)) for r in rows]
    if not padded or not width:
        return pd.DataFrame(np.empty((len(padded), width), dtype=object)).astype(str)
    return pd.DataFrame(padded, dtype=str)


def _first_filled(frame: pd.DataFrame) -> int:
    """The place of the first row with a cell that is not blank (``len(frame)`` when there is none), looked
    for a few rows at a time (``itertuples`` makes a Series of every column first: most of reading a small file)."""
    start, size = 0, 8
    while start < len(frame):
        for offset, row in enumerate(frame.iloc[start : start + size].to_numpy(dtype=object)):
            if any(str(cell).strip() for cell in row):
                return start + offset
        start, size = start + size, size * 4
    return len(frame)


def trimmed(path: Path, frame: pd.DataFrame, kind: str, sheet: str | None = None) -> Sheet:
    """Drop leading blank rows and trailing blank columns; remember the first kept row."""
    first = _first_filled(frame)
    if first >= len(frame):
        if sheet is not None:
            raise InputFileError(f"Bladet '{sheet}' i filen {path.name} är tomt (det innehåller inga ifyllda rader).")
        raise InputFileError(f"Filen {path.name} är tom (den innehåller inga ifyllda rader).")
    frame = frame.iloc[first:].reset_index(drop=True)
    width = frame.shape[1]
    while width > 1 and not any(str(v).strip() for v in frame[width - 1].to_numpy(dtype=object)):
        width -= 1
    if width < frame.shape[1]:
        frame = frame.iloc[:, :width]
    frame.columns = range(width)
    return Sheet(path=path, frame=frame, first_row=first + 1, kind=kind, sheet=sheet)
