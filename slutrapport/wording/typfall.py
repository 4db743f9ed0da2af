"""Swedish sentences of the typfall method: costs raised by the indirect tax, results per actor, the summary.

The rules (as the method's reports write them): totals in text in mkr with
one decimal ("2,6 mkr"), per-participant figures in whole kronor; the payback
in whole months, and for an actor whose yearly income is negative "visar
inget värde pga. negativ intäkt"; the project cost "räknas upp" by the average
indirect tax and is split by the financing shares ("en fjärdedel vardera" when
they are equal quarters).
"""

from __future__ import annotations

import pandas as pd

from slutrapport.analysis.socioeconomic import TOTAL, SocioeconomicResults
from slutrapport.core.swedish import format_mkr, format_money, format_percent, join_words
from slutrapport.wording.economy import ACTOR_NAMES

__all__ = [
    "NEGATIVE_INCOME",
    "SUMMARY_TITLE",
    "cost_sentences",
    "actor_profitability_sentences",
    "actor_payback_sentences",
    "write_off_sentence",
    "summary_sentences",
    "state_sentence",
]

NEGATIVE_INCOME = "visar inget värde pga. negativ intäkt"
SUMMARY_TITLE = "Samhällsekonomisk nytta i korthet"
_ACTOR_WORDS = {**ACTOR_NAMES, "individen": "deltagarna", TOTAL: "samhället"}


def _per(value: float, finished: int) -> str:
    return format_money(value / finished) if finished else "–"


def _financing_phrase(financing: dict[str, float]) -> str:
    paying = {a: s for a, s in financing.items() if s > 0}
    names = [_ACTOR_WORDS[a] for a in paying]
    if len(paying) == 4 and all(abs(s - 0.25) < 1e-9 for s in paying.values()):
        return f"med en fjärdedel vardera på {join_words(names)}"
    if len(paying) == 1:
        return f"helt på {names[0]}"
    return "på " + join_words([f"{_ACTOR_WORDS[a]} ({format_percent(s)})" for a, s in paying.items()])


def cost_sentences(results: SocioeconomicResults) -> list[str]:
    """The project cost, raised by the indirect tax, per participant, and how it is split between the parties."""
    basis, finished = results.basis, results.basis.finished
    sentences = [f"Projektkostnaden är {format_mkr(basis.project_cost)} (enligt {basis.cost_source})."]
    if results.factor != 1:
        sentences.append(
            "För att kunna jämföra resultat i offentlig och privat sektor räknas alla kostnader och intäkter i offentlig sektor "
            f"upp med den genomsnittliga indirekta skatten ({format_percent(results.factor - 1)}). Den samhällsekonomiska "
            f"kostnaden för de {finished} deltagarna är {format_mkr(results.society_cost)}, eller {_per(results.society_cost, finished)} per deltagare."
        )
    else:
        sentences.append(f"Kostnaden per deltagare är {_per(results.society_cost, finished)}.")
    sentences.append(f"Kostnaden fördelas {_financing_phrase(results.financing)}.")
    return sentences


def _row(results: SocioeconomicResults, actor: str):
    return results.actor_results.set_index("aktor").loc[actor]


def actor_profitability_sentences(results: SocioeconomicResults, years: int = 1) -> list[str]:
    """``'Lönsamheten efter ett år för kommunen är 4,0 mkr, motsvarande 49 383 kr per deltagare.'`` per actor."""
    column = f"lonsamhet_{years}_ar"
    when = "ett år" if years == 1 else f"{years} år"
    finished = results.basis.finished
    return [
        f"Lönsamheten efter {when} för {_ACTOR_WORDS[r.aktor]} är {format_mkr(getattr(r, column))}, "
        f"motsvarande {_per(getattr(r, column), finished)} per deltagare."
        for r in results.actor_results.itertuples()
        if r.aktor != TOTAL and (r.kostnad > 0 or round(r.arlig_intakt) != 0)
    ]


def _payback(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def actor_payback_sentences(results: SocioeconomicResults, society: bool = True) -> list[str]:
    """Each paying actor's payback, or why there is none ("visar inget värde pga. negativ intäkt"), then society's."""
    sentences = []
    for r in results.actor_results.itertuples():
        if (r.aktor != TOTAL and r.kostnad <= 0) or (r.aktor == TOTAL and not society):
            continue
        months = _payback(r.aterbetalningstid_manader)
        subject = f"Återbetalningstiden för {_ACTOR_WORDS[r.aktor]}"
        if months is not None:
            sentences.append(f"{subject} är {months} månader.")
        elif r.arlig_intakt <= 0:
            sentences.append(f"{subject} {NEGATIVE_INCOME}.")
        else:
            sentences.append(f"{subject} ligger bortom effekternas varaktighet.")
    return sentences


def write_off_sentence(results: SocioeconomicResults) -> str:
    """The profitability after one year when the project cost is written off over three years."""
    value = results.value("lonsamhet_1_ar_avskrivning_3_ar")
    verdict = "lönsamt redan efter ett år" if value >= 0 else "inte lönsamt efter ett år"
    return (
        f"Om projektkostnaden skrivs av på tre år är projektet {verdict}, {format_mkr(value)} "
        f"({_per(value, results.basis.finished)} per deltagare). Återbetalningstiden påverkas inte."
    )


def summary_sentences(results: SocioeconomicResults) -> list[str]:
    """ "Samhällsekonomisk nytta i korthet": income and cost per participant, payback, 5-year profitability, potential."""
    finished, gain, cost = results.basis.finished, results.yearly_gain, results.society_cost
    months = results.value("aterbetalningstid_manader")
    five = float(results.profitability.set_index("ar").loc[5, "netto"])
    sentences = [
        f"Den samhällsekonomiska bedömningen är gjord med hjälp av typfall för {finished} avslutade deltagare.",
        f"Den samhällsekonomiska intäkten är {_per(gain, finished)} per deltagare och år ({format_mkr(gain)} per år totalt). "
        f"Den samhällsekonomiska kostnaden är {_per(cost, finished)} per deltagare ({format_mkr(cost)}).",
    ]
    if months is not None:
        short = "negativ" if months > 12 else "positiv"
        sentences.append(f"Återbetalningstiden för samhället är {months} månader, så lönsamheten på kort sikt är {short}.")
    else:
        sentences.append("Projektkostnaden betalas inte tillbaka inom beräkningsperioden.")
    sentences.append(f"På fem års sikt är lönsamheten totalt {format_mkr(five)}.")
    sentences.append("Intäkten är årligen återkommande så länge deltagarna behåller sin status, medan kostnaden är en engångspost.")
    share = results.value("utnyttjad_potential")
    if share is not None:
        sentences.append(f"Målgruppen har en potential på {format_mkr(results.potential)} per år; {format_percent(share)} av potentialen har utnyttjats.")
    return sentences


_STATE = ("Försäkringskassan", "Arbetsförmedlingen", "övriga staten")


def state_sentence(results: SocioeconomicResults) -> str:
    """The state in total (Försäkringskassan, Arbetsförmedlingen and the state's taxes and fees), as the method reports it."""
    incomes = results.actors.set_index("aktor")["arlig_vinst"]
    total = float(sum(incomes[a] for a in _STATE))
    word = "intäkter" if total >= 0 else "kostnader"
    return (
        f"Staten totalt (Försäkringskassan, Arbetsförmedlingen och statens skatter och avgifter) får ökade {word} med "
        f"{format_mkr(abs(total))} per år, vilket motsvarar {_per(abs(total), results.basis.finished)} per deltagare."
    )
