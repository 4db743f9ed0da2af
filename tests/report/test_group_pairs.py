"""Which pairwise group differences the report shows (report/blocks/group_pairs.py)."""

from __future__ import annotations

import pandas as pd

from slutrapport.report.blocks.group_pairs import MAX_PAIRS, pair_table


def _tests(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["niva", "id", "enkat", "grupp_a", "grupp_b", "effekt", "p_corr"])


def _comparison(groups: list[str]) -> pd.DataFrame:
    rows = [("index", "x", g, w, 3.0 + i / 10) for w in ("1", "2") for i, g in enumerate(groups)]
    return pd.DataFrame(rows, columns=["niva", "id", "grupp", "enkat", "medel"])


def test_pairs_only_after_a_significant_omnibus_and_only_pairs_that_differ():
    tests = _tests([
        ("index", "x", "1", "alla", "", 0.2, 0.001),  # organisations differ at wave 1
        ("index", "x", "1", "A", "B", 0.5, 0.01),
        ("index", "x", "1", "A", "C", 0.1, 0.40),  # this pair does not differ
        ("index", "x", "2", "alla", "", 0.1, 0.20),  # not at wave 2: its pairs are not shown
        ("index", "x", "2", "A", "B", 0.6, 0.01),
    ])  # fmt: skip
    table = pair_table(tests, _comparison(["A", "B", "C"]), "index", "x", "X")
    assert table is not None
    assert [row[1:3] for row in table.rows] == [["A", "B"]]
    assert table.rows[0][3:] == [3.0, 3.1, 0.5, 0.01]
    assert pair_table(tests[tests["enkat"] == "2"], _comparison(["A", "B"]), "index", "x", "X") is None


def test_at_most_max_pairs_largest_effects_first_and_a_note_with_the_rest():
    groups = [f"G{i:02d}" for i in range(8)]
    rows = [("index", "x", "1", "alla", "", 0.3, 1e-6)]
    rows += [("index", "x", "1", a, b, (i % 7 - 3) / 10, 0.001) for i, (a, b) in enumerate((a, b) for a in groups for b in groups if a < b)]
    table = pair_table(_tests(rows), _comparison(groups), "index", "x", "X")
    assert len(table.rows) == MAX_PAIRS
    sizes = [abs(row[5]) for row in table.rows]
    assert sizes == sorted(sizes, reverse=True)
    assert any("28 par skiljer sig åt" in note and "Data gruppskillnader" in note for note in table.notes)


def test_pair_order_is_pandas_stable_sort_with_ties_and_missing_effects():
    # Reference: the former implementation, pandas' stable descending sort of |effekt| (NaN last, ties in table order):
    #   pairs.assign(_size=pairs["effekt"].abs()).sort_values("_size", ascending=False, kind="stable").head(MAX_PAIRS)
    groups = [f"G{i:02d}" for i in range(7)]
    effects = [0.2, -0.2, None, 0.5, -0.5, 0.0, -0.0, None, 0.2, 0.1, -0.3, 0.3]
    rows = [("index", "x", "1", "alla", "", 0.3, 1e-6), ("index", "x", "2", "alla", "", 0.3, 0.5)]
    pairs = [(a, b) for a in groups for b in groups if a < b]
    rows += [("index", "x", str(1 + i % 2), a, b, effects[i % len(effects)], 0.001 if i % 5 else 0.2) for i, (a, b) in enumerate(pairs)]
    tests = _tests(rows)
    table = pair_table(tests, _comparison(groups), "index", "x", "X")
    expected = tests[(tests["grupp_a"] != "alla") & (tests["p_corr"] < 0.05) & (tests["enkat"] == "1")]
    expected = expected.assign(_size=expected["effekt"].abs()).sort_values("_size", ascending=False, kind="stable").head(MAX_PAIRS)
    assert [row[1:3] for row in table.rows] == [[a, b] for a, b in zip(expected["grupp_a"], expected["grupp_b"], strict=True)]
    assert expected["effekt"].isna().any() and expected["_size"].duplicated().any()  # the case covers ties and missing effects
