"""Anonymity: small cells hidden, and no hidden value derivable from Alla minus the rest."""

from __future__ import annotations

import pandas as pd
import pytest

from slutrapport.analysis.describe import compare_waves
from slutrapport.analysis.suppression import OTHERS, UNKNOWN_ORGANISATION, assign_groups, published_precision, suppress
from slutrapport.sources.survey import load_instrument, read_waves


def _table(sizes: dict[str, int]) -> pd.DataFrame:
    rows = [("fraga", "q1", group, "Enkät 1", n, 3.0, 1.0, 3.0, 0.5) for group, n in sizes.items()]
    rows.append(("fraga", "q1", "Alla", "Enkät 1", sum(sizes.values()), 3.0, 1.0, 3.0, 0.5))
    return pd.DataFrame(rows, columns=["niva", "id", "grupp", "enkat", "n", "medel", "sd", "median", "andel_positiva"])


def _hidden(table: pd.DataFrame) -> set[str]:
    return set(table.loc[table["undertryckt"], "grupp"])


def _wave(cells: dict[str, dict[str, int]], wave: str = "Enkät 1") -> pd.DataFrame:
    """Cells of one wave: question or index id → group → n (Alla is the sum)."""
    rows = []
    for item, sizes in cells.items():
        niva = "index" if item.startswith("i") else "fraga"
        rows += [(niva, item, group, wave, n, 3.0, 1.0, 3.0, 0.5) for group, n in sizes.items()]
        rows.append((niva, item, "Alla", wave, sum(sizes.values()), 3.0, 1.0, 3.0, 0.5))
    return pd.DataFrame(rows, columns=["niva", "id", "grupp", "enkat", "n", "medel", "sd", "median", "andel_positiva"])


def test_nothing_hidden_when_all_groups_are_large():
    out = suppress(_table({"A": 10, "B": 8, "C": 5}), 5)
    assert not out["undertryckt"].any()
    assert out["n"].tolist() == [10, 8, 5, 23]


def test_one_small_group_hides_the_next_smallest_too():
    out = suppress(_table({"A": 10, "B": 8, "C": 3}), 5)
    assert _hidden(out) == {"C", "B"}
    assert list(out.columns) == ["niva", "id", "grupp", "enkat", "n", "medel", "sd", "median", "andel_positiva", "undertryckt"]
    hidden = out[out["undertryckt"]]
    # every number of a hidden cell is empty, including n
    assert hidden[["n", "medel", "sd", "median", "andel_positiva"]].isna().all().all()
    # Alla and the largest group stay visible
    assert not out.loc[out["grupp"].isin(["Alla", "A"]), "undertryckt"].any()


def test_two_small_groups_that_together_stay_small_hide_a_third():
    # C and D together hold 4 answers: Alla − A − B would reveal them as a group of 4
    out = suppress(_table({"A": 10, "B": 8, "C": 2, "D": 2}), 5)
    assert _hidden(out) == {"C", "D", "B"}


def test_two_small_groups_that_together_reach_the_threshold_protect_each_other():
    out = suppress(_table({"A": 10, "B": 3, "C": 3}), 5)
    assert _hidden(out) == {"B", "C"}


def test_small_alla_hides_everything():
    out = suppress(_table({"A": 2, "B": 2}), 5)
    assert out["undertryckt"].all()


def test_empty_cells_are_not_suppressed_and_need_no_protection():
    out = suppress(_table({"A": 10, "B": 8, "C": 0}), 5)
    assert not out["undertryckt"].any()


@pytest.mark.parametrize("min_n", [3, 5, 10])
def test_threshold_is_configurable(min_n):
    out = suppress(_table({"A": 12, "B": 9, "C": 4}), min_n)
    assert bool(out.loc[out["grupp"] == "C", "undertryckt"].iloc[0]) == (min_n > 4)


def test_small_organisations_merge_into_ovriga_when_together_large_enough():
    people = pd.DataFrame(
        {
            "enkat": ["E1"] * 16 + ["E2"] * 13,
            "organisation": ["X"] * 2 + ["Y"] * 3 + ["Z"] * 11 + ["X"] * 2 + ["Z"] * 11,
        }
    )
    groups = assign_groups(people, 5)
    assert groups[:5].tolist() == [OTHERS] * 5
    assert groups[5:16].tolist() == ["Z"] * 11
    # In E2 only X is small: a single organisation is not renamed
    assert groups[16:18].tolist() == ["X", "X"]
    # When every organisation is small, merging them all would only repeat Alla
    everyone_small = pd.DataFrame({"enkat": ["E1"] * 6, "organisation": ["X"] * 3 + ["Y"] * 3})
    assert assign_groups(everyone_small, 5).tolist() == ["X"] * 3 + ["Y"] * 3


def test_blank_organisation_is_its_own_protected_group(mini_instrument, write_wave):
    rows = [["AF", f"a{i}", 4, 4, 2, ""] for i in range(8)] + [["Soc", f"s{i}", 3, 3, 3, ""] for i in range(6)]
    rows += [["", "x1", 1, 1, 5, ""], [" ", "x2", 1, 1, 5, ""]]
    survey = read_waves([write_wave("w.csv", rows)], load_instrument(mini_instrument))
    assert any("inte angett organisation" in p.meddelande for p in survey.report.warnings())
    table = compare_waves(survey, 5)
    q1 = table[(table["id"] == "q1")]
    assert set(q1.loc[q1["undertryckt"], "grupp"]) == {UNKNOWN_ORGANISATION, "Soc"}
    assert "orsak" not in table.columns
    alla = q1[q1["grupp"] == "Alla"].iloc[0]
    assert alla["n"] == 16


