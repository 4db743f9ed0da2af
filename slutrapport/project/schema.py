"""``projekt.yaml`` checked against its JSON Schema (``projekt.schema.json``, package data beside this module).

The schema lists every key the program reads, and below the top level any
other key is an error with a "menade du …?" suggestion. At the top level a
data source of the web page may add a key of its own (``DataSource`` in
:mod:`slutrapport.web.sources`; the shipped ones use ``deltagare:``,
``ekonomi:``, ``socioekonomi:`` and ``sjalvvardering:``, which the schema
knows), so there only a key close to a known one (``anonymitetsgräns:``,
``personalenkaet:``) is an error: a misspelling. A measurable goal's keys may be written as the goals allow
(``Mål:``, ``målvärde:``; :func:`~slutrapport.analysis.goals.goal_key`) and are
checked in the schema's spelling. :func:`check_project` returns the checked
data (every rejected value :data:`~slutrapport.core.yamlschema.INVALID`) and
the problems, each with its line.
"""

from __future__ import annotations

from typing import Any

from slutrapport.analysis.goals import goal_key
from slutrapport.core.yamlfile import key_lines
from slutrapport.core.yamlschema import KeyPath, LocatedProblems, Namer, UserSchema, canonical_keys, did_you_mean

__all__ = ["PROJECT_SCHEMA", "check_project"]


class _ProjectNamer(Namer):
    items = {"enkater": "enkät", "mal": "mål", "omfattning": "rad", "rader": "rad"}
    whole = "projektfilen"


#: The schema of ``projekt.yaml`` (package data) and how its messages name keys.
PROJECT_SCHEMA = UserSchema(__package__, "projekt.schema.json", _ProjectNamer())


def _goal_keys(path: KeyPath, key: str) -> str | None:
    return goal_key(key) if len(path) == 2 and path[0] == "mal" and isinstance(path[1], int) else None


def check_project(data: dict, text: str) -> tuple[Any, LocatedProblems]:
    """``data`` (``projekt.yaml`` read from ``text``) checked against :data:`PROJECT_SCHEMA`.

    Returns the checked data (keys as text, an unknown key left out, a
    rejected value :data:`~slutrapport.core.yamlschema.INVALID`) and every
    problem with its line.
    """
    lines = key_lines(text)
    renamed = canonical_keys(data, lines, _goal_keys)
    found = LocatedProblems(renamed.lines)
    for path, written, first, name in renamed.collisions:
        line = lines.get((*renamed.raw_path(path), written))
        where = PROJECT_SCHEMA.namer.name(path, renamed.data)
        found.add((*path, name), f"{where}: '{written}' och '{first}' är samma nyckel ({name}); ta bort den ena", line)
    checked = PROJECT_SCHEMA.check(renamed.data, found)
    known = list(PROJECT_SCHEMA.mapping["properties"])
    for key in data:
        hint = "" if str(key) in known else did_you_mean(str(key), known)
        if hint:
            found.add((str(key),), f"okänd nyckel '{key}'{hint}")
            found.removed.add((str(key),))
            checked.pop(str(key), None)
    return checked, found
