"""Changes between waves and differences between groups, checked against scipy/statsmodels and by hand."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from scipy.stats.contingency import association
from statsmodels.stats.contingency_tables import cochrans_q, mcnemar
from statsmodels.stats.proportion import proportion_confint

from slutrapport.analysis.changes import CHANGE_COLUMNS, wave_changes
from slutrapport.analysis.describe import compare_waves
from slutrapport.analysis.groups import GROUP_DIFFERENCE_COLUMNS, group_differences
from slutrapport.analysis.intervals import INTERVAL_COLUMNS, mean_intervals, newcombe_difference, newcombe_paired_difference
from slutrapport.analysis.shift import hodges_lehmann_independent, hodges_lehmann_paired
from slutrapport.analysis.stattests import _cochrans_q, _mann_whitney, _mcnemar, _share_independent, _wilcoxon
from slutrapport.sources.survey import load_instrument, read_waves
from tests.conftest import SAMPLES, write_csv

POSITIVE = {4, 5}


def _survey(tmp_path: Path, instrument: Path, waves: list[list[list[object]]]):
    """Write one CSV per wave (rows: organisation, kod, q1, q2, q3, f1) and read them."""
    paths = [write_csv(tmp_path / f"w{i}.csv", rows) for i, rows in enumerate(waves, start=1)]
    return read_waves(paths, load_instrument(instrument))


def _analyse(survey, min_n=5):
    comparison = compare_waves(survey, min_n)
    return comparison, wave_changes(survey, comparison, min_n)


def _rows(table, item="q1", group="Alla", fran="Enkät 1", till="Enkät 2", niva="fraga"):
    rows = table[
        (table["niva"] == niva) & (table["id"] == item) & (table["grupp"] == group)
        & (table["fran"] == fran) & (table["till"] == till)
    ]  # fmt: skip
    return {row["test"]: row for _, row in rows.iterrows()}


def _wave(org: str, prefix: str, q1: list[int], codes: bool = True) -> list[list[object]]:
    return [[org, f"{prefix}{i}" if codes else "", v, 3, 3, ""] for i, v in enumerate(q1, start=1)]


# Two waves, everyone linked by code; AF 8 people, Soc 6 people.
AF1, AF2 = [2, 3, 3, 4, 2, 5, 3, 1], [4, 3, 5, 4, 3, 5, 4, 2]
SOC1, SOC2 = [4, 4, 5, 3, 2, 4], [4, 5, 5, 4, 3, 5]


@pytest.fixture
def linked(tmp_path, mini_instrument):
    return _survey(
        tmp_path,
        mini_instrument,
        [_wave("AF", "a", AF1) + _wave("Soc", "s", SOC1), _wave("AF", "a", AF2) + _wave("Soc", "s", SOC2)],
    )


def _r_signed_rank_p(before, after) -> float:
    """R: wilcox.test(after, before, paired=TRUE, exact=FALSE, correct=TRUE)$p.value, written out."""
    d = np.asarray(after, float) - np.asarray(before, float)
    d = d[d != 0]
    n = d.size
    ranks = stats.rankdata(np.abs(d))
    v = ranks[d > 0].sum()
    _, ties = np.unique(np.abs(d), return_counts=True)
    sigma = math.sqrt(n * (n + 1) * (2 * n + 1) / 24 - (ties**3 - ties).sum() / 48)
    z = v - n * (n + 1) / 4
    z = (z - math.copysign(0.5, z)) / sigma
    return 2 * min(stats.norm.cdf(z), stats.norm.sf(z))


def test_paired_rows_match_references(linked):
    comparison, table = _analyse(linked)
    assert list(table.columns) == CHANGE_COLUMNS
    before, after = np.array(AF1 + SOC1, float), np.array(AF2 + SOC2, float)
    rows = _rows(table)
    assert set(rows) == {"wilcoxon", "mcnemar"}
    w, m = rows["wilcoxon"], rows["mcnemar"]
    assert bool(w["parad"]) and w["n_par"] == w["n_fran"] == w["n_till"] == 14
    # scipy: stats.wilcoxon(after, before, zero_method="wilcox", correction=True, method="asymptotic")
    ref = stats.wilcoxon(after, before, zero_method="wilcox", correction=True, method="asymptotic")
    assert w["statistika"] == pytest.approx(ref.statistic) and w["p_unc"] == pytest.approx(ref.pvalue)
    assert w["p_unc"] == pytest.approx(_r_signed_rank_p(before, after))
    d = after - before
    ranks = stats.rankdata(np.abs(d[d != 0]))
    r_plus, r_minus = ranks[d[d != 0] > 0].sum(), ranks[d[d != 0] < 0].sum()
    assert w["effekt"] == pytest.approx((r_plus - r_minus) / (r_plus + r_minus)) and w["effekt"] > 0
    assert w["diff_medel"] == pytest.approx(after.mean() - before.mean())
    # McNemar on the positive (4-5) shares; statsmodels: mcnemar([[a, b], [c, d]], exact=True)
    p1, p2 = np.isin(before, list(POSITIVE)), np.isin(after, list(POSITIVE))
    a, b, c, dd = (p1 & p2).sum(), (p1 & ~p2).sum(), (~p1 & p2).sum(), (~p1 & ~p2).sum()
    ref = mcnemar([[a, b], [c, dd]], exact=True)
    assert m["statistika"] == pytest.approx(ref.statistic) and m["p_unc"] == pytest.approx(ref.pvalue)
    assert m["effekt"] == pytest.approx(p2.mean() - p1.mean()) == pytest.approx(m["diff_andel_positiva"])
    expected_ci = newcombe_paired_difference(int(a), int(b), int(c), int(dd))[1:]
    assert (w["ci_lag"], w["ci_hog"]) == pytest.approx(expected_ci) == (m["ci_lag"], m["ci_hog"])
    # Appended columns. R: t.test(after, before, paired = TRUE)$conf.int, on both rows of the pair.
    ci = stats.ttest_rel(after, before).confidence_interval()
    assert (w["diff_medel_lag"], w["diff_medel_hog"]) == pytest.approx((ci.low, ci.high)) == (m["diff_medel_lag"], m["diff_medel_hog"])
    # R: wilcox.test(after, before, paired = TRUE, conf.int = TRUE); the estimate is the median of the
    # Walsh averages of the non-zero differences (brute force), the interval as tests/analysis/test_shift.py.
    nonzero = d[d != 0]
    walsh = [(nonzero[i] + nonzero[j]) / 2 for i in range(nonzero.size) for j in range(i, nonzero.size)]
    assert w["hl_skift"] == pytest.approx(np.median(walsh)) and w["hl_skift"] > 0
    assert (w["hl_skift"], w["hl_lag"], w["hl_hog"]) == pytest.approx(hodges_lehmann_paired(before, after))
    assert w["hl_lag"] <= w["hl_skift"] <= w["hl_hog"]
    assert all(math.isnan(m[c]) for c in ("hl_skift", "hl_lag", "hl_hog"))  # not on the share test's row
    # The groups are paired too (8 and 6 linked, both >= min_n and a majority).
    af = _rows(table, group="AF")["wilcoxon"]
    ref = stats.wilcoxon(AF2, AF1, zero_method="wilcox", correction=True, method="asymptotic")
    assert bool(af["parad"]) and af["n_par"] == 8 and af["p_unc"] == pytest.approx(ref.pvalue)
    # Index rows exist too; two waves: no first->last duplicate and no omnibus rows.
    assert set(zip(table["fran"], table["till"], strict=True)) == {("Enkät 1", "Enkät 2")}
    assert {"index", "fraga"} == set(table["niva"])
    valid = table["p_unc"].notna()
    assert valid.sum() >= 6 and (table.loc[valid, "p_corr"] >= table.loc[valid, "p_unc"]).all()
    assert table.loc[~valid, "p_corr"].isna().all()  # q2 and q3 never vary: not computable, not in Holm's m


def test_contract_columns_keep_their_order():
    """forandringar.csv: the original 19 columns first, in order; new ones only appended."""
    original = [
        "niva", "id", "grupp", "fran", "till", "parad", "n_fran", "n_till", "n_par", "diff_medel",
        "diff_andel_positiva", "ci_lag", "ci_hog", "test", "statistika", "p_unc", "p_corr", "effekt", "effektmatt",
    ]  # fmt: skip
    assert CHANGE_COLUMNS[: len(original)] == original
    for name in ("diff_medel_lag", "diff_medel_hog", "hl_skift", "hl_lag", "hl_hog"):
        assert CHANGE_COLUMNS.index(name) >= len(original)


def test_linking_rules(tmp_path, mini_instrument):
    wave1 = _wave("AF", "a", [2, 3, 3, 4, 2, 5]) + _wave("Soc", "s", [4, 4, 5, 3, 2, 4])
    wave2 = _wave("AF", "a", [4, 3, 5, 4, 3, 5]) + _wave("Soc", "s", [4, 5, 5, 4, 3, 5])
    wave2[0][1] = "A1"  # codes are case-folded on reading: still linked
    wave2[1][1] = "a1"  # now a1 occurs twice in wave 2: neither is linked
    wave2[2][1] = ""  # blank code: not linked
    wave2[3][0] = "Soc"  # a4 moved from AF to Soc: linked in Alla only
    survey = _survey(tmp_path, mini_instrument, [wave1, wave2])
    _, table = _analyse(survey, min_n=1)
    n_par = {group: {int(r["n_par"]) for r in _rows(table, group=group).values()} for group in ("Alla", "AF", "Soc")}
    assert n_par["Alla"] == {12 - 3}  # a1, a2 (duplicate) and a3 (blank) lost
    assert n_par["AF"] == {2}  # a5, a6
    assert n_par["Soc"] == {6}  # s1-s6, not a4
    row = _rows(table, group="AF")["partover_t"]  # 2 of 6 and 5 linked: partly linked, every answer used
    assert not row["parad"] and (row["n_fran"], row["n_till"], row["n_par"]) == (6, 5, 2)


def test_fully_partly_or_not_linked(tmp_path, mini_instrument):
    # 6 answers per wave, 4 linked: fewer than min_n = 5 linked people, so independent.
    wave1 = _wave("AF", "a", [1, 2, 2, 3, 3, 4])
    wave2 = _wave("AF", "a", [3, 3, 4, 4], codes=True) + [["AF", "", 5, 3, 3, ""], ["AF", "", 4, 3, 3, ""]]
    survey = _survey(tmp_path, mini_instrument, [wave1, wave2])
    _, strict = _analyse(survey, min_n=5)
    row = _rows(strict)["mann_whitney"]
    assert not row["parad"] and row["n_par"] == 4 and (row["n_fran"], row["n_till"]) == (6, 6)
    # With min_n = 1 the 4 pairs and the 2 + 2 unlinked answers are tested together: n is every answer.
    _, lenient = _analyse(survey, min_n=1)
    rows = _rows(lenient)
    assert set(rows) == {"partover_t", "partover_z"}
    assert all(not r["parad"] and (r["n_fran"], r["n_till"], r["n_par"]) == (6, 6, 4) for r in rows.values())
    # Everyone linked: the paired tests, as before.
    wave2 = _wave("AF", "a", [3, 3, 4, 4, 5, 4])
    _, table = _analyse(_survey(tmp_path, mini_instrument, [wave1, wave2]), min_n=1)
    row = _rows(table)["wilcoxon"]
    assert row["parad"] and row["n_fran"] == row["n_till"] == row["n_par"] == 6


def test_independent_rows_match_references(tmp_path, mini_instrument):
    before = [1, 2, 2, 3, 3, 4, 4, 5, 2, 3, 4, 1]
    after = [2, 3, 4, 4, 5, 5, 4, 3, 4, 5, 5, 2, 4, 4]
    survey = _survey(
        tmp_path,
        mini_instrument,
        [_wave("AF", "a", before[:6], codes=False) + _wave("Soc", "s", before[6:], codes=False),
         _wave("AF", "a", after[:7], codes=False) + _wave("Soc", "s", after[7:], codes=False)],
    )  # fmt: skip
    _, table = _analyse(survey)
    rows = _rows(table)
    assert set(rows) == {"mann_whitney", "chi2"}
    u = rows["mann_whitney"]
    assert not u["parad"] and u["n_par"] == 0 and (u["n_fran"], u["n_till"]) == (12, 14)
    # scipy: stats.mannwhitneyu(after, before, use_continuity=True, alternative="two-sided", method="asymptotic")
    ref = stats.mannwhitneyu(after, before, use_continuity=True, alternative="two-sided", method="asymptotic")
    assert u["statistika"] == pytest.approx(ref.statistic) and u["p_unc"] == pytest.approx(ref.pvalue)
    wins = sum((a > b) + 0.5 * (a == b) for a in after for b in before)
    assert u["effekt"] == pytest.approx(2 * wins / (12 * 14) - 1) and u["effekt"] > 0
    k1, k2 = sum(v in POSITIVE for v in before), sum(v in POSITIVE for v in after)
    table2 = [[k2, 14 - k2], [k1, 12 - k1]]
    # scipy: stats.chi2_contingency(table, correction=False) (all expected counts >= 5 here)
    ref = stats.chi2_contingency(table2, correction=False)
    assert ref.expected_freq.min() >= 5
    c = rows["chi2"]
    assert c["statistika"] == pytest.approx(ref.statistic) and c["p_unc"] == pytest.approx(ref.pvalue)
    assert (c["ci_lag"], c["ci_hog"]) == pytest.approx(newcombe_difference(k1, 12, k2, 14)[1:])
    # Appended columns. R: t.test(after, before)$conf.int (Welch) on both rows; the Hodges-Lehmann
    # shift (median of the 168 differences after - before) with wilcox.test(after, before, conf.int = TRUE).
    ci = stats.ttest_ind(after, before, equal_var=False).confidence_interval()
    assert (u["diff_medel_lag"], u["diff_medel_hog"]) == pytest.approx((ci.low, ci.high)) == (c["diff_medel_lag"], c["diff_medel_hog"])
    assert u["hl_skift"] == np.median([a - b for a in after for b in before]) == 1
    assert (u["hl_lag"], u["hl_hog"]) == pytest.approx(hodges_lehmann_independent(np.array(before, float), np.array(after, float))[1:])
    assert math.isnan(c["hl_skift"])
    # AF alone (6 vs 7) has expected counts below 5: Fisher's exact test.
    # scipy: stats.fisher_exact([[k2, n2 - k2], [k1, n1 - k1]])
    f = _rows(table, group="AF")["fisher"]
    ka, kb = sum(v in POSITIVE for v in before[:6]), sum(v in POSITIVE for v in after[:7])
    ref = stats.fisher_exact([[kb, 7 - kb], [ka, 6 - ka]])
    assert f["p_unc"] == pytest.approx(ref.pvalue) and f["statistika"] == pytest.approx(ref.statistic)


def test_three_waves_and_omnibus(tmp_path, mini_instrument):
    rng = np.random.default_rng(3)
    values = rng.integers(1, 6, size=(3, 12))
    values[2] = np.minimum(values[2] + 1, 5)
    survey = _survey(tmp_path, mini_instrument, [_wave("AF", "p", list(v)) for v in values])
    _, table = _analyse(survey)
    pairs = set(zip(table["fran"], table["till"], strict=True))
    assert pairs == {("Enkät 1", "Enkät 2"), ("Enkät 2", "Enkät 3"), ("Enkät 1", "Enkät 3"), ("alla", "")}
    omnibus = _rows(table, fran="alla", till="")
    f, q = omnibus["friedman"], omnibus["cochrans_q"]
    # scipy: stats.friedmanchisquare(w1, w2, w3); Kendall's W = Q / (n (k - 1))
    ref = stats.friedmanchisquare(*values)
    assert f["statistika"] == pytest.approx(ref.statistic) and f["p_unc"] == pytest.approx(ref.pvalue)
    assert f["effekt"] == pytest.approx(ref.statistic / (12 * 2)) and f["effektmatt"] == "kendalls_w"
    # statsmodels: cochrans_q(people x waves 0/1 matrix)
    ref = cochrans_q(np.isin(values.T, list(POSITIVE)).astype(int))
    assert q["statistika"] == pytest.approx(ref.statistic) and q["p_unc"] == pytest.approx(ref.pvalue)
    assert math.isnan(q["effekt"]) and q["effektmatt"] == ""
    assert all(math.isnan(f[c]) for c in ("diff_medel", "diff_andel_positiva", "ci_lag", "ci_hog"))
    assert f["n_par"] == 12 and f["parad"]


def test_three_waves_independent_omnibus(tmp_path, mini_instrument):
    waves = [[1, 2, 2, 3, 3, 4, 2], [2, 3, 3, 4, 4, 5, 3, 4], [3, 4, 4, 5, 5, 5, 4]]
    survey = _survey(tmp_path, mini_instrument, [_wave("AF", "p", w, codes=False) for w in waves])
    _, table = _analyse(survey)
    omnibus = _rows(table, fran="alla", till="")
    k, c = omnibus["kruskal_wallis"], omnibus["chi2"]
    # scipy: stats.kruskal(*waves); epsilon² = H / (N - 1) (Tomczak & Tomczak 2014)
    ref = stats.kruskal(*waves)
    assert k["statistika"] == pytest.approx(ref.statistic) and k["p_unc"] == pytest.approx(ref.pvalue)
    assert k["effekt"] == pytest.approx(ref.statistic / (22 - 1))
    counts = [[sum(v in POSITIVE for v in w), sum(v not in POSITIVE for v in w)] for w in waves]
    # scipy: stats.chi2_contingency(k x 2, correction=False); association(..., method="cramer")
    ref = stats.chi2_contingency(counts, correction=False)
    assert c["statistika"] == pytest.approx(ref.statistic) and c["p_unc"] == pytest.approx(ref.pvalue)
    assert c["effekt"] == pytest.approx(association(np.array(counts), method="cramer", correction=False))
    assert (k["n_fran"], k["n_till"], k["parad"]) == (7, 7, False)


@pytest.mark.filterwarnings("error::RuntimeWarning")
def test_degenerate_input_gives_nan_not_warnings(tmp_path, mini_instrument):
    # Every wave has its own free-text comment: the same rows of answers for three waves would be an error.
    waves = [[[*row[:5], f"Enkät {w}"] for row in _wave("AF", "p", [4] * 6)] for w in range(3)]
    survey = _survey(tmp_path, mini_instrument, waves)
    _, table = _analyse(survey)
    q1 = table[(table["niva"] == "fraga") & (table["id"] == "q1")]
    assert len(q1) == 18  # Alla and AF: 3 pairs + omnibus, two tests each, and the trend
    assert q1["p_unc"].isna().all() and q1["p_corr"].isna().all() and q1["statistika"].isna().all()
    assert (q1["diff_medel"].dropna() == 0).all()
    independent = _survey(tmp_path, mini_instrument, [[[*row[:5], f"Enkät {w}"] for row in _wave("AF", "p", [4] * 6, codes=False)] for w in range(3)])
    _, table = _analyse(independent)
    assert table["p_unc"].isna().all()


# Hand example for the matched-pairs rank-biserial (Kerby 2014; pingouin.wilcoxon's "RBC"):
# before = [1, 2, 3, 4, 5, 2], after = [3, 2, 5, 3, 5, 5] -> d = [2, 0, 2, -1, 0, 3]; zeros dropped,
# ranks of |d| = [2.5, 2.5, 1, 4]; R+ = 9, R- = 1 -> r = R+/ΣR - R-/ΣR = 0.9 - 0.1 = 0.8; T = min = 1.
def test_wilcoxon_kernel_hand_example():
    res = _wilcoxon(np.array([1, 2, 3, 4, 5, 2.0]), np.array([3, 2, 5, 3, 5, 5.0]))
    assert res.effect == pytest.approx(0.8) and res.statistic == 1
    # R: wilcox.test(after, before, paired=TRUE, exact=FALSE, correct=TRUE) -> V = 9, n = 4,
    # var = 4*5*9/24 - (2^3 - 2)/48 = 7.375, z = (9 - 5 - 0.5)/sqrt(7.375) = 1.28880, p = 0.19747
    assert res.p == pytest.approx(2 * stats.norm.sf(3.5 / math.sqrt(7.375)))
    assert res.p == pytest.approx(0.19747, abs=5e-6)
    # Without ties or zeros and fewer than 50 pairs the p-value is exact, as R:
    # scipy: stats.wilcoxon(after, before, method="exact"); here all 5 differences positive -> p = 2/2^5
    exact = _wilcoxon(np.zeros(5), np.array([1, 2, 3, 4, 5.0]))
    assert exact.p == pytest.approx(2 / 32) and exact.effect == 1.0


def test_wilcoxon_kernel_ties_of_index_score_differences():
    # 13/3 - 4 and 10/3 - 3 differ in floating point but are the same difference (1/3): they must tie.
    before, after = np.array([4.0, 3.0, 2.0, 4.0]), np.array([13 / 3, 10 / 3, 3.0, 14 / 3])
    assert (after - before)[0] != (after - before)[1]
    res = _wilcoxon(before, after)
    # scipy: stats.wilcoxon([1, 1, 3, 2] / 3, correction=True, method="asymptotic") (ties -> normal approximation)
    ref = stats.wilcoxon(np.array([1, 1, 3, 2]) / 3, correction=True, method="asymptotic")
    assert res.p == pytest.approx(ref.pvalue) and res.statistic == 0 and res.effect == 1.0


# Hand example for the Mann-Whitney rank-biserial (Wendt 1972; pingouin.mwu's "RBC" = 1 - 2 U_before/(n1 n2)):
# before = [1, 2, 2, 3], after = [2, 3, 4, 4, 5]: pairs where after wins 15, ties 5 -> U_after = 17.5,
# U_before = 20 - 17.5 = 2.5 -> r = 1 - 2*2.5/20 = 0.75.
def test_mann_whitney_kernel_hand_example():
    res = _mann_whitney(np.array([1, 2, 2, 3.0]), np.array([2, 3, 4, 4, 5.0]))
    assert res.statistic == 17.5 and res.effect == pytest.approx(0.75)
    # scipy: stats.mannwhitneyu(after, before, method="asymptotic", use_continuity=True)
    assert res.p == pytest.approx(stats.mannwhitneyu([2, 3, 4, 4, 5], [1, 2, 2, 3], method="asymptotic").pvalue)
    # No ties, samples < 50: exact p, as R's wilcox.test(exact=NULL)
    exact = _mann_whitney(np.array([1, 2, 3.0]), np.array([4, 5, 6, 7.0]))
    assert exact.p == pytest.approx(stats.mannwhitneyu([4, 5, 6, 7], [1, 2, 3], method="exact").pvalue)
    assert exact.p == pytest.approx(2 / math.comb(7, 3)) and exact.effect == 1.0


@pytest.mark.parametrize("b,c", [(3, 9), (0, 4), (20, 8), (40, 25)])
def test_mcnemar_kernel_matches_statsmodels(b, c):
    res = _mcnemar(b, c, effect=0.1)
    exact = b + c < 25
    # statsmodels: mcnemar([[a, b], [c, d]], exact=b + c < 25, correction=True)
    ref = mcnemar([[10, b], [c, 10]], exact=exact, correction=True)
    assert res.statistic == pytest.approx(ref.statistic) and res.p == pytest.approx(ref.pvalue)
    assert math.isnan(_mcnemar(0, 0, 0.0).p)


def test_share_kernel_and_cochran_kernel():
    # scipy: stats.fisher_exact / stats.chi2_contingency(correction=False)
    res = _share_independent(1, 10, 8, 10, 0.7)  # expected positives 4.5 < 5
    assert res.test == "fisher" and res.p == pytest.approx(stats.fisher_exact([[8, 2], [1, 9]]).pvalue)
    assert res.statistic == pytest.approx(stats.fisher_exact([[8, 2], [1, 9]]).statistic)  # odds ratio 36
    assert _share_independent(2, 10, 8, 10, 0.6).test == "chi2"  # all expected counts exactly 5
    res = _share_independent(20, 50, 35, 50, 0.3)
    assert res.test == "chi2"
    assert res.p == pytest.approx(stats.chi2_contingency([[35, 15], [20, 30]], correction=False).pvalue)
    assert math.isnan(_share_independent(10, 10, 12, 12, 0.0).p)
    # statsmodels: cochrans_q(x) on a random 0/1 matrix
    x = np.random.default_rng(11).integers(0, 2, size=(25, 4))
    ref = cochrans_q(x)
    res = _cochrans_q(x)
    assert res.statistic == pytest.approx(ref.statistic) and res.p == pytest.approx(ref.pvalue)


def _random_waves(rng, shift: list[float], n_per_org: int = 15, linked: float = 0.7):
    """Two organisations of ``n_per_org`` people per wave; a share ``linked`` of them keep their code."""
    waves = []
    for w, delta in enumerate(shift):
        rows = []
        for org in ("AF", "Soc"):
            for i in range(n_per_org):
                code = f"{org}{i}" if i < int(n_per_org * linked) else f"{org}{i}-w{w}"
                q = np.clip(np.round(rng.normal(3.2 + delta, 1.0, size=3)), 1, 5).astype(int)
                rows.append([org, code, *q, ""])
        waves.append(rows)
    return waves


@pytest.mark.parametrize("linked,paired", [(0.7, True), (0.3, False)])
def test_no_true_change_gives_no_significant_rows(tmp_path, mini_instrument, linked, paired):
    rng = np.random.default_rng(20250101)
    survey = _survey(tmp_path, mini_instrument, _random_waves(rng, [0.0, 0.0, 0.0], linked=linked))
    _, table = _analyse(survey)
    trend = table["test"].isin(["trend_lmm", "page", "jonckheere"])
    assert len(table) == 96 + 12 and trend.sum() == 12  # one trend per question or index and group
    omnibus = table["fran"] == "alla"
    assert (table.loc[omnibus, "parad"] == paired).all()  # a majority linked across all waves: paired omnibus
    assert set(table.loc[~omnibus & ~trend, "test"]) <= {"partover_t", "partover_z", "mann_whitney", "chi2", "fisher"}
    assert (table["p_corr"] < 0.05).sum() == 0
    assert (table["p_corr"].dropna() >= table["p_unc"].dropna()).all()


def test_large_change_is_found_with_positive_direction(tmp_path, mini_instrument):
    rng = np.random.default_rng(5)
    before = [2] * 24 + [1, 3, 3, 2, 1, 3]
    after = [5] * 22 + [4, 4, 4, 5, 3, 4, 5, 5]
    survey = _survey(
        tmp_path,
        mini_instrument,
        [_wave("AF", "p", before), _wave("AF", "p", list(rng.permutation(after)))],
    )
    _, table = _analyse(survey)
    rows = _rows(table)
    assert set(rows) == {"wilcoxon", "mcnemar"}
    for row in rows.values():
        assert row["p_corr"] < 0.05 and row["diff_medel"] > 0 and row["effekt"] > 0 and row["ci_lag"] > 0


@pytest.fixture(scope="module")
def sample():
    survey = read_waves(sorted((SAMPLES / "enkater").glob("*")), load_instrument("samverkan"))
    comparison = compare_waves(survey, 5)
    return survey, comparison, wave_changes(survey, comparison, 5)


SUPPRESSED_IN_3 = {"Arbetsmarknadsenheten", "Arbetsförmedlingen"}


def test_sample_project_changes(sample):
    survey, comparison, table = sample
    assert list(table.columns) == CHANGE_COLUMNS
    hidden = table[table["grupp"].isin(SUPPRESSED_IN_3)]
    assert len(hidden) > 0
    assert not ((hidden["fran"].isin(["Enkät 3", "alla"])) | (hidden["till"] == "Enkät 3")).any()
    shown = comparison[~comparison["undertryckt"] & (comparison["n"].fillna(0) > 0)]
    cells = set(zip(shown["niva"], shown["id"], shown["grupp"], shown["enkat"], strict=True))
    for row in table.itertuples():
        waves = survey.waves if row.fran == "alla" else [row.fran, row.till]
        assert all((row.niva, row.id, row.grupp, w) in cells for w in waves)
    assert table["parad"].any()
    assert table["p_unc"].notna().sum() > 0.9 * len(table)
    valid = table["p_unc"].notna()
    assert (table.loc[valid, "p_corr"] >= table.loc[valid, "p_unc"]).all()
    assert table.loc[~valid, "p_corr"].isna().all()
    pairs = table[(table["fran"] != "alla") & ~table["test"].isin(["trend_lmm", "page", "jonckheere"])]
    share = pairs["diff_andel_positiva"]
    assert ((pairs["ci_lag"] <= share + 1e-12) & (share <= pairs["ci_hog"] + 1e-12)).all()
    # Unpaired rows use the comparison's n.
    n = comparison.set_index(["niva", "id", "grupp", "enkat"])["n"]
    for row in pairs[~pairs["parad"]].itertuples():
        assert row.n_fran == n[(row.niva, row.id, row.grupp, row.fran)]
    # Rows follow the comparison table's order of (niva, id, grupp).
    order = list(dict.fromkeys(zip(comparison["niva"], comparison["id"], comparison["grupp"], strict=True)))
    seen = list(dict.fromkeys(zip(table["niva"], table["id"], table["grupp"], strict=True)))
    assert seen == [key for key in order if key in set(seen)]


def test_sample_group_differences(sample):
    survey, comparison, _ = sample
    table = group_differences(survey, comparison, 5)
    assert list(table.columns) == GROUP_DIFFERENCE_COLUMNS
    wave3 = table[table["enkat"] == "Enkät 3"]
    assert not (wave3[["grupp_a", "grupp_b"]].isin(SUPPRESSED_IN_3)).any().any()
    assert "Alla" not in set(table["grupp_a"]) | set(table["grupp_b"])
    valid = table["p_unc"].notna()
    assert (table.loc[valid, "p_corr"] >= table.loc[valid, "p_unc"]).all()
    # Kruskal-Wallis row of q01 in wave 1 against scipy: stats.kruskal(*groups)
    tidy = survey.tidy
    obs = tidy[(tidy["fraga"] == "q01") & (tidy["status"] == "svar") & (tidy["enkat"] == "Enkät 1")]
    groups = [g["varde"].to_numpy() for _, g in obs.groupby("organisation")]
    row = table[(table["id"] == "q01") & (table["enkat"] == "Enkät 1") & (table["test"] == "kruskal_wallis")].iloc[0]
    ref = stats.kruskal(*groups)
    assert row["statistika"] == pytest.approx(ref.statistic) and row["p_unc"] == pytest.approx(ref.pvalue)
    assert row["n_a"] == sum(len(g) for g in groups) and pd.isna(row["n_b"])


def test_group_differences_pairwise(tmp_path, mini_instrument):
    af, soc = [1, 2, 2, 3, 3, 2], [4, 5, 4, 3, 5, 4, 5]
    survey = _survey(tmp_path, mini_instrument, [_wave("AF", "a", af) + _wave("Soc", "s", soc)])
    table = group_differences(survey, compare_waves(survey, 5), 5)
    q1 = table[(table["niva"] == "fraga") & (table["id"] == "q1")]
    assert list(q1["test"]) == ["kruskal_wallis", "mann_whitney"]
    pair = q1.iloc[1]
    assert (pair["grupp_a"], pair["grupp_b"], pair["n_a"], pair["n_b"]) == ("AF", "Soc", 6, 7)
    # scipy: stats.mannwhitneyu(soc, af, method="asymptotic"); effect positive because Soc (grupp_b) is higher
    ref = stats.mannwhitneyu(soc, af, method="asymptotic")
    assert pair["statistika"] == pytest.approx(ref.statistic) and pair["p_unc"] == pytest.approx(ref.pvalue)
    assert pair["effekt"] > 0.8


def test_mean_intervals(sample):
    survey, comparison, _ = sample
    table = mean_intervals(comparison, survey)
    assert list(table.columns) == INTERVAL_COLUMNS and len(table) == len(comparison)
    hidden = comparison["undertryckt"].to_numpy()
    assert table.loc[hidden, INTERVAL_COLUMNS[4:]].isna().all().all()
    shown = table[~hidden & (comparison["n"].fillna(0) >= 2).to_numpy()]
    assert shown[INTERVAL_COLUMNS[4:]].notna().all().all()
    # One cell against its raw answers: q01, Alla, Enkät 1.
    tidy = survey.tidy
    values = tidy[(tidy["fraga"] == "q01") & (tidy["status"] == "svar") & (tidy["enkat"] == "Enkät 1")]["varde"]
    row = table[(table["id"] == "q01") & (table["grupp"] == "Alla") & (table["enkat"] == "Enkät 1")].iloc[0]
    # scipy: stats.t.interval(0.95, n - 1, loc=mean, scale=stats.sem(values))
    expected = stats.t.interval(0.95, len(values) - 1, loc=values.mean(), scale=stats.sem(values))
    assert (row["medel_ci_lag"], row["medel_ci_hog"]) == pytest.approx(expected)
    # statsmodels: proportion_confint(k, n, method="wilson")
    expected = proportion_confint(int(values.isin([4, 5]).sum()), len(values), method="wilson")
    assert (row["andel_ci_lag"], row["andel_ci_hog"]) == pytest.approx(expected)


def test_mean_intervals_small_and_constant_cells(tmp_path, mini_instrument):
    survey = _survey(tmp_path, mini_instrument, [[["AF", "a1", 4, 3, 3, ""]], _wave("AF", "a", [4] * 5)])
    comparison = compare_waves(survey, 1)
    table = mean_intervals(comparison)
    one = table[(table["id"] == "q1") & (table["grupp"] == "Alla") & (table["enkat"] == "Enkät 1")].iloc[0]
    assert one[INTERVAL_COLUMNS[4:]].isna().all()  # n = 1
    same = table[(table["id"] == "q1") & (table["grupp"] == "Alla") & (table["enkat"] == "Enkät 2")].iloc[0]
    assert (same["medel_ci_lag"], same["medel_ci_hog"]) == (4.0, 4.0)
    assert same["andel_ci_hog"] == 1.0
    assert same["andel_ci_lag"] == pytest.approx(proportion_confint(5, 5, method="wilson")[0])
