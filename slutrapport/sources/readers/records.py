"""The records of a text file: how many fields each has, and a quoted field that never ends.

pandas' C parser fills a record that has fewer fields than the first with
blanks (and refuses one with more); the csv module (the slow path) pads every
record to the widest. Either way a record's own width is lost, so it is
counted here (:func:`field_counts`, :func:`read_records`) and kept on the
:class:`~.sheet.Sheet`. Once the header is found, :func:`ragged_rows` compares
every data row with the header rows:

- **more fields than the header**: when every extra field is blank (a
  separator at the end of the line), a warning that they were not read. When
  one holds text, an **error**: a separator inside an unquoted answer (a comma
  in a free text) splits it and moves every later answer on the row one
  column to the right, so answers may stand under the wrong questions and
  only the user can tell which; the row must be corrected.
- **fewer fields than the header has headings**: a warning; the missing
  answers count as blank.
- a blank record is neither: ingest counts blank rows.

Up to :data:`LISTED` rows are reported one by one; more are one problem that
lists them.

A file that ends inside a quoted field (a quote that opens and never closes)
has had the rest of the file read into that one field: an **error** naming
the row, and the line in a text editor, where the quote opened
(:func:`read_records`). pandas refuses such a file, so it always reaches the
csv module.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np

from slutrapport.core.problems import ERROR, WARNING, Problem
from slutrapport.sources.readers.sheet import Sheet

if TYPE_CHECKING:  # raw imports the loaders, which import this module
    from slutrapport.sources.readers.raw import RawTable

__all__ = ["field_counts", "quotes_paired", "read_records", "unclosed_quote", "ragged_rows", "rows_list", "LISTED"]

#: Rows reported one by one; more are listed in one problem.
LISTED = 5
_SHOWN = 10  # rows named in a list before "… (totalt n)"
_EXTRA = "för många fält"
_MISSING = "för få fält"


def rows_list(rows: Iterable[int], limit: int = _SHOWN) -> str:
    """Row numbers as a short list: "3, 7, 9 … (totalt 14)"."""
    rows = [int(r) for r in rows]
    shown = ", ".join(str(r) for r in rows[:limit])
    return shown + (f" … (totalt {len(rows)})" if len(rows) > limit else "")


def field_counts(text: str | bytes, sep: str, limit: int) -> np.ndarray | None:
    """How many fields each of the first ``limit`` records of ``text`` (text, or UTF-8 bytes) has
    (``None`` if the csv module cannot split it, say a field over its size limit).

    A text whose every quote opens a field or ends one (or is doubled inside one) is counted
    with numpy in one pass (:func:`_counted_fast`), as the csv module would split it; any
    other text by the csv module itself.
    """
    data = text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
    counts = _counted_fast(data, sep)
    if counts is not None:
        return counts[:limit]
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    try:
        return np.fromiter((len(r) for r in itertools.islice(reader, limit)), dtype=np.int64)
    except csv.Error:
        return None


_QUOTE, _LF, _CR = ord('"'), ord("\n"), ord("\r")


def _counted_fast(data: bytes, sep: str) -> np.ndarray | None:
    """Every record's number of fields, counted with numpy; ``None`` when a quote stands where the
    csv module would read it as a character (inside an unquoted field, or right after a closing
    quote), or a quoted field never ends: the csv module then counts.

    Outside quotes (an even number of quotes before a byte) every separator ends a field and every
    line break (``\\n``, ``\\r\\n`` or a lone ``\\r``) a record; an empty line is a record with no field,
    and a last line without a line break is a record too. UTF-8 never puts an ASCII byte inside
    another character, so the bytes can be scanned as they are.
    """
    size = len(data)
    if not size:
        return np.zeros(0, dtype=np.int64)
    buf = np.frombuffer(data, dtype=np.uint8)
    quotes = np.flatnonzero(buf == _QUOTE)
    if not quotes_paired(buf, quotes, sep):
        return None

    def outside(positions: np.ndarray) -> np.ndarray:
        return positions[np.searchsorted(quotes, positions) % 2 == 0] if len(quotes) else positions

    seps = outside(np.flatnonzero(buf == ord(sep)))
    lf = outside(np.flatnonzero(buf == _LF))
    cr = outside(np.flatnonzero(buf == _CR))
    lone_cr = cr[(cr == size - 1) | (buf[np.minimum(cr + 1, size - 1)] != _LF)]
    ends = np.sort(np.concatenate((lf, lone_cr)))
    if not len(ends) or ends[-1] != size - 1:
        ends = np.append(ends, size)  # the last record has no line break
    starts = np.concatenate(([0], ends[:-1] + 1))
    crlf = (ends > 0) & (ends < size) & (buf[np.clip(ends - 1, 0, size - 1)] == _CR) & (buf[np.minimum(ends, size - 1)] == _LF)
    counts = np.searchsorted(seps, ends) - np.searchsorted(seps, starts) + 1
    counts[ends - starts - crlf == 0] = 0  # an empty line: a record without fields
    return counts.astype(np.int64)


def quotes_paired(buf: np.ndarray, quotes: np.ndarray, sep: str) -> bool:
    """Whether the quotes (positions ``quotes`` in the bytes ``buf``) pair up as the csv module reads
    them: every one opens a field, ends one, or is doubled inside one, so that an odd number of
    quotes before a byte means it is inside quotes (see :func:`_counted_fast`)."""
    if len(quotes) % 2:
        return False  # a quoted field that never ends
    if not len(quotes):
        return True
    size = len(buf)
    opening, closing = quotes[0::2], quotes[1::2]
    allowed = np.zeros(256, dtype=bool)  # by byte: may stand beside a quote that opens or ends a field
    allowed[[ord(sep), _LF, _CR, _QUOTE]] = True
    before = allowed[buf[np.maximum(opening - 1, 0)]]
    after = allowed[buf[np.minimum(closing + 1, size - 1)]]
    return bool(((opening == 0) | before).all() and ((closing == size - 1) | after).all())


def read_records(
    text: str, sep: str, limit: int, name: str, first_line: int = 1
) -> tuple[list[list[str]], np.ndarray, Problem | None]:
    """The first ``limit`` records of ``text`` (csv module), how many fields each has, and the error
    for a quoted field still open at the end of the file (else ``None``).

    ``first_line`` is the text-editor line of the text's first line (2 after an Excel ``sep=;`` line).
    Raises :class:`csv.Error` when the csv module cannot split the text.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    rows: list[list[str]] = []
    start = last_start = 1  # the line (of ``text``) the next and the last record start on
    for row in itertools.islice(reader, limit):
        rows.append(row)
        last_start, start = start, reader.line_num + 1
    counts = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
    problem = None
    if rows and len(rows) < limit:
        lines = reader.line_num - last_start + 1
        if unclosed_quote(text, sep, last_start):
            problem = _unclosed(name, len(rows), last_start + first_line - 1, lines, rows[-1][-1] if rows[-1] else "")
    return rows, counts, problem


