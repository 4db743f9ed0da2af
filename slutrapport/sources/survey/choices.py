"""Parsers for the question types beyond the ordinal scale, and which parser reads which question.

:class:`QuestionParsers` gives every question the parser of its own scale
(one per scale, made once per reading):

- ``skala``: :class:`~.answers.AnswerParser` on the question's scale;
- ``janej``: the same on its yes/no scale, the value made 1 for yes (the
  scale's positive value) and 0 for no (:class:`YesNoParser`);
- ``enval``: :class:`~.answers.AnswerParser` on its options (a label, a code or
  both, as for a scale); a cell holding several options is the error ``flera
  svar`` (:class:`SingleChoiceParser`);
- ``flerval`` in one cell: :class:`MultipleParser`;
- ``numerisk``: :class:`~.answers.NumberParser` with the question's ``min`` and
  ``max`` and the ``saknas`` words of the default scale.

**Multiple choice.** The answer of a ``flerval`` question is one value per
respondent: the *bitmask* ``sum(2**i)`` over the chosen options, ``i`` being
the option's 0-based position in :attr:`Question.options`, and the answer text
the chosen labels joined by ``"; "`` in option order (:func:`options_text`).

One cell (:class:`MultipleParser`) holds the chosen options with the
question's ``avgransare`` between them, or, without one, ``;``, ``,`` or a line
break (Google Forms writes ``", "``). The known options are matched greedily,
longest first, so an option whose text holds a separator (``Möten, fysiska``)
is still one option. Each option may be written as its label, an alias or its
code. Anything else is an error naming the options; so is a ``saknas`` word
beside options. A cell that is only a ``saknas`` word is missing.

One column per option (:class:`OptionTicks`): a cell holding the option's
label, ``1``, ``x``, ``✓``, ``Ja``/``Yes``/``Y`` or ``Sant``/``True`` means
chosen; a blank cell, ``0``, ``Nej``/``No``/``N`` or ``Falskt``/``False`` not
chosen; anything else is an error naming the column's option.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import pandas as pd

from slutrapport.core.problems import ValidationReport
from slutrapport.core.text import normalise
from slutrapport.sources.definitions import Scale
from slutrapport.sources.survey.answers import ANSWER_CHECK, ANSWERED, BLANK, MISSING, AnswerParser, CachedParser, NumberParser, Parsed
from slutrapport.sources.survey.checks import scale_key
from slutrapport.sources.survey.instrument import FREETEXT, MULTIPLE, NUMBER, SINGLE, YES_NO_KIND, Instrument, Question
from slutrapport.sources.survey.reshape import WaveTable
from slutrapport.sources.survey.tidy import Coded, compact_codes

__all__ = [
    "Parser", "QuestionParsers", "ColumnReader", "YesNoParser", "SingleChoiceParser", "MultipleParser", "OptionTicks",
    "options_text", "OPTION_JOINER", "SEVERAL_CHECK",
]  # fmt: skip

#: Between the chosen options in the tidy table's ``svar`` of a ``flerval`` question.
OPTION_JOINER = "; "
#: The ``kontroll`` of a single-choice cell holding several options.
SEVERAL_CHECK = "flera svar"
#: Separators between the chosen options of a cell when the question names none.
_DEFAULT_SEPARATORS = (";", ",", "\n")
_TICKED = {"1", "x", "✓", "✔", "ja", "yes", "y", "sant", "true"}
_UNTICKED = {"0", "nej", "no", "n", "falskt", "false"}


class Parser(Protocol):
    """What ingest needs of a parser: one cached :class:`~.answers.Parsed` per distinct text."""

    def parse(self, raw: str) -> Parsed: ...


def options_text(mask: int, options: tuple[str, ...]) -> str:
    """The options of a bitmask, in option order, joined by :data:`OPTION_JOINER`."""
    return OPTION_JOINER.join(label for i, label in enumerate(options) if mask >> i & 1)


def _options_list(options: Iterable[str]) -> str:
    return ", ".join(options)


class YesNoParser(CachedParser):
    """A yes/no answer read on its scale; the value is 1 for the scale's positive value (yes) and 0 otherwise."""

    def __init__(self, parser: AnswerParser) -> None:
        self.parser = parser
        self._cache: dict[str, Parsed] = {}

    def _parse(self, raw: str) -> Parsed:
        parsed = self.parser.parse(raw)
        if parsed.value is not None:
            parsed = Parsed(1 if parsed.value in self.parser.scale.positive else 0, parsed.status)
        return parsed


