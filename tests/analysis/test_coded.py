"""The integer-coded fast paths of the survey tables against the pandas and scipy calls they replace, on random data.

Each reference below is the earlier implementation (pandas groupby on the
text keys, the per-pair scipy calls) or the scipy call itself, quoted; the
fast path must give the same numbers to 1e-12 (counts exactly).
"""

from __future__ import annotations

import math
from itertools import combinations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from slutrapport.analysis.cell_stats import _median
from slutrapport.analysis.cells import _Cell, _cells, _linked
from slutrapport.analysis.coded import _first_order, _link_codes, _recode
from slutrapport.analysis.describe import _scale_table, answer_distribution, compare_waves, observations, response_summary
from slutrapport.analysis.groups import group_differences
from slutrapport.analysis.reliability import _alpha_if_deleted, cronbach_alpha
from slutrapport.analysis.suppression import ALL
from slutrapport.sources.survey import load_instrument, read_waves
from tests.conftest import LABELS

ORGANISATIONS = ["AF", "Soc", "AME", "Skola", "Vård", "Liten"]


@pytest.fixture(scope="module")
def random_survey(tmp_path_factory):
    """Three waves of the mini instrument: six organisations (one tiny), answers with "Vet ej" and blanks,
    codes that link many people between waves, some blank or repeated."""
    from tests.conftest import MINI_INSTRUMENT, write_csv

    folder = tmp_path_factory.mktemp("coded")
    instrument = folder / "mini.yaml"
    instrument.write_text(MINI_INSTRUMENT, encoding="utf-8")
    rng = np.random.default_rng(20)
    paths = []
    for wave in range(3):
        rows = []
        for _ in range(rng.integers(250, 320)):
            org = ORGANISATIONS[rng.choice(6, p=[0.3, 0.25, 0.2, 0.12, 0.1, 0.03])]
            kod = "" if rng.random() < 0.05 else f"k{rng.integers(0, 260) if rng.random() < 0.9 else 7}"
            answers = []
            for _ in range(3):
                draw = rng.random()
                answers.append("Vet ej" if draw < 0.04 else "" if draw < 0.07 else LABELS[int(rng.integers(1, 6))])
            rows.append([org, kod, *answers, "Text" if rng.random() < 0.05 else ""])
        paths.append(write_csv(folder / f"w{wave + 1}.csv", rows))
    return read_waves(paths, load_instrument(instrument))


def _reference_stats(obs: pd.DataFrame) -> pd.DataFrame:
    """The earlier ``describe._stats`` on ``describe._with_everyone``: pandas groupby on the text keys."""
    frame = pd.concat([obs.assign(grupp=ALL), obs], ignore_index=True)
    frame = frame.assign(positiv=frame["positiv"].astype(float))
    grouped = frame.groupby(["niva", "id", "grupp", "enkat"], observed=True, sort=False)
    return grouped.agg(
        n=("varde", "count"), medel=("varde", "mean"), sd=("varde", "std"), median=("varde", "median"), andel_positiva=("positiv", "mean")
    ).reset_index()


def test_cell_statistics_equal_the_pandas_groupby(random_survey):
    table = _scale_table(random_survey, 5)
    reference = _reference_stats(observations(random_survey, 5))
    merged = table.merge(reference, on=["niva", "id", "grupp", "enkat"], how="left", suffixes=("", "_ref"))
    assert (merged["n"] == merged["n_ref"].fillna(0).astype(int)).all()
    for column in ("medel", "sd", "median", "andel_positiva"):
        np.testing.assert_allclose(merged[column], merged[f"{column}_ref"], rtol=1e-12, atol=1e-12, equal_nan=True)
    assert len(reference) == int((table["n"] > 0).sum())  # every cell with answers is in the grid


def test_median_from_counts_equals_pandas():
    rng = np.random.default_rng(3)
    values = np.array([1.0, 4 / 3, 5 / 3, 2.0, 2.5, 3.0])
    cell = rng.integers(0, 40, size=3000)
    which = rng.integers(0, len(values), size=3000)
    counts = np.zeros((40, len(values)), dtype=np.int64)
    np.add.at(counts, (cell, which), 1)
    # reference: pandas.Series(values).groupby(cell).median()
    expected = pd.Series(values[which]).groupby(cell).median().reindex(range(40)).to_numpy()
    np.testing.assert_allclose(_median(counts, values), expected, rtol=1e-12, atol=0, equal_nan=True)


def test_recoded_codes_stay_in_the_smallest_type():
    """A per-row code array of a few values takes one byte per row (NumPy 2 promotes ``np.append(int8, -1)``
    to int64); the mapping and the missing code -1 are kept."""
    codes = np.array([0, 1, -1, 2, 2, -1], dtype=np.intp)
    recoded = _recode(codes, [2, 0, 1])
    assert recoded.dtype == np.int8
    assert recoded.tolist() == [2, 0, -1, 1, 1, -1]
    assert _recode(codes, [0, 300, 1]).dtype == np.int16


