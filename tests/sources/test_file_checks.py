"""Mistakes with the files given for the waves: the same export twice, the same respondents twice, an ID on several rows."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from slutrapport.cli import cli
from slutrapport.core.errors import ValidationError
from slutrapport.sources.readers import ReadOptions
from slutrapport.sources.survey import ingest, load_instrument, read_waves
from slutrapport.sources.survey.checks import _row_counts, is_distinctive
from tests.conftest import HEADER, write_csv

#: SurveyMonkey's own columns in row 1; row 2 says "Response" under each question.
MONKEY_META = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address", "Email Address", "First Name", "Last Name", "Custom Data 1"]


@pytest.fixture(autouse=True)
def tool_ids(monkeypatch):
    """The SurveyMonkey reader's ID column, for readers that do not name it yet (a no-op once they do)."""
    real = ingest.read_raw

    def read(path, format=None, *, options=None, prefer=None):
        raw = real(path, format, options=options, prefer=prefer)
        if raw.id_column is None and raw.format == "surveymonkey":
            raw.id_column = raw.columns.index("Respondent ID")
        return raw

    monkeypatch.setattr(ingest, "read_raw", read)


def write_monkey(path, rows):
    """A SurveyMonkey CSV export; ``rows`` are [respondent id, organisation, kod, q1, q2, q3, f1]."""
    sub = [""] * len(MONKEY_META) + ["Response"] * len(HEADER)
    meta = ["4445", "2025-03-01 10:00", "2025-03-01 10:05", "", "", "", "", ""]
    return write_csv(path, [sub, *([row[0], *meta, *row[1:]] for row in rows)], header=[*MONKEY_META, *HEADER])


def _answers(n: int, shift: int = 0) -> list[list[object]]:
    """``n`` rows of answers; a different ``shift`` gives different answers."""
    return [["AF" if i % 2 else "Soc", f"k{i}", 1 + (i + shift) % 5, 1 + (2 * i + shift) % 5, 1 + (3 * i + shift) % 5, ""] for i in range(n)]


def _report(paths, instrument, **kwargs):
    try:
        return read_waves(paths, load_instrument(instrument), **kwargs).report
    except ValidationError as exc:
        return exc.report


def _of(report, kontroll):
    return [p for p in report.problems if p.kontroll == kontroll]


# ---------------------------------------------------------------- the same file for two waves


def test_the_same_file_for_two_waves_is_an_error(tmp_path, mini_instrument):
    path = write_csv(tmp_path / "f1.csv", _answers(3))
    report = _report([path, path], mini_instrument)
    (error,) = report.errors()
    assert error.kontroll == "samma fil" and error.fil == "f1.csv"
    assert "samma fil (samma innehåll) har angetts för Enkät 1 och Enkät 2 (filen f1.csv två gånger)" in error.meddelande


def test_a_copy_under_another_name_is_the_same_file(tmp_path, mini_instrument):
    path = write_csv(tmp_path / "var.csv", _answers(3))
    copy = tmp_path / "host.csv"
    shutil.copy(path, copy)
    report = _report([path, copy], mini_instrument, labels=["Vår", "Höst"])
    (error,) = report.errors()
    assert error.fil == "var.csv, host.csv"
    assert "samma fil (samma innehåll) har angetts för Vår och Höst (filerna var.csv och host.csv)" in error.meddelande


# ---------------------------------------------------------------- the same answers for two waves


def _xlsx(path, rows):
    workbook = Workbook()
    workbook.active.append(HEADER)
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


def test_the_xlsx_and_the_csv_of_one_export_are_the_same_answers(tmp_path, mini_instrument):
    rows = _answers(6)
    report = _report([_xlsx(tmp_path / "svar.xlsx", rows), write_csv(tmp_path / "svar.csv", rows)], mini_instrument)
    (error,) = report.errors()
    assert error.kontroll == "samma svar" and error.fil == "svar.xlsx, svar.csv"
    assert error.meddelande.startswith("6 av 6 rader har precis samma svar i Enkät 1 och Enkät 2")


