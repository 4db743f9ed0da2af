"""SurveyMonkey exports: the Swedish interface and the expanded column layout.

The fixtures are written by ``tests/fixtures/exports/generate_tools.py`` and hold
the same six respondents as ``plain.csv``; each must give the same tidy table.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from slutrapport.core.problems import ERROR
from slutrapport.sources.readers import RawTable, detect_format, read_raw
from slutrapport.sources.survey import load_instrument, read_waves
from tests.fixtures.exports import generate as gen
from tests.fixtures.exports import generate_tools as tools

EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"
FIXTURES = ["surveymonkey_sv.csv", "surveymonkey_sv.xlsx", "surveymonkey_expanded.csv"]
ANNAT = f"{gen.ORG_Q} [Annat]"


@pytest.fixture(scope="module")
def instrument():
    return load_instrument(EXPORTS / "instrument.yaml")


def tidy_key(survey) -> tuple[list, list]:
    tidy = survey.tidy
    rows = sorted(zip(tidy["organisation"].fillna(""), tidy["fraga"], tidy["varde"].fillna(-1.0), tidy["status"], strict=True))
    return rows, sorted(tidy.loc[tidy["status"] == "fritext", "svar"])


@pytest.fixture(scope="module")
def twin(instrument):
    return tidy_key(read_waves([EXPORTS / "plain.csv"], instrument))


def write_rows(path: Path, rows: list[list[object]]) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))
    return path


def write_xlsx(path: Path, rows: list[list[object]], blank_rows: int = 0) -> Path:
    workbook = Workbook()
    for _ in range(blank_rows):
        workbook.active.append([])
    for row in rows:
        workbook.active.append([None if v == "" else v for v in row])
    workbook.save(path)
    return path


# --------------------------------------------------------------------------- same table as plain.csv


@pytest.mark.parametrize("name", FIXTURES)
@pytest.mark.parametrize("forced", [None, "surveymonkey"])
def test_fixture_gives_the_same_tidy_table_as_the_plain_twin(name, forced, instrument, twin):
    path = EXPORTS / name
    raw = read_raw(path, format=forced)
    assert (raw.format, raw.header_row) == ("surveymonkey", 2)
    assert detect_format(path) == "surveymonkey"
    survey = read_waves([path], instrument, format=forced)
    assert tidy_key(survey) == twin
    assert not survey.report.errors(), survey.report.to_text()
    # The only remark: the empty "Annat (ange)" free-text column of the expanded export is not a question.
    assert {p.kolumn for p in survey.report.errors() + survey.report.warnings()} <= {ANNAT}
    assert set(survey.tidy["organisation"]) == set(gen.ORGS)


@pytest.mark.parametrize("name", FIXTURES)
def test_raw_table_contract_and_swedish_metadata_columns(name):
    raw = read_raw(EXPORTS / name)
    assert isinstance(raw, RawTable)
    assert list(raw.data.columns) == list(range(len(raw.columns)))
    assert all(isinstance(v, str) for v in raw.data.to_numpy().ravel())
    assert raw.columns[:9] == tools.SM_META_SV
    assert raw.meta_columns == set(range(9))
    assert raw.id_column == 0 and raw.data[0].iloc[0] == "118800112233"
    assert all(pos not in raw.meta_columns for pos in raw.alternatives)
    assert not raw.problems


def test_english_interface_sets_the_id_column_too():
    raw = read_raw(EXPORTS / "surveymonkey.xlsx")
    assert raw.id_column == 0 and raw.columns[0] == "Respondent ID"


@pytest.mark.parametrize("name", [*FIXTURES, "surveymonkey.csv"])
def test_metadata_never_becomes_a_question(name, instrument):
    survey = read_waves([EXPORTS / name], instrument)
    text = survey.tidy.astype(str).to_csv(index=False)
    assert not [value for value in gen.SENSITIVE if value in text]
    assert set(survey.tidy["fraga"]) <= {q.id for q in instrument.questions}
    raw = read_raw(EXPORTS / name)
    meta_headings = {raw.columns[p] for p in raw.meta_columns}
    assert {"E-postadress", "Förnamn", "Efternamn", "IP-adress"} <= meta_headings or name == "surveymonkey.csv"
    assert not any(h in meta_headings for pos, h in enumerate(raw.columns) if pos not in raw.meta_columns)


def test_input_files_are_never_modified(instrument):
    paths = [EXPORTS / name for name in FIXTURES]
    before = [(p.read_bytes(), p.stat().st_mtime_ns) for p in paths]
    for path in paths:
        read_waves([path], instrument)
    assert [(p.read_bytes(), p.stat().st_mtime_ns) for p in paths] == before


# --------------------------------------------------------------------------- expanded columns


def test_expanded_options_become_one_column_per_question():
    raw = read_raw(EXPORTS / "surveymonkey_expanded.csv")
    texts = [t for _, t in gen.ITEMS]
    assert raw.columns[9:] == [gen.ORG_Q, ANNAT, gen.KOD_Q, *texts, gen.FREE_Q]
    assert raw.data[9].tolist() == gen.ORGS
    for n, (_, text) in enumerate(gen.ITEMS):  # q02 ("1") and q04 ("X") hold tick marks; the label comes out
        assert raw.data[raw.columns.index(text)].tolist() == [gen.label(a[n]) for a in gen.ANSWERS]
    assert raw.data[10].tolist() == [""] * 6
    assert raw.alternatives.get(10) is None  # "Annat (ange)" is no name to match a question by


def test_other_free_text_is_kept_beside_the_merged_answer(tmp_path):
    top, sub, rows = tools.expanded_rows()
    other = sub.index(tools.OTHER_SV)
    rows[1][other] = "Kommunens IT-avdelning"
    rows[1][sub.index("Socialtjänsten")] = ""
    raw = read_raw(write_rows(tmp_path / "annat.csv", [top, sub, *rows]))
    assert raw.data[raw.columns.index(ANNAT)].tolist()[1] == "Kommunens IT-avdelning"
    assert raw.data[raw.columns.index(gen.ORG_Q)].tolist()[1] == ""
    assert not raw.problems


def _tick_twice(rows: list[list[object]], sub: list[str], respondent: int, item: int, extra: str) -> None:
    """Tick ``extra`` as well in respondent's answer to statement ``item``."""
    start = sub.index(gen.LABELS[1], len(tools.SM_META_SV) + len(tools.ORG_OPTIONS) + 2 + item * len(tools.SCALE))
    rows[respondent][start + tools.SCALE.index(extra)] = extra


