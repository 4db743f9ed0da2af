"""User YAML checked against a JSON Schema shipped as package data, every violation one Swedish message with its line.

Each kind of YAML file users write (the instrument, ``projekt.yaml``, a funder's
``mall.yaml``, a form definition, the socio-economic parameter file, budget
rows) has a draft-07 schema beside the module that reads it, with Swedish
descriptions and messages (:class:`UserSchema`). Editors read a schema through
the ``# yaml-language-server: $schema=…`` line at the top of a file
(:meth:`UserSchema.modeline`); :meth:`UserSchema.check` applies it when the
file is loaded. Every violation becomes one message naming the line and the key
(:class:`LocatedProblems`, lines from :func:`~slutrapport.core.yamlfile.key_lines`),
an unknown key with a "menade du …?" suggestion (:func:`did_you_mean`).

The schemas may use, besides draft-07:

- ``errorMessage`` (the message when a value is wrong), ``patternErrorMessage``
  (when a text does not match ``pattern`` or a key ``propertyNames``) and
  ``unknownKeyMessage`` (the words for an unknown key, ``"okänd aktör eller nyckel"``);
- the formats ``date`` (a date that exists, ``ÅÅÅÅ-MM-DD``; a YAML date is read
  as that text) and ``datum`` (the same when the text looks like ``ÅÅÅÅ-MM-DD``,
  other texts are left to the code that reads them, e.g. ``1 mars 2025``).

A ``number`` is finite (``.nan`` and ``.inf`` are not numbers here), and a
``number`` or ``integer`` fits a float (no integer of hundreds of digits). What a
schema cannot say is checked by the reading code afterwards, on the data with
every flagged value replaced by :data:`INVALID`, so that no problem is reported twice.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from importlib.resources import files
from pathlib import Path
from typing import Any

from jsonschema import Draft7Validator, FormatChecker, validators
from jsonschema.exceptions import ValidationError as SchemaViolation

__all__ = [
    "KeyPath", "INVALID", "LocatedProblems", "Namer", "UserSchema", "Renamed", "did_you_mean", "fold_word", "prune", "modeline",
    "canonical_keys", "MODELINE",
]  # fmt: skip

MODELINE = "# yaml-language-server: $schema="

#: A key path into YAML data: keys as text, list positions as numbers.
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


def modeline(text: str, uri: str) -> str:
    """``text`` with a first line that tells editors (yaml-language-server) the schema at ``uri``.

    An existing ``# yaml-language-server: $schema=`` line is replaced; other lines are kept as they are.
    """
    kept = [line for line in text.splitlines(keepends=True) if not line.startswith(MODELINE)]
    return f"{MODELINE}{uri}\n" + "".join(kept)


# ---------------------------------------------------------------- problems with their line


class LocatedProblems:
    """Problems of one file, each with the line its key is written on (from :func:`~slutrapport.core.yamlfile.key_lines`).

    ``lines`` maps a key path to its line; the paths a schema flagged are in
    :attr:`invalid` (a value it rejected) and :attr:`removed` (an unknown key).
    """

    def __init__(self, lines: dict[KeyPath, int]) -> None:
        self.lines = lines
        self._found: dict[tuple[int, str], KeyPath] = {}
        self.invalid: set[KeyPath] = set()
        self.removed: set[KeyPath] = set()
        self._marked: set[KeyPath] = set()

    def flag(self, path: KeyPath) -> None:
        """Record that the schema found a problem at ``path`` that leaves the value in place (a missing key; see :meth:`flagged`)."""
        self._marked.add(path)

    def flagged(self, path: KeyPath) -> bool:
        """Whether the schema found a problem at ``path`` or inside it: later checks leave it alone."""
        return any(found[: len(path)] == path for found in self.invalid | self.removed | self._marked)

    def line(self, path: KeyPath) -> int:
        """The line of ``path``, or of its nearest parent written in the file; 0 for the file as a whole."""
        for end in range(len(path), 0, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return 0

    def add(self, path: KeyPath, message: str, line: int | None = None) -> None:
        """A problem at ``path``, on its line (or on ``line``, for a key the lines do not know)."""
        self._found.setdefault((self.line(path) if line is None else line, message), path)

    def __bool__(self) -> bool:
        return bool(self._found)

    def located(self) -> list[tuple[int, KeyPath, str]]:
        """``(line, key path, message)`` per problem, in line order (0: the whole file)."""
        return [(line, self._found[(line, message)], message) for line, message in sorted(self._found, key=lambda found: found[0])]

    def messages(self) -> list[str]:
        """``"rad 7: …"`` per problem, in line order (problems of the whole file first, without a line)."""
        return [f"rad {line}: {message}" if line else message for line, _, message in self.located()]


# ---------------------------------------------------------------- naming keys and suggesting


def fold_word(word: Any) -> str:
    """``word`` as text without accents (å, ä, ö → a, a, o) and case: how keys are compared for suggestions."""
    return "".join(c for c in unicodedata.normalize("NFKD", str(word)) if not unicodedata.combining(c)).casefold()


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """``"; menade du 'omvand'?"`` for the candidate closest to ``word`` (å, ä, ö and case aside), or ``""``."""
    folded = {fold_word(c): str(c) for c in candidates}
    close = [fold_word(word)] if fold_word(word) in folded else difflib.get_close_matches(fold_word(word), list(folded), n=1, cutoff=0.7)
    return f"; menade du '{folded[close[0]]}'?" if close else ""


class Namer:
    """How messages name a key path of one kind of file.

    The default: ``'rubrikrad' under 'personalenkat'`` for a key, and for what is
    inside a list the item by its position (and id or name, when it has one),
    with the words in :attr:`items` (list key → what an item is called):
    ``'kravs' i rubrik nr 3 (mal)``. A kind overrides :meth:`item` or
    :meth:`name` where it names things its own way.
    """

    #: list key → the word for one of its items ("enkater" → "enkät")
    items: dict[str, str] = {}
    #: the file as a whole, as messages name it
    whole = "filen"
    #: a key inside a list item named after the item (``avsnitt nr 2 (syfte): 'rubrik'``) instead of before it
    item_first = False

    def name(self, path: KeyPath, data: Any) -> str:
        """A key path as a value's message starts: ``'datum' i enkät nr 2 under 'enkater'``."""
        if not path:
            return self.whole
        last = max((i for i, part in enumerate(path) if isinstance(part, int)), default=None)
        if last is None:
            return _key(path)
        item = self.item(path[: last + 1], data)
        rest = "': '".join(str(part) for part in path[last + 1 :])
        if not rest:
            return item
        return f"{item}: '{rest}'" if self.item_first else f"'{rest}' i {item}"

    def where(self, path: KeyPath, data: Any) -> str:
        """Where an unknown key is, after the key: ``" under 'personalenkat'"``, ``" i enkät nr 1 under 'enkater'"``."""
        if not path:
            return ""
        if isinstance(path[-1], int):
            return f" i {self.name(path, data)}"
        if any(isinstance(part, int) for part in path):
            return f" under {self.name(path, data)}"
        return " under '" + ": ".join(str(part) for part in path) + "'"

    def item(self, path: KeyPath, data: Any) -> str:
        """A list item (``path`` ends with its position): ``enkät nr 2 under 'enkater'``, ``fråga nr 3 (q3) i avsnitt nr 1 (syfte)``."""
        position = path[-1]
        assert isinstance(position, int)
        key = path[-2] if len(path) >= 2 else None
        word = self.items.get(str(key)) if key is not None else None
        value = _at(data, path)
        ident = value.get("id", value.get("namn")) if isinstance(value, dict) else None
        label = f" ({ident})" if isinstance(ident, str | int) and not isinstance(ident, bool) and str(ident).strip() else ""
        head = path[:-1]
        if word is None:
            own = f"'{key}' nr {position + 1}"
            outer = head[:-1]
            if not outer:
                return own
            if isinstance(outer[-1], int):
                return f"{own} i {self.item(outer, data)}"
            if any(isinstance(part, int) for part in outer):
                return f"{own} under {self.name(outer, data)}"
            return own + " under '" + ": ".join(str(part) for part in outer) + "'"
        parent = max((i for i, part in enumerate(head) if isinstance(part, int)), default=None)
        if parent is not None:
            return f"{word} nr {position + 1}{label} i {self.item(head[: parent + 1], data)}"
        return f"{word} nr {position + 1}{label}" + (f" under '{key}'" if len(head) > 1 else "")


