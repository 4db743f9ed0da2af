"""Read survey waves into one validated tidy long table.

The tidy table has one row per respondent × question × wave, columns
:data:`TIDY_COLUMNS`:

- ``enkat``: the wave label ("Enkät 1"); ``enkat_nr``: its position, 1-based
- ``respondent``: an internal id ("<wave>:<row>"), never an identifier from the file
- ``organisation``: the respondent's organisation, spacing and case unified
  across waves (missing when blank)
- ``kod``: the personal linking code, case-folded (missing when blank); never output
- ``fraga``: question id; ``varde``: the scale value (float, NaN when missing)
- ``svar``: the answer as written; ``status``: ``svar``, ``saknas`` (e.g. "Vet ej"),
  ``tomt`` (blank) or ``fritext``
- ``fil``, ``rad``: where the answer came from (row number as Excel shows it)

Every problem is collected into a :class:`ValidationReport`;
:func:`read_waves` raises :class:`ValidationError` when any is an error.
"""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputFileError, ValidationError
from .answers import ANSWERED, AnswerParser
from .instrument import FREETEXT, Instrument
from .readers import RawTable, read_raw
from .text import normalise
from .validation import ERROR, WARNING, ValidationReport

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


@dataclass
class SurveyData:
    """Validated survey waves: the tidy table, the instrument and what was found on the way."""

    tidy: pd.DataFrame
    instrument: Instrument
    waves: list[str]
    files: dict[str, str]
    report: ValidationReport = field(default_factory=ValidationReport)


def default_labels(count: int) -> list[str]:
    return [f"Enkät {i}" for i in range(1, count + 1)]


def read_waves(
    paths: list[Path],
    instrument: Instrument,
    labels: list[str] | None = None,
    column_map: dict[str, str] | None = None,
) -> SurveyData:
    """Read one file per wave, in order, and validate every answer.

    ``column_map`` maps a column heading as written in a file to a question id
    (or ``organisation`` / ``kod``) when the heading differs from the instrument.
    Raises :class:`ValidationError` with the full report if any error is found.
    """
    labels = list(labels) if labels else default_labels(len(paths))
    if len(labels) != len(paths):
        raise InputFileError(
            f"Antalet etiketter ({len(labels)}: {', '.join(labels)}) stämmer inte med antalet filer ({len(paths)})."
        )
    if len(set(labels)) != len(labels):
        raise InputFileError(f"Etiketterna måste vara olika, fick: {', '.join(labels)}.")
    report = ValidationReport()
    parser = AnswerParser(instrument.scale)
    targets = _targets(instrument, column_map or {})
    frames = []
    for number, (path, label) in enumerate(zip(paths, labels), start=1):
        frame = _read_wave(Path(path), label, number, instrument, parser, targets, report)
        if frame is not None:
            frames.append(frame)
    tidy = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=TIDY_COLUMNS)
    if not report.valid:
        raise ValidationError(report)
    tidy["organisation"] = _unify_spelling(tidy["organisation"])
    tidy["enkat"] = pd.Categorical(tidy["enkat"], categories=labels, ordered=True)
    return SurveyData(
        tidy=tidy[TIDY_COLUMNS],
        instrument=instrument,
        waves=labels,
        files={label: Path(p).name for p, label in zip(paths, labels)},
        report=report,
    )


def _targets(instrument: Instrument, column_map: dict[str, str]) -> dict[str, str]:
    """Normalised heading → target ('q:<id>' for a question, 'bg:<role>' for background)."""
    targets: dict[str, str] = {}
    for question in instrument.questions:
        targets[normalise(question.id)] = f"q:{question.id}"
        targets[normalise(question.text)] = f"q:{question.id}"
    for role, text in instrument.background.items():
        targets[normalise(role)] = f"bg:{role}"
        targets[normalise(text)] = f"bg:{role}"
    known = {q.id for q in instrument.questions}
    for heading, target in column_map.items():
        target = str(target).strip()
        if target in known:
            targets[normalise(heading)] = f"q:{target}"
        elif target in ("organisation", "kod"):
            targets[normalise(heading)] = f"bg:{target}"
        else:
            raise InputFileError(
                f"Kolumnmappningen pekar kolumnen '{heading}' på '{target}', som varken är en fråga "
                "i instrumentet eller organisation/kod."
            )
    return targets


