"""The tidy survey table as integer codes, built once per survey: the fast path of the survey tables.

A large survey's tidy table has millions of rows (respondents × questions ×
waves) whose keys are text (``respondent``, ``fraga``, ``status``,
``organisation``). Grouping on text columns again in every table costs
seconds; here each key is factorised once (:func:`pandas.factorize`, which
works whatever the column's dtype: object, str or category) and the tables
are counted with :func:`numpy.bincount` on the integer codes.

- :func:`_codes`: per tidy row the wave, question, status and respondent as
  codes, and per respondent the first row and the first answered row.
- :func:`_groups`: the reporting groups (:func:`~.respondents.reporting_groups`)
  as a group code per respondent, in report order (``Alla`` is code 0).
- :func:`_observations`: the values behind the comparison table
  (:func:`~.describe.observations`), one row per respondent × question or
  index, as codes: ``item`` (indices first, then the ``skala`` questions, the
  comparison table's order), ``person``, ``wave``, ``value``, ``positive``.
  A cell of the comparison is ``(item * groups + group) * waves + wave``.

Every array keeps the order the pandas tables had (the tidy table's rows,
and the index scores in the order of their first answer), so sums, means
and everything built from them are the same numbers as before. The per-row
codes are kept in the smallest integer type that holds them (a survey has
millions of rows): widen them before arithmetic that may leave that range. Cached in
``survey.derived``; treat the arrays as read-only. Helpers of the analysis
folder only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from slutrapport.analysis.respondents import _group_order
from slutrapport.analysis.suppression import ALL, assign_groups
from slutrapport.sources.survey.answers import ANSWERED
from slutrapport.sources.survey.ingest import SurveyData
from slutrapport.sources.survey.instrument import Instrument, Question, Scale

__all__: list[str] = []  # helpers of the analysis folder only

_BLOCK = 1 << 20  # rows per block of :func:`_bincount`


def _small(count: int) -> type[np.signedinteger]:
    """The smallest signed integer type that holds the codes -1..count-1 (large per-row code arrays stay small)."""
    for dtype in (np.int8, np.int16, np.int32):
        if count <= np.iinfo(dtype).max:
            return dtype
    return np.int64


def _recode(codes: np.ndarray, mapping: list[int]) -> np.ndarray:
    """``mapping[code]`` for every code; -1 (missing) stays -1 (in the smallest type that holds the mapping)."""
    # not np.append(array, -1): NumPy 2 promotes that to int64, eight bytes per row instead of one
    return np.asarray([*mapping, -1], dtype=_small(max(mapping, default=0) + 1))[codes]


def _bincount(codes: np.ndarray, size: int, weights: np.ndarray | None = None) -> np.ndarray:
    """:func:`numpy.bincount` of ``codes`` (all in ``0..size-1``) with ``minlength=size``, a block at a time.

    numpy copies small integer codes to 64-bit ones before counting; by blocks that copy stays small.
    The counts are the same; weighted sums are the same when each bin's partial sums are exact (whole numbers).
    """
    out = np.zeros(size, dtype=np.int64 if weights is None else np.float64)
    for start in range(0, len(codes), _BLOCK):
        block = slice(start, start + _BLOCK)
        out += np.bincount(codes[block], weights=None if weights is None else weights[block], minlength=size)
    return out


def _first_positions(codes: np.ndarray, size: int) -> np.ndarray:
    """The first position of each code 0..size-1 in ``codes`` (-1 where it never occurs)."""
    first = np.full(size, -1, dtype=np.int64)
    positions = np.arange(len(codes), dtype=np.int64)
    first[codes[::-1]] = positions[::-1]  # the last write wins: the first occurrence
    return first


def _labels(column: pd.Series) -> tuple[np.ndarray, object]:
    """(a code per row, -1 where missing; the label of each code): a categorical column's own codes, else ``pandas.factorize``.

    Only for keys whose meaning is read from the labels (the numbering may differ from factorize's)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.codes.to_numpy(), column.cat.categories
    return pd.factorize(column)


class _Codes:
    """The tidy table's keys as codes (see the module docstring)."""

    def __init__(self, survey: SurveyData) -> None:
        tidy = survey.tidy
        self.waves = [str(w) for w in survey.waves]
        wave_of = {w: i for i, w in enumerate(self.waves)}
        codes, uniques = _labels(tidy["enkat"])
        self.wave = _recode(codes, [wave_of.get(str(u), -1) for u in uniques])
        questions = survey.instrument.questions
        question_of = {q.id: i for i, q in enumerate(questions)}
        codes, uniques = _labels(tidy["fraga"])
        self.question = _recode(codes, [question_of.get(u, -1) for u in uniques])
        codes, uniques = _labels(tidy["status"])
        self.statuses = [str(u) for u in uniques]
        self.status = codes.astype(_small(len(uniques)))
        self.answered = self.status_is(ANSWERED)
        codes, people = pd.factorize(tidy["respondent"])
        self.person = codes.astype(_small(len(people)))
        self.people = np.asarray(people, dtype=object)
        del codes
        self.value = tidy["varde"].to_numpy(dtype=float)
        self.first_row = _first_positions(self.person, len(self.people))
        answered_rows = np.flatnonzero(self.answered)
        first = _first_positions(self.person[answered_rows], len(self.people))
        self.first_answer = np.where(first >= 0, answered_rows[np.maximum(first, 0)], -1)
        #: people with an answer, in the order of their first answer (the order of ``reporting_groups``)
        self.answering = np.flatnonzero(self.first_answer >= 0)[np.argsort(self.first_answer[self.first_answer >= 0], kind="stable")]
        #: each respondent's wave, from the first row (any status)
        self.person_wave = self.wave[self.first_row].astype(np.int64)

    def status_is(self, status: str) -> np.ndarray:
        """Per row: whether the status is ``status``."""
        if status not in self.statuses:
            return np.zeros(len(self.status), dtype=bool)
        return self.status == self.statuses.index(status)

    def of_questions(self, questions: list[Question], instrument: Instrument) -> np.ndarray:
        """Per row: whether the row's question is one of ``questions``."""
        wanted = {q.id for q in questions}
        flags = np.array([q.id in wanted for q in instrument.questions] + [False], dtype=bool)
        return flags[self.question]


def _codes(survey: SurveyData) -> _Codes:
    key = ("codes",)
    if key not in survey.derived:
        survey.derived[key] = _Codes(survey)
    return survey.derived[key]


@dataclass(frozen=True)
class _Groups:
    """The reporting groups as codes: ``names`` (``Alla`` first, then report order), per respondent ``group``
    (-1 without an answer), ``present[group, wave]`` and the ``frame`` of :func:`~.respondents.reporting_groups`;
    ``pairs`` the (group, wave) pairs with respondents, as :func:`~.respondents.present_groups`."""

    names: list[str]
    group: np.ndarray
    present: np.ndarray
    frame: pd.DataFrame
    by_organisation: bool
    pairs: frozenset[tuple[str, str]]


def _groups(survey: SurveyData, min_n: int) -> _Groups:
    key = ("group_codes", min_n)
    if key not in survey.derived:
        codes = _codes(survey)
        rows = codes.first_answer[codes.answering]
        people = survey.tidy[["enkat", "organisation"]].take(rows)
        by_organisation = "organisation" in survey.instrument.background
        groups = assign_groups(people, min_n).to_numpy() if by_organisation else np.full(len(rows), ALL, dtype=object)
        frame = pd.DataFrame(
            {"enkat": people["enkat"].astype(str).to_numpy(), "grupp": groups},
            index=codes.people[codes.answering],
        )
        found, uniques = pd.factorize(groups)  # present_groups on the distinct (group, wave) pairs
        wave_codes, wave_names = pd.factorize(frame["enkat"])
        pairs = np.unique(found * max(len(wave_names), 1) + wave_codes)
        present_pairs = {(uniques[p // max(len(wave_names), 1)], str(wave_names[p % max(len(wave_names), 1)])) for p in pairs}
        names = [ALL, *sorted({g for g, _ in present_pairs} - {ALL}, key=_group_order)]
        number = {name: i for i, name in enumerate(names)}
        group = np.full(len(codes.people), -1, dtype=np.int64)
        group[codes.answering] = np.array([number[g] for g in uniques], dtype=np.int64)[found]
        table = np.zeros((len(names), len(codes.waves)), dtype=bool)
        wave_of = {w: i for i, w in enumerate(codes.waves)}
        for name, wave in present_pairs:
            if wave in wave_of:
                table[number[name], wave_of[wave]] = True
        survey.derived[key] = _Groups(names, group, table, frame, by_organisation, frozenset(present_pairs))
    return survey.derived[key]


def _own_scale(instrument: Instrument, question: Question) -> Scale:
    return instrument.scale_for(question) or instrument.scale


@dataclass(frozen=True)
class _Observations:
    """The comparison's values as codes (module docstring); ``items`` are ``(niva, id, text)``, ``indices`` of them first."""

    items: list[tuple[str, str, str]]
    indices: int
    item: np.ndarray
    person: np.ndarray
    wave: np.ndarray
    value: np.ndarray
    positive: np.ndarray
    group: np.ndarray
    questions: int  # the first ``questions`` rows are answers to questions, the rest index scores
    cell: np.ndarray  # the cell of each observation (``(item * groups + group) * waves + wave``; -1: none)
    everyone: np.ndarray  # its ``Alla`` cell (group 0)
    shape: tuple[int, int, int]  # items, groups, waves


def _observations(survey: SurveyData, min_n: int) -> _Observations:
    key = ("observation_codes", min_n)
    if key not in survey.derived:
        survey.derived[key] = _build_observations(survey, min_n)
    return survey.derived[key]


def _build_observations(survey: SurveyData, min_n: int) -> _Observations:
    instrument = survey.instrument
    codes = _codes(survey)
    groups = _groups(survey, min_n)
    scale_questions = instrument.scale_questions
    indices = list(instrument.indices)
    items = [("index", i, name) for i, name in instrument.indices.items()]
    items += [("fraga", q.id, q.text) for q in scale_questions]
    shape = (len(items), len(groups.names), len(codes.waves))
    position = {q.id: i for i, q in enumerate(instrument.questions)}
    item_of = np.full(len(instrument.questions) + 1, -1, dtype=_small(len(items)))
    for i, question in enumerate(scale_questions):
        item_of[position[question.id]] = len(indices) + i
    rows = np.flatnonzero(codes.answered & (item_of[codes.question] >= 0))
    scores = _index_scores(survey, codes, indices)
    answers = len(rows)
    item = np.empty(answers + len(scores[0]), dtype=item_of.dtype)
    item[:answers] = item_of[codes.question[rows]]
    item[answers:] = scores[0]
    value = _joined(codes.value, rows, scores[3])
    positive = np.empty(len(item), dtype=bool)
    positive[:answers] = _question_positive(instrument, scale_questions, item[:answers] - len(indices), value[:answers])
    distinct_codes, distinct = pd.factorize(scores[3])  # Scale.is_positive once per index and distinct score
    table = np.zeros((max(len(indices), 1), len(distinct) + 1), dtype=bool)
    for i, index_id in enumerate(indices):
        scale = instrument.index_scale(index_id)
        table[i, : len(distinct)] = [scale.is_positive(float(v)) for v in distinct]
    positive[answers:] = table[scores[0], distinct_codes]
    del distinct_codes
    person = _joined(codes.person, rows, scores[1])
    wave = _joined(codes.wave, rows, scores[2])
    del rows, scores
    group = groups.group.astype(_small(len(groups.names)))[person]
    return _Observations(
        items=items,
        indices=len(indices),
        item=item,
        person=person,
        wave=wave,
        value=value,
        positive=positive,
        group=group,
        questions=answers,
        cell=_cell_codes(item, group, wave, shape),
        everyone=_cell_codes(item, 0, wave, shape),
        shape=shape,
    )


def _joined(source: np.ndarray, rows: np.ndarray, tail: np.ndarray) -> np.ndarray:
    """``source[rows]`` followed by ``tail``, in ``source``'s type, written straight into one array (no temporaries)."""
    out = np.empty(len(rows) + len(tail), dtype=source.dtype)
    np.take(source, rows, out=out[: len(rows)], mode="clip")  # "clip": no buffered copy (the rows are valid)
    out[len(rows) :] = tail
    return out


def _cell_codes(item: np.ndarray, group: np.ndarray | int, wave: np.ndarray, shape: tuple[int, int, int]) -> np.ndarray:
    """The cell of each observation; -1 outside the grid (a wave not among the survey's waves).

    Computed in place in the smallest integer type that holds every cell (valid codes never exceed the grid).
    """
    cell = item.astype(_small(shape[0] * shape[1] * shape[2]))
    cell *= shape[1]
    cell += group
    cell *= shape[2]
    cell += wave
    outside = wave < 0
    if not np.isscalar(group):
        outside |= group < 0
    cell[outside] = -1
    return cell


def _question_positive(instrument: Instrument, questions: list[Question], which: np.ndarray, value: np.ndarray) -> np.ndarray:
    """Whether each answer is in the ``positiva`` of its question's own scale (``which``: position in ``questions``)."""
    whole = value.astype(np.int64) if len(value) and np.isfinite(value).all() else None
    if whole is not None and np.array_equal(whole, value) and int(whole.max()) - int(whole.min()) < 10_000:
        low = int(whole.min())  # whole numbers in a small range: a table by value, without hashing
        uniques = np.arange(low, int(whole.max()) + 1, dtype=float)
        whole -= low  # in place: the codes of the table's columns
        value_codes = whole
    else:
        value_codes, uniques = pd.factorize(value)
    table = np.zeros((len(questions), len(uniques) + 1), dtype=bool)  # last column: a missing value
    for i, question in enumerate(questions):
        positive = _own_scale(instrument, question).positive
        table[i, : len(uniques)] = np.isin(uniques, sorted(positive))
    return table[which, value_codes]


def _index_scores(survey: SurveyData, codes: _Codes, indices: list[str]) -> tuple[np.ndarray, ...]:
    """(index, person, wave, score) of every respondent × index with at least half the items answered.

    The order is that of the first answer of each respondent × index in the
    tidy table (as :func:`~.describe.index_scores`); the score is the mean of
    the answered items after reversing ``omvand`` items.
    """
    instrument = survey.instrument
    position = {q.id: i for i, q in enumerate(instrument.questions)}
    index_of = np.full(len(instrument.questions) + 1, -1, dtype=np.int64)
    mirror = np.full(len(instrument.questions) + 1, np.nan)
    number = {index_id: i for i, index_id in enumerate(indices)}
    for question in instrument.scale_questions:
        if question.index:
            index_of[position[question.id]] = number.get(question.index, -1)
            if question.reverse:
                scale = _own_scale(instrument, question)
                mirror[position[question.id]] = scale.min + scale.max
    rows = np.flatnonzero(codes.answered & (index_of[codes.question] >= 0))
    question = codes.question[rows]
    values = codes.value[rows]
    reversed_ = ~np.isnan(mirror[question])
    values = np.where(reversed_, mirror[question] - values, values)
    n_index, n_waves = max(len(indices), 1), max(len(codes.waves), 1)
    person, wave = codes.person[rows], codes.wave[rows]
    if np.array_equal(wave, codes.person_wave[person]):  # each respondent in one wave (as always): a smaller key
        n_waves = 0
        wave = np.full(len(wave), -1, dtype=np.int64)
    key = (person * (n_waves + 1) + (wave + 1)) * n_index + index_of[question]
    inverse, uniques = _first_order(key, len(codes.people) * (n_waves + 1) * n_index)
    if np.array_equal(values, np.round(values)):  # whole numbers: the sums are exact, as pandas' mean
        answered = np.bincount(inverse, minlength=len(uniques))
        score = np.bincount(inverse, weights=values, minlength=len(uniques)) / answered
    else:  # pandas' own (compensated) mean and count, which skip a missing value
        grouped = pd.Series(values).groupby(inverse).agg(["mean", "count"])
        score, answered = grouped["mean"].to_numpy(), grouped["count"].to_numpy()
    index = uniques % n_index
    items = np.array([len(instrument.index_items(i)) for i in indices] + [0], dtype=np.int64)
    keep = answered * 2 >= items[index]
    person_wave = uniques[keep] // n_index
    person = person_wave // (n_waves + 1)
    wave = person_wave % (n_waves + 1) - 1 if n_waves else codes.person_wave[person]
    return index[keep], person, wave, score[keep]


def _first_order(key: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """``pandas.factorize(key)`` (codes, and the distinct keys in the order they first occur) for keys in ``0..size-1``.

    Without hashing when a dense table of ``size`` fits in a few tens of megabytes.
    """
    if size > 8_000_000:
        return pd.factorize(key)
    first = _first_positions(key, size)
    is_first = np.zeros(len(key), dtype=bool)
    is_first[first[first >= 0]] = True
    uniques = key[is_first]  # in the order of their first occurrence
    number = np.empty(size, dtype=np.int64)
    number[uniques] = np.arange(len(uniques))
    return number[key], uniques


def _observation_frame(survey: SurveyData, min_n: int) -> pd.DataFrame:
    """:func:`~.describe.observations` as the DataFrame it documents, from the codes."""
    obs = _observations(survey, min_n)
    codes = _codes(survey)
    groups = _groups(survey, min_n)
    niva = np.array([i[0] for i in obs.items], dtype=object)
    ids = np.array([i[1] for i in obs.items], dtype=object)
    waves = np.array([*codes.waves, "nan"], dtype=object)
    return pd.DataFrame(
        {
            "niva": niva[obs.item],
            "id": ids[obs.item],
            "respondent": codes.people[obs.person],
            "enkat": waves[obs.wave],
            "varde": obs.value,
            "positiv": obs.positive,
            "grupp": np.asarray(groups.names, dtype=object)[obs.group],
        }
    )


def _link_codes(survey: SurveyData) -> tuple[np.ndarray, np.ndarray]:
    """Per respondent the linking code as a number (-1: blank or repeated in the wave) and the codes' texts.

    The numbers follow the sorted order of the codes' texts, so sorting numbers sorts codes.
    """
    key = ("link_codes",)
    if key not in survey.derived:
        codes = _codes(survey)
        kod = survey.tidy["kod"].take(codes.first_row)
        kod_codes, uniques = pd.factorize(kod)
        n_waves = len(codes.waves) + 1
        pair = (codes.person_wave + 1) * max(len(uniques), 1) + kod_codes
        counts = np.bincount(pair[kod_codes >= 0], minlength=n_waves * max(len(uniques), 1))
        unique = (kod_codes >= 0) & (counts[np.maximum(pair, 0)] == 1)
        texts = np.asarray(uniques, dtype=object)
        names = sorted(set(texts[np.unique(kod_codes[unique])]))
        rank = {name: i for i, name in enumerate(names)}
        number = np.array([rank.get(t, -1) for t in texts] + [-1], dtype=_small(len(names)))
        link = np.where(unique, number[kod_codes], number.dtype.type(-1))
        survey.derived[key] = (link, np.array([*names, None], dtype=object))
    return survey.derived[key]


def _first_cells(survey: SurveyData, min_n: int) -> dict[tuple[str, str, str], int]:
    """(niva, id, enkat) → the first row of :func:`~.describe.observations` with it, in the order they first occur.

    The same as reading the frame's columns, from the codes (without building the frame of millions of rows).
    """
    obs = _observations(survey, min_n)
    waves = [*_codes(survey).waves, "nan"]  # a wave outside the survey's is "nan" in the frame
    key = obs.item.astype(np.int64) * len(waves) + np.where(obs.wave >= 0, obs.wave, len(waves) - 1)
    first = _first_positions(key, len(obs.items) * len(waves))
    rows = np.sort(first[first >= 0])
    return {(*obs.items[key[row] // len(waves)][:2], waves[key[row] % len(waves)]): int(row) for row in rows.tolist()}
