"""Every reader of a user's file goes through the input guard (:mod:`slutrapport.core.inputs`).

Each reader is given a named pipe, a folder and ``/dev/zero`` where its file
should be: it must refuse them with a Swedish message naming the path, and
never block (opening a pipe waits for a writer) or read without end. Every
call runs in a thread with a time limit (:func:`tests.special_files.within`), so a regression
fails here instead of hanging the test run; a pipe is unblocked afterwards.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from slutrapport.core.errors import InputFileError, InstrumentError, ProjectError, SlutrapportError
from slutrapport.core.inputs import TEXT_LIMIT, open_input_file, read_text_limited
from tests.special_files import special, within

SAMPLES = Path(__file__).resolve().parents[2] / "data_samples"
posix_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes and /dev/zero exist on POSIX only")
has_dev_zero = pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")

#: What the guard says about each kind of special file.
SAYS = {"pipe": "en namngiven pipe", "mapp": "en mapp", "enhet": "en teckenenhet"}


KINDS = [
    pytest.param("pipe", marks=posix_only),
    "mapp",
    pytest.param("enhet", marks=[posix_only, has_dev_zero]),
]


def _refused(call, path: Path, kind: str, error: type[SlutrapportError] = SlutrapportError) -> str:
    with pytest.raises(error) as caught:
        within(call, path)
    message = str(caught.value)
    assert f"ingen vanlig fil ({SAYS[kind]}" in message, message
    assert path.name in message
    return message


# ---------------------------------------------------------------- survey files and their companions


@pytest.mark.parametrize("kind", KINDS)
def test_a_survey_file_is_refused_unopened(tmp_path, kind):
    from slutrapport.sources.readers import read_raw

    path = special(tmp_path / "enkat.csv", kind)
    _refused(lambda: read_raw(path), path, kind, InputFileError)


@pytest.mark.parametrize("kind", KINDS)
def test_a_zip_container_is_only_opened_when_it_is_a_file(tmp_path, kind):
    from slutrapport.sources.readers.detect import container

    path = special(tmp_path / "enkat.xlsx", kind)
    _refused(lambda: container(path, b"PK\x03\x04"), path, kind, InputFileError)


@pytest.mark.parametrize("kind", KINDS)
def test_an_spss_file_is_checked_before_the_child_process_starts(tmp_path, kind):
    from slutrapport.sources.readers import spss

    path = special(tmp_path / "enkat.sav", kind)
    _refused(lambda: spss.read(path), path, kind, InputFileError)


@pytest.mark.parametrize("kind", KINDS)
def test_a_label_file_is_refused(tmp_path, kind):
    from slutrapport.sources.readers.labels import read_labels

    path = special(tmp_path / "etiketter.lss", kind)
    message = _refused(lambda: read_labels(path), path, kind, InputFileError)
    assert message.startswith("Etikettfilen ")


@pytest.mark.parametrize("kind", KINDS)
def test_an_instrument_and_a_form_definition_are_refused(tmp_path, kind):
    from slutrapport.sources.forms.definition import FormDefinitionError, load_definition
    from slutrapport.sources.survey.instrument import load_instrument

    path = special(tmp_path / "instrument.yaml", kind)
    assert _refused(lambda: load_instrument(path), path, kind, InstrumentError).startswith("Instrumentfilen ")
    assert _refused(lambda: load_definition(path), path, kind, FormDefinitionError).startswith("Formulärdefinitionen ")


def test_a_folder_named_as_a_builtin_instrument_is_not_in_the_way(tmp_path, monkeypatch):
    from slutrapport.sources.survey.instrument import load_instrument

    monkeypatch.chdir(tmp_path)
    (tmp_path / "samverkan").mkdir()
    assert load_instrument("samverkan").id == "samverkan"


@pytest.mark.parametrize("definition_id", ["../forms/sjalvvardering", "instruments/samverkan", "..", "a\\b"])
def test_a_builtin_id_never_names_a_file_elsewhere(definition_id):
    from slutrapport.sources.definitions import builtin_text
    from slutrapport.sources.survey.instrument import _KIND

    with pytest.raises(InstrumentError, match="Det finns inget inbyggt instrument"):
        builtin_text(_KIND, definition_id)


@pytest.mark.parametrize("kind", KINDS)
def test_a_column_map_is_refused(tmp_path, kind):
    from slutrapport.pipeline import load_column_map

    path = special(tmp_path / "kolumner.yaml", kind)
    assert _refused(lambda: load_column_map(path), path, kind, InputFileError).startswith("Kolumnmappningen ")


# ---------------------------------------------------------------- the other data sources


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", ["ekonomi.xlsx", "ekonomi.csv", "ekonomi.yaml"])
def test_a_budget_file_is_refused(tmp_path, kind, name):
    from slutrapport.sources.economy.budget import read_budget

    path = special(tmp_path / name, kind)
    assert _refused(lambda: read_budget(path), path, kind, InputFileError).startswith("Ekonomifilen ")


@pytest.mark.parametrize("kind", KINDS)
def test_a_budget_workbook_is_read_through_the_guard(tmp_path, kind):
    from slutrapport.sources.economy.table import xlsx_rows

    path = special(tmp_path / "ekonomi.xlsx", kind)
    _refused(lambda: xlsx_rows(path, None), path, kind, InputFileError)


@pytest.mark.parametrize("kind", KINDS)
def test_a_parameter_file_is_refused(tmp_path, kind):
    from slutrapport.sources.economy.socioeconomic import read_parameters

    path = special(tmp_path / "socioekonomi.yaml", kind)
    assert _refused(lambda: read_parameters(path), path, kind, InputFileError).startswith("Parameterfilen ")


@pytest.mark.parametrize("kind", KINDS)
def test_a_filled_form_is_reported_not_opened(tmp_path, kind):
    from slutrapport.sources.forms.definition import load_definition
    from slutrapport.sources.forms.read import check_forms

    folder = tmp_path / "sjalvvardering"
    shutil.copytree(SAMPLES / "sjalvvardering", folder)
    path = folder / "slut-01.xlsx"
    path.unlink()
    special(path, kind)
    report = within(lambda: check_forms(folder if kind != "mapp" else path, load_definition()), path)
    problems = [p for p in report.errors() if "ingen vanlig fil" in p.meddelande]
    if kind == "mapp":  # a folder given as the form is no form; a folder among the forms is looked into
        assert any("inga ifyllda formulär" in p.meddelande for p in report.errors())
    else:
        assert problems and problems[0].fil == "slut-01.xlsx" and SAYS[kind] in problems[0].meddelande


@pytest.mark.parametrize("kind", KINDS)
def test_a_register_file_is_reported(tmp_path, kind):
    from slutrapport.sources.register.participants import RegisterValidationError, read_register

    path = special(tmp_path / "deltagare.csv", kind)
    with pytest.raises(RegisterValidationError) as caught:
        within(lambda: read_register({"fil": "deltagare.csv"}, tmp_path), path)
    messages = [p.meddelande for p in caught.value.report.errors()]
    assert any(f"ingen vanlig fil ({SAYS[kind]}" in m for m in messages), messages


# ---------------------------------------------------------------- the project folder


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "projekt"
    root.mkdir()
    (root / "projekt.yaml").write_text("projekt:\n  namn: Test\n", encoding="utf-8")
    return root


@pytest.mark.parametrize("kind", KINDS)
def test_projekt_yaml_is_refused_by_every_reader(tmp_path, kind):
    from slutrapport.project.edit import edit_project, project_version, read_project_data
    from slutrapport.project.folder import load_project
    from slutrapport.project.uploads import upload_names

    root = tmp_path / "projekt"
    path = special(root / "projekt.yaml", kind)
    for call in (lambda: load_project(root), lambda: read_project_data(root), lambda: project_version(root), lambda: edit_project(root, "x", [])):
        _refused(call, path, kind, ProjectError)
    assert within(lambda: upload_names(root), path) == {}


@pytest.mark.parametrize("kind", KINDS)
def test_a_narrative_text_is_refused(tmp_path, kind):
    from slutrapport.project.folder import read_narrative
    from slutrapport.project.texts import read_text, save_text

    root = _project(tmp_path)
    path = special(root / "texter" / "uppdraget.md", kind)
    assert _refused(lambda: read_narrative(path), path, kind, ProjectError).startswith("Textfilen ")
    for call in (lambda: read_text(root, "uppdraget"), lambda: save_text(root, "uppdraget", "Ny text", "")):
        if kind == "enhet":  # the web editor refuses a link out of texter/ before anything else
            with pytest.raises(ProjectError, match="kan inte ha en textfil"):
                within(call, path)
        else:
            _refused(call, path, kind, ProjectError)
    assert read_narrative(root / "texter" / "saknas.md") is None  # an absent text is still just absent


@pytest.mark.parametrize("kind", KINDS)
def test_a_template_file_is_refused(tmp_path, kind):
    from slutrapport.project.templates import load_template

    path = special(tmp_path / "mallar" / "egen" / "mall.yaml", kind)
    assert _refused(lambda: load_template("egen", [tmp_path / "mallar"]), path, kind, ProjectError).startswith("Mallfilen ")


@pytest.mark.parametrize("template_id", ["../egen", "a/b", "..", "x\\y"])
def test_a_template_id_never_names_a_folder_elsewhere(tmp_path, template_id):
    from slutrapport.project.templates import load_template

    with pytest.raises(ProjectError, match="får inte innehålla / eller"):
        load_template(template_id, [tmp_path])


# ---------------------------------------------------------------- bounded text


def test_a_text_file_over_the_limit_is_refused_naming_the_limit(tmp_path):
    from slutrapport.project.folder import load_project

    root = _project(tmp_path)
    with (root / "projekt.yaml").open("r+b") as handle:
        handle.truncate(TEXT_LIMIT + 1)  # sparse: costs no disk
    with pytest.raises(ProjectError, match=r"Projektfilen .*projekt\.yaml är för stor \(5 MB\); största tillåtna storlek är 5 MB"):
        load_project(root)


def test_text_and_handles_of_regular_files_are_read(tmp_path):
    path = tmp_path / "text.md"
    path.write_bytes("\ufeffÅ ä ö".encode())
    assert read_text_limited(path) == "Å ä ö"
    with open_input_file(path) as handle:
        assert handle.read(3) == b"\xef\xbb\xbf"
    path.write_bytes(b"\xff\xfe")
    with pytest.raises(UnicodeDecodeError):
        read_text_limited(path)
