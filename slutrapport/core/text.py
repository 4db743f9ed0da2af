"""Text normalisation shared by column matching and answer parsing."""

from __future__ import annotations

import functools
import html
import re
import unicodedata

__all__ = ["normalise", "strip_html"]

_SPACE = re.compile(r"\s+")
_TAG = re.compile(r"<\s*(/?)\s*([A-Za-z][A-Za-z0-9]*)[^<>]*>")
#: Tags that break a line or a block: replaced by a space; other (inline) tags by nothing.
_BLOCK_TAGS = {"br", "p", "div", "li", "ul", "ol", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "table"}
#: Characters a web tool leaves in a text that are invisible: zero-width space, soft hyphen, BOM.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u00ad\ufeff"))
_TRAILING = " \t.:;,!?…*\"'”“»«"


def normalise(text: object) -> str:
    """Case-folded, NFC, single-spaced text without surrounding spaces, quotes or trailing punctuation.

    >>> normalise("  Jag vet  vem jag ska kontakta? ")
    'jag vet vem jag ska kontakta'

    Kept for the last :data:`_REMEMBERED` texts (by value and type: ``1`` and ``1.0`` are different
    texts): a file's headings are normalised by every export format's detection and by the matching.
    """
    try:
        return _remembered(text)
    except TypeError:  # a value that cannot be a key
        return _normalise(text)


_REMEMBERED = 1 << 14


def _normalise(text: object) -> str:
    value = unicodedata.normalize("NFC", str(text)).replace("\u00a0", " ")
    value = _SPACE.sub(" ", value).strip().strip(_TRAILING).strip()
    return value.casefold()


_remembered = functools.lru_cache(maxsize=_REMEMBERED, typed=True)(_normalise)


def strip_html(text: object) -> str:
    """``text`` without HTML tags, with entities decoded and invisible characters removed.

    Web survey tools put markup into exported question texts (``<b>``, ``<br/>``,
    ``&nbsp;``); a line or block tag (``<br>``, ``<p>``, ``<div>``) becomes a space, so
    words on either side stay apart, and an inline tag (``<b>``, ``<span>``) is removed.

    >>> normalise(strip_html("<p>Jag&nbsp;vet <b>vem</b><br/>jag ska kontakta &amp; fr<i>å</i>ga</p>"))
    'jag vet vem jag ska kontakta & fråga'
    """
    value = str(text)
    if "<" in value:
        value = _TAG.sub(lambda m: " " if m.group(2).casefold() in _BLOCK_TAGS else "", value)
    value = html.unescape(value)
    # (translating looks up every character: only a text that has one of them)
    return value.translate(_INVISIBLE) if "\u200b" in value or "\u00ad" in value or "\ufeff" in value else value
