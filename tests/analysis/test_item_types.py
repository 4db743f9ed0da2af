"""Yes/no, choice and number questions, and scale questions on scales of their own (issue 21).

Every number is checked against a reference call (scipy, statsmodels, numpy) quoted in a comment, on counts
taken from the answers the test itself wrote, not from the tidy table the code reads. The tidy table is built
directly, as ingest writes these types: ``janej`` 1 = Ja, 0 = Nej; ``enval`` the option's code; ``flerval`` one
row per respondent with the bitmask of the chosen options (status ``tomt`` when none); ``numerisk`` the number.
"""

from __future__ import annotations

import dataclasses
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from scipy.linalg import null_space
from scipy.stats.contingency import association
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

from slutrapport.analysis.categorical import SHARE_COLUMNS, SHARE_TEST_COLUMNS, share_tests, shares
from slutrapport.analysis.describe import compare_waves, hidden_by_wave
from slutrapport.analysis.families import EXPLORATORY, PRIMARY
from slutrapport.analysis.numeric import NUMERIC_COLUMNS, NUMERIC_TEST_COLUMNS, numeric_summary, numeric_tests
from slutrapport.analysis.shift import hodges_lehmann_independent
from slutrapport.analysis.stattests import MONTE_CARLO_RESAMPLES, MONTE_CARLO_SEED, _options_by_wave
from slutrapport.analysis.suppression import ALL, suppress
from slutrapport.analysis.survey import analyse_survey
from slutrapport.sources.survey import load_instrument
from slutrapport.sources.survey.ingest import TIDY_COLUMNS, SurveyData
from slutrapport.sources.survey.statistics import StatisticsPlan
from tests.analysis.test_disclosure import disclosures

MIN_N = 5
INSTRUMENT = """\
id: typer
namn: Frågetyper
skala:
  varden: {1: Instämmer inte alls, 2: Instämmer i liten grad, 3: Instämmer delvis, 4: Instämmer i hög grad, 5: Instämmer helt}
  positiva: [4, 5]
  saknas: [Vet ej]
skalor:
  betyg:
    varden: {min: 1, max: 10}
    etiketter: {1: Mycket dåligt, 10: Mycket bra}
    positiva: ">= 7"
bakgrund:
  organisation: Organisation
  kod: Kod
index:
  a: Index A
  b: {namn: Betyg, skala: betyg}
fragor:
  - {id: q1, text: "Fråga ett", index: a}
  - {id: q2, text: "Fråga två", index: a, omvand: true}
  - {id: b1, text: "Betyg ett", index: b}
  - {id: b2, text: "Betyg två", index: b, omvand: true}
  - {id: j1, text: "Har du gått utbildningen?", typ: janej}
  - {id: e1, text: "Vilken är din roll?", typ: enval, alternativ: [Handläggare, Chef, Annan roll]}
  - {id: m1, text: "Hur håller du kontakten?", typ: flerval, alternativ: [Telefon, E-post, Möten], avgransare: ";"}
  - {id: n1, text: "Timmar i veckan", typ: numerisk, min: 0, max: 40}
  - {id: f1, text: "Övrigt", typ: fritext}
"""
ROLES = ["Handläggare", "Chef", "Annan roll"]
CONTACTS = ["Telefon", "E-post", "Möten"]
SCALE_IDS = {"a", "b", "q1", "q2", "b1", "b2"}
TYPED_IDS = {"j1", "e1", "m1", "n1"}
WAVES = ["Enkät 1", "Enkät 2"]


@dataclass
class Person:
    wave: int
    org: str
    answers: dict[str, object] = field(default_factory=dict)


def _encode(kind: str, value: object) -> tuple[float, str, str]:
    """(varde, svar, status) of one answer, as ingest writes it for the question's type."""
    if value is None or value == []:
        return np.nan, "", "tomt"
    if value == "Vet ej":
        return np.nan, "Vet ej", "saknas"
    if kind == "janej":
        return {"Ja": 1.0, "Nej": 0.0}[value], str(value), "svar"
    if kind == "enval":
        return float(ROLES.index(value) + 1), str(value), "svar"  # codes 1, 2, 3 in the order of alternativ
    if kind == "flerval":
        return float(sum(2 ** CONTACTS.index(v) for v in value)), ";".join(value), "svar"
    if kind == "fritext":
        return np.nan, str(value), "fritext"
    return float(value), str(value), "svar"


