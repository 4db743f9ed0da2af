"""Blocks of the typfall method's figures: results per actor, the summary tables and chart, "i korthet".

Only reshaping: the numbers come from
:class:`~slutrapport.analysis.socioeconomic.SocioeconomicResults`
(``actor_results``, ``summary``, ``profitability``) and the sentences from
:mod:`slutrapport.wording.typfall`. Per-participant figures are in kronor,
totals in the tables in kronor too (the text gives them in mkr).
"""

from __future__ import annotations

import pandas as pd

from slutrapport.analysis.socioeconomic import TOTAL, SocioeconomicResults
from slutrapport.report.charting import describe
from slutrapport.report.model import COUNT, MONEY, SHARE, BarChart, Column, Hidden, Paragraphs, Subsection, Table
from slutrapport.sources.economy.typfall_input import KIND_LABELS
from slutrapport.wording.economy import actor_label
from slutrapport.wording.typfall import NEGATIVE_INCOME, SUMMARY_TITLE, summary_sentences

__all__ = ["actor_results_table", "summary_tables", "summary_chart", "in_brief_blocks", "inputs_table", "society_note"]

_SOCIETY = "Samhället"


def _months(value, income: float, cost: float) -> object:
    if value is not None and not pd.isna(value):
        return int(value)
    if cost <= 0:
        return Hidden("ingen kostnad")
    return Hidden(NEGATIVE_INCOME if income <= 0 else "bortom effekternas varaktighet")


def actor_results_table(results: SocioeconomicResults) -> Table:
    """Per actor and society: yearly income, cost share, profitability after 1, 3 and 5 years and payback."""
    rows = []
    for r in results.actor_results.itertuples():
        label = _SOCIETY if r.aktor == TOTAL else actor_label(r.aktor)
        rows.append([label, r.arlig_intakt, r.kostnad, r.lonsamhet_1_ar, r.lonsamhet_3_ar, r.lonsamhet_5_ar,
                     _months(r.aterbetalningstid_manader, r.arlig_intakt, r.kostnad)])  # fmt: skip
    notes = [
        "Kronor för alla avslutade deltagare. Kostnad = aktörens andel av den samhällsekonomiska kostnaden "
        "(projektkostnaden uppräknad med den indirekta skatten). Lönsamhet = ackumulerad intäkt minus kostnad."
    ]
    if results.method_form:
        notes.append(
            "Samhället räknar bara reala resurser (produktion och resursförbrukning); bidrag, skatter och lönebidrag "
            "flyttar pengar mellan aktörerna, så samhällets intäkt är inte summan av aktörernas."
        )
    return Table(
        caption="Intäkt, lönsamhet och återbetalningstid per aktör",
        columns=[
            Column("Aktör"),
            Column("Årlig intäkt", MONEY),
            Column("Kostnad", MONEY),
            Column("Lönsamhet efter 1 år", MONEY),
            Column("Lönsamhet efter 3 år", MONEY),
            Column("Lönsamhet efter 5 år", MONEY),
            Column("Återbetalningstid, månader", COUNT),
        ],
        rows=rows,
        notes=notes,
        sheet_title="Per aktör",
    )


def summary_tables(results: SocioeconomicResults) -> list[Table]:
    """The method's two summary tables: after one year and after five years, per participant and in total."""
    tables = []
    for r in results.summary.itertuples():
        when = "ett år" if r.ar == 1 else "fem år"
        months = _months(r.aterbetalningstid_manader, results.yearly_gain, results.society_cost)
        tables.append(
            Table(
                caption=f"Efter {when}: medelvärden per deltagare och totalt för samhället",
                columns=[Column(f"Efter {when}"), Column("Per deltagare", MONEY), Column("Totalt", MONEY)],
                rows=[
                    ["Intäkt", r.intakt_per_deltagare, r.intakt_totalt],
                    ["Lönsamhet" if r.ar == 1 else f"Lönsamhet, {r.ar} år", r.lonsamhet_per_deltagare, r.lonsamhet_totalt],
                ],
                notes=[
                    f"Avser {results.basis.finished} avslutade deltagare. Återbetalningstiden för samhället är "
                    + (f"{months} månader" if isinstance(months, int) else months.reason)
                    + "; den beräknas enbart totalt, ej per deltagare."
                ],
            )
        )
    return tables


def summary_chart(results: SocioeconomicResults) -> BarChart:
    """Society's cost, income after one year (short term) and after five years (medium term)."""
    summary = results.summary.set_index("ar")
    chart = BarChart(
        title="Samhällets kostnad och intäkt på kort och medellång sikt",
        labels=["Kostnad", "Intäkt, kort sikt (1 år)", "Intäkt, medellång sikt (5 år)"],
        values=[results.society_cost, float(summary.loc[1, "intakt_totalt"]), float(summary.loc[5, "intakt_totalt"])],
    )
    return describe(chart, n=f"n = {results.basis.finished} avslutade deltagare.")  # each bar is labelled with its value


def in_brief_blocks(results: SocioeconomicResults) -> list:
    """ "Samhällsekonomisk nytta i korthet": the summary sentences, the two tables and the chart."""
    return [Subsection(SUMMARY_TITLE, [Paragraphs(summary_sentences(results)), *summary_tables(results), summary_chart(results)])]


def society_note(results: SocioeconomicResults) -> str:
    """How the Totalt row is computed when the typfall use the method's inputs."""
    return (
        "Totalt = samhället: reala resurser (resursförbrukning uppräknad med den indirekta skatten minus värdet av "
        f"arbetet). Offentliga aktörers belopp är uppräknade med {round((results.factor - 1) * 100)} % indirekt skatt."
    )


def inputs_table(results: SocioeconomicResults, case: str, situations: list[str]) -> Table:
    """The method's inputs of one typfall: support mix and levels, tjänstgöringsgrad, subsidy and resource use."""
    table = results.inputs[(results.inputs["typfall"] == case) & (results.inputs["scenario"].isin(situations))]
    rows = [
        [r.scenario, KIND_LABELS[r.stod], r.andel, _or_dash(r.belopp_manad), _or_dash(r.tjanstgoringsgrad), _or_dash(r.subvention), r.resursforbrukning]
        for r in table.itertuples()
    ]
    return Table(
        caption=f"{case}: försörjning och resursförbrukning",
        columns=[
            Column("Läge"),
            Column("Försörjning"),
            Column("Andel", SHARE),
            Column("Nivå, kr per månad", MONEY),
            Column("Tjänstgöringsgrad", SHARE),
            Column("Subvention", SHARE),
            Column("Resursförbrukning, kr per år", MONEY),
        ],
        rows=rows,
        notes=["Nivån är före skatt; för lön heltidslönen. – = gäller inte."],
    )


def _or_dash(value) -> object:
    return Hidden("gäller inte") if value is None or pd.isna(value) else value
