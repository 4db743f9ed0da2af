"""The tests computed from count tables (analysis/counts.py and its callers) against scipy on random data.

Every reference is the scipy call the code used before (scipy 1.17):
``stats.mannwhitneyu(second, first, use_continuity=True, alternative="two-sided", method=...)``,
``stats.kruskal(*groups)``, ``stats.wilcoxon(d, zero_method="wilcox", correction=True, method=...)``,
``stats.chi2_contingency(table, correction=False)``, ``stats.fisher_exact(table)``. Seeded random
samples of many shapes: ties, n = 1, all answers equal, index-like means, samples below the exact limit.
"""

from __future__ import annotations

import math
from itertools import combinations

import numpy as np
import pytest
from scipy import stats

from slutrapport.analysis.counts import _fisher_exact_many, _grid_counts, _kruskal_counts, _mann_whitney_counts, _pearson_chi2
from slutrapport.analysis.groups import _wave_rows
from slutrapport.analysis.shift import hodges_lehmann_independent, hodges_lehmann_paired
from slutrapport.analysis.stattests import _chi2_waves, _kruskal, _mann_whitney, _share_independent, _wilcoxon

TOL = 1e-12


def _close(got: float, want: float) -> bool:
    if math.isnan(want):
        return math.isnan(got)
    return math.isclose(got, want, rel_tol=TOL, abs_tol=1e-300)


def _sample(rng: np.random.Generator, n: int, kind: str) -> np.ndarray:
    if kind == "likert":
        return rng.integers(1, 6, n).astype(float)
    if kind == "index":  # means of three items, some with one item missing
        return np.where(rng.random(n) < 0.2, rng.integers(2, 11, n) / 2, rng.integers(3, 16, n) / 3)
    if kind == "constant":
        return np.full(n, 3.0)
    return rng.normal(size=n)  # continuous: no ties


SHAPES = [(n1, n2, kind) for n1 in (1, 2, 7, 49, 50, 300) for n2 in (1, 3, 49, 120) for kind in ("likert", "index", "constant", "normal")]


@pytest.mark.parametrize(("n1", "n2", "kind"), SHAPES)
def test_mann_whitney_equals_scipy(n1, n2, kind):
    rng = np.random.default_rng(n1 * 1000 + n2)
    for _ in range(5):
        first, second = _sample(rng, n1, kind), _sample(rng, n2, kind)
        got = _mann_whitney(first, second)
        joined = np.concatenate([first, second])
        if np.unique(joined).size < 2:
            assert math.isnan(got.p) and math.isnan(got.statistic)
            continue
        exact = n1 < 50 and n2 < 50 and np.unique(joined).size == joined.size
        ref = stats.mannwhitneyu(second, first, use_continuity=True, alternative="two-sided", method="exact" if exact else "asymptotic")
        assert _close(got.statistic, float(ref.statistic))
        assert _close(got.p, float(ref.pvalue))
        assert _close(got.effect, 2 * float(ref.statistic) / (n1 * n2) - 1)


def test_mann_whitney_of_every_pair_at_once_equals_scipy():
    rng = np.random.default_rng(7)
    for kind in ("likert", "index"):
        samples = [_sample(rng, int(n), kind) for n in rng.integers(1, 80, 12)]
        samples.append(np.full(4, 2.0))
        samples.append(np.full(3, 2.0))  # a pair with every value equal
        counts = _grid_counts(samples)
        u, p = _mann_whitney_counts(counts[:, None, :], counts[None, :, :])
        for a, b in combinations(range(len(samples)), 2):
            joined = np.concatenate([samples[a], samples[b]])
            if np.unique(joined).size < 2:
                continue
            ref = stats.mannwhitneyu(samples[b], samples[a], use_continuity=True, alternative="two-sided", method="asymptotic")
            assert _close(float(u[a, b]), float(ref.statistic))
            assert _close(float(p[a, b]), float(ref.pvalue))


def test_group_rows_equal_scipy_row_by_row():
    rng = np.random.default_rng(11)
    sizes = [1, 2, 5, 30, 49, 60, 200]
    cells = [(f"g{i}", _FakeCell(_sample(rng, n, "index" if i % 2 else "likert"))) for i, n in enumerate(sizes)]
    cells.append(("small", _FakeCell(np.array([0.1, 0.7, 0.3]))))  # no ties: the exact test with its neighbours
    rows = _wave_rows({"niva": "index", "id": "x", "enkat": "1"}, cells)
    values = [c.values for _, c in cells]
    ref = stats.kruskal(*values)
    assert _close(rows[0]["statistika"], float(ref.statistic)) and _close(rows[0]["p_unc"], float(ref.pvalue))
    for row, (a, b) in zip(rows[1:], combinations(range(len(values)), 2), strict=True):
        expected = _mann_whitney(values[a], values[b])  # itself checked against scipy above
        assert (row["grupp_a"], row["grupp_b"]) == (cells[a][0], cells[b][0])
        assert _close(row["statistika"], expected.statistic) and _close(row["p_unc"], expected.p)
        assert _close(row["effekt"], expected.effect)


class _FakeCell:
    def __init__(self, values: np.ndarray) -> None:
        self.values = values

    def __len__(self) -> int:
        return len(self.values)