def test_sample_project_suppresses_the_small_organisation_and_its_complement():
    from tests.conftest import SAMPLES

    files = sorted((SAMPLES / "enkater").iterdir())
    table = compare_waves(read_waves(files, load_instrument("samverkan")), 5)
    wave3 = table[(table["enkat"] == "Enkät 3") & (table["niva"] == "index")]
    assert wave3.loc[wave3["grupp"] == "Arbetsmarknadsenheten", "undertryckt"].all()
    # With one small group hidden, "Alla minus the others" must not reveal it
    for _, cell in wave3.groupby("id"):
        shown = cell[~cell["undertryckt"] & (cell["grupp"] != "Alla")]
        assert len(shown) <= len(cell) - 3
    assert not table.loc[table["enkat"] != "Enkät 3", "undertryckt"].any()


# -- one decision per wave over every cell (issue 17) ------------------------------------------------------


def test_the_complement_is_the_same_group_in_every_cell_of_the_wave():
    # Per cell, the smallest shown group differs (B on q1, C on q2 and the index); per wave it is one group
    out = suppress(_wave({"q1": {"A": 3, "B": 6, "C": 7, "D": 20}, "q2": {"A": 3, "B": 8, "C": 7, "D": 20},
                          "i1": {"A": 3, "B": 8, "C": 7, "D": 20}}), 5)  # fmt: skip
    hidden = out[out["undertryckt"]]
    assert set(zip(hidden["id"], hidden["grupp"], strict=True)) == {(i, g) for i in ("q1", "q2", "i1") for g in ("A", "C")}


def test_a_group_small_on_one_question_is_hidden_in_the_whole_wave():
    # C has 5 answers on q1 and the index but 4 on q2 (one person skipped it): hidden everywhere in the wave
    out = suppress(_wave({"q1": {"A": 9, "B": 8, "C": 5}, "q2": {"A": 9, "B": 8, "C": 4}, "i1": {"A": 9, "B": 8, "C": 5}}), 5)
    assert set(out.loc[out["undertryckt"], "grupp"]) == {"C", "B"}
    assert out.groupby("grupp")["undertryckt"].all()[["B", "C"]].all()
    assert not out.loc[out["grupp"].isin(["A", "Alla"]), "undertryckt"].any()


def test_the_complement_must_protect_every_cell_of_the_wave():
    # Hiding B (the smallest at 6) is enough on q1, but on q2 B skipped so much that A + B hold only 4:
    # the next smallest group is hidden too
    out = suppress(_wave({"q1": {"A": 3, "B": 6, "C": 7, "D": 20}, "q2": {"A": 3, "B": 1, "C": 7, "D": 20}}), 5)
    assert _hidden(out) == {"A", "B", "C"}


def test_other_waves_are_decided_on_their_own():
    table = pd.concat([_wave({"q1": {"A": 3, "B": 6, "C": 9}}, "Enkät 1"), _wave({"q1": {"A": 6, "B": 6, "C": 9}}, "Enkät 2")])
    out = suppress(table.reset_index(drop=True), 5)
    assert set(out.loc[out["undertryckt"], "enkat"]) == {"Enkät 1"}


def test_forced_groups_are_hidden_and_protected():
    out = suppress(_wave({"q1": {"A": 9, "B": 6, "C": 12}}), 5, forced={"Enkät 1": {"A"}})
    assert _hidden(out) == {"A"}  # 9 ≥ 5: no complement needed
    out = suppress(_wave({"q1": {"A": 9, "B": 6, "C": 12}}), 10, forced={"Enkät 1": {"B"}})
    assert _hidden(out) == {"A", "B"}  # A (9) is small at 10; B forced; together 15


def test_published_precision_rounds_only_waves_with_a_hidden_group():
    table = pd.concat([_wave({"q1": {"A": 3, "B": 6, "C": 9}}, "Enkät 1"), _wave({"q1": {"A": 6, "B": 6, "C": 9}}, "Enkät 2")])
    table["medel"] = 11 / 3
    table["andel_positiva"] = 2 / 3
    out = published_precision(suppress(table.reset_index(drop=True), 5))
    first = out[(out["enkat"] == "Enkät 1") & ~out["undertryckt"]]
    # the report's precision: one decimal (3,7) and whole percents (67 %)
    assert (first["medel"] == 3.7).all() and (first["andel_positiva"] == 0.67).all() and (first["sd"] == 1.0).all()
    second = out[out["enkat"] == "Enkät 2"]
    assert (second["medel"] == 11 / 3).all() and (second["andel_positiva"] == 2 / 3).all()


def test_publishing_at_the_report_precision_never_changes_a_shown_digit():
    from slutrapport.core.swedish import format_number, format_percent
    from tests.conftest import SAMPLES

    survey = read_waves(sorted((SAMPLES / "enkater").iterdir()), load_instrument("samverkan"))
    exact, published = compare_waves(survey, 5, exact=True), compare_waves(survey, 5)
    rounded = published["enkat"] == "Enkät 3"  # the wave with a hidden group
    assert rounded.any() and not (published.loc[rounded, "medel"].dropna() * 10 % 1).round(9).between(1e-9, 1 - 1e-9).any()
    assert published.loc[~rounded, ["medel", "andel_positiva"]].equals(exact.loc[~rounded, ["medel", "andel_positiva"]])
    shown = ~published["undertryckt"] & published["medel"].notna()
    ties = ((exact["medel"] * 10 % 1 - 0.5).abs() < 1e-9) | ((exact["andel_positiva"] * 100 % 1 - 0.5).abs() < 1e-9)
    for i in published.index[shown & ~ties]:
        assert format_number(published.at[i, "medel"], 1) == format_number(exact.at[i, "medel"], 1)
        assert format_percent(published.at[i, "andel_positiva"]) == format_percent(exact.at[i, "andel_positiva"])
