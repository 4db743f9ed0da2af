"""Text encodings of CSV files: the user's --encoding, UTF-16 without BOM, 8-bit guesses, mojibake."""

from __future__ import annotations

import codecs
import random
from pathlib import Path

import numpy as np
import pytest

from slutrapport.core.errors import InputFileError
from slutrapport.core.problems import WARNING
from slutrapport.sources.readers import ReadOptions, read_raw
from slutrapport.sources.readers.encodings import CANDIDATES, _ranked, _weights, guess_single_byte

HEADER = ["Organisation", "Fråga ett", "Övriga synpunkter"]
ROWS = [["Arbetsförmedlingen", "Instämmer helt", "Bra samarbete – tack"], ["Socialtjänsten Ängelholm", "Vet ej", "Mer tid för möten"]]
TEXT = ";".join(HEADER) + "\r\n" + "\r\n".join(";".join(row) for row in ROWS) + "\r\n"


def write(path: Path, text: str, encoding: str) -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def note(name: str) -> str:
    return f"teckenkodningen gissades till {name}; ange --encoding om å, ä och ö ser fel ut"


@pytest.mark.parametrize(
    "encoding, name",
    [("cp1252", "Windows-1252"), ("mac_roman", "Mac Roman"), ("utf-16-le", "UTF-16 (utan BOM)"), ("utf-16-be", "UTF-16 (utan BOM)")],
)
def test_guessed_encodings_give_swedish_letters_and_a_note(tmp_path, encoding, name):
    raw = read_raw(write(tmp_path / "svar.csv", TEXT, encoding))
    assert raw.columns == HEADER
    assert raw.data.values.tolist() == ROWS
    assert raw.notes == [note(name)]
    assert raw.problems == []


def _guess_by_decoding(raw: bytes) -> str:
    """The guess as first written: every byte counted, ties told apart by decoding the whole sample."""
    sample = raw[: 8 * 1024 * 1024]
    counts = np.bincount(np.frombuffer(sample, dtype=np.uint8), minlength=256)
    scores = {codec: int(counts @ _weights(codec)) for codec in CANDIDATES}
    tied = [codec for codec in CANDIDATES if scores[codec] == max(scores.values())]
    if len({sample.decode(codec, errors="replace") for codec in tied[:2]}) > 1:
        tied = _ranked(sample, tied)
    return tied[0]


def test_the_guess_from_bytes_alone_equals_decoding_the_sample():
    assert all(bytes(range(128)).decode(codec) == bytes(range(128)).decode("ascii") for codec in CANDIDATES)
    rng = random.Random(11)
    letters = [b"a", b" ", b";", b"\r\n", *(bytes([byte]) for byte in range(0x80, 0x100))]
    for _ in range(200):
        raw = b"".join(rng.choice(letters[: rng.choice((4, 8, 40, len(letters)))]) for _ in range(rng.randint(1, 60)))
        assert guess_single_byte(raw) == _guess_by_decoding(raw), raw


def test_mac_roman_letters_are_what_windows_1252_reads_as_punctuation():
    letters = "åäöÅÄÖ".encode("mac_roman")
    assert letters == bytes([0x8C, 0x8A, 0x9A, 0x81, 0x80, 0x85])
    assert guess_single_byte(b"F" + letters[:1] + b"ga;" + letters) == "mac_roman"


def test_latin_1_reads_the_same_as_windows_1252(tmp_path):
    raw = read_raw(write(tmp_path / "latin.csv", TEXT.replace("–", "-"), "latin-1"))
    assert raw.columns == HEADER and raw.data.iat[1, 0] == "Socialtjänsten Ängelholm"
    assert raw.notes == [note("Windows-1252")]


@pytest.mark.parametrize(
    "text",
    [
        "Namn;Värde\nÄngelholm;3\n",
        "Fråga\nå\n",
        "Kön;Ålder\nKvinna;45\n",
        "Idé;Café\nja;nej\n",
        "Fråga – ett;€ 5\nx;y\n",
        "Tidstämpel;Ort\n2025;Malmö\n",
        "Hur nöjd är du?\n“Mycket”\n",
        "Ö\n",
    ],
)
@pytest.mark.parametrize("encoding", ["cp1252", "mac_roman"])
def test_short_swedish_texts_are_guessed_right(text, encoding):
    data = text.encode(encoding)
    assert data.decode(guess_single_byte(data)) == text


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_utf8_and_bom_files_have_no_note(tmp_path, encoding):
    raw = read_raw(write(tmp_path / "svar.csv", TEXT, encoding))
    assert raw.columns == HEADER and raw.notes == []


# --------------------------------------------------------------------------- --encoding


@pytest.mark.parametrize(
    "written, given", [("cp1252", "cp1252"), ("mac_roman", "mac_roman"), ("utf-16", "utf-16"), ("utf-8", "UTF8"), ("latin-1", "iso-8859-1")]
)
def test_the_given_encoding_is_used_without_a_note(tmp_path, written, given):
    raw = read_raw(write(tmp_path / "svar.csv", TEXT.replace("–", "-"), written), options=ReadOptions(encoding=given))
    assert raw.columns == HEADER and raw.data.iat[1, 2] == "Mer tid för möten"
    assert raw.notes == []


