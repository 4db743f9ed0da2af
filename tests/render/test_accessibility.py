"""The HTML a funder reads is accessible (DOS-lagen, WCAG 2.1 AA): its structure, and axe-core in a real browser.

The structure (one ``h1``, headings without skipped levels, ``lang="sv"``,
tables with a caption and headers with a scope, pictures with a text
alternative, n under every chart) is read from the files. axe-core's WCAG 2.1
A/AA rules run in Debian's Chromium through Playwright (the launch as in
``test_browser.py``), on the session's demo build and sample comparison;
skipped where no Chromium, Playwright or axe-core (``axe-playwright-python``,
which bundles ``axe.min.js``) is installed. A page the build does not write
(``bilaga.html`` before the report has an appendix) is skipped.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from importlib.resources import files
from pathlib import Path

import pytest

from tests.render.test_browser import ARGS, CHROMIUM

#: The pages checked: (the build, the file in it).
PAGES = [("demo", "rapport.html"), ("demo", "bilaga.html"), ("demo", "portfolj/portfolio.html"), ("compare", "jamforelse.html")]
#: axe-core's tags for WCAG 2.0 and 2.1, levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(params=PAGES, ids=[name for _, name in PAGES])
def page_file(request) -> Path:
    build, name = request.param
    folder = request.getfixturevalue("demo_draft_dir") if build == "demo" else request.getfixturevalue("sample_compare").folder
    path = folder / name
    if not path.is_file():
        pytest.skip(f"{name} finns inte i byggets utdata")
    return path


class _Structure(HTMLParser):
    """The headings, tables, pictures and figure captions of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.lang: str | None = None
        self.headings: list[int] = []
        self.tables = 0
        self.first_in_table: list[str] = []  # the first element inside each table
        self.header_cells: list[str | None] = []  # each th's scope
        self.images: list[str | None] = []  # each img's alt
        self.captions: list[str] = []  # each figcaption's text
        self._table_open = False
        self._figcaption: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.lang = attributes.get("lang")
        elif re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        elif tag == "table":
            self.tables += 1
            self._table_open = True
            return
        elif tag == "th":
            self.header_cells.append(attributes.get("scope"))
        elif tag == "img":
            self.images.append(attributes.get("alt"))
        elif tag == "figcaption":
            self._figcaption = []
        if self._table_open:
            self.first_in_table.append(tag)
            self._table_open = False

    def handle_endtag(self, tag):
        if tag == "figcaption" and self._figcaption is not None:
            self.captions.append("".join(self._figcaption))
            self._figcaption = None

    def handle_data(self, data):
        if self._figcaption is not None:
            self._figcaption.append(data)


def test_the_page_has_the_structure_a_screen_reader_needs(page_file):
    page = _Structure()
    page.feed(page_file.read_text(encoding="utf-8"))
    assert page.lang == "sv"
    assert page.headings.count(1) == 1 and page.headings[0] == 1
    skipped = [(before, after) for before, after in zip(page.headings, page.headings[1:], strict=False) if after > before + 1]
    assert skipped == []
    assert page.tables > 5 and page.first_in_table == ["caption"] * page.tables
    assert page.header_cells and all(scope in ("col", "row", "colgroup", "rowgroup") for scope in page.header_cells)
    assert page.images and all(alt and len(alt) > 30 for alt in page.images)
    if page_file.name != "portfolio.html":  # the portfolio's forest charts show projects, not answers
        assert page.captions and all("n = " in caption for caption in page.captions), page.captions


def _axe_script() -> str:
    pytest.importorskip("axe_playwright_python")
    return (files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium är inte installerat")
def test_axe_finds_no_wcag_violation(page_file):
    sync_api = pytest.importorskip("playwright.sync_api")
    script = _axe_script()
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            page = browser.new_page()
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:")) else route.abort())
            page.goto(page_file.as_uri())
            page.wait_for_load_state("load")
            page.add_script_tag(content=script)
            result = page.evaluate(
                "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", WCAG_TAGS
            )
        finally:
            browser.close()
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} – {len(v['nodes'])} ställen, t.ex. {v['nodes'][0]['target']}" for v in result["violations"]
    ]
    assert violations == [], "\n".join(violations)


def test_a_narratives_headings_sit_under_its_section_without_a_second_h1_or_a_skipped_level():
    from slutrapport.render.jinja import markdown_to_html

    html = str(markdown_to_html("# Bakgrund\n\ntext\n\n### Detalj\n\n# Mer", 3))
    assert re.findall(r"<(h\d)>", html) == ["h3", "h4", "h3"]
    assert re.findall(r"<(h\d)>", str(markdown_to_html("###### Djup\n\n# Topp", 5))) == ["h6", "h5"]
    assert "<h1>" in str(markdown_to_html("# Som skrivet"))  # without a level (the web page's preview) as written
