"""The multiplicity plan: which family each test belongs to, and how its ``p_corr`` is adjusted.

Every adjusted p-value (``p_corr``) of the survey tests belongs to exactly one
named family, written on its row in ``familj`` with the method in
``justering``:

``primär`` (Holm)
    The tests that carry the report's conclusions: for ``Alla``, the test of
    the mean (Wilcoxon when paired, the partially overlapping t-test when
    partly linked, else Mann–Whitney) of each index from the first to the
    last wave and, with three or more waves, the trend test across all waves
    (:mod:`.trend`); with ``primar: fragor`` (or an instrument without
    indices) of each question instead. The share test of the same comparison
    is secondary. One family per report, Holm-adjusted within it, so the
    familywise error rate of the conclusions is at most 5 %.
``utforskande`` (Benjamini–Hochberg, or Holm with ``sekundar: holm``)
    Every other test of change of :func:`~.changes.wave_changes`: the share
    tests, the pairs of consecutive waves, the other level (questions or
    indices), each organisation and the tests across all waves; and every
    test of change of the yes/no, choice and number questions
    (:func:`~.categorical.share_tests`, :func:`~.numeric.numeric_tests`).
    One family per report: :func:`~.survey.analyse_survey` adjusts the
    exploratory rows of those tables together (:func:`exploratory_together`);
    each function called alone adjusts its own rows. BH controls the false
    discovery rate. A small ``p_corr`` here is a lead to explore, never a
    conclusion.
``gruppskillnader`` (Holm)
    The differences between organisations of :func:`~.groups.group_differences`:
    one family per wave (the rows with the same ``enkat``), Kruskal–Wallis and
    pairwise Mann–Whitney tests of every question and index together, Holm
    within it.

A test that cannot be computed (NaN p) belongs to its family but is not
counted in the family's size. A change is called certain (an increase or a
decrease) when its ``p_corr`` is below :data:`DECISION_LEVEL`. The plan is read from the instrument
(:class:`~slutrapport.sources.survey.statistics.StatisticsPlan`, ``statistik:``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from slutrapport.analysis.intervals import adjust_sorted, holm
from slutrapport.analysis.suppression import ALL
from slutrapport.sources.survey.statistics import StatisticsPlan

__all__ = [
    "PRIMARY",
    "EXPLORATORY",
    "GROUPS",
    "HOLM",
    "BH",
    "FAMILY_COLUMNS",
    "DECISION_LEVEL",
    "PRIMARY_TESTS",
    "TREND_TESTS",
    "benjamini_hochberg",
    "adjust",
    "primary_level",
    "change_families",
    "group_families",
    "exploratory_family",
    "exploratory_together",
]

PRIMARY = "primär"
EXPLORATORY = "utforskande"
GROUPS = "gruppskillnader"
HOLM = "holm"
BH = "bh"
#: Appended to the test tables: the family of the row's ``p_corr`` and the method that adjusted it.
FAMILY_COLUMNS = ["familj", "justering"]
#: A test decides (a certain change, its direction from the test's effect) when ``p_corr`` is below this.
DECISION_LEVEL = 0.05
#: The tests of the mean: the primary test of a first → last comparison is one of these.
PRIMARY_TESTS = ("wilcoxon", "mann_whitney", "partover_t")
#: The trend tests across all waves (:mod:`.trend`); the trend of the primary level is primary too.
TREND_TESTS = ("trend_lmm", "page", "jonckheere")


def benjamini_hochberg(pvalues: Sequence[float] | np.ndarray) -> np.ndarray:
    """Benjamini–Hochberg (false discovery rate) adjusted p-values.

    ``min over j ≥ i of p_(j) · m / j``, capped at 1, in the input order,
    where ``m`` counts only the non-NaN values; NaN stays NaN.
    """
    return adjust_sorted(
        pvalues, lambda ordered, m: np.minimum(np.minimum.accumulate((ordered * m / np.arange(1, m + 1))[::-1])[::-1], 1.0)
    )


def adjust(pvalues: Sequence[float] | np.ndarray, method: str) -> np.ndarray:
    """``pvalues`` adjusted as one family with ``method`` (:data:`HOLM` or :data:`BH`)."""
    if method == HOLM:
        return holm(pvalues)
    if method == BH:
        return benjamini_hochberg(pvalues)
    raise ValueError(f"unknown adjustment method {method!r}")


def primary_level(plan: StatisticsPlan, has_indices: bool) -> str:
    """The ``niva`` of the primary family: the plan's, or ``fraga`` for an instrument without indices."""
    return plan.primary if has_indices else "fraga"


