"""The tidy table's compact columns (categorical text, int32 numbers) sort, group and compare as object columns would."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest

from slutrapport.core.problems import ValidationReport
from slutrapport.sources.readers import textfile
from slutrapport.sources.readers.textfile import _all_full
from slutrapport.sources.survey import codes as survey_codes
from slutrapport.sources.survey import columns as survey_columns
from slutrapport.sources.survey import load_instrument, read_waves, tidy
from slutrapport.sources.survey.codes import factorize, factorize_keys
from slutrapport.sources.survey.columns import clean_texts
from slutrapport.sources.survey.tidy import Coded, _respondents, categorical, organisations
from tests.conftest import write_csv

TEXT = ["respondent", "organisation", "kod", "fraga", "svar", "status", "fil"]


def _waves(tmp_path, mini_instrument):
    rows = [
        ["Soc", "B7", "Instämmer helt", "2", "Vet ej", "Bra"],
        ["  AF ", "a10", "1", "", "5", ""],
        ["af", "a2", "Instämmer delvis", "4", "3", "Mer  tid"],
        ["", "", "2", "3", "", ""],
        ["Övriga", "Z", "5", "5", "1", ""],
        ["", "", "", "", "", ""],  # blank: left out
        ["Reg", "x", "", "", "", ""],  # no answer: in the table, every answer blank
    ]
    first = write_csv(tmp_path / "w1.csv", rows)
    second = write_csv(tmp_path / "w2.csv", [*reversed(rows[:5]), ["Soc", "a10", "4", "4", "4", ""]])
    return read_waves([first, second], load_instrument(mini_instrument))


def test_text_columns_are_categorical_and_numbers_small(tmp_path, mini_instrument):
    tidy = _waves(tmp_path, mini_instrument).tidy
    assert all(isinstance(tidy[c].dtype, pd.CategoricalDtype) for c in TEXT)
    assert tidy["rad"].dtype == np.int32 and tidy["enkat_nr"].dtype == np.int32 and tidy["varde"].dtype == float
    assert not (tidy["organisation"].value_counts() == 0).any()


def test_categorical_columns_sort_group_and_compare_as_object_columns(tmp_path, mini_instrument):
    tidy = _waves(tmp_path, mini_instrument).tidy
    plain = tidy.astype({c: object for c in TEXT})
    for column in TEXT:
        assert list(tidy[column].cat.categories) == sorted(plain[column].dropna().unique())
        assert tidy.sort_values(column, kind="stable").index.tolist() == plain.sort_values(column, kind="stable").index.tolist()
        for sort in (True, False):
            mine = tidy.groupby(column, sort=sort, observed=True).size()
            theirs = plain.groupby(column, sort=sort).size()
            assert [str(k) for k in mine.index] == [str(k) for k in theirs.index] and mine.tolist() == theirs.tolist()
        value = plain[column].dropna().iloc[0]
        assert ((tidy[column] == value) == (plain[column] == value)).all()
        assert tidy[column].isna().tolist() == plain[column].isna().tolist()
    assert tidy.loc[tidy["fraga"] == "f1", "svar"].tolist() == ["Bra", "Mer tid", "Mer tid", "Bra"]
    assert sorted(tidy["organisation"].dropna().unique()) == ["Reg", "Soc", "af", "Övriga (organisation)"]  # af: more rows than AF


def test_categorical_keeps_order_missing_values_and_only_values_rows_hold():
    shared = np.array(["b", "a", None, "ö", "unused"], dtype=object)
    made = categorical([Coded(np.array([0, 1, -1, 2, 3]), shared), Coded(np.array([0]), np.array(["c"], dtype=object)), Coded(np.array([1, 0]), shared)])
    assert [None if pd.isna(v) else v for v in made] == ["b", "a", None, None, "ö", "c", "a", "b"]
    assert list(made.categories) == ["a", "b", "c", "ö"]


def test_categorical_maps_a_recurring_piece_as_each_piece_alone():
    shared = np.array(["b", "a", "c"], dtype=object)
    everyone = Coded(np.array([0, 1, 1, 2]), shared)
    pieces = [everyone, everyone.take(slice(None)), everyone.take(np.array([True, False, False, True])), everyone]
    assert everyone.take(slice(None)) is everyone
    made = categorical(pieces)
    alone = categorical([Coded(piece.codes.copy(), shared.copy()) for piece in pieces])
    assert made.tolist() == alone.tolist() == ["b", "a", "a", "c"] * 2 + ["b", "c"] + ["b", "a", "a", "c"]
    assert list(made.categories) == list(alone.categories) == ["a", "b", "c"]


def test_respondent_labels_ordered_by_number_as_their_texts_sort():
    rng = np.random.default_rng(9)
    for case in range(60):
        numbers, pieces = [], []
        waves = rng.choice([1, 2, 3, 9, 10, 11, 12, 100], size=rng.integers(1, 4), replace=case % 3 == 0)  # sometimes one wave twice
        for wave in waves.tolist():
            rows = np.unique(rng.choice([0, 1, 2, 9, 10, 11, 12, 19, 99, 100, 101, 120, 1000, 1200, 99999, 100000], size=rng.integers(1, 12)))
            everyone = Coded(np.arange(len(rows)), rows)
            some = Coded(rng.integers(-1, len(rows), size=5), rows)  # a free-text question: some respondents (-1: none)
            chosen = [everyone, some, everyone] if case % 4 else [some]  # without everyone some respondents are on no row
            numbers += [wave] * len(chosen)
            pieces += chosen
        made = _respondents(numbers, pieces)
        texts = [Coded(p.codes, np.array([f"{n}:{r}" for r in p.values.tolist()], dtype=object)) for n, p in zip(numbers, pieces, strict=True)]
        expected = categorical(texts)
        assert list(made.categories) == list(expected.categories) and made.categories.dtype == expected.categories.dtype
        assert made.tolist() == expected.tolist() and made.codes.dtype == expected.codes.dtype


def test_factorize_by_object_equals_pandas_factorize():
    rng = np.random.default_rng(3)
    words = ["Instämmer helt", "Vet ej", "", "3", "a", "ä"]
    for size in (0, 5, 2000, 30000):
        for variant in range(4):
            cells = [words[k] for k in rng.integers(len(words), size=size)]
            if variant == 1:  # equal texts as distinct objects (as the parser makes them per chunk of rows)
                cells = ["".join(list(c)) for c in cells]
            elif variant == 2 and size:  # missing values: None and NaN
                cells = [None if k == 0 else float("nan") if k == 1 else c for k, c in zip(rng.integers(8, size=size), cells, strict=True)]
            elif variant == 3:  # every text its own
                cells = [f"p{k}" for k in range(size)]
            array = np.array(cells, dtype=object)
            codes, distinct = factorize(array)
            expected_codes, expected = pd.factorize(array)
            assert codes.tolist() == expected_codes.tolist() and list(distinct) == list(expected), (size, variant)
            assert codes.dtype == expected_codes.dtype


@pytest.mark.parametrize("tables", [True, False])
def test_factorize_of_any_values_equals_pandas_factorize(monkeypatch, tables):
    """Numbers, booleans, None, NaN and pd.NA among texts, short and long: pandas' codes and values, by pandas'
    hash tables and without them (``tables``: a pandas without them takes ``pandas.factorize``)."""
    if not tables:
        monkeypatch.setattr(survey_codes, "_INT64_TABLE", None)
        monkeypatch.setattr(survey_codes, "_VALUE_TABLE", None)
    rng = random.Random(11)
    pool = ["a", "b", "", " ", "Vet ej", None, float("nan"), pd.NA, 1, 1.0, True, "1", "ä"]
    for _ in range(1500):
        cells = [rng.choice(pool) for _ in range(rng.choice([0, 1, 2, 3, 10, 500, 1023, 1024, 3000]))]
        if rng.random() < 0.5:  # equal texts as distinct objects
            cells = ["".join(list(c)) if isinstance(c, str) else c for c in cells]
        if rng.random() < 0.2:  # nearly every text its own
            cells = [f"x{rng.random()}" if rng.random() < 0.9 else c for c in cells]
        array = np.array(cells, dtype=object)
        expected_codes, expected = pd.factorize(array)
        codes, distinct = factorize(array)
        assert codes.tolist() == expected_codes.tolist() and codes.dtype == expected_codes.dtype, cells[:20]
        assert [repr(v) for v in distinct] == [repr(v) for v in expected], cells[:20]


def test_factorize_of_keys_equals_pandas_factorize():
    rng = random.Random(4)
    pool = ["a", "b", "", "Vet ej", "1", "ä", None, float("nan"), pd.NA, 1, 1.0, True]
    for _ in range(3000):
        size = rng.choice([0, 1, 2, 5, 50, 127, 128, 129, 600])
        mixed = rng.random() < 0.3  # (a missing value or a number: pandas numbers the array)
        array = np.array([rng.choice(pool if mixed else pool[:6]) for _ in range(size)], dtype=object)
        integers = np.array([rng.randint(-3, 5) for _ in range(size)], dtype=np.int64)
        for values in (array, integers):
            codes, distinct = factorize_keys(values)
            expected_codes, expected = pd.factorize(values)
            assert codes.tolist() == expected_codes.tolist() and codes.dtype == expected_codes.dtype
            assert [repr(v) for v in distinct] == [repr(v) for v in expected] and distinct.dtype == expected.dtype


@pytest.mark.parametrize(
    ("run_rows", "held_rows", "few"),
    [(64, 16, 0), (64, 16, 24), (64, 1 << 14, 24), (1 << 14, 16, 0), (1 << 14, 16, 24), (1 << 14, 1 << 14, 0), (1 << 14, 1 << 14, 24)],
)
def test_categorical_of_pieces_equals_the_values_as_a_categorical(monkeypatch, run_rows, held_rows, few):
    """Small pieces mapped together, large ones alone (``run_rows`` small: most pieces are large), recurring
    pieces, shared values, missing values and values no row holds, with the categories held counted in many
    pieces (``held_rows`` small), at once, or looked for one by one (``few``): the categorical of the pieces' values."""
    monkeypatch.setattr(tidy, "_RUN_ROWS", run_rows)
    monkeypatch.setattr(tidy, "_COUNTED_ROWS", held_rows)
    monkeypatch.setattr(tidy, "_FEW_CATEGORIES", few)
    rng = np.random.default_rng(5)
    words = ["a", "b", "c", "Ä", "", None, "b", float("nan")]
    for _ in range(600):
        shared = [np.array([words[k] for k in rng.integers(len(words), size=rng.integers(0, 6))], dtype=object) for _ in range(rng.integers(1, 5))]
        made: list[Coded] = []
        pieces = []
        for _ in range(rng.integers(0, 8)):
            if made and rng.random() < 0.3:
                piece = made[rng.integers(len(made))]  # the same piece again (every question's respondents)
            else:
                values = shared[rng.integers(len(shared))]
                size = rng.integers(0, 100)
                codes = rng.integers(-1, len(values), size=size) if len(values) else np.full(size, -1)
                piece = Coded(codes.astype([np.int8, np.int16, np.intp][rng.integers(3)]), values)
                made.append(piece)
            pieces.append(piece)
        result = categorical(pieces)
        dense = [v for piece in pieces for v in piece.dense().tolist()]
        held = sorted({v for v in dense if not pd.isna(v)})
        assert list(result.categories) == held
        assert [None if pd.isna(v) else v for v in result] == [None if pd.isna(v) else v for v in dense]
        assert result.codes.dtype == np.int8  # (pandas' type for so few categories, kept when unused ones are removed)


