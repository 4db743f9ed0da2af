"""The batched trend and standardised-change computations against the per-cell references, on random data.

:mod:`slutrapport.analysis.trend` computes every trend from count tables and
integer linking codes; :func:`slutrapport.analysis.trend_models._trend` is the
direct per-cell computation (itself checked against statsmodels, R and hand
computations in ``test_trend_overlap.py``). The least-squares line is also
compared with statsmodels' ``OLS``. The standardised change of
:mod:`slutrapport.analysis.composition` is compared with the per-stratum
numpy computation of its definition (R's ``svymean`` output is quoted in
``test_composition.py``). Tolerance 1e-12 throughout; the mixed model must
agree exactly (its REML search is rounding-sensitive, see :mod:`.trend`).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import stats

from slutrapport.analysis.cells import _Cell
from slutrapport.analysis.composition import _standardised
from slutrapport.analysis.trend import _fast_trend, _jonckheere_batch, _jonckheere_table, _mixed_batch, _moments, _ols_moments, _people, _table
from slutrapport.analysis.trend_models import _jonckheere, _ols, _trend
from tests.analysis.cellfactory import make_cell

TOL = 1e-12


def _close(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or abs(a - b) <= TOL + TOL * abs(b)


def _cell(values: np.ndarray, keys: list[str | None]) -> _Cell:
    return make_cell(np.asarray(values, dtype=float), np.asarray(values) >= 4, keys)


def _random_cells(rng: np.random.Generator, *, whole: bool, linked: float, waves: int = 3, people: int = 60) -> list[_Cell]:
    cells = []
    for wave in range(waves):
        n = int(rng.integers(3, people))
        who = rng.choice(people * 2, size=n, replace=False)
        if whole:
            values = np.clip(np.rint(rng.normal(3 + 0.2 * wave, 1.2, size=n)), 1, 5)
        else:  # index scores: means of 1-4 items
            values = np.round(rng.uniform(1, 5, size=n) * 4) / 4 + rng.choice([0, 1 / 3], size=n)
        keys = [f"p{w}" if rng.random() < linked else None for w in who]
        cells.append(_cell(values, keys))
    return cells


def _flat(fit) -> list:
    r = fit.result
    return [r.test, r.statistic, r.p, r.effect, r.measure, fit.slope, fit.low, fit.high, fit.paired, fit.n_linked, *[v for t in fit.line for v in t]]


@pytest.mark.parametrize("whole", [True, False])
def test_jonckheere_from_the_count_table_equals_the_per_cell_test(whole):
    rng = np.random.default_rng(7 if whole else 8)
    for _ in range(200):
        cells = _random_cells(rng, whole=whole, linked=0.0, waves=int(rng.integers(3, 6)))
        table, _ = _table(cells)
        fast, reference = _jonckheere_table(table), _jonckheere([c.values for c in cells])
        assert fast.statistic == reference.statistic  # J is a sum of halves: exact
        assert _close(fast.p, reference.p) and _close(fast.effect, reference.effect)


@pytest.mark.parametrize("whole", [True, False])
def test_least_squares_line_from_wave_moments_equals_statsmodels_ols(whole):
    rng = np.random.default_rng(11 if whole else 12)
    for _ in range(100):
        cells = _random_cells(rng, whole=whole, linked=0.0)
        positions = list(range(len(cells)))
        y = np.concatenate([c.values for c in cells])
        x = np.concatenate([np.full(len(c), p, dtype=float) for c, p in zip(cells, positions, strict=True)])
        table, values = _table(cells)
        slope, low, high, line = _ols_moments(*_moments(cells, table, values), positions)
        # reference: statsmodels.api.OLS(y, sm.add_constant(x)).fit(); conf_int(0.05); get_prediction(...).conf_int(alpha=0.05)
        fit = sm.OLS(y, sm.add_constant(x)).fit()
        ci = fit.conf_int(0.05)
        band = fit.get_prediction(sm.add_constant(np.asarray(positions, dtype=float))).conf_int(alpha=0.05)
        assert _close(slope, fit.params[1]) and _close(low, ci[1, 0]) and _close(high, ci[1, 1])
        for (fitted, lo, hi), mean, (band_lo, band_hi) in zip(line, fit.predict(sm.add_constant(np.asarray(positions, dtype=float))), band, strict=True):
            assert _close(fitted, mean) and _close(lo, band_lo) and _close(hi, band_hi)
        assert all(_close(a, b) for a, b in zip([slope, low, high], _ols(x, y, positions)[:3], strict=True))


def test_people_are_numbered_as_np_unique_numbers_their_labels():
    rng = np.random.default_rng(3)
    for _ in range(100):
        n = int(rng.integers(1, 3000))
        pool = [f"k{i}" for i in rng.integers(0, max(2, n // 2), size=n)]
        keys = np.array([key if rng.random() < 0.6 else None for key in pool], dtype=object)
        uniques = sorted({key for key in keys if key is not None})  # codes numbered in the sorted order of their texts, as the cells' links
        number = {key: i for i, key in enumerate(uniques)}
        codes = np.array([number[key] if key is not None else -1 for key in keys], dtype=np.intp)
        occurrences = np.bincount(codes[codes >= 0], minlength=len(uniques))
        # reference: the labels of trend_models._trend and np.unique(labels, return_inverse=True)
        counts = {key: int(c) for key, c in zip(uniques, occurrences, strict=True)}
        labels = np.array([k if k is not None and counts[k] >= 2 else f"\0{i}" for i, k in enumerate(keys)], dtype=object)
        assert np.array_equal(_people(codes, occurrences, np.asarray(uniques, dtype=object)), np.unique(labels, return_inverse=True)[1])


@pytest.mark.parametrize(
    ("seed", "niva", "whole", "linked"),
    [(1, "fraga", True, 0.5), (2, "fraga", True, 1.0), (3, "index", False, 0.5), (4, "index", False, 0.0), (5, "fraga", False, 0.3)],
)
def test_batched_trend_equals_the_per_cell_trend(seed, niva, whole, linked):
    rng = np.random.default_rng(seed)
    for _ in range(40):
        cells = _random_cells(rng, whole=whole, linked=linked)
        if linked == 1.0:  # the same people in every wave: Page's test
            people = [f"p{i}" for i in range(int(rng.integers(2, 30)))]
            cells = [_cell(np.clip(np.rint(rng.normal(3 + 0.3 * w, 1, size=len(people))), 1, 5), list(rng.permutation(people))) for w in range(3)]
        positions = list(range(len(cells)))
        fast, reference = _fast_trend(cells, positions, niva), _trend(cells, positions, niva)
        a, b = _flat(fast), _flat(reference)
        assert len(a) == len(b)
        assert all(_close(x, y) if isinstance(x, float) else x == y for x, y in zip(a, b, strict=True)), (a, b)


def test_mixed_model_is_reproduced_exactly():
    rng = np.random.default_rng(5)
    for _ in range(30):
        cells = _random_cells(rng, whole=False, linked=0.8, people=200)
        fast, reference = _fast_trend(cells, [0, 1, 2], "index"), _trend(cells, [0, 1, 2], "index")
        assert reference.result.test == "trend_lmm"
        assert _flat(fast) == _flat(reference)  # the same sums in the same order


def test_all_mixed_models_at_once_equal_the_per_cell_trends_exactly():
    rng = np.random.default_rng(19)
    pending, references = {}, {}
    for i in range(60):
        cells = _random_cells(rng, whole=False, linked=float(rng.uniform(0.1, 1.0)), people=int(rng.integers(5, 200)))
        reference = _trend(cells, [0, 1, 2], "index")  # one scipy search per trend
        deferred = _fast_trend(cells, [0, 1, 2], "index", defer=True)
        if reference.result.test != "trend_lmm":
            continue
        assert isinstance(deferred, tuple)
        pending[("index", f"i{i}", "g")], references[("index", f"i{i}", "g")] = deferred, reference
    assert len(pending) > 40
    done = _mixed_batch(pending, [0, 1, 2])()  # searched here: no worker process in this test
    assert list(done) == list(references)
    for key, reference in references.items():
        assert _flat(done[key]) == _flat(reference), key  # bit for bit: the same search, fit by fit


def test_standardised_change_equals_the_per_stratum_computation():
    rng = np.random.default_rng(9)
    for _ in range(100):
        strata = int(rng.integers(1, 8))
        weights = rng.dirichlet(np.ones(strata)) * (rng.random(strata) < 0.9)
        samples = [[rng.normal(3 + h / 5, 1, size=int(rng.integers(0, 12))) for _ in range(2)] for h in range(strata)]
        counts = np.array([[len(s) for s in pair] for pair in samples], dtype=np.int64)
        with np.errstate(invalid="ignore", divide="ignore"):
            means = np.array([[s.mean() if len(s) else np.nan for s in pair] for pair in samples])
            variances = np.array([[s.var(ddof=1) if len(s) > 1 else np.nan for s in pair] for pair in samples])
        d, z, p, low, high, n_first, n_second = _standardised(counts, means, variances, weights)
        # reference (the module's definition): usable strata have >= 2 values in each wave and weight > 0;
        # m_w = sum W_h mean_hw, V_w = sum W_h^2 var_hw / n_hw with np.var(ddof=1); z = d / sqrt(V_1 + V_2)
        usable = [h for h in range(strata) if min(counts[h]) >= 2 and weights[h] > 0]
        if not usable:
            assert math.isnan(d) and n_first == n_second == 0
            continue
        w = {h: weights[h] / sum(weights[u] for u in usable) for h in usable}
        m = [sum(w[h] * np.mean(samples[h][side]) for h in usable) for side in (0, 1)]
        v = sum(w[h] ** 2 * np.var(samples[h][side], ddof=1) / len(samples[h][side]) for h in usable for side in (0, 1))
        ref_z = (m[1] - m[0]) / math.sqrt(v)
        assert _close(d, m[1] - m[0]) and _close(z, ref_z)
        assert _close(p, 2 * float(stats.norm.sf(abs(ref_z))))
        assert _close(low, m[1] - m[0] - 1.959963984540054 * math.sqrt(v)) and _close(high, m[1] - m[0] + 1.959963984540054 * math.sqrt(v))
        assert (n_first, n_second) == (sum(counts[h][0] for h in usable), sum(counts[h][1] for h in usable))


def test_codes_that_could_sort_among_positions_or_repeat_in_a_wave_fall_back_to_the_per_cell_trend():
    rng = np.random.default_rng(13)
    values = [np.round(rng.uniform(1, 5, size=6), 2) for _ in range(3)]
    for odd in ("", "\0x"):  # an empty code sorts before "\0<position>", a code starting with "\0" among them
        keys = [[odd, "a", "b", None, f"c{w}", "d"] for w in range(3)]
        cells = [_cell(v, k) for v, k in zip(values, keys, strict=True)]
        assert _flat(_fast_trend(cells, [0, 1, 2], "index")) == _flat(_trend(cells, [0, 1, 2], "index"))
    repeated = [_cell(v, ["a", "a", "b", None, "c", "d"]) for v in values]  # "a" twice in each wave
    assert _flat(_fast_trend(repeated, [0, 1, 2], "fraga")) == _flat(_trend(repeated, [0, 1, 2], "fraga"))


def test_all_jonckheere_trends_at_once_equal_the_per_cell_trends():
    rng = np.random.default_rng(17)
    pending, references = {}, {}
    for i in range(150):
        cells = _random_cells(rng, whole=i % 5 != 0, linked=0.4)  # every fifth with values that are not whole numbers
        reference = _trend(cells, [0, 1, 2], "fraga")
        pending[("fraga", f"q{i}", "g")] = (cells, reference.n_linked)
        references[("fraga", f"q{i}", "g")] = reference
    done = _jonckheere_batch(pending, [0, 1, 2])
    assert set(done) == set(references)
    for key, reference in references.items():
        a, b = _flat(done[key]), _flat(reference)
        assert reference.result.test == "jonckheere" and len(a) == len(b)
        assert all(_close(x, y) if isinstance(x, float) else x == y for x, y in zip(a, b, strict=True)), (key, a, b)
