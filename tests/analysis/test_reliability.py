"""Cronbach's alpha against a published example, an ANOVA (Hoyt) computation and the anonymity rules."""

from __future__ import annotations

import math
import pickle
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from statsmodels.stats.anova import anova_lm

from slutrapport.analysis.describe import compare_waves
from slutrapport.analysis.reliability import (
    ITEM_DELETED_COLUMNS,
    LOW_ALPHA,
    RELIABILITY_COLUMNS,
    AnswerCache,
    cronbach_alpha,
    part_rows,
    reliability,
    reliability_of_parts,
    reliability_parts,
)
from slutrapport.sources.survey import load_instrument, read_waves
from tests.conftest import SAMPLES, write_csv

# Shrout & Fleiss (1979) Psychol Bull 86:420-428, Table 2: 6 targets rated by 4 judges. Published
# ICC(3,4) = .91 (and ICC(3,1) = .71); Cronbach's alpha with judges as items equals ICC(3,k).
SHROUT_FLEISS = np.array([[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]])


def _hoyt_alpha(x: np.ndarray) -> float:
    """Hoyt (1941) Psychometrika 6:153: alpha = 1 - MS_residual / MS_persons from a persons x items ANOVA.

    statsmodels: anova_lm(ols("score ~ C(person) + C(item)", data).fit())
    """
    n, k = x.shape
    data = pd.DataFrame({"score": x.ravel(), "person": np.repeat(np.arange(n), k), "item": np.tile(np.arange(k), n)})
    table = anova_lm(smf.ols("score ~ C(person) + C(item)", data).fit())
    ms = table["sum_sq"] / table["df"]
    return 1 - ms["Residual"] / ms["C(person)"]


def test_alpha_published_example():
    alpha = cronbach_alpha(SHROUT_FLEISS)
    assert round(alpha, 2) == 0.91  # Shrout & Fleiss (1979): ICC(3,4) = .91
    assert alpha == pytest.approx(_hoyt_alpha(SHROUT_FLEISS.astype(float)), abs=1e-12)


def test_alpha_matches_covariance_form():
    # alpha = k/(k-1) * (1 - trace(C) / sum(C)) with C the item covariance matrix (numpy: np.cov)
    x = np.random.default_rng(4).integers(1, 6, size=(30, 5)).astype(float)
    x[:, 1] = np.clip(x[:, 0] + np.random.default_rng(5).integers(-1, 2, size=30), 1, 5)
    cov = np.cov(x, rowvar=False)
    expected = 5 / 4 * (1 - np.trace(cov) / cov.sum())
    assert cronbach_alpha(x) == pytest.approx(expected, abs=1e-12)
    assert cronbach_alpha(x) == pytest.approx(_hoyt_alpha(x), abs=1e-12)


def test_alpha_edges():
    assert math.isnan(cronbach_alpha(np.ones((5, 3))))  # no variance
    assert math.isnan(cronbach_alpha(np.arange(5.0).reshape(5, 1)))  # one item
    assert math.isnan(cronbach_alpha(np.array([[1.0, 2.0]])))  # one respondent
    with pytest.raises(ValueError):
        cronbach_alpha(np.arange(4.0))
    assert LOW_ALPHA == 0.7


def _person(org: str, code: str, q1, q2, q3) -> list[object]:
    return [org, code, q1, q2, q3, ""]


AF = [(5, 4, 1), (4, 4, 2), (3, 3, 3), (2, 2, 4), (4, 5, 2), (1, 2, 5), (3, 4, 3)]
SOC = [(4, 4, 1), (5, 5, 2), (3, 2, 3), (2, 3, 4), (4, 4, 1), (3, 3, 4)]


@pytest.fixture
def survey(tmp_path, mini_instrument):
    wave1 = [_person("AF", f"a{i}", *v) for i, v in enumerate(AF)]
    wave1 += [_person("Soc", f"s{i}", *v) for i, v in enumerate(SOC)]
    wave1 += [_person("AME", "m1", 4, 4, 2), _person("AME", "m2", 3, 3, 3)]  # too small: suppressed
    wave2 = [_person("AF", f"a{i}", *v) for i, v in enumerate(AF)]
    soc2 = [list(v) for v in SOC]
    soc2[0][1] = soc2[1][1] = "Vet ej"  # index score kept (2 of 3 items), but not a complete case
    wave2 += [_person("Soc", f"s{i}", *v) for i, v in enumerate(soc2)]
    paths = [write_csv(tmp_path / "w1.csv", wave1), write_csv(tmp_path / "w2.csv", wave2)]
    return read_waves(paths, load_instrument(mini_instrument))


def _reversed(rows) -> np.ndarray:
    x = np.array(rows, dtype=float)
    x[:, 2] = 1 + 5 - x[:, 2]  # q3 is omvand
    return x


