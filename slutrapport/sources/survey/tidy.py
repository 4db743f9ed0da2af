"""The tidy long table built once from every wave's rows, and the organisation names unified in it.

:func:`~.ingest.read_waves` reads each wave into a :class:`WaveRows` (whole
columns as numpy arrays) and :func:`tidy_frame` makes one DataFrame of them
all, so the rows are copied once (not once per wave and again to concatenate
the waves). :func:`organisations` maps alias spellings, unifies spellings that
differ in case and renames an organisation named like a report group, once
per distinct name.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from slutrapport.core.problems import WARNING, ValidationReport
from slutrapport.core.text import normalise
from slutrapport.sources.survey.codes import factorize

__all__ = ["Coded", "WaveRows", "compact_codes", "tidy_frame", "categorical", "organisations", "RESERVED_SUFFIX"]

#: Group names the report gives to merged or total groups; an organisation may not be called so.
_RESERVED_GROUPS = {"alla": "Alla", "övriga": "Övriga", "ej angiven": "Ej angiven"}
RESERVED_SUFFIX = " (organisation)"
_FLOAT, _INT = ("varde",), ("rad",)
#: pandas' ``"str"`` type of the categories, looked up once (by its name, each Index looks it up among every type).
_STR = pd.api.types.pandas_dtype("str")


@dataclass(frozen=True)
class Coded:
    """A column as codes into its distinct values: row ``i`` holds ``values[codes[i]]``, missing where
    the code is -1 or the value is None/NaN. ``values`` (an object array) may repeat a value."""

    codes: np.ndarray
    values: np.ndarray

    def __len__(self) -> int:
        return len(self.codes)

    @classmethod
    def of(cls, array: np.ndarray) -> Coded:
        """A per-row array (object) as codes and values."""
        codes, uniques = factorize(np.asarray(array, dtype=object))
        return cls(codes, np.asarray(uniques, dtype=object))

    def take(self, keep: np.ndarray | slice) -> Coded:
        """The rows ``keep`` (every row, ``slice(None)``: this same column, so its pieces are known alike)."""
        if isinstance(keep, slice) and keep == slice(None):
            return self
        return Coded(self.codes[keep], self.values)

    def lookup(self, table: np.ndarray) -> np.ndarray:
        """Per row, ``table``'s entry for its code (``table`` has one entry per value and, last, one for code -1)."""
        return table[self.codes.astype(np.intp, copy=False)]  # (numpy looks up by small integer types far slower)

    def isna(self) -> np.ndarray:
        """Per row: whether the value is missing."""
        return self.lookup(np.append(pd.isna(self.values), True))

    def dense(self) -> np.ndarray:
        """Every row's value as an object array (missing as None)."""
        return self.lookup(np.append(self.values, None))


def compact_codes(codes: np.ndarray, count: int) -> np.ndarray:
    """Codes into ``count`` values (and -1) in the smallest integer type that holds them, as a column of
    answers is kept (numpy looks up with :data:`numpy.intp` codes faster: see :meth:`Coded.lookup`)."""
    return codes.astype(_code_type(count))


@dataclass
class WaveRows:
    """One wave's (one file's) rows of the tidy table: ``columns`` by name (each as the pieces of one
    question after another, numbers as arrays, text as :class:`Coded`, concatenated only in
    :func:`tidy_frame`), the wave's number and the file's name."""

    columns: dict[str, list[np.ndarray | Coded]]  # respondent: codes into the respondents' file rows
    number: int
    file: str
    #: Each question's id and its number of rows, in the order of the pieces: the column ``fraga``.
    questions: list[tuple[str, int]] = field(default_factory=list)

    def __len__(self) -> int:
        return sum(len(piece) for piece in next(iter(self.columns.values()))) if self.columns else 0


