"""Workbooks written by hand for the reader tests: .ods (zip + content.xml) and .xls (BIFF8 in an OLE file).

No library writes these formats here, so the tests build the smallest files
python-calamine (and Excel or LibreOffice) accept:

- :func:`write_ods`: a zip with ``mimetype`` and ``content.xml``; each sheet a
  ``table:table`` of rows of string, float, date and boolean cells;
- :func:`write_xls`: a compound (OLE) file with one ``Workbook`` stream of
  BIFF8 records: BOF, BOUNDSHEET per sheet and EOF, then per sheet BOF, LABEL
  (text) / NUMBER / BOOLERR cells and EOF. ``encrypted=True`` adds a FILEPASS
  record, as Excel writes for a password-protected .xls;
- :func:`write_ole`: any OLE file with the given streams (an encrypted .xlsx is
  one with ``EncryptionInfo`` and ``EncryptedPackage``).
"""

from __future__ import annotations

import struct
import zipfile
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

__all__ = ["write_ods", "write_xls", "write_ole"]

Cell = str | float | int | bool | date | None

_ODS_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
    "<office:body><office:spreadsheet>"
)
_ODS_TAIL = "</office:spreadsheet></office:body></office:document-content>"
_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)


def _ods_cell(value: Cell) -> str:
    if value is None or value == "":
        return "<table:table-cell/>"
    if isinstance(value, bool):
        flag = "true" if value else "false"
        return f'<table:table-cell office:value-type="boolean" office:boolean-value="{flag}"><text:p>{flag}</text:p></table:table-cell>'
    if isinstance(value, (int, float)):
        return f'<table:table-cell office:value-type="float" office:value="{value!r}"><text:p>{value}</text:p></table:table-cell>'
    if isinstance(value, date):
        return f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}"><text:p>{value}</text:p></table:table-cell>'
    return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'


def write_ods(path: Path, sheets: dict[str, list[list[Cell]]], *, repeated_rows: int = 0) -> Path:
    """An OpenDocument spreadsheet; ``repeated_rows`` blank rows (one repeated row element) end each sheet,
    as LibreOffice writes them."""
    parts = [_ODS_HEAD]
    for name, rows in sheets.items():
        parts.append(f"<table:table table:name={quoteattr(name)}>")
        for row in rows:
            parts.append("<table:table-row>" + "".join(_ods_cell(v) for v in row) + "</table:table-row>")
        if repeated_rows:
            parts.append(f'<table:table-row table:number-rows-repeated="{repeated_rows}"><table:table-cell/></table:table-row>')
        parts.append("</table:table>")
    parts.append(_ODS_TAIL)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", _MANIFEST)
        archive.writestr("content.xml", "".join(parts), compress_type=zipfile.ZIP_DEFLATED)
    return path


# --------------------------------------------------------------------------- .xls (BIFF8)


def _record(kind: int, data: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def _bof(sheet: bool) -> bytes:
    return _record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010 if sheet else 0x0005, 0x0DBB, 0x07CC, 0, 6))


def _unicode(text: str, length_bytes: int) -> bytes:
    """An XLUnicodeString (2-byte length) or ShortXLUnicodeString (1-byte length), stored as UTF-16."""
    encoded = text.encode("utf-16-le")
    return struct.pack("<H" if length_bytes == 2 else "<B", len(text)) + b"\x01" + encoded


def _xls_cell(row: int, col: int, value: Cell) -> bytes:
    if value is None or value == "":
        return b""
    if isinstance(value, bool):
        return _record(0x0205, struct.pack("<HHHBB", row, col, 0, int(value), 0))
    if isinstance(value, (int, float)):
        return _record(0x0203, struct.pack("<HHHd", row, col, 0, float(value)))
    return _record(0x0204, struct.pack("<HHH", row, col, 0) + _unicode(str(value), 2))


def write_xls(path: Path, sheets: dict[str, list[list[Cell]]], *, encrypted: bool = False) -> Path:
    """A BIFF8 workbook (text, numbers and booleans; no dates, which need number formats)."""
    substreams = []
    for rows in sheets.values():
        cells = b"".join(_xls_cell(r, c, v) for r, row in enumerate(rows) for c, v in enumerate(row))
        substreams.append(_bof(sheet=True) + cells + _record(0x000A))
    filepass = _record(0x002F, struct.pack("<H", 1) + b"\x00" * 52) if encrypted else b""
    codepage = _record(0x0042, struct.pack("<H", 1200))
    bound_size = [len(_record(0x0085, b"\x00" * 6 + _unicode(name, 1))) for name in sheets]
    offset = len(_bof(sheet=False)) + len(filepass) + len(codepage) + sum(bound_size) + len(_record(0x000A))
    globals_ = _bof(sheet=False) + filepass + codepage
    for name, substream in zip(sheets, substreams, strict=True):
        globals_ += _record(0x0085, struct.pack("<IBB", offset, 0, 0) + _unicode(name, 1))
        offset += len(substream)
    stream = globals_ + _record(0x000A) + b"".join(substreams)
    return write_ole(path, {"Workbook": stream})


# --------------------------------------------------------------------------- OLE (compound file)

_SECTOR = 512
_FREE, _END, _FAT, _NONE = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def _entry(name: str, kind: int, start: int, size: int, child: int = _NONE, right: int = _NONE) -> bytes:
    encoded = (name + "\x00").encode("utf-16-le") if name else b""
    return (
        encoded.ljust(64, b"\x00")
        + struct.pack("<HBB", len(encoded), kind, 1)
        + struct.pack("<III", _NONE, right, child)
        + b"\x00" * 16
        + struct.pack("<I", 0)
        + b"\x00" * 16
        + struct.pack("<IQ", start, size)
    )


def write_ole(path: Path, streams: dict[str, bytes]) -> Path:
    """A version-3 compound file holding ``streams``, each padded with zeros to at least 4096 bytes
    (so none lives in the mini stream, which this writer does not make)."""
    padded = [data.ljust(max(4096, -(-len(data) // _SECTOR) * _SECTOR), b"\x00") for data in streams.values()]
    directory_sectors = -(-(len(streams) + 1) // 4)
    fat = [_FAT] + [_END if i == directory_sectors - 1 else 2 + i for i in range(directory_sectors)]
    starts = []
    for data in padded:
        first, count = len(fat), len(data) // _SECTOR
        starts.append(first)
        fat += [first + i + 1 for i in range(count - 1)] + [_END]
    assert len(fat) <= _SECTOR // 4, "one FAT sector is enough for these test files"
    fat += [_FREE] * (_SECTOR // 4 - len(fat))
    names = list(streams)
    entries = _entry("Root Entry", 5, _END, 0, child=1)
    for i, (name, data) in enumerate(zip(names, padded, strict=True)):
        right = i + 2 if i + 1 < len(names) else _NONE  # a chain of right siblings (names need not be sorted here)
        entries += _entry(name, 2, starts[i], len(data), right=right)
    entries += _entry("", 0, 0, 0) * (directory_sectors * 4 - len(names) - 1)
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 16
        + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6)
        + b"\x00" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, _END, 0, _END, 0)
        + struct.pack("<I", 0)
        + struct.pack("<I", _FREE) * 108
    )
    assert len(header) == _SECTOR
    path.write_bytes(header + struct.pack(f"<{_SECTOR // 4}I", *fat) + entries + b"".join(padded))
    return path
