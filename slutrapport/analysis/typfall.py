"""The typfall method's derivation (support mix → yearly flows per actor) and its figures per actor.

Deriving the flows
------------------
A typfall given with the method's inputs (:mod:`slutrapport.sources.economy.typfall_input`)
is turned into the net yearly amount per person and actor the calculation
uses, with the parameter set ``P`` (:mod:`slutrapport.sources.economy.parameter_set`).
Per income source with share ``q`` (Σ q = 1), all amounts per person and year:

- a benefit at the level ``L`` kr/month (its own ``belopp_manad`` or ``P``'s):
  ``Y = 12 · L``, paid by its payer (:data:`PAYERS`: försörjningsstöd by the
  kommun, sjukpenning, aktivitetsersättning and sjukersättning by
  Försäkringskassan, aktivitetsstöd by Arbetsförmedlingen); everything but
  försörjningsstöd is taxable income ``T = Y``;
- lön at the full-time monthly wage ``W`` (``belopp_manad`` or
  ``genomsnittslon_manad``), tjänstgöringsgrad ``g`` and subsidy ``s``:
  gross wage ``T = 12 · W · g``, employer's fee ``F = T · arbetsgivaravgift``
  (revenue of övriga staten), wage cost ``K = T + F``, lönebidrag ``s · K``
  paid by Arbetsförmedlingen, and the production value ``(1 − s) · K``;
- taxes on ``T``: ``T · kommunalskatt_kommun`` to the kommun,
  ``T · kommunalskatt_region`` to the region, ``statlig_skatt · max(0, T − skiktgrans_ar)``
  to övriga staten; the individual's income is ``T`` minus these taxes plus
  försörjningsstöd (grundavdrag and jobbskatteavdrag are not counted);
- resource use (vård, handläggning …) ``R_a`` per public actor ``a`` as given
  FÖRE, and ``R_a · (1 + c_a)`` EFTER with the scenario's change ``c_a``.

A public actor's net amount is ``k · (benefits + lönebidrag + R_a − taxes − fees)``
with ``k = 1 + indirekt_skatt`` ("räknar vi upp alla kostnader och intäkter i
offentlig sektor med den genomsnittliga indirekta skatten"); the individual's
is ``−income`` (not raised). Society's net amount counts real resources only,
``k · Σ_a R_a − production``: benefits, taxes and lönebidrag move money
between the actors and cancel out, so the ``Totalt`` row is society's, not the
sum of the actor rows (with ``k = 1`` the two are equal). With amounts given
directly per actor, public amounts are raised by ``k`` (``k = 1`` unless
``indirekt_skatt:`` is given) and ``Totalt`` is the sum of the actors.

Potential: the yearly gain had every finished participant "klarat av att få
ett heltidsarbete med en svensk genomsnittslön, utan subvention och utan behov
av vård och annan resursförbrukning": per person society's FÖRE amount plus
the full-time wage cost ``12 · genomsnittslon_manad · (1 + arbetsgivaravgift)``.

Figures per actor (:data:`ACTOR_RESULT_COLUMNS`)
------------------------------------------------
The project cost raised by ``k`` is split by ``finansiering:`` (default a
quarter each to kommun, region, Försäkringskassan and Arbetsförmedlingen).
Per actor ``a`` with yearly income ``I_a`` (its ``arlig_vinst``) and cost share
``C_a``: ``lonsamhet_n_ar = acc(I_a, n) − C_a`` (``acc`` the accumulated gain of
:func:`~slutrapport.analysis.socioeconomic.accumulated_gain`, with the same
duration and discounting) and the payback ``ceil(12 · C_a / I_a)`` months,
none when ``I_a ≤ 0`` ("visar inget värde pga. negativ intäkt") or ``C_a = 0``.
The summary (:data:`SUMMARY_COLUMNS`) gives society's income, profitability
and payback after 1 and 5 years, per finished participant and in total.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import pandas as pd

from slutrapport.sources.economy.parameter_schema import ACTORS, INDIVIDUAL
from slutrapport.sources.economy.parameter_set import ParameterSet
from slutrapport.sources.economy.socioeconomic import SocioeconomicParameters, TypicalCase
from slutrapport.sources.economy.typfall_input import NONE, WAGE, Income, Situation

__all__ = [
    "PUBLIC_ACTORS",
    "PAYERS",
    "ACTOR_RESULT_COLUMNS",
    "SUMMARY_COLUMNS",
    "SUMMARY_YEARS",
    "Flows",
    "DerivedCases",
    "income_flows",
    "situation_flows",
    "indirect_tax",
    "derive_cases",
    "full_time_wage_cost",
    "actor_payback",
    "INPUT_COLUMNS",
    "input_table",
]

PUBLIC_ACTORS = tuple(a for a in ACTORS if a != INDIVIDUAL)
#: Who pays each benefit.
PAYERS = {
    "forsorjningsstod": "kommun",
    "sjukpenning": "Försäkringskassan",
    "aktivitetsstod": "Arbetsförmedlingen",
    "aktivitetsersattning": "Försäkringskassan",
    "sjukersattning": "Försäkringskassan",
}
_UNTAXED = frozenset({"forsorjningsstod"})
#: ``socioekonomi_aktorsresultat``: per actor and Totalt (society).
ACTOR_RESULT_COLUMNS = ["aktor", "arlig_intakt", "kostnad", "lonsamhet_1_ar", "lonsamhet_3_ar", "lonsamhet_5_ar", "aterbetalningstid_manader"]
#: ``socioekonomi_sammanfattning``: society after 1 and 5 years, per finished participant and in total.
SUMMARY_COLUMNS = ["ar", "intakt_per_deltagare", "intakt_totalt", "lonsamhet_per_deltagare", "lonsamhet_totalt", "aterbetalningstid_manader"]
SUMMARY_YEARS = (1, 5)


#: The method's inputs as given, per typfall and situation (``FÖRE`` or the scenario): each income source's
#: share, level (kr/month; the parameter set's when not given), tjänstgöringsgrad and subsidy, and the
#: resource use per person and year (``resursforbrukning``, summed over the actors).
INPUT_COLUMNS = ["typfall", "scenario", "stod", "andel", "belopp_manad", "tjanstgoringsgrad", "subvention", "resursforbrukning"]


@dataclass(frozen=True)
class Flows:
    """Per person and year, before raising: net amount per actor, production value and public resource use."""

    amounts: dict[str, float]
    production: float
    resources: float


def income_flows(income: Income, p: ParameterSet) -> Flows:
    """The flows of one income source for one person (see the module docstring)."""
    amounts = dict.fromkeys(ACTORS, 0.0)
    production, taxable, transfer = 0.0, 0.0, 0.0
    if income.kind == WAGE:
        taxable = 12 * (income.monthly if income.monthly is not None else p["genomsnittslon_manad"]) * income.workload
        fee = taxable * p["arbetsgivaravgift"]
        cost = taxable + fee
        amounts["Arbetsförmedlingen"] += income.subsidy * cost
        amounts["övriga staten"] -= fee
        production = (1 - income.subsidy) * cost
    elif income.kind != NONE:
        yearly = 12 * (income.monthly if income.monthly is not None else p[f"{income.kind}_manad"])
        amounts[PAYERS[income.kind]] += yearly
        if income.kind in _UNTAXED:
            transfer = yearly
        else:
            taxable = yearly
    taxes = {
        "kommun": taxable * p["kommunalskatt_kommun"],
        "region": taxable * p["kommunalskatt_region"],
        "övriga staten": p["statlig_skatt"] * max(0.0, taxable - p["skiktgrans_ar"]),
    }
    for actor, tax in taxes.items():
        amounts[actor] -= tax
    amounts[INDIVIDUAL] = -(taxable - sum(taxes.values()) + transfer)
    return Flows(amounts, production, 0.0)


def situation_flows(incomes: tuple[Income, ...], resources: dict[str, float], p: ParameterSet) -> Flows:
    """A situation's flows: the incomes weighted by their shares, plus the resource use per actor."""
    amounts = dict.fromkeys(ACTORS, 0.0)
    production = 0.0
    for income in incomes:
        flows = income_flows(income, p)
        production += income.share * flows.production
        for actor in ACTORS:
            amounts[actor] += income.share * flows.amounts[actor]
    for actor, amount in resources.items():
        amounts[actor] += amount
    return Flows(amounts, production, sum(resources.values()))