def test_a_column_is_read_without_a_series_and_as_the_series_holds_it():
    frame = pd.DataFrame({0: pd.Series(["a", "b"], dtype=object), 1: pd.Series([1.5, None], dtype=object), 2: [1, 2], 3: pd.Series(["x", None], dtype="str")})
    for pos in range(4):
        assert survey_columns.column_cells(frame, pos).tolist() == frame[pos].to_numpy(dtype=object).tolist()
        assert survey_columns.column_cells(frame, pos).dtype == object
    assert np.shares_memory(survey_columns.column_cells(frame, 0), frame._mgr.iget_values(0))  # the frame's own array: no copy


    class Frame:  # a pandas without the manager: by the Series
        columns = frame.columns

        def __getitem__(self, pos):
            return frame[pos]

    assert survey_columns.column_cells(Frame(), 1).tolist() == [1.5, None]


def test_organisations_unify_spellings_on_the_codes():
    names = np.array(["Kommunen", "KOMMUNEN", "alla", "Regionen"], dtype=object)
    tidy = pd.DataFrame({
        "organisation": categorical([Coded(np.array([1, 0, 1, 2, -1, 3]), names)]),
        "fil": pd.Categorical(["a.csv"] * 3 + ["b.csv"] * 3),
    })  # fmt: skip
    report = ValidationReport()
    result = organisations(tidy, {"Region": "Regionen"}, report)
    assert [None if pd.isna(v) else v for v in result] == ["KOMMUNEN", "KOMMUNEN", "KOMMUNEN", "alla (organisation)", None, "Regionen"]
    assert list(result.categories) == ["KOMMUNEN", "Regionen", "alla (organisation)"]
    assert [p.fil for p in report.problems] == ["b.csv"]


