"""No respondent is lost without a word: ragged rows, unclosed quotes and every row left out are named.

The reader reports a data row with more or fewer fields than the header and a
quoted field that never closes; ingest counts every file's rows and names each
row it leaves out; the participant register and the self-evaluation forms
name what they do not read.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from slutrapport.core.problems import ERROR, WARNING
from slutrapport.sources.readers import ReadOptions, read_raw
from slutrapport.sources.readers.records import LISTED

HEAD = "Organisation,Kod,Fråga ett,Fråga två,Fråga tre är negativ,Övriga synpunkter"


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


# ------------------------------------------------------------------------------------------- the reader


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252", "utf-16"])
@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_a_row_with_fewer_fields_is_named_and_its_missing_answers_count_as_blank(tmp_path, encoding, sep):
    text = f"{HEAD}\nAF,k1,4,4,2,Bra\nAF,k2,3\nSoc,k3,5,5,1,\n".replace(",", sep)
    raw = read_raw(write(tmp_path, "kort.csv", text, encoding))
    assert raw.data.iloc[1].tolist() == ["AF", "k2", "3", "", "", ""]
    (short,) = raw.problems
    assert (short.fil, short.rad, short.kontroll, short.allvar) == ("kort.csv", 3, "för få fält", WARNING)
    assert short.meddelande == (
        "raden har 3 fält men rubrikraden har 6; de saknade svaren (under 'Fråga två', 'Fråga tre är negativ', "
        "'Övriga synpunkter') räknas som tomma"
    )


def test_a_row_with_extra_text_is_an_error_and_blank_extra_fields_a_warning(tmp_path):
    text = f"{HEAD}\nAF,k1,4,4,2,Bra, men långsamt\nAF,k2,3,3,3,,\nSoc,k3,5,5,1,\n"
    raw = read_raw(write(tmp_path, "bred.csv", text))
    shifted, trailing = raw.problems
    assert (shifted.rad, shifted.kontroll, shifted.varde, shifted.allvar) == (2, "för många fält", "men långsamt", ERROR)
    assert shifted.meddelande.startswith("raden har 7 fält men rubrikraden har 6; de extra fälten lästes inte och svaren")
    assert (trailing.rad, trailing.allvar) == (3, WARNING)
    assert trailing.meddelande == "raden har 7 fält men rubrikraden har 6; de extra fälten är tomma och lästes inte"


def test_many_ragged_rows_are_one_problem_that_lists_them(tmp_path):
    rows = [f"AF,k{i},4,4,2,Bra,x" for i in range(LISTED + 1)] + [f"Soc,k{i},4" for i in range(LISTED + 2)]
    raw = read_raw(write(tmp_path, "många.csv", "\n".join([HEAD, *rows]) + "\n"))
    extra, short = raw.problems
    assert extra.allvar == ERROR and extra.rad == 2 and "6 rader har fler fält än rubrikraden (6)" in extra.meddelande
    assert "(rad 2, 3, 4, 5, 6, 7)" in extra.meddelande
    assert short.allvar == WARNING and short.rad == 8
    assert "7 rader har färre fält än rubrikraden (6) (rad 8, 9, 10, 11, 12, 13, 14)" in short.meddelande


@pytest.mark.parametrize(
    "text",
    [
        f"{HEAD}\nAF,k1,4,4,2,Bra\n\nSoc,k3,5,5,1,\n\n",  # blank lines
        f"{HEAD},\nAF,k1,4,4,2,Bra\nSoc,k3,5,5,1,\n",  # a separator after the last heading only
        f"Enkät 2026\nSvar: 2\n{HEAD}\nAF,k1,4,4,2,Bra\nSoc,k3,5,5,1,\n",  # title rows above the header
        f'{HEAD}\nAF,k1,4,4,2,"Bra,\nmen långsamt"\nSoc,k3,5,5,1,\n',  # a quoted answer over two lines
    ],
)
def test_rows_as_wide_as_the_header_blank_lines_and_title_rows_are_not_ragged(tmp_path, text):
    assert read_raw(write(tmp_path, "ok.csv", text)).problems == []


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_an_unclosed_quote_is_an_error_naming_the_row_where_it_opened(tmp_path, encoding):
    text = f'{HEAD}\nAF,k1,4,4,2,"Bra,\nmen långsamt"\nAF,k2,3,3,3,"Dåligt\nSoc,k3,5,5,1,\nSoc,k4,2,2,2,\n'
    raw = read_raw(write(tmp_path, "citat.csv", text, encoding))
    (error,) = raw.problems
    assert (error.rad, error.kontroll, error.varde, error.allvar) == (3, "citattecken", "Dåligt", ERROR)
    assert error.meddelande.startswith(
        'ett fält som börjar med citattecken (") på rad 3 (rad 4 i en textredigerare) avslutas aldrig, '
        "så resten av filen (3 textrader) lästes in som ett enda fält"
    )


def test_an_unclosed_quote_after_an_excel_separator_line_counts_text_lines_from_the_top(tmp_path):
    text = f'sep=;\n{HEAD}\nAF;k1;4;4;2;"Bra\nSoc;k3;5;5;1;\n'.replace(",", ";")
    (error,) = read_raw(write(tmp_path, "sep.csv", text)).problems
    assert error.rad == 2 and "på rad 2 (rad 3 i en textredigerare)" in error.meddelande


def test_rows_skipped_above_the_users_header_row_are_warned_about_when_they_look_like_answers(tmp_path):
    path = write(tmp_path, "rubrik.csv", f"Enkät 2026\n{HEAD}\nAF,k1,4,4,2,Bra\nSoc,k3,5,5,1,\n")
    assert read_raw(path, options=ReadOptions(header_row=2)).problems == []  # a title row
    raw = read_raw(path, options=ReadOptions(header_row=3))  # the header and nothing else is skipped
    (skipped,) = raw.problems
    assert (skipped.rad, skipped.kontroll, skipped.allvar) == (2, "överhoppad rad", WARNING)
    assert skipped.meddelande.startswith("rad 2 ovanför rubrikraden 3 hoppades över fast den har nästan lika många")
    assert raw.notes == ["raderna 1–2 ovanför rubrikraden 3 hoppades över"]
