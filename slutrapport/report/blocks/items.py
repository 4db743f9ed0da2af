"""Blocks for the staff-survey questions that are not on an ordered scale: yes/no, single and multiple choice, numbers.

Only reshaping, as in :mod:`.survey`: the numbers are those of the analysis
tables of :class:`~slutrapport.analysis.survey.SurveyResults` —

- ``shares`` (``janej``, ``enval``, ``flerval``): fraga, typ, enkat, grupp, alternativ, antal, n, andel,
  andel_lag, andel_hog (Wilson 95 %);
- ``share_tests`` and ``numeric_tests``: fraga, typ, alternativ, enkat_fran, enkat_till, grupp, test,
  statistik, p_unc, p_corr, familj, justering, effekt, effekt_typ, riktning;
- ``numeric`` (``numerisk``): fraga, enkat, grupp, n, medel, sd, median, q1, q3 —

and every sentence comes from :mod:`slutrapport.wording.items`. A result
without these tables (an analysis that has not computed them) gives empty
ones (:func:`item_tables`), so such a report simply has no rows for them. A
cell of a group hidden by the anonymity rules — marked ``undertryckt`` in the
table, or hidden in the comparison table at that wave — is
:data:`~slutrapport.report.model.PROTECTED`; a group without a row is left empty.
"""

from __future__ import annotations

import pandas as pd

from slutrapport.analysis.suppression import ALL
from slutrapport.analysis.survey import SurveyResults
from slutrapport.core.swedish import format_number
from slutrapport.report.blocks.survey_method import EFFECT_NAMES, TEST_NAMES, family_name, hidden_note
from slutrapport.report.charting import describe
from slutrapport.report.model import COUNT, EFFECT, MEAN, PROTECTED, PVALUE, SHARE, SHARE_INTERVAL, TEXT, Column, Paragraphs, StackedChart, Subsection, Table
from slutrapport.sources.definitions import Scale
from slutrapport.wording.items import OMNIBUS, choice_sentences, numeric_sentences, yes_no_sentences

__all__ = ["SHARE_COLUMNS", "TEST_COLUMNS", "NUMERIC_COLUMNS", "ITEM_TABLES", "item_tables", "item_blocks", "yes_label", "KIND_TITLES"]

SHARE_COLUMNS = ["fraga", "typ", "enkat", "grupp", "alternativ", "antal", "n", "andel", "andel_lag", "andel_hog"]
TEST_COLUMNS = [
    "fraga", "typ", "alternativ", "enkat_fran", "enkat_till", "grupp", "test", "statistik", "p_unc", "p_corr",
    "familj", "justering", "effekt", "effekt_typ", "riktning",
]  # fmt: skip
NUMERIC_COLUMNS = ["fraga", "enkat", "grupp", "n", "medel", "sd", "median", "q1", "q3"]
#: The attribute of :class:`SurveyResults` holding each table, and its columns.
ITEM_TABLES = {"shares": SHARE_COLUMNS, "share_tests": TEST_COLUMNS, "numeric": NUMERIC_COLUMNS, "numeric_tests": TEST_COLUMNS}
#: The subsection of each question type, in the order the report shows them.
KIND_TITLES = {
    "janej": "Ja/nej-frågor",
    "enval": "Frågor med ett svarsalternativ",
    "flerval": "Frågor med flera svarsalternativ",
    "numerisk": "Frågor som besvaras med ett tal",
}
_INTERVAL_NOTE = "95 % KI = Wilsonintervall för andelen."
_TESTS_NOTE = (
    "Familj = den grupp av test som p-värdet är justerat inom (Holm, eller BH = Benjamini–Hochberg). Resultat är "
    "testets slutsats efter justeringen; bara i familjen primär är en skillnad statistiskt säkerställd, i en "
    "utforskande familj är den en ledtråd att undersöka vidare. Skillnaderna är senare enkät minus tidigare."
)
_RESULT_NAMES = {"ökning": "ökning", "minskning": "minskning", "ingen säker skillnad": "ingen säker skillnad"}