@pytest.mark.parametrize("casefold", [False, True])
def test_cleaning_distinct_texts_at_once_equals_cleaning_each(casefold):
    pieces = ["", " ", "  ", "\t", "\n", "\u00a0", "a", "A", "ß", "Åsa", "b c", "\x00"]
    rng = random.Random(7)
    for _ in range(300):
        texts = list(dict.fromkeys("".join(rng.choice(pieces) for _ in range(rng.randint(0, 4))) for _ in range(rng.randint(0, 6))))
        expected = [" ".join(t.split()) or None for t in texts]
        expected = [t.casefold() if t else None for t in expected] if casefold else expected
        assert clean_texts(np.array(texts, dtype=object), casefold=casefold).tolist() == expected, texts


def test_columns_cleaned_with_shared_texts_equal_each_column_cleaned_alone(monkeypatch):
    pieces = ["", " ", "  ", "\t", "\u00a0", "a", "Vet ej", "b c", "Åsa"]
    others = [1, 1.0, True, 2.5]  # equal numbers of other types: never one key
    rng = random.Random(8)
    for few in (survey_columns._FEW_TEXTS, 2):
        monkeypatch.setattr(survey_columns, "_FEW_TEXTS", few)
        for _ in range(300):
            factorized = {}
            for pos in range(rng.randint(0, 6)):
                texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 3))) for _ in range(rng.randint(1, 8))]
                if rng.random() < 0.2:
                    texts.append(rng.choice(others))
                uniques = np.array(list(dict.fromkeys(texts)), dtype=object)
                factorized[pos * 2] = (np.zeros(3, dtype=np.intp), uniques)
            got = survey_columns.clean_columns(factorized)
            assert list(got) == list(factorized)
            for pos, (_, uniques) in factorized.items():
                expected = clean_texts(uniques)
                assert got[pos].dtype == object and got[pos].shape == expected.shape
                assert [(type(v), v) for v in got[pos].tolist()] == [(type(v), v) for v in expected.tolist()]