def unclosed_quote(text: str, sep: str, line: int) -> bool:
    """Whether the record that starts on ``line`` (1-based) of ``text`` ends inside a quoted field."""
    tail = "".join(itertools.islice(io.StringIO(text, newline=""), line - 1, None))
    if '"' not in tail:
        return False
    try:
        for _ in csv.reader(io.StringIO(tail, newline=""), delimiter=sep, strict=True):
            pass
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


def _unclosed(name: str, row: int, line: int, lines: int, value: str) -> Problem:
    where = f"rad {row}" if row == line else f"rad {row} (rad {line} i en textredigerare)"
    rest = "resten av raden" if lines <= 1 else f"resten av filen ({lines} textrader)"
    first = value.splitlines()[0] if value.strip() else value
    return Problem(
        fil=name,
        rad=row,
        kolumn=None,
        kontroll="citattecken",
        varde=_short(first),
        meddelande=(
            f'ett fält som börjar med citattecken (") på {where} avslutas aldrig, så {rest} lästes in som ett enda fält; '
            "svaren från och med den raden kan inte läsas. Lägg till det avslutande citattecknet (eller ta bort det "
            "inledande) och läs in filen igen"
        ),
        allvar=ERROR,
    )


def ragged_rows(sheet: Sheet, table: RawTable) -> list[Problem]:
    """Problems for the data rows of ``table`` with more or fewer fields than its header rows.

    ``sheet`` is the sheet the table was built from, cut at its first header row.
    """
    counts = sheet.field_counts
    top, last = sheet.first_row, table.header_row
    if counts is None or table.data.empty or last < top or last > len(counts):
        return []
    fields = int(counts[top - 1 : last].max())
    named = max((_last_filled(sheet.frame.iloc[r].tolist()) for r in range(last - top + 1)), default=0)
    own = {p.rad for p in sheet.problems}
    data_counts = counts[last : last + len(table.data)]
    shifted: list[tuple[int, int, str]] = []  # (row, fields, first extra text)
    trailing: list[tuple[int, int]] = []
    short: list[tuple[int, int]] = []
    for index in np.flatnonzero((data_counts > fields) | (data_counts < named)):
        row, count = last + 1 + int(index), int(data_counts[index])
        cells = [str(v) for v in sheet.frame.iloc[row - top].tolist()]
        if row in own or not any(c.strip() for c in cells):
            continue  # a blank row, or the row of an unclosed quote
        if count > fields:
            extra = [c for c in cells[fields:count] if c.strip()]
            if extra:
                shifted.append((row, count, extra[0]))
            else:
                trailing.append((row, count))
        else:
            short.append((row, count))
    headings = [" ".join(str(v).split()) for v in sheet.frame.iloc[last - top].tolist()]
    found = [*_shifted(table.name, shifted, fields), *_trailing(table.name, trailing, fields), *_short_rows(table.name, short, named, headings)]
    return sorted(found, key=lambda p: p.rad)


