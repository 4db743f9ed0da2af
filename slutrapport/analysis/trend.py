"""One test of a trend across three or more waves, per question and index, with the fitted line.

:func:`~.changes.wave_changes` adds one trend row per question or index and
group (``fran``/``till`` the first and last wave) whose every wave is shown;
:func:`trend_lines` gives the fitted line with its 95 % band for the charts.
Waves are numbered 0, 1, 2, … in the survey's order, so the slope is the
change per wave (equally spaced waves).

Which test (``test``)
---------------------
- ``trend_lmm`` (indices where some answers are linked by ``kod`` between
  waves): a linear mixed model ``varde ~ vag + (1 | person)`` with a random
  intercept per linked person (an unlinked answer is its own person), fitted
  by REML (:func:`~.trend_reml._reml`, the closed form of this model; the same estimates
  as statsmodels' ``MixedLM(...).fit(reml=True)`` and R's
  ``lme4::lmer(varde ~ vag + (1 | kod), REML = TRUE)``). Statistic: the Wald
  z of the slope; p two-sided from the normal distribution; interval
  ``slope ± 1.96 · se``. Effect: the slope divided by the model's total
  standard deviation (``lutning_sd``).
- ``page`` (questions whose answers are all linked: the same people in every
  wave): Page's test for ordered alternatives (``scipy.stats.page_trend_test``),
  two-sided as twice the smaller of the two one-sided p-values (scipy's
  ``method="auto"``: exact for small samples, whose exact distribution
  assumes no ties within a person; otherwise the normal approximation). Statistic:
  Page's L for increasing ranks. Slope: the mean of each person's
  least-squares slope, with a t interval (n − 1 degrees of freedom). Effect:
  the mean Spearman correlation between wave and each person's answers,
  ``12L / (n k (k² − 1)) − 3(k + 1)/(k − 1)`` (``spearman_medel``).
- ``jonckheere`` (every other case: no answers linked, or a question whose
  answers are partly linked): the Jonckheere–Terpstra test, statistic J (the
  Mann–Whitney counts of every later wave against every earlier wave, ties
  counted half), normal approximation with the tie-corrected variance of
  Hollander and Wolfe (1999, Nonparametric Statistical Methods, 2nd ed.,
  eq. 6.19), no continuity correction, two-sided. Slope: ordinary least
  squares with a t interval (N − 2 degrees of freedom). Effect: 2J / P − 1
  with P the number of pairs of answers from different waves (the
  rank-biserial correlation when there are two waves; ``rangbiserial_ordnad``).
  For partly linked questions it ignores that some answers come from the same
  people; the mixed model is kept for the indices, where it is primary, so
  that the hundreds of question × group trends stay fast.

The fitted line per wave (``trend``, ``trend_lag``, ``trend_hog``) comes from
the same model: the fixed part of the mixed model with the normal interval,
the least-squares line with the t interval, or for ``page`` the mean of each
person's fitted values with a t interval.

Computation
-----------
The models are defined per cell in :mod:`.trend_models` (:func:`~.trend_models._trend`).
:func:`_trend_fits` gives the same numbers for hundreds of trends without
per-value Python work: the people are the cells' linking numbers (which
follow the sorted order of the codes, so no text is compared); the Jonckheere–Terpstra
statistic and its tie terms come from value × wave count tables, and the
least-squares line from the per-wave counts, sums and sums of squares
(closed form instead of ``numpy.linalg.lstsq``), for all trends at once
(:func:`_jonckheere_batch`, numpy over a trends × values × waves table). The mixed model keeps the very same sums in the same
order (the people numbered as ``np.unique`` of their labels numbers them):
its REML search stops at a tolerance where rounding decides the last steps,
so only the same arithmetic gives the same estimates. Every mixed model is
fitted in one search (:func:`_mixed_batch`, :func:`~.trend_reml._reml_batch`:
scipy's bounded search with every fit's state in numpy arrays, the same
operations per fit). A trend whose codes
repeat within a wave, or whose labels could sort differently, is computed by
:func:`~.trend_models._trend` itself.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator

import numpy as np
import pandas as pd
from scipy import special

from slutrapport.analysis.cells import _Cell, _cells, _items_and_groups, _shown
from slutrapport.analysis.families import TREND_TESTS
from slutrapport.analysis.stattests import _Result
from slutrapport.analysis.trend_models import _jonckheere, _mixed, _mixed_trend, _page, _person_slopes, _reml, _Trend, _trend, _with_band  # noqa: F401 (re-exported)
from slutrapport.analysis.trend_reml import _Model, _reml_batch
from slutrapport.core.worker import SEND_BYTES, beside
from slutrapport.sources.survey.ingest import SurveyData

__all__ = ["TREND_TESTS", "TREND_LINE_COLUMNS", "start_trend_fits", "trend_lines"]

#: The fitted line per wave (:func:`trend_lines`).
TREND_LINE_COLUMNS = ["niva", "id", "grupp", "enkat", "test", "trend", "trend_lag", "trend_hog"]
_MAX_COUNTED = 1000  # values that are whole numbers 0..this are counted with bincount, others via np.unique


def _table(cells: list[_Cell]) -> tuple[np.ndarray, np.ndarray]:
    """(value × wave counts, the distinct values) of the cells' values, values ascending."""
    k = len(cells)
    whole = all(len(c) == 0 or (c.values.min() >= 0 and c.values.max() <= _MAX_COUNTED and (c.values == np.floor(c.values)).all()) for c in cells)
    if whole:
        top = int(max(c.values.max() for c in cells if len(c))) + 1
        table = np.column_stack([np.bincount(c.values.astype(np.int64), minlength=top) for c in cells]).astype(float)
        return table, np.arange(top, dtype=float)
    values, inverse = np.unique(np.concatenate([c.values for c in cells]), return_inverse=True)
    wave = np.repeat(np.arange(k), [len(c) for c in cells])
    return np.bincount(inverse * k + wave, minlength=len(values) * k).reshape(len(values), k).astype(float), values


