"""Ingest of every question type: each question read on its own scale, choices, numbers and multiple choice."""

from __future__ import annotations

import hashlib
import math
from pathlib import Path

import pytest

from slutrapport.core.errors import InputFileError, ValidationError
from slutrapport.sources.definitions import Scale
from slutrapport.sources.readers import read_raw
from slutrapport.sources.survey import load_instrument, read_waves
from slutrapport.sources.survey.answers import ANSWERED, BLANK, MISSING, AnswerParser, NumberParser
from slutrapport.sources.survey.choices import MultipleParser, QuestionParsers
from slutrapport.sources.survey.ingest import TIDY_COLUMNS
from tests.conftest import SAMPLES, write_csv

AGREE = "{1: Instämmer inte alls, 2: Instämmer i liten grad, 3: Instämmer delvis, 4: Instämmer i hög grad, 5: Instämmer helt}"

TYPES = f"""\
id: typer
namn: Alla frågetyper
skala:
  varden: {AGREE}
  positiva: [4, 5]
  saknas: [Vet ej]
skalor:
  frekvens:
    varden: {{1: Aldrig, 2: Sällan, 3: Ibland, 4: Ofta, 5: Alltid}}
    positiva: ">= 4"
    saknas: [Ej aktuellt]
    alias: {{Jämt: 5}}
  betyg:
    varden: {{min: 1, max: 10}}
    etiketter: {{1: Mycket dåligt, 10: Mycket bra}}
    positiva: ">= 7"
  roll:
    nominal: true
    varden: {{1: Handläggare, 2: Chef, 9: Annan roll}}
bakgrund:
  organisation: Organisation
index:
  installning: Inställning
fragor:
  - {{id: q01, text: "Samverkan är viktig", index: installning}}
  - {{id: q02, text: "Samverkan tar tid", index: installning, omvand: true}}
  - {{id: q03, text: "Hur ofta träffar du kollegor?", skala: frekvens}}
  - {{id: q04, text: "Vilket betyg ger du samverkan?", skala: betyg}}
  - {{id: j01, text: "Har du gått utbildningen?", typ: janej}}
  - {{id: e01, text: "Vilken är din roll?", typ: enval, skala: roll}}
  - {{id: e02, text: "Hur länge har du arbetat här?", typ: enval, alternativ: [Under ett år, 1–5 år, Mer än 5 år]}}
  - {{id: m01, text: "Hur håller du kontakten?", typ: flerval, alternativ: [Telefon, E-post, "Möten, fysiska", "Möten, digitala"]}}
  - {{id: m02, text: "Vilka grupper deltar du i?", typ: flerval, alternativ: [Styrgrupp, Arbetsgrupp, Referensgrupp], avgransare: ";"}}
  - {{id: n01, text: "Timmar per vecka", typ: numerisk, min: 0, max: 40}}
  - {{id: n02, text: "Antal kontakter per år", typ: numerisk}}
  - {{id: f01, text: "Övrigt", typ: fritext}}
"""

SCALES = ["Samverkan är viktig", "Samverkan tar tid", "Hur ofta träffar du kollegor?", "Vilket betyg ger du samverkan?"]
CHOICES = ["Har du gått utbildningen?", "Vilken är din roll?", "Hur länge har du arbetat här?"]
M01 = "Hur håller du kontakten?"
M02 = "Vilka grupper deltar du i?"
NUMBERS = ["Timmar per vecka", "Antal kontakter per år"]
OPTIONS = ["Telefon", "E-post", "Möten, fysiska", "Möten, digitala"]

