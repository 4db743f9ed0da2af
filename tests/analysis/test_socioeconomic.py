"""The socio-economic calculation: hand-computed gains, payback, profitability, potential, sensitivity; validation; report."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from slutrapport.analysis.socioeconomic import (
    ACTOR_COLUMNS,
    PROFITABILITY_COLUMNS,
    SENSITIVITY_COLUMNS,
    accumulated_gain,
    analyse_socioeconomic,
    payback_months,
)
from slutrapport.cli import cli
from slutrapport.core.errors import ValidationError
from slutrapport.pipeline import build_project, check_project
from slutrapport.sources.economy.socioeconomic import ACTORS, read_parameters, resolve_basis
from slutrapport.wording.economy import payback_sentence, profitability_sentences

NBSP = "\u00a0"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def calculate(tmp_path: Path, text: str, finished: int | None = None, cost: float | None = None):
    path = tmp_path / "socioekonomi.yaml"
    path.write_text(text, encoding="utf-8")
    params = read_parameters(path)
    return analyse_socioeconomic(params, resolve_basis(params, finished, cost))


# One typfall, 10 finished participants, project cost 1 050 000 kr.
SIMPLE = """\
avslutade: 10
projektkostnad: 1 050 000 kr
typfall:
  - namn: Försörjningsstöd
    fore: {kommun: 100 000}
    efter:
      - {namn: Arbete, andel: 50 %, kommun: 20 000}
      - {namn: Oförändrat, andel: 0.5, som_fore: true}
"""


def test_simple_case_by_hand(tmp_path):
    result = calculate(tmp_path, SIMPLE)
    actors = result.actors.set_index("aktor")
    assert list(result.actors.columns) == ACTOR_COLUMNS
    assert list(actors.index) == [*ACTORS, "Totalt"]
    # FÖRE: 10 × 100 000 = 1 000 000; EFTER: 10 × (0,5 × 20 000 + 0,5 × 100 000) = 600 000; vinst 400 000
    assert actors.loc["kommun"].tolist() == [1_000_000, 600_000, 400_000]
    assert actors.loc["Totalt"].tolist() == [1_000_000, 600_000, 400_000]
    assert (actors.drop(["kommun", "Totalt"])[["kostnad_fore", "kostnad_efter", "arlig_vinst"]] == 0).all().all()
    # payback: ceil(12 × 1 050 000 / 400 000) = ceil(31,5) = 32 months
    assert result.value("aterbetalningstid_manader") == 32
    # 1 year: 400 000 − 1 050 000 = −650 000; 3 years: 1 200 000 − 1 050 000 = 150 000; 5 years: 2 000 000 − 1 050 000 = 950 000
    assert list(result.profitability.columns) == PROFITABILITY_COLUMNS
    assert result.profitability.values.tolist() == [
        [1, 400_000, 1_050_000, -650_000],
        [3, 1_200_000, 1_050_000, 150_000],
        [5, 2_000_000, 1_050_000, 950_000],
    ]
    # potential (the typfall method): every participant in full-time work at the average wage, without subsidy or
    # resource use: per person the FÖRE amount 100 000 plus the wage cost 12 × 38 200 × 1,3142 = 602 429,28
    # (parametrar-2025.yaml); 10 × 702 429,28 = 7 024 292,80; 400 000 / 7 024 292,80 = 0,0569
    assert result.potential == pytest.approx(7_024_292.80) and result.value("utnyttjad_potential") == pytest.approx(400_000 / 7_024_292.80)
    # ±25 %: 300 000 → ceil(12 600 000 / 300 000) = 42 months, 3 × 300 000 − 1 050 000 = −150 000;
    #        500 000 → ceil(25,2) = 26 months, 1 500 000 − 1 050 000 = 450 000
    assert list(result.sensitivity.columns) == SENSITIVITY_COLUMNS
    assert [tuple(r) for r in result.sensitivity.itertuples(index=False)] == [
        ("Effekter −25 %", 0.75, 300_000, 42, -150_000),
        ("Beräknade effekter", 1.0, 400_000, 32, 150_000),
        ("Effekter +25 %", 1.25, 500_000, 26, 450_000),
    ]
    assert dict(zip(result.key_figures["matt"], result.key_figures["varde"], strict=True)) == {
        "projektkostnad": 1_050_000, "arlig_vinst": 400_000, "aterbetalningstid_manader": 32,
        "utnyttjad_potential": pytest.approx(400_000 / 7_024_292.80),
        # kronor per actor: no indirect tax unless indirekt_skatt: is given, so the society's cost is the project cost
        "samhallsekonomisk_kostnad": 1_050_000, "indirekt_skatt": 0.0, "potential": 7_024_292.80,
        # cost written off over three years: 400 000 − 1 050 000 / 3 = 50 000
        "lonsamhet_1_ar_avskrivning_3_ar": 50_000,
    }  # fmt: skip


# Two typfall, every actor, tax as revenue and the individual's income and own costs; N = 30, C = 5 200 000 kr.
PAYOFF = """\
avslutade: 30
projektkostnad: 5 200 000
typfall:
  - namn: Försörjningsstöd
    andel: 0.6
    fore: {kommun: 120 000, region: 10 000, AF: 20 000, individen: 110 000}
    efter:
      - namn: Arbete
        andel: 0.3
        kommun: {kostnad: 10 000, intakt: 30 000}
        region: {intakt: 15 000}
        staten: {intakt: 25 000}
        individ: 190 000
      - {namn: Oförändrat, andel: 0.7, som_fore: true}
  - namn: Aktivitetsersättning
    andel: 0.4
    fore: {Försäkringskassan: 100 000, landsting: 40 000, individen: 100 000}
    efter:
      - {namn: Lönebidrag, andel: 0.25, Arbetsförmedlingen: 100 000, region: 20 000, individen: {inkomst: 170 000, kostnad: 10 000}}
      - {namn: Oförändrat, andel: 0.75, som_fore: true}
