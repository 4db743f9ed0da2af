"""The web page through Flask's test client: every page, the token, CSRF, host check, uploads and the fixes."""

from __future__ import annotations

import html
import io
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from slutrapport.core.problems import ValidationReport
from slutrapport.pipeline import survey_results, validate_project
from slutrapport.project.edit import project_version
from slutrapport.project.folder import init_project, load_project
from slutrapport.web import create_app
from slutrapport.web.security import cookie_name
from slutrapport.web.server import bind_free_port
from slutrapport.web.sources import DataSource, FileSlot
from tests.conftest import HEADER, MINI_INSTRUMENT, ROOT, SAMPLES, write_csv
from tests.web.plain_language import plain_problems, visible_text

TOKEN = "test-nyckel-123"
ORIGINAL = "Jag känner till de andra organisationernas Uppdrag"  # q07 as enkat3.csv writes it
RENAMED = "Jag känner de andra organisationernas uppdrag väl"


# ---------------------------------------------------------------- helpers


def _field(page: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert match, f"no {name} field on the page"
    return html.unescape(match.group(1))


class Browser:
    """A test client that has been given the token, and posts forms the way the page does."""

    def __init__(self, app):
        self.app = app
        self.client = app.test_client()
        response = self.client.get(f"/?token={TOKEN}")
        assert response.status_code == 303

    def get(self, url: str, **kwargs):
        return self.client.get(url, **kwargs)

    def settle(self, response):
        """The page again once the background job it shows (building, comparing) is done, as the page's script does."""
        for _ in range(3):
            match = re.search(r'data-job="(/jobb/[^"]+)"', response.get_data(as_text=True))
            if not match:
                return response
            for _ in range(3000):
                status = self.client.get(match.group(1)).get_json()
                if status["klar"]:
                    break
                time.sleep(0.1)
            query = response.request.query_string.decode()
            response = self.client.get(response.request.path + (f"?{query}" if query else ""))
        return response

    def page(self, url: str) -> str:
        response = self.settle(self.client.get(url))
        assert response.status_code == 200, response.data[:500]
        page = response.get_data(as_text=True)
        assert not plain_problems(visible_text(page), page), (url, plain_problems(visible_text(page), page))
        return page

    def post(self, url: str, data: dict | None = None, page: str = "/enkater", follow: bool = True, **kwargs):
        """POST with the CSRF token and projekt.yaml version taken from ``page`` (as the form would)."""
        source = self.page(page)
        form = {"csrf": _field(source, "csrf")}
        if 'name="version"' in source:
            form["version"] = _field(source, "version")
        form.update(data or {})
        response = self.client.post(url, data=form, follow_redirects=follow, **kwargs)
        return self.settle(response) if follow else response


@pytest.fixture
def project(tmp_path) -> Path:
    root = tmp_path / "vagen"
    shutil.copytree(SAMPLES, root)
    return root


@pytest.fixture
def browser(project, tmp_path) -> Browser:
    return Browser(create_app(project, token=TOKEN, start_dir=tmp_path))


@pytest.fixture(scope="module")
def shared(tmp_path_factory) -> Browser:
    """One app on a copy of the sample project for the tests that only read (its analyses are cached)."""
    base = tmp_path_factory.mktemp("delad")
    shutil.copytree(SAMPLES, base / "vagen")
    return Browser(create_app(base / "vagen", token=TOKEN, start_dir=base))


def _mini_rows(shift: int) -> list[list[object]]:
    return [[org, f"{org}{i}", (i + shift) % 5 + 1, (i + 1) % 5 + 1, (i + 2) % 5 + 1, ""] for org in ("AF", "Soc") for i in range(6)]


@pytest.fixture
def mini(tmp_path) -> Path:
    """A small project (two waves of 12 answers, the mini instrument): quick to analyse and build."""
    root = tmp_path / "mini"
    init_project(root)
    (root / "instrument").mkdir()
    (root / "instrument" / "mini.yaml").write_text(MINI_INSTRUMENT, encoding="utf-8")
    write_csv(root / "enkater" / "w1.csv", _mini_rows(0))
    write_csv(root / "enkater" / "w2.csv", _mini_rows(1))
    path = root / "projekt.yaml"
    text = path.read_text(encoding="utf-8").replace("instrument: samverkan", "instrument: instrument/mini.yaml", 1)
    text = text.replace("  enkater:\n", "  enkater:\n    - fil: enkater/w1.csv\n    - fil: enkater/w2.csv\n", 1)
    path.write_text(text, encoding="utf-8")
    assert len(load_project(root).waves) == 2
    return root


@pytest.fixture
def empty(tmp_path) -> Path:
    root = tmp_path / "nytt"
    init_project(root)
    return root


def _sample_bytes(name: str) -> bytes:
    return (SAMPLES / "enkater" / name).read_bytes()


def _renamed_wave3() -> bytes:
    text = (SAMPLES / "enkater" / "enkat3.csv").read_bytes().decode("cp1252")
    assert ORIGINAL in text
    return text.replace(ORIGINAL, RENAMED).encode("cp1252")


def _upload(browser: Browser, files: list[tuple[str, bytes]], **extra):
    data = {"filer": [(io.BytesIO(content), name) for name, content in files], **extra}
    return browser.post("/enkater/ladda-upp", data, content_type="multipart/form-data")


def _messages(page: str) -> list[str]:
    return [html.unescape(m) for m in re.findall(r'<div class="meddelande [^"]*" role="[^"]*"[^>]*>(.*?)</div>', page, re.S)]


# ---------------------------------------------------------------- token, host, CSRF, headers


def test_every_request_needs_the_token(project):
    app = create_app(project, token=TOKEN)
    client = app.test_client()
    for path in ("/", "/enkater", "/rapport", "/static/style.css", "/texter/sammanfattning"):
        response = client.get(path)
        assert response.status_code == 403
        assert "Åtkomst nekad" in response.get_data(as_text=True)
    page = client.get("/").get_data(as_text=True)
    assert "Vägen framåt" not in page and str(project) not in page  # nothing about the project without the key
    assert client.get("/?token=fel").status_code == 403
    assert client.get("/", headers={"Cookie": f"{cookie_name(TOKEN, 'token')}=fel"}).status_code == 403


def test_token_in_url_becomes_a_strict_httponly_cookie_and_leaves_the_url(project):
    client = create_app(project, token=TOKEN).test_client()
    response = client.get(f"/jamforelse?organisation=Socialtj%C3%A4nsten&token={TOKEN}")
    assert response.status_code == 303
    assert response.headers["Location"] == "/jamforelse?organisation=Socialtj%C3%A4nsten"
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith(f"{cookie_name(TOKEN, 'token')}={TOKEN};")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert client.get("/enkater").status_code == 200
    assert client.get("/static/app.js").status_code == 200


def test_servers_with_different_tokens_use_different_cookies():
    assert cookie_name("a", "token") != cookie_name("b", "token")
    assert cookie_name("a", "session") != cookie_name("a", "token")


@pytest.mark.parametrize(
    "host, allowed",
    [("127.0.0.1:8765", True), ("localhost:9000", True), ("localhost", True), ("evil.example", False),
     ("127.0.0.1.evil.example:8765", False), ("attacker.test:8765", False)],
)
def test_host_header_must_be_local(shared, host, allowed):
    # the test client's cookie jar belongs to "localhost", so the key cookie is sent by hand
    client = shared.app.test_client(use_cookies=False)
    response = client.get("/projekt", headers={"Host": host, "Cookie": f"{cookie_name(TOKEN, 'token')}={TOKEN}"})
    assert (response.status_code == 200) is allowed
    if not allowed:
        assert response.status_code == 403


def test_post_without_or_with_wrong_csrf_token_is_refused(browser, project):
    before = (project / "projekt.yaml").read_bytes()
    version = project_version(project)
    for data in ({"version": version, "namn": "X"}, {"version": version, "namn": "X", "csrf": "fel"}):
        response = browser.client.post("/projekt/uppgifter", data=data)
        assert response.status_code == 403
        assert "CSRF" in response.get_data(as_text=True)
    assert (project / "projekt.yaml").read_bytes() == before
    # the same change with the page's token goes through
    response = browser.post("/projekt/uppgifter", {"namn": "Nytt namn", "start": "2025-01-01", "slut": "2026-06-30"}, page="/projekt")
    assert response.status_code == 200
    assert load_project(project).name == "Nytt namn"


def test_state_changing_routes_reject_get(shared):
    for path in ("/projekt/uppgifter", "/enkater/ladda-upp", "/enkater/kolumner", "/rapport/bygg", "/enkater/0/ta-bort"):
        response = shared.get(path)
        assert response.status_code == 405
        assert "Fel metod" in response.get_data(as_text=True)


def test_security_headers(shared):
    response = shared.get("/projekt")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_pages_fetch_nothing_from_outside(shared):
    for path in ("/projekt", "/enkater", "/jamforelse", "/texter", "/rapport"):
        page = shared.page(path)
        assert not re.search(r'(src|href)="(https?:)?//', page), path


# ---------------------------------------------------------------- every page


@pytest.mark.parametrize(
    "path, expected",
    [
        ("/", "Projektuppgifter"),
        ("/projekt", "Vägen framåt"),
        ("/enkater", "Enkättillfällen"),
        ("/jamforelse", "Inställning till samverkan"),
        ("/texter", "Rubrikerna i mallen"),
        ("/texter/sammanfattning", "Så här blir det i rapporten"),
        ("/rapport", "Fullständighet"),
    ],
)
def test_each_page_renders_in_swedish(shared, path, expected):
    page = shared.page(path)
    assert expected in page
    assert '<html lang="sv">' in page


def test_without_a_project_pages_lead_to_the_project_page(tmp_path):
    browser = Browser(create_app(None, token=TOKEN, start_dir=tmp_path))
    for path in ("/enkater", "/jamforelse", "/texter", "/rapport"):
        response = browser.get(path, follow_redirects=True)
        assert "Öppna eller skapa ett projekt först." in response.get_data(as_text=True)
    assert "Skapa ett nytt projekt" in browser.page("/")


def test_unknown_page_is_a_swedish_404(shared):
    response = shared.get("/finns-inte")
    assert response.status_code == 404
    assert "Sidan finns inte" in response.get_data(as_text=True)


# ---------------------------------------------------------------- Projekt


def test_create_and_open_project(tmp_path):
    browser = Browser(create_app(None, token=TOKEN, start_dir=tmp_path))
    page = browser.post("/projekt/skapa", {"mapp": "mitt-projekt", "mall": "socialstyrelsen-kompetens"}, page="/").get_data(as_text=True)
    assert "Projektet är skapat" in page
    assert (tmp_path / "mitt-projekt" / "projekt.yaml").is_file()
    assert load_project(tmp_path / "mitt-projekt").template.id == "socialstyrelsen-kompetens"
    # creating over an existing project is refused, the files stay
    before = (tmp_path / "mitt-projekt" / "projekt.yaml").read_bytes()
    page = browser.post("/projekt/skapa", {"mapp": str(tmp_path / "mitt-projekt")}, page="/").get_data(as_text=True)
    assert "innehåller redan" in page
    assert (tmp_path / "mitt-projekt" / "projekt.yaml").read_bytes() == before
    page = browser.post("/projekt/oppna", {"mapp": str(tmp_path / "saknas")}, page="/").get_data(as_text=True)
    assert "Hittar ingen projekt.yaml" in page
    shutil.copytree(SAMPLES, tmp_path / "exempel")
    page = browser.post("/projekt/oppna", {"mapp": "exempel"}, page="/").get_data(as_text=True)
    assert "Vägen framåt" in page


def test_project_folders_next_to_the_start_folder_are_listed(tmp_path):
    init_project(tmp_path / "alfa")
    page = Browser(create_app(None, token=TOKEN, start_dir=tmp_path)).page("/")
    assert 'value="' + str(tmp_path / "alfa") + '"' in page


def test_edit_facts_keeps_comments_and_other_keys(browser, empty, tmp_path):
    browser = Browser(create_app(empty, token=TOKEN, start_dir=tmp_path))
    form = {
        "namn": "Steget vidare",
        "projektagare": "Storsjö kommun",
        "projektledare": "",
        "finansiar": "Samordningsförbundet Storsjö",
        "malgrupp": "Unga 16–29 år",
        "organisationer": "Arbetsförmedlingen\r\nSocialtjänsten\r\n\r\nRegion Storsjö\r\n",
        "mal": "60 % går vidare till arbete eller studier\r\n40 % blir helt eller delvis självförsörjande",
        "start": "2025-02-01",
        "slut": "2026-12-31",
    }
    page = browser.post("/projekt/uppgifter", form, page="/projekt").get_data(as_text=True)
    assert "Projektuppgifterna är sparade" in page
    text = (empty / "projekt.yaml").read_text(encoding="utf-8")
    assert "# visas överst i rapporten" in text and "# Anonymitetsgräns" in text
    project = load_project(empty)
    assert project.name == "Steget vidare"
    assert project.facts["Projektperiod"] == "2025-02-01 – 2026-12-31"
    assert project.facts["Samverkansparter"] == "Arbetsförmedlingen, Socialtjänsten, Region Storsjö"
    assert project.facts["Mål"].startswith("60 % går vidare")
    data = yaml.safe_load(text)
    assert data["projekt"]["mal"] == ["60 % går vidare till arbete eller studier", "40 % blir helt eller delvis självförsörjande"]
    assert data["mall"] == "rar-slutrapport" and data["anonymitetsgrans"] == 5


def test_facts_with_bad_dates_are_refused(browser, project):
    before = (project / "projekt.yaml").read_bytes()
    page = browser.post("/projekt/uppgifter", {"namn": "X", "start": "2026-13-01", "slut": "2025-01-01"}, page="/projekt").get_data(as_text=True)
    assert "Projektperiodens start ska skrivas ÅÅÅÅ-MM-DD" in page
    page = browser.post("/projekt/uppgifter", {"namn": "X", "start": "2026-01-01", "slut": "2025-01-01"}, page="/projekt").get_data(as_text=True)
    assert "slutar före den börjar" in page
    assert (project / "projekt.yaml").read_bytes() == before


def test_facts_refused_when_projekt_yaml_changed_on_disk(browser, project):
    source = browser.page("/projekt")
    path = project / "projekt.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n# ändrad i en textredigerare\n", encoding="utf-8")
    edited = path.read_bytes()
    response = browser.client.post(
        "/projekt/uppgifter",
        data={"csrf": _field(source, "csrf"), "version": _field(source, "version"), "namn": "Annat", "start": "", "slut": ""},
        follow_redirects=True,
    )
    assert "har ändrats på disken sedan sidan laddades" in response.get_data(as_text=True)
    assert path.read_bytes() == edited


