"""The self-evaluation's comparison: numbers against hand-computed values, anonymity, texts, report blocks."""

from __future__ import annotations

import json
import math
import re
import shutil

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from scipy import stats

from slutrapport.analysis.selfeval import SELFEVAL_COLUMNS, TEXT_COLUMNS, analyse_self_evaluation, form_counts, reporting_roles
from slutrapport.cli import cli
from slutrapport.project.templates import load_template
from slutrapport.render import render_bundle, render_excel, render_html
from slutrapport.report.blocks.selfeval import selfeval_blocks
from slutrapport.report.model import PROTECTED, Chart, Hidden, Paragraphs, Report, Section, Subsection, Table
from slutrapport.sources.forms.definition import load_definition
from slutrapport.sources.forms.read import ANSWER_COLUMNS, FORM_COLUMNS, FormData
from slutrapport.wording.selfeval import selfeval_paragraphs
from tests.conftest import SAMPLES

MINI = """\
id: mini_sv
namn: Mini-självvärdering
version: 1
skala:
  varden: {1: Låg, 2: Ganska låg, 3: Mellan, 4: Ganska hög, 5: Hög}
  saknas: [Vet ej]
roller: [Projektledare, Styrgrupp, Handläggare]
tillfallen: [Start, Slut]
avsnitt:
  - id: styrning
    rubrik: Styrning
    fragor:
      - {id: s1, text: "Styr styrgruppen projektet?"}
      - {id: s2, text: "Fattas besluten i tid?"}
      - {id: s_text, typ: fritext, text: "Hur fungerar styrningen?"}
  - id: forankring
    rubrik: Förankring
    fragor:
      - {id: f1, text: "Är projektet förankrat?"}
      - {id: f_text, typ: fritext, text: "Vad har gjorts för förankringen?"}
"""

HL, SG, PL = "Handläggare", "Styrgrupp", "Projektledare"
#: (file, role, occasion, answers); "Vet ej" is outside the scale, a missing key is unanswered.
FORMS = [
    ("Anna Andersson.xlsx", HL, "Start", {"s1": 4, "s2": 3, "f1": 4, "s_text": "Bra styrning"}),
    ("hl2.xlsx", HL, "Start", {"s1": 4, "s2": "Vet ej", "f1": 3, "s_text": "Tydliga beslut"}),
    ("hl3.xlsx", HL, "Start", {"s1": 5, "s2": 4, "f1": 5}),
    ("hl4.xlsx", HL, "Start", {"s1": 3, "f1": 2}),
    ("sg1.xlsx", SG, "Start", {"s1": 2, "s2": 2, "f1": 3, "s_text": "Vi styr för lite"}),
    ("sg2.xlsx", SG, "Start", {"s1": 3, "s2": 2, "f1": 3}),
    ("sg3.xlsx", SG, "Start", {"s1": 2, "s2": 3, "f1": 4}),
    ("pl1.xlsx", PL, "Start", {"s1": 5, "s2": 4, "f1": 2, "s_text": "Jag styr själv"}),
    ("hl5.xlsx", HL, "Slut", {"s1": 4, "s2": 4, "f1": 4, "s_text": "Bättre nu."}),
    ("hl6.xlsx", HL, "Slut", {"s1": 5, "s2": 5, "f1": 4, "s_text": "Bättre nu."}),
    ("hl7.xlsx", HL, "Slut", {"s1": 4, "s2": 3, "f1": 5}),
    ("sg4.xlsx", SG, "Slut", {"s1": 3, "s2": 4, "f1": 4, "s_text": "Styrgruppen tar ansvar."}),
    ("sg5.xlsx", SG, "Slut", {"s1": 4, "s2": 4, "f1": 3, "f_text": "Förankrat i ledningen."}),
    ("pl2.xlsx", PL, "Slut", {"s1": 4, "s2": 5, "f1": 5, "s_text": "Mer stöd från styrgruppen."}),
]
MIN_N = 3