"""


def test_payoff_style_case_payback_35_months_and_3_year_profitability(tmp_path):
    result = calculate(tmp_path, PAYOFF)
    gains = dict(zip(result.actors["aktor"], result.actors["arlig_vinst"], strict=True))
    # Per person and year, FÖRE − EFTER:
    #   Försörjningsstöd/Arbete: kommun 120 000 − (10 000 − 30 000) = 140 000; region 10 000 + 15 000 = 25 000;
    #     AF 20 000; staten 25 000; individen −110 000 − (−190 000) = 80 000 → 290 000
    #   Aktivitetsersättning/Lönebidrag: FK 100 000; region 40 000 − 20 000 = 20 000; AF −100 000;
    #     individen −100 000 − (10 000 − 170 000) = 60 000 → 80 000
    # Weights: 0,6 × 0,3 = 0,18 and 0,4 × 0,25 = 0,10 of 30 persons.
    assert gains == pytest.approx({
        "kommun": 30 * 0.18 * 140_000,  # 756 000
        "region": 30 * (0.18 * 25_000 + 0.10 * 20_000),  # 195 000
        "Försäkringskassan": 30 * 0.10 * 100_000,  # 300 000
        "Arbetsförmedlingen": 30 * (0.18 * 20_000 - 0.10 * 100_000),  # −192 000
        "övriga staten": 30 * 0.18 * 25_000,  # 135 000
        "individen": 30 * (0.18 * 80_000 + 0.10 * 60_000),  # 612 000
        "Totalt": 1_806_000,  # 30 × (0,6 × 0,3 × 290 000 + 0,4 × 0,25 × 80 000)
    })  # fmt: skip
    # individen FÖRE: income as negative cost, 30 × (0,6 × −110 000 + 0,4 × −100 000) = −3 180 000
    assert result.actors.set_index("aktor").at["individen", "kostnad_fore"] == -3_180_000
    # payback: ceil(12 × 5 200 000 / 1 806 000) = ceil(34,55) = 35 months
    assert result.value("aterbetalningstid_manader") == 35
    # after 3 years: 3 × 1 806 000 − 5 200 000 = 218 000
    assert result.profitability.set_index("ar").at[3, "netto"] == 218_000
    # potential: FÖRE per person 120 000 + 10 000 + 20 000 − 110 000 = 40 000 and 100 000 + 40 000 − 100 000 = 40 000,
    # plus the full-time wage cost 602 429,28: 30 × (40 000 + 602 429,28) = 19 272 878,40
    assert result.potential == pytest.approx(19_272_878.40)
    assert result.value("utnyttjad_potential") == pytest.approx(1_806_000 / 19_272_878.40)
    assert payback_sentence(result) == "Återbetalningstiden är 35 månader (2,9 år)."
    assert profitability_sentences(result)[1] == "Projektet är samhällsekonomiskt lönsamt efter 3 år."


def test_discounting_and_effect_duration_by_hand(tmp_path):
    # 1 200 000 / 1,05 + 1 200 000 / 1,05² + 1 200 000 / 1,05³ = 1 142 857,14 + 1 088 435,37 + 1 036 605,12
    assert accumulated_gain(1_200_000, 3, rate=0.05) == pytest.approx(3_267_897.64, abs=0.01)
    # effects for 2,5 years: 1 + 1 + 0,5 years of gain within 5 years
    assert accumulated_gain(1_000, 5, duration=2.5) == 2_500
    assert payback_months(4_000, 1_000, duration=2.5) is None  # 48 months > 30 months of effects
    assert payback_months(2_400, 1_000, duration=2.5) == 29  # 28,8 → 29
    assert payback_months(3_500, 1_200) == 35  # exactly 35,0 stays 35
    assert payback_months(100, 0) is None and payback_months(100, -5) is None
    text = SIMPLE.replace("avslutade: 10", "avslutade: 10\ndiskonteringsranta: 5 %\nvaraktighet_ar: 2")
    result = calculate(tmp_path, text)
    # G = 400 000; 3 years with 2 years of effects: 400 000 / 1,05 + 400 000 / 1,1025 = 380 952,38 + 362 811,79
    assert result.profitability.set_index("ar").at[3, "ackumulerad_vinst"] == pytest.approx(743_764.17, abs=0.01)
    assert result.value("aterbetalningstid_manader") is None  # 32 months > 24 months of effects
    assert "inom effekternas varaktighet (2 år)" in payback_sentence(result)


def test_no_gain_means_no_payback_and_no_potential(tmp_path):
    text = SIMPLE.replace("kommun: 20 000}", "kommun: 100 000}")
    result = calculate(tmp_path, text)
    assert result.yearly_gain == 0
    assert result.value("aterbetalningstid_manader") is None and result.value("utnyttjad_potential") == 0
    assert result.sensitivity["aterbetalningstid_manader"].isna().all()
    assert payback_sentence(result).startswith("Projektkostnaden betalas inte tillbaka")


def test_basis_from_the_register_and_the_budget_or_from_the_file(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(SIMPLE.replace("avslutade: 10\n", "").replace("projektkostnad: 1 050 000 kr\n", ""), encoding="utf-8")
    params = read_parameters(path)
    basis = resolve_basis(params, finished=12, project_cost=900_000.0)
    assert (basis.finished, basis.finished_source, basis.project_cost) == (12, "deltagarregistret", 900_000.0)
    assert basis.cost_source == "utfallet i den ekonomiska redovisningen"
    with pytest.raises(ValidationError) as info:
        resolve_basis(params)
    assert [p.kolumn for p in info.value.report.errors()] == ["avslutade", "projektkostnad"]
    path.write_text(SIMPLE, encoding="utf-8")
    params = read_parameters(path)
    basis = resolve_basis(params, finished=12, project_cost=900_000.0)
    assert (basis.finished, basis.project_cost) == (10, 1_050_000.0)  # the evaluator's stated basis wins
    assert "deltagarregistret 12" in params.report.warnings()[0].meddelande


@pytest.mark.parametrize(
    "change, line, where, fragment",
    [
        (("kommun: 20 000}", "kommunen: 20 000, Polisen: 5 000}"), 7, "typfall 1 (Försörjningsstöd) › efter › Arbete › Polisen", "okänd aktör"),
        (("andel: 50 %", "andel: 0.6"), 7, "typfall 1 (Försörjningsstöd) › efter", "summerar till 1,100"),
        (("kommun: 20 000}", "kommun: -20 000}"), 7, "typfall 1 (Försörjningsstöd) › efter › Arbete › kommun", "negativt belopp"),
        (("kommun: 20 000}", "kommun: tjugo tusen}"), 7, "typfall 1 (Försörjningsstöd) › efter › Arbete › kommun", "kan inte läsas som ett belopp"),
        (
            ("fore: {kommun: 100 000}", "fore: {kommun: 100 000, FK: 1, Försäkringskassan: 2}"),
            5,
            "typfall 1 (Försörjningsstöd) › fore › Försäkringskassan",
            "anges två gånger",
        ),
        (("andel: 0.5, som_fore: true", "andel: 0.5, som_fore: true, kommun: 1"), 8, "typfall 1 (Försörjningsstöd) › efter › Oförändrat", "som_fore"),
        (("andel: 50 %", "andel: 150 %"), 7, "typfall 1 (Försörjningsstöd) › efter › Arbete › andel", "mellan 0 och 1"),
        (("projektkostnad: 1 050 000 kr", "projektkostnad: -5"), 2, "projektkostnad", "negativt belopp"),
        (("avslutade: 10", "avslutade: 10\ndiskonteringsranta: 3.5"), 2, "diskonteringsranta", "mellan 0 och 1"),
        (("avslutade: 10", "avslutade: tio"), 1, "avslutade", "heltal"),
        (("avslutade: 10", "avslutade: 10\nfarg: blå"), 2, "farg", "okänd nyckel"),
        (("    fore: {kommun: 100 000}\n", ""), 4, "typfall 1 (Försörjningsstöd)", "fore saknas"),
    ],
)
def test_parameter_errors_name_file_line_key_and_value(tmp_path, change, line, where, fragment):
    path = tmp_path / "socioekonomi.yaml"
    path.write_text(SIMPLE.replace(*change), encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        read_parameters(path)
    errors = info.value.report.errors()
    match = [p for p in errors if fragment in p.meddelande.replace(NBSP, " ")]
    assert match, [p.meddelande for p in errors]
    assert (match[0].fil, match[0].rad, match[0].kolumn) == ("socioekonomi.yaml", line, where)
    assert str(info.value).startswith("Parameterfilen socioekonomi.yaml innehåller")


def test_typfall_shares_must_sum_to_one_and_individual_income_is_not_negative(tmp_path):
    text = PAYOFF.replace("andel: 0.4", "andel: 0.3").replace("individ: 190 000", "individ: {inkomst: -1}")
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        read_parameters(path)
    messages = [p.meddelande for p in info.value.report.errors()]
    assert any("negativt belopp" in m for m in messages)
    text = PAYOFF.replace("andel: 0.4", "andel: 0.3")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        read_parameters(path)
    [error] = info.value.report.errors()
    assert error.kolumn == "typfall" and "andelarna för typfallen summerar till 0,900" in error.meddelande


# -- in the report ------------------------------------------------------------------------------


def _evaluation(tmp_path: Path, parameters: str | None) -> Path:
    project = tmp_path / "p"
    assert run("init", project, "--template", "extern-utvardering").exit_code == 0
    if parameters is not None:
        (project / "socioekonomi.yaml").write_text(parameters, encoding="utf-8")
        with (project / "projekt.yaml").open("a", encoding="utf-8") as handle:
            handle.write("socioekonomi: {fil: socioekonomi.yaml}\n")
    return project


def test_external_evaluation_fills_every_socioeconomic_subheading(tmp_path):
    project = _evaluation(tmp_path, PAYOFF)
    build_project(project)
    html = (project / "rapport" / "rapport.html").read_text(encoding="utf-8").replace(NBSP, " ")
    sections = {
        sid: re.split(r'<section class="(?:del)?avsnitt"', html.split(f'id="{sid}"')[1])[0] for sid in ("aktorer", "fore-lage", "efter-lage", "resultat")
    }
    assert "Aktörerna i beräkningen är kommunen, regionen, Försäkringskassan" in sections["aktorer"]
    assert "Den gäller 30 avslutade deltagare (enligt parameterfilen)" in sections["aktorer"]
    assert "Typfall FÖRE-läge: kostnad per person och år" in sections["fore-lage"]
    assert "Aktivitetsersättning: scenarierna efter insatsen" in sections["efter-lage"]
    for title in ("Intäkter", "Intäkter på aktörsnivå", "Kostnader", "Lönsamhet", "Återbetalningstid", "Utnyttjad potential", "Känslighetsanalys"):
        assert f"<h4>{title}</h4>" in sections["resultat"], title
    assert "Återbetalningstiden är 35 månader (2,9 år)." in sections["resultat"]
    assert "Den gäller 30" not in sections["resultat"]  # underlag: false in this template
    assert '<td class="money">1 806 000 kr</td>' in sections["resultat"]
    data = json.loads((project / "rapport" / "rapport.json").read_text(encoding="utf-8"))
    assert data["tabeller"]["socioekonomi_nyckeltal"]["rader"] == [
        ["projektkostnad", 5200000.0], ["arlig_vinst", 1806000.0], ["aterbetalningstid_manader", 35],
        ["utnyttjad_potential", pytest.approx(1806000 / 19272878.4)], ["samhallsekonomisk_kostnad", 5200000.0],
        ["indirekt_skatt", 0.0], ["potential", 19272878.4], ["lonsamhet_1_ar_avskrivning_3_ar", 72666.67],  # 1 806 000 − 5 200 000 / 3
    ]  # fmt: skip
    assert data["tabeller"]["socioekonomi_lonsamhet"]["rader"][1] == [3, 5418000.0, 5200000.0, 218000.0]
    assert "ekonomi" not in data["tabeller"]
    wb = load_workbook(project / "rapport" / "rapport.xlsx")
    assert [c.value for c in wb["Data socioekonomi"][1]] == ACTOR_COLUMNS
    assert [c.value for c in wb["Data socioekonomi känslighet"][1]] == SENSITIVITY_COLUMNS
    completeness = {h.id: h for h in check_project(project).headings}
    assert all(completeness[i].status == "ifylld" for i in ("aktorer", "fore-lage", "efter-lage", "resultat"))


def test_missing_parameter_file_is_named_under_the_evaluation_headings_only(tmp_path):
    missing = {h.id: h.missing for h in check_project(_evaluation(tmp_path / "e", None)).headings}
    for heading in ("aktorer", "fore-lage", "efter-lage", "resultat"):
        assert any("samhällsekonomisk beräkning saknas" in m for m in missing[heading]), heading
    assert missing["resurser"] == ["text saknas"]


def test_broken_parameter_file_stops_build_and_is_named_by_check(tmp_path):
    project = _evaluation(tmp_path, SIMPLE.replace("andel: 50 %", "andel: 0.6"))
    result = run("build", project)
    assert result.exit_code == 1 and "Parameterfilen socioekonomi.yaml innehåller 1 fel" in result.output
    assert "rad 7, kolumn 'typfall 1 (Försörjningsstöd) › efter', värde '1,100'" in result.output
    missing = {h.id: h.missing for h in check_project(project).headings}
    assert any("parameterfilen för den samhällsekonomiska beräkningen har 1 fel" in m for m in missing["resultat"])


def test_demo_shows_the_example_calculation_under_extern_utvardering(demo_dir):
    # the sample project built once for the session (`slutrapport demo`)
    html = (demo_dir / "rapport.html").read_text(encoding="utf-8").replace(NBSP, " ")
    section = html.split('id="extern-utvardering"')[1].split('<section class="avsnitt"')[0]
    assert "<h3>Samhällsekonomisk beräkning</h3>" in section
    assert "exempelvärden för demonstration, inte på officiella standardkostnader" in section
    # socioekonomi.yaml (the typfall method's inputs) without avslutade: the register's 38 finished participants;
    # cost = the budget's utfall 3 966 250 kr raised by the indirect tax 25 %: 4 957 812,50 kr ("5,0 mkr")
    assert "Den samhällsekonomiska kostnaden för de 38 deltagarna är 5,0 mkr, eller 130 469 kr per deltagare." in section
    assert "Projektkostnaden är 4,0 mkr (enligt utfallet i den ekonomiska redovisningen)." in section
    assert "Återbetalningstiden för Arbetsförmedlingen visar inget värde pga. negativ intäkt." in section
    assert "heltidsarbete med en svensk genomsnittslön" in section
    assert "Stapeldiagram: Samhällets kostnad och intäkt på kort och medellång sikt. Kostnad 4 957 812 kr" in section  # 4 957 812,50 rounded half to even
