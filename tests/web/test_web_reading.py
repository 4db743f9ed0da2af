"""The web page's reading choices (sheet, header row, label file), the register's column mapping and the survey cache.

Through Flask's test client, on small projects (the mini instrument, a short register).
"""

from __future__ import annotations

import html
import io
import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from slutrapport.pipeline import read
from slutrapport.project.edit import project_version
from slutrapport.project.folder import init_project, load_project
from slutrapport.project.register import map_register_columns, register_columns
from slutrapport.web import create_app
from tests.conftest import HEADER, MINI_INSTRUMENT, write_csv
from tests.web.test_web import TOKEN, Browser

LSS = b"<?xml version='1.0' encoding='UTF-8'?>\n<document><LimeSurveyDocType>Survey</LimeSurveyDocType></document>\n"
YEAR = date.today().year


def _rows(shift: int) -> list[list[object]]:
    return [[org, f"{org}{i}", (i + shift) % 5 + 1, (i + 1) % 5 + 1, (i + 2) % 5 + 1, ""] for org in ("AF", "Soc") for i in range(6)]


@pytest.fixture
def mini(tmp_path) -> Path:
    """Two waves of 12 answers with the mini instrument."""
    root = tmp_path / "mini"
    init_project(root)
    (root / "instrument").mkdir()
    (root / "instrument" / "mini.yaml").write_text(MINI_INSTRUMENT, encoding="utf-8")
    write_csv(root / "enkater" / "w1.csv", _rows(0))
    write_csv(root / "enkater" / "w2.csv", _rows(1))
    path = root / "projekt.yaml"
    text = path.read_text(encoding="utf-8").replace("instrument: samverkan", "instrument: instrument/mini.yaml", 1)
    path.write_text(text.replace("  enkater:\n", "  enkater:\n    - fil: enkater/w1.csv\n    - fil: enkater/w2.csv\n", 1), encoding="utf-8")
    return root


@pytest.fixture
def browser(mini, tmp_path) -> Browser:
    return Browser(create_app(mini, token=TOKEN, start_dir=tmp_path))


def _data(root: Path) -> dict:
    return yaml.safe_load((root / "projekt.yaml").read_text(encoding="utf-8"))


def _with_title_rows(rows: list[list[object]]) -> bytes:
    """A CSV export with two lines above the header (the header is on row 3)."""
    body = io.StringIO()
    body.write("Personalenkät våren\nExporterad 2025-03-01\n")
    body.write(",".join(HEADER) + "\n")
    for row in rows:
        body.write(",".join(str(v) for v in row) + "\n")
    return body.getvalue().encode("utf-8")


def _upload(browser: Browser, files: list[tuple[str, bytes]], **fields):
    data = {"filer": [(io.BytesIO(content), name) for name, content in files], **fields}
    return html.unescape(browser.post("/enkater/ladda-upp", data, content_type="multipart/form-data").get_data(as_text=True))


# ---------------------------------------------------------------- survey upload with reading choices


def test_upload_page_offers_the_reading_choices(browser):
    page = browser.page("/enkater")
    for text in ('name="blad"', 'name="rubrikrad"', 'name="etikettfil"', "Inläsningsval", "Kalkylblad", "Rubrikrad", "Etikettfil"):
        assert text in page


def test_upload_with_header_row_and_label_file_is_stored_on_the_wave(browser, mini):
    page = _upload(
        browser,
        [("vår enkät.csv", _with_title_rows(_rows(2)))],
        rubrikrad="3",
        blad="",
        etikettfil=(io.BytesIO(LSS), "struktur.lss"),
    )
    assert "1 enkätfil har lagts till." in page
    wave = _data(mini)["personalenkat"]["enkater"][2]
    assert wave["rubrikrad"] == 3 and "blad" not in wave
    assert wave["etiketter"].startswith("enkater/etiketter-") and wave["etiketter"].endswith(".lss")
    assert (mini / wave["etiketter"]).read_bytes() == LSS
    options = load_project(mini).waves[2].options
    assert options.header_row == 3 and options.labels_file == mini / wave["etiketter"]
    # the check reads the file from its header row: no unknown columns from the title lines
    assert "Inga problem hittades." in browser.page("/enkater")


