"""The goals read with their sources from a project folder (pipeline/goals.py): no register needed, a missing source named."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from slutrapport.core.errors import ProjectError, ValidationError
from slutrapport.pipeline.goals import project_goals, show_totals
from slutrapport.pipeline.results import analyse_project
from slutrapport.project.folder import load_project
from tests.conftest import SAMPLES

PROJECT = """\
projekt:
  namn: Litet projekt
  period: {start: 2025-01-01, slut: 2026-06-30}
mall: rar-slutrapport
deltagarenkat:
  fil: deltagarenkat.csv
  instrument: deltagarenkat.yaml
aktiviteter: aktiviteter.csv
mal:
  - {mal: Bättre hälsa, matt: andel_svar, fraga: halsa, svar: positiva, malvarde: 60 %}
  - {mal: Informationsträffar, matt: aktiviteter, typ: Informationsträff, malvarde: 6}
  - {mal: Rutiner, matt: kvalitativt, bedomning: nej, motivering: Inte påbörjat.}
"""


@pytest.fixture
def project(tmp_path) -> Path:
    for name in ("deltagarenkat.csv", "deltagarenkat.yaml", "aktiviteter.csv"):
        shutil.copy(SAMPLES / name, tmp_path / name)
    (tmp_path / "projekt.yaml").write_text(PROJECT, encoding="utf-8")
    return tmp_path


def test_goals_without_a_register_are_read_from_their_own_sources(project):
    results = analyse_project(load_project(project))
    assert results.participants is None
    table = results.goals.table
    # the sample survey: 20 of 31 answered 4 or 5 (65 % ≥ 60 %); 8 informationsträffar ≥ 6; the project's own nej
    assert list(table["uppnatt"]) == ["ja", "ja", "nej"] and (table.loc[0, "taljare"], table.loc[0, "namnare"]) == (20, 31)
    assert results.goals.show_totals is True


def test_a_goal_whose_source_is_missing_is_an_error_naming_the_key(project):
    text = (project / "projekt.yaml").read_text(encoding="utf-8")
    (project / "projekt.yaml").write_text(text + "  - {mal: Kvinnor, matt: andel, kon: kvinnor, malvarde: 50 %}\n", encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        project_goals(load_project(project), None)
    problem = info.value.report.errors()[0]
    assert (problem.fil, problem.kolumn, problem.varde) == ("projekt.yaml", "mal nr 4: matt", "andel")
    assert "deltagare: som saknas" in problem.meddelande


def test_a_missing_survey_file_and_the_totals_setting(project):
    (project / "deltagarenkat.csv").unlink()
    with pytest.raises(ProjectError, match="deltagarenkat: filen deltagarenkat.csv finns inte"):
        project_goals(load_project(project), None)
    text = (project / "projekt.yaml").read_text(encoding="utf-8")
    (project / "projekt.yaml").write_text(text + "sekretess:\n  deltagare:\n    totaler: dolj\n", encoding="utf-8")
    assert show_totals(load_project(project)) is False
