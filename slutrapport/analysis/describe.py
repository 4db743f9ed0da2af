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
- ``andel_positiva``: share (0–1) of the ``n`` answers in the scale's
  ``positiva``; for an index, share of scores at or above the lowest positive value
- ``undertryckt``: the cell is hidden by the anonymity rules (numbers empty);
  a group hidden in one cell of a wave is hidden in every cell of that wave,
  and the table never says why (see :mod:`.suppression`)

In a wave where some group is hidden, ``medel``, ``sd`` and ``median`` are
rounded to 1 decimal and ``andel_positiva`` to 2 (whole percents), the
precision the report shows; other waves keep full precision
(:func:`~.suppression.published_precision`).

Question statistics use the answers as given (a reverse-scored question is
reported as it was asked). Index scores reverse ``omvand`` items as
``min + max − value`` and need at least half of the index's items answered.
"""

from __future__ import annotations

import hashlib
import random

import pandas as pd

from slutrapport.analysis.suppression import ALL, OTHERS, UNKNOWN_ORGANISATION, assign_groups, published_precision, suppress
from slutrapport.sources.survey.answers import ANSWERED
from slutrapport.sources.survey.ingest import FREETEXT_STATUS, SurveyData
from slutrapport.sources.survey.instrument import Instrument

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
]

CONTRACT_COLUMNS = ["niva", "id", "text", "grupp", "enkat", "n", "medel", "sd", "median", "andel_positiva", "undertryckt"]
COMPARISON_COLUMNS = list(CONTRACT_COLUMNS)  # the reason a cell is hidden is never kept
QUESTION = "fraga"
INDEX = "index"


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
    scale = instrument.scale
    item_index = {q.id: q.index for q in instrument.scale_questions if q.index}
    reverse = {q.id for q in instrument.scale_questions if q.reverse}
    items = pd.Series({i: len(instrument.index_items(i)) for i in instrument.indices}, dtype=int)
    answered = tidy[(tidy["status"] == ANSWERED) & tidy["fraga"].isin(item_index.keys())]
    values = answered["varde"].where(~answered["fraga"].isin(reverse), scale.min + scale.max - answered["varde"])
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


def respondent_groups(tidy: pd.DataFrame, min_n: int) -> pd.DataFrame:
    """Reporting group per respondent (see :func:`~.suppression.assign_groups`).

    Only respondents with at least one answer on the scale are included and
    count towards the group sizes used for merging.

    Returns
    -------
    DataFrame
        Indexed by ``respondent``, columns ``enkat`` (str) and ``grupp``.
    """
    answered = tidy[tidy["status"] == ANSWERED]
    people = answered.drop_duplicates("respondent")[["respondent", "enkat", "organisation"]]
    return pd.DataFrame(
        {"enkat": people["enkat"].astype(str).to_numpy(), "grupp": assign_groups(people, min_n).to_numpy()},
        index=people["respondent"].to_numpy(),
    )


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


def reporting_groups(survey: SurveyData, min_n: int) -> pd.DataFrame:
    """:func:`respondent_groups`, or everyone in ``Alla`` when the instrument has no organisation question.

    Computed once per survey and threshold; treat the result as read-only.
    """
    key = ("reporting_groups", min_n)
    if key not in survey.derived:
        people = respondent_groups(survey.tidy, min_n)
        if "organisation" not in survey.instrument.background:
            people["grupp"] = ALL
        survey.derived[key] = people
    return survey.derived[key]


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
    scale = instrument.scale
    groups = reporting_groups(survey, min_n)["grupp"]
    answered = tidy[tidy["status"] == ANSWERED]
    scores = index_scores(tidy, instrument)
    return pd.concat(
        [
            pd.DataFrame(
                {
                    "niva": QUESTION,
                    "id": answered["fraga"].to_numpy(),
                    "respondent": answered["respondent"].to_numpy(),
                    "enkat": answered["enkat"].astype(str).to_numpy(),
                    "varde": answered["varde"].to_numpy(),
                    "positiv": answered["varde"].isin(list(scale.positive)).to_numpy(),
                }
            ),
            pd.DataFrame(
                {
                    "niva": INDEX,
                    "id": scores["index"].to_numpy(),
                    "respondent": scores["respondent"].to_numpy(),
                    "enkat": scores["enkat"].astype(str).to_numpy(),
                    "varde": scores["score"].to_numpy(),
                    "positiv": (scores["score"] >= scale.positive_threshold).to_numpy(),
                }
            ),
        ],
        ignore_index=True,
    ).assign(grupp=lambda frame: frame["respondent"].map(groups))


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
    instrument = survey.instrument
    people = reporting_groups(survey, min_n)
    stats = _stats(_with_everyone(observations(survey, min_n), survey))
    grid = _grid(instrument, survey.waves, people)
    table = grid.merge(stats, on=["niva", "id", "grupp", "enkat"], how="left")
    table["n"] = table["n"].fillna(0).astype(int)
    table = suppress(table, min_n)
    if not exact:
        table = published_precision(table)
    return table[COMPARISON_COLUMNS].reset_index(drop=True)


def _group_order(name: str) -> tuple[int, str]:
    if name == ALL:
        return (0, "")
    if name in (UNKNOWN_ORGANISATION, OTHERS):
        return (2, name)
    return (1, name.casefold())


def _grid(instrument: Instrument, waves: list[str], people: pd.DataFrame) -> pd.DataFrame:
    """Every (level, id) × group present in the wave × wave, in report order."""
    items = [(INDEX, i, name) for i, name in instrument.indices.items()]
    items += [(QUESTION, q.id, q.text) for q in instrument.scale_questions]
    present = set(zip(people["grupp"], people["enkat"], strict=True))
    all_groups = sorted({g for g, _ in present} - {ALL}, key=_group_order)
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
        answer on the scale), ``svar`` (answers on the scale), ``saknas``
        (answers such as "Vet ej"), ``tomma`` (blank answers).
    """
    tidy = survey.tidy
    scale_rows = tidy[tidy["status"] != FREETEXT_STATUS]
    rows = []
    for wave in survey.waves:
        wave_rows = scale_rows[scale_rows["enkat"] == wave]
        status = wave_rows["status"].value_counts()
        rows.append(
            {
                "enkat": wave,
                "fil": survey.files.get(wave, ""),
                "svarande": int(wave_rows.loc[wave_rows["status"] == ANSWERED, "respondent"].nunique()),
                "svar": int(status.get(ANSWERED, 0)),
                "saknas": int(status.get("saknas", 0)),
                "tomma": int(status.get("tomt", 0)),
            }
        )
    return pd.DataFrame(rows, columns=["enkat", "fil", "svarande", "svar", "saknas", "tomma"])


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
        - ``varde``: the scale value (every value of the scale, also those nobody chose)
        - ``antal``: answers with that value; ``andel``: ``antal / n`` (0–1)
    """
    shown = comparison[
        (comparison["niva"] == QUESTION) & ~comparison["undertryckt"].astype(bool) & (comparison["n"].fillna(0) > 0)
    ]
    obs = _with_everyone(observations(survey, min_n), survey)
    obs = obs[obs["niva"] == QUESTION]
    counts = obs.groupby(["id", "grupp", "enkat", "varde"]).size()
    rows = []
    for cell in shown.itertuples(index=False):
        for value in sorted(survey.instrument.scale.values):
            count = int(counts.get((cell.id, cell.grupp, cell.enkat, float(value)), 0))
            rows.append((cell.id, cell.grupp, cell.enkat, value, count, count / int(cell.n)))
    return pd.DataFrame(rows, columns=["id", "grupp", "enkat", "varde", "antal", "andel"])
