"""Blocks for the staff-survey section, reshaped from the analysis tables.

Only reshaping happens here: every number comes from
:class:`~slutrapport.analysis.survey.SurveyResults` as it is, and every
sentence from :mod:`slutrapport.wording.survey`.
"""

from __future__ import annotations

import textwrap

import pandas as pd

from slutrapport.analysis.families import PRIMARY, primary_level
from slutrapport.analysis.suppression import ALL, OTHERS, UNKNOWN_ORGANISATION
from slutrapport.analysis.survey import SurveyResults
from slutrapport.core.problems import WARNING
from slutrapport.core.rounding import largest_remainder
from slutrapport.core.swedish import format_number, wave_name
from slutrapport.report.model import (
    COUNT,
    DIFF_MEAN,
    DIFF_SHARE,
    EFFECT,
    INTERVAL,
    MEAN,
    PERCENT,
    PROTECTED,
    PVALUE,
    SHARE,
    SHARE_INTERVAL,
    TEXT,
    Chart,
    Column,
    DivergingChart,
    Paragraphs,
    Subsection,
    Table,
    TextList,
)
from slutrapport.wording.survey import LOW_ALPHA, alpha_text, index_paragraph, low_alpha, survey_summary

__all__ = ["survey_blocks", "summary_blocks", "index_blocks", "suppressed_cell", "TEST_NAMES", "EFFECT_NAMES"]

TEST_NAMES = {
    "wilcoxon": "Wilcoxons teckenrangtest",
    "mann_whitney": "Mann–Whitneys U-test",
    "mcnemar": "McNemars test",
    "chi2": "Chi-två-test",
    "fisher": "Fishers exakta test",
    "friedman": "Friedmans test",
    "kruskal_wallis": "Kruskal–Wallis test",
    "cochrans_q": "Cochrans Q",
}
EFFECT_NAMES = {
    "rangbiserial": "rangbiserial r",
    "andelsskillnad": "andelsskillnad",
    "kendalls_w": "Kendalls W",
    "epsilon2": "ε²",
    "cramers_v": "Cramérs V",
}
_ALL_WAVES = "alla"
#: How the tables name a row's family (``familj``, ``justering``).
_METHODS = {"holm": "Holm", "bh": "BH"}


def _family_name(row: pd.Series) -> str:
    family = str(row.get("familj") or "")
    method = _METHODS.get(row.get("justering"), "")
    return f"{family} ({method})" if family and method else family


def suppressed_cell(row: pd.Series | None, column: str):
    """A table cell from a row of a suppressed result table (``undertryckt``):
    :data:`~slutrapport.report.model.PROTECTED` (never a reason), None for a
    missing row or value, else the value."""
    if row is None:
        return None
    if bool(row["undertryckt"]):
        return PROTECTED
    value = row[column]
    return None if pd.isna(value) else value


def _hidden_note(min_n: int) -> str:
    return (
        f"– = skyddat av anonymitetsskäl. En grupp som har färre än {min_n} svar på någon fråga vid en enkät "
        "döljs i hela den enkäten, liksom de grupper som behövs för att den inte ska kunna räknas fram ur Alla."
    )


#: The note under a table with the interval of the share positive.
_SHARE_INTERVAL_NOTE = "95 % KI = Wilsonintervall för andelen positiva."


def _share_interval(found: pd.Series | None, intervals: dict[tuple, tuple[float, float]]):
    """The Wilson interval of a cell's share positive from the analysis' interval table:
    :data:`PROTECTED` for a hidden cell (never looked up), None when missing or not computed."""
    if found is None:
        return None
    if bool(found["undertryckt"]):
        return PROTECTED
    limits = intervals.get((found["niva"], found["id"], found["grupp"], str(found["enkat"])))
    return None if limits is None or any(pd.isna(v) for v in limits) else limits


