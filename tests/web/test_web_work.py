"""No lost work and work you can see, through Flask's test client: autosave and its version check, forms that keep
what was typed, background jobs (joined, steps, Swedish errors), the text page's generated section, and the
Jämförelse page per question with its CSV and PNG downloads."""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path

import pytest

from slutrapport.core.errors import ProjectError
from slutrapport.pipeline import survey_results
from slutrapport.project.folder import init_project
from slutrapport.render.csvfile import formula_safe, table_csv
from slutrapport.report.comparison import organisations, question_details
from slutrapport.report.model import COUNT, PROTECTED, Column, Table
from slutrapport.web import create_app
from slutrapport.web.jobs import DONE, FAILED, JobRegistry
from tests.conftest import MINI_INSTRUMENT, write_csv
from tests.web.test_web import TOKEN, Browser, _field, _messages

SAVED = re.compile(r"^Sparat \d{2}:\d{2}$")


def _rows(shift: int, small: int) -> list[list[object]]:
    rows = [
        [org, f"{org}{i}", (i + shift) % 5 + 1, (i + 1) % 5 + 1, (i + 2) % 5 + 1, f"Synpunkt {i} från {org}" if i < 3 else ""]
        for org in ("AF", "Soc")
        for i in range(6)
    ]
    return rows + [["Liten", f"L{i}", 1, 1, 1, ""] for i in range(small)]


@pytest.fixture
def small(tmp_path) -> Path:
    """Two waves of the mini instrument; the organisation "Liten" has 2 answers in the first wave (hidden there)."""
    root = tmp_path / "liten"
    init_project(root)
    (root / "instrument").mkdir()
    (root / "instrument" / "mini.yaml").write_text(MINI_INSTRUMENT, encoding="utf-8")
    write_csv(root / "enkater" / "w1.csv", _rows(0, 2))
    write_csv(root / "enkater" / "w2.csv", _rows(1, 6))
    path = root / "projekt.yaml"
    text = path.read_text(encoding="utf-8").replace("instrument: samverkan", "instrument: instrument/mini.yaml", 1)
    text = text.replace("  enkater:\n", "  enkater:\n    - fil: enkater/w1.csv\n    - fil: enkater/w2.csv\n", 1)
    path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def empty_browser(tmp_path) -> tuple[Browser, Path]:
    root = tmp_path / "nytt"
    init_project(root)
    return Browser(create_app(root, token=TOKEN, start_dir=tmp_path)), root


# ---------------------------------------------------------------- autosave


def _autosave(browser: Browser, heading: str, text: str, version: str, csrf: str | None):
    headers = {"X-CSRF-Token": csrf} if csrf is not None else {}
    return browser.client.post(f"/texter/{heading}/autospara", data={"text": text, "version": version}, headers=headers)


def test_autosave_saves_and_says_when_in_swedish_time(empty_browser):
    browser, root = empty_browser
    page = browser.page("/texter/sammanfattning")
    assert 'data-autosave="/texter/sammanfattning/autospara"' in page and 'data-testid="autospar"' in page
    response = _autosave(browser, "sammanfattning", "Första utkastet.", _field(page, "version"), _field(page, "csrf"))
    assert response.status_code == 200
    answer = response.get_json()
    assert answer["ok"] and SAVED.match(answer["meddelande"]) and answer["meddelande"] == f"Sparat {answer['sparad']}"
    assert "Första utkastet." in (root / "texter" / "sammanfattning.md").read_text(encoding="utf-8")
    # the next autosave sends the version the last one returned
    again = _autosave(browser, "sammanfattning", "Andra utkastet.", answer["version"], _field(page, "csrf"))
    assert again.status_code == 200
    assert "Andra utkastet." in (root / "texter" / "sammanfattning.md").read_text(encoding="utf-8")


def test_autosave_never_overwrites_a_text_changed_on_disk(empty_browser):
    browser, root = empty_browser
    page = browser.page("/texter/sammanfattning")
    version, csrf = _field(page, "version"), _field(page, "csrf")
    first = _autosave(browser, "sammanfattning", "Från sidan.", version, csrf).get_json()
    path = root / "texter" / "sammanfattning.md"
    path.write_text("Ändrad i en annan editor.\n", encoding="utf-8")
    response = _autosave(browser, "sammanfattning", "Från sidan, mer.", first["version"], csrf)
    assert response.status_code == 409
    answer = response.get_json()
    assert answer["konflikt"] is True and not answer["ok"]
    assert "ändrats på disken" in answer["meddelande"] and "Din text finns kvar" in answer["meddelande"]
    assert path.read_text(encoding="utf-8") == "Ändrad i en annan editor.\n"