# Wave 1: plain CSV, m01 in one column per option headed "Fråga [Alternativ]", m02 in one cell with ";".
HEADER_1 = ["Organisation", *SCALES, *CHOICES, *(f"{M01} [{o}]" for o in OPTIONS), M02, *NUMBERS, "Övrigt"]
ROWS_1 = [
    ["AF", "Instämmer helt", "2", "Ofta", "7", "Ja", "Chef", "1–5 år", "Telefon", "", "x", "", "Styrgrupp;Referensgrupp", "7", "1 234", "Bra"],
    ["AF", "4", "Vet ej", "Jämt", "7,0", "nej", "9", "3", "", "1", "", "Ja", "Arbetsgrupp", "7,5", "1 234,5", ""],
    ["Socialtjänsten", "", "", "Ej aktuellt", "7 - bra", "", "2 - Chef", "Under ett år", "", "", "", "", "", "Vet ej", "", ""],
    ["Socialtjänsten", "", "", "", "", "Ja", "", "", "", "", "", "", "", "", "", ""],  # only a yes/no answer: answered
    ["Socialtjänsten", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "Bara fritext"],  # no answer but free text
]
# Wave 2: plain CSV, m01 as "Fråga - Alternativ" in another order and without "Möten, digitala"; codes for the choices.
HEADER_2 = ["Organisation", *SCALES, *CHOICES, *(f"{M01} - {o}" for o in ("E-post", "Telefon", "Möten, fysiska")), M02, *NUMBERS]
ROWS_2 = [
    ["AF", "3", "3", "Sällan", "10", "1", "1", "Mer än 5 år", "E-post", "", "1", "Referensgrupp; Styrgrupp", "0", "12"],
    ["AF", "5", "1", "Aldrig", "Mycket dåligt", "0", "Annan roll", "2", "", "", "", "", "40", ""],
]
# Wave 3: Google Forms CSV: m01 in one cell with ", " between the options (which hold commas themselves).
HEADER_3 = ["Tidstämpel", "Organisation", *SCALES, *CHOICES, M01, M02, *NUMBERS, "Övrigt"]
ROWS_3 = [
    ["2025/03/12 10:15:32", "AF", "Instämmer i hög grad", "Instämmer i liten grad", "Alltid", "Mycket bra", "Ja", "Handläggare",
     "Under ett år", "Telefon, Möten, fysiska", "Styrgrupp;Arbetsgrupp", "40", "0", ""],
    ["2025/03/12 10:17:01", "AF", "1", "5", "Ibland", "1", "Nej", "Chef", "1–5 år", "Möten, digitala, E-post", "", "", "", ""],
]  # fmt: skip


@pytest.fixture
def typer(tmp_path: Path):
    path = tmp_path / "typer.yaml"
    path.write_text(TYPES, encoding="utf-8")
    return load_instrument(path)


@pytest.fixture
def waves(tmp_path: Path) -> list[Path]:
    return [
        write_csv(tmp_path / "enkat1.csv", ROWS_1, header=HEADER_1),
        write_csv(tmp_path / "enkat2.csv", ROWS_2, header=HEADER_2),
        write_csv(tmp_path / "enkat3.csv", ROWS_3, header=HEADER_3),
    ]


def _cells(survey, wave: int) -> dict[tuple[int, str], tuple]:
    """(row, question) → (value, answer, status) of one wave, free text left out."""
    tidy = survey.tidy[(survey.tidy["enkat_nr"] == wave) & (survey.tidy["status"] != "fritext")]
    return {
        (int(r.rad), r.fraga): (None if math.isnan(r.varde) else r.varde, r.svar, r.status)
        for r in tidy.itertuples()
    }


