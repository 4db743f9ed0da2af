"""Goals under ``mal:``: parsing, the Wilson interval, attainment, hidden outcomes and the sentences."""

from __future__ import annotations

import pandas as pd
import pytest

from slutrapport.analysis.goal_outcomes import evaluate_goals
from slutrapport.analysis.goals import AT_MOST, GOAL_COLUMNS, GOAL_DETAIL_COLUMNS, Goal, attainment, goal_description, goal_table, parse_goals
from slutrapport.analysis.intervals import wilson_interval
from slutrapport.sources.register.participants import DEFAULT_STATUS
from slutrapport.wording.goals import goal_sentence
from tests.analysis.test_participants import register

statsmodels_proportion = pytest.importorskip("statsmodels.stats.proportion")


def goals(raw) -> tuple[list[Goal], list]:
    parsed, report = parse_goals(raw, DEFAULT_STATUS, {"jobb": "arbete"})
    return parsed, report.problems


def share_goal(target: float, direction: str = "minst") -> Goal:
    return Goal("g", "Mål", "andel", "avslutade", ("arbete",), target, direction, ("arbete",))


# -- parsing ---------------------------------------------------------------------


def test_a_share_goal_and_a_count_goal():
    parsed, found = goals(
        [
            {"id": "as", "mal": "Minst 40 % till arbete eller studier", "matt": "andel", "kategorier": ["Arbete", "studier"], "malvarde": "40 %"},
            {"mål": "Minst 25 inskrivna", "mått": "antal", "population": "inskrivna", "målvärde": 25},
        ]
    )
    assert found == []
    share, count = parsed
    assert (share.id, share.measure, share.population, share.categories, share.target) == ("as", "andel", "avslutade", ("arbete", "studier"), 0.4)
    assert (count.id, count.measure, count.population, count.categories, count.target) == ("mal2", "antal", "inskrivna", (), 25)
    assert share.direction == count.direction == "minst"


@pytest.mark.parametrize("raw, share", [("40 %", 0.4), ("40%", 0.4), (0.4, 0.4), ("0,4", 0.4), (40, 0.4), ("12,5 %", 0.125), (1, 1.0)])
def test_share_targets_in_every_common_spelling(raw, share):
    # a bare number above 1 is per cent; 1 and below is a fraction
    parsed, found = goals([{"matt": "andel", "kategorier": "arbete", "malvarde": raw}])
    assert found == [] and parsed[0].target == pytest.approx(share)


def test_national_groups_and_aliases_expand_to_statuses():
    parsed, _ = goals([{"matt": "andel", "kategorier": ["aktivt arbetssökande", "Jobb"], "malvarde": "30 %", "riktning": "högst"}])
    assert parsed[0].categories == ("arbete", "arbetssökande", "insats hos AF")  # in the register's order
    assert parsed[0].direction == AT_MOST and parsed[0].category_words == ("aktivt arbetssökande", "Jobb")


@pytest.mark.parametrize(
    "raw, column, fragment",
    [
        ({"matt": "andel", "kategorier": ["semester"], "malvarde": "40 %"}, "mal nr 1: kategorier", "okänd status 'semester'"),
        ({"matt": "andel", "kategorier": ["arbete"], "malvarde": "140 %"}, "mal nr 1: malvarde", "mellan 0 och 100 %"),
        ({"matt": "andel", "malvarde": "40 %"}, "mal nr 1: kategorier", "behöver kategorier"),
        ({"kategorier": ["arbete"], "malvarde": "40 %"}, "mal nr 1: matt", "andel"),
        ({"matt": "antal", "malvarde": "2,5"}, "mal nr 1: malvarde", "heltal"),
        ({"matt": "antal", "malvarde": "många"}, "mal nr 1: malvarde", "ett tal"),
        ({"matt": "antal", "malvarde": 5, "population": "alla"}, "mal nr 1: population", "avslutade eller inskrivna"),
        ({"matt": "antal", "malvarde": 5, "riktning": "ungefär"}, "mal nr 1: riktning", "minst eller högst"),
        ({"matt": "antal", "malvarde": 5, "farg": "röd"}, "mal nr 1: farg", "okänd nyckel"),
    ],
)
def test_bad_goals_name_the_goal_and_key(raw, column, fragment):
    parsed, found = goals([raw])
    assert parsed == []
    assert [(p.fil, p.kolumn) for p in found] == [("projekt.yaml", column)]
    assert fragment in found[0].meddelande


def test_duplicate_goal_ids_and_a_goal_list_that_is_not_a_list():
    _, found = goals([{"id": "a", "matt": "antal", "malvarde": 1}, {"id": "a", "matt": "antal", "malvarde": 2}])
    assert [p.kolumn for p in found] == ["mal nr 2: id"] and "flera mål" in found[0].meddelande
    _, found = goals({"matt": "antal"})
    assert "lista" in found[0].meddelande


