"""Yes/no, single- and multiple-choice questions: the share choosing each option, and its change between waves.

These questions (``janej``, ``enval``, ``flerval``) are nominal: they get
shares, never a mean, and never enter an index or the comparison table. How
the tidy table holds their answers is described in :mod:`.typed`.

:func:`shares` gives, per question, group and wave, the share of the
respondents who chose each option, with its Wilson interval.
:func:`share_tests` tests each change between waves:

- ``janej``: the share of Ja, later − earlier: Pearson chi-square without
  continuity correction on the 2×2 table of wave × Ja/Nej, or Fisher's exact
  test when an expected count is below 5 (the same rule as the share tests of
  ``forandringar.csv``, :mod:`.stattests`); the effect is the difference in
  shares (``andelsskillnad``, later − earlier) with Newcombe's hybrid score
  interval (:func:`~.intervals.newcombe_difference`). The difference is in the
  unit the report shows (percentage points) and has an interval, which Cohen's
  h has not.
- ``flerval``: each option as ``janej``: chosen or not, among those who
  chose at least one option (status ``svar``). The options of a question are
  tested one by one, each row in the exploratory family.
- ``enval``: one omnibus test of options × wave (chi-square, or Fisher's
  exact test / the Fisher–Freeman–Halton test with a Monte Carlo p-value when
  an expected count is below 5, :mod:`.stattests`); the effect is Cramér's V
  (``cramers_v``), without a direction.

Anonymity: the cells are those of :func:`~.typed.typed_cells`, and a group is
hidden in exactly the waves where the comparison table hides it (the decision
is taken once over every cell of the wave, :func:`~.describe.hidden_by_wave`).
A hidden cell keeps its rows (one per option) with ``undertryckt`` true and
every number empty, as in the comparison table; a test involving a hidden or
empty cell gets no row. The counts ``antal`` are published, so the shares are
kept at full precision (rounding them would hide nothing that ``antal / n``
does not give back).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from slutrapport.analysis.cells import _finish
from slutrapport.analysis.changes import _wave_pairs
from slutrapport.analysis.describe import marked_cells
from slutrapport.analysis.families import exploratory_family
from slutrapport.analysis.intervals import newcombe_difference, wilson_interval
from slutrapport.analysis.stattests import _options_by_wave, _share_independent
from slutrapport.analysis.typed import SHARE_KINDS, TEST_COLUMNS, directions, typed_values
from slutrapport.sources.survey.ingest import SurveyData
from slutrapport.sources.survey.instrument import MULTIPLE, SINGLE, YES_NO_KIND, Instrument, Question

__all__ = ["SHARE_COLUMNS", "SHARE_TEST_COLUMNS", "shares", "share_tests", "option_labels"]

SHARE_COLUMNS = ["fraga", "typ", "enkat", "grupp", "alternativ", "antal", "n", "andel", "andel_lag", "andel_hog", "undertryckt"]
SHARE_TEST_COLUMNS = [*TEST_COLUMNS, "n_fran", "n_till", "effekt_lag", "effekt_hog"]
_SHARE_DIFFERENCE = "andelsskillnad"


def option_labels(instrument: Instrument, question: Question) -> list[str]:
    """The options of a question as the tables name them: Ja then Nej (``janej``), else in code order."""
    if question.kind == YES_NO_KIND:
        scale = instrument.scale_for(question)
        yes = min(scale.positive) if scale is not None and scale.positive else 1
        no = next((v for v in sorted(scale.values) if v != yes), 0) if scale is not None else 0
        return [scale.label(yes) if scale else "Ja", scale.label(no) if scale else "Nej"]
    return list(question.options)


def _chosen(instrument: Instrument, question: Question, values: np.ndarray) -> np.ndarray:
    """Respondents × options: whether each respondent chose each option (columns as :func:`option_labels`)."""
    if question.kind == YES_NO_KIND:
        return np.column_stack([values == 1, values == 0])
    if question.kind == SINGLE:
        scale = instrument.scale_for(question)
        codes = np.array(sorted(scale.values) if scale is not None else [], dtype=float)
        return values[:, None] == codes[None, :]
    positions = np.arange(len(question.options), dtype=np.int64)
    return ((values.astype(np.int64)[:, None] >> positions[None, :]) & 1).astype(bool)


def shares(survey: SurveyData, min_n: int = 5) -> pd.DataFrame:
    """The share choosing each option, per yes/no and choice question, group and wave.

    Returns
    -------
    DataFrame
        Columns :data:`SHARE_COLUMNS`, one row per question (instrument
        order) × group (``Alla`` first, then as the comparison table) × wave
        × option (:func:`option_labels`):

        - ``fraga``; ``typ``: ``janej``, ``enval`` or ``flerval``
        - ``enkat``; ``grupp``: ``Alla`` or a reporting group present in the wave
        - ``alternativ``: the option's label
        - ``antal`` (Int64): respondents who chose the option
        - ``n`` (Int64): respondents who answered the question in the wave
          and group (for ``flerval``: chose at least one option)
        - ``andel``: ``antal / n`` (NaN when ``n`` is 0); the shares of a
          ``flerval`` question can add up to more than 1
        - ``andel_lag``, ``andel_hog``: 95 % Wilson interval of ``andel``
          (:func:`~.intervals.wilson_interval`)
        - ``undertryckt`` (bool): the group is hidden in this wave (or ``Alla``
          has ``0 < n < min_n`` answers here); every number is then empty
    """
    instrument = survey.instrument
    cells = marked_cells(survey, min_n, SHARE_KINDS)
    values = typed_values(survey, min_n)
    rows: list[tuple[Any, ...]] = []
    for question_id, group, wave, hidden in zip(cells["id"], cells["grupp"], cells["enkat"], cells["undertryckt"], strict=True):
        question = instrument.question(question_id)
        labels = option_labels(instrument, question)
        if hidden:
            rows += [(question_id, question.kind, wave, group, label, pd.NA, pd.NA, math.nan, math.nan, math.nan, True) for label in labels]
            continue
        answers = values.get((question_id, group, wave), np.empty(0))
        n = len(answers)
        counts = _chosen(instrument, question, answers).sum(axis=0)
        for label, count in zip(labels, counts, strict=True):
            low, high = wilson_interval(int(count), n)
            rows.append((question_id, question.kind, wave, group, label, int(count), n, count / n if n else math.nan, low, high, False))
    table = pd.DataFrame(rows, columns=SHARE_COLUMNS)
    return table.astype(
        {"antal": "Int64", "n": "Int64", "andel": "float64", "andel_lag": "float64", "andel_hog": "float64", "undertryckt": "bool"}
    )


def _two_shares(chosen1: np.ndarray, chosen2: np.ndarray) -> dict[str, Any]:
    """The test of one option chosen or not, earlier → later (a janej question's Ja, one option of a flerval)."""
    k1, n1, k2, n2 = int(chosen1.sum()), len(chosen1), int(chosen2.sum()), len(chosen2)
    difference, low, high = newcombe_difference(k1, n1, k2, n2)
    res = _share_independent(k1, n1, k2, n2, difference)
    # The share difference is an estimate also when the test cannot be computed (everyone Ja in both waves).
    return {"test": res.test, "statistik": res.statistic, "p_unc": res.p, "effekt": difference,
            "effekt_typ": _SHARE_DIFFERENCE, "effekt_lag": low, "effekt_hog": high}  # fmt: skip


def _pair(instrument: Instrument, question: Question, first: np.ndarray, second: np.ndarray) -> list[dict[str, Any]]:
    labels = option_labels(instrument, question)
    chosen1, chosen2 = _chosen(instrument, question, first), _chosen(instrument, question, second)
    if question.kind == YES_NO_KIND:
        return [{"alternativ": labels[0], **_two_shares(chosen1[:, 0], chosen2[:, 0])}]
    if question.kind == MULTIPLE:
        return [{"alternativ": label, **_two_shares(chosen1[:, i], chosen2[:, i])} for i, label in enumerate(labels)]
    res = _options_by_wave(np.column_stack([chosen1.sum(axis=0), chosen2.sum(axis=0)]))
    return [{"alternativ": "", "test": res.test, "statistik": res.statistic, "p_unc": res.p, "effekt": res.effect,
             "effekt_typ": res.measure, "effekt_lag": math.nan, "effekt_hog": math.nan}]  # fmt: skip


def share_tests(survey: SurveyData, min_n: int = 5) -> pd.DataFrame:
    """Tests of change between waves of every yes/no and choice question, for ``Alla`` and each group.

    Independent samples in every wave (people linked by their code are not
    paired). Compared: each pair of consecutive waves and, with three or
    more waves, the first and the last; only cells shown with answers in both
    waves. The tests and effects are described in the module docstring.

    Returns
    -------
    DataFrame
        Columns :data:`SHARE_TEST_COLUMNS`: :data:`~.typed.TEST_COLUMNS`
        (``statistik``: chi-square, the odds ratio of Fisher's 2×2 test or
        the probability of the table of the Fisher–Freeman–Halton test;
        ``effekt_typ``: ``andelsskillnad`` or ``cramers_v``; ``p_corr``
        adjusted over these rows in the exploratory family, or with the
        report's other exploratory tests by :func:`~.survey.analyse_survey`),
        then

        - ``n_fran``, ``n_till`` (int): respondents who answered in each wave
          (``n`` of :func:`shares`)
        - ``effekt_lag``, ``effekt_hog``: 95 % Newcombe interval of the share
          difference; NaN for ``enval``
    """
    instrument = survey.instrument
    cells = marked_cells(survey, min_n, SHARE_KINDS)
    shown = cells[~cells["undertryckt"] & (cells["n"] > 0)]
    available = set(zip(shown["id"], shown["grupp"], shown["enkat"], strict=True))
    values = typed_values(survey, min_n)
    waves = [str(w) for w in survey.waves]
    rows: list[dict[str, Any]] = []
    for question_id, group in dict.fromkeys(zip(cells["id"], cells["grupp"], strict=True)):
        question = instrument.question(question_id)
        for fran, till in _wave_pairs(waves):
            if (question_id, group, fran) not in available or (question_id, group, till) not in available:
                continue
            first, second = values[(question_id, group, fran)], values[(question_id, group, till)]
            base = {"fraga": question_id, "typ": question.kind, "enkat_fran": fran, "enkat_till": till, "grupp": group,
                    "p_corr": math.nan, "n_fran": len(first), "n_till": len(second)}  # fmt: skip
            rows += [{**base, **row} for row in _pair(instrument, question, first, second)]
    table = _finish(rows, SHARE_TEST_COLUMNS, {"n_fran": "int64", "n_till": "int64"})
    for column in ("statistik", "p_unc", "p_corr", "effekt", "effekt_lag", "effekt_hog"):
        table[column] = table[column].astype(float)
    table = exploratory_family(table, instrument.statistics.secondary)
    table["riktning"] = directions(table)
    return table[SHARE_TEST_COLUMNS]