def test_reliability_values_and_anonymity(survey):
    comparison = compare_waves(survey, 5)
    alpha, deleted = reliability(survey, comparison, 5)
    assert list(alpha.columns) == RELIABILITY_COLUMNS and list(deleted.columns) == ITEM_DELETED_COLUMNS
    cells = {(r.enkat, r.grupp): r for r in alpha.itertuples()}
    # Wave 1: AME (2) is suppressed and Soc is suppressed to protect it. Wave 2: Soc has 4 answers on q1 and q2,
    # so it is hidden in the whole wave, and AF with it (Alla − AF would be Soc); only Alla is left.
    assert set(cells) == {("Enkät 1", "Alla"), ("Enkät 1", "AF"), ("Enkät 2", "Alla")}
    everyone = _reversed(AF + SOC + [(4, 4, 2), (3, 3, 3)])
    assert cells[("Enkät 1", "Alla")].n == 15 and cells[("Enkät 1", "Alla")].antal_fragor == 3
    assert cells[("Enkät 1", "Alla")].alfa == pytest.approx(cronbach_alpha(everyone))
    assert cells[("Enkät 1", "Alla")].alfa == pytest.approx(_hoyt_alpha(everyone))
    # Without reversing q3 alpha would be very different (q3 correlates negatively as asked).
    assert cronbach_alpha(np.array(AF + SOC + [(4, 4, 2), (3, 3, 3)], float)) < 0 < cells[("Enkät 1", "Alla")].alfa
    wave2 = _reversed(AF + SOC[2:])
    assert cells[("Enkät 2", "Alla")].n == 11
    assert cells[("Enkät 2", "Alla")].alfa == pytest.approx(cronbach_alpha(wave2))
    # Alpha if item deleted: with two items left, alpha = 4 cov / (var1 + var2 + 2 cov).
    af = _reversed(AF)
    rows = deleted[(deleted["enkat"] == "Enkät 1") & (deleted["grupp"] == "AF")]
    assert list(rows["fraga"]) == ["q1", "q2", "q3"]
    for drop, value in zip(range(3), rows["alfa_utan_fragan"], strict=True):
        rest = np.delete(af, drop, axis=1)
        cov = np.cov(rest, rowvar=False)
        assert value == pytest.approx(4 * cov[0, 1] / (cov[0, 0] + cov[1, 1] + 2 * cov[0, 1]))
    assert set(zip(deleted["enkat"], deleted["grupp"], strict=True)) == set(cells)


TWO_ITEM_INSTRUMENT = """\
id: tva
namn: Två index
skala:
  varden: {1: Instämmer inte alls, 2: Instämmer i liten grad, 3: Instämmer delvis, 4: Instämmer i hög grad, 5: Instämmer helt}
  positiva: [4, 5]
bakgrund:
  organisation: Organisation
  kod: Kod
index:
  a: Index A
  b: Index B
fragor:
  - {id: q1, text: "Fråga ett", index: a}
  - {id: q2, text: "Fråga två", index: a}
  - {id: q3, text: "Fråga tre är negativ", index: b}
  - {id: f1, text: "Övriga synpunkter", typ: fritext}
"""


def test_two_item_and_single_item_indices(tmp_path: Path):
    instrument = tmp_path / "tva.yaml"
    instrument.write_text(TWO_ITEM_INSTRUMENT, encoding="utf-8")
    rows = [_person("AF", f"a{i}", *v) for i, v in enumerate(AF)]
    survey = read_waves([write_csv(tmp_path / "w1.csv", rows)], load_instrument(instrument))
    alpha, deleted = reliability(survey, compare_waves(survey, 5), 5)
    assert set(alpha["index"]) == {"a"}  # b has a single item
    assert alpha["antal_fragor"].tolist() == [2, 2] and deleted.empty
    x = np.array(AF, float)[:, :2]
    assert alpha["alfa"].iloc[0] == pytest.approx(cronbach_alpha(x))


def test_sample_project_reliability():
    survey = read_waves(sorted((SAMPLES / "enkater").glob("*")), load_instrument("samverkan"))
    comparison = compare_waves(survey, 5)
    alpha, deleted = reliability(survey, comparison, 5)
    assert list(alpha.columns) == RELIABILITY_COLUMNS
    assert set(alpha["index"]) == set(survey.instrument.indices)
    assert (alpha["n"] >= 5).all() and (alpha["alfa"].dropna() <= 1).all()
    suppressed = comparison[comparison["undertryckt"] & (comparison["niva"] == "index")]
    hidden = set(zip(suppressed["id"], suppressed["enkat"], suppressed["grupp"], strict=True))
    assert not hidden & set(zip(alpha["index"], alpha["enkat"], alpha["grupp"], strict=True))
    assert len(deleted) == 3 * len(alpha) + sum(alpha["index"] == "struktur")  # struktur has 4 items
    assert alpha["alfa"].median() > LOW_ALPHA  # the generator aims at 0.7-0.85
    # index by index, as a worker process and this one share it, the same tables to the last bit
    parts = reliability_parts(comparison)
    assert [part["id"].iloc[0] for part in parts] == list(survey.instrument.indices)
    answers = AnswerCache()
    from_parts = reliability_of_parts([part_rows(survey, 5, answers, part) for part in reversed(parts)][::-1])
    assert pickle.loads(pickle.dumps(answers))._found is None and answers._found is not None  # not sent to a worker
    pd.testing.assert_frame_equal(from_parts[0], alpha, check_exact=True)
    pd.testing.assert_frame_equal(from_parts[1], deleted, check_exact=True)
