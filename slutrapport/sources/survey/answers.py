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
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from slutrapport.core.text import normalise
from slutrapport.sources.survey.instrument import DEFAULT, Scale

__all__ = ["Parsed", "AnswerParser", "ANSWERED", "MISSING", "BLANK"]

ANSWERED = "svar"
MISSING = "saknas"  # an answer in the instrument's 'saknas' list, e.g. "Vet ej"
BLANK = "tomt"

_NUMBER = re.compile(r"^([+-]?\d+)(?:[.,](\d+))?$")
_NUMBER_FIRST = re.compile(r"^([+-]?\d+)(?![.,]\d)\s*(?:[-–—.:)=]\s*|\s+)(.+)$")
_NUMBER_LAST = re.compile(r"^(.+?)\s*[(\[]([+-]?\d+)[)\]]$")
_BRACKETED = re.compile(r"^[(\[](.*)[)\]]$")
_UNNAMED = ("", DEFAULT)  # scales messages need not name: a form's, the instrument's default


@dataclass(frozen=True)
class Parsed:
    """The outcome for one distinct answer text."""

    value: int | None
    status: str
    error: str | None = None


class AnswerParser:
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

    def parse(self, raw: str) -> Parsed:
        cached = self._cache.get(raw)
        if cached is None:
            cached = self._cache[raw] = self._parse(raw)
        return cached

    def _number(self, text: str) -> Parsed | None:
        match = _NUMBER.match(text)
        if not match:
            return None
        whole, fraction = match.groups()
        if fraction and int(fraction) != 0:
            return Parsed(None, ANSWERED, f"'{text}' är inte ett heltal på skalan ({self.describe_scale()})")
        value = int(whole)
        return Parsed(value, ANSWERED) if value in self.scale.values else self._off_scale(value)

    def _off_scale(self, value: int) -> Parsed:
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
