"""Descriptive statistics per question and index, group and wave (the comparison table).

:func:`compare_waves` returns the table behind ``jamforelse.csv``: one row per
cell with the columns

- ``niva``: ``fraga`` or ``index``
- ``id``: question or index id; ``text``: question text or index name
- ``grupp``: ``Alla``, an organisation as written in the data, ``Ej angiven``
  (blank organisation) or ``Övriga`` (small organisations merged)
- ``enkat``: the wave label
- ``n``: answers on the scale ("saknas" answers and blanks excluded); for an
  index, respondents with a score
- ``medel``, ``sd`` (sample, ddof=1), ``median``
- ``andel_positiva``: share (0–1) of the ``n`` answers in the ``positiva`` of
  the question's own scale (:meth:`Instrument.scale_for`); for an index, share
  of scores that the index's scale counts as positive (``Scale.is_positive``
  on :meth:`Instrument.index_scale`: at or above the lowest positive value
  when the positive values are the top of the scale)
- ``undertryckt``: the cell is hidden by the anonymity rules (numbers empty);
  a group hidden in one cell of a wave is hidden in every cell of that wave,
  and the table never says why (see :mod:`.suppression`)

In a wave where some cell of any table is hidden (:func:`hidden_waves`),
``medel``, ``sd`` and ``median`` are rounded to 1 decimal and
``andel_positiva`` to 2 (whole percents), the precision the report shows;
other waves keep full precision (:func:`~.suppression.published_precision`).

Only questions of the type ``skala`` enter the table (and every table built
from it); yes/no, choice and number questions are summarised by
:mod:`.categorical` and :mod:`.numeric`, free text by :func:`free_text`.
Question statistics use the answers as given (a reverse-scored question is
reported as it was asked). Index scores reverse ``omvand`` items as
``min + max − value`` of the item's own scale and need at least half of the
index's items answered.

Which groups are hidden in a wave is decided once over every cell published
for the wave, those of the other question types included
(:func:`hidden_by_wave`), so the comparison and the tables of
:mod:`.categorical` and :mod:`.numeric` hide the same groups.
"""

from __future__ import annotations

import hashlib
import random

import numpy as np
import pandas as pd

from slutrapport.analysis.cell_stats import _scale_cells, _value_counts
from slutrapport.analysis.coded import _codes, _groups, _observation_frame, _observations
from slutrapport.analysis.respondents import reporting_groups, respondent_groups
from slutrapport.analysis.suppression import hidden_cells, published_precision, suppress, wave_hidden_groups
from slutrapport.analysis.typed import CELL_COLUMNS, typed_cells
from slutrapport.sources.survey.answers import ANSWERED
from slutrapport.sources.survey.ingest import FREETEXT_STATUS, SurveyData
from slutrapport.sources.survey.instrument import Instrument, Question, Scale

__all__ = [
    "COMPARISON_COLUMNS",
    "CONTRACT_COLUMNS",
    "compare_waves",
    "index_scores",
    "respondent_groups",
    "free_text",
    "response_summary",
    "answer_distribution",
    "observations",
    "reporting_groups",
    "hidden_by_wave",
    "hidden_waves",
    "marked_cells",
]

CONTRACT_COLUMNS = ["niva", "id", "text", "grupp", "enkat", "n", "medel", "sd", "median", "andel_positiva", "undertryckt"]
COMPARISON_COLUMNS = list(CONTRACT_COLUMNS)  # the reason a cell is hidden is never kept
QUESTION = "fraga"
INDEX = "index"


def _own_scale(instrument: Instrument, question: Question) -> Scale:
    """The scale a ``skala`` question is answered on (the instrument's default when it names none)."""
    return instrument.scale_for(question) or instrument.scale


def _mirror_sums(instrument: Instrument, questions: list[Question]) -> dict[str, int]:
    """Question id → ``min + max`` of its own scale, for the ``omvand`` questions: the reversed value is this minus the answer."""
    return {q.id: _own_scale(instrument, q).min + _own_scale(instrument, q).max for q in questions if q.reverse}


