"""Swedish sentences about the budget and the socio-economic calculation. Every wording rule for them lives here.

The rules:

- **Deviation**: the total outcome is called lower or higher than the budget
  with the deviation in whole percent and kronor; when it rounds to 0 % it is
  "i nivå med budgeten". Kategorier are named when their deviation is at
  least :data:`NOTABLE_DEVIATION` (10 %) of their budget.
- **Cost per person**: only from counts that are known and shown; an
  unknown count says "uppgift saknas", a hidden one says it is too small to show.
- **Socio-economic result**: gains, costs and net figures in kronor; payback
  in whole months (and years with one decimal); "lönsamt" only when the net
  after n years is at least 0. A file marked ``exempel: true`` is always
  named as example values, not official standard costs.

Inputs are the tables of :mod:`.economy` and :mod:`.socioeconomic`; the
output is plain text (the renderer escapes it).
"""

from __future__ import annotations

import pandas as pd

from slutrapport.analysis.economy import REASON_HIDDEN, REASON_UNKNOWN, REASON_ZERO, TOTAL, EconomyResults
from slutrapport.analysis.socioeconomic import HORIZONS, SocioeconomicResults
from slutrapport.core.swedish import format_mkr, format_money, format_number, format_percent, join_words

__all__ = [
    "financing_sentences",
    "NOTABLE_DEVIATION",
    "ACTOR_NAMES",
    "actor_label",
    "deviation_phrase",
    "budget_sentences",
    "cost_per_person_sentences",
    "socioeconomic_basis_sentences",
    "gain_sentences",
    "payback_sentence",
    "profitability_sentences",
    "potential_sentence",
    "sensitivity_sentence",
    "EXAMPLE_NOTICE",
]

NOTABLE_DEVIATION = 0.10
#: Actors inside a sentence (definite form).
ACTOR_NAMES = {
    "kommun": "kommunen",
    "region": "regionen",
    "Försäkringskassan": "Försäkringskassan",
    "Arbetsförmedlingen": "Arbetsförmedlingen",
    "övriga staten": "övriga staten",
    "individen": "individen",
}
EXAMPLE_NOTICE = (
    "Observera: beräkningen bygger på exempelvärden för demonstration, inte på officiella standardkostnader. "
    "Ersätt dem med egna, källhänvisade värden innan rapporten lämnas in."
)


def actor_label(actor: str) -> str:
    """An actor as a table row label: ``'kommun'`` → ``'Kommunen'``."""
    name = ACTOR_NAMES.get(actor, actor)
    return name[0].upper() + name[1:]


def _signed_money(value: float) -> str:
    return ("+" if round(value) > 0 else "") + format_money(value)


def deviation_phrase(budget: float, outcome: float) -> str:
    """``'3 % lägre än budgeten (−113 750 kr)'``, ``'i nivå med budgeten'`` or ``'utan budget'``."""
    difference = outcome - budget
    if budget == 0:
        return "i nivå med budgeten" if outcome == 0 else f"utan budget ({format_money(outcome)})"
    share = difference / budget
    if round(abs(share) * 100) == 0:
        return "i nivå med budgeten" + ("" if round(difference) == 0 else f" ({_signed_money(difference)})")
    word = "lägre" if difference < 0 else "högre"
    return f"{format_percent(abs(share))} {word} än budgeten ({_signed_money(difference)})"


def financing_sentences(results: EconomyResults) -> list[str]:
    """The parties' funding in brief, and whether its total matches the budget's."""
    table = results.financing
    if table is None:
        return []
    parties, total = table.iloc[:-1], table.iloc[-1]
    column = "utfall" if pd.notna(total["utfall"]) else "budget"
    share = "andel_utfall" if column == "utfall" else "andel_budget"
    if pd.isna(total[column]):
        return [f"Projektet finansierades av {join_words(list(parties['part']))}."]
    parts = [f"{r.part} {format_money(getattr(r, column))} ({format_percent(getattr(r, share))})" for r in parties.itertuples() if pd.notna(getattr(r, share))]
    word = "bidrog med" if column == "utfall" else "budgeterade"
    sentences = [f"Parterna {word} sammanlagt {format_money(float(total[column]))}: {join_words(parts)}."]
    budget_total = float(results.row(TOTAL)["budget" if column == "budget" else "utfall"])
    if abs(float(total[column]) - budget_total) >= 1:
        which = "utfallet" if column == "utfall" else "budgeten"
        sentences.append(f"Finansieringens summa skiljer sig från {which} i den ekonomiska redovisningen ({format_money(budget_total)}).")
    return sentences


