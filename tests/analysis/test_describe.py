"""The comparison table against hand-computed values and a direct pandas computation."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from slutrapport.analysis.describe import CONTRACT_COLUMNS, compare_waves, free_text, index_scores
from slutrapport.sources.survey import load_instrument, read_waves
from tests.conftest import LABELS, SAMPLES

WAVE1 = [
    # organisation, kod, q1, q2, q3 (reverse-scored), f1
    ["AF", "a1", 5, 4, 2, "Bra möten"],
    ["AF", "a2", 4, 4, 1, ""],
    ["AF", "a3", 3, "Vet ej", 3, ""],
    ["AF", "a4", 2, "", "", ""],  # one item of three: no index score
    ["AF", "a5", "1 - Instämmer inte alls", 2, 5, ""],
    ["Soc", "s1", 5, 5, 1, ""],
    ["Soc", "s2", "Instämmer helt", 4, 2, "<script>alert(1)</script>"],
    ["Soc", "s3", 4, 4, 2, ""],
    ["Soc", "s4", 4, 3, 3, "=SUMMA(A1:A3)"],
    ["Soc", "s5", 3, 3, 4, ""],
    ["Soc", "s6", 2, "Vet ej", "Vet ej", ""],  # one item of three: no index score
    ["AME", "m1", 4, 4, 2, ""],
    ["AME", "m2", 3, 2, 3, ""],
]


@pytest.fixture
def wave1_table(mini_instrument, write_wave):
    survey = read_waves([write_wave("w1.csv", WAVE1)], load_instrument(mini_instrument))
    return survey, compare_waves(survey, min_n=1)


def _cell(table, niva, item, group, wave="Enkät 1"):
    rows = table[(table["niva"] == niva) & (table["id"] == item) & (table["grupp"] == group) & (table["enkat"] == wave)]
    assert len(rows) == 1, (niva, item, group, wave)
    return rows.iloc[0]


def test_columns_are_the_contract(wave1_table):
    _, table = wave1_table
    assert list(table.columns[: len(CONTRACT_COLUMNS)]) == CONTRACT_COLUMNS
    assert set(table["niva"]) == {"fraga", "index"}
    assert "f1" not in set(table["id"])  # free text is never a number


def test_question_statistics_by_hand(wave1_table):
    _, table = wave1_table
    af = _cell(table, "fraga", "q1", "AF")
    # q1 for AF: 5, 4, 3, 2, 1
    assert af["n"] == 5
    assert af["medel"] == pytest.approx(3.0)
    assert af["sd"] == pytest.approx(math.sqrt(2.5))  # sample sd, ddof=1
    assert af["median"] == pytest.approx(3.0)
    assert af["andel_positiva"] == pytest.approx(2 / 5)
    # q2 for AF: 4, 4, (Vet ej), (blank), 2 -> three answers on the scale
    q2 = _cell(table, "fraga", "q2", "AF")
    assert q2["n"] == 3 and q2["medel"] == pytest.approx(10 / 3) and q2["andel_positiva"] == pytest.approx(2 / 3)
    # q1 for everyone: 5 4 3 2 1 | 5 5 4 4 3 2 | 4 3
    alla = _cell(table, "fraga", "q1", "Alla")
    values = [5, 4, 3, 2, 1, 5, 5, 4, 4, 3, 2, 4, 3]
    assert alla["n"] == 13
    assert alla["medel"] == pytest.approx(np.mean(values))
    assert alla["sd"] == pytest.approx(np.std(values, ddof=1))
    assert alla["median"] == 4
    assert alla["andel_positiva"] == pytest.approx(7 / 13)


def test_reverse_scored_question_is_reported_as_asked(wave1_table):
    _, table = wave1_table
    q3 = _cell(table, "fraga", "q3", "Soc")
    # q3 for Soc: 1, 2, 2, 3, 4 (Vet ej excluded) — not reversed at question level
    assert q3["n"] == 5 and q3["medel"] == pytest.approx(12 / 5) and q3["andel_positiva"] == pytest.approx(1 / 5)


def test_index_scores_by_hand(wave1_table):
    survey, table = wave1_table
    scores = index_scores(survey.tidy, survey.instrument)
    # AF: (5+4+4)/3, (4+4+5)/3, (3+3)/2, [a4 has 1 of 3 items: excluded], (1+2+1)/3
    af = _cell(table, "index", "a", "AF")
    af_scores = [13 / 3, 13 / 3, 3.0, 4 / 3]
    assert af["n"] == 4
    assert af["medel"] == pytest.approx(np.mean(af_scores))
    assert af["sd"] == pytest.approx(np.std(af_scores, ddof=1))
    assert af["median"] == pytest.approx(np.median(af_scores))
    assert af["andel_positiva"] == pytest.approx(2 / 4)  # scores >= 4
    soc = _cell(table, "index", "a", "Soc")
    soc_scores = [5.0, 13 / 3, 4.0, 10 / 3, 8 / 3]
    assert soc["n"] == 5 and soc["medel"] == pytest.approx(np.mean(soc_scores))
    assert soc["andel_positiva"] == pytest.approx(3 / 5)
    assert len(scores) == 11


def test_free_text_whole_group_only_and_shuffled_deterministically(mini_instrument, write_wave):
    survey = read_waves([write_wave("w1.csv", WAVE1)], load_instrument(mini_instrument))
    texts = free_text(survey, min_n=5)
    assert sorted(texts["text"]) == sorted(["Bra möten", "<script>alert(1)</script>", "=SUMMA(A1:A3)"])
    assert list(texts.columns) == ["enkat", "fraga", "text"]
    assert texts.equals(free_text(survey, min_n=5))
    assert free_text(survey, min_n=20).empty  # fewer than 20 respondents: nothing shown


def _direct(path, reader) -> pd.DataFrame:
    """Read a sample wave with plain pandas and map labels to numbers by hand."""
    inst = load_instrument("samverkan")
    raw = reader(path)
    raw.columns = [" ".join(str(c).split()).rstrip(".") for c in raw.columns]
    lookup = {label.casefold(): v for v, label in LABELS.items()}
    out = []
    for q in inst.scale_questions:
        column = next(c for c in raw.columns if c.casefold() == q.text.casefold())

        def to_value(v):
            text = str(v).strip()
            if text in ("", "nan", "Vet ej", "Ej aktuellt"):
                return np.nan
            return float(lookup.get(text.casefold(), text.replace(",", ".")))

        out.append(
            pd.DataFrame(
                {"org": raw["Vilken organisation arbetar du i?"].astype(str).str.strip().str.capitalize(), "fraga": q.id, "v": raw[column].map(to_value)}
            )
        )
    return pd.concat(out).dropna(subset=["v"])


def test_sample_waves_match_a_direct_pandas_computation():
    files = sorted((SAMPLES / "enkater").iterdir())
    survey = read_waves(files, load_instrument("samverkan"))
    table = compare_waves(survey, min_n=5)
    readers = {
        ".csv": lambda p: pd.read_csv(p, sep=None, engine="python", dtype=str, keep_default_na=False, encoding="utf-8")
        if "google" in p.name
        else pd.read_csv(p, sep=";", dtype=str, keep_default_na=False, encoding="cp1252"),
        # (the engine named: pandas warns that its default will change)
        ".xlsx": lambda p: pd.read_excel(p, dtype=str, engine="openpyxl").fillna(""),
    }
    checked = 0
    for wave, path in zip(survey.waves, files, strict=True):
        direct = _direct(path, readers[path.suffix])
        # a wave with a hidden group is published at the report's precision: means 1 decimal, whole percents
        rounded = bool(table.loc[table["enkat"] == wave, "undertryckt"].any())
        mean, share = (np.round, lambda x: np.round(x, 2)) if rounded else (lambda x, _=None: x, lambda x: x)
        for (org, qid), values in direct.groupby(["org", "fraga"]):
            row = _cell(table, "fraga", qid, org, wave)
            if row["undertryckt"]:
                continue
            assert row["n"] == len(values)
            assert row["medel"] == pytest.approx(mean(values["v"].mean(), 1))
            assert row["sd"] == pytest.approx(mean(values["v"].std(ddof=1), 1))
            assert row["median"] == pytest.approx(mean(values["v"].median(), 1))
            assert row["andel_positiva"] == pytest.approx(share(values["v"].isin([4, 5]).mean()))
            checked += 1
        for qid, values in direct.groupby("fraga"):
            row = _cell(table, "fraga", qid, "Alla", wave)
            assert row["n"] == len(values) and row["medel"] == pytest.approx(mean(values["v"].mean(), 1))
    assert checked > 200


def test_instrument_without_organisation_or_index(tmp_path):
    from slutrapport.analysis.survey import analyse_survey
    from slutrapport.render import render_html
    from slutrapport.report.comparison import comparison_report

    path = tmp_path / "enkel.yaml"
    path.write_text(
        "id: enkel\nnamn: Enkel\nskala:\n  varden: {1: Nej, 2: Delvis, 3: Ja}\n  positiva: [3]\n"
        "fragor:\n  - {id: a, text: Trivs du}\n  - {id: b, text: Vet du vart du ska vända dig}\n",
        encoding="utf-8",
    )
    from tests.conftest import write_csv

    wave = write_csv(tmp_path / "w.csv", [[3, 2], [3, 3], ["Ja", "Nej"], [1, 3], [2, 2]], header=["Trivs du?", "Vet du vart du ska vända dig"])
    survey = read_waves([wave], load_instrument(path))
    table = compare_waves(survey, 5)
    assert set(table["grupp"]) == {"Alla"} and set(table["niva"]) == {"fraga"}
    a = _cell(table, "fraga", "a", "Alla")
    assert a["n"] == 5 and a["medel"] == pytest.approx(12 / 5) and a["andel_positiva"] == pytest.approx(3 / 5)
    html = render_html(comparison_report(analyse_survey(survey, 5)))
    assert "Frågor som inte ingår i något index" in html and "Trivs du: per grupp och enkät" in html


def test_answer_distribution_for_shown_cells(wave1_table, mini_instrument, write_wave):
    from slutrapport.analysis.describe import answer_distribution

    survey = read_waves([write_wave("w1.csv", WAVE1)], load_instrument(mini_instrument))
    table = compare_waves(survey, min_n=5)
    dist = answer_distribution(survey, table, min_n=5)
    alla = dist[(dist["id"] == "q1") & (dist["grupp"] == "Alla")]
    assert alla["varde"].tolist() == [1, 2, 3, 4, 5] and alla["antal"].tolist() == [1, 2, 3, 4, 3]
    assert alla["andel"].sum() == pytest.approx(1.0)
    soc = dist[(dist["id"] == "q1") & (dist["grupp"] == "Soc")]
    assert soc["antal"].tolist() == [0, 1, 1, 2, 2]
    # AME (2 answers) is suppressed and AF with it (complement): neither distribution is produced
    assert not {"AME", "AF"} & set(dist["grupp"])
    assert set(dist["grupp"]) == set(table.loc[~table["undertryckt"] & (table["niva"] == "fraga"), "grupp"])
