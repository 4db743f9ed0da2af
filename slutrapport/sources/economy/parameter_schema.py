"""The keys of the socio-economic parameter file, and the file checked against its JSON Schema.

A key may be written with å, ä, ö, capitals and spaces (``Diskonteringsränta``,
``Övriga staten``) and an actor by another name (``kommunen``, ``landsting``,
``FK``, ``AF``, ``staten``, ``individ``): :func:`fold_key` and
:func:`actor_name` say what a key stands for. ``socioekonomi.schema.json``
(package data beside this module) describes the file in the standard
spelling; :func:`check_parameter_schema` renames the keys to it
(:func:`~slutrapport.core.yamlschema.canonical_keys`), checks the file and
reports every violation (an unknown key or actor with a suggestion, a value
of the wrong type, a share outside 0–1, an amount of 10^15 kronor or more, a
number that is not finite, a yes/no that is not true/false/ja/nej) in the
reader's report, with the line and the key path the reader's own messages
use. The reader then reads the file with those values :data:`INVALID`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

from slutrapport.core.text import normalise
from slutrapport.core.yamlfile import key_lines
from slutrapport.core.yamlschema import INVALID, KeyPath, LocatedProblems, Namer, UserSchema, canonical_keys, prune

__all__ = [
    "ACTORS", "INDIVIDUAL", "ACTOR_NAMES", "TOP_KEYS", "CASE_KEYS", "SCENARIO_KEYS", "PARTS", "PARAMETER_SCHEMA",
    "fold_key", "actor_name", "named", "key_path_name", "check_parameter_schema",
]  # fmt: skip

#: The actors of the calculation, in the order of every table.
ACTORS = ("kommun", "region", "Försäkringskassan", "Arbetsförmedlingen", "övriga staten", "individen")
INDIVIDUAL = "individen"
#: An actor's names as written (folded, see :func:`actor_name`) → the actor.
ACTOR_NAMES = {
    "kommun": "kommun", "kommunen": "kommun", "kommunerna": "kommun",
    "region": "region", "regionen": "region", "landsting": "region", "landstinget": "region",
    "forsakringskassan": "Försäkringskassan", "fk": "Försäkringskassan",
    "arbetsformedlingen": "Arbetsförmedlingen", "af": "Arbetsförmedlingen",
    "ovriga staten": "övriga staten", "ovrig stat": "övriga staten", "staten": "övriga staten", "stat": "övriga staten",
    "individen": "individen", "individ": "individen", "individerna": "individen", "deltagaren": "individen",
}  # fmt: skip
TOP_KEYS = ("exempel", "kalla", "projektkostnad", "avslutade", "varaktighet_ar", "diskonteringsranta", "indirekt_skatt", "finansiering",
            "parametrar", "typfall")  # fmt: skip
CASE_KEYS = ("namn", "andel", "beskrivning", "fore", "efter")
SCENARIO_KEYS = ("namn", "andel", "beskrivning", "som_fore", "forsorjning", "resursforbrukning")
_METHOD_KEYS = ("forsorjning", "resursforbrukning")
#: The keys of an income source (``forsorjning:``) as written (folded) → the key.
_INCOME_KEYS = {"stod": "stod", "andel": "andel", "belopp_manad": "belopp_manad", "tjanstgoringsgrad": "tjanstgoringsgrad",
                "subvention": "subvention", "lonebidrag": "subvention"}  # fmt: skip
#: The parts of an actor's amount as written (folded) → the part.
PARTS = {"kostnad": "kostnad", "kostnader": "kostnad", "intakt": "intakt", "intakter": "intakt", "inkomst": "inkomst", "inkomster": "inkomst"}


def fold_key(text: Any) -> str:
    """Normalised and without diacritics, spaces as ``_``: ``'Diskonteringsränta'`` → ``'diskonteringsranta'``."""
    decomposed = unicodedata.normalize("NFKD", normalise(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace(" ", "_")


def actor_name(key: Any) -> str | None:
    """The actor a key names (``FK`` → ``Försäkringskassan``), or None."""
    return ACTOR_NAMES.get(fold_key(key).replace("_", " "))


def named(raw: Any) -> str | None:
    """The ``namn:`` of an entry before its keys are checked, so that messages can name it."""
    if not isinstance(raw, dict):
        return None
    value = next((v for k, v in raw.items() if fold_key(k) == "namn"), None)
    return " ".join(str(value).split()) if value not in (None, INVALID) and str(value).strip() else None


def key_path_name(path: KeyPath, data: Any) -> str:
    """A key path (as written) as the reader's messages name it: ``typfall 1 (Försörjningsstöd) › efter › Arbete › kommun``."""
    if not path:
        return ""
    structural = {*TOP_KEYS, *CASE_KEYS, *SCENARIO_KEYS}

    def shown(key: str | int) -> str:
        return fold_key(key) if fold_key(key) in structural else str(key)

    cases = next((v for k, v in data.items() if fold_key(k) == "typfall"), None) if isinstance(data, dict) else None
    if fold_key(path[0]) != "typfall" or len(path) < 2 or not isinstance(path[1], int):
        return " › ".join(shown(k) for k in path)
    case = cases[path[1]] if isinstance(cases, list) and path[1] < len(cases) else None
    parts = [f"typfall {path[1] + 1}" + (f" ({named(case)})" if named(case) else "")]
    rest = list(path[2:])
    if len(rest) >= 2 and fold_key(rest[0]) == "efter" and isinstance(rest[1], int):
        after = case.get(rest[0]) if isinstance(case, dict) else None
        scenario = after[rest[1]] if isinstance(after, list) and rest[1] < len(after) else None
        parts += ["efter", named(scenario) or f"scenario {rest[1] + 1}"]
        rest = rest[2:]
    return " › ".join([*parts, *(shown(k) for k in rest)])


