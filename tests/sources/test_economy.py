"""Budget against outcome: money parsing, both file layouts, validation, the tables, sentences and the report."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from slutrapport.analysis.economy import ECONOMY_COLUMNS, KEY_FIGURES, analyse_economy, budget_outcome, key_figures
from slutrapport.cli import cli
from slutrapport.core.errors import ValidationError
from slutrapport.core.problems import ValidationReport
from slutrapport.core.swedish import format_money
from slutrapport.pipeline import build_project, check_project, validate_project
from slutrapport.render.formatting import format_value
from slutrapport.report.model import MONEY
from slutrapport.sources.economy.budget import TOTAL, Budget, EconomyValidationError, MoneyError, parse_money, read_budget
from slutrapport.wording.economy import budget_sentences, cost_per_person_sentences, deviation_phrase

NBSP = "\u00a0"


def plain(text: str) -> str:
    """Sentences with ordinary spaces, for comparing with expected text."""
    return text.replace(NBSP, " ")


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def write_xlsx(path: Path, rows: list[list], merge: list[str] = ()) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Ekonomi"
    for row in rows:
        ws.append(row)
    for cells in merge:
        ws.merge_cells(cells)
    wb.save(path)
    return path


# -- money --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        ("1 234 567", 1234567.0),
        ("1 234 567 kr", 1234567.0),
        ("1234567,50", 1234567.5),
        (f"1{NBSP}234{NBSP}567", 1234567.0),
        ("1\u202f234\u202f567 kr", 1234567.0),  # narrow NBSP, as Word and some exports write it
        ("1.234.567,50", 1234567.5),
        ("1,234,567.50", 1234567.5),  # English Excel: unambiguous with several separators
        ("1234.5", 1234.5),  # a decimal point with one or two decimals
        ("0,125", 0.125),
        ("12 tkr", 12000.0),
        ("1,5 mkr", 1500000.0),
        ("100:-", 100.0),
        ("SEK 1 200", 1200.0),
        ("−5 000 kr", -5000.0),  # parsed; negative amounts are rejected by the readers
        (1234567, 1234567.0),  # Excel and YAML numbers as they are
        (1234.5, 1234.5),
    ],
)
def test_money_is_read_the_swedish_way(value, expected):
    assert parse_money(value) == expected


@pytest.mark.parametrize(
    "value, fragment",
    [
        ("1.234", "kan betyda både 1 234 kr och 1,234 kr"),
        ("12,345", "kan betyda både 12 345 kr och 12,345 kr"),
        ("12 34", "grupperade tre och tre"),
        ("tolv tusen", "kan inte läsas som ett belopp"),
        ("5 %", "kan inte läsas som ett belopp"),
        ("", "värde saknas"),
        (None, "värde saknas"),
        (True, "inte ett belopp"),
        (float("inf"), "inte ett belopp"),
    ],
)
def test_ambiguous_or_unreadable_money_is_an_error_never_a_guess(value, fragment):
    with pytest.raises(MoneyError) as info:
        parse_money(value)
    assert fragment in plain(str(info.value))


def test_format_money_uses_nbsp_and_a_real_minus():
    assert format_money(1234567) == f"1{NBSP}234{NBSP}567{NBSP}kr"
    assert format_money(-113750) == f"\u2212113{NBSP}750{NBSP}kr"
    assert format_money(-0.4) == f"0{NBSP}kr"  # never "−0 kr"
    assert format_money(1234.5, 2) == f"1{NBSP}234,50{NBSP}kr"
    assert format_value(3966250.0, MONEY) == f"3{NBSP}966{NBSP}250{NBSP}kr"
    assert format_value(None, MONEY) == ""


# -- layouts ------------------------------------------------------------------------------------

# The small budget used for the hand-computed tables below (kronor):
#            2025 budget / utfall    2026 budget / utfall
# Personal   100 000 / 90 000        50 000 / 60 000
# Lokal       20 000 / 20 000             0 /  5 000
SMALL = {("Personal", "2025"): (100000, 90000), ("Personal", "2026"): (50000, 60000),
         ("Lokal", "2025"): (20000, 20000), ("Lokal", "2026"): (0, 5000)}  # fmt: skip


def _values(budget: Budget) -> dict:
    return {(r.kategori, r.period): (r.budget, r.utfall) for r in budget.table.itertuples()}


def test_long_csv_from_swedish_excel(tmp_path):
    """cp1252, ';', decimal comma, thousands with spaces and 'kr'; other column names; a category without 'Övrigt'."""
    text = (
        "Kostnadsslag;År;Budget enligt ansökan;Faktisk kostnad\r\n"
        "Personalkostnader;2025;100 000;90 000,00\r\n"
        "Personalkostnader;2026;50 000 kr;60000\r\n"
        "Lokaler;2025;20 000;20 000\r\n"
        "Lokaler;2026;0;5 000\r\n"
    )
    path = tmp_path / "ekonomi.csv"
    path.write_bytes(text.encode("cp1252"))
    budget = read_budget(path)
    assert budget.categories == ["Personal", "Lokal"] and budget.periods == ["2025", "2026"]
    assert _values(budget) == SMALL
    assert list(budget.table.columns) == ["kategori", "period", "budget", "utfall"]
    warnings = budget.report.warnings()
    assert [(w.kontroll, w.varde) for w in warnings] == [("saknad_kategori", "Övrigt")]
    assert path.read_bytes() == text.encode("cp1252")  # never modified


def test_wide_xlsx_with_a_title_row_numbers_and_text_amounts(tmp_path):
    path = write_xlsx(
        tmp_path / "ekonomi.xlsx",
        [
            ["Ekonomisk redovisning – Testprojektet"],
            [],
            ["Kategori", "Budget 2025", "Utfall 2025", "Budget enligt ansökan 2026", "Utfall 2026"],
            ["Personal", 100000, 90000, 50000, "60 000 kr"],
            ["Lokal", 20000, 20000.0, 0, f"5{NBSP}000"],
        ],
    )
    budget = read_budget(path, ["Personal", "Lokal"])
    assert _values(budget) == SMALL
    assert budget.report.problems == []


def test_periods_in_merged_cells_above_budget_and_outcome_and_a_total_column_checked(tmp_path):
    path = write_xlsx(
        tmp_path / "ekonomi.xlsx",
        [
            [None, "2025", None, "2026", None, "Totalt", None],
            ["Kategori", "Budget", "Utfall", "Budget", "Utfall", "Budget", "Utfall"],
            ["Personal", 100000, 90000, 50000, 60000, 150000, 150000],
            ["Lokal", 20000, 20000, 0, 5000, 20000, 25000],
            ["Summa", 120000, 110000, 50000, 65000, 170000, 175000],
        ],
        merge=["B1:C1", "D1:E1", "F1:G1"],
    )
    budget = read_budget(path, ["Personal", "Lokal"])
    assert _values(budget) == SMALL
    checks = [p for p in budget.report.warnings() if p.kontroll == "summa"]
    assert checks and all("används bara som kontroll" in p.meddelande for p in checks)


def test_a_total_that_does_not_match_the_rows_is_an_error_naming_row_column_and_value(tmp_path):
    path = write_xlsx(
        tmp_path / "ekonomi.xlsx",
        [
            ["Kategori", "Budget 2025", "Utfall 2025"],
            ["Personal", 100000, 90000],
            ["Lokal", 20000, 20000],
            ["Totalt", 120000, 111000],  # 90 000 + 20 000 = 110 000
        ],
    )
    with pytest.raises(EconomyValidationError) as info:
        read_budget(path, ["Personal", "Lokal"])
    [error] = info.value.report.errors()
    assert (error.fil, error.rad, error.kolumn, error.kontroll) == ("ekonomi.xlsx", 4, "Utfall 2025", "summa")
    assert plain(error.meddelande) == "summan i filen (111 000 kr) stämmer inte med summan av kategorierna (110 000 kr)"
    assert str(info.value).startswith("Ekonomifilen ekonomi.xlsx innehåller 1 fel")


def test_tkr_in_a_heading_is_converted_with_a_warning(tmp_path):
    path = tmp_path / "ekonomi.csv"
    path.write_text("Kategori,Budget (tkr),Utfall (tkr)\nPersonal,\"1 200\",\"1 150,5\"\n", encoding="utf-8")
    budget = read_budget(path, ["Personal"])
    assert _values(budget) == {("Personal", TOTAL): (1200000.0, 1150500.0)}
    assert budget.single_period and budget.periods == [TOTAL]
    assert [p.kolumn for p in budget.report.warnings() if p.kontroll == "enhet"] == ["Budget (tkr)", "Utfall (tkr)"]


def test_yaml_file_and_rows_inline_in_the_project(tmp_path):
    path = tmp_path / "ekonomi.yaml"
    path.write_text(
        "rader:\n"
        + "".join(f"  - {{kategori: {c}, period: {p}, budget: {b}, utfall: '{u} kr'}}\n" for (c, p), (b, u) in SMALL.items()),
        encoding="utf-8",
    )
    assert _values(read_budget(path, ["Personal", "Lokal"])) == SMALL


def test_a_wide_file_without_a_heading_over_the_categories(tmp_path):
    path = write_xlsx(tmp_path / "ekonomi.xlsx", [[None, "Budget 2025", "Utfall 2025"], ["Personal", 10, 9]])
    assert _values(read_budget(path, ["Personal"])) == {("Personal", "2025"): (10.0, 9.0)}


def test_own_column_names_and_categories_from_the_project_file(tmp_path):
    project = _project(tmp_path, "ekonomi:\n  fil: e.csv\n  kolumner: {budget: Beviljat, utfall: Bokfört}\n  kategorier: [Personal, Resor]\n")
    (project / "e.csv").write_text("Post;Beviljat;Bokfört\nPersonal;1 000;900\nResor;200;250\n", encoding="utf-8")
    build_project(project)
    data = json.loads((project / "rapport" / "rapport.json").read_text(encoding="utf-8"))
    assert [r[:4] for r in data["tabeller"]["ekonomi"]["rader"]] == [
        ["Personal", "Totalt", 1000.0, 900.0], ["Resor", "Totalt", 200.0, 250.0], ["Totalt", "Totalt", 1200.0, 1150.0],
    ]  # fmt: skip


def test_notes_under_the_table_and_unknown_columns_are_left_out_with_warnings(tmp_path):
    path = write_xlsx(
        tmp_path / "ekonomi.xlsx",
        [
            ["Kategori", "Budget 2025", "Utfall 2025", "Kommentar"],
            ["Personal", 100000, 90000, "en vakant tjänst"],
            ["Belopp enligt huvudboken 2026-01-31", None, None, None],
        ],
    )
    budget = read_budget(path, ["Personal"])
    assert _values(budget) == {("Personal", "2025"): (100000.0, 90000.0)}
    found = {(p.kontroll, p.kolumn, p.rad) for p in budget.report.warnings()}
    assert ("kolumn", "Kommentar", 1) in found and ("rad_utan_belopp", "Kategori", 3) in found


def test_every_problem_of_a_file_in_one_report(tmp_path):
    path = tmp_path / "ekonomi.csv"
    path.write_text(
        "Kategori;Period;Budget;Utfall\n"
        "Personal;2025;100 000;nittio tusen\n"  # not money
        "Resor;2025;5 000;4 000\n"  # unknown category
        "Lokal;2025;-20 000;20 000\n"  # negative
        "Personal;2025;1;1\n"  # duplicate
        "Övrigt;2025;1.500;\n"  # ambiguous and empty
        "Lokal;;1;1\n",  # no period
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as info:
        read_budget(path)
    errors = [(p.rad, p.kolumn, p.kontroll, p.varde) for p in info.value.report.errors()]
    assert errors == [
        (2, "Utfall", "belopp", "nittio tusen"),
        (3, "Kategori", "okand_kategori", "Resor"),
        (4, "Budget", "negativt_belopp", "-20 000"),
        (6, "Budget", "belopp", "1.500"),
        (6, "Utfall", "belopp", None),
        (7, "Period", "period_saknas", None),
        (5, None, "dubblett", "Personal 2025"),
    ]
    messages = {p.kontroll: p.meddelande for p in info.value.report.errors()}
    assert "tillåtna kategorier är Personal, Lokal, Övrigt" in messages["okand_kategori"]
    assert "första gången på rad 2" in messages["dubblett"]
    ambiguous = next(p.meddelande for p in info.value.report.errors() if p.varde == "1.500")
    assert plain(ambiguous).startswith("kan betyda både 1 500 kr och 1,500 kr")


def test_unknown_category_suggests_the_closest_one(tmp_path):
    path = tmp_path / "ekonomi.csv"
    path.write_text("Kategori,Budget,Utfall\nPersonall,1,1\n", encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        read_budget(path)
    assert info.value.report.errors()[0].meddelande.endswith("Menade du 'Personal'?")


@pytest.mark.parametrize(
    "header, fragment",
    [
        ("Kategori,Budget 2025,Utfall 2025,Budget 2026\n", "kolumnen för utfall 2026 saknas"),
        ("Kategori,Summa,Belopp\n", "hittar ingen rubrikrad med kolumner för budget och utfall"),
    ],
)
def test_missing_columns_are_named(tmp_path, header, fragment):
    path = tmp_path / "ekonomi.csv"
    path.write_text(header + "Personal,1,1,1\n", encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        read_budget(path)
    assert fragment in info.value.report.errors()[0].meddelande


def test_a_missing_period_row_in_a_long_file_counts_as_zero_with_a_warning(tmp_path):
    path = tmp_path / "ekonomi.csv"
    path.write_text("Kategori,Period,Budget,Utfall\nPersonal,2025,10,10\nPersonal,2026,10,10\nLokal,2025,5,5\n", encoding="utf-8")
    budget = read_budget(path, ["Personal", "Lokal"])
    assert _values(budget)[("Lokal", "2026")] == (0.0, 0.0)
    assert [p.varde for p in budget.report.warnings() if p.kontroll == "saknad_rad"] == ["Lokal 2026"]


# -- tables -------------------------------------------------------------------------------------


def _small_budget() -> Budget:
    table = pd.DataFrame([(c, p, float(b), float(u)) for (c, p), (b, u) in SMALL.items()], columns=["kategori", "period", "budget", "utfall"])
    return Budget(table, ["Personal", "Lokal"], ["2025", "2026"], "ekonomi.csv", ValidationReport())


def test_budget_outcome_table_against_hand_computed_values():
    table = budget_outcome(_small_budget())
    assert list(table.columns) == ECONOMY_COLUMNS
    expected = [
        ("Personal", "2025", 100000, 90000, -10000, -0.10),  # −10 000 / 100 000
        ("Personal", "2026", 50000, 60000, 10000, 0.20),  # 10 000 / 50 000
        ("Personal", "Totalt", 150000, 150000, 0, 0.0),
        ("Lokal", "2025", 20000, 20000, 0, 0.0),
        ("Lokal", "2026", 0, 5000, 5000, None),  # no budget: no percent
        ("Lokal", "Totalt", 20000, 25000, 5000, 0.25),  # 5 000 / 20 000
        ("Totalt", "2025", 120000, 110000, -10000, -10000 / 120000),  # −0,0833
        ("Totalt", "2026", 50000, 65000, 15000, 0.30),  # 15 000 / 50 000
        ("Totalt", "Totalt", 170000, 175000, 5000, 5000 / 170000),  # 0,0294
    ]
    assert len(table) == len(expected)
    for row, want in zip(table.itertuples(index=False), expected, strict=True):
        assert tuple(row)[:5] == want[:5]
        assert (math.isnan(row.avvikelse_procent) if want[5] is None else row.avvikelse_procent == pytest.approx(want[5]))


def test_key_figures_cost_per_participant_and_privacy():
    table = budget_outcome(_small_budget())
    frame, reasons = key_figures(table, participants=40, finished=25, min_n=5)
    assert list(frame["matt"]) == list(KEY_FIGURES)
    values = dict(zip(frame["matt"], frame["varde"], strict=True))
    # 175 000 kr / 40 deltagare = 4 375 kr; 175 000 kr / 25 avslutade = 7 000 kr
    assert values == {"budget_totalt": 170000.0, "utfall_totalt": 175000.0, "deltagare": 40, "avslutade": 25,
                      "kostnad_per_deltagare": 4375.0, "kostnad_per_avslutad": 7000.0}  # fmt: skip
    assert reasons == {}
    frame, reasons = key_figures(table, participants=None, finished=3, min_n=5)
    values = dict(zip(frame["matt"], frame["varde"], strict=True))
    assert values["deltagare"] is None and values["kostnad_per_deltagare"] is None
    assert values["avslutade"] is None and values["kostnad_per_avslutad"] is None  # 3 < 5 would reveal the count
    assert reasons == {"deltagare": "uppgift saknas", "kostnad_per_deltagare": "uppgift saknas",
                       "avslutade": "dolt (för få personer)", "kostnad_per_avslutad": "dolt (för få personer)"}  # fmt: skip
    frame, reasons = key_figures(table, participants=12, finished=0, min_n=5)
    assert dict(zip(frame["matt"], frame["varde"], strict=True))["kostnad_per_avslutad"] is None and reasons["kostnad_per_avslutad"] == "inga personer"


def test_sentences_about_the_budget():
    results = analyse_economy(_small_budget(), participants=40, finished=None)
    assert [plain(s) for s in budget_sentences(results)] == [
        "Budgeten enligt ansökan var 170 000 kr för hela projektperioden och utfallet blev 175 000 kr.",
        "Utfallet blev 3 % högre än budgeten (+5 000 kr).",  # 5 000 / 170 000 = 2,9 %
        "Avvikelser på minst 10 %: Lokal 25 % högre än budgeten (+5 000 kr).",
    ]
    assert [plain(s) for s in cost_per_person_sentences(results)] == [
        "Kostnaden per deltagare blev 4 375 kr (40 deltagare).",
        "Kostnaden per avslutad deltagare kan inte anges: antalet avslutade deltagare saknas (uppgift saknas).",
    ]
    assert plain(deviation_phrase(4080000, 3966250)) == "3 % lägre än budgeten (−113 750 kr)"  # −2,79 %
    assert deviation_phrase(100000, 100400) == f"i nivå med budgeten (+400{NBSP}kr)"
    assert deviation_phrase(0, 0) == "i nivå med budgeten"


# -- in the report ------------------------------------------------------------------------------


def _project(tmp_path: Path, extra: str, template: str = "rar-slutrapport") -> Path:
    project = tmp_path / "p"
    assert run("init", project, "--template", template).exit_code == 0
    with (project / "projekt.yaml").open("a", encoding="utf-8") as handle:
        handle.write(extra)
    return project


def test_build_fills_ekonomisk_redovisning_in_every_output(tmp_path):
    project = _project(tmp_path, "ekonomi: {fil: ekonomi.csv}\n")
    (project / "ekonomi.csv").write_text(
        "Kategori;Period;Budget;Utfall\nPersonal;=SUMMA(A1);100 000;90 000\nLokal;=SUMMA(A1);20 000;20 000\n"
        "Personal;<b>2026</b>;50 000;60 000\nLokal;<b>2026</b>;0;5 000\n",
        encoding="utf-8",
    )
    build_project(project)
    out = project / "rapport"
    html = (out / "rapport.html").read_text(encoding="utf-8")
    assert "Budget enligt ansökan och utfall per kategori och period" in html
    assert f'<td class="money">175{NBSP}000{NBSP}kr</td>' in html
    assert "&lt;b&gt;2026&lt;/b&gt;" in html and "<b>2026</b>" not in html
    data = json.loads((out / "rapport.json").read_text(encoding="utf-8"))
    table = data["tabeller"]["ekonomi"]
    assert table["kolumner"] == ECONOMY_COLUMNS
    assert table["rader"][-1] == ["Totalt", "Totalt", 170000.0, 175000.0, 5000.0, pytest.approx(5000 / 170000)]
    assert data["tabeller"]["ekonomi_nyckeltal"]["rader"][2] == ["deltagare", None]
    assert "socioekonomi_aktorer" not in data["tabeller"]
    wb = load_workbook(out / "rapport.xlsx")
    sheet = wb["Data ekonomi"]
    assert [c.value for c in sheet[1]] == ECONOMY_COLUMNS
    assert sheet["C2"].value == 100000 and sheet["C2"].number_format == '#,##0" kr";"−"#,##0" kr"'
    formula_like = [c for row in sheet.iter_rows() for c in row if c.value == "=SUMMA(A1)"]
    assert formula_like and all(c.data_type == "s" for c in formula_like)
    section = wb["5 Ekonomisk redovisning"]
    money = [c for row in section.iter_rows() for c in row if c.number_format.startswith("#,##0")]
    assert 175000 in [c.value for c in money]
    heading = next(h for h in data["rubriker"] if h["id"] == "ekonomisk-redovisning")
    assert heading["har_genererat_innehall"] and heading["saknas"] == ["text saknas"]


def test_check_names_a_missing_budget_only_where_the_template_needs_it(tmp_path):
    rar = check_project(_project(tmp_path / "rar", ""))
    missing = {h.id: h.missing for h in rar.headings}
    assert any("ekonomi saknas" in m for m in missing["ekonomisk-redovisning"])
    assert missing["extern-utvardering"] == ["text saknas"]  # the socio-economic result is optional here
    social = check_project(_project(tmp_path / "sos", "", "socialstyrelsen-kompetens"))
    assert {h.id: h.missing for h in social.headings}["hinder"] == ["text saknas"]  # kravs: false in that template


def test_socialstyrelsen_shows_the_budget_under_section_8(tmp_path):
    project = _project(tmp_path, "ekonomi:\n  rader:\n    - {kategori: Personal, budget: 1 000, utfall: 900}\n", "socialstyrelsen-kompetens")
    build_project(project)
    html = (project / "rapport" / "rapport.html").read_text(encoding="utf-8")
    section = html.split('id="hinder"')[1].split("</section>\n<section")[0]
    assert "Budget och utfall" in section and "Utfallet blev 10 % lägre än budgeten" in plain(section)


def test_file_errors_stop_build_and_are_named_by_check_and_validate(tmp_path):
    project = _project(tmp_path, "ekonomi: ekonomi.csv\n")
    (project / "ekonomi.csv").write_text("Kategori,Budget,Utfall\nPersonal,ett,1\nResor,1,1\n", encoding="utf-8")
    result = run("build", project)
    assert result.exit_code == 1
    assert "Ekonomifilen ekonomi.csv innehåller 2 fel" in result.output and "Traceback" not in result.output
    assert "rad 2, kolumn 'Budget', värde 'ett'" in result.output
    missing = {h.id: h.missing for h in check_project(project).headings}
    assert any("ekonomifilen har 2 fel" in m for m in missing["ekonomisk-redovisning"])
    report = validate_project(project)
    assert [(p.fil, p.rad) for p in report.errors()] == [("ekonomi.csv", 2), ("ekonomi.csv", 3)]


def test_project_file_problems_are_named(tmp_path):
    project = _project(tmp_path, "ekonomi: {fil: saknas.xlsx, okand: 1}\n")
    result = run("build", project)
    assert result.exit_code == 1
    assert "okänd nyckel 'okand' under 'ekonomi' (tillåtna: fil, blad, kategorier, kolumner, rader)" in result.output  # the schema, first
    (project / "projekt.yaml").write_text((project / "projekt.yaml").read_text(encoding="utf-8").replace(", okand: 1", ""), encoding="utf-8")
    result = run("build", project)
    assert result.exit_code == 1 and "filen saknas.xlsx finns inte" in result.output


def test_demo_shows_the_budget_and_bundles_validate(demo_dir):
    jsonschema = pytest.importorskip("jsonschema")
    from slutrapport.render.bundle import schema

    # the sample project built once for the session (`slutrapport demo`)
    data = json.loads((demo_dir / "rapport.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema()).validate(data)
    rows = {(r[0], r[1]): r for r in data["tabeller"]["ekonomi"]["rader"]}
    # ekonomi.xlsx: budget 2 300 000 + 180 000 + 240 000 + 1 150 000 + 90 000 + 120 000 = 4 080 000;
    # utfall 2 212 400 + 180 000 + 196 350 + 1 198 600 + 90 000 + 88 900 ("88 900 kr" as text) = 3 966 250
    assert rows[("Totalt", "Totalt")][2:5] == [4080000.0, 3966250.0, -113750.0]
    assert rows[("Övrigt", "2026")][3] == 88900.0
    html = plain((demo_dir / "rapport.html").read_text(encoding="utf-8"))
    assert "Utfallet blev 3 % lägre än budgeten (−113 750 kr)." in html
    # the participant register: 52 enrolled, 38 finished; 3 966 250 / 52 = 76 274,04; 3 966 250 / 38 = 104 375
    assert "Kostnaden per deltagare blev 76 274 kr (52 deltagare)." in html
    key = dict(data["tabeller"]["ekonomi_nyckeltal"]["rader"])
    assert (key["deltagare"], key["avslutade"], key["kostnad_per_avslutad"]) == (52, 38, 104375.0)


# -- finansiering: per party (projekt.yaml) ------------------------------------------------------


def test_financing_per_party_with_shares_by_hand():
    from slutrapport.analysis.economy import FINANCING_COLUMNS
    from slutrapport.sources.economy.financing import read_financing

    parties = read_financing({"Finsam": {"budget": 600000, "utfall": 550000}, "AF": {"budget": 600000, "utfall": 650000}, "Kommunen": 300000})
    results = analyse_economy(_small_budget(), financing=parties)
    table = results.financing
    assert list(table.columns) == FINANCING_COLUMNS and list(table["part"]) == ["Finsam", "AF", "Kommunen", TOTAL]
    assert table.iloc[-1]["budget"] == 1500000 and table.iloc[0]["andel_budget"] == pytest.approx(600000 / 1500000)  # 0,4
    assert table.iloc[2]["andel_budget"] == pytest.approx(0.2)
    assert math.isnan(table.iloc[-1]["utfall"]) and table["andel_utfall"].isna().all()  # Kommunen has no utfall: no sum
    from slutrapport.wording.economy import financing_sentences

    text = plain(" ".join(financing_sentences(results)))
    assert "Parterna budgeterade sammanlagt 1 500 000 kr: Finsam 600 000 kr (40 %), AF 600 000 kr (40 %) och Kommunen 300 000 kr (20 %)." in text
    assert "skiljer sig från budgeten" in text  # the budget table's total is 170 000 kr


def test_financing_refuses_a_party_twice_and_a_party_without_amounts():
    from slutrapport.core.errors import ProjectError
    from slutrapport.sources.economy.financing import read_financing

    with pytest.raises(ProjectError) as info:
        read_financing({"Finsam": 1, "finsam ": 2, "AF": {"budget": None}})
    message = str(info.value)
    assert "projekt.yaml har 2 problem" in message and "finansiering: finsam: parten står två gånger (också som 'Finsam')" in message
    assert "finansiering: AF: ange budget: eller utfall:" in message


def test_financing_shape_errors_name_the_key_and_the_value(tmp_path):
    project = _project(tmp_path, "finansiering:\n  Finsam: sexhundratusen\n")
    result = run("validate", project)
    assert result.exit_code != 0
    assert "finansiering" in result.output and "Finsam" in result.output and "sexhundratusen" in result.output