def _wave_table(
    cells: pd.DataFrame,
    intervals: pd.DataFrame,
    waves: list[str],
    row_key: str,
    row_labels: list[tuple[str, str]],
    caption: str,
    min_n: int,
    first: str,
) -> Table:
    """Rows × waves with mean, share positive, its 95 % Wilson interval (``intervals``, the
    analysis' :func:`~slutrapport.analysis.intervals.mean_intervals` joined on niva, id, grupp
    and enkat) and n per wave."""
    columns = [Column(first, TEXT)]
    for wave in waves:
        columns += [
            Column("Medel", MEAN, wave),
            Column("Andel positiva", SHARE, wave),
            Column("95 % KI", SHARE_INTERVAL, wave),
            Column("n", COUNT, wave),
        ]
    lookup = {(r[row_key], r["enkat"]): r for _, r in cells.iterrows()}
    limits = {
        (niva, item, group, str(wave)): (low, high)
        for niva, item, group, wave, low, high in intervals[["niva", "id", "grupp", "enkat", "andel_ci_lag", "andel_ci_hog"]].itertuples(index=False)
    }
    rows = []
    for key, label in row_labels:
        row: list = [label]
        for wave in waves:
            found = lookup.get((key, wave))
            row += [
                suppressed_cell(found, "medel"),
                suppressed_cell(found, "andel_positiva"),
                _share_interval(found, limits),
                suppressed_cell(found, "n"),
            ]
        rows.append(row)
    notes = [_hidden_note(min_n)] if cells["undertryckt"].any() else []
    notes.append(_SHARE_INTERVAL_NOTE)
    return Table(caption=caption, columns=columns, rows=rows, notes=notes)


def _trend_chart(cells: pd.DataFrame, intervals: pd.DataFrame, name: str, waves: list[str], y_min: float, y_max: float) -> Chart:
    shown = cells[~cells["undertryckt"].astype(bool) & cells["medel"].notna()]
    data = shown[["grupp", "enkat", "medel", "n"]].rename(columns={"medel": "value"})
    data = data.merge(
        intervals[["grupp", "enkat", "medel_ci_lag", "medel_ci_hog"]].rename(columns={"medel_ci_lag": "low", "medel_ci_hog": "high"}),
        on=["grupp", "enkat"],
        how="left",
    )
    return Chart(
        title=f"{name}: medelvärde per enkät och grupp",
        data=data.reset_index(drop=True),
        waves=waves,
        y_label="Medelvärde",
        y_min=y_min,
        y_max=y_max,
    )


def _distribution_blocks(results: SurveyResults, name: str, questions: list) -> list:
    scale = results.survey.instrument.scale
    values = sorted(scale.values)
    labels = [scale.values[v] for v in values]
    dist = results.distribution[results.distribution["grupp"] == ALL]
    rows_chart, rows_table = [], []
    for question in questions:
        for wave in results.survey.waves:
            cell = dist[(dist["id"] == question.id) & (dist["enkat"] == wave)].sort_values("varde")
            if cell.empty:
                continue
            shares = cell["andel"].tolist()
            n = int(cell["antal"].sum())
            short = textwrap.shorten(question.text, 45, placeholder="…")
            rows_chart.append((f"{short} – {wave}", shares, n))
            rows_table.append([question.text, wave, *largest_remainder(shares), n])
    if not rows_chart:
        return []
    neutral = len(values) // 2 if len(values) % 2 == 1 else None
    chart = DivergingChart(title=f"{name}: svarsfördelning per fråga och enkät, alla svarande", categories=labels, rows=rows_chart, neutral=neutral)
    table = Table(
        caption=f"{name}: svarsfördelning per fråga och enkät (procent), alla svarande",
        columns=[Column("Fråga"), Column("Enkät"), *[Column(label, PERCENT) for label in labels], Column("n", COUNT)],
        rows=rows_table,
        notes=["Procenten är avrundade så att varje rad summerar till 100 (största-rest-metoden)."],
    )
    return [chart, table]


