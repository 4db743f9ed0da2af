"""Each wording rule: the text claims a change only when the corrected test of the primary family supports it."""

from __future__ import annotations

import pandas as pd
import pytest

from slutrapport.wording.survey import effect_word, index_paragraph, survey_summary
from tests.conftest import write_csv

WAVES = ["Enkät 1", "Enkät 2", "Enkät 3"]
CHANGE_COLUMNS = [
    "niva",
    "id",
    "grupp",
    "fran",
    "till",
    "parad",
    "n_fran",
    "n_till",
    "n_par",
    "diff_medel",
    "diff_andel_positiva",
    "ci_lag",
    "ci_hog",
    "test",
    "statistika",
    "p_unc",
    "p_corr",
    "effekt",
    "effektmatt",
    "familj",
    "justering",
]
GROUP_COLUMNS = [
    "niva", "id", "enkat", "grupp_a", "grupp_b", "n_a", "n_b", "test", "statistika", "p_unc", "p_corr", "effekt",
    "effektmatt", "familj", "justering",
]  # fmt: skip


def comparison(levels: dict[str, list], shares: dict[str, list] | None = None, n: dict[str, list] | None = None) -> pd.DataFrame:
    rows = []
    for group, means in levels.items():
        for i, wave in enumerate(WAVES):
            mean = means[i]
            hidden = mean is None
            count = None if hidden else (n or {}).get(group, [20, 20, 20])[i]
            share = None if hidden else (shares or {}).get(group, [0.5, 0.5, 0.5])[i]
            rows.append(("index", "a", "Index A", group, wave, count, mean, 1.0, mean, share, hidden))
    return pd.DataFrame(rows, columns=["niva", "id", "text", "grupp", "enkat", "n", "medel", "sd", "median", "andel_positiva", "undertryckt"])


def change(fran, till, p_corr, diff=0.5, test="wilcoxon", effect=0.4, paired=False, n_par=0, share_diff=0.1, family=None):
    """A test row; by default in the primary family when it is the ordinal test first → last (the default plan)."""
    if family is None:
        family = "primär" if (fran, till) == (WAVES[0], WAVES[-1]) and test in ("wilcoxon", "mann_whitney") else "utforskande"
    return dict(
        niva="index",
        id="a",
        grupp="Alla",
        fran=fran,
        till=till,
        parad=paired,
        n_fran=20,
        n_till=20,
        n_par=n_par,
        diff_medel=diff,
        diff_andel_positiva=share_diff,
        ci_lag=-0.1,
        ci_hog=0.3,
        test=test,
        statistika=1.0,
        p_unc=p_corr / 3,
        p_corr=p_corr,
        effekt=effect,
        effektmatt="rangbiserial",
        familj=family,
        justering="holm" if family == "primär" else "bh",
    )


def changes(*rows) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=CHANGE_COLUMNS)


NO_GROUP_TESTS = pd.DataFrame(columns=GROUP_COLUMNS)
NO_RELIABILITY = pd.DataFrame(columns=["index", "enkat", "grupp", "n", "alfa", "antal_fragor"])


def paragraph(comp, chg, groups=NO_GROUP_TESTS, rel=NO_RELIABILITY) -> str:
    return " ".join(index_paragraph("a", WAVES, comp, chg, groups, rel))


def test_equal_levels_are_said_once():
    comp = comparison({"Alla": [4.5, 4.6, 4.5]}, shares={"Alla": [1.0, 1.0, 1.0]})
    text = paragraph(comp, changes())
    assert text.startswith("Andelen positiva var 100\u00a0% vid enkät 1, 2 och 3 (medelvärde 4,5, 4,6 och 4,5).")


def test_different_levels_are_listed_per_wave():
    comp = comparison({"Alla": [3.3, 3.9, 3.8]}, shares={"Alla": [0.35, 0.59, 0.47]})
    text = paragraph(comp, changes())
    assert "Andelen positiva var 35\u00a0% vid enkät 1, 59\u00a0% vid enkät 2 och 47\u00a0% vid enkät 3" in text


def test_uncertain_changes_are_never_called_increases():
    comp = comparison({"Alla": [3.3, 3.9, 3.8]})
    chg = changes(change("Enkät 1", "Enkät 2", 0.06), change("Enkät 2", "Enkät 3", 0.5, diff=-0.1), change("Enkät 1", "Enkät 3", 0.2))
    text = paragraph(comp, chg)
    assert "ökade" not in text and "minskade" not in text
    assert "Ingen av förändringarna mellan enkäterna är statistiskt säkerställd" in text


