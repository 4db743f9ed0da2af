"""The sources as they stood at the end of an interim report's period (analysis/interim.py)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from slutrapport.analysis.interim import budget_until, forms_until, register_until
from slutrapport.analysis.participants import analyse_participants
from slutrapport.pipeline.read import read_project_budget, read_project_forms, read_project_register
from slutrapport.project.folder import load_project
from tests.conftest import SAMPLES


@pytest.fixture(scope="module")
def sample():
    project = load_project(SAMPLES)
    register, _goals = read_project_register(project)
    return project, register


def _raw_register() -> pd.DataFrame:
    """The demo register read independently of the package (the file is Windows-1252 with semicolons)."""
    raw = pd.read_csv(SAMPLES / "deltagare.csv", sep=";", encoding="cp1252", dtype=str, keep_default_na=False)
    return raw.assign(
        inskrivning=pd.to_datetime(raw["Inskrivningsdatum"].str[:10]),  # a few are written with a time of day
        avslut=pd.to_datetime(raw["Avslutsdatum"].str[:10].replace("", None)),
    )


@pytest.mark.parametrize("end", [date(2025, 6, 30), date(2025, 12, 31), date(2025, 3, 31)])
def test_the_register_is_known_as_on_the_last_day(sample, end):
    _project, register = sample
    narrowed, note = register_until(register, end)
    raw = _raw_register()
    day = pd.Timestamp(end)
    enrolled = raw[raw["inskrivning"] <= day]
    finished = enrolled[enrolled["avslut"].notna() & (enrolled["avslut"] <= day)]
    assert len(narrowed.table) == len(enrolled) and f"{len(enrolled)} deltagare var inskrivna" in note
    assert int(narrowed.table["avslut"].notna().sum()) == len(finished)
    assert narrowed.table["status"].notna().sum() == len(finished)  # a later avslut is not known yet: no status
    assert narrowed.report_date == end
    results = analyse_participants(narrowed, 1)  # min_n 1: nothing hidden, every count compared
    assert results.enrolled == len(enrolled) and results.finished == len(finished)
    assert results.active == len(enrolled) - len(finished)
    assert register.table["avslut"].notna().sum() > len(finished)  # the original register is left as it was


def test_a_period_before_anyone_was_enrolled_leaves_the_register_out(sample):
    _project, register = sample
    narrowed, reason = register_until(register, date(2024, 12, 31))
    assert narrowed is None and "inga deltagare inskrivna till och med 2024-12-31" in reason


def test_the_budget_keeps_the_periods_begun_by_the_end(sample):
    project, _register = sample
    budget = read_project_budget(project)
    assert budget.periods == ["2025", "2026"]
    kept, note = budget_until(budget, date(2025, 12, 31))
    assert kept.periods == ["2025"] and set(kept.table["period"]) == {"2025"}
    assert "budget och utfall för 2025" in note and "längre tid" not in note
    kept, note = budget_until(budget, date(2025, 6, 30))  # a yearly budget in a half-year report: said, not split
    assert kept.periods == ["2025"] and "kan gälla en längre tid än rapportperioden" in note
    kept, reason = budget_until(budget, date(2024, 12, 31))
    assert kept is None and "ingen period som börjar senast 2024-12-31" in reason


def test_a_budget_whose_periods_name_no_dates_is_kept_whole(sample):
    project, _register = sample
    budget = read_project_budget(project)
    renamed = budget.table.assign(period=budget.table["period"].map({"2025": "Etapp 1", "2026": "Etapp 2"}))
    from dataclasses import replace

    kept, note = budget_until(replace(budget, table=renamed, periods=["Etapp 1", "Etapp 2"]), date(2025, 6, 30))
    assert kept.periods == ["Etapp 1", "Etapp 2"] and "anger inga datum: alla perioder visas" in note


def test_the_forms_dated_after_the_end_are_left_out(sample):
    project, _register = sample
    forms = read_project_forms(project)
    dates = pd.to_datetime(forms.forms["datum"])
    end = date(2025, 12, 31)
    kept, note = forms_until(forms, end)
    expected = int((dates <= pd.Timestamp(end)).sum())
    assert 0 < expected < len(forms.forms) and len(kept.forms) == expected
    assert set(kept.answers["formular"]) == set(kept.forms["formular"])
    assert f"räknar {expected} formulär daterade till och med 2025-12-31" in note
    none, reason = forms_until(forms, date(2024, 1, 1))
    assert none is None and "inget självvärderingsformulär" in reason
