"""REML fits of the random-intercept trend, one at a time (:func:`_reml`) or all at once (:func:`_reml_batch`).

The model ``y = b0 + b1 x + u_person + e`` has a closed form for a given
variance ratio γ = var(u) / var(e) (:class:`_Model`); γ = r² is found by
scipy's bounded scalar search over r (``scipy.optimize.minimize_scalar(...,
method="bounded")``, Brent's method with golden sections). That search stops
where rounding decides the last steps, so only the very same arithmetic gives
the same estimates to the last bit.

:func:`_reml_batch` fits hundreds of models at once with the same result,
bit for bit: :func:`_bounded_minima` is scipy's
``_minimize_scalar_bounded`` with every fit's search state in numpy arrays
(the same floating-point operations in the same order, element by element;
the fits that have converged are masked), so each iteration evaluates the
criterion of every fit still searching together. In that evaluation the
sums over people (BLAS products and numpy sums) are the same calls on the
same arrays as :meth:`_Model.solve`, fit by fit; the 2 × 2 solves and
log-determinants go to LAPACK as one stack (numpy's gufuncs call the same
LAPACK routine per matrix), the 2-vector products of the residual sum of
squares to BLAS as one stacked ``matmul`` (the same BLAS call per fit as
``@``), and the per-size factors are computed for all fits in one array
(elementwise, so the same values).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

__all__: list[str] = []

_MAX_RATIO_ROOT = 1e3  # sqrt of the largest variance ratio person / residual searched
_XATOL = 1e-10  # the search's absolute tolerance in the root of the ratio
_MAXITER = 500  # scipy's default for method="bounded"


class _Model:
    """The sums of one random-intercept fit that do not depend on γ, and its criterion.

    ``person`` numbers the people as ``np.unique`` of their labels numbers
    them (the order of the people fixes the order of the sums, and so the
    last bits). People have few distinct sizes: the per-person factors are
    computed per size and gathered, the very same values as computed per
    person.
    """

    __slots__ = ("n", "sums", "sums_x", "sums_y", "distinct", "size_of", "xtx", "xty", "yty")
    p = 2  # coefficients

    def __init__(self, x: np.ndarray, y: np.ndarray, person: np.ndarray, gram: np.ndarray | None = None) -> None:
        n = len(y)
        design = np.column_stack([np.ones(n), x])
        counts = np.bincount(person)
        sizes = counts.astype(float)
        self.n = n
        self.sums = np.column_stack([sizes, np.bincount(person, x)])
        self.sums_y = np.bincount(person, y)
        self.xtx, self.xty, self.yty = _gram(design, x) if gram is None else gram, design.T @ y, float(y @ y)
        present = np.bincount(counts)  # np.unique(sizes, return_inverse=True) of whole numbers, by counting
        distinct = np.flatnonzero(present)
        number = np.zeros(len(present), dtype=np.intp)
        number[distinct] = np.arange(len(distinct))
        self.distinct, self.size_of = distinct.astype(float), number[counts]
        self.sums_x = np.ascontiguousarray(self.sums[:, 1])

    @classmethod
    def of(cls, x: np.ndarray, y: np.ndarray, groups: np.ndarray | None, person: np.ndarray | None = None, gram: np.ndarray | None = None) -> _Model | None:
        """The model of ``x``, ``y`` with people ``person`` (or the labels ``groups``); None when it cannot be fitted.

        ``gram``: XᵀX of the columns (1, x) when already known exactly (:func:`_gram`)."""
        if person is None:
            _, person = np.unique(groups, return_inverse=True)
        model = cls(x, y, person, gram)
        if model.n <= model.p or not (gram is not None and _full_rank(gram)) and np.linalg.matrix_rank(model.xtx) < model.p:
            return None
        return model

    def weighted(self, factor: np.ndarray, out: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(c per person, the person's sums times c) from the per-size ``factor`` c (into ``out``)."""
        c = factor[self.size_of]
        weighted = np.empty_like(self.sums) if out is None else out  # sums * c[:, None]
        np.multiply(self.sums[:, 0], c, out=weighted[:, 0])  # the person's size times c
        np.multiply(self.sums_x, c, out=weighted[:, 1])
        return c, weighted

    def rss(self, coef: np.ndarray, c: np.ndarray) -> float:
        """The residual sum of squares at ``coef`` (generalised by the per-person ``c``)."""
        person_residual = self.sums_y - self.sums @ coef
        return self.yty - 2 * coef @ self.xty + coef @ self.xtx @ coef - float((c * person_residual**2).sum())

    def solve(self, gamma: float) -> tuple[np.ndarray, np.ndarray, float]:
        """(XᵀV⁻¹X up to σ², the coefficients, the residual sum of squares) at the ratio ``gamma``."""
        factor = gamma / (1 + self.distinct * gamma)
        c, weighted = self.weighted(factor)
        a = self.xtx - weighted.T @ self.sums
        coef = np.linalg.solve(a, self.xty - weighted.T @ self.sums_y)
        return a, coef, self.rss(coef, c)

    def criterion(self, root: float) -> float:
        """The profiled REML criterion (up to a constant) at the ratio ``root²``."""
        gamma = root * root
        a, _, rss = self.solve(gamma)
        n, p = self.n, self.p
        if not rss > 0:
            return math.inf
        return (n - p) * math.log(rss / (n - p)) + float(np.log1p(self.distinct * gamma)[self.size_of].sum()) + float(np.linalg.slogdet(a)[1])

    def finish(self, root: float, fun: float, at_zero: float) -> tuple[np.ndarray, np.ndarray, float, float] | None:
        """(coefficients, their covariance, residual and person variance) at the search's minimum ``root``."""
        with np.errstate(all="ignore"):
            gamma = float(root) ** 2
            if at_zero <= fun:  # the boundary: no variation between people
                gamma = 0.0
            a, coef, rss = self.solve(gamma)
        scale = rss / (self.n - self.p)
        if not (scale > 0 and np.isfinite(coef).all()):
            return None
        return coef, scale * np.linalg.inv(a), scale, gamma * scale


