"""Targeted edits of a user's YAML file that keep its comments and layout.

``projekt.yaml`` is written by people, with Swedish comments explaining every
key (see :func:`slutrapport.project.folder.init_project`). PyYAML would throw those
away, so the web page edits the file with ruamel.yaml's round-trip mode, which
reads it into mappings and sequences that carry their comments, key order and
quoting, and writes them back with the file's own indentation (it spells a few
values its own way: ``~`` and ``null`` as an empty value, ``True`` as ``true``):

- :class:`Set` replaces the value at a key path (``("projekt", "namn")``,
  ``("personalenkat", "enkater", 0, "etikett")``), creating missing keys at the
  end of their parent block; mappings are merged key by key, and a value the
  file already holds is left as it is written;
- :class:`Append` adds an item to a block sequence, optionally with a comment;
- :class:`Remove` deletes a sequence item (or a key); :class:`Move` moves one.

A comment at the end of a changed line keeps its column (at least two spaces
after the value); comment lines stay after the entry they follow, and those
after a sequence's last item stay at its end. New strings are written in double
quotes and new keys quoted unless plain names, so user text never becomes YAML
syntax and YAML 1.1 readers (PyYAML, :mod:`slutrapport.core.yamlfile`) read the
same values. The result is parsed again with PyYAML and compared with the
expected data (the old data with the changes applied); when it differs, the
change is inside a flow collection (``{…}``, ``[…]``) or ruamel.yaml cannot read
the file, the whole file is written from the data and :func:`apply_edits` says
that the comments were lost.
"""

from __future__ import annotations

import copy
import io
import re
import sys
from dataclasses import dataclass
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.emitter import RoundTripEmitter
from ruamel.yaml.error import CommentMark
from ruamel.yaml.error import YAMLError as RuamelError
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.scalarstring import DoubleQuotedScalarString
from ruamel.yaml.tokens import CommentToken

__all__ = ["Set", "Append", "Remove", "Move", "apply_edits", "render_scalar", "REWRITTEN_NOTE"]

REWRITTEN_NOTE = "# Filen skrevs om av slutrapport; kommentarerna kunde inte behållas.\n"

_PLAIN_KEY = re.compile(r"^[A-Za-z_][\w-]*$")
_RESERVED = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"}
_DOCUMENT_START = re.compile(r"^---[ \t]*(#.*)?$")
_MISSING = object()
_BLOCKS = (CommentedMap, CommentedSeq)


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
    """Remove the sequence item at ``path`` (whose last element is the position), or the mapping key."""

    path: tuple


@dataclass(frozen=True)
class Move:
    """Move the sequence item at ``path`` (last element: its position) to position ``to``."""

    path: tuple
    to: int


class _Unsupported(Exception):
    """The file's layout around the edited key is not one this editor changes in place."""


# ---------------------------------------------------------------- ruamel.yaml set-up


class _Edited(CommentToken):
    """The comment at the end of a line whose value this editor wrote: kept at least two spaces away."""

    __slots__ = ()


class _Emitter(RoundTripEmitter):
    MAX_SIMPLE_KEY_LENGTH = 500  # long column headings stay ``"…": q07`` rather than ``? "…"`` (YAML allows 1024)

    def write_comment(self, comment: Any, pre: bool = False) -> None:
        if isinstance(comment, _Edited) and self.column and comment.start_mark.column < self.column + 2:
            comment = CommentToken(comment.value, CommentMark(self.column + 2))
        super().write_comment(comment, pre)


class _Representer(RoundTripRepresenter):
    """Floats as PyYAML writes them: ``1.0e+20``, as YAML 1.1 reads ``1e+20`` as text."""


_Representer.add_representer(float, lambda rep, value: rep.represent_scalar("tag:yaml.org,2002:float", yaml.safe_dump(value).split("\n")[0]))


def _yaml(text: str) -> YAML:
    rt = YAML(typ="rt")
    rt.Emitter, rt.Representer = _Emitter, _Representer
    rt.preserve_quotes = rt.allow_duplicate_keys = rt.allow_unicode = True
    rt.width = sys.maxsize  # never fold a long line
    rt.indent(**_indents(text))
    return rt


