"""Hypothesis strategies for ``rapport.json``: table rows drawn from the bundle's own JSON Schema.

:func:`value_from` covers the keywords the schema's row definitions use (``$ref``, ``enum``,
``const``, ``type`` with ``minimum``/``maximum``/``maxLength``, ``prefixItems``); a row is drawn
from ``$defs/rad_<table>`` and satisfies every per-cell rule. The rule that a hidden cell has no
numbers (``if``/``then``) is not applied: callers decide whether to keep or break it.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

_BIG = 1e9  # numbers drawn stay within this (the schema's own bounds are any finite float)


def value_from(node: Any, defs: dict[str, Any]) -> st.SearchStrategy:
    """Values valid under ``node`` (a subschema of the bundle schema; ``defs`` its ``$defs``)."""
    if node is True:
        return st.none()
    if "$ref" in node:
        return value_from(defs[node["$ref"].rsplit("/", 1)[1]], defs)
    if "const" in node:
        return st.just(node["const"])
    if "enum" in node:
        return st.sampled_from(node["enum"])
    if "prefixItems" in node:
        return st.tuples(*(value_from(item, defs) for item in node["prefixItems"])).map(list)
    kinds = [node["type"]] if isinstance(node["type"], str) else node["type"]
    low, high = max(node.get("minimum", -_BIG), -_BIG), min(node.get("maximum", _BIG), _BIG)
    options = []
    for kind in kinds:
        if kind == "null":
            options.append(st.none())
        elif kind == "boolean":
            options.append(st.booleans())
        elif kind == "integer":
            options.append(st.integers(min_value=int(low), max_value=int(high)))
        elif kind == "number":
            options.append(st.floats(min_value=low, max_value=high, allow_nan=False, allow_infinity=False))
        elif kind == "string":
            options.append(st.text(st.characters(codec="utf-8"), max_size=min(node.get("maxLength", 40), 40)))
        else:  # pragma: no cover - rows hold scalars only
            raise ValueError(kind)
    return st.one_of(options)


def rows_from(schema: dict[str, Any], table: str, max_size: int = 4) -> st.SearchStrategy:
    """Lists of rows of ``table`` (1.2 layout), each valid cell by cell."""
    defs = schema["$defs"]
    return st.lists(value_from(defs[f"rad_{table}"], defs), max_size=max_size)


def hidden_columns(schema: dict[str, Any], table: str) -> list[int]:
    """Positions the suppression rule of ``table`` empties when ``undertryckt`` is true (none without the rule)."""
    row = schema["$defs"][f"rad_{table}"]
    then = row.get("then", {}).get("prefixItems", [])
    return [n for n, item in enumerate(then) if item is not True]
