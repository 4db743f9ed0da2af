"""The reading keys of projekt.yaml (blad, rubrikrad, etiketter, teckenkodning, dubbletter): survey level, per wave, checks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from slutrapport.core.errors import ProjectError
from slutrapport.pipeline import read
from slutrapport.project.folder import PROJECT_FILE, SURVEY_KEYS, WAVE_KEYS, init_project, load_project
from slutrapport.project.reading import READ_KEYS, duplicates_choice, encoding_problem
from slutrapport.sources.readers import FORMATS
from slutrapport.sources.readers.options import ReadOptions
from tests.conftest import MINI_INSTRUMENT, write_csv


def _project(root: Path, survey: dict) -> Path:
    """A project folder with two small waves, the mini instrument and ``survey`` merged into personalenkat:."""
    (root / "enkater").mkdir(parents=True)
    rows = [["AF", f"k{i}", 4, 4, 2, ""] for i in range(3)]
    write_csv(root / "enkater" / "w1.csv", rows)
    write_csv(root / "enkater" / "w2.csv", [["AF", f"k{i}", 5, 4, 1, ""] for i in range(3)])  # the same file twice is an error
    (root / "enkater" / "w1.lss").write_text("<?xml version='1.0'?><document/>", encoding="utf-8")
    (root / "mini.yaml").write_text(MINI_INSTRUMENT, encoding="utf-8")
    data = {
        "projekt": {"namn": "Test"},
        "personalenkat": {"instrument": "mini.yaml", "enkater": [{"fil": "enkater/w1.csv"}, {"fil": "enkater/w2.csv"}]},
    }
    waves = survey.pop("waves", None)
    data["personalenkat"].update(survey)
    for item, extra in zip(data["personalenkat"]["enkater"], waves or [], strict=False):
        item.update(extra)
    (root / PROJECT_FILE).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return root


def test_the_keys_are_known_at_both_levels():
    for key in READ_KEYS:
        assert key in SURVEY_KEYS and key in WAVE_KEYS
    assert {"fil", "etikett", "datum", "format"} <= set(WAVE_KEYS)


def test_no_keys_reads_as_before(tmp_path):
    project = load_project(_project(tmp_path / "p", {}))
    assert project.read_options == ReadOptions()
    assert [w.options for w in project.waves] == [ReadOptions(), ReadOptions()]


def test_survey_level_keys_reach_every_wave_and_a_wave_overrides_them(tmp_path):
    root = _project(
        tmp_path / "p",
        {
            "blad": "Svar",
            "rubrikrad": 2,
            "teckenkodning": "cp1252",
            "dubbletter": "behalls",
            "waves": [{"blad": "Blad 2", "rubrikrad": 4, "etiketter": "enkater/w1.lss", "dubbletter": "räknas en gång", "format": "limesurvey"}],
        },
    )
    project = load_project(root)
    assert project.read_options == ReadOptions(sheet="Svar", header_row=2, encoding="cp1252", keep_duplicates=True)
    first, second = (w.options for w in project.waves)
    assert first == ReadOptions(
        format="limesurvey", sheet="Blad 2", header_row=4, labels_file=root / "enkater" / "w1.lss", encoding="cp1252", keep_duplicates=False
    )
    assert second == project.read_options


@pytest.mark.parametrize(
    "survey, expected",
    [
        ({"rubrikrader": 3}, "okänd nyckel 'rubrikrader' under 'personalenkat'; menade du 'rubrikrad'?"),
        ({"waves": [{"teckenkodnig": "cp1252"}]}, "okänd nyckel 'teckenkodnig' i enkät nr 1 under 'enkater'; menade du 'teckenkodning'?"),
        ({"rubrikrad": 0}, "'rubrikrad' under 'personalenkat' ska vara ett heltal ≥ 1"),
        ({"rubrikrad": "tre"}, "'rubrikrad' under 'personalenkat' ska vara ett heltal ≥ 1"),
        ({"waves": [{}, {"rubrikrad": True}]}, "'rubrikrad' i enkät nr 2 under 'enkater' ska vara ett heltal ≥ 1"),
        ({"waves": [{"etiketter": "enkater/saknas.lss"}]}, "etikettfilen enkater/saknas.lss i enkät nr 1 under 'enkater' finns inte"),
        ({"teckenkodning": "klingon"}, "'teckenkodning' under 'personalenkat': okänd teckenkodning 'klingon'"),
        ({"teckenkodning": "rot13"}, "okänd teckenkodning 'rot13'"),
        ({"dubbletter": "ja"}, "'dubbletter' under 'personalenkat' ska vara raknas_en_gang (standard) eller behalls, fick 'ja'"),
        ({"dubbletter": True}, "'dubbletter' under 'personalenkat' ska vara raknas_en_gang (standard) eller behalls, fick true"),
        ({"blad": ["a"]}, "'blad' under 'personalenkat' ska vara kalkylbladets namn"),
        ({"waves": [{"format": "excel"}]}, "'format' i enkät nr 1 under 'enkater' ska vara en av google_forms, microsoft_forms"),
    ],
)
def test_wrong_values_are_named_in_swedish(tmp_path, survey, expected):
    root = _project(tmp_path / "p", survey)
    with pytest.raises(ProjectError) as caught:
        load_project(root)
    assert expected in str(caught.value)


@pytest.mark.parametrize(
    "survey, key",
    [
        ({"teckenkodning": "undefined"}, "teckenkodning"),  # codecs.lookup knows it, but it decodes nothing
        ({"waves": [{}, {"teckenkodning": "undefined"}]}, "teckenkodning"),
        ({"waves": [{"dubbletter": "kanske"}]}, "dubbletter"),
        ({"etiketter": "saknas.lss"}, "etiketter"),
    ],
)
def test_a_wrong_reading_value_names_its_line(tmp_path, survey, key):
    root = _project(tmp_path / "p", survey)
    text = (root / PROJECT_FILE).read_text(encoding="utf-8").splitlines()
    line = next(number for number, written in enumerate(text, start=1) if written.strip().lstrip("- ").startswith(f"{key}:"))
    with pytest.raises(ProjectError) as caught:
        load_project(root)
    assert f"- rad {line}: '{key}'" in str(caught.value) or f"- rad {line}: etikettfilen" in str(caught.value), str(caught.value)


def test_every_wrong_value_is_listed_at_once(tmp_path):
    root = _project(tmp_path / "p", {"rubrikrad": 0, "teckenkodning": "x-okänd", "waves": [{"dubbletter": "kanske"}]})
    with pytest.raises(ProjectError, match="har 3 problem"):
        load_project(root)


def test_read_project_survey_passes_one_options_per_wave(tmp_path, monkeypatch):
    root = _project(tmp_path / "p", {"teckenkodning": "utf-8", "waves": [{}, {"rubrikrad": 1, "dubbletter": "behalls"}]})
    seen = {}

    def fake_read_waves(paths, instrument, labels=None, column_map=None, format=None, wave_column=None, *, options=None, progress=None):
        seen.update(paths=paths, options=options)
        return "läst"

    monkeypatch.setattr(read, "read_waves", fake_read_waves)
    assert read.read_project_survey(load_project(root)) == "läst"
    assert [p.name for p in seen["paths"]] == ["w1.csv", "w2.csv"]
    assert seen["options"] == [ReadOptions(encoding="utf-8"), ReadOptions(encoding="utf-8", header_row=1, keep_duplicates=True)]


def test_a_project_with_reading_keys_is_read(tmp_path):
    # the real reading with the keys that the readers of this branch already honour
    root = _project(tmp_path / "p", {"rubrikrad": 1, "teckenkodning": "utf-8", "dubbletter": "raknas_en_gang"})
    survey = read.read_project_survey(load_project(root))
    assert survey.waves == ["Enkät 1", "Enkät 2"]


def test_the_init_template_documents_the_keys_and_they_parse_when_uncommented(tmp_path):
    root = tmp_path / "nytt"
    init_project(root)
    text = (root / PROJECT_FILE).read_text(encoding="utf-8")
    for key in READ_KEYS:
        assert f"  # {key}: " in text
    (root / "enkater" / "enkat1.lss").write_text("<?xml version='1.0'?><document/>", encoding="utf-8")
    for key in READ_KEYS:
        text = text.replace(f"  # {key}: ", f"  {key}: ", 1)
    (root / PROJECT_FILE).write_text(text, encoding="utf-8")
    project = load_project(root)
    assert project.read_options == ReadOptions(
        sheet="Svar", header_row=3, labels_file=root / "enkater" / "enkat1.lss", encoding="cp1252", keep_duplicates=False
    )


def test_the_init_template_names_every_format(tmp_path):
    init_project(tmp_path / "nytt")
    text = (tmp_path / "nytt" / PROJECT_FILE).read_text(encoding="utf-8")
    listed = text[text.index("ange det bara om det blir fel") : text.index("# format: ")]
    named = re.findall(r"\b[a-z_]+\b", listed.split("(", 1)[1].split(")", 1)[0])
    assert named == list(FORMATS)


def test_encoding_and_duplicates_helpers():
    assert encoding_problem("UTF-8") is None and encoding_problem("mac_roman") is None and encoding_problem("latin1") is None
    assert "okänd teckenkodning" in encoding_problem("hex")  # a bytes-to-bytes codec is no text encoding
    assert duplicates_choice("Behålls") is True and duplicates_choice("raknas-en-gang") is False
    assert duplicates_choice("nej") is None and duplicates_choice(1) is None
