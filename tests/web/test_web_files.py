"""Files as the user knows them: own names everywhere, waves placed by position, replaced and removed to papperskorg/."""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
import yaml

from slutrapport.project.folder import init_project, load_project
from slutrapport.web import create_app
from tests.conftest import SAMPLES
from tests.web.plain_language import plain_problems, visible_text
from tests.web.test_web import TOKEN, Browser, _messages

INTERNAL = re.compile(r"\b(enkat|formular)-\d{8}-[0-9a-f]{6}")


@pytest.fixture
def empty(tmp_path) -> Path:
    root = tmp_path / "nytt"
    init_project(root)
    return root


@pytest.fixture
def project(tmp_path) -> Path:
    root = tmp_path / "vagen"
    shutil.copytree(SAMPLES, root)
    return root


def _wave(name: str) -> bytes:
    return (SAMPLES / "enkater" / name).read_bytes()


def _upload(browser: Browser, files: list[tuple[str, bytes]], **extra):
    data = {"filer": [(io.BytesIO(content), name) for name, content in files], **extra}
    return browser.post("/enkater/ladda-upp", data, content_type="multipart/form-data")


def test_the_real_first_survey_can_be_added_before_two_uploaded_ones(empty, tmp_path):
    browser = Browser(create_app(empty, token=TOKEN, start_dir=tmp_path))
    _upload(browser, [("mitten.csv", _wave("enkat2_microsoft_forms.xlsx")), ("slutet.csv", _wave("enkat3.csv"))])
    assert [w.label for w in load_project(empty).waves] == ["Enkät 1", "Enkät 2"]
    # the label "Enkät 1" puts the file first; the others' labels follow their new positions
    page = _upload(browser, [("forsta.csv", _wave("enkat1_google_forms.csv"))], etikett="Enkät 1").get_data(as_text=True)
    assert _messages(page) == ["1 enkätfil har lagts till. Kontrollen nedan visar om något behöver rättas."]
    waves = load_project(empty).waves
    assert [w.label for w in waves] == ["Enkät 1", "Enkät 2", "Enkät 3"]
    assert waves[0].file.read_bytes() == _wave("enkat1_google_forms.csv")
    # a place chosen in the list, with the user's own label
    _upload(browser, [("extra.csv", _wave("enkat3.csv"))], etikett="Uppföljning", placering="1")
    assert [w.label for w in load_project(empty).waves] == ["Enkät 1", "Uppföljning", "Enkät 3", "Enkät 4"]
    page = browser.page("/enkater")
    names = re.findall(r'data-testid="enkatfil-\d+">Fil: ”([^”]+)”', page)
    assert names == ["forsta.csv", "extra.csv", "mitten.csv", "slutet.csv"]
    assert not INTERNAL.search(page)
    index = json.loads((empty / "uppladdningar.json").read_text(encoding="utf-8"))
    assert sorted(entry["namn"] for entry in index.values()) == ["extra.csv", "forsta.csv", "mitten.csv", "slutet.csv"]


def test_a_refused_upload_keeps_the_chosen_file_for_the_next_try(empty, tmp_path):
    browser = Browser(create_app(empty, token=TOKEN, start_dir=tmp_path))
    _upload(browser, [("a.csv", _wave("enkat3.csv"))], etikett="Hösten")
    page = _upload(browser, [("b.csv", _wave("enkat1_google_forms.csv"))], etikett="Hösten", datum="2025-10-01").get_data(as_text=True)
    assert "Det finns redan en enkät med etiketten ”Hösten”" in " ".join(_messages(page))
    assert 'data-testid="vantande-filer"' in page and "”b.csv”" in page
    assert 'value="2025-10-01"' in page  # the choices are kept too
    token = re.search(r'name="vantande" value="([^"]+)"', page).group(1)
    page = browser.post("/enkater/ladda-upp", {"vantande": token, "etikett": "Våren"}, content_type="multipart/form-data").get_data(as_text=True)
    waves = load_project(empty).waves
    assert [w.label for w in waves] == ["Hösten", "Våren"]
    assert waves[1].file.read_bytes() == _wave("enkat1_google_forms.csv")


