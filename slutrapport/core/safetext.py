"""Text every writer can hold: the one sanitiser of the outputs (xlsx, docx, HTML, CSV, charts).

A free-text answer or a name can carry characters that an output format
cannot hold: C0 control characters such as the vertical tab ``\\x0b`` (XML 1.0,
and so xlsx and docx, forbids them; openpyxl raises ``IllegalCharacterError``),
C1 control characters, lone surrogates (no UTF-8 encoding exists for them) and
the noncharacters U+FFFE and U+FFFF. :func:`clean_text` removes them; the
ones that separate words (vertical tab, form feed, the information separators
U+001C–U+001F and NEL U+0085) become a space so the words stay apart. Tab,
newline and carriage return are kept unless a single line is asked for.

Reporting: a writer has no warning list of its own, so every repair is noted
in the collector of the current context, if there is one. A caller that wants
to tell the user wraps the rendering in :func:`collect_repairs` and adds
:meth:`TextRepairs.warnings` (one :class:`~slutrapport.core.problems.Problem`
for all repaired texts, however many files they were written to) to its
warnings. Without a collector the repairs are silent (the output is still
safe). The collector is a :class:`contextvars.ContextVar`, so two requests of
the web page never mix their repairs.

Formulas: a text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is read as a formula by a spreadsheet (CSV injection, OWASP).
:func:`starts_like_formula` tells the xlsx writers to store such a text as a
string with Excel's quote prefix; :func:`formula_safe` puts an apostrophe
before it for a CSV file (the OWASP recommendation), which Excel shows as
text and does not display.

Also here: :func:`shorten` (a long name in a title, a document property or a
sheet name, with an ellipsis), :func:`chart_text` (a text matplotlib shows
literally: ``$`` never starts mathtext) and :func:`encode_utf8`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from contextlib import AbstractContextManager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, TypeVar

from slutrapport.core.problems import WARNING, Problem
from slutrapport.core.scoped import within

__all__ = [
    "clean_text",
    "shorten",
    "chart_text",
    "encode_utf8",
    "TextRepairs",
    "collect_repairs",
    "with_repairs",
    "note_repairs",
    "FORBIDDEN_CHARACTERS",
    "FORMULA_START",
    "starts_like_formula",
    "formula_safe",
]

#: Characters no output keeps: C0 controls except tab, newline and carriage return (XML 1.0 and
#: openpyxl's ILLEGAL_CHARACTERS_RE), DEL and C1 controls, lone surrogates, U+FFFE and U+FFFF.
FORBIDDEN_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_SEPARATORS = frozenset("\x0b\x0c\x1c\x1d\x1e\x1f\x85")  # become a space: they separate words
_LINE_BREAKS = re.compile("[\t\n\r\u2028\u2029]+")
_SPACES = re.compile(" {2,}")
_NAMES = {
    "\x00": "nolltecken",
    "\x0b": "vertikal tabb",
    "\x0c": "sidmatning",
    "\x1b": "escape-tecken",
    "\x7f": "raderingstecken (DEL)",
    "\x85": "radslut (NEL)",
    "\ufffe": "icke-tecknet U+FFFE",
    "\uffff": "icke-tecknet U+FFFF",
}
#: The first characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_EXAMPLES = 3  # repaired texts remembered as examples
_DISTINCT = 10_000  # distinct repaired texts counted; beyond that the count says "minst"


def _replacement(match: re.Match[str]) -> str:
    return " " if match.group() in _SEPARATORS else ""


def clean_text(text: object, *, single_line: bool = False) -> str:
    """``text`` as a string every output can hold (see the module docstring).

    ``single_line`` also turns tabs and line breaks into spaces and collapses
    runs of spaces: for a title, a document property, a sheet name or a label.

    >>> clean_text("Org\\x0bA\\x01B")
    'Org AB'
    >>> clean_text("Rad ett\\nrad två", single_line=True)
    'Rad ett rad två'
    """
    value = text if isinstance(text, str) else str(text)
    found = FORBIDDEN_CHARACTERS.findall(value)
    if found:
        _note(value, found)
        value = FORBIDDEN_CHARACTERS.sub(_replacement, value)
    if single_line:
        value = _SPACES.sub(" ", _LINE_BREAKS.sub(" ", value)).strip()
    return value


def shorten(text: str, limit: int, placeholder: str = "…") -> str:
    """``text`` when it has at most ``limit`` characters, else its start (at a word boundary when one
    is near) and ``placeholder``, together at most ``limit`` characters.

    >>> shorten("Projektet med ett mycket långt namn", 20)
    'Projektet med ett…'
    """
    if limit <= len(placeholder):
        raise ValueError(f"limit {limit} leaves no room for text")
    if len(text) <= limit:
        return text
    cut = text[: limit - len(placeholder)]
    space = cut.rfind(" ")
    if space >= len(cut) * 2 // 3:
        cut = cut[:space]
    return cut.rstrip() + placeholder


def starts_like_formula(text: str) -> bool:
    """Whether a spreadsheet would read ``text`` as a formula (it starts with one of :data:`FORMULA_START`).

    >>> starts_like_formula("=HYPERLINK(1)"), starts_like_formula("Org = A")
    (True, False)
    """
    return text.startswith(FORMULA_START)


def formula_safe(text: str) -> str:
    """``text`` for a CSV cell: with an apostrophe before it when it starts like a formula (OWASP), else unchanged.
    Only texts: a number (also a negative one) is written as a number and never comes here.

    >>> formula_safe("=SUM(A1)"), formula_safe("-x"), formula_safe("Org A")
    ("'=SUM(A1)", "'-x", 'Org A')
    """
    return "'" + text if starts_like_formula(text) else text


def chart_text(text: object, limit: int | None = None) -> str:
    """A text for matplotlib that is shown as written: cleaned (:func:`clean_text`, line breaks kept),
    shortened to ``limit`` characters when given, and every ``$`` escaped as ``\\$``, so that
    "Org $A$ och $B$" is never read as mathtext (with no unescaped ``$`` matplotlib draws the text
    plainly and shows ``\\$`` as ``$``). A text starting with ``_`` gets a space before it: matplotlib
    leaves a legend entry whose label starts with an underscore out of the legend.

    >>> chart_text("Org $A$")
    'Org \\\\$A\\\\$'
    """
    value = clean_text(text)
    if limit is not None:
        value = shorten(value, limit)
    if value.startswith("_"):
        value = " " + value
    return value.replace("$", r"\$")


def encode_utf8(text: str) -> bytes:
    """``text`` as UTF-8; a lone surrogate (which has no UTF-8 form) becomes U+FFFD and is noted."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        found = re.findall("[\ud800-\udfff]", text)
        first = re.search("[\ud800-\udfff]", text)
        assert first is not None  # the only characters str.encode("utf-8") refuses
        _note(text[max(first.start() - 30, 0) : first.end() + 30], found)
        return re.sub("[\ud800-\udfff]", "\ufffd", text).encode("utf-8")