def _survey(people: list[Person], instrument=None, waves: int = 2) -> SurveyData:
    instrument = instrument or _instrument()
    rows = []
    for number, person in enumerate(people):
        for question in instrument.questions:
            if question.id not in person.answers:
                continue
            varde, svar, status = _encode(question.kind, person.answers[question.id])
            rows.append({
                "enkat": f"Enkät {person.wave}", "enkat_nr": person.wave, "respondent": f"{person.wave}:{number + 2}",
                "organisation": person.org, "kod": None, "fraga": question.id, "varde": varde, "svar": svar,
                "status": status, "fil": f"w{person.wave}.csv", "rad": number + 2,
            })  # fmt: skip
    labels = [f"Enkät {w}" for w in range(1, waves + 1)]
    return SurveyData(tidy=pd.DataFrame(rows)[TIDY_COLUMNS], instrument=instrument, waves=labels, files={w: f"{w}.csv" for w in labels})


_INSTRUMENTS: dict[str, object] = {}


def _instrument():
    if "typer" not in _INSTRUMENTS:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "typer.yaml"
            path.write_text(INSTRUMENT, encoding="utf-8")
            _INSTRUMENTS["typer"] = load_instrument(path)
    return _INSTRUMENTS["typer"]


def _raw(people: list[Person], question: str, wave: str, group: str = ALL) -> list[object]:
    """The answers with status svar that the test wrote for one cell."""
    return [
        p.answers[question] for p in people
        if f"Enkät {p.wave}" == wave and (group == ALL or p.org == group)
        and p.answers.get(question) not in (None, [], "Vet ej")
    ]  # fmt: skip


# -- a project with every type: three organisations, two waves ------------------------------------------------


def _mixed_people() -> list[Person]:
    rng = np.random.default_rng(21)
    people = []
    for wave, sizes in ((1, {"AF": 14, "Soc": 10, "FK": 8}), (2, {"AF": 15, "Soc": 9, "FK": 8})):
        for org, size in sizes.items():
            for i in range(size):
                yes = (0.3, 0.75)[wave - 1]
                roles = ((0.65, 0.3, 0.05), (0.05, 0.3, 0.65))[wave - 1]
                contact = ((0.5, 0.3, 0.2), (0.5, 0.7, 0.2))[wave - 1]
                answers = {
                    "q1": int(rng.integers(1, 6)),
                    "q2": "Vet ej" if i % 7 == 0 else int(rng.integers(1, 6)),
                    "b1": int(rng.integers(1, 11) if wave == 1 else rng.integers(3, 11)),
                    "b2": int(rng.integers(1, 11)),
                    "j1": None if i % 9 == 8 else ("Ja" if rng.random() < yes else "Nej"),
                    "e1": str(rng.choice(ROLES, p=roles)),
                    "m1": [c for c, p in zip(CONTACTS, contact, strict=True) if rng.random() < p],
                    "n1": None if i % 11 == 10 else int(rng.integers(0, 20) if wave == 1 else rng.integers(5, 30)),
                    "f1": "Bra" if i % 5 == 0 else None,
                }
                people.append(Person(wave, org, answers))
    return people


@pytest.fixture(scope="module")
def mixed():
    people = _mixed_people()
    survey = _survey(people)
    return people, survey, analyse_survey(survey, MIN_N)


def test_only_scale_questions_enter_the_scale_tables(mixed):
    _, _, results = mixed
    assert set(results.comparison["id"]) == SCALE_IDS
    assert set(results.changes["id"]) <= SCALE_IDS and set(results.group_tests["id"]) <= SCALE_IDS
    assert set(results.intervals["id"]) <= SCALE_IDS and set(results.distribution["id"]) <= SCALE_IDS
    assert set(results.reliability["index"]) <= {"a", "b"}
    assert set(results.shares["fraga"]) == {"j1", "e1", "m1"} and set(results.numeric["fraga"]) == {"n1"}
    assert set(results.share_tests["fraga"]) == {"j1", "e1", "m1"} and set(results.numeric_tests["fraga"]) == {"n1"}
    assert list(results.shares.columns) == SHARE_COLUMNS and list(results.share_tests.columns) == SHARE_TEST_COLUMNS
    assert list(results.numeric.columns) == NUMERIC_COLUMNS and list(results.numeric_tests.columns) == NUMERIC_TEST_COLUMNS


