"""Mutations of a user's YAML file (an instrument, projekt.yaml), shared by the fuzz modules of both.

Two layers. On the parsed data (:func:`data_mutations`): a key misspelt, a
value replaced by one of another type, deleted, wrapped in a list or a
mapping, turned into text, or one container reused in another place (dumped
as an anchor and an alias). On the text (:func:`text_mutations`): a line
doubled (a key given twice), a scalar replaced by a raw YAML token (impossible
dates, ``1e400``, ``.nan``, YAML 1.1 booleans, tags, sexagesimals,
unterminated quotes), deep nesting appended, a control character or a tab
inserted, the file cut short, another encoding. :func:`mutate_yaml` applies
both to a clean text and returns the bytes to write.

Every scalar and depth is drawn in the default budget too, the tags of
:data:`CONSTRUCTOR_ERRORS` (once unexpected errors, now refused with their line) included.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from typing import Any

import yaml
from hypothesis import strategies as st

__all__ = [
    "ODD_VALUES", "RAW_SCALARS", "DATA_OPERATIONS", "REFUSED_SCALARS", "CONSTRUCTOR_ERRORS", "TOO_DEEP", "DATE_WITH_TIME", "LAST_DATE",
    "mutate_data", "yaml_mutations", "mutate_yaml",
]  # fmt: skip

#: Scalars PyYAML's constructors refused with something else than a YAMLError (issue 25): the strict loader
#: reads an impossible date as the text it is (the file's schema then names the key and line where a date
#: belongs) and names the line of any other; each has a regression test in test_instrument_yaml.py.
REFUSED_SCALARS = [
    "2025-02-30", "2025-13-01", "0000-01-01", "2025-02-28 25:61:00", "2025-02-28T10:00:00+25:00", "!!timestamp 2025-02-30",
    "!!float x", "!!int 1.5", "!!int 0x", "9" * 5000,
]  # fmt: skip
#: Tags the strict loader once could not build from a scalar (scalar, what escaped): now Swedish errors naming
#: the line, each with a regression test in test_instrument_yaml.py.
CONSTRUCTOR_ERRORS = [
    ("!!bool maybe", "KeyError: 'maybe'"),
    ("!!set [a]", "TypeError: cannot unpack non-iterable ScalarNode object (the strict loader's construct_mapping)"),
    ("!!map [a]", "TypeError: cannot unpack non-iterable ScalarNode object (the strict loader's construct_mapping)"),
]
#: Nesting deeper than Python's recursion limit allows PyYAML's composer (once a RecursionError, now a
#: Swedish error); also the most levels the block form of the "deep" mutation writes.
TOO_DEEP = 1200
#: A date with a time where projekt.yaml has a date (the period's start: once a TypeError comparing datetime and date).
DATE_WITH_TIME = dt.datetime(2025, 1, 1, 12, 0)
#: The last date there is, as the end of the period (check: once a ValueError, year 10000).
LAST_DATE = "9999-12-31"
#: Values of the wrong type (or odd values of the right one) put in place of a value.
ODD_VALUES: list[Any] = [
    None, True, False, "ja", "true", "False", "0", 0, -1, 10**30, -(10**30), 1e308, float("inf"), float("-inf"),
    float("nan"), 0.5, "", " ", [], {}, [[]], [None], {"a": 1}, {1: 2}, ["x", 1, None], "2025-02-30", dt.date(2025, 2, 28),
    DATE_WITH_TIME, "$x$", "<script>alert(1)</script>", "x" * 5000, "Ö" * 200, "\x0b", "null", "~", "NaN", "1e400",
]  # fmt: skip
#: Scalars written into the text as they are (so YAML reads them its way).
RAW_SCALARS = [
    "2025-02-30", "2025-13-01", "2024-02-29", "0000-01-01", LAST_DATE, "2025-02-28 25:61:00", "2025-02-28T10:00:00+25:00",
    "1e400", "1.0e+400", "-1.0e+400", ".nan", ".NaN", ".inf", "-.inf", "0x1F", "0o17", "0b101", "1_000", "190:20:30", "12:30",
    "yes", "no", "on", "off", "Y", "n", "~", "null", "!!binary aGVsbG8=", "!!set {a, b}", "!!python/object:os.system ls",
    "!!float x", "!!int 1.5", "!!int 0x", "!!bool maybe", "!!set [a]", "!!map [a]", "!!timestamp 2025-02-30", "!!str", "!!map {}",
    "!!omap [a: 1]", "&anchor x", "*nowhere", "9" * 5000, "[", "{", "'unterminated", '"unterminated', "a: b: c", "- x", "|", ">",
    "@x", "`x`", "%x", "$x$", "<script>alert(1)</script>",
]  # fmt: skip
#: Depths of the nesting appended by the "deep" text mutation.
DEPTHS = [10, 60, 150, 1200, 5000]

ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "cp1252", "mac_roman", "latin-1"]
CONTROL = ["\x00", "\x01", "\x07", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\u2028", "\ufeff", "\ufffe", "\t", "\r"]
_KEY_LINE = re.compile(r"^(\s*(?:- )?)([^\s#:][^:#]*):(?:\s+(\S.*))?$")


def _misspell(key: Any, how: int) -> Any:
    text = str(key)
    if not text:
        return "x"
    at = how % len(text)
    return [
        text[:at] + text[at + 1 :],  # a letter dropped
        text[:at] + text[at] * 2 + text[at + 1 :],  # doubled
        text[::-1] if len(text) < 3 else text[:at] + text[at + 1 : at + 2] + text[at] + text[at + 2 :],  # swapped
        text.upper(),
        text + " ",
        text.replace("a", "å").replace("o", "ö") if re.search("[ao]", text) else text + "ä",
        text + "s",
        text if isinstance(key, str) else key,  # a number key kept as a number, or the same key
    ][how % 8]


def _paths(node: Any, path: tuple = ()) -> list[tuple]:
    found = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*path, key))
    elif isinstance(node, list):
        for position, value in enumerate(node):
            found += _paths(value, (*path, position))
    return found


def _get(node: Any, path: tuple) -> Any:
    for step in path:
        node = node[step]
    return node


def _holds(node: Any, target: Any, seen: set[int] | None = None) -> bool:
    """Whether ``target`` (by identity) is ``node`` or inside it."""
    seen = set() if seen is None else seen
    if node is target:
        return True
    if id(node) in seen or not isinstance(node, list | dict):
        return False
    seen.add(id(node))
    return any(_holds(child, target, seen) for child in (node.values() if isinstance(node, dict) else node))


def mutate_data(data: Any, operations: list[tuple[str, float, int, Any]]) -> Any:
    """A copy of ``data`` (parsed YAML or JSON) with each ``(kind, where, how, value)`` of :data:`DATA_OPERATIONS`
    applied to the node ``where`` (0–1) points at among all nodes."""
    data = copy.deepcopy(data)
    for kind, where, how, value in operations:
        paths = [p for p in _paths(data) if p]
        if not paths:
            return data
        path = paths[int(where * len(paths))]
        parent, last = _get(data, path[:-1]), path[-1]
        if kind == "misspell" and isinstance(parent, dict):
            parent[_misspell(last, how)] = parent.pop(last)
        elif kind == "replace":
            parent[last] = copy.deepcopy(value)
        elif kind == "delete":
            del parent[last]
        elif kind == "wrap":
            parent[last] = [parent[last]] if how % 2 else {"x": parent[last]}
        elif kind == "text":
            parent[last] = str(parent[last])
        elif kind == "alias":  # the same container in two places: dumped as &id001 … *id001
            containers = [_get(data, p) for p in paths if isinstance(_get(data, p), list | dict)]
            containers = [c for c in containers if not _holds(c, parent)]  # no cycle
            if containers:
                parent[last] = containers[how % len(containers)]
    return data


def _dump(data: Any) -> str:
    try:
        return yaml.dump(data, Dumper=yaml.SafeDumper, allow_unicode=True, sort_keys=False, width=200)
    except (yaml.YAMLError, RecursionError, ValueError):
        return yaml.dump(str(data), Dumper=yaml.SafeDumper, allow_unicode=True)


def _apply_text(text: str, operations: list[tuple[str, float, int]]) -> tuple[str, str]:
    """The mutated text, and the encoding to write it in."""
    encoding = "utf-8"
    for kind, where, how in operations:
        lines = text.split("\n")
        line_at = int(where * len(lines))
        if kind == "duplicate":
            keyed = [n for n, line in enumerate(lines) if _KEY_LINE.match(line)]
            if keyed:
                n = keyed[int(where * len(keyed))]
                lines.insert(n + 1, lines[n].replace("- ", "  ", 1) if lines[n].lstrip().startswith("- ") else lines[n])
        elif kind == "raw":
            valued = [n for n, line in enumerate(lines) if (m := _KEY_LINE.match(line)) and m.group(3)]
            if valued:
                n = valued[int(where * len(valued))]
                match = _KEY_LINE.match(lines[n])
                lines[n] = f"{match.group(1)}{match.group(2)}: {RAW_SCALARS[how % len(RAW_SCALARS)]}"
        elif kind == "deep":
            depth = DEPTHS[how % len(DEPTHS)]
            if how % 2:
                lines.append("djup: " + "[" * depth + "]" * depth)
            else:  # one space per level, at most TOO_DEEP levels (the text grows with the square of the depth)
                lines += ["djup:"] + [" " * (i + 1) + "a:" for i in range(min(depth, TOO_DEEP))]
        elif kind == "control":
            line = lines[line_at]
            at = how % (len(line) + 1)
            lines[line_at] = line[:at] + CONTROL[how % len(CONTROL)] + line[at:]
        elif kind == "tab":
            lines[line_at] = re.sub(r"^ +", "\t", lines[line_at])
        elif kind == "truncate":
            text = text[: int(where * len(text))]
            continue
        elif kind == "encoding":
            encoding = ENCODINGS[how % len(ENCODINGS)]
        text = "\n".join(lines)
    return text, encoding


DATA_OPERATIONS = st.tuples(
    st.sampled_from(["misspell", "replace", "delete", "wrap", "text", "alias"]),
    st.floats(0, 1, exclude_max=True),
    st.integers(0, 1000),
    st.sampled_from(ODD_VALUES),
)
_TEXT = st.tuples(
    st.sampled_from(["duplicate", "raw", "deep", "control", "tab", "truncate", "encoding"]),
    st.floats(0, 1, exclude_max=True),
    st.integers(0, 1000),
)


def yaml_mutations(data_ops: int = 3, text_ops: int = 2) -> st.SearchStrategy:
    """(data operations, text operations), at least one of them."""
    return st.tuples(st.lists(DATA_OPERATIONS, max_size=data_ops), st.lists(_TEXT, max_size=text_ops)).map(
        lambda m: m if m[0] or m[1] else (m[0], [("duplicate", 0.5, 0)])
    )


def mutate_yaml(clean_text: str, mutation: tuple[list, list]) -> bytes:
    """The bytes of ``clean_text`` mutated: the data first (then dumped again, comments lost), then the text."""
    data_ops, text_ops = mutation
    text = _dump(mutate_data(yaml.safe_load(clean_text), data_ops)) if data_ops else clean_text
    text, encoding = _apply_text(text, text_ops)
    return text.encode(encoding, errors="replace")
