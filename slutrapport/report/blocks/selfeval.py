"""Blocks for the self-evaluation (självvärdering), reshaped from :class:`~slutrapport.analysis.selfeval.SelfEvalResults`.

Only reshaping happens here: every number comes from the analysis tables as
it is, and the summary sentences from :mod:`slutrapport.wording.selfeval`.
File names and anything else that could point at a person are never shown.
"""

from __future__ import annotations

import pandas as pd

from slutrapport.analysis.selfeval import NO_ROLE, OTHER_ROLES, QUESTION, SECTION, SelfEvalResults
from slutrapport.analysis.suppression import ALL
from slutrapport.core.swedish import join_words
from slutrapport.report.blocks.survey import suppressed_cell
from slutrapport.report.charting import describe, line_panels
from slutrapport.report.model import COUNT, MEAN, Chart, Column, Paragraphs, Subsection, Table, TextList, for_appendix
from slutrapport.wording.scales import scale_span
from slutrapport.wording.selfeval import selfeval_paragraphs

__all__ = ["selfeval_blocks", "ROLE_HIDDEN"]

#: Shown instead of the role of a free text whose role is hidden.
ROLE_HIDDEN = "roll visas inte"


def _hidden_note(min_n: int) -> str:
    return (
        f"– = dolt: färre än {min_n} formulär, eller dolt för att en mindre rolls resultat annars skulle kunna "
        "räknas fram ur Alla."
    )


def _roles(table: pd.DataFrame, results: SelfEvalResults) -> list[str]:
    order = [ALL, *results.definition.roles, OTHER_ROLES, NO_ROLE]
    present = set(table["roll"])
    return [r for r in order if r in present]


def _method(results: SelfEvalResults) -> list:
    definition = results.definition
    scale = definition.scale
    missing = join_words([f"”{m}”" for m in scale.missing])
    texts = [
        f"Självvärderingen bygger på formuläret ”{definition.name}” (version {definition.version}), som "
        f"{join_words([r.lower() for r in definition.roles])} fyller i var för sig. Betygen ges på en skala från "
        f"{scale_span(scale)}"
        + (f"; {missing} och obesvarade frågor räknas inte." if missing else "; obesvarade frågor räknas inte."),
        "Ett avsnitts betyg är för varje formulär medelvärdet av betygen på avsnittets frågor och räknas när minst "
        "hälften av frågorna har fått ett betyg. Tabellerna visar medelvärdet och medianen av dessa; n är antalet "
        "formulär (för en enskild fråga: antalet betyg).",
        f"Roller med färre än {results.min_n} formulär vid ett tillfälle redovisas inte för sig. Två eller fler "
        f"sådana roller slås ihop till ”{OTHER_ROLES}” när de tillsammans når gränsen, och en roll döljs också när "
        "dess resultat annars skulle kunna räknas fram ur Alla. Fritextsvar från en roll som inte visas redovisas "
        f"utan roll (”{ROLE_HIDDEN}”).",
    ]
    warnings = results.data.report.warnings()
    if warnings:
        texts.append(
            f"Vid inläsningen av formulären gjordes {len(warnings)} anmärkningar (till exempel obesvarade frågor); "
            "kommandot slutrapport validate listar dem."
        )
    return [Paragraphs(texts), _count_table(results)]


def _count_table(results: SelfEvalResults) -> Table:
    counts = results.counts
    lookup = {(r["roll"], r["tillfalle"]): r for _, r in counts.iterrows()}
    rows = [[role, *[suppressed_cell(lookup.get((role, o)), "n") for o in results.occasions]] for role in _roles(counts, results)]
    notes = ["Tom cell: rollen har inga formulär vid tillfället eller ingår där i Övriga roller."]
    if counts["undertryckt"].any():
        notes.insert(0, _hidden_note(results.min_n))
    return Table(
        caption="Ifyllda formulär per roll och tillfälle",
        columns=[Column("Roll"), *[Column(o, COUNT) for o in results.occasions]],
        rows=rows,
        notes=notes,
    )


def _wave_table(cells: pd.DataFrame, results: SelfEvalResults, items: list[tuple[str, str]], caption: str, first: str) -> Table:
    lookup = {(r["id"], r["tillfalle"]): r for _, r in cells.iterrows()}
    columns = [Column(first)]
    for occasion in results.occasions:
        columns += [Column("Medel", MEAN, occasion), Column("Median", MEAN, occasion), Column("n", COUNT, occasion)]
    rows = []
    for item_id, label in items:
        row: list = [label]
        for occasion in results.occasions:
            found = lookup.get((item_id, occasion))
            row += [suppressed_cell(found, "medel"), suppressed_cell(found, "median"), suppressed_cell(found, "n")]
        rows.append(row)
    notes = [_hidden_note(results.min_n)] if cells["undertryckt"].any() else []
    return Table(caption=caption, columns=columns, rows=rows, notes=notes)