def test_replace_and_remove_a_wave_file_keeps_the_old_file_in_papperskorg(empty, tmp_path):
    browser = Browser(create_app(empty, token=TOKEN, start_dir=tmp_path))
    _upload(browser, [("gammal.csv", _wave("enkat3.csv")), ("andra.csv", _wave("enkat1_google_forms.csv"))])
    old = load_project(empty).waves[0].file
    data = {"fil": (io.BytesIO(_wave("enkat2_microsoft_forms.xlsx")), "ny.xlsx")}
    page = browser.post("/enkater/0/byt-fil", data, content_type="multipart/form-data").get_data(as_text=True)
    assert "Filen är utbytt" in page and "Fil: ”ny.xlsx”" in page
    assert not old.exists() and (empty / "papperskorg" / old.name).read_bytes() == _wave("enkat3.csv")
    second = load_project(empty).waves[1].file
    page = browser.post("/enkater/1/ta-bort").get_data(as_text=True)
    assert "Filen ligger i mappen papperskorg" in page
    assert (empty / "papperskorg" / second.name).is_file() and not second.exists()
    assert [w.label for w in load_project(empty).waves] == ["Enkät 1"]


def test_a_data_source_file_is_listed_by_its_own_name_and_removed_to_papperskorg(project, tmp_path):
    browser = Browser(create_app(project, token=TOKEN, start_dir=tmp_path))
    upload = {"fil": "0", "ersatt": "ja", "filen": (io.BytesIO((project / "deltagare.csv").read_bytes()), "Register mars.csv")}
    page = browser.post("/data/deltagare/ladda-upp", upload, page="/data/deltagare", content_type="multipart/form-data").get_data(as_text=True)
    assert "Den gamla filen ligger i mappen papperskorg" in page and (project / "papperskorg" / "deltagare.csv").is_file()
    files = re.search(r'data-testid="filer-0">(.*?)</ul>', page, re.S).group(1)
    assert "”Register mars.csv”" in files and "inga problem" in files
    key = re.search(r'name="nyckel" value="([^"]+)"', files).group(1)
    text = (project / "projekt.yaml").read_text(encoding="utf-8")
    page = browser.post("/data/deltagare/ta-bort", {"fil": "0", "nyckel": key}, page="/data/deltagare").get_data(as_text=True)
    assert "Filen är borttagen ur projektet" in page
    assert (project / "papperskorg" / "deltagare-2.csv").is_file() and not (project / "deltagare.csv").exists()
    data = yaml.safe_load((project / "projekt.yaml").read_text(encoding="utf-8"))
    assert "fil" not in (data.get("deltagare") or {})
    assert "# Grupper med färre svar än så här visas inte." in text and "# Grupper med färre svar än så här visas inte." in (
        project / "projekt.yaml"
    ).read_text(encoding="utf-8")
    wrong = browser.post("/data/deltagare/ta-bort", {"fil": "0", "nyckel": "0" * 16}, page="/data/deltagare").get_data(as_text=True)
    assert "finns inte längre" in wrong


def test_the_reports_tables_name_the_uploaded_files_by_their_own_names(empty, tmp_path):
    browser = Browser(create_app(empty, token=TOKEN, start_dir=tmp_path))
    _upload(browser, [("Personalenkät start.csv", _wave("enkat1_google_forms.csv")), ("Personalenkät slut.csv", _wave("enkat3.csv"))])
    page = browser.post("/rapport/bygg", {"utkast": "ja"}, page="/rapport").get_data(as_text=True)
    assert "Rapporten är byggd: 9 filer" in page, _messages(page)  # with bilaga.html and bilaga.docx
    report = (empty / "rapport" / "rapport.html").read_text(encoding="utf-8")
    summary = re.search(r"<caption>Svar per enkättillfälle</caption>.*?</table>", report, re.S).group(0)
    assert "Personalenkät start.csv" in summary and "Personalenkät slut.csv" in summary
    assert not INTERNAL.search(report)
    assert not plain_problems(visible_text(report), report)


