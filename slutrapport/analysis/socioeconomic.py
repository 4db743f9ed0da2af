"""The socio-economic calculation by typical cases (typfallsmetoden), as in Payoff-style evaluations.

The model
---------
A typfall given with the method's inputs (support mix, levels, resource use)
is first turned into these amounts per actor by :mod:`.typfall`, which also
raises public amounts by the indirect tax ``k = 1 + indirekt_skatt`` and gives
society's own amount (real resources); the row ``Totalt`` is then society's,
not the sum of the actors.

Notation: ``N`` finished participants (avslutade); typfall ``t`` covering the
share ``w_t`` of them (Σ w_t = 1); EFTER scenario ``s`` of ``t`` reached by
the share ``p_ts`` of the typfall (Σ_s p_ts = 1); actor ``a`` in
:data:`~slutrapport.sources.economy.socioeconomic.ACTORS`; the net yearly amount per
person FÖRE ``B_ta`` and EFTER ``A_tsa``. A public actor's amount is its cost
of support and benefits minus its revenue (e.g. tax); the individual's amount
is own costs minus income, so income counts as a negative cost and the
individual's gain is the rise in income.

- ``kostnad_fore_a = N · Σ_t w_t · B_ta`` and ``kostnad_efter_a = N · Σ_t w_t · Σ_s p_ts · A_tsa``
  (kronor per year for all finished participants);
- ``arlig_vinst_a = kostnad_fore_a − kostnad_efter_a = N · Σ_t w_t Σ_s p_ts (B_ta − A_tsa)``;
  the row ``Totalt`` sums the actors (or is society's, see above): the yearly gain ``G``;
- effects last ``D`` = ``varaktighet_ar`` years after the insats (default: at
  least the whole horizon of 5 years); year ``y`` = 1, 2, … carries the share
  ``e_y = min(1, max(0, D − (y − 1)))`` of a full year's gain;
- ``ackumulerad_vinst(n) = Σ_{y=1..n} G · e_y / (1 + r)^y`` with the yearly
  discount rate ``r`` = ``diskonteringsranta`` (default 0: no discounting;
  gains at the end of each year); ``netto(n) = ackumulerad_vinst(n) − C`` with
  the society's cost ``C`` = project cost × ``k`` at time 0; ``n`` = 1, 3 and 5 (:data:`HORIZONS`);
- payback time in months ``= ceil(12 · C / G)``, undiscounted, as evaluators
  report it; none when ``G ≤ 0`` or when the effects end first (``12 · C / G > 12 · D``);
- utilised potential ``= G / G_max`` with ``G_max = N · Σ_t w_t · (S_t + 12 · W · (1 + a))``:
  the gain had every finished participant got a full-time job at the average
  wage ``W`` (``genomsnittslon_manad``, fee ``a``) without subsidy or resource
  use, ``S_t`` being society's FÖRE amount per person (the sum of the actors'
  amounts when given per actor); none when ``G_max ≤ 0``;
- the three-year write-off: ``G − C / 3`` after one year (``lonsamhet_1_ar_avskrivning_3_ar``);
- sensitivity: every effect ``B − A`` times ``f`` in :data:`EFFECT_FACTORS`
  (−25 %, ±0, +25 %), i.e. the gain times ``f``, with the same cost, duration
  and rate.

Amounts in the tables are rounded to öre (2 decimals); each actor is rounded
before ``Totalt`` sums them, so ``Totalt`` is exactly the sum of its rows and
``G`` is that total.

Tables (contracts of ``rapport.json``): ``socioekonomi_aktorer``
(:data:`ACTOR_COLUMNS`), ``socioekonomi_lonsamhet`` (:data:`PROFITABILITY_COLUMNS`),
``socioekonomi_nyckeltal`` (:data:`KEY_FIGURE_COLUMNS`, measures
:data:`KEY_FIGURES`), ``socioekonomi_kanslighet`` (:data:`SENSITIVITY_COLUMNS`)
and, from rapport.json 1.3, ``socioekonomi_aktorsresultat`` (:data:`ACTOR_RESULT_COLUMNS`)
and ``socioekonomi_sammanfattning`` (:data:`SUMMARY_COLUMNS`), see :mod:`.typfall`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from slutrapport.analysis.typfall import (
    ACTOR_RESULT_COLUMNS,
    PUBLIC_ACTORS,
    SUMMARY_COLUMNS,
    SUMMARY_YEARS,
    DerivedCases,
    actor_payback,
    derive_cases,
    full_time_wage_cost,
    input_table,
)
from slutrapport.sources.economy.method_settings import DEFAULT_FINANCING
from slutrapport.sources.economy.parameter_set import ParameterSet, default_parameter_set
from slutrapport.sources.economy.socioeconomic import ACTORS, BEFORE, CalculationBasis, SocioeconomicParameters, TypicalCase

__all__ = [
    "ACTOR_COLUMNS",
    "ACTOR_RESULT_COLUMNS",
    "SUMMARY_COLUMNS",
    "PROFITABILITY_COLUMNS",
    "KEY_FIGURE_COLUMNS",
    "KEY_FIGURES",
    "SENSITIVITY_COLUMNS",
    "AMOUNT_COLUMNS",
    "SCENARIO_COLUMNS",
    "HORIZONS",
    "EFFECT_FACTORS",
    "SENSITIVITY_LABELS",
    "TOTAL",
    "SocioeconomicResults",
    "actor_gains",
    "potential_gain",
    "accumulated_gain",
    "payback_months",
    "analyse_socioeconomic",
]

ACTOR_COLUMNS = ["aktor", "kostnad_fore", "kostnad_efter", "arlig_vinst"]
PROFITABILITY_COLUMNS = ["ar", "ackumulerad_vinst", "projektkostnad", "netto"]
KEY_FIGURE_COLUMNS = ["matt", "varde"]
KEY_FIGURES = ("projektkostnad", "arlig_vinst", "aterbetalningstid_manader", "utnyttjad_potential",
               "samhallsekonomisk_kostnad", "indirekt_skatt", "potential", "lonsamhet_1_ar_avskrivning_3_ar")  # fmt: skip
SENSITIVITY_COLUMNS = ["scenario", "effektfaktor", "arlig_vinst", "aterbetalningstid_manader", "netto_3_ar"]
#: Per person and year, as in the parameter file (net amounts): FÖRE (scenario ``FÖRE``) and each EFTER scenario.
AMOUNT_COLUMNS = ["typfall", "scenario", "aktor", "belopp"]
#: Each scenario's share and yearly gain per person (Σ over actors of FÖRE − EFTER).
SCENARIO_COLUMNS = ["typfall", "andel_typfall", "scenario", "andel", "vinst_per_person"]
HORIZONS = (1, 3, 5)
EFFECT_FACTORS = (0.75, 1.0, 1.25)
SENSITIVITY_LABELS = {0.75: "Effekter −25 %", 1.0: "Beräknade effekter", 1.25: "Effekter +25 %"}
TOTAL = "Totalt"


@dataclass
class SocioeconomicResults:
    """The calculation of one project: the four contract tables and what they were computed from."""

    actors: pd.DataFrame
    profitability: pd.DataFrame
    key_figures: pd.DataFrame
    sensitivity: pd.DataFrame
    amounts: pd.DataFrame  # AMOUNT_COLUMNS
    scenarios: pd.DataFrame  # SCENARIO_COLUMNS
    basis: CalculationBasis
    potential: float  # G_max
    duration_years: float | None
    discount_rate: float
    example: bool
    reference: str | None
    source: str
    actor_results: pd.DataFrame  # ACTOR_RESULT_COLUMNS (analysis.typfall)
    summary: pd.DataFrame  # SUMMARY_COLUMNS
    factor: float  # 1 + indirekt_skatt
    financing: dict[str, float]  # each public actor's share of the project cost
    parameter_set: ParameterSet
    method_form: bool  # the typfall were given with the method's inputs
    inputs: pd.DataFrame  # analysis.typfall.INPUT_COLUMNS (empty for kronor per actor)

    @property
    def society_cost(self) -> float:
        """The project cost raised by the indirect tax (``samhallsekonomisk_kostnad``)."""
        return round(self.basis.project_cost * self.factor, 2)

    @property
    def yearly_gain(self) -> float:
        return float(self.actors.loc[self.actors["aktor"] == TOTAL, "arlig_vinst"].iloc[0])

    def value(self, measure: str) -> float | int | None:
        """One key figure (None when there is none, e.g. no payback)."""
        return self.key_figures.set_index("matt")["varde"].get(measure)


def actor_gains(cases: list[TypicalCase], finished: int, derived: DerivedCases | None = None) -> pd.DataFrame:
    """``socioekonomi_aktorer``: yearly amounts FÖRE and EFTER and the gain per actor for ``finished`` participants, plus Totalt.

    ``Totalt`` is the sum of the actors, or society's real resources when ``derived`` has the method's inputs.
    """
    rows = []
    for actor in ACTORS:
        before = finished * sum(c.share * c.before[actor] for c in cases)
        after = finished * sum(c.share * s.share * s.amounts[actor] for c in cases for s in c.after)
        before, after = round(before, 2), round(after, 2)  # öre; removes float noise such as 12 750,000000000015
        rows.append((actor, before, after, round(before - after, 2)))
    table = pd.DataFrame(rows, columns=ACTOR_COLUMNS)
    money = ACTOR_COLUMNS[1:]
    table[money] = table[money].astype(float)
    if derived is not None and any(c.situation is not None for c in cases):
        before = round(finished * sum(c.share * derived.society_before[c.name] for c in cases), 2)
        after = round(finished * sum(c.share * s.share * derived.society_after[(c.name, s.name)] for c in cases for s in c.after), 2)
        table.loc[len(table)] = [TOTAL, before, after, round(before - after, 2)]
    else:
        table.loc[len(table)] = [TOTAL, *table[money].sum().round(2).tolist()]
    return table


def _society(derived: DerivedCases, case: TypicalCase, scenario: str) -> float:
    return derived.society_before[case.name] if scenario == BEFORE else derived.society_after[(case.name, scenario)]


def potential_gain(derived: DerivedCases, finished: int, parameters: ParameterSet) -> float:
    """``G_max``: the yearly gain had every finished participant got a full-time job at the average wage,
    without subsidy and without resource use (society's FÖRE amount plus the full-time wage cost, per person)."""
    wage_cost = full_time_wage_cost(parameters)
    return finished * sum(c.share * (derived.society_before[c.name] + wage_cost) for c in derived.cases)


def accumulated_gain(yearly_gain: float, years: int, rate: float = 0.0, duration: float | None = None) -> float:
    """``Σ_{y=1..years} G · e_y / (1 + r)^y`` (see the module docstring)."""
    total = 0.0
    for year in range(1, years + 1):
        effect = 1.0 if duration is None else min(1.0, max(0.0, duration - (year - 1)))
        total += yearly_gain * effect / (1 + rate) ** year
    return total


def payback_months(cost: float, yearly_gain: float, duration: float | None = None) -> int | None:
    """``ceil(12 · C / G)``; None when the gain is ≤ 0 or the effects end before the cost is paid back."""
    if yearly_gain <= 0:
        return None
    exact = 12 * cost / yearly_gain
    months = math.ceil(round(exact, 9))  # 35.000000001 from float arithmetic is still 35 months
    if duration is not None and exact > 12 * duration + 1e-9:
        return None
    return months


def _amount_table(derived: DerivedCases) -> pd.DataFrame:
    cases = derived.cases
    rows = [(c.name, BEFORE, a, c.before[a]) for c in cases for a in ACTORS] + [(c.name, BEFORE, TOTAL, _society(derived, c, BEFORE)) for c in cases]
    rows += [(c.name, s.name, a, s.amounts[a]) for c in cases for s in c.after for a in ACTORS]
    rows += [(c.name, s.name, TOTAL, _society(derived, c, s.name)) for c in cases for s in c.after]
    return pd.DataFrame(rows, columns=AMOUNT_COLUMNS)


def _scenario_table(derived: DerivedCases) -> pd.DataFrame:
    rows = [(c.name, c.share, s.name, s.share, _society(derived, c, BEFORE) - _society(derived, c, s.name)) for c in derived.cases for s in c.after]
    return pd.DataFrame(rows, columns=SCENARIO_COLUMNS)


def _actor_results(actors: pd.DataFrame, cost: float, financing: dict[str, float], rate: float, duration: float | None) -> pd.DataFrame:
    """ACTOR_RESULT_COLUMNS: each actor's yearly income, cost share, profitability after 1, 3, 5 years and payback."""
    rows = []
    for r in actors.itertuples():
        share = 1.0 if r.aktor == TOTAL else financing.get(r.aktor, 0.0)
        own = round(cost * share, 2)
        profits = [round(accumulated_gain(r.arlig_vinst, n, rate, duration) - own, 2) for n in HORIZONS]
        rows.append((r.aktor, r.arlig_vinst, own, *profits, actor_payback(own, r.arlig_vinst, duration)))
    table = pd.DataFrame(rows, columns=ACTOR_RESULT_COLUMNS)
    table["aterbetalningstid_manader"] = table["aterbetalningstid_manader"].astype("Int64")
    return table


def _summary(gain: float, cost: float, finished: int, payback: int | None, rate: float, duration: float | None) -> pd.DataFrame:
    """SUMMARY_COLUMNS: society's income and profitability after 1 and 5 years, per participant and in total; payback."""
    rows = []
    for year in SUMMARY_YEARS:
        income = accumulated_gain(gain, year, rate, duration)
        per = [round(v / finished, 2) if finished else None for v in (income, income - cost)]
        rows.append((year, per[0], round(income, 2), per[1], round(income - cost, 2), payback))
    table = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
    table[SUMMARY_COLUMNS[1:5]] = table[SUMMARY_COLUMNS[1:5]].astype(float)
    table["aterbetalningstid_manader"] = table["aterbetalningstid_manader"].astype("Int64")
    return table


def analyse_socioeconomic(params: SocioeconomicParameters, basis: CalculationBasis) -> SocioeconomicResults:
    """Every table of the calculation from a validated parameter file and its basis (see the module docstring)."""
    derived = derive_cases(params)
    parameters = params.parameter_set or default_parameter_set()
    duration, rate = params.duration_years, params.discount_rate
    cost = round(basis.project_cost * derived.factor, 2)  # the society's cost: raised by the indirect tax
    actors = actor_gains(derived.cases, basis.finished, derived)
    gain = float(actors["arlig_vinst"].iloc[-1])
    profitability = pd.DataFrame(
        [(n, accumulated_gain(gain, n, rate, duration), cost, accumulated_gain(gain, n, rate, duration) - cost) for n in HORIZONS],
        columns=PROFITABILITY_COLUMNS,
    )
    potential = potential_gain(derived, basis.finished, parameters)
    payback = payback_months(cost, gain, duration)
    figures = {
        "projektkostnad": round(basis.project_cost, 2),
        "arlig_vinst": gain,
        "aterbetalningstid_manader": payback,
        "utnyttjad_potential": gain / potential if potential > 0 else None,
        "samhallsekonomisk_kostnad": cost,
        "indirekt_skatt": derived.factor - 1,
        "potential": round(potential, 2),
        "lonsamhet_1_ar_avskrivning_3_ar": round(accumulated_gain(gain, 1, rate, duration) - cost / 3, 2),
    }
    key_figures = pd.DataFrame({"matt": list(KEY_FIGURES), "varde": pd.Series([figures[m] for m in KEY_FIGURES], dtype=object)})
    sensitivity = pd.DataFrame(
        [
            (SENSITIVITY_LABELS[f], f, f * gain, payback_months(cost, f * gain, duration), accumulated_gain(f * gain, 3, rate, duration) - cost)
            for f in EFFECT_FACTORS
        ],
        columns=SENSITIVITY_COLUMNS,
    )
    sensitivity["aterbetalningstid_manader"] = sensitivity["aterbetalningstid_manader"].astype("Int64")
    for frame, columns in ((profitability, PROFITABILITY_COLUMNS[1:]), (sensitivity, ["arlig_vinst", "netto_3_ar"])):
        frame[columns] = frame[columns].astype(float).round(2)
    financing = params.financing or {a: DEFAULT_FINANCING.get(a, 0.0) for a in PUBLIC_ACTORS}
    return SocioeconomicResults(
        actors=actors,
        profitability=profitability,
        key_figures=key_figures,
        sensitivity=sensitivity,
        amounts=_amount_table(derived),
        scenarios=_scenario_table(derived),
        basis=basis,
        potential=potential,
        duration_years=duration,
        discount_rate=rate,
        example=params.example,
        reference=params.reference,
        source=params.source,
        actor_results=_actor_results(actors, cost, financing, rate, duration),
        summary=_summary(gain, cost, basis.finished, payback, rate, duration),
        factor=derived.factor,
        financing=financing,
        parameter_set=parameters,
        method_form=params.method_form,
        inputs=input_table(params, BEFORE),
    )
