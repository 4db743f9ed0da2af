"""Targeted edits of a user's YAML file that keep its comments and layout.

``projekt.yaml`` is written by people, with Swedish comments explaining every
key (see :func:`slutrapport.project.init_project`). Loading it with PyYAML and
dumping it again would throw those comments away, so the web page changes it
line by line instead:

- :class:`Set` replaces the value at a key path (``("projekt", "namn")``,
  ``("personalenkat", "enkater", 0, "etikett")``), creating missing keys at the
  end of their parent block;
- :class:`Append` adds an item to a block sequence, optionally with a comment
  on its first line;
- :class:`Remove` deletes one item of a block sequence;
- :class:`Move` moves one item of a block sequence to another position
  (with the comments on its lines).

Every line outside the changed value is kept as it was. After each edit the
new text is parsed again and compared with the expected data (the old data
with the change applied); when the layout is one this editor does not handle
(flow style ``{…}`` around the key, anchors …) the whole file is written from
the data instead and :func:`apply_edits` says that the comments were lost.
Values are written in block style with strings in double quotes (JSON string
syntax, which YAML reads), so user text can never become YAML syntax.
"""

from __future__ import annotations

import copy
import itertools
import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import yaml

__all__ = ["Set", "Append", "Remove", "Move", "apply_edits", "render_scalar", "REWRITTEN_NOTE"]

REWRITTEN_NOTE = "# Filen skrevs om av slutrapport; kommentarerna kunde inte behållas.\n"

_KEY = re.compile(r"""^(?P<key>[^\s#'"{}\[\],&*!|>%@`-][^:#]*?|"(?:[^"\\]|\\.)*"|'(?:[^']|'')*')\s*:(?:\s+(?P<rest>.*))?$""")
_PLAIN_KEY = re.compile(r"^[A-Za-z_][\w-]*$")
_RESERVED = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"}
_INDENT = 2
_YAML_BREAKS = (0x85, 0x2028, 0x2029)  # line breaks to YAML but not to JSON
_EMPTY_INLINE = ("", "null", "~", "{}", "[]")


@dataclass(frozen=True)
class Set:
    """Set the value at ``path`` (created with its missing parents when absent)."""

    path: tuple
    value: Any


@dataclass(frozen=True)
class Append:
    """Append ``value`` to the block sequence at ``path`` (created when absent or empty)."""

    path: tuple
    value: Any
    comment: str | None = None


@dataclass(frozen=True)
class Remove:
    """Remove the sequence item at ``path`` (whose last element is the position)."""

    path: tuple


@dataclass(frozen=True)
class Move:
    """Move the sequence item at ``path`` (last element: its position) to position ``to``."""

    path: tuple
    to: int


class _Unsupported(Exception):
    """The file's layout around the edited key is not one this editor changes line by line."""


# ---------------------------------------------------------------- rendering


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar: JSON string syntax, with YAML's line breaks and unprintables escaped too."""
    out = []
    for char in json.dumps(text, ensure_ascii=False):
        code = ord(char)
        if code in _YAML_BREAKS or not _printable(code):
            out.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
        else:
            out.append(char)
    return "".join(out)


def _printable(code: int) -> bool:
    return (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0x7E
        or 0xA0 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    ) and code != 0xFEFF


