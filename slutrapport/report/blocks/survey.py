"""Blocks for the staff-survey section, reshaped from the analysis tables.

Only reshaping happens here: every number comes from
:class:`~slutrapport.analysis.survey.SurveyResults` as it is, and every
sentence from :mod:`slutrapport.wording.survey`.
"""

from __future__ import annotations

import math
import textwrap

import numpy as np
import pandas as pd

from slutrapport.analysis.composition import STANDARDISED_GROUP
from slutrapport.analysis.families import PRIMARY, TREND_TESTS
from slutrapport.analysis.suppression import ALL
from slutrapport.analysis.survey import SurveyResults
from slutrapport.core.rounding import largest_remainder
from slutrapport.core.swedish import format_number
from slutrapport.report.blocks.group_pairs import pair_table
from slutrapport.report.blocks.items import item_blocks
from slutrapport.report.blocks.narrowed import ItemRows
from slutrapport.report.blocks.survey_method import EFFECT_NAMES, TEST_NAMES, alpha_if_deleted_table, family_name, hidden_note, method_blocks, scale_groups
from slutrapport.report.blocks.survey_overview import overview_table
from slutrapport.report.blocks.who_answered import composition_blocks, response_rate_blocks, with_response_rates
from slutrapport.report.charting import describe, line_panels
from slutrapport.report.model import (
    CHARTS,
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
    blocks_made,
    for_appendix,
)
from slutrapport.sources.definitions import Scale
from slutrapport.wording.rows import row_dicts
from slutrapport.wording.scales import category_labels, scale_span
from slutrapport.wording.survey import SIGNIFICANCE, change_direction, index_paragraph, survey_summary

__all__ = [
    "survey_blocks", "summary_blocks", "index_blocks", "loose_blocks", "distribution_blocks", "LOOSE_TITLE", "suppressed_cell",
    "TEST_NAMES", "EFFECT_NAMES",
]  # fmt: skip

_ALL_WAVES = "alla"


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
    limits: dict[tuple, tuple[float, float]] | None = None,
) -> Table:
    """Rows × waves with mean, share positive, its 95 % Wilson interval (``intervals``, the
    analysis' :func:`~slutrapport.analysis.intervals.mean_intervals` joined on niva, id, grupp
    and enkat; ``limits``, when given, is :func:`_share_limits` of ``intervals``) and n per wave."""
    columns = [Column(first, TEXT)]
    for wave in waves:
        columns += [
            Column("Medel", MEAN, wave),
            Column("Andel positiva", SHARE, wave),
            Column("95 % KI", SHARE_INTERVAL, wave),
            Column("n", COUNT, wave),
        ]
    lookup = {(r[row_key], r["enkat"]): r for r in row_dicts(cells)}
    limits = _share_limits(intervals) if limits is None else limits
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
    notes = [hidden_note(min_n)] if cells["undertryckt"].any() else []
    notes.append(_SHARE_INTERVAL_NOTE)
    return Table(caption=caption, columns=columns, rows=rows, notes=notes)


def _share_limits(intervals: pd.DataFrame) -> dict[tuple, tuple[float, float]]:
    """(niva, id, grupp, enkat) → the Wilson interval of the share positive (the last row of a key wins)."""
    columns = ("niva", "id", "grupp", "enkat", "andel_ci_lag", "andel_ci_hog")
    return {(niva, item, group, str(wave)): (low, high) for niva, item, group, wave, low, high in zip(*(intervals[c] for c in columns), strict=True)}


def _with_limits(data: pd.DataFrame, intervals: pd.DataFrame) -> pd.DataFrame:
    """``data`` with the interval of the mean (``low``, ``high``) of its group and wave: the left merge on grupp
    and enkat, by a dict when every key of ``intervals`` is a plain text found once and the limits are float64
    (else by the merge itself)."""
    right = intervals[["grupp", "enkat", "medel_ci_lag", "medel_ci_hog"]].rename(columns={"medel_ci_lag": "low", "medel_ci_hog": "high"})
    if right["low"].dtype != np.float64 or right["high"].dtype != np.float64:
        return data.merge(right, on=["grupp", "enkat"], how="left")
    limits: dict[tuple, tuple[float, float]] = {}
    for key in zip(right["grupp"], right["enkat"], right["low"], right["high"], strict=True):
        if not (isinstance(key[0], str) and isinstance(key[1], str)) or key[:2] in limits:
            return data.merge(right, on=["grupp", "enkat"], how="left")
        limits[key[:2]] = key[2:]
    found = [limits.get(key, (math.nan, math.nan)) for key in zip(data["grupp"], data["enkat"], strict=True)]
    low = np.array([pair[0] for pair in found], dtype=float)
    high = np.array([pair[1] for pair in found], dtype=float)
    return data.reset_index(drop=True).assign(low=low, high=high)


