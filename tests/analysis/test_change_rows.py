"""The rows of wave_changes computed for every cell at once (analysis/change_rows.py, change_omnibus.py).

Two kinds of reference, on seeded random ordinal data (Likert answers,
index-like means of items, constant cells, small cells below the exact
limit, people linked fully, partly or not at all between waves):

- scipy itself, the calls the one-at-a-time code made (scipy 1.17):
  ``stats.mannwhitneyu(later, earlier, use_continuity=True, alternative="two-sided", method="asymptotic")``
  (``method="exact"`` for small samples without ties), the rank-biserial
  ``2U / (n1 n2) - 1``, ``stats.chi2_contingency(table, correction=False)``,
  ``stats.ttest_ind(later, earlier, equal_var=False).confidence_interval(0.95)``
  (Welch, R's ``t.test(later, earlier)$conf.int``), ``stats.kruskal(*waves)``,
  ``stats.friedmanchisquare(*waves)`` and ``np.corrcoef(x, y)[0, 1]``;
- the one-at-a-time functions of changes.py (``_pair_rows``, ``_partial_rows``,
  ``_omnibus_rows``, people linked by ``cells._linked``), which the
  reference tests of test_changes.py and test_trend_overlap.py tie to R and
  scipy: every row of every comparison must be the same, to 1e-12.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from slutrapport.analysis import change_omnibus, change_rows
from slutrapport.analysis.cells import NOT_LINKED, PARTLY, _Cell, _linkage, _linked
from slutrapport.analysis.change_omnibus import _chi2_waves_batch, _friedman_batch, _kruskal_batch
from slutrapport.analysis.change_rows import _correlation, _independent_batch, _link_all, _Registry, _share_correlation
from slutrapport.analysis.change_shift import _shifts
from slutrapport.analysis.changes import _all_pair_rows, _omnibus_rows, _pair_rows, _partial_rows, _wave_pairs
from slutrapport.analysis.shift import hodges_lehmann_independent
from slutrapport.analysis.suppression import ALL
from tests.analysis.cellfactory import make_cell

TOL = 1e-12
WAVES = ["Enkät 1", "Enkät 2", "Enkät 3"]


def _close(got: float, want: float) -> bool:
    if isinstance(want, float) and math.isnan(want):
        return isinstance(got, float) and math.isnan(got)
    return math.isclose(got, want, rel_tol=TOL, abs_tol=TOL)


def _values(rng: np.random.Generator, n: int, kind: str) -> np.ndarray:
    if kind == "likert":
        return rng.integers(1, 6, n).astype(float)
    if kind == "index":  # means of three items, some of two
        return np.where(rng.random(n) < 0.2, rng.integers(2, 11, n) / 2, rng.integers(3, 16, n) / 3)
    if kind == "constant":
        return np.full(n, 4.0)
    return rng.normal(3, 1, n)  # no ties: the exact tests


def _cell(values: np.ndarray, keys: list) -> _Cell:
    return make_cell(values, values >= 4, keys)


def _survey_cells(seed: int, linked_share: float, kinds: tuple[str, ...] = ("likert", "index", "constant", "normal")):
    """Triples (question, group) × waves of random cells; ``Alla`` the union of the groups, people keyed ``p<i>``."""
    rng = np.random.default_rng(seed)
    triples, plan = [], []
    stable = linked_share == 1.0  # the same people in the same groups every wave: paired tests
    for q, kind in enumerate(kinds):
        groups = {g: {} for g in ("A", "B", "C")}
        everyone: dict[str, tuple[list, list]] = {}
        people = 60 if kind != "normal" else 20
        home = rng.choice(["A", "B", "C"], size=people, p=[0.6, 0.3, 0.1])
        for wave in WAVES:
            ids = rng.permutation(people)[: people if stable else int(people * rng.uniform(0.6, 1.0))]
            values = _values(rng, ids.size, kind)
            own = home[ids] if stable else rng.choice(["A", "B", "C"], size=ids.size, p=[0.6, 0.3, 0.1])
            keyed = rng.random(ids.size) < linked_share
            keys = [f"p{i:03d}" if k else None for i, k in zip(ids, keyed, strict=True)]
            for g in groups:
                chosen = own == g
                groups[g][wave] = _cell(values[chosen], [k for k, c in zip(keys, chosen, strict=True) if c])
            everyone[wave] = _cell(values, keys)
        for group, wave_cells in [(ALL, everyone), *groups.items()]:
            triples.append(("fraga", f"q{q}", group))
            plan.append({w: c for w, c in wave_cells.items() if len(c) > 0 and rng.random() > 0.05})
    return triples, plan


def _same_rows(got, want) -> None:
    common, results, shift = got
    ref_common, ref_results, ref_shift = want
    assert common.keys() == ref_common.keys()
    for key, value in ref_common.items():
        assert _close(common[key], value) if isinstance(value, float) else common[key] == value, key
    assert [r.test for r in results] == [r.test for r in ref_results]
    assert [r.measure for r in results] == [r.measure for r in ref_results]
    for res, ref in zip(results, ref_results, strict=True):
        for name in ("statistic", "p", "effect"):
            assert _close(getattr(res, name), getattr(ref, name)), (res.test, name)
    assert shift.keys() == ref_shift.keys()
    for key, value in ref_shift.items():
        assert _close(shift[key], value), key


@pytest.mark.parametrize(("seed", "linked_share"), [(1, 0.0), (2, 0.5), (3, 0.9), (4, 1.0), (5, 0.97), (6, 1.0)])
def test_every_row_equals_the_one_at_a_time_rows(seed, linked_share):
    triples, plan = _survey_cells(seed, linked_share)
    pairs = _wave_pairs(WAVES)
    got = _all_pair_rows(triples, plan, pairs, WAVES, 5)
    expected = 0
    for t, wave_cells in enumerate(plan):
        for fran, till in pairs:
            if fran in wave_cells and till in wave_cells:
                _same_rows(got[(t, fran, till)], _pair_rows(wave_cells[fran], wave_cells[till], 5))
                expected += 1
        if len(wave_cells) == len(WAVES):
            _same_rows(got[(t, "alla")], _omnibus_rows([wave_cells[w] for w in WAVES], 5))
            expected += 1
    assert len(got) == expected


def test_linking_equals_cells_linked():
    triples, plan = _survey_cells(6, 0.8)
    comparisons = [*_wave_pairs(WAVES), tuple(WAVES)]
    links = _link_all(triples, plan, comparisons, ALL)
    assert links is not None
    kinds = set()
    for t, wave_cells in enumerate(plan):
        for comparison in comparisons:
            if all(w in wave_cells for w in comparison):
                want = _linked([wave_cells[w] for w in comparison])
                for got_positions, want_positions in zip(links[(t, comparison)], want, strict=True):
                    np.testing.assert_array_equal(got_positions, want_positions)
                if len(comparison) == 2:
                    kinds.add(_linkage(len(want[0]), [len(wave_cells[w]) for w in comparison], 5))
    assert {PARTLY, NOT_LINKED} <= kinds


def test_a_code_twice_falls_back_to_linking_one_at_a_time():
    cells = {w: _cell(np.array([1.0, 2.0, 3.0]), ["p1", "p1", "p2"]) for w in WAVES}
    assert _link_all([("fraga", "q1", ALL)], [cells], [("Enkät 1", "Enkät 2")], ALL) is None


def _registry(samples: list[np.ndarray]) -> _Registry:
    return _Registry([_cell(s, [None] * len(s)) for s in samples])


@pytest.mark.parametrize("kind", ["likert", "index", "constant", "normal"])
def test_independent_waves_equal_scipy(kind):
    rng = np.random.default_rng(11)
    sizes = [1, 2, 7, 30, 49, 50, 80, 400]
    samples = [_values(rng, n, kind) for n in sizes]
    reg = _registry(samples)
    c1, c2 = np.array([a for a in range(len(sizes)) for b in range(len(sizes))]), np.array([b for a in range(len(sizes)) for b in range(len(sizes))])

    def unused(j):
        return None

    rows = _independent_batch(reg, c1, c2, [0] * len(c1), np.zeros(len(c1)), unused, lambda j: {})
    fisher_rows = 0
    for j, row in enumerate(rows):
        earlier, later = samples[c1[j]], samples[c2[j]]
        joined = np.concatenate([earlier, later])
        if row is None:  # the exact rank test or NaN values: one at a time, as before
            assert len(earlier) < 50 and len(later) < 50 and np.unique(joined).size == joined.size
            continue
        common, (rank, share), _ = row
        if np.unique(joined).size < 2:
            assert math.isnan(rank.p) and math.isnan(rank.statistic)
        else:
            ref = stats.mannwhitneyu(later, earlier, use_continuity=True, alternative="two-sided", method="asymptotic")
            assert _close(rank.statistic, float(ref.statistic))
            assert _close(rank.p, float(ref.pvalue))
            assert _close(rank.effect, 2 * float(ref.statistic) / (len(earlier) * len(later)) - 1)
        table = np.array([[(later >= 4).sum(), (later < 4).sum()], [(earlier >= 4).sum(), (earlier < 4).sum()]])
        if 0 < table[:, 0].sum() < joined.size and (stats.contingency.expected_freq(table) < 5).any():
            ref = stats.fisher_exact(table, alternative="two-sided")
            odds = float(ref.statistic) if math.isfinite(ref.statistic) else math.nan
            assert share.test == "fisher" and _close(share.statistic, odds) and share.p == float(ref.pvalue)
            fisher_rows += 1
        elif 0 < table[:, 0].sum() < joined.size:
            ref = stats.chi2_contingency(table, correction=False)
            assert share.test == "chi2" and _close(share.statistic, float(ref.statistic)) and _close(share.p, float(ref.pvalue))
        else:
            assert math.isnan(share.p)
        assert _close(common["diff_medel"], float(later.mean() - earlier.mean()))
        if len(earlier) >= 2 and len(later) >= 2 and (earlier.std() > 0 or later.std() > 0):
            interval = stats.ttest_ind(later, earlier, equal_var=False).confidence_interval(0.95)
            assert _close(common["diff_medel_lag"], float(interval.low))
            assert _close(common["diff_medel_hog"], float(interval.high))
    assert fisher_rows > 0 or kind == "constant"


def test_exact_mann_whitney_stays_exact():
    """Small samples without ties keep scipy's exact test (the one-at-a-time path), as before."""
    rng = np.random.default_rng(12)
    earlier, later = rng.normal(size=9), rng.normal(size=12)
    reg = _registry([earlier, later])
    rows = _independent_batch(reg, np.array([0]), np.array([1]), [0], np.zeros(1), lambda j: _pair_rows(reg.cells[0], reg.cells[1], 5), lambda j: {})
    ref = stats.mannwhitneyu(later, earlier, use_continuity=True, alternative="two-sided", method="exact")
    assert _close(rows[0][1][0].p, float(ref.pvalue))