def _indents(text: str) -> dict[str, int]:
    """The file's indentation of nested mappings, and of block sequence items (dash and content) under their key."""
    mapping = offset = sequence = parent = None  # parent: the column of the last key with a block under it
    for line in text.splitlines():
        content = line.lstrip(" ")
        column = len(line) - len(content)
        if not content or content.startswith("#"):
            continue
        if parent is not None and content.startswith("- ") and column >= parent and offset is None:
            offset, sequence = column - parent, column - parent + len(content) - len(content[1:].lstrip(" "))
        elif parent is not None and column > parent and not content.startswith("-") and mapping is None:
            mapping = column - parent
        parent = column if content.split(" #", 1)[0].rstrip().endswith(":") else None
    mapping = mapping if mapping and mapping <= 8 else 2
    if offset is None or sequence > 12:
        offset, sequence = mapping, mapping + 2
    return {"mapping": mapping, "sequence": sequence, "offset": offset}


# ---------------------------------------------------------------- comments


def _entry(container: Any, key: Any) -> list:
    return container.ca.items.setdefault(key, [None, None, None, None])


def _end(container: Any, key: Any) -> tuple[list, int, list]:
    """Where the comment lines after ``container[key]`` are kept: the line end of its last scalar, and
    the end comments of the blocks it closes (where ruamel.yaml puts them after an empty last value)."""
    node, blocks = container[key], []
    while isinstance(node, _BLOCKS) and not node.fa.flow_style():
        blocks.append(node)
        if not node:
            break
        key = list(node)[-1] if isinstance(node, CommentedMap) else len(node) - 1
        container, node = node, node[key]
    return _entry(container, key), 2 if isinstance(container, CommentedMap) else 0, blocks


def _take_tail(container: Any, key: Any) -> str:
    """Remove and return the comment lines after ``container[key]`` (the comment at its line end stays)."""
    entry, slot, blocks = _end(container, key)
    token, rest = entry[slot], ""
    if token is not None:
        line_end, _, rest = token.value.partition("\n")
        if line_end:
            token.value = line_end + "\n"
        else:
            entry[slot] = None
    for block in reversed(blocks):
        rest, block.ca.end = rest + _text(block.ca.end), []
    return rest


def _add_tail(container: Any, key: Any, lines: str) -> None:
    """Put comment lines after ``container[key]``, after those already there."""
    if lines:
        entry, slot, _blocks = _end(container, key)
        token = entry[slot]
        if token is None:
            entry[slot] = CommentToken("\n" + lines, CommentMark(0))
        else:
            token.value = token.value + lines if token.value.endswith("\n") else f"{token.value}\n{lines}"


def _text(tokens: list | None) -> str:
    """Comment lines ruamel.yaml keeps as tokens with a column (before an entry, at the end of a block), as text."""
    return "".join(t.value if t.value.startswith("\n") else " " * t.start_mark.column + t.value for t in tokens or [])


def _tokens(text: str) -> list:
    lines = [(line.lstrip(" "), len(line) - len(line.lstrip(" "))) for line in text.splitlines(keepends=True)]
    return [CommentToken(content if content.strip() else "\n", CommentMark(column if content.strip() else 0)) for content, column in lines]


# ---------------------------------------------------------------- changing the tree


