"""Hand-made survey results with every question type, for the report, wording and rendering tests.

The tables follow the analysis contracts the report builds on (``results.shares``,
``share_tests``, ``numeric``, ``numeric_tests``; the comparison, distribution and
interval tables) but are written here by hand, so the tests know every number
and do not depend on ingest or analysis. The instrument has an index on the
default 1–5 scale and one on a 1–10 scale with labelled end points only.

Org B is hidden at Enkät 2: marked ``undertryckt`` in the comparison table and
left out of the item tables (the analysis removes hidden groups), so the report
must show its cells as protected without saying why.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd

from slutrapport.analysis.changes import CHANGE_COLUMNS, GROUP_DIFFERENCE_COLUMNS, INTERVAL_COLUMNS
from slutrapport.analysis.describe import CONTRACT_COLUMNS
from slutrapport.analysis.reliability import ITEM_DELETED_COLUMNS, RELIABILITY_COLUMNS
from slutrapport.analysis.survey import SurveyResults
from slutrapport.sources.survey import load_instrument

INSTRUMENT = """\
id: typer
namn: Alla frågetyper
skala:
  varden: {1: Instämmer inte alls, 2: Instämmer i liten grad, 3: Instämmer delvis, 4: Instämmer i hög grad, 5: Instämmer helt}
  positiva: [4, 5]
  saknas: [Vet ej]
skalor:
  betyg:
    varden: {min: 1, max: 10}
    etiketter: {1: Mycket dåligt, 10: Mycket bra}
    positiva: ">= 7"
bakgrund:
  organisation: Organisation
index:
  a: Index A
  b: {namn: Betygsindex, skala: betyg}
fragor:
  - {id: q1, text: "Fråga ett", index: a}
  - {id: q2, text: "Vilket betyg ger du samverkan?", index: b}
  - {id: j1, text: "Har du deltagit i en utbildning inom projektet?", typ: janej}
  - {id: e1, text: "Vilken är din roll?", typ: enval, alternativ: [Handläggare, Chef, Annan roll]}
  - {id: m1, text: "Hur håller du kontakten?", typ: flerval, alternativ: [Telefon, E-post, Möten], avgransare: ";"}
  - {id: n1, text: "Hur många timmar i veckan ägnar du åt samverkan?", typ: numerisk, min: 0, max: 40}
