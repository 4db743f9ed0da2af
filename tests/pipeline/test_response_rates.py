"""Response rates from invited counts (``inbjudna``): read, checked against the answers, and shown in every output."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from slutrapport.analysis.response_rates import response_rates
from slutrapport.core.errors import ValidationError
from slutrapport.pipeline import build_project
from slutrapport.pipeline.results import project_results
from slutrapport.pipeline.validate import validate_project
from slutrapport.sources.survey import load_instrument, read_waves
from tests.conftest import MINI_INSTRUMENT, write_csv

# Wave 1: AF 8, Soc 6, AME 2 (AME is merged or hidden); wave 2: AF 7, Soc 6.
WAVE1 = [["AF", f"a{i}", 1 + i % 5, 2 + i % 3, 3, ""] for i in range(8)] + [["Soc", f"s{i}", 4, 4, 2, ""] for i in range(6)]
WAVE1 += [["AME", "m1", 5, 5, 1, ""], ["AME", "m2", 4, 4, 2, ""]]
WAVE2 = [["AF", f"b{i}", 2 + i % 4, 3, 3, ""] for i in range(7)] + [["Soc", f"t{i}", 5, 4, 2, ""] for i in range(6)]


def _project(root: Path, invited: str = "", extra: str = "") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "mini.yaml").write_text(MINI_INSTRUMENT, encoding="utf-8")
    write_csv(root / "w1.csv", WAVE1)
    write_csv(root / "w2.csv", WAVE2)
    first, second = (invited.split("|") + [""])[:2] if invited else ("", "")
    (root / "projekt.yaml").write_text(
        "projekt:\n  namn: Testprojektet\nmall: rar-slutrapport\nanonymitetsgrans: 5\npersonalenkat:\n  instrument: mini.yaml\n"
        f"  enkater:\n    - fil: w1.csv\n      etikett: Enkät 1\n{first}    - fil: w2.csv\n      etikett: Enkät 2\n{second}{extra}",
        encoding="utf-8",
    )
    return root


INVITED = "      inbjudna:\n        AF: 10\n        Soc: 12\n        AME: 3\n|      inbjudna:\n        AF: 20\n        Soc: 8\n        Alla: 30\n"


def _texts(out: Path) -> dict[str, str]:
    docx_xml = zipfile.ZipFile(out / "rapport.docx").read("word/document.xml").decode("utf-8")
    xlsx = zipfile.ZipFile(out / "rapport.xlsx")
    strings = "".join(xlsx.read(n).decode("utf-8") for n in xlsx.namelist() if n.endswith(".xml"))
    return {
        "html": (out / "rapport.html").read_text(encoding="utf-8"),
        "docx": docx_xml,
        "xlsx": strings,
        "json": (out / "rapport.json").read_text(encoding="utf-8"),
        "csv": "".join((out / name).read_text(encoding="utf-8") for name in ("jamforelse.csv", "forandringar.csv", "reliabilitet.csv")),
    }


def test_without_invited_counts_nothing_about_response_rates_is_shown(tmp_path):
    out = tmp_path / "ut"
    build_project(_project(tmp_path / "p"), out=out)
    for kind, text in _texts(out).items():
        assert not re.search("svarsfrekvens|inbjudna", text, re.IGNORECASE), kind


def test_with_invited_counts_every_survey_table_and_chart_shows_the_response_rate(tmp_path):
    out = tmp_path / "ut"
    build_project(_project(tmp_path / "p", INVITED), out=out)
    texts = _texts(out)
    # HTML: every table and chart of the survey section has a Svarsfrekvens column or the note under it.
    html = texts["html"]
    start = html.index('id="personalenkat"')
    survey = html[start : html.index('<section class="avsnitt"', start)]
    blocks = re.findall(r"(<table.*?</table>|<figure.*?</figure>)(.*?)(?=<table|<figure|<h\d|$)", survey, re.S)
    note = "Svarsfrekvens, alla svarande: Enkät 1 64\xa0%, Enkät 2 43\xa0%."
    assert len(blocks) >= 9
    for block, after in blocks:
        assert "Svarsfrekvens" in block or note in after, block[:300]
    tables = sum(1 for block, _ in blocks if block.startswith("<table"))
    assert "Svarsfrekvens per grupp och enkät" in html
    assert "Varning: svarsfrekvensen är under 50\xa0% för alla svarande i Enkät 2 (43\xa0%, 13 av 30)" in html
    # Word: as many tables with the column or the note right after them as the survey has tables (no other table has it).
    document = Document(out / "rapport.docx")
    with_rate = [t for t in document.tables if any("Svarsfrekvens" in c.text for r in t.rows[:2] for c in r.cells) or _note_after(t, note)]
    assert len(with_rate) == tables
    # Excel: every survey table's header or note, and every chart's note, on the survey sheet.
    workbook = load_workbook(out / "rapport.xlsx")
    sheet = next(ws for ws in workbook.worksheets if ws.title.endswith("Personalenkät") or "personalenk" in ws.title.casefold())
    values = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert values.count(note) + values.count("Svarsfrekvens") // 2 == len(blocks)  # two waves: the column twice per table
    assert "Svarsfrekvens" in texts["xlsx"] and "Data svarsfrekvens" in texts["xlsx"]
    bundle = json.loads(texts["json"])
    assert bundle["schema_version"] == "1.4"
    table = bundle["tabeller"]["svarsfrekvens"]
    rows = {(r[0], r[1]): dict(zip(table["kolumner"], r, strict=True)) for r in table["rader"]}
    assert rows[("Alla", "Enkät 1")]["n"] == 16 and rows[("Alla", "Enkät 1")]["inbjudna"] == 25  # sum of the organisations
    assert rows[("Alla", "Enkät 1")]["svarsfrekvens"] == pytest.approx(16 / 25)
    assert rows[("Alla", "Enkät 2")]["inbjudna"] == 30 and rows[("AF", "Enkät 2")]["svarsfrekvens"] == pytest.approx(7 / 20)
    # the jamforelse, forandringar and reliabilitet CSV files keep their columns
    assert "svarsfrekvens" not in texts["csv"]


def _note_after(table, note: str) -> bool:
    """``note`` among the paragraphs between ``table`` and the next table (its notes)."""
    following = table._tbl.getnext()
    while following is not None and not following.tag.endswith("}tbl"):
        if note in "".join(following.itertext()):
            return True
        following = following.getnext()
    return False


def test_a_hidden_group_has_no_response_rate(tmp_path, mini_instrument):
    paths = [write_csv(tmp_path / "w1.csv", WAVE1), write_csv(tmp_path / "w2.csv", WAVE2)]
    survey = read_waves(paths, load_instrument(mini_instrument))
    rates = response_rates(survey, {"Enkät 1": {"AF": 10, "Soc": 12, "AME": 3}}, 5)
    ame = rates[rates["grupp"].isin(["AME", "Övriga"])]
    assert not ame.empty and ame["undertryckt"].all() and ame["svarsfrekvens"].isna().all() and ame["n"].isna().all()
    assert rates.loc[rates["grupp"] == "AF", "svarsfrekvens"].iloc[0] == pytest.approx(0.8)


def test_more_answers_than_invited_is_an_error_naming_the_key_the_organisation_the_wave_and_both_numbers(tmp_path):
    root = _project(tmp_path / "p", "      inbjudna:\n        AF: 5\n")
    with pytest.raises(ValidationError) as caught:
        project_results(root, tolerant=False)
    message = caught.value.report.errors()[0].meddelande
    assert message.startswith("projekt.yaml, rad 11 (enkät nr 1, inbjudna: AF): AF har 8 svarande i Enkät 1 men bara 5 inbjudna")
    report = validate_project(root)
    assert any(p.kontroll == "fler svar än inbjudna" for p in report.errors())


def test_invited_counts_from_a_file_and_their_errors(tmp_path):
    root = _project(tmp_path / "p", extra="  inbjudna:\n    fil: inbjudna.csv\n")
    write_csv(root / "inbjudna.csv", [["Enkät 1", "AF", 10], ["Enkät 2", "Soc", 4], ["Enkät 9", "AF", 3], ["Enkät 2", "AF", "många"]],
              header=["Enkät", "Organisation", "Inbjudna"])  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        project_results(root, tolerant=False)
    problems = {(p.kontroll, p.rad) for p in caught.value.report.errors()}
    assert problems == {("fler svar än inbjudna", 3), ("okänd enkät", 4), ("ogiltigt antal", 5)}
    message = next(p.meddelande for p in caught.value.report.errors() if p.kontroll == "fler svar än inbjudna")
    assert message.startswith("inbjudna.csv, rad 3: Soc har 6 svarande i Enkät 2 men bara 4 inbjudna")
    write_csv(root / "inbjudna.csv", [["Enkät 1", "AF", 10], ["Enkät 2", "soc", 12]], header=["Enkät", "Organisation", "Inbjudna"])
    results = project_results(root, tolerant=False).survey.response_rates
    assert results.loc[(results["grupp"] == "Soc") & (results["enkat"] == "Enkät 2"), "svarsfrekvens"].iloc[0] == pytest.approx(0.5)


def test_without_an_organisation_question_only_alla_has_a_rate(tmp_path):
    instrument = tmp_path / "utan.yaml"
    instrument.write_text(MINI_INSTRUMENT.replace("  organisation: Organisation\n", ""), encoding="utf-8")
    paths = [write_csv(tmp_path / "w1.csv", WAVE1), write_csv(tmp_path / "w2.csv", WAVE2)]
    survey = read_waves(paths, load_instrument(instrument))
    rates = response_rates(survey, {"Enkät 1": {"AF": 10, "Soc": 12}, "Enkät 2": {"Alla": 26}}, 5)
    assert list(rates["grupp"]) == ["Alla", "Alla"]
    assert list(rates["svarsfrekvens"]) == pytest.approx([16 / 22, 13 / 26])