def _node(value: Any) -> Any:
    """A new value for ruamel.yaml: block collections, strings in double quotes, keys bare only when plain names."""
    if isinstance(value, dict):
        return CommentedMap((_key(k), _node(v)) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return CommentedSeq(_node(v) for v in value)
    return DoubleQuotedScalarString(value) if isinstance(value, str) else value


def _key(key: Any) -> Any:
    plain = not isinstance(key, str) or (_PLAIN_KEY.match(key) and key.lower() not in _RESERVED)
    return key if plain else DoubleQuotedScalarString(key)


def _has(container: Any, key: Any) -> bool:
    if not isinstance(container, _BLOCKS) or container.fa.flow_style():
        raise _Unsupported("not a block mapping or sequence")
    return key in container if isinstance(container, CommentedMap) else -len(container) <= key < len(container)


def _replace(container: Any, key: Any, node: Any, top: bool = False) -> None:
    """``container[key] = node``, keeping the comment at the entry's line end and the comment lines after it.

    A new key goes at the end of its block, before the comment lines that end the block (at the top level: after them).
    """
    if _has(container, key):
        rest = _take_tail(container, key)
        container[key] = node
        entry, slot = container.ca.items.get(key), 2 if isinstance(container, CommentedMap) else 0
        if entry and entry[slot] is not None:
            entry[slot] = _Edited(entry[slot].value, CommentMark(entry[slot].start_mark.column))
    else:
        last, rest = (list(container)[-1] if container else None), ""
        if last is not None and top:
            _add_tail(container, last, _text(container.ca.end))
            container.ca.end = []
        elif last is not None:
            rest = _take_tail(container, last)
        container[_key(key)] = node
    _add_tail(container, key, rest)


def _delete(container: Any, key: Any) -> str:
    """Delete ``container[key]``; the comment lines around it stay (returned when ``container`` is now empty)."""
    _has(container, key)
    keys = list(container) if isinstance(container, CommentedMap) else list(range(len(container)))
    key = key if isinstance(container, CommentedMap) else keys[key]
    position = keys.index(key)
    loose = _text((container.ca.items.get(key) or [None, None])[1]) + _take_tail(container, key)
    del container[key]
    if isinstance(container, CommentedMap):
        container.ca.items.pop(key, None)
    if loose and position < len(container):  # before the next entry
        following = _entry(container, keys[position + 1] if isinstance(container, CommentedMap) else position)
        following[1] = _tokens(loose) + (following[1] or [])
    elif loose and position:
        _add_tail(container, keys[position - 1], loose)
    else:
        return loose
    return ""


def _same(old: Any, new: Any) -> bool:
    """Whether PyYAML's reading of the file (``old``) already is ``new``, types included."""
    if type(old) is not type(new):
        return False
    if isinstance(old, dict):
        return old.keys() == new.keys() and all(_same(old[k], new[k]) for k in old)
    if isinstance(old, list):
        return len(old) == len(new) and all(map(_same, old, new))
    return old == new


def _child(data: Any, key: Any) -> Any:
    if isinstance(data, dict):
        return data.get(key, _MISSING)
    return data[key] if isinstance(data, list) and isinstance(key, int) and -len(data) <= key < len(data) else _MISSING


def _put(container: Any, key: Any, value: Any, old: Any, top: bool = False) -> None:
    """``container[key] = value`` where PyYAML read ``old`` (``_MISSING``: absent); mappings are merged key by key."""
    current = container[key] if _has(container, key) else _MISSING
    if current is not _MISSING and _same(old, value):
        return  # the file already says so: its text stays
    if value and isinstance(value, dict) and isinstance(old, dict) and current and isinstance(current, CommentedMap) and not current.fa.flow_style():
        for k, v in value.items():
            _put(current, k, v, old.get(k, _MISSING))
        for k in [k for k in current if k not in value]:
            _delete(current, k)
    else:
        _replace(container, key, _node(value), top)


def _walk(root: CommentedMap, path: tuple, old: Any = _MISSING) -> tuple[Any, Any, Any, tuple]:
    """The block holding ``path``'s last key, that key, PyYAML's old value there, and the keys below a missing block."""
    container = root
    for depth, key in enumerate(path[:-1]):
        child = container[key] if _has(container, key) else None
        if not isinstance(child, _BLOCKS):
            return container, key, _child(old, key), path[depth + 1 :]
        container, old = child, _child(old, key)
    return container, path[-1], _child(old, path[-1]), ()


def _set(doc: CommentedMap, path: tuple, value: Any, old: Any) -> None:
    container, key, old, below = _walk(doc, path, old)
    for missing in reversed(below):
        value = {missing: value}
    _put(container, key, value, old, top=container is doc)


def _append(doc: CommentedMap, path: tuple, value: Any, comment: str | None) -> None:
    container, key, _old, below = _walk(doc, path)
    if below:
        _set(doc, path, [], _MISSING)
        container, key, _old, below = _walk(doc, path)
    seq = container[key] if _has(container, key) else None
    if seq and not (isinstance(seq, CommentedSeq) and _has(seq, 0)):
        raise _Unsupported("not a block sequence")
    items, rest = (seq, _take_tail(seq, len(seq) - 1)) if seq else (CommentedSeq(), "")
    items.append(_node(value))
    if comment:
        item = items[-1]
        owner, slot = (item, next(iter(item))) if isinstance(item, CommentedMap) and item else (items, len(items) - 1)
        text = "".join(char if char.isprintable() else " " for char in comment)  # one line, nothing YAML refuses
        _entry(owner, slot)[2 if owner is item else 0] = _Edited(f"# {text}\n", CommentMark(0))
    if seq:
        _add_tail(seq, len(seq) - 1, rest)
    else:
        _replace(container, key, items, top=container is doc)


def _remove(doc: CommentedMap, path: tuple) -> None:
    container, key, _old, below = _walk(doc, path)
    if below:
        raise _Unsupported("no such block")
    loose = _delete(container, key)
    if not container and len(path) >= 2:  # an emptied block becomes an empty value (``enkater:``)
        parent, parent_key, _old, _below = _walk(doc, path[:-1])
        _replace(parent, parent_key, None)
        _add_tail(parent, parent_key, loose)


def _move(doc: CommentedMap, path: tuple, to: int) -> None:
    seq, index, _old, below = _walk(doc, path)
    if below or not isinstance(seq, CommentedSeq) or not _has(seq, index) or not 0 <= to < len(seq):
        raise _Unsupported("no such sequence item")
    rest = _take_tail(seq, len(seq) - 1)  # the comment lines after the last item stay at the end
    index = range(len(seq))[index]
    item, entry = seq[index], seq.ca.items.get(index)  # the item's comments travel with it
    del seq[index]
    seq.insert(to, item)
    if entry:
        seq.ca.items[to] = entry
    _add_tail(seq, len(seq) - 1, rest)


# ---------------------------------------------------------------- expected data


def _expected(data: Any, edit: Set | Append | Remove | Move) -> Any:
    data = copy.deepcopy(data) if data is not None else {}
    if not isinstance(data, dict):
        raise _Unsupported("top level is not a mapping")
    target = data
    for key in edit.path[:-1]:
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
        target[last] = [*(target.get(last) or []), copy.deepcopy(edit.value)]
    else:
        del target[last]
        if not target and len(edit.path) >= 2:
            parent = data
            for key in edit.path[:-2]:
                parent = parent[key]
            parent[edit.path[-2]] = None
    return data


# ---------------------------------------------------------------- the file


def _is_filler(line: str) -> bool:
    return not line.strip() or line.strip().startswith("#")


def _split_header(text: str) -> tuple[str, str]:
    """Comment lines up to a ``---`` line, kept as they are (ruamel.yaml would drop them), and the rest."""
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if _DOCUMENT_START.match(line.rstrip()):
            return "".join(lines[: i + 1]), "".join(lines[i + 1 :])
        if not (_is_filler(line) or line.startswith("%")):
            break
    return "", text


def _edited_text(text: str, edits: list, olds: list) -> str:
    header, body = _split_header(text)
    rt = _yaml(body)
    doc = rt.load(body)
    if doc is None:
        if all(_is_filler(line) for line in body.splitlines()):
            header += body  # only comments: they stay, with the new keys after them
        doc = CommentedMap()
    if not isinstance(doc, CommentedMap):
        raise _Unsupported("top level is not a mapping")
    for edit, old in zip(edits, olds, strict=True):
        path = tuple(edit.path)
        if isinstance(edit, Set):
            _set(doc, path, edit.value, old)
        elif isinstance(edit, Append):
            _append(doc, path, edit.value, edit.comment)
        elif isinstance(edit, Move):
            _move(doc, path, edit.to)
        else:
            _remove(doc, path)
    out = io.StringIO()
    rt.dump(doc, out)
    return header + out.getvalue()


def render_scalar(value: Any) -> str:
    """A scalar as YAML text: strings in double quotes, dates as ISO dates, None as empty."""
    out = io.StringIO()
    _yaml("").dump(CommentedMap(v=_node(value)), out)
    return out.getvalue()[len("v:") :].strip(" \n")


def apply_edits(text: str, edits: list[Set | Append | Remove | Move]) -> tuple[str, bool]:
    """The text with every edit applied, and whether the comments and layout were kept.

    Raises ``yaml.YAMLError`` when ``text`` itself is not valid YAML.
    """
    newline = "\r\n" if "\r\n" in text else "\n"
    text = text.replace("\r\n", "\n")
    data = yaml.safe_load(text)
    olds = []  # PyYAML's reading of the file before each edit
    for edit in edits:
        olds.append(data)
        data = _expected(data, edit)
    if not edits:
        return (text if text.endswith("\n") else text + "\n").replace("\n", newline), True
    try:
        new_text = _edited_text(text, edits, olds)
        if yaml.safe_load(new_text) != data:
            raise _Unsupported("the edited text does not read back as expected")
    except (_Unsupported, RuamelError, yaml.YAMLError, AssertionError, AttributeError, KeyError, IndexError, TypeError, ValueError):
        dumped = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False)
        return (REWRITTEN_NOTE + dumped).replace("\n", newline), False
    return new_text.replace("\n", newline), True