def _trend_chart(cells: pd.DataFrame, intervals: pd.DataFrame, name: str, waves: list[str], y_min: float, y_max: float,
                 trend: pd.DataFrame | None = None, values_table: str | None = None) -> Chart:
    """The index per group and wave as lines (small multiples when there are more than
    :data:`~slutrapport.report.charting.MAX_SERIES`), "Alla" the reference; ``values_table`` is the
    caption of the table beside it."""
    shown = cells[~cells["undertryckt"].astype(bool) & cells["medel"].notna()]
    data = _with_limits(shown[["grupp", "enkat", "medel", "n"]].rename(columns={"medel": "value"}), intervals)
    line = None
    if trend is not None and not trend.empty:
        line = trend[["enkat", "trend", "trend_lag", "trend_hog", "test"]].rename(
            columns={"trend": "value", "trend_lag": "low", "trend_hog": "high"}
        ).reset_index(drop=True)
    chart = Chart(
        title=f"{name}: medelvärde per enkät och grupp",
        data=data.reset_index(drop=True),
        waves=waves,
        y_label="Medelvärde",
        y_min=y_min,
        y_max=y_max,
        trend=line,
        trend_group=ALL,
        panels=line_panels(list(data["grupp"]), ALL, trend=line is not None),
        reference=ALL,
    )
    return describe(chart, values_table)


def distribution_blocks(results: SurveyResults, name: str, questions: list) -> list:
    """The report's chart and table of how the answers to ``questions`` spread over their scale, all respondents."""
    return _distribution_blocks(results, name, questions)


def _distribution_blocks(results: SurveyResults, name: str, questions: list) -> list:
    """The spread of the answers over each question's own scale (labels from :meth:`Scale.label`);
    one chart and table per scale when the questions use several."""
    instrument = results.survey.instrument
    groups = scale_groups(instrument, questions)
    blocks: list = []
    for scale, members in groups:
        suffix = f", skala {scale_span(scale)}" if len(groups) > 1 else ""
        blocks += _distribution(results, name + suffix, members, scale)
    return blocks


def _distribution(results: SurveyResults, name: str, questions: list, scale: Scale) -> list:
    dist = results.distribution[(results.distribution["grupp"] == ALL) & results.distribution["id"].isin([q.id for q in questions])]
    values = sorted(set(scale.values) | {int(v) for v in dist["varde"]})
    labels = category_labels(scale, values)
    by_cell: dict[tuple, list] = {}  # (question, wave) → its (value, share, count) rows in table order
    for item, wave, value, share, count in zip(*(dist[c] for c in ("id", "enkat", "varde", "andel", "antal")), strict=True):
        by_cell.setdefault((item, wave), []).append((value, share, count))
    rows_chart, rows_table = [], []
    for question in questions:
        for wave in results.survey.waves:
            cell = by_cell.get((question.id, wave))
            if not cell:
                continue
            by_value = {int(v): float(s) for v, s, _ in cell}
            shares = [by_value.get(v, 0.0) for v in values]
            n = int(sum(c for _, _, c in cell))
            short = textwrap.shorten(question.text, 45, placeholder="…")
            rows_chart.append((f"{short} – {wave}", shares, n))
            rows_table.append([question.text, wave, *largest_remainder(shares), n])
    if not rows_chart:
        return []
    neutral = len(values) // 2 if len(values) % 2 == 1 else None
    caption = f"{name}: svarsfördelning per fråga och enkät (procent), alla svarande"
    chart = DivergingChart(title=f"{name}: svarsfördelning per fråga och enkät, alla svarande", categories=labels, rows=rows_chart, neutral=neutral)
    describe(chart, caption)
    table = Table(
        caption=caption,
        columns=[Column("Fråga"), Column("Enkät"), *[Column(label, PERCENT) for label in labels], Column("n", COUNT)],
        rows=rows_table,
        notes=["Procenten är avrundade så att varje rad summerar till 100 (största-rest-metoden)."],
    )
    return [chart, table]


