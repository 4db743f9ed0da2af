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
