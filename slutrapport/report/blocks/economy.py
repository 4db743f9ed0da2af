"""Blocks for the economy and socio-economic headings, reshaped from the analysis tables.

Only reshaping happens here: every number comes from
:class:`~slutrapport.analysis.economy.EconomyResults` or
:class:`~slutrapport.analysis.socioeconomic.SocioeconomicResults` as it is,
and every sentence from :mod:`slutrapport.wording.economy`.

Each ``*_section`` function returns ``(blocks, missing)`` for the report's
block builders. Template settings (``block_installningar:``) per block:
``kravs`` (whether a missing budget/parameter file is named in the
completeness table; default true, except for ``socioekonomi``, which a
template places where the evaluation is described and which is optional
there), ``rubrik`` (a subheading over the block's content: none for
``ekonomi`` and "Samhällsekonomisk beräkning" for ``socioekonomi`` by
default; ``rubrik: null`` for none) and, for ``socioekonomi``, ``underlag``
(start with what the calculation is built on; default true).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from slutrapport.analysis.economy import TOTAL, EconomyResults
from slutrapport.analysis.socioeconomic import SocioeconomicResults
from slutrapport.core.swedish import join_words
from slutrapport.report.blocks.typfall import actor_results_table, in_brief_blocks, inputs_table, society_note, summary_chart, summary_tables
from slutrapport.report.model import COUNT, MONEY, SHARE, Column, Hidden, Paragraphs, Subsection, Table, for_appendix
from slutrapport.sources.economy.socioeconomic import ACTORS, BEFORE
from slutrapport.wording.economy import (
    ACTOR_NAMES,
    EXAMPLE_NOTICE,
    actor_label,
    budget_sentences,
    cost_per_person_sentences,
    financing_sentences,
    gain_sentences,
    payback_sentence,
    potential_sentence,
    profitability_sentences,
    sensitivity_sentence,
    socioeconomic_basis_sentences,
)
from slutrapport.wording.typfall import actor_payback_sentences, actor_profitability_sentences, cost_sentences, state_sentence, write_off_sentence

__all__ = [
    "NO_BUDGET",
    "NO_PARAMETERS",
    "economy_blocks",
    "economy_section",
    "socioeconomic_blocks",
    "basis_blocks",
    "before_blocks",
    "after_blocks",
    "socioeconomic_section",
]

NO_BUDGET = "ekonomi saknas: ingen budget har lagts till"
NO_PARAMETERS = "samhällsekonomisk beräkning saknas: ingen parameterfil har lagts till"
_BUDGET_LABEL = "Budget enligt ansökan"
_SOCIO_TITLE = "Samhällsekonomisk beräkning"
_INDIVIDUAL_NOTE = (
    "För individen räknas inkomst som negativ kostnad, så att individens vinst är ökningen av inkomsten "
    "(minus egna kostnader). För övriga aktörer är beloppet kostnaden för stöd och ersättningar minus intäkter, t.ex. skatt."
)


def _number(value: Any) -> Any:
    return None if value is None or pd.isna(value) else value


# --------------------------------------------------------------------------- budget against outcome


def _budget_table(results: EconomyResults) -> Table:
    table = results.table
    multi = not results.single_period
    columns = [Column("Kategori")]
    total_group = ("Hela projektperioden" if results.until is None else f"Till och med {results.until}") if multi else None
    if multi:
        for period in results.periods:
            columns += [Column(_BUDGET_LABEL, MONEY, period), Column("Utfall", MONEY, period)]
    columns += [
        Column(_BUDGET_LABEL, MONEY, total_group),
        Column("Utfall", MONEY, total_group),
        Column("Avvikelse", MONEY, total_group),
        Column("Avvikelse i procent", SHARE, total_group),
    ]
    rows = []
    for category in [*results.categories, TOTAL]:
        row: list[Any] = [category]
        cells = table[table["kategori"] == category].set_index("period")
        if multi:
            for period in results.periods:
                row += [cells.at[period, "budget"], cells.at[period, "utfall"]]
        total = cells.loc[TOTAL]
        row += [total["budget"], total["utfall"], total["avvikelse_kr"], _number(total["avvikelse_procent"])]
        rows.append(row)
    return Table(
        caption="Budget enligt ansökan och utfall per kategori" + (" och period" if multi else ""),
        columns=columns,
        rows=rows,
        notes=[f"Avvikelse = utfall minus budget, i kronor och i procent av budgeten. Källa: {results.source}."],
    )


def _period_table(results: EconomyResults) -> Table:
    table = results.table[results.table["kategori"] == TOTAL]
    rows = [
        [r.period, r.budget, r.utfall, r.avvikelse_kr, _number(r.avvikelse_procent)] for r in table.itertuples()
    ]
    return Table(
        caption="Avvikelse från budgeten per period, alla kategorier",
        columns=[
            Column("Period"),
            Column(_BUDGET_LABEL, MONEY),
            Column("Utfall", MONEY),
            Column("Avvikelse", MONEY),
            Column("Avvikelse i procent", SHARE),
        ],
        rows=rows,
    )


def _per_person_table(results: EconomyResults) -> Table:
    rows, reasons = [], []
    for label, count, measure in (("Alla deltagare", "deltagare", "kostnad_per_deltagare"), ("Avslutade deltagare", "avslutade", "kostnad_per_avslutad")):
        row: list[Any] = [label]
        for key in (count, measure):
            value = results.value(key)
            if value is None:
                reason = results.reasons.get(key, "uppgift saknas")
                row.append(Hidden(reason))
                reasons.append(reason)
            else:
                row.append(value)
        rows.append(row)
    notes = [f"– = {join_words(sorted(set(reasons)))}." if reasons else ""]
    return Table(
        caption="Kostnad per deltagare (utfall " + ("för hela projektet)" if results.until is None else f"till och med {results.until})"),
        columns=[Column("Deltagare"), Column("Antal", COUNT), Column("Utfall per person", MONEY)],
        rows=rows,
        notes=[n for n in notes if n],
    )


def _financing_table(results: EconomyResults) -> Table:
    rows = [[r.part, _number(r.budget), _number(r.andel_budget), _number(r.utfall), _number(r.andel_utfall)] for r in results.financing.itertuples()]
    return Table(
        caption="Finansiering per part",
        columns=[Column("Part"), Column(_BUDGET_LABEL, MONEY), Column("Andel av budgeten", SHARE), Column("Utfall", MONEY),
                 Column("Andel av utfallet", SHARE)],  # fmt: skip
        rows=rows,
        notes=["Andel = partens belopp av summan för alla parter. Källa: finansiering: i projekt.yaml."],
        sheet_title="Finansiering",
    )


def economy_blocks(results: EconomyResults) -> list:
    """Sentences, the budget table (per period and total), deviations per period, the financing per party and the cost per participant."""
    blocks: list = [Paragraphs(budget_sentences(results)), _budget_table(results)]
    if not results.single_period:
        blocks.append(_period_table(results))
    if results.financing is not None:
        blocks += [Paragraphs(financing_sentences(results)), _financing_table(results)]
    blocks += [Paragraphs(cost_per_person_sentences(results)), _per_person_table(results)]
    return blocks


def _flag(settings: dict, key: str, default: bool) -> bool:
    """A yes/no block setting: the template loader made it a boolean (``mall.yaml``'s schema); anything else is the default."""
    value = settings.get(key)
    return value if isinstance(value, bool) else default


def _titled(blocks: list, title: Any) -> list:
    return [Subsection(str(title), blocks)] if title else blocks


def economy_section(results: EconomyResults | None, settings: dict) -> tuple[list, str | None]:
    """The ``ekonomi`` block: its blocks, or what is missing (unless the template says ``kravs: false``)."""
    if results is None:
        return [], NO_BUDGET if _flag(settings, "kravs", True) else None
    return _titled(economy_blocks(results), settings.get("rubrik")), None


# --------------------------------------------------------------------------- socio-economic calculation


def _notice(results: SocioeconomicResults) -> list:
    return [Paragraphs([EXAMPLE_NOTICE])] if results.example else []


def _payback_cell(value: Any) -> Any:
    return Hidden("ingen återbetalning") if _number(value) is None else int(value)


def _actor_table(results: SocioeconomicResults) -> Table:
    rows = [
        [actor_label(r.aktor) if r.aktor != TOTAL else TOTAL, r.kostnad_fore, r.kostnad_efter, r.arlig_vinst]
        for r in results.actors.itertuples()
    ]
    return Table(
        caption=f"Årlig vinst per aktör för {results.basis.finished} avslutade deltagare",
        columns=[Column("Aktör"), Column("Kostnad före", MONEY), Column("Kostnad efter", MONEY), Column("Årlig vinst", MONEY)],
        rows=rows,
        notes=["Kronor per år. Vinst = kostnad före minus kostnad efter. " + _INDIVIDUAL_NOTE],
    )


def _profitability_table(results: SocioeconomicResults) -> Table:
    rows = [[int(r.ar), r.ackumulerad_vinst, r.projektkostnad, r.netto] for r in results.profitability.itertuples()]
    notes = ["Netto = ackumulerad vinst minus projektkostnad."]
    if results.discount_rate:
        notes.append("Vinsterna är diskonterade; projektkostnaden räknas vid start.")
    return Table(
        caption="Lönsamhet efter 1, 3 och 5 år",
        columns=[Column("År"), Column("Ackumulerad vinst", MONEY), Column("Projektkostnad", MONEY), Column("Netto", MONEY)],
        rows=rows,
        notes=notes,
    )


def _sensitivity_table(results: SocioeconomicResults) -> Table:
    rows = [
        [r.scenario, r.effektfaktor, r.arlig_vinst, _payback_cell(r.aterbetalningstid_manader), r.netto_3_ar]
        for r in results.sensitivity.itertuples()
    ]
    return Table(
        caption="Känslighetsanalys: effekterna 25 % mindre eller större",
        columns=[
            Column("Scenario"),
            Column("Effekt", SHARE),
            Column("Årlig vinst", MONEY),
            Column("Återbetalningstid, månader", COUNT),
            Column("Netto efter 3 år", MONEY),
        ],
        rows=rows,
        notes=["Effekt = de beräknade effekterna (skillnaden före–efter) i procent. – = ingen återbetalning."],
    )


def socioeconomic_blocks(results: SocioeconomicResults, basis: bool = True) -> list:
    """The result: gain, gain per actor, cost, profitability, payback, utilised potential and sensitivity.

    The result per actor, the summary tables after one and five years and the sensitivity table are marked for the
    appendix (their figures are in the sentences)."""
    gains = gain_sentences(results)
    basis_text = socioeconomic_basis_sentences(results) if basis else (_notice(results)[0].texts if results.example else [])
    blocks: list = [Paragraphs(basis_text)] if basis_text else []
    blocks += [
        Subsection("Intäkter", [Paragraphs(gains[:1])]),
        Subsection("Intäkter på aktörsnivå", [Paragraphs([*(gains[1:] or ["Ingen aktör får en ändrad kostnad."]), state_sentence(results)]),
                                                _actor_table(results)]),  # fmt: skip
        Subsection("Kostnader", [Paragraphs(cost_sentences(results))]),
        Subsection(
            "Lönsamhet",
            [
                Paragraphs([*profitability_sentences(results), *actor_profitability_sentences(results), write_off_sentence(results)]),
                _profitability_table(results),
                *for_appendix(actor_results_table(results)),
            ],
        ),
        Subsection("Återbetalningstid", [Paragraphs([payback_sentence(results), *actor_payback_sentences(results, society=False)])]),
        Subsection("Utnyttjad potential", [Paragraphs([potential_sentence(results)])]),
        Subsection("Sammanfattning", [*for_appendix(*summary_tables(results)), summary_chart(results)]),
        Subsection("Känslighetsanalys", [Paragraphs([sensitivity_sentence(results)]), *for_appendix(_sensitivity_table(results))]),
    ]
    return blocks


def basis_blocks(results: SocioeconomicResults) -> list:
    """What the calculation is built on: the actors, participants, cost and assumptions."""
    actors = join_words([ACTOR_NAMES[a] for a in ACTORS])
    return [Paragraphs([f"Aktörerna i beräkningen är {actors}.", *socioeconomic_basis_sentences(results)])]


def _society_note(results: SocioeconomicResults) -> list[str]:
    return [society_note(results)] if results.method_form else []


def _cases(results: SocioeconomicResults) -> list[str]:
    return list(dict.fromkeys(results.amounts["typfall"]))


def _amount(results: SocioeconomicResults, case: str, scenario: str) -> dict[str, float]:
    rows = results.amounts[(results.amounts["typfall"] == case) & (results.amounts["scenario"] == scenario)]
    return dict(zip(rows["aktor"], rows["belopp"], strict=True))


def before_blocks(results: SocioeconomicResults) -> list:
    """The typfall with their shares, and each actor's yearly amount per person FÖRE the insats."""
    cases = _cases(results)
    shares = results.scenarios.drop_duplicates("typfall").set_index("typfall")["andel_typfall"]
    before = {case: _amount(results, case, BEFORE) for case in cases}
    rows = [[actor_label(a), *[before[c][a] for c in cases]] for a in ACTORS]
    rows.append([TOTAL, *[before[c][TOTAL] for c in cases]])
    return [
        *_notice(results),
        Table(
            caption="Typfallen",
            columns=[Column("Typfall"), Column("Andel av de avslutade deltagarna", SHARE)],
            rows=[[case, shares[case]] for case in cases],
        ),
        Table(
            caption="Typfall FÖRE-läge: kostnad per person och år",
            columns=[Column("Aktör"), *[Column(case, MONEY) for case in cases]],
            rows=rows,
            notes=[_INDIVIDUAL_NOTE, *_society_note(results)],
        ),
        *[inputs_table(results, case, [BEFORE]) for case in cases if results.method_form],
    ]


def after_blocks(results: SocioeconomicResults) -> list:
    """Per typfall: each actor's yearly amount per person in every EFTER scenario, and the scenarios' shares and gain."""
    blocks: list = [*_notice(results)]
    for case in _cases(results):
        scenarios = results.scenarios[results.scenarios["typfall"] == case]
        names = scenarios["scenario"].tolist()
        amounts = {name: _amount(results, case, name) for name in [BEFORE, *names]}
        rows = [[actor_label(a), *[amounts[n][a] for n in [BEFORE, *names]]] for a in ACTORS]
        rows.append([TOTAL, *[amounts[n][TOTAL] for n in [BEFORE, *names]]])
        weighted = float((scenarios["andel"] * scenarios["vinst_per_person"]).sum())
        blocks.append(
            Subsection(
                case,
                [
                    Table(
                        caption=f"{case}: kostnad per person och år före och efter insatsen",
                        columns=[Column("Aktör"), Column(BEFORE, MONEY), *[Column(f"EFTER: {n}", MONEY) for n in names]],
                        rows=rows,
                        notes=[_INDIVIDUAL_NOTE, *_society_note(results)],
                    ),
                    *([inputs_table(results, case, names)] if results.method_form else []),
                    Table(
                        caption=f"{case}: scenarierna efter insatsen",
                        columns=[Column("Scenario"), Column("Andel av typfallet", SHARE), Column("Vinst per person och år", MONEY)],
                        rows=[*[[r.scenario, r.andel, r.vinst_per_person] for r in scenarios.itertuples()], ["Vägt genomsnitt", 1.0, weighted]],
                    ),
                ],
            )
        )
    return blocks


_KINDS = {
    "socioekonomi": lambda r, s: _titled(socioeconomic_blocks(r, basis=_flag(s, "underlag", True)), s.get("rubrik", _SOCIO_TITLE)),
    "socioekonomi_underlag": lambda r, s: basis_blocks(r),
    "socioekonomi_fore": lambda r, s: before_blocks(r),
    "socioekonomi_efter": lambda r, s: after_blocks(r),
    "socioekonomi_sammanfattning": lambda r, s: in_brief_blocks(r),
}


def socioeconomic_section(block: str, results: SocioeconomicResults | None, settings: dict) -> tuple[list, str | None]:
    """One socio-economic block (``socioekonomi``, ``socioekonomi_underlag``, ``_fore``, ``_efter``), or what is missing.

    Without a parameter file ``socioekonomi`` and ``socioekonomi_sammanfattning`` are silent unless the template
    sets ``kravs: true``; the other three always name the missing file unless
    the template sets ``kravs: false``.
    """
    if results is None:
        required = _flag(settings, "kravs", block not in ("socioekonomi", "socioekonomi_sammanfattning"))
        return [], NO_PARAMETERS if required else None
    return _KINDS[block](results, settings), None