def test_hostile_project_text_is_escaped(browser, project):
    browser.post("/projekt/uppgifter", {"namn": "<script>alert('x')</script>", "start": "", "slut": ""}, page="/projekt")
    for path in ("/projekt", "/rapport"):
        page = browser.page(path)
        assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in browser.page("/projekt")
    assert load_project(project).name == "<script>alert('x')</script>"


# ---------------------------------------------------------------- Enkäter: uploads


def test_upload_three_waves_into_a_new_project(empty, tmp_path):
    browser = Browser(create_app(empty, token=TOKEN, start_dir=tmp_path))
    files = [(name, _sample_bytes(name)) for name in ("enkat1_google_forms.csv", "enkat2_microsoft_forms.xlsx", "enkat3.csv")]
    page = _upload(browser, files).get_data(as_text=True)
    assert "3 enkätfiler har lagts till" in page
    project = load_project(empty)
    assert [w.label for w in project.waves] == ["Enkät 1", "Enkät 2", "Enkät 3"]
    stored = [w.file.name for w in project.waves]
    assert all(re.fullmatch(r"enkat-\d{8}-[0-9a-f]{6}\.(csv|xlsx)", name) for name in stored), stored
    assert [Path(n).suffix for n in stored] == [".csv", ".xlsx", ".csv"]
    for wave, (_name, content) in zip(project.waves, files, strict=True):
        assert wave.file.read_bytes() == content
    text = (empty / "projekt.yaml").read_text(encoding="utf-8")
    assert "# uppladdad som: enkat2_microsoft_forms.xlsx" in text
    assert "# inbyggt instrument, eller sökväg till en egen YAML-fil" in text  # the user's comments stay
    assert validate_project(empty).valid
    page = browser.page("/enkater")
    assert "Fil: ”enkat1_google_forms.csv”" in page
    assert not re.search(r"enkat-\d{8}-[0-9a-f]{6}", page)  # never the name the file is stored under
    assert "Svarsdatum" in page  # the sample's extra column is listed as a fixable warning