def test_upload_stores_the_sheet_name_on_every_wave_uploaded_at_once(browser, mini):
    files = [("a.csv", (mini / "enkater" / "w1.csv").read_bytes()), ("b.csv", (mini / "enkater" / "w2.csv").read_bytes())]
    page = _upload(browser, files, blad="  Svar  ")
    assert "2 enkätfiler har lagts till." in page
    waves = _data(mini)["personalenkat"]["enkater"]
    assert [w.get("blad") for w in waves] == [None, None, "Svar", "Svar"]


@pytest.mark.parametrize("row", ["0", "tre", "-2"])
def test_a_bad_header_row_is_refused_and_nothing_is_stored(browser, mini, row):
    before = (mini / "projekt.yaml").read_bytes()
    files_before = sorted(p.name for p in (mini / "enkater").iterdir())
    page = _upload(browser, [("a.csv", (mini / "enkater" / "w1.csv").read_bytes())], rubrikrad=row)
    assert f"Rubrikraden ska vara ett heltal från 1 och uppåt (raden som i Excel), fick ”{row}”." in page
    assert (mini / "projekt.yaml").read_bytes() == before
    assert sorted(p.name for p in (mini / "enkater").iterdir()) == files_before


def test_a_label_file_that_is_no_label_file_is_refused_with_the_export(browser, mini):
    files_before = sorted(p.name for p in (mini / "enkater").iterdir())
    page = _upload(browser, [("a.csv", (mini / "enkater" / "w1.csv").read_bytes())], etikettfil=(io.BytesIO(b"%PDF-1.4 ..."), "etiketter.pdf"))
    assert "PDF-fil" in page
    assert sorted(p.name for p in (mini / "enkater").iterdir()) == files_before
    assert len(_data(mini)["personalenkat"]["enkater"]) == 2


def test_a_wave_s_sheet_and_header_row_are_changed_and_cleared(browser, mini):
    browser.post("/enkater/0/andra", {"etikett": "Start", "datum": "", "blad": "Blad1", "rubrikrad": "2"})
    wave = _data(mini)["personalenkat"]["enkater"][0]
    assert (wave["etikett"], wave["blad"], wave["rubrikrad"]) == ("Start", "Blad1", 2)
    page = browser.page("/enkater")
    assert 'name="blad" value="Blad1"' in page and 'name="rubrikrad" type="number" min="1" step="1" value="2"' in page
    # a post without the reading fields leaves them as they are
    browser.post("/enkater/0/andra", {"etikett": "Början", "datum": ""})
    assert _data(mini)["personalenkat"]["enkater"][0]["rubrikrad"] == 2
    browser.post("/enkater/0/andra", {"etikett": "Början", "datum": "", "blad": "", "rubrikrad": ""})
    wave = _data(mini)["personalenkat"]["enkater"][0]
    assert "blad" not in wave and "rubrikrad" not in wave and wave["etikett"] == "Början"
    page = browser.post("/enkater/0/andra", {"etikett": "Början", "datum": "", "blad": "", "rubrikrad": "0"}).get_data(as_text=True)
    assert "Rubrikraden ska vara ett heltal från 1" in page


def test_a_label_file_is_uploaded_for_one_wave(browser, mini):
    upload = {"etikettfil": (io.BytesIO(b"fraga;kod;etikett\nq1;1;Instammer inte alls\n"), "koder.csv")}
    page = browser.post("/enkater/1/etiketter", upload, content_type="multipart/form-data").get_data(as_text=True)
    assert "Etikettfilen är uppladdad" in page
    wave = _data(mini)["personalenkat"]["enkater"][1]
    assert wave["etiketter"].startswith("enkater/etiketter-") and wave["etiketter"].endswith(".csv")
    assert "etikettfil: ”koder.csv”" in browser.page("/enkater")  # the file's own name, never the stored one
    page = browser.post("/enkater/1/etiketter", {}, content_type="multipart/form-data").get_data(as_text=True)
    assert "Välj en etikettfil" in page
    page = browser.post("/enkater/7/etiketter", {"etikettfil": (io.BytesIO(LSS), "x.lss")}, content_type="multipart/form-data")
    assert "Enkät nr 8 finns inte" in page.get_data(as_text=True)


