"""The staff-survey section's method text, the reliability tables, and what the survey's tables share.

Names of tests and effect sizes, a test row's family, the note on hidden
cells and the grouping of questions by scale are used by :mod:`.survey` and
:mod:`.items` alike.

Split from :mod:`.survey`; like it, only reshaping: numbers from
:class:`~slutrapport.analysis.survey.SurveyResults`, sentences and scale
phrases from :mod:`slutrapport.wording` (labels always through
:meth:`~slutrapport.sources.definitions.Scale.label`).
"""

from __future__ import annotations

import pandas as pd

from slutrapport.analysis.families import PRIMARY, PRIMARY_TESTS, primary_level
from slutrapport.analysis.suppression import ALL, OTHERS, UNKNOWN_ORGANISATION
from slutrapport.analysis.survey import SurveyResults
from slutrapport.core.problems import WARNING
from slutrapport.core.swedish import format_number, join_words, wave_name
from slutrapport.report.blocks.group_pairs import PAIRS_RULE
from slutrapport.report.model import COEFFICIENT, COUNT, Column, Paragraphs, Table, TextList, Typed
from slutrapport.sources.definitions import Scale
from slutrapport.wording.scales import positive_text, scale_span, threshold_text
from slutrapport.wording.survey import LOW_ALPHA, low_alpha

__all__ = ["TEST_NAMES", "EFFECT_NAMES", "family_name", "hidden_note", "method_blocks", "alpha_if_deleted_table", "scale_groups"]

TEST_NAMES = {
    "wilcoxon": "Wilcoxons teckenrangtest",
    "mann_whitney": "Mann–Whitneys U-test",
    "mcnemar": "McNemars test",
    "chi2": "Chi-två-test",
    "fisher": "Fishers exakta test",
    "friedman": "Friedmans test",
    "kruskal_wallis": "Kruskal–Wallis test",
    "cochrans_q": "Cochrans Q",
    "standardiserat_medel": "z-test, vägt medelvärde",
    "standardiserad_andel": "z-test, vägd andel positiva",
    "partover_t": "t-test för delvis överlappande urval",
    "partover_z": "z-test för delvis överlappande urval",
    "trend_lmm": "Trend: linjär blandad modell",
    "page": "Trend: Pages test",
    "jonckheere": "Trend: Jonckheere–Terpstras test",
}
EFFECT_NAMES = {
    "rangbiserial": "rangbiserial r",
    "andelsskillnad": "andelsskillnad",
    "kendalls_w": "Kendalls W",
    "epsilon2": "ε²",
    "cramers_v": "Cramérs V",
    "cohens_h": "Cohens h",
    "r_t": "r (från t)",
    "rangbiserial_ordnad": "rangbiserial r (ordnad)",
    "spearman_medel": "Spearmans ρ (medel)",
    "lutning_sd": "lutning i SD",
}
#: How the tables name a row's family (``familj``, ``justering``).
_METHODS = {"holm": "Holm", "bh": "BH"}


def family_name(row: pd.Series) -> str:
    """``'primär (Holm)'``: a test row's family and how its p-values are adjusted, as the tables name it."""
    family = str(row.get("familj") or "")
    method = _METHODS.get(row.get("justering"), "")
    return f"{family} ({method})" if family and method else family


def hidden_note(min_n: int) -> str:
    """The note under a table with hidden cells: what "–" means, never which group or why."""
    return (
        f"– = skyddat av anonymitetsskäl. En grupp som har färre än {min_n} svar på någon fråga vid en enkät "
        "döljs i hela den enkäten, liksom de grupper som behövs för att den inte ska kunna räknas fram ur Alla."
    )


def scale_groups(instrument, questions: list) -> list[tuple[Scale, list]]:
    """The questions grouped by the scale they are answered on (first appearance first)."""
    groups: dict[tuple, tuple[Scale, list]] = {}
    for question in questions:
        scale = instrument.scale_for(question) or instrument.scale
        key = (scale.name, tuple(sorted(scale.values.items())))
        groups.setdefault(key, (scale, []))[1].append(question)
    return list(groups.values())


