"""Two-row headers: a second header row under the first, recognised from the file alone.

Two layouts are recognised, by plain files and by the tool readers alike:

- **Question codes above question texts** (Esmaker, SPSS-minded hand-made files):
  ``F1, F2, F3_1 …`` over ``Vilken organisation …, Din personliga kod, …``.
  The text names the column and the code is an alternative name.
- **A matrix heading above its statements** (Webropol, and any workbook where a
  heading is merged across the columns of a matrix question): the heading is in
  the group's first cell only (a merged cell keeps its value in the top-left
  cell; a CSV leaves the rest blank or repeats the heading), the statements are
  in the row below, and the row below is blank under single-column questions.
  The column is named ``Rubrik [Påstående]`` as Google Forms writes it, and the
  statement is an alternative name.

Recognition is conservative, since a wrong guess would make the first
respondent a header: the second row must hold no numbers or dates, its texts
must be distinct, none of them may occur as a value anywhere in the data rows
below (question texts are not answers, while a respondent's scale labels
recur), and at least one of its columns must hold scale answers (numbers, or
values that recur), which a survey of free texts alone does not. Codes must look like short identifiers, mostly with a digit. A matrix
layout needs at least one single-column question or tool column beside the
groups, so that one title over every column is never taken for a heading.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field

from slutrapport.core.text import normalise
from slutrapport.sources.readers.raw import add_alternative, bracket_label
from slutrapport.sources.readers.tabular import Sheet

__all__ = ["TwoRowHeader", "two_row_header", "CODES", "MATRIX", "looks_like_data", "data_values"]

CODES, MATRIX = "codes", "matrix"
#: Data rows looked at when checking that the second row is not data.
_SAMPLE_ROWS = 300
_CODE = re.compile(r"^[A-Za-zÅÄÖåäö_][\w.\-\[\]]{0,23}$")
_NUMBER = re.compile(r"^[-+−]?\d[\d\s]*(?:[.,]\d+)?\s*%?$")
_DATE = re.compile(r"^(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./]\d{1,2}[./]\d{2,4})(?:[ T]\d{1,2}:\d{2}.*)?$")


@dataclass
class TwoRowHeader:
    """The column names and alternative names read from a two-row header."""

    kind: str  # CODES or MATRIX
    columns: list[str]
    alternatives: dict[int, list[str]] = field(default_factory=dict)
    #: For the validation report (Swedish), given the Excel row number of the first header row.
    note_template: str = ""

    def note(self, first_row: int) -> str:
        return self.note_template.format(top=first_row, sub=first_row + 1)


def looks_like_data(text: str) -> bool:
    """A number, percentage or date: something a header cell never is."""
    value = text.strip()
    return bool(_NUMBER.match(value) or _DATE.match(value))


def data_values(sheet: Sheet, start: int) -> set[str]:
    """Normalised non-blank values of the data rows from row ``start`` on (a sample)."""
    block = sheet.frame.iloc[start : start + _SAMPLE_ROWS].to_numpy(dtype=object).ravel()
    return {normalise(v) for v in set(block) if str(v).strip()}


def two_row_header(sheet: Sheet, skip: Collection[int] = ()) -> TwoRowHeader | None:
    """The two-row header at the top of ``sheet``, or ``None`` when row 2 is not a header.

    ``skip`` are positions of the tool's own columns (already recognised by their
    heading); they are named by whichever row holds their heading and take no part
    in the checks.
    """
    if len(sheet.frame) < 3 or sheet.width < 2:
        return None  # a header-only file gives no data to tell a header from a respondent
    top, sub = sheet.cells(0), sheet.cells(1)
    skip = set(skip)
    return _codes(sheet, top, sub, skip) or _matrix(sheet, top, sub, skip)


def _codes(sheet: Sheet, top: list[str], sub: list[str], skip: set[int]) -> TwoRowHeader | None:
    cols = [p for p in range(sheet.width) if p not in skip and (top[p] or sub[p])]
    coded = [p for p in cols if top[p]]
    if len(coded) < 2:
        return None
    codelike = [p for p in coded if _CODE.match(top[p])]
    with_digit = sum(any(ch.isdigit() for ch in top[p]) for p in codelike)
    if len(codelike) < 0.8 * len(coded) or with_digit < max(2, len(codelike) / 2):
        return None
    texts = [p for p in cols if sub[p] and normalise(sub[p]) != normalise(top[p])]
    if len(texts) < 0.8 * len(cols) or not _header_like([sub[p] for p in texts]):
        return None
    if sum(" " in sub[p] for p in texts) < len(texts) / 2:
        return None  # question texts are mostly several words
    if not _absent_from_data(sheet, [sub[p] for p in texts]) or not _has_scale_column(sheet, texts):
        return None
    columns, alternatives = [], {}
    for p in range(sheet.width):
        heading = sub[p] or top[p]
        columns.append(heading)
        if p not in skip and sub[p] and top[p]:
            add_alternative(alternatives, p, heading, top[p], bracket_label(heading))
    return TwoRowHeader(CODES, columns, alternatives, "rad {top} (frågekoder) och rad {sub} (frågetexter) lästes som rubrikrader")


def _matrix(sheet: Sheet, top: list[str], sub: list[str], skip: set[int]) -> TwoRowHeader | None:
    width = sheet.width
    groups: list[tuple[int, int]] = []  # first and last position of each matrix question
    outside = 0  # single-column questions and tool columns with a heading in row 1
    p = 0
    while p < width:
        if p in skip:
            outside += bool(top[p])
            p += 1
            continue
        if not top[p]:
            if sub[p]:
                return None  # a statement with no heading to its left
            p += 1
            continue
        key = normalise(top[p])
        q = p + 1
        while q < width and q not in skip and sub[q] and (not top[q] or normalise(top[q]) == key):
            q += 1
        if q - p >= 2:
            if not sub[p]:
                return None
            groups.append((p, q - 1))
        elif sub[p]:
            return None  # a single-column question has nothing below its heading
        else:
            outside += 1
        p = q
    if not groups or not outside:
        return None
    statements = [sub[c] for first, last in groups for c in range(first, last + 1)]
    for first, last in groups:
        if not _header_like([sub[c] for c in range(first, last + 1)]):
            return None
    grouped = [c for first, last in groups for c in range(first, last + 1)]
    if not _absent_from_data(sheet, statements) or not _has_scale_column(sheet, grouped):
        return None
    columns = [top[c] or sub[c] for c in range(width)]
    alternatives: dict[int, list[str]] = {}
    for first, last in groups:
        for c in range(first, last + 1):
            columns[c] = f"{top[first]} [{sub[c]}]"
            add_alternative(alternatives, c, columns[c], sub[c])
    return TwoRowHeader(MATRIX, columns, alternatives, "rad {top} (matrisrubriker) och rad {sub} (påståenden) lästes som rubrikrader")


def _header_like(texts: list[str]) -> bool:
    """Texts that could be headings: no numbers or dates, no two alike."""
    keys = [normalise(t) for t in texts]
    return bool(keys) and all(keys) and len(set(keys)) == len(keys) and not any(looks_like_data(t) for t in texts)


def _has_scale_column(sheet: Sheet, positions: list[int]) -> bool:
    """Some column answers on a scale: its values are numbers, or some value recurs.

    Free-text answers never recur, so a survey of free texts alone is not read
    with two header rows: its first respondent could not be told from texts.
    """
    block = sheet.frame.iloc[2 : 2 + _SAMPLE_ROWS]
    for pos in positions:
        values = [normalise(v) for v in block[pos].tolist() if str(v).strip()]
        if values and (len(set(values)) < len(values) or sum(map(looks_like_data, values)) >= 0.8 * len(values)):
            return True
    return False


def _absent_from_data(sheet: Sheet, texts: list[str]) -> bool:
    """No text occurs as a value anywhere in the data rows (there must be some)."""
    values = data_values(sheet, 2)
    return bool(values) and not any(normalise(t) in values for t in texts)
