"""The rendered report: headings, self-containment, escaping, Excel safety, and a pinned snapshot."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from slutrapport.analysis.survey import analyse_survey
from slutrapport.render import render_excel, render_html
from slutrapport.render.excel import COMPARISON_SHEET
from slutrapport.report.comparison import comparison_report
from slutrapport.sources.survey import load_instrument, read_waves
from tests.conftest import SAMPLES, write_csv

RAR_HEADINGS = [
    "Sammanfattning",
    "Uppdraget",
    "Arbetsprocess och metod",
    "Extern utvärdering",
    "Ekonomisk redovisning",
    "Resultat personalenkät",
    "Individperspektiv",
    "Sekundära effekter",
    "Implementering",
    "Projektledarens analys och förslag",
    "LSG:s analys och förslag",
    "Förbundschefens analys och förslag",
]

HOSTILE = [
    "<script>alert('x')</script>",
    "=HYPERLINK(\"http://evil.example\",\"klicka\")",
    "+46 70 123 45 67",
    "-2+3",
    "@SUM(A1)",
]


@pytest.fixture(scope="module")
def demo(demo_dir):
    return demo_dir


@pytest.fixture(scope="module")
def demo_html(demo_dir) -> str:
    """The demo's report and its appendix (issue 19: the full tables are in bilaga.html), one after the other."""
    return "".join((demo_dir / name).read_text(encoding="utf-8") for name in ("rapport.html", "bilaga.html"))


def test_every_rar_heading_in_order(demo):
    html = (demo / "rapport.html").read_text(encoding="utf-8")
    found = re.findall(r"<h2>\d+\. ([^<]+)</h2>", html)
    assert [h.replace("&#39;", "'") for h in found] == RAR_HEADINGS


def test_sections_without_text_say_so_and_sections_with_text_show_it(demo):
    html = (demo / "rapport.html").read_text(encoding="utf-8")
    sections = dict(re.findall(r'<section class="avsnitt" id="([^"]+)">(.*?)</section>\n(?=<section class="avsnitt"|</main>)', html, re.S))
    assert "Text saknas" not in sections["sammanfattning"]
    assert "Text saknas" in sections["extern-utvardering"]
    assert "Text saknas" in sections["ekonomisk-redovisning"]


def test_html_is_self_contained(demo_html):
    html = demo_html
    assert "<script" not in html.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", html, re.I)
    assert "@import" not in html and "url(" not in html
    images = re.findall(r'<img src="([^"]+)" alt="([^"]+)"', html)
    # per index: a trend chart and a diverging answer chart (appendix); the self-evaluation chart; the socio-economic bars;
    # the places per period
    assert len(images) == 27
    assert all(src.startswith("data:image/png;base64,") for src, _ in images)
    lines = [alt for _, alt in images if alt.startswith("Linjediagram:") and not alt.startswith("Linjediagram: Självvärdering")]
    answer_bars = [alt for _, alt in images if alt.startswith("Stapeldiagram:") and "Samhällets kostnad" not in alt]
    bars = [alt for alt in answer_bars if not alt.startswith("Stapeldiagram: Planerade platser")]  # not the places per period
    assert len(lines) == len(bars) == 12
    assert all("Enkät 1" in alt and "(n = " in alt for alt in lines + bars)


def test_survey_section_shows_tables_with_n_and_hidden_cells(demo_html):
    html = demo_html
    assert "Inställning till samverkan: indexvärde per grupp och enkät" in html
    assert '<th scope="col" class="count">n</th>' in html
    assert "– = dolt" in html
    # Swedish number style: decimal comma, percent with a (non-breaking) space
    assert re.search(r'<td class="mean">\d,\d</td>', html)
    assert re.search(r'<td class="share">\d+\u00a0%</td>', html)


def test_no_identifiers_in_any_output(demo):
    html = (demo / "rapport.html").read_text(encoding="utf-8")
    csv = (demo / "jamforelse.csv").read_text(encoding="utf-8")
    wb = load_workbook(demo / "rapport.xlsx")
    cells = " ".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None)
    survey = read_waves(sorted((SAMPLES / "enkater").iterdir()), load_instrument("samverkan"))
    codes = {c for c in survey.tidy["kod"].dropna().unique() if len(c) >= 3 and not c.isdigit()}
    assert codes
    for text in (html, csv, cells):
        assert "anonymous" not in text
        assert "@" not in text.replace("@media", "").replace("@page", "")
        found = [c for c in codes if re.search(rf"\b{re.escape(c)}\b", text, re.I)]
        assert not found


def _hostile_survey(tmp_path: Path, mini_instrument: Path):
    rows = [["AF", f"k{i}", 4, 4, 2, HOSTILE[i % len(HOSTILE)]] for i in range(10)]
    return read_waves([write_csv(tmp_path / "w.csv", rows)], load_instrument(mini_instrument))