def index_scores(tidy: pd.DataFrame, instrument: Instrument) -> pd.DataFrame:
    """Each respondent's score per index.

    Returns
    -------
    DataFrame
        Columns ``respondent``, ``enkat``, ``index``, ``score`` (mean of the
        answered items after reversing ``omvand`` items), ``answered`` (items
        answered) and ``items`` (items in the index). Only respondents who
        answered at least half of the index's items are included. The rows
        are in the order of the tidy table (the files' order), not sorted by
        ``respondent``: that id holds the file row ("1:10" sorts before
        "1:2"), and floating-point sums in another order would make the same
        answers give other last digits in a file with more header rows.
    """
    item_index = {q.id: q.index for q in instrument.scale_questions if q.index}
    mirror = _mirror_sums(instrument, [q for q in instrument.scale_questions if q.index])
    items = pd.Series({i: len(instrument.index_items(i)) for i in instrument.indices}, dtype=int)
    answered = tidy[(tidy["status"] == ANSWERED) & tidy["fraga"].isin(item_index.keys())]
    values = answered["varde"].where(~answered["fraga"].isin(mirror.keys()), answered["fraga"].map(mirror) - answered["varde"])
    frame = pd.DataFrame(
        {
            "respondent": answered["respondent"],
            "enkat": answered["enkat"],
            "index": answered["fraga"].map(item_index),
            "varde": values,
        }
    )
    scores = (
        frame.groupby(["respondent", "enkat", "index"], observed=True, sort=False)["varde"]
        .agg(score="mean", answered="count")
        .reset_index()
    )
    scores["items"] = scores["index"].map(items).astype(int)
    return scores[scores["answered"] * 2 >= scores["items"]].reset_index(drop=True)


def observations(survey: SurveyData, min_n: int) -> pd.DataFrame:
    """Every value that enters the comparison, one row per respondent × question or index.

    Returns
    -------
    DataFrame
        Columns ``niva``, ``id``, ``respondent``, ``grupp`` (reporting group,
        not ``Alla``), ``enkat`` (str), ``varde`` (answer or index score) and
        ``positiv`` (bool). Computed once per survey and threshold; treat it as read-only.
    """
    key = ("observations", min_n)
    if key not in survey.derived:
        survey.derived[key] = _observation_frame(survey, min_n)
    return survey.derived[key]


def compare_waves(survey: SurveyData, min_n: int = 5, exact: bool = False) -> pd.DataFrame:
    """The comparison table for every question and index, group and wave.

    Parameters
    ----------
    survey : SurveyData
        Validated waves from :func:`slutrapport.sources.survey.read_waves`.
    min_n : int, default 5
        Anonymity threshold: cells with fewer answers are suppressed, and
        their group in every cell of that wave.
    exact : bool, default False
        Keep full precision also in waves with a hidden group (for
        computations such as intervals; never for publishing).

    Returns
    -------
    DataFrame
        Columns :data:`COMPARISON_COLUMNS` (documented in the module docstring),
        sorted by level (index first), instrument order, group and wave.
    """
    table = suppress(_scale_table(survey, min_n), min_n, hidden_by_wave(survey, min_n))
    if not exact:
        table = published_precision(table, hidden_waves=hidden_waves(survey, min_n))
    return table[COMPARISON_COLUMNS].reset_index(drop=True)


def _scale_table(survey: SurveyData, min_n: int) -> pd.DataFrame:
    """The comparison's cells before suppression (read-only, computed once per survey and threshold)."""
    key = ("scale_table", min_n)
    if key not in survey.derived:
        survey.derived[key] = _scale_cells(survey, min_n)
    return survey.derived[key]


def _all_cells(survey: SurveyData, min_n: int) -> pd.DataFrame:
    """Every cell published for the survey: the comparison's questions and indices, then the other question types."""
    key = ("all_cells", min_n)
    if key not in survey.derived:
        scale = _scale_table(survey, min_n)[CELL_COLUMNS]
        survey.derived[key] = pd.concat([scale, typed_cells(survey, min_n)], ignore_index=True)
    return survey.derived[key]