@pytest.mark.parametrize("rows, equal, reported", [(5, 5, True), (4, 4, False), (10, 9, True), (10, 8, False)])
def test_same_answers_need_five_rows_and_ninety_percent(tmp_path, mini_instrument, rows, equal, reported):
    first = _answers(rows)
    second = first[:equal] + [["AF", f"x{i}", 3, 3, 3, "annat"] for i in range(rows - equal)]
    # Written with another separator: the same answers in files that are not the same bytes.
    report = _report([write_csv(tmp_path / "a.csv", first), write_csv(tmp_path / "b.csv", second, sep=";")], mini_instrument)
    assert bool(_of(report, "samma svar")) == reported
    assert report.valid != reported


def test_a_small_survey_where_everyone_answers_alike_is_not_the_same_file(tmp_path, mini_instrument):
    # Twelve people giving the same answers in both waves share rows by chance, not by file:
    # only two distinct rows of answers, fewer than five.
    alike = [["AF" if i % 2 else "Soc", f"k{i}", 5, 5, 4, ""] for i in range(12)]
    again = [["AF" if i % 2 else "Soc", f"m{i}", 5, 5, 4, ""] for i in range(12)]
    report = _report([write_csv(tmp_path / "a.csv", alike), write_csv(tmp_path / "b.csv", again)], mini_instrument)
    assert not _of(report, "samma svar") and report.valid


def test_waves_with_different_answers_are_not_the_same(tmp_path, mini_instrument):
    report = _report([write_csv(tmp_path / "a.csv", _answers(8)), write_csv(tmp_path / "b.csv", _answers(8, shift=1))], mini_instrument)
    assert report.valid


# ---------------------------------------------------------------- the same respondents for two waves


def test_distinctive_ids():
    assert is_distinctive("114873223451") and is_distinctive("R_3kXa9") and is_distinctive("a1")
    assert not is_distinctive("12") and not is_distinctive("12345")
    # A person (e-mail or name, as Artologik writes it) may answer every wave: not a response ID.
    assert not is_distinctive("anna.berg@kommun.se") and not is_distinctive("Anna Berg")


def test_the_same_tool_ids_for_two_waves_are_an_error(tmp_path, mini_instrument):
    ids = [f"1148732234{i:02d}" for i in range(4)]
    first = write_monkey(tmp_path / "m1.csv", [[v, *a] for v, a in zip(ids, _answers(4), strict=True)])
    second = write_monkey(tmp_path / "m2.csv", [[v, *a] for v, a in zip(ids[:3] + ["114873229999"], _answers(4, 2), strict=True)])
    report = _report([first, second], mini_instrument)
    (error,) = report.errors()
    assert error.kontroll == "samma svarande" and error.fil == "m1.csv, m2.csv"
    assert error.meddelande.startswith(
        "3 svarande-id finns både i Enkät 1 (4 id) och i Enkät 2 (4 id), t.ex. '114873223400', '114873223401', '114873223402'"
    )


def test_half_of_the_ids_is_not_enough(tmp_path, mini_instrument):
    first = write_monkey(tmp_path / "m1.csv", [[f"R_a{i}", *a] for i, a in enumerate(_answers(4))])
    second = write_monkey(tmp_path / "m2.csv", [[f"R_{'a' if i < 2 else 'b'}{i}", *a] for i, a in enumerate(_answers(4, 3))])
    assert not _of(_report([first, second], mini_instrument), "samma svarande")


def test_short_running_numbers_are_not_compared(tmp_path, mini_instrument):
    first = write_monkey(tmp_path / "m1.csv", [[i + 1, *a] for i, a in enumerate(_answers(6))])
    second = write_monkey(tmp_path / "m2.csv", [[i + 1, *a] for i, a in enumerate(_answers(6, 1))])
    assert _report([first, second], mini_instrument).valid


# ---------------------------------------------------------------- an ID on several rows of one file


def _duplicated(tmp_path):
    rows = [["R_x1", *_answers(4)[0]], ["R_x2", *_answers(4)[1]], ["R_x1", *_answers(4)[2]], ["R_x2", *_answers(4)[3]], ["R_x1", *_answers(5)[4]]]
    return write_monkey(tmp_path / "dubbel.csv", rows)


