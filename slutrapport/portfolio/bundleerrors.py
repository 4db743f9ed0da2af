"""Why a bundle is refused, in Swedish, with the JSON path of the value (``$.tabeller.ekonomi.rader[1][2]``).

:class:`BundleProblem` is one reason; :func:`marked_problems` finds the values
the parser marked (a key twice, a number that is not finite, an unpaired
surrogate) and :func:`schema_problems` turns ``jsonschema``'s errors into
sentences. A value in a table row also names its table, row (counted from 1)
and column, as the portfolio's problem table does for other table problems.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError as SchemaError

__all__ = ["BundleProblem", "NotFinite", "Twice", "json_path", "marked_problems", "schema_problems"]

_FLOAT_MAX = 1.7976931348623157e308  # the schema's bound on a number: any finite float
_INT_MAX = 9007199254740991  # the schema's bound on an integer (2**53 - 1)
_COUNTED = 500  # schema errors counted at most
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_TYPE_NAMES = {
    "null": "null",
    "boolean": "true eller false",
    "integer": "ett heltal",
    "number": "ett tal",
    "string": "en text",
    "array": "en lista",
    "object": "ett objekt",
}


@dataclass(frozen=True)
class BundleProblem:
    """One reason a bundle is refused: a Swedish sentence naming the file, and where the value is."""

    message: str
    kontroll: str = "rapportfil"
    rad: int | None = None
    kolumn: str | None = None
    varde: str | None = None


@dataclass(frozen=True)
class NotFinite:
    """A number or constant the parser refused (``NaN``, ``Infinity``, ``1e400``), as written."""

    text: str
    too_long: bool = False  # an integer with too many digits


class Twice(dict):
    """An object in which a key occurred more than once (the last value kept, as ``json`` does)."""

    __slots__ = ("keys_twice",)


def json_path(parts: list[str | int] | tuple[str | int, ...]) -> str:
    """``$.a.b[3]["Projektets namn"]``: where a value is in the bundle."""
    path = "$"
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        elif _NAME.fullmatch(part):
            path += f".{part}"
        else:
            path += f"[{_key(part)}]"
    return path


def _key(key: str) -> str:
    """A key as JSON text, at most 60 characters, escaped if it could not be written out as UTF-8."""
    text = json.dumps(key, ensure_ascii=_unpaired(key))
    return text if len(text) <= 60 else text[:56] + "…\""


def _show(value: Any) -> str:
    if isinstance(value, NotFinite):
        return value.text
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, str):
        text = json.dumps(value, ensure_ascii=_unpaired(value))
        return text if len(text) <= 60 else text[:56] + "…\""
    if isinstance(value, (int, float)):
        text = repr(value)
        return text if len(text) <= 30 else text[:29] + "…"
    return "listan" if isinstance(value, list) else "objektet"


def _unpaired(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


_NO_VALUE = object()


def _hidden_row(data: Any, parts: list[str | int]) -> bool:
    """Whether ``parts`` is in a table row marked (or not marked false) ``undertryckt``: its values are never shown."""
    if len(parts) < 4 or parts[0] != "tabeller" or parts[2] != "rader" or not isinstance(parts[3], int):
        return False
    table = data["tabeller"].get(parts[1]) if isinstance(data.get("tabeller"), dict) else None
    names = table.get("kolumner") if isinstance(table, dict) else None
    rows = table.get("rader") if isinstance(table, dict) else None
    if not isinstance(names, list) or "undertryckt" not in names or not isinstance(rows, list) or not isinstance(rows[parts[3]], list):
        return False
    row, index = rows[parts[3]], names.index("undertryckt")
    return index >= len(row) or row[index] is not False


def _at(data: Any, parts: list[str | int], shown: str, what: Callable[[str], str], value: Any, kontroll: str) -> BundleProblem:
    """A problem at ``parts``: ``what(value as shown)`` is the sentence; a table cell also names its table, row (from 1)
    and column. A value in a hidden row is never repeated (it could be the hidden figure): it is called "värdet"."""
    row = column = None
    context = ""
    tables = data.get("tabeller") if isinstance(data, dict) else None
    if len(parts) >= 4 and parts[0] == "tabeller" and parts[2] == "rader" and isinstance(parts[3], int) and isinstance(tables, dict):
        table, row = str(parts[1]), parts[3] + 1
        column, context = table, f"tabellen {table}, rad {row}"
        names = tables[table].get("kolumner") if isinstance(tables.get(table), dict) else None
        if len(parts) >= 5 and isinstance(parts[4], int) and isinstance(names, list) and parts[4] < len(names) and isinstance(names[parts[4]], str):
            column = f"{table}.{names[parts[4]]}"
            context += f", kolumn {names[parts[4]]}"
        context = f" ({context})"
    hidden = _hidden_row(data, parts)
    varde = None if hidden or value is _NO_VALUE or isinstance(value, (dict, list)) else _show(value)
    text = what("värdet" if hidden else _show(value))
    return BundleProblem(f"Rapportfilen {shown}: {json_path(parts)}{context}: {text}.", kontroll, row, column, varde)


def marked_problems(data: Any, shown: str) -> list[BundleProblem]:
    """Every key given twice, number that is not finite and text with an unpaired surrogate, in file order."""
    found: list[BundleProblem] = []
    stack: list[tuple[list[str | int], Any]] = [([], data)]
    while stack:
        parts, value = stack.pop()
        if isinstance(value, NotFinite):
            what = "är ett för stort tal" if value.too_long else "är inget ändligt tal"
            found.append(_at(data, parts, shown, lambda v, what=what: f"{v} {what}", value, "json"))
        elif isinstance(value, str) and _unpaired(value):
            what = "har ett ensamt surrogattecken (\\ud800–\\udfff), som inte kan skrivas ut"
            found.append(_at(data, parts, shown, lambda v, what=what: f"texten {v} {what}", value, "json"))
        elif isinstance(value, dict):
            for key in value.keys_twice if isinstance(value, Twice) else ():
                what = f"nyckeln {_key(key)} förekommer mer än en gång i samma objekt"
                found.append(_at(data, [*parts, key], shown, lambda v, what=what: what, _NO_VALUE, "json"))
            for key in value:
                if _unpaired(key):
                    found.append(_at(data, parts, shown, lambda v: "en nyckel har ett ensamt surrogattecken (\\ud800–\\udfff)", _NO_VALUE, "json"))
            stack.extend(([*parts, key], item) for key, item in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend(([*parts, index], item) for index, item in reversed(list(enumerate(value))))
    return found


# -- schema errors -------------------------------------------------------------


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "ett sanningsvärde"
    if isinstance(value, int):
        return "ett heltal"
    if isinstance(value, float):
        return "ett tal med decimaler" if not value.is_integer() else "ett tal"
    return {str: "en text", list: "en lista", dict: "ett objekt"}.get(type(value), "ett okänt värde")


def _either(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " eller " + items[-1]


def _listing(values: list[Any], limit: int = 8) -> str:
    shown = ", ".join(_show(v) for v in values[:limit])
    return shown + (", …" if len(values) > limit else "")


def _number(value: float) -> str:
    return f"{value:g}".replace(".", ",") if isinstance(value, float) else str(value)


def _what(error: SchemaError, version: Any, shown: str) -> str:
    """The sentence for one ``jsonschema`` error, without the file and the path; ``shown`` is the value as shown."""
    keyword, expected, value = error.validator, error.validator_value, error.instance
    if keyword == "type":
        kinds = [_TYPE_NAMES.get(k, k) for k in ([expected] if isinstance(expected, str) else expected)]
        if list(error.schema_path)[-4:-2] == ["then", "prefixItems"] and kinds == ["null"]:
            return f"{shown} ska vara null: cellen är undertryckt (dold) och får inte visa något tal"
        return f"{shown} är {_kind(value)}, men ska vara {_either(kinds)}"
    if keyword == "maximum":
        if expected in (_FLOAT_MAX, _INT_MAX):
            return f"{shown} är inget ändligt tal" if expected == _FLOAT_MAX else f"{shown} är för stort (högst {_INT_MAX})"
        return f"{shown} är större än {_number(expected)}"
    if keyword == "minimum":
        if expected in (-_FLOAT_MAX, -_INT_MAX):
            return f"{shown} är inget ändligt tal" if expected == -_FLOAT_MAX else f"{shown} är för litet (minst −{_INT_MAX})"
        return f"{shown} är negativt, men ska vara 0 eller mer" if expected == 0 else f"{shown} är mindre än {_number(expected)}"
    if keyword == "maxLength":
        what = "en nyckel" if "propertyNames" in error.schema_path else "texten"
        return f"{what} är {len(value)} tecken lång, men får vara högst {expected} tecken"
    if keyword == "format":
        return f"{shown} är inget giltigt datum (ÅÅÅÅ-MM-DD)"
    if keyword == "pattern":
        return f"{shown} har fel form"
    if keyword == "required":
        missing = [key for key in expected if key not in value]
        return f"nyckeln {missing[0]} saknas" if len(missing) == 1 else f"nycklarna {', '.join(missing)} saknas"
    if keyword == "additionalProperties":
        extra = [key for key in value if key not in error.schema.get("properties", {})]
        noun = "tabell" if list(error.absolute_path) == ["tabeller"] else "nyckel"
        return f"okänd {noun} {_listing(extra)}" if len(extra) == 1 else f"okända {noun}er: {_listing(extra)}"
    if keyword in ("minItems", "maxItems", "items"):
        bound = expected if keyword != "items" else len(error.schema.get("prefixItems", ()))
        relation = "minst" if keyword == "minItems" else "högst"
        return f"listan har {len(value)} värden, men ska ha {relation} {bound}"
    if keyword == "const":
        if isinstance(expected, list):
            return f"kolumnerna ska i schemaversion {version} vara exakt {', '.join(map(str, expected))}"
        return f"{shown} ska vara {_show(expected)}"
    if keyword == "enum":
        if all(isinstance(v, list) for v in expected):
            layouts = " | ".join(", ".join(v) for v in expected)
            return f"kolumnerna är inte någon av de uppsättningar som schemaversion {version} har: {layouts}"
        return f"{shown} är inte ett tillåtet värde (tillåtna: {_listing(expected)})"
    return f"{shown} följer inte schemat ({keyword})"  # pragma: no cover - every keyword of the schema is above


#: The smallest valid bundle (apart from ``schema_version``): the frame in which one table, or one row, is checked.
_FRAME = {
    "verktyg": {"namn": "slutrapport", "version": ""},
    "skapad": "2000-01-01",
    "projekt": {"titel": "", "uppgifter": {}},
    "mall": {"id": "", "namn": ""},
    "rubriker": [],
    "fullstandighet": {"kravda": 0, "ifyllda": 0, "saknas": [], "ej_bedomda": []},
}


def _narrowed(fast: Callable[[Any], bool], data: dict[str, Any], limit: int) -> tuple[dict[str, Any], dict[str, list[int]], int | None]:
    """``data`` with only the table rows that fail (at most ``limit`` per table), each table's original row numbers,
    and how many failing rows were left out (None: not counted).

    ``jsonschema`` then only walks what is wrong: a bundle with thousands of rows and one bad value
    takes milliseconds instead of seconds. Each table and row is checked with the fast check inside
    :data:`_FRAME`; if the frame itself were not valid any more, nothing is narrowed.
    """
    tables = data.get("tabeller")
    frame = {**_FRAME, "schema_version": data.get("schema_version")}
    if not isinstance(tables, dict) or not fast({**frame, "tabeller": {}}):
        return data, {}, 0
    kept: dict[str, Any] = {}
    numbers: dict[str, list[int]] = {}
    left: int | None = 0
    for name, table in tables.items():
        if fast({**frame, "tabeller": {name: table}}):
            continue
        rows = table.get("rader") if isinstance(table, dict) else None
        if not isinstance(rows, list):
            kept[name] = table
            continue
        bad = [n for n, row in enumerate(rows) if not fast({**frame, "tabeller": {name: {**table, "rader": [row]}}})]
        if not bad or not fast({**frame, "tabeller": {name: {**table, "rader": []}}}):  # the table as a whole is wrong
            bad, left = list(range(len(rows))), None if len(rows) > limit else left
        elif left is not None:
            left += max(0, len(bad) - limit)
        numbers[name] = bad[:limit]
        kept[name] = {**table, "rader": [rows[n] for n in bad[:limit]]}
    return {**data, "tabeller": kept}, numbers, left


def schema_problems(validator: Draft202012Validator, fast: Callable[[Any], bool], data: Any, shown: str, limit: int) -> list[BundleProblem]:
    """At most ``limit`` problems (one per JSON path, in the schema's order) and a count of the others."""
    narrowed, numbers, left = _narrowed(fast, data, limit) if isinstance(data, dict) else (data, {}, 0)
    errors = list(islice(validator.iter_errors(narrowed), _COUNTED))
    seen: dict[tuple, SchemaError] = {}
    for error in errors:
        path = list(error.absolute_path)
        if len(path) >= 4 and path[0] == "tabeller" and path[2] == "rader" and path[1] in numbers and isinstance(path[3], int):
            path[3] = numbers[path[1]][path[3]]  # the row's number in the file
        seen.setdefault(tuple(path), error)
    version = data.get("schema_version") if isinstance(data, dict) else None
    problems = [
        _at(data, list(path), shown, lambda v, error=error: _what(error, version, v), error.instance, "schema")
        for path, error in list(seen.items())[:limit]
    ]
    rest = len(seen) - len(problems) + (left or 0)
    if rest > 0 or left is None:
        more = f"minst {rest}" if len(errors) == _COUNTED or left != 0 else str(rest)
        text = f"har {more} fel till" if rest > 0 else "har fler fel"
        problems.append(BundleProblem(f"Rapportfilen {shown} {text} mot schemat för rapport.json.", "schema"))
    return problems