NAN = None
# Wave 1, row by row. m01's value is the bitmask over OPTIONS (Telefon 1, E-post 2, "Möten, fysiska" 4,
# "Möten, digitala" 8): row 2 Telefon + "Möten, fysiska" = 1 + 4 = 5, row 3 E-post + "Möten, digitala" = 2 + 8 = 10;
# m02's over (Styrgrupp 1, Arbetsgrupp 2, Referensgrupp 4): row 2 = 1 + 4 = 5, row 3 = 2.
EXPECTED_1 = {
    (2, "q01"): (5, "Instämmer helt", ANSWERED), (2, "q02"): (2, "2", ANSWERED), (2, "q03"): (4, "Ofta", ANSWERED),
    (2, "q04"): (7, "7", ANSWERED), (2, "j01"): (1, "Ja", ANSWERED), (2, "e01"): (2, "Chef", ANSWERED),
    (2, "e02"): (2, "1–5 år", ANSWERED), (2, "m01"): (5, "Telefon; Möten, fysiska", ANSWERED),
    (2, "m02"): (5, "Styrgrupp; Referensgrupp", ANSWERED), (2, "n01"): (7, "7", ANSWERED), (2, "n02"): (1234, "1 234", ANSWERED),
    (3, "q01"): (4, "4", ANSWERED), (3, "q02"): (NAN, "Vet ej", MISSING), (3, "q03"): (5, "Jämt", ANSWERED),
    (3, "q04"): (7, "7,0", ANSWERED), (3, "j01"): (0, "nej", ANSWERED), (3, "e01"): (9, "9", ANSWERED),
    (3, "e02"): (3, "3", ANSWERED), (3, "m01"): (10, "E-post; Möten, digitala", ANSWERED),
    (3, "m02"): (2, "Arbetsgrupp", ANSWERED), (3, "n01"): (7.5, "7,5", ANSWERED), (3, "n02"): (1234.5, "1 234,5", ANSWERED),
    (4, "q01"): (NAN, "", BLANK), (4, "q02"): (NAN, "", BLANK), (4, "q03"): (NAN, "Ej aktuellt", MISSING),
    (4, "q04"): (7, "7 - bra", ANSWERED), (4, "j01"): (NAN, "", BLANK), (4, "e01"): (2, "2 - Chef", ANSWERED),
    (4, "e02"): (1, "Under ett år", ANSWERED), (4, "m01"): (NAN, "", BLANK), (4, "m02"): (NAN, "", BLANK),
    (4, "n01"): (NAN, "Vet ej", MISSING), (4, "n02"): (NAN, "", BLANK),
    **{(5, q): (NAN, "", BLANK) for q in ("q01", "q02", "q03", "q04", "e01", "e02", "m01", "m02", "n01", "n02")},
    (5, "j01"): (1, "Ja", ANSWERED),
    **{(6, q): (NAN, "", BLANK) for q in ("q01", "q02", "q03", "q04", "j01", "e01", "e02", "m01", "m02", "n01", "n02")},
}  # fmt: skip
# Wave 2: m01 row 2 E-post + "Möten, fysiska" = 2 + 4 = 6; m02 "Referensgrupp; Styrgrupp" = 4 + 1 = 5, shown in option order.
EXPECTED_2 = {
    (2, "q01"): (3, "3", ANSWERED), (2, "q02"): (3, "3", ANSWERED), (2, "q03"): (2, "Sällan", ANSWERED),
    (2, "q04"): (10, "10", ANSWERED), (2, "j01"): (1, "1", ANSWERED), (2, "e01"): (1, "1", ANSWERED),
    (2, "e02"): (3, "Mer än 5 år", ANSWERED), (2, "m01"): (6, "E-post; Möten, fysiska", ANSWERED),
    (2, "m02"): (5, "Styrgrupp; Referensgrupp", ANSWERED), (2, "n01"): (0, "0", ANSWERED), (2, "n02"): (12, "12", ANSWERED),
    (3, "q01"): (5, "5", ANSWERED), (3, "q02"): (1, "1", ANSWERED), (3, "q03"): (1, "Aldrig", ANSWERED),
    (3, "q04"): (1, "Mycket dåligt", ANSWERED), (3, "j01"): (0, "0", ANSWERED), (3, "e01"): (9, "Annan roll", ANSWERED),
    (3, "e02"): (2, "2", ANSWERED), (3, "m01"): (NAN, "", BLANK), (3, "m02"): (NAN, "", BLANK),
    (3, "n01"): (40, "40", ANSWERED), (3, "n02"): (NAN, "", BLANK),
}  # fmt: skip
# Wave 3: m01 "Telefon, Möten, fysiska" = 1 + 4 = 5 and "Möten, digitala, E-post" = 8 + 2 = 10; m02 = 1 + 2 = 3.
EXPECTED_3 = {
    (2, "q01"): (4, "Instämmer i hög grad", ANSWERED), (2, "q02"): (2, "Instämmer i liten grad", ANSWERED),
    (2, "q03"): (5, "Alltid", ANSWERED), (2, "q04"): (10, "Mycket bra", ANSWERED), (2, "j01"): (1, "Ja", ANSWERED),
    (2, "e01"): (1, "Handläggare", ANSWERED), (2, "e02"): (1, "Under ett år", ANSWERED),
    (2, "m01"): (5, "Telefon; Möten, fysiska", ANSWERED), (2, "m02"): (3, "Styrgrupp; Arbetsgrupp", ANSWERED),
    (2, "n01"): (40, "40", ANSWERED), (2, "n02"): (0, "0", ANSWERED),
    (3, "q01"): (1, "1", ANSWERED), (3, "q02"): (5, "5", ANSWERED), (3, "q03"): (3, "Ibland", ANSWERED),
    (3, "q04"): (1, "1", ANSWERED), (3, "j01"): (0, "Nej", ANSWERED), (3, "e01"): (2, "Chef", ANSWERED),
    (3, "e02"): (2, "1–5 år", ANSWERED), (3, "m01"): (10, "E-post; Möten, digitala", ANSWERED),
    (3, "m02"): (NAN, "", BLANK), (3, "n01"): (NAN, "", BLANK), (3, "n02"): (NAN, "", BLANK),
}  # fmt: skip