def test_certain_change_names_direction_size_and_p():
    comp = comparison({"Alla": [3.3, 3.9, 3.8]}, shares={"Alla": [0.35, 0.59, 0.47]})
    chg = changes(
        change("Enkät 1", "Enkät 3", 0.004, diff=0.5, effect=0.45),
        change("Enkät 1", "Enkät 3", 0.01, test="chi2", share_diff=0.12),
        change("Enkät 2", "Enkät 3", 0.6, diff=-0.1),
        change("Enkät 2", "Enkät 3", 0.7, test="chi2"),
    )
    text = paragraph(comp, chg)
    assert (
        "Medelvärdet ökade från enkät 1 till enkät 3, från 3,3 till 3,8; förändringen är statistiskt "
        "säkerställd och effekten måttlig (primärt test, Holm-justerat p = 0,004)."
    ) in text
    # the share test of the same comparison is secondary: exploratory, never "säkerställd"
    assert "Andelen positiva ökade med 12 procentenheter, från 35\u00a0% till 47\u00a0% (utforskande, BH-justerat p = 0,01)." in text
    assert "Förändringen från enkät 2 till enkät 3 är inte statistiskt säkerställd." in text


def test_significant_exploratory_change_is_never_called_certain():
    comp = comparison({"Alla": [3.3, 3.9, 3.8]}, shares={"Alla": [0.35, 0.59, 0.47]})
    chg = changes(
        change("Enkät 1", "Enkät 2", 0.01, diff=0.6, effect=0.45),  # exploratory (a pair of consecutive waves)
        change("Enkät 1", "Enkät 3", 0.2, diff=0.5),  # primary, not significant
    )
    text = paragraph(comp, chg)
    assert (
        "Medelvärdet ökade från enkät 1 till enkät 2, från 3,3 till 3,9; effekten måttlig "
        "(utforskande, BH-justerat p = 0,01)."
    ) in text
    assert "säkerställd och" not in text
    assert "Förändringen från enkät 1 till enkät 3 är inte statistiskt säkerställd." in text
    summary = " ".join(survey_summary({"a": "Nätverk"}, WAVES, chg))
    assert "Inget index förändrades statistiskt säkerställt" in summary and "ökningar" not in summary


def test_certain_decrease_and_paired_note():
    comp = comparison({"Alla": [4.0, 3.0, 3.0]})
    chg = changes(change("Enkät 1", "Enkät 2", 0.01, diff=-1.0, effect=-0.7, paired=True, n_par=18))
    text = paragraph(comp, chg)
    assert (
        "Medelvärdet minskade från enkät 1 till enkät 2, för de 18 personer som svarade båda gångerna med 1,0 (alla svarande: 4,0 och 3,0)"
    ) in text and "effekten stor" in text


def test_share_change_alone():
    comp = comparison({"Alla": [3.5, 3.6, 3.6]}, shares={"Alla": [0.3, 0.7, 0.7]})
    chg = changes(change("Enkät 1", "Enkät 2", 0.2), change("Enkät 1", "Enkät 2", 0.001, test="fisher", share_diff=0.4))
    text = paragraph(comp, chg)
    assert "Andelen positiva ökade från enkät 1 till enkät 2 med 40 procentenheter, från 30\u00a0% till 70\u00a0% (utforskande, BH-justerat p = 0,001)" in text
    assert "medan medelvärdet inte förändrades säkert" in text


@pytest.mark.parametrize("effect, word", [(0.05, "mycket liten"), (-0.2, "liten"), (0.3, "måttlig"), (0.49, "måttlig"), (-0.5, "stor"), (1.0, "stor")])
def test_effect_words(effect, word):
    assert effect_word(effect) == word


