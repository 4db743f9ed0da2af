"""The binomial and hypergeometric distributions of ``scipy.stats`` without importing ``scipy.stats``.

``scipy.stats`` takes most of a second to import (it builds the docstrings of
every distribution), and a small survey's run needed it only for McNemar's
exact binomial test and Fisher's exact test. Both distributions are boost's
functions in ``scipy.special`` (``_binom_pmf``, ``_hypergeom_cdf``, …), which
``scipy.stats.binom`` and ``scipy.stats.hypergeom`` call; this module calls
them the same way, with the same support rules for whole-number arguments:
outside the support the pmf is 0, the cdf 0 below and 1 from its upper end,
the sf 1 below and 0 from its upper end, and values are clipped to [0, 1]. So
every number is the one ``scipy.stats`` gives (``tests/analysis/test_discrete.py``
compares them for equality). Where this scipy lacks those functions, the
``scipy.stats`` methods themselves are called.

:func:`binomtest_p` is ``scipy.stats.binomtest(k, n, p).pvalue`` (two-sided)
by scipy 1.17's steps. These are helpers of the analysis folder.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__: list[str] = []  # helpers of the analysis folder only (binary_search_many also for .counts)

try:
    from scipy.special import _ufuncs as _scu

    _UFUNCS = all(hasattr(_scu, name) for name in ("_binom_pmf", "_binom_cdf", "_binom_sf", "_hypergeom_pmf", "_hypergeom_cdf", "_hypergeom_sf"))
except ImportError:  # (a scipy without them: scipy.stats below)
    _UFUNCS = False


def _discrete(kind: str, point: str, k, low, high, *args) -> np.ndarray:
    """``scipy.stats.<kind>.<point>(k, ...)`` for whole-number ``k`` within [low, high] rules (see the module)."""
    k = np.asarray(k)
    low, high = np.asarray(low), np.asarray(high)
    if point == "pmf":
        inside = (k >= low) & (k <= high) & (np.floor(k) == k)
        outside = 0.0
    elif point == "cdf":
        inside = (k >= low) & (k < high)
        outside = np.where(k >= high, 1.0, 0.0)
    else:
        inside = (k >= low) & (k < high)
        outside = np.where(k < low, 1.0, 0.0)
    function = getattr(_scu, f"_{kind}_{point}")
    at = np.where(inside, k, low)  # (a point inside the support where the value is not used)
    if kind == "binom" and point != "pmf":
        at = np.floor(at)
    with np.errstate(all="ignore"):
        values = np.clip(function(at, *args), 0, 1)
    out = np.where(inside, values, outside).astype(float)
    return out[()] if out.ndim == 0 else out


def binom(point: str, k, n, p) -> np.ndarray:
    """``scipy.stats.binom.<point>(k, n, p)`` (``point``: ``pmf``, ``cdf`` or ``sf``) for whole ``n`` ≥ 0 and ``p`` in [0, 1]."""
    if not _UFUNCS:
        from scipy import stats

        return getattr(stats.binom, point)(k, n, p)
    return _discrete("binom", point, k, 0, n, n, p)


def hypergeom(point: str, k, total, good, drawn) -> np.ndarray:
    """``scipy.stats.hypergeom.<point>(k, total, good, drawn)`` (``point``: ``pmf``, ``cdf`` or ``sf``) for whole,
    valid arguments (0 ≤ ``good``, ``drawn`` ≤ ``total``, ``total`` > 0)."""
    if not _UFUNCS:
        from scipy import stats

        return getattr(stats.hypergeom, point)(k, total, good, drawn)
    total, good, drawn = np.asarray(total), np.asarray(good), np.asarray(drawn)
    low, high = np.maximum(drawn - (total - good), 0), np.minimum(good, drawn)
    return _discrete("hypergeom", point, k, low, high, good, drawn, total)


def binomtest_p(k: int, n: int, p: float) -> float:
    """``scipy.stats.binomtest(k, n, p).pvalue``: the two-sided exact binomial test, by scipy 1.17's steps (``n`` ≥ 1)."""

    def pmf(x: float) -> float:
        return float(binom("pmf", x, n, p))

    d = pmf(k)
    rerr = 1 + 1e-7
    if k == p * n:
        return 1.0
    if k < p * n:
        ix = _search(lambda x: -pmf(x), -d * rerr, np.ceil(p * n), n)
        y = n - ix + int(d * rerr == pmf(ix))
        value = float(binom("cdf", k, n, p)) + float(binom("sf", n - y, n, p))
    else:
        ix = _search(pmf, d * rerr, 0, np.floor(p * n))
        y = ix + 1
        value = float(binom("cdf", y - 1, n, p)) + float(binom("sf", k - 1, n, p))
    return min(1.0, value)


def _search(a: Callable[[float], float], d: float, lo: float, hi: float) -> int:
    """scipy's ``_binary_search_for_binom_tst(a, d, lo, hi)``: one search of :func:`binary_search_many`."""
    return int(binary_search_many(lambda x, _: np.array([a(float(x[0]))]), np.array([d]), np.array([lo]), np.array([hi]))[0])


def binary_search_many(f: Callable[[np.ndarray, np.ndarray], np.ndarray], target: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """scipy's ``_binary_search_for_binom_tst(a, d, lo, hi)`` for many searches at once: per search ``i``, the
    ``x`` between ``lo[i]`` and ``hi[i]`` with ``f(x) <= target[i] < f(x + 1)`` (``f`` ascending there);
    ``f(x, j)`` gives the function's values at ``x`` for the searches ``j``."""
    lo, hi = lo.astype(np.int64), hi.astype(np.int64)
    found = np.zeros(len(lo), dtype=np.int64)
    done = np.zeros(len(lo), dtype=bool)
    while True:
        j = np.flatnonzero(~done & (lo < hi))
        if not len(j):
            break
        mid = lo[j] + (hi[j] - lo[j]) // 2
        value = f(mid, j)
        below, above = value < target[j], value > target[j]
        lo[j[below]] = mid[below] + 1
        hi[j[above]] = mid[above] - 1
        hit = ~below & ~above  # equal (or NaN, as scipy's else branch)
        found[j[hit]] = mid[hit]
        done[j[hit]] = True
    j = np.flatnonzero(~done)
    if len(j):
        found[j] = np.where(f(lo[j], j) <= target[j], lo[j], lo[j] - 1)
    return found
