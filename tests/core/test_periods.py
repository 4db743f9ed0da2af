"""The period of ``build --delrapport PERIOD`` and the period labels of data files (core/periods.py)."""

from __future__ import annotations

from datetime import date

import pytest

from slutrapport.core.periods import PeriodError, label_period, parse_period


@pytest.mark.parametrize(
    ("text", "start", "end", "slug"),
    [
        ("2025", date(2025, 1, 1), date(2025, 12, 31), "2025"),
        ("2025H1", date(2025, 1, 1), date(2025, 6, 30), "2025-h1"),
        ("2025-h2", date(2025, 7, 1), date(2025, 12, 31), "2025-h2"),
        ("2025 H2", date(2025, 7, 1), date(2025, 12, 31), "2025-h2"),
        ("2025-halvar1", date(2025, 1, 1), date(2025, 6, 30), "2025-h1"),
        ("2024K1", date(2024, 1, 1), date(2024, 3, 31), "2024-k1"),
        ("2025 K3", date(2025, 7, 1), date(2025, 9, 30), "2025-k3"),
        ("2025q4", date(2025, 10, 1), date(2025, 12, 31), "2025-k4"),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29), "2024-02"),  # a leap year's February
        ("2025-12", date(2025, 12, 1), date(2025, 12, 31), "2025-12"),
        (" 2025-01-15..2025-06-30 ", date(2025, 1, 15), date(2025, 6, 30), "2025-01-15_2025-06-30"),
        ("2025-03-01..2025-03-01", date(2025, 3, 1), date(2025, 3, 1), "2025-03-01_2025-03-01"),
    ],
)
def test_every_written_form_names_its_first_and_last_day(text, start, end, slug):
    period = parse_period(text)
    assert (period.start, period.end, period.slug) == (start, end, slug)


def test_the_period_in_words_and_as_dates():
    assert parse_period("2025").label == "1 januari–31 december 2025"
    assert parse_period("2025H1").span == "2025-01-01 – 2025-06-30"
    assert parse_period("2025-12-01..2026-05-31").label == "1 december 2025–31 maj 2026"


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("2025H3", "'2025H3' är ingen period: ange ett år (2025), ett halvår (2025H1, 2025H2)"),
        ("2025K5", "'2025K5' är ingen period"),
        ("2025-13", "'2025-13' är ingen period"),
        ("våren 2025", "'våren 2025' är ingen period"),
        ("", "'' är ingen period"),
        ("2025-02-30..2025-06-30", "'2025-02-30..2025-06-30' innehåller datumet 2025-02-30, som inte finns"),
        ("2025-06-30..2025-01-01", "'2025-06-30..2025-01-01' slutar före den börjar"),
    ],
)
def test_a_value_that_names_no_period_is_a_swedish_error_naming_it(text, said):
    with pytest.raises(PeriodError) as raised:
        parse_period(text)
    assert said in str(raised.value)


def test_data_file_period_labels_are_read_the_same_way():
    assert label_period("2025") == (date(2025, 1, 1), date(2025, 12, 31))
    assert label_period("2025 H1") == (date(2025, 1, 1), date(2025, 6, 30))  # the participant tables' label
    assert label_period("2025 K3") == (date(2025, 7, 1), date(2025, 9, 30))
    assert label_period("Etapp 1") is None
