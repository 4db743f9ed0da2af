"""Read survey waves into one validated tidy long table.

The tidy table has one row per respondent × question × wave, columns
:data:`TIDY_COLUMNS`:

- ``enkat``: the wave label ("Enkät 1"); ``enkat_nr``: its position, 1-based
- ``respondent``: an internal id ("<wave>:<row>"), never an identifier from the file
- ``organisation``: the respondent's organisation, spacing and case unified
  across waves (missing when blank)
- ``kod``: the personal linking code, case-folded (missing when blank); never output
- ``fraga``: question id; ``varde``: the answer's value (float, NaN when missing)
- ``svar``: the answer as written; ``status``: ``svar``, ``saknas`` (e.g. "Vet ej"),
  ``tomt`` (blank) or ``fritext``
- ``fil``, ``rad``: where the answer came from (row number as Excel shows it)

The text columns (``respondent``, ``organisation``, ``kod``, ``fraga``, ``svar``,
``status``, ``fil``) are categorical, their categories the values rows hold,
sorted (so a categorical sorts and groups as the object column would; group
with ``observed=True``, the default from pandas 3); ``enkat`` is categorical
in wave order; ``enkat_nr`` and ``rad`` are int32, ``varde`` float.

Each question is read with the parser of its own type and scale
(:class:`.choices.QuestionParsers`); ``varde`` is

- ``skala``: the value on the question's scale;
- ``janej``: 1 for yes (the scale's positive value), 0 for no;
- ``enval``: the option's code;
- ``numerisk``: the number (``min``/``max`` checked; the default scale's
  ``saknas`` words are ``saknas``);
- ``flerval``: one row per respondent whether the file has one column or one
  column per option (:mod:`.choices`): the bitmask ``sum(2**i)`` of the chosen
  options (``i`` the option's 0-based position in the question's options), and
  ``svar`` the chosen labels joined by ``"; "`` in option order; a respondent
  who chose nothing has status ``tomt`` and no value.

A respondent without an answer (``svar``) to any question but free text is
left out with a warning ("svarande utan svar"); a yes/no, choice or number
answer counts as an answer.

Columns are matched to the instrument by :mod:`.matching` (which also scores a
workbook's sheets, so the answer sheet is read); the files given for the waves
are checked by :mod:`.checks` (the same file or the same respondents for two
waves, a respondent ID on several rows), and every file's rows are counted by
:mod:`.counting`, so that a row left out is always named. Every problem is collected into a
:class:`ValidationReport`, with the readers' notes as information;
:func:`read_waves` raises :class:`ValidationError` when any is an error.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from slutrapport.core.errors import InputFileError, ValidationError
from slutrapport.core.oserrors import os_reason
from slutrapport.core.problems import WARNING, ValidationReport
from slutrapport.core.progress import Progress, progress_of, reading_step
from slutrapport.core.text import normalise
from slutrapport.sources.readers import RawTable, ReadOptions, read_raw
from slutrapport.sources.survey.answers import ANSWERED
from slutrapport.sources.survey.checks import (
    add_reader_findings,
    answer_keys,
    check_same_files,
    check_same_ids,
    check_same_rows,
    distinctive_ids,
    duplicate_ids,
    file_digest,
    rows_text,
)
from slutrapport.sources.survey.choices import ColumnReader, QuestionParsers
from slutrapport.sources.survey.columns import clean_columns, clean_texts, factorized_columns, scale_columns
from slutrapport.sources.survey.counting import NO_ANSWER, REPEATED_ID, RowLedger, report_rows
from slutrapport.sources.survey.instrument import FREETEXT, MULTIPLE, Instrument
from slutrapport.sources.survey.matching import build_targets, match_columns, option_columns, sheet_score
from slutrapport.sources.survey.reshape import WaveTable, find_wave_column, from_long, is_long, natural_key, split_waves
from slutrapport.sources.survey.tidy import Coded, WaveRows, organisations, tidy_frame

__all__ = ["SurveyData", "read_waves", "default_labels", "TIDY_COLUMNS", "FREETEXT_STATUS"]

TIDY_COLUMNS = [
    "enkat",
    "enkat_nr",
    "respondent",
    "organisation",
    "kod",
    "fraga",
    "varde",
    "svar",
    "status",
    "fil",
    "rad",
]
FREETEXT_STATUS = FREETEXT  # the status of a free-text answer in the tidy table
_PART_COLUMNS = ["respondent", "organisation", "kod", "varde", "svar", "status", "rad"]
_FREETEXT = np.array([FREETEXT_STATUS], dtype=object)


@dataclass
class SurveyData:
    """Validated survey waves: the tidy table, the instrument and what was found on the way."""

    tidy: pd.DataFrame
    instrument: Instrument
    waves: list[str]
    files: dict[str, str]
    report: ValidationReport = field(default_factory=ValidationReport)
    #: Tables derived from ``tidy`` (which is never modified), computed once and shared by the analyses.
    derived: dict = field(default_factory=dict, repr=False, compare=False)

    def __getstate__(self) -> dict:
        """Pickled (sent to a worker process) without ``derived``, which is computed again where needed."""
        return self.__dict__ | {"derived": {}}


def default_labels(count: int) -> list[str]:
    return [f"Enkät {i}" for i in range(1, count + 1)]


def read_waves(
    paths: list[Path],
    instrument: Instrument,
    labels: list[str] | None = None,
    column_map: dict[str, str] | None = None,
    format: str | None = None,
    wave_column: str | None = None,
    *,
    options: ReadOptions | list[ReadOptions] | None = None,
    progress: Progress | None = None,
) -> SurveyData:
    """Read survey files and validate every answer.

    Each file is one wave, in order, unless the waves are named inside the
    files: by a ``wave_column`` (wide files) or a wave column of a long file
    (one row per respondent × question). ``labels`` then give the waves' order
    and must match the values found.

    ``column_map`` maps a column heading as written in a file to a question id
    (or ``organisation`` / ``kod``) when the heading differs from the instrument;
    ``format`` forces an export format instead of detecting it; ``options``
    (one for every file, or a list with one per path) carries the user's other
    reading choices (sheet, header row, label file, encoding, duplicates).
    ``progress`` (:mod:`slutrapport.core.progress`) is told each file as it is read.
    Raises :class:`ValidationError` with the full report if any error is found.
    """
    report = ValidationReport()
    per_file = _per_file_options(options, len(paths), format)
    multiple = frozenset(normalise(name) for q in instrument.questions_of(MULTIPLE) for name in (q.id, q.text))
    per_file = [replace(o, multiple_choice=multiple) for o in per_file]
    targets = build_targets(instrument, column_map or {})
    loaded = _load(paths, per_file, wave_column, sheet_score(targets), report, progress_of(progress))
    sources = [table for item in loaded for table in item.tables]
    labels = _wave_labels(sources, labels, len(paths), report)
    files_of = {label: list(dict.fromkeys(t.raw.name for t in sources if t is not None and t.wave == label)) for label in labels}
    flagged = check_same_files([(i.name, i.digest, i.waves(labels)) for i in loaded if i.digest], report)
    ids = {label: set().union(*(distinctive_ids(t.raw) for t in sources if t is not None and t.wave == label)) for label in labels}
    check_same_ids(ids, files_of, report, flagged)
    keep = {id(t): item.options.keep_duplicates for item in loaded for t in item.tables if t is not None}
    ledgers = {id(t): item.ledger for item in loaded for t in item.tables if t is not None}
    parsers = QuestionParsers(instrument)
    frames: dict[str, list[WaveRows]] = {label: [] for label in labels}
    answers: dict[str, list[dict[str, Coded]]] = {label: [] for label in labels}
    files: dict[str, str] = {}
    for number, label in enumerate(labels, start=1):
        for table in sources:
            if table is None or (table.wave or label) != label:
                continue
            files[label] = ", ".join(filter(None, [files.get(label), table.raw.name]))
            read = _read_wave(table, label, number, instrument, parsers, targets, keep[id(table)], report, ledgers[id(table)])
            table.raw.data = table.raw.data.iloc[:0]  # its cells are read: free them before the next file's rows are made
            if read is not None:
                frames[label].append(read[0])
                answers[label].append(read[1])
        if label not in files and not any(t is None for t in sources):
            report.add(", ".join(Path(p).name for p in paths), "inga svar", f"det finns inga svar för {label}")
    check_same_rows(answers, files_of, report, flagged)
    report_rows([item.ledger for item in loaded if item.ledger is not None], report)
    report.problems = list(dict.fromkeys(report.problems))  # a file split by wave reports its columns once
    if not report.valid:
        raise ValidationError(report)
    parts = [rows for wave in frames.values() for rows in wave]
    if parts:
        tidy = tidy_frame(parts, labels)
    else:
        tidy = pd.DataFrame(columns=TIDY_COLUMNS)
        tidy["enkat"] = pd.Categorical.from_codes(tidy["enkat_nr"].to_numpy(dtype=int) - 1, categories=labels, ordered=True)
    tidy["organisation"] = organisations(tidy, instrument.organisation_aliases, report)
    return SurveyData(tidy=tidy[TIDY_COLUMNS], instrument=instrument, waves=labels, files=files, report=report)


def _per_file_options(options: ReadOptions | list[ReadOptions] | None, count: int, format: str | None) -> list[ReadOptions]:
    """One :class:`ReadOptions` per file; ``format`` (the older argument) fills in where none is set."""
    if isinstance(options, list):
        if len(options) != count:
            raise InputFileError(f"Inläsningsvalen ({len(options)}) stämmer inte med antalet filer ({count}).")
        chosen = options
    else:
        chosen = [options or ReadOptions()] * count
    return [replace(o, format=o.format or format) for o in chosen]


@dataclass
class _Loaded:
    """One file as read: its wave tables (``[None]`` when it could not be used) and its digest (the SHA-256
    of its bytes when another file is as large, else its size: see :func:`_hash_alike`)."""

    path: Path
    options: ReadOptions
    tables: list[WaveTable | None]
    digest: str | None = None
    ledger: RowLedger | None = None
    raw: RawTable | None = None  # while the digests are made

    @property
    def name(self) -> str:
        return self.path.name

    def waves(self, labels: list[str]) -> list[str]:
        found = {t.wave for t in self.tables if t is not None}
        return [label for label in labels if label in found]


def _load(
    paths: list[Path],
    options: list[ReadOptions],
    wave_column: str | None,
    prefer: Callable[[RawTable], float],
    report: ValidationReport,
    progress: Progress,
) -> list[_Loaded]:
    """Every file as one or more wave tables, the reader's notes and problems added to the report."""
    loaded: list[_Loaded] = []
    for number, (path, chosen) in enumerate(zip(paths, options, strict=True), start=1):
        path = Path(path)
        progress(reading_step(number, len(paths), path.name))
        try:
            raw = read_raw(path, options=replace(chosen, digest=False), prefer=prefer)  # hashed below when another file is as large
            size = path.stat().st_size
        except InputFileError as exc:
            report.add(path.name, "läsbar fil", str(exc))
            loaded.append(_Loaded(path, chosen, [None]))
            continue
        except OSError as exc:
            report.add(path.name, "läsbar fil", f"filen kunde inte läsas: {os_reason(exc, reading=True)}")
            loaded.append(_Loaded(path, chosen, [None]))
            continue
        add_reader_findings(raw, report)
        tables: list[WaveTable | None]
        ledger = RowLedger.of(raw, long=is_long(raw))
        if ledger.long:
            tables = list(from_long(raw, wave_column, report))
            ledger.long_rows(raw, tables, report)
        elif wave_column:
            column = find_wave_column(raw, wave_column)
            if column is None:
                report.add(raw.name, "saknad kolumn", f"enkätkolumnen '{wave_column}' finns inte i filen", rad=raw.header_row or None)
                tables = [None]
            else:
                tables = list(split_waves(raw, column))
                ledger.no_wave(raw, column, report)
        else:
            tables = [WaveTable(raw)]
        loaded.append(_Loaded(path, chosen, tables, f"{size} B", ledger, raw))
    _hash_alike(loaded)
    return loaded