def _raised(flows: Flows, factor: float) -> tuple[dict[str, float], float]:
    amounts = {a: v * factor if a != INDIVIDUAL else v for a, v in flows.amounts.items()}
    return amounts, factor * flows.resources - flows.production


def indirect_tax(params: SocioeconomicParameters) -> float:
    """The indirect tax used: the file's ``indirekt_skatt:``, else the parameter set's (method form) or 0 (kronor per actor)."""
    if params.indirect_tax is not None:
        return params.indirect_tax
    if params.method_form and params.parameter_set is not None:
        return params.parameter_set["indirekt_skatt"]
    return 0.0


def full_time_wage_cost(p: ParameterSet) -> float:
    """``12 · genomsnittslon_manad · (1 + arbetsgivaravgift)``: the yearly value of a full-time job at the average wage."""
    return 12 * p["genomsnittslon_manad"] * (1 + p["arbetsgivaravgift"])


@dataclass
class DerivedCases:
    """The typfall with their yearly amounts per actor (raised) and society's amount per person FÖRE and per scenario."""

    cases: list[TypicalCase]
    society_before: dict[str, float]  # typfall → society's net amount per person FÖRE
    society_after: dict[tuple[str, str], float]  # (typfall, scenario) → society's net amount per person
    factor: float


def derive_cases(params: SocioeconomicParameters) -> DerivedCases:
    """Every typfall with amounts per actor; the method's inputs derived with the parameter set, public amounts raised."""
    factor = 1.0 + indirect_tax(params)
    p = params.parameter_set
    cases, before_society, after_society = [], {}, {}
    for case in params.cases:
        if case.situation is None:
            before = {a: v * factor if a != INDIVIDUAL else v for a, v in case.before.items()}
            scenarios = [replace(s, amounts={a: v * factor if a != INDIVIDUAL else v for a, v in s.amounts.items()}) for s in case.after]
            before_society[case.name] = sum(before.values())
            after_society |= {(case.name, s.name): sum(s.amounts.values()) for s in scenarios}
        else:
            before, before_society[case.name] = _raised(situation_flows(case.situation.incomes, case.situation.resources or {}, p), factor)
            scenarios = []
            for scenario in case.after:
                situation: Situation = scenario.situation
                resources = {a: r * (1 + situation.change.get(a, 0.0)) for a, r in (case.situation.resources or {}).items()}
                amounts, society = _raised(situation_flows(situation.incomes, resources, p), factor)
                scenarios.append(replace(scenario, amounts=amounts))
                after_society[(case.name, scenario.name)] = society
        cases.append(replace(case, before=before, after=tuple(scenarios)))
    return DerivedCases(cases, before_society, after_society, factor)