def tidy_frame(parts: list[WaveRows], waves: list[str] | None = None) -> pd.DataFrame:
    """Every wave's rows in one DataFrame: numbers as float (``varde``) and int32 (``rad``), text as
    categorical columns (:func:`categorical`), ``enkat_nr`` (int32), ``fil`` and ``fraga`` (categorical,
    from each part's file and questions), and with ``waves`` (the wave labels in order) ``enkat``,
    categorical in wave order.

    ``parts`` are emptied on the way (each column's pieces let go as soon as it is built).
    """
    names = list(parts[0].columns)
    sizes = [len(part) for part in parts]
    frame: dict[str, np.ndarray | pd.Categorical] = {}
    for name in names:
        pieces = [piece for part in parts for piece in part.columns[name]]
        numbers = [part.number for part in parts for _ in part.columns[name]]
        for part in parts:  # each column's pieces are freed once it is whole: the rows are never held twice over
            part.columns[name] = []
        if name == "respondent":
            frame[name] = _respondents(numbers, pieces)
        elif name in _FLOAT or name in _INT:
            dtype = float if name in _FLOAT else np.int32
            joined = np.concatenate(pieces, dtype=dtype, casting="same_kind") if pieces else np.array([], dtype=dtype)  # (no copy in the pieces' type)
            frame[name] = joined
        else:
            frame[name] = categorical(pieces)
        del pieces
    numbers = np.array([part.number for part in parts], dtype=np.int32)
    frame["enkat_nr"] = _runs(numbers, sizes)
    frame["fil"] = _repeated([part.file for part in parts], sizes)
    asked = [question for part in parts for question in part.questions]
    frame["fraga"] = _repeated([q for q, _ in asked], [n for _, n in asked])
    if waves is not None:
        codes = _runs((numbers - 1).astype(_code_type(len(waves))), sizes)
        frame["enkat"] = pd.Categorical.from_codes(codes, categories=waves, ordered=True)
    return pd.DataFrame(frame, copy=False)  # (of arrays, not Series: no index of each to align)


def _respondents(numbers: list[int], pieces: list[Coded]) -> pd.Categorical:
    """The respondent column, labelled ``"<wave>:<row>"`` (the wave's number and the respondent's file
    row: the pieces' values), as :func:`categorical` makes it of the labels.

    When no two parts are of one wave and every respondent is on a row, the labels are distinct and
    all categories: they are put in order by number, not by comparing texts (see :func:`_label_order`).
    """
    rows_of = {id(piece.values): (number, piece.values) for number, piece in zip(numbers, pieces, strict=True)}
    labels = {key: _labels(number, rows) for key, (number, rows) in rows_of.items()}
    held = {key: np.zeros(len(rows), dtype=bool) for key, (_, rows) in rows_of.items()}
    for piece in {(id(piece.codes), id(piece.values)): piece for piece in pieces}.values():  # (a wave's questions share them)
        held[id(piece.values)][piece.codes[piece.codes >= 0]] = True  # (-1: no respondent)
    waves = [number for number, _ in rows_of.values()]
    if len(set(waves)) < len(waves) or not all(h.all() for h in held.values()):
        return categorical([Coded(piece.codes, labels[id(piece.values)]) for piece in pieces])
    order = _label_order(waves, [rows for _, rows in rows_of.values()])
    categories = pd.Index(np.concatenate(list(labels.values()))[order], dtype=_STR)
    dtype = _code_type(len(categories))
    position = np.empty(len(order), dtype=dtype)
    position[order] = np.arange(len(order), dtype=dtype)
    bounds = np.cumsum([0] + [len(rows) for _, rows in rows_of.values()])
    lookups = {key: np.append(position[start:end], -1).astype(dtype) for key, start, end in zip(rows_of, bounds[:-1], bounds[1:], strict=True)}
    mapped: dict[tuple[int, int], np.ndarray] = {}
    codes = np.empty(sum(len(piece.codes) for piece in pieces), dtype=dtype)
    start = 0
    for piece in pieces:
        key = (id(piece.codes), id(piece.values))
        if key not in mapped:
            mapped[key] = piece.lookup(lookups[id(piece.values)])
        codes[start : start + len(piece.codes)] = mapped[key]
        start += len(piece.codes)
    return pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(categories), validate=False)