def test_hostile_free_text_is_escaped_in_html(tmp_path, mini_instrument):
    report = comparison_report(analyse_survey(_hostile_survey(tmp_path, mini_instrument), 5))
    html = render_html(report)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html


def test_hostile_free_text_stays_text_in_excel(tmp_path, mini_instrument):
    report = comparison_report(analyse_survey(_hostile_survey(tmp_path, mini_instrument), 5))
    path = tmp_path / "out.xlsx"
    path.write_bytes(render_excel(report))
    wb = load_workbook(path)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    for text in HOSTILE:
        matching = [c for c in cells if c.value == text]
        assert matching, text
        assert all(c.data_type == "s" for c in matching)
    assert not any(c.data_type == "f" for c in cells)


def test_narrative_raw_html_is_shown_as_text(tmp_path):
    from slutrapport.render.html import markdown_to_html

    html = markdown_to_html("Hej <img src=x onerror=alert(1)> och [länk](https://example.com) **fet**")
    assert "<img" not in html and "&lt;img" in html
    assert "<a " not in html and "<strong>fet</strong>" in html


def test_excel_has_one_sheet_per_section_and_the_comparison(demo):
    wb = load_workbook(demo / "rapport.xlsx")
    names = wb.sheetnames
    assert len(names) == len(RAR_HEADINGS) + 24
    assert names[12:19] == [
        COMPARISON_SHEET, "Data förändringar", "Data gruppskillnader", "Data reliabilitet", "Data svarsfrekvens", "Data sammansättning",
        "Data självvärdering",
    ]  # fmt: skip
    assert names[19:] == [
        "Data ekonomi", "Data ekonomi nyckeltal", "Data socioekonomi", "Data socioekonomi lönsamhet",
        "Data socioekonomi nyckeltal", "Data socioekonomi känslighet", "Data socioekonomi aktörer", "Data socioekonomi summering",
        "Data deltagare", "Data utfall", "Data försörjning", "Data tid i projektet", "Data måluppfyllelse",
        "Data hela projektet", "Data uppföljning", "Data platser", "Data finansiering",
    ]  # fmt: skip
    assert all(len(name) <= 31 for name in names)
    assert wb[COMPARISON_SHEET].freeze_panes == "A2" and wb[COMPARISON_SHEET]["A1"].font.bold
    # index trends are native Excel line charts on the survey sheet
    assert len(wb[names[5]]._charts) == 12
    assert names[10] == "11 LSGs analys och förslag"  # ':' is not allowed in sheet names
    header = [c.value for c in wb[COMPARISON_SHEET][1]]
    assert header == ["niva", "id", "text", "grupp", "enkat", "n", "medel", "sd", "median", "andel_positiva", "undertryckt"]  # never why
    survey_sheet = wb[names[5]]
    values = [c.value for row in survey_sheet.iter_rows() for c in row]
    assert "Inställning till samverkan: indexvärde per grupp och enkät" in values
    means = [c for row in survey_sheet.iter_rows() for c in row if c.number_format == "0.0" and isinstance(c.value, float)]
    assert means and all(1 <= c.value <= 5 for c in means)


SNAPSHOT = Path(__file__).resolve().parents[1] / "snapshots" / "jamforelse_mini.html"


def _stable(html: str) -> str:
    html = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "data:image/png;base64,…", html)
    html = re.sub(r"<style>.*?</style>", "<style>…</style>", html, flags=re.S)
    return re.sub(r"Skapad \d{4}-\d{2}-\d{2}", "Skapad ÅÅÅÅ-MM-DD", html)


def test_comparison_html_snapshot(tmp_path, mini_instrument, write_wave):
    rows = [["AF", f"a{i}", 1 + i % 5, 1 + (i * 2) % 5, 1 + (i * 3) % 5, ""] for i in range(7)]
    rows += [["Soc", f"s{i}", 1 + (i + 1) % 5, 2, "Vet ej" if i == 0 else 4, "Tydliga rutiner" if i == 1 else ""] for i in range(6)]
    rows += [["AME", "m1", 5, 5, 1, ""], ["AME", "m2", 4, 4, 2, ""]]
    survey = read_waves([write_wave("w1.csv", rows), write_wave("w2.csv", rows[2:])], load_instrument(mini_instrument))
    html = _stable(render_html(comparison_report(analyse_survey(survey, 5))))
    if os.environ.get("SLUTRAPPORT_UPDATE_SNAPSHOTS"):  # after a deliberate change to the templates
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text(html, encoding="utf-8")
    assert html == SNAPSHOT.read_text(encoding="utf-8")


def test_low_alpha_index_gets_an_alpha_if_deleted_table(demo_html):
    html = demo_html
    # In the sample, Inställning till samverkan has alpha under 0.7 at enkät 2 and 3
    assert "Inställning till samverkan: Cronbachs alfa om frågan tas bort, alla svarande" in html
    assert "Struktur: Cronbachs alfa om frågan tas bort" not in html