def change_families(table: pd.DataFrame, waves: list[str], plan: StatisticsPlan, has_indices: bool) -> pd.DataFrame:
    """``table`` (:data:`~.changes.CHANGE_COLUMNS`) with ``p_corr``, ``familj`` and ``justering`` set.

    The primary family is the rows of ``Alla``, first → last wave, of the
    primary level (:func:`primary_level`) with a test of the mean
    (:data:`PRIMARY_TESTS`) or a trend test (:data:`TREND_TESTS`);
    needs two waves or more. Every other row is exploratory.
    """
    table = table.copy()
    primary = pd.Series(False, index=table.index)
    if len(waves) >= 2:
        primary = (
            (table["niva"] == primary_level(plan, has_indices)) & (table["grupp"] == ALL)
            & (table["fran"] == waves[0]) & (table["till"] == waves[-1])
            & table["test"].isin((*PRIMARY_TESTS, *TREND_TESTS))
        )  # fmt: skip
    p = table["p_unc"].to_numpy(dtype=float)
    adjusted = np.full(len(table), np.nan)
    mask = primary.to_numpy(dtype=bool)
    adjusted[mask] = holm(p[mask])
    adjusted[~mask] = adjust(p[~mask], plan.secondary)
    table["p_corr"] = adjusted
    table["familj"] = np.where(mask, PRIMARY, EXPLORATORY).astype(object)
    table["justering"] = np.where(mask, HOLM, plan.secondary).astype(object)
    return table


def group_families(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` (:data:`~.groups.GROUP_DIFFERENCE_COLUMNS`) with ``p_corr`` Holm-adjusted within each wave."""
    table = table.copy()
    adjusted = np.full(len(table), np.nan)
    waves = table["enkat"].astype(str).to_numpy()
    p = table["p_unc"].to_numpy(dtype=float)
    for wave in dict.fromkeys(waves):
        mask = waves == wave
        adjusted[mask] = holm(p[mask])
    table["p_corr"] = adjusted
    table["familj"] = pd.Series([GROUPS] * len(table), index=table.index, dtype=object)
    table["justering"] = pd.Series([HOLM] * len(table), index=table.index, dtype=object)
    return table


def exploratory_family(table: pd.DataFrame, method: str) -> pd.DataFrame:
    """``table`` with every row in the exploratory family: ``p_corr`` adjusted over its rows with ``method``."""
    table = table.copy()
    table["p_corr"] = adjust(table["p_unc"].to_numpy(dtype=float), method)
    table["familj"] = pd.Series([EXPLORATORY] * len(table), index=table.index, dtype=object)
    table["justering"] = pd.Series([method] * len(table), index=table.index, dtype=object)
    return table


def exploratory_together(tables: Sequence[pd.DataFrame], method: str) -> list[pd.DataFrame]:
    """The tables with the ``p_corr`` of their exploratory rows adjusted as one family (one per report).

    Rows of other families are left as they are; ``justering`` of the
    exploratory rows is ``method``. The tables come back in the same order.
    """
    out = [table.copy() for table in tables]
    masks = [(table["familj"] == EXPLORATORY).to_numpy(dtype=bool) for table in out]
    p = np.concatenate([table["p_unc"].to_numpy(dtype=float)[mask] for table, mask in zip(out, masks, strict=True)])
    adjusted = adjust(p, method)
    start = 0
    for table, mask in zip(out, masks, strict=True):
        count = int(mask.sum())
        values = table["p_corr"].to_numpy(dtype=float, copy=True)
        values[mask] = adjusted[start : start + count]
        table["p_corr"] = values
        table.loc[mask, "justering"] = method
        start += count
    return out
