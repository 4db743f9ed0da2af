"""LimeSurvey response exports (CSV with BOM, comma or semicolon, every field quoted).

One header row. It starts with LimeSurvey's own columns ``id, submitdate,
lastpage, startlanguage, seed, startdate, datestamp`` (any of them may be
missing; also ``ipaddr``, ``refurl``, ``token``), written as codes or, with
"full question text" headings, as ``Response ID, Date submitted, Last page,
Start language, Seed, Date started, Date last action, IP address, Referrer URL``.
Question headings are codes (``G01Q01``, ``G01Q02[SQ001]``), full texts
(``Frågetext [Delfråga]``) or both (``G01Q02[SQ001]. Frågetext [Delfråga]``).
Answers are codes (``A1``…) or texts as chosen at export. Without a label
file, codes are mapped by the instrument's ``skala: alias:``, not here.

For a code ``X[Y]`` the alternatives are ``Y`` and ``X_Y`` (LimeSurvey's
SPSS/R variable name); for a text ``Fråga [Delfråga]`` the sub-question text.

With a label file (``ReadOptions.labels_file``, ``--etiketter``; see
:mod:`.labels`) every coded column gets its question text as heading
(``Fråga [Delfråga]``, the code kept as an alternative) and its answer codes
are replaced by the answer texts, so ``A1``…``A5`` become scale labels and an
organisation question's codes become the organisations' names. A code the
label file lacks stays as written (ingest reports it). A label file that
names none of the file's question codes is an error.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from slutrapport.core.errors import InputFileError
from slutrapport.core.text import normalise
from slutrapport.sources.readers.labels import Codebook, QuestionLabels, read_labels
from slutrapport.sources.readers.options import ReadOptions
from slutrapport.sources.readers.raw import RawTable, add_alternative, bracket_label, table_from_sheet
from slutrapport.sources.readers.tabular import Sheet

__all__ = ["NAME", "matches", "build", "META"]

NAME = "limesurvey"

_CODES = {"id", "submitdate", "lastpage", "startlanguage", "seed", "startdate", "datestamp", "ipaddr", "refurl", "token", "interviewtime"}
_TEXTS = {
    "response id",
    "date submitted",
    "last page",
    "start language",
    "date started",
    "date last action",
    "ip address",
    "referrer url",
    "referring url",
    "access code",
    "total time",
}
#: Normalised headings (codes and full texts) of LimeSurvey's own columns.
META = _CODES | _TEXTS
_MARKERS = {"submitdate", "lastpage", "startlanguage", "date submitted", "last page", "start language"}
_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(?:\[[A-Za-z0-9_#-]+\])*$")
_CODE_TEXT = re.compile(r"^([A-Za-z][A-Za-z0-9_]*(?:\[[A-Za-z0-9_#-]+\])*)\.\s+(.+)$", re.S)
_TIMING = re.compile(r"^(?:groupTime\d+|[A-Za-z][A-Za-z0-9_]*Time)$")


def matches(sheet: Sheet) -> bool:
    """One of the first columns is ``id``/``Response ID`` and row 1 has ``submitdate``,
    ``lastpage`` or ``startlanguage`` (or their full-text forms)."""
    headings = [_code_and_text(c)[0] or c for c in sheet.cells(0)]
    keys = [normalise(h) for h in headings]
    return bool({"id", "response id"} & set(keys[:3])) and bool(_MARKERS & set(keys))


def _code_and_text(heading: str) -> tuple[str | None, str]:
    """``("G01Q02[SQ001]", "Fråga [Delfråga]")`` for a code-and-text heading; a code alone; or a text."""
    match = _CODE_TEXT.match(heading)
    if match:
        return match.group(1), match.group(2).strip()
    if _CODE.match(heading):
        return heading, heading
    return None, heading


def _answers_replaced(column: pd.Series, mapping: dict[str, str]) -> tuple[int, pd.Series]:
    """How many cells hold an answer code of ``mapping`` (spaces around it ignored), and the column with
    those cells replaced by the code's text (every other cell as it was). Each distinct cell is looked up once."""
    cells = column.to_numpy(dtype=object)
    codes, uniques = pd.factorize(cells)
    keys = [u.strip() if isinstance(u, str) else None for u in uniques.tolist()]
    hit = np.array([key is not None and key in mapping for key in keys] + [False], dtype=bool)  # (the last: code -1, missing)
    texts = np.array([mapping[key] if key is not None and key in mapping else None for key in keys] + [None], dtype=object)
    replaced = hit[codes]
    out = cells.copy()
    out[replaced] = texts[codes[replaced]]
    return int(replaced.sum()), pd.Series(out, index=column.index, dtype=object)


