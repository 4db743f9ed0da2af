"""Self-evaluation (självvärdering): ratings per section and question, occasion and role; compiled free texts.

Pure functions on :class:`~slutrapport.sources.forms.read.FormData`; nothing is
formatted or read from files here. :func:`analyse_self_evaluation` returns
:class:`SelfEvalResults` with three tables.

``counts`` (forms per role and occasion): ``roll, tillfalle, n, undertryckt``.

``ratings``: one row per cell, columns :data:`RATING_COLUMNS`:

- ``niva``: ``avsnitt`` (a section) or ``fraga`` (a rating question)
- ``id``: the section's or question's id; ``text``: its heading or question text
- ``roll``: ``Alla`` (every form), a role as the definition spells it,
  ``Övriga roller`` (small roles merged) or ``Ej angiven`` (role left blank)
- ``tillfalle``: the occasion, in the definition's order
- ``n``: for a question, the ratings given (``Kan inte bedöma`` and blanks do
  not count); for a section, the forms with a section score
- ``medel``, ``median``: of the ratings, or of the forms' section scores;
  ``sd`` (sample, ddof=1) and ``ci_lag``/``ci_hog`` (95 % Student-t interval
  of the mean, for n ≥ 2) are extra columns outside the bundle contract
- ``undertryckt``: hidden by the anonymity rules (never why)

A form's section score is the mean of its ratings in the section, counted
only when at least half of the section's rating questions are rated (as an
index in the staff survey).

``texts``: the answered free texts, columns :data:`TEXT_COLUMNS`
(``avsnitt, fraga, tillfalle, roll, text, antal``), ordered by section and
question as in the form, then occasion, then role; within one role the most
frequent answers first, the rest in an order that does not follow the files.
``roll`` is None when the role is hidden. The same answer written by several
forms of one role at one occasion (e.g. "Fasen har inte börjat ännu.", also
when spaces, case or a closing full stop differ) is one row with ``antal`` the
number of forms.

Anonymity, as for the staff survey (:mod:`.suppression`), decided per role
and occasion first: at each occasion, roles with fewer than ``min_n`` forms
are merged into ``Övriga roller`` when at least two of them together reach
``min_n`` and some role stays on its own; in ``counts`` a role with fewer
than ``min_n`` forms is hidden, and so are the smallest shown roles until the
hidden ones hold at least ``min_n`` forms, so that no hidden role can be
derived as Alla minus the others. The rating cells then follow the staff
survey's rule (:func:`.suppression.suppress`), decided once per occasion: a
role hidden in ``counts``, or with ``0 < n < min_n`` ratings in any rating
cell of the occasion, is hidden in every cell of that occasion, and the
smallest shown roles as well until the hidden ones hold at least ``min_n``
ratings in every cell where Alla is shown. A role hidden in the ratings is
hidden in ``counts`` too. The role of a free text is shown only when that
role is shown in ``counts`` at that occasion; otherwise the text is shown
without its role.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from slutrapport.analysis.intervals import t_interval_summary
from slutrapport.analysis.suppression import ALL, OTHERS, UNKNOWN_ORGANISATION, assign_groups, suppress
from slutrapport.sources.forms.definition import RATING, TEXT, FormDefinition
from slutrapport.sources.forms.read import FormData
from slutrapport.sources.survey.answers import ANSWERED

__all__ = [
    "SELFEVAL_COLUMNS",
    "RATING_COLUMNS",
    "COUNT_COLUMNS",
    "TEXT_COLUMNS",
    "SECTION",
    "QUESTION",
    "OTHER_ROLES",
    "NO_ROLE",
    "SelfEvalResults",
    "analyse_self_evaluation",
    "reporting_roles",
    "section_scores",
    "form_counts",
    "rating_table",
    "compiled_texts",
]

SELFEVAL_COLUMNS = ["niva", "id", "text", "roll", "tillfalle", "n", "medel", "median", "undertryckt"]
RATING_COLUMNS = SELFEVAL_COLUMNS + ["sd", "ci_lag", "ci_hog"]
COUNT_COLUMNS = ["roll", "tillfalle", "n", "undertryckt"]
TEXT_COLUMNS = ["avsnitt", "fraga", "tillfalle", "roll", "text", "antal"]
SECTION, QUESTION = "avsnitt", "fraga"
OTHER_ROLES = "Övriga roller"
NO_ROLE = UNKNOWN_ORGANISATION


@dataclass
class SelfEvalResults:
    """The self-evaluation's tables (all anonymity-safe) and what they were computed from."""

    data: FormData
    min_n: int
    occasions: list[str]  # occasions with at least one form, in the definition's order
    counts: pd.DataFrame
    ratings: pd.DataFrame
    texts: pd.DataFrame

    @property
    def definition(self) -> FormDefinition:
        return self.data.definition