"""
WAVES = ["Enkät 1", "Enkät 2", "Enkät 3"]
GROUPS = ["Alla", "Org A", "Org B"]
HIDDEN = ("Org B", "Enkät 2")
N = {"Alla": (40, 42, 44), "Org A": (22, 24, 23), "Org B": (18, 18, 21)}

YES = {"Alla": (0.40, 0.52, 0.65), "Org A": (0.45, 0.50, 0.70), "Org B": (0.35, 0.55, 0.60)}
ROLE = {"Handläggare": (0.60, 0.55, 0.50), "Chef": (0.20, 0.25, 0.30), "Annan roll": (0.20, 0.20, 0.20)}
CONTACT = {"Telefon": (0.70, 0.70, 0.70), "E-post": (0.80, 0.80, 0.85), "Möten": (0.30, 0.45, 0.60)}
#: (medel, sd, median, q1, q3) of the hours per week, per wave, all respondents
HOURS = [(2.5, 1.5, 2.0, 1.0, 3.5), (3.6, 1.8, 3.5, 2.0, 5.0), (4.4, 2.0, 4.0, 3.0, 6.0)]
#: the index and question means per wave on the 1–10 scale
GRADES = (5.5, 6.1, 7.2)


def _interval(share: float, n: int) -> tuple[float, float]:
    half = 1.96 * np.sqrt(share * (1 - share) / n)
    return max(0.0, share - half), min(1.0, share + half)


def _share_row(question: str, kind: str, wave: int, group: str, option: str, share: float) -> dict:
    n = N[group][wave]
    low, high = _interval(share, n)
    return {
        "fraga": question, "typ": kind, "enkat": WAVES[wave], "grupp": group, "alternativ": option,
        "antal": round(share * n), "n": n, "andel": share, "andel_lag": low, "andel_hog": high,
    }  # fmt: skip


def shares() -> pd.DataFrame:
    rows = []
    for wave in range(3):
        for group in GROUPS:
            if (group, WAVES[wave]) == HIDDEN:
                continue  # hidden groups are removed by the analysis
            yes = YES[group][wave]
            rows += [_share_row("j1", "janej", wave, group, "Ja", yes), _share_row("j1", "janej", wave, group, "Nej", 1 - yes)]
        for option, values in ROLE.items():
            rows.append(_share_row("e1", "enval", wave, "Alla", option, values[wave]))
        for option, values in CONTACT.items():
            rows.append(_share_row("m1", "flerval", wave, "Alla", option, values[wave]))
    return pd.DataFrame(rows)


def _test(question, kind, option, start, end, test, p, p_corr, family, adjustment, effect, effect_kind, direction) -> dict:
    return {
        "fraga": question, "typ": kind, "alternativ": option, "enkat_fran": start, "enkat_till": end, "grupp": "Alla",
        "test": test, "statistik": 9.5, "p_unc": p, "p_corr": p_corr, "familj": family, "justering": adjustment,
        "effekt": effect, "effekt_typ": effect_kind, "riktning": direction,
    }  # fmt: skip


def share_tests() -> pd.DataFrame:
    return pd.DataFrame(
        [
            _test("j1", "janej", "Ja", "Enkät 1", "Enkät 3", "mcnemar", 0.001, 0.004, "primär", "holm", 0.25, "andelsskillnad", "ökning"),
            _test("j1", "janej", "Ja", "Enkät 1", "Enkät 2", "mcnemar", 0.2, 0.4, "utforskande", "bh", 0.12, "andelsskillnad", "ingen säker skillnad"),
            _test("e1", "enval", np.nan, "alla", "alla", "chi2", 0.3, 0.5, "utforskande", "bh", 0.1, "cramers_v", "ingen säker skillnad"),
            _test("e1", "enval", "Chef", "Enkät 1", "Enkät 3", "chi2", 0.2, 0.45, "utforskande", "bh", 0.10, "andelsskillnad", "ingen säker skillnad"),
            _test("e1", "enval", "Handläggare", "Enkät 1", "Enkät 3", "chi2", 0.3, 0.5, "utforskande", "bh", -0.10, "andelsskillnad", "ingen säker skillnad"),
            _test("m1", "flerval", "Möten", "Enkät 1", "Enkät 3", "mcnemar", 0.004, 0.03, "utforskande", "bh", 0.30, "andelsskillnad", "ökning"),
            _test("m1", "flerval", "Telefon", "Enkät 1", "Enkät 3", "mcnemar", 1.0, 1.0, "utforskande", "bh", 0.0, "andelsskillnad", "ingen säker skillnad"),
            _test("m1", "flerval", "E-post", "Enkät 1", "Enkät 3", "mcnemar", 0.6, 0.9, "utforskande", "bh", 0.05, "andelsskillnad", "ingen säker skillnad"),
        ]
    )


def numeric() -> pd.DataFrame:
    rows = []
    for wave in range(3):
        for group in GROUPS:
            if (group, WAVES[wave]) == HIDDEN:
                continue
            shift = {"Alla": 0.0, "Org A": 0.3, "Org B": -0.4}[group]
            medel, sd, median, q1, q3 = HOURS[wave]
            rows.append({"fraga": "n1", "enkat": WAVES[wave], "grupp": group, "n": N[group][wave], "medel": medel + shift, "sd": sd,
                         "median": median + shift, "q1": q1 + shift, "q3": q3 + shift})  # fmt: skip
    return pd.DataFrame(rows)


def numeric_tests() -> pd.DataFrame:
    return pd.DataFrame(
        [
            _test("n1", "numerisk", np.nan, "Enkät 1", "Enkät 3", "wilcoxon", 0.002, 0.01, "utforskande", "bh", 0.45, "rangbiserial", "ökning"),
            _test("n1", "numerisk", np.nan, "Enkät 1", "Enkät 2", "wilcoxon", 0.05, 0.12, "utforskande", "bh", 0.2, "rangbiserial", "ingen säker skillnad"),
        ]
    )


def _comparison() -> pd.DataFrame:
    rows = []
    for niva, item, text, means in (
        ("index", "a", "Index A", (3.5, 3.6, 3.8)), ("index", "b", "Betygsindex", GRADES),
        ("fraga", "q1", "Fråga ett", (3.5, 3.6, 3.8)), ("fraga", "q2", "Vilket betyg ger du samverkan?", GRADES),
    ):  # fmt: skip
        for wave in range(3):
            for group in GROUPS:
                hidden = (group, WAVES[wave]) == HIDDEN
                rows.append({
                    "niva": niva, "id": item, "text": text, "grupp": group, "enkat": WAVES[wave],
                    "n": None if hidden else N[group][wave], "medel": None if hidden else means[wave],
                    "sd": None if hidden else 1.0, "median": None if hidden else round(means[wave]),
                    "andel_positiva": None if hidden else 0.5, "undertryckt": hidden,
                })  # fmt: skip
    return pd.DataFrame(rows, columns=CONTRACT_COLUMNS)


def _intervals(comparison: pd.DataFrame) -> pd.DataFrame:
    shown = comparison[~comparison["undertryckt"]]
    return pd.DataFrame(
        {"niva": shown["niva"], "id": shown["id"], "grupp": shown["grupp"], "enkat": shown["enkat"],
         "medel_ci_lag": shown["medel"] - 0.3, "medel_ci_hog": shown["medel"] + 0.3, "andel_ci_lag": 0.35, "andel_ci_hog": 0.65},
        columns=INTERVAL_COLUMNS,
    )  # fmt: skip


def _distribution() -> pd.DataFrame:
    """q1 over 1–5 and q2 over the 1–10 scale (whose values 2–9 have no labels), all respondents."""
    rows = []
    for wave in range(3):
        for item, values in (("q1", range(1, 6)), ("q2", range(1, 11))):
            n = N["Alla"][wave]
            counts = np.full(len(values), n // len(values))
            counts[-1] += n - counts.sum()
            rows += [(item, "Alla", WAVES[wave], v, int(c), c / n) for v, c in zip(values, counts, strict=True)]
    return pd.DataFrame(rows, columns=["id", "grupp", "enkat", "varde", "antal", "andel"])


def instrument(tmp_path: Path, source: str = INSTRUMENT):
    path = tmp_path / "typer.yaml"
    path.write_text(source, encoding="utf-8")
    return load_instrument(path)


def results(tmp_path: Path, *, with_items: bool = True, source: str = INSTRUMENT) -> SurveyResults:
    """Survey results of :data:`INSTRUMENT` (or ``source``, the same questions reworded) at three waves;
    ``with_items`` False leaves out the item tables (results of an analysis that has not computed them)."""
    survey = SimpleNamespace(instrument=instrument(tmp_path, source), waves=list(WAVES), report=SimpleNamespace(problems=[]))
    comparison = _comparison()
    made = SurveyResults(
        survey=survey,  # type: ignore[arg-type]
        min_n=5,
        comparison=comparison,
        changes=pd.DataFrame(columns=CHANGE_COLUMNS),
        group_tests=pd.DataFrame(columns=GROUP_DIFFERENCE_COLUMNS),
        intervals=_intervals(comparison),
        reliability=pd.DataFrame(columns=RELIABILITY_COLUMNS),
        alpha_if_deleted=pd.DataFrame(columns=ITEM_DELETED_COLUMNS),
        distribution=_distribution(),
        summary=pd.DataFrame([[w, f"enkat{i + 1}.csv", 44, 400, 3, 5] for i, w in enumerate(WAVES)],
                             columns=["enkat", "fil", "svarande", "svar", "saknas", "tomma"]),  # fmt: skip
        free_text=pd.DataFrame(columns=["fraga", "enkat", "text"]),
    )
    if with_items:
        made.shares, made.share_tests, made.numeric, made.numeric_tests = shares(), share_tests(), numeric(), numeric_tests()
    return made
