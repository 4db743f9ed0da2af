"""The staff-survey report's sections for yes/no, choice and number questions, and the labels of every scale.

Built from the hand-made tables of :mod:`tests.report.item_tables`, so the
tests know every number; nothing here reads survey files.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from slutrapport.report.blocks.items import KIND_TITLES, item_blocks
from slutrapport.report.blocks.survey import index_blocks, survey_blocks
from slutrapport.report.comparison import comparison_report, survey_tables
from slutrapport.report.model import PROTECTED, Chart, DivergingChart, Hidden, Paragraphs, StackedChart, Subsection, Table
from tests.report import item_tables
from tests.report.item_tables import WAVES


@pytest.fixture
def results(tmp_path):
    return item_tables.results(tmp_path)


def _question(results, title: str) -> list:
    """The blocks of the question subsection titled ``title``."""
    for kind in item_blocks(results):
        for question in kind.blocks:
            if question.title == title:
                return question.blocks
    raise AssertionError(title)


def _strings(value) -> list[str]:
    """Every text in a block tree (titles, captions, column labels, cells, notes, sentences)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)):
        return [s for item in value for s in _strings(item)]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [s for f in dataclasses.fields(value) if f.name not in ("png", "data") for s in _strings(getattr(value, f.name))]
    return []


def test_one_subsection_per_question_type_in_order_with_one_per_question(results):
    blocks = item_blocks(results)
    assert [b.title for b in blocks] == list(KIND_TITLES.values())
    assert [[q.title for q in b.blocks] for b in blocks] == [
        ["Har du deltagit i en utbildning inom projektet?"],
        ["Vilken är din roll?"],
        ["Hur håller du kontakten?"],
        ["Hur många timmar i veckan ägnar du åt samverkan?"],
    ]
    section = survey_blocks(results)
    titles = [b.title for b in section if isinstance(b, Subsection)]
    assert titles[-4:] == list(KIND_TITLES.values())  # after the indices (no free-text question here)


def test_yes_no_shows_the_share_answering_yes_with_its_interval_per_group_and_wave(results):
    sentences, table, tests = _question(results, "Har du deltagit i en utbildning inom projektet?")
    assert isinstance(sentences, Paragraphs) and "ökade från 40\u00a0% i enkät 1 till 65\u00a0% i enkät 3" in sentences.texts[0]
    assert [c.label for c in table.columns[:4]] == ["Grupp", "Andel ja", "95 % KI", "n"]
    assert [c.group for c in table.columns[1::3]] == WAVES
    everyone = table.rows[0]
    assert everyone[0] == "Alla" and everyone[1::3] == [0.40, 0.52, 0.65] and everyone[3::3] == [40, 42, 44]
    low, high = everyone[2]
    assert low < 0.40 < high
    org_b = next(row for row in table.rows if row[0] == "Org B")
    assert org_b[4:7] == [PROTECTED] * 3  # hidden in the comparison at Enkät 2
    assert org_b[1] == 0.35 and org_b[7] == 0.60
    assert any(note.startswith("– = skyddat") for note in table.notes)
    assert not any("Org B" in note for note in table.notes)  # a hidden cell never says why
    assert isinstance(tests, Table) and tests.rows[0][:2] == ["Enkät 1 → Enkät 3", "McNemars test"]
    assert tests.rows[0][4] == "primär (Holm)" and tests.rows[0][-1] == "ökning"


def test_a_group_marked_undertryckt_in_the_item_table_is_protected(results):
    marked = results.shares.assign(undertryckt=(results.shares["grupp"] == "Org A") & (results.shares["enkat"] == "Enkät 1"))
    marked.loc[marked["undertryckt"], ["andel", "n", "antal", "andel_lag", "andel_hog"]] = None
    results.shares = marked
    _, table, _ = _question(results, "Har du deltagit i en utbildning inom projektet?")
    org_a = next(row for row in table.rows if row[0] == "Org A")
    assert org_a[1:4] == [PROTECTED] * 3 and org_a[4] == 0.50


def test_single_choice_is_a_stacked_bar_per_wave_and_a_table(results):
    sentences, chart, table, tests = _question(results, "Vilken är din roll?")
    assert isinstance(chart, StackedChart)
    assert chart.categories == ["Handläggare", "Chef", "Annan roll"]
    assert [(label, n) for label, _, n in chart.rows] == list(zip(WAVES, (40, 42, 44), strict=True))
    assert chart.rows[2][1] == pytest.approx([0.50, 0.30, 0.20])
    assert [row[0] for row in table.rows] == ["Handläggare", "Chef", "Annan roll"]
    assert table.rows[1][1:3] == [8, 0.20] and isinstance(table.rows[1][3], tuple) and table.rows[1][8] == 0.30
    assert "Antal svarande (n): Enkät 1: 40; Enkät 2: 42; Enkät 3: 44." in table.notes
    assert "Ingen av skillnaderna" in sentences.texts[0]
    assert tests.rows[0][:2] == ["Alla enkäter", "Alla alternativ"] and tests.rows[0][-2] == "Cramérs V"