def test_response_summary_counts_scale_answers_apart(mixed):
    people, _, results = mixed
    for wave, row in zip(WAVES, results.summary.itertuples(), strict=True):
        wave_people = [p for p in people if f"Enkät {p.wave}" == wave]
        on_scale = [p.answers[q] for p in wave_people for q in ("q1", "q2", "b1", "b2")]
        assert row.svarande == len(wave_people)
        assert row.svar == sum(v != "Vet ej" for v in on_scale) and row.saknas == sum(v == "Vet ej" for v in on_scale)
        assert row.tomma == 0  # a blank yes/no or number question is not a blank answer on the scale
        assert row.svar_andra == sum(len(_raw(people, q, wave)) for q in TYPED_IDS)


def test_a_ten_point_question_and_index_use_their_own_scale(mixed):
    people, _, results = mixed
    table = results.comparison
    for wave in WAVES:
        b1 = np.array(_raw(people, "b1", wave), dtype=float)
        cell = table[(table["id"] == "b1") & (table["grupp"] == ALL) & (table["enkat"] == wave)].iloc[0]
        assert cell["n"] == b1.size and cell["medel"] == pytest.approx(b1.mean())
        assert cell["andel_positiva"] == pytest.approx(np.mean(b1 >= 7))  # positiva: ">= 7", not the default [4, 5]
        # index b: the mean of b1 and b2 reversed on 1–10 (11 − value); positive when the score is at least 7
        scores = np.array([(p.answers["b1"] + 11 - p.answers["b2"]) / 2 for p in people if f"Enkät {p.wave}" == wave])
        index = table[(table["niva"] == "index") & (table["id"] == "b") & (table["grupp"] == ALL) & (table["enkat"] == wave)].iloc[0]
        assert index["medel"] == pytest.approx(scores.mean()) and index["sd"] == pytest.approx(scores.std(ddof=1))
        assert index["andel_positiva"] == pytest.approx(np.mean(scores >= 7))
        distribution = results.distribution
        spread = distribution[(distribution["id"] == "b1") & (distribution["grupp"] == ALL) & (distribution["enkat"] == wave)]
        assert list(spread["varde"]) == list(range(1, 11))
        assert list(spread["antal"]) == [int((b1 == v).sum()) for v in range(1, 11)]
    assert set(results.distribution.loc[results.distribution["id"] == "q1", "varde"]) == {1, 2, 3, 4, 5}


def _counts(people, question, wave, group):
    """(chosen per option, respondents) from the answers the test wrote."""
    answers = _raw(people, question, wave, group)
    if question == "j1":
        return [sum(a == "Ja" for a in answers), sum(a == "Nej" for a in answers)], len(answers)
    if question == "e1":
        return [sum(a == r for a in answers) for r in ROLES], len(answers)
    return [sum(c in a for a in answers) for c in CONTACTS], len(answers)


def test_shares_count_each_option_with_a_wilson_interval(mixed):
    people, _, results = mixed
    table = results.shares
    assert not table["undertryckt"].any()
    assert set(table["grupp"]) == {ALL, "AF", "Soc", "FK"}
    for (question, wave, group), rows in table.groupby(["fraga", "enkat", "grupp"]):
        counts, n = _counts(people, question, wave, group)
        labels = {"j1": ["Ja", "Nej"], "e1": ROLES, "m1": CONTACTS}[question]
        assert list(rows["alternativ"]) == labels
        assert list(rows["antal"]) == counts and set(rows["n"]) == {n}
        np.testing.assert_allclose(rows["andel"], np.array(counts) / n, rtol=1e-12)
        # statsmodels: proportion_confint(antal, n, alpha=0.05, method="wilson")
        low, high = proportion_confint(np.array(counts), n, alpha=0.05, method="wilson")
        np.testing.assert_allclose(rows["andel_lag"], low, atol=1e-12)
        np.testing.assert_allclose(rows["andel_hog"], high, atol=1e-12)
    m1 = table[(table["fraga"] == "m1") & (table["grupp"] == ALL) & (table["enkat"] == "Enkät 1")]
    assert m1["n"].iloc[0] < sum(p.wave == 1 for p in people)  # those who chose nothing (tomt) are not counted
    assert m1["andel"].sum() > 1  # several options per person


