"""The rows of :func:`~.changes.wave_changes` for every pair of waves at once, with numpy.

:func:`~.changes.wave_changes` compares, for each question or index and
group, pairs of waves and all waves together. Doing that one cell at a time
costs a few milliseconds of Python per comparison (linking people through a
dictionary of codes, then a dozen small numpy and scipy calls), which with
30 organisations and 48 questions and indices is thousands of comparisons.
This module does the same work for all of them together:

- **Linking** (:func:`_link_all`): every cell's linking codes (``kod``,
  :mod:`.cells`) are integers in the sorted order of the codes. Per
  question or index and wave, each code's position in the ``Alla`` cell and
  in its group's cell is written into an array indexed by the code, so the
  people linked between waves are a comparison of two such arrays, in the
  order of their codes as :func:`~.cells._linked` gives them.
- **Partly linked waves** (:func:`_partial_batch`): the partially
  overlapping t and z tests of :mod:`.overlap` need each cell's size, mean,
  variance and positives and the linked pairs' correlation; these are sums
  per cell and per pair (``np.bincount``) and the tests are the same
  formulas on arrays, with the scipy special functions behind ``stats.t``
  and ``stats.norm``.
- **Independent waves** (:func:`_independent_batch`): Mann–Whitney from one
  count table of every cell (:func:`~.counts._mann_whitney_counts`), the
  2×2 chi-square, Welch's interval from the cells' sums and the
  Hodges–Lehmann shift of :mod:`.change_shift`. The tests across all waves
  are in :mod:`.change_omnibus`, the paired waves (every answer linked) in
  :mod:`.change_paired`.

Rank statistics, counts and tie terms are whole or half numbers and come out
exactly as before; means, variances and correlations are sums taken in
another order than numpy's, equal to about 1e-15. Comparisons that need an
exact rank test (small samples without ties) and values the tables
cannot hold (NaN) go through the one-at-a-time functions of :mod:`.changes`
with the linked positions found here, so those numbers are the ones the
functions give. Where numpy's own
``std`` of a constant non-integer sample might not be exactly 0 (an index
score repeated), the comparison also takes that path.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pandas as pd
from scipy import special

from slutrapport.analysis.cells import _Cell
from slutrapport.analysis.change_shift import _shifts
from slutrapport.analysis.counts import _fisher_exact_many, _mann_whitney_counts
from slutrapport.analysis.intervals import newcombe_difference
from slutrapport.analysis.stattests import _EXACT_LIMIT, _EXPECTED_MINIMUM, _RANK_BISERIAL, _finite, _Result

__all__: list[str] = []  # helpers of the analysis folder only

_R_FROM_T = "r_t"
_SHARE_DIFFERENCE = "andelsskillnad"
_Z975 = float(special.ndtri(0.975))  # stats.norm.ppf(0.975)


def _link_all(
    triples: list[tuple[str, str, str]], wave_cells: list[dict[str, _Cell]], comparisons: list[tuple[str, ...]], all_group: str
) -> dict[tuple[int, tuple[str, ...]], list[np.ndarray]] | None:
    """Linked positions for every triple and every tuple of waves in ``comparisons`` where each wave has a cell.

    None when the cells do not have the shape this relies on (a code twice in
    a cell, or in two groups' cells of one wave); the caller then links one
    comparison at a time.
    """
    order = [(t, wave) for t, cells in enumerate(wave_cells) for wave in cells]
    codes = {(t, wave): wave_cells[t][wave].link for t, wave in order}  # numbered in the sorted order of the codes
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
        present = [(local, codes[(t, wave)]) for local, t in enumerate(layer) if wave in wave_cells[t]]
        sizes = np.array([c.size for _, c in present], dtype=np.int64)
        joined = np.concatenate([c for _, c in present])
        local = np.repeat(np.array([i for i, _ in present], dtype=np.int64), sizes)
        within = np.arange(joined.size) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        keyed = joined >= 0
        own = np.full(size, -1, dtype=np.int64)
        pos = np.full(size, -1, dtype=np.int32 if joined.size < 2**31 else np.int64)  # positions within a cell
        own[joined[keyed]] = local[keyed]
        pos[joined[keyed]] = within[keyed]
        if int((own >= 0).sum()) != int(keyed.sum()):  # a code twice in a cell or in two cells of the layer
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
        who = first[people].astype(np.int16 if len(layer) < 2**15 else np.int64)
        sort = np.argsort(who, kind="stable")
        people, who = people[sort], who[sort]
        bounds = np.searchsorted(who, np.arange(len(layer) + 1)).tolist()
        found = [position[wave][people] for wave in comparison]  # sliced per triple below (views)
        for local, t in enumerate(layer):
            if all(wave in wave_cells[t] for wave in comparison):
                out[(t, comparison)] = [f[bounds[local] : bounds[local + 1]] for f in found]
    return True


# --- partly linked waves: the tests of .overlap on arrays ---------------------------------------


class _Registry:
    """Every cell compared, each once: sizes, values and positives end to end, and per-cell sums."""

    def __init__(self, cells: list[_Cell]) -> None:
        self.index: dict[int, int] = {}
        self.cells: list[_Cell] = []
        for cell in cells:
            if id(cell) not in self.index:
                self.index[id(cell)] = len(self.cells)
                self.cells.append(cell)
        self.sizes = np.array([len(c) for c in self.cells], dtype=np.int64)
        self.offsets = np.concatenate([[0], np.cumsum(self.sizes)[:-1]]).astype(np.int64)
        self.values = np.concatenate([c.values for c in self.cells]) if self.cells else np.empty(0)
        self.positive = np.concatenate([c.positive for c in self.cells]) if self.cells else np.empty(0, dtype=bool)
        self.mean, self.var, self.k = np.empty(self.sizes.size), np.empty(self.sizes.size), np.empty(self.sizes.size)
        for part, span, ids in self._parts():  # each cell's sums alone, in its order: the same numbers as all at once
            self.mean[part], self.var[part] = _means_and_variances(self.values[span], ids, self.sizes[part])
            self.k[part] = np.bincount(ids, weights=self.positive[span], minlength=part.stop - part.start)
        self._counts: tuple[np.ndarray, np.ndarray] | None = None
        self.grid = np.empty(0)  # the sorted values of the count table's columns

    def ids(self, cells: list[_Cell]) -> np.ndarray:
        return np.array([self.index[id(c)] for c in cells], dtype=np.int64)

    def _parts(self) -> list[tuple[slice, slice, np.ndarray]]:
        """Consecutive cells with at most :data:`_CHUNK` values together: (cells, their values, each value's cell within)."""
        parts = []
        for part in _chunks(self.sizes.tolist()):
            sizes = self.sizes[part]
            start = int(self.offsets[part.start]) if part.stop > part.start else 0
            span = slice(start, start + int(sizes.sum()))
            parts.append((part, span, _segment_ids(sizes).astype(np.int32 if sizes.size < 2**31 else np.int64)))
        return parts

    def counts(self) -> tuple[np.ndarray, np.ndarray] | None:
        """Cells × distinct values (sorted) counts and which cells hold a NaN; None when the table would be too large."""
        if self._counts is None:
            parts = self._parts()
            found = pd.unique(np.concatenate([pd.unique(self.values[span] + 0.0) for _, span, _ in parts]))  # -0.0 as 0.0
            grid = np.sort(np.asarray(found[~np.isnan(found)], dtype=float))  # the distinct values other than NaN, sorted
            width = max(grid.size, 1)
            if self.sizes.size * width > _MAX_TABLE:
                return None
            table = np.zeros((self.sizes.size, width), dtype=np.int64)
            nan_cells = np.zeros(self.sizes.size, dtype=bool)
            for part, span, ids in parts:  # whole counts: the same in any order
                codes, uniques = pd.factorize(self.values[span] + 0.0)  # NaN: -1
                missing = codes < 0
                keep = ~missing
                cells = part.stop - part.start
                nan_cells[part] = np.bincount(ids[missing], minlength=cells) > 0
                column = np.searchsorted(grid, np.asarray(uniques, dtype=float))[codes[keep]]  # each value's place in the sorted grid
                table[part] = np.bincount(ids[keep].astype(np.int64) * width + column, minlength=cells * width).reshape(cells, width)
            self._counts = (table, nan_cells)
            self.grid = grid
        return self._counts


_MAX_TABLE = 20_000_000  # cells × distinct values in one count table


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


def _correlation(x: np.ndarray, y: np.ndarray, ids: np.ndarray, sizes: np.ndarray, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``overlap._pair_correlation`` per segment (0 when a side is constant), and where it needs numpy's own std.

    A side is constant when its smallest and largest values are equal;
    numpy's ``std`` of such a side is exactly 0 when the value is a whole
    number (the sum and the mean are exact), otherwise the segment is marked
    (``fragile``) for the one-at-a-time path.
    """
    count = sizes.astype(float)
    sums = [np.bincount(ids, weights=w, minlength=sizes.size) for w in (x, y, x * x, y * y, x * y)]
    constant = np.zeros(sizes.size, dtype=bool)
    fragile = np.zeros(sizes.size, dtype=bool)
    filled = np.flatnonzero(sizes > 0)
    for side in (x, y):
        if filled.size:
            flat = np.minimum.reduceat(side, starts[filled]) == np.maximum.reduceat(side, starts[filled])
            first = side[starts[filled]]
            constant[filled] |= flat
            fragile[filled] |= flat & (first != np.floor(first))
    return _r_from_sums(count, *sums, constant), fragile


def _r_from_sums(n: np.ndarray, sx, sy, sxx, syy, sxy, constant: np.ndarray) -> np.ndarray:
    """Pearson r from the sums of each segment, clipped like ``np.corrcoef``; 0 below two pairs or with a constant side."""
    with np.errstate(divide="ignore", invalid="ignore"):
        fact = n - 1
        cxx = (sxx - sx * sx / n) / fact
        cyy = (syy - sy * sy / n) / fact
        cxy = (sxy - sx * sy / n) / fact
        r = np.clip(cxy / np.sqrt(cxx) / np.sqrt(cyy), -1.0, 1.0)
    return np.where((n < 2) | constant, 0.0, r)


def _share_correlation(x: np.ndarray, y: np.ndarray, ids: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """:func:`_correlation` of 0/1 pairs from one count of the four kinds of pair per segment."""
    joint = np.bincount(ids * 4 + x.astype(np.int64) * 2 + y, minlength=sizes.size * 4).reshape(sizes.size, 4).astype(float)
    sx, sy, sxy = joint[:, 2] + joint[:, 3], joint[:, 1] + joint[:, 3], joint[:, 3]
    count = sizes.astype(float)
    constant = (sx == 0) | (sx == count) | (sy == 0) | (sy == count)
    return _r_from_sums(count, sx, sy, sx, sy, sxy, constant)


def _t_sf(x: np.ndarray, df: np.ndarray) -> np.ndarray:
    """``stats.t.sf(x, df)``: NaN where df is not positive."""
    with np.errstate(invalid="ignore"):
        return np.where(df > 0, special.stdtr(np.where(df > 0, df, 1.0), -x), np.nan)


def _t_ppf(q: float, df: np.ndarray) -> np.ndarray:
    """``stats.t.ppf(q, df)`` for 0 < q < 1: NaN where df is not positive."""
    with np.errstate(invalid="ignore"):
        return np.where(df > 0, special.stdtrit(np.where(df > 0, df, 1.0), q), np.nan)


_Rows = tuple[dict, list[_Result], dict]


_CHUNK = 1_000_000  # linked pairs gathered at once (memory of a very large survey)


def _chunks(sizes: list[int], limit: int | None = None) -> list[slice]:
    """Consecutive comparisons with at most ``limit`` (:data:`_CHUNK`) linked pairs together (at least one each)."""
    parts, start, total, limit = [], 0, 0, _CHUNK if limit is None else limit
    for j, size in enumerate(sizes):
        if total and total + size > limit:
            parts.append(slice(start, j))
            start, total = j, 0
        total += size
    parts.append(slice(start, len(sizes)))
    return parts


def _shifted(func: Callable[[int], object], part: slice) -> Callable[[int], object]:
    """``func`` of the comparisons' numbers before they were cut into ``part``."""
    return lambda j: func(part.start + j)


def _linked_sample(reg: _Registry, c1: np.ndarray, c2: np.ndarray, index1: list[np.ndarray], index2: list[np.ndarray]) -> tuple:
    """The linked pairs of every comparison end to end: values, positives, segment ids, sizes, starts."""
    n12 = np.array([len(i) for i in index1], dtype=np.int64)
    ids = _segment_ids(n12)
    empty = np.empty(0, dtype=np.int64)
    at1 = (np.concatenate(index1) + reg.offsets[c1][ids]) if len(index1) else empty
    at2 = (np.concatenate(index2) + reg.offsets[c2][ids]) if len(index2) else empty
    starts = np.concatenate([[0], np.cumsum(n12)[:-1]]).astype(np.int64)
    return at1, at2, ids, n12, starts


def _partial_batch(
    reg: _Registry, c1: np.ndarray, c2: np.ndarray, index1: list[np.ndarray], index2: list[np.ndarray], one_by_one: Callable[[int], _Rows]
) -> list[_Rows]:
    """``changes._partial_rows`` for every partly linked comparison (cells ``c1``, ``c2`` of the registry).

    ``one_by_one(j)`` gives comparison ``j``'s rows where numpy's std decides.
    """
    if not len(c1):
        return []
    parts = _chunks([len(i) for i in index1])
    if len(parts) > 1:  # a very large survey: a few million linked pairs at a time
        return [row for part in parts for row in _partial_batch(reg, c1[part], c2[part], index1[part], index2[part], _shifted(one_by_one, part))]
    at1, at2, ids, n12, starts = _linked_sample(reg, c1, c2, index1, index2)
    r_values, fragile = _correlation(reg.values[at1], reg.values[at2], ids, n12, starts)
    r_positive = _share_correlation(reg.positive[at1], reg.positive[at2], ids, n12)
    n1, n2 = reg.sizes[c1], reg.sizes[c2]
    mean1, mean2, var1, var2, k1, k2 = reg.mean[c1], reg.mean[c2], reg.var[c1], reg.var[c2], reg.k[c1], reg.k[c2]
    t_stat, t_p, t_effect, t_low, t_high = _partover_t_batch(n1, n2, n12, mean1, mean2, var1, var2, r_values)
    z_stat, z_p, z_estimate, z_low, z_high = _partover_z_batch(n1, n2, n12, k1, k2, r_positive)
    rows: list[_Rows] = []
    for j in range(len(c1)):
        if fragile[j]:
            rows.append(one_by_one(j))
            continue
        low, high = float(z_low[j]), float(z_high[j])
        if math.isnan(low):
            _, low, high = newcombe_difference(int(k1[j]), int(n1[j]), int(k2[j]), int(n2[j]))
        common = {
            "parad": False,
            "n_fran": int(n1[j]),
            "n_till": int(n2[j]),
            "n_par": int(n12[j]),
            "diff_medel": float(mean2[j] - mean1[j]),
            "diff_andel_positiva": float(z_estimate[j]),
            "ci_lag": low,
            "ci_hog": high,
            "diff_medel_lag": float(t_low[j]),
            "diff_medel_hog": float(t_high[j]),
        }
        results = [
            _Result("partover_t", float(t_stat[j]), float(t_p[j]), float(t_effect[j]), _R_FROM_T),
            _Result("partover_z", float(z_stat[j]), float(z_p[j]), float(z_estimate[j]), _SHARE_DIFFERENCE),
        ]
        rows.append((common, results, {}))
    return rows


def _partover_t_batch(n1: np.ndarray, n2: np.ndarray, n12: np.ndarray, mean1, mean2, var1, var2, r) -> tuple[np.ndarray, ...]:
    """``overlap._partover_t`` for every comparison: statistic, p, effect, low, high."""
    size1, size2, linked = n1.astype(float), n2.astype(float), n12.astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        estimate = mean2 - mean1
        variance = var1 / size1 + var2 / size2 - 2 * r * linked * np.sqrt(var1 * var2) / (size1 * size2)
        welch_denominator = (var1 / size1) ** 2 / (size1 - 1) + (var2 / size2) ** 2 / (size2 - 1)
        computed = (n12 >= 2) & (n1 >= 2) & (n2 >= 2) & (variance > 0) & (welch_denominator != 0)
        se = np.sqrt(np.where(computed, variance, 1.0))
        statistic = estimate / se
        welch = (var1 / size1 + var2 / size2) ** 2 / welch_denominator
        unpaired = (size1 - linked) + (size2 - linked)
        df = np.where(computed, (linked - 1) + (welch - linked + 1) / (unpaired + 2 * linked) * unpaired, 1.0)
        p = 2 * _t_sf(np.abs(statistic), df)
        half = _t_ppf(0.975, df) * se
        effect = statistic / np.sqrt(statistic**2 + df)
    nan = np.full(size1.shape, np.nan)
    return (
        np.where(computed, statistic, nan),
        np.where(computed, p, nan),
        np.where(computed, effect, nan),
        np.where(computed, estimate - half, nan),
        np.where(computed, estimate + half, nan),
    )


def _partover_z_batch(n1: np.ndarray, n2: np.ndarray, n12: np.ndarray, k1, k2, r) -> tuple[np.ndarray, ...]:
    """``overlap._partover_z`` for every comparison: statistic, p, estimate (also the effect), low, high."""
    u, v, linked = n1.astype(float), n2.astype(float), n12.astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        estimate = k2 / v - k1 / u
        pooled = (k1 + k2) / (u + v)
        w = pooled * (1 - pooled)
        variance = w / u + w / v - 2 * r * w * linked / (u * v)
        defined = (n12 >= 2) & (n1 > 0) & (n2 > 0)
        computed = defined & (variance > 0)
        se = np.sqrt(np.where(computed, variance, 1.0))
        statistic = estimate / se
        p = 2 * special.ndtr(-np.abs(statistic))
        half = _Z975 * se
    nan = np.full(u.shape, np.nan)
    return (
        np.where(computed, statistic, nan),
        np.where(computed, p, nan),
        np.where(defined, estimate, nan),
        np.where(computed, estimate - half, nan),
        np.where(computed, estimate + half, nan),
    )


# --- independent waves: the rank test, the 2×2 chi-square and Welch's interval from counts -----


def _independent_batch(
    reg: _Registry,
    c1: np.ndarray,
    c2: np.ndarray,
    n_par: list[int],
    items: np.ndarray,
    one_by_one: Callable[[int], _Rows],
    shift: Callable[[int], dict],
) -> list[_Rows]:
    """``changes._pair_rows`` for every comparison of independent waves; ``shift(j)`` the Hodges–Lehmann columns one at a time.

    Mann–Whitney from the count tables (:func:`~.counts._mann_whitney_counts`,
    exact tests by scipy one at a time as before), the share by chi-square
    (Fisher's exact test where an expected count is small, all at once:
    :func:`~.counts._fisher_exact_many`), Welch's interval from the cells' sums
    and the Hodges–Lehmann shift of the pairs of one question or index
    (``items``) together (:mod:`.change_shift`).
    """
    table = reg.counts()
    if not len(c1):
        return []
    if table is None:
        return [one_by_one(j) for j in range(len(c1))]
    counts, nan_cells = table
    first, second = counts[c1], counts[c2]
    n1, n2 = reg.sizes[c1], reg.sizes[c2]
    distinct = np.count_nonzero(first + second, axis=1)
    exact = (n1 < _EXACT_LIMIT) & (n2 < _EXACT_LIMIT) & (distinct == n1 + n2)
    u, p = _mann_whitney_counts(first, second)
    k1, k2 = reg.k[c1], reg.k[c2]
    chi2, chi2_p, fisher = _chi2_two_by_two(k1, n1, k2, n2)
    diff = reg.mean[c2] - reg.mean[c1]
    low, high = _welch_batch(n1, n2, diff, reg.var[c1], reg.var[c2])
    alone = nan_cells[c1] | nan_cells[c2] | exact
    odds, fisher_p = _fisher_exact_many(np.stack([k2, n2 - k2, k1, n1 - k1], axis=1)[fisher & ~alone])
    small = np.full(len(c1), -1, dtype=np.intp)  # each comparison's row among the Fisher tests
    small[fisher & ~alone] = np.arange(len(odds))
    hl_estimate, hl_low, hl_high, hl_done = _shifts(reg.grid, counts, c1, c2, np.asarray(items), ~alone)
    rows: list[_Rows] = []
    for j in range(len(c1)):
        if alone[j]:
            rows.append(one_by_one(j))
            continue
        a, b, m, n = int(k1[j]), int(n1[j]), int(k2[j]), int(n2[j])
        share, share_low, share_high = newcombe_difference(a, b, m, n)
        if distinct[j] < 2:
            rank = _Result("mann_whitney", measure=_RANK_BISERIAL)
        else:
            u_j = float(u[j])
            rank = _Result("mann_whitney", u_j, _finite(float(p[j])), 2 * u_j / (b * n) - 1, _RANK_BISERIAL)
        if small[j] >= 0:
            positive = _Result("fisher", _finite(odds[small[j]]), _finite(fisher_p[small[j]]), share, _SHARE_DIFFERENCE)
        elif math.isnan(chi2[j]):
            positive = _Result("chi2", measure=_SHARE_DIFFERENCE)
        else:
            positive = _Result("chi2", _finite(chi2[j]), _finite(chi2_p[j]), share, _SHARE_DIFFERENCE)
        common = {
            "parad": False,
            "n_fran": b,
            "n_till": n,
            "n_par": n_par[j],
            "diff_medel": float(diff[j]),
            "diff_andel_positiva": share,
            "ci_lag": share_low,
            "ci_hog": share_high,
            "diff_medel_lag": float(low[j]),
            "diff_medel_hog": float(high[j]),
        }
        moved = {"hl_skift": float(hl_estimate[j]), "hl_lag": float(hl_low[j]), "hl_hog": float(hl_high[j])} if hl_done[j] else shift(j)
        rows.append((common, [rank, positive], moved))
    return rows


def _chi2_two_by_two(k1: np.ndarray, n1: np.ndarray, k2: np.ndarray, n2: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``stattests._share_independent``'s Pearson chi-square and p (NaN when untestable), and where Fisher decides."""
    observed = np.stack([k2, n2 - k2, k1, n1 - k1], axis=1).astype(float)  # [[k2, n2 - k2], [k1, n1 - k1]]
    rows = np.stack([observed[:, 0] + observed[:, 1], observed[:, 2] + observed[:, 3]], axis=1)
    cols = np.stack([observed[:, 0] + observed[:, 2], observed[:, 1] + observed[:, 3]], axis=1)
    total = (n1 + n2).astype(float)
    positives = k1 + k2
    testable = (positives != 0) & (positives != n1 + n2)
    expected = np.stack([rows[:, 0] * cols[:, 0], rows[:, 0] * cols[:, 1], rows[:, 1] * cols[:, 0], rows[:, 1] * cols[:, 1]], axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = expected / total[:, None]
        terms = (observed - expected) ** 2 / expected
        statistic = ((terms[:, 0] + terms[:, 1]) + terms[:, 2]) + terms[:, 3]  # np.sum of four: left to right
    fisher = testable & (expected < _EXPECTED_MINIMUM).any(axis=1)
    chi2 = np.where(testable & ~fisher, statistic, np.nan)
    return chi2, special.chdtrc(1.0, chi2), fisher


def _welch_batch(n1: np.ndarray, n2: np.ndarray, diff: np.ndarray, var1: np.ndarray, var2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`~.intervals.welch_interval` from each cell's size, variance and the difference of the means."""
    with np.errstate(divide="ignore", invalid="ignore"):
        v1, v2 = var1 / n1, var2 / n2
        se = np.sqrt(v1 + v2)
        df = (v1 + v2) ** 2 / (v1**2 / (n1 - 1) + v2**2 / (n2 - 1))
        t = _t_ppf(0.975, np.where(se > 0, df, 1.0))
        low = np.where(se == 0, diff, diff - t * se)
        high = np.where(se == 0, diff, diff + t * se)
    small = (n1 < 2) | (n2 < 2)
    return np.where(small, np.nan, low), np.where(small, np.nan, high)