def test_every_type_is_read_on_its_own_scale_into_the_tidy_table(typer, waves):
    survey = read_waves(waves, typer)
    assert list(survey.tidy.columns) == TIDY_COLUMNS
    assert _cells(survey, 1) == EXPECTED_1
    assert _cells(survey, 2) == EXPECTED_2
    assert _cells(survey, 3) == EXPECTED_3
    # One row per respondent × question, whichever way a multiple-choice question is laid out.
    assert not survey.tidy.duplicated(["respondent", "fraga"]).any()
    assert set(survey.tidy.loc[survey.tidy["status"] == "fritext", "svar"]) == {"Bra", "Bara fritext"}


def test_what_was_found_on_the_way(typer, waves):
    survey = read_waves(waves, typer)
    found = [(p.fil, p.kontroll, p.allvar, p.kolumn) for p in survey.report.problems if p.kontroll != "inläsning"]
    assert found == [
        # Answering only the yes/no question (row 5) counts; only free text (row 6) does not.
        ("enkat1.csv", "svarande utan svar", "varning", None),
        # Wave 2 has no column for "Möten, digitala" (and no free-text column).
        ("enkat2.csv", "saknad kolumn", "varning", None),
        ("enkat2.csv", "saknat alternativ", "varning", None),
    ]
    messages = [p.meddelande for p in survey.report.problems]
    assert "1 svarande har inte besvarat någon fråga utom fritextfrågor (rad 6); de ingår inte i resultaten" in messages
    assert (
        "alternativet 'Möten, digitala' i frågan m01 ('Hur håller du kontakten?') har ingen kolumn i filen; ingen räknas ha valt det"
        in messages
    )


ERROR_HEADER = ["Organisation", "Hur ofta träffar du kollegor?", *CHOICES[1:], f"{M01} [Telefon]", f"{M01} [E-post]", M02, *NUMBERS]
ERROR_ROWS = [
    ["AF", "Vet ej", "Chef, Handläggare", "1–5 år", "kanske", "", "Styrgrupp;Ledningsgrupp", "50", "12"],
    ["AF", "Ofta", "5", "Under ett år; Mer än 5 år", "", "E-post", "", "7 timmar", "1,250"],
    ["AF", "Ofta", "Chef", "", "Telefon", "", "Arbetsgrupp, Styrgrupp", "-1", "ca 20"],
]