def item_tables(results: SurveyResults) -> dict[str, pd.DataFrame]:
    """``shares``, ``share_tests``, ``numeric`` and ``numeric_tests`` of the results; an empty table with the
    contract's columns for one the results do not have (an analysis from before these question types)."""
    tables = {}
    for name, columns in ITEM_TABLES.items():
        table = getattr(results, name, None)
        if not isinstance(table, pd.DataFrame):
            table = pd.DataFrame(columns=columns)
        tables[name] = table.reindex(columns=list(dict.fromkeys([*columns, *table.columns])))
    return tables


def yes_label(scale: Scale) -> str:
    """The label of a yes/no scale's yes (its positive value; the highest value when none is positive)."""
    return scale.label(min(scale.positive) if scale.positive else scale.max)


def _option(scale: Scale | None, value: object) -> object:
    """An ``alternativ`` as its label: a code of the question's options becomes the option's label."""
    if scale is not None and not isinstance(value, str) and not pd.isna(value):
        try:
            code = int(value)
        except (TypeError, ValueError):
            return value
        if code in scale.values:
            return scale.label(code)
    return value


def _with_options(table: pd.DataFrame, scale: Scale | None) -> pd.DataFrame:
    if table.empty:
        return table
    return table.assign(alternativ=[_option(scale, v) for v in table["alternativ"]])


class _Cells:
    """A question's rows of one table by (grupp, enkat[, alternativ]), with the cells the anonymity rules hide."""

    def __init__(self, rows: pd.DataFrame, hidden: set[tuple[str, str]], option: bool) -> None:
        self.hidden = set(hidden)
        self.rows: dict[tuple[str, ...], pd.Series] = {}
        keys = ["grupp", "enkat", "alternativ"] if option else ["grupp", "enkat"]
        for _, row in rows.iterrows():
            marked = row.get("undertryckt")
            if marked is not None and not pd.isna(marked) and bool(marked):
                self.hidden.add((str(row["grupp"]), str(row["enkat"])))
            self.rows[tuple(str(row[k]) for k in keys)] = row

    def get(self, *key: str) -> pd.Series | object | None:
        """The row, :data:`PROTECTED` when the group is hidden at the wave, None when there is none."""
        if (key[0], key[1]) in self.hidden:
            return PROTECTED
        return self.rows.get(tuple(str(k) for k in key))


def _value(found, column: str):
    if found is None or found is PROTECTED:
        return found
    value = found.get(column)
    return None if value is None or pd.isna(value) else value


def _interval(found):
    if found is None or found is PROTECTED:
        return found
    low, high = found.get("andel_lag"), found.get("andel_hog")
    return None if low is None or high is None or pd.isna(low) or pd.isna(high) else (float(low), float(high))


def _hidden_groups(results: SurveyResults) -> set[tuple[str, str]]:
    """(grupp, enkat) hidden in the comparison table: the same groups are hidden in every question at a wave."""
    table = results.comparison
    if table.empty or "undertryckt" not in table.columns:
        return set()
    hidden = table[table["undertryckt"].astype(bool)]
    return {(str(g), str(w)) for g, w in zip(hidden["grupp"], hidden["enkat"], strict=True)}


def _groups(results: SurveyResults, rows: pd.DataFrame, organisation: str | None = None) -> list[str]:
    """The groups of a question's table, "Alla" first; with an ``organisation``, "Alla" and that one only."""
    if organisation:
        return list(dict.fromkeys([ALL, str(organisation)]))
    ordered = [ALL, *results.comparison.get("grupp", pd.Series(dtype=object)).astype(str), *rows["grupp"].astype(str)]
    return list(dict.fromkeys(ordered))