def _hash_alike(loaded: list[_Loaded]) -> None:
    """Files of the same size get the SHA-256 of their bytes as digest; a file of its own size
    keeps its size, which no other file's digest equals (only files of one size can be the same)."""
    sizes = Counter(item.digest for item in loaded if item.digest)
    for item in loaded:
        if item.digest and sizes[item.digest] > 1 and item.raw is not None:
            with contextlib.suppress(OSError, InputFileError):  # gone since it was read: compared by size only
                item.digest = file_digest(item.path, item.raw)
        item.raw = None


def _wave_labels(sources: list[WaveTable | None], labels: list[str] | None, file_count: int, report: ValidationReport) -> list[str]:
    named = [t.wave for t in sources if t is not None and t.wave]
    if not named:
        labels = list(labels) if labels else default_labels(file_count)
        if len(labels) != file_count:
            raise InputFileError(
                f"Antalet etiketter ({len(labels)}: {', '.join(labels)}) stämmer inte med antalet filer ({file_count})."
            )
        for table, label in zip(sources, labels, strict=True):
            if table is not None:
                table.wave = label
    else:
        found = list(dict.fromkeys(sorted(named, key=natural_key)))
        if labels:
            unknown = [w for w in found if w not in labels]
            if unknown:
                raise InputFileError(
                    f"Filerna innehåller enkäterna {', '.join(found)}, men --labels anger {', '.join(labels)}; "
                    f"{', '.join(unknown)} saknas bland etiketterna."
                )
            labels = list(labels)
        else:
            labels = found
        if any(t is not None and not t.wave for t in sources):
            raise InputFileError("Antingen ska alla filer ange enkät i en kolumn, eller ingen.")
    if len(set(labels)) != len(labels):
        raise InputFileError(f"Etiketterna måste vara olika, fick: {', '.join(labels)}.")
    return labels