def actor_payback(cost: float, income: float, duration: float | None = None) -> int | None:
    """``ceil(12 · C / I)`` months; None when the income is ≤ 0, there is no cost, or the effects end first."""
    if income <= 0 or cost <= 0:
        return None
    exact = 12 * cost / income
    if duration is not None and exact > 12 * duration + 1e-9:
        return None
    return math.ceil(round(exact, 9))


def _level(income: Income, p: ParameterSet) -> float | None:
    if income.monthly is not None:
        return income.monthly
    if income.kind == WAGE:
        return p["genomsnittslon_manad"]
    return None if income.kind == NONE else p[f"{income.kind}_manad"]


def input_table(params: SocioeconomicParameters, before_label: str) -> pd.DataFrame:
    """INPUT_COLUMNS for the typfall given with the method's inputs (empty for kronor per actor)."""
    p = params.parameter_set
    rows = []
    for case in params.cases:
        if case.situation is None:
            continue
        resources = case.situation.resources or {}
        situations = [(before_label, case.situation, sum(resources.values()))]
        for s in case.after:
            after = sum(r * (1 + s.situation.change.get(a, 0.0)) for a, r in resources.items())
            situations.append((s.name, s.situation, after))
        for name, situation, used in situations:
            for income in situation.incomes:
                wage = income.kind == WAGE
                rows.append((case.name, name, income.kind, income.share, _level(income, p),
                             income.workload if wage else None, income.subsidy if wage else None, used))  # fmt: skip
    return pd.DataFrame(rows, columns=INPUT_COLUMNS)