def method_blocks(results: SurveyResults) -> list:
    survey = results.survey
    instrument = survey.instrument
    scale = instrument.scale
    dates = [f"{w} ({results.wave_dates[w]})" if results.wave_dates.get(w) else w for w in survey.waves]
    scales = [scale, *(s for s, _ in scale_groups(instrument, instrument.scale_questions))]
    missing = list(dict.fromkeys(m for s in scales for m in s.missing))
    texts = [
        f"Enkäten ”{instrument.name}” har besvarats vid {len(survey.waves)} tillfällen: {', '.join(dates)}. " + _scales_text(instrument),
        "Ett index är medelvärdet av en persons svar på indexets frågor (negativt formulerade frågor vänds först) "
        "och räknas bara för den som har besvarat minst hälften av frågorna. "
        f"Andel positiva för ett index är andelen personer vars indexvärde är {_thresholds_text(instrument)}.",
        f"Svar som {', '.join(f'”{m}”' for m in missing) or 'saknas'} och obesvarade frågor räknas inte som värden. "
        f"En grupp som har färre än {results.min_n} svar på någon fråga eller något index vid en enkät visas inte "
        "alls vid den enkäten, och inte heller de minsta grupper som behövs för att den inte ska kunna räknas fram "
        "ur totalen; samma grupper döljs i alla frågor, index, diagram och test vid den enkäten. Dolda grupper "
        "testas aldrig. Vid en enkät med dolda grupper anges medelvärden med en decimal och andelar i hela procent "
        "också i datafilerna.",
        _linkage_text(results.min_n),
        *_trend_texts(results),
        *_multiplicity_texts(results),
        *_item_texts(instrument),
    ]
    if (results.comparison["grupp"] == OTHERS).any():
        texts.append(f"Organisationer med färre än {results.min_n} svarande har slagits ihop till ”{OTHERS}”.")
    if (results.comparison["grupp"] == UNKNOWN_ORGANISATION).any():
        texts.append(f"Svarande som inte angett organisation redovisas som ”{UNKNOWN_ORGANISATION}”.")
    summary = Table(
        caption="Svar per enkättillfälle",
        columns=[
            Column("Enkät"),
            Column("Fil"),
            Column("Svarande", COUNT),
            Column("Svar på skalan", COUNT),
            Column("Utanför skalan (t.ex. Vet ej)", COUNT),
            Column("Obesvarade", COUNT),
        ],
        rows=results.summary[["enkat", "fil", "svarande", "svar", "saknas", "tomma"]].values.tolist(),
    )
    blocks: list = [Paragraphs(texts), summary]
    linkage = _linkage_table(results)
    if linkage is not None:
        blocks.append(linkage)
    reliability = _reliability_table(results)
    if reliability is not None:
        blocks.append(reliability)
    warnings = [p for p in survey.report.problems if p.allvar == WARNING]
    if warnings:
        items = [f"{p.fil}" + (f", kolumn ”{p.kolumn}”" if p.kolumn else "") + f": {p.meddelande}" for p in warnings]
        blocks.append(TextList("Anmärkningar vid inläsningen", items))
    return blocks


def _linkage_text(min_n: int) -> str:
    return (
        "Förändringar mellan två enkäter testas för varje fråga och index, och varje giltigt svar används. Svarande "
        "kopplas mellan enkäterna genom sin personliga kod. Har alla svarande i båda enkäterna angett samma kod "
        "jämförs samma personer (Wilcoxons teckenrangtest för medelvärdet, McNemars test för andelen positiva). Är "
        f"bara en del av svaren kopplade (minst {min_n} personer) används både de kopplade paren och de okopplade "
        "svaren: t-testet för delvis överlappande urval (Derrick, Russ, Toher och White 2017, Tnew2, utan antagande "
        "om lika varianser) för medelvärdet av index och frågor, som håller sin felnivå också för en enskild "
        "Likertfråga (Derrick och White 2018), och z-testet för delvis överlappande urval (Derrick, "
        "Dobson-McKittrick, Toher och White 2015) för andelen positiva. Annars jämförs alla svarande som "
        "oberoende grupper (Mann–Whitneys U-test, chi-två- eller Fishers exakta test). Testet över alla enkäter "
        "är Friedmans test eller Kruskal–Wallis test. Tabellen ”Kopplade svar mellan enkäterna” visar vilket fall "
        "som gällde."
    )


