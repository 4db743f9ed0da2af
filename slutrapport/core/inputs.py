"""Opening an input file safely: only regular files, and never more bytes than a limit.

A path the user gives can name something that is not a file: a directory, a
named pipe (reading it waits for a writer forever), a device such as
``/dev/zero`` (endless) or ``/dev/tty``, or a socket. :func:`check_input_file`
refuses all of these *before* anything opens the path, with a Swedish message
naming the path and what it is. :func:`read_bytes_limited` does that check,
opens the file without blocking, checks the opened file again (the path may
have changed in between) and reads at most ``limit`` bytes, refusing a larger
file with a Swedish message instead of filling the memory.
:func:`open_input_file` gives the checked, opened file to a reader that
streams (a zip archive, a hash), and :func:`read_text_limited` the text of a
YAML or Markdown file the user writes by hand, at most :data:`TEXT_LIMIT`.

Both raise :class:`~slutrapport.core.errors.InputFileError` by default; a
caller passes ``error=`` to raise its own kind (e.g. ``ProjectError``).
"""

from __future__ import annotations

import csv
import os
import stat
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO
from xml.etree.ElementTree import ParseError
from xml.parsers.expat import ExpatError

from slutrapport.core.errors import InputFileError, SlutrapportError
from slutrapport.core.oserrors import os_reason

__all__ = [
    "check_input_file",
    "open_input_file",
    "read_bytes_limited",
    "read_text_limited",
    "file_kind",
    "damage_reason",
    "MEGABYTE",
    "TEXT_LIMIT",
]

MEGABYTE = 1024 * 1024
#: Largest YAML or text file read (projekt.yaml, an instrument, a template, a parameter file, a
#: column map, a narrative text): 5 MB, a hundred times the largest such file a project has.
#: Fixed, not configurable: a larger one is not a file someone wrote by hand.
TEXT_LIMIT = 5 * MEGABYTE
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # opening a pipe that appeared since the check must not wait
_BINARY = getattr(os, "O_BINARY", 0)
_KINDS = (
    (stat.S_ISDIR, "en mapp"),
    (stat.S_ISFIFO, "en namngiven pipe"),
    (stat.S_ISCHR, "en teckenenhet (t.ex. /dev/zero eller en terminal)"),
    (stat.S_ISBLK, "en blockenhet (en disk)"),
    (stat.S_ISSOCK, "en socket"),
)


