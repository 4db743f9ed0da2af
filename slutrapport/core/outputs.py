"""Writing outputs safely: atomically, only inside the output folder, and never over a file the user has edited.

Every output folder gets a small manifest, ``.slutrapport-manifest.json``,
with the SHA-256 of each file this program wrote there. A file is only
replaced when it is absent or still exactly what we wrote last time; a file
the user has changed (or one we never wrote) is left alone unless ``force``.

Every path a writer creates lies inside the folder it was given:
:func:`safe_path` refuses a name that is absolute, has a ``..`` part, or
leads out of the folder through a symbolic link, and a target that is an
existing directory (or a pipe, a device) where a file is to be written. The
refusals are :class:`~slutrapport.core.errors.OutputError` with a Swedish
message naming the path.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
from pathlib import Path, PurePosixPath, PureWindowsPath

from slutrapport.core.errors import OutputError, SlutrapportError
from slutrapport.core.inputs import MEGABYTE, file_kind, read_bytes_limited
from slutrapport.core.oserrors import os_reason
from slutrapport.core.safetext import encode_utf8

__all__ = ["write_bytes_atomic", "write_text_atomic", "safe_path", "OutputFolder", "MANIFEST", "os_reason", "unreadable"]

MANIFEST = ".slutrapport-manifest.json"
_MANIFEST_LIMIT = 16 * MEGABYTE
def unreadable(exc: OSError | UnicodeDecodeError | ValueError) -> str:
    """Why a user's text file could not be read, in Swedish, to follow "kunde inte läsas: " (no ending full stop)."""
    if isinstance(exc, UnicodeDecodeError):
        return f"den är inte sparad som UTF-8 (byte {exc.start + 1} är inte UTF-8); spara den som UTF-8"
    return os_reason(exc)


def safe_path(root: str | Path, name: str | Path) -> Path:
    """``root / name``, refused (:class:`OutputError`) unless it stays inside ``root``.

    ``name`` is relative (sub-folders allowed: ``"figurer/a.png"``): an absolute
    name, a ``..`` part or a symbolic link on the way that leads out of
    ``root`` is refused, and so is a target that exists and is not a regular
    file (a directory, a pipe, a device).
    """
    root = Path(root)
    text = str(name)
    parts = PurePosixPath(text.replace("\\", "/")).parts
    if not text.strip() or text.startswith(("/", "\\")) or PureWindowsPath(text).anchor or Path(text).is_absolute():
        raise OutputError(f"Utdatafilen '{text}' ska ha ett namn inuti mappen {root}, inte en hel sökväg.")
    if ".." in parts or not parts or parts == (".",):
        raise OutputError(f"Utdatafilen '{text}' pekar ut ur mappen {root} (namnet innehåller '..'); filen skrivs inte.")
    target = root / text
    try:
        base = root.resolve()
        inside = target.resolve()
    except ValueError as exc:
        raise OutputError(f"Utdatafilen '{text}' kan inte skrivas: {os_reason(exc)}.") from exc
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symbolic link loop (Python < 3.13)
        raise OutputError(f"Utdatafilen {target} kan inte skrivas: sökvägen går inte att följa (en symbolisk länk i en slinga?).") from exc
    if inside != base and not inside.is_relative_to(base):
        raise OutputError(
            f"Utdatafilen {target} hamnar utanför mappen {root} (genom en symbolisk länk till {inside}); filen skrivs inte."
        )
    _refuse_non_file(target)
    return target


def _refuse_non_file(path: Path) -> None:
    """An existing ``path`` that is not a regular file cannot be replaced by one."""
    try:
        mode = os.lstat(path).st_mode
    except (OSError, ValueError):
        return
    if stat.S_ISLNK(mode):
        try:
            mode = os.stat(path).st_mode
        except OSError:
            return  # a dangling link is replaced by the file
    if stat.S_ISDIR(mode):
        raise OutputError(
            f"{path} är en mapp, men här ska en fil skrivas. Ange ett filnamn (eller en annan mapp med --out), "
            "eller flytta mappen."
        )
    kind = file_kind(mode)
    if kind is not None:
        raise OutputError(f"{path} finns redan och är ingen vanlig fil ({kind}); den skrivs inte över. Välj ett annat namn.")


def write_bytes_atomic(path: Path, data: bytes, *, inside: Path | None = None) -> Path:
    """Write to a temporary file beside ``path`` and rename it into place; returns the path.

    With ``inside``, ``path`` (relative to ``inside``, or absolute) must lie in
    that folder (:func:`safe_path`). A ``path`` that is an existing directory is
    refused with a Swedish message either way.
    """
    path = Path(path)
    if inside is not None:
        inside = Path(inside)
        relative = path
        if path.is_absolute():  # given as the folder plus a name, the folder written as given or resolved
            for base in (inside, inside.absolute(), inside.resolve()):
                if path.is_relative_to(base):
                    relative = path.relative_to(base)
                    break
        path = safe_path(inside, relative)
    else:
        _refuse_non_file(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            os.chmod(tmp, 0o666 & ~_umask())
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except (OSError, ValueError) as exc:
        raise OutputError(f"Kunde inte skriva {path}: {os_reason(exc)}.") from exc
    return path


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_text_atomic(path: Path, text: str, *, inside: Path | None = None) -> Path:
    """:func:`write_bytes_atomic` of ``text`` as UTF-8 (a lone surrogate becomes U+FFFD)."""
    return write_bytes_atomic(path, encode_utf8(text), inside=inside)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_digest(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError as exc:
        raise OutputError(f"{path} finns redan men kunde inte läsas för att se om den har ändrats: {os_reason(exc)}.") from exc


class OutputFolder:
    """An output folder that refuses to overwrite files the user has changed.

    Call :meth:`check` with every file name before writing any, so that a
    refusal leaves the folder untouched; then :meth:`write` each file. Names
    are relative to the folder; one that would lead out of it is refused
    (:func:`safe_path`).
    """

    def __init__(self, root: Path, force: bool = False) -> None:
        self.root = Path(root)
        self.force = force
        try:  # a manifest that is missing, no regular file, too large or not JSON is no manifest
            known = json.loads(read_bytes_limited(self.root / MANIFEST, _MANIFEST_LIMIT))
        except (SlutrapportError, ValueError):
            known = {}
        self._known: dict[str, str] = known if isinstance(known, dict) else {}

    def check(self, names: list[str]) -> None:
        if self.root.exists() and not self.root.is_dir():
            raise OutputError(f"{self.root} finns redan och är inte en mapp.")
        paths = {name: safe_path(self.root, name) for name in names}
        if self.force:
            return
        changed = []
        for name, path in paths.items():
            if path.exists() and self._known.get(name) != _file_digest(path):
                changed.append(name)
        if changed:
            raise OutputError(
                f"{', '.join(changed)} i {self.root} har ändrats efter att programmet skrev "
                f"{'den' if len(changed) == 1 else 'dem'} (eller skapades av någon annan) och skrivs inte över. "
                "Flytta eller byt namn på filen, välj en annan mapp med --out, eller lägg till --force för att skriva över."
            )

    def write(self, name: str, data: bytes) -> Path:
        path = write_bytes_atomic(safe_path(self.root, name), data)
        self._known[name] = _digest(data)
        write_text_atomic(self.root / MANIFEST, json.dumps(self._known, indent=2, sort_keys=True))
        return path
