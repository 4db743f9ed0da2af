"""Text normalisation shared by column matching and answer parsing."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalise"]

_SPACE = re.compile(r"\s+")
_TRAILING = " \t.:;,!?…*\"'”“»«"


def normalise(text: object) -> str:
    """Case-folded, NFC, single-spaced text without surrounding spaces, quotes or trailing punctuation.

    >>> normalise("  Jag vet  vem jag ska kontakta? ")
    'jag vet vem jag ska kontakta'
    """
    value = unicodedata.normalize("NFC", str(text)).replace("\u00a0", " ")
    value = _SPACE.sub(" ", value).strip().strip(_TRAILING).strip()
    return value.casefold()
