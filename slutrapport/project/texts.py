"""The narrative texts of a project folder (``texter/<rubrik>.md``) as the web page's editor reads and saves them.

A text file may start with a help comment (``<!-- … -->``) that the editor
does not show and that saving keeps. Saving is refused with
:class:`~.edit.EditConflict` when the file changed on disk since the editor
read it (its version is the SHA-256 of its bytes, as for ``projekt.yaml``).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from slutrapport.core.errors import ProjectError
from slutrapport.core.inputs import TEXT_LIMIT, read_bytes_limited, read_text_limited
from slutrapport.core.outputs import unreadable, write_text_atomic
from slutrapport.project.edit import _LOCK, EditConflict, file_version

__all__ = ["EditableText", "read_text", "save_text"]

_COMMENT_HEAD = re.compile(r"^\s*<!--.*?-->[ \t]*\n?", re.DOTALL)


@dataclass(frozen=True)
class EditableText:
    """A heading's text as the editor shows it (without the file's leading help comment) and the file's version."""

    text: str
    version: str


def _text_path(root: Path, heading_id: str) -> Path:
    folder = (Path(root) / "texter").resolve()
    path = (folder / f"{heading_id}.md").resolve()
    if path.parent != folder:
        raise ProjectError(f"Rubriken '{heading_id}' kan inte ha en textfil.")
    return path


def _split_head(raw: str) -> tuple[str, str]:
    match = _COMMENT_HEAD.match(raw)
    if not match:
        return "", raw
    return match.group(0), raw[match.end() :]


def read_text(root: Path, heading_id: str) -> EditableText:
    """The text of ``texter/<heading_id>.md`` for the editor."""
    path = _text_path(root, heading_id)
    if not path.exists():
        return EditableText("", "")
    raw = read_bytes_limited(path, TEXT_LIMIT, "Textfilen", error=ProjectError)  # never a pipe or a device
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ProjectError(f"Textfilen {path} kunde inte läsas: {unreadable(exc)}.") from exc
    return EditableText(_split_head(text.replace("\r\n", "\n"))[1].strip("\n"), hashlib.sha256(raw).hexdigest())


def save_text(root: Path, heading_id: str, text: str, version: str) -> str:
    """Save the editor's text (keeping the file's leading help comment); returns the new version.

    Raises :class:`EditConflict` carrying the text on disk when the file changed since ``version``.
    """
    path = _text_path(root, heading_id)
    body = str(text).replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    with _LOCK:
        current = file_version(path)
        if current != version:
            on_disk = read_text(root, heading_id)
            raise EditConflict(
                f"Texten har ändrats på disken sedan du öppnade den ({path.name}). Ingenting sparades: "
                "jämför versionerna nedan och spara igen.",
                on_disk.text,
                on_disk.version,
            )
        head = ""
        if path.exists():
            head = _split_head(read_text_limited(path, "Textfilen", error=ProjectError).replace("\r\n", "\n"))[0].rstrip("\n")
        new = "\n\n".join(part for part in (head, body) if part) + "\n"
        write_text_atomic(path, new, inside=path.parent)
        return file_version(path)
