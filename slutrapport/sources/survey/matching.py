"""Match a file's column headings to the instrument's questions and background questions.

A heading matches when, normalised (:func:`~slutrapport.core.text.normalise`:
case, spacing, trailing punctuation and required-question asterisks), it is a
question's id or text, a background role or text, or a heading the user mapped
(``kolumner:`` / ``--map``). Failing that, the noise survey tools add is taken
away, one step at a time, and the heading tried again (:func:`heading_keys`):

1. HTML tags and entities (``<b>``, ``<br/>``, ``&nbsp;``, ``&amp;``) and
   invisible characters; a leading ``*``;
2. leading numbering, only when text follows it: ``3.``, ``3.2.``, ``3.2)``,
   ``F3_2``, ``F3.``, ``Q3``, ``Q3_2.``, ``Fråga 3:``, ``Question 3:`` — so a
   heading that is only ``q01`` still matches the question id ``q01``;
3. a matrix heading: the statement of ``Rubrik [Påstående]``,
   ``Rubrik - Påstående``, ``Rubrik – Påstående`` and ``Rubrik: Påstående``
   (after the last separator, then after the first).

Every key must still equal a whole question text, so no heading matches a
question by resemblance; two columns matching one question is the error
"dubblerad kolumn". An unmatched column gets a warning suggesting the closest
question text, and a missing question one suggesting the closest heading.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass

from slutrapport.core.errors import InputFileError
from slutrapport.core.problems import ERROR, WARNING, Problem, ValidationReport
from slutrapport.core.text import normalise, strip_html
from slutrapport.sources.readers import RawTable
from slutrapport.sources.survey.instrument import FREETEXT, Instrument

__all__ = [
    "build_targets",
    "heading_keys",
    "strip_numbering",
    "target_of",
    "match_columns",
    "sheet_score",
    "SUMMARY_LIMIT",
]

#: More column warnings of one kind than this in one file are reported as one summary line.
SUMMARY_LIMIT = 3
#: How many names a summary line lists before "(och n till)".
_SUMMARY_NAMES = 3
#: How alike (difflib ratio of normalised texts) a heading and a question must be to be suggested.
_HINT_CUTOFF = 0.6

_NUMBERING = re.compile(
    r"""^(?:
        (?:fråga|question|item)\s*\d+[a-z]?(?:[._-]\d+[a-z]?)*\s*[.:)]?   # Fråga 3:  Question 3.2
      | [fq]\d+[a-z]?(?:[._]\d+[a-z]?)*[.:)]?                           # F3_2  F3.  Q3  Q3_2.
      | \d+(?:[._]\d+)+[.:)]? | \d+[a-z]?[.:)]                            # 3.2  3.2.  3.2)  3.  3)
    )\s+(?=\S)""",
    re.X,
)
#: Separators between a matrix question's heading and its statement, most specific first.
_MATRIX_SEPARATORS = (" - ", " – ", " — ", ": ")


def strip_numbering(key: str) -> str:
    """A normalised heading without leading question numbering, when text follows it.

    >>> strip_numbering("fråga 3: jag vet"), strip_numbering("q3_2. jag vet"), strip_numbering("q01")
    ('jag vet', 'jag vet', 'q01')
    """
    for _ in range(2):  # "Fråga 3: 3.2 Text"
        stripped = _NUMBERING.sub("", key, count=1)
        if stripped == key:
            break
        key = normalise(stripped)
    return key


def _plain(text: str) -> str:
    return normalise(normalise(strip_html(text)).lstrip("*"))


def heading_keys(heading: str) -> list[str]:
    """The normalised forms a heading is tried as, the heading itself first (see the module)."""
    keys: list[str] = []

    def add(key: str) -> None:
        if key and key not in keys:
            keys.append(key)

    add(normalise(heading))
    plain = _plain(heading)
    add(plain)
    add(strip_numbering(plain))
    if plain.endswith("]") and "[" in plain:
        add(strip_numbering(normalise(plain[plain.rindex("[") + 1 : -1])))
    for separator in _MATRIX_SEPARATORS:
        if separator in plain:
            add(strip_numbering(normalise(plain.rsplit(separator, 1)[1])))
            add(strip_numbering(normalise(plain.split(separator, 1)[1])))
    return keys


def build_targets(instrument: Instrument, column_map: dict[str, str]) -> dict[str, str]:
    """Normalised heading → target ('q:<id>' for a question, 'bg:<role>' for background).

    An instrument text written with numbering or markup also matches without
    them, unless that cleaned form is already another target's (or two
    targets'); a mapped heading wins over everything.
    """
    targets: dict[str, str] = {}
    named = [(q.id, q.text, f"q:{q.id}") for q in instrument.questions]
    named += [(role, text, f"bg:{role}") for role, text in instrument.background.items()]
    for name, text, target in named:
        targets[normalise(name)] = target
        targets[normalise(text)] = target
    cleaned: dict[str, set[str]] = {}
    for _, text, target in named:
        for key in {_plain(text), strip_numbering(_plain(text))}:
            cleaned.setdefault(key, set()).add(target)
    for key, found in cleaned.items():
        if key and key not in targets and len(found) == 1:
            targets[key] = found.pop()
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


def target_of(raw: RawTable, pos: int, targets: dict[str, str]) -> str | None:
    """The target column ``pos`` matches: its heading and alternative names as written first, then cleaned."""
    names = [raw.columns[pos], *raw.alternatives.get(pos, [])]
    keys = [normalise(n) for n in names] + [k for n in names for k in heading_keys(n)[1:]]
    return next((targets[k] for k in keys if k in targets), None)


def sheet_score(targets: dict[str, str]) -> Callable[[RawTable], float]:
    """A score for :func:`~slutrapport.sources.readers.read_raw`'s ``prefer``: how many questions
    and background questions a candidate sheet's columns match (the answer sheet beats an
    information sheet)."""

    def score(raw: RawTable) -> float:
        found = {target_of(raw, pos, targets) for pos in range(len(raw.columns)) if pos not in raw.meta_columns}
        return float(len(found - {None}))

    return score


@dataclass(frozen=True)
class _Noted:
    """A column warning and the short name a summary lists it by."""

    problem: Problem
    name: str


def match_columns(raw: RawTable, instrument: Instrument, targets: dict[str, str], report: ValidationReport) -> dict[str, int]:
    """Target → column position; reports missing, duplicated and unmatched columns."""
    found: dict[str, int] = {}
    unmatched: list[int] = []
    header = raw.header_row or None
    for pos, heading in enumerate(raw.columns):
        if pos in raw.meta_columns:
            continue
        target = target_of(raw, pos, targets)
        if target is None:
            if pos != raw.id_column:  # the tool's respondent ID is used, for the duplicate checks
                unmatched.append(pos)
            continue
        if target in found:
            report.add(
                raw.name,
                "dubblerad kolumn",
                f"kolumnen matchar samma fråga som kolumn {found[target] + 1} ('{raw.columns[found[target]]}')",
                rad=header,
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
            rad=header,
        )
        return found
    missing = [q for q in instrument.questions if f"q:{q.id}" not in found]
    noted: list[_Noted] = []
    for pos in unmatched:
        heading = raw.columns[pos]
        if not heading and not (raw.data[pos].str.strip() != "").any():
            continue
        hint = _closest_question(heading, [q for q in missing if q.kind != FREETEXT] or missing) if heading else None
        message = "kolumnen matchar ingen fråga i instrumentet och används inte"
        if hint is not None:
            # A near miss is worth its own line: it is kept out of the summary.
            message += f"; närmast liknande fråga: {hint.id} '{_short(hint.text)}' (rätta rubriken eller ange den under kolumner:)"
        name = heading or f"(kolumn {pos + 1} utan rubrik)"
        problem = Problem(raw.name, header, name, "okänd kolumn", None, message, WARNING)
        if hint is None:
            noted.append(_Noted(problem, name))
        else:
            report.problems.append(problem)
    unmatched_headings = [raw.columns[p] for p in unmatched if raw.columns[p]]
    for question in missing:
        hint = _closest_heading(question.text, unmatched_headings)
        message = f"frågan {question.id} ('{question.text}') finns inte i filen" + (
            f"; närmast liknande kolumn: '{hint}' (rätta rubriken eller ange den under kolumner:)" if hint else ""
        )
        problem = Problem(raw.name, header, None, "saknad kolumn", None, message, WARNING if question.kind == FREETEXT else ERROR)
        noted.append(_Noted(problem, f"{question.id} '{_short(question.text, 40)}'"))
    for role, text in instrument.background.items():
        if f"bg:{role}" not in found:
            message = f"bakgrundsfrågan {role} ('{text}') finns inte i filen"
            problem = Problem(raw.name, header, None, "saknad kolumn", None, message, ERROR if role == "organisation" else WARNING)
            noted.append(_Noted(problem, f"{role} '{_short(text, 40)}'"))
    _add_summarised(report, noted)
    return found


#: The summary line of a kind of column warning: what ``n`` of them are.
_SUMMARIES = {
    "okänd kolumn": "{n} kolumner matchar ingen fråga i instrumentet och används inte: {names}",
    "saknad kolumn": "{n} frågor som inte krävs finns inte i filen: {names}",
}


def _add_summarised(report: ValidationReport, noted: list[_Noted]) -> None:
    """Add the column warnings; more than :data:`SUMMARY_LIMIT` of one kind in one file become one line.

    Only warnings are summarised (an error is always added on its own); every
    problem passed here is about a column, not a data row.
    """
    groups: dict[tuple[str, str], list[_Noted]] = {}
    for item in noted:
        if item.problem.allvar == WARNING:
            groups.setdefault((item.problem.fil, item.problem.kontroll), []).append(item)
    done: set[tuple[str, str]] = set()
    for item in noted:
        p = item.problem
        key = (p.fil, p.kontroll)
        items = groups.get(key, [])
        if p.allvar != WARNING or len(items) <= SUMMARY_LIMIT:
            report.problems.append(p)
        elif key not in done:
            done.add(key)
            names = ", ".join(f"'{i.name}'" if p.kontroll == "okänd kolumn" else i.name for i in items[:_SUMMARY_NAMES])
            if len(items) > _SUMMARY_NAMES:
                names += f" … (och {len(items) - _SUMMARY_NAMES} till)"
            template = _SUMMARIES.get(p.kontroll, "{n} varningar av samma slag: {names}")
            report.add(p.fil, p.kontroll, template.format(n=len(items), names=names), rad=p.rad, allvar=WARNING)


def _closest_question(heading: str, questions: list) -> object | None:
    """The question whose normalised text is closest to any cleaned form of ``heading``."""
    if not questions:
        return None
    by_text = {normalise(q.text): q for q in questions}
    best, best_ratio = None, 0.0
    for key in heading_keys(heading):
        for text in difflib.get_close_matches(key, list(by_text), n=1, cutoff=_HINT_CUTOFF):
            ratio = difflib.SequenceMatcher(None, key, text).ratio()
            if ratio > best_ratio:
                best, best_ratio = by_text[text], ratio
    return best


def _closest_heading(text: str, headings: list[str]) -> str | None:
    """The heading (as written) whose cleaned form is closest to the question text."""
    if not headings:
        return None
    by_key: dict[str, str] = {}
    for heading in headings:
        by_key.setdefault(strip_numbering(_plain(heading)), heading)
        by_key.setdefault(normalise(heading), heading)
    match = difflib.get_close_matches(normalise(text), list(by_key), n=1, cutoff=_HINT_CUTOFF)
    return by_key[match[0]] if match else None


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + " …"