def _at(data: Any, path: KeyPath) -> Any:
    for part in path:
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return None
    return data


def _key(path: KeyPath) -> str:
    """``'positiva' under 'skala'``: the last key, then where it is."""
    keys = [str(k) for k in path]
    return f"'{keys[-1]}'" + (f" under '{': '.join(keys[:-1])}'" if keys[:-1] else "")


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "nycklar med värden"
    if isinstance(value, list):
        return "en lista"
    if value is None:
        return "ett tomt värde"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and not math.isfinite(value):
        return "'.nan'" if math.isnan(value) else "'.inf'" if value > 0 else "'-.inf'"
    text = str(value)
    return f"'{text[:57] + '…' if len(text) > 60 else text}'"


def _flow(value: Any) -> str:
    """A JSON example written the way YAML users write it: ``{1: Aldrig, 2: Sällan}``, ``[4, 5]``."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return str(value)


def _number(value: Any) -> str:
    """A bound as messages show it: ``1000``, ``0,5``, ``10^15``."""
    if isinstance(value, float) and value.is_integer() and abs(value) >= 1e6:
        return f"10^{round(math.log10(abs(value)))}" if math.log10(abs(value)).is_integer() else f"{value:.0f}"
    return f"{value:g}".replace(".", ",") if isinstance(value, float) else str(value)


# ---------------------------------------------------------------- the validator


_ISO_DATE = re.compile(r"^\s*\d{4}-\d{2}-\d{2}\s*$")
_DATE_LIKE = re.compile(r"^\s*\d{4}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2}\s*$")
_FORMATS = FormatChecker(formats=())


@_FORMATS.checks("date")
def _is_date(value: Any) -> bool:
    """A date that exists, written ÅÅÅÅ-MM-DD (a YAML date arrives as that text)."""
    if not isinstance(value, str):
        return True
    if not _ISO_DATE.match(value):
        return False
    try:
        dt.date.fromisoformat(value.strip())
    except ValueError:
        return False
    return True


@_FORMATS.checks("datum")
def _is_date_or_other_text(value: Any) -> bool:
    """:func:`_is_date` for a text that looks like ``ÅÅÅÅ-MM-DD``; other texts are for the reading code."""
    if not isinstance(value, str) or not _DATE_LIKE.match(value):
        return True
    parts = re.split(r"\s*[-/.]\s*", value.strip())
    try:
        dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return False
    return True


def _fits(value: int | float) -> bool:
    try:
        return math.isfinite(float(value))
    except OverflowError:  # an integer beyond a float's range
        return False


def _finite_number(checker: Any, value: Any) -> bool:
    return Draft7Validator.TYPE_CHECKER.is_type(value, "number") and _fits(value)


def _finite_integer(checker: Any, value: Any) -> bool:
    return Draft7Validator.TYPE_CHECKER.is_type(value, "integer") and _fits(value)


_Validator = validators.extend(
    Draft7Validator, type_checker=Draft7Validator.TYPE_CHECKER.redefine_many({"number": _finite_number, "integer": _finite_integer})
)


# ---------------------------------------------------------------- a schema


class UserSchema:
    """The JSON Schema of one kind of user YAML: the file ``name`` in the package ``package`` (package data)."""

    def __init__(self, package: str, name: str, namer: Namer | None = None) -> None:
        self.package, self.name = package, name
        self.namer = namer or Namer()

    def text(self) -> str:
        """The schema as written: JSON."""
        return (files(self.package) / self.name).read_text(encoding="utf-8")

    @cached_property
    def mapping(self) -> dict[str, Any]:
        """The schema as a mapping."""
        return json.loads(self.text())

    @cached_property
    def _validator(self) -> Any:
        return _Validator(self.mapping, format_checker=_FORMATS)

    def uri(self) -> str:
        """Where an editor finds the installed schema: a ``file://`` URI (the file name alone if not on disk)."""
        resource = files(self.package) / self.name
        return resource.resolve().as_uri() if isinstance(resource, Path) else self.name

    def modeline(self, text: str, uri: str | None = None) -> str:
        """``text`` with a first line pointing editors at ``uri`` or :meth:`uri` (see :func:`modeline`)."""
        return modeline(text, uri or self.uri())

    def check(self, data: Any, problems: LocatedProblems, *, required: bool = True, namer: Namer | None = None) -> Any:
        """Check ``data`` (a file read from YAML) against the schema; add every violation to ``problems``.

        Returns the data as JSON sees it (keys and dates as text), where an
        unknown key is left out and a rejected value is :data:`INVALID` (kept
        in place, so that list positions stay the file's). Without
        ``required`` a missing required key is not reported (the reading code
        names it in its own words); it is still a property of the schema for editors.
        """
        namer = namer or self.namer
        instance = _jsonable(data)
        errors = sorted(self._validator.iter_errors(instance), key=lambda e: [str(p) for p in e.absolute_path])
        for error in errors:
            path: KeyPath = tuple(error.absolute_path)
            if error.validator == "additionalProperties" and isinstance(error.instance, dict):
                allowed = list(error.schema.get("properties", {}))
                word = error.schema.get("unknownKeyMessage", "okänd nyckel")
                for key in [k for k in error.instance if k not in allowed]:
                    hint = did_you_mean(key, allowed) or (f" (tillåtna: {', '.join(allowed)})" if allowed else "")
                    problems.add((*path, key), f"{word} '{key}'{namer.where(path, instance)}{hint}")
                    problems.removed.add((*path, key))
            elif error.validator == "required":
                if required:
                    _missing(error, path, instance, problems, namer)
                    problems.flag(path)
            elif "propertyNames" in error.schema_path:
                message = error.schema.get("patternErrorMessage") or "har fel form"
                problems.add((*path, str(error.instance)), f"{namer.name(path, instance)}: {message}, fick {_shown(error.instance)}")
                problems.removed.add((*path, str(error.instance)))
            else:
                problems.add(path, _value_message(error, namer.name(path, instance)))
                problems.invalid.add(path)
        return prune(instance, problems)