def _gram(design: np.ndarray, x: np.ndarray) -> np.ndarray:
    """``design.T @ design`` of the columns (1, x): from sums when ``x`` holds whole numbers whose sums are exact
    (every order of summation gives the same bits), otherwise the product itself."""
    if len(x) and float(np.abs(x).max()) ** 2 * len(x) < 2**53 and (x == np.floor(x)).all():  # every partial sum exact
        sx, sxx = float(x.sum()), float(x @ x)
        return np.array([[float(len(x)), sx], [sx, sxx]])
    return design.T @ design


def _full_rank(gram: np.ndarray) -> bool:
    """Whether ``np.linalg.matrix_rank`` of an exact whole-number XᵀX of (1, x) is surely 2, without the SVD.

    The determinant n·Σx² − (Σx)² is then a whole number; at least 1 makes the
    smaller eigenvalue at least 1 / λ_max with λ_max ≤ n + Σx², far above
    matrix_rank's tolerance 2 · ε · λ_max while n + Σx² < 10⁶. False (ask
    matrix_rank) otherwise.
    """
    n, sx, sxx = int(gram[0, 0]), int(gram[0, 1]), int(gram[1, 1])
    return n + sxx < 10**6 and n * sxx - sx * sx >= 1


def _reml(x: np.ndarray, y: np.ndarray, groups: np.ndarray | None, person: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, float, float] | None:
    """REML fit of ``y = b0 + b1 x + u_person + e``: (coefficients, their covariance, residual and person variance).

    The random-intercept model has a closed form for a given variance ratio
    γ = var(u) / var(e): with c_g = γ / (1 + n_g γ) per person g,
    ``XᵀV⁻¹X ∝ XᵀX − Σ c_g s_g s_gᵀ`` (s_g the person's sums of the design),
    so each evaluation of the profiled REML criterion
    ``(N − p) log σ̂² + Σ log(1 + n_g γ) + log |XᵀV⁻¹X|`` is a few sums over
    people; γ is found by a bounded scalar search. The covariance of the
    coefficients is ``σ̂² (XᵀV⁻¹X)⁻¹``, conditional on the variance estimates
    (as ``vcov`` of lme4; statsmodels' ``bse_fe`` inverts the joint
    information of coefficients and variances instead and differs in the
    fourth digit). Tested against the estimates of statsmodels'
    ``MixedLM(...).fit(reml=True)``, which loops over people in Python and
    takes seconds on a large survey where this takes milliseconds.

    ``person`` may give the person of each value directly, numbered as
    ``np.unique(groups, return_inverse=True)`` numbers them (the order of
    the people fixes the order of the sums, and so the last bits).
    """
    model = _Model.of(x, y, groups, person)
    if model is None:
        return None
    with np.errstate(all="ignore"):
        from scipy import optimize  # the per-fit search: the reference and the per-cell fallback

        found = optimize.minimize_scalar(model.criterion, bounds=(0.0, _MAX_RATIO_ROOT), method="bounded", options={"xatol": _XATOL})
        at_zero = model.criterion(0.0)
    return model.finish(found.x, found.fun, at_zero)