class _Splitter:
    """Finds the known options in a cell, greedily, longest first (see the module)."""

    def __init__(self, parser: AnswerParser, separators: tuple[str, ...]) -> None:
        self.parser = parser
        self.pattern = re.compile("(" + "|".join(re.escape(s) for s in sorted(separators, key=len, reverse=True)) + ")")
        self.positions = {code: i for i, code in enumerate(sorted(parser.scale.values))}
        words = [*parser.scale.values.values(), *parser.scale.aliases, *parser.scale.missing]
        # No option is written longer than its label with its code around it ("12 - label", "label (12)").
        self.longest = max(map(len, words), default=0) + 16

    def split(self, raw: str) -> tuple[list[int], list[str], list[str]]:
        """The positions of the options found, the texts that are no option, and the ``saknas`` words."""
        pieces = self.pattern.split(str(raw).replace("\r\n", "\n"))
        parts, separators = pieces[0::2], pieces[1::2]
        found: list[int] = []
        unknown: list[str] = []
        missing: list[str] = []
        i = 0
        while i < len(parts):
            if not parts[i].strip():
                i += 1
                continue
            candidates = [parts[i]]
            for j in range(i + 1, len(parts)):
                if len(candidates[-1].strip()) > self.longest:
                    break
                candidates.append(candidates[-1] + separators[j - 1] + parts[j])
            for j in range(i + len(candidates) - 1, i - 1, -1):
                text = candidates[j - i]
                parsed = self.parser.parse(text)
                if parsed.value is not None:
                    found.append(self.positions[int(parsed.value)])
                elif parsed.status == MISSING:
                    missing.append(text.strip())
                else:
                    continue
                i = j + 1
                break
            else:
                unknown.append(" ".join(parts[i].split()))
                i += 1
        return found, unknown, missing


class MultipleParser(CachedParser):
    """A ``flerval`` answer in one cell: the bitmask of the options chosen (see the module)."""

    def __init__(self, parser: AnswerParser, delimiter: str | None) -> None:
        self.options = tuple(parser.scale.values[code] for code in sorted(parser.scale.values))
        self.delimiter = delimiter
        self.splitter = _Splitter(parser, (delimiter,) if delimiter else _DEFAULT_SEPARATORS)
        self._cache: dict[str, Parsed] = {}

    def describe(self) -> str:
        between = f"'{self.delimiter}'" if self.delimiter else "';', ',' eller radbrytning"
        return f"alternativ: {_options_list(self.options)}; flera val skiljs åt med {between}"


    def _parse(self, raw: str) -> Parsed:
        found, unknown, missing = self.splitter.split(raw)
        if unknown:
            listed = ", ".join(f"'{u}'" for u in unknown)
            what = "okänt alternativ" if len(unknown) == 1 else "okända alternativ"
            return Parsed(None, ANSWERED, f"{what} {listed} ({self.describe()})")
        if missing and found:
            return Parsed(None, ANSWERED, f"'{missing[0]}' kan inte väljas tillsammans med andra alternativ ({self.describe()})")
        if missing:
            return Parsed(None, MISSING)
        if not found:
            return Parsed(None, BLANK)
        mask = sum(1 << i for i in set(found))
        return Parsed(mask, ANSWERED, answer=options_text(mask, self.options))


class SingleChoiceParser(CachedParser):
    """An ``enval`` answer: one option, by label, alias or code; several options in the cell are an error."""

    def __init__(self, parser: AnswerParser) -> None:
        self.parser = parser
        self.options = tuple(parser.scale.values[code] for code in sorted(parser.scale.values))
        self.splitter = _Splitter(parser, _DEFAULT_SEPARATORS)
        self._cache: dict[str, Parsed] = {}


    def _parse(self, raw: str) -> Parsed:
        parsed = self.parser.parse(raw)
        if parsed.error is None:
            return parsed
        found, unknown, missing = self.splitter.split(raw)
        if len(set(found)) + len(missing) > 1 and not unknown:
            labels = [self.options[i] for i in sorted(set(found))] + missing
            return Parsed(
                None,
                ANSWERED,
                f"{len(labels)} alternativ i en fråga där bara ett svar är möjligt ({OPTION_JOINER.join(labels)}); "
                "svaret räknas inte. Rätta raden i filen",
                check=SEVERAL_CHECK,
            )
        return parsed


