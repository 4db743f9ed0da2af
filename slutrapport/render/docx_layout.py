"""How wide the Word report's table columns are, so that no number and no word is broken.

Word breaks a line only at a breakable space; a number is written with
non-breaking spaces (``1 234 567 kr``, ``72 %``: :func:`keep_numbers_together`
mends a user's plain spaces too), so a whole number is one unbreakable
"word". Each column is made at least as wide as its widest such word
measured in DejaVu Sans (the font matplotlib ships), plus the cell's side
margins (Word's 0.19 cm, 0.1 cm in the small 7 pt tables). DejaVu Sans is wider than the fonts a report is set in (Calibri,
Carlito, Arial, Georgia, Times New Roman; its digits are 0.64 em against
Calibri's 0.51 em), so the estimate errs on the side of room. Words that
are no numbers are counted at an average 0.567 em a character: a rare wide
word may be broken by Word when the page has no more room, a number never.
The widths are fixed (``w:tblLayout w:type="fixed"``): Word does not
autofit them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from docx.shared import Cm, Pt, Twips

__all__ = [
    "Layout", "A4_WIDTHS", "TABLE_TEXT", "TABLE_COMPACT", "CELL_MARGIN", "COMPACT_MARGIN",
    "choose_layout", "column_widths", "text_width", "keep_numbers_together",
]  # fmt: skip

#: Word's default side margin of a table cell (108 twips, 0.19 cm), on each side.
CELL_MARGIN = Twips(108)
#: The narrower side margin of a cell in the small (7 pt) tables (57 twips, 0.1 cm).
COMPACT_MARGIN = Twips(57)
_ROUNDING = Pt(0.5)  # added to each measured number: Word keeps widths in whole twips
_WANT_LIMIT = 30  # a column wants at most about this many characters on a line
#: A whole number in digit groups (12 345 678; not a phone number's 70 123 45 67 or the years 2025 2026).
_GROUPED = re.compile(r"(?<![\d,.])(?<!\d )\d{1,3}(?: \d{3})+(?!\d)(?! \d)")
_UNIT_GAP = re.compile(r"(?<=\d) (?=(?:%|kr|tkr|mkr|p\.e\.)(?!\w))")
_NUMBER = re.compile(r"^[<>≤≥±~≈−+\-(]?\u00a0?\d")  # a word that starts as a number: 12, −0,4, <\u00a00,001, (12)
_TEXT_EM = 0.567
_BREAKABLE = re.compile(r"[ \t\n\r\u2002-\u200b\u3000]+")  # never the no-break space U+00A0 or the thin no-break U+202F


@dataclass(frozen=True)
class Layout:
    """How a table is set: its font size (pt), paragraph style, the width of the text on its page (EMU), and
    whether it has a landscape page of its own."""

    size: float
    style: str
    text_width: int
    landscape: bool = False
    margin: int = CELL_MARGIN  # a cell's left and right margin (EMU)


TABLE_TEXT, TABLE_COMPACT = "Tabelltext", "Tabelltext liten"
#: The text width of an A4 page with 2 cm margins, portrait and landscape (the report's own page).
A4_WIDTHS = (Cm(21.0 - 4), Cm(29.7 - 4))


def keep_numbers_together(text: str) -> str:
    """Plain spaces inside a number (``12 345``) and before its unit (``12 kr``, ``72 %``) made no-break spaces."""
    grouped = _GROUPED.sub(lambda match: match.group().replace(" ", "\u00a0"), text)
    return _UNIT_GAP.sub("\u00a0", grouped)


@lru_cache(maxsize=2)
def _font(bold: bool) -> tuple[object, int]:
    from matplotlib import font_manager, ft2font  # imported when a Word table is measured

    properties = font_manager.FontProperties(family="DejaVu Sans", weight="bold" if bold else "normal")
    font = ft2font.FT2Font(font_manager.findfont(properties, fallback_to_default=True))
    return font, font.units_per_EM


@lru_cache(maxsize=4096)
def _advance(char: str, bold: bool) -> float:
    """The advance of one character in em; a character the font lacks counts a whole em."""
    font, units = _font(bold)
    if not font.get_char_index(ord(char)):
        return 1.0
    from matplotlib import ft2font

    flag = ft2font.LoadFlags.NO_SCALE if hasattr(ft2font, "LoadFlags") else ft2font.LOAD_NO_SCALE
    return font.load_char(ord(char), flags=flag).horiAdvance / units


def text_width(text: str, size: float, bold: bool = False) -> int:
    """The width (EMU) of ``text`` on one line at ``size`` pt in DejaVu Sans, kerning ignored (it only narrows)."""
    return int(Pt(size) * sum(_advance(char, bold) for char in text))


def _words(text: str) -> list[str]:
    return [word for word in _BREAKABLE.split(text) if word]


def _soft_width(text: str, size: float) -> int:
    """The width (EMU) of a word that is no number at an average 0.567 em a character (0.18 cm at 9 pt):
    room enough for most words in the report's fonts; a longer one Word may break, never a number."""
    return int(Pt(size) * _TEXT_EM * len(text))


