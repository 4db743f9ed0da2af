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

A large part can be deflated while it is still being written (:class:`Deflating`,
a data sheet's rows): its pieces are cut at the same :data:`PIECE` bytes and
deflated the same way, only earlier, by the same threads, while the program
goes on with the next sheet; the zip is the same bytes.
"""

from __future__ import annotations

import io
import os
import struct
import threading
import zipfile
import zlib
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor

__all__ = ["PIECE", "Deflating", "zip_bytes"]

PIECE = 4 << 20  # bytes deflated apart: about a thousandth larger output than one stream
_LIMIT = 0xFFFFFFFF  # sizes and offsets of the plain zip format
_DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01
_VERSION = 20  # 2.0: deflate


_pool_lock = threading.Lock()
_pools: dict[int, ThreadPoolExecutor] = {}  # process id → its threads (a forked process makes its own)


def _pool() -> ThreadPoolExecutor:
    """The threads that deflate, shared by every zip written in this process."""
    with _pool_lock:
        pool = _pools.get(os.getpid())
        if pool is None:
            pool = _pools[os.getpid()] = ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1), thread_name_prefix="deflate")
        return pool


class Deflating:
    """A part's chunk deflated while it is written: :meth:`write` its bytes in order, then :meth:`close`.

    Each whole :data:`PIECE` is deflated at once by the shared threads, as :func:`zip_bytes` would cut and
    deflate the chunk given whole; it is given to :func:`zip_bytes` in the place of its bytes, at ``level``,
    and never as the part's last chunk (its last piece is flushed to go on, not finished)."""

    def __init__(self, level: int) -> None:
        self.level = level
        self.views: list[memoryview] = []  # the chunk's bytes, cut in pieces
        self.pieces: list[Future] = []  # each piece deflated
        self._buffer: list[bytes] = []
        self._buffered = 0
        self._closed = False

    def write(self, data: bytes) -> None:
        self._buffer.append(data)
        self._buffered += len(data)
        if self._buffered >= PIECE:
            self._cut(whole=False)

    def close(self) -> Deflating:
        if not self._closed:
            self._cut(whole=True)
            self._closed = True
        return self

    def __len__(self) -> int:
        return sum(len(view) for view in self.views) + self._buffered

    def _cut(self, whole: bool) -> None:
        data = b"".join(self._buffer)
        end = len(data) if whole else len(data) - len(data) % PIECE
        pool = _pool()
        for start in range(0, end, PIECE):
            view = memoryview(data)[start : start + PIECE]
            self.views.append(view)
            self.pieces.append(pool.submit(_deflate, view, self.level, False))
        rest = data[end:]
        self._buffer, self._buffered = ([rest] if rest else []), len(rest)


def _deflate(data: bytes, level: int, last: bool) -> bytes:
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)  # raw deflate, as a zip holds it
    return compressor.compress(data) + compressor.flush(zlib.Z_FINISH if last else zlib.Z_SYNC_FLUSH)


def _crc(chunks: Sequence[bytes]) -> int:
    value = 0
    for chunk in chunks:
        value = zlib.crc32(chunk, value)
    return value


def _compressed(pool: ThreadPoolExecutor, chunks: Sequence[bytes | Deflating], level: int):
    """The futures of a part's deflated pieces and of its CRC (the part is ``chunks`` joined); a chunk being
    deflated already (:class:`Deflating`) gives its own pieces, unless it holds the part's last piece."""
    views: list[memoryview] = []
    done: dict[int, Future] = {}  # piece number → its piece deflated already
    for chunk in chunks:
        if isinstance(chunk, Deflating):
            chunk.close()
            if chunk.level == level:
                done.update(zip(range(len(views), len(views) + len(chunk.views)), chunk.pieces, strict=True))
            views += chunk.views
        else:
            views += [memoryview(chunk)[start : start + PIECE] for start in range(0, len(chunk), PIECE)]
    views = views or [memoryview(b"")]
    last = len(views) - 1
    pieces = [done[number] if number in done and number != last else pool.submit(_deflate, view, level, number == last) for number, view in enumerate(views)]
    return pieces, pool.submit(_crc, views)


def _chunks(data: bytes | Deflating | Sequence[bytes | Deflating]) -> list[bytes | Deflating]:
    return [data] if isinstance(data, bytes | Deflating) else list(data)


def _joined(chunks: Sequence[bytes | Deflating]) -> bytes:
    return b"".join(b"".join(chunk.close().views) if isinstance(chunk, Deflating) else chunk for chunk in chunks)


def zip_bytes(parts: Sequence[tuple[str, bytes | Deflating | Sequence[bytes | Deflating], int]]) -> bytes:
    """A zip of ``parts`` (name, bytes or a sequence of bytes to join, zlib level), in that order, deflated,
    with fixed timestamps. A chunk may be a :class:`Deflating`, deflated while it was written."""
    chunked = [(name, _chunks(data), level) for name, data, level in parts]
    if sum(len(chunk) for _, chunks, _ in chunked for chunk in chunks) >= _LIMIT // 2 or len(chunked) >= 0xFFFF:  # (deflate may grow a part)
        return _zipfile_bytes([(name, _joined(chunks), level) for name, chunks, level in chunked])
    pool = _pool()
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
