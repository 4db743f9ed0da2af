"""The input files as the page lists them: the user's own name, date, size and status, never the stored name.

The status of a file comes from the validation report of its source (the
problems whose file is this file): ``fel`` when it has errors, ``varningar``
when it only has warnings, ``ok`` otherwise, and ``saknas`` when projekt.yaml
names a file that is not in the folder.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from slutrapport.core.problems import ValidationReport
from slutrapport.core.swedish import count_noun
from slutrapport.project.uploaded import UploadedFile, uploaded_file

__all__ = ["FileRow", "file_rows", "file_key", "STATUS_TEXT"]

#: The status of a file as the page's badge says it, and the badge's class.
STATUS_TEXT = {"ok": ("inga problem", "ifylld"), "varningar": ("varningar", "frivillig"), "fel": ("fel", "saknas"), "saknas": ("filen saknas", "saknas")}


@dataclass(frozen=True)
class FileRow:
    """One file with its status: ``ok``, ``varningar``, ``fel`` or ``saknas``, and the status in words."""

    file: UploadedFile
    status: str
    text: str
    badge: str

    @property
    def key(self) -> str:
        """The file's name in a form (the page never shows or sends the stored path): a digest of the path."""
        return file_key(self.file.path)


def file_key(relative: str) -> str:
    """A short digest of a path in the project, that a form sends instead of the path."""
    return hashlib.sha256(relative.encode("utf-8")).hexdigest()[:16]


def _matches(problem_file: str, relative: str) -> bool:
    name = Path(relative).name
    return problem_file in (relative, name) or problem_file.endswith("/" + name)


def file_rows(root: Path, relatives: list[str], report: ValidationReport | None = None, names: dict[str, str] | None = None) -> list[FileRow]:
    """The page's rows for ``relatives`` (paths in the project), their status from ``report`` (stored names)."""
    rows = []
    report = report or ValidationReport()
    for relative in relatives:
        file = uploaded_file(root, relative, names)
        errors = sum(_matches(p.fil, relative) for p in report.errors())
        warnings = sum(_matches(p.fil, relative) for p in report.warnings())
        if not file.exists:
            status, text = "saknas", "filen saknas"
        elif errors:
            status, text = "fel", count_noun(errors, "fel", "fel")
        elif warnings:
            status, text = "varningar", count_noun(warnings, "varning", "varningar")
        else:
            status, text = "ok", "inga problem"
        rows.append(FileRow(file, status, text, STATUS_TEXT[status][1]))
    return rows