def _trend_texts(results: SurveyResults) -> list[str]:
    """How the trend across three or more waves is tested."""
    if len(results.survey.waves) < 3:
        return []
    return [
        "Med tre eller fler enkäter testas också trenden över alla enkäter, som förändring per enkät med 95 % "
        "konfidensintervall. För index där svar är kopplade mellan enkäterna används en linjär blandad modell med "
        "ett slumpmässigt intercept per person (REML; Wald-test av lutningen), så att både de kopplade och de "
        "okopplade svaren används; för frågor där alla svar är kopplade Pages trendtest (förändringen per enkät "
        "är medelvärdet av varje persons lutning); annars Jonckheere–Terpstras trendtest (normalapproximation "
        "med korrektion för lika värden; förändringen per enkät är minsta kvadrat-linjens lutning). Diagrammen "
        "över index visar den skattade trendlinjen för alla svarande med 95 % konfidensband."
    ]


def _range(values: pd.Series) -> int | str:
    """The count, or the span of counts ("5–6") when they differ."""
    low, high = int(values.min()), int(values.max())
    return low if low == high else f"{low}–{high}"


#: How the linkage table names the three cases of two waves.
_LINKAGE_CASES = {"alla": "samma personer (alla svar kopplade)", "delvis": "delvis samma personer", "ingen": "olika personer (oberoende)"}


def _linkage_table(results: SurveyResults) -> Table | None:
    """Per pair of waves: which case applied, and how many answers were linked and unlinked (all respondents)."""
    changes = results.changes
    waves = results.survey.waves
    if len(waves) < 2 or changes.empty:
        return None
    level = primary_level(results.survey.instrument.statistics, bool(results.survey.instrument.indices))
    rows = changes[(changes["grupp"] == ALL) & (changes["niva"] == level) & changes["test"].isin(PRIMARY_TESTS)]
    body = []
    for (fran, till), pair in rows.groupby(["fran", "till"], sort=False):
        cases = [("alla" if bool(r["parad"]) else "delvis" if r["test"] == "partover_t" else "ingen") for _, r in pair.iterrows()]
        unlinked = pair.assign(
            fore=lambda f: (f["n_fran"] - f["n_par"]).where(f["test"] != "mann_whitney", f["n_fran"]),
            efter=lambda f: (f["n_till"] - f["n_par"]).where(f["test"] != "mann_whitney", f["n_till"]),
        )
        body.append([
            f"{fran} → {till}",
            join_words([_LINKAGE_CASES[c] for c in dict.fromkeys(cases)]),
            _range(pair["n_par"]),
            _range(unlinked["fore"]),
            _range(unlinked["efter"]),
            join_words([TEST_NAMES.get(t, t) for t in dict.fromkeys(pair["test"])]),
        ])  # fmt: skip
    if not body:
        return None
    what = "index" if level == "index" else "frågor"
    return Table(
        caption="Kopplade svar mellan enkäterna, alla svarande",
        columns=[Column("Jämförelse"), Column("Fall"), Column("Kopplade personer", COUNT), Column("Okopplade svar, första", COUNT),
                 Column("Okopplade svar, andra", COUNT), Column("Test av medelvärdet")],
        rows=body,
        notes=[f"Räknat för varje {'index' if level == 'index' else 'fråga'} ({what} med olika antal svar ger ett "
               "spann). Kopplade personer = personer med samma kod och svar vid båda enkäterna. Vid oberoende test "
               "räknas alla svar som okopplade."],
    )


