"""Load a CSV (or tab-separated) file into a :class:`~.sheet.Sheet`: every row as strings, nothing coerced.

The encoding is the user's ``--encoding`` if given; else UTF-8 (with or
without BOM), UTF-16 with a BOM (Excel's "Unicode-text") or without one (a
NUL in every other byte), or else a guess between Windows-1252, Mac Roman and
ISO-8859-1 (:mod:`.encodings`), noted for the validation report. The
separator (``,``, ``;`` or tab) is chosen by how consistently each candidate
splits the first records; an Excel ``sep=;`` first line is honoured. At most
``max_rows`` + 1 records are parsed, so an oversized file is refused without
being read whole.

Every record's number of fields is kept on the sheet (:mod:`.records`), so
that rows with more or fewer fields than the header, which the parsers pad
with blanks, are reported once the header is found; a quoted field that is
never closed is an error.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NoReturn

import numpy as np
import pandas as pd

from slutrapport.core.errors import InputFileError
from slutrapport.core.inputs import damage_reason
from slutrapport.core.problems import Problem
from slutrapport.sources.readers.encodings import decode_with, guess_single_byte, guessed_note, utf16_order
from slutrapport.sources.readers.limits import check_row_count, format_count
from slutrapport.sources.readers.options import DEFAULT_LIMITS, Limits
from slutrapport.sources.readers.records import field_counts, quotes_paired, read_records
from slutrapport.sources.readers.sheet import Sheet, frame_of, trimmed

__all__ = ["load_csv", "sniff_separator"]

_SEPARATORS = (",", ";", "\t")
_SNIFF_CHARS = 65536
_SNIFF_RECORDS = 50
_VISIBLE = re.compile(rb"\S")
#: A line with its end (the last may have none).
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")
_UTF8_A_TILDE = "Ã".encode()  # every mojibake pattern starts with it


def load_csv(path: Path, raw: bytes, *, encoding: str | None = None, limits: Limits = DEFAULT_LIMITS) -> Sheet:
    """Parse the bytes of a CSV (or tab-separated) file.

    Valid UTF-8 goes from bytes straight to pandas' C parser (the fast path);
    other encodings are decoded first.
    """
    name = path.name
    if encoding is not None:
        return _from_text(path, decode_with(raw, encoding, name), limits)
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _from_text(path, _decode_utf16(name, raw, "utf-16"), limits)
    order = utf16_order(raw[:4096])
    if order is not None:
        sheet = _from_text(path, _decode_utf16(name, raw, order), limits)
        sheet.notes.append(guessed_note(order))
        return sheet
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
        return _not_utf8(path, raw[start:], bool(start), limits)
    sep, skip = _separator_line(head)
    offset = start + len(head[:skip].encode("utf-8"))
    body = raw[offset:] if offset else raw
    if not _VISIBLE.search(body):
        raise InputFileError(f"Filen {name} är tom.")
    records = None
    if not sep:
        sep, records = _sniffed(head[skip:], truncated=len(raw) - start > _SNIFF_CHARS)
    _check_width(name, head[skip:], sep, limits, records)
    first_line = 2 if skip else 1
    try:
        frame = _read_csv(io.BytesIO(body), sep, limits, len(body))
    except UnicodeDecodeError:  # invalid UTF-8 after the sniffed part
        return _not_utf8(path, raw[start:], bool(start), limits)
    except _PARSER_ERRORS:
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return _not_utf8(path, raw[start:], bool(start), limits)
        return _finish(path, *_csv_module(text, sep, name, limits, first_line), limits, _has_a_tilde(body))
    counts = _short_records(frame, lambda: body, sep, limits)
    return _finish(path, frame, counts, None, limits, _has_a_tilde(body))


def _has_a_tilde(body: bytes) -> bool:
    """Whether the UTF-8 bytes hold an "Ã"; its second byte, rare in Swedish text (unlike the first,
    which starts å, ä and ö), is looked for first."""
    return _UTF8_A_TILDE[1:] in body and _UTF8_A_TILDE in body


def _decode_utf16(name: str, raw: bytes, codec: str) -> str:
    try:
        return raw.decode(codec)
    except UnicodeDecodeError as exc:
        raise InputFileError(
            f"Filen {name} ser ut att vara UTF-16-text men kunde inte avkodas ({exc.reason}); "
            "spara den som CSV (UTF-8) eller .xlsx."
        ) from exc


def _not_utf8(path: Path, data: bytes, bom: bool, limits: Limits) -> Sheet:
    """Bytes that are not all UTF-8. A UTF-8 BOM wins (the file keeps its readable parts);
    else the 8-bit encoding is guessed and the guess noted."""
    if bom:
        return _from_text(path, data.decode("utf-8", errors="replace"), limits)
    codec = guess_single_byte(data)
    sheet = _from_text(path, data.decode(codec, errors="replace"), limits)
    sheet.notes.append(guessed_note(codec))
    return sheet


def _from_text(path: Path, text: str, limits: Limits) -> Sheet:
    """Parse decoded text (any encoding but the UTF-8 fast path).

    The text is parsed as UTF-8 bytes (pandas would encode it so itself, a piece at a time), so that
    its records are counted as a UTF-8 file's; text that has no UTF-8 form (a lone surrogate) is parsed as text.
    """
    text = text.lstrip("\ufeff")
    if "\x00" in text:
        _reject_nul(path.name, text.count("\n", 0, text.index("\x00")) + 1)
    sep, skip = _separator_line(text)
    text = text[skip:]
    if not text or text.isspace():
        raise InputFileError(f"Filen {path.name} är tom.")
    sep = sep or sniff_separator(text)
    _check_width(path.name, text[:_SNIFF_CHARS], sep, limits)
    try:
        body: str | bytes = text.encode("utf-8")
    except UnicodeEncodeError:
        body = text
    try:
        frame = _read_csv(io.BytesIO(body) if isinstance(body, bytes) else io.StringIO(text, newline=""), sep, limits, len(body))
    except _PARSER_ERRORS:
        return _finish(path, *_csv_module(text, sep, path.name, limits, 2 if skip else 1), limits, "Ã" in text)
    return _finish(path, frame, _short_records(frame, lambda: body, sep, limits), None, limits, "Ã" in text)


def _finish(
    path: Path, frame: pd.DataFrame, counts: np.ndarray | None, problem: Problem | None, limits: Limits, a_tilde: bool
) -> Sheet:
    """The parsed rows as a sheet, with every record's number of fields (``None``: all alike) and an
    unclosed quote's error; ``a_tilde`` tells whether the text has an "Ã" (mojibake is looked for)."""
    check_row_count(path, len(frame), limits)
    _refuse_width(path.name, frame.shape[1], limits)
    sheet = trimmed(path, frame, "csv")
    sheet.may_have_mojibake = a_tilde
    sheet.field_counts = counts
    sheet.problems = [problem] if problem else []
    return sheet