def _match_columns(
    raw: RawTable, instrument: Instrument, targets: dict[str, str], report: ValidationReport
) -> dict[str, int]:
    """Target → column position; reports missing, duplicated and unmatched columns."""
    found: dict[str, int] = {}
    unmatched: list[int] = []
    for pos, heading in enumerate(raw.columns):
        if pos in raw.meta_columns:
            continue
        target = None
        for name in [heading, *raw.alternatives.get(pos, [])]:
            key = normalise(name)
            target = targets.get(key)
            if target is None and key.endswith("]") and "[" in key:
                # Google Forms (and SurveyMonkey matrices) write "Question [Row]".
                target = targets.get(normalise(key[key.rindex("[") + 1 : -1]))
            if target is not None:
                break
        if target is None:
            unmatched.append(pos)
            continue
        if target in found:
            report.add(
                raw.name,
                "dubblerad kolumn",
                f"kolumnen matchar samma fråga som kolumn {found[target] + 1} ('{raw.columns[found[target]]}')",
                rad=raw.header_row,
                kolumn=heading,
            )
            continue
        found[target] = pos
    if not any(target.startswith("q:") for target in found):
        headings = [h for h in raw.columns if h][:3]
        report.add(
            raw.name,
            "saknad kolumn",
            f"ingen kolumn i filen matchar frågorna i instrumentet '{instrument.name}'. Är det rätt instrument "
            f"och rätt fil? Filens första rubriker: {'; '.join(repr(h) for h in headings) or '(inga)'}",
            rad=raw.header_row,
        )
        return found
    for pos in unmatched:
        heading = raw.columns[pos]
        has_data = (raw.data[pos].str.strip() != "").any()
        if not heading and not has_data:
            continue
        report.add(
            raw.name,
            "okänd kolumn",
            "kolumnen matchar ingen fråga i instrumentet och används inte",
            rad=raw.header_row,
            kolumn=heading or f"(kolumn {pos + 1} utan rubrik)",
            allvar=WARNING,
        )
    unmatched_headings = [raw.columns[p] for p in unmatched if raw.columns[p]]
    for question in instrument.questions:
        if f"q:{question.id}" in found:
            continue
        hint = _closest(question.text, unmatched_headings)
        report.add(
            raw.name,
            "saknad kolumn",
            f"frågan {question.id} ('{question.text}') finns inte i filen"
            + (f"; närmast liknande kolumn: '{hint}' (rätta rubriken eller ange den under kolumner:)" if hint else ""),
            rad=raw.header_row,
            allvar=WARNING if question.kind == FREETEXT else ERROR,
        )
    for role, text in instrument.background.items():
        if f"bg:{role}" not in found:
            report.add(
                raw.name,
                "saknad kolumn",
                f"bakgrundsfrågan {role} ('{text}') finns inte i filen",
                rad=raw.header_row,
                allvar=ERROR if role == "organisation" else WARNING,
            )
    return found


def _closest(text: str, candidates: list[str]) -> str | None:
    if not candidates:
        return None
    by_norm = {normalise(c): c for c in candidates}
    match = difflib.get_close_matches(normalise(text), list(by_norm), n=1, cutoff=0.6)
    return by_norm[match[0]] if match else None


def _clean(values: pd.Series) -> pd.Series:
    cleaned = values.str.split().str.join(" ")
    return cleaned.where(cleaned != "", None)


