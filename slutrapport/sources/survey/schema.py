"""The instrument file's shape, checked with the JSON Schema shipped beside this module.

``instrument.schema.json`` (draft-07, Swedish descriptions and messages) says
which keys an instrument file may have and what each holds; editors read it
through the ``# yaml-language-server: $schema=…`` line at the top of a file
(:func:`schema_line`), and :func:`check_schema` applies it when a file is
loaded. Every violation becomes one Swedish message naming the line and the
key (:class:`LocatedProblems`), an unknown key with a "menade du …?"
suggestion (:func:`did_you_mean`). What the schema cannot say (an index
naming a missing question, a scale its questions do not share) is checked by
:mod:`.instrument` afterwards, on the data with every flagged value replaced
by :data:`INVALID` so that no problem is reported twice.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import unicodedata
from collections.abc import Iterable
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from jsonschema import Draft7Validator
from jsonschema.exceptions import ValidationError as SchemaViolation

__all__ = [
    "SCHEMA_FILE", "INVALID", "KeyPath", "LocatedProblems", "schema", "schema_text", "schema_uri", "schema_line", "check_schema",
    "did_you_mean", "name_path",
]  # fmt: skip

SCHEMA_FILE = "instrument.schema.json"
_MODELINE = "# yaml-language-server: $schema="

#: A key path into the instrument data: keys as text, list positions as numbers.
KeyPath = tuple[str | int, ...]


class _Invalid:
    """A value the schema rejected (and already reported): present, but not to be read."""

    def __repr__(self) -> str:
        return "INVALID"

    def __bool__(self) -> bool:
        return False


INVALID = _Invalid()

_TYPES = {
    "object": "nycklar med värden",
    "array": "en lista",
    "string": "en text",
    "integer": "ett heltal",
    "number": "ett tal",
    "boolean": "true eller false",
    "null": "tomt",
}


def schema_text() -> str:
    """The instrument schema (package data) as written: JSON."""
    return (files(__package__) / SCHEMA_FILE).read_text(encoding="utf-8")


@cache
def schema() -> dict[str, Any]:
    """The instrument schema (package data) as a mapping."""
    return json.loads(schema_text())


def schema_uri() -> str:
    """Where an editor finds the installed schema: a ``file://`` URI (the file name alone if not on disk)."""
    resource = files(__package__) / SCHEMA_FILE
    return resource.resolve().as_uri() if isinstance(resource, Path) else SCHEMA_FILE


def schema_line(text: str, uri: str | None = None) -> str:
    """``text`` with a first line that tells editors (yaml-language-server) the schema: ``uri`` or :func:`schema_uri`.

    An existing ``# yaml-language-server: $schema=`` line is replaced; other lines are kept as they are.
    """
    kept = [line for line in text.splitlines(keepends=True) if not line.startswith(_MODELINE)]
    return f"{_MODELINE}{uri or schema_uri()}\n" + "".join(kept)


# ---------------------------------------------------------------- problems with their line


class LocatedProblems:
    """Problems of one file, each with the line its key is written on (from :func:`~slutrapport.core.yamlfile.key_lines`)."""

    def __init__(self, lines: dict[KeyPath, int]) -> None:
        self.lines = lines
        self._found: dict[tuple[int, str], None] = {}
        self._flagged: set[KeyPath] = set()  # where the schema found a problem

    def flag(self, path: KeyPath) -> None:
        """Record that the schema found a problem at ``path`` (see :meth:`flagged`)."""
        self._flagged.add(path)

    def flagged(self, path: KeyPath) -> bool:
        """Whether the schema found a problem at ``path`` or inside it: later checks leave it alone."""
        return any(found[: len(path)] == path for found in self._flagged)

    def line(self, path: KeyPath) -> int:
        """The line of ``path``, or of its nearest parent written in the file; 0 for the file as a whole."""
        for end in range(len(path), 0, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return 0

    def add(self, path: KeyPath, message: str) -> None:
        self._found.setdefault((self.line(path), message))

    def __bool__(self) -> bool:
        return bool(self._found)

    def messages(self) -> list[str]:
        """``"rad 7: …"`` per problem, in line order (problems of the whole file first, without a line)."""
        ordered = sorted(self._found, key=lambda found: found[0])
        return [f"rad {line}: {message}" if line else message for line, message in ordered]


# ---------------------------------------------------------------- naming keys and suggesting


def _fold(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c)).casefold()


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """``"; menade du 'omvand'?"`` for the candidate closest to ``word`` (å, ä, ö and case aside), or ``""``."""
    folded = {_fold(str(c)): str(c) for c in candidates}
    close = [_fold(word)] if _fold(word) in folded else difflib.get_close_matches(_fold(word), list(folded), n=1, cutoff=0.7)
    return f"; menade du '{folded[close[0]]}'?" if close else ""


def name_path(path: KeyPath, data: Any) -> str:
    """A key path as messages name it: ``fråga nr 3 (q03): 'omvand'``, ``'positiva' under 'skalor: frekvens'``."""
    if len(path) >= 2 and path[0] == "fragor" and isinstance(path[1], int):
        items = data.get("fragor") if isinstance(data, dict) else None
        item = items[path[1]] if isinstance(items, list) and path[1] < len(items) else None
        ident = item.get("id") if isinstance(item, dict) else None
        label = f"fråga nr {path[1] + 1}" + (f" ({ident})" if isinstance(ident, str | int) and str(ident).strip() else "")
        return label + (f": {_key(path[2:])}" if path[2:] else "")
    return _key(path) if path else "instrumentet"