def test_autosave_needs_the_csrf_token(empty_browser):
    browser, root = empty_browser
    page = browser.page("/texter/sammanfattning")
    assert _autosave(browser, "sammanfattning", "x", _field(page, "version"), None).status_code == 403
    assert _autosave(browser, "sammanfattning", "x", _field(page, "version"), "fel").status_code == 403
    assert not (root / "texter" / "sammanfattning.md").read_text(encoding="utf-8").strip().endswith("x")


def test_pages_with_forms_warn_before_unsaved_changes_are_left(empty_browser):
    browser, _ = empty_browser
    assert browser.page("/texter/sammanfattning").count("data-unsaved") == 1
    assert browser.page("/projekt").count("data-unsaved") == 2  # the facts and the new goal
    script = browser.get("/static/app.js").get_data(as_text=True)
    assert "beforeunload" in script and "Du har ändringar som inte är sparade" in script


# ---------------------------------------------------------------- forms keep what was typed


def test_project_facts_with_an_error_stay_in_the_form(empty_browser):
    browser, root = empty_browser
    before = (root / "projekt.yaml").read_text(encoding="utf-8")
    data = {"namn": "Vägen framåt", "organisationer": "Arbetsförmedlingen\nSocialtjänsten", "start": "2026-06-30", "slut": "2025-01-01"}
    response = browser.post("/projekt/uppgifter", data, page="/projekt", follow=False)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert any("slutar före den börjar" in m for m in _messages(page))
    assert 'value="Vägen framåt"' in page and ">Arbetsförmedlingen\nSocialtjänsten</textarea>" in page
    assert 'value="2026-06-30"' in page and 'value="2025-01-01"' in page
    assert (root / "projekt.yaml").read_text(encoding="utf-8") == before


def test_a_new_goal_with_an_error_stays_in_the_form(empty_browser):
    browser, root = empty_browser
    before = (root / "projekt.yaml").read_text(encoding="utf-8")
    data = {
        "action": "lagg-till",
        "mal": "Hälften av deltagarna får ett jobb",
        "matt": "andel",
        "population": "avslutade",
        "kategorier": "",
        "malvarde": "40 %",
    }
    response = browser.post("/projekt/mal", data, page="/projekt", follow=False)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert _messages(page) and "Det nya målet" in _messages(page)[0]
    assert 'id="m-mal" name="mal" value="Hälften av deltagarna får ett jobb"' in page
    assert 'name="malvarde" value="40 %"' in page
    assert '<option value="andel" selected>' in page and '<option value="avslutade" selected>' in page
    assert (root / "projekt.yaml").read_text(encoding="utf-8") == before


# ---------------------------------------------------------------- jobs


def _wait(job, seconds: float = 10) -> None:
    end = time.monotonic() + seconds
    while job.running and time.monotonic() < end:
        time.sleep(0.01)


def test_a_second_request_for_the_same_work_joins_the_first(tmp_path):
    jobs, release, calls = JobRegistry(), threading.Event(), []

    def work(progress):
        calls.append(1)
        progress("Läser enkätfil 1 av 2 (a.csv)")
        release.wait(10)
        progress("Analyserar")
        return [("ok", "Klart.")]

    first, started = jobs.start(tmp_path, "bygg", work)
    second, started_again = jobs.start(tmp_path, "bygg", work)
    other, other_started = jobs.start(tmp_path / "annat", "bygg", lambda progress: [])
    assert started and not started_again and second is first
    assert other_started and other is not first
    for _ in range(500):
        if first.steps:
            break
        time.sleep(0.01)
    status = first.status()
    assert status["status"] == "pagar" and not status["klar"] and status["aktuellt"] == "Läser enkätfil 1 av 2 (a.csv)"
    assert status["meddelanden"] == []  # the result only when done
    release.set()
    _wait(first)
    assert calls == [1] and first.state == DONE
    assert first.status()["steg"] == ["Läser enkätfil 1 av 2 (a.csv)", "Analyserar"]
    assert first.status()["meddelanden"] == [{"typ": "ok", "text": "Klart."}]
    third, started_third = jobs.start(tmp_path, "bygg", work)  # finished work starts again
    assert started_third and third is not first
    _wait(third)


