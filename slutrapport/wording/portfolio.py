"""Swedish sentences for the funder's portfolio, from the portfolio tables' numbers.

The same rules as :mod:`.survey`: a decline is called a decline only when it
is statistically certain (a test of the project's primary family with
Holm-adjusted ``p_corr`` below :data:`~.wording.SIGNIFICANCE`; the caller
passes only those, see :func:`~slutrapport.portfolio.tables.survey_table`), hidden values are never quoted, and the text
is plain (the renderer escapes it).
"""

from __future__ import annotations

import math

from slutrapport.core.swedish import format_number, format_p, format_percent, join_words
from slutrapport.wording.survey import SIGNIFICANCE

__all__ = [
    "money",
    "overview_sentences",
    "completeness_sentence",
    "survey_group_sentence",
    "decline_sentences",
    "goals_sentence",
    "economy_sentence",
    "participants_sentence",
]


def _known(value: float | int | None) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def money(value: float) -> str:
    """``1234567`` → ``'1 234 567 kr'`` (whole kronor, real minus sign)."""
    return f"{format_number(value, 0)}\u00a0kr"


def _count_word(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def overview_sentences(projects: int, templates: int, complete: int, files: int, left_out: int) -> list[str]:
    """What the portfolio holds: projects, templates, complete reports and files left out."""
    text = [
        f"Portföljen jämför slutrapporterna från {projects} projekt, skrivna enligt {_count_word(templates, 'mall', 'mallar')}. "
        f"{complete} av {projects} projekt har innehåll under alla rubriker som mallen kräver."
    ]
    if left_out:
        text.append(
            f"{left_out} av {_count_word(files, 'hittad rapportfil', 'hittade rapportfiler')} ingår inte "
            "(se Problem vid inläsningen)."
        )
    return text


def completeness_sentence(required: int, filled: int, missing: list[str], not_assessed: int = 0) -> str:
    """``'8 av 12 obligatoriska rubriker har innehåll. Saknas: A och B.'``"""
    text = f"{filled} av {required} obligatoriska rubriker har innehåll."
    if missing:
        text += f" Saknas: {join_words(missing)}."
    if not_assessed:
        text += f" {_count_word(not_assessed, 'rubrik', 'rubriker')} har inte bedömts."
    return text


def survey_group_sentence(projects: int, name: str, instrument_id: str, scale_min: int, scale_max: int, positive: str) -> str:
    """Which projects are compared on one instrument and what is shown."""
    return (
        f"{projects} projekt använde {name} (instrument {instrument_id}, skala {scale_min}–{scale_max}, "
        f"positiva svar {positive.replace(',', ', ')}) och jämförs här: indexets nivå vid projektets sista enkät "
        "och förändringen från den första till den sista enkäten för alla svarande."
    )


def _decline_part(project: str, index: str, diff: float | None, p: float) -> str:
    if not _known(diff):
        return f"{project}: {index} ({format_p(p)})"
    if diff < 0:
        return f"{project}: {index} (medelvärdet {format_number(diff, 1)}, {format_p(p)})"
    return (
        f"{project}: {index} (svaren spreds ut: rangtestet visar en förskjutning nedåt medan medelvärdet "
        f"ändrades med {format_number(diff, 1)}, {format_p(p)})"
    )


def decline_sentences(declines: list[tuple[str, str, float, float]]) -> list[str]:
    """Certain declines ``(project, index, diff_medel, p_corr)``, or that there are none.

    The direction is the rank test's (the portfolio table's ``signifikant_minskning``);
    when the mean did not fall with it, the answers spread out and the sentence says so."""
    certain = [d for d in declines if _known(d[3]) and d[3] < SIGNIFICANCE]
    if not certain:
        return [
            "Inget projekt har en statistiskt säkerställd minskning av något index från den första till den sista "
            "enkäten (projektets primära test, Holm-justerat p < 0,05)."
        ]
    parts = [_decline_part(project, index, diff, p) for project, index, diff, p in certain]
    return [
        "Statistiskt säkerställda minskningar från den första till den sista enkäten (projektets primära test, "
        "Holm-justerat p < 0,05): "
        + "; ".join(parts)
        + "."
    ]


def goals_sentence(total: int, reached: int, not_reached: int, uncertain: int, partly: int = 0) -> str:
    """``'Av 3 mål är 2 uppnådda, 1 inte uppnått och inget osäkert.'``; ``partly`` (qualitative goals judged partly met) only when above 0."""
    if total == 0:
        return "Rapporten anger inga mål."

    def part(n: int, one: str, many: str) -> str:
        return ("inget " + one) if n == 0 else f"{n} {one if n == 1 else many}"

    partly_text = f", {part(partly, 'delvis uppnått', 'delvis uppnådda')}" if partly else ""
    return (
        f"Av {total} mål är {part(reached, 'uppnått', 'uppnådda')}{partly_text}, {part(not_reached, 'inte uppnått', 'inte uppnådda')} "
        f"och {part(uncertain, 'osäkert', 'osäkra')}."
    )


def economy_sentence(budget: float | None, outcome: float | None, deviation: float | None, share: float | None) -> str:
    """The outcome against the budget, with the deviation in kronor and percent."""
    if not (_known(budget) and _known(outcome)):
        return "Budget och utfall saknas i rapporten."
    deviation = outcome - budget if not _known(deviation) else deviation
    if deviation == 0:
        return f"Utfallet, {money(outcome)}, är detsamma som budgeten."
    word = "högre" if deviation > 0 else "lägre"
    percent = f" ({format_percent(abs(share), 1)})" if _known(share) else ""
    return f"Utfallet, {money(outcome)}, är {money(abs(deviation))}{percent} {word} än budgeten på {money(budget)}."


def participants_sentence(enrolled: int | None, finished: int | None, hidden: bool) -> str:
    """Enrolled and finished participants of the whole project, or that they are hidden."""
    if hidden:
        return "Antalet deltagare är skyddat i rapporten och visas inte."
    if not (_known(enrolled) and _known(finished)):
        return "Antalet deltagare saknas i rapporten."
    return f"{int(enrolled)} deltagare har skrivits in och {int(finished)} har avslutats."