def test_organisations_differ_only_when_the_test_says_so():
    comp = comparison({"Alla": [3.5, 3.5, 3.5], "AF": [3.0, 3.1, 3.2], "Soc": [4.0, 4.1, 4.2]})
    groups = pd.DataFrame(
        [
            dict(
                niva="index",
                id="a",
                enkat="Enkät 1",
                grupp_a="alla",
                grupp_b="",
                n_a=40,
                n_b=0,
                test="kruskal_wallis",
                statistika=5.0,
                p_unc=0.01,
                p_corr=0.03,
                effekt=0.1,
                effektmatt="epsilon2",
            ),
            dict(
                niva="index",
                id="a",
                enkat="Enkät 2",
                grupp_a="alla",
                grupp_b="",
                n_a=40,
                n_b=0,
                test="kruskal_wallis",
                statistika=1.0,
                p_unc=0.3,
                p_corr=0.6,
                effekt=0.01,
                effektmatt="epsilon2",
            ),
        ],
        columns=GROUP_COLUMNS,
    )
    text = paragraph(comp, changes(), groups)
    assert (
        "Vid enkät 1 skilde sig organisationerna åt (Holm-justerat p = 0,03 inom enkätens jämförelser mellan "
        "organisationer): högst låg Soc (4,0) och lägst AF (3,0)."
    ) in text
    assert "skilde sig organisationerna åt" not in text.split("Vid enkät 1 skilde")[1]


def test_no_certain_group_differences():
    comp = comparison({"Alla": [3.5, 3.5, 3.5], "AF": [3.0, 3.1, 3.2], "Soc": [4.0, 4.1, 4.2]})
    groups = pd.DataFrame(
        [
            dict(
                niva="index",
                id="a",
                enkat=w,
                grupp_a="alla",
                grupp_b="",
                n_a=40,
                n_b=0,
                test="kruskal_wallis",
                statistika=1.0,
                p_unc=0.2,
                p_corr=0.2,
                effekt=0.01,
                effektmatt="epsilon2",
            )
            for w in WAVES
        ],
        columns=GROUP_COLUMNS,
    )
    assert "Skillnaderna mellan organisationerna är inte statistiskt säkerställda vid enkät 1, 2 och 3." in paragraph(comp, changes(), groups)


def test_small_and_hidden_groups_are_named_without_numbers_for_hidden():
    comp = comparison(
        {"Alla": [3.5, 3.5, 3.5], "AME": [3.0, 3.2, None], "Soc": [4.0, 4.1, 4.2]}, n={"AME": [6, 7, None], "Soc": [20, 20, 20], "Alla": [26, 27, 24]}
    )
    text = paragraph(comp, changes())
    assert "Vid enkät 1 hade AME (n = 6) få svar, så dess resultat är osäkra." in text
    assert "AME visas inte vid enkät 3, för att skydda svarande i små grupper." in text


def test_reliability_flags_low_alpha():
    comp = comparison({"Alla": [3.5, 3.5, 3.5]})
    rel = pd.DataFrame(
        [("a", "Enkät 1", "Alla", 40, 0.83, 3), ("a", "Enkät 2", "Alla", 40, 0.66, 3), ("a", "Enkät 3", "Alla", 30, 0.49, 3)],
        columns=["index", "enkat", "grupp", "n", "alfa", "antal_fragor"],
    )
    text = paragraph(comp, changes(), rel=rel)
    assert "Cronbachs alfa var under 0,7 vid enkät 2 (0,66) och enkät 3 (0,49)" in text and "försiktighet" in text
    good = rel.assign(alfa=[0.78, 0.8, 0.85])
    assert "Frågorna i indexet hänger väl ihop (Cronbachs alfa 0,78–0,85)." in paragraph(comp, changes(), rel=good)


def test_summary_lists_only_certain_changes():
    chg = changes(
        change("Enkät 1", "Enkät 3", 0.01, diff=0.8),
        change("Enkät 1", "Enkät 3", 0.3, diff=0.2) | {"id": "b"},
        change("Enkät 1", "Enkät 3", 0.02, diff=-0.5, effect=-0.3) | {"id": "c"},
    )
    text = " ".join(survey_summary({"a": "Nätverk", "b": "Samsyn", "c": "Styrning"}, WAVES, chg))
    assert "Statistiskt säkerställda ökningar mellan enkät 1 och enkät 3: nätverk." in text
    assert "Statistiskt säkerställda minskningar mellan enkät 1 och enkät 3: styrning." in text
    assert "För övriga index (samsyn) går ingen säker förändring att se." in text
    assert "Slutsatserna bygger bara på rapportens primära test" in text and "Holm-justerat över 3 test" in text
    nothing = changes(change("Enkät 1", "Enkät 3", 0.3))
    assert "Inget index förändrades statistiskt säkerställt" in " ".join(survey_summary({"a": "Nätverk"}, WAVES, nothing))


