"""Checks of the files given for the waves: the same export given twice, and repeated respondents.

- **The same file for two waves** (the same bytes, by SHA-256): an error naming
  both files and waves.
- **The same respondents for two waves**: when more than half of one wave's
  *distinctive* respondent IDs occur in another wave, an error. Distinctive
  are the IDs of a survey tool that cannot recur by chance: six characters or
  more (SurveyMonkey's ``114873223451``) or not a number (Qualtrics'
  ``R_3kX…``). Short running numbers (LimeSurvey and Microsoft Forms number
  each survey's responses 1, 2, 3 …) are not compared.
- **The same answers for two waves**, for any files (e.g. the xlsx and the csv
  of one export): when at least :data:`SAME_ROWS_SHARE` of the larger wave's
  rows have a row with every matched answer equal in the other wave, and at
  least :data:`SAME_ROWS_MIN` rows do, an error. Files already reported as
  the same file or the same respondents are not reported again.
- **A respondent ID on several rows of one file**: a warning listing the IDs
  and rows. Only the first row of each ID is counted, unless the user keeps
  duplicates (``ReadOptions.keep_duplicates``); the warning says which.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd

from slutrapport.core.inputs import open_input_file
from slutrapport.core.problems import INFO, WARNING, ValidationReport
from slutrapport.core.text import normalise
from slutrapport.sources.readers import RawTable
from slutrapport.sources.survey.codes import factorize_keys
from slutrapport.sources.survey.tidy import Coded

__all__ = [
    "file_digest",
    "add_reader_findings",
    "is_distinctive",
    "distinctive_ids",
    "check_same_files",
    "check_same_ids",
    "check_same_rows",
    "answer_keys",
    "scale_key",
    "duplicate_ids",
    "rows_text",
    "SAME_ROWS_SHARE",
    "SAME_ROWS_MIN",
    "DISTINCTIVE_LENGTH",
]

#: An ID at least this long is distinctive even when it is a number.
DISTINCTIVE_LENGTH = 6
#: Share of the larger wave's rows that must have an equal row in the other wave.
SAME_ROWS_SHARE = 0.9
#: Fewest equal rows for two waves to count as the same answers.
SAME_ROWS_MIN = 5
_EXAMPLES = 3


def rows_text(rows: Iterable[int], limit: int = 10) -> str:
    """Row numbers as a short list: "3, 7, 9 … (totalt 14)"."""
    rows = [int(r) for r in rows]
    shown = ", ".join(str(r) for r in rows[:limit])
    return shown + (f" … (totalt {len(rows)})" if len(rows) > limit else "")


def file_digest(path: Path, raw: RawTable) -> str:
    """The SHA-256 of the file's bytes: the reader's, or computed here."""
    if raw.digest:
        return raw.digest
    digest = hashlib.sha256()
    with open_input_file(path, "Filen") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def add_reader_findings(raw: RawTable, report: ValidationReport) -> None:
    """The reader's notes as information (kontroll "inläsning") and its problems as they are."""
    for note in raw.notes:
        report.add(raw.name, "inläsning", note, allvar=INFO)
    report.problems.extend(raw.problems)


def is_distinctive(value: str) -> bool:
    """A tool's response ID that cannot recur by chance: long, or not a number.

    An e-mail address or a name (some tools, such as Artologik, put the respondent there) names a
    person, who may well answer every wave: it is not a response ID and is never compared across waves.
    """
    if "@" in value or " " in value.strip():
        return False
    return len(value) >= DISTINCTIVE_LENGTH or not value.isdigit()


def distinctive_ids(raw: RawTable) -> set[str]:
    """The distinctive respondent IDs in the table's ID column (none without one)."""
    if raw.id_column is None:
        return set()
    values = {str(v).strip() for v in raw.data[raw.id_column].unique()}
    return {v for v in values if v and is_distinctive(v)}


def _pair_name(first: str, second: str) -> str:
    return first if first == second else f"{first}, {second}"


def _waves_text(waves: list[str]) -> str:
    return ", ".join(waves) or "(ingen enkät)"


def check_same_files(files: list[tuple[str, str, list[str]]], report: ValidationReport) -> set[frozenset[str]]:
    """An error for every two files with the same bytes; ``files`` are (name, digest, waves).

    Returns the pairs of waves reported, so that later checks do not report them again.
    """
    flagged: set[frozenset[str]] = set()
    for (name_a, digest_a, waves_a), (name_b, digest_b, waves_b) in combinations(files, 2):
        if digest_a != digest_b:
            continue
        which = f"filen {name_a} två gånger" if name_a == name_b else f"filerna {name_a} och {name_b}"
        report.add(
            _pair_name(name_a, name_b),
            "samma fil",
            f"samma fil (samma innehåll) har angetts för {_waves_text(waves_a)} och {_waves_text(waves_b)} ({which}); "
            "ange rätt fil för varje enkät",
        )
        flagged |= {frozenset((a, b)) for a in waves_a for b in waves_b if a != b}
    return flagged