def _key(path: KeyPath) -> str:
    """``'positiva' nr 2 under 'skala'``: the last key (and list position), then where it is."""
    keys = [str(k) for k in path if isinstance(k, str)]
    positions = "".join(f" nr {k + 1}" for k in path if isinstance(k, int))
    return f"'{keys[-1]}'{positions}" + (f" under {_keys(tuple(keys[:-1]))}" if keys[:-1] else "")


def _keys(path: KeyPath) -> str:
    return "'" + ": ".join(str(k) for k in path) + "'"


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "nycklar med värden"
    if isinstance(value, list):
        return "en lista"
    if value is None:
        return "ett tomt värde"
    if isinstance(value, bool):
        return str(value).lower()
    text = str(value)
    return f"'{text[:57] + '…' if len(text) > 60 else text}'"


def _flow(value: Any) -> str:
    """A JSON example written the way YAML users write it: ``{1: Aldrig, 2: Sällan}``, ``[4, 5]``."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return str(value)


# ---------------------------------------------------------------- checking


def _jsonable(value: Any) -> Any:
    """The YAML data as JSON sees it: keys as text, dates as text."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    return value


def check_schema(data: dict, problems: LocatedProblems) -> dict:
    """Check ``data`` (an instrument file read from YAML) against :func:`schema`; add every violation to ``problems``.

    Returns the data as JSON sees it (keys as text), where an unknown key or a
    key the schema rejects is left out and a rejected value is :data:`INVALID`
    (kept in place, so that list positions stay the file's).
    """
    instance = _jsonable(data)
    invalid: set[KeyPath] = set()
    removed: set[KeyPath] = set()
    errors = sorted(Draft7Validator(schema()).iter_errors(instance), key=lambda e: [str(p) for p in e.absolute_path])
    for error in errors:
        path: KeyPath = tuple(error.absolute_path)
        if error.validator == "additionalProperties":
            allowed = list(error.schema.get("properties", {}))
            for key in [k for k in error.instance if k not in allowed]:
                problems.add((*path, key), _unknown_key(key, path, allowed, instance))
                removed.add((*path, key))
        elif error.validator == "required":
            _missing(error, path, instance, problems)
            problems.flag(path)
        elif "propertyNames" in error.schema_path:
            message = error.schema.get("patternErrorMessage") or "har fel form"
            where = name_path(path, instance)
            problems.add((*path, str(error.instance)), f"{where}: {message}, fick {_shown(error.instance)}")
            removed.add((*path, str(error.instance)))
        else:
            problems.add(path, _value_message(error, path, instance))
            invalid.add(path)
    for path in removed | invalid:
        problems.flag(path)
    return _pruned(instance, (), invalid, removed)


def _unknown_key(key: str, path: KeyPath, allowed: list[str], instance: Any) -> str:
    where = "" if not path else f" i {name_path(path, instance)}" if path[0] == "fragor" else f" under {_keys(path)}"
    hint = did_you_mean(key, allowed) or f" (tillåtna: {', '.join(allowed)})"
    return f"okänd nyckel '{key}'{where}{hint}"


def _missing(error: SchemaViolation, path: KeyPath, instance: Any, problems: LocatedProblems) -> None:
    for key in error.validator_value:
        if isinstance(error.instance, dict) and key not in error.instance:
            examples = error.schema.get("properties", {}).get(key, {}).get("examples")
            example = f" (t.ex. {key}: {_flow(examples[0])})" if examples else ""
            where = name_path(path, instance)
            problems.add(path, f"nyckeln '{key}' saknas{example}" if not path else f"{where} saknar '{key}'{example}")


def _value_message(error: SchemaViolation, path: KeyPath, instance: Any) -> str:
    where = name_path(path, instance)
    rule, own = error.validator, error.schema.get("errorMessage")
    if rule == "enum":
        choices = [str(c) for c in error.validator_value if c is not None]
        hint = did_you_mean(str(error.instance), choices) if isinstance(error.instance, str) else ""
        return f"{where} ska vara en av {', '.join(choices)}, fick {_shown(error.instance)}{hint}"
    if rule in ("minItems", "minProperties", "minLength"):
        return f"{where} får inte vara tom"
    if rule == "pattern":
        return f"{where} {error.schema.get('patternErrorMessage') or own or 'har fel form'}, fick {_shown(error.instance)}"
    if rule == "type":
        wanted = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        return f"{where} {own or 'ska vara ' + ' eller '.join(_TYPES[t] for t in wanted)}, fick {_shown(error.instance)}"
    return f"{where} {own or 'har ett ogiltigt värde'}, fick {_shown(error.instance)}"


def _pruned(value: Any, path: KeyPath, invalid: set[KeyPath], removed: set[KeyPath]) -> Any:
    if path in invalid:
        return INVALID
    if isinstance(value, dict):
        return {k: _pruned(v, (*path, k), invalid, removed) for k, v in value.items() if (*path, k) not in removed}
    if isinstance(value, list):
        return [_pruned(v, (*path, n), invalid, removed) for n, v in enumerate(value)]
    return value