def test_unknown_options_numbers_out_of_range_and_several_options_in_a_single_choice_are_errors(typer, tmp_path):
    path = write_csv(tmp_path / "fel.csv", ERROR_ROWS, header=ERROR_HEADER)
    with pytest.raises(ValidationError) as info:
        read_waves([path], typer)
    report = info.value.report
    # The questions the file lacks (q01, q02, q04, j01, f01's a warning) are errors of their own.
    assert sorted(p.meddelande.split()[1] for p in report.errors() if p.kontroll == "saknad kolumn") == ["j01", "q01", "q02", "q04"]
    errors = {(p.rad, p.kolumn, p.varde): (p.kontroll, p.meddelande) for p in report.errors() if p.kontroll != "saknad kolumn"}
    assert set(errors) == {
        (2, "Hur ofta träffar du kollegor?", "Vet ej"),  # 'Vet ej' belongs to the default scale, not to 'frekvens'
        (2, "Vilken är din roll?", "Chef, Handläggare"),
        (2, f"{M01} [Telefon]", "kanske"),
        (2, M02, "Styrgrupp;Ledningsgrupp"),
        (2, "Timmar per vecka", "50"),
        (3, "Vilken är din roll?", "5"),
        (3, "Hur länge har du arbetat här?", "Under ett år; Mer än 5 år"),
        (3, "Timmar per vecka", "7 timmar"),
        (3, "Antal kontakter per år", "1,250"),
        (4, M02, "Arbetsgrupp, Styrgrupp"),  # the question's delimiter is ';'
        (4, "Timmar per vecka", "-1"),
        (4, "Antal kontakter per år", "ca 20"),
    }
    assert errors[(2, "Hur ofta träffar du kollegor?", "Vet ej")] == (
        "svarsalternativ",
        "okänt svar (tillåtna svar: 1 = Aldrig, 2 = Sällan, 3 = Ibland, 4 = Ofta, 5 = Alltid; utanför skalan: Ej aktuellt)",
    )
    assert errors[(2, "Vilken är din roll?", "Chef, Handläggare")] == (
        "flera svar",
        "2 alternativ i en fråga där bara ett svar är möjligt (Handläggare; Chef); svaret räknas inte. Rätta raden i filen",
    )
    assert errors[(3, "Hur länge har du arbetat här?", "Under ett år; Mer än 5 år")][0] == "flera svar"
    assert errors[(3, "Vilken är din roll?", "5")] == (
        "svarsalternativ",
        "koden 5 finns inte bland alternativen (tillåtna svar: 1 = Handläggare, 2 = Chef, 9 = Annan roll)",
    )
    assert errors[(2, M02, "Styrgrupp;Ledningsgrupp")] == (
        "svarsalternativ",
        "okänt alternativ 'Ledningsgrupp' (alternativ: Styrgrupp, Arbetsgrupp, Referensgrupp; flera val skiljs åt med ';')",
    )
    assert errors[(4, M02, "Arbetsgrupp, Styrgrupp")][1].startswith("okänt alternativ 'Arbetsgrupp, Styrgrupp' (")
    assert errors[(2, f"{M01} [Telefon]", "kanske")] == (
        "svarsalternativ",
        "okänt värde i kolumnen för alternativet 'Telefon': ett valt alternativ skrivs som 'Telefon', 1, x eller Ja "
        "och ett alternativ som inte är valt lämnas tomt (eller 0, Nej)",
    )
    assert errors[(2, "Timmar per vecka", "50")] == (
        "tal utanför intervallet",
        "talet 50 ligger utanför det tillåtna intervallet (ett tal från 0 till 40)",
    )
    assert errors[(4, "Timmar per vecka", "-1")][1] == "talet -1 ligger utanför det tillåtna intervallet (ett tal från 0 till 40)"
    assert errors[(3, "Timmar per vecka", "7 timmar")] == (
        "tal",
        "'7 timmar' är inte ett tal (skriv bara talet: 7); tillåtna svar: ett tal från 0 till 40; räknas som saknade: Vet ej",
    )
    assert errors[(3, "Antal kontakter per år", "1,250")] == (
        "tal",
        "'1,250' kan betyda både 1,25 och 1250; skriv talet utan tusentalskomma",
    )
    assert errors[(4, "Antal kontakter per år", "ca 20")][1].startswith("'ca 20' är inte ett tal (skriv bara talet: 20); ")


# -- the parsers on their own --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value", "status"),
    [("7", 7, ANSWERED), ("7,5", 7.5, ANSWERED), ("7.5", 7.5, ANSWERED), ("1 234", 1234, ANSWERED),
     ("1\u00a0234,5", 1234.5, ANSWERED), ("−3", -3, ANSWERED), ("+2", 2, ANSWERED), ("-0", 0, ANSWERED),
     ("0,125", 0.125, ANSWERED), ("1.125", 1.125, ANSWERED),  # a point is a decimal point (Excel's cells)
     (" 12 ", 12, ANSWERED), ("", None, BLANK), ("vet EJ", None, MISSING)],
)  # fmt: skip
def test_numbers_as_people_write_them(raw, value, status):
    parsed = NumberParser(missing=("Vet ej",)).parse(raw)
    assert (parsed.value, parsed.status, parsed.error) == (value, status, None)


@pytest.mark.parametrize("raw", ["7 tim", "7 timmar", "ca 7", "7-8", "sju", "1,234", "12,345,678", "1.234,5", "1e3"])
def test_anything_but_a_plain_number_is_an_error(raw):
    parsed = NumberParser().parse(raw)
    assert parsed.value is None and parsed.status == ANSWERED and parsed.error