def test_yes_no_and_each_multiple_choice_option_are_tested_as_scipy(mixed):
    people, _, results = mixed
    rows = results.share_tests[results.share_tests["typ"].isin(["janej", "flerval"])]
    assert len(rows) == 4 * 4  # j1 and the three options of m1, for Alla and three groups
    for row in rows.itertuples():
        index = 0 if row.typ == "janej" else CONTACTS.index(row.alternativ)
        before, n1 = _counts(people, row.fraga, row.enkat_fran, row.grupp)
        after, n2 = _counts(people, row.fraga, row.enkat_till, row.grupp)
        k1, k2 = before[index], after[index]
        table = np.array([[k2, n2 - k2], [k1, n1 - k1]])
        assert (row.n_fran, row.n_till) == (n1, n2)
        # scipy: stats.chi2_contingency(table, correction=False); stats.fisher_exact(table) when an expected count < 5
        expected = stats.contingency.expected_freq(table)
        if (expected >= 5).all():
            reference = stats.chi2_contingency(table, correction=False)
            assert row.test == "chi2" and row.statistik == pytest.approx(reference.statistic)
        else:
            reference = stats.fisher_exact(table)
            assert row.test == "fisher" and row.statistik == pytest.approx(reference.statistic)
        assert row.p_unc == pytest.approx(reference.pvalue, rel=1e-9)
        # statsmodels: confint_proportions_2indep(k2, n2, k1, n1, method="newcomb", compare="diff") (later − earlier)
        low, high = confint_proportions_2indep(k2, n2, k1, n1, method="newcomb", compare="diff")
        assert row.effekt == pytest.approx(k2 / n2 - k1 / n1) and row.effekt_typ == "andelsskillnad"
        assert (row.effekt_lag, row.effekt_hog) == (pytest.approx(low), pytest.approx(high))
    assert {"chi2", "fisher"} <= set(rows["test"])
    assert rows.loc[rows["typ"] == "janej", "alternativ"].eq("Ja").all()


def test_single_choice_is_one_omnibus_test_as_scipy(mixed):
    people, _, results = mixed
    rows = results.share_tests[results.share_tests["typ"] == "enval"]
    assert len(rows) == 4 and rows["alternativ"].eq("").all()
    for row in rows.itertuples():
        table = np.column_stack([_counts(people, "e1", row.enkat_fran, row.grupp)[0], _counts(people, "e1", row.enkat_till, row.grupp)[0]])
        table = table[table.sum(axis=1) > 0]
        # scipy: association(table, method="cramer") = sqrt(chi2 / (N (min(r, c) − 1)))
        assert row.effekt == pytest.approx(association(table, method="cramer")) and row.effekt_typ == "cramers_v"
        if (stats.contingency.expected_freq(table) >= 5).all():
            # scipy: stats.chi2_contingency(table, correction=False)
            reference = stats.chi2_contingency(table, correction=False)
            assert row.test == "chi2" and row.statistik == pytest.approx(reference.statistic)
        else:
            # scipy: stats.fisher_exact(table, method=stats.MonteCarloMethod(n_resamples=9999, rng=np.random.default_rng(21)))
            method = stats.MonteCarloMethod(n_resamples=9999, rng=np.random.default_rng(21))
            reference = stats.fisher_exact(table, method=method)
            assert row.test == "fisher_freeman_halton" and row.statistik == pytest.approx(reference.statistic)
            # the Monte Carlo p is within four standard errors of one from 100 times as many tables
            precise = stats.fisher_exact(table, method=stats.MonteCarloMethod(n_resamples=199_999, rng=np.random.default_rng(5))).pvalue
            assert abs(row.p_unc - precise) < 4 * np.sqrt(precise * (1 - precise) / 9999) + 1e-4
        assert row.p_unc == pytest.approx(reference.pvalue, rel=1e-9)
    assert {"chi2", "fisher_freeman_halton"} <= set(rows["test"])
    assert (MONTE_CARLO_RESAMPLES, MONTE_CARLO_SEED) == (9999, 21)  # the reference calls above quote these


def test_fisher_freeman_halton_of_a_table_scipy_answers_with_arrays_is_its_one_number():
    """scipy's Monte Carlo test gives this table's statistic and p as arrays of one number; they were
    converted with float(), which numpy 2 refuses: the comparison stopped with a TypeError."""
    table = np.array([[0, 1], [2, 0], [1, 0]])
    # scipy: stats.fisher_exact(table, method=stats.MonteCarloMethod(n_resamples=9999, rng=np.random.default_rng(21)))
    reference = stats.fisher_exact(table, method=stats.MonteCarloMethod(n_resamples=MONTE_CARLO_RESAMPLES, rng=np.random.default_rng(MONTE_CARLO_SEED)))
    assert np.shape(reference.statistic) == (1,)  # the case itself: else this test tests nothing
    result = _options_by_wave(table)
    assert result.test == "fisher_freeman_halton"
    assert result.statistic == float(reference.statistic[0]) and result.p == float(reference.pvalue[0])