def _jonckheere_table(table: np.ndarray) -> _Result:
    """:func:`~.trend_models._jonckheere` from the value × wave count table: :func:`_jonckheere_tables` of one table."""
    if table.shape[1] < 2 or (table.sum(axis=0) == 0).any():
        return _Result("jonckheere", measure="rangbiserial_ordnad")
    j, p, effect = (float(value[0]) for value in _jonckheere_tables(np.ascontiguousarray(table, dtype=float)[None]))
    return _Result("jonckheere", j, p, effect, "rangbiserial_ordnad")


def _ols_moments(sizes: np.ndarray, sums: np.ndarray, squares: np.ndarray, positions: list[int]) -> tuple[float, float, float, list]:
    """:func:`~.trend_models._ols` from each wave's count, sum and within-wave sum of squared deviations."""
    x = np.asarray(positions, dtype=float)
    n = float(sizes.sum())
    if n < 3 or np.ptp(x[sizes > 0]) == 0:
        return math.nan, math.nan, math.nan, []
    x_mean = float((sizes * x).sum()) / n
    y_mean = float(sums.sum()) / n
    sxx = float((sizes * (x - x_mean) ** 2).sum())
    slope = float(((x - x_mean) * (sums - sizes * y_mean)).sum()) / sxx
    intercept = y_mean - slope * x_mean
    with np.errstate(invalid="ignore", divide="ignore"):
        wave_means = np.where(sizes > 0, sums / sizes, 0.0)
    rss = float(squares.sum()) + float((sizes * (wave_means - intercept - slope * x) ** 2).sum())
    sigma2 = rss / (n - 2)
    sx, sxx_raw = float((sizes * x).sum()), float((sizes * x * x).sum())
    det = n * sxx_raw - sx * sx
    cov = sigma2 * np.array([[sxx_raw, -sx], [-sx, n]]) / det
    return _with_band(np.array([intercept, slope]), cov, float(special.stdtrit(n - 2, 0.975)), positions)


