"""Budget against outcome: the ``ekonomi`` and ``ekonomi_nyckeltal`` tables.

Pure functions on the validated budget (:class:`~slutrapport.sources.economy.budget.Budget`);
no file reading, no formatting.

``ekonomi`` (:data:`ECONOMY_COLUMNS`): one row per kategori × period, for
each kategori in the file's order its periods in the file's order followed by
its period ``Totalt``, then the kategori ``Totalt`` rows in the same way.
``avvikelse_kr`` = utfall − budget; ``avvikelse_procent`` = avvikelse_kr /
budget as a fraction (null when the budget is 0). A file without periods has
only the period ``Totalt`` (no repeated total rows).

``ekonomi_finansiering`` (:data:`FINANCING_COLUMNS`, from ``finansiering:`` in
``projekt.yaml``): one row per party in the file's order, then ``Totalt``;
``andel_budget`` / ``andel_utfall`` = the party's amount / the total of the
parties (empty when the party gave no amount or the total is 0). A party
without an amount makes that column's total empty too (the sum would be
wrong), and with it the column's shares.

``ekonomi_nyckeltal`` (:data:`KEY_FIGURE_COLUMNS`): the measures
:data:`KEY_FIGURES` in that order. ``kostnad_per_deltagare`` = utfall_totalt /
deltagare and ``kostnad_per_avslutad`` = utfall_totalt / avslutade. A count
is null when it is unknown (None), when it is 0 < n < ``min_n`` (hidden as
in every other table, since the cost per person would reveal it), and the
cost per person is null whenever the count it needs is null or 0.
:attr:`EconomyResults.reasons` says why, in Swedish.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from slutrapport.sources.economy.budget import TOTAL, Budget

__all__ = [
    "ECONOMY_COLUMNS",
    "KEY_FIGURE_COLUMNS",
    "KEY_FIGURES",
    "REASON_UNKNOWN",
    "REASON_HIDDEN",
    "REASON_ZERO",
    "EconomyResults",
    "budget_outcome",
    "key_figures",
    "analyse_economy",
    "FINANCING_COLUMNS",
    "financing_table",
]

ECONOMY_COLUMNS = ["kategori", "period", "budget", "utfall", "avvikelse_kr", "avvikelse_procent"]
KEY_FIGURE_COLUMNS = ["matt", "varde"]
FINANCING_COLUMNS = ["part", "budget", "andel_budget", "utfall", "andel_utfall"]
KEY_FIGURES = ("budget_totalt", "utfall_totalt", "deltagare", "avslutade", "kostnad_per_deltagare", "kostnad_per_avslutad")
REASON_UNKNOWN = "uppgift saknas"
REASON_HIDDEN = "dolt (för få personer)"
REASON_ZERO = "inga personer"


@dataclass
class EconomyResults:
    """The economy tables of one project."""

    table: pd.DataFrame  # ECONOMY_COLUMNS
    key_figures: pd.DataFrame  # KEY_FIGURE_COLUMNS
    categories: list[str]
    periods: list[str]  # [TOTAL] when the file has no periods
    source: str
    #: measure → why its value is null (REASON_UNKNOWN, REASON_HIDDEN, REASON_ZERO)
    reasons: dict[str, str] = field(default_factory=dict)
    min_n: int = 5
    #: the last day (ISO) the periods run to when they are not the whole project's (an interim report); None: the whole project
    until: str | None = None
    financing: pd.DataFrame | None = None  # FINANCING_COLUMNS, when projekt.yaml has finansiering:

    @property
    def single_period(self) -> bool:
        return self.periods == [TOTAL]

    def row(self, category: str, period: str = TOTAL) -> pd.Series:
        """The ``ekonomi`` row of one kategori (or ``Totalt``) and period."""
        table = self.table
        return table[(table["kategori"] == category) & (table["period"] == period)].iloc[0]

    def value(self, measure: str) -> float | int | None:
        """One key figure (None when unknown or hidden)."""
        return self.key_figures.set_index("matt")["varde"].get(measure)


def _deviation(budget: float, outcome: float) -> tuple[float, float | None]:
    difference = outcome - budget
    return difference, (difference / budget if budget else None)


def budget_outcome(budget: Budget) -> pd.DataFrame:
    """The ``ekonomi`` table: every kategori × period with totals and deviations (see module docstring)."""
    values = {(r.kategori, r.period): (r.budget, r.utfall) for r in budget.table.itertuples()}
    periods = list(budget.periods)
    rows = []
    for category in [*budget.categories, TOTAL]:
        members = budget.categories if category == TOTAL else [category]
        columns = periods if budget.single_period else [*periods, TOTAL]
        for period in columns:
            spans = periods if period == TOTAL else [period]
            planned = sum(values[(c, p)][0] for c in members for p in spans)
            spent = sum(values[(c, p)][1] for c in members for p in spans)
            rows.append((category, period, planned, spent, *_deviation(planned, spent)))
    table = pd.DataFrame(rows, columns=ECONOMY_COLUMNS)
    table["avvikelse_procent"] = table["avvikelse_procent"].astype(float)  # NaN (null in rapport.json) when the budget is 0
    return table


def _count(value: int | None, min_n: int, name: str, reasons: dict[str, str]) -> int | None:
    if value is None:
        reasons[name] = REASON_UNKNOWN
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} must be a count ≥ 0 or None, got {value!r}")
    if 0 < value < min_n:
        reasons[name] = REASON_HIDDEN
        return None
    return value


def key_figures(
    table: pd.DataFrame, participants: int | None, finished: int | None, min_n: int = 5
) -> tuple[pd.DataFrame, dict[str, str]]:
    """The ``ekonomi_nyckeltal`` table and the reasons for its null values.

    Parameters
    ----------
    table : DataFrame
        The ``ekonomi`` table from :func:`budget_outcome`.
    participants, finished : int or None
        Enrolled and finished participants of the whole project (None =
        unknown or already suppressed by the participant register).
    min_n : int
        The anonymity threshold.
    """
    reasons: dict[str, str] = {}
    grand = table[(table["kategori"] == TOTAL) & (table["period"] == TOTAL)].iloc[0]
    counts = {
        "deltagare": _count(participants, min_n, "deltagare", reasons),
        "avslutade": _count(finished, min_n, "avslutade", reasons),
    }
    per_person = {}
    for measure, count in (("kostnad_per_deltagare", "deltagare"), ("kostnad_per_avslutad", "avslutade")):
        n = counts[count]
        per_person[measure] = float(grand["utfall"]) / n if n else None
        if n == 0:
            reasons[measure] = REASON_ZERO
        elif n is None:
            reasons[measure] = reasons[count]
    values = {"budget_totalt": float(grand["budget"]), "utfall_totalt": float(grand["utfall"]), **counts, **per_person}
    frame = pd.DataFrame({"matt": list(KEY_FIGURES), "varde": pd.Series([values[m] for m in KEY_FIGURES], dtype=object)})
    return frame, reasons


def financing_table(parties: pd.DataFrame) -> pd.DataFrame:
    """The ``ekonomi_finansiering`` table from the parties' amounts (columns ``part``, ``budget``, ``utfall``)."""
    frame = parties[["part", "budget", "utfall"]].copy()
    total = {"part": TOTAL}
    for column in ("budget", "utfall"):
        values = frame[column]
        total[column] = float(values.sum()) if values.notna().all() else None
    frame = pd.concat([frame, pd.DataFrame([total])], ignore_index=True)
    for column, share in (("budget", "andel_budget"), ("utfall", "andel_utfall")):
        whole = frame[column].iloc[-1]
        frame[share] = frame[column] / whole if whole and pd.notna(whole) else float("nan")
    frame = frame[FINANCING_COLUMNS]
    return frame.astype({c: float for c in FINANCING_COLUMNS[1:]})


def analyse_economy(
    budget: Budget, participants: int | None = None, finished: int | None = None, min_n: int = 5, financing: pd.DataFrame | None = None
) -> EconomyResults:
    """Both economy tables for a validated budget, and the financing per party (``financing``: the parties' amounts)."""
    table = budget_outcome(budget)
    figures, reasons = key_figures(table, participants, finished, min_n)
    parties = financing_table(financing) if financing is not None and not financing.empty else None
    return EconomyResults(table, figures, list(budget.categories), list(budget.periods), budget.source, reasons, min_n, financing=parties)
