"""The columns of one scale's questions numbered by one array of their texts (``codes.factorize_together``)
give the same tidy table and the same validation report, in the same order, as each column numbered alone."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from slutrapport.core.errors import ValidationError
from slutrapport.sources.survey import codes as survey_codes
from slutrapport.sources.survey import columns as survey_columns
from slutrapport.sources.survey import load_instrument, read_waves

SAMPLES = Path(__file__).resolve().parents[2] / "data_samples"
INSTRUMENTS = ["samverkan", SAMPLES / "blandad.yaml", SAMPLES / "indikator.yaml"]
JUNK = ["17", "kanske", " Instämmer helt ", "Instämmer  helt", "0", "6", "ja", "Nej", "x", "3,5", "\u00a0"]


def _pool(instrument, junk: bool) -> list[str]:
    """Answers to draw from: every scale's labels and values, missing answers, blanks and (``junk``) wrong ones."""
    texts = ["", "", "Vet ej"]
    for question in instrument.questions:
        scale = instrument.scale_for(question)
        if scale is not None:
            texts += [label for label in scale.values.values() if label] + [str(v) for v in scale.values]
    return sorted(set(texts)) + (JUNK if junk else [])


def _write_wave(path: Path, instrument, rng: random.Random, rows: int, junk: bool) -> None:
    pool = _pool(instrument, junk)
    headings = [instrument.background["organisation"], instrument.background["kod"], *(q.text for q in instrument.questions)]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(headings)
        for row in range(rows):
            answers = []
            for question in instrument.questions:
                few = pool[: rng.randint(2, len(pool))] if rng.random() < 0.5 else pool  # (columns differ in what they hold)
                answers.append(rng.choice(few) if question.kind != "fritext" else rng.choice(["", "Bra", "Bra"]))
            writer.writerow([rng.choice(["AF", "Socialtjänsten", "Region"]), f"k{row}", *answers])


def _outcome(paths, instrument):
    try:
        survey = read_waves(paths, instrument)
    except ValidationError as exc:
        return "fel", [str(p) for p in exc.report.problems]
    return survey.tidy, [str(p) for p in survey.report.problems]


def _alone(cells):
    return None  # every column numbered alone (factorize_together declines)


@pytest.mark.parametrize("instrument_name", INSTRUMENTS, ids=["samverkan", "blandad", "indikator"])
@pytest.mark.parametrize("junk", [False, True], ids=["svar", "fel"])
def test_scale_columns_numbered_together_read_as_each_alone(tmp_path, monkeypatch, instrument_name, junk):
    instrument = load_instrument(instrument_name)
    rng = random.Random(f"{instrument_name}{junk}")
    for trial in range(4):
        paths = []
        for wave in range(rng.randint(1, 3)):
            paths.append(tmp_path / f"t{trial}_enkat{wave + 1}.csv")
            _write_wave(paths[-1], instrument, rng, rng.choice([3, 40, 300]), junk)
        together = _outcome(paths, instrument)
        with monkeypatch.context() as patched:
            patched.setattr(survey_columns, "factorize_together", _alone)
            alone = _outcome(paths, instrument)
        assert together[1] == alone[1]  # the same problems, in the same order
        if isinstance(alone[0], str):
            assert together[0] == alone[0]
            continue
        pd.testing.assert_frame_equal(together[0], alone[0])
        for column in ("organisation", "kod", "fraga", "svar", "status", "respondent", "fil", "enkat"):
            assert together[0][column].cat.categories.equals(alone[0][column].cat.categories)
            assert np.array_equal(together[0][column].cat.codes, alone[0][column].cat.codes)


def test_factorize_together_numbers_as_pandas_factorize_of_the_columns_one_after_another():
    rng = random.Random(5)
    words = ["", "Instämmer helt", "Vet ej", "1", "2", "a", "b ", "Ja", "Nej", "Åsa"]
    for _ in range(500):
        rows = rng.choice([0, 1, 5, 129, 1000])
        columns = []
        for _ in range(rng.randint(1, 6)):
            pick = rng.sample(words, rng.randint(1, len(words)))
            # equal texts as one object (as the CSV parser makes them) or as several
            cells = [rng.choice(pick) for _ in range(rows)]
            columns.append(np.array([text if rng.random() < 0.7 else "".join([text, ""]) + "" for text in cells], dtype=object))
        block = np.empty((len(columns) + 2, rows + 1), dtype=object)  # the columns as a frame's block holds them (a view: a heading row left out)
        block[1:-1, 1:] = columns
        codes, distinct = survey_codes.factorize_together(block[1:-1, 1:])
        every, expected = pd.factorize(np.concatenate(columns) if rows else np.array([], dtype=object))
        assert distinct.tolist() == expected.tolist() and distinct.dtype == object
        for k, column in enumerate(columns):
            assert np.array_equal(codes[k], every[k * rows : (k + 1) * rows]) and codes[k].dtype == np.intp
            assert distinct[codes[k]].tolist() == column.tolist()


def test_factorize_together_declines_cells_other_than_text():
    texts = np.array(["a", "b"] * 100, dtype=object)
    assert survey_codes.factorize_together(np.stack([texts, np.array([1, 1.0] * 100, dtype=object)])) is None  # 1 and 1.0 read apart
    assert survey_codes.factorize_together(np.stack([texts, np.array(["a", None] * 100, dtype=object)])) is None
    assert survey_codes.factorize_together(texts) is None  # not columns side by side