def test_two_option_single_choice_with_small_counts_uses_fishers_exact_test():
    people = [Person(1, "AF", {"e1": r}) for r in ["Chef"] * 2 + ["Handläggare"] * 6]
    people += [Person(2, "AF", {"e1": r}) for r in ["Chef"] * 6 + ["Handläggare"] * 2]
    row = share_tests(_survey(people), MIN_N).iloc[0]
    # scipy: stats.fisher_exact([[6, 2], [2, 6]]) (Handläggare, Chef × wave; "Annan roll" chosen by nobody is dropped)
    reference = stats.fisher_exact([[6, 2], [2, 6]])
    assert row["test"] == "fisher" and row["p_unc"] == pytest.approx(reference.pvalue) and row["statistik"] == pytest.approx(reference.statistic)


def test_number_questions_match_numpy_and_scipy(mixed):
    people, _, results = mixed
    for row in results.numeric.itertuples():
        values = np.array(_raw(people, "n1", row.enkat, row.grupp), dtype=float)
        assert row.n == values.size and row.medel == pytest.approx(values.mean()) and row.sd == pytest.approx(values.std(ddof=1))
        # numpy: np.percentile(values, [25, 50, 75]) (linear, R's type 7)
        assert [row.q1, row.median, row.q3] == pytest.approx(list(np.percentile(values, [25, 50, 75])))
    assert len(results.numeric_tests) == 4
    for row in results.numeric_tests.itertuples():
        before = np.array(_raw(people, "n1", row.enkat_fran, row.grupp), dtype=float)
        after = np.array(_raw(people, "n1", row.enkat_till, row.grupp), dtype=float)
        # scipy: stats.mannwhitneyu(after, before, use_continuity=True, alternative="two-sided", method="asymptotic") (ties)
        reference = stats.mannwhitneyu(after, before, use_continuity=True, alternative="two-sided", method="asymptotic")
        assert row.test == "mann_whitney" and row.statistik == pytest.approx(reference.statistic)
        assert row.p_unc == pytest.approx(reference.pvalue, rel=1e-9)
        assert row.effekt == pytest.approx(2 * reference.statistic / (before.size * after.size) - 1) and row.effekt_typ == "rangbiserial"
        # scipy: stats.ttest_ind(after, before, equal_var=False).confidence_interval()
        welch = stats.ttest_ind(after, before, equal_var=False).confidence_interval()
        assert row.diff_medel == pytest.approx(after.mean() - before.mean())
        assert (row.diff_medel_lag, row.diff_medel_hog) == (pytest.approx(welch.low), pytest.approx(welch.high))
        # Hodges–Lehmann: the median of all differences later − earlier; interval as R's wilcox.test(conf.int = TRUE)
        assert row.hl_skift == pytest.approx(np.median(np.subtract.outer(after, before)))
        assert (row.hl_lag, row.hl_hog) == pytest.approx(hodges_lehmann_independent(before, after)[1:])


def test_the_rank_test_gives_the_direction_not_the_mean():
    # Most answers fall from 10 to 8 hours, two people say 40: the mean rises, the distribution moves down.
    people = [Person(1, "AF", {"n1": 10}) for _ in range(12)]
    people += [Person(2, "AF", {"n1": v}) for v in [8] * 10 + [40, 40]]
    row = numeric_tests(_survey(people), MIN_N).iloc[0]
    # scipy: stats.mannwhitneyu(after, before, method="asymptotic") -> U = 24, rank-biserial 2U/144 − 1 = −2/3
    reference = stats.mannwhitneyu([8] * 10 + [40, 40], [10] * 12, method="asymptotic")
    assert row["p_unc"] == pytest.approx(reference.pvalue) and row["p_corr"] < 0.05
    assert row["diff_medel"] > 0 and row["effekt"] == pytest.approx(-2 / 3)
    assert row["riktning"] == "minskning"


