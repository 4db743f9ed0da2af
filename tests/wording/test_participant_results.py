"""Sentences about the follow-up after avslut and the planned places, from hand-made tidy tables."""

from __future__ import annotations

import pandas as pd

from slutrapport.analysis.follow_up import FOLLOW_UP_COLUMNS
from slutrapport.analysis.places import PLACES_COLUMNS
from slutrapport.wording.participant_results import follow_up_sentences, places_sentences

NBSP = "\u00a0"


def _follow_up(hidden: bool = False) -> pd.DataFrame:
    rows = [
        (6, "uppfoljning", "uppföljda", "Alla", 10, 10 / 20),
        (6, "uppfoljning", "ej uppföljda än", "Alla", 8, 8 / 20),
        (6, "uppfoljning", "bortfall", "Alla", 2, 2 / 20),
        (6, "nationell", "förvärvsarbete", "Alla", 4, 0.4),
        (6, "nationell", "studier", "Alla", 0, 0.0),
        (6, "nationell", "övriga", "Alla", 6, 0.6),
    ]
    frame = pd.DataFrame([(*r, False) for r in rows], columns=FOLLOW_UP_COLUMNS)
    if hidden:
        frame.loc[2, ["n", "andel", "undertryckt"]] = [None, None, True]
    return frame


def test_follow_up_in_brief():
    text = " ".join(follow_up_sentences(_follow_up(), 6)).replace(NBSP, " ")
    assert text == (
        "Av 20 avslutade deltagare hade 10 följts upp 6 månader efter avslut; för 8 hade 6 månader ännu inte gått vid "
        "rapportdatumet och 2 gick inte att följa upp (bortfall). "
        "De uppföljdas sysselsättning efter 6 månader: förvärvsarbete 4 (40 %) och övriga 6 (60 %)."
    )


def test_a_hidden_follow_up_group_is_never_written():
    assert follow_up_sentences(_follow_up(hidden=True), 6) == ["Uppföljningen 6 månader efter avslut visas inte i sin helhet av anonymitetsskäl."]


def test_places_in_brief():
    rows = [("2025 H1", "Alla", 18, 26, 18, 1.0, False), ("2025 H2", "Alla", 22, 14, 21, 21 / 22, False),
            ("2026 H1", "Alla", 22, None, None, None, True), ("2025 H1", "Ale", 10, 3, 3, 0.3, False)]  # fmt: skip
    text = " ".join(places_sentences(pd.DataFrame(rows, columns=PLACES_COLUMNS))).replace(NBSP, " ")
    assert text.startswith("Vid periodernas slut var 95–100 % av de planerade platserna belagda; alla platser var fyllda i 1 av 2 perioder.")
    assert "döljs det av anonymitetsskäl" in text
