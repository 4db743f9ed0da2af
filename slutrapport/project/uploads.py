"""Uploaded files in a project folder: stored under made-up names, and the data sources' files.

Uploaded files are stored under names this module makes up (``enkater/enkat-
20250321-1a2b3c.csv``); the name the file had on the user's computer is only
written as a comment in ``projekt.yaml`` (``# uppladdad som: …``) and never
used as a path. A file's type is judged from its content by the survey
readers, not from its name. The survey exports and instruments are stored by
:mod:`.survey`; the other data sources' files (self-evaluation forms, the
participant register, the economy …) by :func:`store_source_file` and
:func:`store_source_files`.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from slutrapport.core.errors import InputFileError, InstrumentError, ProjectError
from slutrapport.core.inputs import read_text_limited
from slutrapport.core.outputs import write_bytes_atomic
from slutrapport.core.yamledit import Set
from slutrapport.project.edit import edit_project, project_version, read_project_data
from slutrapport.project.folder import PROJECT_FILE
from slutrapport.project.uploaded import move_to_trash, record_uploads
from slutrapport.sources.readers.detect import CSV, SPSS, XLSX, container

__all__ = [
    "UPLOAD_COMMENT",
    "YAML",
    "display_name",
    "upload_names",
    "store_source_file",
    "store_source_files",
    "remove_source_file",
]

UPLOAD_COMMENT = "uppladdad som: "
YAML = "yaml"
_EXTENSIONS = {CSV: ".csv", XLSX: ".xlsx", SPSS: ".sav", YAML: ".yaml"}
_UPLOAD_LINE = re.compile(r"""fil:\s*(?P<path>"(?:[^"\\]|\\.)*"|'[^']*'|[^#]+?)\s+#\s*""" + UPLOAD_COMMENT + r"(?P<name>.*)$")


def display_name(name: str | None) -> str:
    """An uploaded file's own name, for showing only: no folders, no control characters, at most 80 characters."""
    base = re.split(r"[\\/]", str(name or ""))[-1]
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C")
    base = " ".join(base.split())[:80]
    return base or "fil"


def _store(folder: Path, stem: str, data: bytes, shown: str, check) -> Path:
    """Write ``data`` under a made-up name in ``folder`` and check it; delete it again if the check fails."""
    folder.mkdir(parents=True, exist_ok=True)
    token = f"{date.today():%Y%m%d}-{secrets.token_hex(3)}"
    temporary = folder / f".uppladdning-{token}.tmp"
    write_bytes_atomic(temporary, data, inside=folder)
    try:
        suffix = check(temporary)
        final = folder / f"{stem}-{token}{suffix}"
        temporary.replace(final)
        return final
    except (InputFileError, InstrumentError) as exc:
        raise type(exc)(str(exc).replace(str(temporary), shown).replace(temporary.name, shown)) from exc
    finally:
        temporary.unlink(missing_ok=True)


def upload_names(root: Path) -> dict[str, str]:
    """Stored path → the name the file had when it was uploaded (from the ``# uppladdad som:`` comments)."""
    try:
        text = read_text_limited(Path(root) / PROJECT_FILE, "Projektfilen", error=ProjectError)
    except (ProjectError, UnicodeDecodeError):
        return {}  # load_project says what is wrong with the file
    names = {}
    for line in text.splitlines():
        match = _UPLOAD_LINE.search(line)
        if match:
            raw = match.group("path").strip()
            try:
                path = yaml.safe_load(raw) if raw[0] in "\"'" else raw
            except yaml.YAMLError:
                continue
            names[str(path)] = match.group("name").strip()
    return names


# ---------------------------------------------------------------- other data sources


def _inside(root: Path, relative: str) -> Path:
    candidate = Path(relative)
    target = (Path(root) / candidate).resolve()
    if candidate.is_absolute() or ".." in candidate.parts or not target.is_relative_to(Path(root).resolve()):
        raise ProjectError(f"Sökvägen '{relative}' i {PROJECT_FILE} ska ligga i projektmappen.")
    return target


def _content_kind(root: Path, data: bytes, kinds: tuple[str, ...]) -> str:
    """csv, xlsx or sav from the content (never the name); text that is a YAML mapping is yaml when allowed."""
    with_content = root / f".uppladdning-{secrets.token_hex(4)}.tmp"
    write_bytes_atomic(with_content, data, inside=root)
    try:
        kind = container(with_content, data[:4096])
    except InputFileError as exc:
        raise InputFileError(str(exc).replace(with_content.name, "Den uppladdade filen")) from exc
    finally:
        with_content.unlink(missing_ok=True)
    if kind == CSV and YAML in kinds:
        try:
            parsed = yaml.safe_load(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, yaml.YAMLError):
            parsed = None
        if isinstance(parsed, dict):
            return YAML
    return kind