class OptionTicks:
    """A cell in the column of one option of a ``flerval`` question: 1 when chosen, 0 when not (see the module)."""

    def __init__(self, label: str) -> None:
        self.label = label
        self._ticked = _TICKED | {normalise(label)}
        self._cache: dict[str, Parsed] = {}

    def parse(self, raw: str) -> Parsed:
        cached = self._cache.get(raw)
        if cached is None:
            key = normalise(raw)
            if not key:
                cached = Parsed(0, BLANK)
            elif key in self._ticked:
                cached = Parsed(1, ANSWERED)
            elif key in _UNTICKED:
                cached = Parsed(0, BLANK)
            else:
                cached = Parsed(
                    None,
                    ANSWERED,
                    f"okänt värde i kolumnen för alternativet '{self.label}': ett valt alternativ skrivs som "
                    f"'{self.label}', 1, x eller Ja och ett alternativ som inte är valt lämnas tomt (eller 0, Nej)",
                )
            self._cache[raw] = cached
        return cached


class QuestionParsers:
    """The parser of each question, made once per scale (or per range of a ``numerisk`` question)."""

    def __init__(self, instrument: Instrument) -> None:
        self.instrument = instrument
        self._scales: dict[int, tuple[Scale, AnswerParser]] = {}
        self._made: dict[tuple, Parser] = {}
        self._ticks: dict[str, OptionTicks] = {}
        self._of_question: dict[int, tuple[Question, Parser]] = {}

    def answers(self, scale: Scale) -> AnswerParser:
        """The :class:`~.answers.AnswerParser` of a scale, shared by every question on it."""
        kept = self._scales.get(id(scale))
        if kept is None:
            kept = self._scales[id(scale)] = (scale, AnswerParser(scale))
        return kept[1]

    def for_question(self, question: Question) -> Parser:
        """The parser of a question (not of free text, nor of a ``flerval`` question's option columns)."""
        known = self._of_question.get(id(question))
        if known is None:
            known = self._of_question[id(question)] = (question, self._made_for(question))  # (the question held: its id stays its own)
        return known[1]

    def _made_for(self, question: Question) -> Parser:
        if question.kind == FREETEXT:
            raise ValueError(f"fritextfrågan {question.id} tolkas inte")
        if question.kind == NUMBER:
            key: tuple = (NUMBER, question.minimum, question.maximum)
            if key not in self._made:
                self._made[key] = NumberParser(question.minimum, question.maximum, self.instrument.scale.missing)
            return self._made[key]
        scale = self.instrument.scale_for(question) or self.instrument.scale
        kind = question.kind if question.kind in (YES_NO_KIND, SINGLE, MULTIPLE) else ""
        key = (kind, id(scale), question.delimiter if kind == MULTIPLE else None)
        made = self._made.get(key)
        if made is None:
            parser = self.answers(scale)
            if kind == YES_NO_KIND:
                made = YesNoParser(parser)
            elif kind == SINGLE:
                made = SingleChoiceParser(parser)
            elif kind == MULTIPLE:
                made = MultipleParser(parser, question.delimiter)
            else:
                made = parser
            self._made[key] = made
        return made

    def ticks(self, label: str) -> OptionTicks:
        """The parser of the cells in one option's column."""
        if label not in self._ticks:
            self._ticks[label] = OptionTicks(label)
        return self._ticks[label]


def _listed(result: Parsed, text: object) -> tuple[float, object, str, str]:
    """A distinct text's value (NaN: none), answer as the tidy table shows it, status and comparable key
    (:func:`.checks.scale_key`), as :meth:`ColumnReader.parsed` lists them."""
    value = np.nan if result.value is None else result.value
    return value, text if result.answer is None else result.answer, result.status, scale_key(result.value, result.status, text)


@dataclass
class _Texts:
    """One parser's results for one array of distinct texts, and (once :meth:`ColumnReader.parsed` asks) their
    values (one more, NaN, last: for code -1), answers, statuses and keys as arrays. The parser and the array are held,
    so their ids stay theirs."""

    parser: Parser
    uniques: np.ndarray
    results: list[Parsed]
    listed: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None
    #: The places of the texts the parser found wrong.
    wrong: list[int] = field(init=False)

    def __post_init__(self) -> None:
        self.wrong = [k for k, result in enumerate(self.results) if result.error]