def test_the_other_spaces_are_every_character_python_takes_for_space_but_the_space():
    every = {chr(code) for code in range(0x110000) if chr(code).isspace()} - {" "}
    assert set(survey_columns._OTHER_SPACES) == every and len(survey_columns._OTHER_SPACES) == len(every)
    assert all(survey_columns._needs_cleaning(f"a\x00b{space}c") for space in every)
    assert not survey_columns._needs_cleaning("a b\x00Åsa\x00ß")


def test_records_are_known_full_from_their_separators_only_without_quotes():
    assert _all_full(b"a,b,c\n1,2,\n", ",", 2, 3)
    assert not _all_full(b"a,b,c\n1,2\n", ",", 2, 3)  # a short record
    assert not _all_full(b'a,b,c\n"1,2",3\n', ",", 2, 3)  # quotes: counted field by field
    assert not _all_full(b"a\n\n", ",", 2, 1)
    assert _all_full("a;b\r\n1;\r\n", ";", 2, 2)


def test_separators_inside_quoted_fields_do_not_count():
    assert _all_full(b'a,b,c\n"x,y","",z\n"1\n2",3,\n', ",", 3, 3)
    assert not _all_full(b'a,b,c\n"x,y",z\n', ",", 2, 3)  # short, though it has as many commas as a full record
    assert not _all_full(b'a,b,c\nx"y,z,w\n', ",", 2, 3)  # a quote inside a field: counted by the csv module


@pytest.mark.parametrize("bytes_per_field", [1, 10**9], ids=["field-by-field", "by-pieces"])
def test_separators_inside_quotes_are_counted_alike_field_by_field_and_by_pieces(monkeypatch, bytes_per_field):
    # the reference: a separator is inside quotes when an odd number of quotes comes before it
    monkeypatch.setattr(textfile, "_BYTES_PER_FIELD", bytes_per_field)
    monkeypatch.setattr(textfile, "_PIECE", 64)  # fields across pieces' ends
    rng = random.Random(3)
    for _ in range(200):
        fields = [rng.choice(["x", "", '"a,b"', '"a""b,"', '",,\n,"', "yy,z"]) for _ in range(rng.randint(1, 60))]
        data = ",".join(fields).encode()
        buf = np.frombuffer(data, dtype=np.uint8)
        quotes = np.flatnonzero(buf == ord('"'))
        if len(quotes) % 2:
            continue
        commas = np.flatnonzero(buf == ord(","))
        expected = int(np.count_nonzero(np.searchsorted(quotes, commas) % 2))
        assert textfile._quoted_separators(data, buf, quotes, ",") == expected, data


@pytest.mark.parametrize("label_rows", [7, 1 << 14])
def test_respondent_labels_are_the_wave_and_row_written_as_text(monkeypatch, label_rows):
    monkeypatch.setattr(tidy, "_LABEL_ROWS", label_rows)
    rng = np.random.default_rng(11)
    for _ in range(400):
        rows = rng.integers(0, 10 ** int(rng.integers(1, 13)), size=int(rng.integers(0, 40))).astype([np.int64, np.intp][int(rng.integers(2))])
        rows[: rng.integers(0, 3)] = 0
        number = int(rng.integers(1, 120))
        labels = tidy._labels(number, rows)
        assert labels.dtype == object and labels.tolist() == [f"{number}:{row}" for row in rows.tolist()]
