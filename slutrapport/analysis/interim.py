"""A project's data as it stood at the end of an interim report's period (``build --delrapport``).

The filters work on the validated source tables before the analysis, so that
every table of the interim report is computed, and its small groups hidden, by
the same functions as the final report's:

- :func:`register_until`: the participant register as known on the period's
  last day: participants enrolled after it are left out, and an avslut after
  it is not yet known (the participant is active, without status). The
  participant tables then run from the project's start to the period's end,
  their rows per half-year (or the register's ``period:``) showing the period
  itself, ``Totalt`` the project so far.
- :func:`budget_until`: the budget's periods that begin on or before the
  period's last day (``2025``, ``2025 H1`` …); a budget whose periods name no
  dates (or that has none) is kept whole, and the note says so.
- :func:`forms_until`: the self-evaluation forms dated on or before the
  period's last day; undated forms are kept, and the note says so.

Each returns the filtered data and a Swedish note for the report's
"Rapportperiod och underlag" text; when nothing is left, None and the reason
(a phrase for the table of what is missing).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd

from slutrapport.core.periods import label_period
from slutrapport.core.swedish import join_words
from slutrapport.sources.economy.budget import TOTAL, Budget
from slutrapport.sources.forms.read import FormData
from slutrapport.sources.register.participants import Register

__all__ = ["register_until", "budget_until", "forms_until"]


def register_until(register: Register, end: date) -> tuple[Register | None, str]:
    """The register as it stood on ``end``; None when nobody was enrolled by then."""
    day = pd.Timestamp(min(end, register.report_date))
    table = register.table[register.table["inskrivning"] <= day].copy()
    later = table["avslut"].notna() & (table["avslut"] > day)
    table.loc[later, "avslut"] = pd.NaT
    table.loc[later, "status"] = None
    when = day.date().isoformat()
    if table.empty:
        return None, f"deltagarregistret ({register.file}) har inga deltagare inskrivna till och med {when}"
    note = (
        f"Deltagartabellerna räknar deltagarregistret ({register.file}) från projektets start till och med {when}: "
        f"{len(table)} deltagare var inskrivna då. En deltagare som avslutades senare räknas som aktiv."
    )
    return replace(register, table=table.reset_index(drop=True), report_date=day.date()), note


def budget_until(budget: Budget, end: date) -> tuple[Budget | None, str]:
    """The budget's periods that begin on or before ``end``: budget and utfall hittills; None when none does."""
    if budget.single_period:
        return budget, f"Budgetfilen ({budget.source}) har inga perioder: hela budgeten och utfallet visas."
    spans = {period: label_period(period) for period in budget.periods if period != TOTAL}
    if any(span is None for span in spans.values()):
        return budget, (f"Budgetfilens perioder ({join_words(list(spans))}) anger inga datum: alla perioder visas, också de efter rapportperioden.")
    kept = [period for period, span in spans.items() if span is not None and span[0] <= end]
    if not kept:
        return None, f"budgetfilen ({budget.source}) har ingen period som börjar senast {end.isoformat()}"
    table = budget.table[budget.table["period"].isin(kept)].reset_index(drop=True)
    note = f"Ekonomin visar budget och utfall för {join_words(kept)} (budgetfilens perioder till och med rapportperioden)"
    longer = [period for period in kept if (span := spans[period]) is not None and span[1] > end]
    if longer:
        note += f"; utfallet för {join_words(longer)} är det som står i budgetfilen och kan gälla en längre tid än rapportperioden"
    return replace(budget, table=table, periods=kept), note + "."


def forms_until(forms: FormData, end: date) -> tuple[FormData | None, str]:
    """The self-evaluation forms dated on or before ``end`` (undated forms kept); None when none is left."""
    dates = pd.to_datetime(forms.forms["datum"], errors="coerce")
    later = set(forms.forms.loc[dates.notna() & (dates > pd.Timestamp(end)), "formular"])
    undated = int(dates.isna().sum())
    kept = forms.forms[~forms.forms["formular"].isin(later)]
    if kept.empty:
        return None, f"inget självvärderingsformulär är daterat till och med {end.isoformat()}"
    note = f"Självvärderingen räknar {len(kept)} formulär daterade till och med {end.isoformat()}"
    if undated:
        note += f" ({undated} av dem saknar datum och tas med)"
    filtered = replace(forms, forms=kept.reset_index(drop=True), answers=forms.answers[~forms.answers["formular"].isin(later)].reset_index(drop=True))
    return filtered, note + "."