def test_summary_of_a_question_primary_family():
    chg = changes(
        change("Enkät 1", "Enkät 3", 0.01, diff=0.8) | {"niva": "fraga", "id": "q1"},
        change("Enkät 1", "Enkät 3", 0.3, diff=0.2) | {"niva": "fraga", "id": "q2"},
        change("Enkät 1", "Enkät 3", 0.001, diff=0.9, family="utforskande"),  # the index: exploratory here
    )
    questions = {"q1": "Jag känner de andras uppdrag", "q2": "Vi har gemensamma rutiner"}
    text = " ".join(survey_summary({"a": "Nätverk"}, WAVES, chg, questions))
    assert "Statistiskt säkerställda ökningar mellan enkät 1 och enkät 3: ”Jag känner de andras uppdrag”." in text
    assert "För övriga frågor (”Vi har gemensamma rutiner”) går ingen säker förändring att se." in text
    assert "nätverk" not in text.casefold()


def _synthetic_waves(tmp_path, shift: float, seed: int):
    import numpy as np

    from tests.conftest import write_csv

    rng = np.random.default_rng(seed)
    files = []
    for wave in range(3):
        rows = []
        for person in range(40):
            org = "AF" if person < 20 else "Soc"
            base = 2.5 + shift * wave
            values = np.clip(np.rint(rng.normal(base, 0.9, size=3)), 1, 5).astype(int)
            rows.append([org, f"p{person}", values[0], values[1], 6 - values[2], ""])
        files.append(write_csv(tmp_path / f"w{wave}.csv", rows))
    return files


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_no_true_change_is_never_described_as_a_change(tmp_path, mini_instrument, seed):
    from slutrapport.analysis.survey import analyse_survey
    from slutrapport.sources.survey import load_instrument, read_waves

    survey = read_waves(_synthetic_waves(tmp_path, 0.0, seed), load_instrument(mini_instrument))
    results = analyse_survey(survey, 5)
    text = " ".join(index_paragraph("a", survey.waves, results.comparison, results.changes, results.group_tests, results.reliability))
    text += " ".join(survey_summary(survey.instrument.indices, survey.waves, results.changes))
    assert "ökade" not in text and "minskade" not in text
    assert "Inget index förändrades statistiskt säkerställt" in text


def test_large_true_change_is_described_as_an_increase(tmp_path, mini_instrument):
    from slutrapport.analysis.survey import analyse_survey
    from slutrapport.sources.survey import load_instrument, read_waves

    survey = read_waves(_synthetic_waves(tmp_path, 1.0, 7), load_instrument(mini_instrument))
    results = analyse_survey(survey, 5)
    text = " ".join(index_paragraph("a", survey.waves, results.comparison, results.changes, results.group_tests, results.reliability))
    assert "Medelvärdet ökade från enkät 1 till enkät 2" in text
    assert "för de 40 personer som svarade båda gångerna" in text  # codes link everyone: paired tests
    assert "Statistiskt säkerställda ökningar mellan enkät 1 och enkät 3: index A." in " ".join(
        survey_summary(survey.instrument.indices, survey.waves, results.changes)
    )


# --- direction from the test that decided (issue 17) -------------------------------------------


def test_direction_comes_from_the_rank_test_not_the_mean():
    # Ranks up (r = +0,3, Hodges-Lehmann +1), mean slightly down: the answers spread out.
    spread = change("Enkät 1", "Enkät 2", 0.01, diff=-0.04, effect=0.3, share_diff=0.2) | {
        "hl_skift": 1.0, "hl_lag": 0.0, "hl_hog": 1.0,
    }  # fmt: skip
    comp = comparison({"Alla": [3.0, 2.96, 3.0]})
    text = paragraph(comp, pd.DataFrame([spread]))
    assert "minskade" not in text and "Medelvärdet ökade" not in text
    assert "Svaren spreds ut från enkät 1 till enkät 2: fler svarade högre, men några svarade så mycket lägre att " in text
    assert "medelvärdet sjönk från 3,00 till 2,96." in text
    assert "förskjutning uppåt med 1,0 skalsteg (Hodges–Lehmann-skattning, 95 % konfidensintervall 0,0 till 1,0)" in text
    # The mirror case: mean up, ranks down.
    mirror = spread | {"diff_medel": 0.04, "effekt": -0.3, "hl_skift": -1.0, "hl_lag": -1.0, "hl_hog": 0.0}
    text = paragraph(comparison({"Alla": [2.96, 3.0, 3.0]}), pd.DataFrame([mirror]))
    assert "ökade" not in text and "fler svarade lägre" in text and "förskjutning nedåt med 1,0 skalsteg" in text
    # The summary lists it apart from increases and decreases.
    first_last = spread | {"till": "Enkät 3", "familj": "primär", "justering": "holm"}  # the primary family
    summary = " ".join(survey_summary({"a": "Nätverk"}, WAVES, pd.DataFrame([first_last])))
    assert "ökningar" not in summary and "minskningar" not in summary
    assert "där svaren spreds ut och medelvärdet inte följde med: nätverk" in summary