def _labels(number: int, rows: np.ndarray) -> np.ndarray:
    """The labels ``"<number>:<row>"`` of ``rows`` (whole numbers from 0), as texts.

    Written at once, not row by row (a text of each number costs more than the rest): every label as a line of
    ASCII bytes, its row's digits right-aligned in one width with spaces before them, and the spaces then deleted
    from the lines together before they are split (:data:`_LABEL_ROWS` rows at a time: the digits stay few).
    """
    if not len(rows):
        return np.array([], dtype=object)
    values = rows.astype(np.int64, copy=False)
    width = len(str(int(values.max())))
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    prefix = np.frombuffer(f"{number}:".encode(), dtype=np.uint8)
    written = []
    for start in range(0, len(values), _LABEL_ROWS):
        part = values[start : start + _LABEL_ROWS]
        digits = (part[:, None] // powers % 10 + ord("0")).astype(np.uint8)
        digits[part[:, None] < powers] = ord(" ")  # (before the number's first digit)
        digits[:, -1] = part % 10 + ord("0")  # (0 is written "0")
        lines = np.empty((len(part), len(prefix) + width + 1), dtype=np.uint8)
        lines[:, : len(prefix)] = prefix
        lines[:, len(prefix) : -1] = digits
        lines[:, -1] = ord("\n")
        written.append(lines.tobytes().translate(None, b" "))
    return np.array(b"".join(written).decode("ascii").split("\n")[:-1], dtype=object)


#: Rows :func:`_labels` writes at a time.
_LABEL_ROWS = 1 << 14


def _label_order(waves: list[int], rows: list[np.ndarray]) -> np.ndarray:
    """The order in which the labels ``"<wave>:<row>"`` of every part's rows (one after another) sort as texts.

    A label's wave part decides first (no ``"<n>:"`` begins another); then its row's digits as text:
    a row written with fewer digits is as its digits followed by zeros, and before a longer row
    written the same way ("12" < "120" < "125" < "13"). Rows are whole numbers from 0.
    """
    prefix = {wave: k for k, wave in enumerate(sorted(set(waves), key=lambda wave: f"{wave}:"))}
    every = np.concatenate(rows).astype(np.int64) if rows else np.zeros(0, dtype=np.int64)
    digits = np.searchsorted(10 ** np.arange(1, 19, dtype=np.int64), every, side="right") + 1
    widest = int(digits.max()) if len(digits) else 1
    padded = every * 10 ** (widest - digits)
    ranks = np.repeat([prefix[wave] for wave in waves], [len(r) for r in rows])
    return np.lexsort((digits, padded, ranks))


def _repeated(names: list[str], sizes: list[int]) -> pd.Categorical:
    """Each name on as many rows as its size, one after another (each wave's file on its rows, each
    question on its answers), as :func:`categorical` makes it."""
    held = sorted({name for name, size in zip(names, sizes, strict=True) if size})
    dtype = _code_type(len(held))
    position = {name: k for k, name in enumerate(held)}
    codes = _runs(np.array([position.get(name, -1) for name in names], dtype=dtype), sizes)
    return pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(pd.Index(held, dtype=_STR)), validate=False)


def categorical(pieces: list[Coded]) -> pd.Categorical:
    """The pieces one after another as a categorical whose categories are the distinct values any row
    holds, sorted, so that it sorts and groups as the same values in an object column would
    (missing stays missing).

    Pieces that share their ``values`` array (the same respondents for every question) are looked up
    once. Small pieces one after another (every question's answers in a small survey) are mapped
    together, up to :data:`_RUN_ROWS` rows at a time (few calls, and temporaries that stay small); a
    larger piece is mapped straight into its place in the column, and one that recurs (the same codes
    and values: every question's respondents) only once.
    """
    shared = list({id(piece.values): piece.values for piece in pieces}.values())
    values = np.concatenate(shared) if shared else np.array([], dtype=object)
    categories, found = _sorted_codes(values)  # every shared array's values at once
    dtype = _code_type(len(categories))
    found = np.append(found, -1).astype(dtype)  # (the last: a missing value)
    offsets = dict(zip((id(v) for v in shared), np.cumsum([0] + [len(v) for v in shared]).tolist(), strict=False))
    keys = [(id(piece.codes), id(piece.values)) for piece in pieces]
    recurring = Counter(keys)
    mapped: dict[tuple[int, int], np.ndarray] = {}  # the recurring pieces' codes, mapped (their place in the column)
    sizes = [len(piece.codes) for piece in pieces]  # (each piece's length once: a Coded's len() is a call)
    codes = np.empty(sum(sizes), dtype=dtype)
    start = 0
    for low, high in _runs_of_pieces(sizes):
        size = sum(sizes[low:high])
        out = codes[start : start + size]
        key = keys[low]
        if high - low > 1:  # small pieces: all at once, by their place among all values
            run = pieces[low:high]
            at = np.concatenate([piece.codes for piece in run], dtype=np.intp)
            missing = at < 0
            starts = [offsets[id(piece.values)] for piece in run]
            at += starts[0] if len(set(starts)) == 1 else np.repeat(np.array(starts, dtype=np.intp), sizes[low:high])
            at[missing] = len(values)
            np.take(found, at, out=out)
        elif key in mapped:
            out[...] = mapped[key]
        else:  # (code -1, missing, wraps to the table's last entry: -1)
            np.take(_lookup_table(found, offsets[key[1]], len(pieces[low].values)), pieces[low].codes, out=out, mode="wrap")
            if recurring[key] > 1:
                mapped[key] = out
        start += size
    made = pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(categories), validate=False)
    # a value no row holds (a row left out held it) is no category: a categorical's counts list every category
    return made if _held(codes, len(categories), _first_spans(keys, sizes, len(recurring))).all() else made.remove_unused_categories()


