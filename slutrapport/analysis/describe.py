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

from slutrapport.analysis.respondents import present_groups, reporting_groups, respondent_groups
from slutrapport.analysis.suppression import ALL, hidden_cells, published_precision, suppress, wave_hidden_groups
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


def _stats(obs: pd.DataFrame) -> pd.DataFrame:
    frame = obs.assign(positiv=obs["positiv"].astype(float))
    grouped = frame.groupby(["niva", "id", "grupp", "enkat"], observed=True, sort=False)
    return grouped.agg(
        n=("varde", "count"),
        medel=("varde", "mean"),
        sd=("varde", "std"),
        median=("varde", "median"),
        andel_positiva=("positiv", "mean"),
    ).reset_index()


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
        survey.derived[key] = _observations(survey, min_n)
    return survey.derived[key]


def _observations(survey: SurveyData, min_n: int) -> pd.DataFrame:
    instrument = survey.instrument
    tidy = survey.tidy
    groups = reporting_groups(survey, min_n)["grupp"]
    answered = tidy[(tidy["status"] == ANSWERED) & tidy["fraga"].isin([q.id for q in instrument.scale_questions])]
    questions = answered["fraga"].to_numpy()
    values = answered["varde"].to_numpy(dtype=float)
    positive = np.zeros(len(answered), dtype=bool)
    for question in instrument.scale_questions:  # answers are values of the scale: in positiva is Scale.is_positive
        mask = questions == question.id
        positive[mask] = np.isin(values[mask], sorted(_own_scale(instrument, question).positive))
    scores = index_scores(tidy, instrument)
    index_scales = {i: instrument.index_scale(i) for i in instrument.indices}
    return pd.concat(
        [
            pd.DataFrame(
                {
                    "niva": QUESTION,
                    "id": answered["fraga"].to_numpy(),
                    "respondent": answered["respondent"].to_numpy(),
                    "enkat": answered["enkat"].astype(str).to_numpy(),
                    "varde": answered["varde"].to_numpy(),
                    "positiv": positive,
                }
            ),
            pd.DataFrame(
                {
                    "niva": INDEX,
                    "id": scores["index"].to_numpy(),
                    "respondent": scores["respondent"].to_numpy(),
                    "enkat": scores["enkat"].astype(str).to_numpy(),
                    "varde": scores["score"].to_numpy(),
                    "positiv": _index_positive(scores, index_scales),
                }
            ),
        ],
        ignore_index=True,
    ).assign(grupp=lambda frame: frame["respondent"].map(groups))


def _index_positive(scores: pd.DataFrame, index_scales: dict) -> np.ndarray:
    """``Scale.is_positive`` of every index score, asked once per distinct score of each index (scores repeat)."""
    ids = scores["index"].to_numpy()
    values = scores["score"].to_numpy(dtype=float)
    positive = np.zeros(len(values), dtype=bool)
    for index_id, scale in index_scales.items():
        mask = ids == index_id
        distinct, which = np.unique(values[mask], return_inverse=True)
        positive[mask] = np.array([scale.is_positive(float(v)) for v in distinct], dtype=bool)[which]
    return positive


def _with_everyone(obs: pd.DataFrame, survey: SurveyData) -> pd.DataFrame:
    if "organisation" not in survey.instrument.background:
        return obs
    return pd.concat([obs.assign(grupp=ALL), obs], ignore_index=True)


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
        people = reporting_groups(survey, min_n)
        stats = _stats(_with_everyone(observations(survey, min_n), survey))
        grid = _grid(survey.instrument, survey.waves, people)
        table = grid.merge(stats, on=["niva", "id", "grupp", "enkat"], how="left")
        table["n"] = table["n"].fillna(0).astype(int)
        survey.derived[key] = table
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
    cells = _all_cells(survey, min_n)
    hidden = hidden_cells(cells, min_n, hidden_by_wave(survey, min_n))
    return set(cells.loc[hidden, "enkat"].astype(str))


def marked_cells(survey: SurveyData, min_n: int, kinds: tuple[str, ...]) -> pd.DataFrame:
    """:func:`~.typed.typed_cells` of the question types ``kinds``, with ``undertryckt`` as in every table of the wave."""
    cells = typed_cells(survey, min_n)
    cells = cells[cells["niva"].isin(kinds)].reset_index(drop=True)
    return cells.assign(undertryckt=hidden_cells(cells, min_n, hidden_by_wave(survey, min_n)))


def _grid(instrument: Instrument, waves: list[str], people: pd.DataFrame) -> pd.DataFrame:
    """Every (level, id) × group present in the wave × wave, in report order."""
    items = [(INDEX, i, name) for i, name in instrument.indices.items()]
    items += [(QUESTION, q.id, q.text) for q in instrument.scale_questions]
    present, all_groups = present_groups(people)
    rows = [
        (niva, item_id, text, group, wave)
        for niva, item_id, text in items
        for group in [ALL, *all_groups]
        for wave in waves
        if group == ALL or (group, wave) in present
    ]
    return pd.DataFrame(rows, columns=["niva", "id", "text", "grupp", "enkat"])


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
    tidy = survey.tidy
    respondents = tidy[tidy["status"] == ANSWERED].groupby("enkat", observed=True)["respondent"].nunique()
    texts = tidy[tidy["status"] == FREETEXT_STATUS]
    rows = []
    for wave in survey.waves:
        if respondents.get(wave, 0) < min_n:
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
    tidy = survey.tidy
    counted = tidy[tidy["status"] != FREETEXT_STATUS]
    scale_ids = [q.id for q in survey.instrument.scale_questions]
    rows = []
    for wave in survey.waves:
        wave_rows = counted[counted["enkat"] == wave]
        on_scale = wave_rows["fraga"].isin(scale_ids)
        status = wave_rows.loc[on_scale, "status"].value_counts()
        rows.append(
            {
                "enkat": wave,
                "fil": survey.files.get(wave, ""),
                "svarande": int(wave_rows.loc[wave_rows["status"] == ANSWERED, "respondent"].nunique()),
                "svar": int(status.get(ANSWERED, 0)),
                "saknas": int(status.get("saknas", 0)),
                "tomma": int(status.get("tomt", 0)),
                "svar_andra": int(((wave_rows["status"] == ANSWERED) & ~on_scale).sum()),
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
    obs = _with_everyone(observations(survey, min_n), survey)
    obs = obs[obs["niva"] == QUESTION]
    counts = obs.groupby(["id", "grupp", "enkat", "varde"]).size()
    instrument = survey.instrument
    values = {q.id: sorted(_own_scale(instrument, q).values) for q in instrument.scale_questions}
    rows = []
    for cell in shown.itertuples(index=False):
        for value in values[cell.id]:
            count = int(counts.get((cell.id, cell.grupp, cell.enkat, float(value)), 0))
            rows.append((cell.id, cell.grupp, cell.enkat, value, count, count / int(cell.n)))
    return pd.DataFrame(rows, columns=["id", "grupp", "enkat", "varde", "antal", "andel"])
