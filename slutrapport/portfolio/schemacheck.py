"""A fast yes/no check of a parsed ``rapport.json`` against its JSON Schema.

``jsonschema`` needs about a second for a bundle with a few thousand table
rows, too slow for a portfolio of hundreds of projects. :func:`compile_check`
turns the schema (the same file, :func:`~slutrapport.render.bundle.schema`)
into nested Python predicates once; checking a bundle then takes a few
hundredths of a second. It answers only *valid or not*: for a bundle it calls
invalid, the reader asks ``jsonschema`` for the errors and their JSON paths,
and ``jsonschema``'s verdict is the one that counts, so a false alarm here
would cost time only. The other direction (calling an invalid bundle valid)
is ruled out by the tests, which compare the two on many damaged bundles.

Only the keywords the bundle schema uses are understood (draft 2020-12
semantics; the format ``date`` is checked as ``jsonschema``'s format checker
does); a schema with any other keyword raises :class:`UnsupportedSchema`, and
the reader then uses ``jsonschema`` for every bundle.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date
from typing import Any

__all__ = ["UnsupportedSchema", "compile_check"]

Check = Callable[[Any], bool]

#: Keywords that do not constrain the value.
_ANNOTATIONS = frozenset({"$schema", "$id", "$defs", "$comment", "title", "description", "examples", "default"})
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)


def _always(value: Any) -> bool:
    return True


class UnsupportedSchema(ValueError):
    """The schema uses a keyword (or a ``$ref`` or format) this checker does not implement."""


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


_TYPES = frozenset({"null", "boolean", "integer", "number", "string", "array", "object"})


def _type_check(kinds: set[str], low: float = -math.inf, high: float = math.inf) -> Check:
    """One predicate for a set of JSON types (``integer`` also takes 2.0, as JSON Schema does) and a number's bounds."""
    null, boolean, string = "null" in kinds, "boolean" in kinds, "string" in kinds
    array, mapping, number, integer = "array" in kinds, "object" in kinds, "number" in kinds, "integer" in kinds

    def check(v: Any) -> bool:
        if v is None:
            return null
        if v is True or v is False:
            return boolean
        if isinstance(v, str):
            return string
        if isinstance(v, int):
            return (number or integer) and low <= v <= high
        if isinstance(v, float):
            return (number or (integer and v.is_integer())) and low <= v <= high
        if isinstance(v, list):
            return array
        return mapping and isinstance(v, dict)

    return check


def _equal(one: Any, two: Any) -> bool:
    """JSON equality: ``true`` is not ``1``, ``1`` is ``1.0``, lists and objects compared item by item."""
    if isinstance(one, bool) or isinstance(two, bool):
        return isinstance(one, bool) and isinstance(two, bool) and one is two
    if isinstance(one, list) and isinstance(two, list):
        return len(one) == len(two) and all(_equal(a, b) for a, b in zip(one, two, strict=True))
    if isinstance(one, dict) and isinstance(two, dict):
        return one.keys() == two.keys() and all(_equal(one[k], two[k]) for k in one)
    if isinstance(one, (list, dict)) or isinstance(two, (list, dict)):
        return False
    return one == two


def _is_date(value: Any) -> bool:
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        return not isinstance(value, str)
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