@pytest.mark.parametrize("kind", ["likert", "index", "normal"])
@pytest.mark.parametrize("groups", [2, 3, 8])
def test_kruskal_equals_scipy(kind, groups):
    rng = np.random.default_rng(groups)
    for _ in range(10):
        samples = [_sample(rng, int(n), kind) for n in rng.integers(1, 60, groups)]
        ref = stats.kruskal(*samples)
        h, p = _kruskal_counts(_grid_counts(samples))
        assert _close(h, float(ref.statistic)) and _close(p, float(ref.pvalue))
        got = _kruskal(samples)
        assert _close(got.statistic, float(ref.statistic)) and _close(got.effect, float(ref.statistic) / (sum(map(len, samples)) - 1))
    assert math.isnan(_kruskal([np.full(5, 2.0), np.full(3, 2.0)]).p)  # all equal: scipy refuses
    assert math.isnan(_kruskal([np.array([1.0, 2.0]), np.array([])]).p)  # an empty group


@pytest.mark.parametrize("n", [1, 5, 49, 50, 400])
@pytest.mark.parametrize("kind", ["likert", "index", "normal"])
def test_wilcoxon_equals_scipy(n, kind):
    rng = np.random.default_rng(n)
    for _ in range(5):
        before, after = _sample(rng, n, kind), _sample(rng, n, kind)
        got = _wilcoxon(before, after)
        diff = np.round(after - before, 9)
        nonzero = diff[diff != 0]
        if nonzero.size == 0:
            assert math.isnan(got.p)
            continue
        exact = nonzero.size < 50 and nonzero.size == diff.size and np.unique(np.abs(nonzero)).size == nonzero.size
        ref = stats.wilcoxon(diff, zero_method="wilcox", correction=True, method="exact" if exact else "asymptotic")
        assert _close(got.statistic, float(ref.statistic)) and _close(got.p, float(ref.pvalue))


@pytest.mark.parametrize("largest", [8, 60, 3000])
def test_fisher_of_many_tables_equals_scipy_one_at_a_time(largest):
    """Every odds ratio and p exactly as scipy's own call gives them: the same steps and the same hypergeometric
    functions; tables of every shape, with zeros, empty rows and columns, the observed table the likeliest."""
    rng = np.random.default_rng(largest)
    tables = []
    for _ in range(400):
        n1, n2 = (int(v) for v in rng.integers(0, largest, 2))
        tables.append([[int(rng.binomial(n2, rng.random())), 0], [int(rng.binomial(n1, rng.random())), 0]])
        tables[-1][0][1], tables[-1][1][1] = n2 - tables[-1][0][0], n1 - tables[-1][1][0]
    tables += [[[0, 0], [0, 0]], [[5, 0], [3, 0]], [[0, 5], [0, 3]], [[8, 2], [1, 5]]]
    tables += [[[1, 1], [1, 1]], [[10, 10], [10, 10]], [[0, 1], [1, 0]], [[3, 0], [0, 3]]]
    odds, p = _fisher_exact_many(np.array(tables))
    for table, got_odds, got_p in zip(tables, odds, p, strict=True):
        ref = stats.fisher_exact(table, alternative="two-sided")  # scipy: stats.fisher_exact(table)
        assert got_p == float(ref.pvalue), table
        assert got_odds == float(ref.statistic) or (math.isnan(got_odds) and math.isnan(ref.statistic)), table
    assert ((p > 0) & (p < 0.05)).any() and (p == 1).any()  # both tails and the likeliest tables were met


def test_chi_square_and_fisher_equal_scipy():
    rng = np.random.default_rng(3)
    for _ in range(300):
        n1, n2 = (int(v) for v in rng.integers(1, 200, 2))
        k1, k2 = int(rng.integers(0, n1 + 1)), int(rng.integers(0, n2 + 1))
        got = _share_independent(k1, n1, k2, n2, 0.0)
        table = np.array([[k2, n2 - k2], [k1, n1 - k1]])
        if k1 + k2 in (0, n1 + n2):
            assert math.isnan(got.p)
        elif got.test == "fisher":
            ref = stats.fisher_exact(table, alternative="two-sided")
            assert _close(got.p, float(ref.pvalue))
        else:
            ref = stats.chi2_contingency(table.astype(float), correction=False)
            assert _close(got.statistic, float(ref.statistic)) and _close(got.p, float(ref.pvalue))
        rows = rng.integers(2, 6)
        waves = [rng.random(int(n)) < rng.random() for n in rng.integers(1, 100, rows)]
        counts = np.array([[w.sum(), len(w) - w.sum()] for w in waves], dtype=float)
        res = _chi2_waves(waves)
        if counts[:, 0].sum() in (0, counts.sum()):
            assert math.isnan(res.p)
        else:
            ref = stats.chi2_contingency(counts, correction=False)
            assert _close(res.statistic, float(ref.statistic)) and _close(res.p, float(ref.pvalue))
            assert _close(_pearson_chi2(counts)[1], float(ref.pvalue))


def _reference_independent(earlier: np.ndarray, later: np.ndarray) -> float:
    # median(outer(later, earlier, "-")) in R; the estimate the count version computes without the outer product
    return float(np.median(np.round(np.subtract.outer(np.round(later, 9), np.round(earlier, 9)).ravel(), 9)))


@pytest.mark.parametrize("kind", ["likert", "index"])
def test_hodges_lehmann_estimates_from_counts_equal_the_full_pairwise_median(kind):
    rng = np.random.default_rng(5)
    for n1, n2 in [(1, 1), (1, 60), (2, 3), (50, 51), (120, 80)]:
        earlier, later = _sample(rng, n1, kind), _sample(rng, n2, kind)
        assert hodges_lehmann_independent(earlier, later)[0] == _reference_independent(earlier, later)
        m = min(n1, n2)
        d = np.round(later[:m] - earlier[:m], 9)
        d = d[d != 0]
        if d.size:
            i, j = np.triu_indices(d.size)
            walsh = np.round((d[i] + d[j]) / 2, 9)
            assert hodges_lehmann_paired(earlier[:m], later[:m])[0] == float(np.median(walsh))