def test_upload_label_and_date_for_one_file(empty, tmp_path):
    browser = Browser(create_app(empty, token=TOKEN, start_dir=tmp_path))
    _upload(browser, [("a.csv", _sample_bytes("enkat3.csv"))], etikett="Hösten 2025", datum="2025-10-01")
    wave = load_project(empty).waves[0]
    assert (wave.label, wave.date) == ("Hösten 2025", "2025-10-01")
    page = _upload(browser, [("b.csv", _sample_bytes("enkat3.csv"))], etikett="Hösten 2025").get_data(as_text=True)
    assert "Det finns redan en enkät med etiketten" in page
    assert len(load_project(empty).waves) == 1
    assert len(list((empty / "enkater").glob("enkat-*"))) == 1  # the refused file is not left behind


def test_uploaded_file_names_are_never_paths(empty, tmp_path):
    browser = Browser(create_app(empty, token=TOKEN, start_dir=tmp_path))
    before = sorted(p for p in tmp_path.rglob("*"))
    _upload(browser, [("../../utanfor.csv", _sample_bytes("enkat3.csv")), ("..\\..\\mapp\\rad & <i>.csv", _sample_bytes("enkat3.csv"))])
    after = sorted(p for p in tmp_path.rglob("*"))
    new = [p for p in after if p not in before]
    assert all(p.is_relative_to(empty) for p in new), new
    assert not any("utanfor" in p.name or "rad" in p.name for p in new)
    text = (empty / "projekt.yaml").read_text(encoding="utf-8")
    assert "# uppladdad som: utanfor.csv" in text
    # no folders in the display name (display_name itself is tested with Windows paths in test_project_edit;
    # Werkzeug ≥ 3.1.9's test client drops the backslashes of a multipart file name before the server sees it)
    assert re.search(r"# uppladdad som: [^/\\\n]*rad & <i>\.csv\n", text)
    assert re.search(r"Fil: ”[^/\\”]*rad &amp; &lt;i&gt;\.csv”", browser.page("/enkater"))
    assert len(load_project(empty).waves) == 2


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("enkat.csv", b"%PDF-1.7\n1 0 obj\n", "PDF-fil"),
        ("enkat.xlsx", b"<!DOCTYPE html><html><body>Logga in</body></html>", "webbsida"),
        ("enkat.csv", b"", "tom"),
        ("enkat.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "gamla Excel-formatet"),
    ],
)
def test_upload_type_is_checked_from_the_content(empty, tmp_path, name, content, message):
    browser = Browser(create_app(empty, token=TOKEN, start_dir=tmp_path))
    before = (empty / "projekt.yaml").read_bytes()
    page = _upload(browser, [(name, content)]).get_data(as_text=True)
    assert message in " ".join(_messages(page))
    assert name in " ".join(_messages(page))  # the user's own file name, not the stored one
    assert (empty / "projekt.yaml").read_bytes() == before
    assert not [p for p in (empty / "enkater").iterdir() if p.name != "LÄS MIG.txt"]


def test_a_workbook_named_csv_is_stored_as_xlsx(empty, tmp_path):
    browser = Browser(create_app(empty, token=TOKEN, start_dir=tmp_path))
    _upload(browser, [("felnamn.csv", _sample_bytes("enkat2_microsoft_forms.xlsx"))])
    assert load_project(empty).waves[0].file.suffix == ".xlsx"


def test_upload_over_the_size_limit_is_refused(empty, tmp_path):
    browser = Browser(create_app(empty, token=TOKEN, start_dir=tmp_path, max_upload=4000))
    before = (empty / "projekt.yaml").read_bytes()
    response = _upload(browser, [("stor.csv", b"a,b\n" + b"1,2\n" * 5000)])
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "Filen är för stor" in page and "Gränsen är 3 kB" in page
    assert (empty / "projekt.yaml").read_bytes() == before
    assert not list((empty / "enkater").glob("enkat-*"))
    assert _upload(browser, [("liten.csv", b"Organisation,q1\nAF,5\n")]).status_code == 200