def check_same_ids(
    ids: dict[str, set[str]], files: dict[str, list[str]], report: ValidationReport, flagged: set[frozenset[str]]
) -> None:
    """An error when more than half of one wave's distinctive IDs occur in another wave (``ids`` by wave, in order)."""
    for first, second in combinations(ids, 2):
        pair = frozenset((first, second))
        shared = ids[first] & ids[second]
        if not shared or pair in flagged:
            continue
        if 2 * len(shared) > len(ids[first]) or 2 * len(shared) > len(ids[second]):
            flagged.add(pair)
            examples = ", ".join(f"'{v}'" for v in sorted(shared)[:_EXAMPLES])
            report.add(
                ", ".join(dict.fromkeys(files[first] + files[second])),
                "samma svarande",
                f"{len(shared)} svarande-id finns både i {first} ({len(ids[first])} id) och i {second} "
                f"({len(ids[second])} id), t.ex. {examples}; samma svar verkar ha angetts för två enkäter. "
                "Kontrollera att varje enkät har sin egen fil",
            )


def check_same_rows(
    frames: dict[str, list[dict[str, Coded]]], files: dict[str, list[str]], report: ValidationReport, flagged: set[frozenset[str]]
) -> None:
    """An error when two waves have (nearly) the same rows of answers.

    ``frames`` are, by wave, one table per file: by matched question (and
    ``organisation``) every row's answer as a key (:func:`answer_keys`,
    :func:`scale_key`) coded as a :class:`~.tidy.Coded`; only the columns both waves have are compared.
    """
    # one file's keys have no gaps; the files of one wave may have different columns (filled as "")
    tables = {wave: _joined(parts) for wave, parts in frames.items() if parts}
    known: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {}

    def factorized(wave: str, column: str) -> tuple[np.ndarray, np.ndarray]:  # each wave's column once, whatever the pairs
        if (wave, column) not in known:
            coded = tables[wave][1][column]
            remap, distinct = factorize_keys(coded.values)  # the distinct texts' keys, each key once
            known[wave, column] = coded.lookup(remap), distinct
        return known[wave, column]

    for first, second in combinations(tables, 2):
        (size_a, a), (size_b, b) = tables[first], tables[second]
        if frozenset((first, second)) in flagged or min(size_a, size_b) < SAME_ROWS_MIN:
            continue
        common = [c for c in a if c in b]
        if not [c for c in common if c != "organisation"]:
            continue
        larger = max(size_a, size_b)
        least = max(SAME_ROWS_MIN, SAME_ROWS_SHARE * larger)  # fewer equal rows are no error
        counted = _row_counts(((factorized(first, c), factorized(second, c)) for c in common), size_a, least)
        if counted is None:
            continue
        shared = np.minimum(*counted)
        equal = int(shared.sum())
        # Rows alike by chance (a small survey where most answer the same) are not the same file:
        # the shared rows must also differ among themselves.
        patterns = int((shared > 0).sum())
        if equal >= SAME_ROWS_MIN and equal >= SAME_ROWS_SHARE * larger and patterns >= SAME_ROWS_MIN:
            report.add(
                ", ".join(dict.fromkeys(files[first] + files[second])),
                "samma svar",
                f"{equal} av {larger} rader har precis samma svar i {first} och {second}; samma svar verkar ha "
                "angetts för två enkäter (t.ex. samma export som både xlsx och csv). Kontrollera att varje enkät "
                "har sin egen fil",
            )


def _joined(parts: list[dict[str, Coded]]) -> tuple[int, dict[str, Coded]]:
    """One wave's files as one table of keys: its number of rows and its columns (a column a file lacks is "" there)."""
    sizes = [len(next(iter(part.values()))) if part else 0 for part in parts]
    if len(parts) == 1:
        return sizes[0], parts[0]
    columns = list(dict.fromkeys(c for part in parts for c in part))
    blank = np.array([""], dtype=object)
    joined = {}
    for column in columns:
        pieces = [part[column] if column in part else Coded(np.zeros(size, dtype=np.intp), blank) for part, size in zip(parts, sizes, strict=True)]
        offsets = np.cumsum([0] + [len(p.values) for p in pieces[:-1]])
        joined[column] = Coded(
            np.concatenate([p.codes.astype(np.intp) + offset for p, offset in zip(pieces, offsets, strict=True)]),
            np.concatenate([p.values for p in pieces]),
        )
    return sum(sizes), joined