def _reml_batch(models: list[_Model]) -> list[tuple[np.ndarray, np.ndarray, float, float] | None]:
    """:func:`_reml` of every model, the same numbers to the last bit, with one search for all (:func:`_bounded_minima`)."""
    if not models:
        return []
    criteria = _criteria(models)
    with np.errstate(all="ignore"):
        roots, funs = _bounded_minima(criteria, len(models), 0.0, _MAX_RATIO_ROOT, _XATOL)
        at_zero = criteria(np.arange(len(models)), np.zeros(len(models)))
    return [model.finish(root, fun, zero) for model, root, fun, zero in zip(models, roots, funs, at_zero, strict=True)]


def _criteria(models: list[_Model]) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    """``criteria(which, roots)``: :meth:`_Model.criterion` of the models numbered ``which`` at ``roots``, the same values.

    Per fit, the sums over its people (the BLAS products and numpy sums of
    :meth:`_Model.solve` and :meth:`_Model.rss` on the same arrays); the 2 × 2
    and 2-vector parts for all fits at once: elementwise operations, and
    numpy's stacked ``matmul``, which makes the same BLAS call per fit as
    ``@`` on one fit's vectors.
    """
    width = max(len(model.distinct) for model in models)
    distinct = np.ones((len(models), width))
    for row, model in zip(distinct, models, strict=True):
        row[: len(model.distinct)] = model.distinct
    xtx = np.stack([model.xtx for model in models])
    xty = np.stack([model.xty for model in models])
    yty = np.array([model.yty for model in models])
    dof = [model.n - model.p for model in models]
    scratch = np.empty((max(len(model.size_of) for model in models), 2))

    def criteria(which: np.ndarray, roots: np.ndarray) -> np.ndarray:
        gamma = roots * roots
        sizes = distinct[which]
        factor = gamma[:, None] / (1 + sizes * gamma[:, None])
        logs = np.log1p(sizes * gamma[:, None])
        products = np.empty((len(which), 2, 2))  # weighted.T @ sums
        with_y = np.empty((len(which), 2))  # weighted.T @ sums_y
        weights = []
        for j, i in enumerate(which):
            model = models[i]
            c, weighted = model.weighted(factor[j], scratch[: len(model.size_of)])
            products[j] = weighted.T @ model.sums
            with_y[j] = weighted.T @ model.sums_y
            weights.append(c)
        a = xtx[which] - products
        coef = np.linalg.solve(a, (xty[which] - with_y)[:, :, None])[:, :, 0]
        logdet = np.linalg.slogdet(a)[1]
        weighted_squares = np.empty(len(which))
        log_sums = np.empty(len(which))
        for j, i in enumerate(which):
            model = models[i]
            residual = model.sums @ coef[j]  # person_residual of _Model.rss, in place
            np.subtract(model.sums_y, residual, out=residual)
            np.square(residual, out=residual)
            np.multiply(weights[j], residual, out=residual)
            weighted_squares[j] = residual.sum()
            log_sums[j] = logs[j][model.size_of].sum()
        row = coef[:, None, :]
        rss = (
            yty[which]
            - np.matmul(2 * row, xty[which][:, :, None])[:, 0, 0]
            + np.matmul(np.matmul(row, xtx[which]), coef[:, :, None])[:, 0, 0]
            - weighted_squares
        )
        values = [
            dof[i] * math.log(value / dof[i]) + log_sum + log_det if value > 0 else math.inf
            for i, value, log_sum, log_det in zip(which.tolist(), rss.tolist(), log_sums.tolist(), logdet.tolist(), strict=True)
        ]
        return np.array(values, dtype=float)

    return criteria


def _bounded_minima(
    func: Callable[[np.ndarray, np.ndarray], np.ndarray], count: int, lower: float, upper: float, xatol: float = 1e-5, maxiter: int = _MAXITER
) -> tuple[np.ndarray, np.ndarray]:
    """(x, f(x)) of ``scipy.optimize.minimize_scalar(f_i, bounds=(lower, upper), method="bounded")`` for ``count`` functions at once.

    ``func(which, xs)`` gives the values of the functions numbered ``which``
    at ``xs``. The lines of scipy's ``_minimize_scalar_bounded`` (scipy
    1.17), each on arrays with one element per function and applied only
    where that function's search is still running (:class:`_Searches`): the
    same operations in the same order for every function, so the same
    points and results.
    """
    searches = _Searches(count, lower, upper, xatol)
    searches.start(np.asarray(func(np.arange(count), searches.xf.copy()), dtype=float))
    while searches.running.any():
        x = searches.propose()
        which = np.flatnonzero(searches.running)
        fu = np.full(count, np.nan)
        fu[which] = func(which, x[which])
        searches.update(x, fu, maxiter)
    return searches.xf, searches.fx


