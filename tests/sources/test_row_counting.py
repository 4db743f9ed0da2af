"""No respondent is lost without a word: ragged rows, unclosed quotes and every row left out are named.

The reader reports a data row with more or fewer fields than the header and a
quoted field that never closes; ingest counts every file's rows and names each
row it leaves out; the participant register and the self-evaluation forms
name what they do not read.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from slutrapport.core.errors import ValidationError
from slutrapport.core.problems import ERROR, INFO, WARNING, ValidationReport
from slutrapport.sources.forms.definition import load_definition
from slutrapport.sources.forms.excel_form import FORM_SHEET, form_workbook, workbook_bytes
from slutrapport.sources.forms.read import read_forms
from slutrapport.sources.readers import ReadOptions, read_raw
from slutrapport.sources.readers.records import LISTED
from slutrapport.sources.register.participants import RegisterValidationError, read_register
from slutrapport.sources.survey import load_instrument, read_waves
from slutrapport.sources.survey.counting import RowLedger, report_rows
from slutrapport.sources.survey.reshape import WaveTable

HEAD = "Organisation,Kod,Fråga ett,Fråga två,Fråga tre är negativ,Övriga synpunkter"


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def of(problems, kontroll: str) -> list:
    return [p for p in problems if p.kontroll == kontroll]


def count_of(report: ValidationReport, name: str) -> str:
    (info,) = [p for p in report.infos() if p.fil == name and "datarad" in p.meddelande]
    return info.meddelande


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


# ---------------------------------------------------------------------------------- counting in ingest


def _named(problems, name: str) -> set[int]:
    """Every row a problem of file ``name`` names: its ``rad``, the rows listed in its message,
    and for an unclosed quote every row from it on."""
    rows: set[int] = set()
    for p in problems:
        if p.fil != name:
            continue
        if p.rad is not None:
            rows.add(p.rad)
        if p.kontroll == "citattecken":
            rows.update(range(p.rad, 1000))
        for listed in re.findall(r"\brad(?:erna)? ((?:\d+(?:–\d+)?(?:, )?)+)", p.meddelande):
            for part in listed.split(", "):
                first, _, last = part.partition("–")
                rows.update(range(int(first), int(last or first) + 1))
    return rows


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


HOSTILE = {
    "ojämn.csv": f"{HEAD}\nAF,k1,4,4,2,Bra\nAF,k2,3,3\n\nSoc,k3,5,5,1,,\nSoc,k4,2,2,2,Ok,\n,,,,,\n",
    "tomma.csv": f"{HEAD}\n\n\nAF,k1,4,4,2,Bra\n   \n\nSoc,k2,3,3,3,\n,,,,,\n",
    "bara_tid.csv": f"Tidstämpel,{HEAD}\n2025-03-01 10:00,AF,k1,4,4,2,\n2025-03-01 10:05,,,,,,\n2025-03-01 10:07,AF,,,,,Bara text\n"
    "2025-03-01 10:09,,,,,,Vet inte\n2025-03-01 11:00,Soc,k2,3,3,3,\n",
    "extra.csv": f"{HEAD},Anteckning\nAF,k1,4,4,2,,\n,,,,,,bara en anteckning\nSoc,k2,3,3,3,,\n",
    "citat.csv": f'{HEAD}\nAF,k1,4,4,2,Bra\nAF,k2,3,3,3,"Dåligt\nSoc,k3,5,5,1,\nSoc,k4,2,2,2,\n',
    "förskjuten.csv": f"{HEAD}\nAF,k1,4,4,2,Bra, men långsamt\nAF,k2,3,3,3,\n",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_every_data_row_is_a_respondent_or_named_in_a_problem(tmp_path, mini_instrument, name):
    path = write(tmp_path, name, HOSTILE[name])
    try:
        survey = read_waves([path], load_instrument(mini_instrument))
    except ValidationError as exc:  # no tidy table: the rows no problem names must be the respondents counted
        report, kept = exc.report, None
    else:
        report, kept = survey.report, set(survey.tidy["rad"])
    count = re.match(r"(\d+) datarad(?:er)? lästes; (\d+) svarande ingår; \d+ rad(?:er)? utan svar", count_of(report, name))
    assert count is not None
    unnamed = [r for r in range(2, _lines(path) + 1) if r not in _named(report.problems, name)]
    if kept is None:
        assert len(unnamed) <= int(count.group(2))
    else:
        assert [r for r in unnamed if r not in kept] == []


def test_the_count_adds_up_and_names_every_row_without_answers(tmp_path, mini_instrument):
    survey = read_waves([write(tmp_path, "ojämn.csv", HOSTILE["ojämn.csv"])], load_instrument(mini_instrument))
    assert sorted(survey.tidy["rad"].unique()) == [2, 3, 5, 6]
    assert count_of(survey.report, "ojämn.csv") == "6 datarader lästes; 4 svarande ingår; 2 rader utan svar (rad 4, 7)"
    assert [(p.rad, p.kontroll) for p in survey.report.warnings()] == [(3, "för få fält"), (5, "för många fält"), (6, "för många fält")]


def test_rows_with_only_a_timestamp_are_warned_about(tmp_path, mini_instrument):
    survey = read_waves([write(tmp_path, "bara_tid.csv", HOSTILE["bara_tid.csv"])], load_instrument(mini_instrument))
    (bare,) = of(survey.report.problems, "rad utan svar")
    assert (bare.rad, bare.allvar) == (3, WARNING)
    assert bare.meddelande.startswith("1 rad har inga svar på instrumentets frågor, bara andra uppgifter som tidsstämpel eller id (rad 3); den ")
    assert len(of(survey.report.problems, "svarande utan svar")) == 1  # rows 4 and 5: an organisation or a free text
    assert count_of(survey.report, "bara_tid.csv") == "5 datarader lästes; 2 svarande ingår; 3 rader utan svar (rad 3, 4, 5)"


def test_a_row_filled_only_in_a_column_that_is_no_question_is_warned_about(tmp_path, mini_instrument):
    survey = read_waves([write(tmp_path, "extra.csv", HOSTILE["extra.csv"])], load_instrument(mini_instrument))
    (bare,) = of(survey.report.problems, "rad utan svar")
    assert bare.rad == 3


MONKEY = ["Respondent ID", "Collector ID", "Start Date"]


def test_rows_left_out_for_a_repeated_id_are_in_the_count(tmp_path, mini_instrument):
    head = ",".join([*MONKEY, HEAD])
    sub = ",".join([""] * len(MONKEY) + ["Response"] * 6)
    rows = ["101,9,2025-03-01,AF,k1,4,4,2,", "102,9,2025-03-01,AF,k2,3,3,3,", "101,9,2025-03-02,AF,k1,5,5,1,", "103,9,2025-03-02,,,,,,"]
    survey = read_waves([write(tmp_path, "monkey.csv", "\n".join([head, sub, *rows]) + "\n")], load_instrument(mini_instrument))
    assert survey.tidy["rad"].unique().tolist() == [3, 4]
    assert len(of(survey.report.problems, "dubblerat id")) == 1
    assert count_of(survey.report, "monkey.csv") == (
        "4 datarader lästes; 2 svarande ingår; 1 rad utan svar (rad 6); "
        "1 rad med ett svarande-id som redan förekommit (rad 5)"
    )


def test_rows_whose_wave_column_is_blank_are_named(tmp_path, mini_instrument):
    text = f"Mätning,{HEAD}\n1,AF,k1,4,4,2,\n,AF,k2,3,3,3,\n2,Soc,k3,5,5,1,\n,,,,,,\n"
    survey = read_waves([write(tmp_path, "vågor.csv", text)], load_instrument(mini_instrument), wave_column="Mätning")
    (missing,) = of(survey.report.problems, "enkät saknas")
    assert (missing.rad, missing.allvar) == (3, WARNING)
    assert missing.meddelande == "1 rad anger ingen enkät i kolumnen 'Mätning' (rad 3); den ingår inte i resultaten"
    assert count_of(survey.report, "vågor.csv") == (
        "4 datarader lästes; 2 svarande ingår; 1 rad utan svar (rad 5); 1 rad utan enkät i kolumnen 'Mätning' (rad 3)"
    )


def test_long_rows_without_a_respondent_or_question_are_named(tmp_path, mini_instrument):
    questions = ["Fråga ett", "Fråga två", "Fråga tre är negativ"]
    rows = [*(f"r1,AF,{q},4" for q in questions), ",AF,Fråga två,3", "r1,AF,,5", *(f"r2,Soc,{q},2" for q in questions), ",,,"]
    text = "\n".join(["respondent,organisation,fråga,svar", *rows]) + "\n"
    survey = read_waves([write(tmp_path, "lång.csv", text)], load_instrument(mini_instrument))
    (unused,) = of(survey.report.problems, "rad utan svarande")
    assert (unused.rad, unused.allvar) == (5, WARNING)
    assert unused.meddelande == "2 rader saknar svarande eller fråga (rad 5, 6); de ingår inte i resultaten"
    assert count_of(survey.report, "lång.csv") == (
        "9 datarader lästes (en rad per svar); 2 svarande ingår; 1 rad utan svar (rad 10); "
        "2 rader utan svarande eller fråga (rad 5, 6)"
    )


def test_a_row_no_check_accounts_for_is_still_named(tmp_path):
    raw = read_raw(write(tmp_path, "nät.csv", f"{HEAD}\nAF,k1,4,4,2,\nSoc,k2,3,3,3,\n"))
    ledger = RowLedger.of(raw)
    ledger.kept_rows(WaveTable(raw), raw.data.index[:1])  # row 3 is never accounted for
    report = ValidationReport()
    report_rows([ledger], report)
    lost, count = report.problems
    assert (lost.rad, lost.kontroll, lost.allvar) == (3, "rad ingår inte", WARNING)
    assert count.allvar == INFO and count.meddelande.endswith("1 rad som inte kunde läsas (rad 3)")


# ------------------------------------------------------------------------- the register and the forms


REGISTER_HEAD = "id;kon;inskrivningsdatum;avslutsdatum;status;forsorjning;Kommentar"


def test_register_rows_with_only_unused_columns_and_ragged_rows_are_named(tmp_path):
    rows = ["1;K;2025-02-01;;;lön;", ";;;;;;ringde inte tillbaka", ";;;;;;", "2;M;2025-03-01;;;lön"]
    (tmp_path / "deltagare.csv").write_text("\n".join([REGISTER_HEAD, *rows]) + "\n", encoding="utf-8")
    register = read_register({"fil": "deltagare.csv"}, tmp_path)
    assert register.table["rad"].tolist() == [2, 5]
    problems = register.report.problems
    assert [(p.rad, p.kontroll) for p in problems if p.rad != 1] == [(5, "för få fält"), (3, "rad utan uppgifter")]
    assert "den räknas inte som deltagare" in of(problems, "rad utan uppgifter")[0].meddelande


def test_register_with_an_unclosed_quote_is_an_error(tmp_path):
    rows = ['1;K;2025-02-01;;;"lön;', "2;M;2025-03-01;;;lön;"]
    (tmp_path / "deltagare.csv").write_text("\n".join([REGISTER_HEAD, *rows]) + "\n", encoding="utf-8")
    with pytest.raises(RegisterValidationError) as info:
        read_register({"fil": "deltagare.csv"}, tmp_path)
    assert [(p.rad, p.kontroll) for p in info.value.report.errors()][:1] == [(2, "citattecken")]


def test_a_form_answer_typed_on_a_row_that_is_no_question_is_warned_about(tmp_path):
    definition = load_definition()
    path = tmp_path / "svar.xlsx"
    path.write_bytes(workbook_bytes(form_workbook(definition)))
    wb = load_workbook(path)
    ws = wb[FORM_SHEET]
    rows = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value}
    ws.cell(rows["_roll"], 3).value = definition.roles[0]
    ws.cell(rows["_tillfalle"], 3).value = definition.occasions[0]
    text = next(q for q in definition.questions if q.kind != "skala")
    ws.cell(rows[text.id], 3).value = "Ett svar"
    ws.cell(2, 3).value = "Också ett svar"  # beside the instruction above the form
    wb.save(path)
    (stray,) = of(read_forms(path, definition).report.problems, "svar utan fråga")
    assert (stray.rad, stray.kolumn, stray.varde, stray.allvar) == (2, f"{FORM_SHEET}!C2", "Också ett svar", WARNING)