def test_directions_follow_the_adjusted_p(mixed):
    _, _, results = mixed
    for table in (results.share_tests, results.numeric_tests):
        decided = table["p_corr"] < 0.05
        signed = table["effekt_typ"] != "cramers_v"
        assert table.loc[~decided, "riktning"].eq("ingen säker skillnad").all()
        assert table.loc[decided & signed & (table["effekt"] > 0), "riktning"].eq("ökning").all()
        assert table.loc[decided & signed & (table["effekt"] < 0), "riktning"].eq("minskning").all()
        assert table.loc[decided & ~signed, "riktning"].eq("skillnad").all()
    tests = results.share_tests.set_index(["fraga", "grupp", "alternativ"])
    assert tests.loc[("j1", ALL, "Ja"), "riktning"] == "ökning"  # 30 % → 75 % Ja
    assert tests.loc[("e1", ALL, ""), "riktning"] == "skillnad"
    assert results.numeric_tests.set_index("grupp").loc[ALL, "riktning"] == "ökning"


def _exploratory(results):
    tables = (results.changes, results.share_tests, results.numeric_tests)
    return pd.concat([t.loc[t["familj"] == EXPLORATORY, ["p_unc", "p_corr", "justering"]] for t in tables], ignore_index=True)


def test_the_new_tests_are_in_the_one_exploratory_family(mixed):
    _, _, results = mixed
    rows = _exploratory(results)
    finite = rows["p_unc"].notna()
    # statsmodels: multipletests(all exploratory p of forandringar, share_tests and numeric_tests, method="fdr_bh")
    expected = multipletests(rows.loc[finite, "p_unc"], method="fdr_bh")[1]
    np.testing.assert_allclose(rows.loc[finite, "p_corr"], expected, rtol=1e-12)
    assert rows.loc[~finite, "p_corr"].isna().all() and rows["justering"].eq("bh").all()
    assert set(results.share_tests["familj"]) == set(results.numeric_tests["familj"]) == {EXPLORATORY}
    primary = results.changes[results.changes["familj"] == PRIMARY]
    # statsmodels: multipletests(primary p, method="holm") — the primary family is not changed by the new tests
    np.testing.assert_allclose(primary["p_corr"], multipletests(primary["p_unc"], method="holm")[1], rtol=1e-12)


def test_sekundar_holm_adjusts_the_new_tests_with_holm(mixed):
    people, _, _ = mixed
    instrument = dataclasses.replace(_instrument(), statistics=StatisticsPlan(secondary="holm"))
    results = analyse_survey(_survey(people, instrument), MIN_N)
    rows = _exploratory(results)
    finite = rows["p_unc"].notna()
    # statsmodels: multipletests(p, method="holm") over the whole exploratory family
    np.testing.assert_allclose(rows.loc[finite, "p_corr"], multipletests(rows.loc[finite, "p_unc"], method="holm")[1], rtol=1e-12)
    assert rows["justering"].eq("holm").all()


# -- anonymity: a group small on one yes/no question ------------------------------------------------------------


def _privacy_people() -> list[Person]:
    """Wave 1: FK (6) has 3 answers to j1. Wave 2: Soc (9) has 4 answers to n1. Everyone answers the rest."""
    rng = np.random.default_rng(7)
    people = []
    for wave in (1, 2):
        for org, size in (("AF", 12), ("Soc", 9), ("Region", 7), ("FK", 6)):
            for i in range(size):
                answers = {
                    "q1": int(rng.integers(1, 6)), "q2": int(rng.integers(1, 6)),
                    "b1": int(rng.integers(1, 11)), "b2": int(rng.integers(1, 11)),
                    "j1": "Ja" if rng.random() < 0.5 else "Nej",
                    "e1": str(rng.choice(ROLES)), "m1": [str(rng.choice(CONTACTS))],
                    "n1": int(rng.integers(0, 30)),
                }  # fmt: skip
                if wave == 1 and org == "FK" and i >= 3:
                    answers["j1"] = None
                if wave == 2 and org == "Soc" and i >= 4:
                    answers["n1"] = None
                people.append(Person(wave, org, answers))
    return people


@pytest.fixture(scope="module")
def private():
    people = _privacy_people()
    survey = _survey(people)
    return people, survey, analyse_survey(survey, MIN_N)


def _hidden(table, wave_column="enkat"):
    hidden = table[table["undertryckt"].astype(bool) & (table["grupp"] != ALL)]
    return {w: set(hidden.loc[hidden[wave_column] == w, "grupp"]) for w in WAVES}