def hidden_by_wave(survey: SurveyData, min_n: int) -> dict[str, set[str]]:
    """The groups hidden in each wave, decided once over every cell of the wave (:func:`~.suppression.hidden_groups`).

    The cells are the comparison's questions and indices and the yes/no,
    choice and number questions (:func:`typed_cells`): a group hidden in one
    of them is hidden in every table of the wave. Wave label → set of groups.
    """
    key = ("hidden_by_wave", min_n)
    if key not in survey.derived:
        survey.derived[key] = wave_hidden_groups(_all_cells(survey, min_n), min_n)
    return survey.derived[key]


def hidden_waves(survey: SurveyData, min_n: int) -> set[str]:
    """The waves with a hidden cell in any table (a hidden group, or ``Alla`` with too few answers somewhere).

    Their means and shares are published at the report's precision (:func:`~.suppression.published_precision`).
    """
    key = ("hidden_waves", min_n)
    if key not in survey.derived:
        cells = _all_cells(survey, min_n)
        hidden = hidden_cells(cells, min_n, hidden_by_wave(survey, min_n))
        survey.derived[key] = frozenset(cells.loc[hidden, "enkat"].astype(str))
    return set(survey.derived[key])


def marked_cells(survey: SurveyData, min_n: int, kinds: tuple[str, ...]) -> pd.DataFrame:
    """:func:`~.typed.typed_cells` of the question types ``kinds``, with ``undertryckt`` as in every table of the wave."""
    cells = typed_cells(survey, min_n)
    cells = cells[cells["niva"].isin(kinds)].reset_index(drop=True)
    return cells.assign(undertryckt=hidden_cells(cells, min_n, hidden_by_wave(survey, min_n)))


def free_text(survey: SurveyData, min_n: int = 5) -> pd.DataFrame:
    """Free-text answers per wave and question, for the whole group only.

    Answers are returned in a shuffled order (so their order cannot be matched
    to rows in the file or to background data) and only for waves where at
    least ``min_n`` people answered the survey.

    Returns
    -------
    DataFrame
        Columns ``enkat``, ``fraga``, ``text``.
    """
    codes = _codes(survey)
    respondents = _respondents_per_wave(codes)
    texts = survey.tidy.take(np.flatnonzero(codes.status_is(FREETEXT_STATUS)))
    rows = []
    for wave in survey.waves:
        if respondents.get(str(wave), 0) < min_n:
            continue
        for question in survey.instrument.freetext_questions:
            answers = texts[(texts["enkat"] == wave) & (texts["fraga"] == question.id)]["svar"].tolist()
            seed = hashlib.sha256("\x1f".join(sorted(answers)).encode("utf-8")).hexdigest()
            random.Random(seed).shuffle(answers)
            rows += [(wave, question.id, text) for text in answers]
    return pd.DataFrame(rows, columns=["enkat", "fraga", "text"])


def response_summary(survey: SurveyData) -> pd.DataFrame:
    """What was counted and excluded per wave (totals only, no groups).

    Returns
    -------
    DataFrame
        Columns ``enkat``, ``fil``, ``svarande`` (respondents with at least one
        answer to a question of any type but free text: the people counted in
        the reporting groups), ``svar`` (answers on the scale: ``skala``
        questions only), ``saknas`` (answers such as "Vet ej" to ``skala``
        questions), ``tomma`` (blank ``skala`` answers) and, appended,
        ``svar_andra`` (answers to yes/no, choice and number questions).
    """
    codes = _codes(survey)
    counted = ~codes.status_is(FREETEXT_STATUS)
    on_scale = codes.of_questions(survey.instrument.scale_questions, survey.instrument)
    answered = codes.answered
    respondents = _respondents_per_wave(codes)
    waves = len(codes.waves) + 1  # the last: a wave not among the survey's
    kinds = {"svar": answered, "saknas": codes.status_is("saknas"), "tomma": codes.status_is("tomt")}
    on_scale_by_wave = {k: np.bincount(codes.wave[counted & on_scale & flag], minlength=waves) for k, flag in kinds.items()}
    other = np.bincount(codes.wave[counted & answered & ~on_scale], minlength=waves)
    rows = []
    for wave in survey.waves:
        at = codes.waves.index(str(wave))
        rows.append(
            {
                "enkat": wave,
                "fil": survey.files.get(wave, ""),
                "svarande": int(respondents.get(str(wave), 0)),
                "svar": int(on_scale_by_wave["svar"][at]),
                "saknas": int(on_scale_by_wave["saknas"][at]),
                "tomma": int(on_scale_by_wave["tomma"][at]),
                "svar_andra": int(other[at]),
            }
        )
    return pd.DataFrame(rows, columns=["enkat", "fil", "svarande", "svar", "saknas", "tomma", "svar_andra"])