def _short_records(frame: pd.DataFrame, text: Callable[[], str | bytes], sep: str, limits: Limits) -> np.ndarray | None:
    """Every record's number of fields when pandas may have padded one, else ``None``.

    pandas refuses a record with more fields than the first and fills one with fewer with blanks,
    so only a frame with a blank last cell can hide a short record; then the records are counted
    again (:func:`.records.field_counts`; ``None`` if they split differently). ``text`` gives the
    text, or the UTF-8 bytes pandas parsed.
    """
    if frame.empty or not (frame.iloc[:, -1].to_numpy(dtype=object) == "").any():
        return None
    data = text()
    if len(frame) <= limits.max_rows and _all_full(data, sep, len(frame), frame.shape[1]):
        return None
    counts = field_counts(data, sep, limits.max_rows + 1)
    return counts if counts is not None and len(counts) == len(frame) else None


def _all_full(data: str | bytes, sep: str, records: int, width: int) -> bool:
    """Whether each of the ``records`` records pandas read has all ``width`` fields, told from the
    separators alone: outside quotes every separator splits a field and no record has more than
    ``width`` fields (pandas refuses one), so ``records × (width − 1)`` separators leave none short.

    In UTF-8 bytes the separators inside quoted fields are left out (when the quotes pair up as the
    csv module reads them); text with quotes is counted record by record instead.
    """
    if width < 2:
        return False
    if isinstance(data, str):
        return '"' not in data and data.count(sep) == records * (width - 1)
    buf = np.frombuffer(data, dtype=np.uint8)
    separators, quotes = _separators_and_quotes(buf, ord(sep), b'"' in data)
    if len(quotes):
        if not quotes_paired(buf, quotes, sep):
            return False
        separators -= _quoted_separators(data, buf, quotes, sep)
    return separators == records * (width - 1)


#: Bytes looked through at a time (a piece stays in the processor's cache while it is compared twice, and its
#: temporaries in memory used before); a text over :data:`_WHOLE_TEXT` four times as many (fewer calls).
_PIECE = 1 << 16
#: Quoted fields are looked through one by one while there are fewer than one per this many bytes
#: (a field costs about as much as counting the separators in a thousand bytes).
_BYTES_PER_FIELD = 1000


