"""The blank templates the web page offers read back with the project's own readers: no errors except being empty."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import openpyxl
import pytest
import yaml

from slutrapport.core.errors import ValidationError
from slutrapport.pipeline.blanks import BLANKS, blank_file
from slutrapport.project.folder import init_project
from slutrapport.sources.economy.budget import read_budget
from slutrapport.sources.economy.socioeconomic import read_parameters
from slutrapport.sources.forms.definition import load_definition
from slutrapport.sources.forms.read import read_forms
from slutrapport.sources.register.participants import read_register
from slutrapport.sources.register.settings import field_for
from tests.conftest import SAMPLES


@pytest.fixture
def project(tmp_path) -> Path:
    root = tmp_path / "vagen"
    shutil.copytree(SAMPLES, root)
    return root


def _write(folder: Path, name: str, root: Path) -> Path:
    file_name, data = blank_file(root, name)
    assert file_name == BLANKS[name][0]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / file_name
    path.write_bytes(data)
    return path


def test_register_template_has_every_required_column_and_the_project_period(project, tmp_path):
    path = _write(tmp_path / "mallar", "deltagare", project)
    workbook = openpyxl.load_workbook(path)
    headings = [c.value for c in workbook["Deltagare"][1]]
    assert {field_for(h) for h in headings} >= {"id", "kon", "inskrivningsdatum", "avslutsdatum", "status", "forsorjning"}
    assert workbook.sheetnames == ["Deltagare"]
    notes = workbook["Deltagare"]["A1"].comment.text
    assert "Projektperiod: 2025-01-01 – 2026-06-30" in notes and "Arbetsförmedlingen" in notes
    # read back: every column is found; the only problem is that there are no participants
    with pytest.raises(ValidationError) as caught:
        read_register({"fil": str(path)}, tmp_path)
    errors = caught.value.report.errors()
    assert errors and all("saknas" not in p.kontroll for p in errors), [p.meddelande for p in errors]
    assert all("inga" in p.meddelande.lower() or "tom" in p.meddelande.lower() for p in errors), [p.meddelande for p in errors]


def test_budget_template_has_a_pair_of_columns_per_project_year(project, tmp_path):
    path = _write(tmp_path / "mallar", "budget", project)
    sheet = openpyxl.load_workbook(path)["Budget"]
    assert [c.value for c in sheet[2]] == ["Kategori", "Budget 2025", "Utfall 2025", "Budget 2026", "Utfall 2026"]
    with pytest.raises(ValidationError) as caught:
        read_budget(path)
    errors = caught.value.report.errors()
    assert errors and all(p.kontroll == "belopp" and "värde saknas" in p.meddelande for p in errors), [(p.kontroll, p.meddelande) for p in errors]


def test_budget_template_of_a_new_project_without_a_period_has_this_year(tmp_path):
    root = tmp_path / "nytt"
    init_project(root, "rar-slutrapport")
    path = _write(tmp_path / "mallar", "budget", root)
    year = str(date.today().year)
    assert [c.value for c in openpyxl.load_workbook(path)["Budget"][2]] == ["Kategori", f"Budget {year}", f"Utfall {year}"]


def test_form_template_reads_back_as_an_empty_form(project, tmp_path):
    folder = tmp_path / "formular"
    _write(folder, "sjalvvardering", project)
    try:
        forms = read_forms(folder, load_definition(None))
        problems = forms.report.errors()
    except ValidationError as exc:
        problems = exc.report.errors()
    assert all("inga" in p.meddelande or "några svar" in p.meddelande for p in problems), [p.meddelande for p in problems]


def test_socioeconomic_template_is_valid_and_marked_as_examples(project, tmp_path):
    path = _write(tmp_path / "mallar", "socioekonomi", project)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Parameterfil för den samhällsekonomiska beräkningen i Vägen framåt")
    assert yaml.safe_load(text)["exempel"] is True
    assert read_parameters(path).report.errors() == []


def test_unknown_template_is_refused(project):
    with pytest.raises(Exception, match="ingen mall"):
        blank_file(project, "okänd")
