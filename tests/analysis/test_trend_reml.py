"""The batched REML search against scipy's bounded scalar search, bit for bit, on random data.

:func:`slutrapport.analysis.trend_reml._bounded_minima` runs scipy's
``_minimize_scalar_bounded`` for many functions at once, and
:func:`~slutrapport.analysis.trend_reml._reml_batch` fits many mixed models
with it. The reference is
``scipy.optimize.minimize_scalar(f, bounds=(lower, upper), method="bounded", options={"xatol": xatol, "maxiter": maxiter})``
per function, and :func:`~slutrapport.analysis.trend_reml._reml` per model
(which calls ``scipy.optimize.minimize_scalar(model.criterion, bounds=(0.0, 1e3), method="bounded", options={"xatol": 1e-10})``;
itself checked against statsmodels' ``MixedLM`` in ``test_trend_overlap.py``).
The search stops where rounding decides the last steps, so the comparison
is exact: the same points evaluated in the same order and the same bits.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import optimize

from slutrapport.analysis.trend_reml import _bounded_minima, _criteria, _full_rank, _Model, _reml, _reml_batch


def _bits(value) -> bytes:
    return np.asarray(value, dtype=float).tobytes()


def _random_function(rng: np.random.Generator, lower: float, upper: float):
    """A scalar function of one of several shapes: smooth, multimodal, flat in steps, infinite or NaN in places, rounded."""
    kind = int(rng.integers(7))
    centre = rng.uniform(lower - 0.2 * (upper - lower), upper + 0.2 * (upper - lower))
    scale = float(10 ** rng.uniform(-3, 3))
    width = (upper - lower) or 1.0
    if kind == 0:
        return lambda x: scale * (x - centre) ** 2
    if kind == 1:
        w = rng.uniform(1, 40) / width
        return lambda x: math.sin(w * x) + 0.1 * ((x - centre) / width) ** 2
    if kind == 2:
        steps = float(rng.integers(1, 50)) / width
        return lambda x: math.floor(abs(x - centre) * steps) / steps
    if kind == 3:
        return lambda x: math.inf if x < centre else (x - centre - 0.1 * width) ** 2
    if kind == 4:
        return lambda x: math.nan if abs(x - centre) < 0.05 * width else abs(x - centre)
    if kind == 5:
        return lambda x: 3.0
    digits = int(rng.integers(2, 9))
    return lambda x: round(math.log1p(abs(x - centre)) + 1e-3 * x, digits)  # ties where rounding decides


@pytest.mark.parametrize("seed", range(6))
def test_bounded_search_for_many_functions_equals_scipy_minimize_scalar_bounded(seed):
    rng = np.random.default_rng(seed)
    lower = float(rng.choice([0.0, -1.0, rng.uniform(-100, 100)]))
    upper = lower + float(rng.choice([0.0, 1e3, 1.0, rng.uniform(1e-6, 50)]))
    xatol = float(rng.choice([1e-5, 1e-10, 1e-3, 1.0]))
    maxiter = int(rng.choice([500, 12, 3]))
    functions = [_random_function(rng, lower, upper) for _ in range(150)]

    expected, seen = [], []
    for f in functions:
        points: list[float] = []

        def counted(x, f=f, points=points):
            points.append(float(x))
            return f(x)

        # reference: scipy.optimize.minimize_scalar(f, bounds=(lower, upper), method="bounded", options={"xatol": ..., "maxiter": ...})
        with np.errstate(all="ignore"):  # the functions are infinite or NaN in places
            found = optimize.minimize_scalar(counted, bounds=(lower, upper), method="bounded", options={"xatol": xatol, "maxiter": maxiter})
        expected.append((found.x, found.fun, points))
        seen.append([])

    def batched(which: np.ndarray, xs: np.ndarray) -> np.ndarray:
        values = np.empty(len(which))
        for j, (i, x) in enumerate(zip(which, xs, strict=True)):
            seen[i].append(float(x))
            values[j] = functions[i](x)
        return values

    xs, funs = _bounded_minima(batched, len(functions), lower, upper, xatol, maxiter)
    for i, (x, fun, points) in enumerate(expected):
        assert _bits(seen[i]) == _bits(points), i  # the same points in the same order
        assert _bits(xs[i]) == _bits(x) and _bits(funs[i]) == _bits(fun), i


def _random_model_data(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Three waves of index scores, some people in several waves, with a random person effect (sometimes none)."""
    people = int(rng.integers(1, 400))
    effect = rng.normal(0, float(rng.choice([0.0, 0.3, 1.0, 3.0])), size=people)
    x, y, person = [], [], []
    for wave in range(3):
        who = np.flatnonzero(rng.random(people) < rng.uniform(0.2, 1.0))
        x.append(np.full(len(who), float(wave)))
        raw = 3 + 0.1 * wave + effect[who] + rng.normal(0, 1, size=len(who))
        y.append(np.round(np.clip(raw, 1, 5) * 4) / 4 if rng.random() < 0.5 else raw)
        person.append(who)
    label = np.concatenate(person)
    _, numbered = np.unique(label, return_inverse=True)
    return np.concatenate(x), np.concatenate(y), numbered


