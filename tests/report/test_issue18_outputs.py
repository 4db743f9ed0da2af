"""Issue 18 on the demo (three waves, invited counts, partly linked answers): response rates in every survey
table of every output, the trend rows of forandringar.csv, the linkage table's counts, and the CSV contracts."""

from __future__ import annotations

import html as htmllib
import json
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from docx import Document
from openpyxl import load_workbook

from slutrapport.analysis.families import PRIMARY_TESTS, TREND_TESTS

#: the columns of the three CSV files before issue 18 (git show 7c894d6:slutrapport/analysis/describe.py,
#: changes.py with families.FAMILY_COLUMNS, and reliability.py): kept first, in this order
OLD_COLUMNS = {
    "jamforelse.csv": ["niva", "id", "text", "grupp", "enkat", "n", "medel", "sd", "median", "andel_positiva", "undertryckt"],
    "forandringar.csv": [
        "niva",
        "id",
        "grupp",
        "fran",
        "till",
        "parad",
        "n_fran",
        "n_till",
        "n_par",
        "diff_medel",
        "diff_andel_positiva",
        "ci_lag",
        "ci_hog",
        "test",
        "statistika",
        "p_unc",
        "p_corr",
        "effekt",
        "effektmatt",
        "diff_medel_lag",
        "diff_medel_hog",
        "hl_skift",
        "hl_lag",
        "hl_hog",
        "familj",
        "justering",
    ],  # fmt: skip
    "reliabilitet.csv": ["index", "enkat", "grupp", "n", "alfa", "antal_fragor"],
}


def _plain(fragment: str) -> str:
    return re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


#: A caption of the appendix: its number before, and the part of a table drawn in parts after (both left out here).
_APPENDIX_CAPTION = re.compile(r"<caption>(?:Tabell \d+\. )?(.*?)(?: \(del \d+ av \d+\))?</caption>", re.S)
_NUMBERED = re.compile(r"^(?:Tabell|Diagram) \d+\. ")


def _survey_section(html: str) -> str:
    start = html.index('id="personalenkat"')
    end = html.find('<section class="avsnitt"', start)
    return html[start : end if end >= 0 else len(html)]


@pytest.fixture(scope="module")
def survey_html(demo_dir: Path) -> str:
    """The staff survey's section of the demo's HTML: the report's and the appendix's (issue 19), captions without their numbers."""
    html = "".join(_survey_section((demo_dir / name).read_text(encoding="utf-8")) for name in ("rapport.html", "bilaga.html"))
    return _APPENDIX_CAPTION.sub(r"<caption>\1</caption>", html)


@pytest.fixture(scope="module")
def captions(survey_html: str) -> list[str]:
    return list(dict.fromkeys(_plain(caption) for caption in re.findall(r"<caption>(.*?)</caption>", survey_html, re.S)))


def test_every_survey_table_and_chart_of_the_html_shows_the_response_rate(survey_html, captions):
    tables = r"<table.*?</table>(?:\s*<table.*?</table>)*"  # a table drawn in parts is one table
    blocks = re.findall(rf"({tables}|<figure.*?</figure>)(.*?)(?=<table|<figure|<h\d|$)", survey_html, re.S)
    assert len(captions) >= 40 and len(blocks) > len(captions)  # tables and charts, with the trend's
    missing = [block[:200] for block, after in blocks if "Svarsfrekvens" not in block + after]
    assert not missing


def _text(element) -> str:
    """The text of a Word paragraph (its w:t runs)."""
    return "".join(element.xpath(".//w:t/text()")).strip()


def test_every_survey_table_of_word_shows_the_response_rate(demo_dir, captions):
    found = 0
    tables = [table for name in ("rapport.docx", "bilaga.docx") for table in Document(demo_dir / name).tables]
    for table in tables:
        caption = table._tbl.getprevious()
        if caption is None or _NUMBERED.sub("", _text(caption)) not in captions:
            continue
        found += 1
        following, notes = table._tbl.getnext(), ""
        while following is not None and not following.tag.endswith("}tbl") and not following.tag.endswith("}sectPr"):
            notes += _text(following)
            if any(node.tag.endswith("}drawing") for node in following.iter()) or "Svarsfrekvens" in notes:
                break
            following = following.getnext()
        header = " ".join(cell.text for row in table.rows[:2] for cell in row.cells)
        assert "Svarsfrekvens" in header or "Svarsfrekvens" in notes, _text(caption)
    assert found == len(captions)


