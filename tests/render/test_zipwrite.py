"""The Office zip writer: every part back as it went in, a large part deflated in pieces is still one stream,
equal parts give equal bytes, and a file too large for the plain format goes to zipfile's ZIP64."""

from __future__ import annotations

import io
import zipfile

import numpy as np
import pytest

from slutrapport.render import zipwrite
from slutrapport.render.zipwrite import zip_bytes

PIECE = 1 << 16  # small pieces, so that small parts have several


@pytest.fixture(autouse=True)
def _small_pieces(monkeypatch):
    monkeypatch.setattr(zipwrite, "PIECE", PIECE)


def _parts() -> list[tuple[str, bytes, int]]:
    rng = np.random.default_rng(7)
    rows = "".join(f'<row r="{i}"><c r="A{i}" t="n"><v>{value!r}</v></c></row>' for i, value in enumerate(rng.random(PIECE // 30), start=1))
    return [
        ("[Content_Types].xml", b"<Types/>", -1),
        ("xl/worksheets/sheet1.xml", rows.encode("ascii"), 1),  # several pieces
        ("xl/media/bild-å.png", rng.bytes(PIECE + 123), -1),  # incompressible, a UTF-8 name
        ("tom.xml", b"", -1),
    ]


def test_every_part_comes_back_and_the_bytes_repeat():
    parts = _parts()
    assert len(parts[1][1]) > 2 * PIECE
    data = zip_bytes(parts)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        assert archive.namelist() == [name for name, _, _ in parts]
        assert all(archive.read(name) == content for name, content, _ in parts)
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert all(info.compress_type == zipfile.ZIP_DEFLATED for info in archive.infolist())
    assert zip_bytes(parts) == data


def test_a_part_given_in_pieces_is_the_pieces_joined():
    rows = _parts()[1][1]
    pieces = (b"<worksheet><sheetData>", rows[: PIECE + 5], rows[PIECE + 5 :], b"", b"</sheetData></worksheet>")
    with zipfile.ZipFile(io.BytesIO(zip_bytes([("sheet.xml", pieces, 1), ("tail.xml", b"x", -1)]))) as archive:
        assert archive.testzip() is None and archive.read("sheet.xml") == b"".join(pieces) and archive.read("tail.xml") == b"x"


def test_a_file_beyond_the_plain_format_is_written_with_zip64(monkeypatch):
    monkeypatch.setattr(zipwrite, "_LIMIT", 100)  # as if the parts were larger than 4 GB
    parts = _parts()[:2]
    with zipfile.ZipFile(io.BytesIO(zip_bytes(parts))) as archive:
        assert [archive.read(name) for name, _, _ in parts] == [content for _, content, _ in parts]


def _deflating(data: bytes, level: int, block: int = 1000) -> zipwrite.Deflating:
    out = zipwrite.Deflating(level)
    for start in range(0, len(data), block):  # written in blocks that do not meet the pieces' ends
        out.write(data[start : start + block])
    return out.close()


@pytest.mark.parametrize("level", [1, -1])
def test_a_part_deflated_while_written_is_the_same_zip(level):
    rows = _parts()[1][1]
    head, tail = b"<worksheet><sheetData>", b"</sheetData></worksheet>"
    expected = zip_bytes([("sheet.xml", (head, rows, tail), 1), ("tail.xml", b"x", -1)])
    assert zip_bytes([("sheet.xml", (head, _deflating(rows, level), tail), 1), ("tail.xml", b"x", -1)]) == expected
    # its part's last piece: finished, not flushed
    assert zip_bytes([("sheet.xml", (head, _deflating(rows, 1)), 1)]) == zip_bytes([("sheet.xml", (head, rows), 1)])
    assert zip_bytes([("sheet.xml", _deflating(b"", 1), 1)]) == zip_bytes([("sheet.xml", b"", 1)])


def test_a_part_deflated_while_written_beyond_the_plain_format(monkeypatch):
    monkeypatch.setattr(zipwrite, "_LIMIT", 100)
    rows = _parts()[1][1]
    with zipfile.ZipFile(io.BytesIO(zip_bytes([("sheet.xml", (b"<a>", _deflating(rows, 1), b"</a>"), 1)]))) as archive:
        assert archive.read("sheet.xml") == b"<a>" + rows + b"</a>"
