"""Messages in words for people: no YAML keys, internal ids or sheet!cell references, one quote style.

The readers' messages are written for the command line too, where naming the
key in ``projekt.yaml`` helps the one who edits the file. The web page (and
anything else a projektledare reads) passes them through :func:`for_people`:

- ``Formulär!C63`` → ``blad Formulär, rad 63``;
- ``frågan q09 '…'`` / ``frågan effekter_text (”…”)`` → ``fråga 9, ”…”`` / ``frågan ”…”``;
- ``'text'`` and ``"text"`` → ``”text”`` (the report's quote marks);
- ``under deltagare: kolumner: i projekt.yaml`` → ``i projektfilen``; ``(personalenkat: kolumner:)`` left out.
"""

from __future__ import annotations

import re

__all__ = ["for_people", "CELL_REFERENCE", "YAML_KEY_PATH"]

#: A spreadsheet reference as the readers write it: ``Formulär!C63``, ``Blad1!$B$4``.
CELL_REFERENCE = re.compile(r"(?<![\w!])([^\W\d]\w*)!\$?([A-Z]{1,3})\$?(\d+)\b")
#: Two or more YAML keys in a row (``deltagare: kolumner:``), the way the command line names a place in projekt.yaml.
YAML_KEY_PATH = re.compile(r"\b[a-z_]{2,}: (?:[a-z_]{2,}:(?: |$|(?=[),.;]))){1,}")
_KEYS_IN_FILE = re.compile(r"(?:(?:under|i|från) )?(?:\b[a-z_]{2,}:(?: [a-z_]{2,}:)* )+i projekt\.yaml")
_KEYS_IN_PARENTHESES = re.compile(r" ?\((?:i projekt\.yaml: |t\.ex\. )?(?:[a-z_]{2,}:[^()]*?)\)")
_UNDER_KEY = re.compile(r"\bunder [a-z_]{2,}:(?= |\)|$|[,.;])")
_LEADING_KEY = re.compile(r"(^|; )[a-z_]{2,}: (?=[a-zåäö])")
_QUESTION_ID = re.compile(r"\b(frågan?|fråga:) q0*(\d+)\b(?: \(?[”'\"]([^”'\"]{1,200})[”'\"]\)?)?")
_NAMED_QUESTION = re.compile(r"\b(frågan) [a-z][a-z0-9_]*_[a-z0-9_]+ \((”[^”]*”)\)")
_SINGLE_QUOTED = re.compile(r"(?<![\w’])'([^'\n]{1,200})'(?![\w’])")
_DOUBLE_QUOTED = re.compile(r'(?<![\w=])"([^"\n]{1,200})"(?![\w])')


def _question(match: re.Match) -> str:
    text = match.group(3)
    return f"fråga {match.group(2)}" + (f", ”{text}”" if text else "")


def for_people(text: str) -> str:
    """``text`` without YAML key paths, internal question ids or sheet!cell references, with ”…” quotes."""
    if not text:
        return text
    text = CELL_REFERENCE.sub(lambda m: f"blad {m.group(1)}, rad {m.group(3)}", text)
    text = _KEYS_IN_PARENTHESES.sub("", text)
    text = _KEYS_IN_FILE.sub("i projektfilen", text)
    text = YAML_KEY_PATH.sub("", text)
    text = _UNDER_KEY.sub("i projektfilen", text)
    text = _LEADING_KEY.sub(r"\1", text)
    text = _QUESTION_ID.sub(_question, text)
    text = _NAMED_QUESTION.sub(r"\1 \2", text)
    text = _SINGLE_QUOTED.sub(r"”\1”", text)
    text = _DOUBLE_QUOTED.sub(r"”\1”", text)
    return re.sub(r"  +", " ", text)