def test_the_given_encoding_wins_over_the_guess(tmp_path):
    path = write(tmp_path / "svar.csv", TEXT, "cp1252")
    raw = read_raw(path, options=ReadOptions(encoding="mac_roman"))
    assert raw.columns[1] == "Fråga ett".encode("cp1252").decode("mac_roman") != "Fråga ett"
    assert raw.notes == []


def test_a_file_that_does_not_decode_with_the_given_encoding(tmp_path):
    path = write(tmp_path / "svar.csv", TEXT, "cp1252")
    with pytest.raises(InputFileError) as info:
        read_raw(path, options=ReadOptions(encoding="utf-8"))
    message = str(info.value)
    assert message.startswith("Filen svar.csv kunde inte avkodas med teckenkodningen 'utf-8' som angavs (--encoding): ")
    assert "0xE5 på rad 1" in message


@pytest.mark.parametrize("given", ["klingon", "base64", "rot13", ""])
def test_an_unknown_encoding_is_named(tmp_path, given):
    path = write(tmp_path / "svar.csv", TEXT, "utf-8")
    with pytest.raises(InputFileError, match=f"Teckenkodningen '{given}' som angavs för filen svar.csv \\(--encoding\\) finns inte"):
        read_raw(path, options=ReadOptions(encoding=given))


# --------------------------------------------------------------------------- UTF-16 without BOM, not text


def test_utf16_without_bom_needs_the_nul_pattern(tmp_path):
    path = tmp_path / "binär.csv"
    path.write_bytes(b"\x00\x01\x02\x03" * 100)
    with pytest.raises(InputFileError, match="inte vara en textfil"):
        read_raw(path)
    raw = read_raw(write(tmp_path / "utf16.csv", "a;b\r\nÅ;Ö\r\n", "utf-16-le"))
    assert raw.columns == ["a", "b"] and raw.data.values.tolist() == [["Å", "Ö"]]


def test_utf16_without_bom_that_does_not_decode(tmp_path):
    data = "Organisation;Fråga\r\nAF;4\r\n".encode("utf-16-le") + b"\x00\xdc" + "x\r\n".encode("utf-16-le")  # a lone surrogate
    path = tmp_path / "trasig.csv"
    path.write_bytes(data)
    with pytest.raises(InputFileError, match="Filen trasig.csv ser ut att vara UTF-16-text men kunde inte avkodas"):
        read_raw(path)


# --------------------------------------------------------------------------- mojibake


def mojibake(text: str) -> str:
    """UTF-8 read as Windows-1252: what a wrong re-save leaves."""
    return text.encode("utf-8").decode("cp1252")


def test_mojibake_in_a_csv_is_a_warning_at_its_first_row(tmp_path):
    rows = [["AF", "4", "Bra"], ["Soc", "3", "Bra"], ["Reg", "2", mojibake("Möten")], [mojibake("Länet"), "1", ""]]
    text = "\n".join(";".join(r) for r in [HEADER, *rows]) + "\n"
    raw = read_raw(write(tmp_path / "omsparad.csv", text, "utf-8"))
    (problem,) = raw.problems
    assert (problem.fil, problem.rad, problem.kolumn, problem.kontroll, problem.varde, problem.allvar) == (
        "omsparad.csv", 4, "Övriga synpunkter", "teckenkodning", "MÃ¶ten", WARNING
    )
    assert problem.meddelande == (
        "texten innehåller 'Ã¶' där 'ö' väntas: filen har sparats om med fel teckenkodning. "
        "Exportera den igen som UTF-8, eller ange --encoding"
    )


def test_mojibake_in_a_heading_is_reported_on_the_header_row(tmp_path):
    text = mojibake("Organisation;Fråga ett") + "\nAF;4\nSoc;Ã¤\n"
    (problem,) = read_raw(write(tmp_path / "rubrik.csv", text, "utf-8")).problems
    assert (problem.rad, problem.kolumn, problem.varde) == (1, "FrÃ¥ga ett", "FrÃ¥ga ett")


def test_utf8_read_with_a_wrong_given_encoding_is_caught_as_mojibake(tmp_path):
    path = write(tmp_path / "svar.csv", TEXT, "utf-8")
    raw = read_raw(path, options=ReadOptions(encoding="cp1252"))
    assert [p.kontroll for p in raw.problems] == ["teckenkodning"]
    assert raw.problems[0].rad == 1


@pytest.mark.parametrize("text", [TEXT, "Namn;Ã\nA;Ã…x\n".replace("Ã…", "Ãx")])
def test_no_mojibake_warning_for_clean_text(tmp_path, text):
    assert read_raw(write(tmp_path / "svar.csv", text, "utf-8")).problems == []


def test_latin_1_control_variant_of_mojibake(tmp_path):
    text = "Organisation;Fråga\nAF;" + "Ö".encode().decode("latin-1") + "rebro\n"
    (problem,) = read_raw(write(tmp_path / "c1.csv", text, "utf-8")).problems
    assert problem.meddelande.startswith("texten innehåller 'Ã\\x96' där 'Ö' väntas")
    assert codecs.lookup("latin-1").name == "iso8859-1"