def test_all_mixed_models_at_once_equal_each_fitted_with_scipy():
    rng = np.random.default_rng(20)
    data = [_random_model_data(rng) for _ in range(120)]
    data.insert(7, (np.array([0.0, 1.0]), np.array([3.0, 4.0]), np.array([0, 1])))  # two values: no residual degrees of freedom
    data.insert(50, (np.zeros(5), rng.normal(size=5), np.array([0, 1, 1, 2, 3])))  # one wave: no slope
    models = [_Model.of(x, y, None, person) for x, y, person in data]
    assert sum(model is None for model in models) == 2
    batched = iter(_reml_batch([model for model in models if model is not None]))
    boundary = 0
    for (x, y, person), model in zip(data, models, strict=True):
        reference = _reml(x, y, None, person)  # the scipy search, one model at a time
        if model is None:
            assert reference is None
            continue
        fitted = next(batched)
        assert (fitted is None) == (reference is None)
        if reference is not None:
            assert all(_bits(a) == _bits(b) for a, b in zip(fitted, reference, strict=True))
            boundary += reference[3] == 0.0
    assert boundary >= 1  # some fits end at the boundary: no variation between people


def test_batched_criterion_equals_the_models_own_at_any_ratio():
    rng = np.random.default_rng(21)
    data = [_random_model_data(rng) for _ in range(40)]
    models = [model for model in (_Model.of(x, y, None, person) for x, y, person in data) if model is not None]
    criteria = _criteria(models)
    which = np.arange(len(models))
    for root in np.concatenate([[0.0, 1e3], rng.uniform(0, 1e3, 20), rng.uniform(0, 1, 20), rng.uniform(0, 1e-4, 5)]):
        with np.errstate(all="ignore"):
            assert _bits(criteria(which, np.full(len(models), root))) == _bits([model.criterion(root) for model in models])
        part = which[rng.random(len(models)) < 0.5]  # only the searches still running
        with np.errstate(all="ignore"):
            assert _bits(criteria(part, np.full(len(part), root))) == _bits([models[i].criterion(root) for i in part])


def test_model_sums_equal_the_matrix_products_and_np_unique_bit_for_bit():
    rng = np.random.default_rng(22)
    data = [_random_model_data(rng) for _ in range(40)]
    data.append((rng.uniform(0, 3, size=50), rng.normal(size=50), rng.integers(0, 20, size=50)))  # positions that are not whole numbers
    for x, y, person in data:
        _, person = np.unique(person, return_inverse=True)
        model = _Model(x, y, person)
        design = np.column_stack([np.ones(len(x)), x])
        # reference: the products and np.unique as written out, XᵀX = design.T @ design
        assert _bits(model.xtx) == _bits(design.T @ design)
        distinct, size_of = np.unique(np.bincount(person).astype(float), return_inverse=True)
        assert _bits(model.distinct) == _bits(distinct) and np.array_equal(model.size_of, size_of)


def test_full_rank_shortcut_agrees_with_matrix_rank():
    rng = np.random.default_rng(23)
    for _ in range(300):
        waves = int(rng.integers(1, 5))
        sizes = rng.integers(0, 400, size=waves) * (rng.random(waves) < 0.8)
        x = np.repeat(np.arange(waves, dtype=float), sizes)
        design = np.column_stack([np.ones(len(x)), x])
        gram = design.T @ design
        # reference: numpy.linalg.matrix_rank(XᵀX), 2 exactly when x takes two values or more
        assert _full_rank(gram) == (np.linalg.matrix_rank(gram) == 2)
        assert _full_rank(gram) == (len(x) > 0 and np.ptp(x) > 0)
