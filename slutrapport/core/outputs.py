"""Writing outputs safely: atomically, and never over a file the user has edited.

Every output folder gets a small manifest, ``.slutrapport-manifest.json``,
with the SHA-256 of each file this program wrote there. A file is only
replaced when it is absent or still exactly what we wrote last time; a file
the user has changed (or one we never wrote) is left alone unless ``force``.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from slutrapport.core.errors import OutputError

__all__ = ["write_bytes_atomic", "write_text_atomic", "OutputFolder", "MANIFEST"]

MANIFEST = ".slutrapport-manifest.json"


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path`` and rename it into place."""
    path = Path(path)
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
    except OSError as exc:
        raise OutputError(f"Kunde inte skriva {path}: {exc.strerror or exc}") from exc


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_text_atomic(path: Path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class OutputFolder:
    """An output folder that refuses to overwrite files the user has changed.

    Call :meth:`check` with every file name before writing any, so that a
    refusal leaves the folder untouched; then :meth:`write` each file.
    """

    def __init__(self, root: Path, force: bool = False) -> None:
        self.root = Path(root)
        self.force = force
        manifest = self.root / MANIFEST
        try:
            self._known: dict[str, str] = json.loads(manifest.read_text(encoding="utf-8"))
            if not isinstance(self._known, dict):
                self._known = {}
        except (OSError, ValueError):
            self._known = {}

    def check(self, names: list[str]) -> None:
        if self.root.exists() and not self.root.is_dir():
            raise OutputError(f"{self.root} finns redan och är inte en mapp.")
        if self.force:
            return
        changed = []
        for name in names:
            path = self.root / name
            if path.exists() and self._known.get(name) != _digest(path.read_bytes()):
                changed.append(name)
        if changed:
            raise OutputError(
                f"{', '.join(changed)} i {self.root} har ändrats efter att programmet skrev "
                f"{'den' if len(changed) == 1 else 'dem'} (eller skapades av någon annan) och skrivs inte över. "
                "Flytta eller byt namn på filen, välj en annan mapp med --out, eller lägg till --force för att skriva över."
            )

    def write(self, name: str, data: bytes) -> Path:
        path = self.root / name
        write_bytes_atomic(path, data)
        self._known[name] = _digest(data)
        write_text_atomic(self.root / MANIFEST, json.dumps(self._known, indent=2, sort_keys=True))
        return path
