"""Column headings matched through the noise survey tools add, and what is said about the columns that do not match."""

from __future__ import annotations

import pandas as pd
import pytest

from slutrapport.core.errors import ValidationError
from slutrapport.core.problems import INFO, Problem
from slutrapport.sources.readers import RawTable
from slutrapport.sources.survey import ingest, load_instrument, read_waves
from slutrapport.sources.survey.matching import build_targets, heading_keys, sheet_score, strip_numbering
from tests.conftest import HEADER, write_csv

ROWS = [["AF", "k1", 5, 4, 2, "Bra"], ["Soc", "k2", 4, 3, 1, ""]]


def _read(tmp_path, mini_instrument, header, rows=ROWS, name="w.csv"):
    path = write_csv(tmp_path / name, rows, header=header)
    return read_waves([path], load_instrument(mini_instrument))


def _errors(tmp_path, mini_instrument, header, rows=ROWS):
    with pytest.raises(ValidationError) as info:
        _read(tmp_path, mini_instrument, header, rows)
    return info.value.report


@pytest.mark.parametrize(
    "heading",
    [
        "3. Fråga ett",
        "3.2. Fråga ett",
        "3.2) Fråga ett",
        "3) Fråga ett",
        "F3_2 Fråga ett",
        "F3. Fråga ett",
        "Q3 Fråga ett",
        "Q3_2. Fråga ett",
        "Fråga 3: Fråga ett",
        "Question 3: Fråga ett",
        "fråga 3.2 Fråga ett",
        "Fråga ett *",
        "Fråga ett*",
        "* Fråga ett",
        "<b>Fråga</b>&nbsp;ett",
        "<p>Fråga ett</p>",
        "Fråga<br/>ett",
        "Fråga\u00a0ett",
        "FR<i>Å</i>GA ETT",
        "Rubrik - Fråga ett",
        "Rubrik – Fråga ett",
        "Hur väl stämmer följande: Fråga ett",
        "Rubrik [Fråga ett]",
        "Q4 Hur väl stämmer följande? - 3.1 Fråga ett *",
    ],
)
def test_noisy_heading_matches_its_question(tmp_path, mini_instrument, heading):
    survey = _read(tmp_path, mini_instrument, [HEADER[0], HEADER[1], heading, *HEADER[3:]])
    q1 = survey.tidy[survey.tidy["fraga"] == "q1"]
    assert sorted(q1["varde"]) == [4.0, 5.0]
    assert not [p for p in survey.report.problems if p.kontroll in ("okänd kolumn", "saknad kolumn")]


@pytest.mark.parametrize(
    "heading",
    [
        "Fråga ett extra",  # more than the question
        "Fråga 3: Något annat",  # numbering stripped, but the text is another
        "Rubrik - Fråga ett - tillägg",  # the statement is not a question text
        "3.",  # only a number
    ],
)
def test_near_headings_do_not_match(tmp_path, mini_instrument, heading):
    report = _errors(tmp_path, mini_instrument, [HEADER[0], HEADER[1], heading, *HEADER[3:]])
    assert [p.kontroll for p in report.errors()] == ["saknad kolumn"]
    assert "frågan q1" in report.errors()[0].meddelande


def test_numbering_is_stripped_only_before_text():
    assert strip_numbering("q01") == "q01"
    assert strip_numbering("3.2") == "3.2"
    assert strip_numbering("f3_2") == "f3_2"
    assert strip_numbering("q3_2. jag vet") == "jag vet"
    assert strip_numbering("fråga 3: 3.2 jag vet") == "jag vet"
    assert heading_keys("Q01")[0] == "q01"


