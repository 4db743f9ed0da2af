"""The multiplicity plan: families, their adjustment against statsmodels, and the configuration."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.multitest import multipletests

from slutrapport.analysis.changes import CHANGE_COLUMNS, GROUP_DIFFERENCE_COLUMNS
from slutrapport.analysis.families import BH, EXPLORATORY, GROUPS, HOLM, PRIMARY, adjust, benjamini_hochberg
from slutrapport.analysis.intervals import holm
from slutrapport.analysis.survey import analyse_survey
from slutrapport.core.errors import InstrumentError, ProjectError
from slutrapport.project.folder import load_project
from slutrapport.sources.survey import load_instrument, read_waves
from tests.conftest import MINI_INSTRUMENT, write_csv

ORGS = ("AF", "Soc", "AME")


def test_bh_matches_statsmodels_and_keeps_nan():
    rng = np.random.default_rng(3)
    p = np.concatenate([rng.uniform(0, 0.05, 15), rng.uniform(0, 1, 40), [np.nan, np.nan, 0.0, 1.0, 0.02, 0.02]])
    finite = ~np.isnan(p)
    # statsmodels: multipletests(p[finite], method="fdr_bh")[1]; NaN is not counted in m
    expected = multipletests(p[finite], method="fdr_bh")[1]
    adjusted = benjamini_hochberg(p)
    np.testing.assert_allclose(adjusted[finite], expected, rtol=1e-12)
    assert np.isnan(adjusted[~finite]).all()
    # hand example: sorted 0.01, 0.02, 0.04 with m = 3 → 0.03, 0.03, 0.04
    np.testing.assert_allclose(benjamini_hochberg([0.04, 0.01, 0.02]), [0.04, 0.03, 0.03])
    assert benjamini_hochberg([]).size == 0
    with pytest.raises(ValueError):
        adjust([0.1], "bonferroni")


# ---------------------------------------------------------------- a generated survey: 30 questions, 3 organisations, 3 waves


def _instrument_text(statistics: str = "", indices: bool = True) -> str:
    lines = [
        "id: trettio",
        "namn: Trettio frågor",
        "skala:",
        "  varden: {1: Instämmer inte alls, 2: Instämmer i liten grad, 3: Instämmer delvis, 4: Instämmer i hög grad, 5: Instämmer helt}",
        "  positiva: [4, 5]",
        "bakgrund:",
        "  organisation: Organisation",
    ]
    if indices:
        lines += ["index:", *[f"  i{k}: Index {k}" for k in range(6)]]
    lines += [statistics] if statistics else []
    lines += ["fragor:"]
    lines += [f'  - {{id: q{j:02d}, text: "Påstående nummer {j}"' + (f", index: i{j // 5}}}" if indices else "}") for j in range(30)]
    return "\n".join(lines) + "\n"


def _thirty(tmp_path: Path, statistics: str = "", indices: bool = True, seed: int = 0, delta: float = 0.4):
    """60 people per wave (20 per organisation, not linked); only index i0 (q00–q04) rises, by ``delta`` per
    question from the first to the last wave (half of it at the middle wave)."""
    (tmp_path / "i.yaml").write_text(_instrument_text(statistics, indices), encoding="utf-8")
    rng = np.random.default_rng(seed)
    header = ["Organisation"] + [f"Påstående nummer {j}" for j in range(30)]
    shift = np.array([1.0 if j < 5 else 0.0 for j in range(30)])
    files = []
    for wave in range(3):
        rows = []
        for org in ORGS:
            for _ in range(20):
                person = rng.normal(0, 0.6)
                values = np.clip(np.rint(3 + person + shift * delta * wave / 2 + rng.normal(0, 0.8, 30)), 1, 5).astype(int)
                rows.append([org, *values])
        files.append(write_csv(tmp_path / f"w{wave}.csv", rows, header=header))
    return read_waves(files, load_instrument(tmp_path / "i.yaml"))


@pytest.fixture(scope="module")
def thirty(tmp_path_factory):
    return analyse_survey(_thirty(tmp_path_factory.mktemp("trettio")), 5)


def test_one_true_index_change_is_found_in_the_primary_family_and_nothing_else(thirty):
    changes = thirty.changes
    primary = changes[changes["familj"] == PRIMARY]
    # the primary family: per index, Alla, the test of the mean first → last wave and the trend across all waves
    assert sorted(primary["id"]) == sorted(2 * [f"i{k}" for k in range(6)])
    assert (primary["niva"] == "index").all() and (primary["grupp"] == "Alla").all()
    assert set(zip(primary["fran"], primary["till"], strict=True)) == {("Enkät 1", "Enkät 3")}
    assert set(primary["test"]) == {"mann_whitney", "jonckheere"} and (primary["justering"] == HOLM).all()
    true_change = primary[(primary["id"] == "i0") & (primary["test"] == "mann_whitney")].iloc[0]
    assert 1e-4 < true_change["p_unc"] < 2e-3  # p ≈ 5e-4
    assert true_change["p_corr"] < 0.05 and true_change["diff_medel"] > 0
    trend = primary[(primary["id"] == "i0") & (primary["test"] == "jonckheere")].iloc[0]
    assert trend["p_corr"] < 0.05 and trend["effekt"] > 0 and trend["diff_medel_lag"] > 0  # the same rise, as a trend
    others = ~changes.index.isin([true_change.name, trend.name])
    assert (changes.loc[others, "p_corr"].dropna() >= 0.05).all()
    assert (thirty.group_tests["p_corr"].dropna() >= 0.05).all()
    # one Holm family over every test of the report (the old plan) would have hidden it
    assert len(changes) > 1000
    assert holm(changes["p_unc"].to_numpy(dtype=float))[changes.index.get_loc(true_change.name)] >= 0.05


def _assert_family_adjusted(table: pd.DataFrame, family: str, method: str) -> None:
    rows = table[(table["familj"] == family) & table["p_unc"].notna()]
    assert len(rows) > 1
    assert (table.loc[table["familj"] == family, "justering"] == method).all()
    # statsmodels: multipletests(p, method="holm" or "fdr_bh")[1] over the family's rows only
    expected = multipletests(rows["p_unc"].to_numpy(dtype=float), method={HOLM: "holm", BH: "fdr_bh"}[method])[1]
    np.testing.assert_allclose(rows["p_corr"].to_numpy(dtype=float), expected, rtol=1e-12)


def test_each_family_is_adjusted_on_its_own(thirty):
    changes = thirty.changes
    assert set(changes["familj"]) == {PRIMARY, EXPLORATORY}
    _assert_family_adjusted(changes, PRIMARY, HOLM)
    _assert_family_adjusted(changes, EXPLORATORY, BH)
    assert changes.loc[changes["p_unc"].isna(), "p_corr"].isna().all()
    groups = thirty.group_tests
    assert set(groups["familj"]) == {GROUPS} and list(groups.columns) == GROUP_DIFFERENCE_COLUMNS
    for wave in thirty.survey.waves:  # one Holm family per wave
        _assert_family_adjusted(groups[groups["enkat"] == wave], GROUPS, HOLM)


def test_family_columns_come_last():
    assert CHANGE_COLUMNS[-2:] == ["familj", "justering"] and CHANGE_COLUMNS[:19][-2:] == ["effekt", "effektmatt"]
    assert GROUP_DIFFERENCE_COLUMNS[-2:] == ["familj", "justering"]


def test_questions_as_primary_and_holm_for_the_rest(tmp_path):
    results = analyse_survey(_thirty(tmp_path, "statistik: {primar: fragor, sekundar: holm}"), 5)
    changes = results.changes
    primary = changes[changes["familj"] == PRIMARY]
    assert sorted(primary["id"]) == sorted(2 * [f"q{j:02d}" for j in range(30)]) and (primary["niva"] == "fraga").all()
    _assert_family_adjusted(changes, PRIMARY, HOLM)
    _assert_family_adjusted(changes, EXPLORATORY, HOLM)
    index_rows = changes[changes["niva"] == "index"]
    assert (index_rows["familj"] == EXPLORATORY).all()  # an index is never a conclusion here


def test_an_instrument_without_indices_uses_its_questions(tmp_path):
    changes = analyse_survey(_thirty(tmp_path, indices=False), 5).changes
    primary = changes[changes["familj"] == PRIMARY]
    assert len(primary) == 60 and (primary["niva"] == "fraga").all()  # test of the mean and trend per question


@pytest.mark.parametrize(
    "statistics, message",
    [
        ("statistik: {primar: organisation}", "'primar' under 'statistik' ska vara index eller fragor, fick 'organisation'"),
        ("statistik: {sekundar: bonferroni}", "'sekundar' under 'statistik' ska vara bh eller holm, fick 'bonferroni'"),
        ("statistik: {metod: bh}", "okänd nyckel 'metod' under 'statistik' (tillåtna: primar, sekundar)"),
        ("statistik: bh", "'statistik' ska vara nycklar som primar: index och sekundar: bh"),
    ],
)
def test_unknown_statistics_settings_give_a_swedish_error(tmp_path, statistics, message):
    (tmp_path / "i.yaml").write_text(_instrument_text(statistics), encoding="utf-8")
    with pytest.raises(InstrumentError) as error:
        load_instrument(tmp_path / "i.yaml")
    assert message in str(error.value)


def _project(tmp_path: Path, statistics: str) -> Path:
    (tmp_path / "mini.yaml").write_text(MINI_INSTRUMENT.replace("index:\n", "statistik: {sekundar: holm}\nindex:\n"), encoding="utf-8")
    for wave in (1, 2):  # q3 differs between the waves: the same answers for two waves would be an error
        rows = [[org, "", 1 + (i * k) % 5, 2 + i % 3, 2 + wave, ""] for k, org in enumerate(("AF", "Soc"), start=1) for i in range(8)]
        write_csv(tmp_path / f"w{wave}.csv", rows)
    (tmp_path / "projekt.yaml").write_text(
        "projekt: {namn: Test}\npersonalenkat:\n  instrument: mini.yaml\n  enkater: [w1.csv, w2.csv]\n" + statistics,
        encoding="utf-8",
    )
    return tmp_path


def test_projekt_yaml_overrides_the_instrument(tmp_path):
    from slutrapport.pipeline.results import survey_results

    root = _project(tmp_path, "  statistik: {primar: fragor}\n")
    assert load_project(root).statistics == {"primary": "fraga"}
    changes = survey_results(root).changes
    primary = changes[changes["familj"] == PRIMARY]
    assert set(primary["niva"]) == {"fraga"} and set(primary["id"]) == {"q1", "q2", "q3"}
    assert set(changes.loc[changes["familj"] == EXPLORATORY, "justering"]) == {HOLM}  # the instrument's sekundar kept


def test_projekt_yaml_rejects_unknown_values(tmp_path):
    root = _project(tmp_path, "  statistik: {primar: allt}\n")
    with pytest.raises(ProjectError, match="'primar' under 'personalenkat: statistik' ska vara index eller fragor"):
        load_project(root)


# ---------------------------------------------------------------- the demo


def test_the_demo_has_a_primary_family_in_every_output(demo_dir):
    text = (demo_dir / "forandringar.csv").read_text(encoding="utf-8")
    table = pd.DataFrame(list(csv.DictReader(io.StringIO(text))))
    assert list(table.columns) == CHANGE_COLUMNS and list(table.columns)[-2:] == ["familj", "justering"]
    primary = table[table["familj"] == PRIMARY]
    assert len(primary) > 0 and (primary["niva"] == "index").all() and (primary["grupp"] == "Alla").all()
    assert not primary.duplicated(["id", "test"]).any()
    assert set(primary["test"]) <= {"wilcoxon", "mann_whitney", "partover_t", "trend_lmm", "page", "jonckheere"}
    assert (primary.groupby("id")["test"].nunique() == 2).all()  # the test of the mean and the trend
    assert set(table["familj"]) == {PRIMARY, EXPLORATORY}
    bundle = json.loads((demo_dir / "rapport.json").read_text(encoding="utf-8"))
    for name, family in (("forandringar", PRIMARY), ("gruppskillnader", GROUPS)):
        columns = bundle["tabeller"][name]["kolumner"]
        assert columns[-2:] == ["familj", "justering"]
        assert family in {row[columns.index("familj")] for row in bundle["tabeller"][name]["rader"]}
    html = (demo_dir / "rapport.html").read_text(encoding="utf-8")
    appendix = (demo_dir / "bilaga.html").read_text(encoding="utf-8")  # the whole method text is in the appendix (issue 19)
    assert "Rapportens slutsatser bygger bara på den primära familjen av test" in appendix
    assert "Slutsatserna bygger bara på rapportens primära test" in html
    from openpyxl import load_workbook

    workbook = load_workbook(demo_dir / "rapport.xlsx", read_only=True)
    for sheet in ("Data förändringar", "Data gruppskillnader"):
        assert [c.value for c in next(workbook[sheet].iter_rows(max_row=1))][-2:] == ["familj", "justering"]
    workbook.close()