def store_source_files(
    root: Path,
    version: str,
    key: tuple[str, ...],
    default: str,
    files: list[bytes],
    kinds: tuple[str, ...] = (XLSX,),
    names: list[str] | None = None,
) -> str:
    """Store uploaded files in the folder ``projekt.yaml`` names under ``key`` (e.g. filled self-evaluation forms).

    Each file gets a new generated name in the folder (the uploaded names are
    never used as paths, but kept as ``names`` in the index of uploads,
    :mod:`.uploaded`); the key is added with ``default`` when absent.
    Every file is type-checked before any is written. Returns the folder.
    """
    root = Path(root)
    data_dict: Any = read_project_data(root)
    for part in key:
        data_dict = data_dict.get(part) if isinstance(data_dict, dict) else None
    named = isinstance(data_dict, str) and data_dict.strip()
    relative = str(data_dict).strip() if named else default
    folder = _inside(root, relative)
    checked = []
    for number, data in enumerate(files, start=1):
        kind = _content_kind(root, data, kinds)
        if kind not in kinds:
            allowed = ", ".join(_EXTENSIONS[k].lstrip(".") for k in kinds)
            raise InputFileError(f"Fil nr {number} är av typen {_EXTENSIONS[kind].lstrip('.')}, men här går bara {allowed} att ladda upp.")
        checked.append((kind, data))
    if project_version(root) != version:
        edit_project(root, version, [])
    stamp = date.today().strftime("%Y%m%d")
    shown = {}
    for number, (kind, data) in enumerate(checked):
        path = folder / f"formular-{stamp}-{secrets.token_hex(3)}{_EXTENSIONS[kind]}"
        write_bytes_atomic(path, data, inside=folder)
        shown[path.relative_to(root.resolve()).as_posix()] = display_name(names[number] if names and number < len(names) else path.name)
    if not named:
        edit_project(root, version, [Set(key, relative)])
    record_uploads(root, shown)
    return relative


def store_source_file(
    root: Path,
    version: str,
    key: tuple[str, ...],
    default: str,
    data: bytes,
    kinds: tuple[str, ...] = (CSV, XLSX),
    replace: bool = False,
    name: str | None = None,
) -> str:
    """Store a data source's uploaded file at the path ``projekt.yaml`` names under ``key``.

    When the key is absent the file goes to ``default`` (its extension set from
    the content) and the key is added. The type is checked from the content
    (``kinds``: csv, xlsx, sav). An existing file is only replaced with
    ``replace``, and then moved to ``papperskorg/`` first (never overwritten).
    ``name`` (the file's name on the user's computer) is kept in the index of
    uploads (:mod:`.uploaded`). Returns the relative path written.
    """
    root = Path(root)
    data_dict: Any = read_project_data(root)
    for part in key:
        data_dict = data_dict.get(part) if isinstance(data_dict, dict) else None
    named = isinstance(data_dict, str) and data_dict.strip()
    kind = _content_kind(root, data, kinds)
    if kind not in kinds:
        allowed = ", ".join(_EXTENSIONS[k].lstrip(".") for k in kinds)
        raise InputFileError(f"Filen är av typen {_EXTENSIONS[kind].lstrip('.')}, men här går bara {allowed} att ladda upp.")
    relative = str(data_dict).strip() if named else str(Path(default).with_suffix(_EXTENSIONS[kind]).as_posix())
    target = _inside(root, relative)
    if named and target.suffix.lower() != _EXTENSIONS[kind] and not (kind == CSV and target.suffix.lower() in (".txt", ".tsv")):
        raise InputFileError(
            f"{PROJECT_FILE} anger filen {relative}, men den uppladdade filen är av typen {_EXTENSIONS[kind].lstrip('.')}."
        )
    if project_version(root) != version:
        edit_project(root, version, [])
    if target.exists() and not replace:
        raise ProjectError(f"Filen {relative} finns redan. Kryssa i att den ska ersättas och ladda upp igen.")
    if target.exists():
        move_to_trash(root, relative)
    write_bytes_atomic(target, data, inside=root)
    if not named:
        edit_project(root, version, [Set(key, relative)])
    record_uploads(root, {relative: display_name(name or target.name)})
    return relative


def remove_source_file(root: Path, version: str, key: tuple[str, ...], relative: str, folder: bool = False) -> str | None:
    """Take a data source's file out of the project: it moves to ``papperskorg/`` (never deleted).

    For a single file (``folder`` False) ``relative`` must be the path named
    under ``key``, and the key is removed from ``projekt.yaml`` (comments kept);
    for a folder of files ``relative`` must lie in the folder named under
    ``key``. Returns where the file went (None when it was already gone).
    """
    from slutrapport.core.yamledit import Remove

    root = Path(root)
    data: Any = read_project_data(root)
    for part in key:
        data = data.get(part) if isinstance(data, dict) else None
    named = str(data).strip() if isinstance(data, str) else ""
    wanted = Path(relative).as_posix()
    if folder:
        base = _inside(root, named) if named else None
        if base is None or not _inside(root, wanted).is_relative_to(base) or _inside(root, wanted) == base:
            raise ProjectError("Filen finns inte längre i projektet; ladda om sidan.")
        if project_version(root) != version:
            edit_project(root, version, [])
        moved = move_to_trash(root, wanted)
        _forget_empty_folder(root, key, base)
        return moved
    if not named or Path(named).as_posix() != wanted:
        raise ProjectError("Filen finns inte längre i projektet; ladda om sidan.")
    _inside(root, wanted)
    edit_project(root, version, [Remove(key)])
    return move_to_trash(root, wanted)


def _forget_empty_folder(root: Path, key: tuple[str, ...], base: Path) -> None:
    """After the last file of a source's folder went to ``papperskorg/``: the source is taken out of ``projekt.yaml``
    when it names nothing but the folder, so the project has no such input (and no error for an empty folder)."""
    from slutrapport.core.yamledit import Remove

    if any(path.is_file() for path in base.rglob("*")):
        return
    entry = read_project_data(root).get(key[0])
    if isinstance(entry, str) or (isinstance(entry, dict) and set(map(str, entry)) <= {key[-1]}):
        edit_project(root, project_version(root), [Remove(key[:1])])