@pytest.mark.parametrize("kind", ["likert", "index", "constant"])
def test_omnibus_tests_equal_scipy(kind):
    rng = np.random.default_rng(13)
    triples = [[_values(rng, int(n), kind) for n in rng.integers(2, 200, 3)] for _ in range(6)]
    reg = _registry([s for waves in triples for s in waves])
    cells = np.arange(3 * len(triples)).reshape(-1, 3)
    counts, _ = reg.counts()
    h, p, effect, ok = _kruskal_batch(counts[cells])
    chi2, chi2_p, _ = _chi2_waves_batch(reg.k[cells], reg.sizes[cells])
    for j, waves in enumerate(triples):
        if np.unique(np.concatenate(waves)).size < 2:
            assert not ok[j]
        else:
            ref = stats.kruskal(*waves)
            assert _close(float(h[j]), float(ref.statistic)) and _close(float(p[j]), float(ref.pvalue))
            assert _close(float(effect[j]), float(ref.statistic) / (sum(map(len, waves)) - 1))
        table = np.array([[(w >= 4).sum(), (w < 4).sum()] for w in waves])
        if 0 < table[:, 0].sum() < table.sum():
            ref = stats.chi2_contingency(table, correction=False)
            assert _close(float(chi2[j]), float(ref.statistic)) and _close(float(chi2_p[j]), float(ref.pvalue))
        else:
            assert math.isnan(chi2[j])