def test_a_group_small_on_one_question_is_hidden_in_every_table_of_the_wave(private):
    _, survey, results = private
    expected = {"Enkät 1": {"FK", "Region"}, "Enkät 2": {"Soc", "FK"}}  # the small group and the smallest other one
    assert hidden_by_wave(survey, MIN_N) == expected
    assert _hidden(results.comparison) == _hidden(results.shares) == _hidden(results.numeric) == expected
    # the scale questions alone would hide nobody: the yes/no and number cells decide it
    raw = compare_waves(survey, 1).drop(columns="undertryckt")
    assert not suppress(raw, MIN_N)["undertryckt"].any()
    hidden_rows = results.shares[results.shares["undertryckt"]]
    assert hidden_rows[["antal", "n"]].isna().all().all() and hidden_rows[["andel", "andel_lag", "andel_hog"]].isna().all().all()
    assert results.numeric.loc[results.numeric["undertryckt"], ["n", "medel", "sd", "median", "q1", "q3"]].isna().all().all()
    for tests in (results.share_tests, results.numeric_tests):
        for row in tests.itertuples():
            assert row.grupp not in expected[row.enkat_fran] | expected[row.enkat_till], row
    assert disclosures(results.comparison, survey.instrument, MIN_N, results.changes, results.group_tests, results.intervals, results.reliability) == []


def _typed_findings(shares_table: pd.DataFrame, numeric_table: pd.DataFrame, min_n: int = MIN_N) -> list[str]:
    """What a reader of the shares and numbers can derive about hidden cells (as ``disclosures`` for the comparison).

    Per wave and question: Alla = Σ groups for n and each option's count (the number tables: n and sum = n · mean),
    and within a group of a janej or enval question, Σ options = n. A hidden value is derivable when its row of a
    null-space basis of these relations is zero; a remainder "Alla minus the shown groups" of 1 to min_n − 1 is one too.
    """
    cells: list[tuple[str, str, str, str, float | None, bool]] = []  # wave, question, group, quantity, value, hidden
    for r in shares_table.itertuples():
        cells.append((r.enkat, r.fraga, r.grupp, f"antal:{r.alternativ}", None if r.undertryckt else float(r.antal), r.undertryckt))
        cells.append((r.enkat, r.fraga, r.grupp, "n", None if r.undertryckt else float(r.n), r.undertryckt))
    for r in numeric_table.itertuples():
        cells.append((r.enkat, r.fraga, r.grupp, "n", None if r.undertryckt else float(r.n), r.undertryckt))
        cells.append((r.enkat, r.fraga, r.grupp, "summa", None if r.undertryckt else float(r.n * r.medel), r.undertryckt))
    frame = pd.DataFrame(cells, columns=["enkat", "fraga", "grupp", "storhet", "varde", "dold"]).drop_duplicates(["enkat", "fraga", "grupp", "storhet"])
    findings: list[str] = []
    for wave, rows in frame.groupby("enkat"):
        unknowns = {key: i for i, key in enumerate(rows.loc[rows["dold"], ["fraga", "grupp", "storhet"]].itertuples(index=False, name=None))}
        equations: list[dict[int, float]] = []
        for (question, quantity), part in rows.groupby(["fraga", "storhet"]):
            everyone = part[part["grupp"] == ALL]
            if quantity == "n" and len(everyone) and not everyone["dold"].iloc[0]:
                remainder = everyone["varde"].iloc[0] - part.loc[(part["grupp"] != ALL) & ~part["dold"], "varde"].sum()
                if 0 < remainder < min_n:
                    findings.append(f"{wave} {question}: Alla minus the shown groups leaves {remainder:g}")
            equation = {unknowns[(question, g, quantity)]: 1.0 for g in part.loc[part["dold"] & (part["grupp"] != ALL), "grupp"]}
            if (question, ALL, quantity) in unknowns:
                equation[unknowns[(question, ALL, quantity)]] = -1.0
            if equation:
                equations.append(equation)
        for (question, group), part in rows[rows["fraga"].isin(["j1", "e1"])].groupby(["fraga", "grupp"]):
            if part["dold"].any():  # Σ options = n within the group
                equations.append({unknowns[(question, group, q)]: (-1.0 if q == "n" else 1.0) for q in part["storhet"]})
        if not unknowns:
            continue
        matrix = np.zeros((max(len(equations), 1), len(unknowns)))
        for r, equation in enumerate(equations):
            for column, coefficient in equation.items():
                matrix[r, column] += coefficient
        basis = null_space(matrix)
        norms = np.linalg.norm(basis, axis=1) if basis.shape[1] else np.zeros(len(unknowns))
        findings += [f"{wave}: {key} of a hidden cell is derivable" for key, column in unknowns.items() if norms[column] < 1e-9]
    return findings


