"""The rows of :func:`~.changes.wave_changes` for every pair of waves at once, with numpy.

:func:`~.changes.wave_changes` compares, for each question or index and
group, pairs of waves and all waves together. Doing that one cell at a time
costs a few milliseconds of Python per comparison (linking people through a
dictionary of codes, then a dozen small numpy and scipy calls), which with
30 organisations and 48 questions and indices is thousands of comparisons.
This module does the same work for all of them together:

- **Linking** (:func:`_link_all`): every cell's linking codes (``kod``,
  :mod:`.cells`) become integers in the sorted order of the codes, once. Per
  question or index and wave, each code's position in the ``Alla`` cell and
  in its group's cell is written into an array indexed by the code, so the
  people linked between waves are a comparison of two such arrays, in the
  order of their codes as :func:`~.cells._linked` gives them.
- **Partly linked waves** (:func:`_partial_batch`): the partially
  overlapping t and z tests of :mod:`.overlap` need each cell's size, mean,
  variance and positives and the linked pairs' correlation; these are sums
  per cell and per pair (``np.bincount``) and the tests are the same
  formulas in the same order on arrays, with the scipy special functions
  behind ``stats.t`` and ``stats.norm``.

Comparisons that rarely occur in a large survey, or that need an exact test,
go through the per-comparison functions of :mod:`.changes` with the linked
positions found here, so every number is the one those functions give. Where
numpy's own ``std`` of a constant non-integer sample might not be exactly 0
(an index score repeated), the comparison also takes that path.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special

from slutrapport.analysis.cells import _Cell
from slutrapport.analysis.intervals import newcombe_difference
from slutrapport.analysis.stattests import _Result

__all__: list[str] = []  # helpers of the analysis folder only

_R_FROM_T = "r_t"
_SHARE_DIFFERENCE = "andelsskillnad"
_Z975 = float(special.ndtri(0.975))  # stats.norm.ppf(0.975)


def _key_codes(cells: list[_Cell]) -> list[np.ndarray]:
    """Each cell's linking codes as integers ranked like the codes themselves (``sorted``); -1 where unlinkable."""
    if not cells:
        return []
    keys = np.concatenate([cell.keys for cell in cells])
    codes, _ = pd.factorize(keys, sort=True, use_na_sentinel=True)
    return np.split(codes.astype(np.int64, copy=False), np.cumsum([len(cell) for cell in cells])[:-1])


def _link_all(
    triples: list[tuple[str, str, str]], wave_cells: list[dict[str, _Cell]], comparisons: list[tuple[str, ...]], all_group: str
) -> dict[tuple[int, tuple[str, ...]], list[np.ndarray]] | None:
    """Linked positions for every triple and every tuple of waves in ``comparisons`` where each wave has a cell.

    None when the cells do not have the shape this relies on (a code twice in
    a cell, or in two groups' cells of one wave); the caller then links one
    comparison at a time.
    """
    order = [(t, wave) for t, cells in enumerate(wave_cells) for wave in cells]
    codes = dict(zip(order, _key_codes([wave_cells[t][wave] for t, wave in order]), strict=True))
    size = 1 + max((int(c.max()) for c in codes.values() if c.size), default=-1)
    by_item: dict[tuple[str, str], list[int]] = {}
    for t, (niva, item, _) in enumerate(triples):
        by_item.setdefault((niva, item), []).append(t)
    out: dict[tuple[int, tuple[str, ...]], list[np.ndarray]] = {}
    for members in by_item.values():
        layers = [[t for t in members if triples[t][2] == all_group], [t for t in members if triples[t][2] != all_group]]
        for layer in layers:
            if layer and not _link_layer(layer, wave_cells, codes, size, comparisons, out):
                return None
    return out