def test_question_id_heading_still_matches(tmp_path):
    instrument = tmp_path / "ids.yaml"
    instrument.write_text(
        "id: ids\nnamn: Id\nskala:\n  varden: {1: Nej, 2: Ja}\n  positiva: [2]\nbakgrund:\n  organisation: Organisation\n"
        "fragor:\n  - {id: q01, text: \"3. Jag vet vem jag ska kontakta\"}\n  - {id: q02, text: \"<b>Det är lätt</b>\"}\n",
        encoding="utf-8",
    )
    path = write_csv(tmp_path / "ids.csv", [["AF", 1, 2]], header=["Organisation", "Q01", "Det är lätt *"])
    survey = read_waves([path], load_instrument(instrument))
    assert sorted(survey.tidy["fraga"]) == ["q01", "q02"]
    path = write_csv(tmp_path / "texts.csv", [["AF", 1, 2]], header=["Organisation", "Jag vet vem jag ska kontakta", "q02"])
    assert sorted(read_waves([path], load_instrument(instrument)).tidy["fraga"]) == ["q01", "q02"]


def test_two_columns_that_match_one_question_are_an_error(tmp_path, mini_instrument):
    header = [HEADER[0], HEADER[1], "Fråga ett", *HEADER[3:], "1. Fråga ett *"]
    report = _errors(tmp_path, mini_instrument, header, [[*row, 3] for row in ROWS])
    (error,) = report.errors()
    assert error.kontroll == "dubblerad kolumn" and error.kolumn == "1. Fråga ett *"
    assert "samma fråga som kolumn 3 ('Fråga ett')" in error.meddelande


def test_unknown_column_suggests_the_closest_question(tmp_path, mini_instrument):
    header = [HEADER[0], HEADER[1], HEADER[2], "3. Fråga tvåå", *HEADER[4:]]
    report = _errors(tmp_path, mini_instrument, header)
    (unknown,) = [p for p in report.warnings() if p.kontroll == "okänd kolumn"]
    assert unknown.kolumn == "3. Fråga tvåå"
    assert "närmast liknande fråga: q2 'Fråga två'" in unknown.meddelande
    (missing,) = report.errors()
    assert "frågan q2 ('Fråga två') finns inte i filen; närmast liknande kolumn: '3. Fråga tvåå'" in missing.meddelande


def test_unrelated_unknown_column_gets_no_suggestion(tmp_path, mini_instrument):
    survey = _read(tmp_path, mini_instrument, [*HEADER, "Webbläsare"], [[*row, "Firefox"] for row in ROWS])
    (unknown,) = [p for p in survey.report.warnings() if p.kontroll == "okänd kolumn"]
    assert unknown.meddelande == "kolumnen matchar ingen fråga i instrumentet och används inte"


METADATA = ["#", "Start Date", "Submit Date", "Network ID", "Tags", "Ending", "Landed At", "Browser", "Platform", "Referer", "Score", "Token"]


def test_many_unknown_columns_are_one_summary_line(tmp_path, mini_instrument):
    rows = [[*row, *(f"x{i}" for i in range(len(METADATA)))] for row in ROWS]
    survey = _read(tmp_path, mini_instrument, [*HEADER, *METADATA], rows)
    (summary,) = [p for p in survey.report.warnings() if p.kontroll == "okänd kolumn"]
    assert summary.meddelande == (
        "12 kolumner matchar ingen fråga i instrumentet och används inte: '#', 'Start Date', 'Submit Date' … (och 9 till)"
    )
    assert summary.fil == "w.csv" and summary.kolumn is None


def test_three_unknown_columns_are_listed_one_by_one(tmp_path, mini_instrument):
    rows = [[*row, "a", "b", "c"] for row in ROWS]
    survey = _read(tmp_path, mini_instrument, [*HEADER, *METADATA[1:4]], rows)
    unknown = [p.kolumn for p in survey.report.warnings() if p.kontroll == "okänd kolumn"]
    assert unknown == METADATA[1:4]


def _wide_instrument(tmp_path, scale: int, freetext: int):
    lines = ["id: bred", "namn: Bred", "skala:", "  varden: {1: Nej, 2: Ja}", "  positiva: [2]", "bakgrund:", "  organisation: Organisation", "fragor:"]
    lines += [f"  - {{id: s{i}, text: Skalfråga {i}}}" for i in range(1, scale + 1)]
    lines += [f"  - {{id: t{i}, text: Fritext {i}, typ: fritext}}" for i in range(1, freetext + 1)]
    path = tmp_path / "bred.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load_instrument(path)


