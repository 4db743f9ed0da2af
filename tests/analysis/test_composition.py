"""The organisation mix between waves and the composition-standardised "Alla", checked by hand and with scipy."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from slutrapport.analysis.changes import CHANGE_COLUMNS, wave_changes
from slutrapport.analysis.composition import HIDDEN_STRATUM, STANDARDISED, STANDARDISED_GROUP, composition_shifts
from slutrapport.analysis.describe import compare_waves
from slutrapport.sources.survey import load_instrument, read_waves
from tests.conftest import write_csv

HIGH = [4, 5, 4, 3, 5]  # the higher-scoring organisation's answers, repeated
LOW = [2, 1, 2, 3, 2]


def _rows(org: str, values: list[int], prefix: str) -> list[list[object]]:
    # q1 = q2 = value and the reversed q3 = 6 − value: the index score equals the value
    return [[org, f"{prefix}{i}", v, v, 6 - v, ""] for i, v in enumerate(values)]


def _survey(tmp_path, instrument, waves):
    paths = [write_csv(tmp_path / f"w{i}.csv", rows) for i, rows in enumerate(waves, start=1)]
    return read_waves(paths, load_instrument(instrument))


def _changes(survey, min_n=5):
    comparison = compare_waves(survey, min_n)
    return wave_changes(survey, comparison, min_n)


def _by_test(table, group, niva="index", item="a"):
    rows = table[(table["grupp"] == group) & (table["niva"] == niva) & (table["id"] == item)]
    return {row["test"]: row for _, row in rows.iterrows()}


def test_alla_improving_only_by_who_answered_is_flagged_and_standardised_shows_no_change(tmp_path, mini_instrument):
    # Each organisation answers exactly alike in both waves; only the mix changes (Hög 20 → 60 %, Låg 80 → 40 %).
    wave1 = _rows("Hög", HIGH * 4, "a") + _rows("Låg", LOW * 16, "b")
    wave2 = _rows("Hög", HIGH * 12, "c") + _rows("Låg", LOW * 8, "d")
    survey = _survey(tmp_path, mini_instrument, [wave1, wave2])
    changes = _changes(survey)
    assert list(changes.columns) == CHANGE_COLUMNS  # existing columns unchanged, rows appended
    raw = _by_test(changes, "Alla")
    assert raw["mann_whitney"]["p_unc"] < 0.001 and raw["mann_whitney"]["diff_medel"] > 0  # Alla "improves"

    shifts = composition_shifts(survey, 5)
    row = shifts.iloc[0]
    # Reference: scipy.stats.chi2_contingency([[20, 60], [80, 40]], correction=False)
    reference = stats.chi2_contingency(np.array([[20, 60], [80, 40]]), correction=False)
    assert row["chi2"] == pytest.approx(reference.statistic, abs=1e-9)
    assert row["p"] == pytest.approx(reference.pvalue, rel=1e-9)
    assert row["max_skift"] == pytest.approx(0.4)
    assert bool(row["skifte"])

    standardised = _by_test(changes, STANDARDISED_GROUP)
    assert set(standardised) == {"standardiserat_medel", "standardiserad_andel"}
    mean_row = standardised["standardiserat_medel"]
    assert mean_row["diff_medel"] == pytest.approx(0.0, abs=1e-12)
    assert mean_row["p_unc"] > 0.05 and mean_row["p_corr"] > 0.05  # no significant change once the mix is held fixed
    assert mean_row["familj"] == STANDARDISED and mean_row["justering"] == "holm"
    assert standardised["standardiserad_andel"]["p_unc"] > 0.05
    # The raw rows and their adjustment are untouched by the appended rows.
    assert set(changes.loc[changes["grupp"] != STANDARDISED_GROUP, "familj"]) <= {"primär", "utforskande"}


def test_no_shift_gives_no_warning_and_no_standardised_rows(tmp_path, mini_instrument):
    # The same mix in both waves (40/40); the higher organisation improves within itself.
    wave1 = _rows("Hög", HIGH * 8, "a") + _rows("Låg", LOW * 8, "b")
    wave2 = _rows("Hög", [5, 5, 4, 5, 5] * 8, "c") + _rows("Låg", LOW * 8, "d")
    survey = _survey(tmp_path, mini_instrument, [wave1, wave2])
    shifts = composition_shifts(survey, 5)
    assert not shifts["skifte"].any()
    assert shifts.iloc[0]["max_skift"] == pytest.approx(0.0)
    changes = _changes(survey)
    assert not (changes["grupp"] == STANDARDISED_GROUP).any()


def test_standardised_change_matches_the_hand_computed_post_stratified_wald_test(tmp_path, mini_instrument):
    rng = np.random.default_rng(18)
    sizes = {"Hög": (12, 30), "Låg": (28, 10), "Mitt": (15, 15)}
    centre = {"Hög": 4, "Låg": 2, "Mitt": 3}
    values = {org: [np.clip(rng.integers(centre[org] - 1, centre[org] + 2, n), 1, 5).tolist() for n in ns] for org, ns in sizes.items()}
    waves = [sum((_rows(org, values[org][w], f"{org}{w}-") for org in sizes), []) for w in (0, 1)]
    survey = _survey(tmp_path, mini_instrument, waves)
    row = _by_test(_changes(survey), STANDARDISED_GROUP, niva="fraga", item="q1")["standardiserat_medel"]

    # By hand: W_h = n_h1 / N_1; m_w = Σ W_h ȳ_hw; V_w = Σ W_h² s²_hw / n_hw (ddof 1); z = (m_2 − m_1) / √(V_1 + V_2).
    # R 4.2.2, survey 4.1-1, on these answers (d: enkat, org, q1 and w = W_h · N_w / n_hw), options(digits = 15):
    #   d$stratum <- interaction(d$enkat, d$org)
    #   svyby(~q1, ~enkat, svydesign(ids = ~1, strata = ~stratum, weights = ~w, data = d), svymean)
    #     enkat               q1                se
    #         0 2.89090909090909 0.111493504392456
    #         1 2.72363636363636 0.165636207041220
    r_means, r_se = (2.89090909090909, 2.72363636363636), (0.111493504392456, 0.165636207041220)
    r_z = (r_means[1] - r_means[0]) / math.hypot(*r_se)
    assert row["diff_medel"] == pytest.approx(r_means[1] - r_means[0], abs=1e-12)
    assert row["statistika"] == pytest.approx(r_z, abs=1e-9)
    total = sum(ns[0] for ns in sizes.values())
    weights = {org: ns[0] / total for org, ns in sizes.items()}
    means = [sum(weights[o] * np.mean(values[o][w]) for o in sizes) for w in (0, 1)]
    var = sum(weights[o] ** 2 * np.var(values[o][w], ddof=1) / len(values[o][w]) for o in sizes for w in (0, 1))
    z = (means[1] - means[0]) / math.sqrt(var)
    assert row["diff_medel"] == pytest.approx(means[1] - means[0], abs=1e-12)
    assert row["statistika"] == pytest.approx(z, abs=1e-9)
    assert row["p_unc"] == pytest.approx(2 * stats.norm.sf(abs(z)), rel=1e-9)
    assert row["diff_medel_lag"] == pytest.approx(means[1] - means[0] - 1.959963984540054 * math.sqrt(var), abs=1e-9)
    assert row["n_fran"] == 55 and row["n_till"] == 55


def test_hidden_organisations_enter_the_weights_only_together(tmp_path, mini_instrument):
    # "Liten" has 3 answers in wave 2: hidden there, and merged with every other hidden group into one stratum.
    wave1 = _rows("Hög", HIGH * 2, "a") + _rows("Låg", LOW * 8, "b") + _rows("Liten", [3, 3, 4, 3, 3, 4], "e")
    wave2 = _rows("Hög", HIGH * 8, "c") + _rows("Låg", LOW * 2, "d") + _rows("Liten", [3, 4, 3], "f")
    survey = _survey(tmp_path, mini_instrument, [wave1, wave2])
    shifts = composition_shifts(survey, 5)
    assert bool(shifts.iloc[0]["skifte"])
    assert shifts.iloc[0]["grupp_max"] in {"", "Hög", "Låg"}  # a hidden group is never named
    assert "Liten" not in set(shifts["grupp_max"]) and HIDDEN_STRATUM not in set(shifts["grupp_max"])
    changes = _changes(survey)
    assert (changes["grupp"] == STANDARDISED_GROUP).any()
