"""The checks every page and report a projektledare reads must pass: no internal names, YAML keys or cell references.

Used by the test client (every page the web tests render, ``tests/web/test_web.py`` ``Browser.page``)
and by ``tests/web/test_web_language.py`` for the demo's rapport.html, .docx and .xlsx.
"""

from __future__ import annotations

import html
import re

__all__ = ["INTERNAL_UPLOAD", "YAML_KEYS", "CELL_REFERENCE", "BAD_PLURAL", "visible_text", "plain_problems"]

#: A name the program made up for an uploaded file (checked in the raw HTML: hidden fields too).
INTERNAL_UPLOAD = re.compile(r"\b(enkat|formular|register|budget)-\d{8}-[0-9a-f]{6}")
#: Keys of projekt.yaml as the command line names them: two in a row, or a known key followed by its colon.
YAML_KEYS = re.compile(
    r"\b[a-z_]{2,}: [a-z_]{2,}:|\b(?:personalenkat|sjalvvardering|socioekonomi|kompetenssatsning|block_installningar)\s?:"
    r"|\b(?:deltagare|ekonomi|mal|kolumner|alias|enkater|fil|mapp|inbjudna):(?=\s*(?:i projekt\.yaml|\)|$))"
)
#: sheet!cell references (Formulär!C63).
CELL_REFERENCE = re.compile(r"\w+!\$?[A-Z]{1,3}\$?\d+\b")
#: Plural forms after the number 1 ("1 filer", "1 varningar") and the fallback "fil(er)".
BAD_PLURAL = re.compile(r"(?<![\d,])\b1 (?:filer|varningar|enkätfiler|kolumnkopplingar)\b|\w\(er\)|\w\(ar\)")
_QUESTION_ID = re.compile(r"\b[Ff]råga:? q\d+\b|\bq\d{2}:")
_NO_SPACE = re.compile(r"[a-zåäö)”]{2}[.!?][A-ZÅÄÖ][a-zåäö]")  # "rättas.Kontrollen": a sentence glued to the next
_DOUBLED = re.compile(r"\(([^()]{2,60})\) \(\1\)")


def visible_text(page: str) -> str:
    """The text of an HTML page as a reader sees it (no tags, attributes, scripts or styles)."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    page = re.sub(r"<textarea\b.*?</textarea>", " ", page, flags=re.S | re.I)  # the user's own text
    page = re.sub(r"<img\b[^>]*>", " ", page, flags=re.I)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def plain_problems(text: str, raw: str | None = None) -> list[str]:
    """What in ``text`` (visible text) and ``raw`` (the whole document) a person should not have to read."""
    found = []
    for name, pattern, where in (
        ("internt filnamn", INTERNAL_UPLOAD, raw if raw is not None else text),
        ("YAML-nyckel", YAML_KEYS, text),
        ("cellreferens", CELL_REFERENCE, text),
        ("pluralform", BAD_PLURAL, text),
        ("frågans id", _QUESTION_ID, text),
        ("dubblerad parentes", _DOUBLED, text),
        ("mellanslag saknas efter punkt", _NO_SPACE, text),
    ):
        found += [f"{name}: {m.group(0)!r} i …{where[max(0, m.start() - 60) : m.end() + 20]!r}…" for m in pattern.finditer(where)]
    return found
