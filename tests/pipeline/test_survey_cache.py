"""The survey cache: a project's survey files are parsed once until a file or a reading setting changes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from slutrapport.core.errors import ValidationError
from slutrapport.pipeline import SurveyCache, read, read_project_survey
from slutrapport.pipeline.cache import survey_key
from slutrapport.project.folder import PROJECT_FILE, load_project
from tests.conftest import MINI_INSTRUMENT, write_csv

ROWS = [["AF", f"k{i}", 4, 4, 2, ""] for i in range(3)]
ROWS_2 = [["AF", f"k{i}", 5, 4, 1, ""] for i in range(3)]  # another wave's answers (the same file twice is an error)


def _project(root: Path, survey: dict | None = None) -> Path:
    (root / "enkater").mkdir(parents=True, exist_ok=True)
    write_csv(root / "enkater" / "w1.csv", ROWS)
    write_csv(root / "enkater" / "w2.csv", ROWS_2)
    (root / "mini.yaml").write_text(MINI_INSTRUMENT, encoding="utf-8")
    _settings(root, survey or {})
    return root


def _settings(root: Path, survey: dict) -> None:
    data = {"personalenkat": {"instrument": "mini.yaml", "enkater": [{"fil": "enkater/w1.csv"}, {"fil": "enkater/w2.csv"}], **survey}}
    (root / PROJECT_FILE).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


@pytest.fixture
def parses(monkeypatch) -> list:
    """One entry per call of read_waves (the real one still reads)."""
    calls: list = []
    real = read.read_waves

    def counting(*args, **kwargs):
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(read, "read_waves", counting)
    return calls


def test_the_same_files_and_settings_are_parsed_once(tmp_path, parses):
    root = _project(tmp_path / "p")
    cache = SurveyCache()
    first = read_project_survey(load_project(root), cache)
    second = read_project_survey(load_project(root), cache)  # a new Project object, as each page view loads one
    assert len(parses) == 1
    assert second is first
    assert len(cache) == 1


def test_without_a_cache_every_call_parses(tmp_path, parses):
    root = _project(tmp_path / "p")
    read_project_survey(load_project(root))
    read_project_survey(load_project(root))
    assert len(parses) == 2


def test_a_changed_file_is_parsed_again(tmp_path, parses):
    root = _project(tmp_path / "p")
    cache = SurveyCache()
    read_project_survey(load_project(root), cache)
    write_csv(root / "enkater" / "w2.csv", ROWS + [["Soc", "k9", 1, 1, 5, ""]])  # other size
    survey = read_project_survey(load_project(root), cache)
    assert len(parses) == 2
    assert len(survey.tidy[survey.tidy["enkat"] == "Enkät 2"]["respondent"].unique()) == 4
    stat = (root / "enkater" / "w1.csv").stat()
    os.utime(root / "enkater" / "w1.csv", ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))  # same size, saved again
    read_project_survey(load_project(root), cache)
    assert len(parses) == 3


@pytest.mark.parametrize(
    "change",
    [
        {"rubrikrad": 1},
        {"teckenkodning": "utf-8"},
        {"dubbletter": "behalls"},
        {"kolumner": {"Fråga ett": "q1"}},
        {"alias": {"Stämmer helt": 5}},
    ],
)
def test_a_changed_reading_setting_is_parsed_again(tmp_path, parses, change):
    root = _project(tmp_path / "p")
    cache = SurveyCache()
    before = survey_key(load_project(root))
    read_project_survey(load_project(root), cache)
    _settings(root, change)
    assert survey_key(load_project(root)) != before
    read_project_survey(load_project(root), cache)
    assert len(parses) == 2


def test_a_changed_instrument_file_is_parsed_again(tmp_path, parses):
    root = _project(tmp_path / "p")
    cache = SurveyCache()
    read_project_survey(load_project(root), cache)
    (root / "mini.yaml").write_text(MINI_INSTRUMENT.replace("Miniinstrument", "Miniinstrumentet"), encoding="utf-8")
    assert read_project_survey(load_project(root), cache).instrument.name == "Miniinstrumentet"
    assert len(parses) == 2


def test_errors_are_kept_too(tmp_path, parses):
    root = _project(tmp_path / "p")
    write_csv(root / "enkater" / "w2.csv", [["AF", "k1", "Instämmer nästan", 4, 2, ""]])
    cache = SurveyCache()
    for _ in range(2):
        with pytest.raises(ValidationError) as caught:
            read_project_survey(load_project(root), cache)
        assert "Instämmer nästan" in str(caught.value)
    assert len(parses) == 1


def test_the_cache_keeps_only_the_last_readings(tmp_path, parses):
    one, two = _project(tmp_path / "a"), _project(tmp_path / "b")
    cache = SurveyCache(size=1)
    for root in (one, two, one):
        read_project_survey(load_project(root), cache)
    assert len(parses) == 3 and len(cache) == 1
    cache.clear()
    assert len(cache) == 0