# ---------------------------------------------------------------- the survey is parsed once


@pytest.fixture
def parses(monkeypatch) -> list:
    calls: list = []
    real = read.read_waves

    def counting(*args, **kwargs):
        calls.append([Path(p).name for p in args[0]])
        return real(*args, **kwargs)

    monkeypatch.setattr(read, "read_waves", counting)
    return calls


def test_page_views_parse_the_survey_once(browser, mini, parses):
    for url in ("/enkater", "/enkater", "/jamforelse", "/rapport", "/enkater"):
        browser.page(url)
    assert parses == [["w1.csv", "w2.csv"]]
    # another file of the project changes: the pages are computed again, the survey is not parsed again
    (mini / "deltagare.csv").write_text("Deltagar-ID;Kön\nD1;Man\n", encoding="utf-8")
    browser.page("/enkater")
    browser.page("/jamforelse")
    assert len(parses) == 1
    # a changed reading choice of a wave parses again
    browser.post("/enkater/0/andra", {"etikett": "Enkät 1", "datum": "", "blad": "", "rubrikrad": "1"})
    assert len(parses) == 2


def test_a_survey_with_errors_is_parsed_once_too(browser, mini, parses):
    write_csv(mini / "enkater" / "w2.csv", [["AF", "k1", "Instämmer nästan", 4, 2, ""]])
    for _ in range(3):
        assert "Instämmer nästan" in browser.page("/enkater")
    assert len(parses) == 1


# ---------------------------------------------------------------- the register's column mapping


REGISTER = (
    "Deltagar-ID;Kön;Ålder;Inskrivningsdatum;Avslutsdatum;Inkomst före;Status vid avslut\n"
    f"D-001;Man;26;{YEAR}-01-10;;A-kassa;\n"
    f"D-002;Kvinna;35;{YEAR}-01-11;{YEAR}-01-20;Lön;Arbete\n"
)


@pytest.fixture
def register(mini) -> Path:
    (mini / "deltagare.csv").write_text(REGISTER, encoding="utf-8")
    path = mini / "projekt.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\ndeltagare:\n  fil: deltagare.csv\n", encoding="utf-8")
    return mini


def test_register_page_lists_the_columns_with_their_fields(register, tmp_path):
    browser = Browser(create_app(register, token=TOKEN, start_dir=tmp_path))
    page = browser.page("/data/deltagare")
    assert 'id="kolumnkoppling"' in page and "Valet sparas i projektfilen" in page
    assert 'value="Inkomst före"' in page and "används inte" in page
    assert "kolumnen för försörjning saknas" in page
    columns = {c.heading: c for c in register_columns(register)}
    assert columns["Kön"].field == "kon" and not columns["Kön"].mapped
    assert columns["Inkomst före"].field is None


def test_register_column_is_mapped_on_the_page_and_saved_in_projekt_yaml(register, tmp_path):
    browser = Browser(create_app(register, token=TOKEN, start_dir=tmp_path))
    page = browser.page("/data/deltagare")
    headings = dict(re.findall(r'name="(rubrik-\d+)" value="([^"]*)"', page))
    number = next(name for name, value in headings.items() if value == "Inkomst före").split("-")[1]
    form = {f"falt-{n.split('-')[1]}": "" for n in headings} | {name: value for name, value in headings.items()}
    form[f"falt-{number}"] = "forsorjning"
    page = browser.post("/data/deltagare/kolumner", form, page="/data/deltagare").get_data(as_text=True)
    assert "Kolumnerna är kopplade." in page
    assert _data(register)["deltagare"] == {"fil": "deltagare.csv", "kolumner": {"Inkomst före": "forsorjning"}}
    assert "kolumnen för försörjning saknas" not in page
    assert "(kopplad)" in page
    # the file itself is never changed
    assert (register / "deltagare.csv").read_text(encoding="utf-8") == REGISTER
    # back to "recognise the heading": the mapping goes away
    form[f"falt-{number}"] = ""
    browser.post("/data/deltagare/kolumner", form, page="/data/deltagare")
    assert not _data(register)["deltagare"].get("kolumner")


