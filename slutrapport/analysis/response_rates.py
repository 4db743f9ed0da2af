"""Response rates (svarsfrekvens) per reporting group and wave, from the invited counts the project gives.

Only counts the project gives are used (``inbjudna``, checked by
:func:`~slutrapport.sources.survey.invited.check_invited`): without them this
table is empty and no report shows a response rate. The rate of a group is its
respondents (every respondent with an answer, as in every survey table) over
its invited:

- an organisation: its own count;
- ``Övriga`` (merged small organisations): the sum of the merged
  organisations' counts, when every one of them has a count;
- ``Alla``: the wave's total (``Alla`` in ``inbjudna``), else the sum of the
  organisations' counts when every answering organisation has one and nobody
  left the organisation blank;
- ``Ej angiven``: never (nobody is invited as "not given").

Without an organisation question in the instrument only ``Alla`` has a row.

Anonymity: a group hidden in a wave (:func:`~.describe.hidden_by_wave`) has
its ``n`` and ``svarsfrekvens`` empty and ``undertryckt`` True, like its cells
in every other table; its invited count, which the project gives and which
reveals no answer, stays. An organisation invited but without respondents
has ``n`` 0 and rate 0.
"""

from __future__ import annotations

import math

import pandas as pd

from slutrapport.analysis.coded import _codes
from slutrapport.analysis.describe import hidden_by_wave, reporting_groups
from slutrapport.analysis.suppression import ALL, OTHERS, UNKNOWN_ORGANISATION
from slutrapport.sources.survey.ingest import SurveyData

__all__ = ["RESPONSE_RATE_COLUMNS", "LOW_RESPONSE_RATE", "response_rates", "rate_lookup"]

#: Columns of :func:`response_rates` (``svarsfrekvens`` in ``rapport.json``).
RESPONSE_RATE_COLUMNS = ["grupp", "enkat", "n", "inbjudna", "svarsfrekvens", "undertryckt"]
#: A response rate below this gets a warning in the report.
LOW_RESPONSE_RATE = 0.5


def response_rates(survey: SurveyData, invited: dict[str, dict[str, int]] | None, min_n: int = 5) -> pd.DataFrame:
    """Response rate per reporting group and wave (columns :data:`RESPONSE_RATE_COLUMNS`).

    Parameters
    ----------
    survey : SurveyData
        The validated waves.
    invited : dict
        Wave label → organisation (as in the answers, ``Alla`` for the total)
        → invited count; None or empty gives an empty table.
    min_n : int
        The anonymity threshold.

    Returns
    -------
    DataFrame
        One row per group with respondents or an invited count in a wave that
        has counts: ``grupp``, ``enkat`` (str), ``n`` (respondents, Int64),
        ``inbjudna`` (Int64, missing when unknown), ``svarsfrekvens`` (0–1,
        NaN when unknown or hidden) and ``undertryckt`` (bool). ``Alla`` first
        in each wave, then the groups in the order of the comparison table.
    """
    if not invited or not any(invited.values()):
        return _empty()
    people = reporting_groups(survey, min_n)
    codes = _codes(survey)  # each respondent's organisation on their first row
    first = pd.Series(survey.tidy["organisation"].take(codes.first_row).to_numpy(), index=codes.people)
    organisation = first.reindex(people.index)
    hidden = hidden_by_wave(survey, min_n)
    by_organisation = "organisation" in survey.instrument.background
    rows = []
    for wave in [str(w) for w in survey.waves]:
        counts = invited.get(wave) or {}
        if not counts:
            continue
        mine = people[people["enkat"] == wave]
        orgs = organisation.reindex(mine.index)
        sizes = mine["grupp"].value_counts()
        merged = set(orgs[mine["grupp"] == OTHERS].dropna().astype(str))
        groups = [g for g in dict.fromkeys(mine["grupp"]) if g != ALL]
        if by_organisation:  # without an organisation question only Alla has a rate (its total, or the sum given)
            groups += [o for o in counts if o != ALL and o not in groups and o not in merged]
        total = counts.get(ALL)
        if total is None and UNKNOWN_ORGANISATION not in sizes.index and all(g in counts for g in _organisations(groups, merged)):
            total = sum(v for k, v in counts.items() if k != ALL)
        rows.append(_row(ALL, wave, len(mine), total, hidden=0 < len(mine) < min_n))
        for group in sorted(groups, key=_order):
            if group == OTHERS:
                known = all(o in counts for o in merged)
                invited_n = sum(counts[o] for o in merged) if known and merged else None
            else:
                invited_n = counts.get(group)
            rows.append(_row(group, wave, int(sizes.get(group, 0)), invited_n, hidden=group in hidden.get(wave, set())))
    table = pd.DataFrame(rows, columns=RESPONSE_RATE_COLUMNS)
    table["n"] = table["n"].astype("Int64")
    table["inbjudna"] = table["inbjudna"].astype("Int64")
    table["svarsfrekvens"] = table["svarsfrekvens"].astype(float)
    table["undertryckt"] = table["undertryckt"].astype(bool)
    return table


def _organisations(groups: list[str], merged: set[str]) -> list[str]:
    return [g for g in groups if g not in (OTHERS, UNKNOWN_ORGANISATION)] + sorted(merged)


def _order(name: str) -> tuple[int, str]:
    return (2, name) if name in (UNKNOWN_ORGANISATION, OTHERS) else (1, name.casefold())


def _row(group: str, wave: str, n: int, invited: int | None, hidden: bool) -> dict:
    rate = n / invited if invited and not hidden else (0.0 if invited == 0 and n == 0 and not hidden else math.nan)
    return {
        "grupp": group,
        "enkat": wave,
        "n": pd.NA if hidden else n,
        "inbjudna": pd.NA if invited is None else int(invited),
        "svarsfrekvens": rate,
        "undertryckt": hidden,
    }


def _empty() -> pd.DataFrame:
    table = pd.DataFrame({c: pd.Series(dtype=object) for c in RESPONSE_RATE_COLUMNS})
    return table.astype({"n": "Int64", "inbjudna": "Int64", "svarsfrekvens": float, "undertryckt": bool})


def rate_lookup(table: pd.DataFrame | None) -> dict[tuple[str, str], float | None]:
    """(grupp, enkat) → response rate; None for a hidden group with an invited count (shown as protected).

    Groups without a known rate are left out.
    """
    if table is None or table.empty:
        return {}
    out: dict[tuple[str, str], float | None] = {}
    for row in table.itertuples(index=False):
        if bool(row.undertryckt):
            if not pd.isna(row.inbjudna):
                out[(row.grupp, str(row.enkat))] = None
        elif not pd.isna(row.svarsfrekvens):
            out[(row.grupp, str(row.enkat))] = float(row.svarsfrekvens)
    return out