def _read_wave(
    table: WaveTable,
    label: str,
    number: int,
    instrument: Instrument,
    parsers: QuestionParsers,
    targets: dict[str, str],
    keep_duplicates: bool,
    report: ValidationReport,
    ledger: RowLedger,
) -> tuple[WaveRows, dict[str, Coded]] | None:
    """The wave's tidy rows and every row's answers as keys (see :func:`.checks.answer_keys`); None without answers.

    What becomes of each row is told to ``ledger``.
    """
    raw = table.raw
    found = match_columns(raw, instrument, targets, report)
    if not any(target.startswith(("q:", "o:")) for target in found):
        return None
    data = raw.data
    nonblank = np.zeros(len(data), dtype=bool)
    factorized = factorized_columns(data, list(dict.fromkeys(found.values())), scale_columns(found, instrument, parsers))
    cleaned = clean_columns(factorized)  # each distinct text once
    for pos, (codes, _) in factorized.items():
        nonblank |= np.not_equal(cleaned[pos], None)[codes]  # (cleaned: texts, or None for a blank)
    ledger.unanswered_rows(table, data.index[~nonblank])
    data = data if nonblank.all() else data[nonblank]  # (a copy of every column)
    if data.empty:
        report.add(raw.name, "inga svar", f"filen för {label} innehåller inga svar")
        return None
    rows = table.rows_of(data.index.to_numpy())
    excluded = duplicate_ids(raw, data, rows, keep_duplicates, report)
    ledger.left_out_rows(table, data.index[excluded], REPEATED_ID)
    if excluded.any():  # a respondent ID repeated: its later rows are listed in the warning and left out
        nonblank[np.flatnonzero(nonblank)[excluded]] = False
        data, rows = data[~excluded], rows[~excluded]
    respondents = Coded(np.arange(len(rows)), rows)  # labelled "<wave>:<row>" in the tidy table
    org = Coded(factorized[found["bg:organisation"]][0][nonblank], cleaned[found["bg:organisation"]]) if "bg:organisation" in found else _nothing(len(rows))
    if "bg:kod" in found:
        kod = Coded(factorized[found["bg:kod"]][0][nonblank], clean_texts(factorized[found["bg:kod"]][1], casefold=True))
    else:
        kod = _nothing(len(rows))
    if "bg:organisation" in found and org.isna().any():
        blank_rows = rows[org.isna()]
        report.add(
            raw.name,
            "tom organisation",
            f"{len(blank_rows)} svarande har inte angett organisation (rad {rows_text(blank_rows)}); "
            "de räknas i Alla och i gruppen 'Ej angiven'",
            kolumn=raw.columns[found["bg:organisation"]],
            allvar=WARNING,
        )
    _warn_duplicate_codes(raw, kod, rows, report)
    if raw.meta_columns:
        # Identical rows, timestamp included: the same submission exported twice.
        twins = data.duplicated(keep=False).to_numpy()
        if twins.any():
            report.add(
                raw.name,
                "dubblerad rad",
                f"{int(twins.sum())} rader är identiska, tidsstämpel inräknad (rad {rows_text(rows[twins])}); "
                "kontrollera om samma svar har exporterats två gånger. Raderna räknas var för sig",
                allvar=WARNING,
            )

    parts: dict[str, list[np.ndarray | Coded]] = {name: [] for name in _PART_COLUMNS}
    # Every row's answers as comparable keys, for the check of the same answers given for two waves.
    keys: dict[str, Coded] = {"organisation": answer_keys(org)} if "bg:organisation" in found else {}
    answered_any = np.zeros(len(data), dtype=bool)
    answered_of: dict[int, tuple[np.ndarray, np.ndarray]] = {}  # by statuses (id): which are answers, and code -1 none
    asked: list[tuple[str, int]] = []  # each question and its number of rows: the column fraga
    reader = ColumnReader(table, data.index, nonblank, factorized, report)
    for question in instrument.questions:
        pos = found.get(f"q:{question.id}")
        by_option = option_columns(found, question) if pos is None and question.kind == MULTIPLE else {}
        if pos is None and not by_option:
            continue
        keep = slice(None)
        if question.kind == FREETEXT:
            text = Coded(factorized[pos][0][nonblank], cleaned[pos])
            keep = ~text.isna()
            answers = text.take(keep)
            values, status = np.full(len(answers), np.nan), Coded(np.zeros(len(answers), dtype=np.intp), _FREETEXT)
            keys[question.id] = answer_keys(text)
        else:
            if by_option:
                values, answers, status, keys[question.id] = reader.options(question, by_option, parsers)
            else:
                values, answers, status, keys[question.id] = reader.parsed(pos, parsers.for_question(question))
            answered = answered_of.get(id(status.values))  # (the questions of a scale share their statuses)
            if answered is None:
                answered = answered_of[id(status.values)] = (status.values, np.append(status.values == ANSWERED, False))
            answered_any |= status.lookup(answered[1])
        for name, piece in (
            ("respondent", respondents.take(keep)),
            ("organisation", org.take(keep)),
            ("kod", kod.take(keep)),
            ("varde", values),
            ("svar", answers),
            ("status", status),
            ("rad", rows[keep]),
        ):
            parts[name].append(piece)
        asked.append((question.id, len(answers)))
    if not answered_any.any():
        report.add(raw.name, "inga svar", f"filen för {label} innehåller inga svar (utom på fritextfrågor)")
        return None
    silent = rows[~answered_any]
    ledger.left_out_rows(table, data.index[~answered_any], NO_ANSWER)
    ledger.kept_rows(table, data.index[answered_any])
    if len(silent):
        report.add(
            raw.name,
            "svarande utan svar",
            f"{len(silent)} svarande har inte besvarat någon fråga utom fritextfrågor (rad {rows_text(silent)}); "
            "de ingår inte i resultaten",
            allvar=WARNING,
        )
    return WaveRows(parts, number, raw.name, asked), keys


def _nothing(count: int) -> Coded:
    return Coded(np.full(count, -1, dtype=np.intp), np.array([], dtype=object))


def _warn_duplicate_codes(raw: RawTable, coded: Coded, rows: np.ndarray, report: ValidationReport) -> None:
    remap, distinct = pd.factorize(coded.values)  # cleaned codes may coincide ("AB1" and "ab1")
    used = np.append(remap, -1)[coded.codes]
    if not (np.bincount(used[used >= 0], minlength=len(distinct)) > 1).any():
        return  # no code on two rows (the rows themselves are only looked at when one is)
    kod = pd.Series(coded.dense(), dtype=object)
    counts = kod.dropna().value_counts()
    for code in counts[counts > 1].index:
        dup_rows = rows[(kod == code).to_numpy()]
        report.add(
            raw.name,
            "dubblerad kod",
            f"samma personliga kod förekommer på {len(dup_rows)} rader (rad {rows_text(dup_rows)}); "
            "svaren räknas som olika personers",
            allvar=WARNING,
        )