def make_data(definition, forms) -> FormData:
    """FormData as read_forms builds it, from (file, role, occasion, answers)."""
    form_rows, answer_rows = [], []
    for number, (name, role, occasion, answers) in enumerate(forms, start=1):
        form_rows.append((number, name, role, occasion, None))
        for q in definition.questions:
            value = answers.get(q.id)
            if value is None:
                status, rating, text = "tomt", np.nan, None
            elif value == "Vet ej":
                status, rating, text = "saknas", np.nan, None
            elif q.kind == "skala":
                status, rating, text = "svar", float(value), None
            else:
                status, rating, text = "svar", np.nan, value
            answer_rows.append((number, name, role, occasion, q.section, q.id, q.kind, status, rating, text))
    return FormData(definition, pd.DataFrame(form_rows, columns=FORM_COLUMNS), pd.DataFrame(answer_rows, columns=ANSWER_COLUMNS))


@pytest.fixture(scope="module")
def mini(tmp_path_factory):
    path = tmp_path_factory.mktemp("def") / "mini.yaml"
    path.write_text(MINI, encoding="utf-8")
    return load_definition(path)


@pytest.fixture(scope="module")
def results(mini):
    return analyse_self_evaluation(make_data(mini, FORMS), MIN_N)


def cell(table: pd.DataFrame, **where) -> pd.Series:
    rows = table
    for column, value in where.items():
        rows = rows[rows[column] == value]
    assert len(rows) == 1, where
    return rows.iloc[0]


# -- counts and roles -----------------------------------------------------------------------------------------


def test_small_roles_are_hidden_or_merged_and_alla_is_protected(results):
    counts = results.counts
    shown = {(r.roll, r.tillfalle): None if r.undertryckt else int(r.n) for r in counts.itertuples()}
    assert shown == {
        # Start: 4 HL, 3 SG, 1 PL. PL (1 < 3) is hidden; SG is hidden too, since Alla 8 − HL 4 − SG 3 = PL 1.
        # HL has only 2 ratings of s2 at Start, so the ratings hide HL in the whole occasion, and counts follow.
        ("Alla", "Start"): 8,
        (PL, "Start"): None,
        (SG, "Start"): None,
        (HL, "Start"): None,
        # Slut: 3 HL, 2 SG, 1 PL. SG and PL are both small and together 2 + 1 = 3 ≥ 3: merged
        ("Alla", "Slut"): 6,
        (HL, "Slut"): 3,
        ("Övriga roller", "Slut"): 3,
    }
    assert results.occasions == ["Start", "Slut"]
    assert list(counts.columns) == ["roll", "tillfalle", "n", "undertryckt"]  # never why a cell is hidden
    assert counts.loc[counts["undertryckt"], "n"].isna().all()


def test_blank_role_is_its_own_group(mini):
    forms = [(f"x{i}.xlsx", None if i < 3 else HL, "Start", {"s1": 3}) for i in range(6)]
    data = make_data(mini, forms)
    groups = reporting_roles(data.forms, 3)
    assert groups.tolist() == ["Ej angiven"] * 3 + [HL] * 3
    counts = form_counts(data.forms, groups, mini, 3)
    assert counts[["roll", "n"]].astype(str).values.tolist() == [["Alla", "6"], ["Handläggare", "3"], ["Ej angiven", "3"]]


# -- ratings against hand-computed values -----------------------------------------------------------------


def test_question_cells_against_hand_computed_values(results):
    ratings = results.ratings
    assert list(ratings.columns[: len(SELFEVAL_COLUMNS)]) == SELFEVAL_COLUMNS
    s1 = cell(ratings, niva="fraga", id="s1", roll="Alla", tillfalle="Start")
    # 4, 4, 5, 3, 2, 3, 2, 5: sum 28 / 8 = 3.5; sorted 2 2 3 3 | 4 4 5 5 → median (3 + 4) / 2 = 3.5
    assert (s1["n"], s1["medel"], s1["median"], s1["text"]) == (8, 3.5, 3.5, "Styr styrgruppen projektet?")
    # scipy reference: stats.t.interval(0.95, df=7, loc=3.5, scale=stats.sem([4, 4, 5, 3, 2, 3, 2, 5]))
    low, high = stats.t.interval(0.95, df=7, loc=3.5, scale=stats.sem([4, 4, 5, 3, 2, 3, 2, 5]))
    assert (s1["ci_lag"], s1["ci_hog"]) == pytest.approx((low, high))
    hl = cell(ratings, niva="fraga", id="s1", roll=HL, tillfalle="Slut")
    assert (hl["n"], hl["medel"], hl["median"]) == (3, pytest.approx(13 / 3), 4.0)  # 4, 5, 4: 13 / 3; sorted 4 4 5
    # s2 at Start: HL 3, (Vet ej), 4, (blank) → only 2 ratings: HL is hidden in every cell of Start, also s1
    # (4 ratings), since its s1 and section means would otherwise give away its hidden s2 ratings
    s2 = cell(ratings, niva="fraga", id="s2", roll="Alla", tillfalle="Start")
    assert (s2["n"], s2["medel"], s2["median"]) == (6, 3.0, 3.0)  # 3 4 2 2 3 4: 18 / 6; sorted 2 2 3 | 3 4 4
    for item in ("s1", "s2", "f1"):
        hidden = cell(ratings, niva="fraga", id=item, roll=HL, tillfalle="Start")
        assert hidden["undertryckt"] and pd.isna(hidden["n"]) and pd.isna(hidden["medel"]) and pd.isna(hidden["sd"])
    assert "orsak" not in ratings.columns
    f1 = cell(ratings, niva="fraga", id="f1", roll="Alla", tillfalle="Start")
    assert (f1["n"], f1["medel"], f1["median"]) == (8, 3.25, 3.0)  # 4 3 5 2 3 3 4 2: 26 / 8; sorted 2 2 3 3 | 3 4 4 5
    merged = cell(ratings, niva="fraga", id="s2", roll="Övriga roller", tillfalle="Slut")
    assert (merged["n"], merged["medel"], merged["median"]) == (3, pytest.approx(13 / 3), 4.0)  # SG 4, 4 + PL 5