@pytest.mark.parametrize("kind", ["likert", "index"])
def test_friedman_equals_scipy(kind):
    rng = np.random.default_rng(14)
    people = [int(n) for n in rng.integers(5, 150, 5)]
    samples = [[_values(rng, n, kind) for _ in WAVES] for n in people]
    reg = _registry([s for waves in samples for s in waves])
    cells = np.arange(3 * len(samples)).reshape(-1, 3)
    linked = [[np.arange(n)] * 3 for n in people]
    results = _friedman_batch(reg, cells, linked, np.ones(len(samples), dtype=bool))
    for res, waves in zip(results, samples, strict=True):
        ref = stats.friedmanchisquare(*waves)
        assert _close(res.statistic, float(ref.statistic)) and _close(res.p, float(ref.pvalue))
        assert _close(res.effect, float(ref.statistic) / (len(waves[0]) * 2))


def test_pair_correlations_equal_numpy():
    rng = np.random.default_rng(15)
    sizes = np.array([2, 3, 10, 200, 5, 40])
    x = np.concatenate([_values(rng, n, "index") for n in sizes])
    y = np.concatenate([_values(rng, n, "likert") for n in sizes])
    x[2:5] = 2.0  # a constant side of whole numbers: r = 0
    ids = np.repeat(np.arange(sizes.size), sizes)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    r, fragile = _correlation(x, y, ids, sizes, starts)
    shares = _share_correlation(x >= 3, y >= 4, ids, sizes)
    for j, (a, b) in enumerate(zip(starts, starts + sizes, strict=True)):
        want = 0.0 if np.std(x[a:b]) == 0 or np.std(y[a:b]) == 0 else float(np.corrcoef(x[a:b], y[a:b])[0, 1])
        assert _close(float(r[j]), want) and not fragile[j]
        px, py = (x[a:b] >= 3).astype(float), (y[a:b] >= 4).astype(float)
        want = 0.0 if np.std(px) == 0 or np.std(py) == 0 else float(np.corrcoef(px, py)[0, 1])
        assert _close(float(shares[j]), want)
    x[5:15] = 10 / 3  # a constant side that is not a whole number: numpy's own std decides
    assert _correlation(x, y, ids, sizes, starts)[1][2]