def _piece(size: int) -> int:
    """Bytes of a text of ``size`` bytes looked through at a time (:data:`_PIECE`)."""
    return _PIECE if size <= _WHOLE_TEXT else 4 * _PIECE


def _separators_and_quotes(buf: np.ndarray, sep: int, quoted: bool) -> tuple[int, np.ndarray]:
    """How many bytes of ``buf`` are ``sep`` (faster than ``bytes.count``), and where the quotes are (if ``quoted``)."""
    separators, quotes = 0, []
    step = _piece(len(buf))
    for start in range(0, len(buf), step):
        piece = buf[start : start + step]
        separators += int(np.count_nonzero(piece == sep))
        if quoted:
            quotes.append(np.flatnonzero(piece == ord('"')) + start)
    return separators, np.concatenate(quotes) if quotes else np.zeros(0, dtype=np.intp)


def _quoted_separators(data: bytes, buf: np.ndarray, quotes: np.ndarray, sep: str) -> int:
    """How many separators lie between a quote that opens a field and the one that closes it (the
    quotes, paired, at ``quotes``): field by field when there are few, else from every quote's count
    of separators before it."""
    if len(quotes) // 2 <= len(buf) // _BYTES_PER_FIELD:
        mark = sep.encode()
        return sum(map(data.count, itertools.repeat(mark), quotes[0::2].tolist(), quotes[1::2].tolist()))
    before, ranks = 0, []
    step = _piece(len(buf))
    bounds = np.searchsorted(quotes, np.arange(0, len(buf) + step, step))
    for k, start in enumerate(range(0, len(buf), step)):
        is_sep = buf[start : start + step] == ord(sep)
        count = int(np.count_nonzero(is_sep))
        at = quotes[bounds[k] : bounds[k + 1]] - start
        if len(at):
            between = np.add.reduceat(is_sep, at, dtype=np.intp)  # from each quote to the next (the last: to the end)
            ranks.append(before + count - int(between.sum()) + np.concatenate(([0], np.cumsum(between[:-1]))))
        before += count
    counted = np.concatenate(ranks)
    return int((counted[1::2] - counted[0::2]).sum())


def _check_width(name: str, head: str, sep: str, limits: Limits, records: list[list[str]] | None = None) -> None:
    """Refuse before parsing when one of the first records has more fields than the column limit
    (``records``: the first records of ``head`` split by ``sep``, when already split)."""
    records = _first_records(head, sep) if records is None else records
    _refuse_width(name, max(map(len, records), default=0), limits)


def _refuse_width(name: str, width: int, limits: Limits) -> None:
    if width > limits.max_columns:
        raise InputFileError(
            f"Filen {name} har {format_count(width)} kolumner; gränsen är {format_count(limits.max_columns)}. "
            "Kontrollera att filen är en enkätexport, eller ta bort kolumner som inte behövs."
        )


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
    return _sniffed(text, truncated)[0]


def _sniffed(text: str, truncated: bool | None = None) -> tuple[str, list[list[str]] | None]:
    """:func:`sniff_separator`'s separator and the first records of ``text`` split by it (``None``: not split
    by it; when ``text`` is the sniffed sample itself, these are the records :func:`_check_width` looks at)."""
    sample = text[:_SNIFF_CHARS]
    truncated = len(text) > len(sample) if truncated is None else truncated
    best, best_score = ",", None
    split: dict[str, list[list[str]]] = {}
    for sep in _SEPARATORS:
        if best_score is not None and best_score[:3] == (True, 1.0, True) and sample.count(sep) + 1 <= best_score[3]:
            continue  # it can split no record into more fields than the best does into all: it cannot win
        records = split[sep] = _first_records(sample, sep)
        if truncated and len(records) > 1:
            records = records[:-1]  # the last one may be cut off
        widths = [len(r) for r in records if len(r) > 1 or (r and r[0].strip())]
        if not widths:
            continue
        modal, count = Counter(widths).most_common(1)[0]
        score = (modal > 1, count / len(widths), widths[0] == modal, modal)
        if best_score is None or score > best_score:
            best, best_score = sep, score
    chosen = best if best_score is not None and best_score[0] else ","
    return chosen, split.get(chosen) if len(text) <= _SNIFF_CHARS else None


def _first_records(sample: str, sep: str) -> list[list[str]]:
    """The first :data:`_SNIFF_RECORDS` records of ``sample`` as the csv module splits them (records cut off by a
    problem: those before it): a line without a quote (or NUL) split by the separator, a record with quotes read
    by the csv module, which takes the lines its quoted fields go on to."""
    records: list[list[str]] = []
    lines = _lines(sample)
    with contextlib.suppress(csv.Error):  # keep what was read before the problem
        for text, line in lines:  # (each starts a record)
            if len(records) == _SNIFF_RECORDS:
                break
            if '"' in text or "\x00" in text:
                records.append(next(csv.reader(itertools.chain((line,), (rest for _, rest in lines)), delimiter=sep)))
            else:
                records.append(text.split(sep) if text else [])
    return records


