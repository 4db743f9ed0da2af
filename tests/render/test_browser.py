"""The HTML report in a real browser: every heading present, nothing fetched from outside, prints to PDF.

Uses Debian's Chromium (``/usr/bin/chromium``, installed by ``.ci/run``) driven by
Playwright. Skipped only where no Chromium is installed.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from slutrapport.project.templates import load_template

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium är inte installerat")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def report(demo_draft_dir) -> Path:
    return demo_draft_dir / "rapport.html"  # the demo built with --utkast, once for the session


def test_report_in_headless_chromium(report, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    requests: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            page = browser.new_page()

            def record(route):
                requests.append(route.request.url)
                if route.request.url.startswith(("file:", "data:")):
                    route.continue_()
                else:
                    route.abort()

            page.route("**/*", record)
            page.goto(report.as_uri())
            page.wait_for_load_state("load")
            headings = [text.strip() for text in page.locator("main h2").all_inner_texts()]
            images = page.eval_on_selector_all("img", "els => els.map(e => [e.complete && e.naturalWidth > 0, e.alt])")
            pdf = tmp_path / "rapport.pdf"
            page.pdf(path=str(pdf), format="A4", print_background=True)
        finally:
            browser.close()
    expected = [f"{h.number}. {h.title}" for h in load_template("rar-slutrapport").all_headings()]
    assert headings == expected
    outside = [url for url in requests if not url.startswith(("file:", "data:"))]
    assert outside == [], outside
    assert images and all(loaded and alt for loaded, alt in images)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page[^s]", data)) >= 12  # page breaks before the main sections