def test_a_unit_word_is_read_only_when_the_parser_is_told_it():
    parser = NumberParser(0, 40, units=("tim", "timmar"))
    assert (parser.parse("7 tim").value, parser.parse("7,5 timmar").value, parser.parse("7timmar").value) == (7, 7.5, 7)
    assert parser.parse("7 dagar").error and parser.parse("41 tim").check == "tal utanför intervallet"


@pytest.mark.parametrize(
    ("low", "high", "range_text"),
    [(0, None, "ett tal som är minst 0"), (None, 2.5, "ett tal som är högst 2,5"), (1, 10, "ett tal från 1 till 10")],
)
def test_a_range_with_one_end_names_that_end(low, high, range_text):
    parsed = NumberParser(low, high).parse("-5" if low is not None else "3")
    assert parsed.error == f"talet {'-5' if low is not None else '3'} ligger utanför det tillåtna intervallet ({range_text})"


@pytest.mark.parametrize(
    ("raw", "value", "answer"),
    [
        ("Telefon, Möten, fysiska", 5, "Telefon; Möten, fysiska"),  # Google Forms: the longest option wins
        ("Möten, fysiska, Möten, digitala", 12, "Möten, fysiska; Möten, digitala"),
        ("möten,  DIGITALA;telefon", 9, "Telefon; Möten, digitala"),  # any case and spacing, ';' too
        ("E-post\nTelefon", 3, "Telefon; E-post"),  # a line break
        ("1, 3", 5, "Telefon; Möten, fysiska"),  # codes
        ("Telefon, Telefon", 1, "Telefon"),
    ],
)
def test_options_in_one_cell_without_a_delimiter_are_matched_greedily(typer, raw, value, answer):
    parsed = QuestionParsers(typer).for_question(typer.question("m01")).parse(raw)
    assert (parsed.value, parsed.answer, parsed.status, parsed.error) == (value, answer, ANSWERED, None)


def test_an_unknown_option_in_a_cell_is_named_with_the_options(typer):
    parser = QuestionParsers(typer).for_question(typer.question("m01"))
    assert parser.parse("Telefon, Brev, Möten").error == (
        "okända alternativ 'Brev', 'Möten' (alternativ: Telefon, E-post, Möten, fysiska, Möten, digitala; "
        "flera val skiljs åt med ';', ',' eller radbrytning)"
    )
    assert (parser.parse("").status, parser.parse(" , ").status) == (BLANK, BLANK)


def test_parsers_are_made_once_per_scale(typer):
    parsers = QuestionParsers(typer)
    q01, q02, q03 = (typer.question(i) for i in ("q01", "q02", "q03"))
    assert parsers.for_question(q01) is parsers.for_question(q02)
    assert parsers.for_question(q03) is not parsers.for_question(q01)
    assert parsers.for_question(q03).scale is typer.scales["frekvens"]


def test_a_yes_no_scale_of_the_instrument_gives_1_for_yes_and_0_for_no(tmp_path):
    text = TYPES.replace("  roll:\n", "  janej: {varden: {1: Ja, 2: Nej}, positiva: [1], saknas: [Vet ej]}\n  roll:\n")
    path = tmp_path / "janej.yaml"
    path.write_text(text, encoding="utf-8")
    typer = load_instrument(path)
    parser = QuestionParsers(typer).for_question(typer.question("j01"))
    assert [(p.value, p.status) for p in map(parser.parse, ["Ja", "Nej", "2", "Vet ej"])] == [
        (1, ANSWERED), (0, ANSWERED), (0, ANSWERED), (None, MISSING),
    ]  # fmt: skip


# -- matching option columns -----------------------------------------------------------------------------------


def _problems(survey) -> list[tuple[str, str | None]]:
    return [(p.kontroll, p.kolumn) for p in survey.report.problems if p.kontroll != "inläsning"]


SMALL = """\
id: liten
skala: {varden: {1: Nej, 2: Delvis, 3: Ja}}
fragor:
  - {id: q1, text: "Jag trivs"}
  - {id: m1, text: "Kanaler", typ: flerval, alternativ: [Telefon, E-post, Annat]}
  - {id: m2, text: "Föredragen kanal", typ: flerval, alternativ: [Telefon, Brev]}
"""


@pytest.fixture
def small(tmp_path: Path):
    path = tmp_path / "liten.yaml"
    path.write_text(SMALL, encoding="utf-8")
    return load_instrument(path)