def answer_distribution(survey: SurveyData, comparison: pd.DataFrame, min_n: int = 5) -> pd.DataFrame:
    """How the answers to each question spread over the scale, for shown cells only.

    Parameters
    ----------
    survey : SurveyData
    comparison : DataFrame
        From :func:`compare_waves` with the same ``min_n``; suppressed and
        empty cells are left out.
    min_n : int, default 5

    Returns
    -------
    DataFrame
        One row per question × group × wave × scale value, columns

        - ``id``: question id; ``grupp``; ``enkat``
        - ``varde``: the value (every value of the question's own scale, also those nobody chose)
        - ``antal``: answers with that value; ``andel``: ``antal / n`` (0–1)
    """
    shown = comparison[
        (comparison["niva"] == QUESTION) & ~comparison["undertryckt"].astype(bool) & (comparison["n"].fillna(0) > 0)
    ]
    return _distribution(survey, shown, min_n)


def _respondents_per_wave(codes) -> dict[str, int]:
    """Wave label → respondents with at least one answer (status ``svar``) in the wave."""
    rows = np.flatnonzero(codes.answered & (codes.wave >= 0))
    seen = np.zeros((len(codes.waves), len(codes.people)), dtype=bool)
    seen[codes.wave[rows], codes.person[rows]] = True
    return {wave: int(count) for wave, count in zip(codes.waves, seen.sum(axis=1), strict=True)}


def _distribution(survey: SurveyData, shown: pd.DataFrame, min_n: int) -> pd.DataFrame:
    """The rows of :func:`answer_distribution` for the ``shown`` question cells, from the count table."""
    instrument = survey.instrument
    counted = _value_counts(survey, min_n)
    items, group_count, wave_count = counted.shape
    obs_items = _observations(survey, min_n).items
    item_of = {(niva, item): i for i, (niva, item, _) in enumerate(obs_items)}
    group_of = {g: i for i, g in enumerate(_groups(survey, min_n).names)}
    wave_of = {w: i for i, w in enumerate(_codes(survey).waves)}
    values = {q.id: sorted(_own_scale(instrument, q).values) for q in instrument.scale_questions}
    ids = shown["id"].to_numpy(dtype=object)
    lengths = np.array([len(values[i]) for i in ids], dtype=np.int64)
    cell = np.array(
        [(item_of[(QUESTION, i)] * group_count + group_of[g]) * wave_count + wave_of[str(w)]
         for i, g, w in zip(ids, shown["grupp"], shown["enkat"], strict=True)],
        dtype=np.int64,
    )  # fmt: skip
    scale_values = np.array([v for i in ids for v in values[i]], dtype=np.int64)
    column = np.searchsorted(counted.values, scale_values.astype(float))
    found = column < len(counted.values)
    found[found] = counted.values[column[found]] == scale_values[found]
    repeated = np.repeat(cell, lengths)
    antal = np.zeros(len(scale_values), dtype=np.int64)
    if len(counted.values):
        antal = np.where(found, counted.counts[repeated, np.minimum(column, len(counted.values) - 1)], 0)
    n = np.repeat(shown["n"].to_numpy(dtype=np.int64), lengths)
    return pd.DataFrame(
        {
            "id": np.repeat(ids, lengths),
            "grupp": np.repeat(shown["grupp"].to_numpy(dtype=object), lengths),
            "enkat": np.repeat(shown["enkat"].to_numpy(dtype=object), lengths),
            "varde": scale_values,
            "antal": antal.astype(np.int64),
            "andel": antal / n,
        },
        columns=["id", "grupp", "enkat", "varde", "antal", "andel"],
    )