def test_multiple_choice_is_a_table_of_shares_of_respondents_that_do_not_sum_to_100(results):
    blocks = _question(results, "Hur håller du kontakten?")
    assert not any(isinstance(b, StackedChart) for b in blocks)
    sentences, table, _ = blocks
    assert [row[0] for row in table.rows] == ["Telefon", "E-post", "Möten"]
    assert sum(row[2] for row in table.rows) > 1  # shares of respondents, per option
    assert any("summerar inte till 100 %" in note for note in table.notes)
    assert sentences.texts[0].startswith("Andelen som valde ”Möten” på ”Hur håller du kontakten?” ökade")


def test_a_number_question_has_n_mean_median_and_quartiles_per_group_and_wave(results):
    sentences, table, tests = _question(results, "Hur många timmar i veckan ägnar du åt samverkan?")
    assert [c.label for c in table.columns] == ["Grupp", "Enkät", "n", "Medelvärde", "Standardavvikelse", "Median", "Nedre kvartil", "Övre kvartil"]
    assert table.rows[2] == ["Alla", "Enkät 3", 44, 4.4, 2.0, 4.0, 3.0, 6.0]
    assert ["Org B", "Enkät 2", *[PROTECTED] * 6] in table.rows
    assert "var högre i enkät 3 än i enkät 1" in sentences.texts[0]
    assert [row[0] for row in tests.rows] == ["Enkät 1 → Enkät 3", "Enkät 1 → Enkät 2"]


def test_option_codes_in_the_tables_are_shown_as_the_options_labels(results):
    codes = {"Handläggare": 1, "Chef": 2, "Annan roll": 3}
    table = results.shares
    role = table["fraga"] == "e1"
    results.shares = table.assign(alternativ=[codes[a] if r else a for a, r in zip(table["alternativ"], role, strict=True)])
    _, chart, table, _ = _question(results, "Vilken är din roll?")
    assert chart.categories == ["Handläggare", "Chef", "Annan roll"] and [row[0] for row in table.rows] == chart.categories


def test_results_without_the_item_tables_still_give_a_report(tmp_path):
    bare = item_tables.results(tmp_path, with_items=False)
    for name in ("shares", "share_tests", "numeric", "numeric_tests"):
        if hasattr(bare, name):  # the analysis may give the attribute an empty default
            assert getattr(bare, name).empty
    blocks = item_blocks(bare)
    assert [b.title for b in blocks] == list(KIND_TITLES.values())
    assert all(q.blocks == [Paragraphs(["Det finns inga svar att redovisa för frågan."])] for b in blocks for q in b.blocks)
    assert set(survey_tables(bare)) == {"jamforelse", "forandringar", "reliabilitet", "gruppskillnader"}
    assert {"andelar", "andelstest", "talfragor", "talfragor_test"} <= set(survey_tables(item_tables.results(tmp_path)))


# ---------------------------------------------------------------- labels and axes of several scales


def test_the_trend_chart_uses_the_index_scales_range(results):
    charts = {index_id: next(b for b in index_blocks(results, index_id) if isinstance(b, Chart)) for index_id in ("a", "b")}
    assert (charts["a"].y_min, charts["a"].y_max) == (1, 5)
    assert (charts["b"].y_min, charts["b"].y_max) == (1, 10)  # not the default scale's 1–5


def test_distributions_use_each_questions_own_scale_and_never_print_none(results):
    section = survey_blocks(results)
    grades = next(b for b in section if isinstance(b, Subsection) and b.title == "Betygsindex")
    chart = next(b for b in grades.blocks if isinstance(b, DivergingChart))
    assert chart.categories == ["1 (Mycket dåligt)", *map(str, range(2, 10)), "10 (Mycket bra)"]
    table = next(b for b in grades.blocks if isinstance(b, Table) and "svarsfördelning" in b.caption)
    assert [c.label for c in table.columns[2:-1]] == chart.categories
    agree = next(b for b in section if isinstance(b, Subsection) and b.title == "Index A")
    assert next(b for b in agree.blocks if isinstance(b, DivergingChart)).categories[0] == "Instämmer inte alls"
    texts = _strings(comparison_report(results).sections)
    assert not any("None" in text for text in texts)
    method = next(t for t in texts if t.startswith("Enkäten ”Alla frågetyper”"))
    assert "från 1 (Mycket dåligt) till 10 (Mycket bra), där andel positiva är andelen svar 7–10 (10 = Mycket bra)" in method
    assert any("minst 4 (Index A) och minst 7 (Betygsindex)" in t for t in texts)


def test_hidden_cells_in_the_item_sections_are_protected_and_nothing_else(results):
    cells = [cell for b in item_blocks(results) for q in b.blocks for t in q.blocks if isinstance(t, Table) for row in t.rows for cell in row]
    hidden = [cell for cell in cells if isinstance(cell, Hidden)]
    assert hidden and all(cell == PROTECTED for cell in hidden)
    assert not any(isinstance(cell, float) and pd.isna(cell) for cell in cells)