def test_section_scores_against_hand_computed_values(results):
    ratings = results.ratings
    # A form's Styrning score: mean of its s1, s2 when at least one of the two is rated.
    # Start: HL (4+3)/2 = 3.5, 4 (s2 "Vet ej"), (5+4)/2 = 4.5, 3 (s2 blank); SG 2, 2.5, 2.5; PL 4.5
    # Alla: 26.5 / 8 = 3.3125; sorted 2 2.5 2.5 3 | 3.5 4 4.5 4.5 → median 3.25
    start = cell(ratings, niva="avsnitt", id="styrning", roll="Alla", tillfalle="Start")
    assert (start["n"], start["medel"], start["median"], start["text"]) == (8, 3.3125, 3.25, "Styrning")
    assert cell(ratings, niva="avsnitt", id="styrning", roll=HL, tillfalle="Start")["undertryckt"]  # see above
    hl = cell(ratings, niva="avsnitt", id="styrning", roll=HL, tillfalle="Slut")
    assert (hl["n"], hl["medel"], hl["median"]) == (3, pytest.approx(12.5 / 3), 4.0)  # 4 + 5 + 3.5; sorted 3.5 4 | 5
    # Slut: HL 4, 5, 3.5; SG 3.5, 4; PL 4.5 → Alla 24.5 / 6; sorted 3.5 3.5 4 | 4 4.5 5 → median 4
    end = cell(ratings, niva="avsnitt", id="styrning", roll="Alla", tillfalle="Slut")
    assert (end["n"], end["medel"], end["median"]) == (6, pytest.approx(24.5 / 6), 4.0)
    others = cell(ratings, niva="avsnitt", id="styrning", roll="Övriga roller", tillfalle="Slut")
    assert (others["n"], others["medel"]) == (3, 4.0)  # 3.5 + 4 + 4.5 = 12 / 3
    # a section with one rating question equals that question
    section = cell(ratings, niva="avsnitt", id="forankring", roll="Alla", tillfalle="Slut")
    assert (section["n"], section["medel"]) == (6, pytest.approx(25 / 6))  # 4 4 5 4 3 5


def test_section_score_needs_half_of_the_questions(mini):
    data = make_data(mini, [("a.xlsx", HL, "Start", {"s1": 5}), ("b.xlsx", HL, "Start", {"s2": "Vet ej"})])
    ratings = analyse_self_evaluation(data, 1).ratings
    # form a: 1 of 2 rated (half) → 5; form b: 0 of 2 → no score
    assert cell(ratings, niva="avsnitt", id="styrning", roll="Alla", tillfalle="Start")[["n", "medel"]].tolist() == [1, 5.0]
    empty = cell(ratings, niva="fraga", id="s2", roll="Alla", tillfalle="Start")
    assert empty["n"] == 0 and pd.isna(empty["medel"]) and not empty["undertryckt"]


