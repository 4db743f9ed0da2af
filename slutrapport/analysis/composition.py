"""Who answered: the organisation mix of each wave, its shifts, and the composition-standardised ``Alla``.

When the mix of organisations among the respondents changes between two
waves, the change of ``Alla`` is partly a change of who answered. For every
pair of waves that :func:`~.changes.wave_changes` compares (consecutive
pairs, and first → last with three or more waves), :func:`composition_shifts`
tests the mix and :func:`standardised_changes` gives the change of a
composition-standardised ``Alla`` beside the raw one.

Strata and anonymity
--------------------
The strata are the reporting groups of :func:`~.describe.reporting_groups`
(organisations, ``Övriga``, ``Ej angiven``). Every group hidden in the
reference wave or in either wave compared (:func:`~.describe.hidden_by_wave`)
is merged into one stratum, :data:`HIDDEN_STRATUM`. So small organisations
count in the weights and in the standardised mean, but only together with
every other hidden group: the merged stratum's mean in a wave is "Alla minus
the shown groups", which the comparison table already gives, and nothing new
can be derived about a single hidden group. The merged stratum is never
named in the report.

The shift
---------
A pair of waves has a shift (``skifte``) when Pearson's chi-square test of
stratum × wave on the respondents (every respondent with an answer, counted
once) has p < :data:`SHIFT_P` (``scipy.stats.chi2_contingency(table,
correction=False)``; with expected counts under 5 the approximation is rough,
which the 10-point rule covers), or when any stratum's share of the
respondents moves by more than :data:`SHIFT_SHARE` (10 percentage points).

The standardised change
-----------------------
Each wave is reweighted to the first wave's mix (post-stratification): with
``W_h`` the share of stratum ``h`` among the first wave's respondents, the
standardised mean of wave ``w`` is ``m_w = Σ W_h ȳ_hw`` and its linearised
(design-based, stratified) variance ``V_w = Σ W_h² s²_hw / n_hw`` (``s²``
with ddof = 1; the weights are treated as fixed). The test of the change
``d = m_till − m_fran`` is the Wald z test ``z = d / √(V_fran + V_till)``,
two-sided p from the normal distribution, with the 95 % interval
``d ± 1,96 √(V_fran + V_till)``. The share positive is standardised the same
way with the 0/1 values. This is R's ``survey`` package estimate, mean and
standard error alike: ``svyby(~varde, ~enkat, svydesign(ids = ~1, strata =
~interaction(enkat, stratum), weights = ~w, data = d), svymean)`` with
``w = W_h · N_w / n_hw`` gives ``m_w`` and ``√V_w`` (checked against R's
output in the tests). Waves are treated as independent
samples: with linked people the covariance of the two waves is left out, so
the test is conservative when people answer alike.

A stratum enters a pair only when it is in the first wave and has at least
two values in each wave compared (``s²`` needs two); the weights of the
strata used are rescaled to sum to 1. The per-stratum counts, means and
variances come from the test cells (:func:`~.cells._cells`, one per question
or index, group and wave) in one pass of grouped sums. The rows are in the family
:data:`STANDARDISED` (``standardiserad``), Holm-adjusted within it: a check
of the raw ``Alla`` change, never a conclusion of its own.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from scipy import special

from slutrapport.analysis.cells import _cells
from slutrapport.analysis.coded import _first_cells
from slutrapport.analysis.counts import _pearson_chi2
from slutrapport.analysis.describe import hidden_by_wave, reporting_groups
from slutrapport.analysis.intervals import holm
from slutrapport.analysis.suppression import ALL
from slutrapport.sources.survey.ingest import SurveyData

__all__ = [
    "COMPOSITION_COLUMNS",
    "STANDARDISED_GROUP",
    "STANDARDISED",
    "STANDARDISED_TESTS",
    "HIDDEN_STRATUM",
    "SHIFT_P",
    "SHIFT_SHARE",
    "composition_shifts",
    "standardised_changes",
]

#: ``grupp`` of the standardised rows of ``forandringar.csv``.
STANDARDISED_GROUP = "Alla (standardiserad)"
#: ``familj`` of the standardised rows (Holm within it).
STANDARDISED = "standardiserad"
#: ``test`` of the standardised rows: the mean and the share positive.
STANDARDISED_TESTS = ("standardiserat_medel", "standardiserad_andel")
#: The one stratum of every group hidden in a wave involved (never shown).
HIDDEN_STRATUM = "\x00skyddade"
SHIFT_P = 0.05
SHIFT_SHARE = 0.10
_Z95 = float(special.ndtri(0.975))  # stats.norm.ppf(0.975), to the bit

#: Columns of :func:`composition_shifts`.
COMPOSITION_COLUMNS = ["fran", "till", "chi2", "df", "p", "max_skift", "grupp_max", "andel_fran", "andel_till", "skifte"]


def _pairs(waves: list[str]) -> list[tuple[str, str]]:
    pairs = [(a, b) for a, b in zip(waves, waves[1:], strict=False)]
    if len(waves) >= 3:
        pairs.append((waves[0], waves[-1]))
    return pairs


def _has_groups(survey: SurveyData) -> bool:
    return "organisation" in survey.instrument.background


def _merged(groups: pd.Series, hidden: set[str]) -> pd.Series:
    return groups.where(~groups.isin(hidden), HIDDEN_STRATUM)


def _hidden(survey: SurveyData, min_n: int, waves: tuple[str, ...]) -> set[str]:
    by_wave = hidden_by_wave(survey, min_n)
    return set().union(*(by_wave.get(w, set()) for w in waves))


def composition_shifts(survey: SurveyData, min_n: int = 5) -> pd.DataFrame:
    """The organisation mix of each pair of waves compared, and whether it shifted.

    Returns
    -------
    DataFrame
        Columns :data:`COMPOSITION_COLUMNS`, one row per pair of waves
        (empty without an organisation question or with one wave):

        - ``fran``, ``till``: the waves
        - ``chi2``, ``df``, ``p``: Pearson's chi-square test of stratum × wave
          (no continuity correction); NaN with a single stratum
        - ``max_skift``: the largest absolute change of a stratum's share of
          the respondents (0–1)
        - ``grupp_max``, ``andel_fran``, ``andel_till``: the shown group with
          the largest change and its shares; empty/NaN when that change is
          the merged hidden stratum's (never named)
        - ``skifte`` (bool): p < :data:`SHIFT_P` or ``max_skift`` > :data:`SHIFT_SHARE`
    """
    key = ("composition_shifts", min_n)
    if key in survey.derived:
        return survey.derived[key]
    waves = [str(w) for w in survey.waves]
    rows: list[dict[str, Any]] = []
    if _has_groups(survey) and len(waves) >= 2:
        groups = _group_counts(survey, min_n)
        for fran, till in _pairs(waves):
            rows.append(_shift_row(groups, fran, till, _hidden(survey, min_n, (waves[0], fran, till))))
    table = pd.DataFrame(rows, columns=COMPOSITION_COLUMNS)
    table["skifte"] = table["skifte"].astype(bool)
    survey.derived[key] = table
    return table


def _group_counts(survey: SurveyData, min_n: int) -> tuple[list[str], dict[str, np.ndarray]]:
    """The reporting groups and, per wave, the number of respondents of each (once per survey)."""
    key = ("composition_group_counts", min_n)
    if key not in survey.derived:
        people = reporting_groups(survey, min_n)
        groups, names = pd.factorize(people["grupp"])
        waves, wave_names = pd.factorize(people["enkat"])
        keep = (groups >= 0) & (waves >= 0)  # as pd.crosstab: no missing group or wave
        table = np.bincount(groups[keep] * len(wave_names) + waves[keep], minlength=len(names) * len(wave_names)).reshape(len(names), len(wave_names))
        survey.derived[key] = ([str(name) for name in names], {str(wave): table[:, j] for j, wave in enumerate(wave_names)})
    return survey.derived[key]


def _shift_row(groups: tuple[list[str], dict[str, np.ndarray]], fran: str, till: str, hidden: set[str]) -> dict[str, Any]:
    names, by_wave = groups
    empty = np.zeros(len(names), dtype=np.int64)
    first, second = by_wave.get(fran, empty), by_wave.get(till, empty)
    merged = [HIDDEN_STRATUM if name in hidden else name for name in names]
    labels = sorted({label for label, a, b in zip(merged, first, second, strict=True) if a + b > 0})  # pd.crosstab's rows
    row = {label: i for i, label in enumerate(labels)}
    counts = np.zeros((len(labels), 2), dtype=np.int64)
    for label, a, b in zip(merged, first, second, strict=True):
        if a + b > 0:
            counts[row[label]] += (a, b)
    chi2, df, p = math.nan, 0, math.nan
    totals = counts.sum(axis=0)
    if len(counts) >= 2 and (totals > 0).all():
        chi2, p, expected = _pearson_chi2(counts)  # stats.chi2_contingency(counts, correction=False), to the bit
        df = expected.size - sum(expected.shape) + expected.ndim - 1
    shares = counts / np.where(totals > 0, totals, np.nan)
    change = np.nan_to_num(np.abs(shares[:, 1] - shares[:, 0]), nan=0.0)
    biggest = int(np.argmax(change)) if len(change) else None
    largest = float(change.max()) if len(change) else 0.0
    named = biggest is not None and labels[biggest] != HIDDEN_STRATUM
    return {
        "fran": fran,
        "till": till,
        "chi2": chi2,
        "df": df,
        "p": p,
        "max_skift": largest,
        "grupp_max": labels[biggest] if named else "",
        "andel_fran": float(shares[biggest, 0]) if named else math.nan,
        "andel_till": float(shares[biggest, 1]) if named else math.nan,
        "skifte": bool((not math.isnan(p) and p < SHIFT_P) or largest > SHIFT_SHARE),
    }


def _wald(first: float, second: float, variance: float) -> tuple[float, float, float, float, float]:
    """(d, z, p, low, high) of the Wald test of ``second − first``."""
    diff = second - first
    if not math.isfinite(diff) or not variance > 0:
        return diff, math.nan, math.nan, math.nan, math.nan
    se = math.sqrt(variance)
    z = diff / se
    return diff, z, float(2 * special.ndtr(-abs(z))), diff - _Z95 * se, diff + _Z95 * se


def standardised_changes(survey: SurveyData, comparison: pd.DataFrame, min_n: int, columns: list[str]) -> pd.DataFrame:
    """The composition-standardised ``Alla`` rows of ``forandringar.csv`` (columns ``columns``).

    For each pair of waves with a shift (:func:`composition_shifts`) and each
    question and index whose ``Alla`` is shown in both waves, two rows that
    share the differences: ``diff_medel`` with its 95 % interval in
    ``diff_medel_lag``/``diff_medel_hog`` and ``diff_andel_positiva`` with its
    interval in ``ci_lag``/``ci_hog``. The row ``standardiserat_medel`` tests
    the mean (``statistika`` = z, no effect size); ``standardiserad_andel``
    the share positive (``effekt`` the difference, ``effektmatt``
    ``andelsskillnad``). ``grupp`` is :data:`STANDARDISED_GROUP`, ``parad``
    False, ``n_par`` 0, ``n_fran``/``n_till`` the values of the strata used;
    ``familj`` :data:`STANDARDISED`, ``p_corr`` Holm within those rows.
    """
    shifts = composition_shifts(survey, min_n)
    shifted = shifts[shifts["skifte"]]
    if shifted.empty:
        return pd.DataFrame(columns=columns)
    waves = [str(w) for w in survey.waves]
    people = reporting_groups(survey, min_n)
    shown = comparison[(comparison["grupp"] == ALL) & ~comparison["undertryckt"].astype(bool)]
    shown_keys = set(zip(shown["niva"], shown["id"], shown["enkat"].astype(str), strict=True))
    first = _first_rows(survey, min_n)
    rows: list[dict[str, Any]] = []
    for fran, till in zip(shifted["fran"], shifted["till"], strict=True):
        hidden = _hidden(survey, min_n, (waves[0], fran, till))
        reference = people[people["enkat"] == waves[0]]
        weights = _merged(reference["grupp"], hidden).value_counts(normalize=True)
        # the questions and indices with a value in either wave, in the order of their first value
        starts = {item: min(first.get((*item, fran), math.inf), first.get((*item, till), math.inf)) for item in _items(first)}
        items = sorted((item for item, row in starts.items() if row < math.inf), key=starts.__getitem__)
        strata_stats = _stratum_stats(survey, min_n, items, (fran, till), weights, hidden, pd.unique(people["grupp"]))
        for i, (niva, item) in enumerate(items):
            if (niva, item, fran) not in shown_keys or (niva, item, till) not in shown_keys:
                continue
            rows += _item_rows(niva, item, fran, till, [_standardised(*column[i], weights.to_numpy(dtype=float)) for column in strata_stats])
    table = pd.DataFrame(rows, columns=columns)
    table["parad"] = table["parad"].astype(bool)
    for name in ("n_fran", "n_till", "n_par"):
        table[name] = table[name].astype("int64")
    table["p_corr"] = holm(table["p_unc"].to_numpy(dtype=float))
    return table


def _first_rows(survey: SurveyData, min_n: int) -> dict[tuple[str, str, str], int]:
    """(niva, id, enkat) → the row of :func:`~.describe.observations` where it first occurs, from the survey's
    codes (:func:`~.coded._first_cells`) without building that frame of one row per answer."""
    key = ("composition_first_rows", min_n)
    if key not in survey.derived:
        survey.derived[key] = _first_cells(survey, min_n)
    return survey.derived[key]


def _items(first: dict[tuple[str, str, str], int]) -> list[tuple[str, str]]:
    return list(dict.fromkeys((niva, item) for niva, item, _ in first))


def _stratum_stats(
    survey: SurveyData, min_n: int, items: list[tuple[str, str]], pair: tuple[str, str], weights: pd.Series, hidden: set[str], groups: np.ndarray
) -> list[list[tuple[np.ndarray, np.ndarray, np.ndarray]]]:
    """Per column (``varde``, ``positiv``) and item: (count, mean, variance with ddof = 1), each strata × (first, second) wave.

    The strata are those of ``weights`` (the merged groups of the reference
    wave); the values come from the test cells (:func:`~.cells._cells`), one
    per (item, group, wave), summed per segment with ``np.bincount``.
    """
    cells = _cells(survey, min_n)
    stratum = {h: s for s, h in enumerate(weights.index)}
    n_strata = len(stratum)
    segments, arrays, positives = [], [], []
    for i, (niva, item) in enumerate(items):
        for group in groups:
            s = stratum.get(HIDDEN_STRATUM if group in hidden else group)
            if s is None:
                continue
            for side, wave in enumerate(pair):
                cell = cells.get(niva, item, group, wave)
                if cell is not None and len(cell):
                    segments.append((i * n_strata + s) * 2 + side)
                    arrays.append(cell.values)
                    positives.append(cell.positive)
    size = len(items) * n_strata * 2
    lengths = np.array([len(a) for a in arrays], dtype=np.int64)
    row_segment = np.repeat(np.array(segments, dtype=np.int64), lengths)
    counts = np.bincount(row_segment, minlength=size)
    result = []
    for column in (arrays, positives):
        values = np.concatenate(column).astype(float) if column else np.zeros(0)
        with np.errstate(invalid="ignore", divide="ignore"):
            means = np.bincount(row_segment, values, minlength=size) / counts
            deviation = values - means[row_segment]
            variances = np.bincount(row_segment, deviation * deviation, minlength=size) / (counts - 1)
        shape = (len(items), n_strata, 2)
        result.append(list(zip(counts.reshape(shape), means.reshape(shape), variances.reshape(shape), strict=True)))
    return result


def _standardised(counts: np.ndarray, means: np.ndarray, variances: np.ndarray, weights: np.ndarray) -> tuple[float, float, float, float, float, int, int]:
    """The Wald test (:func:`_wald`) of the post-stratified means and (n_fran, n_till), from strata × (first, second) statistics."""
    usable = (counts.min(axis=1) >= 2) & (weights > 0)
    if not usable.any():
        return (*_wald(math.nan, math.nan, math.nan), 0, 0)
    w = weights[usable] / weights[usable].sum()
    n, m, v = counts[usable], means[usable], variances[usable]
    first, second = float((w * m[:, 0]).sum()), float((w * m[:, 1]).sum())
    variance = float((w**2 * v[:, 0] / n[:, 0]).sum()) + float((w**2 * v[:, 1] / n[:, 1]).sum())
    return (*_wald(first, second, variance), int(n[:, 0].sum()), int(n[:, 1].sum()))


def _item_rows(niva: str, item: str, fran: str, till: str, results: list[tuple]) -> list[dict[str, Any]]:
    (d_mean, z_mean, p_mean, low_mean, high_mean, n_first, n_second), (d_share, z_share, p_share, low_share, high_share, _, _) = results
    common: dict[str, Any] = {
        "niva": niva, "id": item, "grupp": STANDARDISED_GROUP, "fran": fran, "till": till, "parad": False,
        "n_fran": n_first, "n_till": n_second, "n_par": 0, "diff_medel": d_mean, "diff_andel_positiva": d_share,
        "ci_lag": low_share, "ci_hog": high_share, "p_corr": math.nan, "diff_medel_lag": low_mean, "diff_medel_hog": high_mean,
        "hl_skift": math.nan, "hl_lag": math.nan, "hl_hog": math.nan, "familj": STANDARDISED, "justering": "holm",
    }  # fmt: skip
    return [
        {**common, "test": STANDARDISED_TESTS[0], "statistika": z_mean, "p_unc": p_mean, "effekt": math.nan, "effektmatt": ""},
        {**common, "test": STANDARDISED_TESTS[1], "statistika": z_share, "p_unc": p_share, "effekt": d_share, "effektmatt": "andelsskillnad"},
    ]