def _m_values(survey) -> dict[tuple[int, str], float | None]:
    tidy = survey.tidy[survey.tidy["fraga"].str.startswith("m")]
    return {(int(r.rad), r.fraga): (None if math.isnan(r.varde) else r.varde) for r in tidy.itertuples()}


def test_options_alone_under_their_question_are_its_columns_and_the_question_decides_a_shared_label(small, tmp_path):
    # "Telefon" is an option of both m1 and m2: only "Fråga [Telefon]" says which; E-post and Annat are m1's alone.
    header = ["Jag trivs", "Kanaler [Telefon]", "E-post", "Annat", "Föredragen kanal: Telefon", "Föredragen kanal - Brev"]
    path = write_csv(tmp_path / "a.csv", [["Ja", "1", "", "x", "", "Brev"], ["Nej", "", "E-post", "", "Ja", ""]], header=header)
    survey = read_waves([path], small)
    assert _problems(survey) == []
    # m1 over (Telefon 1, E-post 2, Annat 4): row 2 = 1 + 4 = 5, row 3 = 2; m2 over (Telefon 1, Brev 2): 2, 1.
    assert _m_values(survey) == {(2, "m1"): 5, (3, "m1"): 2, (2, "m2"): 2, (3, "m2"): 1}


def test_an_option_label_alone_away_from_its_question_is_not_taken(small, tmp_path):
    header = ["E-post", "Jag trivs", "Kanaler [Telefon]", "Föredragen kanal"]
    path = write_csv(tmp_path / "a.csv", [["x", "Ja", "1", ""]], header=header)
    survey = read_waves([path], small)
    assert ("okänd kolumn", "E-post") in _problems(survey)
    assert ("saknat alternativ", None) in _problems(survey)
    assert _m_values(survey)[(2, "m1")] == 1


def test_a_question_as_one_column_and_as_option_columns_is_a_duplicated_column(small, tmp_path):
    header = ["Jag trivs", "Kanaler", "Kanaler [Telefon]", "Föredragen kanal", "Kanaler [Telefon]"]
    path = write_csv(tmp_path / "a.csv", [["Ja", "Telefon", "1", "Brev", "1"]], header=header)
    with pytest.raises(ValidationError) as info:
        read_waves([path], small)
    errors = [(p.kontroll, p.kolumn, p.meddelande) for p in info.value.report.errors()]
    assert errors == [
        ("dubblerad kolumn", "Kanaler [Telefon]", "kolumnen matchar samma fråga som kolumn 3 ('Kanaler [Telefon]')"),
        (
            "dubblerad kolumn",
            "Kanaler [Telefon]",
            "kolumnen är alternativet 'Telefon' i frågan m1, som redan finns som en kolumn (kolumn 2, 'Kanaler'); "
            "ange frågan antingen i en kolumn eller med en kolumn per alternativ",
        ),
    ]


def test_a_column_can_be_mapped_to_an_option(small, tmp_path):
    header = ["Jag trivs", "Tel", "Mejl", "Föredragen kanal"]
    path = write_csv(tmp_path / "a.csv", [["Ja", "1", "", "Brev"], ["Ja", "", "Ja", ""]], header=header)
    survey = read_waves([path], small, column_map={"Tel": "m1 [Telefon]", "Mejl": "m1 [e-post]"})
    assert ("okänd kolumn", "Tel") not in _problems(survey)
    assert _m_values(survey) == {(2, "m1"): 1, (3, "m1"): 2, (2, "m2"): 2, (3, "m2"): None}


def test_surveymonkey_select_all_that_apply_columns_are_read_as_one_question(small, tmp_path):
    # Row 1 question texts, row 2 the options; many rows with several ticks keep one column per option.
    top = ["Respondent ID", "Collector ID", "Jag trivs", "Kanaler", "", "", "Föredragen kanal"]
    sub = ["", "", "Response", "Telefon", "E-post", "Annat", "Response"]
    rows = [
        ["111111111", "1", "Ja", "Telefon", "E-post", "", "Brev"],
        ["111111112", "1", "Nej", "Telefon", "E-post", "Annat", ""],
        ["111111113", "1", "Delvis", "", "", "", ""],
    ]
    path = write_csv(tmp_path / "monkey.csv", [sub, *rows], header=top)
    assert read_raw(path).format == "surveymonkey"
    survey = read_waves([path], small)
    # Telefon + E-post = 1 + 2 = 3; all three = 7; nothing: blank. m2: Brev = 2.
    assert _m_values(survey) == {(3, "m1"): 3, (4, "m1"): 7, (5, "m1"): None, (3, "m2"): 2, (4, "m2"): None, (5, "m2"): None}
    assert _problems(survey) == []