def _changes_table(results: SurveyResults, niva: str, item: str, name: str) -> Table | None:
    changes = results.changes
    rows = changes[(changes["niva"] == niva) & (changes["id"] == item) & changes["grupp"].isin([ALL, STANDARDISED_GROUP])]
    if rows.empty:
        return None
    body = []
    for row in row_dicts(rows):
        span = (
            "Alla enkäter" if row["fran"] == _ALL_WAVES
            else f"Trend {row['fran']} → {row['till']}, per enkät" if row["test"] in TREND_TESTS
            else f"{row['fran']} → {row['till']}"
        )  # fmt: skip
        span += ", standardiserad" if row["grupp"] == STANDARDISED_GROUP else ""
        paired = (
            f"ja ({int(row['n_par'])})" if bool(row["parad"])
            else f"delvis ({int(row['n_par'])})" if row["test"] in _PARTLY_LINKED_TESTS and row["n_par"] > 0
            else "nej"
        )  # fmt: skip
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
                family_name(row),
                row["effekt"],
                EFFECT_NAMES.get(row["effektmatt"], row["effektmatt"]),
                _certain_mark(row),
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
            Column("Säkerställd"),
        ],
        rows=[[None if isinstance(v, float) and pd.isna(v) else v for v in r] for r in body],
        notes=[
            "En förändring räknas som statistiskt säkerställd bara i familjen primär (Holm-justerat p under 0,05). "
            "Familjen utforskande är justerad för sig (BH = Benjamini–Hochberg); ett lågt p där är en ledtråd att "
            "undersöka vidare, inte en slutsats. Skillnaderna är senare enkät minus tidigare; p.e. = procentenheter. "
            "Förskjutning = Hodges–Lehmann-skattningen för rangtestet (den typiska skillnaden i skalsteg; vid samma "
            "personer för dem vars svar ändrades) med 95 % konfidensintervall. Den visar rangtestets riktning, även "
            "när medelvärdet rör sig åt andra hållet för att svaren har spridits ut.",
            _CERTAIN_NOTE,
        ]
        + ([_TREND_NOTE] if rows["test"].isin(TREND_TESTS).any() else [])
        + ([_STANDARDISED_NOTE] if (rows["grupp"] == STANDARDISED_GROUP).any() else []),
    )


#: The legend of the column Säkerställd (the symbol says what no colour alone may say).
_CERTAIN_NOTE = (
    "Säkerställd: ↑ ja = statistiskt säkerställd ökning, ↓ ja = statistiskt säkerställd minskning (familjen primär, "
    "Holm-justerat p under 0,05; riktningen är testets); nej = inte säkerställd."
)


def _certain_mark(row: pd.Series) -> str:
    """``↑ ja`` or ``↓ ja`` for a statistically certain change (a row of the primary family with ``p_corr``
    under :data:`~slutrapport.wording.survey.SIGNIFICANCE`, in its test's direction), else ``nej``."""
    p_corr = row.get("p_corr")
    if row.get("familj") != PRIMARY or p_corr is None or pd.isna(p_corr) or p_corr >= SIGNIFICANCE:
        return "nej"
    return {1: "↑ ja", -1: "↓ ja"}.get(change_direction(row), "ja")


#: The note under a changes table with composition-standardised rows.
_STANDARDISED_NOTE = (
    "Standardiserad = vilka som svarade ändrades mellan enkäterna, så varje enkät är också vägd till den första "
    "enkätens fördelning mellan organisationerna (poststratifiering; små organisationer ingår i vikterna bara "
    "tillsammans med de andra dolda grupperna). Testet är ett z-test av den vägda skillnaden med stratifierad varians; "
    "p (justerat) är Holm-justerat inom familjen standardiserad. Det är en kontroll av förändringen för Alla, inte en egen slutsats."
)


