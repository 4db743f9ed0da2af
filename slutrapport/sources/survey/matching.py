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

**Multiple choice in one column per option.** A ``flerval`` question may have
one column per option instead of one column (see :mod:`.choices`). Such a
column is matched to the option (target ``o:<id>:<i>``, ``i`` the option's
0-based position, :func:`option_columns`) when its heading is

- ``Fråga [Alternativ]`` (Google Forms, SurveyMonkey, the two-row readers) or
  ``Fråga - Alternativ``, ``Fråga – Alternativ``, ``Fråga: Alternativ``: the
  question's id or text and the option's label, each whole (this is tried
  before the statement alone of a matrix heading);
- the option's label alone, when no other ``flerval`` question has an option
  of that name and the column stands beside another option column of the
  same question (the options under a question, left as they are);
- mapped under ``kolumner:`` to ``<id> [<alternativ>]``.

Every option column is then recognised as the question (never an unknown or
a duplicated column); an option without a column is a warning
(``saknat alternativ``): nobody is counted as having chosen it. A question
found both as one column and as option columns is the error "dubblerad
kolumn" for each option column.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from slutrapport.core.errors import InputFileError
from slutrapport.core.problems import ERROR, WARNING, Problem, ValidationReport
from slutrapport.core.text import normalise, strip_html
from slutrapport.sources.readers import RawTable
from slutrapport.sources.survey.columnmap import ColumnMap
from slutrapport.sources.survey.instrument import FREETEXT, MULTIPLE, Instrument, Question

__all__ = [
    "build_targets",
    "option_columns",
    "option_target",
    "heading_keys",
    "strip_numbering",
    "target_of",
    "match_columns",
    "sheet_score",
    "UNUSED",
    "SUMMARY_LIMIT",
]

#: More column warnings of one kind than this in one file are reported as one summary line.
SUMMARY_LIMIT = 3
#: The column mapping's value for a column that is no question (``"Svarsdatum": används inte``): read silently as nothing.
UNUSED = "används inte"
_SKIPPED = "skip:"
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
#: Joins a question key and an option key in the targets (no heading can hold it).
_OPTION_JOIN = "\x1f"
#: Starts the key of an option label alone in the targets.
_ALONE = "\x1e"
_BRACKETED = re.compile(r"^(.*\S)\s*\[([^\[\]]+)\]$")
_MAPPED_OPTION = re.compile(r"^(\S+)\s*\[(.+)\]$")


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
        plain = _plain(text)
        for key in {plain, strip_numbering(plain)}:
            cleaned.setdefault(key, set()).add(target)
    for key, found in cleaned.items():
        if key and key not in targets and len(found) == 1:
            targets[key] = found.pop()
    _add_option_targets(instrument, targets)
    known = {q.id for q in instrument.questions}
    for heading, target in column_map.items():
        target = str(target).strip()
        mapped = _MAPPED_OPTION.match(target)
        option = _mapped_option(instrument, mapped.group(1), mapped.group(2)) if mapped else None
        if target in known:
            targets[normalise(heading)] = f"q:{target}"
        elif option is not None:
            targets[normalise(heading)] = option
        elif target in ("organisation", "kod"):
            targets[normalise(heading)] = f"bg:{target}"
        elif normalise(target) == normalise(UNUSED):
            targets[normalise(heading)] = _SKIPPED
        else:
            where, line = column_map.where(heading) if isinstance(column_map, ColumnMap) else ("Kolumnmappningen", None)
            raise InputFileError(
                f"{where}: kolumnen '{heading}' pekar på '{target}', som varken är en fråga "
                "i instrumentet, ett alternativ i en flervalsfråga (t.ex. 'm01 [Telefon]') eller organisation/kod.",
                rad=line,
            )
    return targets


def option_target(question_id: str, position: int) -> str:
    """The target of the column of a ``flerval`` question's option (0-based ``position`` in its options)."""
    return f"o:{question_id}:{position}"


def option_columns(found: dict[str, int], question: Question) -> dict[int, int]:
    """A ``flerval`` question's option columns as matched: option position → column position."""
    return {i: found[t] for i in range(len(question.options)) if (t := option_target(question.id, i)) in found}


def _question_keys(question: Question) -> set[str]:
    plain = _plain(question.text)
    return {k for k in (normalise(question.id), normalise(question.text), plain, strip_numbering(plain)) if k}