@pytest.mark.parametrize(
    "shares, expected",
    [
        ([1 / 3, 1 / 3, 1 / 3], [34, 33, 33]),
        ([0.125, 0.125, 0.25, 0.5], [13, 12, 25, 50]),  # 12.5 and 12.5: one gets the point (tie → first)
        ([0.014, 0.333, 0.653], [2, 33, 65]),  # remainders .4 > .3 = .3
        ([0.0, 0.0, 1.0], [0, 0, 100]),
        ([0.1666, 0.1667, 0.1667, 0.1667, 0.1667, 0.1666], [16, 17, 17, 17, 17, 16]),
    ],
)
def test_largest_remainder_rows_add_up_to_100(shares, expected):
    from slutrapport.render.formatting import largest_remainder

    result = largest_remainder(shares)
    assert sum(result) == 100
    assert result == expected


@pytest.mark.parametrize(
    "value, kind, text",
    [
        (3.456, "mean", "3,5"),
        (0.725, "share", "72\u00a0%"),
        (1234, "count", "1\u00a0234"),
        (0.4, "diff_mean", "+0,4"),
        (-0.43, "diff_mean", "−0,4"),
        (0.0, "diff_mean", "0,0"),
        (-0.1, "diff_share", "−10\u00a0p.e."),
        (0.0004, "pvalue", "<\u00a00,001"),
        (0.0312, "pvalue", "0,031"),
        ((-0.05, 0.3), "interval", "−5 till 30\u00a0p.e."),
        (None, "mean", ""),
        (float("nan"), "share", ""),
    ],
)
def test_swedish_number_formats(value, kind, text):
    from slutrapport.render.formatting import format_value

    assert format_value(value, kind) == text


def test_change_table_shows_the_shift_beside_the_mean_and_flags_alpha_as_printed(tmp_path, mini_instrument, write_wave):
    # Many 3s become 4s, some 1s: the mean falls a little, the ranks rise (issue 17).
    earlier, later = [3] * 120 + [4] * 15 + [2] * 15, [4] * 99 + [1] * 51
    waves = [
        write_wave(f"s{w}.csv", [["AF" if i % 2 else "Soc", "", v, v, 6 - v, ""] for i, v in enumerate(values)])
        for w, values in enumerate([earlier, later])
    ]
    results = analyse_survey(read_waves(waves, load_instrument(mini_instrument)), 5)
    html = render_html(comparison_report(results))
    assert "Förskjutning (95 % KI)" in html and "+1,0 (1,0 till 1,0)" in html
    assert "minskade" not in html and "Svaren spreds ut" in html
    # Alpha 0,6996 prints as 0,70 and is not marked as below 0,7; 0,6949 prints as 0,69 and is.
    results.reliability.loc[:, "alfa"] = 0.6996
    html = render_html(comparison_report(results))
    assert "0,70 *" not in html and "0,70" in html and "under 0,7" not in html.split("* = alfa")[0]
    results.reliability.loc[:, "alfa"] = 0.6949
    assert "0,69 *" in render_html(comparison_report(results))


def test_the_demo_tells_how_waves_were_linked_and_shows_trends(demo, demo_html):
    html = demo_html
    # the method text names the case and the numbers of linked and unlinked answers per pair of waves
    assert "Kopplade svar mellan enkäterna, alla svarande" in html and "delvis samma personer" in html
    assert "t-testet för delvis överlappande urval (Derrick, Russ, Toher och White 2017" in html
    assert "linjär blandad modell med ett slumpmässigt intercept per person" in html
    # the trend: a row in each index's table of changes, a sentence, and the line in the chart's text alternative
    assert "Trend Enkät 1 → Enkät 3, per enkät" in html and "Över alla tre enkäterna" in html
    assert "skattad trend för Alla med 95 % konfidensband" in html
    changes = pd.read_csv(demo / "forandringar.csv")
    trends = changes[changes["test"].isin(["trend_lmm", "page", "jonckheere"])]
    assert len(trends) and set(zip(trends["fran"], trends["till"], strict=True)) == {("Enkät 1", "Enkät 3")}
    assert set(trends.loc[trends["niva"] == "index", "test"]) == {"trend_lmm"}  # the demo's codes link some answers


def test_title_block_names_the_projects_own_funder(demo):
    # projekt.yaml: finansiar: Samordningsförbundet Mälardalen Syd; the RAR template's own funder is RAR i Sörmland
    html = (demo / "rapport.html").read_text(encoding="utf-8")
    assert "Slutrapport · Samordningsförbundet Mälardalen Syd" in html
    assert "Slutrapport · Samordningsförbundet RAR i Sörmland" not in html
