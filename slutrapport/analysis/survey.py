"""Everything the staff-survey section needs, computed in one place."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from slutrapport.analysis.categorical import SHARE_COLUMNS, SHARE_TEST_COLUMNS, share_tests, shares
from slutrapport.analysis.changes import group_differences, mean_intervals, wave_changes
from slutrapport.analysis.composition import COMPOSITION_COLUMNS, composition_shifts
from slutrapport.analysis.describe import answer_distribution, compare_waves, free_text, hidden_waves, response_summary
from slutrapport.analysis.families import exploratory_together
from slutrapport.analysis.numeric import NUMERIC_COLUMNS, NUMERIC_TEST_COLUMNS, numeric_summary, numeric_tests
from slutrapport.analysis.reliability import AnswerCache, part_rows, reliability_of_parts, reliability_parts
from slutrapport.analysis.response_rates import RESPONSE_RATE_COLUMNS, response_rates
from slutrapport.analysis.suppression import SHARE_DECIMALS, published_precision
from slutrapport.analysis.trend import TREND_LINE_COLUMNS, start_trend_fits, trend_lines
from slutrapport.analysis.typed import directions
from slutrapport.core.worker import SEND_BYTES, beside_parts
from slutrapport.sources.survey.ingest import SurveyData

__all__ = ["SurveyResults", "analyse_survey"]


@dataclass
class SurveyResults:
    """The result tables of one survey comparison (all already anonymity-safe).

    - ``comparison``: :func:`~.describe.compare_waves` (``jamforelse.csv``)
    - ``changes``: :func:`~.changes.wave_changes` (``forandringar.csv``), its
      differences rounded to the report's precision where a wave compared has
      a hidden group (:func:`~.suppression.published_precision`)
    - ``group_tests``: :func:`~.changes.group_differences`
    - ``intervals``: :func:`~.changes.mean_intervals`, from the comparison at full precision (chart
      error bars; the share's Wilson interval in the report's tables, shown cells only)
    - ``reliability`` / ``alpha_if_deleted``: :func:`~.reliability.reliability` (``reliabilitet.csv``)
    - ``distribution``: :func:`~.describe.answer_distribution`
    - ``summary``: :func:`~.describe.response_summary`; ``free_text``: :func:`~.describe.free_text`
    - ``shares``: :func:`~.categorical.shares` (yes/no and choice questions);
      ``share_tests``: :func:`~.categorical.share_tests`
    - ``numeric``: :func:`~.numeric.numeric_summary` (number questions);
      ``numeric_tests``: :func:`~.numeric.numeric_tests`
    - ``response_rates``: :func:`~.response_rates.response_rates` (empty without invited counts)
    - ``composition``: :func:`~.composition.composition_shifts` (the organisation mix of each pair of waves)
    - ``trends``: :func:`~.trend.trend_lines`, the fitted line of every trend
      test with its 95 % band (chart of each index over the waves)

    Only ``skala`` questions enter ``comparison``, ``changes``, ``group_tests``,
    ``intervals``, ``reliability`` and ``distribution``. Every table hides the
    same groups in the same waves. The exploratory rows of ``changes``,
    ``share_tests`` and ``numeric_tests`` are one family, adjusted together
    (:func:`~.families.exploratory_together`), and ``riktning`` follows that
    ``p_corr``.
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
    shares: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=SHARE_COLUMNS))
    share_tests: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=SHARE_TEST_COLUMNS))
    numeric: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=NUMERIC_COLUMNS))
    numeric_tests: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=NUMERIC_TEST_COLUMNS))
    response_rates: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=RESPONSE_RATE_COLUMNS))
    composition: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=COMPOSITION_COLUMNS))
    trends: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=TREND_LINE_COLUMNS))


def analyse_survey(
    survey: SurveyData, min_n: int = 5, wave_dates: dict[str, str | None] | None = None, invited: dict[str, dict[str, int]] | None = None
) -> SurveyResults:
    """Compute every table of the staff-survey section; ``invited`` (wave → organisation → count, checked by
    :func:`~slutrapport.sources.survey.invited.check_invited`) gives the response rates."""
    exact = compare_waves(survey, min_n, exact=True)
    hidden = hidden_waves(survey, min_n)
    comparison = published_precision(exact, hidden_waves=hidden)
    # The run's worker process, when it has one ready, searches the trends' mixed models and computes the
    # reliability index by index (from the survey sent to it) while the tables that need no trend are computed
    # here first; the indices it has not started when the reliability is needed are computed here.
    start_trend_fits(survey, comparison, min_n)
    send = int(survey.tidy.memory_usage(index=False).sum()) <= SEND_BYTES
    reliable = beside_parts(part_rows, (survey, min_n, AnswerCache()), reliability_parts(comparison), send=send)
    tables = {
        "group_tests": group_differences(survey, comparison, min_n),
        "intervals": mean_intervals(exact, survey),  # from the exact values: error bars, the tables' Wilson intervals
        "distribution": answer_distribution(survey, comparison, min_n),
        "summary": response_summary(survey),
        "free_text": free_text(survey, min_n),
        "shares": shares(survey, min_n),
        "numeric": numeric_summary(survey, min_n),
        "response_rates": response_rates(survey, invited, min_n),
        "composition": composition_shifts(survey, min_n),
    }
    changes, choice_tests, number_tests = exploratory_together(
        [wave_changes(survey, comparison, min_n), share_tests(survey, min_n), numeric_tests(survey, min_n)],
        survey.instrument.statistics.secondary,
    )
    choice_tests["riktning"] = directions(choice_tests)
    number_tests["riktning"] = directions(number_tests)
    alpha, alpha_if_deleted = reliability_of_parts(reliable())
    del reliable  # (with the answers its parts shared)
    return SurveyResults(
        survey=survey,
        min_n=min_n,
        comparison=comparison,
        changes=_published_changes(changes, hidden),
        reliability=alpha,
        alpha_if_deleted=alpha_if_deleted,
        wave_dates=wave_dates or {},
        share_tests=choice_tests,
        numeric_tests=number_tests,
        trends=trend_lines(survey, comparison, min_n),
        **tables,
    )


def _published_changes(changes: pd.DataFrame, hidden: set[str]) -> pd.DataFrame:
    """Differences of a change touching a wave with a hidden cell, at the precision of the comparison table."""
    out = published_precision(
        changes, ("fran", "till"), hidden,
        means=("diff_medel", "diff_medel_lag", "diff_medel_hog", "hl_skift", "hl_lag", "hl_hog"),
        shares=("diff_andel_positiva", "ci_lag", "ci_hog"),
    )
    touched = (out["fran"].astype(str).isin(hidden) | out["till"].astype(str).isin(hidden)) & (out["effektmatt"] == "andelsskillnad")
    out.loc[touched, "effekt"] = out.loc[touched, "effekt"].astype(float).round(SHARE_DECIMALS)
    return out