def test_share_direction_comes_from_the_share_difference():
    rows = changes(
        change("Enkät 1", "Enkät 2", 0.5, diff=0.3),
        change("Enkät 1", "Enkät 2", 0.01, diff=0.3, test="mcnemar", effect=-0.2, share_diff=-0.2),
    )
    text = paragraph(comparison({"Alla": [3.0, 3.3, 3.3]}), rows)
    assert "Andelen positiva minskade från enkät 1 till enkät 2 med 20 procentenheter" in text


def _spread_files(tmp_path, codes: bool):
    """Index score = the answer (q1 = q2 = v, q3 reversed); the mean falls a little while the ranks rise."""
    if codes:  # paired: 199 people move 3 -> 4, 50 move 5 -> 1 (signed ranks up, mean down by 1/249)
        earlier, later = [3] * 199 + [5] * 50, [4] * 199 + [1] * 50
    else:  # independent: many 3s become 4s, some become 1s
        earlier, later = [3] * 120 + [4] * 15 + [2] * 15, [4] * 99 + [1] * 51
    files = []
    for wave, values in enumerate([earlier, later]):
        rows = [["AF" if i % 2 else "Soc", f"p{i}" if codes else "", v, v, 6 - v, ""] for i, v in enumerate(values)]
        files.append(write_csv(tmp_path / f"spread{wave}.csv", rows))
    return files


@pytest.mark.parametrize("codes", [False, True])
def test_spread_out_answers_never_say_decreased_and_certain(tmp_path, mini_instrument, codes):
    from slutrapport.analysis.survey import analyse_survey
    from slutrapport.sources.survey import load_instrument, read_waves

    survey = read_waves(_spread_files(tmp_path, codes), load_instrument(mini_instrument))
    results = analyse_survey(survey, 5)
    row = results.changes[
        (results.changes["niva"] == "index") & (results.changes["grupp"] == "Alla") & results.changes["test"].isin(["mann_whitney", "wilcoxon"])
    ].iloc[0]
    # The situation of the issue: mean down, ranks up, certain.
    assert row["diff_medel"] < 0 and row["effekt"] > 0 and row["hl_skift"] > 0 and row["p_corr"] < 0.05
    assert bool(row["parad"]) == codes
    text = " ".join(index_paragraph("a", survey.waves, results.comparison, results.changes, results.group_tests, results.reliability))
    text += " " + " ".join(survey_summary(survey.instrument.indices, survey.waves, results.changes))
    assert "minskade" not in text and "minskningar" not in text
    assert "Svaren spreds ut från enkät 1 till enkät 2" in text and "förskjutning uppåt" in text


def test_alpha_is_compared_as_printed():
    from slutrapport.wording.survey import alpha_text, low_alpha

    assert not low_alpha(0.6996) and alpha_text(0.6996) == "0,70"
    assert not low_alpha(0.695001) and low_alpha(0.6949) and alpha_text(0.6949) == "0,69"
    assert not low_alpha(float("nan"))
    comp = comparison({"Alla": [3.0, 3.1, 3.2]})
    rel = pd.DataFrame(
        [("a", "Enkät 1", "Alla", 20, 0.6996, 3), ("a", "Enkät 2", "Alla", 20, 0.71, 3), ("a", "Enkät 3", "Alla", 20, 0.6949, 3)],
        columns=["index", "enkat", "grupp", "n", "alfa", "antal_fragor"],
    )
    text = paragraph(comp, changes(), rel=rel)
    assert "under 0,7 vid enkät 3 (0,69)" in text and "(0,70)" not in text
    text = paragraph(comp, changes(), rel=rel.iloc[:2])
    assert "under 0,7" not in text and "Cronbachs alfa 0,70–0,71" in text