@dataclass
class ColumnReader:
    """Reads a wave's answers question by question (for ingest): each distinct text parsed once, errors reported cell by cell."""

    table: WaveTable
    index: pd.Index  # the rows read (positions in the file's data)
    nonblank: np.ndarray  # which of the file's data rows are read
    factorized: dict[int, tuple[np.ndarray, np.ndarray]]
    report: ValidationReport

    def __post_init__(self) -> None:
        self._every_row = bool(self.nonblank.all())  # every row read: a column's codes as they are
        #: By parser and array of distinct texts (ids): the columns of one scale's questions may share one
        #: array (:func:`.codes.factorize_together`), whose texts are then parsed and listed once.
        self._texts: dict[tuple[int, int], _Texts] = {}

    def _results(self, pos: int, parser: Parser) -> tuple[np.ndarray, _Texts]:
        """The codes of the rows read and the column's distinct texts with their results; errors added to the
        report, a column's wrong texts in the order they first appear in it."""
        all_codes, uniques = self.factorized[pos]
        codes = all_codes if self._every_row else all_codes[self.nonblank]
        key = (id(parser), id(uniques))
        if key not in self._texts:
            self._texts[key] = _Texts(parser, uniques, [parser.parse(u) for u in uniques])
        texts = self._texts[key]
        wrong = texts.wrong
        if len(wrong) > 1:  # in the order they first appear in the column (its own distinct texts come so; shared ones need not)
            is_wrong = np.zeros(len(uniques) + 1, dtype=bool)  # (the last: code -1, missing)
            is_wrong[wrong] = True
            wrong = list(dict.fromkeys(all_codes[is_wrong[all_codes]].tolist()))
        raw = self.table.raw
        for k in wrong:
            result = texts.results[k]
            for i in self.index[codes == k]:
                self.report.add(
                    raw.name,
                    result.check or ANSWER_CHECK,
                    result.error,
                    rad=self.table.row_of(i, pos),
                    kolumn=raw.columns[pos],
                    varde=uniques[k],
                )
        return codes, texts

    def parsed(self, pos: int, parser: Parser) -> tuple[np.ndarray, Coded, Coded, Coded]:
        """Values, answers, statuses and comparable keys of a question in one column (the texts coded by the column's distinct texts)."""
        codes, texts = self._results(pos, parser)
        if texts.listed is None:  # once for every column that shares the texts
            rows = [_listed(r, u) for r, u in zip(texts.results, texts.uniques, strict=True)]
            numbers, written, status, keys = zip(*rows, strict=True) if rows else ((), (), (), ())
            numbers = np.array([*numbers, np.nan], dtype=float)  # (the last: code -1, a missing cell)
            texts.listed = (numbers, np.array(written, dtype=object), np.array(status, dtype=object), np.array(keys, dtype=object))
        numbers, written, status, keys = texts.listed
        values = numbers[codes]
        codes = compact_codes(codes, len(texts.uniques))  # kept until the tidy table is built
        return values, Coded(codes, written), Coded(codes, status), Coded(codes, keys)

    def options(self, question: Question, columns: dict[int, int], parsers: QuestionParsers) -> tuple[np.ndarray, Coded, Coded, Coded]:
        """Values, answers, statuses and keys of a ``flerval`` question with one column per option (see the module)."""
        mask = np.zeros(len(self.index), dtype=np.int64)
        for position, pos in columns.items():
            codes, texts = self._results(pos, parsers.ticks(question.options[position]))
            chosen = np.array([r.value == 1 for r in texts.results], dtype=bool)[codes]
            mask |= chosen.astype(np.int64) << position
        masks, inverse = np.unique(mask, return_inverse=True)
        inverse = inverse.reshape(-1)
        values = np.where(mask > 0, mask.astype(float), np.nan)
        answers = np.array([options_text(int(m), question.options) for m in masks], dtype=object)
        status = np.array([ANSWERED if m > 0 else BLANK for m in masks], dtype=object)
        keys = np.array([f"{int(m)}" if m else f"{BLANK}:" for m in masks], dtype=object)
        return values, Coded(inverse, answers), Coded(inverse, status), Coded(inverse, keys)