def test_first_order_equals_factorize():
    rng = np.random.default_rng(4)
    key = rng.integers(0, 5000, size=20000)
    codes, uniques = _first_order(key, 5000)
    ref_codes, ref_uniques = pd.factorize(key)  # reference: pandas.factorize (first-occurrence order)
    assert np.array_equal(codes, ref_codes)
    assert np.array_equal(uniques, ref_uniques)


def test_group_differences_equal_scipy(random_survey):
    comparison = compare_waves(random_survey, 5)
    table = group_differences(random_survey, comparison, 5)
    obs = observations(random_survey, 5)
    values = {key: frame["varde"].to_numpy() for key, frame in obs.groupby(["niva", "id", "grupp", "enkat"])}
    assert len(table) > 0
    for row in table.itertuples(index=False):
        if row.test == "kruskal_wallis":
            groups = table[(table["niva"] == row.niva) & (table["id"] == row.id) & (table["enkat"] == row.enkat)]
            names = list(dict.fromkeys([*groups["grupp_a"][1:], *groups["grupp_b"][1:]]))
            samples = [values[(row.niva, row.id, g, row.enkat)] for g in names]
            ref = stats.kruskal(*samples)  # reference: scipy.stats.kruskal(*groups)
            assert row.statistika == pytest.approx(ref.statistic, rel=1e-12, abs=1e-12)
            assert row.p_unc == pytest.approx(ref.pvalue, rel=1e-12, abs=1e-12)
            continue
        first, second = values[(row.niva, row.id, row.grupp_a, row.enkat)], values[(row.niva, row.id, row.grupp_b, row.enkat)]
        assert (row.n_a, row.n_b) == (len(first), len(second))
        if len(np.unique(np.concatenate([first, second]))) < 2:
            assert math.isnan(row.p_unc)
            continue
        ties = len(np.unique(np.concatenate([first, second]))) < len(first) + len(second)
        method = "asymptotic" if ties or len(first) >= 50 or len(second) >= 50 else "exact"
        # reference: scipy.stats.mannwhitneyu(b, a, use_continuity=True, alternative="two-sided", method=...)
        ref = stats.mannwhitneyu(second, first, use_continuity=True, alternative="two-sided", method=method)
        assert row.statistika == pytest.approx(ref.statistic, rel=1e-12, abs=1e-12)
        assert row.p_unc == pytest.approx(ref.pvalue, rel=1e-12, abs=1e-12)
        assert row.effekt == pytest.approx(2 * ref.statistic / (len(first) * len(second)) - 1, rel=1e-12, abs=1e-12)


def test_answer_distribution_equals_the_counts_of_the_answers(random_survey):
    comparison = compare_waves(random_survey, 5)
    table = answer_distribution(random_survey, comparison, 5)
    obs = observations(random_survey, 5)
    obs = pd.concat([obs.assign(grupp=ALL), obs], ignore_index=True)
    counts = obs[obs["niva"] == "fraga"].groupby(["id", "grupp", "enkat", "varde"]).size()  # reference: the earlier loop's counts
    shown = comparison[(comparison["niva"] == "fraga") & ~comparison["undertryckt"] & (comparison["n"].fillna(0) > 0)]
    assert len(table) == 5 * len(shown)
    for row in table.itertuples(index=False):
        expected = int(counts.get((row.id, row.grupp, row.enkat, float(row.varde)), 0))
        assert row.antal == expected
        n = int(shown[(shown["id"] == row.id) & (shown["grupp"] == row.grupp) & (shown["enkat"] == row.enkat)]["n"].iloc[0])
        assert row.andel == expected / n


def test_response_summary_counts_as_the_tidy_table(random_survey):
    tidy = random_survey.tidy
    summary = response_summary(random_survey).set_index("enkat")
    for wave in random_survey.waves:
        rows = tidy[(tidy["enkat"] == wave) & (tidy["status"] != "fritext")]
        on_scale = rows["fraga"].isin(["q1", "q2", "q3"])
        assert summary.loc[wave, "svarande"] == rows.loc[rows["status"] == "svar", "respondent"].nunique()
        assert summary.loc[wave, "svar"] == int((on_scale & (rows["status"] == "svar")).sum())
        assert summary.loc[wave, "saknas"] == int((on_scale & (rows["status"] == "saknas")).sum())
        assert summary.loc[wave, "tomma"] == int((on_scale & (rows["status"] == "tomt")).sum())


def _reference_link_keys(tidy: pd.DataFrame) -> pd.Series:
    """The earlier ``cells._link_keys``: respondent → code, None when blank or repeated in the wave."""
    people = tidy.drop_duplicates("respondent")[["respondent", "enkat", "kod"]]
    people = people.assign(enkat=people["enkat"].astype(str))
    counts = people.groupby(["enkat", "kod"], dropna=True)["respondent"].transform("size")
    unique = people["kod"].notna() & (counts == 1)
    return pd.Series(np.where(unique, people["kod"], None), index=people["respondent"].to_numpy(), dtype=object)