def _option_keys(question: Question) -> dict[str, int]:
    """An option's normalised label and aliases → its position."""
    if question.choices is None:
        return {}
    positions = {code: i for i, code in enumerate(sorted(question.choices.values))}
    keys = {normalise(label): positions[code] for code, label in question.choices.values.items()}
    keys.update({normalise(alias): positions[code] for alias, code in question.choices.aliases.items() if code in positions})
    return keys


def _add_option_targets(instrument: Instrument, targets: dict[str, str]) -> None:
    """The keys of the option columns of every ``flerval`` question (see the module)."""
    alone: dict[str, set[str]] = {}
    for question in instrument.questions_of(MULTIPLE):
        for option, position in _option_keys(question).items():
            target = option_target(question.id, position)
            for key in _question_keys(question):
                targets.setdefault(f"{key}{_OPTION_JOIN}{option}", target)
            alone.setdefault(option, set()).add(target)
    for option, found in alone.items():
        if len(found) == 1 and option not in targets:
            targets[f"{_ALONE}{option}"] = found.pop()


def _mapped_option(instrument: Instrument, question_id: str, label: str) -> str | None:
    """The option target ``kolumner: {rubrik: "m01 [Telefon]"}`` names, if it is one."""
    question = next((q for q in instrument.questions_of(MULTIPLE) if q.id == question_id), None)
    position = _option_keys(question).get(normalise(label)) if question is not None else None
    return None if position is None else option_target(question_id, position)


def _split_keys(heading: str) -> list[str]:
    """Keys of a heading as a question and an option: ``Fråga [Alternativ]``, ``Fråga - Alternativ`` …"""
    plain = _plain(heading)
    pairs: list[tuple[str, str]] = []
    bracketed = _BRACKETED.match(plain)
    if bracketed:
        pairs.append((bracketed.group(1), bracketed.group(2)))
    for separator in _MATRIX_SEPARATORS:
        start = plain.find(separator, 1)
        while start > 0:
            pairs.append((plain[:start], plain[start + len(separator) :]))
            start = plain.find(separator, start + 1)
    keys: list[str] = []
    for before, after in pairs:
        for question in dict.fromkeys((normalise(before), strip_numbering(normalise(before)))):
            for option in dict.fromkeys((normalise(after), strip_numbering(normalise(after)))):
                if question and option:
                    keys.append(f"{question}{_OPTION_JOIN}{option}")
    return keys


def target_of(raw: RawTable, pos: int, targets: dict[str, str]) -> str | None:
    """The target column ``pos`` matches: its heading and alternative names as written first, then cleaned.

    A heading of a question and an option (``Fråga [Alternativ]``) is tried
    after the whole heading's cleaned forms and before the statement alone of
    a matrix heading.
    """
    names = [raw.columns[pos], *raw.alternatives.get(pos, [])]

    def keys() -> Iterator[str]:  # made as they are tried: most headings match as written
        yield from (normalise(n) for n in names)
        for name in names:
            cleaned = heading_keys(name)[1:]
            plain = _plain(name)
            whole = [k for k in cleaned if k in (plain, strip_numbering(plain))]
            yield from whole + _split_keys(name) + [k for k in cleaned if k not in whole]

    return next((targets[k] for k in keys() if k in targets), None)


def _alone_target(heading: str, targets: dict[str, str]) -> str | None:
    """The option a heading names by its label alone (accepted beside a column of the same question)."""
    plain = _plain(heading)
    keys = (normalise(heading), plain, strip_numbering(plain))
    return next((targets[f"{_ALONE}{k}"] for k in keys if f"{_ALONE}{k}" in targets), None)