def test_every_survey_table_and_chart_of_excel_shows_the_response_rate(demo_dir, captions):
    workbook = load_workbook(demo_dir / "rapport.xlsx")
    sheet = next(ws for ws in workbook.worksheets if "personalenk" in ws.title.casefold())
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    first = [row[0] if row else None for row in rows]
    for caption in captions:
        start = first.index(caption)
        end = next((i for i in range(start + 1, len(rows)) if all(v is None for v in rows[i])), len(rows))
        assert any(isinstance(v, str) and "Svarsfrekvens" in v for row in rows[start:end] for v in row), caption
    charts = [i for i, value in enumerate(first) if isinstance(value, str) and re.match(r"(Linjediagram|Stapeldiagram): ", value)]
    assert len(charts) >= len(sheet._charts) > 0
    assert all(str(first[i + 1]).startswith("Svarsfrekvens") for i in charts)


def test_rapport_json_gives_the_response_rate_of_every_group_and_wave_of_the_survey_tables(demo_dir):
    tables = json.loads((demo_dir / "rapport.json").read_text(encoding="utf-8"))["tabeller"]
    rates = tables["svarsfrekvens"]
    shown = {(r[0], r[1]) for r in rates["rader"] if r[rates["kolumner"].index("svarsfrekvens")] is not None}
    for name in ("jamforelse", "reliabilitet"):
        columns = tables[name]["kolumner"]
        pairs = {(r[columns.index("grupp")], r[columns.index("enkat")]) for r in tables[name]["rader"]}
        if "undertryckt" in columns:
            pairs = {(r[columns.index("grupp")], r[columns.index("enkat")]) for r in tables[name]["rader"] if not r[columns.index("undertryckt")]}
        assert pairs and pairs <= shown, name


def test_the_csv_files_keep_their_old_columns_in_order(demo_dir):
    for name, old in OLD_COLUMNS.items():
        header = pd.read_csv(demo_dir / name, nrows=0).columns.tolist()
        assert header[: len(old)] == old, name


def test_the_trend_rows_run_from_the_first_to_the_last_wave_and_name_their_test(demo_dir):
    changes = pd.read_csv(demo_dir / "forandringar.csv")
    waves = pd.read_csv(demo_dir / "jamforelse.csv")["enkat"].drop_duplicates().tolist()
    assert len(waves) == 3
    trends = changes[changes["test"].isin(TREND_TESTS)]
    assert len(trends) and not trends.duplicated(["niva", "id", "grupp"]).any()  # one trend per item and group
    assert (trends["fran"] == waves[0]).all() and (trends["till"] == waves[-1]).all()
    # every item and group with a change across the waves has its trend
    tested = changes[changes["fran"].eq(waves[0]) & changes["till"].eq(waves[-1]) & changes["test"].isin(PRIMARY_TESTS)]
    assert set(map(tuple, tested[["niva", "id", "grupp"]].values)) <= set(map(tuple, trends[["niva", "id", "grupp"]].values))


def _span(values: pd.Series) -> str:
    low, high = int(values.min()), int(values.max())
    return str(low) if low == high else f"{low}–{high}"


def test_the_method_text_gives_the_linkage_case_and_the_linked_and_unlinked_counts_of_forandringar(demo_dir, survey_html):
    table = re.search(r"<caption>Kopplade svar mellan enkäterna, alla svarande</caption>(.*?)</table>", survey_html, re.S).group(1)
    rows = [[_plain(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)] for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)]
    shown = {row[0]: row[1:] for row in rows[1:]}
    changes = pd.read_csv(demo_dir / "forandringar.csv")
    primary = changes[(changes["grupp"] == "Alla") & (changes["niva"] == "index") & changes["test"].isin(PRIMARY_TESTS)]
    assert set(primary["test"]) == {"partover_t"}  # the demo: partly linked in every pair of waves
    expected = {
        f"{fran} → {till}": [
            "delvis samma personer", _span(pair["n_par"]), _span(pair["n_fran"] - pair["n_par"]), _span(pair["n_till"] - pair["n_par"]),
            "t-test för delvis överlappande urval",
        ]
        for (fran, till), pair in primary.groupby(["fran", "till"], sort=False)
    }  # fmt: skip
    assert shown == expected


def test_three_waves_without_invited_counts_say_nothing_about_response_rates(sample_compare):
    out = sample_compare.folder
    assert set(pd.read_csv(out / "forandringar.csv")["test"]) & set(TREND_TESTS)  # three waves: trends, charts with the trend line
    workbook = zipfile.ZipFile(out / "jamforelse.xlsx")
    texts = {
        "html": (out / "jamforelse.html").read_text(encoding="utf-8"),
        "xlsx": "".join(workbook.read(name).decode("utf-8") for name in workbook.namelist() if name.endswith(".xml")),
        **{name: (out / name).read_text(encoding="utf-8") for name in OLD_COLUMNS},
    }
    assert "Trend (skattad)" in texts["xlsx"]
    for name, text in texts.items():
        assert not re.search("svarsfrekvens|inbjudna", text, re.IGNORECASE), name
