"""Text encodings: the user's ``--encoding``, UTF-16 without BOM, a guess for old 8-bit files, mojibake.

A text file that is not UTF-8 is one of the 8-bit encodings Swedish users
meet: Windows-1252 (Swedish Excel's "CSV (semikolonavgränsad)"), Mac Roman
(Excel for Mac) or ISO-8859-1. They differ in which bytes are å ä ö: Mac
Roman's å ä ö Å Ä Ö are 0x8C 0x8A 0x9A 0x81 0x80 0x85, which Windows-1252
reads as punctuation or nothing at all. :func:`guess_single_byte` scores
each candidate by the characters its reading gives (Swedish letters high,
control characters and undefined bytes low) from the byte counts, and lets
charset-normalizer settle a tie.

:func:`mojibake_problem` finds the other common accident, UTF-8 that was
once read as Latin-1 and saved again ("Ã¤" where "ä" belongs).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from functools import cache

import numpy as np

from slutrapport.core.errors import InputFileError
from slutrapport.core.problems import WARNING, Problem

__all__ = [
    "CANDIDATES",
    "codec_name",
    "decode_with",
    "utf16_order",
    "guess_single_byte",
    "guessed_note",
    "mojibake_problem",
]

#: The 8-bit encodings a guess chooses between, in the order ties go.
CANDIDATES = ("cp1252", "mac_roman", "latin-1")
_DISPLAY = {
    "cp1252": "Windows-1252",
    "mac-roman": "Mac Roman",
    "iso8859-1": "ISO-8859-1 (Latin-1)",
    "utf-16-le": "UTF-16 (utan BOM)",
    "utf-16-be": "UTF-16 (utan BOM)",
}
_SWEDISH = set("åäöÅÄÖ")
_ACCENTED = set("éÉüÜ")
_COMMON = set("æøÆØèÈáàâêëíîïñóôúûçÇ–—‘’“”…€«»°§½·´\u00a0")
#: How much of a file the guess looks at.
_SAMPLE = 8 * 1024 * 1024

#: UTF-8 read as Windows-1252 (or Latin-1) and saved again → the letter that was meant.
_MOJIBAKE = {
    "Ã¤": "ä", "Ã¶": "ö", "Ã¥": "å", "Ã„": "Ä", "Ã–": "Ö", "Ã…": "Å", "Ã©": "é",
    "Ã\x84": "Ä", "Ã\x96": "Ö", "Ã\x85": "Å",
}  # fmt: skip
_ADVICE = {
    "csv": "Exportera den igen som UTF-8, eller ange --encoding",
    "sav": "Rätta texten i SPSS eller exportera filen igen",
    "workbook": "Rätta texten i arbetsboken eller exportera den igen",
}
_MOJIBAKE_PATTERN = re.compile("|".join(map(re.escape, _MOJIBAKE)))


def codec_name(encoding: str, file: str) -> str:
    """The canonical name of the text encoding ``encoding``; a Swedish error if there is none."""
    try:
        info = codecs.lookup(encoding)
        b"a".decode(info.name)  # refuses codecs that are not text encodings (base64, zlib, rot13 …)
    except UnicodeDecodeError:
        pass  # a text encoding that needs more than one byte
    except (LookupError, UnicodeError) as exc:  # UnicodeError: a codec that decodes nothing ("undefined")
        raise InputFileError(
            f"Teckenkodningen '{encoding}' som angavs för filen {file} (--encoding) finns inte. "
            "Exempel på giltiga namn: utf-8, utf-16, cp1252, mac_roman, latin-1."
        ) from exc
    return info.name


def decode_with(raw: bytes, encoding: str, file: str) -> str:
    """``raw`` decoded with the user's ``encoding``; a Swedish error naming it if a byte does not fit."""
    name = codec_name(encoding, file)
    try:
        return raw.decode(name)
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        byte = raw[exc.start : exc.start + 1].hex().upper()
        raise InputFileError(
            f"Filen {file} kunde inte avkodas med teckenkodningen '{encoding}' som angavs (--encoding): "
            f"byten 0x{byte} på rad {line} finns inte i den kodningen. Ange en annan teckenkodning, "
            "eller utelämna --encoding så gissas den."
        ) from exc


def utf16_order(sample: bytes) -> str | None:
    """``"utf-16-le"``/``"utf-16-be"`` when ``sample`` looks like UTF-16 text without a BOM
    (a NUL in every other byte, as Latin letters give), else ``None``."""
    size = len(sample) // 2 * 2
    if size < 4:
        return None
    half = size // 2
    even, odd = sample[0:size:2].count(0), sample[1:size:2].count(0)
    if odd >= 0.6 * half and even <= 0.05 * half:
        order = "utf-16-le"
    elif even >= 0.6 * half and odd <= 0.05 * half:
        order = "utf-16-be"
    else:
        return None
    text = sample[:size].decode(order, errors="replace")  # a bad pair is reported when the whole file is decoded
    controls = sum(1 for ch in text if ch < " " and ch not in "\t\r\n")
    return order if controls <= 0.01 * len(text) else None