def render_scalar(value: Any) -> str:
    """A scalar as YAML text: strings in double quotes, dates as ISO dates, None as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, date):
        return value.isoformat()
    return _quoted(str(value))


def _render_key(key: Any) -> str:
    text = str(key)
    if isinstance(key, str) and _PLAIN_KEY.match(text) and text.lower() not in _RESERVED:
        return text
    if isinstance(key, int) and not isinstance(key, bool):
        return text
    return _quoted(text)


def _is_block(value: Any) -> bool:
    return isinstance(value, (dict, list)) and bool(value)


def _inline(value: Any) -> str:
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return render_scalar(value)


def _render_entry(key_text: str, value: Any, indent: int, comment: str | None = None) -> list[str]:
    """``key: value`` (or ``- value`` when ``key_text`` is ``-``) and its block lines."""
    pad = " " * indent
    suffix = f"  # {comment}" if comment else ""
    if key_text == "-":
        if isinstance(value, dict) and value:
            items = list(value.items())
            first = _render_entry(_render_key(items[0][0]), items[0][1], indent + _INDENT, comment)
            rest = [line for k, v in items[1:] for line in _render_entry(_render_key(k), v, indent + _INDENT)]
            return [pad + "- " + first[0].lstrip(" "), *first[1:], *rest]
        if isinstance(value, list) and value:
            raise _Unsupported("nested sequence")
        return [f"{pad}- {_inline(value)}".rstrip() + suffix]
    if not _is_block(value):
        return [f"{pad}{key_text}: {_inline(value)}".rstrip() + suffix]
    return [f"{pad}{key_text}:{suffix}", *_render_block(value, indent + _INDENT)]


def _render_block(value: Any, indent: int) -> list[str]:
    if isinstance(value, dict):
        return [line for k, v in value.items() for line in _render_entry(_render_key(k), v, indent)]
    return [line for item in value for line in _render_entry("-", item, indent)]


# ---------------------------------------------------------------- parsing lines


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _is_filler(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


def _split_comment(text: str) -> tuple[str, str]:
    """``'"a # b"  # note'`` → ``('"a # b"', '# note')``: the value and its trailing comment."""
    quote = None
    i = 0
    while i < len(text):
        char = text[i]
        if quote == '"':
            if char == "\\":
                i += 1
            elif char == '"':
                quote = None
        elif quote == "'":
            if char == "'":
                quote = None
        elif char in "\"'" and (i == 0 or text[i - 1] in " \t[{,:"):
            quote = char
        elif char == "#" and (i == 0 or text[i - 1] in " \t"):
            return text[:i].rstrip(), text[i:]
        i += 1
    return text.rstrip(), ""


def _key_name(token: str) -> str:
    if token.startswith('"'):
        return json.loads(token)
    if token.startswith("'"):
        return token[1:-1].replace("''", "'")
    return token.strip()


@dataclass
class _Node:
    """Where a key's entry sits: its line, the column its key starts at, and its block's end (exclusive)."""

    line: int
    column: int
    end: int
    inline: str  # the value written on the key line ("" when the value is a block or empty)
    comment: str
    key_text: str  # the key as written
    comment_column: int = 0  # where the comment started, to keep comments aligned

    def head(self, lines: list[str]) -> str:
        """The key line without its value: ``'  namn:'`` (plus the comment, if any)."""
        return self.with_comment(f"{lines[self.line][: self.column]}{self.key_text}:")

    def with_comment(self, text: str) -> str:
        """``text`` followed by the entry's comment, at its old column when there is room."""
        if not self.comment:
            return text.rstrip()
        text = text.rstrip()
        return text + " " * max(2, self.comment_column - len(text)) + self.comment


@dataclass
class _Region:
    """The lines of a mapping: ``start``..``end`` with keys at ``column``; ``first`` starts after a ``- ``."""

    start: int
    end: int
    column: int | None


def _block_end(lines: list[str], line: int, column: int) -> int:
    """One past the last content line of the entry whose key is at ``column`` on ``line``."""
    last = line
    for j in range(line + 1, len(lines)):
        text = lines[j]
        if _is_filler(text):
            continue
        ind = _indent(text)
        if ind > column or (ind == column and text.lstrip().startswith("-") and _entry_is_key(lines[line], column)):
            last = j
            continue
        break
    return last + 1


def _entry_is_key(line: str, column: int) -> bool:
    """True when ``line`` holds a mapping key at ``column`` (a sibling ``- `` line is then its sequence)."""
    return not line[column:].lstrip().startswith("-")


def _keys_in(lines: list[str], region: _Region) -> dict[str, _Node]:
    nodes: dict[str, _Node] = {}
    column = region.column
    for i in range(region.start, region.end):
        text = lines[i]
        if _is_filler(text):
            continue
        if i == region.start and column is not None and _indent(text) < column:
            pass  # the "- " line of a sequence item: its key starts at region.column
        elif column is None:
            column = _indent(text)
        elif _indent(text) != column:
            continue
        match = _KEY.match(lines[i][column:].rstrip())
        if not match:
            if _indent(text) == column:
                raise _Unsupported(f"line {i + 1} is not a key")
            continue
        value, comment = _split_comment(match.group("rest") or "")
        name = _key_name(match.group("key"))
        node = _Node(i, column, _block_end(lines, i, column), value, comment, match.group("key"))
        if comment:
            node.comment_column = len(lines[i].rstrip()) - len(comment)
        nodes[name] = node
    region.column = column
    return nodes