def test_a_scales_texts_listed_once_keep_numbers_of_other_types_apart():
    """Cells that are numbers (1, 1.0, True: equal as keys) are listed each as itself, not as an equal one seen before."""
    from slutrapport.core.problems import ValidationReport
    from slutrapport.sources.readers import RawTable
    from slutrapport.sources.survey.choices import ColumnReader, QuestionParsers
    from slutrapport.sources.survey.codes import factorize
    from slutrapport.sources.survey.reshape import WaveTable

    instrument = load_instrument("samverkan")
    cells = {0: np.array([1, 2, "Vet ej"], dtype=object), 1: np.array([1.0, True, "Vet ej"], dtype=object)}
    data = pd.DataFrame(cells, dtype=object)
    raw = RawTable(path=Path("t.csv"), columns=["a", "b"], data=data)
    parser = QuestionParsers(instrument).for_question(instrument.questions[0])

    def read(positions):
        factorized = {pos: factorize(cells[pos]) for pos in positions}
        reader = ColumnReader(WaveTable(raw), data.index, np.ones(3, dtype=bool), factorized, ValidationReport())
        return {pos: reader.parsed(pos, parser) for pos in positions}

    both, alone = read([0, 1]), {pos: read([pos])[pos] for pos in (0, 1)}
    for pos in (0, 1):
        for got, expected in zip(both[pos][1:], alone[pos][1:], strict=True):
            assert [(type(v), v) for v in got.dense().tolist()] == [(type(v), v) for v in expected.dense().tolist()]
        assert np.array_equal(both[pos][0], alone[pos][0], equal_nan=True)


def test_a_chunk_of_columns_is_their_cells_whether_side_by_side_or_apart():
    """The columns of a scale as a view of a CSV frame's one block (a heading row left out), picked apart, or from a
    frame of several blocks: the cells of each column."""
    rng = np.random.default_rng(3)
    block = np.array([[f"c{c}r{r % 3}" for r in range(8)] for c in range(6)], dtype=object)
    one_block = pd.DataFrame(block.T, dtype=object, copy=False).iloc[1:]
    several = pd.DataFrame({c: pd.Series(block[c], dtype=object) for c in range(6)}).iloc[1:]
    several[6] = 1.5  # (a column of another type)
    assert survey_columns._frame_cells(several) is None
    for frame in (one_block, several):
        cells = survey_columns._frame_cells(frame)
        for _ in range(30):
            chunk = sorted(rng.choice(6, size=rng.integers(2, 7), replace=False).tolist())
            expected = np.stack([frame[c].to_numpy(dtype=object) for c in chunk])
            got = survey_columns._chunk_cells(frame, cells, chunk)
            assert got.shape == expected.shape and (got == expected).all()
    cells = survey_columns._frame_cells(one_block)
    assert np.shares_memory(survey_columns._chunk_cells(one_block, cells, [1, 2, 3]), block)  # side by side: no copy


def test_a_sheets_heading_cells_and_keys_are_the_rows_cleaned_and_normalised_however_the_frame_is_held(tmp_path):
    from slutrapport.core.text import normalise
    from slutrapport.sources.readers.sheet import Sheet, clean_heading

    rows = [["Organisation ", "Fråga\u00a0ett?", "\ufeffKod"], ["a", "Instämmer  helt", ""], ["b", "2", "x"]]
    one_block = pd.DataFrame(np.array(rows, dtype=object), dtype=object)
    several = pd.DataFrame({k: pd.Series([r[k] for r in rows], dtype=object) for k in range(3)})
    several[3] = [1.5, 2.0, None]  # (a column of another type: the frame is not one block of texts)
    for frame in (one_block, several):
        sheet = Sheet(tmp_path / "x.csv", frame, 1, "csv")
        for row in range(4):
            expected = [clean_heading(v) for v in frame.iloc[row].tolist()] if row < 3 else [""] * frame.shape[1]
            assert sheet.cells(row) == expected and sheet.cells(row) == expected  # (asked twice: kept)
            assert sheet.keys(row) == [normalise(c) for c in expected]


def test_a_missing_cell_code_reads_as_no_value_not_as_the_last_text():
    """Code -1 (a missing cell: no reader makes one today) is no value and no answer, not the last distinct text's."""
    from slutrapport.core.problems import ValidationReport
    from slutrapport.sources.survey.choices import ColumnReader, QuestionParsers

    instrument = load_instrument("samverkan")
    parsers = QuestionParsers(instrument)
    question = instrument.scale_questions[0]
    uniques = np.array(["Instämmer helt", "Instämmer inte alls"], dtype=object)
    codes = np.array([0, -1, 1, -1], dtype=np.intp)
    from types import SimpleNamespace

    table = SimpleNamespace(raw=SimpleNamespace(name="x.csv", columns=[question.text]))  # (no wrong answer is reported)
    reader = ColumnReader(table, pd.RangeIndex(4), np.ones(4, dtype=bool), {0: (codes, uniques)}, ValidationReport())
    values, answers, status, _ = reader.parsed(0, parsers.for_question(question))
    assert np.isnan(values[[1, 3]]).all() and not np.isnan(values[[0, 2]]).any()
    assert answers.isna().tolist() == [False, True, False, True] and status.isna().tolist() == [False, True, False, True]