def test_group_paragraph_uses_the_same_direction_rule():
    from slutrapport.wording.groups import group_paragraph

    comp = comparison({"Alla": [3.0, 3.0, 3.0], "AF": [3.0, 2.95, 3.0]})
    spread = change("Enkät 1", "Enkät 2", 0.01, diff=-0.05, effect=0.35) | {"grupp": "AF"}
    text = " ".join(group_paragraph("a", "AF", WAVES, comp, pd.DataFrame([spread])))
    assert "minskade" not in text and "För AF spreds svaren ut från enkät 1 till enkät 2: rangtestet visar" in text
    normal = change("Enkät 1", "Enkät 2", 0.01, diff=-0.5, effect=-0.35) | {"grupp": "AF"}
    assert "Medelvärdet för AF minskade från enkät 1 till enkät 2" in " ".join(group_paragraph("a", "AF", WAVES, comp, pd.DataFrame([normal])))


# ---------------------------------------------------------------- partly linked waves and the trend


def _trend(p_corr, slope, low, high, effect, test="trend_lmm", family="primär") -> dict:
    return change("Enkät 1", "Enkät 3", p_corr, diff=slope, test=test, effect=effect, family=family) | {
        "diff_medel_lag": low, "diff_medel_hog": high, "effektmatt": "lutning_sd"
    }  # fmt: skip


def test_a_certain_trend_names_direction_change_per_wave_and_interval():
    comp = comparison({"Alla": [3.4, 3.9, 4.1]})
    chg = pd.DataFrame([change("Enkät 1", "Enkät 3", 0.3), _trend(0.004, 0.36, 0.21, 0.51, 0.4)])
    text = paragraph(comp, chg)
    assert (
        "Över alla tre enkäterna fanns en statistiskt säkerställd trend uppåt: medelvärdet ökade med i genomsnitt "
        "0,4 per enkät (95 % konfidensintervall 0,2 till 0,5; linjär blandad modell, primärt test, Holm-justerat p = 0,004)."
    ) in text
    down = paragraph(comp, pd.DataFrame([_trend(0.01, -0.2, -0.3, -0.1, -0.3, test="jonckheere", family="utforskande")]))
    assert "fanns en trend nedåt: medelvärdet minskade med i genomsnitt 0,2 per enkät" in down
    assert "statistiskt säkerställd" not in down and "Jonckheere–Terpstras test, utforskande, BH-justerat p = 0,01" in down


def test_an_uncertain_trend_is_never_called_a_trend_up_or_down():
    comp = comparison({"Alla": [3.4, 3.5, 3.5]})
    text = paragraph(comp, pd.DataFrame([_trend(0.31, 0.05, -0.02, 0.12, 0.1)]))
    assert "Över alla tre enkäterna går ingen säker trend att se (förändring 0,1 per enkät, 95 % konfidensintervall" in text
    assert "uppåt" not in text and "ökade" not in text


def test_a_trend_against_the_mean_says_so():
    # Jonckheere–Terpstra rises (more answered higher) while the least-squares slope falls: never "ökade med".
    comp = comparison({"Alla": [3.4, 3.5, 3.3]})
    text = paragraph(comp, pd.DataFrame([_trend(0.02, -0.05, -0.2, 0.1, 0.2, test="jonckheere")]))
    assert "fanns en statistiskt säkerställd trend uppåt, fast medelvärdets förändring var −0,1 per enkät" in text


def test_summary_names_certain_trends_and_counts_them_in_the_family():
    chg = pd.DataFrame(
        [
            change("Enkät 1", "Enkät 3", 0.3, diff=0.3),
            _trend(0.01, 0.2, 0.1, 0.3, 0.3),
            change("Enkät 1", "Enkät 3", 0.4, diff=0.1) | {"id": "b"},
            _trend(0.5, 0.0, -0.1, 0.1, 0.0) | {"id": "b"},
        ]
    )
    text = " ".join(survey_summary({"a": "Nätverk", "b": "Samsyn"}, WAVES, chg))
    assert "Statistiskt säkerställd trend uppåt över alla tre enkäterna: nätverk." in text
    assert "För övriga index (samsyn) går ingen säker förändring att se." in text  # nätverk is not "without change"
    assert "och trenden över alla tre enkäterna, Holm-justerat över 4 test." in text


def test_partly_linked_change_says_every_answer_was_used():
    comp = comparison({"Alla": [3.0, 3.2, 3.8]})
    row = change("Enkät 1", "Enkät 3", 0.002, diff=0.8, test="partover_t", effect=0.5, n_par=31, family="primär")
    text = paragraph(comp, changes(row))
    assert "Medelvärdet ökade från enkät 1 till enkät 3, från 3,0 till 3,8 (alla svar; 31 personer svarade båda gångerna)" in text
    assert "statistiskt säkerställd och effekten stor" in text