def _moments(cells: list[_Cell], table: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per wave: count, sum and sum of squared deviations from the wave's mean."""
    sizes = table.sum(axis=0)
    if values.size and values[-1] < 2**20 and (values == np.arange(len(values))).all():  # whole numbers: exact sums
        sums = values @ table
        squares = np.maximum((values * values) @ table - sums * sums / np.where(sizes > 0, sizes, 1), 0.0)
        return sizes, sums, squares
    sums = np.array([float(c.values.sum()) for c in cells])
    squares = np.array([float(((c.values - c.values.mean()) ** 2).sum()) if len(c) else 0.0 for c in cells])
    return sizes, sums, squares


def _people(codes: np.ndarray, occurrences: np.ndarray, names: np.ndarray) -> np.ndarray | None:
    """The person of each value numbered as :func:`~.trend_models._trend` numbers them (``np.unique`` of its labels).

    ``codes`` number the linking codes in their sorted order (as the cells'
    links do), ``names[c]`` the text of code ``c``. There a linked value's
    label is its code and any other value's label is ``"\\0"`` followed by its
    position: those sort first, by the position's decimal digits as text,
    then the codes in their order. None when a code could sort among the
    positions (empty, not text, or starting with ``"\\0"``).
    """
    linked = codes >= 0
    linked[linked] = occurrences[codes[linked]] >= 2
    keys = np.flatnonzero(occurrences >= 2)  # ascending: in the sorted order of their texts
    if len(keys) and not (isinstance(names[keys[0]], str) and names[keys[0]] >= "\x01"):
        return None
    alone = np.flatnonzero(~linked)
    digits = np.ones(len(alone), dtype=np.int64)
    for power in range(1, len(str(max(len(codes) - 1, 0))) + 1):
        digits += alone >= 10**power
    padded = alone * 10 ** (digits.max(initial=1) - digits)
    person = np.empty(len(codes), dtype=np.intp)
    person[alone[np.lexsort((digits, padded))]] = np.arange(len(alone))
    rank = np.empty(len(occurrences), dtype=np.intp)
    rank[keys] = len(alone) + np.arange(len(keys))
    person[linked] = rank[codes[linked]]
    return person


def _codes(cells: list[_Cell]) -> tuple[np.ndarray, np.ndarray | None, int]:
    """(each value's code, -1 when it cannot be linked; the linking number of each code, None when the code is it; the number of codes).

    The codes are the cells' linking numbers (the sorted order of the codes'
    texts), numbered afresh in that order when the cells hold few of the
    survey's codes.
    """
    codes = np.concatenate([cell.link for cell in cells]).astype(np.intp)
    space = len(cells[0]._names) - 1  # the names of the numbers, None last
    if len(codes) * 4 >= space:
        return codes, None, space
    coded = codes >= 0
    present = np.zeros(space, dtype=bool)
    present[codes[coded]] = True
    numbers = np.flatnonzero(present)
    renumbered = np.empty(space, dtype=np.intp)
    renumbered[numbers] = np.arange(len(numbers))
    codes[coded] = renumbered[codes[coded]]
    return codes, numbers, len(numbers)


def _fast_trend(cells: list[_Cell], positions: list[int], niva: str, defer: bool = False) -> _Trend | int | tuple[_Model | None, int]:
    """:func:`~.trend_models._trend` of one question or index and group, from integer codes and count tables.

    With ``defer`` a Jonckheere–Terpstra trend is left for
    :func:`_jonckheere_batch` and only its number of linked people returned,
    and a mixed model for :func:`_mixed_batch`: (its model, the number of
    linked people).
    """
    k = len(cells)
    sizes = [len(cell) for cell in cells]
    codes, numbers, space = _codes(cells)
    coded = codes >= 0
    wave = np.repeat(np.arange(k), sizes)
    per_cell = np.bincount(codes[coded] * k + wave[coded], minlength=space * k)
    if per_cell.size and per_cell.max() > 1:  # a code twice in one cell: the direct computation
        return _trend(cells, positions, niva)
    occurrences = per_cell[0::k].copy()
    for w in range(1, k):
        occurrences += per_cell[w::k]
    n_linked = int(np.count_nonzero(occurrences >= 2))
    n_common = int(np.count_nonzero(occurrences == k))
    if niva == "index" and n_linked:
        names = cells[0]._names
        person = _people(codes, occurrences, names[:-1] if numbers is None else names[numbers])
        if person is None:
            return _trend(cells, positions, niva)
        y = np.concatenate([cell.values for cell in cells]).astype(float)
        x = np.concatenate([np.full(len(cell), pos, dtype=float) for cell, pos in zip(cells, positions, strict=True)])
        if defer:
            return _Model.of(x, y, None, person, _gram(sizes, positions)), n_linked
        fitted = _mixed(x, y, None, positions, person)
        if fitted is not None:
            return _Trend(fitted.result, fitted.slope, fitted.low, fitted.high, False, n_linked, fitted.line)
        return _Trend(_Result("trend_lmm", measure="lutning_sd"), n_linked=n_linked)
    if niva != "index" and n_common >= 2 and all(n_common == size for size in sizes):
        rank = np.empty(space, dtype=np.intp)
        rank[np.flatnonzero(occurrences == k)] = np.arange(n_common)  # the people in the sorted order of their codes
        matrix = np.empty((n_common, k))
        for column, (cell, start) in enumerate(zip(cells, np.cumsum([0, *sizes[:-1]]), strict=True)):
            matrix[rank[codes[start : start + len(cell)]], column] = cell.values
        slope, low, high, line = _person_slopes(matrix, positions)
        return _Trend(_page(matrix), slope, low, high, True, n_linked, line)
    if defer:
        return n_linked
    table, values = _table(cells)
    slope, low, high, line = _ols_moments(*_moments(cells, table, values), positions)
    return _Trend(_jonckheere_table(table), slope, low, high, False, n_linked, line)


def _gram(sizes: list[int], positions: list[int]) -> np.ndarray | None:
    """XᵀX of the columns (1, x) with ``sizes[w]`` values at ``positions[w]``: exact whole-number sums, the
    same numbers as the matrix product (:func:`~.trend_reml._gram`); None for positions that are not whole."""
    if not all(float(pos).is_integer() for pos in positions):
        return None
    at = [int(pos) for pos in positions]
    n, sx, sxx = sum(sizes), sum(size * pos for size, pos in zip(sizes, at, strict=True)), sum(size * pos * pos for size, pos in zip(sizes, at, strict=True))
    return np.array([[n, sx], [sx, sxx]], dtype=float) if max(sxx, abs(sx), n) < 2**53 else None


def _mixed_batch(pending: dict[tuple[str, str, str], tuple[_Model | None, int]], positions: list[int]) -> Callable[[], dict[tuple[str, str, str], _Trend]]:
    """The mixed-model trends, all fitted at once (:func:`~.trend_reml._reml_batch`: the same numbers as one by one),
    in the run's worker process when it has one (:func:`~slutrapport.core.worker.beside`): the function that gives
    them. Only the worker's fallback keeps the models meanwhile."""
    models = [model for model, _ in pending.values() if model is not None]
    size = sum(model.sums.nbytes + model.sums_y.nbytes + model.sums_x.nbytes + model.size_of.nbytes for model in models)
    searched = beside(_reml_batch, models, send=size <= SEND_BYTES) if models else list
    slots = [(key, model is not None, n_linked) for key, (model, n_linked) in pending.items()]
    del models

    def done() -> dict[tuple[str, str, str], _Trend]:
        return _mixed_done(slots, iter(searched()), positions)

    return done


def _mixed_done(slots: list[tuple[tuple[str, str, str], bool, int]], fitted: Iterator, positions: list[int]) -> dict[tuple[str, str, str], _Trend]:
    """The trends of :func:`_mixed_batch` from the searches' results (``fitted``, one per model in order);
    ``slots``: each trend's key, whether it has a model, and its number of linked people."""
    done: dict[tuple[str, str, str], _Trend] = {}
    for key, has_model, n_linked in slots:
        trend = _mixed_trend(next(fitted), positions) if has_model else None
        if trend is not None:
            done[key] = _Trend(trend.result, trend.slope, trend.low, trend.high, False, n_linked, trend.line)
        else:
            done[key] = _Trend(_Result("trend_lmm", measure="lutning_sd"), n_linked=n_linked)
    return done


def _jonckheere_batch(pending: dict[tuple[str, str, str], tuple[list[_Cell], int]], positions: list[int]) -> dict[tuple[str, str, str], _Trend]:
    """The Jonckheere–Terpstra trends with their least-squares lines, all at once from one value × wave count table per trend.

    The same sums as :func:`_jonckheere_table` and :func:`_ols_moments`, with
    the trends as the first axis; trends with values that are not whole
    numbers 0..:data:`_MAX_COUNTED` are computed one by one.
    """
    keys, k = list(pending), len(positions)
    cells = [cell for key in keys for cell in pending[key][0]]
    if not cells:
        return {}
    odd_cells = np.array([bool(((v != np.floor(v)) | (v < 0) | (v > _MAX_COUNTED)).any()) for v in (cell.values.astype(float) for cell in cells)])
    whole = ~odd_cells.reshape(len(keys), k).any(axis=1)
    done: dict[tuple[str, str, str], _Trend] = {}
    for i in np.flatnonzero(~whole):
        wave_cells, n_linked = pending[keys[i]]
        table, distinct = _table(wave_cells)
        slope, low, high, line = _ols_moments(*_moments(wave_cells, table, distinct), positions)
        done[keys[i]] = _Trend(_jonckheere_table(table), slope, low, high, False, n_linked, line)
    if not whole.any():
        return done
    chosen = [cells[i * k + w] for i in np.flatnonzero(whole) for w in range(k)]  # one cell at a time: no survey-long arrays
    top = max((int(cell.values.max()) for cell in chosen if len(cell)), default=-1) + 1
    n_fits = int(whole.sum())
    counted = np.zeros((n_fits * k, top), dtype=np.int64)
    for c, cell in enumerate(chosen):
        if len(cell):
            counted[c] = np.bincount(cell.values.astype(np.int64), minlength=top)
    table = counted.reshape(n_fits, k, top).transpose(0, 2, 1).astype(float, order="C")
    j, p, effect = _jonckheere_tables(table)
    slope, low, high, line = _ols_tables(table, positions)
    for f, i in enumerate(np.flatnonzero(whole)):
        result = _Result("jonckheere", float(j[f]), float(p[f]), float(effect[f]), "rangbiserial_ordnad")
        points = [tuple(float(v) for v in point) for point in line[f]] if np.isfinite(slope[f]) else []
        done[keys[i]] = _Trend(result, float(slope[f]), float(low[f]), float(high[f]), False, pending[keys[i]][1], points)
    return done


def _jonckheere_tables(table: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(J, p, effect) of :func:`_jonckheere_table` for trends × values × waves count tables."""
    sizes = table.sum(axis=1)
    n = sizes.sum(axis=1)
    below = np.cumsum(table, axis=1) - table
    j = np.zeros(len(table))
    for i in range(table.shape[2]):
        for later in range(i + 1, table.shape[2]):
            j += (table[:, :, later] * (below[:, :, i] + 0.5 * table[:, :, i])).sum(axis=1)
    pairs = (n**2 - (sizes**2).sum(axis=1)) / 2
    ties = table.sum(axis=2)
    with np.errstate(invalid="ignore", divide="ignore"):
        variance = np.where(n > 2, (
            (n * (n - 1) * (2 * n + 5) - (sizes * (sizes - 1) * (2 * sizes + 5)).sum(axis=1) - (ties * (ties - 1) * (2 * ties + 5)).sum(axis=1)) / 72
            + (sizes * (sizes - 1) * (sizes - 2)).sum(axis=1) * (ties * (ties - 1) * (ties - 2)).sum(axis=1) / (36 * n * (n - 1) * (n - 2))
            + (sizes * (sizes - 1)).sum(axis=1) * (ties * (ties - 1)).sum(axis=1) / (8 * n * (n - 1))
        ), 0.0)  # fmt: skip
        effect = np.where(pairs != 0, 2 * j / pairs - 1, np.nan)
        p = np.where(variance > 0, 2 * special.ndtr(-np.abs((j - pairs / 2) / np.sqrt(variance))), np.nan)
    empty = (sizes == 0).any(axis=1)
    return np.where(empty, np.nan, j), np.where(empty, np.nan, p), np.where(empty, np.nan, effect)


def _ols_tables(table: np.ndarray, positions: list[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Slope, its interval and the line (trends × waves × (fitted, low, high)) of :func:`_ols_moments` from count tables."""
    x = np.asarray(positions, dtype=float)
    v = np.arange(table.shape[1], dtype=float)
    sizes = table.sum(axis=1)
    sums = (table * v[None, :, None]).sum(axis=1)
    squares = np.maximum((table * (v * v)[None, :, None]).sum(axis=1) - sums * sums / np.where(sizes > 0, sizes, 1), 0.0)
    n = sizes.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        x_mean = (sizes * x).sum(axis=1) / n
        y_mean = sums.sum(axis=1) / n
        sxx = (sizes * (x - x_mean[:, None]) ** 2).sum(axis=1)
        slope = ((x - x_mean[:, None]) * (sums - sizes * y_mean[:, None])).sum(axis=1) / sxx
        intercept = y_mean - slope * x_mean
        wave_means = np.where(sizes > 0, sums / np.where(sizes > 0, sizes, 1), 0.0)
        rss = squares.sum(axis=1) + (sizes * (wave_means - intercept[:, None] - slope[:, None] * x) ** 2).sum(axis=1)
        sigma2 = rss / (n - 2)
        sx, sxx_raw = (sizes * x).sum(axis=1), (sizes * x * x).sum(axis=1)
        det = n * sxx_raw - sx * sx
        critical = special.stdtrit(n - 2, 0.975)
        half = critical * np.sqrt(np.maximum(sigma2 * n / det, 0.0))
        fitted = intercept[:, None] + slope[:, None] * x
        spread = critical[:, None] * np.sqrt(np.maximum(sigma2[:, None] * (sxx_raw[:, None] - 2 * x * sx[:, None] + x * x * n[:, None]) / det[:, None], 0.0))
    fitted_waves = (sizes > 0).sum(axis=1)
    bad = (n < 3) | (fitted_waves < 2)
    slope = np.where(bad, np.nan, slope)
    line = np.stack([fitted, fitted - spread, fitted + spread], axis=2)
    return slope, np.where(bad, np.nan, slope - half), np.where(bad, np.nan, slope + half), line


def _trend_fits(survey: SurveyData, comparison: pd.DataFrame, min_n: int) -> dict[tuple[str, str, str], _Trend]:
    """Every trend of the survey by (niva, id, grupp), computed once per survey and ``min_n``
    (finishing what :func:`start_trend_fits` began)."""
    key = ("trend_fits", min_n)
    found = survey.derived.get(key)
    if found is None:
        start_trend_fits(survey, comparison, min_n)
        found = survey.derived[key]
    if callable(found):
        found = survey.derived[key] = found()
    return found


def start_trend_fits(survey: SurveyData, comparison: pd.DataFrame, min_n: int) -> None:
    """Begin :func:`_trend_fits`: the mixed models' REML search goes to the run's worker process, when it
    has one, while this process goes on (:func:`~slutrapport.analysis.survey.analyse_survey` calls this first)."""
    key = ("trend_fits", min_n)
    if key in survey.derived:
        return
    waves = [str(w) for w in survey.waves]
    fits: dict[tuple[str, str, str], _Trend] = {}
    mixed: dict[tuple[str, str, str], tuple[_Model | None, int]] = {}
    if len(waves) >= 3:
        shown = _shown(comparison)
        cells = _cells(survey, min_n)
        keys = _items_and_groups(comparison)
        pending: dict[tuple[str, str, str], tuple[list[_Cell], int]] = {}
        positions = list(range(len(waves)))
        for niva, item, group in keys:
            wave_cells = [cells.get(niva, item, group, wave) for wave in waves]
            if all(c is not None and len(c) > 0 and (niva, item, group, w) in shown for c, w in zip(wave_cells, waves, strict=True)):
                fit = _fast_trend(wave_cells, positions, niva, defer=True)
                if isinstance(fit, _Trend):
                    fits[(niva, item, group)] = fit
                elif isinstance(fit, tuple):
                    fits[(niva, item, group)] = _Trend(_Result("trend_lmm"))  # its place in the order, filled below
                    mixed[(niva, item, group)] = fit
                else:
                    fits[(niva, item, group)] = _Trend(_Result("jonckheere"))  # its place in the order, filled below
                    pending[(niva, item, group)] = (wave_cells, fit)
        searched = _mixed_batch(mixed, positions)  # in the worker process while the Jonckheere–Terpstra trends are computed here
        fits.update(_jonckheere_batch(pending, positions))

        def finish() -> dict[tuple[str, str, str], _Trend]:
            fits.update(searched())
            return fits

        survey.derived[key] = finish
        return
    survey.derived[key] = fits


def trend_lines(survey: SurveyData, comparison: pd.DataFrame, min_n: int = 5) -> pd.DataFrame:
    """The fitted trend line per wave of every trend test (columns :data:`TREND_LINE_COLUMNS`).

    ``trend`` is the fitted value at the wave, ``trend_lag``/``trend_hog`` its
    95 % interval; rows only for the trends :func:`~.changes.wave_changes`
    tests (three or more waves, every wave shown), without a line when the
    model could not be fitted.
    """
    waves = [str(w) for w in survey.waves]
    rows = [
        (niva, item, group, wave, fit.result.test, *point)
        for (niva, item, group), fit in _trend_fits(survey, comparison, min_n).items()
        for wave, point in zip(waves, fit.line, strict=False)
    ]
    return pd.DataFrame(rows, columns=TREND_LINE_COLUMNS).astype({"trend": float, "trend_lag": float, "trend_hog": float})
