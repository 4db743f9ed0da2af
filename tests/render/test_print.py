"""The demo report and its appendix printed by a real browser: A4, at most 25 pages, nothing wider than the page.

A funder's slutrapport is 10–25 pages with the full tables in an appendix
(issue 19). Chromium (Debian's, driven by Playwright as in test_browser.py)
prints ``rapport.html`` and ``bilaga.html`` of the session's demo build to PDF
in A4 and we count the pages; then, with print media emulated in a viewport as
wide as the printable width of the page (style.css: A4 with 16 mm side
margins), no table, figure or paragraph may reach past the right edge.
Skipped only where no Chromium is installed.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium är inte installerat")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-sync"]

#: The page budget of the report a funder reads (issue 19).
MAX_PAGES = 25
#: A4 is 210 mm wide; style.css prints with 16 mm margins left and right: 178 mm at 96 px per inch.
PRINTABLE_WIDTH = round((210 - 2 * 16) / 25.4 * 96)

#: Every element whose right edge is past the printable width (tolerance of one pixel for rounding).
_TOO_WIDE = """(width) => {
  const out = [];
  for (const e of document.querySelectorAll('body *')) {
    const box = e.getBoundingClientRect();
    if (box.width > 0 && box.right > width + 1) {
      const caption = e.closest('table') && e.closest('table').querySelector('caption');
      out.push(`${e.tagName} ${Math.round(box.right)}px: ${(caption || e).textContent.trim().slice(0, 80)}`);
    }
  }
  return out;
}"""


def _pages(pdf: bytes) -> int:
    try:
        from io import BytesIO

        from pypdf import PdfReader
    except ImportError:
        return len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    return len(PdfReader(BytesIO(pdf)).pages)


@pytest.fixture(scope="module")
def printed(demo_dir: Path, tmp_path_factory) -> dict[str, tuple[int, list[str]]]:
    """``name → (pages, elements too wide)`` for rapport.html and bilaga.html of the session's demo build."""
    sync_api = pytest.importorskip("playwright.sync_api")
    out = tmp_path_factory.mktemp("utskrift")
    found: dict[str, tuple[int, list[str]]] = {}
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            for name in ("rapport.html", "bilaga.html"):
                page = browser.new_page(viewport={"width": PRINTABLE_WIDTH, "height": 1000})
                page.goto((demo_dir / name).as_uri())
                page.wait_for_load_state("load")
                pdf = out / f"{name}.pdf"
                page.pdf(path=str(pdf), format="A4", print_background=True)
                page.emulate_media(media="print")
                found[name] = (_pages(pdf.read_bytes()), page.evaluate(_TOO_WIDE, PRINTABLE_WIDTH))
                page.close()
        finally:
            browser.close()
    return found


def test_the_report_a_funder_reads_prints_on_at_most_25_pages(printed):
    pages, _ = printed["rapport.html"]
    assert 12 <= pages <= MAX_PAGES, pages  # a page break before each of the twelve headings, and no more than 25


def test_the_appendix_prints_too(printed):
    pages, _ = printed["bilaga.html"]
    assert pages > MAX_PAGES // 2  # the full tables went there: in the demo longer than half the report's budget


@pytest.mark.parametrize("name", ["rapport.html", "bilaga.html"])
def test_nothing_is_wider_than_the_printed_page(printed, name):
    _, too_wide = printed[name]
    assert too_wide == [], too_wide