def sheet_score(targets: dict[str, str]) -> Callable[[RawTable], float]:
    """A score for :func:`~slutrapport.sources.readers.read_raw`'s ``prefer``: how many questions
    and background questions a candidate sheet's columns match (the answer sheet beats an
    information sheet)."""

    def score(raw: RawTable) -> float:
        found = {target_of(raw, pos, targets) for pos in range(len(raw.columns)) if pos not in raw.meta_columns}
        return float(len(found - {None, _SKIPPED}))

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

    def take(pos: int, target: str) -> None:
        if target in found:
            report.add(
                raw.name,
                "dubblerad kolumn",
                f"kolumnen matchar samma fråga som kolumn {found[target] + 1} ('{raw.columns[found[target]]}')",
                rad=header,
                kolumn=raw.columns[pos],
            )
        else:
            found[target] = pos

    for pos in range(len(raw.columns)):
        if pos in raw.meta_columns:
            continue
        target = target_of(raw, pos, targets)
        if target == _SKIPPED:  # the project says the column is no question (personalenkat: kolumner: "Svarsdatum": används inte)
            continue
        if target is None:
            if pos != raw.id_column:  # the tool's respondent ID is used, for the duplicate checks
                unmatched.append(pos)
            continue
        take(pos, target)
    unmatched = _options_alone(raw, unmatched, found, targets, take)
    _options_and_question(raw, instrument, found, report)
    if not any(target.startswith(("q:", "o:")) for target in found):
        headings = [h for h in raw.columns if h][:3]
        report.add(
            raw.name,
            "saknad kolumn",
            f"ingen kolumn i filen matchar frågorna i instrumentet '{instrument.name}'. Är det rätt instrument "
            f"och rätt fil? Filens första rubriker: {'; '.join(repr(h) for h in headings) or '(inga)'}",
            rad=header,
        )
        return found
    missing = [q for q in instrument.questions if f"q:{q.id}" not in found and not option_columns(found, q)]
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
    for question in instrument.questions_of(MULTIPLE):
        present = option_columns(found, question)
        for i, label in enumerate(question.options):
            if present and i not in present:
                message = (
                    f"alternativet '{label}' i frågan {question.id} ('{_short(question.text, 40)}') har ingen kolumn i filen; "
                    "ingen räknas ha valt det"
                )
                problem = Problem(raw.name, header, None, _MISSING_OPTION, None, message, WARNING)
                noted.append(_Noted(problem, f"{question.id} '{_short(label, 40)}'"))
    for role, text in instrument.background.items():
        if f"bg:{role}" not in found:
            message = f"bakgrundsfrågan {role} ('{text}') finns inte i filen"
            problem = Problem(raw.name, header, None, "saknad kolumn", None, message, ERROR if role == "organisation" else WARNING)
            noted.append(_Noted(problem, f"{role} '{_short(text, 40)}'"))
    _add_summarised(report, noted)
    return found


#: The ``kontroll`` of a ``flerval`` option without a column, when the question has option columns.
_MISSING_OPTION = "saknat alternativ"


def _options_alone(
    raw: RawTable, unmatched: list[int], found: dict[str, int], targets: dict[str, str], take: Callable[[int, str], None]
) -> list[int]:
    """Columns headed by an option's label alone, taken when they stand beside a column of the same question.

    Returns the columns still unmatched.
    """
    candidates = {pos: t for pos in unmatched if raw.columns[pos] and (t := _alone_target(raw.columns[pos], targets))}
    if not candidates:
        return unmatched
    # Only option columns count as neighbours: a question's own column beside "E-post" may be an address column.
    question_of = {pos: _question_of(target) for target, pos in found.items() if target.startswith("o:")}
    question_of.update({pos: _question_of(target) for pos, target in candidates.items()})
    taken = [
        pos
        for pos, target in candidates.items()
        if _question_of(target) in (question_of.get(pos - 1), question_of.get(pos + 1))
    ]
    for pos in taken:
        take(pos, candidates[pos])
    return [pos for pos in unmatched if pos not in taken]


def _question_of(target: str) -> str:
    """The question id of an option target ('o:m01:2' → 'm01')."""
    return target.split(":")[1]


def _options_and_question(raw: RawTable, instrument: Instrument, found: dict[str, int], report: ValidationReport) -> None:
    """A ``flerval`` question found both as one column and as option columns: each option column is an error."""
    for question in instrument.questions_of(MULTIPLE):
        whole = found.get(f"q:{question.id}")
        if whole is None:
            continue
        for i, pos in option_columns(found, question).items():
            report.add(
                raw.name,
                "dubblerad kolumn",
                f"kolumnen är alternativet '{question.options[i]}' i frågan {question.id}, som redan finns som en kolumn "
                f"(kolumn {whole + 1}, '{raw.columns[whole]}'); ange frågan antingen i en kolumn eller med en kolumn per alternativ",
                rad=raw.header_row or None,
                kolumn=raw.columns[pos],
            )
            del found[option_target(question.id, i)]


#: The summary line of a kind of column warning: what ``n`` of them are.
_SUMMARIES = {
    "okänd kolumn": "{n} kolumner matchar ingen fråga i instrumentet och används inte: {names}",
    "saknad kolumn": "{n} frågor som inte krävs finns inte i filen: {names}",
    _MISSING_OPTION: "{n} svarsalternativ har ingen kolumn i filen, och ingen räknas ha valt dem: {names}",
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
