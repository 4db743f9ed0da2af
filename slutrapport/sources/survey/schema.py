"""The instrument file's shape, checked with the JSON Schema shipped beside this module.

``instrument.schema.json`` (draft-07, Swedish descriptions and messages) says
which keys an instrument file may have and what each holds; editors read it
through the ``# yaml-language-server: $schema=…`` line at the top of a file
(:func:`schema_line`), and :func:`check_schema` applies it when a file is
loaded, with the machinery every kind of user YAML shares
(:mod:`slutrapport.core.yamlschema`): every violation one Swedish message
naming the line and the key (:class:`LocatedProblems`), an unknown key with a
"menade du …?" suggestion (:func:`did_you_mean`). What the schema cannot say
(an index naming a missing question, a scale its questions do not share) is
checked by :mod:`.instrument` afterwards, on the data with every flagged value
replaced by :data:`INVALID` so that no problem is reported twice.
"""

from __future__ import annotations

from typing import Any

from slutrapport.core.yamlschema import INVALID, KeyPath, LocatedProblems, Namer, UserSchema, did_you_mean

__all__ = [
    "SCHEMA_FILE", "INVALID", "KeyPath", "LocatedProblems", "SCHEMA", "schema", "schema_text", "schema_uri", "schema_line", "check_schema",
    "did_you_mean", "name_path",
]  # fmt: skip

SCHEMA_FILE = "instrument.schema.json"


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
    return f"'{keys[-1]}'{positions}" + (f" under '{': '.join(keys[:-1])}'" if keys[:-1] else "")


class _InstrumentNamer(Namer):
    whole = "instrumentet"

    def name(self, path: KeyPath, data: Any) -> str:
        return name_path(path, data)

    def where(self, path: KeyPath, data: Any) -> str:
        if not path:
            return ""
        return f" i {name_path(path, data)}" if path[0] == "fragor" else " under '" + ": ".join(str(k) for k in path) + "'"


#: The instrument schema (package data) and how its messages name keys.
SCHEMA = UserSchema(__package__, SCHEMA_FILE, _InstrumentNamer())


def schema_text() -> str:
    """The instrument schema (package data) as written: JSON."""
    return SCHEMA.text()


def schema() -> dict[str, Any]:
    """The instrument schema (package data) as a mapping."""
    return SCHEMA.mapping


def schema_uri() -> str:
    """Where an editor finds the installed schema: a ``file://`` URI (the file name alone if not on disk)."""
    return SCHEMA.uri()


def schema_line(text: str, uri: str | None = None) -> str:
    """``text`` with a first line that tells editors (yaml-language-server) the schema: ``uri`` or :func:`schema_uri`.

    An existing ``# yaml-language-server: $schema=`` line is replaced; other lines are kept as they are.
    """
    return SCHEMA.modeline(text, uri)


def check_schema(data: dict, problems: LocatedProblems) -> dict:
    """Check ``data`` (an instrument file read from YAML) against :func:`schema`; add every violation to ``problems``.

    Returns the data as JSON sees it (keys as text), where an unknown key or a
    key the schema rejects is left out and a rejected value is :data:`INVALID`
    (kept in place, so that list positions stay the file's).
    """
    return SCHEMA.check(data, problems)