def test_budget_columns_are_mapped_on_the_page(project, tmp_path):
    budget = "Kostnadsslag;Beviljat;Förbrukat\nPersonal;100;90\nLokal;10;10\nÖvrigt;5;4\n"
    (project / "ekonomi.csv").write_text(budget, encoding="utf-8")
    path = project / "projekt.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("fil: ekonomi.xlsx", "fil: ekonomi.csv"), encoding="utf-8")
    browser = Browser(create_app(project, token=TOKEN, start_dir=tmp_path))
    page = browser.page("/data/ekonomi")
    rows = dict(re.findall(r'name="rubrik-(\d+)" value="([^"]+)"', page))
    assert sorted(rows.values()) == ["Beviljat", "Förbrukat", "Kostnadsslag"]
    number = {heading: n for n, heading in rows.items()}
    choices = {f"rubrik-{n}": h for n, h in rows.items()} | {f"falt-{number['Beviljat']}": "budget", f"falt-{number['Förbrukat']}": "utfall"}
    page = browser.post("/data/ekonomi/kolumner", choices, page="/data/ekonomi").get_data(as_text=True)
    assert "Kolumnerna är kopplade." in page, _messages(page)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["ekonomi"]["kolumner"] == {"budget": "Beviljat"}  # Förbrukat is recognised as utfall without a mapping
    assert "115 kr" in browser.page("/data/ekonomi").replace("\u00a0", " ")  # the budget is read with the mapping
    twice = {f"rubrik-{n}": h for n, h in rows.items()} | {f"falt-{number['Beviljat']}": "budget", f"falt-{number['Förbrukat']}": "budget"}
    page = browser.post("/data/ekonomi/kolumner", twice, page="/data/ekonomi").get_data(as_text=True)
    assert "är valt för flera kolumner" in " ".join(_messages(page))


def test_blank_templates_are_downloaded_from_the_source_pages(project, tmp_path):
    browser = Browser(create_app(project, token=TOKEN, start_dir=tmp_path))
    page = browser.page("/data/deltagare")
    assert 'data-testid="mall-deltagare"' in page
    response = browser.get("/data/mall/deltagare")
    assert response.status_code == 200 and "deltagarregister.xlsx" in response.headers["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.data))
    assert workbook["Deltagare"]["A1"].value == "Deltagar-ID"
    assert browser.get("/data/mall/budget").status_code == 200
    assert browser.get("/data/mall/okand").status_code == 404


def test_a_register_column_that_is_no_field_can_be_marked_unused(project, tmp_path):
    path = project / "deltagare.csv"
    text = path.read_bytes().decode("cp1252").splitlines()
    path.write_bytes("\n".join([text[0] + ";Svarsdatum", *(line + ";2025-01-01" for line in text[1:])]).encode("cp1252"))
    browser = Browser(create_app(project, token=TOKEN, start_dir=tmp_path))
    page = browser.page("/data/deltagare")
    assert "Svarsdatum" in page and "matchar inget fält" in page
    rows = dict(re.findall(r'name="rubrik-(\d+)" value="([^"]+)"', page))
    number = next(n for n, heading in rows.items() if heading == "Svarsdatum")
    assert '<option value="används inte">används inte</option>' in page
    page = browser.post("/data/deltagare/kolumner", {f"rubrik-{number}": "Svarsdatum", f"falt-{number}": "används inte"}, page="/data/deltagare")
    page = page.get_data(as_text=True)
    assert "Kolumnerna är kopplade." in page, _messages(page)
    assert yaml.safe_load((project / "projekt.yaml").read_text(encoding="utf-8"))["deltagare"]["kolumner"]["Svarsdatum"] == "används inte"
    assert "matchar inget fält" not in page  # no warning for a column the user marked


def test_removing_the_last_self_evaluation_form_takes_the_source_out_instead_of_leaving_an_error(tmp_path):
    from slutrapport.project.edit import project_version, read_project_data
    from slutrapport.project.uploads import remove_source_file

    root = tmp_path / "p"
    shutil.copytree(SAMPLES, root)
    forms = sorted(p.relative_to(root).as_posix() for p in (root / "sjalvvardering").rglob("*.xlsx"))
    for number, relative in enumerate(forms, start=1):
        remove_source_file(root, project_version(root), ("sjalvvardering", "mapp"), relative, folder=True)
        assert ("sjalvvardering" in read_project_data(root)) == (number < len(forms))  # kept while a form is left
    assert sorted(p.name for p in (root / "papperskorg").rglob("*.xlsx")) == sorted(Path(f).name for f in forms)  # none deleted
    load_project(root)  # the project reads without the self-evaluation, no error for an empty folder