def test_job_errors_are_swedish_and_never_a_traceback(tmp_path):
    jobs = JobRegistry()

    def refused(progress):
        raise ProjectError("Projektfilen saknar projektets namn.")

    def broken(progress):
        raise KeyError("intern")

    one, _ = jobs.start(tmp_path, "bygg", refused)
    two, _ = jobs.start(tmp_path, "jamforelse", broken)
    _wait(one)
    _wait(two)
    assert one.state == FAILED and one.messages == [("fel", "Projektfilen saknar projektets namn.")]
    assert two.state == FAILED and two.messages[0][1].startswith("Ett oväntat fel inträffade (KeyError)")
    assert "Traceback" not in two.messages[0][1]


def test_build_runs_as_a_job_the_page_follows(small, tmp_path):
    browser = Browser(create_app(small, token=TOKEN, start_dir=tmp_path))
    source = browser.page("/rapport")
    assert "data-job-form" in source
    response = browser.client.post("/rapport/bygg", data={"csrf": _field(source, "csrf"), "utkast": "ja"}, headers={"Accept": "application/json"})
    status = response.get_json()
    address = status["adress"]
    assert status["typ"] == "bygg" and address == f"/jobb/{status['id']}"
    while not status["klar"]:
        time.sleep(0.1)
        status = browser.get(address).get_json()
    assert status["status"] == "klar", status
    assert "Analyserar" in status["steg"] and "Skriver filerna" in status["steg"]  # the terminal's steps
    assert any(m["text"].startswith("Rapporten är byggd") for m in status["meddelanden"])
    page = browser.page("/rapport")
    assert any(m.startswith("Rapporten är byggd") for m in _messages(page))  # shown once …
    assert not any(m.startswith("Rapporten är byggd") for m in _messages(browser.page("/rapport")))  # … not again
    assert browser.get("/jobb/finns-inte").status_code == 404


def test_a_running_build_disables_the_button_and_shows_its_steps(small, tmp_path):
    app = create_app(small, token=TOKEN, start_dir=tmp_path)
    browser = Browser(app)
    release = threading.Event()

    def slow(progress):
        progress("Analyserar")
        release.wait(10)
        return [("ok", "Rapporten är byggd.")]

    job, _ = app.extensions["slutrapport"].jobs.start(small.resolve(), "bygg", slow)
    try:
        for _ in range(500):
            if job.steps:
                break
            time.sleep(0.01)
        page = browser.client.get("/rapport").get_data(as_text=True)
        assert f'data-job="/jobb/{job.id}"' in page and "<li>Analyserar</li>" in page
        assert re.search(r'data-testid="bygg-rapporten" disabled', page)
        source = browser.client.get("/rapport").get_data(as_text=True)
        joined = browser.client.post("/rapport/bygg", data={"csrf": _field(source, "csrf")}, headers={"Accept": "application/json"})
        assert joined.get_json()["id"] == job.id  # the second request joins the running build
    finally:
        release.set()
        _wait(job)


# ---------------------------------------------------------------- the survey section beside its editor


def test_the_survey_heading_editor_shows_the_sections_tables_and_sentences(small, tmp_path):
    browser = Browser(create_app(small, token=TOKEN, start_dir=tmp_path))
    page = browser.page("/texter/personalenkat")
    section = page[page.index('data-testid="beraknat"') :]
    assert "Index A" in section and "<table>" in section and "data:image/png;base64," in section
    assert "Tabeller och meningar som programmet skriver under rubriken" in page
    assert 'data-testid="beraknat"' not in browser.page("/texter/uppdraget")  # a heading of the user's text only


# ---------------------------------------------------------------- Jämförelse per question


def test_question_details_follow_the_analysis_suppression(small):
    results = survey_results(small)
    table = results.comparison
    for organisation in [None, *organisations(results)]:
        for detail in question_details(results, organisation):
            if detail.id == "f1":
                continue
            shown = table[(table["niva"] == "fraga") & (table["id"] == detail.id) & ~table["undertryckt"].astype(bool)]
            expected = {(g, w) for g, w in zip(shown["grupp"], shown["enkat"], strict=True) if g in ("Alla", organisation)}
            rows = detail.blocks[0].rows
            assert {(row[0], row[1]) for row in rows} == expected, (organisation, detail.id)
            for row in rows:  # counts per option add up to the comparison's n; shares are count / n
                n = int(shown[(shown["grupp"] == row[0]) & (shown["enkat"] == row[1])]["n"].iloc[0])
                counts, shares = row[2:-1:2], row[3:-1:2]
                assert sum(counts) == row[-1] == n
                assert shares == pytest.approx([c / n for c in counts])
    liten = {(row[0], row[1]) for row in question_details(results, "Liten")[0].blocks[0].rows}
    assert ("Liten", "Enkät 1") not in liten and ("Liten", "Enkät 2") in liten  # 2 answers in wave 1: hidden