def _lines(sample: str) -> Iterator[tuple[str, str]]:
    """Each line of ``sample`` without and with its end, as ``io.StringIO(sample, newline="")`` gives them (a line
    ends at "\r\n", "\r" or "\n"): split at once when every end is one of a kind ("\n", or "\r\n")."""
    if "\r" not in sample:
        parts, end = sample.split("\n"), "\n"
    elif sample.count("\r") == sample.count("\r\n") == sample.count("\n"):
        parts, end = sample.split("\r\n"), "\r\n"
    else:
        for match in _LINE.finditer(sample):
            line = match.group()
            yield line.rstrip("\r\n"), line
        return
    for part in parts[:-1]:
        yield part, part + end
    if parts[-1]:
        yield parts[-1], parts[-1]


#: Texts up to this many bytes are parsed at once (:func:`_read_csv`).
_WHOLE_TEXT = 8 << 20
_PARSER_ERRORS = (pd.errors.ParserError, ValueError, OverflowError, IndexError)


def _read_csv(source: io.IOBase, sep: str, limits: Limits, size: int) -> pd.DataFrame:
    """pandas' C parser, everything as text, at most one record past the row limit;
    raises on ragged rows (more fields than row 1).

    The parser's columns are taken as it hands them over and made one frame at once, the same frame
    as ``pandas.read_csv`` makes (object columns numbered from 0, rows from 0) without the Series it
    wraps each column in first: for a file of a thousand answers those cost a third of the parse.
    A text of ``size`` (bytes or characters) up to :data:`_WHOLE_TEXT` is parsed at once, a larger one
    a piece at a time (pandas' ``low_memory``: the parser's records of a piece are held, not all).
    """
    reader = pd.read_csv(
        source,
        sep=sep,
        header=None,
        dtype=object,  # (str would check every text again for its StringArray)
        keep_default_na=False,
        na_filter=False,
        skip_blank_lines=False,
        engine="c",
        encoding="utf-8",
        low_memory=size > _WHOLE_TEXT,
        iterator=True,
    )
    with reader:
        read = getattr(getattr(reader, "_engine", None), "read", None)
        if read is None:  # pragma: no cover - a pandas without the engine's own read
            return reader.read(limits.max_rows + 1)
        index, columns, arrays = read(limits.max_rows + 1)
    return _frame_of_columns(index, columns, arrays)


def _frame_of_columns(index: pd.Index | None, columns: list, arrays: dict) -> pd.DataFrame:
    """The frame of the C parser engine's ``read`` (its index, None for rows numbered from 0; the column
    labels; each column's array): the same frame as ``TextFileReader.read`` makes, every column of type
    object, but held as one block. A row (a header, a title row) is then one slice, not one cell taken
    from each column's block, and the rows kept are taken from every column at once."""
    rows = len(next(iter(arrays.values()))) if arrays else 0
    if index is None:
        index = pd.RangeIndex(rows)
    if list(arrays) != list(columns) or not all(isinstance(a, np.ndarray) and a.shape == (rows,) for a in arrays.values()):
        return pd.DataFrame(arrays, columns=columns, index=index, dtype=object, copy=False)  # pragma: no cover - another pandas
    block = np.empty((len(columns), rows), dtype=object)
    for k, label in enumerate(columns):
        block[k] = arrays.pop(label)  # (each column let go once it is in the block)
    return pd.DataFrame(block.T, columns=columns, index=index, dtype=object, copy=False)


def _csv_module(
    text: str, sep: str, name: str, limits: Limits, first_line: int
) -> tuple[pd.DataFrame, np.ndarray, Problem | None]:
    """The slow path for ragged rows or odd quoting: the csv module, rows padded to one width,
    with every record's number of fields and the error for a quoted field never closed."""
    try:
        rows, counts, problem = read_records(text, sep, limits.max_rows + 1, name, first_line)
    except csv.Error as exc:
        raise InputFileError(f"Filen {name} kunde inte tolkas som CSV (avgränsare '{_sep_name(sep)}'): {damage_reason(exc)}.") from exc
    _refuse_width(name, max(map(len, rows), default=0), limits)
    return frame_of(rows), counts, problem


def _sep_name(sep: str) -> str:
    return "tabb" if sep == "\t" else sep