def test_a_role_hidden_at_an_occasion_is_hidden_in_every_cell(results):
    ratings = results.ratings
    for role in (SG, PL, HL):
        rows = ratings[(ratings["roll"] == role) & (ratings["tillfalle"] == "Start")]
        assert len(rows) == 5 and rows["undertryckt"].all() and rows[["n", "medel", "median"]].isna().all().all()
    # SG has 3 ratings of s2 (enough on its own) but stays hidden: its section and question means together
    # would otherwise give away what is hidden elsewhere
    assert cell(ratings, niva="fraga", id="s2", roll=SG, tillfalle="Start")["undertryckt"]
    assert not ratings.loc[ratings["tillfalle"] == "Slut", "undertryckt"].any()


@pytest.mark.parametrize("seed", range(12))
def test_alla_never_reveals_a_hidden_role(mini, seed):
    """For random projects: hidden roles of a cell hold ≥ min_n ratings, or everything is hidden."""
    rng = np.random.default_rng(seed)
    roles = [PL, SG, HL, None]
    forms = []
    for occasion in ("Start", "Slut"):
        for number in range(int(rng.integers(3, 16))):
            answers = {q: int(rng.integers(1, 6)) for q in ("s1", "s2", "f1") if rng.random() > 0.15}
            forms.append((f"{occasion}{number}.xlsx", roles[int(rng.choice(4, p=[0.1, 0.25, 0.55, 0.1]))], occasion, answers))
    min_n = int(rng.integers(2, 6))
    results = analyse_self_evaluation(make_data(mini, forms), min_n)
    raw = analyse_self_evaluation(make_data(mini, forms), 1).ratings  # the true n of every cell
    true_n = {(r.niva, r.id, r.roll, r.tillfalle): int(r.n) for r in raw.itertuples()}
    for (niva, item, occasion), cells in results.ratings.groupby(["niva", "id", "tillfalle"]):
        everyone = cells[cells["roll"] == "Alla"].iloc[0]
        hidden = cells[(cells["roll"] != "Alla") & cells["undertryckt"]]
        hidden_n = sum(true_n.get((niva, item, r, occasion), 0) for r in hidden["roll"])
        if not everyone["undertryckt"] and hidden_n > 0:
            assert hidden_n >= min_n, (niva, item, occasion)
        shown = cells[~cells["undertryckt"]]
        assert (shown["n"] >= min_n).all() or (shown["n"] == 0).any() or shown.empty
    hidden_roles = {(r.roll, r.tillfalle) for r in results.counts.itertuples() if r.undertryckt}
    for r in results.ratings.itertuples():
        if (r.roll, r.tillfalle) in hidden_roles:
            assert r.undertryckt


# -- texts ----------------------------------------------------------------------------------------------------


def test_free_texts_in_order_with_role_and_without_hidden_roles(results):
    texts = results.texts
    assert list(texts.columns) == TEXT_COLUMNS
    rows = [(r.fraga, r.tillfalle, r.roll if isinstance(r.roll, str) else None, r.text, r.antal) for r in texts.itertuples()]
    # every role is hidden at Start: the texts carry no role
    assert sorted(rows[:4], key=lambda r: r[3]) == [
        ("s_text", "Start", None, "Bra styrning", 1), ("s_text", "Start", None, "Jag styr själv", 1),
        ("s_text", "Start", None, "Tydliga beslut", 1), ("s_text", "Start", None, "Vi styr för lite", 1),
    ]  # fmt: skip
    assert rows[4] == ("s_text", "Slut", HL, "Bättre nu.", 2)  # the same text from two forms
    assert sorted(rows[5:7], key=lambda r: r[3]) == [
        ("s_text", "Slut", "Övriga roller", "Mer stöd från styrgruppen.", 1),
        ("s_text", "Slut", "Övriga roller", "Styrgruppen tar ansvar.", 1),
    ]
    assert rows[7:] == [("f_text", "Slut", "Övriga roller", "Förankrat i ledningen.", 1)]


