"""The yes/no, choice and number questions: their answers and their cells.

These types (:data:`TYPED_KINDS`) are counted and summarised in tables of
their own (:mod:`.categorical`, :mod:`.numeric`) and never enter a mean, an
index or the comparison table (only ``skala`` questions do). Their cells are
part of the anonymity decision of every wave (:func:`~.describe.hidden_by_wave`):
a group with too few answers to one of them is hidden in the whole wave, in
every table.

The tidy table holds them as (``sources/survey/ingest.py``): ``janej`` with
``varde`` 1 for Ja and 0 for Nej; ``enval`` with the option's code (the value
of the question's nominal scale); ``flerval`` one row per respondent ×
question with ``varde`` the sum of ``2 ** i`` over the chosen options'
positions ``i`` (0-based, in the order of ``Question.options``), status
``svar`` when at least one is chosen, else ``tomt``; ``numerisk`` the number.
Only answers with status ``svar`` are counted.

Their tests of change (:mod:`.categorical`, :mod:`.numeric`) share the first
columns :data:`TEST_COLUMNS`:

- ``fraga``, ``typ``: the question and its type
- ``alternativ``: the option tested (the Ja label for ``janej``, each option
  for ``flerval``); ``""`` for the omnibus test of an ``enval`` question and
  for ``numerisk``
- ``enkat_fran``, ``enkat_till``: the waves compared, consecutive pairs and,
  with three or more waves, the first and the last
- ``grupp``: ``Alla`` or a reporting group shown in both waves
- ``test``, ``statistik``, ``p_unc`` (two-sided; NaN when the test cannot be
  computed), ``p_corr``, ``familj`` (``utforskande``), ``justering``
- ``effekt``, ``effekt_typ``: the effect size and its name
- ``riktning``: ``ökning`` or ``minskning`` when ``p_corr`` is below
  :data:`~.families.DECISION_LEVEL`, read from the sign of the effect of the
  test that decided (the share difference, or the rank-biserial correlation
  of Mann–Whitney); ``skillnad`` for a decided omnibus test of an ``enval``
  question (a changed distribution has no direction); otherwise
  ``ingen säker skillnad``

The tests are for independent samples: people linked by their code between
waves are not paired for these types (a paired design would make the tests
conservative when answers correlate within a person).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from slutrapport.analysis.coded import _codes, _groups
from slutrapport.analysis.families import DECISION_LEVEL
from slutrapport.analysis.suppression import ALL
from slutrapport.sources.survey.ingest import SurveyData
from slutrapport.sources.survey.instrument import MULTIPLE, NUMBER, SINGLE, YES_NO_KIND

__all__ = [
    "SHARE_KINDS", "TYPED_KINDS", "CELL_COLUMNS", "TEST_COLUMNS", "INCREASE", "DECREASE", "DIFFERENT", "NO_CERTAIN_CHANGE",
    "typed_observations", "typed_cells", "typed_values", "directions",
]  # fmt: skip

#: Question types summarised as shares of their options (:mod:`.categorical`); with ``numerisk`` (:mod:`.numeric`)
#: the types that are counted but never enter a mean, an index or the comparison table.
SHARE_KINDS = (YES_NO_KIND, SINGLE, MULTIPLE)
TYPED_KINDS = (*SHARE_KINDS, NUMBER)
#: The columns of a cell as the anonymity rules see it (:func:`~.suppression.hidden_groups`).
CELL_COLUMNS = ["niva", "id", "grupp", "enkat", "n"]
#: The first columns of :func:`~.categorical.share_tests` and :func:`~.numeric.numeric_tests` (module docstring).
TEST_COLUMNS = [
    "fraga", "typ", "alternativ", "enkat_fran", "enkat_till", "grupp", "test", "statistik",
    "p_unc", "p_corr", "familj", "justering", "effekt", "effekt_typ", "riktning",
]  # fmt: skip
INCREASE = "ökning"
DECREASE = "minskning"
DIFFERENT = "skillnad"
NO_CERTAIN_CHANGE = "ingen säker skillnad"
_UNSIGNED = ("cramers_v",)  # effects without a direction


def typed_observations(survey: SurveyData, min_n: int) -> pd.DataFrame:
    """Every answer to a yes/no, choice or number question (:data:`TYPED_KINDS`), one row per respondent × question.

    Returns
    -------
    DataFrame
        Columns ``typ`` (the question's type), ``fraga``, ``respondent``,
        ``grupp`` (reporting group, not ``Alla``), ``enkat`` (str) and
        ``varde``: 1 (Ja) or 0 (Nej), the option's code (``enval``), the sum
        of ``2 ** i`` over the chosen options' positions ``i`` (``flerval``;
        at least one chosen) or the number. Only answers with status ``svar``.
        Computed once per survey and threshold; treat it as read-only.
    """
    key = ("typed_observations", min_n)
    if key not in survey.derived:
        instrument = survey.instrument
        kinds = {q.id: q.kind for q in instrument.questions if q.kind in TYPED_KINDS}
        codes = _codes(survey)
        rows = np.flatnonzero(codes.answered & codes.of_questions([q for q in instrument.questions if q.id in kinds], instrument))
        answered = survey.tidy.take(rows)
        groups = _groups(survey, min_n)
        survey.derived[key] = pd.DataFrame(
            {
                "typ": answered["fraga"].map(kinds).to_numpy(dtype=object),
                "fraga": answered["fraga"].to_numpy(dtype=object),
                "respondent": answered["respondent"].to_numpy(dtype=object),
                "grupp": np.asarray(groups.names, dtype=object)[groups.group[codes.person[rows]]],
                "enkat": answered["enkat"].astype(str).to_numpy(dtype=object),
                "varde": answered["varde"].to_numpy(dtype=float),
            }
        )
    return survey.derived[key]


def typed_cells(survey: SurveyData, min_n: int) -> pd.DataFrame:
    """The cells of the yes/no, choice and number questions, in report order (as the comparison's grid).

    Returns
    -------
    DataFrame
        One row per question (instrument order) × group (``Alla`` first, then
        the groups present in the wave, as :func:`~.describe.compare_waves`) × wave, columns
        ``niva`` (the question's type), ``id``, ``grupp``, ``enkat`` and ``n``
        (respondents who answered the question; for ``flerval`` those who chose
        at least one option). Before suppression: mark hidden rows with
        :func:`~.suppression.hidden_cells` and :func:`~.describe.hidden_by_wave`.
    """
    key = ("typed_cells", min_n)
    if key not in survey.derived:
        obs = typed_observations(survey, min_n)
        coded = _groups(survey, min_n)
        present, groups = coded.pairs, coded.names[1:]
        by_group = obs.groupby(["fraga", "grupp", "enkat"]).size().to_dict()
        everyone = obs.groupby(["fraga", "enkat"]).size().to_dict()
        rows = [
            (q.kind, q.id, group, wave, int(everyone.get((q.id, wave), 0) if group == ALL else by_group.get((q.id, group, wave), 0)))
            for q in survey.instrument.questions
            if q.kind in TYPED_KINDS
            for group in [ALL, *groups]
            for wave in map(str, survey.waves)
            if group == ALL or (group, wave) in present
        ]
        survey.derived[key] = pd.DataFrame(rows, columns=CELL_COLUMNS).astype({"n": "int64"})
    return survey.derived[key]


def typed_values(survey: SurveyData, min_n: int) -> dict[tuple[str, str, str], np.ndarray]:
    """The ``varde`` of each cell, (question, group, wave) → array, ``Alla`` included (computed once)."""
    key = ("typed_values", min_n)
    if key not in survey.derived:
        obs = typed_observations(survey, min_n)
        values: dict[tuple[str, str, str], np.ndarray] = {}
        for (question, group, wave), frame in obs.groupby(["fraga", "grupp", "enkat"], sort=False):
            values[(question, group, wave)] = frame["varde"].to_numpy(dtype=float)
        for (question, wave), frame in obs.groupby(["fraga", "enkat"], sort=False):
            values[(question, ALL, wave)] = frame["varde"].to_numpy(dtype=float)
        survey.derived[key] = values
    return survey.derived[key]


def directions(table: pd.DataFrame) -> np.ndarray:
    """``riktning`` of each test row (module docstring), from ``p_corr``, ``effekt`` and ``effekt_typ``."""
    p = table["p_corr"].to_numpy(dtype=float)
    effect = table["effekt"].to_numpy(dtype=float)
    decided = np.nan_to_num(p, nan=1.0) < DECISION_LEVEL
    unsigned = table["effekt_typ"].isin(_UNSIGNED).to_numpy(dtype=bool)
    signed = np.where(effect > 0, INCREASE, np.where(effect < 0, DECREASE, NO_CERTAIN_CHANGE))
    return np.where(decided, np.where(unsigned, DIFFERENT, signed), NO_CERTAIN_CHANGE).astype(object)
