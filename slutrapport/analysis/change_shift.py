"""The Hodges–Lehmann shift of independent waves (:func:`~.shift.hodges_lehmann_independent`) for many pairs at once.

For every pair of cells of one question or index the answers take a few
values, so the pairwise differences ``later − earlier`` take few values too
(the question's or index's own grid of differences). Per question or index
this module builds each pair's weights on that grid, the weighted median (the
estimate), the standardised Wilcoxon statistic at each of the pair's own
jumps and the midpoints between them, and then runs the bisection of
``shift._crossing`` for all pairs in step, so the interval limits are the
same jumps the one-pair function finds. Every number is computed by the same
formulas on the same whole or half numbers as :mod:`.shift`; pairs where that
function takes another path (the exact interval of small samples without
ties, or two values that round together after a shift) are left to it.
"""

from __future__ import annotations

import numpy as np
from scipy import special

__all__: list[str] = []  # helpers of the analysis folder only

_DECIMALS = 9  # as .shift
_EXACT_LIMIT = 50
_Z = float(special.ndtri(0.975))  # special.ndtri(1 - alpha / 2) of a 95 % interval


def _rounded_counts(values: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The count table on the grid of values rounded to 9 decimals (as :mod:`.shift` rounds answers).

    ``values`` is the sorted grid of ``counts``' columns; rounding keeps the
    order, so equal rounded values are neighbouring columns, added together.
    """
    rounded = np.round(values, _DECIMALS)
    if rounded.size == 0:
        return rounded, counts
    starts = np.flatnonzero(np.concatenate([[True], rounded[1:] != rounded[:-1]]))
    return rounded[starts], np.add.reduceat(counts, starts, axis=1)


def _hl_batch(grid: np.ndarray, later: np.ndarray, earlier: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Estimate, low and high of ``hodges_lehmann_independent(earlier, later)`` for pairs of count rows on ``grid``.

    ``later``/``earlier``: pairs × grid counts of the rounded values (one
    question or index). Returns the three columns and ``done``, False where
    the pair must go to :func:`~.shift.hodges_lehmann_independent` itself.
    """
    pairs = later.shape[0]
    n_x, n_y = later.sum(axis=1), earlier.sum(axis=1)
    distinct = np.count_nonzero(later + earlier, axis=1)
    done = ~((n_x < _EXACT_LIMIT) & (n_y < _EXACT_LIMIT) & (distinct == n_x + n_y)) & (n_x > 0) & (n_y > 0)
    differences = np.round(np.subtract.outer(grid, grid), _DECIMALS)  # later value − earlier value
    jumps, which = np.unique(differences, return_inverse=True)
    which = which.reshape(differences.shape)
    onehot = np.zeros((which.size, jumps.size))
    onehot[np.arange(which.size), which.ravel()] = 1.0
    products = later[:, :, None].astype(float) * earlier[:, None, :]
    weights = products.reshape(pairs, -1) @ onehot  # whole numbers: exact
    estimate = _weighted_medians(jumps, weights)
    # Each pair's own jumps, in order, padded with the last one.
    own = weights > 0
    count = own.sum(axis=1)
    order = np.argsort(~own, axis=1, kind="stable")
    width = max(int(count.max()), 1)
    own_jumps = jumps[order[:, :width]]
    column = np.arange(width)
    own_jumps = np.where(column[None, :] < count[:, None], own_jumps, own_jumps[np.arange(pairs), np.maximum(count - 1, 0)][:, None])
    # The search's elements: jump k at 2k, the midpoint of jumps k and k + 1 at 2k + 1.
    length = 2 * width - 1
    points = np.empty((pairs, length))
    points[:, 0::2] = own_jumps
    points[:, 1::2] = (own_jumps[:, :-1] + own_jumps[:, 1:]) / 2
    value, merged = _standardised(points, grid, later, earlier, n_x, n_y)
    done &= ~merged
    last = 2 * (count - 1)
    low = _roots(own_jumps, value, last, _Z)
    high = _roots(own_jumps, value, last, -_Z)
    return estimate, low, high, done


def _weighted_medians(jumps: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """``shift._weighted_median`` of each row of weights on the same sorted ``jumps``."""
    cumulative = np.cumsum(weights, axis=1)
    total = cumulative[:, -1].astype(np.int64)
    lower = (cumulative > ((total - 1) // 2)[:, None]).argmax(axis=1)
    upper = (cumulative > (total // 2)[:, None]).argmax(axis=1)
    low, high = jumps[lower], jumps[upper]
    return np.where(total % 2 == 1, low, (low + high) / 2)


def _standardised(
    points: np.ndarray, grid: np.ndarray, x_counts: np.ndarray, y_counts: np.ndarray, n_x: np.ndarray, n_y: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """``shift._standardised_many`` at every point of every pair (pairs × points), and pairs where shifted values merge."""
    shifted = np.round(grid[None, None, :] - points[:, :, None], _DECIMALS)  # pairs × points × grid (x − d)
    y_below = np.concatenate([np.zeros((len(points), 1), dtype=np.int64), np.cumsum(y_counts, axis=1)], axis=1)
    left = np.searchsorted(grid, shifted, side="left")
    right = np.searchsorted(grid, shifted, side="right")
    rows = np.arange(len(points))[:, None, None]
    below = y_below[rows, left]
    equal = y_below[rows, right] - below
    xc = x_counts[:, None, :].astype(float)
    w = np.sum(xc * (below + equal / 2), axis=2)
    dz = w - (n_x * n_y / 2)[:, None]
    yc = y_counts.astype(float)
    matched = equal > 0
    joined = xc + np.where(matched, equal, 0)
    tie = (yc**3 - yc).sum(axis=1)[:, None] + np.sum(np.where(matched, joined**3 - joined - (equal**3 - equal), xc**3 - xc), axis=2)
    # Two values that round together after the shift (never for values apart by more than float noise):
    # left to .shift, which merges their tie groups. Checked over the whole grid, so perhaps too often; never too seldom.
    merged = (shifted[:, :, 1:] == shifted[:, :, :-1]).any(axis=(1, 2))
    total = (n_x + n_y).astype(float)[:, None]
    nxy = (n_x * n_y).astype(float)[:, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        sigma = np.sqrt(np.maximum(0.0, nxy / 12 * ((total + 1) - tie / (total * (total - 1)))))
        out = (dz - np.copysign(0.5, dz) * (dz != 0)) / sigma
    return np.where(sigma == 0, np.nan, out), merged


def _roots(jumps: np.ndarray, value: np.ndarray, last: np.ndarray, zq: float) -> np.ndarray:
    """``root(zq)`` of :func:`~.shift.hodges_lehmann_independent` for every pair: the bisection of ``shift._crossing`` in step."""
    pairs = np.arange(len(jumps))
    f_lower = value[:, 0] - zq
    f_upper = value[pairs, last] - zq
    low = np.zeros(len(jumps), dtype=np.int64)
    high = last.copy()
    while True:
        active = high - low > 1
        if not active.any():
            break
        middle = (low + high) // 2
        positive = value[pairs, middle] - zq > 0
        low = np.where(active & positive, middle, low)
        high = np.where(active & ~positive, middle, high)
    root = jumps[pairs, np.maximum(high, 0) // 2]
    mumin, mumax = jumps[:, 0], jumps[pairs, last // 2]
    root = np.where(f_upper >= 0, mumax, root)
    root = np.where(f_lower <= 0, mumin, root)
    return np.where(np.isnan(f_lower) | np.isnan(f_upper), np.nan, root)


def _shifts(
    grid: np.ndarray, counts: np.ndarray, earlier: np.ndarray, later: np.ndarray, items: np.ndarray, wanted: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Hodges–Lehmann estimate, low, high of the wanted pairs of cells (rows of ``counts`` on ``grid``), item by item.

    ``items`` groups the pairs (one question or index: few values); the last
    array is True where the pair was done here (else :mod:`.shift` decides).
    """
    estimate, low, high = (np.full(len(earlier), np.nan) for _ in range(3))
    done = np.zeros(len(earlier), dtype=bool)
    rounded, table = _rounded_counts(grid, counts)
    batches: dict[tuple[int, ...], list[np.ndarray]] = {}  # questions on the same scale share one grid: one batch
    for item in np.unique(items[wanted]):
        chosen = np.flatnonzero(wanted & (items == item))
        columns = np.flatnonzero((table[earlier[chosen]] + table[later[chosen]]).any(axis=0))
        if columns.size <= _MAX_GRID:
            batches.setdefault(tuple(columns.tolist()), []).append(chosen)
    for key, parts in batches.items():
        chosen, columns = np.concatenate(parts), np.array(key, dtype=np.int64)
        e, lo, hi, ok = _hl_batch(rounded[columns], table[later[chosen]][:, columns], table[earlier[chosen]][:, columns])
        estimate[chosen], low[chosen], high[chosen], done[chosen] = e, lo, hi, ok
    return estimate, low, high, done


_MAX_GRID = 120  # distinct values of one question or index beyond which .shift works pair by pair