def _changes_table(results: SurveyResults, niva: str, item: str, name: str) -> Table | None:
    rows = results.changes[(results.changes["niva"] == niva) & (results.changes["id"] == item) & (results.changes["grupp"] == ALL)]
    if rows.empty:
        return None
    body = []
    for _, row in rows.iterrows():
        span = "Alla enkäter" if row["fran"] == _ALL_WAVES else f"{row['fran']} → {row['till']}"
        paired = f"ja ({int(row['n_par'])})" if bool(row["parad"]) else "nej"
        body.append(
            [
                span,
                TEST_NAMES.get(row["test"], row["test"]),
                paired,
                row["diff_medel"],
                _shift_text(row),
                row["diff_andel_positiva"],
                (row["ci_lag"], row["ci_hog"]),
                row["p_unc"],
                row["p_corr"],
                _family_name(row),
                row["effekt"],
                EFFECT_NAMES.get(row["effektmatt"], row["effektmatt"]),
            ]
        )
    return Table(
        caption=f"{name}: förändringar mellan enkäterna, alla svarande",
        columns=[
            Column("Jämförelse"),
            Column("Test"),
            Column("Samma personer (n)"),
            Column("Skillnad medel", DIFF_MEAN),
            Column("Förskjutning (95 % KI)"),
            Column("Skillnad andel positiva", DIFF_SHARE),
            Column("95 % KI för andelsskillnaden", INTERVAL),
            Column("p", PVALUE),
            Column("p (justerat)", PVALUE),
            Column("Familj"),
            Column("Effekt", EFFECT),
            Column("Effektmått"),
        ],
        rows=[[None if isinstance(v, float) and pd.isna(v) else v for v in r] for r in body],
        notes=[
            "En förändring räknas som statistiskt säkerställd bara i familjen primär (Holm-justerat p under 0,05). "
            "Familjen utforskande är justerad för sig (BH = Benjamini–Hochberg); ett lågt p där är en ledtråd att "
            "undersöka vidare, inte en slutsats. Skillnaderna är senare enkät minus tidigare; p.e. = procentenheter. "
            "Förskjutning = Hodges–Lehmann-skattningen för rangtestet (den typiska skillnaden i skalsteg; vid samma "
            "personer för dem vars svar ändrades) med 95 % konfidensintervall. Den visar rangtestets riktning, även "
            "när medelvärdet rör sig åt andra hållet för att svaren har spridits ut."
        ],
    )


def _shift_text(row: pd.Series) -> str | None:
    """``'+1,0 (0,0 till 1,0)'``: the Hodges–Lehmann shift and its interval, on the rank test's row."""
    shift = row.get("hl_skift")
    if shift is None or pd.isna(shift):
        return None
    text = ("+" if shift > 0 else "\u2212" if shift < 0 else "") + format_number(abs(shift), 1)
    low, high = row.get("hl_lag"), row.get("hl_hog")
    if low is not None and high is not None and not (pd.isna(low) or pd.isna(high)):
        text += f" ({format_number(low, 1)} till {format_number(high, 1)})"
    return text