def _scales_text(instrument) -> str:
    """The scales of the ``skala`` questions: their ends and positive values, labels from :meth:`Scale.label`."""
    scales = [scale for scale, _ in scale_groups(instrument, instrument.scale_questions)] or [instrument.scale]
    if len(scales) == 1:
        return f"Svaren ges på en skala från {scale_span(scales[0])}. Andel positiva är andelen svar {positive_text(scales[0])}."
    parts = [f"från {scale_span(s)}, där andel positiva är andelen svar {positive_text(s)}" for s in scales]
    return f"Skalfrågorna besvaras på {len(scales)} skalor: {'; '.join(parts)}."


def _thresholds_text(instrument) -> str:
    """``'minst 4'``, or per index when the indices' scales differ: ``'minst 4 (Index A) och minst 5 (Index B)'``."""
    texts = {index_id: threshold_text(instrument.index_scale(index_id)) for index_id in instrument.indices}
    if len(set(texts.values())) <= 1:
        return next(iter(texts.values()), threshold_text(instrument.scale))
    return join_words([f"{text} ({instrument.indices[index_id]})" for index_id, text in texts.items()])


def _item_texts(instrument) -> list[str]:
    """How the questions that are not on an ordered scale are summarised, for the types the instrument has."""
    kinds = {q.kind for q in instrument.questions}
    shares = [what for kind, what in _SHARE_KINDS if kind in kinds]
    texts = []
    if shares:
        text = (
            f"{join_words(shares)[0].upper()}{join_words(shares)[1:]} redovisas som andelar med 95 % "
            "konfidensintervall (Wilsonintervall)."
        )
        if "flerval" in kinds:
            text += (
                " Vid flervalsfrågor är andelen för varje alternativ räknad på dem som besvarade frågan; eftersom en "
                "person kan välja flera alternativ summerar andelarna inte till 100 %."
            )
        texts.append(text)
    if "numerisk" in kinds:
        texts.append("Frågor som besvaras med ett tal redovisas med antal svar, medelvärde, standardavvikelse, median och kvartiler.")
    if shares or "numerisk" in kinds:
        texts.append(
            "Också för dessa frågor testas förändringar mellan enkäterna. Varje tests familj och justering står i "
            "tabellerna, och texten anger en ökning eller minskning bara när testet efter justering visar en säker skillnad."
        )
    return texts


#: The question types summarised as shares, as the method text names them.
_SHARE_KINDS = (
    ("janej", "ja/nej-frågor (andelen som svarade ja)"),
    ("enval", "frågor med ett svarsalternativ (andelen som valde varje alternativ)"),
    ("flerval", "frågor med flera svarsalternativ (andelen som valde varje alternativ)"),
)


def _multiplicity_texts(results: SurveyResults) -> list[str]:
    """Which family each conclusion comes from, and how each family's p-values are adjusted."""
    survey = results.survey
    plan = survey.instrument.statistics
    level = primary_level(plan, bool(survey.instrument.indices))
    waves = survey.waves
    primary = results.changes[results.changes["familj"] == PRIMARY] if "familj" in results.changes else results.changes.iloc[:0]
    size = f" ({len(primary)} test)" if len(primary) else ""
    what = "varje index" if level == "index" else "varje fråga"
    groups = (
        "Skillnader mellan organisationerna inom en enkät (Kruskal–Wallis test och parvisa Mann–Whitney-test) är en "
        "egen familj per enkät, Holm-justerad inom enkäten. " + PAIRS_RULE
    )
    if len(waves) < 2:
        return [groups]
    span = f"från {wave_name(waves[0])} till {wave_name(waves[-1])}"
    trend = f", och trenden i {what} över alla enkäter" if len(waves) >= 3 else ""
    secondary = "Benjamini–Hochbergs metod (falsk upptäcktsandel, FDR)" if plan.secondary == "bh" else "Holms metod"
    return [
        "Rapportens slutsatser bygger bara på den primära familjen av test: för alla svarande jämförs medelvärdet "
        f"i {what} {span} med Wilcoxons teckenrangtest (samma personer), t-testet för delvis överlappande urval "
        f"(delvis samma personer) eller Mann–Whitneys U-test{trend}{size}. "
        "p-värdena Holm-justeras inom den familjen, och bara där kallas en förändring statistiskt säkerställd "
        "(justerat p under 0,05); det är också de förändringarna som står i sammanfattningen.",
        "Alla andra test av förändringar (andelen positiva, parvisa jämförelser mellan enkäterna, testen över alla "
        f"enkäter, {'frågorna' if level == 'index' else 'indexen'} och varje organisation) är utforskande: de justeras "
        f"tillsammans, som en egen familj, med {secondary}. Ett utforskande resultat med justerat p under 0,05 "
        "skrivs ut som ”utforskande” och är en ledtråd, inte en slutsats.",
        groups + " Varje tests familj och justering står i kolumnerna familj och justering i forandringar.csv "
        "och i Excel-filens datablad.",
    ]


