"""Sentences about yes/no, choice and number questions, and the scale phrases: direction from ``riktning`` only."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from slutrapport.sources.definitions import Scale
from slutrapport.wording.items import choice_sentences, numeric_sentences, told_rows, yes_no_sentences
from slutrapport.wording.scales import category_labels, positive_text, scale_span, threshold_text, value_text

WAVES = ["Enkät 1", "Enkät 2", "Enkät 3"]
QUESTION = "Har du deltagit i en utbildning inom projektet?"
NB = "\u00a0"


def _shares(values: dict[str, float], option: str = "Ja", **extra) -> pd.DataFrame:
    return pd.DataFrame([{"enkat": w, "grupp": "Alla", "alternativ": option, "andel": v, **extra} for w, v in values.items()])


def _test(start: str, end: str, direction: str, family: str = "primär", adjustment: str = "holm", p_corr: float = 0.004, option=np.nan) -> dict:
    return {"enkat_fran": start, "enkat_till": end, "riktning": direction, "familj": family, "justering": adjustment,
            "p_corr": p_corr, "alternativ": option, "grupp": "Alla"}  # fmt: skip


def _tests(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=["enkat_fran", "enkat_till", "riktning", "familj", "justering", "p_corr", "alternativ", "grupp"])


RISING = {"Enkät 1": 0.40, "Enkät 2": 0.52, "Enkät 3": 0.65}


def test_a_certain_increase_in_the_share_answering_yes():
    (sentence,) = yes_no_sentences(QUESTION, WAVES, _shares(RISING), _tests(_test("Enkät 1", "Enkät 3", "ökning")))
    assert sentence == (
        f"Andelen som svarade ja på ”{QUESTION}” ökade från 40{NB}% i enkät 1 till 65{NB}% i enkät 3 "
        "(skillnaden är statistiskt säker efter justering; primärt test, Holm-justerat p = 0,004)."
    )


def test_rising_shares_without_a_certain_difference_never_say_increased():
    (sentence,) = yes_no_sentences(QUESTION, WAVES, _shares(RISING), _tests(_test("Enkät 1", "Enkät 3", "ingen säker skillnad", p_corr=0.08)))
    assert "ökade" not in sentence and "minskade" not in sentence
    assert sentence == (
        f"Andelen som svarade ja på ”{QUESTION}” var 40{NB}% i enkät 1 och 65{NB}% i enkät 3; "
        "skillnaden är inte statistiskt säker efter justering."
    )


def test_the_direction_is_the_tests_even_when_the_printed_shares_are_equal():
    shares = _shares({"Enkät 1": 0.504, "Enkät 3": 0.496})
    (sentence,) = yes_no_sentences(QUESTION, WAVES, shares, _tests(_test("Enkät 1", "Enkät 3", "minskning")))
    assert "minskade från 50\u00a0% i enkät 1 till 50\u00a0% i enkät 3" in sentence


def test_an_exploratory_change_is_a_lead_not_a_certain_result():
    (sentence,) = yes_no_sentences(QUESTION, WAVES, _shares(RISING), _tests(_test("Enkät 1", "Enkät 3", "ökning", "utforskande", "bh", 0.03)))
    assert "ökade" in sentence and "(utforskande, BH-justerat p = 0,03: en ledtråd, inte en slutsats)" in sentence
    assert "statistiskt säker" not in sentence


def test_without_tests_the_levels_are_told_and_a_hidden_wave_is_named_without_a_reason():
    shares = _shares(RISING).assign(undertryckt=[False, True, False])
    (sentence,) = yes_no_sentences(QUESTION, WAVES, shares, _tests())
    assert sentence == (
        f"Andelen som svarade ja på ”{QUESTION}” var 40{NB}% i enkät 1 och 65{NB}% i enkät 3. "
        "Vid enkät 2 är resultatet för alla svarande skyddat och visas inte."
    )


def test_the_first_to_last_comparison_is_told_first_and_other_pairs_only_when_certain():
    tests = _tests(
        _test("Enkät 2", "Enkät 3", "ökning", "utforskande", "bh", 0.02),
        _test("Enkät 1", "Enkät 2", "ingen säker skillnad", "utforskande", "bh", 0.5),
        _test("Enkät 1", "Enkät 3", "ökning"),
        _test("alla", "alla", "ökning", "utforskande", "bh", 0.01),
    )
    assert [(r.enkat_fran, r.enkat_till) for r in told_rows(tests, WAVES).itertuples()] == [("Enkät 1", "Enkät 3"), ("Enkät 2", "Enkät 3")]
    sentences = yes_no_sentences(QUESTION, WAVES, _shares(RISING), tests)
    assert len(sentences) == 2 and "från 52\u00a0% i enkät 2 till 65\u00a0% i enkät 3" in sentences[1]


def test_without_a_first_to_last_test_every_pair_is_told():
    tests = _tests(_test("Enkät 1", "Enkät 2", "ingen säker skillnad"), _test("Enkät 2", "Enkät 3", "ingen säker skillnad"))
    assert len(told_rows(tests, WAVES)) == 2


OPTIONS = ["Handläggare", "Chef", "Annan roll"]


def _choice_shares() -> pd.DataFrame:
    values = {"Handläggare": (0.6, 0.5), "Chef": (0.2, 0.3), "Annan roll": (0.2, 0.2)}
    waves = ("Enkät 1", "Enkät 3")
    return pd.DataFrame([{"enkat": w, "grupp": "Alla", "alternativ": o, "andel": v[i]} for o, v in values.items() for i, w in enumerate(waves)])


def test_a_choice_question_tells_the_certain_option_and_sums_up_the_others():
    tests = _tests(
        _test("Enkät 1", "Enkät 3", "ökning", "utforskande", "bh", 0.02, option="Chef"),
        _test("Enkät 1", "Enkät 3", "ingen säker skillnad", "utforskande", "bh", 0.3, option="Handläggare"),
        _test("Enkät 1", "Enkät 3", "ingen säker skillnad", "utforskande", "bh", 0.9, option="Annan roll"),
    )
    first, second = choice_sentences("Vilken är din roll?", OPTIONS, WAVES, _choice_shares(), tests, multiple=False)
    assert first.startswith("Andelen som valde ”Chef” på ”Vilken är din roll?” ökade från 20\u00a0% i enkät 1 till 30\u00a0% i enkät 3")
    assert second == "För övriga alternativ är skillnaden mellan enkät 1 och enkät 3 inte statistiskt säker efter justering."


def test_a_choice_question_without_certain_changes_says_so_even_when_shares_moved():
    tests = _tests(*(_test("Enkät 1", "Enkät 3", "ingen säker skillnad", "utforskande", "bh", 0.3, option=o) for o in OPTIONS))
    (sentence,) = choice_sentences("Vilken är din roll?", OPTIONS, WAVES, _choice_shares(), tests, multiple=False)
    assert "ökade" not in sentence and "minskade" not in sentence
    assert sentence.startswith("Ingen av skillnaderna mellan enkät 1 och enkät 3")


@pytest.mark.parametrize(
    "direction, expected",
    [
        ("skillnad", "Fördelningen av svaren på ”Vilken är din roll?” skilde sig mellan enkät 1 och enkät 3 (utforskande"),
        ("ingen säker skillnad", "Fördelningen av svaren på ”Vilken är din roll?” skilde sig inte statistiskt säkert mellan enkät 1 och enkät 3"),
    ],
)
def test_a_single_choice_questions_distribution_test_is_told(direction, expected):
    # The omnibus test of a single-choice question has no option (alternativ "") and no direction.
    tests = _tests(_test("Enkät 1", "Enkät 3", direction, "utforskande", "bh", 0.01, option=""))
    first, second = choice_sentences("Vilken är din roll?", OPTIONS, WAVES, _choice_shares(), tests, multiple=False)
    assert first.startswith(expected.replace("(utforskande", "(")) or first.startswith(expected.split(" (")[0])
    assert "ökade" not in first and "minskade" not in first
    assert second.startswith("I enkät 3 valde")


def test_a_choice_question_without_tests_gives_the_last_waves_shares():
    (sentence,) = choice_sentences("Hur håller du kontakten?", OPTIONS, WAVES, _choice_shares(), _tests(), multiple=True)
    assert sentence == (
        "I enkät 3 valde 50\u00a0% ”Handläggare”, 30\u00a0% ”Chef” och 20\u00a0% ”Annan roll” på ”Hur håller du kontakten?” "
        "(flera alternativ kunde väljas)."
    )


HOURS = "Hur många timmar i veckan ägnar du åt samverkan?"


def _numbers() -> pd.DataFrame:
    return pd.DataFrame(
        [{"enkat": "Enkät 1", "grupp": "Alla", "medel": 2.5, "median": 2.0}, {"enkat": "Enkät 3", "grupp": "Alla", "medel": 4.4, "median": 4.5}]
    )


@pytest.mark.parametrize(("direction", "word"), [("ökning", "högre"), ("minskning", "lägre")])
def test_a_certain_change_in_a_number_question(direction, word):
    (sentence,) = numeric_sentences(HOURS, WAVES, _numbers(), _tests(_test("Enkät 1", "Enkät 3", direction)))
    assert sentence == (
        f"Svaren på ”{HOURS}” var {word} i enkät 3 än i enkät 1 (median 2 och 4,5, medelvärde 2,5 och 4,4; "
        "skillnaden är statistiskt säker efter justering; primärt test, Holm-justerat p = 0,004)."
    )


def test_rising_numbers_without_a_certain_difference_are_not_called_higher():
    (sentence,) = numeric_sentences(HOURS, WAVES, _numbers(), _tests(_test("Enkät 1", "Enkät 3", "ingen säker skillnad", p_corr=0.2)))
    assert not any(word in sentence for word in ("högre", "lägre", "ökade", "minskade"))
    assert sentence.endswith("(medelvärde 2,5 och 4,4); skillnaden är inte statistiskt säker efter justering.")


# ---------------------------------------------------------------- scale phrases

ENDS = Scale(dict.fromkeys(range(1, 8), "") | {1: "Instämmer inte alls", 7: "Instämmer helt"}, frozenset({5, 6, 7}))


def test_an_unlabelled_value_is_its_number_never_none():
    assert value_text(ENDS, 4) == "4"
    assert value_text(ENDS, 7) == "7 (Instämmer helt)"
    assert scale_span(ENDS) == "1 (Instämmer inte alls) till 7 (Instämmer helt)"
    assert positive_text(ENDS) == "5–7 (7 = Instämmer helt)"
    labels = category_labels(ENDS, list(range(1, 8)))
    assert labels == ["1 (Instämmer inte alls)", "2", "3", "4", "5", "6", "7 (Instämmer helt)"]
    assert not any("None" in text for text in [*labels, scale_span(ENDS), positive_text(ENDS)])


def test_a_fully_labelled_scale_keeps_its_labels():
    scale = Scale({1: "Aldrig", 2: "Sällan", 3: "Ibland", 4: "Ofta", 5: "Alltid"}, frozenset({4, 5}))
    assert category_labels(scale, [1, 2, 3, 4, 5]) == ["Aldrig", "Sällan", "Ibland", "Ofta", "Alltid"]
    assert positive_text(scale) == "4 (Ofta), 5 (Alltid)"


@pytest.mark.parametrize(("positive", "text"), [({5, 6, 7}, "minst 5"), ({1, 2}, "högst 2"), ({3, 4}, "avrundat 3 eller 4")])
def test_when_an_index_score_counts_as_positive(positive, text):
    assert threshold_text(Scale(ENDS.values, frozenset(positive))) == text