def test_an_id_on_several_rows_counts_its_first_row_only(tmp_path, mini_instrument):
    survey = read_waves([_duplicated(tmp_path)], load_instrument(mini_instrument))
    (warning,) = _of(survey.report, "dubblerat id")
    assert warning.allvar == "varning" and warning.kolumn == "Respondent ID" and warning.fil == "dubbel.csv"
    assert warning.meddelande == (
        "2 svarande-id förekommer på flera rader: 'R_x1' (rad 3, 5, 7); 'R_x2' (rad 4, 6); bara den första raden för "
        "varje id räknas; 3 senare rader är uteslutna (rad 5, 6, 7). Ange --behall-dubbletter för att räkna alla rader"
    )
    assert sorted(survey.tidy["rad"].unique()) == [3, 4]
    assert survey.report.valid


def test_kept_duplicates_count_every_row(tmp_path, mini_instrument):
    survey = read_waves([_duplicated(tmp_path)], load_instrument(mini_instrument), options=ReadOptions(keep_duplicates=True))
    (warning,) = _of(survey.report, "dubblerat id")
    assert warning.meddelande.endswith("; alla rader räknas, eftersom dubbletter ska behållas")
    assert sorted(survey.tidy["rad"].unique()) == [3, 4, 5, 6, 7]


def test_blank_rows_do_not_count_as_an_ids_first_row(tmp_path, mini_instrument):
    path = write_monkey(tmp_path / "m.csv", [["R_1", "", "", "", "", "", ""], ["R_1", *_answers(1)[0]], ["R_2", *_answers(2)[1]]])
    survey = read_waves([path], load_instrument(mini_instrument))
    assert not _of(survey.report, "dubblerat id")
    assert sorted(survey.tidy["rad"].unique()) == [4, 5]


# ---------------------------------------------------------------- the command line


def test_validate_the_same_file_twice_exits_1_with_a_swedish_message(tmp_path, mini_instrument):
    path = write_csv(tmp_path / "f1.csv", _answers(3))
    result = CliRunner().invoke(cli, ["validate", str(path), str(path), "--instrument", str(mini_instrument)])
    assert result.exit_code == 1, result.output
    assert "samma fil (samma innehåll) har angetts för Enkät 1 och Enkät 2" in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)  # a clean exit, not a crash


def test_validate_duplicates_within_a_file_exits_0_with_the_warning(tmp_path, mini_instrument):
    result = CliRunner().invoke(cli, ["validate", str(_duplicated(tmp_path)), "--instrument", str(mini_instrument)])
    assert result.exit_code == 0, result.output
    assert "dubblerat id" in result.output and "R_x1" in result.output


def test_qualtrics_response_ids_are_the_id_column():
    from slutrapport.sources.readers import read_raw

    raw = read_raw(Path(__file__).resolve().parents[1] / "fixtures" / "exports" / "qualtrics.csv")
    assert raw.id_column is not None and raw.columns[raw.id_column].replace(" ", "").lower() == "responseid"


def test_rows_equal_in_two_waves_are_counted_alike_when_the_count_may_stop_early():
    rng = np.random.default_rng(5)
    for copied in (0.0, 0.5, 0.95, 1.0):
        size = 3000
        a = rng.integers(7, size=(40, size))
        b = rng.integers(7, size=(40, size))
        same = rng.random(size) < copied
        b[:, same] = a[:, same]
        keys = np.array([str(k) for k in range(7)], dtype=object)
        columns = [((a[c], keys), (b[c], keys)) for c in range(40)]
        full = _row_counts(columns, size)
        equal = int(np.minimum(*full).sum())
        rows = pd.Series([tuple(r) for r in a.T] + [tuple(r) for r in b.T]).factorize()[0]  # every row as one key
        n = rows.max() + 1
        assert equal == int(np.minimum(np.bincount(rows[:size], minlength=n), np.bincount(rows[size:], minlength=n)).sum())
        for least in (1, equal, equal + 1, size):
            stopped = _row_counts(iter(columns), size, least)
            if equal < least:
                assert stopped is None
            else:
                assert stopped is not None and all((x == y).all() for x, y in zip(stopped, full, strict=True))