def _first_spans(keys: list[tuple[int, int]], sizes: list[int], distinct: int) -> list[list[int]]:
    """The rows of the pieces (``keys``, ``sizes``; ``distinct`` keys in all) each the first of its key, as spans from,
    to: a recurring piece's rows hold no category its first rows do not."""
    if distinct == len(keys):
        return [[0, sum(sizes)]]
    spans: list[list[int]] = []
    seen: set[tuple[int, int]] = set()
    start = 0
    for key, size in zip(keys, sizes, strict=True):
        if key not in seen:
            seen.add(key)
            if spans and spans[-1][1] == start:
                spans[-1][1] = start + size
            else:
                spans.append([start, start + size])
        start += size
    return spans


#: Rows of small pieces :func:`categorical` maps at once (a piece of half as many or more is mapped alone).
_RUN_ROWS = 1 << 14


def _runs_of_pieces(sizes: list[int]) -> list[tuple[int, int]]:
    """Pieces of ``sizes`` rows in order, cut into runs (from, to: places among the pieces) of small pieces of
    at most :data:`_RUN_ROWS` rows together (a piece of half as many or more: a run by itself)."""
    starts: list[int] = []
    rows = 0
    for k, size in enumerate(sizes):
        large = size >= _RUN_ROWS // 2
        if not starts or large or rows + size > _RUN_ROWS:
            starts.append(k)
            rows = 0
        rows = _RUN_ROWS if large else rows + size  # (after a large piece the next starts a run)
    return list(zip(starts, [*starts[1:], len(sizes)], strict=False))  # (no pieces: no runs)


def _held(codes: np.ndarray, count: int, spans: list[list[int]]) -> np.ndarray:
    """Which of ``count`` categories some code (-1: missing) in the ``spans`` of rows names, looked through
    :data:`_COUNTED_ROWS` codes at a time: a few categories each looked for until all are found (mostly in the
    first codes), more marked code by code (the marks, not the categories, cost: a column of many)."""
    if count <= _FEW_CATEGORIES:
        held = np.zeros(count, dtype=bool)
        for low, high in spans:
            for start in range(low, high, _COUNTED_ROWS):
                chunk = codes[start : min(start + _COUNTED_ROWS, high)]
                for k in np.flatnonzero(~held).tolist():
                    held[k] = (chunk == k).any()
                if held.all():
                    return held
        return held
    marked = np.zeros(count + 1, dtype=bool)  # (the first: missing)
    for low, high in spans:
        for start in range(low, high, _COUNTED_ROWS):
            marked[codes[start : min(start + _COUNTED_ROWS, high)] + 1] = True  # (codes stay below their type's largest)
    return marked[1:]


#: Categories up to this many :func:`_held` looks for one by one (each look one comparison of the codes; more are marked).
_FEW_CATEGORIES = 24


def _lookup_table(found: np.ndarray, offset: int, count: int) -> np.ndarray:
    """The categories' codes of ``count`` values from ``offset`` among all values, and -1 last (for code -1)."""
    table = np.empty(count + 1, dtype=found.dtype)
    table[:count] = found[offset : offset + count]
    table[count] = -1
    return table


def _runs(values: np.ndarray, sizes: list[int]) -> np.ndarray:
    """``numpy.repeat(values, sizes)``, each run filled at once (repeat copies a run's value item by item)."""
    out = np.empty(int(sum(sizes)), dtype=values.dtype)
    start = 0
    for value, size in zip(values.tolist(), sizes, strict=True):
        out[start : start + size] = value
        start += size
    return out


def _sorted_codes(values: np.ndarray) -> tuple[pd.Index, np.ndarray]:
    """The distinct values of an object array, sorted (missing left out), and each value's position among them (-1:
    missing): hashed once, and only the distinct values sorted (by Python's ``sorted``, faster than numpy's on texts)."""
    codes, distinct = pd.factorize(values)  # (mostly distinct texts: its table of texts hashes them fastest)
    listed = distinct.tolist()
    order = np.array(sorted(range(len(listed)), key=listed.__getitem__), dtype=np.intp)
    rank = np.empty(len(order) + 1, dtype=np.intp)
    rank[order] = np.arange(len(order), dtype=np.intp)
    rank[-1] = -1  # code -1: missing
    return pd.Index(np.asarray(distinct, dtype=object)[order], dtype=_STR), rank[codes]