def test_free_texts_grouped_per_question_and_role_each_answer_once_with_its_count(mini):
    slut = ["Bra samarbete", "Bra samarbete", "bra samarbete.", "Bra  samarbete", "Mer tid behövs", None]
    forms = [(f"hl{i}.xlsx", HL, "Slut", {"s1": 4, **({"s_text": t} if t else {})}) for i, t in enumerate(slut)]
    forms += [(f"sg{i}.xlsx", SG, "Slut", {"s1": 3, "s_text": "Bra samarbete"}) for i in range(3)]
    # Start: Projektledare (2 forms) is hidden, and Handläggare (3) with it so the two cannot be told apart
    forms += [(f"pl{i}.xlsx", PL, "Start", {"s1": 3, "s_text": "Bra samarbete"}) for i in range(2)]
    forms += [(f"hs{i}.xlsx", HL, "Start", {"s1": 3, "s_text": t}) for i, t in enumerate(["Bra samarbete", "Oklart", "Oklart"])]
    results = analyse_self_evaluation(make_data(mini, forms), 3)
    rows = [(r.tillfalle, r.roll if isinstance(r.roll, str) else None, r.text, r.antal) for r in results.texts.itertuples()]
    assert rows == [
        ("Start", None, "Bra samarbete", 3),  # the hidden roles' answers together, without a role
        ("Start", None, "Oklart", 2),
        ("Slut", SG, "Bra samarbete", 3),  # roles in the definition's order; the same answer of another role is that role's
        ("Slut", HL, "Bra samarbete", 4),  # spaces, case and a closing full stop do not make another answer
        ("Slut", HL, "Mer tid behövs", 1),
    ]
    [question] = [b for b in _walk(selfeval_blocks(results)) if isinstance(b, Subsection) and b.title == "Hur fungerar styrningen?"]
    assert [(b.title, b.items) for b in question.blocks] == [
        ("Start, roll visas inte", ["Bra samarbete (3)", "Oklart (2)"]),
        ("Slut, Styrgrupp", ["Bra samarbete (3)"]),
        ("Slut, Handläggare", ["Bra samarbete (4)", "Mer tid behövs"]),
    ]
    [empty] = [b for b in _walk(selfeval_blocks(results)) if isinstance(b, Subsection) and b.title == "Vad har gjorts för förankringen?"]
    assert empty.blocks == [Paragraphs(["Inga svar."])]


# -- wording and blocks ---------------------------------------------------------------------------------------


def test_summary_sentences_from_the_numbers(results):
    [text] = selfeval_paragraphs(results.ratings, results.counts, results.occasions, (1, 5), MIN_N)
    # Slut: Förankring 25/6 = 4,17 → 4,2; Styrning 24,5/6 = 4,08 → 4,1.
    # Start → Slut: Styrning 3,3125 → 4,0833 (+0,77); Förankring 3,25 → 4,1667 (+0,92), the largest rise;
    # 3,25 is written 3,2 (round half to even, as format_number does everywhere).
    assert text == (
        "Självvärderingen har fyllts i vid 2 tillfällen: 8 formulär vid Start och 6 formulär vid Slut. "
        "Vid Slut fick ”Förankring” det högsta medelbetyget (4,2) och ”Styrning” det lägsta (4,1), på skalan 1–5. "
        "Mellan Start och Slut steg medelbetyget mest för ”Förankring” (från 3,2 till 4,2). Skillnaderna beskriver "
        "svaren och är inte prövade statistiskt; de som fyller i formuläret vid olika tillfällen behöver inte vara "
        "samma personer."
    )


def test_summary_names_hidden_counts_and_unchanged_means(mini):
    forms = [(f"{i}.xlsx", HL, "Start", {"s1": 3, "f1": 4}) for i in range(2)]
    forms += [(f"s{i}.xlsx", HL, "Slut", {"s1": 3, "f1": 4}) for i in range(4)]
    results = analyse_self_evaluation(make_data(mini, forms), 3)
    [text] = selfeval_paragraphs(results.ratings, results.counts, results.occasions, (1, 5), 3)
    # Start (2 forms) is hidden, so there is nothing to compare with; Slut: Styrning 3 (s1 only), Förankring 4
    assert text == (
        "Självvärderingen har fyllts i vid 2 tillfällen: färre än 3 formulär vid Start och 4 formulär vid Slut. "
        "Vid Slut fick ”Förankring” det högsta medelbetyget (4,0) och ”Styrning” det lägsta (3,0), på skalan 1–5."
    )
    same = [(f"{o}{i}.xlsx", HL, o, {"s1": 3, "f1": 4}) for o in ("Start", "Slut") for i in range(3)]
    results = analyse_self_evaluation(make_data(mini, same), 3)
    [text] = selfeval_paragraphs(results.ratings, results.counts, results.occasions, (1, 5), 3)
    assert text.endswith("Mellan Start och Slut är medelbetygen för avsnitten i stort sett oförändrade.")


