"""What became of every data row of a survey file: counted, and every row left out named.

Ingest keeps one :class:`RowLedger` per file and tells it, wave by wave,
which rows became respondents and which were left out and why. Once every
wave is read, :func:`report_rows` adds per file

- an information: "N datarader lästes; M svarande ingår; K rader utan svar
  (rad …)", followed by the rows left out for other reasons (a repeated
  respondent ID, no wave in the wave column …), so that the numbers add up;
- a warning for rows that have something filled in (a timestamp, an ID, an
  answer to a column that matches no question) but no answer to the
  instrument's questions: such a row is left out of the results;
- a warning for any row left out that no other problem names (a safety net:
  no row may disappear without a word).

Blank rows are only counted. A long file (one row per answer) counts its
rows too; a row without a respondent or a question is warned about when the
file is read (:meth:`RowLedger.long_rows`). Rows above the header are named
by the reader's notes, and the rows of a file that could not be read by its
error.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from slutrapport.core.problems import INFO, WARNING, ValidationReport
from slutrapport.sources.readers import RawTable
from slutrapport.sources.survey.checks import rows_text
from slutrapport.sources.survey.reshape import WaveTable

__all__ = ["RowLedger", "report_rows", "NO_ANSWER", "REPEATED_ID"]

#: Reasons a row is left out that another check has already reported.
NO_ANSWER = "utan svar"
REPEATED_ID = "med ett svarande-id som redan förekommit"
_NO_WAVE = "utan enkät i kolumnen '{}'"
_NO_KEY = "utan svarande eller fråga"
_UNEXPLAINED = "som inte kunde läsas"


def _rader(count: int) -> str:
    return f"{count} rad" if count == 1 else f"{count} rader"


def _they(rows) -> str:
    return "den" if len(rows) == 1 else "de"


@dataclass
class RowLedger:
    """The data rows of one file (row numbers as Excel shows them) and what became of them."""

    name: str
    rows: list[int]
    long: bool = False
    respondents: int = 0
    kept: set[int] = field(default_factory=set)
    empty: set[int] = field(default_factory=set)
    #: Rows with something filled in but no answer to the instrument's questions.
    bare: set[int] = field(default_factory=set)
    #: Rows left out, by the reason told in the count (:data:`NO_ANSWER`, :data:`REPEATED_ID`, …).
    left_out: dict[str, set[int]] = field(default_factory=dict)

    @classmethod
    def of(cls, raw: RawTable, long: bool = False) -> RowLedger:
        first = raw.row_number(0)
        ledger = cls(raw.name, list(range(first, first + len(raw.data))), long)
        if long:
            ledger.empty = {ledger.rows[i] for i in np.flatnonzero(_blank_rows(raw.data))}
        return ledger

    def _rows(self, table: WaveTable, positions: Iterable) -> list[int]:
        if table.cell_rows is None:  # rows follow the header (positions are labels of the file's rows)
            return (np.asarray(positions, dtype=np.int64) + table.raw.row_number(0)).tolist()
        return [int(r) for p in positions for r in table.cell_rows[p] if r > 0]

    def kept_rows(self, table: WaveTable, positions: pd.Index) -> None:
        """The respondents at ``positions`` (labels of ``table.raw.data``) are in the results."""
        self.respondents += len(positions)
        self.kept.update(self._rows(table, positions))

    def left_out_rows(self, table: WaveTable, positions: pd.Index, reason: str) -> None:
        """The rows at ``positions`` are left out for ``reason``, which another check has reported."""
        if len(positions):
            self.left_out.setdefault(reason, set()).update(self._rows(table, positions))

    def unanswered_rows(self, table: WaveTable, positions: pd.Index) -> None:
        """The rows at ``positions`` have no answer in a matched column: blank, or only other cells filled."""
        if not len(positions):
            return
        if table.cell_rows is not None:  # a respondent of a long file has at least an ID
            self.bare.update(self._rows(table, positions))
            return
        blank = _blank_rows(table.raw.data.loc[positions])
        for position, is_blank in zip(positions, blank, strict=True):
            (self.empty if is_blank else self.bare).add(table.raw.row_number(position))

    def no_wave(self, raw: RawTable, column: int, report: ValidationReport) -> None:
        """Rows whose wave column is blank belong to no wave: warned about unless the row is blank."""
        missing = (raw.data[column].str.strip() == "").to_numpy()
        if not missing.any():
            return
        blank = _blank_rows(raw.data[missing])
        rows = np.array([raw.row_number(i) for i in raw.data.index[missing]])
        self.empty.update(int(r) for r in rows[blank])
        named = rows[~blank]
        if len(named):
            reason = _NO_WAVE.format(raw.columns[column])
            self.left_out.setdefault(reason, set()).update(int(r) for r in named)
            report.add(
                raw.name,
                "enkät saknas",
                f"{_rader(len(named))} anger ingen enkät i kolumnen '{raw.columns[column]}' (rad {rows_text(named)}); "
                f"{_they(named)} ingår inte i resultaten",
                kolumn=raw.columns[column],
                rad=int(named[0]),
                allvar=WARNING,
            )

    def long_rows(self, raw: RawTable, tables: list[WaveTable], report: ValidationReport) -> None:
        """Rows of a long file that went into no wave table: warned about unless blank or named already."""
        used = set().union(*(set(t.cell_rows[t.cell_rows > 0].tolist()) for t in tables if t.cell_rows is not None))
        named = {p.rad for p in report.problems if p.fil == raw.name and p.rad is not None}
        unused = [r for r in self.rows if r not in used and r not in self.empty and r not in named]
        if unused:
            self.left_out.setdefault(_NO_KEY, set()).update(unused)
            report.add(
                raw.name,
                "rad utan svarande",
                f"{_rader(len(unused))} saknar svarande eller fråga (rad {rows_text(unused)}); "
                f"{_they(unused)} ingår inte i resultaten",
                rad=unused[0],
                allvar=WARNING,
            )


def _blank_rows(data: pd.DataFrame) -> np.ndarray:
    """Whether each row of ``data`` has only blank cells."""
    filled = np.zeros(len(data), dtype=bool)
    for position in range(data.shape[1]):
        codes, uniques = pd.factorize(data.iloc[:, position])
        filled |= np.array([bool(str(u).strip()) for u in uniques] + [False], dtype=bool)[codes]
    return ~filled


def report_rows(ledgers: Iterable[RowLedger], report: ValidationReport) -> None:
    """For every file read: the count as information, and warnings for the rows no other check names."""
    for ledger in ledgers:
        if not ledger.respondents and not ledger.kept:
            continue  # nothing was read: the file's error says why
        bare = sorted(ledger.bare - ledger.kept)
        if bare:
            report.add(
                ledger.name,
                "rad utan svar",
                f"{_rader(len(bare))} har inga svar på instrumentets frågor, bara andra uppgifter som tidsstämpel eller id "
                f"(rad {rows_text(bare)}); {_they(bare)} ingår inte i resultaten",
                rad=bare[0],
                allvar=WARNING,
            )
        accounted = ledger.kept | ledger.empty | set(bare) | set().union(*ledger.left_out.values())
        named = {p.rad for p in report.problems if p.fil == ledger.name and p.rad is not None}
        unexplained = [r for r in ledger.rows if r not in accounted and r not in named]
        if unexplained:
            ledger.left_out[_UNEXPLAINED] = set(unexplained)
            report.add(
                ledger.name,
                "rad ingår inte",
                f"{_rader(len(unexplained))} lästes men ingår inte i resultaten (rad {rows_text(unexplained)})",
                rad=unexplained[0],
                allvar=WARNING,
            )
        report.add(ledger.name, "inläsning", _count_text(ledger, bare), allvar=INFO)


def _count_text(ledger: RowLedger, bare: list[int]) -> str:
    total = len(ledger.rows)
    parts = [f"{_rader(total).replace('rad', 'datarad')} lästes" + (" (en rad per svar)" if ledger.long else "")]
    parts.append(f"{ledger.respondents} svarande ingår")
    without = sorted((ledger.empty | set(bare) | ledger.left_out.get(NO_ANSWER, set())) - ledger.kept)
    parts.append(f"{_rader(len(without))} utan svar" + (f" (rad {rows_text(without)})" if without else ""))
    listed = ledger.kept | set(without)
    for reason, rows in ledger.left_out.items():
        rows = sorted(set(rows) - listed)
        if reason != NO_ANSWER and rows:
            parts.append(f"{_rader(len(rows))} {reason} (rad {rows_text(rows)})")
            listed |= set(rows)
    other = sorted(set(ledger.rows) - listed)  # left out and named by another problem
    if other:
        parts.append(f"{_rader(len(other))} som andra problem i rapporten gäller (rad {rows_text(other)})")
    return "; ".join(parts)