@pytest.mark.parametrize("kind, blank_rows", [("csv", 0), ("xlsx", 0), ("xlsx", 3)])
def test_two_ticks_in_a_single_choice_question_is_an_error_on_the_row_excel_shows(tmp_path, kind, blank_rows):
    top, sub, rows = tools.expanded_rows()
    _tick_twice(rows, sub, gen.PLANTED["row"], 2, gen.LABELS[5])
    path = tmp_path / f"tva_kryss.{kind}"
    if kind == "csv":
        write_rows(path, [top, sub, *rows])
    else:
        write_xlsx(path, [top, sub, *rows], blank_rows)
    for forced in (None, "surveymonkey"):
        raw = read_raw(path, format=forced)
        assert [(p.fil, p.rad, p.kolumn, p.kontroll, p.allvar) for p in raw.problems] == [
            (path.name, blank_rows + 2 + gen.PLANTED["row"] + 1, gen.ITEMS[2][1], "flera svar", ERROR)
        ]
        problem = raw.problems[0]
        assert problem.varde == f"{gen.LABELS[1]}; {gen.LABELS[5]}"
        assert gen.LABELS[1] in problem.meddelande and "ett svar" in problem.meddelande
        assert raw.row_number(gen.PLANTED["row"]) == problem.rad
        assert raw.data[raw.columns.index(gen.ITEMS[2][1])].iloc[gen.PLANTED["row"]] == ""


def test_every_row_with_two_ticks_is_reported_once(tmp_path):
    top, sub, rows = tools.expanded_rows()
    _tick_twice(rows, sub, 0, 0, gen.DONT_KNOW)
    _tick_twice(rows, sub, 4, 3, gen.LABELS[1])
    raw = read_raw(write_rows(tmp_path / "kryss.csv", [top, sub, *rows]))
    assert sorted((p.rad, p.kolumn) for p in raw.problems) == [(3, gen.ITEMS[0][1]), (7, gen.ITEMS[3][1])]