def _jsonable(value: Any) -> Any:
    """YAML data as JSON sees it: keys as text, dates as text (a date with a time as written, ``WrittenDateTime``)."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return getattr(value, "written", "") or value.isoformat()
    return value


def prune(value: Any, problems: LocatedProblems, path: KeyPath = ()) -> Any:
    """``value`` with what ``problems`` flagged taken out: unknown keys left out, rejected values :data:`INVALID`.

    Keys are compared as text, so the YAML data itself (keys as PyYAML read them) can be pruned too.
    """
    if path in problems.invalid:
        return INVALID
    if isinstance(value, dict):
        return {k: prune(v, problems, (*path, str(k))) for k, v in value.items() if (*path, str(k)) not in problems.removed}
    if isinstance(value, list):
        return [prune(v, problems, (*path, n)) for n, v in enumerate(value)]
    return value


def _missing(error: SchemaViolation, path: KeyPath, instance: Any, problems: LocatedProblems, namer: Namer) -> None:
    for key in error.validator_value:
        if isinstance(error.instance, dict) and key not in error.instance:
            examples = error.schema.get("properties", {}).get(key, {}).get("examples")
            example = f" (t.ex. {key}: {_flow(examples[0])})" if examples else ""
            problems.add(path, f"nyckeln '{key}' saknas{example}" if not path else f"{namer.name(path, instance)} saknar '{key}'{example}")


def _value_message(error: SchemaViolation, where: str) -> str:
    rule, own, bound = error.validator, error.schema.get("errorMessage"), error.validator_value
    if rule == "enum":
        choices = [str(c) for c in bound if c not in (None, "")]
        hint = did_you_mean(str(error.instance), choices) if isinstance(error.instance, str) else ""
        return f"{where} ska vara en av {', '.join(choices)}, fick {_shown(error.instance)}{hint}"
    if rule in ("minItems", "minProperties", "minLength"):
        return f"{where} får inte vara tom"
    if rule == "pattern":
        return f"{where} {error.schema.get('patternErrorMessage') or own or 'har fel form'}, fick {_shown(error.instance)}"
    if rule == "type":
        wanted = bound if isinstance(bound, list) else [bound]
        return f"{where} {own or 'ska vara ' + ' eller '.join(_TYPES[t] for t in wanted)}, fick {_shown(error.instance)}"
    defaults = {
        "format": "ska vara ett datum som finns, skrivet ÅÅÅÅ-MM-DD",
        "minimum": f"ska vara minst {_number(bound)}",
        "maximum": f"ska vara högst {_number(bound)}",
        "exclusiveMinimum": f"ska vara större än {_number(bound)}",
        "exclusiveMaximum": f"ska vara mindre än {_number(bound)}",
        "maxLength": f"är för lång (högst {bound} tecken)",
        "maxItems": f"har för många värden (högst {bound})",
        "uniqueItems": "har samma värde flera gånger",
    }
    return f"{where} {own or defaults.get(rule, 'har ett ogiltigt värde')}, fick {_shown(error.instance)}"


# ---------------------------------------------------------------- keys written more than one way


@dataclass
class Renamed:
    """Data with its keys in the schema's spelling (:func:`canonical_keys`), the lines re-keyed to match."""

    data: Any
    lines: dict[KeyPath, int]
    #: canonical path → the path as written in the file
    written: dict[KeyPath, KeyPath] = field(default_factory=dict)
    #: (canonical path of the mapping, the key as written, the key written first, the canonical key): two spellings of one key
    collisions: list[tuple[KeyPath, str, str, str]] = field(default_factory=list)

    def raw_path(self, path: KeyPath) -> KeyPath:
        """``path`` (canonical) as written in the file, as far as it is known."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.written:
                return self.written[path[:end]] + path[end:]
        return path


def canonical_keys(data: Any, lines: dict[KeyPath, int], rename: Callable[[KeyPath, str], str | None]) -> Renamed:
    """``data`` with every key ``k`` of a mapping at ``path`` (canonical) spelled ``rename(path, k)`` (None: as written).

    For files whose keys may be written several ways (``Diskonteringsränta``,
    ``kommunen``, ``Budget enligt ansökan``): the schema describes one
    spelling, and the file is checked in it. A second key with the same
    canonical spelling is left out and listed in :attr:`Renamed.collisions`.
    """
    result = Renamed(None, {})

    def walk(value: Any, raw: KeyPath, new: KeyPath) -> Any:
        if raw in lines:
            result.lines[new] = lines[raw]
        result.written[new] = raw
        if isinstance(value, dict):
            out: dict = {}
            first: dict[str, str] = {}
            for key, item in value.items():
                name = rename(new, str(key))
                name = str(key) if name is None else name
                if name in first:
                    result.collisions.append((new, str(key), first[name], name))
                    continue
                first[name] = str(key)
                out[name] = walk(item, (*raw, str(key)), (*new, name))
            return out
        if isinstance(value, list):
            return [walk(item, (*raw, n), (*new, n)) for n, item in enumerate(value)]
        return value

    result.data = walk(data, (), ())
    return result
