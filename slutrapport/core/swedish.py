"""Swedish number and list formatting, shared by renderers and the wording rules."""

from __future__ import annotations

import math
import re

__all__ = ["format_number", "format_percent", "format_p", "join_words", "wave_list", "wave_name", "format_money", "format_mkr", "count_noun"]

NBSP = "\u00a0"


def format_number(value: float, decimals: int) -> str:
    """``1234.5`` → ``'1 234,5'`` (decimal comma, non-breaking thousands space, real minus sign)."""
    text = f"{value:,.{decimals}f}"
    if text.lstrip("-").strip("0.,") == "":
        text = text.lstrip("-")  # no "−0,0"
    return text.replace(",", NBSP).replace(".", ",").replace("-", "\u2212")


def format_percent(share: float, decimals: int = 0) -> str:
    """A share 0–1 as ``'72 %'``."""
    return f"{format_number(100 * share, decimals)}{NBSP}%"


def format_p(p: float) -> str:
    """A p-value as reports write it: ``p = 0,03`` or ``p < 0,001``."""
    if math.isnan(p):
        return "p saknas"
    if p < 0.001:
        return "p < 0,001"
    return f"p = {format_number(p, 3 if p < 0.01 else 2)}"


def join_words(words: list[str]) -> str:
    """``['a', 'b', 'c']`` → ``'a, b och c'``."""
    words = [w for w in words if w]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " och " + words[-1]


_WAVE = re.compile(r"^enkät\s+(\d+)$", re.IGNORECASE)


def wave_list(labels: list[str]) -> str:
    """``['Enkät 1', 'Enkät 2', 'Enkät 3']`` → ``'enkät 1, 2 och 3'``; other labels are listed as they are."""
    numbers = [_WAVE.match(label.strip()) for label in labels]
    if labels and all(numbers):
        return "enkät " + join_words([m.group(1) for m in numbers])
    return join_words([wave_name(label) for label in labels])


def wave_name(label: str) -> str:
    """A wave label inside a sentence: ``'Enkät 2'`` → ``'enkät 2'``; other labels unchanged."""
    return label[0].lower() + label[1:] if _WAVE.match(label.strip()) else label


def format_money(value: float, decimals: int = 0) -> str:
    """Kronor as Swedish reports write them: ``1234567`` → ``'1 234 567 kr'``.

    The same non-breaking thousands space as :func:`format_number` (also before
    ``kr``), a real minus sign for negative amounts and whole kronor unless
    ``decimals`` asks for öre.
    """
    return f"{format_number(value, decimals)}{NBSP}kr"


def format_mkr(value: float) -> str:
    """Millions of kronor with one decimal, as reports write totals: ``2635891`` → ``'2,6 mkr'``, ``−4864108`` → ``'−4,9 mkr'``."""
    return f"{format_number(value / 1e6, 1)}{NBSP}mkr"


def count_noun(count: int, singular: str, plural: str) -> str:
    """The count and the noun in the right number: "1 fil", "2 filer", "0 filer"."""
    return f"{count} {singular if count == 1 else plural}"