def analyse_self_evaluation(data: FormData, min_n: int = 5) -> SelfEvalResults:
    """Every table of the self-evaluation section."""
    groups = reporting_roles(data.forms, min_n)
    occasions = [o for o in data.definition.occasions if (data.forms["tillfalle"] == o).any()]
    counts = form_counts(data.forms, groups, data.definition, min_n)
    ratings = rating_table(data, groups, counts, min_n)
    counts = _hide_roles(counts, ratings)
    return SelfEvalResults(
        data=data,
        min_n=min_n,
        occasions=occasions,
        counts=counts,
        ratings=ratings,
        texts=compiled_texts(data, groups, counts),
    )


def _hide_roles(counts: pd.DataFrame, ratings: pd.DataFrame) -> pd.DataFrame:
    """``counts`` with every role that the ratings hide at an occasion hidden there too.

    Hiding more roles only adds to the hidden forms, so Alla stays protected.
    """
    rows = ratings[ratings["undertryckt"].astype(bool) & (ratings["roll"] != ALL)]
    hidden = set(zip(rows["roll"], rows["tillfalle"], strict=True))
    out = counts.copy()
    more = [(role, occasion) in hidden for role, occasion in zip(out["roll"], out["tillfalle"], strict=True)]
    out.loc[more, "undertryckt"] = True
    out.loc[more, "n"] = pd.NA
    return out


def reporting_roles(forms: pd.DataFrame, min_n: int) -> pd.Series:
    """The reporting group of each form (aligned with ``forms``): its role, ``Övriga roller`` or ``Ej angiven``."""
    frame = pd.DataFrame({"enkat": forms["tillfalle"], "organisation": forms["roll"]}, index=forms.index)
    groups = assign_groups(frame, min_n) if len(frame) else pd.Series(dtype=object)
    return groups.replace({OTHERS: OTHER_ROLES})


def _group_order(definition: FormDefinition) -> dict[str, int]:
    return {name: i for i, name in enumerate([ALL, *definition.roles, OTHER_ROLES, NO_ROLE])}


def _suppressed(cells: pd.DataFrame, min_n: int, forced: dict[str, set[str]] | None = None) -> pd.DataFrame:
    """:func:`.suppression.suppress` on a table with ``roll``/``tillfalle`` instead of ``grupp``/``enkat``."""
    table = cells.rename(columns={"roll": "grupp", "tillfalle": "enkat"})
    for column in ("medel", "sd", "median", "andel_positiva"):
        if column not in table:
            table[column] = np.nan
    out = suppress(table, min_n, forced).rename(columns={"grupp": "roll", "enkat": "tillfalle"})
    return out.drop(columns=["andel_positiva"])