def _tests_table(rows: pd.DataFrame, caption: str, option: bool) -> Table | None:
    """The tests of one question for all respondents, with family and adjustment like the change tables."""
    if rows.empty:
        return None
    body = []
    for _, row in rows.iterrows():
        span = "Alla enkäter" if row["enkat_fran"] == OMNIBUS else f"{row['enkat_fran']} → {row['enkat_till']}"
        line = [span]
        if option:
            named = row["alternativ"]
            line.append("Alla alternativ" if named is None or named == "" or (not isinstance(named, str) and pd.isna(named)) else named)
        line += [
            TEST_NAMES.get(row["test"], row["test"]),
            row["p_unc"],
            row["p_corr"],
            family_name(row),
            row["effekt"],
            EFFECT_NAMES.get(row["effekt_typ"], row["effekt_typ"]),
            _RESULT_NAMES.get(row["riktning"], row["riktning"]),
        ]
        body.append([None if not isinstance(v, str) and pd.isna(v) else v for v in line])
    columns = [Column("Jämförelse"), *([Column("Alternativ")] if option else [])]
    columns += [Column("Test"), Column("p", PVALUE), Column("p (justerat)", PVALUE), Column("Familj"), Column("Effekt", EFFECT),
                Column("Effektmått"), Column("Resultat")]  # fmt: skip
    return Table(caption=caption, columns=columns, rows=body, notes=[_TESTS_NOTE])


def _question_tests(tests: pd.DataFrame, question_id: str) -> pd.DataFrame:
    return tests[(tests["fraga"] == question_id) & (tests["grupp"] == ALL)]


def _yes_no(results: SurveyResults, question, tables: dict[str, pd.DataFrame], organisation: str | None = None) -> list:
    waves = results.survey.waves
    scale = results.survey.instrument.scale_for(question)
    yes = yes_label(scale) if scale is not None else "Ja"
    shares = _with_options(tables["shares"][tables["shares"]["fraga"] == question.id], scale)
    rows = shares[shares["alternativ"] == yes]
    tests = _with_options(_question_tests(tables["share_tests"], question.id), scale)
    tests = tests[tests["alternativ"].isna() | (tests["alternativ"] == yes)]
    if rows.empty:
        return [Paragraphs(["Det finns inga svar att redovisa för frågan."])]
    cells = _Cells(rows, _hidden_groups(results), option=False)
    columns = [Column("Grupp", TEXT)]
    for wave in waves:
        columns += [Column(f"Andel {yes.lower()}", SHARE, wave), Column("95 % KI", SHARE_INTERVAL, wave), Column("n", COUNT, wave)]
    body = []
    for group in _groups(results, rows, organisation):
        found = [cells.get(group, wave) for wave in waves]
        if all(f is None for f in found):
            continue
        line: list = [group]
        for cell in found:
            line += [_value(cell, "andel"), _interval(cell), _value(cell, "n")]
        body.append(line)
    notes = [hidden_note(results.min_n)] if any(PROTECTED in line for line in body) else []
    table = Table(f"{question.text}: andel som svarade {yes.lower()} per grupp och enkät", columns, body, notes + [_INTERVAL_NOTE])
    sentences = yes_no_sentences(question.text, waves, rows[rows["grupp"] == ALL], tests)
    return [Paragraphs(sentences), table, *_optional(_tests_table(tests, f"{question.text}: förändringar mellan enkäterna, alla svarande", False))]


def _optional(block) -> list:
    return [] if block is None else [block]


def _options(question, shares: pd.DataFrame) -> list[str]:
    """The question's options in code order, then any other option the table names."""
    return list(dict.fromkeys([*question.options, *(str(v) for v in shares["alternativ"].dropna())]))