def test_change_and_remove_a_wave(browser, project):
    page = browser.post("/enkater/1/andra", {"etikett": "Mitten", "datum": "2025-09-20"}).get_data(as_text=True)
    assert "Enkäten är ändrad." in page
    waves = load_project(project).waves
    assert [w.label for w in waves] == ["Enkät 1", "Mitten", "Enkät 3"]
    assert waves[1].date == "2025-09-20"
    page = html.unescape(browser.post("/enkater/1/andra", {"etikett": "Enkät 1", "datum": ""}).get_data(as_text=True))
    assert "det finns redan en enkät med etiketten ”Enkät 1”" in page
    page = browser.post("/enkater/2/flytta", {"riktning": "upp"}).get_data(as_text=True)
    assert "Enkäten är flyttad." in page
    # "Enkät N" labels follow the position; the user's own label moves with its wave
    assert [w.label for w in load_project(project).waves] == ["Enkät 1", "Enkät 2", "Mitten"]
    assert [w.file.name for w in load_project(project).waves][1] == "enkat3.csv"
    assert "kan inte flyttas dit" in browser.post("/enkater/2/flytta", {"riktning": "ned"}).get_data(as_text=True)
    browser.post("/enkater/1/flytta", {"riktning": "ned"})
    page = browser.post("/enkater/0/ta-bort").get_data(as_text=True)
    assert "Filen ligger i mappen papperskorg" in page
    assert [w.label for w in load_project(project).waves] == ["Mitten", "Enkät 2"]
    assert not (project / "enkater" / "enkat1_google_forms.csv").exists()
    assert (project / "papperskorg" / "enkat1_google_forms.csv").is_file()  # never deleted
    assert "# Grupper med färre svar än så här visas inte." in (project / "projekt.yaml").read_text(encoding="utf-8")
    assert "finns inte" in browser.post("/enkater/9/ta-bort").get_data(as_text=True)


# ---------------------------------------------------------------- Enkäter: instrument and fixes


def test_unmatched_column_gets_a_dropdown_and_the_mapping_is_saved(project, tmp_path):
    (project / "enkater" / "enkat3.csv").write_bytes(_renamed_wave3())
    browser = Browser(create_app(project, token=TOKEN, start_dir=tmp_path))
    assert not validate_project(project).valid
    page = browser.page("/enkater")
    assert "Kolumner som inte matchar någon fråga" in page
    row = re.search(r'name="rubrik-(\d+)" value="' + re.escape(html.escape(RENAMED, quote=True)) + '"', page)
    assert row, "the renamed column has a row"
    number = row.group(1)
    select = re.search(rf'<select id="fraga-{number}" name="fraga-{number}">(.*?)</select>', page, re.S).group(1)
    assert '<option value="q07" selected>' in select  # the closest question is suggested
    assert '<option value="organisation">' in select
    page = browser.post("/enkater/kolumner", {f"rubrik-{number}": RENAMED, f"fraga-{number}": "q07"}).get_data(as_text=True)
    assert "1 kolumnkoppling är sparad" in page
    data = yaml.safe_load((project / "projekt.yaml").read_text(encoding="utf-8"))
    assert data["personalenkat"]["kolumner"] == {RENAMED: "q07"}
    assert validate_project(project).valid
    assert "Inga problem hittades" in page or "0 fel" in page
    assert survey_results(project).comparison is not None


def test_mapping_to_an_unknown_question_is_refused(browser, project):
    before = (project / "projekt.yaml").read_bytes()
    page = browser.post("/enkater/kolumner", {"rubrik-0": "Svarsdatum", "fraga-0": "q99"}).get_data(as_text=True)
    assert "Frågan q99 finns inte i instrumentet" in page
    assert (project / "projekt.yaml").read_bytes() == before


