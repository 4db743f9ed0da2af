"""Read a binary workbook (.xls, .xlsb) with python-calamine in a child process.

calamine's readers of the binary formats trust the file's own offsets and
sizes: a damaged .xls made it panic (an exception after a Rust message on
standard error) or try to allocate 170 GB and abort the whole process. The
binary formats cannot be checked cheaply beforehand as .xlsx can
(:mod:`.limits`), and they are rare, so they are read in a child process with
a memory limit (where the platform has one); a crash there becomes a Swedish
error here and its messages never reach the user. The child returns each
worksheet's last cell and, when the sheet is within the limits, its raw cell
values; the parent turns them into text.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

__all__ = ["SandboxError", "read_isolated"]

_WORKER = r"""
import pickle, sys
MARK = "@@slutrapport@@"
path, out, wanted, max_rows, max_columns, budget, memory = sys.argv[1:8]
max_rows, max_columns, budget, memory = int(max_rows), int(max_columns), int(budget), int(memory)
try:
    import resource
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
except Exception:
    pass
try:
    from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum
    with open(path, "rb") as handle:
        workbook = CalamineWorkbook.from_filelike(handle)
    names = [m.name for m in workbook.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
    sheets = {}
    for name in names:
        if wanted and name.strip().casefold() != wanted:
            continue
        sheet = workbook.get_sheet_by_name(name)
        end, rows = sheet.end, None
        if end is not None and end[0] < max_rows and end[1] < max_columns and (end[0] + 1) * (end[1] + 1) <= budget:
            rows = sheet.to_python(skip_empty_area=False, nrows=max_rows + 1)
        sheets[name] = (end, rows)
        if wanted:
            break
except BaseException as exc:
    kind = "password" if type(exc).__name__ == "PasswordError" else "error"
    sys.stderr.write(f"\n{MARK}{kind}:{str(exc) or type(exc).__name__}")
    sys.exit(3)
with open(out, "wb") as handle:
    pickle.dump((names, sheets), handle, protocol=pickle.HIGHEST_PROTOCOL)
"""


_MARK = "@@slutrapport@@"  # the same in _WORKER: what follows is the child's own error


class SandboxError(Exception):
    """The child could not read the workbook: ``reason`` in Swedish; ``password`` tells whether calamine
    asked for one, ``detail`` is the reading library's own (English) text, for ``--debug``."""

    def __init__(self, reason: str, password: bool = False, detail: str = "") -> None:
        super().__init__(reason)
        self.password = password
        self.detail = detail

    def __repr__(self) -> str:
        return f"SandboxError({self.args[0]!r}, password={self.password}, detail={self.detail!r})"


def read_isolated(
    path: Path, *, wanted: str | None, max_rows: int, max_columns: int, budget: int, memory: int
) -> tuple[list[str], dict[str, tuple[tuple[int, int] | None, list[list[object]] | None]]]:
    """The worksheet names and, per sheet read (only the one whose casefolded, stripped name is
    ``wanted`` if given), its last cell and its rows (``None`` over the limits).
    Raises :class:`SandboxError` if the child fails or crashes."""
    with tempfile.TemporaryDirectory(prefix="slutrapport-workbook-") as folder:
        result = Path(folder) / "workbook.pickle"
        command = [sys.executable, "-c", _WORKER, str(path), str(result), wanted or "", str(max_rows), str(max_columns), str(budget), str(memory)]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=600)
        except subprocess.TimeoutExpired as exc:
            raise SandboxError("läsningen tog för lång tid") from exc
        if done.returncode != 0 or not result.is_file():
            _, marked, message = done.stderr.rpartition(_MARK)
            if done.returncode == 3 and marked:
                kind, _, reason = message.partition(":")
                raise SandboxError("filen är skadad eller har ett format som inte kan läsas", password=kind == "password", detail=reason.strip())
            raise SandboxError("filen är skadad")
        with result.open("rb") as handle:
            return pickle.load(handle)  # written just now by our own child process
