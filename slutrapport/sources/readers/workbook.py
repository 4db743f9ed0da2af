"""Load a workbook with python-calamine: .xlsx/.xlsm, .xls (BIFF), .ods and .xlsb.

Every worksheet that holds anything becomes a :class:`~.sheet.Sheet`, in
workbook order (chart and macro sheets are skipped; hidden sheets are not);
with ``sheet`` (``--blad``) only that one is read. Cells become the text a
user would type (:func:`~.sheet.cell_text`): ``5.0`` → ``"5"``, dates ISO,
booleans ``Sant``/``Falskt``; a merged area's value is in its top-left cell
only. Before anything is parsed the file's size is checked against the
:class:`~.options.Limits` (:mod:`.limits`), and each sheet's size again once
it is loaded, before its cells are turned into Python objects.

.xlsx and .ods are read in this process; the binary .xls and .xlsb in a
child process (:mod:`.sandbox`), because calamine can crash on damaged ones.
Damaged files, password-protected (encrypted) files and a Rust panic inside
calamine all end in a Swedish :class:`InputFileError` naming the file.
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum

from slutrapport.core.errors import InputFileError
from slutrapport.core.inputs import damage_reason
from slutrapport.sources.readers.limits import cell_budget, check_file_size, check_row_count, check_sheet_size, check_zip
from slutrapport.sources.readers.options import DEFAULT_LIMITS, Limits
from slutrapport.sources.readers.sandbox import SandboxError, read_isolated
from slutrapport.sources.readers.sheet import ODS, XLS, XLSB, XLSX, Sheet, cell_text, frame_of, trimmed

__all__ = ["load_workbook", "WHAT"]

#: What each workbook kind is called in a message.
WHAT = {
    XLSX: "Excel-arbetsbok (.xlsx)",
    XLS: "Excel-arbetsbok i det gamla formatet .xls",
    ODS: "OpenDocument-kalkylblad (.ods)",
    XLSB: "binär Excel-arbetsbok (.xlsb)",
}
_SAVE_AGAIN = "Öppna den i Excel och spara som .xlsx eller CSV."
#: Stream names of an encrypted Office Open XML file (an OLE container), as UTF-16LE.
_ENCRYPTED = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))

#: Kinds read in a child process (:mod:`.sandbox`), and the child's memory limit (plus 8 × the file size).
_ISOLATED = (XLS, XLSB)
_CHILD_MEMORY = 2 * 1024**3

T = TypeVar("T")


def load_workbook(
    path: Path, data: bytes, kind: str, *, sheet: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> list[Sheet]:
    """The non-empty worksheets of the workbook in ``data`` (only ``sheet`` if given)."""
    errors: dict[str, dict[tuple[int, int], str]] = {}  # error cells per sheet, from the .xlsx scan
    if kind == XLS:
        if any(marker in data for marker in _ENCRYPTED) or _biff_encrypted(data):
            raise _locked(path)
        check_file_size(path, len(data), limits)
    else:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                errors = check_zip(path, archive, limits, scan=kind == XLSX)
        except InputFileError:
            raise
        except Exception as exc:  # noqa: BLE001 - zipfile raises many kinds of errors on damaged archives
            raise _damaged(path, kind, exc) from exc
    if kind in _ISOLATED:
        names, found = _read_isolated(path, kind, sheet, limits)
    else:
        names, found = _read_here(path, data, kind, sheet, limits, errors)
    if sheet is not None:
        if not found:
            listed = ", ".join(f"'{n}'" for n in names) or "(inga)"
            raise InputFileError(
                f"Bladet '{sheet.strip()}' finns inte i filen {path.name}. Arbetsbokens blad: {listed}."
            )
        ((name, loaded),) = found.items()
        if loaded is None:
            raise InputFileError(f"Bladet '{name}' i filen {path.name} är tomt (det innehåller inga ifyllda rader).")
        return [loaded]
    sheets = [s for s in found.values() if s is not None]
    if not sheets:
        raise InputFileError(f"Filen {path.name} är tom (den innehåller inga ifyllda rader).")
    return sheets


def _read_here(
    path: Path, data: bytes, kind: str, wanted: str | None, limits: Limits, errors: dict[str, dict[tuple[int, int], str]]
) -> tuple[list[str], dict[str, Sheet | None]]:
    """Worksheet names and the sheets read in this process (.xlsx and .ods, checked by :mod:`.limits`);
    ``errors`` are the error cells per sheet, which calamine gives as blanks."""
    workbook = _guarded(lambda: CalamineWorkbook.from_filelike(io.BytesIO(data)), lambda exc: _damaged(path, kind, exc))
    try:
        names = _guarded(
            lambda: [m.name for m in workbook.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet],
            lambda exc: _damaged(path, kind, exc),
        )
        found = {name: _read_sheet(path, workbook, name, kind, limits, errors.get(name, {})) for name in _wanted(names, wanted)}
    finally:
        workbook.close()
    return names, found


def _read_sheet(
    path: Path, workbook: CalamineWorkbook, name: str, kind: str, limits: Limits, errors: dict[tuple[int, int], str]
) -> Sheet | None:
    """One worksheet read in this process; its size is checked before its cells become Python objects.
    ``errors`` (``#N/A`` … by 0-based row and column) fill the blanks calamine leaves for error cells."""

    def damaged(exc: BaseException) -> InputFileError:
        return _damaged_sheet(path, name, exc)

    found = _guarded(lambda: workbook.get_sheet_by_name(name), damaged)
    end = _guarded(lambda: found.end, damaged)
    if end is None:
        return None
    check_sheet_size(path, name, end[0] + 1, end[1] + 1, limits)
    rows = _guarded(lambda: found.to_python(skip_empty_area=False, nrows=limits.max_rows + 1), damaged)
    for (row, column), text in errors.items():
        if row < len(rows) and column < len(rows[row]) and rows[row][column] == "":
            rows[row][column] = text
    return _to_sheet(path, name, rows, kind, limits)


def _read_isolated(path: Path, kind: str, wanted: str | None, limits: Limits) -> tuple[list[str], dict[str, Sheet | None]]:
    """Worksheet names and the sheets read in a child process (.xls and .xlsb, see :mod:`.sandbox`)."""
    try:
        names, raw = read_isolated(
            path,
            wanted=None if wanted is None else wanted.strip().casefold(),
            max_rows=limits.max_rows,
            max_columns=limits.max_columns,
            budget=cell_budget(limits),
            memory=_CHILD_MEMORY + 8 * path.stat().st_size,
        )
    except SandboxError as exc:
        raise (_locked(path) if exc.password else _damaged(path, kind, exc)) from exc
    found: dict[str, Sheet | None] = {}
    for name, (end, rows) in raw.items():
        if end is not None:
            check_sheet_size(path, name, end[0] + 1, end[1] + 1, limits)
        found[name] = _to_sheet(path, name, rows or [], kind, limits)
    return names, found


def _wanted(names: list[str], wanted: str | None) -> list[str]:
    """Every name, or the first that matches ``wanted`` ignoring case and surrounding spaces."""
    if wanted is None:
        return names
    key = wanted.strip().casefold()
    return [n for n in names if n.strip().casefold() == key][:1]


def _to_sheet(path: Path, name: str, rows: list[list[object]], kind: str, limits: Limits) -> Sheet | None:
    """Cell values as a :class:`Sheet` of text, or ``None`` when the sheet holds nothing but blanks."""
    check_row_count(path, len(rows), limits, sheet=name)
    text = [[v if type(v) is str else cell_text(v) for v in row] for row in rows]
    if not any(any(cell.strip() for cell in row) for row in text):
        return None
    return trimmed(path, frame_of(text), kind, sheet=name)


def _damaged_sheet(path: Path, name: str, exc: BaseException) -> InputFileError:
    return InputFileError(
        f"Kalkylbladet '{name}' i {path.name} kunde inte läsas: {_reason(exc)}. Öppna filen i Excel och spara den igen."
    )


def _biff_encrypted(data: bytes) -> bool:
    """Whether the Workbook stream of an OLE file starts with BOF and then FILEPASS, as Excel writes
    an .xls with a password to open. Only the first directory sector is looked at; ``False`` if unsure."""
    try:
        size = 1 << struct.unpack_from("<H", data, 30)[0]
        if size not in (512, 4096):
            return False
        directory_start = (struct.unpack_from("<I", data, 48)[0] + 1) * size
        directory = data[directory_start : directory_start + size]
        for offset in range(0, len(directory) - 127, 128):
            entry = directory[offset : offset + 128]
            length = min(struct.unpack_from("<H", entry, 64)[0], 64)
            name = entry[: max(length - 2, 0)].decode("utf-16-le", errors="replace")
            if name in ("Workbook", "Book") and entry[66] == 2:
                start, stream_size = struct.unpack_from("<II", entry, 116)
                if stream_size < 4096:  # in the mini stream, which is not looked into
                    return False
                head = data[(start + 1) * size : (start + 1) * size + 64]
                record, record_length = struct.unpack_from("<HH", head, 0)
                return record == 0x0809 and struct.unpack_from("<H", head, 4 + record_length)[0] == 0x002F
    except struct.error:
        return False
    return False


def _guarded(call: Callable[[], T], error: Callable[[BaseException], InputFileError]) -> T:
    """``call()``, with whatever calamine raises turned into ``error(exc)``."""
    try:
        return call()
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # noqa: BLE001 - CalamineError, XmlError … and a Rust panic (a BaseException)
        raise error(exc) from exc


def _locked(path: Path) -> InputFileError:
    return InputFileError(
        f"Filen {path.name} är lösenordsskyddad (krypterad) och kan inte läsas. "
        f"Ta bort lösenordet och spara om filen: {_SAVE_AGAIN}"
    )


def _damaged(path: Path, kind: str, exc: BaseException) -> InputFileError:
    if isinstance(exc, PasswordError):
        return _locked(path)
    name, suffix = path.name, path.suffix.lower()
    if kind == XLS:
        if suffix in (".xlsx", ".xlsm"):
            return InputFileError(
                f"Filen {name} är antingen lösenordsskyddad (krypterad) eller skadad, och kan inte läsas. "
                f"Ta bort lösenordet eller spara om filen: {_SAVE_AGAIN}"
            )
        return InputFileError(
            f"Filen {name} är i det gamla Excel-formatet .xls men kunde inte läsas: {_reason(exc)}. {_SAVE_AGAIN}"
        )
    return InputFileError(f"Filen {name} kunde inte läsas som {WHAT.get(kind, kind)}: {_reason(exc)}. {_SAVE_AGAIN}")


def _reason(exc: BaseException) -> str:
    """Why the workbook could not be read, in Swedish (the reading library's English text is left out)."""
    if isinstance(exc, SandboxError):  # its reason is ours, in Swedish
        return str(exc)
    return damage_reason(exc)
