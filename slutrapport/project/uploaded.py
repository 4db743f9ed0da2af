"""The files uploaded into a project as the user knows them: their own names, the date, the size, and the waste bin.

An uploaded file is stored under a name the program makes up
(``enkater/enkat-20261205-76b6d5.csv``, :mod:`.uploads`), but the user only
ever sees the name the file had on their computer. That name is kept in the
project's index of uploads, ``uppladdningar.json`` in the project folder (a
file the program writes and the user never needs to edit)::

    {"enkater/enkat-20261205-76b6d5.csv": {"namn": "Personalenkät hösten.csv", "uppladdad": "2026-12-05T10:14:03"}}

Older projects have the name only as a ``# uppladdad som: …`` comment in
``projekt.yaml``; :func:`original_names` reads both. The report, the page and
the validation report show :func:`original_names`; :func:`rename_text` puts the
user's names in place of the made-up ones in any message.

A file taken out of the project is never deleted: :func:`move_to_trash`
moves it into ``papperskorg/`` in the project folder (it is no input there),
keeping its entry in the index so its own name stays known.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from slutrapport.core.errors import ProjectError
from slutrapport.core.inputs import read_text_limited
from slutrapport.core.outputs import write_bytes_atomic
from slutrapport.core.problems import Problem, ValidationReport

__all__ = [
    "INDEX_FILE",
    "TRASH",
    "INTERNAL_NAME",
    "UploadedFile",
    "record_uploads",
    "original_names",
    "names_by_file",
    "rename_text",
    "rename_report",
    "uploaded_file",
    "move_to_trash",
]

INDEX_FILE = "uppladdningar.json"
TRASH = "papperskorg"
#: A name the program made up for an upload (``enkat-20261205-76b6d5.csv``).
INTERNAL_NAME = re.compile(r"\b(?:enkat|formular|etiketter|instrument|register|budget)-\d{8}-[0-9a-f]{6}\.[A-Za-z]{2,5}\b")


@dataclass(frozen=True)
class UploadedFile:
    """One input file as the page lists it: the path in the project, the user's name, when, how big, whether it is there."""

    path: str
    name: str
    uploaded: str  # ÅÅÅÅ-MM-DD HH:MM, "" when unknown
    size: int | None
    exists: bool


def _read_index(root: Path) -> dict[str, dict]:
    path = Path(root) / INDEX_FILE
    if not path.is_file():
        return {}
    try:
        data = json.loads(read_text_limited(path, "Filförteckningen", error=ProjectError))
    except (ProjectError, UnicodeDecodeError, ValueError):
        return {}  # a damaged index only loses the shown names; the files are named in projekt.yaml
    return {str(k): v for k, v in data.items() if isinstance(v, dict)} if isinstance(data, dict) else {}


def _write_index(root: Path, index: dict[str, dict]) -> None:
    text = json.dumps(dict(sorted(index.items())), ensure_ascii=False, indent=2) + "\n"
    write_bytes_atomic(Path(root) / INDEX_FILE, text.encode("utf-8"), inside=Path(root))


def record_uploads(root: Path, names: dict[str, str]) -> None:
    """Remember the user's name of each uploaded file (``relative path → name``), with the time of the upload."""
    if not names:
        return
    index = _read_index(root)
    now = datetime.now().replace(microsecond=0).isoformat()
    for relative, name in names.items():
        index[Path(relative).as_posix()] = {"namn": str(name), "uppladdad": now}
    _write_index(root, index)


def original_names(root: Path) -> dict[str, str]:
    """Relative path → the name the file had when it was uploaded (index first, then ``# uppladdad som:`` comments)."""
    from slutrapport.project.uploads import upload_names

    names = dict(upload_names(root))
    names.update({path: str(entry.get("namn")) for path, entry in _read_index(root).items() if entry.get("namn")})
    return names


def names_by_file(root: Path) -> dict[str, str]:
    """The names of :func:`original_names` keyed both by relative path and by the bare file name (how messages name files)."""
    names = original_names(root)
    return {**{Path(path).name: name for path, name in names.items()}, **names}


def rename_text(text: str, names: dict[str, str]) -> str:
    """``text`` with every made-up upload name (with or without its folder) replaced by the user's name for it."""
    if not text or not names:
        return text

    def shown(match: re.Match) -> str:
        found = match.group(0)
        return names.get(found) or names.get(found.rsplit("/", 1)[-1]) or found

    return re.sub(r"(?:[\w.-]+/)*" + INTERNAL_NAME.pattern, shown, text)


def rename_report(report: ValidationReport, names: dict[str, str]) -> ValidationReport:
    """A copy of ``report`` whose file names and messages use the user's names (:func:`names_by_file`)."""
    if not names:
        return report
    return ValidationReport([rename_problem(p, names) for p in report.problems])


def rename_problem(problem: Problem, names: dict[str, str]) -> Problem:
    return Problem(
        rename_text(problem.fil, names),
        problem.rad,
        problem.kolumn,
        problem.kontroll,
        problem.varde,
        rename_text(problem.meddelande, names),
        problem.allvar,
    )


def uploaded_file(root: Path, relative: str, names: dict[str, str] | None = None) -> UploadedFile:
    """The file at ``relative`` in the project as the page lists it."""
    root = Path(root)
    relative = Path(relative).as_posix()
    entry = _read_index(root).get(relative, {})
    names = original_names(root) if names is None else names
    path = root / relative
    try:
        stat = path.stat() if path.is_file() else None
    except OSError:
        stat = None
    when = str(entry.get("uppladdad") or "")
    if not when and stat is not None:
        when = datetime.fromtimestamp(stat.st_mtime).replace(microsecond=0).isoformat()
    return UploadedFile(relative, names.get(relative) or Path(relative).name, when.replace("T", " ")[:16], stat.st_size if stat else None, stat is not None)


def move_to_trash(root: Path, relative: str) -> str | None:
    """Move a project file into ``papperskorg/`` (never deleting it); returns its new relative path (None: no such file).

    A file outside the project folder is left where it is (None).
    """
    root = Path(root).resolve()
    source = (root / relative).resolve()
    if not source.is_relative_to(root) or not source.is_file() or source.is_relative_to(root / TRASH):
        return None
    trash = root / TRASH
    trash.mkdir(exist_ok=True)
    target = trash / source.name
    number = 2
    while target.exists():
        target = trash / f"{source.stem}-{number}{source.suffix}"
        number += 1
    source.replace(target)
    moved = target.relative_to(root).as_posix()
    index = _read_index(root)
    old = source.relative_to(root).as_posix()
    if old in index:
        index[moved] = {**index.pop(old), "borttagen": datetime.now().replace(microsecond=0).isoformat()}
        _write_index(root, index)
    return moved
