"""Number questions (``numerisk``, e.g. hours a week): their distribution and its change between waves.

A number question is summarised by its own mean, spread and quartiles; it
never enters an index or the comparison table (only ``skala`` questions do).
How the tidy table holds the answers is described in :mod:`.typed`.

:func:`numeric_summary` gives, per question, group and wave, ``n``, mean,
sample standard deviation, median and quartiles. :func:`numeric_tests` tests
each change between waves with the two-sided Mann–Whitney U test of the
report's other rank tests (:mod:`.stattests`: exact without ties below 50
values per wave, else the normal approximation with tie and continuity
correction, as R), with the rank-biserial correlation as effect, the
Hodges–Lehmann shift with R's interval (:mod:`.shift`) and the difference in
means with Welch's t interval (:func:`~.intervals.welch_interval`). The rank
test decides (and gives ``riktning``); the mean difference is descriptive
and need not agree with it when a few answers are far out.

Anonymity: the cells are those of :func:`~.typed.typed_cells`, hidden in
exactly the waves and groups of the comparison table
(:func:`~.describe.hidden_by_wave`); a hidden cell keeps its row with
``undertryckt`` true and every number empty, and a test involving a hidden or
empty cell gets no row. As in the comparison table, in a wave with a hidden
cell in any table the means, standard deviations and quantiles are rounded to
the report's precision (one decimal), and so are the differences and shifts
of a test touching such a wave (:func:`~.suppression.published_precision`).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from slutrapport.analysis.cells import _finish
from slutrapport.analysis.changes import _wave_pairs
from slutrapport.analysis.describe import hidden_waves, marked_cells
from slutrapport.analysis.families import exploratory_family
from slutrapport.analysis.intervals import welch_interval
from slutrapport.analysis.shift import hodges_lehmann_independent
from slutrapport.analysis.stattests import _mann_whitney
from slutrapport.analysis.suppression import published_precision
from slutrapport.analysis.typed import TEST_COLUMNS, directions, typed_values
from slutrapport.sources.survey.ingest import SurveyData
from slutrapport.sources.survey.instrument import NUMBER

__all__ = ["NUMERIC_COLUMNS", "NUMERIC_TEST_COLUMNS", "numeric_summary", "numeric_tests"]

NUMERIC_COLUMNS = ["fraga", "enkat", "grupp", "n", "medel", "sd", "median", "q1", "q3", "undertryckt"]
_MEANS = ("medel", "sd", "median", "q1", "q3")
_TEST_MEANS = ("diff_medel", "diff_medel_lag", "diff_medel_hog", "hl_skift", "hl_lag", "hl_hog")
NUMERIC_TEST_COLUMNS = [*TEST_COLUMNS, "n_fran", "n_till", *_TEST_MEANS]


def numeric_summary(survey: SurveyData, min_n: int = 5) -> pd.DataFrame:
    """Mean, spread and quartiles of every number question, per group and wave.

    Returns
    -------
    DataFrame
        Columns :data:`NUMERIC_COLUMNS`, one row per question (instrument
        order) × group (``Alla`` first, then as the comparison table) × wave:

        - ``fraga``, ``enkat``, ``grupp``
        - ``n`` (Int64): respondents who answered with a number
        - ``medel``; ``sd`` (sample, ddof=1; NaN with one answer); ``median``
        - ``q1``, ``q3``: the 25th and 75th percentiles, linear interpolation
          between order statistics (``numpy.percentile``'s default, R's type 7)
        - ``undertryckt`` (bool): hidden as in the comparison table; every
          number is then empty
    """
    cells = marked_cells(survey, min_n, (NUMBER,))
    values = typed_values(survey, min_n)
    rows: list[tuple[Any, ...]] = []
    for question_id, group, wave, hidden in zip(cells["id"], cells["grupp"], cells["enkat"], cells["undertryckt"], strict=True):
        answers = values.get((question_id, group, wave), np.empty(0))
        if hidden:
            rows.append((question_id, wave, group, pd.NA, *(math.nan,) * 5, True))
        elif answers.size == 0:
            rows.append((question_id, wave, group, 0, *(math.nan,) * 5, False))
        else:
            q1, median, q3 = np.percentile(answers, [25, 50, 75])
            sd = float(answers.std(ddof=1)) if answers.size >= 2 else math.nan
            rows.append((question_id, wave, group, int(answers.size), float(answers.mean()), sd, float(median), float(q1), float(q3), False))
    table = pd.DataFrame(rows, columns=NUMERIC_COLUMNS).astype({"n": "Int64", **dict.fromkeys(_MEANS, "float64"), "undertryckt": "bool"})
    return published_precision(table, hidden_waves=hidden_waves(survey, min_n), means=_MEANS, shares=())


def numeric_tests(survey: SurveyData, min_n: int = 5) -> pd.DataFrame:
    """Tests of change between waves of every number question, for ``Alla`` and each group.

    Independent samples in every wave (people linked by their code are not
    paired). Compared: each pair of consecutive waves and, with three or
    more waves, the first and the last; only cells shown with answers in both.

    Returns
    -------
    DataFrame
        Columns :data:`NUMERIC_TEST_COLUMNS`: :data:`~.typed.TEST_COLUMNS`
        (``typ`` ``numerisk``, ``alternativ`` empty, ``test`` ``mann_whitney``,
        ``statistik`` U of the later wave, ``effekt`` the rank-biserial
        correlation ``2U / (n1 n2) − 1``, positive when the later wave is
        higher, ``effekt_typ`` ``rangbiserial``; ``p_corr`` adjusted over
        these rows in the exploratory family, or with the report's other
        exploratory tests by :func:`~.survey.analyse_survey`), then

        - ``n_fran``, ``n_till`` (int): answers in each wave
        - ``diff_medel``: mean later − mean earlier; ``diff_medel_lag``,
          ``diff_medel_hog``: its 95 % Welch t interval (NaN with fewer than
          two answers in a wave)
        - ``hl_skift``, ``hl_lag``, ``hl_hog``: the Hodges–Lehmann shift later
          − earlier (median of all pairwise differences) and its 95 % interval
          as R's ``wilcox.test(later, earlier, conf.int = TRUE)``
    """
    instrument = survey.instrument
    cells = marked_cells(survey, min_n, (NUMBER,))
    shown = cells[~cells["undertryckt"] & (cells["n"] > 0)]
    available = set(zip(shown["id"], shown["grupp"], shown["enkat"], strict=True))
    values = typed_values(survey, min_n)
    waves = [str(w) for w in survey.waves]
    rows: list[dict[str, Any]] = []
    for question_id, group in dict.fromkeys(zip(cells["id"], cells["grupp"], strict=True)):
        for fran, till in _wave_pairs(waves):
            if (question_id, group, fran) not in available or (question_id, group, till) not in available:
                continue
            first, second = values[(question_id, group, fran)], values[(question_id, group, till)]
            res = _mann_whitney(first, second)
            low, high = welch_interval(first, second)
            rows.append(
                {"fraga": question_id, "typ": NUMBER, "alternativ": "", "enkat_fran": fran, "enkat_till": till, "grupp": group,
                 "test": res.test, "statistik": res.statistic, "p_unc": res.p, "p_corr": math.nan,
                 "effekt": res.effect, "effekt_typ": res.measure, "n_fran": len(first), "n_till": len(second),
                 "diff_medel": float(second.mean() - first.mean()), "diff_medel_lag": low, "diff_medel_hog": high,
                 **dict(zip(_TEST_MEANS[3:], hodges_lehmann_independent(first, second), strict=True))}
            )  # fmt: skip
    table = _finish(rows, NUMERIC_TEST_COLUMNS, {"n_fran": "int64", "n_till": "int64"})
    for column in ("statistik", "p_unc", "p_corr", "effekt", *_TEST_MEANS):
        table[column] = table[column].astype(float)
    table = exploratory_family(table, instrument.statistics.secondary)
    table["riktning"] = directions(table)
    touched = hidden_waves(survey, min_n)
    return published_precision(table[NUMERIC_TEST_COLUMNS], ("enkat_fran", "enkat_till"), touched, means=_TEST_MEANS, shares=())
