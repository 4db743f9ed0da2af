"""A wave's columns as codes into their distinct texts, and those texts cleaned, for :func:`.ingest.read_waves`.

Each column is numbered once (:mod:`.codes`): the columns of one scale's
questions together, by one array of their few texts, every other column alone.
Each distinct text is cleaned once (inner whitespace collapsed, ends stripped,
blank as ``None``), and the few texts the question columns share once for all
of them.
"""

from __future__ import annotations

import contextlib
from collections import Counter

import numpy as np
import pandas as pd

from slutrapport.sources.readers.sheet import frame_block
from slutrapport.sources.survey.choices import QuestionParsers
from slutrapport.sources.survey.codes import factorize, factorize_together
from slutrapport.sources.survey.instrument import FREETEXT, Instrument

__all__ = ["column_cells", "clean_texts", "clean_columns", "scale_columns", "factorized_columns"]


#: Whitespace other than a space (which :func:`clean_texts` replaces): every character ``str.isspace`` (and ``str.split``)
#: takes for space, as ``[^\S ]`` matches them, each looked for alone (faster than the pattern over a long text).
_OTHER_SPACES = ("\t", "\n", "\x0b", "\x0c", "\r", "\x1c", "\x1d", "\x1e", "\x1f", "\x85", "\xa0", "\u1680",
                 *map(chr, range(0x2000, 0x200B)), "\u2028", "\u2029", "\u202f", "\u205f", "\u3000")  # fmt: skip


def clean_texts(uniques: np.ndarray, casefold: bool = False) -> np.ndarray:
    """Distinct texts with inner whitespace collapsed and ends stripped; blank becomes None.
    ``casefold`` (the personal codes) folds case too.

    Texts that need no change (nearly all) are told at once by one search through them all joined;
    otherwise each is cleaned by itself.
    """
    try:
        joined = "\x00".join(uniques)
    except TypeError:  # not all text
        joined = None
    if joined is None or joined.count("\x00") != len(uniques) - 1 or _needs_cleaning(joined):
        texts = [" ".join(str(u).split()) for u in uniques]
        texts = [t.casefold() for t in texts] if casefold else texts
        cleaned = np.array(texts, dtype=object)
        cleaned[np.array([not t for t in texts], dtype=bool)] = None
        return cleaned
    cleaned = np.array(joined.casefold().split("\x00") if casefold else uniques, dtype=object)  # casefold maps each character alone
    if "\x00\x00" in joined or joined.startswith("\x00") or joined.endswith("\x00") or joined == "":
        cleaned[list(uniques).index("")] = None  # the texts are distinct: one is blank
    return cleaned


def scale_columns(found: dict[str, int], instrument: Instrument, parsers: QuestionParsers) -> list[list[int]]:
    """The columns of questions read by one parser (a scale's questions), by parser: they share their few
    texts. A column matched twice (to a question and to something else) is left out."""
    matched = Counter(found.values())
    by_parser: dict[int, list[int]] = {}
    for question in instrument.questions:
        pos = found.get(f"q:{question.id}")
        if pos is not None and question.kind != FREETEXT and matched[pos] == 1:
            by_parser.setdefault(id(parsers.for_question(question)), []).append(pos)
    return [columns for columns in by_parser.values() if len(columns) > 1]