def _reliability_table(results: SurveyResults) -> Table | None:
    alpha = results.reliability[results.reliability["grupp"] == ALL]
    if alpha.empty:
        return None
    waves = results.survey.waves
    columns = [Column("Index")]
    for wave in waves:
        columns += [Column("Alfa", COEFFICIENT, wave), Column("n", COUNT, wave)]
    first: dict[tuple, tuple] = {}  # (index, wave) → its first row's alpha and n
    for item, wave, value, n in zip(alpha["index"], alpha["enkat"], alpha["alfa"], alpha["n"], strict=True):
        first.setdefault((item, wave), (value, n))
    rows = []
    for item, name in results.survey.instrument.indices.items():
        row: list = [name]
        for wave in waves:
            cell = first.get((item, wave))
            if cell is None or pd.isna(cell[0]):
                row += [None, None]
                continue
            value = float(cell[0])
            row += [Typed(value, COEFFICIENT, "*") if low_alpha(value) else value, int(cell[1])]
        rows.append(row)
    return Table(
        caption="Tillförlitlighet: Cronbachs alfa per index och enkät, alla svarande",
        columns=columns,
        rows=rows,
        notes=[
            f"* = alfa under {format_number(LOW_ALPHA, 1)}: indexets frågor mäter inte tillräckligt samstämmigt och "
            "indexet bör tolkas med försiktighet. n = svarande som besvarat alla indexets frågor."
        ],
    )


def alpha_if_deleted_table(results: SurveyResults, index_id: str, name: str) -> Table | None:
    """For an index flagged for low alpha: what alpha would be without each question."""
    alpha = results.reliability
    low = alpha[(alpha["index"] == index_id) & (alpha["grupp"] == ALL) & alpha["alfa"].map(low_alpha).astype(bool)]
    if low.empty:
        return None
    waves = [w for w in results.survey.waves if w in set(low["enkat"])]
    deleted = results.alpha_if_deleted
    deleted = deleted[(deleted["index"] == index_id) & (deleted["grupp"] == ALL)]
    if deleted.empty:
        return None
    first: dict[tuple, float] = {}  # (question, wave) → its first row's alpha without the question
    for item, wave, value in zip(deleted["fraga"], deleted["enkat"], deleted["alfa_utan_fragan"], strict=True):
        first.setdefault((item, wave), value)
    rows = []
    for question in results.survey.instrument.index_items(index_id):
        row: list = [question.text]
        for wave in waves:
            value = first.get((question.id, wave))
            row.append(float(value) if value is not None and pd.notna(value) else None)
        rows.append(row)
    return Table(
        caption=f"{name}: Cronbachs alfa om frågan tas bort, alla svarande",
        columns=[Column("Fråga"), *[Column(wave, COEFFICIENT) for wave in waves]],
        rows=rows,
        notes=["Visas för enkäter där indexets alfa är under 0,7. Ett högre värde än indexets alfa betyder att "
               "frågan drar ned samstämmigheten."],
    )