def budget_sentences(results: EconomyResults) -> list[str]:
    """The total budget and outcome, the total deviation and the kategorier that deviate notably."""
    total = results.row(TOTAL)
    budget, outcome = float(total["budget"]), float(total["utfall"])
    span = "för hela projektperioden" if not results.single_period else "för projektet"
    span = span if results.until is None or results.single_period else f"till och med {results.until}"
    sentences = [f"Budgeten enligt ansökan var {format_money(budget)} {span} och utfallet blev {format_money(outcome)}."]
    sentences.append(f"Utfallet blev {deviation_phrase(budget, outcome)}.")
    notable = []
    for category in results.categories:
        row = results.row(category)
        b, o = float(row["budget"]), float(row["utfall"])
        if (b == 0 and o > 0) or (b > 0 and abs(o - b) / b >= NOTABLE_DEVIATION):
            notable.append(f"{category} {deviation_phrase(b, o)}")
    if len(results.categories) > 1:
        if notable:
            sentences.append(f"Avvikelser på minst {format_percent(NOTABLE_DEVIATION)}: {join_words(notable)}.")
        else:
            sentences.append(f"Ingen kategori avvek med {format_percent(NOTABLE_DEVIATION)} eller mer från sin budget.")
    return sentences


_COUNT_WORDS = {"deltagare": "antalet deltagare", "avslutade": "antalet avslutade deltagare"}


def cost_per_person_sentences(results: EconomyResults) -> list[str]:
    """The cost per participant and per finished participant, or why it cannot be given."""
    sentences = []
    for measure, count, per in (("kostnad_per_deltagare", "deltagare", "deltagare"), ("kostnad_per_avslutad", "avslutade", "avslutad deltagare")):
        value, n = results.value(measure), results.value(count)
        if value is not None and n is not None:
            sentences.append(f"Kostnaden per {per} blev {format_money(value)} ({n} {'deltagare' if count == 'deltagare' else 'avslutade'}).")
            continue
        reason = results.reasons.get(measure, REASON_UNKNOWN)
        why = {
            REASON_UNKNOWN: f"{_COUNT_WORDS[count]} saknas (uppgift saknas)",
            REASON_HIDDEN: f"{_COUNT_WORDS[count]} är färre än {results.min_n} och visas inte",
            REASON_ZERO: f"{_COUNT_WORDS[count]} är 0",
        }[reason]
        sentences.append(f"Kostnaden per {per} kan inte anges: {why}.")
    return sentences


def _years(value: float) -> str:
    return format_number(value, 0 if float(value).is_integer() else 1)


def socioeconomic_basis_sentences(results: SocioeconomicResults) -> list[str]:
    """What the calculation is built on: typfall, participants, cost, duration and discounting."""
    basis = results.basis
    cases = list(dict.fromkeys(results.scenarios["typfall"]))
    sentences = [
        "Beräkningen jämför vad en typisk deltagare (ett typfall) kostar samhällets aktörer och har i inkomst under ett år "
        "före insatsen med ett år efter, i ett eller flera scenarier.",
        f"Den gäller {basis.finished} avslutade deltagare (enligt {basis.finished_source}) fördelade på "
        f"{len(cases)} typfall och projektkostnaden {format_money(basis.project_cost)} "
        f"(enligt {basis.cost_source}).",
    ]
    duration = (
        f"Effekterna antas bestå i {_years(results.duration_years)} år"
        if results.duration_years is not None
        else f"Effekterna antas bestå under hela beräkningsperioden på {max(HORIZONS)} år"
    )
    discount = (
        f"framtida vinster diskonteras med {format_percent(results.discount_rate, 1)} per år"
        if results.discount_rate
        else "vinsterna diskonteras inte"
    )
    sentences.append(f"{duration}, och {discount}.")
    if results.reference:
        sentences.append(f"Källa för kostnaderna: {results.reference}")
    if results.example:
        sentences.insert(0, EXAMPLE_NOTICE)
    return sentences


