"""Who is counted, and in which reporting group: the rows of every survey table are these groups.

:func:`reporting_groups` gives each respondent with an answer (any question
type but free text) a group: the organisation, ``Ej angiven`` or the merged
``Övriga`` (:func:`~.suppression.assign_groups`), or ``Alla`` alone when the
instrument has no organisation question. :func:`present_groups` gives the
groups of each wave in report order (``Alla`` first, then organisations
alphabetically, ``Ej angiven`` and ``Övriga`` last), the grid of the
comparison table (:mod:`.describe`) and of the tables of the other question
types (:mod:`.typed`).
"""

from __future__ import annotations

import pandas as pd

from slutrapport.analysis.suppression import ALL, OTHERS, UNKNOWN_ORGANISATION, assign_groups
from slutrapport.sources.survey.answers import ANSWERED
from slutrapport.sources.survey.ingest import SurveyData

__all__ = ["respondent_groups", "reporting_groups", "present_groups"]


def respondent_groups(tidy: pd.DataFrame, min_n: int) -> pd.DataFrame:
    """Reporting group per respondent (see :func:`~.suppression.assign_groups`).

    Only respondents with at least one answer (status ``svar``: a question of
    any type but free text) are included and count towards the group sizes
    used for merging, so every table of the survey has the same groups.

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


def reporting_groups(survey: SurveyData, min_n: int) -> pd.DataFrame:
    """:func:`respondent_groups`, or everyone in ``Alla`` when the instrument has no organisation question.

    Computed once per survey and threshold; treat the result as read-only.
    """
    from slutrapport.analysis.coded import _groups  # noqa: PLC0415 - coded builds on this module's present_groups

    return _groups(survey, min_n).frame


def _group_order(name: str) -> tuple[int, str]:
    if name == ALL:
        return (0, "")
    if name in (UNKNOWN_ORGANISATION, OTHERS):
        return (2, name)
    return (1, name.casefold())


def present_groups(people: pd.DataFrame) -> tuple[set[tuple[str, str]], list[str]]:
    """The (group, wave) pairs with respondents, and the groups but ``Alla`` in report order."""
    present = set(zip(people["grupp"], people["enkat"], strict=True))
    return present, sorted({g for g, _ in present} - {ALL}, key=_group_order)