def _reference_linked(cells: list[_Cell]) -> list[np.ndarray]:
    """The earlier ``cells._linked``: dictionaries of code → position, the common codes sorted."""
    positions = [{key: i for i, key in enumerate(cell.keys) if key is not None} for cell in cells]
    ordered = sorted(set(positions[0]).intersection(*positions[1:]))
    return [np.array([pos[key] for key in ordered], dtype=int) for pos in positions]


def test_linking_codes_and_linked_people_equal_the_dictionaries(random_survey):
    link, names = _link_codes(random_survey)
    from slutrapport.analysis.coded import _codes

    people = _codes(random_survey).people
    expected = _reference_link_keys(random_survey.tidy).reindex(people)
    assert list(names[link]) == [None if pd.isna(v) else v for v in expected]
    assert list(names[:-1]) == sorted(names[:-1])  # numbers follow the codes' order
    cells = _cells(random_survey, 5)
    checked = 0
    for group in [ALL, "AF", "Soc"]:
        wave_cells = [cells.get("fraga", "q1", group, w) for w in random_survey.waves]
        for chosen in ([0, 1], [1, 2], [0, 2], [0, 1, 2]):
            picked = [wave_cells[i] for i in chosen]
            for new, old in zip(_linked(picked), _reference_linked(picked), strict=True):
                assert np.array_equal(new, old)
                checked += len(old)
    assert checked > 0


def test_alpha_if_deleted_equals_cronbach_alpha_without_the_item():
    rng = np.random.default_rng(5)
    for n, k in [(5, 3), (40, 4), (300, 7), (1000, 10)]:
        x = rng.integers(1, 6, size=(n, k)).astype(float)
        # reference: cronbach_alpha(np.delete(x, j, axis=1)) for every item j, bit for bit
        assert _alpha_if_deleted(x) == [cronbach_alpha(np.delete(x, j, axis=1)) for j in range(k)]
    fractions = rng.random((50, 4))
    expected = [cronbach_alpha(np.delete(fractions, j, axis=1)) for j in range(4)]
    assert _alpha_if_deleted(fractions) == expected
    constant = np.ones((10, 3))
    assert all(math.isnan(v) for v in _alpha_if_deleted(constant))


def test_pairs_of_a_wave_are_every_combination_of_the_shown_groups(random_survey):
    comparison = compare_waves(random_survey, 5)
    table = group_differences(random_survey, comparison, 5)
    for _, rows in table.groupby(["niva", "id", "enkat"], sort=False):
        names = list(rows["grupp_a"][1:2]) + list(rows["grupp_b"][1:])
        groups = list(dict.fromkeys(names))
        assert list(zip(rows["grupp_a"][1:], rows["grupp_b"][1:], strict=True)) == list(combinations(groups, 2))


def test_first_cells_are_the_first_rows_of_the_observations(random_survey):
    from slutrapport.analysis.coded import _first_cells

    obs = observations(random_survey, 5)
    # reference: pandas drop_duplicates keeps the first row of each (niva, id, enkat), in the order they occur
    first = obs[["niva", "id", "enkat"]].astype(str).drop_duplicates()
    expected = {tuple(key): int(row) for row, key in zip(first.index, first.itertuples(index=False, name=None), strict=True)}
    found = _first_cells(random_survey, 5)
    assert list(found.items()) == list(expected.items())


def test_small_codes_give_the_cells_and_counts_of_64_bit_ones(monkeypatch):
    from slutrapport.analysis import coded

    rng = np.random.default_rng(5)
    shape = (40, 31, 3)
    item = rng.integers(0, shape[0], 5000)
    group = rng.integers(-1, shape[1], 5000)
    wave = rng.integers(-1, shape[2], 5000)
    wide = np.where((wave >= 0) & (group >= 0), (item * shape[1] + group) * shape[2] + wave, -1)  # the int64 formula
    small = coded._cell_codes(item.astype(np.int8), group.astype(np.int8), wave.astype(np.int8), shape)
    assert small.dtype == np.int16 and np.array_equal(small, wide)
    everyone = coded._cell_codes(item.astype(np.int8), 0, wave.astype(np.int8), shape)
    assert np.array_equal(everyone, np.where(wave >= 0, item * shape[1] * shape[2] + wave, -1))
    monkeypatch.setattr(coded, "_BLOCK", 700)  # several blocks, the last one short
    inside = small[small >= 0]
    size = shape[0] * shape[1] * shape[2]
    assert np.array_equal(coded._bincount(inside, size), np.bincount(inside, minlength=size))
    weights = rng.integers(0, 2, len(inside)).astype(float)
    assert np.array_equal(coded._bincount(inside, size, weights), np.bincount(inside, weights=weights, minlength=size))
