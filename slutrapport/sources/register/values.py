"""Values of the participant register as people write them: dates, kön, whole numbers and categories.

Each parser takes the text of one cell and returns the value or raises
:class:`ValueProblem` with a Swedish explanation (the caller adds file, row
and column). The rules:

**Dates.** Accepted: ISO ``2025-03-01`` (also ``2025/03/01``, ``2025.03.01``
and ``20250301``), the same followed by a time as Excel and SUS exports
write it (``2025-03-01 00:00``, ``2025-03-01T00:00:00``; the time is
dropped, and a time other than midnight gives a warning), and Swedish text
(``1 mars 2025``, ``1 mar. 2025``). Excel date cells arrive as ISO text from
the xlsx reader. Day-month orders such as ``1/3/2025`` or ``01-03-2025`` are
refused as ambiguous (1 March or 3 January?), ``250301`` is refused because it
can be read as both YYMMDD and DDMMYY, and a bare Excel serial number
(``45717``) is refused with the date it would be, because a number in a date
column means the column lost its date format.

**Kön.** ``kvinna``, ``kvinnor``, ``k``, ``kv``, ``f``, ``female`` … →
Kvinnor; ``man``, ``män``, ``m``, ``male`` … → Män; ``annat``, ``annan``,
``x``, ``ickebinär``, ``vill ej ange``, ``ej angivet`` and a blank cell →
Annat/ej angivet. Anything else is an error.

**Categories.** Matched without regard to letter case, surrounding or
repeated spaces, hyphens and trailing punctuation (``A-kassa`` = ``a kassa``
= ``A-KASSA.``), against the category names and their aliases.
"""

from __future__ import annotations

import difflib
import re
from datetime import date, timedelta

from slutrapport.core.text import normalise

__all__ = [
    "ValueProblem",
    "ALL",
    "WOMEN",
    "MEN",
    "OTHER_GENDER",
    "GENDERS",
    "parse_date",
    "parse_gender",
    "parse_count",
    "category_key",
    "CategoryMatcher",
    "looks_like_personal_number",
]

ALL, WOMEN, MEN, OTHER_GENDER = "Alla", "Kvinnor", "Män", "Annat/ej angivet"
#: Every kön value in report order (``Alla`` first).
GENDERS = (ALL, WOMEN, MEN, OTHER_GENDER)


class ValueProblem(ValueError):
    """A cell that cannot be read; the message is Swedish and names what is expected."""


_MONTHS = {
    "jan": 1, "januari": 1, "feb": 2, "februari": 2, "mar": 3, "mars": 3, "apr": 4, "april": 4, "maj": 5,
    "jun": 6, "juni": 6, "jul": 7, "juli": 7, "aug": 8, "augusti": 8, "sep": 9, "sept": 9, "september": 9,
    "okt": 10, "oktober": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}  # fmt: skip
_TIME = r"(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?"
_YEAR_FIRST = re.compile(rf"^(\d{{4}})([-/.])(\d{{1,2}})\2(\d{{1,2}}){_TIME}$")
_COMPACT = re.compile(r"^((?:19|20)\d{2})(\d{2})(\d{2})$")
_TEXT_DATE = re.compile(r"^(\d{1,2})\s+([a-zåäö]+)\.?\s+(\d{4})$")
_DAY_FIRST = re.compile(r"^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}" + _TIME + "$")
_SERIAL = re.compile(r"^(\d{5})(?:[.,]0+)?$")
_SIX_DIGITS = re.compile(r"^\d{6}$")
_EXCEL_EPOCH = date(1899, 12, 30)
_FIRST_YEAR, _LAST_YEAR = 1990, 2100
ISO_HINT = "skriv datum som ÅÅÅÅ-MM-DD, t.ex. 2025-03-01"


def _make_date(year: int, month: int, day: int, text: str) -> date:
    if not _FIRST_YEAR <= year <= _LAST_YEAR:
        raise ValueProblem(f"orimligt årtal {year} i datumet '{text}'; {ISO_HINT}")
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueProblem(f"datumet '{text}' finns inte i kalendern; {ISO_HINT}") from None


def parse_date(text: str) -> tuple[date | None, bool]:
    """``(date, had_time)`` for a cell; ``(None, False)`` for a blank cell.

    ``had_time`` is true when a time other than midnight was dropped.
    """
    value = " ".join(str(text).split())
    if not value:
        return None, False
    match = _YEAR_FIRST.match(value)
    if match:
        year, _, month, day, hour, minute, second = match.groups()
        had_time = any(int(part) for part in (hour or 0, minute or 0, second or 0))
        return _make_date(int(year), int(month), int(day), value), had_time
    match = _COMPACT.match(value)
    if match:
        return _make_date(*(int(g) for g in match.groups()), value), False
    match = _TEXT_DATE.match(value.lower())
    if match and match.group(2) in _MONTHS:
        return _make_date(int(match.group(3)), _MONTHS[match.group(2)], int(match.group(1)), value), False
    if _DAY_FIRST.match(value):
        raise ValueProblem(f"datumet '{value}' är tvetydigt (dag och månad kan vara omkastade); {ISO_HINT}")
    match = _SERIAL.match(value)
    if match:
        serial = int(match.group(1))
        hint = ""
        if 20000 <= serial <= 80000:
            hint = f" (som Excel-datum motsvarar det {(_EXCEL_EPOCH + timedelta(days=serial)).isoformat()})"
        raise ValueProblem(
            f"'{value}' är ett tal, inte ett datum{hint}; formatera kolumnen som datum i Excel eller {ISO_HINT}"
        )
    if _SIX_DIGITS.match(value):
        raise ValueProblem(f"'{value}' kan läsas både som ÅÅMMDD och DDMMÅÅ; {ISO_HINT}")
    raise ValueProblem(f"'{value}' kan inte läsas som ett datum; {ISO_HINT}")


