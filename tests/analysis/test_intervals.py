"""Intervals and Holm adjustment against statsmodels/scipy and published worked examples."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint

from slutrapport.analysis.intervals import holm, newcombe_difference, newcombe_paired_difference, t_interval_mean, t_interval_summary, wilson_interval


@pytest.mark.parametrize("confidence", [0.90, 0.95, 0.99])
@pytest.mark.parametrize("k,n", [(0, 1), (1, 1), (0, 10), (3, 10), (10, 10), (7, 34), (56, 70), (1, 200)])
def test_wilson_matches_statsmodels(k, n, confidence):
    # statsmodels: proportion_confint(k, n, alpha=1 - confidence, method="wilson")
    low, high = proportion_confint(k, n, alpha=1 - confidence, method="wilson")
    assert wilson_interval(k, n, confidence) == pytest.approx((low, high), abs=1e-12)


def test_wilson_edges():
    assert all(math.isnan(v) for v in wilson_interval(0, 0))
    assert wilson_interval(0, 10)[0] == 0.0 and wilson_interval(10, 10)[1] == 1.0
    with pytest.raises(ValueError):
        wilson_interval(11, 10)
    with pytest.raises(ValueError):
        wilson_interval(1, 10, confidence=1.0)


# Newcombe (1998) Stat Med 17:873-890, Table II, method 10 (hybrid score), p1 - p2 for x1/n1 - x2/n2.
NEWCOMBE_TABLE_II = [
    ((56, 70, 48, 80), (0.0524, 0.3339)),  # (a)
    ((9, 10, 3, 10), (0.1705, 0.8090)),  # (b)
    ((6, 7, 2, 7), (0.0582, 0.8062)),  # (c)
    ((5, 56, 0, 29), (-0.0381, 0.1926)),  # (d)
    ((0, 10, 0, 20), (-0.1611, 0.2775)),  # (e)
    ((0, 10, 0, 10), (-0.2775, 0.2775)),  # (f)
    ((10, 10, 0, 20), (0.6791, 1.0000)),  # (g)
    ((10, 10, 0, 10), (0.6075, 1.0000)),  # (h)
]


@pytest.mark.parametrize("counts,expected", NEWCOMBE_TABLE_II)
def test_newcombe_difference_published_table(counts, expected):
    x1, n1, x2, n2 = counts
    # Our direction is later minus earlier, so Newcombe's first sample is our *later* one.
    diff, low, high = newcombe_difference(x2, n2, x1, n1)
    assert diff == pytest.approx(x1 / n1 - x2 / n2)
    assert (round(low, 4), round(high, 4)) == expected


def test_newcombe_difference_second_published_example():
    # Fagerland, Lydersen & Laake (2017) Statistical Analysis of Contingency Tables, ch. 4:
    # Perondi et al. (2004), 7/34 vs 1/34 -> "estimate = 0.1765 (95% CI 0.0189 to 0.3404)"
    # (R: contingencytables::Newcombe_hybrid_score_CI_2x2(matrix(c(7, 27, 1, 33), 2, byrow=TRUE)))
    diff, low, high = newcombe_difference(1, 34, 7, 34)
    assert (round(diff, 4), round(low, 4), round(high, 4)) == (0.1765, 0.0189, 0.3404)
    # Swapping the samples mirrors the interval.
    assert newcombe_difference(7, 34, 1, 34) == pytest.approx((-diff, -high, -low))


def test_newcombe_difference_empty_sample():
    assert all(math.isnan(v) for v in newcombe_difference(0, 0, 3, 10))


def test_newcombe_paired_published_example():
    # Fagerland, Lydersen & Laake (2014) Stat Med 33:2850 and (2017) ch. 8: complete response before and
    # after consolidation therapy (Cavo et al. 2012), table [[59, 6], [16, 80]] (rows before +/-, columns
    # after +/-). Newcombe square-and-add, before - after: "estimate = -0.0621 (95% CI -0.1186 to -0.0046)"
    # (R: contingencytables::Newcombe_square_and_add_CI_paired_2x2(matrix(c(59, 6, 16, 80), 2, byrow=TRUE)))
    diff, low, high = newcombe_paired_difference(59, 6, 16, 80)
    # We report after - before, so the published interval is mirrored.
    assert (round(diff, 4), round(low, 4), round(high, 4)) == (0.0621, 0.0046, 0.1186)


def test_newcombe_paired_reduces_to_independent_when_phi_is_zero():
    # Newcombe (1998) Stat Med 17:2635, method 10: phi is set to 0 when 0 <= ad - bc <= n/2; the interval
    # is then the square-and-add of the two marginal Wilson intervals, i.e. the unpaired method 10 interval
    # of (a + c)/n vs (a + b)/n. Table 1, 1, 7, 12: ad - bc = 5 <= 21/2.
    paired = newcombe_paired_difference(1, 1, 7, 12)
    independent = newcombe_difference(2, 21, 8, 21)
    assert paired == pytest.approx(independent, abs=1e-12)


def test_newcombe_paired_positive_correlation_narrows_the_interval():
    # Same margins (30/50 before, 40/50 after), with and without strong positive dependence.
    _, low_dep, high_dep = newcombe_paired_difference(30, 0, 10, 10)  # ad - bc = 300 > n/2: phi > 0
    _, low_ind, high_ind = newcombe_difference(30, 50, 40, 50)
    assert high_dep - low_dep < high_ind - low_ind
    assert low_dep > 0  # every change is upwards


def test_newcombe_paired_edges():
    assert all(math.isnan(v) for v in newcombe_paired_difference(0, 0, 0, 0))
    diff, low, high = newcombe_paired_difference(5, 0, 0, 5)  # nobody changed
    assert diff == 0.0 and low < 0 < high and math.copysign(1, diff) == 1
    with pytest.raises(ValueError):
        newcombe_paired_difference(-1, 0, 0, 1)


@pytest.mark.parametrize("confidence", [0.90, 0.95])
def test_t_interval_matches_scipy(confidence):
    values = [4, 5, 3, 4, 4, 2, 5, 5, 3, 4, float("nan")]
    x = np.array(values[:-1], dtype=float)
    # scipy: stats.t.interval(confidence, df=n - 1, loc=mean, scale=stats.sem(x))
    expected = stats.t.interval(confidence, df=len(x) - 1, loc=x.mean(), scale=stats.sem(x))
    mean, low, high = t_interval_mean(values, confidence)
    assert mean == pytest.approx(x.mean())
    assert (low, high) == pytest.approx(expected, abs=1e-12)


def test_t_interval_summary_matches_scipy():
    # scipy: stats.t.interval(0.95, df=n - 1, loc=mean, scale=sd / sqrt(n))
    expected = stats.t.interval(0.95, df=19, loc=3.4, scale=1.1 / math.sqrt(20))
    assert t_interval_summary(3.4, 1.1, 20) == pytest.approx(expected, abs=1e-12)
    assert all(math.isnan(v) for v in t_interval_summary(3.0, math.nan, 1))
    assert t_interval_summary(2.0, 0.0, 4) == (2.0, 2.0)


def test_t_interval_edges():
    assert all(math.isnan(v) for v in t_interval_mean([]))
    mean, low, high = t_interval_mean([3.0])
    assert mean == 3.0 and math.isnan(low) and math.isnan(high)
    assert t_interval_mean([4, 4, 4]) == (4.0, 4.0, 4.0)


def test_holm_matches_statsmodels_and_keeps_nan():
    rng = np.random.default_rng(7)
    p = rng.uniform(0, 0.2, size=25)
    p[[3, 10, 11]] = np.nan
    p[5] = p[6]  # a tie
    finite = ~np.isnan(p)
    # statsmodels: multipletests(p[finite], method="holm")[1]; NaN is not counted in m
    expected = multipletests(p[finite], method="holm")[1]
    adjusted = holm(p)
    assert np.isnan(adjusted[~finite]).all()
    np.testing.assert_allclose(adjusted[finite], expected, rtol=0, atol=1e-15)
    assert (adjusted[finite] >= p[finite]).all()


def test_holm_hand_example():
    # Holm (1979): sorted p 0.01, 0.02, 0.04 with m = 3 -> 0.03, 0.04, 0.04 (monotone), order preserved.
    np.testing.assert_allclose(holm([0.04, 0.01, 0.02]), [0.04, 0.03, 0.04])
    assert holm([]).size == 0
    assert np.isnan(holm([np.nan, np.nan])).all()
    assert holm([0.9, 0.8])[0] == 1.0  # capped at 1