def _role_table(sections: pd.DataFrame, results: SelfEvalResults, items: list[tuple[str, str]]) -> Table:
    lookup = {(r["id"], r["roll"], r["tillfalle"]): r for _, r in sections.iterrows()}
    columns, keys = [Column("Avsnitt")], []
    for occasion in results.occasions:
        for role in _roles(sections[sections["tillfalle"] == occasion], results):
            columns.append(Column(role, MEAN, occasion))
            keys.append((role, occasion))
    rows = [[label, *[suppressed_cell(lookup.get((item_id, role, occasion)), "medel") for role, occasion in keys]] for item_id, label in items]
    notes = [
        "Medelbetyg. Antalet formulär per roll framgår av tabellen över ifyllda formulär (färre om några inte "
        "har betygsatt avsnittets frågor)."
    ]
    if sections["undertryckt"].any():
        notes.insert(0, _hidden_note(results.min_n))
    return Table(caption="Medelbetyg per avsnitt, roll och tillfälle", columns=columns, rows=rows, notes=notes)


#: The caption of the table beside the chart, which gives its values.
_SECTION_TABLE = "Medelbetyg per avsnitt och tillfälle, alla roller"


def _chart(sections: pd.DataFrame, results: SelfEvalResults) -> Chart:
    """The mean rating per section and occasion, one line per section (small multiples when there are
    more than :data:`~slutrapport.report.charting.MAX_SERIES`)."""
    scale = results.definition.scale
    shown = sections[(sections["roll"] == ALL) & ~sections["undertryckt"].astype(bool) & sections["medel"].notna()]
    data = shown[["text", "tillfalle", "medel", "n", "ci_lag", "ci_hog"]].rename(
        columns={"text": "grupp", "tillfalle": "enkat", "medel": "value", "ci_lag": "low", "ci_hog": "high"}
    )
    chart = Chart(
        title="Självvärdering: medelbetyg per avsnitt och tillfälle, alla roller",
        data=data.reset_index(drop=True),
        waves=list(results.occasions),
        y_label="Medelbetyg",
        y_min=scale.min,
        y_max=scale.max,
        panels=line_panels(list(data["grupp"]), None),
    )
    return describe(chart, _SECTION_TABLE)


def _text_item(row) -> str:
    """One distinct answer, with the number of forms that gave it when more than one: "Bra samarbete (3)"."""
    return f"{row.text} ({row.antal})" if row.antal > 1 else row.text


def _question_texts(rows: pd.DataFrame) -> list:
    """A question's answers as one list per occasion and role ("Start, Handläggare"), each distinct answer once."""
    if rows.empty:
        return [Paragraphs(["Inga svar."])]
    lists = []
    for (occasion, role), group in rows.groupby([rows["tillfalle"], rows["roll"].fillna(ROLE_HIDDEN)], sort=False):
        lists.append(TextList(f"{occasion}, {role}", [_text_item(r) for r in group.itertuples()]))
    return lists


def _texts(results: SelfEvalResults) -> list:
    blocks: list = [
        Paragraphs(
            [
                "Fritextsvaren redovisas per avsnitt och fråga, i tidsordning efter tillfälle och med den roll som "
                f"svaret kommer från. Svar från roller som inte redovisas för sig står utan roll (”{ROLE_HIDDEN}”). "
                "Varje svar står en gång, med antalet formulär som gav det inom parentes när de är fler än ett; "
                "inom en roll kommer de vanligaste svaren först och övriga svar följer inte formulärens ordning."
            ]
        )
    ]
    texts = results.texts
    for section in results.definition.sections:
        if not section.text_questions:
            continue
        questions = [Subsection(question.text, _question_texts(texts[texts["fraga"] == question.id])) for question in section.text_questions]
        blocks.append(Subsection(section.title, questions))
    return blocks


def selfeval_blocks(results: SelfEvalResults) -> list:
    """The self-evaluation: summary, method and counts, section ratings (table, chart, roles), questions, free texts.

    The ratings per role and per question and the free texts are marked for the appendix."""
    definition = results.definition
    scale = definition.scale
    ratings = results.ratings
    sections = ratings[ratings["niva"] == SECTION]
    questions = ratings[(ratings["niva"] == QUESTION) & (ratings["roll"] == ALL)]
    section_items = [(s.id, s.title) for s in definition.sections if s.rating_questions]
    question_items = [(q.id, q.text) for q in definition.rating_questions]
    summary = selfeval_paragraphs(ratings, results.counts, results.occasions, (scale.min, scale.max), results.min_n)
    content: list = [Paragraphs(summary), Subsection("Om självvärderingen", _method(results))]
    if section_items:
        content.append(
            Subsection(
                "Betyg per avsnitt",
                [
                    _wave_table(sections[sections["roll"] == ALL], results, section_items, _SECTION_TABLE, "Avsnitt"),
                    _chart(sections, results),
                    *for_appendix(_role_table(sections, results, section_items)),
                ],
            )
        )
        content.append(
            Subsection(
                "Betyg per fråga",
                [_wave_table(questions, results, question_items, "Betyg per fråga och tillfälle, alla roller", "Fråga")],
                appendix=True,
            )
        )
    if definition.text_questions:
        content.append(Subsection("Fritextsvar per avsnitt", _texts(results), appendix=True))
    return [Subsection("Självvärdering", content)]