def _read_wave(
    path: Path,
    label: str,
    number: int,
    instrument: Instrument,
    parser: AnswerParser,
    targets: dict[str, str],
    report: ValidationReport,
) -> pd.DataFrame | None:
    try:
        raw = read_raw(path)
    except InputFileError as exc:
        report.add(path.name, "läsbar fil", str(exc))
        return None
    found = _match_columns(raw, instrument, targets, report)
    if not any(target.startswith("q:") for target in found):
        return None
    data = raw.data
    nonblank = (data[list(found.values())].apply(lambda col: col.str.strip()) != "").any(axis=1)
    data = data[nonblank]
    if data.empty:
        report.add(raw.name, "inga svar", f"filen för {label} innehåller inga svar")
        return None
    rows = np.array([raw.row_number(i) for i in data.index])
    respondents = pd.Series([f"{number}:{r}" for r in rows], index=data.index)
    org = _clean(data[found["bg:organisation"]]) if "bg:organisation" in found else pd.Series(None, index=data.index, dtype=object)
    kod = _clean(data[found["bg:kod"]]).str.casefold() if "bg:kod" in found else pd.Series(None, index=data.index, dtype=object)
    if "bg:organisation" in found and org.isna().any():
        blank_rows = rows[org.isna().to_numpy()]
        report.add(
            raw.name,
            "tom organisation",
            f"{len(blank_rows)} svarande har inte angett organisation (rad {_rows_text(blank_rows)}); "
            "de räknas i Alla och i gruppen 'Ej angiven'",
            kolumn=raw.columns[found["bg:organisation"]],
            allvar=WARNING,
        )
    _warn_duplicate_codes(raw, kod, rows, report)

    parts = []
    answered_any = np.zeros(len(data), dtype=bool)
    for question in instrument.questions:
        pos = found.get(f"q:{question.id}")
        if pos is None:
            continue
        column = data[pos]
        if question.kind == FREETEXT:
            text = _clean(column)
            keep = text.notna().to_numpy()
            part = pd.DataFrame(
                {"respondent": respondents[keep], "fraga": question.id, "varde": np.nan, "svar": text[keep], "status": FREETEXT_STATUS}
            )
            part["rad"] = rows[keep]
        else:
            parsed = {value: parser.parse(value) for value in column.unique()}
            for value, result in parsed.items():
                if result.error:
                    for r in rows[(column == value).to_numpy()]:
                        report.add(raw.name, "svarsalternativ", result.error, rad=int(r), kolumn=raw.columns[pos], varde=value)
            values = column.map(lambda v: parsed[v].value).astype(float)
            status = column.map(lambda v: parsed[v].status)
            part = pd.DataFrame(
                {"respondent": respondents, "fraga": question.id, "varde": values, "svar": column, "status": status}
            )
            part["rad"] = rows
            answered_any |= (status == ANSWERED).to_numpy()
        parts.append(part)
    if not answered_any.any():
        report.add(raw.name, "inga svar", f"filen för {label} innehåller inga svar på skalfrågorna")
        return None
    silent = rows[~answered_any]
    if len(silent):
        report.add(
            raw.name,
            "svarande utan svar",
            f"{len(silent)} svarande har inte besvarat någon skalfråga (rad {_rows_text(silent)}); de ingår inte i resultaten",
            allvar=WARNING,
        )
    tidy = pd.concat(parts, ignore_index=True)
    tidy["organisation"] = tidy["respondent"].map(dict(zip(respondents, org)))
    tidy["kod"] = tidy["respondent"].map(dict(zip(respondents, kod)))
    tidy["enkat"] = label
    tidy["enkat_nr"] = number
    tidy["fil"] = raw.name
    return tidy


def _warn_duplicate_codes(raw: RawTable, kod: pd.Series, rows: np.ndarray, report: ValidationReport) -> None:
    counts = kod.dropna().value_counts()
    for code in counts[counts > 1].index:
        dup_rows = rows[(kod == code).to_numpy()]
        report.add(
            raw.name,
            "dubblerad kod",
            f"samma personliga kod förekommer på {len(dup_rows)} rader (rad {_rows_text(dup_rows)}); "
            "svaren räknas som olika personers",
            allvar=WARNING,
        )


def _rows_text(rows: np.ndarray, limit: int = 10) -> str:
    shown = ", ".join(str(int(r)) for r in rows[:limit])
    return shown + (f" … (totalt {len(rows)})" if len(rows) > limit else "")


def _unify_spelling(org: pd.Series) -> pd.Series:
    """Organisation names that differ only in case/spacing get their most common spelling."""
    present = org.dropna()
    if present.empty:
        return org
    counts = Counter(present)
    best: dict[str, str] = {}
    for name, count in counts.most_common():
        best.setdefault(name.casefold(), name)
    return org.map(lambda v: best[v.casefold()] if isinstance(v, str) else v)