def _items_in(lines: list[str], node: _Node) -> list[_Region]:
    """The items of the block sequence under ``node``, each as a mapping region."""
    if node.inline not in _EMPTY_INLINE:
        raise _Unsupported("flow sequence")
    items: list[_Region] = []
    dash = None
    for i in range(node.line + 1, node.end):
        text = lines[i]
        if _is_filler(text):
            continue
        stripped = text.lstrip()
        if dash is None:
            if not stripped.startswith("-"):
                raise _Unsupported("mapping where a sequence was expected")
            dash = _indent(text)
        if _indent(text) == dash and (stripped == "-" or stripped.startswith("- ")):
            after = stripped[1:]
            items.append(_Region(i, i + 1, dash + 1 + len(after) - len(after.lstrip(" "))))
        elif _indent(text) < dash:
            raise _Unsupported("odd sequence indentation")
        if items:
            items[-1].end = i + 1
    return items


def _root_region(lines: list[str]) -> _Region:
    return _Region(0, len(lines), 0)


def _child_region(lines: list[str], node: _Node) -> _Region:
    if node.inline not in _EMPTY_INLINE:
        raise _Unsupported("inline value where a mapping was expected")
    return _Region(node.line + 1, node.end, None)


def _locate(lines: list[str], path: tuple) -> tuple[_Region, list[_Region | _Node]]:
    """Walk ``path`` as far as it exists; returns the deepest region and the nodes found."""
    region = _root_region(lines)
    found: list = []
    for step, key in enumerate(path):
        if isinstance(key, int):
            node = found[-1]
            items = _items_in(lines, node)
            if key >= len(items):
                raise _Unsupported("no such item")
            region = items[key]
            found.append(region)
            continue
        nodes = _keys_in(lines, region)
        if key not in nodes:
            break
        node = nodes[key]
        found.append(node)
        if step < len(path) - 1 and not isinstance(path[step + 1], int):
            region = _child_region(lines, node)
    return region, found


# ---------------------------------------------------------------- edits


def _set(lines: list[str], path: tuple, value: Any) -> list[str]:
    region, found = _locate(lines, path)
    if len(found) == len(path):
        node = found[-1]
        if not isinstance(node, _Node):
            raise _Unsupported("setting a whole sequence item")
        if _is_block(value):
            new = [node.head(lines), *_render_block(value, _child_indent(lines, node))]
        else:
            new = [node.with_comment(f"{lines[node.line][: node.column]}{node.key_text}: {_inline(value)}")]
        return lines[: node.line] + new + lines[node.end :]
    # Create the missing part: nest the remaining keys and insert after the region's last entry.
    rest = path[len(found) :]
    if any(isinstance(k, int) for k in rest):
        raise _Unsupported("creating a sequence item through set")
    nested: Any = value
    for key in reversed(rest[1:]):
        nested = {key: nested}
    if found and isinstance(found[-1], _Node) and region.start == found[-1].line + 1 and region.column is None:
        column = found[-1].column + _INDENT
    elif region.column is not None:
        column = region.column
    else:
        column = 0
    # the parent's entry may hold an empty inline value ("kolumner:" is fine, "x: null" too)
    insert_at = _last_content(lines, region) + 1
    new = _render_entry(_render_key(rest[0]), nested, column)
    if found and isinstance(found[-1], _Node) and found[-1].inline:
        parent = found[-1]  # "x: null" or "x: {}" becomes "x:" with the new block under it
        lines = lines[: parent.line] + [parent.head(lines)] + lines[parent.line + 1 :]
    return lines[:insert_at] + new + lines[insert_at:]


def _child_indent(lines: list[str], node: _Node) -> int:
    for i in range(node.line + 1, node.end):
        if not _is_filler(lines[i]):
            return max(_indent(lines[i]), node.column + 1)
    return node.column + _INDENT


def _last_content(lines: list[str], region: _Region) -> int:
    last = region.start - 1
    for i in range(region.start, region.end):
        if not _is_filler(lines[i]):
            last = i
    if region.start == 0 and region.end == len(lines):
        return len(lines) - 1  # top level: append at the very end of the file
    return last