def _link_layer(
    layer: list[int],
    wave_cells: list[dict[str, _Cell]],
    codes: dict[tuple[int, str], np.ndarray],
    size: int,
    comparisons: list[tuple[str, ...]],
    out: dict[tuple[int, tuple[str, ...]], list[np.ndarray]],
) -> bool:
    """Link the triples of one layer (cells whose people do not overlap within a wave); False if they do."""
    waves = sorted({wave for t in layer for wave in wave_cells[t]})
    owner: dict[str, np.ndarray] = {}
    position: dict[str, np.ndarray] = {}
    for wave in waves:
        own = np.full(size, -1, dtype=np.int64)
        pos = np.full(size, -1, dtype=np.int64)
        placed = 0
        for local, t in enumerate(layer):
            if wave not in wave_cells[t]:
                continue
            cell_codes = codes[(t, wave)]
            keyed = cell_codes >= 0
            where = cell_codes[keyed]
            own[where] = local
            pos[where] = np.flatnonzero(keyed)
            placed += int(keyed.sum())
        if int((own >= 0).sum()) != placed:  # a code twice in a cell or in two cells of the layer
            return False
        owner[wave], position[wave] = own, pos
    for comparison in comparisons:
        if not all(wave in owner for wave in comparison):
            continue
        first = owner[comparison[0]]
        same = first >= 0
        for wave in comparison[1:]:
            same &= owner[wave] == first
        people = np.flatnonzero(same)  # ascending codes = sorted codes
        who = first[people]
        sort = np.argsort(who, kind="stable")
        people, who = people[sort], who[sort]
        bounds = np.searchsorted(who, np.arange(len(layer) + 1))
        for local, t in enumerate(layer):
            if all(wave in wave_cells[t] for wave in comparison):
                chosen = people[bounds[local] : bounds[local + 1]]
                out[(t, comparison)] = [position[wave][chosen] for wave in comparison]
    return True


# --- partly linked waves: the tests of .overlap on arrays ---------------------------------------


@dataclass
class _Sample:
    """Per comparison: the sizes, sums and spread that the partially overlapping tests need."""

    n1: np.ndarray
    n2: np.ndarray
    n12: np.ndarray
    mean1: np.ndarray
    mean2: np.ndarray
    var1: np.ndarray
    var2: np.ndarray
    k1: np.ndarray
    k2: np.ndarray
    r_values: np.ndarray
    r_positive: np.ndarray
    numpy_only: np.ndarray  # True where numpy's own std might not be exactly 0 for a constant sample


def _segment_ids(sizes: np.ndarray) -> np.ndarray:
    return np.repeat(np.arange(sizes.size), sizes)


