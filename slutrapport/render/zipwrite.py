"""Writing an Office file's zip: fixed timestamps, and a large part compressed on several cores at once.

A data sheet of a large comparison is some 50 MB of XML; deflating it takes
longer than writing it. The part is cut into pieces of :data:`PIECE` bytes,
each deflated apart by a thread (zlib lets go of the interpreter while it
works) and ended with a sync flush, so the pieces joined are one deflate
stream (as ``pigz`` does): the output does not depend on the number of
threads or their timing, so equal parts still give equal bytes. The zip itself
is the plain format every Office program reads: a local header with the sizes
before each part, the central directory, no data descriptors, every entry
dated 1980-01-01 00:00, as Office writes them. A file beyond the plain format's
4 GB is written by :mod:`zipfile` (ZIP64).
"""

from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

__all__ = ["PIECE", "zip_bytes"]

PIECE = 4 << 20  # bytes deflated apart: about a thousandth larger output than one stream
_LIMIT = 0xFFFFFFFF  # sizes and offsets of the plain zip format
_DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01
_VERSION = 20  # 2.0: deflate


def _deflate(data: bytes, level: int, last: bool) -> bytes:
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)  # raw deflate, as a zip holds it
    return compressor.compress(data) + compressor.flush(zlib.Z_FINISH if last else zlib.Z_SYNC_FLUSH)


def _crc(chunks: Sequence[bytes]) -> int:
    value = 0
    for chunk in chunks:
        value = zlib.crc32(chunk, value)
    return value


def _compressed(pool: ThreadPoolExecutor, chunks: Sequence[bytes], level: int):
    """The futures of a part's deflated pieces and of its CRC (the part is ``chunks`` joined)."""
    views = [memoryview(chunk)[start : start + PIECE] for chunk in chunks for start in range(0, len(chunk), PIECE)] or [memoryview(b"")]
    pieces = [pool.submit(_deflate, view, level, number == len(views) - 1) for number, view in enumerate(views)]
    return pieces, pool.submit(_crc, chunks)


def zip_bytes(parts: Sequence[tuple[str, bytes | Sequence[bytes], int]]) -> bytes:
    """A zip of ``parts`` (name, bytes or a sequence of bytes to join, zlib level), in that order, deflated,
    with fixed timestamps."""
    chunked = [(name, [data] if isinstance(data, bytes) else list(data), level) for name, data, level in parts]
    if sum(len(chunk) for _, chunks, _ in chunked for chunk in chunks) >= _LIMIT // 2 or len(chunked) >= 0xFFFF:  # (deflate may grow a part)
        return _zipfile_bytes([(name, b"".join(chunks), level) for name, chunks, level in chunked])
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        futures = [_compressed(pool, chunks, level) for _, chunks, level in chunked]
        out = io.BytesIO()
        central = []
        for (name, chunks, _), (pieces, crc) in zip(chunked, futures, strict=True):
            raw = name.encode("utf-8")
            flags = 0 if name.isascii() else 0x800  # bit 11: the name is UTF-8
            offset = out.tell()
            compressed = b"".join(piece.result() for piece in pieces)
            size = sum(len(chunk) for chunk in chunks)
            fields = (_VERSION, flags, zipfile.ZIP_DEFLATED, 0, _DOS_DATE, crc.result(), len(compressed), size, len(raw))
            out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields, 0) + raw)
            out.write(compressed)
            central.append(struct.pack("<IH", 0x02014B50, _VERSION) + struct.pack("<HHHHHIIIH", *fields) + struct.pack("<HHHHII", 0, 0, 0, 0, 0, offset) + raw)
        start = out.tell()
        directory = b"".join(central)
        out.write(directory + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), len(directory), start, 0))
    return out.getvalue()


def _zipfile_bytes(parts: Sequence[tuple[str, bytes, int]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as target:
        for name, data, level in parts:
            target.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED, level)
    return buffer.getvalue()