def _append(lines: list[str], path: tuple, value: Any, comment: str | None) -> list[str]:
    region, found = _locate(lines, path)
    if len(found) != len(path):
        lines = _set(lines, path, [])
        region, found = _locate(lines, path)
    node = found[-1]
    if not isinstance(node, _Node):
        raise _Unsupported("appending to a sequence item")
    items = _items_in(lines, node)
    if items:
        dash = _indent(lines[items[0].start])
        insert_at = max(i for i in range(items[-1].start, items[-1].end) if not _is_filler(lines[i])) + 1
    else:
        dash = node.column + _INDENT
        insert_at = node.line + 1
        if node.inline:
            lines = lines[: node.line] + [node.head(lines)] + lines[node.line + 1 :]
    new = _render_entry("-", value, dash, comment)
    return lines[:insert_at] + new + lines[insert_at:]


def _remove(lines: list[str], path: tuple) -> list[str]:
    if not path or not isinstance(path[-1], int):
        raise _Unsupported("remove needs a sequence position")
    _region, found = _locate(lines, path)
    if len(found) != len(path):
        raise _Unsupported("no such item")
    item = found[-1]
    last = max(i for i in range(item.start, item.end) if not _is_filler(lines[i]))
    return lines[: item.start] + lines[last + 1 :]


def _move(lines: list[str], path: tuple, to: int) -> list[str]:
    if not path or not isinstance(path[-1], int):
        raise _Unsupported("move needs a sequence position")
    _region, found = _locate(lines, path[:-1])
    if len(found) != len(path) - 1 or not isinstance(found[-1], _Node):
        raise _Unsupported("no such sequence")
    items = _items_in(lines, found[-1])
    index = path[-1]
    if not (0 <= index < len(items) and 0 <= to < len(items)):
        raise _Unsupported("no such item")
    blocks = [lines[item.start : item.end] for item in items]  # each item's lines, its own comments included
    gaps = [line for a, b in itertools.pairwise(items) for line in lines[a.end : b.start]]  # comments between items
    blocks.insert(to, blocks.pop(index))
    return lines[: items[0].start] + [line for block in blocks for line in block] + gaps + lines[items[-1].end :]


# ---------------------------------------------------------------- expected data


def _get(data: Any, path: tuple) -> Any:
    for key in path:
        data = data[key]
    return data


def _expected(data: Any, edit: Set | Append | Remove | Move) -> Any:
    data = copy.deepcopy(data) if data is not None else {}
    if not isinstance(data, dict):
        raise _Unsupported("top level is not a mapping")
    target = data
    parents = edit.path[:-1]
    for key in parents:
        if isinstance(key, int):
            target = target[key]
        else:
            if not isinstance(target.get(key), (dict, list)):
                target[key] = {}
            target = target[key]
    last = edit.path[-1]
    if isinstance(edit, Move):
        target.insert(edit.to, target.pop(last))
    elif isinstance(edit, Set):
        target[last] = copy.deepcopy(edit.value)
    elif isinstance(edit, Append):
        current = target.get(last)
        target[last] = [*(current or []), copy.deepcopy(edit.value)]
    else:
        del target[last]
        if not target and len(edit.path) >= 2:
            _set_plain(data, edit.path[:-1], None)
    return data


def _set_plain(data: Any, path: tuple, value: Any) -> None:
    _get(data, path[:-1])[path[-1]] = value


def apply_edits(text: str, edits: list[Set | Append | Remove | Move]) -> tuple[str, bool]:
    """The text with every edit applied, and whether the comments and layout were kept.

    Raises ``yaml.YAMLError`` when ``text`` itself is not valid YAML.
    """
    newline = "\r\n" if "\r\n" in text else "\n"
    data = yaml.safe_load(text)
    lines = text.replace("\r\n", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    kept = True
    for edit in edits:
        expected = _expected(data, edit)
        if kept:
            try:
                if isinstance(edit, Set):
                    candidate = _set(lines, tuple(edit.path), edit.value)
                elif isinstance(edit, Append):
                    candidate = _append(lines, tuple(edit.path), edit.value, edit.comment)
                elif isinstance(edit, Move):
                    candidate = _move(lines, tuple(edit.path), edit.to)
                else:
                    candidate = _remove(lines, tuple(edit.path))
                if yaml.safe_load("\n".join(candidate) + "\n") != expected:
                    raise _Unsupported("the edited text does not read back as expected")
                lines = candidate
            except (_Unsupported, yaml.YAMLError, KeyError, IndexError, ValueError):
                kept = False
        data = expected
    if not kept:
        dumped = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False)
        return (REWRITTEN_NOTE + dumped).replace("\n", newline), False
    return newline.join(lines) + newline, True