def _last_filled(cells: list) -> int:
    return max((i + 1 for i, v in enumerate(cells) if str(v).strip()), default=0)


def _shifted(name: str, found: list[tuple[int, int, str]], fields: int) -> list[Problem]:
    advice = (
        "svaren på raden kan ha hamnat under fel fråga (t.ex. ett kommatecken i en fritext utan citattecken runt). "
        "Rätta raden och läs in filen igen"
    )
    if len(found) <= LISTED:
        return [
            Problem(name, row, None, _EXTRA, _short(text), f"raden har {count} fält men rubrikraden har {fields}; "
                    f"de extra fälten lästes inte och {advice}", ERROR)  # fmt: skip
            for row, count, text in found
        ]
    rows = [row for row, _, _ in found]
    return [
        Problem(name, rows[0], None, _EXTRA, _short(found[0][2]), f"{len(rows)} rader har fler fält än rubrikraden ({fields}) "
                f"och text i de extra fälten (rad {rows_list(rows)}); de extra fälten lästes inte och {advice}", ERROR)  # fmt: skip
    ]


def _trailing(name: str, found: list[tuple[int, int]], fields: int) -> list[Problem]:
    if len(found) <= LISTED:
        return [
            Problem(name, row, None, _EXTRA, None, f"raden har {count} fält men rubrikraden har {fields}; "
                    "de extra fälten är tomma och lästes inte", WARNING)  # fmt: skip
            for row, count in found
        ]
    rows = [row for row, _ in found]
    return [
        Problem(name, rows[0], None, _EXTRA, None, f"{len(rows)} rader har fler fält än rubrikraden ({fields}) "
                f"(rad {rows_list(rows)}); de extra fälten är tomma och lästes inte", WARNING)  # fmt: skip
    ]


def _short_rows(name: str, found: list[tuple[int, int]], named: int, headings: list[str]) -> list[Problem]:
    if len(found) <= LISTED:
        problems = []
        for row, count in found:
            missing = [h for h in headings[count:named] if h]
            which = f" (under {_quoted(missing)})" if missing else ""
            problems.append(Problem(name, row, None, _MISSING, None, f"raden har {count} fält men rubrikraden har {named}; "
                                    f"de saknade svaren{which} räknas som tomma", WARNING))  # fmt: skip
        return problems
    rows = [row for row, _ in found]
    return [
        Problem(name, rows[0], None, _MISSING, None, f"{len(rows)} rader har färre fält än rubrikraden ({named}) "
                f"(rad {rows_list(rows)}); de saknade svaren räknas som tomma", WARNING)  # fmt: skip
    ]


def _quoted(headings: list[str], limit: int = 3) -> str:
    shown = ", ".join(f"'{_short(h, 40)}'" for h in headings[:limit])
    return shown + (f" och {len(headings) - limit} till" if len(headings) > limit else "")


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