def _walk(blocks):
    for block in blocks:
        yield block
        if isinstance(block, Subsection):
            yield from _walk(block.blocks)


def test_blocks_show_tables_chart_and_texts_without_file_names(results):
    blocks = selfeval_blocks(results)
    assert isinstance(blocks[0], Subsection) and blocks[0].title == "Självvärdering"
    titles = [b.title for b in _walk(blocks) if isinstance(b, Subsection)]
    assert titles == [
        "Självvärdering", "Om självvärderingen", "Betyg per avsnitt", "Betyg per fråga", "Fritextsvar per avsnitt",
        "Styrning", "Hur fungerar styrningen?", "Förankring", "Vad har gjorts för förankringen?",
    ]  # fmt: skip
    tables = {b.caption: b for b in _walk(blocks) if isinstance(b, Table)}
    counts = tables["Ifyllda formulär per roll och tillfälle"]
    assert [c.label for c in counts.columns] == ["Roll", "Start", "Slut"]
    assert counts.rows[0] == ["Alla", 8, 6] and counts.rows[3] == [HL, PROTECTED, 3]
    assert counts.rows[1][1] == PROTECTED and counts.rows[1][2] is None  # PL: hidden, then merged
    section = tables["Medelbetyg per avsnitt och tillfälle, alla roller"]
    assert section.rows[0][:4] == ["Styrning", 3.3125, 3.25, 8]
    roles = tables["Medelbetyg per avsnitt, roll och tillfälle"]
    assert [(c.group, c.label) for c in roles.columns[1:]] == [
        ("Start", "Alla"), ("Start", PL), ("Start", SG), ("Start", HL), ("Slut", "Alla"), ("Slut", HL), ("Slut", "Övriga roller"),
    ]  # fmt: skip
    assert roles.rows[0][2] == roles.rows[0][4] == PROTECTED and roles.rows[0][6] == pytest.approx(12.5 / 3)
    hidden = [v for b in _walk(blocks) if isinstance(b, Table) for r in b.rows for v in r if isinstance(v, Hidden)]
    assert hidden and set(hidden) == {PROTECTED}  # one neutral word, never a reason
    [chart] = [b for b in _walk(blocks) if isinstance(b, Chart)]
    assert set(chart.data["grupp"]) == {"Styrning", "Förankring"} and chart.waves == ["Start", "Slut"]
    [question] = [b for b in _walk(blocks) if isinstance(b, Subsection) and b.title == "Hur fungerar styrningen?"]
    lists = {b.title: b.items for b in question.blocks}  # one list per occasion and role, each answer once
    assert list(lists) == ["Start, roll visas inte", "Slut, Handläggare", "Slut, Övriga roller"]
    assert "Jag styr själv" in lists["Start, roll visas inte"] and lists["Slut, Handläggare"] == ["Bättre nu. (2)"]
    report = Report(title="T", subtitle="", facts={}, sections=[Section(id="a", number="1", title="A", blocks=blocks)], generated="2026-01-01")
    html = render_html(report)
    assert "Anna Andersson" not in html and ".xlsx" not in html