_GENDER_WORDS = {
    WOMEN: ("kvinna", "kvinnor", "k", "kv", "f", "female", "woman", "kvinnlig", "flicka", "tjej"),
    MEN: ("man", "män", "m", "male", "manlig", "pojke", "kille"),
    OTHER_GENDER: (
        "annat", "annan", "a", "x", "ickebinär", "icke binär", "vill ej ange", "vill inte ange", "ej angivet",
        "ej angiven", "uppgift saknas", "okänt", "okänd", "annat/ej angivet",
    ),
}  # fmt: skip
_GENDERS = {category_word: gender for gender, words in _GENDER_WORDS.items() for category_word in words}


def parse_gender(text: str) -> str:
    """``Kvinnor``, ``Män`` or ``Annat/ej angivet`` (blank cells too)."""
    key = category_key(text)
    if not key:
        return OTHER_GENDER
    gender = _GENDERS.get(key)
    if gender is None:
        raise ValueProblem(
            f"okänt kön '{str(text).strip()}'; skriv kvinna/K, man/M eller annat (en tom cell räknas som ej angivet)"
        )
    return gender


_WHOLE = re.compile(r"^([+-]?\d+)(?:[.,]0+)?$")
_MAX_DIGITS = 15  # more digits than any count in a register


def parse_count(text: str, what: str, low: int = 0, high: int | None = None) -> int | None:
    """A whole number ``low``–``high`` (``"12"``, ``"12,0"``); ``None`` for a blank cell."""
    value = "".join(str(text).split())
    if not value:
        return None
    match = _WHOLE.match(value)
    if not match:
        raise ValueProblem(f"{what} ska vara ett heltal, inte '{str(text).strip()}'")
    digits = match.group(1).lstrip("+-").lstrip("0")
    if len(digits) > _MAX_DIGITS:  # never a count, and int() refuses more than 4300 digits
        shown = f"{match.group(1)[:12]}… ({len(digits)} siffror)"
        raise ValueProblem(f"{what} ska vara ett heltal{'' if high is None else f' mellan {low} och {high}'}, inte {shown}")
    number = int(match.group(1))
    if number < low or (high is not None and number > high):
        limit = f"mellan {low} och {high}" if high is not None else f"minst {low}"
        raise ValueProblem(f"{what} ska vara {limit}, inte {number}")
    return number


_SEPARATORS = re.compile(r"[\s\-‐–—_/]+")


def category_key(text: object) -> str:
    """The form two category spellings are compared in: ``'A-kassa '`` → ``'a kassa'``."""
    return _SEPARATORS.sub(" ", normalise(text)).strip()


class CategoryMatcher:
    """Matches written values to a fixed list of categories, with aliases.

    ``categories`` are the names in report order; ``aliases`` map another
    spelling to one of them (aliases pointing elsewhere are ignored, so a
    built-in alias of a category the project removed does nothing).
    """

    def __init__(self, categories: list[str], aliases: dict[str, str] | None = None) -> None:
        self.categories = list(categories)
        by_key = {category_key(c): c for c in self.categories}
        self._lookup = dict(by_key)
        for alias, target in (aliases or {}).items():
            found = by_key.get(category_key(target))
            if found is not None:
                self._lookup.setdefault(category_key(alias), found)

    def match(self, text: object) -> str | None:
        """The category ``text`` names, or None."""
        return self._lookup.get(category_key(text))

    def explain(self, text: object, what: str) -> str:
        """A Swedish message for an unknown value, with the closest known spelling."""
        close = difflib.get_close_matches(category_key(text), list(self._lookup), n=1, cutoff=0.75)
        hint = f" Menar du '{self._lookup[close[0]]}'?" if close else ""
        return (
            f"okänd {what} '{str(text).strip()}'; kända värden: {', '.join(self.categories)}.{hint} "
            "Lägg till stavningen under deltagare: kategorier: alias: i projekt.yaml om den ska räknas som en av dem."
        )


_PERSONAL_NUMBER = re.compile(r"^(?:19|20)?\d{6}[-+ ]?\d{4}$")


def looks_like_personal_number(text: str) -> bool:
    """True for ``YYMMDD-NNNN``, ``YYYYMMDDNNNN`` and similar: a personnummer, not a pseudonym."""
    return bool(_PERSONAL_NUMBER.match(str(text).strip()))