class _Unnamed(Namer):
    """The reader's report names the key path in its own column, so messages start with what is wrong."""

    def name(self, path: KeyPath, data: Any) -> str:
        return ""

    def where(self, path: KeyPath, data: Any) -> str:
        return ""


#: The schema of the parameter file (package data), in the standard spelling of its keys.
PARAMETER_SCHEMA = UserSchema(__package__, "socioekonomi.schema.json", _Unnamed())


def _canonical(path: KeyPath, key: str) -> str | None:
    """What ``key`` of the mapping at ``path`` (canonical) stands for, in the schema's spelling; None if unknown."""
    folded = fold_key(key)
    depth = len(path)
    if depth == 0:
        return folded if folded in TOP_KEYS else None
    if depth == 1 and path[0] == "finansiering":
        return actor_name(key)
    if depth == 2 and path[0] == "typfall":
        return folded if folded in CASE_KEYS else None
    if depth == 3 and path[2] == "fore":
        return folded if folded in _METHOD_KEYS else actor_name(key)
    if depth == 4 and path[2] == "efter":
        return folded if folded in SCENARIO_KEYS else actor_name(key)
    inputs = path[3] if depth >= 4 and path[2] == "fore" else path[4] if depth >= 5 and path[2] == "efter" else None
    if inputs == "forsorjning":
        return _INCOME_KEYS.get(folded)
    if inputs == "resursforbrukning":
        return actor_name(key)
    if (depth == 4 and path[2] == "fore") or (depth == 5 and path[2] == "efter"):
        return PARTS.get(folded)
    return None


def check_parameter_schema(data: Any, text: str, error: Callable[[KeyPath, int | None, str, str, Any], None]) -> Any:
    """``data`` (the parameter file read from ``text``) checked against :data:`PARAMETER_SCHEMA`.

    Every violation is handed to ``error(path, line, where, message, value)``
    (``path`` and ``where`` name the key as written; see :func:`key_path_name`).
    Returns ``data`` with an unknown key left out and a rejected value
    :data:`INVALID`; a key written twice in two spellings (``kommun`` and
    ``kommunen``) is left for the reader, which names both.
    """
    renamed = canonical_keys(data, key_lines(text), _canonical)
    found = LocatedProblems(renamed.lines)
    PARAMETER_SCHEMA.check(renamed.data, found, required=False)
    written = LocatedProblems({})
    written.invalid = {renamed.raw_path(p) for p in found.invalid}
    written.removed = {renamed.raw_path(p) for p in found.removed}
    for line, path, message in found.located():
        raw = renamed.raw_path(path)
        value = raw[-1] if path in found.removed else _at(renamed.data, path)
        error(raw, line or None, key_path_name(raw, data), message.strip(), value)
    return prune(data, written)


def _at(data: Any, path: KeyPath) -> Any:
    for part in path:
        data = data.get(part) if isinstance(data, dict) else data[part] if isinstance(data, list) and isinstance(part, int) else None
    return None if isinstance(data, dict | list) else data