@dataclass
class TextRepairs:
    """The texts :func:`clean_text` repaired while the collector was current, counted once each."""

    characters: Counter[str] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)
    _texts: dict[str, None] = field(default_factory=dict, repr=False)  # in the order first repaired
    _more: bool = field(default=False, repr=False)

    def __bool__(self) -> bool:
        return bool(self._texts)

    @property
    def count(self) -> int:
        """How many distinct texts were repaired."""
        return len(self._texts)

    @property
    def texts(self) -> list[str]:
        """The distinct repaired texts in the order they were first repaired (:func:`clean_text` of each
        notes them again in that order: how a chart drawn in another process reports its repairs)."""
        return list(self._texts)

    def note(self, text: str, found: list[str]) -> None:
        if text in self._texts:
            return
        if len(self._texts) >= _DISTINCT:
            self._more = True
            return
        self._texts[text] = None
        self.characters.update(found)
        if len(self.examples) < _EXAMPLES:
            self.examples.append(text)

    def message(self) -> str:
        """One Swedish sentence on what was repaired (empty when nothing was)."""
        if not self:
            return ""
        count = f"{'minst ' if self._more else ''}{self.count}"
        texts = "text" if self.count == 1 and not self._more else "texter"
        kinds = ", ".join(f"{_character_name(c)} ({n} st.)" for c, n in sorted(self.characters.items(), key=lambda item: -item[1]))
        return (
            f"{count} {texts} innehöll tecken som Excel, Word och HTML inte kan visa: {kinds}. "
            "Tecknen togs bort (de som skiljer ord åt ersattes med mellanslag) i rapportfilerna; "
            "rätta gärna källfilen."
        )

    def warning(self, fil: str) -> Problem | None:
        """The repairs as one warning about the output ``fil`` (None when nothing was repaired)."""
        if not self:
            return None
        example = shorten(_visible(self.examples[0]), 80)
        return Problem(fil, None, None, "otillåtna tecken", example, self.message(), WARNING)

    def warnings(self, fil: str) -> list[Problem]:
        """:meth:`warning` as a list (empty when nothing was repaired), to add to an ``Outcome``'s warnings."""
        warning = self.warning(fil)
        return [] if warning is None else [warning]


_CURRENT: ContextVar[TextRepairs | None] = ContextVar("slutrapport_text_repairs", default=None)
T = TypeVar("T")


def collect_repairs() -> AbstractContextManager[TextRepairs]:
    """Collect what :func:`clean_text` repairs inside the ``with`` block (nested blocks collect their own)::

        with collect_repairs() as repairs:
            outputs = {"rapport.xlsx": render_excel(report), ...}
        warning = repairs.warning(str(out))
    """
    return within(_CURRENT, TextRepairs())


def with_repairs(function: Callable[..., T], *args: Any) -> tuple[T, list[str]]:
    """``function(*args)`` and the texts :func:`clean_text` repaired meanwhile (:attr:`TextRepairs.texts`):
    for work done in another process, whose repairs :func:`note_repairs` notes in this one."""
    with collect_repairs() as repairs:
        result = function(*args)
    return result, repairs.texts


def note_repairs(texts: list[str]) -> None:
    """Note ``texts`` (from :func:`with_repairs`) in the current collector, as repairing them here would."""
    for text in texts:
        clean_text(text)


def _note(text: str, found: list[str]) -> None:
    repairs = _CURRENT.get()
    if repairs is not None:
        repairs.note(text, found)


def _character_name(character: str) -> str:
    code = f"U+{ord(character):04X}"
    if character in _NAMES:
        return f"{_NAMES[character]} {code}"
    if "\ud800" <= character <= "\udfff":
        return f"trasigt Unicode-tecken (ensamt surrogat {code})"
    return f"styrtecken {code}"


def _visible(text: str) -> str:
    """``text`` with every forbidden character shown as ``[U+000B]``."""
    return FORBIDDEN_CHARACTERS.sub(lambda m: f"[U+{ord(m.group()):04X}]", text)
