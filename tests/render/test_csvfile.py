"""The contract CSV files keep every number, also when a column holds only 0s and 1s."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from slutrapport.analysis.changes import CHANGE_COLUMNS
from slutrapport.analysis.describe import CONTRACT_COLUMNS
from slutrapport.analysis.reliability import RELIABILITY_COLUMNS
from slutrapport.render.csvfile import changes_csv, comparison_csv, reliability_csv


def _table(columns: list[str], values: dict[str, list]) -> pd.DataFrame:
    rows = 2
    data = {c: values.get(c, ["x"] * rows) for c in columns}
    return pd.DataFrame(data)


def _read(data: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), keep_default_na=False, dtype=str)


@pytest.mark.parametrize(
    ("writer", "columns", "numbers"),
    [
        (comparison_csv, CONTRACT_COLUMNS, {"n": [5, 6], "medel": [1.0, 0.0], "sd": [0.0, 0.0], "median": [1.0, 0.0], "andel_positiva": [1.0, 0.0]}),
        (
            changes_csv,
            CHANGE_COLUMNS,
            {"n_fran": [5, 5], "n_till": [5, 5], "n_par": [0, 0], "diff_medel": [1.0, 0.0], "p_unc": [1.0, 1.0], "p_corr": [1.0, 1.0]},
        ),
        (reliability_csv, RELIABILITY_COLUMNS, {"n": [5, 6], "alfa": [1.0, 0.0], "antal_fragor": [2, 3]}),
    ],
)
def test_columns_of_zeros_and_ones_keep_their_numbers(writer, columns, numbers):
    flags = {c: [True, False] for c in ("undertryckt", "parad") if c in columns}
    out = _read(writer(_table(columns, numbers | flags)))
    for column, values in numbers.items():
        assert [float(v) for v in out[column]] == [float(v) for v in values], column  # not blank, not true/false
    for column in flags:
        assert list(out[column]) == ["true", "false"]


def test_object_columns_of_real_booleans_are_written_as_true_and_false():
    table = _table(CONTRACT_COLUMNS, {"undertryckt": pd.Series([np.True_, False], dtype=object), "medel": [1, 0], "n": [5, 6]})
    out = _read(comparison_csv(table))
    assert list(out["undertryckt"]) == ["true", "false"] and list(out["medel"]) == ["1", "0"]


# -- formula safety ---------------------------------------------------------------------------------------------

#: Texts a spreadsheet would read as a formula, as organisation names, wave labels and question texts can be.
HOSTILE = ['=HYPERLINK("http://evil.example","klicka")', "+1", "-x", "@SUM(A1)", "\tx", "\rx"]


def _csv_rows(data: bytes) -> list[dict[str, str]]:
    import csv

    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_hostile_texts_get_an_apostrophe_and_negative_numbers_stay_numbers():
    table = pd.DataFrame(
        {"niva": "index", "id": "a", "text": HOSTILE, "grupp": HOSTILE, "enkat": "-1", "n": range(5, 11),
         "medel": [-0.3, 1.5, -2.0, 0.0, 3.25, -1e-3], "undertryckt": False}  # fmt: skip
    )
    rows = _csv_rows(comparison_csv(table))
    # a carriage return is written as a line break (\n, quoted): alone, it would end the row for a CSV reader
    assert [r["grupp"] for r in rows] == ["'" + text.replace("\r", "\n") for text in HOSTILE] == [r["text"] for r in rows]
    assert {r["enkat"] for r in rows} == {"'-1"}  # a text column's text, even one that reads as a number
    assert [float(r["medel"]) for r in rows] == [-0.3, 1.5, -2.0, 0.0, 3.25, -1e-3]  # numbers, not prefixed
    assert [r["n"] for r in rows] == ["5", "6", "7", "8", "9", "10"]
    assert list(rows[0]) == CONTRACT_COLUMNS  # the contract's columns, in order
    plain = _csv_rows(comparison_csv(table.assign(grupp="Org A", text="Fråga = svar")))
    assert {(r["grupp"], r["text"]) for r in plain} == {("Org A", "Fråga = svar")}  # only a text that starts like a formula


def test_hostile_organisation_names_and_labels_flow_safely_into_every_csv(mini_instrument, write_wave):
    from slutrapport.analysis.survey import analyse_survey
    from slutrapport.sources.survey import load_instrument, read_waves

    names = ['=HYPERLINK("http://evil.example","klicka")', "+1", "-x", "@SUM(A1)"]
    rows = [[names[i % 4], f"k{i}", 1 + i % 5, 1 + (i * 2) % 5, 1 + (i * 3) % 5, ""] for i in range(24)]
    later = [[r[0], r[1], min(r[2] + 1, 5), r[3], max(r[4] - 1, 1), ""] for r in rows]
    survey = read_waves([write_wave("w1.csv", rows), write_wave("w2.csv", later)], load_instrument(mini_instrument), labels=["=Start", "-Slut"])
    results = analyse_survey(survey, 5)
    outputs = {"jamforelse": comparison_csv(results.comparison), "forandringar": changes_csv(results.changes),
               "reliabilitet": reliability_csv(results.reliability)}  # fmt: skip
    texts = [value for data in outputs.values() for row in _csv_rows(data) for value in row.values()]
    assert not [text for text in texts if text.startswith(("=", "+", "-", "@", "\t", "\r")) and not _is_number(text)]
    groups = {r["grupp"] for r in _csv_rows(outputs["jamforelse"])}
    assert {"'" + name for name in names} <= groups and {r["enkat"] for r in _csv_rows(outputs["jamforelse"])} == {"'=Start", "'-Slut"}
    changes = _csv_rows(outputs["forandringar"])
    negative = [float(r["diff_medel"]) for r in changes if r["diff_medel"].startswith("-")]
    assert negative  # a fall is written as a negative number, not as a text


def test_the_portfolio_csv_files_are_formula_safe_too():
    from slutrapport.portfolio.render import portfolio_csv

    table = pd.DataFrame({"projekt": HOSTILE, "avvikelse_kr": [-1250.5, 0.0, 3.0, -1.0, 2.0, -0.25]})
    rows = _csv_rows(portfolio_csv(table, ["projekt", "avvikelse_kr"]))
    assert [r["projekt"] for r in rows] == ["'" + text.replace("\r", "\n") for text in HOSTILE]
    assert [float(r["avvikelse_kr"]) for r in rows] == [-1250.5, 0.0, 3.0, -1.0, 2.0, -0.25]


def test_clean_columns_cleans_each_distinct_text_once_and_equals_cleaning_every_cell():
    # a large table repeats its names: they are cleaned once per distinct value, with the same result as per cell
    from slutrapport.render.csvfile import _safe_text, clean_columns

    values = ["=SUM(A1)", "Org A", None, "Org A", "rad\r\nbrytning", "-x", "Org A", "@b"] * 50
    mixed = ["=x", 1, True, None, "1"]  # mixed values: 1 and True must not become one key
    for column in (values, mixed):
        table = pd.DataFrame({"grupp": column})
        cleaned = clean_columns(table)["grupp"].tolist()
        expected = [_safe_text(v) for v in column]
        assert [type(v) for v in cleaned if v is not None and v == v] == [type(v) for v in expected if v is not None]
        assert [v for v in cleaned if v is not None and v == v] == [v for v in expected if v is not None]
    assert clean_columns(pd.DataFrame({"grupp": values}))["grupp"].iloc[0] == "'=SUM(A1)"


# -- the column-at-a-time writer is pandas' to_csv, byte for byte -----------------------------------------------


def _odd_frame(rows: int = 400, seed: int = 3) -> pd.DataFrame:
    """Every kind of column a contract CSV holds, with the values that are hard to write."""
    rng = np.random.default_rng(seed)
    floats = rng.normal(0, 1, rows) * rng.choice([1e-300, 1e-7, 1e-5, 1e-4, 1, 37, 1e6, 1e15, 1e16, 1e17], rows)
    floats[::7] = np.nan
    floats[1:8] = [np.inf, -np.inf, -0.0, 0.0, 3.0, 0.1 + 0.2, 2.0**53 + 2]
    bits = rng.integers(0, 2**63, rows, dtype=np.int64).view(np.float64)  # any double at all
    texts = ["Organisation A", 'citat "så"', "komma, här", "rad\nrad", "", " mellanslag ", "'=1+1", "Åsa Öberg", "emoji 😀", "x;y"]
    counts = pd.array([None if i % 11 == 0 else int(v) for i, v in enumerate(rng.integers(0, 10**6, rows))], dtype="Int64")
    return pd.DataFrame(
        {
            "flyttal": floats,
            "bitar": np.where(np.isfinite(bits), bits, 1.5),
            "heltal": rng.integers(-(10**12), 10**12, rows),
            "antal": counts,
            "text": pd.Series([None if i % 5 == 0 else texts[i % len(texts)] for i in range(rows)], dtype=object),
            "strang": pd.Series([pd.NA if i % 6 == 0 else texts[(i * 3) % len(texts)] for i in range(rows)], dtype="string"),
            "sant": ["true" if i % 2 else "false" for i in range(rows)],
            "tom": pd.Series([None] * rows, dtype=object),
            'rubrik, "udda"': floats[::-1].copy(),
        }
    )


def test_the_column_writer_writes_what_pandas_writes():
    from slutrapport.render.csvfile import _columns_csv

    frame = _odd_frame()
    assert _columns_csv(frame) == frame.to_csv(index=False, lineterminator="\n")
    assert _columns_csv(frame.iloc[:0]) == frame.iloc[:0].to_csv(index=False, lineterminator="\n")


def test_the_column_writer_leaves_to_pandas_what_it_does_not_write():
    from slutrapport.render.csvfile import _columns_csv

    assert _columns_csv(pd.DataFrame({"a": [""]})) is None  # one column: a lone empty field is quoted
    assert _columns_csv(pd.DataFrame({"a": [1.5], "b": pd.Series([True], dtype=object)})) is None  # not a text
    assert _columns_csv(pd.DataFrame({"a": [1.5], "b": pd.to_datetime(["2025-01-01"])})) is None