def gain_sentences(results: SocioeconomicResults) -> list[str]:
    """The yearly gain in total and per finished participant, and which actors gain or lose most."""
    gain, finished = results.yearly_gain, results.basis.finished
    if gain <= 0:
        sentences = [f"Beräkningen visar ingen årlig samhällsekonomisk vinst: kostnaderna efter insatsen är minst lika stora "
                     f"som före (årligt netto {format_money(gain)})."]  # fmt: skip
    else:
        per = f", i genomsnitt {format_money(gain / finished)} per deltagare och år" if finished else ""
        sentences = [f"Den samhällsekonomiska intäkten beräknas till {format_mkr(gain)} per år ({format_money(gain)}){per}."]
    actors = results.actors[results.actors["aktor"] != "Totalt"]
    winners = actors[actors["arlig_vinst"].round() > 0].sort_values("arlig_vinst", ascending=False, kind="stable")
    losers = actors[actors["arlig_vinst"].round() < 0].sort_values("arlig_vinst", kind="stable")
    for r in [*winners.itertuples(), *losers.itertuples()]:
        per = f", vilket motsvarar {format_money(abs(r.arlig_vinst) / finished)} per deltagare" if finished else ""
        name = ACTOR_NAMES[r.aktor]
        if r.aktor == "individen":
            word = "ökar" if r.arlig_vinst > 0 else "minskar"
            sentences.append(f"Deltagarnas disponibla inkomst {word} med {format_mkr(abs(r.arlig_vinst))} per år{per}.")
        else:
            word = "intäkter" if r.arlig_vinst > 0 else "kostnader"
            sentences.append(f"{name[0].upper()}{name[1:]} får ökade {word} med {format_mkr(abs(r.arlig_vinst))} per år{per}.")
    return sentences


def payback_sentence(results: SocioeconomicResults) -> str:
    """``'Återbetalningstiden är 35 månader (2,9 år).'`` or why there is none."""
    months = results.value("aterbetalningstid_manader")
    if months is not None:
        return f"Återbetalningstiden är {months} månader ({format_number(months / 12, 1)} år)."
    if results.yearly_gain <= 0:
        return "Projektkostnaden betalas inte tillbaka, eftersom beräkningen inte visar någon årlig vinst."
    return f"Projektkostnaden betalas inte tillbaka inom effekternas varaktighet ({_years(results.duration_years)} år)."


def profitability_sentences(results: SocioeconomicResults) -> list[str]:
    """Net after 1, 3 and 5 years and the first of them when the project is profitable."""
    rows = list(results.profitability.itertuples())
    parts = [f"efter {r.ar} år {format_mkr(r.netto)}" for r in rows]
    sentences = [f"Lönsamheten (ackumulerad intäkt minus den samhällsekonomiska kostnaden) är {join_words(parts)}."]
    profitable = [r.ar for r in rows if r.netto >= 0]
    if profitable:
        sentences.append(f"Projektet är samhällsekonomiskt lönsamt efter {profitable[0]} år.")
    else:
        sentences.append(f"Projektet är inte samhällsekonomiskt lönsamt inom {rows[-1].ar} år.")
    return sentences


def potential_sentence(results: SocioeconomicResults) -> str:
    """How much of the participants' potential the project realises (the typfall method's definition)."""
    share = results.value("utnyttjad_potential")
    finished = results.basis.finished
    per = f", cirka {format_money(results.potential / finished)} per deltagare och år" if finished else ""
    potential = (
        "Deltagarnas totala potential, om samtliga skulle klara av att få ett heltidsarbete med en svensk genomsnittslön, "
        f"utan subvention och utan behov av vård och annan resursförbrukning, är {format_mkr(results.potential)} per år{per}."
    )
    if share is None:
        return f"{potential} Utnyttjad potential kan inte beräknas."
    if results.yearly_gain <= 0:
        return f"{potential} Projektet har inte utnyttjat något av potentialen."
    return f"{potential} {format_percent(share)} av den tillgängliga potentialen har utnyttjats."


def _months(value) -> str:
    return "ingen återbetalning" if value is None or pd.isna(value) else f"{int(value)} månader"


def sensitivity_sentence(results: SocioeconomicResults) -> str:
    """The payback time and 3-year net when the effects are 25 % smaller or larger."""
    table = results.sensitivity.set_index("effektfaktor")
    low, high = table.loc[min(table.index)], table.loc[max(table.index)]
    return (
        f"Om effekterna är 25 % mindre blir återbetalningstiden {_months(low['aterbetalningstid_manader'])} och nettot "
        f"efter 3 år {format_money(low['netto_3_ar'])}; om de är 25 % större {_months(high['aterbetalningstid_manader'])} "
        f"och {format_money(high['netto_3_ar'])}."
    )