# -- the interval and attainment ------------------------------------------------------


@pytest.mark.parametrize("k, n", [(14, 38), (0, 12), (12, 12), (1, 3), (40, 50), (250, 1000)])
def test_wilson_interval_matches_statsmodels(k, n):
    # reference: statsmodels.stats.proportion.proportion_confint(k, n, alpha=0.05, method="wilson")
    low, high = statsmodels_proportion.proportion_confint(k, n, alpha=0.05, method="wilson")
    assert wilson_interval(k, n) == pytest.approx((low, high), abs=1e-12)


def test_share_attainment_compares_the_point_estimate_and_gives_the_interval_beside_it():
    # 14/38 = 0.368, Wilson 95 % interval 0.234–0.527 (statsmodels proportion_confint(14, 38, method="wilson")).
    # The verdict is the point estimate against the target, even when the interval contains the target.
    outcome, low, high, verdict = attainment(share_goal(0.40), 14, 38)
    assert outcome == pytest.approx(14 / 38) and (low, high) == pytest.approx((0.2338, 0.5272), abs=1e-4)
    assert verdict == "nej"
    assert attainment(share_goal(0.36), 14, 38)[3] == "ja"  # inside the interval, below the estimate
    assert attainment(share_goal(0.20), 14, 38)[3] == "ja"
    assert attainment(share_goal(0.60), 14, 38)[3] == "nej"
    # "högst" is the mirror image
    assert attainment(share_goal(0.40, "högst"), 14, 38)[3] == "ja"
    assert attainment(share_goal(0.36, "högst"), 14, 38)[3] == "nej"


def test_a_target_equal_to_the_outcome_is_reached():
    assert attainment(share_goal(0.5), 19, 38)[3] == "ja"
    assert attainment(share_goal(0.5, "högst"), 19, 38)[3] == "ja"


def test_count_attainment_and_an_empty_population():
    count = Goal("c", "Mål", "antal", "inskrivna", (), 25, "minst", ())
    assert attainment(count, 25, 0) == (25, None, None, "ja")
    assert attainment(count, 24, 0)[3] == "nej"
    assert attainment(Goal("c", "Mål", "antal", "inskrivna", (), 10, AT_MOST, ()), 11, 0)[3] == "nej"
    assert attainment(share_goal(0.4), 0, 0) == (None, None, None, "osäkert")


def test_goal_table_hides_outcomes_resting_on_hidden_counts():
    table = goal_table([share_goal(0.4), share_goal(0.4)], [(14, 38, False, False), (3, 38, True, False)])
    assert list(table.columns) == GOAL_COLUMNS + GOAL_DETAIL_COLUMNS
    shown, hidden = table.to_dict("records")
    assert (shown["taljare"], shown["namnare"], shown["uppnatt"], shown["grund"]) == (14, 38, "nej", "punktskattning")
    assert pd.isna(hidden["taljare"]) and hidden["grund"] == "dolt"
    assert hidden["utfall"] is None and hidden["ci_lag"] is None and hidden["uppnatt"] == "osäkert"


# -- with the register ---------------------------------------------------------------


def _sample_register(tmp_path):
    rows = [[str(i), "KM"[i % 2], "30", "2025-02-01", "2025-06-01", "lön", "arbete" if i < 12 else "avbrott", "2"] for i in range(30)]
    rows += [["s1", "K", "30", "2025-02-01", "2025-06-01", "lön", "studier", "2"], ["s2", "M", "30", "2025-02-01", "", "lön", "", "2"]]
    rows += [[f"a{i}", "KM"[i % 2], "30", "2025-03-01", "", "lön", "", "2"] for i in range(6)]
    return register(tmp_path, rows)