def test_hostile_free_text_stays_text(mini, tmp_path):
    hostile = ["<script>alert(1)</script>", '=HYPERLINK("http://evil.example","klicka")', "+46 70 123 45 67", "@kollegor"]
    forms = [(f"{i}.xlsx", HL, "Start", {"s1": 4, "s_text": hostile[i % 4]}) for i in range(8)]
    blocks = selfeval_blocks(analyse_self_evaluation(make_data(mini, forms), 3))
    report = Report(title="T", subtitle="", facts={}, sections=[Section(id="a", number="1", title="A", blocks=blocks)], generated="2026-01-01")
    html = render_html(report)
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    path = tmp_path / "r.xlsx"
    path.write_bytes(render_excel(report))
    cells = [c for ws in load_workbook(path).worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not any(c.data_type == "f" for c in cells)
    assert any(c.value == hostile[1] + " (2)" for c in cells)


# -- the report -------------------------------------------------------------------------------------------------


def test_templates_place_the_block_where_the_process_is_described():
    templates = ("rar-slutrapport", "socialstyrelsen-kompetens", "extern-utvardering")
    places = {t: [h.id for h in load_template(t).all_headings() if "sjalvvardering" in h.blocks] for t in templates}
    assert places == {"rar-slutrapport": ["arbetsprocess"], "socialstyrelsen-kompetens": ["uppfoljning"], "extern-utvardering": ["verksamheten"]}


@pytest.fixture(scope="module")
def demo(demo_dir):
    return demo_dir  # `slutrapport demo` built once for the session (the fixture checks its exit code)


def test_demo_shows_the_self_evaluation_under_the_process_heading(demo):
    html = (demo / "rapport.html").read_text(encoding="utf-8")
    process = html[html.index('id="arbetsprocess"') : html.index('id="extern-utvardering"')]
    assert "<h3>Självvärdering</h3>" in process and "Medelbetyg per avsnitt och tillfälle, alla roller" in process
    assert "Självvärderingen har fyllts i vid 2 tillfällen: 12 formulär vid Start och 10 formulär vid Slut." in process
    assert 'alt="Linjediagram: Självvärdering: medelbetyg per avsnitt och tillfälle' in process
    assert "roll visas inte" in process and "Övriga roller" in process
    assert not re.search(r"(start|slut)-\d\d\.xlsx", html)


def test_demo_ratings_in_excel_and_json(demo):
    jsonschema = pytest.importorskip("jsonschema")
    from slutrapport.render.bundle import schema

    wb = load_workbook(demo / "rapport.xlsx")
    sheet = wb["Data självvärdering"]
    assert [c.value for c in sheet[1]] == SELFEVAL_COLUMNS
    bundle = json.loads((demo / "rapport.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema()).validate(bundle)
    table = bundle["tabeller"]["sjalvvardering"]
    assert table["kolumner"] == SELFEVAL_COLUMNS and len(table["rader"]) == sheet.max_row - 1
    rows = [dict(zip(table["kolumner"], r, strict=True)) for r in table["rader"]]
    counts = {(r["roll"], r["tillfalle"]) for r in rows}
    assert counts == {("Alla", "Start"), (PL, "Start"), (SG, "Start"), (HL, "Start"), ("Alla", "Slut"), (HL, "Slut"), ("Övriga roller", "Slut")}
    hidden = [r for r in rows if r["undertryckt"]]
    assert hidden and all(r["n"] is None and r["medel"] is None and r["median"] is None for r in hidden)
    assert {r["roll"] for r in hidden} == {PL, SG}
    shown = [r for r in rows if not r["undertryckt"] and r["n"]]
    assert all(isinstance(r["n"], int) and 1 <= r["medel"] <= 5 for r in shown)
    assert {r["niva"] for r in rows} == {"avsnitt", "fraga"}


def test_bundle_empties_numbers_of_a_hidden_self_evaluation_cell(results):
    table = results.ratings[SELFEVAL_COLUMNS].copy()
    table["medel"] = table["medel"].fillna(9.0)  # a table handed in by mistake with numbers in hidden cells
    report = Report(title="T", subtitle="", facts={}, sections=[], generated="2026-01-01", tables={"sjalvvardering": table})
    data = json.loads(render_bundle(report))
    rows = [dict(zip(SELFEVAL_COLUMNS, r, strict=True)) for r in data["tabeller"]["sjalvvardering"]["rader"]]
    assert all(r["medel"] is None for r in rows if r["undertryckt"])
    assert not math.isnan(sum(r["medel"] for r in rows if not r["undertryckt"] and r["medel"] is not None))


def test_init_project_explains_the_key_and_a_project_without_forms_says_what_is_missing(tmp_path):
    project = tmp_path / "p"
    assert CliRunner().invoke(cli, ["init", str(project)]).exit_code == 0
    config = (project / "projekt.yaml").read_text(encoding="utf-8")
    assert "# sjalvvardering:\n#   mapp: sjalvvardering" in config and "slutrapport form sjalvvardering" in config
    check = CliRunner().invoke(cli, ["check", str(project)])
    assert "✗ 3 Arbetsprocess och metod: text saknas; självvärdering saknas" in check.output
    shutil.copytree(SAMPLES / "sjalvvardering", project / "sjalvvardering")
    (project / "projekt.yaml").write_text(
        config.replace("# sjalvvardering:\n#   mapp: sjalvvardering", "sjalvvardering:\n  mapp: sjalvvardering"), encoding="utf-8"
    )
    check = CliRunner().invoke(cli, ["check", str(project)])
    assert "✓ 3 Arbetsprocess och metod: har beräknat innehåll, ingen egen text ännu\n" in check.output