@cache
def _weights(codec: str) -> np.ndarray:
    """A score for each byte 0x00–0xFF: what its reading in ``codec`` says about the guess."""
    weights = np.zeros(256, dtype=np.int64)
    for byte in range(0x80, 0x100):
        char = bytes([byte]).decode(codec, errors="replace")
        if char in _SWEDISH:
            weights[byte] = 3
        elif char in _ACCENTED:
            weights[byte] = 2
        elif char in _COMMON:
            weights[byte] = 1
        elif char == "\ufffd" or unicodedata.category(char) == "Cc":
            weights[byte] = -5
    return weights


def guess_single_byte(raw: bytes) -> str:
    """The most likely of :data:`CANDIDATES` for bytes that are not UTF-8 (ties: the first)."""
    sample = np.frombuffer(raw, dtype=np.uint8, count=min(len(raw), _SAMPLE))
    # only bytes from 0x80 weigh (below, the candidates are all ASCII), so only they are counted
    counts = np.bincount(sample[sample >= 0x80], minlength=256)
    scores = {codec: int(counts @ _weights(codec)) for codec in CANDIDATES}
    best = max(scores.values())
    tied = [codec for codec in CANDIDATES if scores[codec] == best]
    if len(tied) > 1 and any(_characters(tied[0])[byte] != _characters(tied[1])[byte] for byte in np.flatnonzero(counts)):
        tied = _ranked(raw[:_SAMPLE], tied)  # the first two read the sample differently
    return tied[0]


@cache
def _characters(codec: str) -> tuple[str, ...]:
    """What each byte 0x00–0xFF reads as in ``codec`` (one of the single-byte :data:`CANDIDATES`, which
    read every byte by itself: two read a text alike when they read each of its bytes alike)."""
    return tuple(bytes([byte]).decode(codec, errors="replace") for byte in range(256))


def _ranked(sample: bytes, tied: list[str]) -> list[str]:
    """``tied`` with charset-normalizer's choice first (if it has one)."""
    from charset_normalizer import from_bytes

    best = from_bytes(sample[:65536], cp_isolation=tied).best()
    if best is None:
        return tied
    chosen = codecs.lookup(best.encoding).name
    return sorted(tied, key=lambda codec: codecs.lookup(codec).name != chosen)


def guessed_note(codec: str) -> str:
    """The note telling the user which encoding was guessed."""
    name = _DISPLAY.get(codecs.lookup(codec).name, codec)
    return f"teckenkodningen gissades till {name}; ange --encoding om å, ä och ö ser fel ut"


def mojibake_problem(table, *, kind: str) -> Problem | None:
    """A warning at the first heading or cell (row-major) where UTF-8 read as Latin-1 shows, else ``None``.

    ``table`` is a :class:`~.raw.RawTable`; ``kind`` the container (``"csv"``, ``"sav"`` or a
    workbook), which decides the advice: only for a text file can ``--encoding`` help.
    """
    hit: tuple[int, int, str] | None = None  # (row number, column, value)
    for pos, heading in enumerate(table.columns):
        if "Ã" in heading and _MOJIBAKE_PATTERN.search(heading):
            hit = (table.header_row, pos, heading)
            break
    if hit is None:
        first: tuple[int, int] | None = None
        for pos in range(table.data.shape[1]):
            values = table.data[pos].tolist()
            if "Ã" not in "\x1f".join(values):
                continue
            row = next((i for i, v in enumerate(values) if "Ã" in v and _MOJIBAKE_PATTERN.search(v)), None)
            if row is not None and (first is None or row < first[0]):
                first = (row, pos)
        if first is None:
            return None
        hit = (table.row_number(first[0]), first[1], table.data.iat[first[0], first[1]])
    row, pos, value = hit
    found = _MOJIBAKE_PATTERN.search(value).group(0)
    advice = _ADVICE.get(kind, _ADVICE["workbook"])
    return Problem(
        fil=table.name,
        rad=row or None,
        kolumn=table.columns[pos],
        kontroll="teckenkodning",
        varde=value,
        meddelande=(
            f"texten innehåller '{_shown(found)}' där '{_MOJIBAKE[found]}' väntas: "
            f"filen har sparats om med fel teckenkodning. {advice}"
        ),
        allvar=WARNING,
    )


def _shown(found: str) -> str:
    """``found`` with an invisible control character written as ``\\x84``."""
    return "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in found)
