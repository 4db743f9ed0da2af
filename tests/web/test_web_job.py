"""The whole job in headless Chromium, through the page only: from a new project to the downloaded report, losing nothing.

A projektledare creates a project from the RAR template, fills in the facts
(a mistake first: what was typed stays) and a goal, uploads three survey
files, uploads a wrong självvärdering file and removes it (to papperskorg/) before the right ones,
adds a survey before the others, maps a register column on the Deltagare
page, types a text and leaves the page (warned, and the text is saved),
looks at the comparison per question, builds the report watching its steps
and downloads HTML, Word and Excel. Every page visited is checked for
internal file names, YAML keys and sheet!cell references
(:mod:`tests.web.plain_language`). Runs in the normal suite wherever
Debian's Chromium is installed (skipped elsewhere, like ``test_web_browser.py``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from slutrapport.project.folder import load_project
from tests.conftest import SAMPLES
from tests.render.test_browser import ARGS, CHROMIUM
from tests.web.plain_language import plain_problems, visible_text

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium är inte installerat")

TOKEN = "jobb-nyckel-" + "y" * 20
FIRST = "Projektet samlade tre myndigheter kring varje deltagare."
MORE = " Samverkan blev en vana."
INCOME = "Huvudsaklig försörjning före"  # the sample register's name for the income column




def test_the_whole_job_through_the_page(server, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    base, start = server
    surveys = SAMPLES / "enkater"
    before = tmp_path / "nerladdat" / "förmätning.csv"  # a survey taken before the others
    before.parent.mkdir()
    lines = (surveys / "enkat3.csv").read_bytes().split(b"\n")
    before.write_bytes(b"\n".join([*lines[:-6], b""]))  # not the same file twice: five answers fewer
    project = start / "jobbet"
    outside: list[str] = []
    errors: list[str] = []
    unclear: list[str] = []
    dialogs: list[str] = []
    downloads: dict[str, bytes] = {}

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=[*ARGS, "--lang=sv-SE"])
        try:
            context = browser.new_context(locale="sv-SE", viewport={"width": 1200, "height": 900}, accept_downloads=True)
            context.set_default_timeout(30_000)
            page = context.new_page()

            def guard(route):
                if route.request.url.startswith((base + "/", "data:")):
                    route.continue_()
                else:
                    outside.append(route.request.url)
                    route.abort()

            page.route("**/*", guard)
            page.on("pageerror", lambda exc: errors.append(str(exc)))

            def answer(dialog):
                dialogs.append(dialog.message)
                dialog.accept()

            page.on("dialog", answer)
            expect = sync_api.expect

            def check() -> None:
                """What a person reads on this page: no internal names, YAML keys or cell references."""
                page.wait_for_load_state("load")
                raw = page.content()
                unclear.extend(f"{page.url}: {p}" for p in plain_problems(visible_text(raw), raw))

            def go(menu: str) -> None:
                page.click(f"nav >> text={menu}")
                check()

            def ok(text: str) -> None:
                expect(page.locator("div.meddelande.ok").first).to_contain_text(text)
                check()

            # 1. a new project from the RAR template; the facts with a mistake first, then right
            page.goto(f"{base}/?token={TOKEN}")
            check()
            page.fill("#ny-mapp", "jobbet")
            page.select_option("#ny-mall", "rar-slutrapport")
            page.click("text=Skapa projektet")
            ok("Projektet är skapat")
            page.fill("#f-namn", "Vägen framåt")
            page.fill("#f-organisationer", "Arbetsförmedlingen\nSocialtjänsten\nArbetsmarknadsenheten")
            page.fill("#f-start", "2026-06-30")
            page.fill("#f-slut", "2025-01-01")
            page.click("text=Spara uppgifterna")
            expect(page.locator("div.meddelande.fel")).to_contain_text("slutar före den börjar")
            check()
            expect(page.locator("#f-namn")).to_have_value("Vägen framåt")  # what was typed is still there
            expect(page.locator("#f-organisationer")).to_have_value("Arbetsförmedlingen\nSocialtjänsten\nArbetsmarknadsenheten")
            page.fill("#f-start", "2025-01-01")
            page.fill("#f-slut", "2026-06-30")
            page.click("text=Spara uppgifterna")
            ok("Projektuppgifterna är sparade")
            page.fill("#m-mal", "Minst 25 deltagare skrivs in")
            page.select_option("#m-matt", "antal")
            page.select_option("#m-population", "inskrivna")
            page.fill("#m-malvarde", "25")
            page.click("text=Lägg till målet")
            ok("Målet är sparat")
            assert load_project(project).name == "Vägen framåt"

            # 2. three survey files, then one taken before them
            go("Enkäter")
            page.set_input_files("#filer", [str(surveys / n) for n in ("enkat1_google_forms.csv", "enkat2_microsoft_forms.xlsx", "enkat3.csv")])
            page.click("[data-testid=ladda-upp-enkater]")
            ok("3 enkätfiler har lagts till")
            page.set_input_files("#filer", str(before))
            page.select_option("[data-testid=uppladdning-plats]", "0")
            page.click("[data-testid=ladda-upp-enkater]")
            ok("lagts till")
            expect(page.locator("[data-testid=enkatfil-0]")).to_contain_text("förmätning.csv")
            expect(page.locator("[data-testid=enkatlista] > li")).to_have_count(4)
            assert [w.label for w in load_project(project).waves] == ["Enkät 1", "Enkät 2", "Enkät 3", "Enkät 4"]

            # 3. a wrong självvärdering file, removed again (it goes to papperskorg/)
            go("Självvärdering")
            page.set_input_files("#filen-0", str(SAMPLES / "ekonomi.xlsx"))
            page.click("[data-testid=ladda-upp-0]")
            check()
            expect(page.locator("[data-testid=filer-0]")).to_contain_text("ekonomi.xlsx")
            page.click("[data-testid=ta-bort-0-0]")  # asks first (accepted by the dialog handler)
            ok("papperskorg")
            expect(page.locator("[data-testid=filer-0]")).to_have_count(0)
            assert any("papperskorg" in message for message in dialogs)
            assert any(p.name.endswith(".xlsx") for p in (project / "papperskorg").rglob("*"))
            forms = sorted((SAMPLES / "sjalvvardering").glob("*.xlsx"))  # then the right ones
            page.set_input_files("#filen-0", [str(p) for p in forms])
            page.click("[data-testid=ladda-upp-0]")
            ok(f"{len(forms)} filer är sparade")

            # 4. the participant register, its income column mapped on the page
            go("Deltagare")
            page.set_input_files("#filen-0", str(SAMPLES / "deltagare.csv"))
            page.click("[data-testid=ladda-upp-0]")
            ok("Deltagarregister är sparad")
            row = page.locator("#kolumnkoppling tr", has_text=INCOME)
            row.locator("select").select_option("forsorjning")
            page.click("[data-testid=spara-kolumner]")
            ok("")
            expect(page.locator("main")).to_contain_text("Inskrivna, aktiva och avslutade deltagare per halvår och kön")

            # 5. a text typed and left: autosaved, and leaving is warned about
            go("Texter")
            page.click("table.rubriker >> text=Sammanfattning")
            check()
            page.fill("#text", FIRST)
            expect(page.locator("[data-testid=autospar]")).to_have_text(re.compile(r"^Sparat \d{2}:\d{2}$"))
            page.type("#text", MORE, delay=5)
            warned = len(dialogs)
            page.click("nav >> text=Rapport")  # before the autosave's pause is over
            page.wait_for_url(re.compile(r"/rapport$"))
            check()
            assert len(dialogs) == warned + 1 and "inte är sparade" in dialogs[-1]
            go("Texter")
            page.click("table.rubriker >> text=Sammanfattning")
            check()
            expect(page.locator("#text")).to_have_value(FIRST + MORE)

            # 6. the comparison, per question, with a table downloaded as CSV
            go("Jämförelse")
            expect(page.locator("section.index").first).to_be_visible(timeout=120_000)  # after the progress, if any
            check()
            question = page.locator("details.fraga").first
            question.locator("summary").click()
            with page.expect_download() as info:
                question.locator("[data-testid=ladda-ner-csv]").first.click()
            assert info.value.suggested_filename.endswith(".csv")
            assert Path(info.value.path()).read_bytes().startswith(b"\xef\xbb\xbfGrupp;Enk\xc3\xa4t;")

            # 7. the build: its steps shown and the button disabled while it runs; then the three files
            go("Rapport")
            button = page.locator("[data-testid=bygg-rapporten]")
            button.click()
            expect(page.locator("[data-testid=framsteg-steg] li").first).to_be_visible()
            expect(button).to_be_disabled()
            expect(page.locator("div.meddelande.ok")).to_contain_text("Rapporten är byggd", timeout=180_000)
            check()
            expect(button).to_be_enabled()
            for name in ("rapport.html", "rapport.docx", "rapport.xlsx"):
                with page.expect_download() as info:
                    page.click(f"a[href$='/rapport/fil/{name}']")
                assert info.value.suggested_filename == name
                downloads[name] = Path(info.value.path()).read_bytes()
        finally:
            browser.close()

    assert outside == [], outside
    assert errors == [], errors
    assert unclear == [], unclear
    report = downloads["rapport.html"].decode("utf-8")
    assert "<h1>Vägen framåt</h1>" in report and FIRST + MORE in report
    assert downloads["rapport.docx"][:2] == b"PK" and downloads["rapport.xlsx"][:2] == b"PK"
    assert "ekonomi.xlsx" not in report
