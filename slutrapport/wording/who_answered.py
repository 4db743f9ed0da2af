"""Sentences about who answered: low response rates, and a changed organisation mix with the standardised change.

Hidden numbers are never written: a group hidden in a wave has no rate here,
and the organisation mix names only a group shown in both waves
(``grupp_max`` of :func:`~slutrapport.analysis.composition.composition_shifts`).
"""

from __future__ import annotations

import math

import pandas as pd

from slutrapport.analysis.composition import SHIFT_SHARE, STANDARDISED_GROUP
from slutrapport.analysis.families import DECISION_LEVEL
from slutrapport.analysis.response_rates import LOW_RESPONSE_RATE
from slutrapport.analysis.suppression import ALL
from slutrapport.core.swedish import format_number, format_p, format_percent, join_words
from slutrapport.wording.rows import row_dicts

__all__ = ["rate_note", "low_rate_sentences", "composition_warnings"]


def rate_note(rates: dict[tuple[str, str], float | None], waves: list[str]) -> str:
    """``'Svarsfrekvens, alla svarande: Enkät 1 75 %, Enkät 2 68 %.'``; empty when no wave has a rate for Alla."""
    parts = [f"{wave} {format_percent(rates[(ALL, wave)])}" for wave in waves if rates.get((ALL, wave)) is not None]
    return f"Svarsfrekvens, alla svarande: {', '.join(parts)}." if parts else ""


def low_rate_sentences(rates: pd.DataFrame) -> list[str]:
    """A warning for every shown group and wave with a response rate under 50 %."""
    low = rates[~rates["undertryckt"].astype(bool) & (rates["svarsfrekvens"].astype(float) < LOW_RESPONSE_RATE)]
    if low.empty:
        return []
    parts = [
        f"{'alla svarande' if g == ALL else g} i {w} ({format_percent(r)}, {int(n)} av {int(i)})"
        for g, w, r, n, i in zip(low["grupp"], low["enkat"], low["svarsfrekvens"], low["n"], low["inbjudna"], strict=True)
    ]
    return [
        f"Varning: svarsfrekvensen är under {format_percent(LOW_RESPONSE_RATE)} för {join_words(parts)}. De som svarade "
        "kan skilja sig från dem som inte svarade, så resultaten beskriver kanske inte hela gruppen."
    ]


def _mix_text(row: pd.Series) -> str:
    reasons = []
    if row["grupp_max"] and not math.isnan(float(row["andel_fran"])) and float(row["max_skift"]) > SHIFT_SHARE:
        reasons.append(
            f"andelen svar från {row['grupp_max']} gick från {format_percent(float(row['andel_fran']))} till {format_percent(float(row['andel_till']))}"
        )
    elif float(row["max_skift"]) > SHIFT_SHARE:
        reasons.append(f"en grupps andel av svaren ändrades med mer än {format_number(100 * SHIFT_SHARE, 0)} procentenheter")
    if not math.isnan(float(row["p"])) and float(row["p"]) < DECISION_LEVEL:
        reasons.append(f"chi-två-test av organisation × enkät {format_p(float(row['p']))}")
    return "; ".join(reasons)


def composition_warnings(composition: pd.DataFrame, changes: pd.DataFrame, niva: str | None, item: str | None) -> list[str]:
    """One warning per pair of waves whose mix shifted; with ``niva``/``item`` the standardised change of that item."""
    texts = []
    standardised = []  # the item's standardised changes, looked up per pair of waves below
    if item is not None:
        standardised = row_dicts(
            changes[
                (changes["grupp"] == STANDARDISED_GROUP) & (changes["niva"] == niva) & (changes["id"] == item)
                & (changes["test"] == "standardiserat_medel")
            ]
        )  # fmt: skip
    for _, row in composition[composition["skifte"].astype(bool)].iterrows():
        fran, till = row["fran"], row["till"]
        text = (
            f"Obs: fördelningen av de svarande mellan organisationerna ändrades mellan {fran} och {till} "
            f"({_mix_text(row)}). Förändringen för Alla beror därför delvis på vilka som svarade."
        )
        if item is not None:
            found = [change for change in standardised if change["fran"] == fran and change["till"] == till]
            if found and not pd.isna(found[0]["diff_medel"]):
                std = found[0]
                certain = not pd.isna(std["p_corr"]) and float(std["p_corr"]) < DECISION_LEVEL
                verdict = ("en säker ökning" if std["diff_medel"] > 0 else "en säker minskning") if certain else "ingen säker förändring"
                sign = "+" if std["diff_medel"] > 0 else ""
                text += (
                    f" Med svaren vägda till samma fördelning som i den första enkäten (standardiserad) är förändringen "
                    f"{sign}{format_number(float(std['diff_medel']), 2)} ({format_p(float(std['p_unc']))}, "
                    f"justerat {format_p(float(std['p_corr']))}): {verdict}."
                )
        texts.append(text)
    return texts