def test_select_all_that_apply_question_keeps_one_column_per_option(tmp_path):
    top = ["Respondent ID", "Collector ID", "Vilka nätverk deltar du i?", "", "", gen.ORG_Q]
    sub = ["", "", "Styrgrupp", "Arbetsgrupp", "Referensgrupp", "Response"]
    rows = [
        ["1", "9", "Styrgrupp", "Arbetsgrupp", "", gen.ORGS[0]],
        ["2", "9", "Styrgrupp", "Arbetsgrupp", "Referensgrupp", gen.ORGS[1]],
        ["3", "9", "", "Arbetsgrupp", "", gen.ORGS[2]],
    ]
    raw = read_raw(write_rows(tmp_path / "flerval.csv", [top, sub, *rows]))
    assert raw.columns[2:5] == [f"Vilka nätverk deltar du i? [{s}]" for s in sub[2:5]]
    assert not raw.problems
    assert any("flervalsfråga" in note for note in raw.notes)


@pytest.mark.parametrize(
    "cells",
    [
        ["Instämmer helt", "Instämmer delvis"],  # a matrix: the cells are scale labels, not the row labels
        ["Ja", ""],  # a cell that is neither the option's label nor a tick mark
        ["", ""],  # nothing ticked anywhere: nothing to tell it by
    ],
)
def test_groups_that_are_not_clearly_expanded_options_stay_as_they_are(tmp_path, cells):
    top = ["Respondent ID", "Collector ID", "Fråga", ""]
    sub = ["", "", "Alternativ ett", "Alternativ två"]
    raw = read_raw(write_rows(tmp_path / "matris.csv", [top, sub, ["1", "9", *cells], ["2", "9", "", ""]]))
    assert raw.columns[2:] == ["Fråga [Alternativ ett]", "Fråga [Alternativ två]"]
    assert raw.data[2].tolist()[0] == cells[0]
    assert not raw.problems


def test_other_column_beside_a_single_response_column(tmp_path):
    top = ["Respondent ID", "Collector ID", gen.ORG_Q, ""]
    sub = ["", "", "Response", "Other (please specify)"]
    raw = read_raw(write_rows(tmp_path / "other.csv", [top, sub, ["1", "9", "", "Regionen"], ["2", "9", gen.ORGS[0], ""]]))
    assert raw.columns[2:] == [gen.ORG_Q, ANNAT]
    assert raw.data[3].tolist() == ["Regionen", ""]


def test_a_matrix_row_called_ovrigt_stays_a_matrix_row(tmp_path):
    top = ["Respondent ID", "Collector ID", gen.MATRIX_Q, ""]
    sub = ["", "", gen.ITEMS[0][1], "Övrigt"]
    raw = read_raw(write_rows(tmp_path / "ovrigt.csv", [top, sub, ["1", "9", gen.LABELS[4], gen.LABELS[2]]]))
    assert raw.columns[3] == f"{gen.MATRIX_Q} [Övrigt]"


def test_expanded_ticks_are_merged_in_a_workbook_too(tmp_path, instrument, twin):
    top, sub, rows = tools.expanded_rows()
    path = write_xlsx(tmp_path / "expanderad.xlsx", [top, sub, *rows], blank_rows=2)
    raw = read_raw(path)
    assert raw.header_row == 4 and not raw.problems
    assert tidy_key(read_waves([path], instrument)) == twin


def _merge_cell_by_cell(options, sub, data):
    """The reference for ``surveymonkey._merge``: every cell stripped and looked at by itself."""
    ticked = {i: [] for i in range(len(data))}
    for pos in options:
        for i in data.index[data[pos].str.strip() != ""]:
            ticked[i].append(sub[pos])
    merged = [labels[0] if len(labels) == 1 else "" for labels in ticked.values()]
    return merged, {i: labels for i, labels in ticked.items() if len(labels) > 1}, sum(1 for labels in ticked.values() if labels)


def test_merging_expanded_options_by_distinct_cells_equals_looking_at_each_cell():
    import random

    import pandas as pd

    from slutrapport.sources.readers import surveymonkey

    rng = random.Random(4)
    for _ in range(400):
        rows, width = rng.choice([0, 1, 5, 60]), rng.randint(2, 6)
        sub = [f"Alternativ {k}" for k in range(width)]
        cells = {pos: [rng.choice(["", "", " ", "\t", sub[pos], "1", "X", " x "]) for _ in range(rows)] for pos in range(width)}
        data = pd.DataFrame(cells, dtype=object) if rows else pd.DataFrame({pos: pd.Series([], dtype=object) for pos in range(width)})
        options = rng.sample(range(width), rng.randint(2, width))
        merged, multi, answered = surveymonkey._merge(options, sub, data)
        expected = _merge_cell_by_cell(options, sub, data)
        assert merged.tolist() == expected[0] and merged.dtype == object and merged.index.equals(data.index)
        assert multi == expected[1] and answered == expected[2]