def test_partly_linked_rows_fall_back_for_a_constant_index_side():
    keys = [f"p{i}" for i in range(12)]
    first = _cell(np.array([10 / 3] * 6 + [2.0, 3.0, 4.0, 5.0]), keys[:10])
    second = _cell(np.array([10 / 3] * 6 + [1.0, 3.0]), keys[:6] + [None, None])
    triples, plan = [("index", "i1", ALL)], [{"Enkät 1": first, "Enkät 2": second}]
    got = _all_pair_rows(triples, plan, [("Enkät 1", "Enkät 2")], WAVES[:2], 5)
    _same_rows(got[(0, "Enkät 1", "Enkät 2")], _partial_rows(first, second, *_linked([first, second])))


@pytest.mark.parametrize("kind", ["likert", "index", "constant"])
def test_hodges_lehmann_of_many_pairs_equals_one_pair_at_a_time(kind):
    """change_shift against shift.hodges_lehmann_independent (itself tied to R's wilcox.test(later, earlier, conf.int = TRUE))."""
    rng = np.random.default_rng(16)
    samples = [_values(rng, int(n), kind) for n in (1, 3, 12, 49, 60, 250, 700)]
    samples.append(np.where(rng.random(300) < 0.9, 5.0, 4.0))  # nearly all at the top: limits at the extremes
    reg = _registry(samples)
    table, _ = reg.counts()
    c1 = np.array([a for a in range(len(samples)) for b in range(len(samples))])
    c2 = np.array([b for a in range(len(samples)) for b in range(len(samples))])
    estimate, low, high, done = _shifts(reg.grid, table, c1, c2, np.zeros(len(c1)), np.ones(len(c1), dtype=bool))
    assert done.sum() >= len(c1) - 4  # only the small pairs without ties take the exact path
    for j in np.flatnonzero(done):
        want = hodges_lehmann_independent(samples[c1[j]], samples[c2[j]])
        for got, ref in zip((estimate[j], low[j], high[j]), want, strict=True):
            assert _close(float(got), ref)


@pytest.mark.parametrize(("seed", "linked_share"), [(2, 0.5), (6, 1.0)])
def test_a_few_linked_pairs_at_a_time_give_the_same_rows(monkeypatch, seed, linked_share):
    """A very large survey gathers its linked pairs in chunks (change_rows._CHUNK): the rows do not change."""
    triples, plan = _survey_cells(seed, linked_share)
    pairs = _wave_pairs(WAVES)
    whole = _all_pair_rows(triples, plan, pairs, WAVES, 5)
    monkeypatch.setattr(change_rows, "_CHUNK", 50)  # also the registry's sums and count table, cell block by block
    monkeypatch.setattr(change_omnibus, "_FRIEDMAN_CHUNK", 50)
    assert change_rows._chunks([20, 20, 30, 80, 10]) == [slice(0, 2), slice(2, 3), slice(3, 4), slice(4, 5)]
    chunked = _all_pair_rows(triples, plan, pairs, WAVES, 5)
    assert whole.keys() == chunked.keys()
    for key, rows in whole.items():
        _same_rows(chunked[key], rows)