def _choice(results: SurveyResults, question, tables: dict[str, pd.DataFrame], organisation: str | None = None) -> list:
    waves = results.survey.waves
    multiple = question.kind == "flerval"
    scale = results.survey.instrument.scale_for(question)
    shares = _with_options(tables["shares"][tables["shares"]["fraga"] == question.id], scale)
    shares = shares.assign(alternativ=shares["alternativ"].astype(str)) if not shares.empty else shares
    everyone = shares[shares["grupp"] == ALL]
    tests = _with_options(_question_tests(tables["share_tests"], question.id), scale)
    if everyone.empty:
        return [Paragraphs(["Det finns inga svar att redovisa för frågan."])]
    options = _options(question, everyone)
    cells = _Cells(everyone, _hidden_groups(results), option=True)
    columns = [Column("Alternativ", TEXT)]
    for wave in waves:
        columns += [Column("Antal", COUNT, wave), Column("Andel", SHARE, wave), Column("95 % KI", SHARE_INTERVAL, wave)]
    body = []
    for option in options:
        line: list = [option]
        for wave in waves:
            cell = cells.get(ALL, wave, option)
            line += [_value(cell, "antal"), _value(cell, "andel"), _interval(cell)]
        body.append(line)
    counts = []
    chart_rows = []
    for wave in waves:
        found = [cells.get(ALL, wave, option) for option in options]
        shown = [f for f in found if f is not None and f is not PROTECTED]
        if not shown or any(f is PROTECTED for f in found):
            continue
        n = int(shown[0]["n"])
        counts.append(f"{wave}: {format_number(n, 0)}")
        chart_rows.append((wave, [0.0 if f is None else float(_value(f, "andel") or 0.0) for f in found], n))
    notes = [hidden_note(results.min_n)] if any(PROTECTED in line for line in body) else []
    who = "svarande" if not multiple else "svarande som besvarade frågan"
    if counts:
        notes.append(f"Antal {who} (n): {'; '.join(counts)}.")
    if multiple:
        notes.append("Andelen är räknad på dem som besvarade frågan. En person kan välja flera alternativ, så andelarna summerar inte till 100 %.")
    notes.append(_INTERVAL_NOTE)
    table = Table(f"{question.text}: andel som valde varje alternativ per enkät, alla svarande", columns, body, notes)
    blocks: list = [Paragraphs(choice_sentences(question.text, options, waves, everyone, tests, multiple))]
    if not multiple and chart_rows:
        blocks.append(describe(StackedChart(f"{question.text}: svarsfördelning per enkät, alla svarande", options, chart_rows), table.caption))
    blocks.append(table)
    return blocks + _optional(_tests_table(tests, f"{question.text}: förändringar mellan enkäterna, alla svarande", True))


def _numeric(results: SurveyResults, question, tables: dict[str, pd.DataFrame], organisation: str | None = None) -> list:
    waves = results.survey.waves
    rows = tables["numeric"][tables["numeric"]["fraga"] == question.id]
    tests = _question_tests(tables["numeric_tests"], question.id)
    if rows.empty:
        return [Paragraphs(["Det finns inga svar att redovisa för frågan."])]
    cells = _Cells(rows, _hidden_groups(results), option=False)
    body = []
    for group in _groups(results, rows, organisation):
        for wave in waves:
            cell = cells.get(group, wave)
            if cell is not None:
                body.append([group, wave, *(_value(cell, c) for c in ("n", "medel", "sd", "median", "q1", "q3"))])
    columns = [Column("Grupp"), Column("Enkät"), Column("n", COUNT), Column("Medelvärde", MEAN), Column("Standardavvikelse", MEAN),
               Column("Median", MEAN), Column("Nedre kvartil", MEAN), Column("Övre kvartil", MEAN)]  # fmt: skip
    notes = [hidden_note(results.min_n)] if any(PROTECTED in line for line in body) else []
    notes.append("En fjärdedel av svaren ligger under den nedre kvartilen och en fjärdedel över den övre.")
    table = Table(f"{question.text}: svaren per grupp och enkät", columns, body, notes)
    sentences = numeric_sentences(question.text, waves, rows[rows["grupp"] == ALL], tests)
    return [Paragraphs(sentences), table, *_optional(_tests_table(tests, f"{question.text}: förändringar mellan enkäterna, alla svarande", False))]


_BUILDERS = {"janej": _yes_no, "enval": _choice, "flerval": _choice, "numerisk": _numeric}


def item_blocks(results: SurveyResults, organisation: str | None = None) -> list:
    """A subsection per question type the instrument has (:data:`KIND_TITLES`), with one subsection per question.

    ``organisation`` (the web page's filter) keeps "Alla" and that organisation
    in the tables per group (yes/no and number questions); the choice
    questions are shown for all respondents either way, as in the report.
    """
    instrument = results.survey.instrument
    tables = item_tables(results)
    blocks = []
    for kind, title in KIND_TITLES.items():
        questions = [q for q in instrument.questions if q.kind == kind]
        if questions:
            blocks.append(Subsection(title, [Subsection(q.text, _BUILDERS[kind](results, q, tables, organisation)) for q in questions]))
    return blocks