def test_comparison_page_per_question_with_free_text_and_downloads(small, tmp_path):
    browser = Browser(create_app(small, token=TOKEN, start_dir=tmp_path))
    page = browser.page("/jamforelse?organisation=Liten")
    assert 'id="per-fraga"' in page and page.count('data-testid="fraga"') == 4  # q1–q3 and the free-text question
    assert "Synpunkt 0 från AF" in page
    detail = page[page.index('id="fraga-q1"') :]
    detail = detail[: detail.index("</details>")]
    rows = re.findall(r'<tr>\s*<th scope="row">([^<]+)</th>\s*<td class="[^"]*">([^<]+)</td>', detail)
    assert rows == [("Alla", "Enkät 1"), ("Alla", "Enkät 2"), ("Liten", "Enkät 2")]  # Liten is hidden in wave 1
    csv_link = re.search(r'href="(/jamforelse/tabell/\d+\.csv\?organisation=Liten)"', detail).group(1)
    png_link = re.search(r'src="(/jamforelse/diagram/\d+\.png\?organisation=Liten)"', detail).group(1)
    csv = browser.get(csv_link)
    assert csv.status_code == 200 and csv.headers["Content-Type"].startswith("text/csv")
    assert csv.headers["Content-Disposition"].startswith("attachment")
    text = csv.data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Grupp;Enkät;Instämmer inte alls – antal;Instämmer inte alls – andel")
    assert "Liten;Enkät 2;" in text and "Liten;Enkät 1;" not in text
    png = browser.get(png_link)
    assert png.status_code == 200 and png.data[:8] == b"\x89PNG\r\n\x1a\n"
    links = re.findall(r'href="(/jamforelse/(?:tabell|diagram)/\d+\.(?:csv|png)[^"]*)"', page)
    main = page[page.index("<main") :]
    assert sum("/tabell/" in link for link in links) == main.count("<table>")  # every table and chart can be downloaded
    assert sum("/diagram/" in link for link in links) == main.count('<figure class="diagram">')
    assert browser.get("/jamforelse/tabell/9999.csv").status_code == 404
    assert browser.get(png_link.replace("diagram", "tabell").replace(".png", ".csv")).status_code == 404  # a chart is no table


def test_table_csv_is_formula_safe_and_hides_protected_cells():
    table = Table("t", [Column("Text"), Column("n", COUNT)], [['=HYPERLINK("http://x")', 3], ["+1", PROTECTED], ["@SUM(A1)", 1234], ["vanlig", 5]])
    lines = table_csv(table).decode("utf-8-sig").splitlines()
    assert lines == ["Text;n", '"\'=HYPERLINK(""http://x"")";3', "'+1;–", "'@SUM(A1);1 234", "vanlig;5"]
    assert formula_safe("-2") == "'-2" and formula_safe("\u22122") == "\u22122" and formula_safe("ok") == "ok"


def test_a_refused_build_asked_by_the_script_leaves_the_reason_for_the_page(small, tmp_path):
    (small / "enkater" / "w2.csv").write_text("inte;en;enkät\n", encoding="utf-8")
    browser = Browser(create_app(small, token=TOKEN, start_dir=tmp_path))
    source = browser.page("/rapport")
    response = browser.client.post("/rapport/bygg", data={"csrf": _field(source, "csrf")}, headers={"Accept": "application/json"})
    assert response.get_json() == {"klar": True, "ladda_om": True}
    assert any(m.startswith("Rapporten kan inte byggas") for m in _messages(browser.page("/rapport")))


def test_the_comparison_page_shows_its_progress_while_the_survey_is_read(small, tmp_path):
    app = create_app(small, token=TOKEN, start_dir=tmp_path)
    browser = Browser(app)
    release = threading.Event()

    def reading(progress):
        progress("Läser enkätfil 1 av 2 (w1.csv)")
        release.wait(10)
        return []

    job, _ = app.extensions["slutrapport"].jobs.start(small.resolve(), "jamforelse", reading)
    try:
        page = browser.client.get("/jamforelse").get_data(as_text=True)  # joins the reading under way
        assert f'data-job="/jobb/{job.id}"' in page and "Enkätfilerna läses och jämförs" in page
        assert "<li>Läser enkätfil 1 av 2 (w1.csv)</li>" in page and 'section class="index"' not in page
    finally:
        release.set()
        _wait(job)
    assert 'class="index"' in browser.page("/jamforelse")  # computed by the next job, then shown