def test_goals_from_a_register_use_the_unsuppressed_counts(tmp_path):
    reg = _sample_register(tmp_path)
    parsed, _ = parse_goals(
        [
            {"id": "arbete", "matt": "andel", "kategorier": ["arbete", "studier"], "malvarde": "30 %"},
            {"id": "studier", "matt": "andel", "kategorier": ["studier"], "malvarde": "10 %"},
            {"id": "inskrivna", "matt": "antal", "malvarde": 40},
            {"id": "avbrott", "matt": "antal", "population": "avslutade", "kategorier": "avbrott", "malvarde": 20, "riktning": "högst"},
        ],
        reg.status_groups,
        reg.aliases,
    )
    results, problems = evaluate_goals(parsed, register=reg, min_n=5)
    assert problems.problems == []
    rows_ = {r["id"]: r for r in results.table.to_dict("records")}
    # 13 of 31 finished (12 arbete + 1 studier) = 0.419 ≥ 0.30 → ja (the Wilson interval 0.264–0.592 is beside it)
    assert (rows_["arbete"]["taljare"], rows_["arbete"]["namnare"], rows_["arbete"]["uppnatt"]) == (13, 31, "ja")
    # 1 in studier is a count of the whole project: shown with the project totals (sekretess: deltagare: totaler: visa);
    # 1/31 = 3 % < 10 % → nej (statsmodels proportion_confint(1, 31, method="wilson") = (0.0057, 0.162) beside it)
    assert (rows_["studier"]["taljare"], rows_["studier"]["namnare"], rows_["studier"]["uppnatt"]) == (1, 31, "nej")
    # with totaler: dolj the 1 is under 5: hidden, and so is the outcome; the verdict still uses the count
    hidden = {r["id"]: r for r in evaluate_goals(parsed, register=reg, min_n=5, show_totals=False)[0].table.to_dict("records")}
    assert pd.isna(hidden["studier"]["taljare"]) and pd.isna(hidden["studier"]["utfall"])
    assert (hidden["studier"]["uppnatt"], hidden["studier"]["grund"]) == ("nej", "dolt")
    # 38 enrolled (30 + 2 + 6) against at least 40
    assert (rows_["inskrivna"]["utfall"], rows_["inskrivna"]["uppnatt"]) == (38, "nej")
    # 18 avbrott against at most 20
    assert (rows_["avbrott"]["utfall"], rows_["avbrott"]["uppnatt"]) == (18, "ja")


def test_with_totals_hidden_a_goal_on_a_small_count_hides_the_outcome_and_keeps_the_verdict(tmp_path):
    reg = _sample_register(tmp_path)
    parsed, _ = parse_goals([{"id": "studier", "matt": "andel", "kategorier": ["studier"], "malvarde": "10 %"}], reg.status_groups)
    row = evaluate_goals(parsed, register=reg, min_n=5, show_totals=False)[0].table.iloc[0]
    assert row["utfall"] is None and pd.isna(row["taljare"]) and pd.isna(row["namnare"])
    # 1 of 31 = 3 % < 10 %: the verdict uses the count it needs even though it is hidden (issue 22)
    assert (row["uppnatt"], row["grund"]) == ("nej", "dolt")


# -- sentences ----------------------------------------------------------------------


def _row(**values):
    base = dict.fromkeys(GOAL_COLUMNS)
    return base | {"mal": "Minst 40 % till arbete eller studier"} | values


def test_sentences_follow_the_table():
    goal = Goal("g", "", "andel", "avslutade", ("arbete", "studier"), 0.4, "minst", ("arbete", "studier"))
    below = _row(taljare=14, namnare=38, utfall=14 / 38, ci_lag=0.2338, ci_hog=0.5272, uppnatt="nej", grund="punktskattning")
    assert goal_sentence(goal, below, 5) == (
        "Målet ”Minst 40 % till arbete eller studier” är inte uppnått: 14 av 38 avslutade deltagare hade status arbete "
        "eller studier vid avslut (37\u00a0%, 95 % konfidensintervall 23–53\u00a0%), målvärdet är minst 40\u00a0%. "
        "Konfidensintervallet omfattar målvärdet, så med så här få deltagare kan den verkliga andelen ligga på andra sidan målvärdet."
    )
    reached = goal_sentence(goal, _row(taljare=30, namnare=38, utfall=30 / 38, ci_lag=0.64, ci_hog=0.89, uppnatt="ja", grund="punktskattning"), 5)
    assert reached.startswith("Målet ”Minst 40 % till arbete eller studier” är uppnått: 30 av 38")
    assert reached.endswith("målvärdet är minst 40\u00a0%.")
    hidden = goal_sentence(goal, _row(uppnatt="osäkert", grund="dolt"), 5)
    assert "visas inte" in hidden and "färre än 5 deltagare" in hidden and "38" not in hidden
    count = Goal("c", "", "antal", "inskrivna", (), 45, "minst", ())
    assert goal_sentence(count, _row(mal="Minst 45 inskrivna", utfall=52, uppnatt="ja", grund="antal"), 5) == (
        "Målet ”Minst 45 inskrivna” är uppnått: 52 deltagare skrevs in (målvärde minst 45)."
    )


def test_generated_goal_descriptions():
    assert goal_description("andel", "avslutade", ("arbete", "studier"), 0.4, "minst") == (
        "Minst 40\u00a0% av de avslutade deltagarna har status arbete eller studier vid avslut"
    )
    assert goal_description("antal", "inskrivna", (), 25, "minst") == "Minst 25 deltagare skrivs in"
    assert goal_description("antal", "avslutade", ("avbrott",), 5, "högst") == "Högst 5 avslutade deltagare har status avbrott vid avslut"


def test_a_goal_without_text_gets_a_description_in_the_table():
    table = goal_table([Goal("g", "", "antal", "inskrivna", (), 25, "minst", ())], [(30, 30, False, False)])
    assert table.loc[0, "mal"] == "Minst 25 deltagare skrivs in"