def test_missing_freetext_questions_are_summarised_but_errors_never(tmp_path):
    instrument = _wide_instrument(tmp_path, scale=6, freetext=5)
    path = write_csv(tmp_path / "w.csv", [["AF", 1]], header=["Organisation", "Skalfråga 1"])
    with pytest.raises(ValidationError) as info:
        read_waves([path], instrument)
    report = info.value.report
    assert len(report.errors()) == 5 and all(p.kontroll == "saknad kolumn" for p in report.errors())
    (summary,) = report.warnings()
    assert summary.meddelande == (
        "5 frågor som inte krävs finns inte i filen: t1 'Fritext 1', t2 'Fritext 2', t3 'Fritext 3' … (och 2 till)"
    )


def _table(columns: list[str], rows: int = 2, name: str = "bok.xlsx") -> RawTable:
    from pathlib import Path

    data = pd.DataFrame([["4"] * len(columns)] * rows, columns=range(len(columns)))
    return RawTable(path=Path(name), columns=columns, data=data)


def test_sheet_score_prefers_the_answer_sheet(mini_instrument):
    score = sheet_score(build_targets(load_instrument(mini_instrument), {}))
    answers = _table(["Organisation", "1. Fråga ett *", "Fråga två", "Fråga tre är negativ"])
    info = _table(["Om enkäten", "Fråga ett"])
    assert score(answers) == 4.0 and score(info) == 1.0


def test_ingest_asks_read_raw_for_the_best_sheet(monkeypatch, tmp_path, mini_instrument):
    """read_raw gets a `prefer` that picks a workbook's answer sheet over its information sheet."""
    info = RawTable(path=tmp_path / "bok.xlsx", columns=["Information"], data=pd.DataFrame([["Enkäten om samverkan"]]), sheet="Info")
    answers = RawTable(path=tmp_path / "bok.xlsx", columns=HEADER, data=pd.DataFrame([[str(v) for v in row] for row in ROWS]), sheet="Svar")

    def fake_read_raw(path, format=None, *, options=None, prefer=None):
        assert prefer is not None
        return max([info, answers], key=prefer)

    monkeypatch.setattr(ingest, "read_raw", fake_read_raw)
    (tmp_path / "bok.xlsx").write_bytes(b"not read")
    survey = read_waves([tmp_path / "bok.xlsx"], load_instrument(mini_instrument))
    assert sorted(survey.tidy.loc[survey.tidy["fraga"] == "q1", "varde"]) == [4.0, 5.0]


def test_reader_notes_and_problems_reach_the_report(monkeypatch, tmp_path, mini_instrument):
    real = ingest.read_raw
    problem = Problem("w.csv", 3, "Fråga två", "flera val", "4;5", "två alternativ har valts i en fråga med ett svar", "fel")

    def read(path, format=None, *, options=None, prefer=None):
        raw = real(path, format, options=options, prefer=prefer)
        raw.notes.append("raderna 1–2 ovanför rubrikraden hoppades över")
        raw.problems.append(problem)
        return raw

    monkeypatch.setattr(ingest, "read_raw", read)
    report = _errors(tmp_path, mini_instrument, HEADER)
    note, count = report.infos()
    assert (note.fil, note.kontroll, note.meddelande) == ("w.csv", "inläsning", "raderna 1–2 ovanför rubrikraden hoppades över")
    assert note.allvar == INFO
    assert count.meddelande.startswith("2 datarader lästes; 2 svarande ingår")  # every file's rows are counted
    assert report.errors() == [problem]


def test_a_file_split_by_wave_reports_its_columns_once(tmp_path, mini_instrument):
    rows = [["Enkät 1", *ROWS[0], "x"], ["Enkät 2", *ROWS[1], "y"]]
    path = write_csv(tmp_path / "alla.csv", rows, header=["Enkät", *HEADER, "Webbläsare"])
    survey = read_waves([path], load_instrument(mini_instrument), wave_column="Enkät")
    assert survey.waves == ["Enkät 1", "Enkät 2"]
    assert [p.kolumn for p in survey.report.warnings() if p.kontroll == "okänd kolumn"] == ["Webbläsare"]
