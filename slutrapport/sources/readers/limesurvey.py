"""LimeSurvey response exports (CSV with BOM, comma or semicolon, every field quoted).

One header row. It starts with LimeSurvey's own columns ``id, submitdate,
lastpage, startlanguage, seed, startdate, datestamp`` (any of them may be
missing; also ``ipaddr``, ``refurl``, ``token``), written as codes or, with
"full question text" headings, as ``Response ID, Date submitted, Last page,
Start language, Seed, Date started, Date last action, IP address, Referrer URL``.
Question headings are codes (``G01Q01``, ``G01Q02[SQ001]``), full texts
(``Frågetext [Delfråga]``) or both (``G01Q02[SQ001]. Frågetext [Delfråga]``).
Answers are codes (``A1``…) or texts as chosen at export; codes are mapped by
the instrument's ``skala: alias:``, not here.

For a code ``X[Y]`` the alternatives are ``Y`` and ``X_Y`` (LimeSurvey's
SPSS/R variable name); for a text ``Fråga [Delfråga]`` the sub-question text.
"""

from __future__ import annotations

import re

from slutrapport.core.text import normalise
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


def build(sheet: Sheet, options: ReadOptions | None = None) -> RawTable:
    raw_headings = sheet.cells(0)
    columns: list[str] = []
    meta: set[int] = set()
    alternatives: dict[int, list[str]] = {}
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
        if code != text:
            names.append(bracket_label(text))
        add_alternative(alternatives, pos, text, *names)
    return table_from_sheet(sheet, 1, columns, NAME, meta, alternatives)