def _mini_project(empty: Path, tmp_path: Path) -> Browser:
    browser = Browser(create_app(empty, token=TOKEN, start_dir=tmp_path))
    page = browser.post(
        "/enkater/instrument/ladda-upp",
        {"instrumentfil": (io.BytesIO(MINI_INSTRUMENT.encode()), "mitt instrument.yaml")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert "Instrumentet är uppladdat och valt." in page
    return browser


def test_unknown_answer_label_gets_a_dropdown_and_becomes_a_project_alias(empty, tmp_path):
    browser = _mini_project(empty, tmp_path)
    rows = [["AF", f"k{i}", "Stämmer helt" if i < 3 else 4, 4, 2, ""] for i in range(6)]
    wave = write_csv(tmp_path / "w.csv", rows, header=HEADER)
    _upload(browser, [("w.csv", wave.read_bytes())])
    assert not validate_project(empty).valid
    page = browser.page("/enkater")
    assert "Svar som inte finns på skalan" in page
    assert 'name="svar-0" value="Stämmer helt"' in page
    select = re.search(r'<select id="varde-0" name="varde-0">(.*?)</select>', page, re.S).group(1)
    assert '<option value="5" selected>5 = Instämmer helt (förslag)</option>' in select
    page = browser.post("/enkater/svar", {"svar-0": "Stämmer helt", "varde-0": "5"}).get_data(as_text=True)
    assert "1 svarsalternativ är sparat i projektfilen" in page
    assert load_project(empty).answer_aliases == {"Stämmer helt": 5}
    assert validate_project(empty).valid
    tidy = survey_results(empty).survey.tidy
    q1 = tidy[(tidy["fraga"] == "q1")].sort_values("rad")
    # rows 2–4 said "Stämmer helt" (= 5), rows 5–7 said 4
    assert q1["varde"].tolist() == [5.0, 5.0, 5.0, 4.0, 4.0, 4.0]


def test_alias_that_is_a_scale_label_or_off_the_scale_is_refused(empty, tmp_path):
    browser = _mini_project(empty, tmp_path)
    page = browser.post("/enkater/svar", {"svar-0": "Instämmer helt", "varde-0": "5"}).get_data(as_text=True)
    assert "är redan ett svarsalternativ" in page
    page = browser.post("/enkater/svar", {"svar-0": "Toppen", "varde-0": "9"}).get_data(as_text=True)
    assert "finns inte på skalan 1–5" in page
    assert load_project(empty).answer_aliases == {}


def test_bad_instrument_upload_is_refused_and_not_kept(empty, tmp_path):
    browser = Browser(create_app(empty, token=TOKEN, start_dir=tmp_path))
    page = browser.post(
        "/enkater/instrument/ladda-upp",
        {"instrumentfil": (io.BytesIO(b"id: x\nfragor: []\n"), "trasig.yaml")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert "trasig.yaml" in page and "skala" in page
    assert not list((empty / "instrument").glob("*.yaml"))


def test_choose_builtin_or_uploaded_instrument(empty, tmp_path):
    browser = _mini_project(empty, tmp_path)
    data = yaml.safe_load((empty / "projekt.yaml").read_text(encoding="utf-8"))
    own = data["personalenkat"]["instrument"]
    assert re.fullmatch(r"instrument/instrument-\d{8}-[0-9a-f]{6}\.yaml", own)
    page = browser.page("/enkater")
    assert f'<option value="{own}" selected>' in page
    browser.post("/enkater/instrument", {"instrument": "samverkan"})
    assert yaml.safe_load((empty / "projekt.yaml").read_text(encoding="utf-8"))["personalenkat"]["instrument"] == "samverkan"
    page = browser.post("/enkater/instrument", {"instrument": "/etc/passwd"}).get_data(as_text=True)
    assert "finns inte bland valen" in page


# ---------------------------------------------------------------- Jämförelse


def test_comparison_page_shows_tables_charts_and_sentences(shared):
    page = shared.page("/jamforelse")
    assert page.count('<section class="index"') == 12
    assert "Andelen positiva var" in page
    assert page.count('src="data:image/png;base64,') == 12
    assert "Arbetsförmedlingen" in page and "Socialtjänsten" in page


def test_comparison_filtered_by_organisation(shared):
    page = shared.page("/jamforelse?organisation=Socialtj%C3%A4nsten")
    assert '<option value="Socialtjänsten" selected>' in page
    assert "För Socialtjänsten var andelen positiva" in page
    tables = re.findall(r"indexvärde per grupp och enkät</caption>.*?</tbody>", page, re.S)
    assert tables and all("Arbetsförmedlingen" not in t and "Socialtjänsten" in t for t in tables)
    unknown = shared.page("/jamforelse?organisation=Finns%20inte")
    assert "För Finns inte" not in unknown and '<option value="">Alla grupper</option>' in unknown


def test_comparison_without_waves_or_with_errors(empty, project, tmp_path):
    assert "Inga enkätfiler ännu" in Browser(create_app(empty, token=TOKEN, start_dir=tmp_path)).page("/jamforelse")
    (project / "enkater" / "enkat3.csv").write_bytes(_renamed_wave3())
    page = Browser(create_app(project, token=TOKEN, start_dir=tmp_path)).page("/jamforelse")
    assert "Jämförelsen kan inte beräknas" in page and "fel" in page


# ---------------------------------------------------------------- Texter


def test_text_list_has_badges(shared, empty, tmp_path):
    page = shared.page("/texter")
    for heading in ("sekundara-effekter", "sammanfattning"):  # the demo fills every heading
        row = re.search(rf'href="/texter/{heading}">.*?</tr>', page, re.S).group(0)
        assert '<span class="bricka ifylld" data-status="ifylld">ifylld</span>' in row
    page = Browser(create_app(empty, token=TOKEN, start_dir=tmp_path)).page("/texter")  # a new project fills none
    row = re.search(r'href="/texter/sekundara-effekter">.*?</tr>', page, re.S).group(0)
    assert '<span class="bricka saknas" data-status="saknas">saknas</span>' in row and "text saknas" in row


def test_save_text_keeps_the_help_comment_and_updates_the_badge(browser, empty, tmp_path):
    browser = Browser(create_app(empty, token=TOKEN, start_dir=tmp_path))
    path = empty / "texter" / "extern-utvardering.md"
    head = path.read_text(encoding="utf-8")
    page = browser.page("/texter/extern-utvardering")
    assert "Vem som har utvärderat projektet" in page  # the template's help text
    assert "&lt;!--" not in page.split('name="text"')[1].split("</textarea>")[0]  # the comment is not in the editor
    page = browser.post(
        "/texter/extern-utvardering", {"text": "Utvärderingen gjordes av **FoU Storsjö**.\r\n\r\n- intervjuer", "action": "spara"},
        page="/texter/extern-utvardering",
    ).get_data(as_text=True)
    assert "Texten under ”Extern utvärdering” är sparad." in page
    saved = path.read_text(encoding="utf-8")
    assert saved.startswith(head.strip()) and saved.endswith("Utvärderingen gjordes av **FoU Storsjö**.\n\n- intervjuer\n")
    assert "\r" not in saved
    assert '<span class="bricka ifylld" data-status="ifylld">ifylld</span>' in page
    assert "<strong>FoU Storsjö</strong>" in page  # the preview


def test_save_text_refuses_when_the_file_changed_on_disk_and_shows_both(browser, project):
    source = browser.page("/texter/uppdraget")
    path = project / "texter" / "uppdraget.md"
    path.write_text("Ändrad i Word <b>nyss</b>.\n", encoding="utf-8")
    response = browser.client.post(
        "/texter/uppdraget",
        data={"csrf": _field(source, "csrf"), "version": _field(source, "version"), "text": "Min nya text", "action": "spara"},
    )
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "har ändrats på disken" in page
    assert "Ändrad i Word &lt;b&gt;nyss&lt;/b&gt;." in page  # the version on disk, escaped
    assert "Min nya text</textarea>" in page  # the user's version is still in the editor
    assert path.read_text(encoding="utf-8") == "Ändrad i Word <b>nyss</b>.\n"
    # saving again with the version shown on the conflict page is a deliberate overwrite
    response = browser.client.post(
        "/texter/uppdraget",
        data={"csrf": _field(page, "csrf"), "version": _field(page, "version"), "text": "Min nya text", "action": "spara"},
    )
    assert response.status_code == 303
    assert path.read_text(encoding="utf-8") == "Min nya text\n"


def test_new_text_file_can_be_created(browser, project):
    path = project / "texter" / "lsg-analys.md"
    path.unlink()  # the demo has every text; this heading's file is made anew
    assert not path.exists()
    browser.post("/texter/lsg-analys", {"text": "LSG:s analys.", "action": "spara"}, page="/texter/lsg-analys")
    assert path.read_text(encoding="utf-8") == "LSG:s analys.\n"


def test_markdown_preview_is_escaped_and_uses_the_report_settings(shared):
    source = shared.page("/texter/sammanfattning")
    response = shared.client.post(
        "/texter/forhandsvisning",
        data={"text": "<!-- hjälp -->\n# Rubrik\n\n<script>alert(1)</script> [länk](http://evil.example) *kursiv*"},
        headers={"X-CSRF-Token": _field(source, "csrf")},
    )
    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert "<script>" not in fragment and "&lt;script&gt;" in fragment
    assert "<em>kursiv</em>" in fragment and "<h1>Rubrik</h1>" in fragment
    assert "<a " not in fragment and "hjälp" not in fragment
    assert shared.client.post("/texter/forhandsvisning", data={"text": "x"}).status_code == 403


def test_preview_button_without_javascript_keeps_the_unsaved_text(browser, project):
    before = (project / "texter" / "uppdraget.md").read_bytes()
    page = browser.post("/texter/uppdraget", {"text": "Utkast *här*", "action": "forhandsgranska"}, page="/texter/uppdraget").get_data(as_text=True)
    assert "Utkast *här*</textarea>" in page and "<em>här</em>" in page
    assert (project / "texter" / "uppdraget.md").read_bytes() == before


@pytest.mark.parametrize("heading", ["finns-inte", "..%2Fprojekt", "..%2F..%2Fetc%2Fpasswd"])
def test_only_template_headings_have_editors(shared, heading):
    assert shared.get(f"/texter/{heading}").status_code == 404


# ---------------------------------------------------------------- Rapport


def test_build_and_download(mini, tmp_path):
    project = mini
    browser = Browser(create_app(mini, token=TOKEN, start_dir=tmp_path))
    page = browser.page("/rapport")
    assert "obligatoriska rubriker har innehåll" in page and "Rapporten är inte byggd ännu" in page
    page = browser.post("/rapport/bygg", {"utkast": "ja"}, page="/rapport").get_data(as_text=True)
    assert "Rapporten är byggd" in page
    for name in ("rapport.html", "rapport.xlsx", "rapport.docx", "rapport.json"):
        assert (project / "rapport" / name).is_file()
        assert f'href="/rapport/fil/{name}"' in page
    response = browser.get("/rapport/fil/rapport.html")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "<h1>Projektets namn</h1>" in response.get_data(as_text=True)
    assert "Utkast: vad saknas?" in response.get_data(as_text=True)
    docx = browser.get("/rapport/fil/rapport.docx")
    assert docx.data[:2] == b"PK" and "wordprocessingml" in docx.headers["Content-Type"]
    inline = browser.get("/rapport/fil/rapport.html?visa=ja")
    assert "attachment" not in inline.headers.get("Content-Disposition", "")
    assert "default-src 'none'" in inline.headers["Content-Security-Policy"]


def test_download_only_known_outputs(mini, tmp_path):
    project = mini
    browser = Browser(create_app(mini, token=TOKEN, start_dir=tmp_path))
    (project / "rapport").mkdir()
    (project / "rapport" / "hemlig.txt").write_text("x", encoding="utf-8")
    for name in ("hemlig.txt", "..%2Fprojekt.yaml", "rapport.pdf"):
        assert browser.get(f"/rapport/fil/{name}").status_code == 404


def test_build_errors_are_shown(project, tmp_path):
    (project / "enkater" / "enkat3.csv").write_bytes(_renamed_wave3())
    browser = Browser(create_app(project, token=TOKEN, start_dir=tmp_path))
    refusal = re.search(r'data-testid="byggspärr">(.*?)</p>', browser.page("/rapport"), re.S).group(1)
    assert refusal.startswith("Rapporten kan inte byggas förrän felen i indata är rättade. Personalenkät: personalenkätens filer har")
    page = browser.post("/rapport/bygg", {}, page="/rapport").get_data(as_text=True)
    assert _messages(page) == [html.unescape(refusal)]  # the build refuses with the words the page shows
    assert not (project / "rapport" / "rapport.html").exists()
    assert not (project / "rapport" / "rapport.html").exists()


def test_build_refuses_to_overwrite_an_edited_report_unless_asked(mini, tmp_path):
    project = mini
    browser = Browser(create_app(mini, token=TOKEN, start_dir=tmp_path))
    browser.post("/rapport/bygg", {}, page="/rapport")
    (project / "rapport" / "rapport.html").write_text("redigerad", encoding="utf-8")
    page = browser.post("/rapport/bygg", {}, page="/rapport").get_data(as_text=True)
    assert "har ändrats efter att programmet skrev" in page
    assert (project / "rapport" / "rapport.html").read_text(encoding="utf-8") == "redigerad"
    browser.post("/rapport/bygg", {"skriv_over": "ja"}, page="/rapport")
    assert "Projektets namn" in (project / "rapport" / "rapport.html").read_text(encoding="utf-8")


# ---------------------------------------------------------------- the generic data-source page


def _validate_test_source(root: Path) -> ValidationReport:
    report = ValidationReport()
    if not (root / "kalla" / "data.csv").is_file():
        report.add("data.csv", "saknad fil", "filen data.csv saknas")
    else:
        report.add("data.csv", "okänd kolumn", "kolumnen <b>X</b> används inte", kolumn="<b>X</b>", allvar="varning")
    return report


SOURCE = DataSource(
    id="personalenkat",  # shows the survey's blocks, as the report builds them
    title="Testkälla",
    intro="En källa för testet.",
    files=(FileSlot(("testkalla", "fil"), "Testfil", "kalla/data.csv"),),
    validate=_validate_test_source,
)


def test_data_source_page_upload_validation_and_report_blocks(mini, tmp_path):
    project = mini
    browser = Browser(create_app(project, token=TOKEN, start_dir=tmp_path, sources=(SOURCE,)))
    assert 'href="/data/personalenkat">Testkälla</a>' in browser.page("/projekt")
    page = browser.page("/data/personalenkat")
    assert "filen data.csv saknas" in page and "Ingen fil ännu." in page
    assert "Personalenkätens resultat" in page and "indexvärde per grupp och enkät" in page  # report blocks
    upload = {"fil": "0", "filen": (io.BytesIO(b"a;b\n1;2\n"), "../../mina data.csv")}
    page = browser.post("/data/personalenkat/ladda-upp", upload, page="/data/personalenkat", content_type="multipart/form-data").get_data(as_text=True)
    assert "Testfil är sparad som kalla/data.csv." in page
    assert (project / "kalla" / "data.csv").read_bytes() == b"a;b\n1;2\n"
    data = yaml.safe_load((project / "projekt.yaml").read_text(encoding="utf-8"))
    assert data["testkalla"] == {"fil": "kalla/data.csv"}
    assert "kolumnen &lt;b&gt;X&lt;/b&gt; används inte" in page
    again = {"fil": "0", "filen": (io.BytesIO(b"a;b\n3;4\n"), "ny.csv")}
    page = browser.post("/data/personalenkat/ladda-upp", again, page="/data/personalenkat", content_type="multipart/form-data").get_data(as_text=True)
    assert "finns redan" in page
    assert (project / "kalla" / "data.csv").read_bytes() == b"a;b\n1;2\n"
    again = {"fil": "0", "ersatt": "ja", "filen": (io.BytesIO(b"a;b\n3;4\n"), "ny.csv")}
    browser.post("/data/personalenkat/ladda-upp", again, page="/data/personalenkat", content_type="multipart/form-data")
    assert (project / "kalla" / "data.csv").read_bytes() == b"a;b\n3;4\n"
    wrong = {"fil": "0", "ersatt": "ja", "filen": (io.BytesIO(_sample_bytes("enkat2_microsoft_forms.xlsx")), "x.csv")}
    page = browser.post("/data/personalenkat/ladda-upp", wrong, page="/data/personalenkat", content_type="multipart/form-data").get_data(as_text=True)
    assert "är av typen xlsx" in page


def test_data_source_path_in_projekt_yaml_must_stay_in_the_folder(mini, tmp_path):
    project = mini
    path = project / "projekt.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "testkalla:\n  fil: ../utanfor.csv\n", encoding="utf-8")
    browser = Browser(create_app(project, token=TOKEN, start_dir=tmp_path, sources=(SOURCE,)))
    upload = {"fil": "0", "filen": (io.BytesIO(b"a;b\n1;2\n"), "x.csv")}
    page = browser.post("/data/personalenkat/ladda-upp", upload, page="/data/personalenkat", content_type="multipart/form-data").get_data(as_text=True)
    assert "ska ligga i projektmappen" in page
    assert not (tmp_path / "utanfor.csv").exists()


def test_the_new_project_form_offers_only_final_report_templates(shared):
    page = shared.page("/projekt")
    assert '<option value="rar-slutrapport"' in page and 'value="rar-lagesrapport"' not in page  # typ: delrapport


def test_unknown_data_source_is_404(shared):
    assert shared.get("/data/finns-inte").status_code == 404


def test_the_sample_projects_data_source_pages_show_their_tables(shared):
    page = shared.page("/projekt")
    for source, title in (("sjalvvardering", "Självvärdering"), ("deltagare", "Deltagare"), ("ekonomi", "Ekonomi")):
        assert f'href="/data/{source}">{title}</a>' in page
    page = shared.page("/data/sjalvvardering")
    files = re.search(r'<ul class="filer" data-testid="filer-0">(.*?)</ul>', page, re.S).group(1)
    assert files.count("<li>") == 22 and "Ifyllda formulär per roll och tillfälle" in page
    page = shared.page("/data/deltagare")
    assert "deltagare.csv" in page and "Måluppfyllelse" in page
    assert "aktiviteter.csv" in page and "deltagarenkat.csv" in page and "deltagarenkat.yaml" in page  # the goals' sources
    assert "Projektets egen bedömning" in page and "Grund för bedömningen" in page
    page = shared.page("/data/ekonomi").replace("\u00a0", " ")
    assert "Budget enligt ansökan och utfall per kategori och period" in page and "3 966 250 kr" in page
    assert "Samhällsekonomisk" in page


def test_the_activity_log_is_uploaded_on_the_participant_page(empty, tmp_path):
    browser = Browser(create_app(empty, token=TOKEN, start_dir=tmp_path))
    upload = {"fil": "1", "filen": [(io.BytesIO((SAMPLES / "aktiviteter.csv").read_bytes()), "logg.csv")]}
    page = browser.post("/data/deltagare/ladda-upp", upload, page="/data/deltagare", content_type="multipart/form-data").get_data(as_text=True)
    assert (empty / "aktiviteter.csv").read_bytes() == (SAMPLES / "aktiviteter.csv").read_bytes(), page
    assert yaml.safe_load((empty / "projekt.yaml").read_text(encoding="utf-8"))["aktiviteter"] == {"fil": "aktiviteter.csv"}


def test_forms_upload_into_the_folder_under_new_names_and_yaml_parameters_are_checked(empty, tmp_path):
    browser = Browser(create_app(empty, token=TOKEN, start_dir=tmp_path))
    page = browser.page("/data/sjalvvardering")
    assert "Ingen fil ännu." in page and "Ladda upp filerna, så kontrolleras de här." in page and "Inga problem hittades" not in page
    forms = sorted((SAMPLES / "sjalvvardering").glob("*.xlsx"))[:2]
    upload = {"fil": "0", "filen": [(io.BytesIO(f.read_bytes()), f"../{f.name}") for f in forms]}
    page = browser.post("/data/sjalvvardering/ladda-upp", upload, page="/data/sjalvvardering", content_type="multipart/form-data").get_data(as_text=True)
    assert "2 filer är sparade i mappen sjalvvardering." in page
    stored = sorted((empty / "sjalvvardering").iterdir())
    assert len(stored) == 2 and all(re.fullmatch(r"formular-\d{8}-[0-9a-f]{6}\.xlsx", p.name) for p in stored)
    assert {p.read_bytes() for p in stored} == {f.read_bytes() for f in forms}
    assert yaml.safe_load((empty / "projekt.yaml").read_text(encoding="utf-8"))["sjalvvardering"] == {"mapp": "sjalvvardering"}
    page = browser.page("/data/sjalvvardering")
    assert all(f"”{f.name}”" in page for f in forms) and not re.search(r"formular-\d{8}", page)  # the user's names only
    wrong = {"fil": "0", "filen": [(io.BytesIO(b"a;b\n1;2\n"), "x.xlsx")]}
    page = browser.post("/data/sjalvvardering/ladda-upp", wrong, page="/data/sjalvvardering", content_type="multipart/form-data").get_data(as_text=True)
    assert "är av typen csv" in page and len(list((empty / "sjalvvardering").iterdir())) == 2
    params = {"fil": "1", "filen": (io.BytesIO((SAMPLES / "socioekonomi.yaml").read_bytes()), "params.txt")}
    page = browser.post("/data/ekonomi/ladda-upp", params, page="/data/ekonomi", content_type="multipart/form-data").get_data(as_text=True)
    assert "är sparad som socioekonomi.yaml" in page
    assert (empty / "socioekonomi.yaml").read_bytes() == (SAMPLES / "socioekonomi.yaml").read_bytes()
    csv_instead = {"fil": "1", "ersatt": "ja", "filen": (io.BytesIO(b"a;b\n1;2\n"), "x.yaml")}
    page = browser.post("/data/ekonomi/ladda-upp", csv_instead, page="/data/ekonomi", content_type="multipart/form-data").get_data(as_text=True)
    assert "är av typen csv, men här går bara yaml" in page


# ---------------------------------------------------------------- the server


def test_busy_port_gives_the_next_free_one():
    first = bind_free_port(0)
    busy = first.getsockname()[1]
    try:
        second = bind_free_port(busy)
        try:
            assert second.getsockname()[1] > busy
            assert second.getsockname()[0] == "127.0.0.1"
        finally:
            second.close()
    finally:
        first.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_prints_the_url_answers_with_the_token_and_stops_on_ctrl_c(project):
    import os
    import signal
    import urllib.error
    import urllib.request

    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    busy = socket.socket()
    busy.bind(("127.0.0.1", _free_port()))
    busy.listen(1)
    port = busy.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "slutrapport", "serve", str(project), "--port", str(port), "--no-browser"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        lines = []
        while not any("?token=" in line for line in lines):
            line = process.stdout.readline()
            assert line, process.stderr.read()
            lines.append(line)
        url = next(line.strip() for line in lines if "?token=" in line)
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/\?token=[\w-]{40,}", url)
        assert f"Port {port} är upptagen" in "".join(lines)
        assert int(url.split(":")[2].split("/")[0]) != port
        base = url.split("?")[0]
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(base + "projekt", timeout=10)
        assert refused.value.code == 403
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        with opener.open(url, timeout=30) as response:
            assert response.status == 200
            assert "Vägen framåt" in response.read().decode("utf-8")
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    finally:
        busy.close()
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert "Servern är stoppad." in out
    assert "Traceback" not in err


def test_serve_help_is_swedish():
    from click.testing import CliRunner

    from slutrapport.cli import cli

    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0
    assert "--no-browser" in result.output and "--max-upload" in result.output and "127.0.0.1" in result.output


def test_templates_and_static_files_ship_in_the_package():
    from importlib.resources import files

    web = files("slutrapport") / "web"
    for name in ("base.html.j2", "projekt.html.j2", "enkater.html.j2", "jamforelse.html.j2", "texter.html.j2",
                 "text.html.j2", "rapport.html.j2", "kalla.html.j2", "fel.html.j2", "_blocks.html.j2"):
        assert (web / "templates" / name).is_file(), name
    for name in ("style.css", "app.js"):
        assert (web / "static" / name).is_file(), name


def test_measurable_goals_are_added_checked_and_removed_on_the_project_page(project, tmp_path):
    browser = Browser(create_app(project, token=TOKEN, start_dir=tmp_path))
    page = browser.page("/projekt")
    assert "Minst 40 % av de avslutade deltagarna går till arbete eller studier" in page and "Mätbara mål" in page
    bad = {"mal": "Fler i <b>jobb</b>", "matt": "andel", "population": "avslutade", "kategorier": "jobbb", "malvarde": "140 %"}
    page = browser.post("/projekt/mal", bad, page="/projekt").get_data(as_text=True)
    assert "okänd status ”jobbb”" in page and "en andel ska vara mellan 0 och 100 %" in page
    before = [g["mal"] for g in yaml.safe_load((project / "projekt.yaml").read_text(encoding="utf-8"))["mal"]]
    assert len(before) == 10  # the sample's goals of every kind; the bad one was not written
    good = {"mal": "Minst 20 % <b>studerar</b>", "matt": "andel", "population": "avslutade", "kategorier": "studier", "malvarde": "20 %"}
    page = browser.post("/projekt/mal", good, page="/projekt").get_data(as_text=True)
    assert "Målet är sparat i projektfilen" in page and "Minst 20 % &lt;b&gt;studerar&lt;/b&gt;" in page
    text = (project / "projekt.yaml").read_text(encoding="utf-8")
    goals = yaml.safe_load(text)["mal"]
    assert goals[-1] == {"mal": "Minst 20 % <b>studerar</b>", "matt": "andel", "population": "avslutade", "kategorier": ["studier"], "malvarde": "20 %"}
    assert "# Projektets mål. Mätbara mål" in text  # the user's comments stay
    from slutrapport.pipeline import project_results

    goal_table = project_results(project, tolerant=False).goals.table
    assert list(goal_table["mal"])[-1] == "Minst 20 % <b>studerar</b>"
    page = browser.post("/projekt/mal", {"action": "ta-bort", "mal_nr": "0"}, page="/projekt").get_data(as_text=True)
    assert "Målet är borttaget" in page
    assert [g["mal"] for g in yaml.safe_load((project / "projekt.yaml").read_text(encoding="utf-8"))["mal"]] == [
        *before[1:], "Minst 20 % <b>studerar</b>",
    ]  # fmt: skip


def test_goals_of_every_kind_are_added_on_the_project_page(project, tmp_path):
    browser = Browser(create_app(project, token=TOKEN, start_dir=tmp_path))
    page = browser.page("/projekt")
    # the sample's goals are listed with what they count
    assert "kon: kvinnor" in page and "typ: informationsträff" in page and "bedomning: delvis" in page and "falt: forsorjning" in page
    blank = dict.fromkeys(("population", "kategorier", "kon", "alder", "falt", "fran", "till", "andring", "fraga", "svar", "typ", "malvarde",
                           "bedomning", "motivering"), "")  # fmt: skip
    forms = [
        {"mal": "Minst 30 % män", "matt": "andel", "population": "inskrivna", "kon": "män", "malvarde": "30 %"},
        {"mal": "Fler i arbete", "matt": "forandring", "population": "avslutade", "falt": "status", "kategorier": "arbete", "fran": "2025-06-30",
         "till": "2026-06-30", "andring": "okning", "malvarde": "3"},
        {"mal": "Respekt", "matt": "andel_svar", "population": "avslutade", "fraga": "bemotande", "svar": "Ja", "malvarde": "90 %"},
        {"mal": "Studiebesök", "matt": "aktiviteter", "population": "avslutade", "typ": "informationsträff", "malvarde": "2"},
        {"mal": "Ett gemensamt forum", "matt": "kvalitativt", "population": "avslutade", "bedomning": "ja", "motivering": "Forumet träffas varje månad.",
         "malvarde": "40 %"},
    ]  # fmt: skip
    for form in forms:
        page = browser.post("/projekt/mal", blank | form, page="/projekt").get_data(as_text=True)
        assert "Målet är sparat i projektfilen" in page, form
    goals = yaml.safe_load((project / "projekt.yaml").read_text(encoding="utf-8"))["mal"][-5:]
    assert goals == [
        {"mal": "Minst 30 % män", "matt": "andel", "population": "inskrivna", "kon": "män", "malvarde": "30 %"},
        {"mal": "Fler i arbete", "matt": "forandring", "kategorier": ["arbete"], "falt": "status", "fran": "2025-06-30", "till": "2026-06-30",
         "andring": "okning", "malvarde": "3"},
        {"mal": "Respekt", "matt": "andel_svar", "fraga": "bemotande", "svar": ["Ja"], "malvarde": "90 %"},
        {"mal": "Studiebesök", "matt": "aktiviteter", "typ": "informationsträff", "malvarde": "2"},
        {"mal": "Ett gemensamt forum", "matt": "kvalitativt", "bedomning": "ja", "motivering": "Forumet träffas varje månad."},
    ]  # fmt: skip
    page = browser.post("/projekt/mal", blank | {"mal": "Halvt", "matt": "kvalitativt", "bedomning": "kanske"}, page="/projekt").get_data(as_text=True)
    assert "ange projektets bedömning: ja, delvis eller nej" in page
    from slutrapport.pipeline import project_results

    table = project_results(project, tolerant=False).goals.table
    # 25 of 52 enrolled are men (48 % ≥ 30 %); finished with arbete: 2025-06-30 → 2026-06-30 more than 3 (the sample register);
    # 26 of 31 answered Ja (84 % < 90 %); 8 informationsträffar ≥ 2; the project's own ja
    assert list(table["uppnatt"])[-5:] == ["ja", "ja", "nej", "ja", "ja"]
    assert list(table["taljare"])[-3] == 26 and list(table["namnare"])[-3] == 31