def _means_and_variances(values: np.ndarray, ids: np.ndarray, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean and variance (ddof=1) of each segment; NaN variance below two values."""
    count = sizes.astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.bincount(ids, weights=values, minlength=sizes.size) / count
        squares = np.bincount(ids, weights=(values - mean[ids]) ** 2, minlength=sizes.size)
        var = np.where(sizes >= 2, squares / (count - 1), np.nan)
    return mean, var


def _correlation(x: np.ndarray, y: np.ndarray, ids: np.ndarray, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``overlap._pair_correlation`` per segment (0 when a side is constant), and where it needs numpy's own std."""
    count = sizes.astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        mx = np.bincount(ids, weights=x, minlength=sizes.size) / count
        my = np.bincount(ids, weights=y, minlength=sizes.size) / count
        dx, dy = x - mx[ids], y - my[ids]
        fact = count - 1
        cxx = np.bincount(ids, weights=dx * dx, minlength=sizes.size) / fact
        cyy = np.bincount(ids, weights=dy * dy, minlength=sizes.size) / fact
        cxy = np.bincount(ids, weights=dx * dy, minlength=sizes.size) / fact
        r = np.clip(cxy / np.sqrt(cxx) / np.sqrt(cyy), -1.0, 1.0)  # np.corrcoef's order of operations
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    filled = sizes > 0
    constant = np.zeros(sizes.size, dtype=bool)
    fraction = np.zeros(sizes.size, dtype=bool)
    for side in (x, y):
        low = np.minimum.reduceat(side, starts[filled]) if filled.any() else np.empty(0)
        high = np.maximum.reduceat(side, starts[filled]) if filled.any() else np.empty(0)
        flat = np.zeros(sizes.size, dtype=bool)
        flat[filled] = low == high
        constant |= flat
        fraction |= np.bincount(ids, weights=side != np.floor(side), minlength=sizes.size) > 0
    r = np.where((sizes < 2) | constant, 0.0, r)
    return r, constant & fraction


def _sample(first: list[_Cell], second: list[_Cell], index1: list[np.ndarray], index2: list[np.ndarray]) -> _Sample:
    n1 = np.array([len(c) for c in first], dtype=np.int64)
    n2 = np.array([len(c) for c in second], dtype=np.int64)
    n12 = np.array([len(i) for i in index1], dtype=np.int64)
    values1 = np.concatenate([c.values for c in first])
    values2 = np.concatenate([c.values for c in second])
    positive1 = np.concatenate([c.positive for c in first])
    positive2 = np.concatenate([c.positive for c in second])
    mean1, var1 = _means_and_variances(values1, _segment_ids(n1), n1)
    mean2, var2 = _means_and_variances(values2, _segment_ids(n2), n2)
    k1 = np.bincount(_segment_ids(n1), weights=positive1, minlength=n1.size)
    k2 = np.bincount(_segment_ids(n2), weights=positive2, minlength=n2.size)
    offset1 = np.concatenate([[0], np.cumsum(n1)[:-1]])
    offset2 = np.concatenate([[0], np.cumsum(n2)[:-1]])
    pair_ids = _segment_ids(n12)
    at1 = np.concatenate(index1) + offset1[pair_ids] if len(index1) else np.empty(0, dtype=np.int64)
    at2 = np.concatenate(index2) + offset2[pair_ids] if len(index2) else np.empty(0, dtype=np.int64)
    r_values, fragile = _correlation(values1[at1], values2[at2], pair_ids, n12)
    r_positive, _ = _correlation(positive1[at1].astype(float), positive2[at2].astype(float), pair_ids, n12)
    return _Sample(n1, n2, n12, mean1, mean2, var1, var2, k1, k2, r_values, r_positive, fragile)


def _t_sf(x: np.ndarray, df: np.ndarray) -> np.ndarray:
    """``stats.t.sf(x, df)``: NaN where df is not positive."""
    with np.errstate(invalid="ignore"):
        return np.where(df > 0, special.stdtr(np.where(df > 0, df, 1.0), -x), np.nan)


def _t_ppf(q: float, df: np.ndarray) -> np.ndarray:
    """``stats.t.ppf(q, df)`` for 0 < q < 1: NaN where df is not positive."""
    with np.errstate(invalid="ignore"):
        return np.where(df > 0, special.stdtrit(np.where(df > 0, df, 1.0), q), np.nan)


def _partover_t_batch(s: _Sample) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``overlap._partover_t`` for every comparison: statistic, p, effect, estimate, low, high."""
    n1, n2, n12 = s.n1.astype(float), s.n2.astype(float), s.n12.astype(float)
    var1, var2 = s.var1, s.var2
    with np.errstate(divide="ignore", invalid="ignore"):
        estimate = s.mean2 - s.mean1
        variance = var1 / n1 + var2 / n2 - 2 * s.r_values * n12 * np.sqrt(var1 * var2) / (n1 * n2)
        welch_denominator = (var1 / n1) ** 2 / (n1 - 1) + (var2 / n2) ** 2 / (n2 - 1)
        computed = (s.n12 >= 2) & (s.n1 >= 2) & (s.n2 >= 2) & (variance > 0) & (welch_denominator != 0)
        se = np.sqrt(np.where(computed, variance, 1.0))
        statistic = estimate / se
        welch = (var1 / n1 + var2 / n2) ** 2 / welch_denominator
        unpaired = (n1 - n12) + (n2 - n12)
        df = (n12 - 1) + (welch - n12 + 1) / (unpaired + 2 * n12) * unpaired
        df = np.where(computed, df, 1.0)
        p = 2 * _t_sf(np.abs(statistic), df)
        half = _t_ppf(0.975, df) * se
        effect = statistic / np.sqrt(statistic**2 + df)
    nan = np.full(n1.shape, np.nan)
    estimate = np.where((s.n12 >= 2) & (s.n1 >= 2) & (s.n2 >= 2), estimate, np.nan)
    return (
        np.where(computed, statistic, nan),
        np.where(computed, p, nan),
        np.where(computed, effect, nan),
        estimate,
        np.where(computed, estimate - half, nan),
        np.where(computed, estimate + half, nan),
    )


def _partover_z_batch(s: _Sample) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``overlap._partover_z`` for every comparison: statistic, p, effect, estimate, low, high."""
    u, v, n12 = s.n1.astype(float), s.n2.astype(float), s.n12.astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        estimate = s.k2 / v - s.k1 / u
        pooled = (s.k1 + s.k2) / (u + v)
        w = pooled * (1 - pooled)
        variance = w / u + w / v - 2 * s.r_positive * w * n12 / (u * v)
        defined = (s.n12 >= 2) & (s.n1 > 0) & (s.n2 > 0)
        computed = defined & (variance > 0)
        se = np.sqrt(np.where(computed, variance, 1.0))
        statistic = estimate / se
        p = 2 * special.ndtr(-np.abs(statistic))
        half = _Z975 * se
    nan = np.full(u.shape, np.nan)
    estimate = np.where(defined, estimate, nan)
    return (
        np.where(computed, statistic, nan),
        np.where(computed, p, nan),
        estimate,
        estimate,
        np.where(computed, estimate - half, nan),
        np.where(computed, estimate + half, nan),
    )


_Rows = tuple[dict, list[_Result], dict]


def _partial_batch(
    first: list[_Cell], second: list[_Cell], index1: list[np.ndarray], index2: list[np.ndarray], one_by_one: Callable[[int], _Rows]
) -> list[_Rows]:
    """``changes._partial_rows`` for every partly linked comparison; ``one_by_one(j)`` where numpy's std decides."""
    if not first:
        return []
    s = _sample(first, second, index1, index2)
    t_stat, t_p, t_effect, _, t_low, t_high = _partover_t_batch(s)
    z_stat, z_p, z_effect, z_estimate, z_low, z_high = _partover_z_batch(s)
    rows: list[_Rows] = []
    for j in range(len(first)):
        if s.numpy_only[j]:
            rows.append(one_by_one(j))
            continue
        low, high = float(z_low[j]), float(z_high[j])
        if math.isnan(low):
            _, low, high = newcombe_difference(int(s.k1[j]), int(s.n1[j]), int(s.k2[j]), int(s.n2[j]))
        common = {
            "parad": False,
            "n_fran": int(s.n1[j]),
            "n_till": int(s.n2[j]),
            "n_par": int(s.n12[j]),
            "diff_medel": float(s.mean2[j] - s.mean1[j]),
            "diff_andel_positiva": float(z_estimate[j]),
            "ci_lag": low,
            "ci_hog": high,
            "diff_medel_lag": float(t_low[j]),
            "diff_medel_hog": float(t_high[j]),
        }
        results = [
            _Result("partover_t", float(t_stat[j]), float(t_p[j]), float(t_effect[j]), _R_FROM_T),
            _Result("partover_z", float(z_stat[j]), float(z_p[j]), float(z_effect[j]), _SHARE_DIFFERENCE),
        ]
        rows.append((common, results, {}))
    return rows