def test_nothing_hidden_is_derivable_from_the_shares_and_numbers(private):
    _, survey, results = private
    assert _typed_findings(results.shares, results.numeric) == []
    # the attacker is not idle: hiding the small group alone (per table, as before issue 17) is found out
    full_shares, full_numbers = shares(survey, 1), numeric_summary(survey, 1)
    only_fk = full_shares.assign(undertryckt=(full_shares["grupp"] == "FK") & (full_shares["enkat"] == "Enkät 1"))
    numbers = full_numbers.assign(undertryckt=(full_numbers["grupp"] == "FK") & (full_numbers["enkat"] == "Enkät 1"))
    found = _typed_findings(only_fk, numbers)
    assert "Enkät 1: ('j1', 'FK', 'n') of a hidden cell is derivable" in found, found
    assert any("Alla minus the shown groups leaves 3" in f for f in found), found


def test_alla_with_too_few_answers_is_hidden_in_that_cell_only():
    q1 = {1: [1, 2, 2, 2, 4, 5, 5, 5, 4, None], 2: [1, 2, 2, 2, 4, 5, 5, 5, 4, None]}  # mean 30 / 9 in both waves
    people = [Person(w, "AF", {"q1": q1[w][i], "j1": "Ja", "n1": 3 * i}) for w in (1, 2) for i in range(10)]
    for person in people[13:]:
        person.answers["n1"] = None  # 3 answers to n1 in wave 2
    survey = _survey(people)
    results = analyse_survey(survey, MIN_N)
    numbers = results.numeric.set_index(["grupp", "enkat"])
    assert numbers.loc[(ALL, "Enkät 2"), "undertryckt"] and pd.isna(numbers.loc[(ALL, "Enkät 2"), "n"])
    assert not numbers.loc[(ALL, "Enkät 1"), "undertryckt"] and numbers.loc[(ALL, "Enkät 1"), "n"] == 10
    assert results.numeric_tests.empty  # no test involves the hidden cell
    # AF has 3 answers there too: hidden in every table of wave 2, while Alla stays shown on the other questions
    assert hidden_by_wave(survey, MIN_N) == {"Enkät 1": set(), "Enkät 2": {"AF"}}
    comparison = results.comparison.set_index(["id", "grupp", "enkat"])
    assert comparison.loc[("q1", "AF", "Enkät 2"), "undertryckt"] and not comparison.loc[("q1", ALL, "Enkät 2"), "undertryckt"]
    assert not results.shares.loc[(results.shares["grupp"] == ALL), "undertryckt"].any()
    # wave 2 has a hidden cell: its means are published at the report's precision (one decimal), wave 1 exact
    assert comparison.loc[("q1", ALL, "Enkät 2"), "medel"] == pytest.approx(3.3, abs=1e-12)
    assert comparison.loc[("q1", ALL, "Enkät 1"), "medel"] == pytest.approx(30 / 9, abs=1e-12)


def test_without_an_organisation_question_only_alla_is_reported_and_rounded_alike():
    instrument = dataclasses.replace(_instrument(), background={})
    q1 = [1, 2, 2, 2, 4, 5, 5, 5, 4, None]  # mean 30 / 9
    people = [Person(w, "AF", {"q1": q1[i], "j1": "Ja" if i % 3 else "Nej", "n1": 3 * i}) for w in (1, 2) for i in range(10)]
    for person in people[13:]:
        person.answers["n1"] = None  # Alla has 3 answers to n1 in wave 2
    survey = _survey(people, instrument)
    results = analyse_survey(survey, MIN_N)
    assert set(results.shares["grupp"]) == set(results.numeric["grupp"]) == set(results.comparison["grupp"]) == {ALL}
    j1 = results.shares[(results.shares["fraga"] == "j1") & (results.shares["enkat"] == "Enkät 1")]
    assert list(j1["antal"]) == [6, 4] and list(j1["alternativ"]) == ["Ja", "Nej"]
    assert results.numeric["undertryckt"].tolist() == [False, True] and not results.comparison["undertryckt"].any()
    # the hidden number cell makes wave 2 a wave with a hidden cell: every table rounds it the same way
    for table in (results.comparison, compare_waves(survey, MIN_N)):
        means = table[table["id"] == "q1"].set_index("enkat")["medel"]
        assert means["Enkät 1"] == pytest.approx(30 / 9, abs=1e-12) and means["Enkät 2"] == pytest.approx(3.3, abs=1e-12)
