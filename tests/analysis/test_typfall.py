"""The typfall method (NyttoSam style): the seed's society-level figures, each per-actor formula by hand, the inputs' errors."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from slutrapport.analysis.socioeconomic import ACTOR_RESULT_COLUMNS, SUMMARY_COLUMNS, analyse_socioeconomic
from slutrapport.analysis.typfall import full_time_wage_cost, income_flows
from slutrapport.core.errors import ValidationError
from slutrapport.core.swedish import format_mkr
from slutrapport.sources.economy.parameter_set import default_parameter_set
from slutrapport.sources.economy.socioeconomic import read_parameters, resolve_basis
from slutrapport.sources.economy.typfall_input import Income
from slutrapport.wording.economy import potential_sentence
from slutrapport.wording.typfall import actor_payback_sentences, cost_sentences, state_sentence, summary_sentences, write_off_sentence

FIXTURES = Path(__file__).parents[1] / "fixtures" / "socioekonomi"
NBSP = "\u00a0"


def calculate(path: Path):
    params = read_parameters(path)
    return analyse_socioeconomic(params, resolve_basis(params, 38, 3_966_250))


@pytest.fixture(scope="module")
def seed():
    return calculate(FIXTURES / "typfall_samverkansteam.yaml")


def test_seed_society_figures_within_rounding(seed):
    # The seed (004): "intäkterna 2,6 mkr per år och kostnaden 7,5 mkr … återbetalningstid på ca 35 månader",
    # lönsamhet −4,8 mkr after one year and 5,7 mkr after five, intäkt 13,2 mkr after five years,
    # potential "ca 50 mkr per år", "fem procent av den tillgängliga potentialen har utnyttjats".
    # Hand calculation (society = real resources only): the Arbete scenario per person frees 20 % of the resource
    # use, 0,2 × 1,25 × 125 000 = 31 250, and produces (1 − 0,5) × 12 × 29 000 × 0,75 × 1,3142 = 171 503,10;
    # 81 × 0,1605 × 202 753,10 = 2 635 891,68 kr per year. The other scenarios change no real resource.
    gain = seed.yearly_gain
    assert gain == pytest.approx(81 * 0.1605 * (0.2 * 1.25 * 125_000 + 0.5 * 12 * 29_000 * 0.75 * 1.3142), abs=0.01)
    assert format_mkr(gain) == f"2,6{NBSP}mkr"
    assert seed.basis.project_cost == 6_000_000 and seed.society_cost == 7_500_000  # 6 mkr × 1,25
    assert seed.value("aterbetalningstid_manader") == 35  # ceil(12 × 7 500 000 / 2 635 891,68) = ceil(34,14)
    profit = seed.profitability.set_index("ar")["netto"]
    # 2 635 891,68 − 7 500 000 = −4 864 108,32: "−4,9 mkr"; the seed prints −4,8 mkr although its own 2,6 and 7,5
    # give −4,9 (its 5-year figure 5,7 = 5 × 2,64 − 7,5 needs a yearly income of 2,63–2,65 mkr): within 0,1 mkr
    assert profit[1] == pytest.approx(-4.8e6, abs=0.1e6)
    assert format_mkr(profit[5]) == f"5,7{NBSP}mkr"  # 5 × 2 635 891,68 − 7 500 000 = 5 679 458,40
    summary = seed.summary.set_index("ar")
    assert format_mkr(summary.loc[5, "intakt_totalt"]) == f"13,2{NBSP}mkr"
    # potential: 81 × (1,25 × 125 000 + 12 × 29 000 × 1,3142) = 81 × 613 591,60 = 49 700 919,60 ("ca 50 mkr")
    assert seed.potential == pytest.approx(81 * (1.25 * 125_000 + 12 * 29_000 * 1.3142))
    assert seed.potential == pytest.approx(50e6, rel=0.01)
    assert round(seed.value("utnyttjad_potential") * 100) == 5  # 2 635 891,68 / 49 700 919,60 = 5,3 %
    # written off over three years: 2 635 891,68 − 2 500 000 = 135 891,68 ("lönsamt redan efter ett år")
    assert seed.value("lonsamhet_1_ar_avskrivning_3_ar") == pytest.approx(135_891.68)
    assert "lönsamt redan efter ett år" in write_off_sentence(seed)


def test_seed_summary_tables_per_participant_and_total(seed):
    assert list(seed.summary.columns) == SUMMARY_COLUMNS
    row = seed.summary.set_index("ar").loc[1]
    # per participant: 2 635 891,68 / 81 = 32 541,87; (2 635 891,68 − 7 500 000) / 81 = −60 050,72
    assert row["intakt_per_deltagare"] == pytest.approx(32_541.87) and row["lonsamhet_per_deltagare"] == pytest.approx(-60_050.72)
    assert row["aterbetalningstid_manader"] == 35
    text = " ".join(summary_sentences(seed)).replace(NBSP, " ")
    assert "32 542 kr per deltagare och år (2,6 mkr per år totalt)" in text
    assert "92 593 kr per deltagare (7,5 mkr)" in text  # 7 500 000 / 81
    assert "Återbetalningstiden för samhället är 35 månader, så lönsamheten på kort sikt är negativ." in text
    assert "På fem års sikt är lönsamheten totalt 5,7 mkr." in text


def test_each_actor_flow_by_hand(seed):
    actors = seed.actors.set_index("aktor")
    # FÖRE per person: försörjningsstöd 0,5 × 12 × 9 000 = 54 000 (kommun, untaxed); sjukpenning 0,375 × 168 000 = 63 000
    # (FK, taxed); aktivitetsstöd 0,125 × 108 000 = 13 500 (AF, taxed); resource use kommun 35 000.
    # kommun: 1,25 × (54 000 + 35 000 − 0,2068 × (63 000 + 13 500)) = 1,25 × 73 179,80 = 91 474,75; × 81 = 7 409 454,75
    assert actors.at["kommun", "kostnad_fore"] == pytest.approx(7_409_454.75)
    # individen: −(54 000 + 76 500 × (1 − 0,2068 − 0,1173)) = −105 706,35; × 81 = −8 562 214,35 (not raised)
    assert actors.at["individen", "kostnad_fore"] == pytest.approx(-8_562_214.35)
    # Försäkringskassan FÖRE: 1,25 × (63 000 + 20 000) × 81 = 8 403 750
    assert actors.at["Försäkringskassan", "kostnad_fore"] == pytest.approx(8_403_750)
    # society FÖRE: 1,25 × 125 000 × 81 = 12 656 250 (real resources only)
    assert actors.at["Totalt", "kostnad_fore"] == pytest.approx(12_656_250)
    # Arbetsförmedlingen EFTER per person: Arbete 0,1605 × (lönebidrag 171 503,10 + resources 0,8 × 20 000);
    # Mår bättre 0,4938 × (aktivitetsstöd 108 000 + 20 000); Inte förbättrad 0,3457 × 20 000; raised by 1,25:
    # 1,25 × (30 094,25 + 63 206,40 + 6 914,00) = 125 268,31; × 81 = 10 146 733,06
    af = 1.25 * (0.1605 * (171_503.10 + 16_000) + 0.4938 * 128_000 + 0.3457 * 20_000)
    assert actors.at["Arbetsförmedlingen", "kostnad_efter"] == pytest.approx(81 * af, abs=0.01)
    # region EFTER per person: resources minus regional tax 0,1173 on the taxable income of each scenario
    # (261 000 wage; 108 000 aktivitetsstöd; 132 000 sjukersättning/aktivitetsersättning):
    # 1,25 × (0,1605 × (40 000 − 30 615,30) + 0,4938 × (50 000 − 12 668,40) + 0,3457 × (50 000 − 15 483,60)) × 81 = 3 227 131,93
    region = 1.25 * (0.1605 * (40_000 - 30_615.30) + 0.4938 * (50_000 - 12_668.40) + 0.3457 * (50_000 - 15_483.60))
    assert actors.at["region", "kostnad_efter"] == pytest.approx(81 * region, abs=0.01)
    # övriga staten EFTER: only the Arbete scenario pays the employer's fee 82 006,20 (no statlig skatt under the
    # skiktgräns): −1,25 × 0,1605 × 82 006,20 × 81 = −1 332 652,00
    assert actors.at["övriga staten", "kostnad_efter"] == pytest.approx(-1.25 * 0.1605 * 82_006.20 * 81, abs=0.01)


def test_wage_with_subsidy_and_state_tax_by_hand():
    p = default_parameter_set()
    flows = income_flows(Income("lon", 1.0, 29_000, 0.75, 0.5), p)
    # gross 12 × 29 000 × 0,75 = 261 000; fee 261 000 × 0,3142 = 82 006,20; wage cost 343 006,20;
    # lönebidrag 0,5 × 343 006,20 = 171 503,10 (AF); production 171 503,10; kommun tax 261 000 × 0,2068 = 53 974,80;
    # region 261 000 × 0,1173 = 30 615,30; statlig 0 (under 625 800); individen 261 000 − 84 590,10 = 176 409,90
    assert flows.amounts == pytest.approx({
        "kommun": -53_974.80, "region": -30_615.30, "Försäkringskassan": 0, "Arbetsförmedlingen": 171_503.10,
        "övriga staten": -82_006.20, "individen": -176_409.90,
    })  # fmt: skip
    assert flows.production == pytest.approx(171_503.10)
    high = income_flows(Income("lon", 1.0, 60_000), p)
    # 720 000 a year: statlig skatt 0,2 × (720 000 − 625 800) = 18 840, plus the fee 720 000 × 0,3142 = 226 224
    assert high.amounts["övriga staten"] == pytest.approx(-(18_840 + 226_224))
    assert full_time_wage_cost(p) == pytest.approx(12 * 38_200 * 1.3142)  # 602 429,28
    benefit = income_flows(Income("sjukersattning", 1.0), p)  # the parameter set's level 11 760 kr/month
    assert benefit.amounts["Försäkringskassan"] == 141_120 and benefit.amounts["kommun"] == pytest.approx(-141_120 * 0.2068)


def test_actor_results_split_the_raised_cost_in_quarters(seed):
    assert list(seed.actor_results.columns) == ACTOR_RESULT_COLUMNS
    table = seed.actor_results.set_index("aktor")
    assert table.loc[["kommun", "region", "Försäkringskassan", "Arbetsförmedlingen"], "kostnad"].tolist() == [1_875_000] * 4
    assert table.at["individen", "kostnad"] == 0 and table.at["Totalt", "kostnad"] == 7_500_000
    kommun = table.loc["kommun"]
    # lönsamhet after n years = n × income − 1 875 000; payback ceil(12 × 1 875 000 / income)
    assert kommun["lonsamhet_3_ar"] == pytest.approx(3 * kommun["arlig_intakt"] - 1_875_000, abs=0.01)
    assert kommun["aterbetalningstid_manader"] == math.ceil(12 * 1_875_000 / kommun["arlig_intakt"])
    assert table.at["Arbetsförmedlingen", "arlig_intakt"] < 0 and table["aterbetalningstid_manader"].isna()["Arbetsförmedlingen"]
    sentences = actor_payback_sentences(seed)
    assert "Återbetalningstiden för Arbetsförmedlingen visar inget värde pga. negativ intäkt." in sentences
    assert sentences[-1] == "Återbetalningstiden för samhället är 35 månader."
    assert "med en fjärdedel vardera på kommunen, regionen, Försäkringskassan och Arbetsförmedlingen" in cost_sentences(seed)[-1]
    assert "heltidsarbete med en svensk genomsnittslön, utan subvention" in potential_sentence(seed)
    # staten totalt = FK + AF + övriga staten: 1 823 472,00 − 6 754 858,06 + 1 332 652,00 = −3 598 734,06
    gains = seed.actors.set_index("aktor")["arlig_vinst"]
    assert gains[["Försäkringskassan", "Arbetsförmedlingen", "övriga staten"]].sum() == pytest.approx(-3_598_734.06)
    assert state_sentence(seed).replace(NBSP, " ").endswith("får ökade kostnader med 3,6 mkr per år, vilket motsvarar 44 429 kr per deltagare.")


def test_financing_indirect_tax_and_parameter_overrides(tmp_path):
    text = (FIXTURES / "typfall_samverkansteam.yaml").read_text(encoding="utf-8")
    (tmp_path / "egna.yaml").write_text("ar: 2024\nparametrar:\n  arbetsgivaravgift: {varde: 30 %, kalla: Egen}\n", encoding="utf-8")
    text = text.replace("parametrar: {genomsnittslon_manad: 29 000}",
                        "parametrar: {fil: egna.yaml, genomsnittslon_manad: 29 000}\nindirekt_skatt: 20 %\n"
                        "finansiering: {kommun: 0.5, region: 0.5}")  # fmt: skip
    (tmp_path / "s.yaml").write_text(text, encoding="utf-8")
    params = read_parameters(tmp_path / "s.yaml")
    assert params.parameter_set["arbetsgivaravgift"] == 0.30 and params.parameter_set.sources["arbetsgivaravgift"] == "Egen"
    result = analyse_socioeconomic(params, resolve_basis(params))
    assert result.society_cost == 7_200_000  # 6 000 000 × 1,20
    costs = result.actor_results.set_index("aktor")["kostnad"]
    assert costs["kommun"] == costs["region"] == 3_600_000 and costs["Försäkringskassan"] == 0
    # 81 × 0,1605 × (0,2 × 1,2 × 125 000 + 0,5 × 12 × 29 000 × 0,75 × 1,30)
    assert result.yearly_gain == pytest.approx(81 * 0.1605 * (0.2 * 1.2 * 125_000 + 0.5 * 12 * 29_000 * 0.75 * 1.30), abs=0.01)


@pytest.mark.parametrize(
    ("old", "new", "fragment"),
    [
        ("stod: försörjningsstöd", "stod: lotto", "okänt eller saknat stöd"),
        ("andel: 0.375", "andel: 0.4", "andelarna för stöden summerar till 1,025"),
        ("{stod: aktivitetsstöd, belopp_manad: 9 000}", "{stod: aktivitetsstöd, tjanstgoringsgrad: 50 %}", "bara för stod: lön"),
        ("resursforbrukning: −20 %", "resursforbrukning: −120 %", "från −100 %"),
        ("resursforbrukning: −20 %", "kommun: 5 000", "kan inte ange belopp per aktör"),
        ("parametrar: {genomsnittslon_manad: 29 000}", "parametrar: {medellon: 29 000}", "okänd parameter"),
        ("parametrar: {genomsnittslon_manad: 29 000}", "parametrar: {arbetsgivaravgift: 130 %}", "andel från 0 till under 1"),
        ("parametrar: {genomsnittslon_manad: 29 000}", "finansiering: {kommun: 0.5}", "andelarna för finansieringen"),
        ("region: 50 000,", "individen: 50 000,", "okänd aktör"),
    ],
)
def test_method_input_errors_name_the_key_and_value(tmp_path, old, new, fragment):
    text = (FIXTURES / "typfall_samverkansteam.yaml").read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "s.yaml").write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        read_parameters(tmp_path / "s.yaml")
    assert fragment in str(caught.value), str(caught.value)
    assert "s.yaml" in str(caught.value)


def test_kronor_per_actor_still_accepted(tmp_path):
    # the earlier demo file, amounts per actor and year: unchanged results (no indirect tax unless given).
    # G = 38 × (0,7 × 38 900 + 0,3 × 43 050) = 1 525 510 kr; payback ceil(12 × 3 966 250 / 1 525 510) = 32 months
    result = calculate(FIXTURES / "belopp_per_aktor.yaml")
    assert not result.method_form and result.factor == 1
    assert result.yearly_gain == pytest.approx(1_525_510) and result.value("aterbetalningstid_manader") == 32
    assert result.inputs.empty


def test_extern_utvardering_leads_with_the_result_in_brief_and_writes_the_new_tables(tmp_path):
    import json

    import jsonschema
    from click.testing import CliRunner
    from openpyxl import load_workbook

    from slutrapport.cli import cli
    from slutrapport.pipeline import build_project
    from slutrapport.render.bundle import SCHEMA_VERSION, schema

    project = tmp_path / "p"
    assert CliRunner().invoke(cli, ["init", str(project), "--template", "extern-utvardering"]).exit_code == 0
    (project / "socioekonomi.yaml").write_text((FIXTURES / "typfall_samverkansteam.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    with (project / "projekt.yaml").open("a", encoding="utf-8") as handle:
        handle.write("socioekonomi: {fil: socioekonomi.yaml}\n")
    build_project(project)
    html = (project / "rapport" / "rapport.html").read_text(encoding="utf-8").replace(NBSP, " ")
    summary = html.split('id="sammanfattning"')[1].split('id="inledning"')[0]
    blocks = summary.split('<p class="saknas">')[-1]  # after the missing-text note: the generated blocks
    assert blocks.index("<h3>Samhällsekonomisk nytta i korthet</h3>") < 200
    assert "Efter ett år: medelvärden per deltagare och totalt för samhället" in summary
    assert '<td class="money">32 542 kr</td>' in summary and '<td class="money">2 635 892 kr</td>' in summary
    assert "Stapeldiagram: Samhällets kostnad och intäkt på kort och medellång sikt. Kostnad 7 500 000 kr; " in summary
    data = json.loads((project / "rapport" / "rapport.json").read_text(encoding="utf-8"))
    assert data["schema_version"] == SCHEMA_VERSION == "1.4"
    jsonschema.Draft202012Validator(schema()).validate(data)
    assert data["tabeller"]["socioekonomi_aktorsresultat"]["kolumner"] == ACTOR_RESULT_COLUMNS
    assert data["tabeller"]["socioekonomi_sammanfattning"]["rader"][0] == [1, 32541.87, 2635891.68, -60050.72, -4864108.32, 35]
    sheet = load_workbook(project / "rapport" / "rapport.xlsx")["Data socioekonomi summering"]
    assert [c.value for c in sheet[1]] == SUMMARY_COLUMNS
    cell = sheet["C2"]
    assert cell.value == pytest.approx(2635891.68) and isinstance(cell.value, float) and "kr" in cell.number_format


@pytest.mark.parametrize(
    ("setting", "own", "fragment"),
    [
        ("parametrar: saknas.yaml", None, "filen saknas.yaml finns inte bredvid parameterfilen"),
        ("parametrar: ../utanfor.yaml", None, "finns inte bredvid parameterfilen"),
        ("parametrar: egna.yaml", "parametrar:\n  sjukpenning_manad: mycket\n", "rad 2, kolumn 'parametrar › sjukpenning_manad', värde 'mycket'"),
        ("parametrar: egna.yaml", "ar: 2025\nvaluta: SEK\nparametrar: {}\n", "okänd nyckel; giltiga är ar, giltig_fran, parametrar"),
    ],
)
def test_a_users_parameter_set_is_checked_and_named(tmp_path, setting, own, fragment):
    text = (FIXTURES / "typfall_samverkansteam.yaml").read_text(encoding="utf-8")
    (tmp_path / "utanfor.yaml").write_text("parametrar: {}\n", encoding="utf-8")
    folder = tmp_path / "projekt"
    folder.mkdir()
    if own is not None:
        (folder / "egna.yaml").write_text(own, encoding="utf-8")
    (folder / "s.yaml").write_text(text.replace("parametrar: {genomsnittslon_manad: 29 000}", setting), encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        read_parameters(folder / "s.yaml")
    assert fragment in str(caught.value).replace(NBSP, " "), str(caught.value)