def _code_type(count: int) -> type:
    """The smallest signed integer type for codes of ``count`` categories (and -1), as pandas chooses."""
    return np.int8 if count < 2**7 - 1 else np.int16 if count < 2**15 - 1 else np.int32


def organisations(tidy: pd.DataFrame, aliases: dict[str, str], report: ValidationReport) -> pd.Categorical:
    """The organisation column with alias spellings mapped to their organisation (instrument
    ``organisationer:``), spellings that differ only in case unified to the most common one (most
    rows; of equals the first), and an organisation named like a report group renamed
    (:func:`_rename_reserved`). Decided once per distinct name, on the categorical's codes; the
    result is a categorical as :func:`categorical` makes it.
    """
    org = tidy["organisation"].array
    if not isinstance(org, pd.Categorical):
        org = categorical([Coded.of(org)])
    codes = np.asarray(org.codes)
    rows = _code_counts(codes, len(org.categories))
    order = _first_seen(codes, int((rows > 0).sum()))  # the categories in order of first appearance
    if not len(order):
        return org
    uniques = np.asarray(org.categories, dtype=object)[order]
    wanted = {normalise(alias): name for alias, name in aliases.items()}
    named = [wanted.get(normalise(u), u) for u in uniques] if wanted else list(uniques)
    # the names after the aliases in order of first appearance, and the rows of each
    spellings = list(dict.fromkeys(named))
    position = {name: k for k, name in enumerate(spellings)}
    counts = np.zeros(len(spellings), dtype=np.int64)
    np.add.at(counts, [position[name] for name in named], rows[order])
    best: dict[str, str] = {}
    for k in np.argsort(-counts, kind="stable"):
        best.setdefault(str(spellings[k]).casefold(), str(spellings[k]))
    final = [best[str(name).casefold()] for name in named]
    renamed = _rename_reserved(final, order, codes, tidy["fil"], report)
    final = [renamed.get(name, name) for name in final]
    if final == list(uniques):
        return org
    names = np.asarray(org.categories, dtype=object).copy()
    names[order] = final
    return categorical([Coded(codes, names)])


def _code_counts(codes: np.ndarray, count: int) -> np.ndarray:
    """The rows of each of ``count`` categories (codes -1 left out), :data:`_COUNTED_ROWS` rows at a time (the
    codes widened for counting stay few: memory used again, not new)."""
    counts = np.zeros(count + 1, dtype=np.int64)
    for start in range(0, len(codes), _COUNTED_ROWS):
        counts += np.bincount(np.add(codes[start : start + _COUNTED_ROWS], 1, dtype=np.intp), minlength=count + 1)
    return counts[1:]


#: Codes :func:`_code_counts` counts and :func:`_held` looks through at a time.
_COUNTED_ROWS = 1 << 13


def _first_seen(codes: np.ndarray, count: int) -> np.ndarray:
    """The first ``count`` distinct codes (not -1) in order of first appearance, looked for in ever longer beginnings."""
    size = _COUNTED_ROWS
    while True:
        seen = pd.unique(codes[:size])
        seen = seen[seen >= 0]
        if len(seen) >= count or size >= len(codes):
            return seen.astype(np.intp)
        size *= 4


def _rename_reserved(names: list[str], order: np.ndarray, codes: np.ndarray, files: pd.Series, report: ValidationReport) -> dict[str, str]:
    """An organisation named like a report group ("Alla", "Övriga", "Ej angiven") gets " (organisation)" added.

    Otherwise its answers would be shown, and suppressed, as if they were the
    whole group; the renaming is reported as a warning. ``names`` are the
    organisations of the codes ``order`` of the rows' ``codes`` (one per row, as ``files``).
    """
    renamed: dict[str, str] = {}
    for value in sorted({v for v in names if normalise(v) in _RESERVED_GROUPS}):
        rows = np.isin(codes, [order[k] for k, name in enumerate(names) if name == value])
        report.add(
            ", ".join(dict.fromkeys(str(f) for f in files.array[rows])),
            "reserverat gruppnamn",
            f"organisationen '{value}' heter som en grupp i rapporten och visas som '{value}{RESERVED_SUFFIX}'",
            kolumn="organisation",
            varde=value,
            allvar=WARNING,
        )
        renamed[value] = value + RESERVED_SUFFIX
    return renamed