class _Searches:
    """The state of scipy's bounded Brent search, one element per function; the names are scipy's.

    Elements of searches that have stopped are computed along and discarded
    (``np.where`` on :attr:`running`), so warnings are silenced here.
    """

    _SQRT_EPS = np.sqrt(2.2e-16)
    _GOLDEN_MEAN = 0.5 * (3.0 - np.sqrt(5.0))

    def __init__(self, count: int, lower: float, upper: float, xatol: float) -> None:
        self.xatol = xatol
        self.a, self.b = np.full(count, float(lower)), np.full(count, float(upper))
        self.fulc = self.a + self._GOLDEN_MEAN * (self.b - self.a)
        self.nfc, self.xf = self.fulc.copy(), self.fulc.copy()
        self.rat, self.e = np.zeros(count), np.zeros(count)
        self.num = np.ones(count, dtype=np.int64)

    def start(self, fx: np.ndarray) -> None:
        """The values at the first point."""
        self.fx, self.ffulc, self.fnfc = fx, fx.copy(), fx.copy()
        with np.errstate(all="ignore"):
            self._tolerances()
            self.running = np.abs(self.xf - self.xm) > (self.tol2 - 0.5 * (self.b - self.a))

    def _tolerances(self) -> None:
        self.xm = 0.5 * (self.a + self.b)
        self.tol1 = self._SQRT_EPS * np.abs(self.xf) + self.xatol / 3.0
        self.tol2 = 2.0 * self.tol1

    def propose(self) -> np.ndarray:
        """The next point of each search: a parabolic step where acceptable, otherwise a golden-section step."""
        a, b, xf, fx, xm, tol1, tol2, e, rat = self.a, self.b, self.xf, self.fx, self.xm, self.tol1, self.tol2, self.e, self.rat
        with np.errstate(all="ignore"):
            fitted = self.running & (np.abs(e) > tol1)
            r = (xf - self.nfc) * (fx - self.ffulc)
            q = (xf - self.fulc) * (fx - self.fnfc)
            p = (xf - self.fulc) * q - (xf - self.nfc) * r
            q = 2.0 * (q - r)
            p = np.where(q > 0.0, -p, p)
            q = np.abs(q)
            r = e
            parabolic = fitted & (np.abs(p) < np.abs(0.5 * q * r)) & (p > q * (a - xf)) & (p < q * (b - xf))
            step = (p + 0.0) / q
            x = xf + step
            step = np.where(((x - a) < tol2) | ((b - x) < tol2), tol1 * (np.sign(xm - xf) + ((xm - xf) == 0)), step)
            golden = self.running & ~parabolic
            e_golden = np.where(xf >= xm, a - xf, b - xf)
            self.e = np.where(golden, e_golden, np.where(parabolic, rat, e))
            self.rat = rat = np.where(golden, self._GOLDEN_MEAN * e_golden, np.where(parabolic, step, rat))
            si = np.sign(rat) + (rat == 0)
            return xf + si * np.maximum(np.abs(rat), tol1)

    def update(self, x: np.ndarray, fu: np.ndarray, maxiter: int) -> None:
        """Take the values ``fu`` at the points ``x`` of the running searches; stop those that have converged."""
        xf, fx, nfc, fnfc, fulc, ffulc = self.xf, self.fx, self.nfc, self.fnfc, self.fulc, self.ffulc
        with np.errstate(all="ignore"):
            self.num += self.running
            better = self.running & (fu <= fx)
            worse = self.running & ~(fu <= fx)
            right, left = x >= xf, x < xf
            self.a = np.where(better & right, xf, np.where(worse & left, x, self.a))
            self.b = np.where(better & ~right, xf, np.where(worse & ~left, x, self.b))
            second = worse & ((fu <= fnfc) | (nfc == xf))
            third = worse & ~second & ((fu <= ffulc) | (fulc == xf) | (fulc == nfc))
            self.fulc = np.where(better | second, nfc, np.where(third, x, fulc))
            self.ffulc = np.where(better | second, fnfc, np.where(third, fu, ffulc))
            self.nfc, self.fnfc = np.where(better, xf, np.where(second, x, nfc)), np.where(better, fx, np.where(second, fu, fnfc))
            self.xf, self.fx = np.where(better, x, xf), np.where(better, fu, fx)
            self._tolerances()
            self.running &= (self.num < maxiter) & (np.abs(self.xf - self.xm) > (self.tol2 - 0.5 * (self.b - self.a)))