def form_counts(forms: pd.DataFrame, groups: pd.Series, definition: FormDefinition, min_n: int) -> pd.DataFrame:
    """Forms per reporting role and occasion, with ``Alla``; columns :data:`COUNT_COLUMNS`."""
    frame = pd.DataFrame({"roll": groups, "tillfalle": forms["tillfalle"]})
    frame = pd.concat([frame.assign(roll=ALL), frame], ignore_index=True)
    order = _group_order(definition)
    occasion_order = {o: i for i, o in enumerate(definition.occasions)}
    cells = frame.groupby(["tillfalle", "roll"], sort=False).size().rename("n").reset_index()
    cells = cells.assign(niva="antal", id="formular")
    cells = cells.sort_values(["tillfalle", "roll"], key=lambda s: s.map(occasion_order if s.name == "tillfalle" else order), kind="stable")
    out = _suppressed(cells.reset_index(drop=True), min_n)
    return out[COUNT_COLUMNS].reset_index(drop=True)


def section_scores(data: FormData) -> pd.DataFrame:
    """Each form's score per section: columns ``formular, avsnitt, score, answered, items``.

    The score is the mean of the form's ratings in the section; only forms
    that rated at least half of the section's rating questions are included.
    """
    definition = data.definition
    items = pd.Series({s.id: len(s.rating_questions) for s in definition.sections if s.rating_questions}, dtype=int)
    rated = data.answers[(data.answers["typ"] == RATING) & (data.answers["status"] == ANSWERED)]
    scores = rated.groupby(["formular", "avsnitt"], sort=False)["varde"].agg(score="mean", answered="count").reset_index()
    scores["items"] = scores["avsnitt"].map(items).astype(int)
    return scores[2 * scores["answered"] >= scores["items"]].reset_index(drop=True)


def _observations(data: FormData, groups: pd.Series) -> pd.DataFrame:
    """Every rating and section score with its form's occasion and reporting role: ``niva, id, formular, value``."""
    rated = data.answers[(data.answers["typ"] == RATING) & (data.answers["status"] == ANSWERED)]
    questions = pd.DataFrame({"niva": QUESTION, "id": rated["fraga"], "formular": rated["formular"], "value": rated["varde"]})
    scores = section_scores(data)
    sections = pd.DataFrame({"niva": SECTION, "id": scores["avsnitt"], "formular": scores["formular"], "value": scores["score"]})
    observations = pd.concat([sections, questions], ignore_index=True)
    by_form = pd.DataFrame({"formular": data.forms["formular"], "tillfalle": data.forms["tillfalle"], "roll": groups.to_numpy()})
    return observations.merge(by_form, on="formular", how="left")


def _grid(definition: FormDefinition, forms: pd.DataFrame, groups: pd.Series) -> pd.DataFrame:
    """Every cell to report: item × occasion × (Alla and each role present at that occasion), in report order."""
    items = [(SECTION, s.id, s.title) for s in definition.sections if s.rating_questions]
    items += [(QUESTION, q.id, q.text) for q in definition.rating_questions]
    order = _group_order(definition)
    present = pd.DataFrame({"tillfalle": forms["tillfalle"], "roll": groups.to_numpy()}).drop_duplicates()
    rows = []
    for niva, item_id, text in items:
        for occasion in definition.occasions:
            roles = present.loc[present["tillfalle"] == occasion, "roll"]
            if roles.empty:
                continue
            for role in [ALL, *sorted(roles, key=lambda r: order.get(r, len(order)))]:
                rows.append((niva, item_id, text, role, occasion))
    return pd.DataFrame(rows, columns=["niva", "id", "text", "roll", "tillfalle"])


def _suppress_ratings(cells: pd.DataFrame, counts: pd.DataFrame, min_n: int) -> pd.DataFrame:
    """The anonymity rules on the rating cells, decided once per occasion (see the module docstring).

    Hiding a role for a whole occasion (not cell by cell) keeps one cell from
    revealing what another hides, e.g. a role's question mean from its
    section mean and the other question means.
    """
    forced: dict[str, set[str]] = {}
    for row in counts[counts["undertryckt"].astype(bool)].itertuples():
        forced.setdefault(row.tillfalle, set()).add(row.roll)
    return _suppressed(cells.reset_index(drop=True), min_n, forced)


