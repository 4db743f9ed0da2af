"""The omnibus rows of :func:`~.changes.wave_changes` (all waves at once) for every question, index and group together.

The same tests as ``changes._omnibus_rows`` one triple at a time
(:mod:`.stattests`): Kruskal–Wallis and the waves × positive chi-square on
independent waves, from the count tables of :class:`~.change_rows._Registry`
with the formulas of :mod:`.counts`; Friedman on the people linked across
every wave, ranked within each person's row as
``scipy.stats.friedmanchisquare`` ranks them; Cochran's Q one triple at a
time. Triples with a NaN value take the one-at-a-time path.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from scipy import special

from slutrapport.analysis.change_rows import _chunks, _Registry, _Rows, _segment_ids
from slutrapport.analysis.stattests import _cochrans_q, _finite, _Result

__all__: list[str] = []  # helpers of the analysis folder only


# --- all waves at once: Kruskal–Wallis and chi-square from counts, Friedman from ranks in a row ---


def _omnibus_batch(reg: _Registry, cells: np.ndarray, linked: list[list[np.ndarray]], min_n: int, one_by_one: Callable[[int], _Rows]) -> list[_Rows]:
    """``changes._omnibus_rows`` for every triple with a cell in each wave (``cells``: triples × waves, registry ids)."""
    if not len(cells):
        return []
    sizes = reg.sizes[cells]
    n_linked = np.array([len(positions[0]) for positions in linked], dtype=np.int64)
    paired = (n_linked >= max(2, min_n)) & (n_linked[:, None] * 2 > sizes).all(axis=1)
    table = reg.counts()
    if table is None:
        return [one_by_one(j) for j in range(len(cells))]
    counts, nan_cells = table
    h, h_p, h_effect, h_ok = _kruskal_batch(counts[cells])
    chi2, chi2_p, chi2_effect = _chi2_waves_batch(reg.k[cells], sizes)
    friedman = _friedman_batch(reg, cells, linked, paired)
    rows: list[_Rows] = []
    for j in range(len(cells)):
        if nan_cells[cells[j]].any() or (paired[j] and friedman[j] is None):
            rows.append(one_by_one(j))
            continue
        if paired[j]:
            positions = linked[j]
            positive = np.column_stack([reg.cells[c].positive[pos] for c, pos in zip(cells[j], positions, strict=True)])
            results = [friedman[j], _cochrans_q(positive)]
            n_first = n_last = int(n_linked[j])
        else:
            rank = (
                _Result("kruskal_wallis", float(h[j]), _finite(h_p[j]), float(h_effect[j]), "epsilon2")
                if h_ok[j]
                else _Result("kruskal_wallis", measure="epsilon2")
            )
            share = (
                _Result("chi2", float(chi2[j]), _finite(chi2_p[j]), float(chi2_effect[j]), "cramers_v")
                if not math.isnan(chi2[j])
                else _Result("chi2", measure="cramers_v")
            )
            results = [rank, share]
            n_first, n_last = int(sizes[j, 0]), int(sizes[j, -1])
        common = {
            "parad": bool(paired[j]),
            "n_fran": n_first,
            "n_till": n_last,
            "n_par": int(n_linked[j]),
            **dict.fromkeys(("diff_medel", "diff_andel_positiva", "ci_lag", "ci_hog", "diff_medel_lag", "diff_medel_hog"), math.nan),
        }
        rows.append((common, results, {}))
    return rows


def _kruskal_batch(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """:func:`~.counts._kruskal_counts` for triples × waves × values counts: H, p, epsilon², and where defined."""
    pooled = counts.sum(axis=1)
    below = np.cumsum(pooled, axis=-1) - pooled
    ranks = below + (pooled + 1) / 2
    sizes = counts.sum(axis=2)
    totaln = sizes.sum(axis=1)
    t = pooled.astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        ties = 1 - np.sum(t**3 - t, axis=-1) / (totaln**3 - totaln).astype(float)
        rank_sums = np.einsum("twv,tv->tw", counts.astype(float), ranks)
        ssbn = np.zeros(len(counts))
        for w in range(counts.shape[1]):
            ssbn = ssbn + rank_sums[:, w] ** 2 / sizes[:, w].astype(float)
        h = 12.0 / (totaln * (totaln + 1)).astype(float) * ssbn - (3 * (totaln + 1)).astype(float)
        h = h / ties
        p = special.chdtrc(float(counts.shape[1] - 1), h)
        effect = h / (totaln - 1).astype(float)
    ok = (np.count_nonzero(pooled, axis=1) >= 2) & np.isfinite(h)
    return h, p, effect, ok


def _chi2_waves_batch(k: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``stattests._chi2_waves`` on the waves × (positive, not) table of every triple: chi², p, Cramér's V (NaN when untestable)."""
    observed = np.stack([k, n - k], axis=2).astype(float)  # triples × waves × 2
    total = observed.sum(axis=(1, 2))
    positives = observed[:, :, 0].sum(axis=1)
    testable = (total > 0) & (positives != 0) & (positives != total) & (observed.sum(axis=2) > 0).all(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = observed.sum(axis=2, keepdims=True) * observed.sum(axis=1, keepdims=True) / total[:, None, None]
        terms = ((observed - expected) ** 2 / expected).reshape(len(k), -1)
        statistic = np.sum(terms, axis=1)
        chi2 = np.where(testable, statistic, np.nan)
        p = special.chdtrc(float(k.shape[1] - 1), chi2)
        effect = np.sqrt(chi2 / total)
    return chi2, p, effect


def _friedman_batch(reg: _Registry, cells: np.ndarray, linked: list[list[np.ndarray]], paired: np.ndarray) -> list[_Result | None]:
    """``stattests._friedman`` on the linked people's values of each paired triple (None elsewhere, or with NaN values).

    As ``scipy.stats.friedmanchisquare``: average ranks within each person's
    row, the tie term Σ t(t² − 1), Q = (12 / (k n (k + 1)) Σ R_j² − 3 n (k + 1)) / c.
    """
    out: list[_Result | None] = [None] * len(cells)
    chosen = np.flatnonzero(paired)
    if not chosen.size:
        return out
    k = cells.shape[1]
    sizes = np.array([len(linked[j][0]) for j in chosen], dtype=np.int64)
    parts = [_friedman_sums(reg, cells, linked, chosen[part], sizes[part]) for part in _chunks(sizes.tolist(), _FRIEDMAN_CHUNK)]
    ties, varies, bad, sums = (np.concatenate([part[i] for part in parts]) for i in range(4))
    n = sizes.astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        c = 1 - ties / (k * (k * k - 1) * n)
        ssbn = np.sum(sums**2, axis=1)
        q = (12.0 / (k * n * (k + 1)) * ssbn - 3 * n * (k + 1)) / c
        p = special.chdtrc(float(k - 1), q)
    for i, j in enumerate(chosen):
        if bad[i]:
            continue
        if sizes[i] < 2 or not varies[i] or not math.isfinite(q[i]):
            out[j] = _Result("friedman", measure="kendalls_w")
        else:
            out[j] = _Result("friedman", float(q[i]), _finite(p[i]), float(q[i]) / (sizes[i] * (k - 1)), "kendalls_w")
    return out


_FRIEDMAN_CHUNK = 1_000_000  # linked people ranked at once (a dozen arrays of this length)


def _friedman_sums(reg: _Registry, cells: np.ndarray, linked: list[list[np.ndarray]], chosen: np.ndarray, sizes: np.ndarray) -> tuple[np.ndarray, ...]:
    """Per triple of ``chosen``: the tie term, whether any row varies, whether a value is NaN, and the rank sums per wave."""
    k = cells.shape[1]
    ids = _segment_ids(sizes)
    columns = []
    for w in range(k):
        at = np.concatenate([linked[j][w] for j in chosen]) + reg.offsets[cells[chosen, w]][ids]
        columns.append(reg.values[at])
    below = [np.zeros(ids.size) for _ in range(k)]  # per wave: how many of the row's values are below, equal counted half
    equal = [np.ones(ids.size, dtype=np.int64) for _ in range(k)]  # per wave: values equal to it, itself included
    for a in range(k):
        for b in range(a + 1, k):
            lower, same = columns[a] < columns[b], columns[a] == columns[b]
            below[b] += lower
            below[a] += ~lower & ~same
            equal[a] += same
            equal[b] += same
    ranks = [1 + below[w] + (equal[w] - 1) / 2 for w in range(k)]  # rankdata(method="average") within the row
    ties = np.bincount(ids, weights=sum(e * e - 1 for e in equal).astype(float), minlength=chosen.size)
    flat = np.ones(ids.size, dtype=bool)
    nan = np.zeros(ids.size, dtype=bool)
    for w in range(k):
        flat &= columns[w] == columns[0]
        nan |= np.isnan(columns[w])
    varies = np.bincount(ids, weights=~flat, minlength=chosen.size) > 0
    bad = np.bincount(ids, weights=nan, minlength=chosen.size) > 0
    sums = np.stack([np.bincount(ids, weights=ranks[w], minlength=chosen.size) for w in range(k)], axis=1)
    return ties, varies, bad, sums
