"""Turn long files and multi-wave files into one wide table per wave.

- **Long format**: one row per respondent × question, with columns for the
  respondent, the question and the answer (and optionally the wave,
  organisation and personal code). Recognised by those column names.
- **Several waves in one file**: a column (``--wave-column``) names the wave
  of each row.

Both produce :class:`WaveTable` objects that the ingest reads like any wide
export; a long file remembers which file row each answer came from, so errors
still name the row the user can find.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from slutrapport.core.problems import ValidationReport
from slutrapport.core.text import normalise
from slutrapport.sources.readers import RawTable

__all__ = ["WaveTable", "is_long", "split_waves", "from_long", "wave_label", "natural_key"]

_RESPONDENT = {"respondent", "svarande", "respondent id", "respondentid", "respondent_id", "person", "svarsid", "response id", "responseid", "id"}
_QUESTION = {"fraga", "fråga", "question", "item", "fraga_id", "fråga id", "fragaid", "variabel", "variable"}
_ANSWER = {"svar", "answer", "value", "varde", "värde", "response"}
_WAVE = {"enkat", "enkät", "wave", "omgång", "tillfalle", "tillfälle", "matning", "mätning", "enkättillfälle"}


@dataclass
class WaveTable:
    """One wave's wide table. ``cell_rows`` (same shape as ``raw.data``) holds the file row of
    each cell when it differs from the table row (long files)."""

    raw: RawTable
    wave: str | None = None
    cell_rows: np.ndarray | None = None

    def row_of(self, position: int, column: int | None = None) -> int:
        if self.cell_rows is not None and column is not None:
            row = self.cell_rows[position, column]
            if row > 0:
                return int(row)
        if self.cell_rows is not None:
            rows = self.cell_rows[position][self.cell_rows[position] > 0]
            return int(rows.min()) if len(rows) else self.raw.row_number(position)
        return self.raw.row_number(position)


    def rows_of(self, positions: np.ndarray) -> np.ndarray:
        """:meth:`row_of` (without a column) of every position, at once when the table is a file's own rows."""
        if self.cell_rows is None:
            return self.raw.header_row + 1 + np.asarray(positions, dtype=np.int64)
        return np.array([self.row_of(int(p)) for p in positions], dtype=np.int64)


def natural_key(value: str) -> list:
    """Sort 'Enkät 2' before 'Enkät 10'."""
    return [int(part) if part.isdigit() else part.casefold() for part in re.split(r"(\d+)", value)]


def wave_label(value: str) -> str:
    """A wave value as a label: '2' → 'Enkät 2'; other values unchanged."""
    value = " ".join(str(value).split())
    return f"Enkät {int(value)}" if value.isdigit() else value


def _find(columns: list[str], names: set[str], wanted: str | None = None, skip: set[int] = frozenset()) -> int | None:
    norm = [normalise(c) for c in columns]
    if wanted is not None:
        return norm.index(normalise(wanted)) if normalise(wanted) in norm else None
    for pos, name in enumerate(norm):
        if name in names and pos not in skip:
            return pos
    return None


def is_long(raw: RawTable) -> bool:
    """A long file has a respondent, a question and an answer column, and few columns besides.

    A survey tool's own columns (``meta_columns``, e.g. its ``ID``) never count.
    """
    if raw.format not in ("plain", "long"):
        return False
    found = [_find(raw.columns, names, skip=raw.meta_columns) for names in (_RESPONDENT, _QUESTION, _ANSWER)]
    return all(pos is not None for pos in found) and len(raw.columns) <= 8


def find_wave_column(raw: RawTable, wave_column: str | None) -> int | None:
    return _find(raw.columns, _WAVE, wave_column) if wave_column else None


def split_waves(raw: RawTable, column: int) -> list[WaveTable]:
    """Split a wide table by the values of its wave column (rows keep their file row numbers)."""
    values = raw.data[column].str.strip()
    tables = []
    for value in sorted({v for v in values if v}, key=natural_key):
        part = RawTable(
            path=raw.path,
            columns=raw.columns,
            data=raw.data[values == value],
            header_row=raw.header_row,
            format=raw.format,
            meta_columns=raw.meta_columns | {column},
            alternatives=raw.alternatives,
            id_column=raw.id_column,
            sheet=raw.sheet,
            digest=raw.digest,
        )
        tables.append(WaveTable(part, wave_label(value)))
    return tables


def from_long(raw: RawTable, wave_column: str | None, report: ValidationReport) -> list[WaveTable]:
    """Pivot a long table to one wide table per wave; duplicated answers are errors."""
    respondent = _find(raw.columns, _RESPONDENT)
    question = _find(raw.columns, _QUESTION)
    answer = _find(raw.columns, _ANSWER)
    wave = _find(raw.columns, _WAVE, wave_column) if wave_column else _find(raw.columns, _WAVE)
    data = raw.data
    file_rows = np.array([raw.row_number(i) for i in range(len(data))])
    keep = (data[respondent].str.strip() != "") & (data[question].str.strip() != "")
    extra = [p for p in range(len(raw.columns)) if p not in (respondent, question, answer, wave)]
    waves = data[wave].str.strip() if wave is not None else pd.Series("", index=data.index)
    tables = []
    for value in sorted(set(waves[keep]), key=natural_key):
        rows = data[keep & (waves == value)]
        people = list(dict.fromkeys(rows[respondent].str.strip()))
        headings = list(dict.fromkeys(rows[question].str.strip()))
        person_pos = {p: i for i, p in enumerate(people)}
        columns = [raw.columns[p] for p in extra] + headings
        wide = np.full((len(people), len(columns)), "", dtype=object)
        cell_rows = np.zeros((len(people), len(columns)), dtype=int)
        heading_pos = {h: len(extra) + i for i, h in enumerate(headings)}
        for index, row in rows.iterrows():
            i = person_pos[row[respondent].strip()]
            j = heading_pos[row[question].strip()]
            if cell_rows[i, j]:
                report.add(
                    raw.name,
                    "dubblerat svar",
                    f"svarande '{row[respondent].strip()}' har två svar på samma fråga"
                    + (f" i {wave_label(value)}" if value else "")
                    + f" (också rad {cell_rows[i, j]})",
                    rad=int(file_rows[index]),
                    kolumn=row[question].strip(),
                    varde=row[answer],
                )
                continue
            wide[i, j] = row[answer]
            cell_rows[i, j] = file_rows[index]
            for k, pos in enumerate(extra):
                if row[pos].strip() and not wide[i, k]:
                    wide[i, k] = row[pos]
                    cell_rows[i, k] = file_rows[index]
        part = RawTable(
            path=raw.path,
            columns=columns,
            data=pd.DataFrame(wide, columns=range(len(columns))).astype(str),
            header_row=raw.header_row,
            format="long",
        )
        tables.append(WaveTable(part, wave_label(value) if value else None, cell_rows))
    return tables