def file_kind(mode: int) -> str | None:
    """What a ``st_mode`` that is not a regular file is, in Swedish ("en namngiven pipe"); None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    for test, name in _KINDS:
        if test(mode):
            return name
    return "ingen känd filtyp"


def _describe(what: str, path: Path) -> str:
    return f"{what} {path}".strip() if what else str(path)


def check_input_file(path: str | Path, what: str = "Filen", *, error: type[SlutrapportError] = InputFileError) -> os.stat_result:
    """Refuse ``path`` unless it is an existing regular file (a symbolic link to one is fine).

    ``what`` starts the message ("Enkätfilen", "Budgetfilen"). Returns the file's ``os.stat``.
    """
    path = Path(path)
    name = _describe(what, path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise error(f"{name} finns inte.") from None
    except NotADirectoryError:
        raise error(f"{name} finns inte (en del av sökvägen är ingen mapp).") from None
    except PermissionError:
        raise error(f"{name} kunde inte läsas: behörighet saknas.") from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL character in the path
        raise error(f"{name} kunde inte läsas: {os_reason(exc, reading=True)}") from None
    kind = file_kind(info.st_mode)
    if kind is not None:
        hint = "ange en fil i mappen" if kind == "en mapp" else "ange en vanlig fil"
        raise error(f"{name} är ingen vanlig fil ({kind}); {hint}.")
    return info


def _size_text(size: int) -> str:
    if size >= MEGABYTE:
        return f"{size / MEGABYTE:.0f} MB".replace(".", ",")
    return f"{max(size // 1024, 1)} kB"


def open_input_file(path: str | Path, what: str = "Filen", *, error: type[SlutrapportError] = InputFileError) -> BinaryIO:
    """The regular file ``path`` opened for binary reading, without blocking; refused (``error``, Swedish
    message naming the path) when it is not a regular file (:func:`check_input_file`), also when it
    was replaced by one between the check and the opening. The caller closes it (``with``)."""
    path = Path(path)
    name = _describe(what, path)
    check_input_file(path, what, error=error)
    try:
        fd = os.open(path, os.O_RDONLY | _NONBLOCK | _BINARY)
    except OSError as exc:
        raise error(f"{name} kunde inte läsas: {os_reason(exc, reading=True)}") from None
    handle = os.fdopen(fd, "rb")
    kind = file_kind(os.fstat(handle.fileno()).st_mode)
    if kind is not None:  # replaced by something else since the check
        handle.close()
        raise error(f"{name} är ingen vanlig fil ({kind}); ange en vanlig fil.")
    return handle


def read_bytes_limited(path: str | Path, limit: int, what: str = "Filen", *, error: type[SlutrapportError] = InputFileError) -> bytes:
    """The bytes of the regular file ``path``, refusing it (``error``, Swedish message naming the
    path) when it is not a regular file (:func:`check_input_file`) or larger than ``limit`` bytes."""
    path = Path(path)
    name = _describe(what, path)
    too_large = f"{name} är för stor ({{size}}); största tillåtna storlek är {_size_text(limit)}."
    with open_input_file(path, what, error=error) as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > limit:
            raise error(too_large.format(size=_size_text(size)))
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise error(f"{name} kunde inte läsas: {os_reason(exc, reading=True)}") from None
    if len(data) > limit:  # grew since the check
        raise error(too_large.format(size=f"mer än {_size_text(limit)}"))
    return data


def read_text_limited(
    path: str | Path,
    what: str = "Filen",
    *,
    error: type[SlutrapportError] = InputFileError,
    limit: int = TEXT_LIMIT,
    encoding: str = "utf-8-sig",
) -> str:
    """The text of the regular file ``path`` (a YAML or Markdown file), read as :func:`read_bytes_limited`
    with at most ``limit`` bytes (:data:`TEXT_LIMIT`); a text that is not ``encoding`` raises
    :class:`UnicodeDecodeError`, for the caller to word."""
    return read_bytes_limited(path, limit, what, error=error).decode(encoding)


#: The English text of :class:`csv.Error` (its start) → the Swedish reason.
_CSV_REASONS = {
    "field larger than field limit": "ett fält är längre än det största tillåtna",
    "line contains nul": "en rad innehåller ett NUL-tecken (byte 0), som inte hör hemma i en textfil",
    "new-line character seen in unquoted field": "en radbrytning står mitt i ett fält utan citattecken",
    "unexpected end of data": "filen tar slut inuti ett fält",
}
_XML = "filens XML-innehåll är skadat"
#: The kind of exception a reading library raises on a damaged file → the Swedish reason.
_DAMAGE = (
    ((zipfile.BadZipFile, zipfile.LargeZipFile), "filen är inget giltigt zip-arkiv (den är skadad, ofullständig eller en annan sorts fil)"),
    (EOFError, "filen tar slut för tidigt (den är ofullständig)"),
    (zlib.error, "de packade delarna av filen är skadade"),
    ((ParseError, ExpatError, SyntaxError), _XML),  # lxml's errors are SyntaxErrors too
    (KeyError, "en del som filen ska innehålla saknas"),
    (UnicodeError, "filen innehåller tecken som inte kan avkodas"),
    (MemoryError, "filen är för stor för att läsas"),
    (RecursionError, "filen är för djupt nästlad för att läsas"),
)


def damage_reason(exc: BaseException) -> str:
    """Why a reading library could not read a damaged file, in Swedish, from the kind of ``exc``
    (to follow "kunde inte läsas: ", no ending full stop). The library's own English text is
    left out of the message; ``--debug`` shows it in the traceback."""
    if isinstance(exc, csv.Error):
        text = str(exc).strip().lower()
        return next((swedish for start, swedish in _CSV_REASONS.items() if text.startswith(start)), "raderna har ett format som inte kan tolkas")
    if isinstance(exc, SlutrapportError):
        return str(exc).rstrip(".")
    for kinds, reason in _DAMAGE:
        if isinstance(exc, kinds):
            return reason
    if "xml" in type(exc).__name__.lower():  # python_calamine.XmlError
        return _XML
    if isinstance(exc, OSError):
        from slutrapport.core.outputs import os_reason

        return os_reason(exc)
    return "filen är skadad eller har ett format som inte kan läsas"