def _method(results: SurveyResults) -> list:
    survey = results.survey
    instrument = survey.instrument
    scale = instrument.scale
    positive = ", ".join(f"{v} ({scale.values[v]})" for v in sorted(scale.positive))
    dates = [f"{w} ({results.wave_dates[w]})" if results.wave_dates.get(w) else w for w in survey.waves]
    texts = [
        f"Enkäten ”{instrument.name}” har besvarats vid {len(survey.waves)} tillfällen: {', '.join(dates)}. "
        f"Svaren ges på en skala från {scale.min} ({scale.values[scale.min]}) till {scale.max} "
        f"({scale.values[scale.max]}). Andel positiva är andelen svar {positive}.",
        "Ett index är medelvärdet av en persons svar på indexets frågor (negativt formulerade frågor vänds först) "
        "och räknas bara för den som har besvarat minst hälften av frågorna. "
        f"Andel positiva för ett index är andelen personer vars indexvärde är minst {scale.positive_threshold}.",
        f"Svar som {', '.join(f'”{m}”' for m in scale.missing) or 'saknas'} och obesvarade frågor räknas inte som värden. "
        f"En grupp som har färre än {results.min_n} svar på någon fråga eller något index vid en enkät visas inte "
        "alls vid den enkäten, och inte heller de minsta grupper som behövs för att den inte ska kunna räknas fram "
        "ur totalen; samma grupper döljs i alla frågor, index, diagram och test vid den enkäten. Dolda grupper "
        "testas aldrig. Vid en enkät med dolda grupper anges medelvärden med en decimal och andelar i hela procent "
        "också i datafilerna.",
        "Förändringar mellan enkäterna testas för varje fråga och index. När de flesta svarande i båda enkäterna "
        "har angett samma personliga kod jämförs samma personer (Wilcoxons teckenrangtest för medelvärdet, McNemars "
        "test för andelen positiva); annars jämförs alla svarande (Mann–Whitneys U-test, chi-två- eller Fishers "
        "exakta test). Över alla enkäter används Friedmans test eller Kruskal–Wallis test.",
        *_multiplicity_texts(results),
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
    reliability = _reliability_table(results)
    if reliability is not None:
        blocks.append(reliability)
    warnings = [p for p in survey.report.problems if p.allvar == WARNING]
    if warnings:
        items = [f"{p.fil}" + (f", kolumn ”{p.kolumn}”" if p.kolumn else "") + f": {p.meddelande}" for p in warnings]
        blocks.append(TextList("Anmärkningar vid inläsningen", items))
    return blocks


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
        "egen familj per enkät, Holm-justerad inom enkäten."
    )
    if len(waves) < 2:
        return [groups]
    span = f"från {wave_name(waves[0])} till {wave_name(waves[-1])}"
    secondary = "Benjamini–Hochbergs metod (falsk upptäcktsandel, FDR)" if plan.secondary == "bh" else "Holms metod"
    return [
        "Rapportens slutsatser bygger bara på den primära familjen av test: för alla svarande jämförs medelvärdet "
        f"i {what} {span} med Wilcoxons teckenrangtest (samma personer) eller Mann–Whitneys U-test{size}. "
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
        columns += [Column("Alfa", TEXT, wave), Column("n", COUNT, wave)]
    rows = []
    for item, name in results.survey.instrument.indices.items():
        row: list = [name]
        for wave in waves:
            cell = alpha[(alpha["index"] == item) & (alpha["enkat"] == wave)]
            if cell.empty or pd.isna(cell["alfa"].iloc[0]):
                row += [None, None]
                continue
            value = float(cell["alfa"].iloc[0])
            row += [alpha_text(value) + (" *" if low_alpha(value) else ""), int(cell["n"].iloc[0])]
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


def _alpha_if_deleted_table(results: SurveyResults, index_id: str, name: str) -> Table | None:
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
    rows = []
    for question in results.survey.instrument.index_items(index_id):
        row: list = [question.text]
        for wave in waves:
            cell = deleted[(deleted["fraga"] == question.id) & (deleted["enkat"] == wave)]
            row.append(format_number(float(cell["alfa_utan_fragan"].iloc[0]), 2) if len(cell) and pd.notna(cell["alfa_utan_fragan"].iloc[0]) else None)
        rows.append(row)
    return Table(
        caption=f"{name}: Cronbachs alfa om frågan tas bort, alla svarande",
        columns=[Column("Fråga"), *[Column(wave) for wave in waves]],
        rows=rows,
        notes=["Visas för enkäter där indexets alfa är under 0,7. Ett högre värde än indexets alfa betyder att "
               "frågan drar ned samstämmigheten."],
    )


def index_blocks(results: SurveyResults, index_id: str, organisation: str | None = None) -> list:
    """An index's value per group and wave (a table and the trend chart) and its questions per wave.

    The report's subsection for the index and the web page's Jämförelse view
    are both built here. ``organisation`` None shows every group and the
    questions for all respondents; an organisation shows "Alla" and that
    organisation only, and the questions for that organisation. Suppressed
    cells stay :class:`Hidden` either way.
    """
    survey = results.survey
    instrument, table, waves = survey.instrument, results.comparison, survey.waves
    name = instrument.indices[index_id]
    groups = [ALL, organisation] if organisation else list(dict.fromkeys(table["grupp"]))
    cells = table[(table["niva"] == "index") & (table["id"] == index_id) & table["grupp"].isin(groups)]
    intervals = results.intervals[
        (results.intervals["niva"] == "index") & (results.intervals["id"] == index_id) & results.intervals["grupp"].isin(groups)
    ]
    questions = instrument.index_items(index_id)
    shown = organisation or ALL
    q_cells = table[(table["niva"] == "fraga") & table["id"].isin([q.id for q in questions]) & (table["grupp"] == shown)]
    q_rows = [(q.id, q.text + (" (negativt formulerad)" if q.reverse else "")) for q in questions]
    who = "alla svarande" if shown == ALL else shown
    present = set(cells["grupp"])  # every group of the table has a row per index (analysis.describe's grid)
    group_rows = [(g, g) for g in groups if g in present]
    return [
        _wave_table(cells, results.intervals, waves, "grupp", group_rows, f"{name}: indexvärde per grupp och enkät", results.min_n, "Grupp"),
        _trend_chart(cells, intervals, name, waves, instrument.scale.min, instrument.scale.max),
        _wave_table(q_cells, results.intervals, waves, "id", q_rows, f"{name}: frågorna i indexet, {who}", results.min_n, "Fråga"),
    ]


def summary_blocks(results: SurveyResults) -> list:
    """The survey in brief, for the report's summary heading."""
    survey = results.survey
    questions = {q.id: q.text for q in survey.instrument.scale_questions}
    return [Paragraphs(survey_summary(survey.instrument.indices, survey.waves, results.changes, questions))]


def survey_blocks(results: SurveyResults) -> list:
    """The staff-survey section: summary, method, one subsection per index, free-text answers."""
    survey = results.survey
    instrument = survey.instrument
    table = results.comparison
    waves = survey.waves
    blocks: list = [
        Subsection("Personalenkäten i korthet", summary_blocks(results)),
        Subsection("Om enkäten och svaren", _method(results)),
    ]
    group_rows = [(g, g) for g in dict.fromkeys(table["grupp"])]
    for index_id, name in instrument.indices.items():
        sub: list = [
            Paragraphs(index_paragraph(index_id, waves, table, results.changes, results.group_tests, results.reliability)),
            *index_blocks(results, index_id),
            *_distribution_blocks(results, name, instrument.index_items(index_id)),
        ]
        changes = _changes_table(results, "index", index_id, name)
        if changes is not None:
            sub.append(changes)
        deleted = _alpha_if_deleted_table(results, index_id, name)
        if deleted is not None:
            sub.append(deleted)
        blocks.append(Subsection(name, sub))

    loose = [q for q in instrument.scale_questions if q.index is None]
    if loose:
        sub = []
        for question in loose:
            cells = table[(table["niva"] == "fraga") & (table["id"] == question.id)]
            sub.append(_wave_table(cells, results.intervals, waves, "grupp", group_rows, f"{question.text}: per grupp och enkät", results.min_n, "Grupp"))
            sub += _distribution_blocks(results, question.text, [question])
            changes = _changes_table(results, "fraga", question.id, question.text)
            if changes is not None:
                sub.append(changes)
        blocks.append(Subsection("Frågor som inte ingår i något index", sub))

    if instrument.freetext_questions:
        free = results.free_text
        sub = [
            Paragraphs(
                [
                    "Fritextsvaren redovisas för alla svarande tillsammans, i slumpvis ordning och utan "
                    f"bakgrundsuppgifter. Svar från enkättillfällen med färre än {results.min_n} svarande visas inte."
                ]
            )
        ]
        for question in instrument.freetext_questions:
            for wave in waves:
                texts = free[(free["fraga"] == question.id) & (free["enkat"] == wave)]["text"].tolist()
                sub.append(TextList(f"{question.text} ({wave})", texts))
        blocks.append(Subsection("Fritextsvar", sub))
    return blocks