def _word_width(word: str, size: float, bold: bool = False) -> tuple[int, int]:
    """(hard, soft) width of one word: a number is measured (:func:`text_width`) and must fit."""
    if _NUMBER.match(word):
        width = text_width(word, size, bold) + _ROUNDING
        return width, width
    return 0, _soft_width(word, size)


def _column_needs(header: list[str], body: list[list[str]], size: float, margin: int) -> tuple[list[int], list[int], list[int]]:
    """What each column must have (its widest number, the header's in bold), needs (its
    widest word) and wants (its widest cell on one line, up to about :data:`_WANT_LIMIT` characters),
    in EMU including the cell margins."""
    margins, limit = 2 * margin, _soft_width("n" * _WANT_LIMIT, size)
    musts, needs, wants = [], [], []
    for label, *cells in zip(header, *body, strict=True) if body else ([label] for label in header):
        words = [_word_width(w, size, bold=True) for w in _words(label)] + [_word_width(w, size) for text in cells for w in set(_words(text))]
        must, need = max((hard for hard, _soft in words), default=0), max((soft for _hard, soft in words), default=0)
        whole = max((max(_soft_width(text, size), must) for text in set(cells)), default=0)
        musts.append(must + margins)
        needs.append(need + margins)
        wants.append(max(need, min(whole, limit)) + margins)
    return musts, needs, wants


def choose_layout(header: list[str], body: list[list[str]], widths: tuple[int, int] = A4_WIDTHS, sizes: tuple[float, float] = (9, 7)) -> Layout:
    """Normal text (``sizes[0]`` pt) when the columns' widest words fit across the portrait page's text
    width (``widths[0]``), else small text when that fits, else a landscape page of the table's own."""
    portrait, landscape = widths
    for layout in (Layout(sizes[0], TABLE_TEXT, portrait), Layout(sizes[1], TABLE_COMPACT, portrait, margin=COMPACT_MARGIN)):
        if sum(_column_needs(header, body, layout.size, layout.margin)[1]) <= layout.text_width:
            return layout
    return Layout(sizes[0], TABLE_TEXT, landscape, landscape=True)


def column_widths(header: list[str], body: list[list[str]], layout: Layout) -> list[int]:
    """Column widths (EMU) from their text, so numbers get narrow columns and questions wide ones.

    The widths fill the page's text width. When the page is too narrow for
    every want, the room left after the needs is shared in proportion to what
    each column still wants; when it is too narrow even for the needs, each
    column gets what it must have (its numbers) and the rest is shared in
    proportion to the words' needs. No column is ever narrower than its widest
    number: a table whose numbers exceed even a landscape page reaches into the
    margin rather than break one.
    """
    musts, needs, wants = _column_needs(header, body, layout.size, layout.margin)
    width = layout.text_width
    for low, high in ((needs, wants), (musts, needs)):
        if sum(low) <= width < sum(high):
            room, extra = width - sum(low), sum(high) - sum(low)
            return [int(a + (b - a) * room / extra) for a, b in zip(low, high, strict=True)]
    if sum(wants) <= width:
        return [int(width * want / sum(wants)) for want in wants]  # scaled up: never below the want
    return musts
