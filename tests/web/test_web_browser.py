"""The web page end to end in headless Chromium: what a projektledare does, from nothing to a downloaded report.

Creates a project, uploads the three sample waves (one with a deliberately
renamed column), maps that column on the page, looks at the comparison,
writes a text under one heading, builds and downloads the report and checks
the downloaded HTML. Every request must stay on the local server.

Screenshots of each page are saved as test artifacts in ``tests/artifacts/web/``
(git-ignored; the path is printed). Uses Debian's Chromium like
``tests/test_browser.py`` and is skipped only where no Chromium is installed.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from slutrapport.project.folder import load_project
from slutrapport.project.templates import load_template
from tests.conftest import ROOT, SAMPLES
from tests.render.test_browser import ARGS, CHROMIUM

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium är inte installerat")

TOKEN = "e2e-nyckel-" + "x" * 20
ARTIFACTS = ROOT / "tests" / "artifacts" / "web"
ORIGINAL = "Jag känner till de andra organisationernas Uppdrag"
RENAMED = "Jag känner de andra organisationernas uppdrag väl"
SUMMARY = "Projektet **Vägen framåt** samlade tre myndigheter kring varje deltagare."




def _wave_files(folder: Path) -> list[Path]:
    folder.mkdir()
    renamed = folder / "enkat3.csv"
    text = (SAMPLES / "enkater" / "enkat3.csv").read_bytes().decode("cp1252")
    renamed.write_bytes(text.replace(ORIGINAL, RENAMED).encode("cp1252"))
    return [SAMPLES / "enkater" / "enkat1_google_forms.csv", SAMPLES / "enkater" / "enkat2_microsoft_forms.xlsx", renamed]


def _save_readme_screenshot(source: Path) -> None:
    """``docs/serve.png`` for the README: the check with the column fix, scaled down to a small palette PNG."""
    from PIL import Image

    image = Image.open(source).convert("RGB")
    image = image.resize((900, round(image.height * 900 / image.width)), Image.LANCZOS)
    image.quantize(colors=64, method=Image.Quantize.MEDIANCUT).save(ROOT / "docs" / "serve.png", optimize=True)


def test_projektledare_from_export_files_to_downloaded_report(server, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    base, start = server
    waves = _wave_files(tmp_path / "nerladdat")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    outside: list[str] = []
    errors: list[str] = []

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=[*ARGS, "--lang=sv-SE"])
        try:
            context = browser.new_context(locale="sv-SE", viewport={"width": 1200, "height": 900}, accept_downloads=True)
            page = context.new_page()

            def guard(route):
                url = route.request.url
                if url.startswith((base + "/", "data:")):
                    route.continue_()
                else:
                    outside.append(url)
                    route.abort()

            page.route("**/*", guard)
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            expect = sync_api.expect

            def go(menu: str) -> None:
                page.click(f"nav >> text={menu}")
                page.wait_for_load_state("load")  # the page's script is attached before we type

            def shot(name: str) -> None:
                page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)

            # 1. Projekt: create a project from the RAR template and fill in the facts
            page.goto(f"{base}/?token={TOKEN}")
            assert "token" not in page.url  # the key moved into a cookie
            shot("01-projekt-start")
            page.fill("#ny-mapp", "vagen-framat")
            page.select_option("#ny-mall", "rar-slutrapport")
            page.click("text=Skapa projektet")
            expect(page.locator(".meddelande.ok")).to_contain_text("Projektet är skapat")
            page.fill("#f-namn", "Vägen framåt")
            page.fill("#f-organisationer", "Arbetsförmedlingen\nSocialtjänsten\nArbetsmarknadsenheten")
            page.fill("#f-start", "2025-01-01")
            page.fill("#f-slut", "2026-06-30")
            page.click("text=Spara uppgifterna")
            expect(page.locator(".meddelande.ok")).to_contain_text("Projektuppgifterna är sparade")
            shot("02-projekt")
            project = start / "vagen-framat"
            assert load_project(project).name == "Vägen framåt"

            # 2. Enkäter: dropping files on the upload area puts them in the file input …
            go("Enkäter")
            dropped = page.evaluate_handle(
                "() => { const d = new DataTransfer(); d.items.add(new File(['a;b'], 'släppt.csv')); return d; }"
            )
            page.dispatch_event("[data-dropzone]", "drop", {"dataTransfer": dropped})
            expect(page.locator(".valda-filer li")).to_have_text(["släppt.csv"])
            assert page.eval_on_selector("#filer", "e => e.files.length") == 1
            # … and the three waves are chosen with the file picker
            page.set_input_files("#filer", [str(p) for p in waves])
            expect(page.locator(".valda-filer li")).to_have_count(3)
            page.click("#uppladdning button[type=submit]")
            expect(page.locator(".meddelande.ok")).to_contain_text("3 enkätfiler har lagts till")
            expect(page.locator(".sammanfattning")).to_contain_text("fel")
            assert page.locator(".bricka.saknas").first.inner_text().strip() != "0 fel"

            # … and map the renamed column to its question in the dropdown
            row = page.locator("#kolumnrattning tr", has_text=RENAMED)
            expect(row).to_have_count(1)
            row.locator("select").select_option("q07")
            page.evaluate("document.getElementById('rubrik-kontroll').scrollIntoView()")
            shot("03-enkater-rattning")
            if os.environ.get("SLUTRAPPORT_UPDATE_SNAPSHOTS"):
                _save_readme_screenshot(ARTIFACTS / "03-enkater-rattning.png")
            page.click("text=Spara kopplingarna")
            expect(page.locator(".meddelande.ok")).to_contain_text("1 kolumnkoppling är sparad")
            expect(page.locator(".sammanfattning")).to_contain_text("0 fel")
            shot("04-enkater")
            assert load_project(project).column_map == {RENAMED: "q07"}

            # 3. Jämförelse: every index, then one organisation
            go("Jämförelse")
            expect(page.locator("section.index")).to_have_count(12, timeout=120_000)  # after the progress while it is computed
            images = page.eval_on_selector_all("section.index img", "els => els.map(e => e.complete && e.naturalWidth > 0)")
            assert images and all(images)
            shot("05-jamforelse")
            page.select_option("#organisation", "Socialtjänsten")  # submits itself
            expect(page.locator(".grupptext").first).to_contain_text("För Socialtjänsten", timeout=60_000)
            assert "organisation=Socialtj" in page.url

            # 4. Texter: write the summary, see the live preview, save
            go("Texter")
            expect(page.locator("table.rubriker")).to_contain_text("Sammanfattning")
            page.click("table.rubriker >> text=Sammanfattning")
            page.wait_for_load_state("load")
            page.fill("#text", SUMMARY)
            expect(page.locator("#forhandsvisning strong")).to_have_text("Vägen framåt")  # rendered by the server
            shot("06-text")
            page.click("button[value=spara]")
            expect(page.locator(".meddelande.ok")).to_contain_text("Texten under ”Sammanfattning” är sparad.")
            expect(page.locator("h1 .bricka")).to_have_text("ifylld")
            assert SUMMARY in (project / "texter" / "sammanfattning.md").read_text(encoding="utf-8")

            # 5. Självvärdering, Ekonomi, Deltagare: upload the files, see the check and the tables
            go("Självvärdering")
            forms = sorted((SAMPLES / "sjalvvardering").glob("*.xlsx"))
            page.set_input_files("#filen-0", [str(p) for p in forms])
            page.click("form.kallfil button[type=submit]")
            expect(page.locator("div.meddelande.ok")).to_contain_text(f"{len(forms)} filer är sparade i mappen sjalvvardering")
            expect(page.locator("main")).to_contain_text("Ifyllda formulär per roll och tillfälle")
            shot("07-sjalvvardering")
            go("Ekonomi")
            page.set_input_files("#filen-0", str(SAMPLES / "ekonomi.xlsx"))
            page.locator("form.kallfil").first.locator("button[type=submit]").click()
            expect(page.locator("div.meddelande.ok")).to_contain_text("Budget och utfall är sparad som ekonomi.xlsx")
            expect(page.locator("main")).to_contain_text("Budget enligt ansökan och utfall per kategori och period")
            shot("08-ekonomi")
            go("Deltagare")
            page.set_input_files("#filen-0", str(SAMPLES / "deltagare.csv"))
            page.click("form.kallfil button[type=submit]")
            expect(page.locator("div.meddelande.ok")).to_contain_text("Deltagarregister är sparad som deltagare.csv")
            # the sample register names its income column differently: the check says which column is missing …
            expect(page.locator("main")).to_contain_text("kolumnen för försörjning saknas")
            # … so the projektledare renames it in Excel and uploads the file again, replacing the first
            register = tmp_path / "deltagare-rattad.csv"
            text = (SAMPLES / "deltagare.csv").read_bytes().decode("cp1252")
            register.write_bytes(text.replace("Huvudsaklig försörjning före", "Försörjning före").encode("cp1252"))
            page.set_input_files("#filen-0", str(register))
            page.check("input[name=ersatt]")
            page.click("form.kallfil button[type=submit]")
            expect(page.locator("div.meddelande.ok")).to_contain_text("Deltagarregister är sparad som deltagare.csv")
            expect(page.locator("main")).to_contain_text("Inskrivna, aktiva och avslutade deltagare per halvår och kön")
            shot("09-deltagare")

            # 6. Rapport: completeness first, then build and download
            go("Rapport")
            expect(page.locator("table.rubriker")).to_contain_text("Extern utvärdering")
            page.click("button:has-text('Bygg rapporten')", no_wait_after=True)  # the build may take long on a busy machine: the next line waits
            expect(page.locator(".meddelande.ok")).to_contain_text("Rapporten är byggd", timeout=180_000)
            shot("10-rapport")
            with page.expect_download() as info:
                page.click("a[href$='/rapport/fil/rapport.html']")
            download = info.value
            saved = tmp_path / "nedladdad.html"
            download.save_as(saved)
        finally:
            browser.close()

    print(f"\nSkärmbilder: {ARTIFACTS}")
    assert outside == [], outside
    assert errors == [], errors
    html = saved.read_text(encoding="utf-8")
    assert download.suggested_filename == "rapport.html"
    assert "<h1>Vägen framåt</h1>" in html
    assert "<strong>Vägen framåt</strong> samlade tre myndigheter" in html
    headings = [h.replace("&#39;", "'") for h in re.findall(r"<h2>\d+\. ([^<]+)</h2>", html)]
    assert headings == [h.title for h in load_template("rar-slutrapport").all_headings()]
    assert "Utkast: vad saknas?" in html  # the draft box was ticked because required texts are missing
    assert "Se bilagan" in html  # the report a funder reads points to its bilaga, written beside it
    appendix = (start / "vagen-framat" / "rapport" / "bilaga.html").read_text(encoding="utf-8")
    assert "Inställning till samverkan: indexvärde per grupp och enkät" in appendix
    assert appendix.count("data:image/png;base64,") >= 12
    assert "Självvärdering" in html and "Budget enligt ansökan och utfall per kategori och period" in html
    assert "Inskrivna, aktiva och avslutade deltagare per halvår och kön" in html
    for name in [f"{i:02d}" for i in range(1, 11)]:
        assert any(p.name.startswith(name) for p in ARTIFACTS.iterdir())