def factorized_columns(data: pd.DataFrame, positions: list[int], groups: list[list[int]]) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """Each column's codes and distinct values (see :func:`.codes.factorize`), by position: the columns of one
    group (one scale's questions) numbered by one array of their texts, up to :data:`_TOGETHER_CELLS` cells
    at a time (:func:`.codes.factorize_together`: where a group cannot be, its columns each alone)."""
    found: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    cells = _frame_cells(data)
    for group in groups:
        step = max(2, _TOGETHER_CELLS // max(len(data), 1))
        for start in range(0, len(group), step):
            chunk = group[start : start + step]
            together = factorize_together(_chunk_cells(data, cells, chunk)) if len(chunk) > 1 else None
            if together is not None:
                found.update({pos: (codes, together[1]) for pos, codes in zip(chunk, together[0], strict=True)})
    return {pos: found[pos] if pos in found else factorize(column_cells(data, pos)) for pos in positions}


def _frame_cells(data: pd.DataFrame) -> np.ndarray | None:
    """A reader's frame's cells as one 2-D object array, a column per row (a view of the frame's one block: a CSV
    file's, see :func:`.readers.sheet.frame_block`), or ``None`` when the frame is held otherwise or empty."""
    block = frame_block(data) if not data.empty else None
    return block.T if block is not None else None


def _chunk_cells(data: pd.DataFrame, cells: np.ndarray | None, chunk: list[int]) -> np.ndarray:
    """The cells of the columns ``chunk`` (labels of ``data``) as a 2-D object array, a column per row: a view of
    ``cells`` (:func:`_frame_cells`) when they lie side by side, else their cells copied into one array."""
    if cells is not None:
        at = [data.columns.get_loc(pos) for pos in chunk]  # (unique labels: places; faster than get_indexer for a few)
        return cells[at[0] : at[-1] + 1] if at == list(range(at[0], at[0] + len(at))) else cells[at]
    return np.stack([column_cells(data, pos) for pos in chunk])


#: Cells of one scale's columns numbered together at most (more: in pieces of this many).
_TOGETHER_CELLS = 1 << 18


def clean_columns(factorized: dict[int, tuple[np.ndarray, np.ndarray]]) -> dict[int, np.ndarray]:
    """:func:`clean_texts` of each column's distinct values. The questions of a scale share their few texts:
    a column of at most :data:`_FEW_TEXTS` texts takes those already cleaned for another column."""
    known: dict[str, str | None] = {}
    cleaned: dict[int, np.ndarray] = {}
    shared: dict[int, int] = {}  # an array of distinct values several columns share (by id) → the first such column
    for pos, (_, uniques) in factorized.items():
        if id(uniques) in shared:
            cleaned[pos] = cleaned[shared[id(uniques)]]
            continue
        shared[id(uniques)] = pos
        texts = uniques.tolist()
        if len(texts) > _FEW_TEXTS or not all(type(text) is str for text in texts):  # (1 and 1.0 are one key)
            cleaned[pos] = clean_texts(uniques)
            continue
        new = [text for text in texts if text not in known]
        if new:
            known.update(zip(new, clean_texts(np.array(new, dtype=object)).tolist(), strict=True))
        cleaned[pos] = np.array([known[text] for text in texts], dtype=object)
    return cleaned


#: Columns with at most this many distinct texts are cleaned by :func:`clean_columns`' shared texts.
_FEW_TEXTS = 32


def _needs_cleaning(joined: str) -> bool:
    """Whether a text of ``joined`` (texts joined by NUL) has a space at an end, two in a row, or other whitespace."""
    ends = joined.startswith(" ") or joined.endswith(" ") or " \x00" in joined or "\x00 " in joined
    return ends or "  " in joined or any(space in joined for space in _OTHER_SPACES)


def column_cells(data: pd.DataFrame, pos: int) -> np.ndarray:
    """The cells of column ``pos`` (a label of ``data``'s integer columns) as an object array, not to be changed.

    A reader's frame holds each column as one array (a row of one block, for a CSV file): pandas' own manager
    gives it without the Series that ``data[pos]`` makes (which costs as much as factorizing a column of a
    thousand answers); where it cannot (another pandas, a column of another type), the Series's array.
    """
    get = getattr(getattr(data, "_mgr", None), "iget_values", None)
    if get is not None and data.columns.is_unique:
        with contextlib.suppress(Exception):  # (a pandas whose manager differs: by the Series below)
            values = get(data.columns.get_loc(pos))
            if isinstance(values, np.ndarray) and values.dtype == object and values.shape == (len(data),):
                return values
    return data[pos].to_numpy(dtype=object)