def _row_counts(
    columns: Iterable[tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]], size_a: int, least: float = 0
) -> tuple[np.ndarray, np.ndarray] | None:
    """How often each distinct row (every column equal) occurs in wave a and in wave b, by one row numbering;
    ``None`` as soon as fewer than ``least`` rows of a can equal one of b.

    ``columns`` holds, per compared column, the factorized keys (codes, distinct keys) of a and of b.
    The columns' codes are combined into one number per row as long as it stays below 2**24 (or
    62 bits), then numbered anew; each time, the rows equal so far are counted, and as a column only
    ever splits rows that were equal, their number never grows. With ``least``, the first count comes
    as soon as the numbers could tell every row apart (two waves' rows are then mostly apart).
    """
    rows, size = None, 1  # the number of each distinct row over the columns so far, and the numbers' bound
    renumber = _RENUMBER
    for (codes_a, keys_a), (codes_b, keys_b) in columns:
        joint = factorize_keys(np.concatenate([keys_a, keys_b]))[0]  # the keys of both waves in one numbering
        codes = np.concatenate([joint[: len(keys_a)][codes_a], joint[len(keys_a) :][codes_b]]).astype(np.int64)
        width = int(joint.max()) + 1 if len(joint) else 1
        if rows is None and least:  # first counted once the rows may all differ (different waves seldom get further)
            renumber = min(_RENUMBER, max(len(codes), 2))
        if rows is not None and (size >= renumber or size * width >= 2**62):
            rows = factorize_keys(rows)[0].astype(np.int64)
            size, renumber = (int(rows.max()) + 1 if len(rows) else 1), _RENUMBER
            if least and np.minimum(np.bincount(rows[:size_a], minlength=size), np.bincount(rows[size_a:], minlength=size)).sum() < least:
                return None
        rows, size = (codes, width) if rows is None else (rows * width + codes, size * width)
    rows = factorize_keys(rows)[0].astype(np.int64) if rows is not None else None
    size = int(rows.max()) + 1 if rows is not None and len(rows) else 0
    return np.bincount(rows[:size_a], minlength=size), np.bincount(rows[size_a:], minlength=size)


#: The rows are numbered anew (and the rows equal so far counted) once their numbers reach this bound.
_RENUMBER = 2**24


def answer_keys(values: Coded) -> Coded:
    """Answers (free text, organisation) as comparable keys: normalised, blank as ""."""
    keys = np.array([normalise(u) if isinstance(u, str) else "" for u in values.values] + [""], dtype=object)
    return Coded(np.where(values.codes < 0, len(values.values), values.codes.astype(np.intp)), keys)


def scale_key(value: float | None, status: str, text: object) -> str:
    """A parsed scale answer as a comparable key: its value, or its status and text ("saknas:vet ej")."""
    return f"{value:g}" if value is not None else f"{status}:{normalise(text) if isinstance(text, str) else ''}"


def duplicate_ids(raw: RawTable, data: pd.DataFrame, rows: np.ndarray, keep: bool, report: ValidationReport) -> np.ndarray:
    """Rows of ``data`` (with answers) to leave out because their respondent ID came earlier in the file.

    ``rows`` are the file rows of ``data``. Every repeated ID is listed in one
    warning; with ``keep`` nothing is left out and the warning says so.
    """
    excluded = np.zeros(len(data), dtype=bool)
    if raw.id_column is None or data.empty:
        return excluded
    ids = data[raw.id_column].astype(str).str.strip()
    repeated = (ids != "") & ids.duplicated(keep=False)
    if not repeated.any():
        return excluded
    later = ((ids != "") & ids.duplicated(keep="first")).to_numpy()
    groups = pd.Series(rows[repeated.to_numpy()]).groupby(ids[repeated].to_numpy(), sort=False).agg(list)
    listed = "; ".join(f"'{value}' (rad {rows_text(found)})" for value, found in list(groups.items())[:10])
    if len(groups) > 10:
        listed += f" … (och {len(groups) - 10} id till)"
    if keep:
        outcome = "alla rader räknas, eftersom dubbletter ska behållas"
    else:
        excluded = later
        outcome = (
            f"bara den första raden för varje id räknas; {int(later.sum())} senare rader är uteslutna "
            f"(rad {rows_text(rows[later])}). Ange --behall-dubbletter för att räkna alla rader"
        )
    report.add(
        raw.name,
        "dubblerat id",
        f"{len(groups)} svarande-id förekommer på flera rader: {listed}; {outcome}",
        kolumn=raw.columns[raw.id_column],
        allvar=WARNING,
    )
    return excluded

