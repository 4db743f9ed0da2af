"""Read one ``rapport.json`` for the portfolio, strictly: a file that is not exactly a bundle is refused.

A bundle comes from another project, perhaps by e-mail or a shared folder, so
nothing in it is trusted. :func:`read_bundle_file` refuses, with a Swedish
message naming the file and, where it applies, the JSON path of the value
(``$.tabeller.jamforelse.rader[3][6]``):

- a path that is not a regular file (a folder, a named pipe, a device) -- found
  with ``os.stat`` before the file is opened, so reading never blocks;
- a file larger than :data:`MAX_BUNDLE_BYTES` (50 MB; a bundle is usually well
  under 1 MB), or one that is not UTF-8 text, is empty or is not valid JSON
  (malformed or truncated);
- JSON nested deeper than :data:`MAX_DEPTH` levels (checked by a scan before
  parsing; a bundle has at most 5);
- an object with the same key twice, ``NaN``, ``Infinity``, a number too
  large to be a finite float (``1e400``), or a text with an unpaired surrogate
  escape (``\\ud800``, which cannot be written out again);
- a schema version other than those the schema lists (1.0 to 1.4);
- anything else the JSON Schema of the bundle
  (:func:`~slutrapport.render.bundle.schema`) does not allow: a wrong type, a
  count that is negative or not whole, an impossible date (``skapad`` =
  2025-02-30), an unknown key or table, columns that are not the contract's,
  a hidden cell with numbers, a text longer than its bound.

The schema is checked with :func:`~.schemacheck.compile_check` and, only for a
bundle that fails it, with ``jsonschema`` for the messages. At most
:data:`LISTED` problems are listed per file.
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from jsonschema import Draft202012Validator

from slutrapport import __version__
from slutrapport.core.errors import InputFileError
from slutrapport.core.oserrors import os_reason
from slutrapport.portfolio.bundleerrors import BundleProblem, NotFinite, Twice, marked_problems, schema_problems
from slutrapport.portfolio.schemacheck import UnsupportedSchema, compile_check
from slutrapport.render.bundle import schema

__all__ = ["MAX_BUNDLE_BYTES", "MAX_DEPTH", "LISTED", "BundleProblem", "BundleFileError", "known_versions", "read_bundle_file"]

#: Largest bundle file read, in bytes (50 MB).
MAX_BUNDLE_BYTES = 50 * 1024 * 1024
#: Deepest nesting of arrays and objects read (a bundle has 5 levels).
MAX_DEPTH = 20
#: Most problems listed for one file (the rest are counted).
LISTED = 5
_MAX_DIGITS = 400  # an integer literal longer than this is out of any bound the schema sets

_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")
_OPEN = np.zeros(256, dtype=np.int32)
_OPEN[list(b"[{")] = 1
_OPEN[list(b"]}")] = -1
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_KINDS = [
    (stat.S_ISDIR, "en mapp"),
    (stat.S_ISFIFO, "en namngiven pipe (FIFO)"),
    (stat.S_ISCHR, "en enhetsfil"),
    (stat.S_ISBLK, "en enhetsfil"),
    (stat.S_ISSOCK, "en socket"),
]


class BundleFileError(InputFileError):
    """A bundle that cannot be used; ``problems`` lists why (at most :data:`LISTED` and a count of the rest)."""

    def __init__(self, problems: list[BundleProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(p.message for p in problems))


@cache
def _checks() -> tuple[Any, Draft202012Validator]:
    spec = schema()
    validator = Draft202012Validator(spec, format_checker=Draft202012Validator.FORMAT_CHECKER)
    try:
        fast = compile_check(spec)
    except UnsupportedSchema:  # pragma: no cover - the shipped schema is supported (tested)
        fast = validator.is_valid
    return fast, validator


@cache
def known_versions() -> tuple[str, ...]:
    """The schema versions the portfolio reads, oldest first (the schema's list)."""
    return tuple(schema()["properties"]["schema_version"]["enum"])


# -- the file ------------------------------------------------------------------


def _refuse(shown: str, text: str, **where: Any) -> BundleFileError:
    return BundleFileError([BundleProblem(f"Rapportfilen {shown} {text}", **where)])


def _size(size: int) -> str:
    """``50 MB``, ``1,5 MB``, ``12 kB``, ``800 byte``."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f}".replace(".", ",").removesuffix(",0") + " MB"
    return f"{size // 1024} kB" if size >= 1024 else f"{size} byte"


def _check_kind(mode: int, size: int, shown: str, limit: int) -> None:
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _KINDS if test(mode)), "inte en vanlig fil")
        raise _refuse(shown, f"är {kind}, inte en vanlig fil; den läses inte.")
    if size > limit:
        raise _refuse(shown, f"är {_size(size)}, större än gränsen {_size(limit)} för en rapportfil; den läses inte.")


def _read_bytes(path: Path, shown: str, limit: int) -> tuple[bytes, float]:
    try:
        info = os.stat(path)
    except FileNotFoundError as exc:
        raise _refuse(shown, "finns inte.") from exc
    except OSError as exc:
        raise _refuse(shown, f"kunde inte läsas: {os_reason(exc, reading=True)}.") from exc
    _check_kind(info.st_mode, info.st_size, shown, limit)
    try:  # non-blocking: if the path was swapped for a pipe since os.stat, opening it does not hang
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise _refuse(shown, f"kunde inte läsas: {os_reason(exc, reading=True)}.") from exc
    with os.fdopen(handle, "rb") as file:
        opened = os.fstat(file.fileno())
        _check_kind(opened.st_mode, opened.st_size, shown, limit)
        raw = file.read(limit + 1)
    if len(raw) > limit:
        raise _refuse(shown, f"är större än gränsen {_size(limit)} för en rapportfil; den läses inte.")
    return raw, opened.st_mtime


def _depth(raw: bytes) -> int:
    """The deepest nesting of ``[`` and ``{`` outside strings (a cheap scan, no parsing)."""
    brackets = _STRING.sub(b"", raw).translate(None, _NOT_BRACKET)
    deepest, level = 0, 0
    step = 1 << 20
    for start in range(0, len(brackets), step):
        running = np.cumsum(_OPEN[np.frombuffer(brackets[start : start + step], dtype=np.uint8)], dtype=np.int64) + level
        deepest, level = max(deepest, int(running.max())), int(running[-1])
    return deepest


def _decode(raw: bytes, shown: str) -> str:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _refuse(shown, f"är inte en rapport.json: filen är inte UTF-8-kodad text (ogiltig byte vid position {exc.start + 1}).") from exc
    if not text.strip():
        raise _refuse(shown, "är tom.")
    depth = _depth(raw)
    if depth > MAX_DEPTH:
        raise _refuse(shown, f"är nästlad i {depth} nivåer, fler än de {MAX_DEPTH} som tillåts; den läses inte.")
    return text


def _parse(text: str, shown: str) -> tuple[Any, bool]:
    """The JSON value and whether it holds a marked value (:class:`NotFinite`, :class:`Twice`) to look for."""
    marked = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        value = dict(items)
        if len(value) == len(items):
            return value
        twice = Twice(value)
        keys = [key for key, _ in items]
        twice.keys_twice = list(dict.fromkeys(key for key in keys if keys.count(key) > 1))
        marked.append(True)
        return twice

    def number(literal: str) -> float | NotFinite:
        value = float(literal)
        if math.isfinite(value):
            return value
        marked.append(True)
        return NotFinite(literal)

    def integer(literal: str) -> int | NotFinite:
        if len(literal) <= _MAX_DIGITS:
            return int(literal)
        marked.append(True)
        return NotFinite(literal[:20] + "…", too_long=True)

    def constant(name: str) -> NotFinite:
        marked.append(True)
        return NotFinite(name)

    try:
        data = json.loads(text, object_pairs_hook=pairs, parse_float=number, parse_int=integer, parse_constant=constant)
    except json.JSONDecodeError as exc:
        end = text.rstrip()
        if exc.pos >= len(end) or not end.endswith("}"):
            raise _refuse(shown, f"tar slut mitt i innehållet (rad {exc.lineno}): filen är avkortad, troligen ofullständigt "
                          "sparad eller kopierad. Skapa den på nytt med slutrapport.") from exc  # fmt: skip
        raise _refuse(shown, f"är inte giltig JSON (rad {exc.lineno}, kolumn {exc.colno}): filen är skadad. "
                      "Skapa den på nytt med slutrapport.") from exc  # fmt: skip
    except (RecursionError, MemoryError) as exc:  # the depth scan stops these first; kept as a guard
        raise _refuse(shown, "är för djupt nästlad eller för stor för att läsas.") from exc
    return data, bool(marked) or _SURROGATE_ESCAPE.search(text) is not None




# -- the bundle ----------------------------------------------------------------


def _check_version(data: Any, shown: str) -> None:
    if not isinstance(data, dict) or "schema_version" not in data:
        raise _refuse(shown, "är inte en rapport.json från slutrapport: schemaversion (schema_version) saknas.")
    version, known = data["schema_version"], known_versions()
    if version in known:
        return
    readable = ", ".join(known[:-1]) + " och " + known[-1]
    match = re.fullmatch(r"(\d+)\.(\d+)", version) if isinstance(version, str) else None
    if match is None:
        raise _refuse(shown, f"har en ogiltig schemaversion ({version!r}); den ska vara en av {readable}.", kontroll="schemaversion",
                      varde=str(version)[:40])  # fmt: skip
    newest = tuple(map(int, known[-1].split(".")))
    if (int(match[1]), int(match[2])) > newest:
        raise _refuse(shown, f"har schemaversion {version}, som skapats med en nyare version av slutrapport. Den här "
                      f"versionen ({__version__}) läser schemaversion {readable}. Uppdatera slutrapport.",
                      kontroll="schemaversion", varde=version)  # fmt: skip
    raise _refuse(shown, f"har schemaversion {version}, som den här versionen av slutrapport ({__version__}) inte kan läsa "
                  f"(den läser {readable}). Skapa filen på nytt med slutrapport.", kontroll="schemaversion", varde=version)  # fmt: skip


def read_bundle_file(path: str | Path, shown: str | None = None, *, max_bytes: int | None = None) -> tuple[dict[str, Any], float]:
    """The bundle at ``path`` and the file's modification time, after every check in the module docstring.

    ``shown`` is how the file is named in messages (default: the path);
    ``max_bytes`` defaults to :data:`MAX_BUNDLE_BYTES` at the time of the call.

    Raises
    ------
    BundleFileError
        With every reason (at most :data:`LISTED`, then a count) when the file is not a usable bundle.
    """
    path = Path(path)
    shown = str(path) if shown is None else shown
    raw, mtime = _read_bytes(path, shown, MAX_BUNDLE_BYTES if max_bytes is None else max_bytes)
    data, marked = _parse(_decode(raw, shown), shown)
    if marked:
        problems = marked_problems(data, shown)
        if problems:
            more = len(problems) - LISTED
            tail = [BundleProblem(f"Rapportfilen {shown} har {more} sådana fel till.", "json")] if more > 0 else []
            raise BundleFileError(problems[:LISTED] + tail)
    _check_version(data, shown)
    fast, validator = _checks()
    if not fast(data):
        problems = schema_problems(validator, fast, data, shown, LISTED)
        if problems:  # jsonschema has the last word
            raise BundleFileError(problems)
    return data, mtime
