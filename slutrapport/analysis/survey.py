"""Everything the staff-survey section needs, computed in one place."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from slutrapport.analysis.changes import group_differences, mean_intervals, wave_changes
from slutrapport.analysis.describe import answer_distribution, compare_waves, free_text, response_summary
from slutrapport.analysis.reliability import reliability
from slutrapport.sources.survey.ingest import SurveyData

__all__ = ["SurveyResults", "analyse_survey"]


@dataclass
class SurveyResults:
    """The result tables of one survey comparison (all already anonymity-safe).

    - ``comparison``: :func:`~.describe.compare_waves` (``jamforelse.csv``)
    - ``changes``: :func:`~.changes.wave_changes` (``forandringar.csv``)
    - ``group_tests``: :func:`~.changes.group_differences`
    - ``intervals``: :func:`~.changes.mean_intervals`
    - ``reliability`` / ``alpha_if_deleted``: :func:`~.reliability.reliability` (``reliabilitet.csv``)
    - ``distribution``: :func:`~.describe.answer_distribution`
    - ``summary``: :func:`~.describe.response_summary`; ``free_text``: :func:`~.describe.free_text`
    """

    survey: SurveyData
    min_n: int
    comparison: pd.DataFrame
    changes: pd.DataFrame
    group_tests: pd.DataFrame
    intervals: pd.DataFrame
    reliability: pd.DataFrame
    alpha_if_deleted: pd.DataFrame
    distribution: pd.DataFrame
    summary: pd.DataFrame
    free_text: pd.DataFrame
    wave_dates: dict[str, str | None] = field(default_factory=dict)


def analyse_survey(survey: SurveyData, min_n: int = 5, wave_dates: dict[str, str | None] | None = None) -> SurveyResults:
    """Compute every table of the staff-survey section."""
    comparison = compare_waves(survey, min_n)
    alpha, alpha_if_deleted = reliability(survey, comparison, min_n)
    return SurveyResults(
        survey=survey,
        min_n=min_n,
        comparison=comparison,
        changes=wave_changes(survey, comparison, min_n),
        group_tests=group_differences(survey, comparison, min_n),
        intervals=mean_intervals(comparison, survey),
        reliability=alpha,
        alpha_if_deleted=alpha_if_deleted,
        distribution=answer_distribution(survey, comparison, min_n),
        summary=response_summary(survey),
        free_text=free_text(survey, min_n),
        wave_dates=wave_dates or {},
    )