#: The tests that use linked and unlinked answers together (the table says "delvis" with the linked people).
_PARTLY_LINKED_TESTS = ("partover_t", "partover_z", "trend_lmm")
#: The note under a changes table with a trend row.
_TREND_NOTE = (
    "Trend = ett test över alla enkäter (linjär blandad modell, Pages eller Jonckheere–Terpstras test); skillnaden "
    "i medel är där den skattade förändringen per enkät, och dess 95 % konfidensintervall står i texten."
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


def _index_trend(results: SurveyResults, index_id: str) -> pd.DataFrame:
    """The fitted trend line of an index for all respondents (empty without a trend)."""
    trends = results.trends
    return trends[(trends["niva"] == "index") & (trends["id"] == index_id) & (trends["grupp"] == ALL)]


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
    axis = instrument.index_scale(index_id)  # the index's own scale, not the default one
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
    caption = f"{name}: indexvärde per grupp och enkät"
    limits = _share_limits(results.intervals)
    return [
        _wave_table(cells, results.intervals, waves, "grupp", group_rows, caption, results.min_n, "Grupp", limits),
        _trend_chart(cells, intervals, name, waves, axis.min, axis.max, _index_trend(results, index_id), caption),
        _wave_table(q_cells, results.intervals, waves, "id", q_rows, f"{name}: frågorna i indexet, {who}", results.min_n, "Fråga", limits),
    ]


#: The title of the subsection with the scale questions outside every index.
LOOSE_TITLE = "Frågor som inte ingår i något index"


def loose_blocks(results: SurveyResults, organisation: str | None = None) -> list:
    """The scale questions outside every index, as a subsection (none when there are none): each one's value
    per group and wave, its distribution and its changes for all respondents.

    ``organisation`` None shows every group; an organisation (the web page's
    filter) shows "Alla" and that organisation only.
    """
    survey = results.survey
    table, waves = results.comparison, survey.waves
    loose = [q for q in survey.instrument.scale_questions if q.index is None]
    if not loose:
        return []
    groups = [ALL, organisation] if organisation else list(dict.fromkeys(table["grupp"]))
    present = set(table["grupp"])
    group_rows = [(g, g) for g in groups if g in present]
    sub: list = []
    for question in loose:
        cells = table[(table["niva"] == "fraga") & (table["id"] == question.id) & table["grupp"].isin(groups)]
        sub.append(_wave_table(cells, results.intervals, waves, "grupp", group_rows, f"{question.text}: per grupp och enkät", results.min_n, "Grupp"))
        sub += _distribution_blocks(results, question.text, [question])
        changes = _changes_table(results, "fraga", question.id, question.text)
        if changes is not None:
            sub.append(changes)
    return [Subsection(LOOSE_TITLE, sub)]


def summary_blocks(results: SurveyResults) -> list:
    """The survey in brief, for the report's summary heading."""
    survey = results.survey
    questions = {q.id: q.text for q in survey.instrument.scale_questions}
    return [Paragraphs(survey_summary(survey.instrument.indices, survey.waves, results.changes, questions)), *composition_blocks(results)]


def _method_in_brief(blocks: list) -> list:
    """The method blocks with only the first paragraph (when, which scales) and the answers per wave in the report
    itself; the rest of the method text, the linkage and reliability tables and the reading notes to the appendix."""
    text, answers, *rest = blocks
    return [Paragraphs(text.texts[:1]), *for_appendix(Paragraphs(text.texts[1:]) if text.texts[1:] else None), answers, *for_appendix(*rest)]


def _figures_to_appendix(blocks: list) -> list:
    """``blocks`` with every table and chart in them (also in subsections) marked for the appendix; sentences stay."""
    for block in blocks:
        if isinstance(block, Subsection):
            _figures_to_appendix(block.blocks)
        elif isinstance(block, (Table, *CHARTS)):
            block.appendix = True
    return blocks


#: The tables :func:`index_blocks`, :func:`_distribution_blocks` and :func:`alpha_if_deleted_table` read.
_INDEX_TABLES = ("comparison", "intervals", "trends", "distribution", "reliability", "alpha_if_deleted")


def survey_blocks(results: SurveyResults) -> list:
    """The staff-survey section: summary with the overview table, method, one subsection per index, the questions
    outside indices, the other question types (:func:`~.items.item_blocks`) and the free-text answers.

    The report itself keeps the sentences, the overview table and the answers per wave; every full table and
    chart is marked for the appendix (:func:`~slutrapport.report.model.for_appendix`), as are the free texts."""
    survey = results.survey
    instrument = survey.instrument
    waves = survey.waves
    overview = overview_table(results)
    blocks: list = [
        Subsection("Personalenkäten i korthet", [*summary_blocks(results), *([overview] if overview is not None else [])]),
        Subsection("Om enkäten och svaren", [*_method_in_brief(method_blocks(results)), *response_rate_blocks(results)]),
    ]
    by_item = ItemRows(results)
    for index_id, name in instrument.indices.items():
        # this index's and its questions' rows, in the tables the index's tables, charts and distributions read
        mine = by_item.results([index_id, *(q.id for q in instrument.index_items(index_id))], _INDEX_TABLES)
        # without its questions, for the blocks of the index alone (which select the index's rows themselves)
        own = by_item.results([index_id], ("comparison", "changes", "group_tests", "reliability"))
        sub: list = [
            Paragraphs(index_paragraph(index_id, waves, own.comparison, own.changes, own.group_tests, own.reliability)),
            *composition_blocks(own, "index", index_id),
            *for_appendix(
                *index_blocks(mine, index_id),
                *_distribution_blocks(mine, name, instrument.index_items(index_id)),
                _changes_table(own, "index", index_id, name),
                pair_table(own.group_tests, own.comparison, "index", index_id, name),
                alpha_if_deleted_table(mine, index_id, name),
            ),
        ]
        blocks.append(Subsection(name, blocks_made(sub)))

    blocks += for_appendix(*loose_blocks(results))
    blocks += _figures_to_appendix(item_blocks(results))  # yes/no, single and multiple choice, numbers

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
        blocks.append(Subsection("Fritextsvar", sub, appendix=True))
    return with_response_rates(blocks, results)
