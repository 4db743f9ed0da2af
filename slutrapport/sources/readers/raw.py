"""The raw table every reader produces: a file's question headings and data rows as strings.

Format modules build a :class:`RawTable` from a :class:`~.tabular.Sheet` with
:func:`table_from_sheet`, telling it how many header rows the tool writes, the
best question text per column, which columns are the tool's own metadata and
which other names a column may be matched by.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from slutrapport.core.text import normalise
from slutrapport.sources.readers.tabular import Sheet

__all__ = ["RawTable", "table_from_sheet", "bracket_label", "add_alternative"]

_BRACKET = re.compile(r"^(.*\S)\s*\[([^\[\]]+)\]$", re.S)


@dataclass
class RawTable:
    """A file's header and data rows as strings.

    ``data`` has one row per data row and integer column positions; the row a
    user sees in Excel (or the case number in SPSS) for position ``i`` is
    :meth:`row_number`. ``header_row`` is the last header row (0 when the file
    has none, as in SPSS). ``meta_columns`` are positions of the survey tool's
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
    #: Position of the survey tool's respondent-ID column (checked for duplicates within and across waves).
    id_column: int | None = None
    #: The worksheet read, for a workbook.
    sheet: str | None = None
    #: SHA-256 of the file's bytes (the same file given for two waves is an error).
    digest: str | None = None
    #: What the reader decided on its own, for the validation report as information
    #: (which sheet was used, which rows above the header were skipped, the encoding guessed).
    notes: list[str] = field(default_factory=list)
    #: Problems the reader found in single rows (e.g. two options ticked in a single-choice question),
    #: as :class:`~slutrapport.core.problems.Problem` objects; ingest adds them to the report.
    problems: list = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path.name

    def row_number(self, position: int) -> int:
        """The row Excel shows for data row ``position`` (1-based).

        For CSV this is the record number, which is also the text-editor line unless a quoted
        field earlier in the file spans several lines; for SPSS it is the case number.
        """
        return self.header_row + 1 + position


def table_from_sheet(
    sheet: Sheet,
    header_rows: int,
    columns: list[str],
    format: str,
    meta: Iterable[int] = (),
    alternatives: dict[int, list[str]] | None = None,
) -> RawTable:
    """The rows below the first ``header_rows`` rows of ``sheet`` as a :class:`RawTable`."""
    data = sheet.frame.iloc[header_rows:].reset_index(drop=True)
    data.columns = range(data.shape[1])
    assert len(columns) == data.shape[1], "a format module must name every column"
    cleaned = {pos: names for pos, names in (alternatives or {}).items() if names}
    return RawTable(
        path=sheet.path,
        columns=columns,
        data=data,
        header_row=sheet.first_row + header_rows - 1,
        format=format,
        meta_columns=set(meta),
        alternatives=cleaned,
    )


def bracket_label(heading: str) -> str | None:
    """The text inside a trailing ``[...]`` ("Fråga [Rad]" → "Rad"), else ``None``."""
    match = _BRACKET.match(heading)
    return match.group(2).strip() if match else None


def add_alternative(alternatives: dict[int, list[str]], pos: int, heading: str, *names: str | None) -> None:
    """Add ``names`` as alternatives of column ``pos``, skipping blanks and repeats of the heading."""
    seen = {normalise(heading), *(normalise(n) for n in alternatives.get(pos, []))}
    for name in names:
        if name and normalise(name) and normalise(name) not in seen:
            alternatives.setdefault(pos, []).append(name)
            seen.add(normalise(name))