def test_surveymonkey_multiple_choice_with_few_double_ticks_is_not_merged(small, tmp_path):
    # Only one row of four ticks two options: the reader alone would merge the group into one answer
    # (and call that row an error); the instrument asks m1 as multiple choice, so it stays one column per option.
    top = ["Respondent ID", "Collector ID", "Jag trivs", "Kanaler", "", "", "Föredragen kanal"]
    sub = ["", "", "Response", "Telefon", "E-post", "Annat", "Response"]
    rows = [
        ["111111111", "1", "Ja", "Telefon", "E-post", "", "Brev"],
        ["111111112", "1", "Nej", "Telefon", "", "", ""],
        ["111111113", "1", "Delvis", "", "E-post", "", ""],
        ["111111114", "1", "Ja", "", "", "Annat", ""],
    ]
    path = write_csv(tmp_path / "monkey.csv", [sub, *rows], header=top)
    survey = read_waves([path], small)
    assert {k: v for k, v in _m_values(survey).items() if k[1] == "m1"} == {(3, "m1"): 3, (4, "m1"): 1, (5, "m1"): 2, (6, "m1"): 4}
    assert _problems(survey) == []


# -- the built-in instrument reads as before ----------------------------------------------------------------


def test_the_samverkan_sample_waves_read_exactly_as_before():
    survey = read_waves(sorted((SAMPLES / "enkater").iterdir()), load_instrument("samverkan"))
    tidy = survey.tidy.assign(enkat=survey.tidy["enkat"].astype(str))
    # Reference: the same computation with the code before this change (int16, 5460e9b):
    # len(tidy) and sha256(tidy.to_csv(index=False)) printed 4740 and 775002f3….
    assert len(tidy) == 4740
    assert hashlib.sha256(tidy.to_csv(index=False).encode()).hexdigest() == (
        "775002f3c6953d5ed596c0eb2075c4a2dbafc6d14309f89190c51efd1d5dcd49"
    )


def test_an_option_label_beside_the_question_in_one_column_is_not_an_option(small, tmp_path):
    # "E-post" beside "Kanaler" may be the respondent's address: only beside another option column is it an option.
    header = ["Jag trivs", "Kanaler", "E-post", "Föredragen kanal"]
    path = write_csv(tmp_path / "a.csv", [["Ja", "Telefon; Annat", "anna@example.se", "Brev"]], header=header)
    survey = read_waves([path], small)
    assert _problems(survey) == [("okänd kolumn", "E-post")]
    assert _m_values(survey) == {(2, "m1"): 5, (2, "m2"): 2}  # Telefon + Annat = 1 + 4


@pytest.mark.parametrize("target", ["m1 [Brev]", "q1 [Ja]", "m3 [Telefon]", "m1[]"])
def test_a_mapping_to_an_option_that_does_not_exist_is_refused(small, tmp_path, target):
    path = write_csv(tmp_path / "a.csv", [["Ja", "1", "Brev"]], header=["Jag trivs", "Tel", "Föredragen kanal"])
    with pytest.raises(InputFileError, match=r"ett alternativ i en flervalsfråga \(t\.ex\. 'm01 \[Telefon\]'\)"):
        read_waves([path], small, column_map={"Tel": target})


def test_a_saknas_word_of_the_options_scale_is_missing_alone_and_an_error_beside_options():
    scale = Scale({1: "Telefon", 2: "E-post"}, frozenset(), missing=("Vet ej",), nominal=True, name="kanal")
    parser = MultipleParser(AnswerParser(scale), ";")
    assert (parser.parse("vet ej").status, parser.parse("vet ej").value) == (MISSING, None)
    assert parser.parse("Telefon; Vet ej").error == (
        "'Vet ej' kan inte väljas tillsammans med andra alternativ (alternativ: Telefon, E-post; flera val skiljs åt med ';')"
    )
    # A long cell is matched in time linear in its options: 3000 × "Telefon" is the option Telefon once.
    assert parser.parse("; ".join(["Telefon"] * 3000)).value == 1
