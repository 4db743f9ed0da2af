"""Turn an answer as written in a file into a scale value, a 'missing' answer, or an error.

Accepted forms for a five-point scale labelled "Instämmer helt" = 5:
``Instämmer helt`` (any case and spacing), ``5``, ``5,0``, ``5.0``,
``5 - Instämmer helt``, ``5 = Instämmer helt``, ``5. Instämmer helt``,
``5 (Instämmer helt)``, ``Instämmer helt (5)`` and any ``alias`` label of the
instrument. A value without a label (the middle of a scale whose ends alone
are named, ``varden: {min: 1, max: 10}``) is read from its number whatever
text follows it: ``7 - ganska bra``. A number off the scale is an error
naming the value and the scale, a number and a label that disagree too. The
instrument's ``saknas`` answers ("Vet ej") and blanks are missing and never
become a number.

:class:`NumberParser` reads the answers of a ``numerisk`` question: ``7``,
``7,5``, ``7.5``, ``-2``, ``1 234`` and ``1 234,5`` (spaces, also
non-breaking, between groups of three digits). Conservatively, a number
followed by a word (``7 tim``, ``ca 7``, ``7-8``) is an error, unless the
word is one of the ``units`` the parser is given; so is ``1,234`` (a comma
and three digits: 1,234 in Swedish but 1234 in English). ``min`` and ``max``
are checked (an error names the value and the range), and the ``saknas``
words it is given (the default scale's "Vet ej") are missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from slutrapport.core.text import normalise
from slutrapport.sources.survey.instrument import DEFAULT, Scale

__all__ = ["Parsed", "CachedParser", "AnswerParser", "NumberParser", "ANSWERED", "MISSING", "BLANK", "ANSWER_CHECK", "number_text"]

ANSWERED = "svar"
MISSING = "saknas"  # an answer in the instrument's 'saknas' list, e.g. "Vet ej"
BLANK = "tomt"
#: The ``kontroll`` of an answer that cannot be read (unless :attr:`Parsed.check` names another).
ANSWER_CHECK = "svarsalternativ"

_NUMBER = re.compile(r"^([+-]?\d+)(?:[.,](\d+))?$")
_NUMBER_FIRST = re.compile(r"^([+-]?\d+)(?![.,]\d)\s*(?:[-–—.:)=]\s*|\s+)(.+)$")
_NUMBER_LAST = re.compile(r"^(.+?)\s*[(\[]([+-]?\d+)[)\]]$")
_BRACKETED = re.compile(r"^[(\[](.*)[)\]]$")
_UNNAMED = ("", DEFAULT)  # scales messages need not name: a form's, the instrument's default
#: A whole number with more digits than this is on no scale; it is not converted (int() refuses
#: more than 4300 digits, and a float of them is infinite).
_MAX_DIGITS = 15
_SHOWN_DIGITS = 12
#: The largest magnitude a numeric answer may have: 15 digits before the decimal point.
_MAX_NUMBER = 1e15


def _too_long(digits: str) -> str | None:
    """``digits`` shortened for a message ("123456789012… (5000 siffror)") when it has more than
    :data:`_MAX_DIGITS` digits, else None."""
    bare = digits.lstrip("+-\u2212").lstrip("0")
    if len(bare) <= _MAX_DIGITS:
        return None
    return f"{digits[:_SHOWN_DIGITS]}… ({len(bare)} siffror)"


@dataclass(frozen=True)
class Parsed:
    """The outcome for one distinct answer text.

    ``answer`` is the text the tidy table shows when it is not the answer as
    written (the chosen options of a multiple-choice cell, in option order);
    ``check`` names the kind of error for the report (:data:`ANSWER_CHECK` when ``None``).
    """

    value: float | None
    status: str
    error: str | None = None
    answer: str | None = None
    check: str | None = None


class CachedParser:
    """A parser that reads each distinct text once (:meth:`_parse`) and keeps the result in ``self._cache``."""

    _cache: dict[str, Parsed]

    def parse(self, raw: str) -> Parsed:
        cached = self._cache.get(raw)
        if cached is None:
            cached = self._cache[raw] = self._parse(raw)
        return cached

    def _parse(self, raw: str) -> Parsed:  # pragma: no cover - every subclass reads its own way
        raise NotImplementedError


class AnswerParser(CachedParser):
    """Parses answers for one scale; results are cached per distinct text."""

    def __init__(self, scale: Scale) -> None:
        self.scale = scale
        self._labels = {normalise(label): value for value, label in scale.values.items() if label}
        self._labels.update({normalise(label): value for label, value in scale.aliases.items()})
        self._missing = {normalise(m) for m in scale.missing}
        self._cache: dict[str, Parsed] = {}

    def describe_scale(self) -> str:
        labels = ", ".join(f"{v} = {label}" for v, label in sorted(self.scale.values.items()) if label)
        if not all(self.scale.values.values()):
            labels = f"heltal {self.scale.min}–{self.scale.max}" + (f" ({labels})" if labels else "")
        missing = f"; utanför skalan: {', '.join(self.scale.missing)}" if self.scale.missing else ""
        return f"tillåtna svar: {labels}{missing}"


    def _number(self, text: str) -> Parsed | None:
        match = _NUMBER.match(text)
        if not match:
            return None
        whole, fraction = match.groups()
        if fraction and fraction.strip("0"):
            what = "en kod bland alternativen" if self.scale.nominal else "ett heltal på skalan"
            shown = text if len(text) <= 40 else f"{text[:40]}…"
            return Parsed(None, ANSWERED, f"'{shown}' är inte {what} ({self.describe_scale()})")
        if (long := _too_long(whole)) is not None:
            return self._off_scale(long)
        value = int(whole)
        return Parsed(value, ANSWERED) if value in self.scale.values else self._off_scale(value)

    def _off_scale(self, value: int | str) -> Parsed:
        if self.scale.nominal:
            return Parsed(None, ANSWERED, f"koden {value} finns inte bland alternativen ({self.describe_scale()})")
        name = "" if self.scale.name in _UNNAMED else f" ('{self.scale.name}')"
        return Parsed(None, ANSWERED, f"värdet {value} ligger utanför skalan {self.scale.min}–{self.scale.max}{name}")

    def _parse(self, raw: str) -> Parsed:
        text = " ".join(str(raw).split())
        if not text:
            return Parsed(None, BLANK)
        key = normalise(text)
        if key in self._missing:
            return Parsed(None, MISSING)
        if key in self._labels:
            return Parsed(self._labels[key], ANSWERED)
        number = self._number(text)
        if number is not None:
            return number
        for pattern, number_group, label_group in ((_NUMBER_FIRST, 1, 2), (_NUMBER_LAST, 2, 1)):
            match = pattern.match(text)
            if not match:
                continue
            if (long := _too_long(match.group(number_group))) is not None:
                return self._off_scale(long)
            value = int(match.group(number_group))
            words = match.group(label_group).strip()
            bracketed = _BRACKETED.match(words)
            words = bracketed.group(1).strip() if bracketed else words
            label_value = self._labels.get(normalise(words))
            if label_value is None:
                if value not in self.scale.values:
                    return self._off_scale(value)
                if not self.scale.values[value]:
                    return Parsed(value, ANSWERED)  # an unlabelled value: the text is the survey tool's own
                continue
            if value != label_value:
                return Parsed(None, ANSWERED, f"siffran {value} och etiketten '{words}' (= {label_value}) motsäger varandra")
            return Parsed(value, ANSWERED)
        return Parsed(None, ANSWERED, f"okänt svar ({self.describe_scale()})")


_MINUS = "-\u2212"  # hyphen-minus and the minus sign
_SIGN = r"[+\-\u2212]"
_GROUPED = r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+"  # 1 234 (space, no-break or narrow no-break space)
_PLAIN_NUMBER = re.compile(rf"^({_SIGN}?)({_GROUPED}|\d+)(?:([.,])(\d+))?$")
_NUMBER_AND_WORDS = re.compile(rf"^({_SIGN}?(?:{_GROUPED}|\d+)(?:[.,]\d+)?)\s*(\D.*)$")
_ANY_NUMBER = re.compile(rf"{_SIGN}?\d+(?:[.,]\d+)?")


def number_text(value: float) -> str:
    """A number as Swedish text: ``7``, ``7,5``, ``-2``."""
    return str(int(value)) if float(value).is_integer() else f"{value:.12g}".replace(".", ",")


class NumberParser(CachedParser):
    """Parses the answers of a ``numerisk`` question; results are cached per distinct text (see the module)."""

    def __init__(
        self,
        minimum: float | None = None,
        maximum: float | None = None,
        missing: tuple[str, ...] = (),
        units: tuple[str, ...] = (),
    ) -> None:
        self.minimum, self.maximum = minimum, maximum
        self.missing = tuple(missing)
        self._missing = {normalise(m) for m in missing}
        self._units = {normalise(u) for u in units}
        self._cache: dict[str, Parsed] = {}

    def describe_range(self) -> str:
        low, high = self.minimum, self.maximum
        if low is not None and high is not None:
            return f"ett tal från {number_text(low)} till {number_text(high)}"
        if low is not None:
            return f"ett tal som är minst {number_text(low)}"
        if high is not None:
            return f"ett tal som är högst {number_text(high)}"
        return "ett tal"

    def describe(self) -> str:
        missing = f"; räknas som saknade: {', '.join(self.missing)}" if self.missing else ""
        return f"tillåtna svar: {self.describe_range()}{missing}"


    def _parse(self, raw: str) -> Parsed:
        text = " ".join(str(raw).replace("\u00a0", " ").replace("\u202f", " ").split())
        if not text:
            return Parsed(None, BLANK)
        if normalise(text) in self._missing:
            return Parsed(None, MISSING)
        number = self._number(text)
        if number is None:
            with_words = _NUMBER_AND_WORDS.match(text)
            if with_words and normalise(with_words.group(2)) in self._units:
                number = self._number(with_words.group(1))
        if isinstance(number, Parsed):
            return number
        if number is None:
            found = _ANY_NUMBER.findall(text)
            hint = f" (skriv bara talet: {found[0].replace('.', ',')})" if len(found) == 1 else ""
            return Parsed(None, ANSWERED, f"'{text}' är inte ett tal{hint}; {self.describe()}", check="tal")
        if (self.minimum is not None and number < self.minimum) or (self.maximum is not None and number > self.maximum):
            message = f"talet {number_text(number)} ligger utanför det tillåtna intervallet ({self.describe_range()})"
            return Parsed(None, ANSWERED, message, check="tal utanför intervallet")
        return Parsed(number, ANSWERED)

    def _number(self, text: str) -> float | Parsed | None:
        """The number ``text`` is, an error when it is ambiguous, ``None`` when it is no number."""
        match = _PLAIN_NUMBER.match(text)
        if not match:
            return None
        sign, whole, separator, fraction = match.groups()
        whole = "".join(whole.split())
        if separator == "," and len(fraction) == 3 and len(whole) <= 3 and whole != "0":
            decimal = number_text(float(f"{whole}.{fraction}"))
            return Parsed(
                None, ANSWERED, f"'{text}' kan betyda både {decimal} och {whole}{fraction}; skriv talet utan tusentalskomma", check="tal"
            )
        value = float(f"{whole}.{fraction}" if fraction else whole)
        if not abs(value) < _MAX_NUMBER:  # squares and sums of larger ones overflow (also infinity: hundreds of digits)
            shown = whole if len(whole) <= _SHOWN_DIGITS else f"{whole[:_SHOWN_DIGITS]}… ({len(whole)} siffror)"
            message = f"talet {sign}{shown} är för stort för att räknas med (högst 15 siffror); {self.describe()}"
            return Parsed(None, ANSWERED, message, check="tal")
        return (-value if sign and sign in _MINUS else value) + 0.0  # -0 is 0