def build(sheet: Sheet, options: ReadOptions | None = None) -> RawTable:
    raw_headings = sheet.cells(0)
    codebook = read_labels(options.labels_file, options.limits) if options and options.labels_file else None
    columns: list[str] = []
    meta: set[int] = set()
    alternatives: dict[int, list[str]] = {}
    coded: dict[int, tuple[QuestionLabels, bool]] = {}  # position → (question, free text beside it)
    unknown: list[str] = []
    for pos, heading in enumerate(raw_headings):
        code, text = _code_and_text(heading)
        columns.append(text)
        if normalise(code or text) in META or normalise(text) in META or (code and _TIMING.match(code)):
            meta.add(pos)
            continue
        names: list[str | None] = []
        if code:
            if code != text:
                names.append(code)
            parts = re.findall(r"\[([^\[\]]+)\]", code)
            base = code.split("[", 1)[0]
            names += [parts[0] if len(parts) == 1 else None, "_".join([base, *parts]) if parts else None]
            question = codebook.question(base) if codebook else None
            if question is not None:
                coded[pos] = (question, bool(parts) and parts[0].lower() in _SPECIAL)
                labelled = _labelled_heading(question, parts)
                if labelled:
                    names.insert(0, code if code == text else None)
                    names.append(text if text != code else None)
                    columns[pos], text = labelled, labelled
            elif codebook:
                unknown.append(code)
        if code != text:
            names.append(bracket_label(text))
        add_alternative(alternatives, pos, text, *names)
    table = table_from_sheet(sheet, 1, columns, NAME, meta, alternatives)
    table.id_column = next((p for p in sorted(meta) if normalise(_code_and_text(raw_headings[p])[0] or raw_headings[p]) in _IDS), None)
    if codebook is not None:
        _apply_labels(table, codebook, coded, unknown)
    return table


_IDS = {"id", "response id"}
#: Fixed answer codes of LimeSurvey's built-in question types (the label file has no answers for them).
_FIXED = {
    "Y": {"Y": "Ja", "N": "Nej"},
    "G": {"F": "Kvinna", "M": "Man"},
    "C": {"Y": "Ja", "N": "Nej", "U": "Osäker"},
    "E": {"I": "Öka", "S": "Samma", "D": "Minska"},
}
#: Subquestion codes LimeSurvey adds itself: free text beside a list question.
_SPECIAL = {"other": "Annat", "comment": "Kommentar"}


def _labelled_heading(question: QuestionLabels, parts: list[str]) -> str | None:
    """``Fråga`` or ``Fråga [Delfråga]`` from the label file (``None`` when it has no text)."""
    if not question.text:
        return None
    if not parts:
        return question.text
    sub = parts[0]
    label = question.subquestions.get(sub) or _SPECIAL.get(sub.lower()) or sub
    return f"{question.text} [{label}]"


def _apply_labels(table: RawTable, codebook: Codebook, coded: dict[int, tuple[QuestionLabels, bool]], unknown: list[str]) -> None:
    """Answer codes replaced by answer texts in every coded column; a note says what was done."""
    if not coded:
        headings = [h for pos, h in enumerate(table.columns) if pos not in table.meta_columns]
        codes = [c for c in (_code_and_text(h)[0] for h in headings) if c][:5]
        raise InputFileError(
            f"Etikettfilen {codebook.name} passar inte till {table.name}: "
            + (
                f"ingen av svarsfilens frågekoder ({', '.join(codes)}) finns i etikettfilen. Är det rätt enkät?"
                if codes
                else "svarsfilen har inga frågekoder. Exportera svaren med rubriken 'Frågekod' i LimeSurvey."
            )
        )
    replaced = 0
    for pos, (question, free_text) in coded.items():
        if free_text:
            continue
        mapping = question.answers or _FIXED.get(question.type, {})
        if not mapping:
            continue
        count, table.data[pos] = _answers_replaced(table.data[pos], mapping)
        replaced += count
    language = f" (språk: {codebook.language})" if codebook.language else ""
    note = (
        f"etikettfilen {codebook.name} användes{language}: {len(coded)} kolumner fick frågetext och "
        f"{replaced} svarskoder ersattes med svarstexter"
    )
    if unknown:
        note += f"; frågekoderna {', '.join(unknown[:10])}{' …' if len(unknown) > 10 else ''} finns inte i etikettfilen och lämnades som de är"
    table.notes.append(note)