def rating_table(data: FormData, groups: pd.Series, counts: pd.DataFrame, min_n: int) -> pd.DataFrame:
    """Ratings per section and question × occasion × role (with ``Alla``); columns :data:`RATING_COLUMNS`.

    ``counts`` is :func:`form_counts`: a role hidden there is hidden in every cell of that occasion.
    """
    observations = _observations(data, groups)
    everyone = observations.assign(roll=ALL)
    stats = (
        pd.concat([everyone, observations], ignore_index=True)
        .groupby(["niva", "id", "roll", "tillfalle"], sort=False)["value"]
        .agg(n="count", medel="mean", median="median", sd="std")
        .reset_index()
    )
    cells = _grid(data.definition, data.forms, groups).merge(stats, on=["niva", "id", "roll", "tillfalle"], how="left")
    cells["n"] = cells["n"].fillna(0).astype(int)
    out = _suppress_ratings(cells, counts, min_n)
    limits = [
        t_interval_summary(float(m), float(s), int(n)) if not hidden and pd.notna(n) and int(n) >= 2 else (np.nan, np.nan)
        for m, s, n, hidden in zip(out["medel"], out["sd"], out["n"], out["undertryckt"], strict=True)
    ]
    out["ci_lag"] = [low for low, _ in limits]
    out["ci_hog"] = [high for _, high in limits]
    return out[RATING_COLUMNS].reset_index(drop=True)


def _shuffle_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _same_answer(text: str) -> str:
    """What two answers share when they are the same answer: spaces, case and a closing full stop do not count."""
    return " ".join(text.split()).casefold().rstrip(".!…").rstrip()


def compiled_texts(data: FormData, groups: pd.Series, counts: pd.DataFrame) -> pd.DataFrame:
    """The answered free texts per section and question, occasion and role; columns :data:`TEXT_COLUMNS`.

    Each distinct answer of a question, occasion and role is one row, ``antal`` the forms that gave it (answers
    differing only in spaces, case or a closing full stop are the same; the spelling most forms used is shown);
    within a role the most frequent answers come first, the rest in an order that does not follow the files.
    """
    definition = data.definition
    shown = {(r.roll, r.tillfalle) for r in counts.itertuples() if not bool(r.undertryckt)}
    role_of = pd.Series(groups.to_numpy(), index=data.forms["formular"].to_numpy())
    answers = data.answers[(data.answers["typ"] == TEXT) & (data.answers["status"] == ANSWERED)]
    question_order = {q.id: i for i, q in enumerate(definition.questions)}
    occasion_order = {o: i for i, o in enumerate(definition.occasions)}
    group_order = _group_order(definition)
    merged: dict[tuple, dict[str, int]] = {}  # (question, occasion, shown role, same answer) → spelling → forms
    where: dict[tuple, tuple] = {}
    for answer in answers.itertuples():
        group = role_of[answer.formular]
        label = group if (group, answer.tillfalle) in shown else None
        key = (answer.fraga, answer.tillfalle, label, _same_answer(answer.text))
        spellings = merged.setdefault(key, {})
        spellings[answer.text] = spellings.get(answer.text, 0) + 1
        where[key] = (answer.avsnitt, answer.fraga, answer.tillfalle, label)
    rows = []
    for key, spellings in merged.items():
        fraga, tillfalle, label, same = key
        rank = group_order.get(label, len(group_order)) if label is not None else len(group_order) + 1
        text = min(spellings, key=lambda spelling: (-spellings[spelling], _shuffle_key(spelling)))
        total = sum(spellings.values())
        rows.append(((question_order[fraga], occasion_order[tillfalle], rank, -total, _shuffle_key(same)), [*where[key], text, total]))
    rows.sort(key=lambda row: row[0])
    return pd.DataFrame([row for _, row in rows], columns=TEXT_COLUMNS)