def test_a_field_chosen_for_two_columns_is_refused(register, tmp_path):
    before = (register / "projekt.yaml").read_bytes()
    browser = Browser(create_app(register, token=TOKEN, start_dir=tmp_path))
    response = browser.post("/data/deltagare/kolumner", {"rubrik-0": "Inkomst före", "falt-0": "kon"}, page="/data/deltagare")
    page = html.unescape(response.get_data(as_text=True))
    assert "Fältet kön är valt för flera kolumner: ”Kön” och ”Inkomst före”." in page
    assert (register / "projekt.yaml").read_bytes() == before


def test_mapping_a_short_register_key_and_an_unknown_field(register):
    path = register / "projekt.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("deltagare:\n  fil: deltagare.csv\n", "deltagare: deltagare.csv\n"), encoding="utf-8")
    map_register_columns(register, project_version(register), {"Inkomst före": "forsorjning"})
    assert _data(register)["deltagare"] == {"fil": "deltagare.csv", "kolumner": {"Inkomst före": "forsorjning"}}
    with pytest.raises(Exception, match="Fältet lon finns inte i deltagarregistret"):
        map_register_columns(register, project_version(register), {"Inkomst före": "lon"})


def test_a_source_without_a_mapping_has_no_column_route(browser):
    page = browser.page("/data/sjalvvardering")
    assert 'id="kolumnkoppling"' not in page
    assert browser.post("/data/sjalvvardering/kolumner", {"rubrik-0": "Budget", "falt-0": "id"}, page="/data/sjalvvardering").status_code == 404


def test_a_wave_s_invited_counts_are_saved_shown_and_cleared(browser, mini):
    browser.post("/enkater/0/andra", {"etikett": "Enkät 1", "datum": "", "inbjudna": "AF: 8; Soc: 10; Alla: 20"})
    assert _data(mini)["personalenkat"]["enkater"][0]["inbjudna"] == {"AF": 8, "Soc": 10, "Alla": 20}
    page = browser.page("/enkater")
    assert 'name="inbjudna" value="AF: 8; Soc: 10; Alla: 20"' in page
    assert load_project(mini).waves[0].invited == {"AF": 8, "Soc": 10, "Alla": 20}
    # the report shows the response rate: 6 of 8 in AF
    rates = read.read_project_invited(load_project(mini), read.read_project_survey(load_project(mini)))[0]
    assert rates["Enkät 1"] == {"AF": 8, "Soc": 10, "Alla": 20}
    browser.post("/enkater/1/andra", {"etikett": "Enkät 2", "datum": "", "inbjudna": "15"})
    assert _data(mini)["personalenkat"]["enkater"][1]["inbjudna"] == 15
    # a post without the field leaves it; an empty field removes it
    browser.post("/enkater/0/andra", {"etikett": "Enkät 1", "datum": ""})
    assert _data(mini)["personalenkat"]["enkater"][0]["inbjudna"]["AF"] == 8
    browser.post("/enkater/0/andra", {"etikett": "Enkät 1", "datum": "", "inbjudna": ""})
    assert "inbjudna" not in _data(mini)["personalenkat"]["enkater"][0]
    page = html.unescape(browser.post("/enkater/0/andra", {"etikett": "Enkät 1", "datum": "", "inbjudna": "AF: många; Soc"}).get_data(as_text=True))
    assert "antalet inbjudna för AF ska vara ett heltal 0 eller mer, inte ”många”" in page and "”Soc” ska skrivas Organisation: antal" in page
    assert "inbjudna" not in _data(mini)["personalenkat"]["enkater"][0]