class _Compiler:
    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root
        self.refs: dict[str, Check] = {}

    def ref(self, pointer: str) -> Check:
        if pointer not in self.refs:
            if not pointer.startswith("#/$defs/") or pointer.count("/") != 2:
                raise UnsupportedSchema(f"$ref {pointer}")
            target = self.root.get("$defs", {}).get(pointer.rsplit("/", 1)[1])
            if target is None:
                raise UnsupportedSchema(f"$ref {pointer}")
            slot: list[Check] = []
            self.refs[pointer] = lambda v: slot[0](v)  # while compiling: a definition that refers to itself
            slot.append(self.compile(target))
            self.refs[pointer] = slot[0]
        return self.refs[pointer]

    def compile(self, node: Any) -> Check:
        if node is True:
            return _always
        if node is False:
            return lambda v: False
        if not isinstance(node, dict):
            raise UnsupportedSchema(f"schema {node!r}")
        checks: list[Check] = []
        for key, value in node.items():
            if key in _ANNOTATIONS:
                continue
            builder = getattr(self, "k_" + key.lstrip("$"), None)
            if builder is None or key in ("then", "else"):
                if key in ("then", "else") and "if" in node:
                    continue  # compiled with "if"
                raise UnsupportedSchema(f"keyword {key}")
            check = builder(value, node)
            if check is not _always:
                checks.append(check)
        if not checks:
            return _always
        if len(checks) == 1:
            return checks[0]
        if len(checks) == 2:
            first, second = checks
            return lambda v: first(v) and second(v)
        return lambda v: all(check(v) for check in checks)

    # -- keywords: each returns a predicate ------------------------------------

    def k_ref(self, value: str, node: dict) -> Check:
        return self.ref(value)

    def k_type(self, value: str | list[str], node: dict) -> Check:
        kinds = {value} if isinstance(value, str) else set(value)
        if not kinds <= _TYPES:
            raise UnsupportedSchema(f"type {value}")
        if "minimum" in node and "maximum" in node:  # the usual number: type and both bounds in one call
            return _type_check(kinds, node["minimum"], node["maximum"])
        return _type_check(kinds)

    def k_const(self, value: Any, node: dict) -> Check:
        return lambda v: _equal(v, value)

    def k_enum(self, value: list, node: dict) -> Check:
        if all(isinstance(item, str) for item in value):
            allowed = frozenset(value)
            return lambda v: isinstance(v, str) and v in allowed
        return lambda v: any(_equal(v, item) for item in value)

    def k_minimum(self, value: float, node: dict) -> Check:
        if "type" in node and "maximum" in node:
            return _always  # checked with the type
        return lambda v: not _is_number(v) or v >= value

    def k_maximum(self, value: float, node: dict) -> Check:
        if "type" in node and "minimum" in node:
            return _always  # checked with the type
        return lambda v: not _is_number(v) or v <= value

    def k_maxLength(self, value: int, node: dict) -> Check:
        return lambda v: not isinstance(v, str) or len(v) <= value

    def k_pattern(self, value: str, node: dict) -> Check:
        pattern = re.compile(value)
        return lambda v: not isinstance(v, str) or pattern.search(v) is not None

    def k_format(self, value: str, node: dict) -> Check:
        if value != "date":
            raise UnsupportedSchema(f"format {value}")
        return _is_date

    def k_minItems(self, value: int, node: dict) -> Check:
        return lambda v: not isinstance(v, list) or len(v) >= value

    def k_maxItems(self, value: int, node: dict) -> Check:
        return lambda v: not isinstance(v, list) or len(v) <= value

    def k_prefixItems(self, value: list, node: dict) -> Check:
        tests = [self.compile(item) for item in value]

        def check(v: Any) -> bool:
            if not isinstance(v, list):
                return True
            for test, item in zip(tests, v, strict=False):  # noqa: SIM110 - faster than all() over a generator
                if not test(item):
                    return False
            return True

        return check

    def k_items(self, value: Any, node: dict) -> Check:
        start = len(node.get("prefixItems", ()))
        if value is False:
            return lambda v: not isinstance(v, list) or len(v) <= start
        test = self.compile(value)

        def check(v: Any) -> bool:
            if not isinstance(v, list):
                return True
            for item in v[start:] if start else v:  # noqa: SIM110 - faster than all() over a generator
                if not test(item):
                    return False
            return True

        return check

    def k_properties(self, value: dict, node: dict) -> Check:
        tests = [(key, self.compile(sub)) for key, sub in value.items()]

        def check(v: Any) -> bool:
            if not isinstance(v, dict):
                return True
            for key, test in tests:  # noqa: SIM110 - faster than all() over a generator
                if key in v and not test(v[key]):
                    return False
            return True

        return check

    def k_required(self, value: list[str], node: dict) -> Check:
        return lambda v: not isinstance(v, dict) or all(key in v for key in value)

    def k_additionalProperties(self, value: Any, node: dict) -> Check:
        if "patternProperties" in node:
            raise UnsupportedSchema("patternProperties")
        known = frozenset(node.get("properties", ()))
        if value is False:
            return lambda v: not isinstance(v, dict) or known.issuperset(v)
        test = self.compile(value)
        return lambda v: not isinstance(v, dict) or all(test(item) for key, item in v.items() if key not in known)

    def k_propertyNames(self, value: Any, node: dict) -> Check:
        test = self.compile(value)
        return lambda v: not isinstance(v, dict) or all(test(key) for key in v)

    def k_allOf(self, value: list, node: dict) -> Check:
        tests = [self.compile(item) for item in value]
        return lambda v: all(test(v) for test in tests)

    def k_if(self, value: Any, node: dict) -> Check:
        condition = self.compile(value)
        then = self.compile(node.get("then", True))
        otherwise = self.compile(node.get("else", True))
        return lambda v: then(v) if condition(v) else otherwise(v)


def compile_check(schema: dict[str, Any]) -> Check:
    """A predicate that is True exactly when a parsed JSON value is valid under ``schema``.

    Raises
    ------
    UnsupportedSchema
        When the schema uses a keyword, ``$ref`` or format this module does not implement.
    """
    return _Compiler(schema).compile(schema)
