"""projekt.yaml and mall.yaml are checked against their JSON Schemas: every problem one Swedish message with file, line and key."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from click.testing import CliRunner
from jsonschema import Draft7Validator

from slutrapport.cli import cli
from slutrapport.core.errors import ProjectError
from slutrapport.project.folder import SURVEY_KEYS, TOP_KEYS, WAVE_KEYS, load_project
from slutrapport.project.schema import PROJECT_SCHEMA
from slutrapport.project.templates import BLOCKS, TEMPLATE_SCHEMA, available_templates, load_template
from slutrapport.sources.readers import FORMATS
from tests.conftest import SAMPLES

ROOT = Path(__file__).resolve().parents[2]


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def project_problems(tmp_path: Path, text: str) -> list[str]:
    """The problem lines of ``projekt.yaml`` with ``text`` (the project folder has the sample's survey files)."""
    root = tmp_path / "p"
    if not root.exists():
        shutil.copytree(SAMPLES / "enkater", root / "enkater")
    (root / "projekt.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ProjectError) as info:
        load_project(root)
    message = str(info.value)
    assert message.startswith(f"{root / 'projekt.yaml'} har "), message
    assert "Traceback" not in message
    return message.splitlines()[1:]


def template_problems(tmp_path: Path, text: str) -> list[str]:
    folder = tmp_path / "mallar" / "egen"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "mall.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ProjectError) as info:
        load_template("egen", [tmp_path / "mallar"])
    message = str(info.value)
    assert message.startswith(f"Mallfilen {folder / 'mall.yaml'} har "), message
    return message.splitlines()[1:]


BASE = """\
projekt:
  namn: Test
  period:
    start: 2025-01-01
    slut: 2025-12-31
mall: rar-slutrapport
anonymitetsgrans: 5
personalenkat:
  instrument: samverkan
  enkater:
    - fil: enkater/enkat3.csv
      etikett: Enkät 1
      datum: 2025-03-21
"""

TEMPLATE = """\
id: egen
namn: Egen mall
rubriker:
  - {id: a, rubrik: A, kravs: true}
  - {id: b, rubrik: B, block: [ekonomi]}
block_installningar:
  socioekonomi: {kravs: ja, underlag: nej}
"""


# -- the schemas themselves --------------------------------------------------------------------------------


@pytest.mark.parametrize("found", [PROJECT_SCHEMA, TEMPLATE_SCHEMA], ids=["projekt", "mall"])
def test_the_schemas_are_valid_draft_7_shipped_as_package_data(found):
    Draft7Validator.check_schema(found.mapping)
    assert json.loads(Path(unquote(urlparse(found.uri()).path)).read_text(encoding="utf-8")) == found.mapping


def test_the_project_schema_lists_the_keys_the_code_reads():
    spec = PROJECT_SCHEMA.mapping
    assert tuple(spec["properties"]) == TOP_KEYS
    assert set(spec["properties"]["personalenkat"]["properties"]) == set(SURVEY_KEYS)
    assert set(spec["definitions"]["enkat"]["properties"]) == set(WAVE_KEYS)
    assert [f for f in spec["definitions"]["format"]["enum"] if f] == list(FORMATS)


def test_a_top_level_key_of_a_data_source_the_schema_does_not_know_is_allowed(tmp_path):
    root = tmp_path / "p"
    shutil.copytree(SAMPLES / "enkater", root / "enkater")
    (root / "projekt.yaml").write_text(BASE + "testkalla:\n  fil: kalla/data.csv\n", encoding="utf-8")
    assert load_project(root).data["testkalla"] == {"fil": "kalla/data.csv"}


def test_every_key_the_web_page_writes_at_the_top_is_in_the_project_schema():
    from slutrapport.web.sources import SOURCES

    top = PROJECT_SCHEMA.mapping["properties"]
    for source in SOURCES:
        for slot in source.files:
            assert slot.key[0] in top, slot.key
            assert slot.key[1] in top[slot.key[0]]["properties"], slot.key


def test_the_template_schema_lists_every_block():
    spec = TEMPLATE_SCHEMA.mapping
    assert spec["definitions"]["block"]["enum"] == list(BLOCKS)
    assert set(spec["properties"]["block_installningar"]["properties"]) == set(BLOCKS)
    assert spec["definitions"]["rubrik"]["properties"]["block"]["pattern"] == "^(" + "|".join(BLOCKS) + ")$"


# -- every valid file we ship or test with still loads -----------------------------------------------------


def test_the_sample_project_loads_as_before():
    project = load_project(SAMPLES)
    assert project.min_n == 5 and [w.date for w in project.waves] == ["2025-03-21", "2025-09-19", "2026-03-20"]
    assert project.facts["Projektperiod"] == "2025-01-01 – 2026-06-30"
    assert project.lines[("anonymitetsgrans",)] == 21


@pytest.mark.parametrize("template_id", ["rar-slutrapport", "socialstyrelsen-kompetens", "extern-utvardering"])
def test_every_shipped_template_loads_and_a_new_project_from_it_too(tmp_path, template_id):
    assert template_id in available_templates()
    template = load_template(template_id)
    assert template.all_headings()
    assert run("init", tmp_path / "p", "--template", template_id).exit_code == 0
    text = (tmp_path / "p" / "projekt.yaml").read_text(encoding="utf-8")
    assert text.startswith(f"# yaml-language-server: $schema={PROJECT_SCHEMA.uri()}\n")
    assert load_project(tmp_path / "p").template.id == template_id


def test_the_demo_still_builds(demo_run):
    assert demo_run.exit_code == 0  # built once for the session from data_samples/


def test_template_yes_no_settings_become_booleans():
    assert load_template("extern-utvardering").settings["socioekonomi"] == {"kravs": True, "underlag": False, "rubrik": None}
    assert load_template("socialstyrelsen-kompetens").settings["ekonomi"]["kravs"] is False


def test_a_template_setting_written_as_the_text_false_is_false(tmp_path):
    folder = tmp_path / "mallar" / "egen"
    folder.mkdir(parents=True)
    (folder / "mall.yaml").write_text(TEMPLATE.replace("underlag: nej", 'underlag: "false"'), encoding="utf-8")
    template = load_template("egen", [tmp_path / "mallar"])  # bool("false") was True
    assert template.settings["socioekonomi"] == {"kravs": True, "underlag": False}


# -- projekt.yaml ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("mall: rar", "mal: 3\nmall: rar", "- rad 6: 'mal' ska vara en lista med ett mål per rad (- mal: …), fick '3'"),
        ("anonymitetsgrans: 5", "anonymitetsgräns: 5", "- rad 7: okänd nyckel 'anonymitetsgräns'; menade du 'anonymitetsgrans'?"),
        ("anonymitetsgrans: 5", "ekonomin: {fil: b.xlsx}", "- rad 7: okänd nyckel 'ekonomin'; menade du 'ekonomi'?"),
        ("anonymitetsgrans: 5", "Personalenkät: {}", "- rad 7: okänd nyckel 'Personalenkät'; menade du 'personalenkat'?"),
        ("  namn: Test", "  namn: Test\n  projektledar: Eva", "- rad 3: okänd nyckel 'projektledar' under 'projekt'; menade du 'projektledare'?"),
        ("      datum: 2025-03-21", "      datum: 2025-03-21\n      etiket: Start",
         "- rad 14: okänd nyckel 'etiket' i enkät nr 1 under 'enkater'; menade du 'etikett'?"),
    ],
)  # fmt: skip
def test_a_misspelt_or_unknown_key_names_its_line_and_a_suggestion(tmp_path, old, new, message):
    assert old in BASE
    assert project_problems(tmp_path, BASE.replace(old, new)) == [message]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("anonymitetsgrans: 5", "anonymitetsgrans: fem",
         "- rad 7: 'anonymitetsgrans' ska vara ett heltal från 1 till 1000 (grupper med färre svar visas inte), fick 'fem'"),
        ("projekt:\n  namn: Test", "projekt:\n  namn: [Test, {a: 1}]", "- rad 2: 'namn' nr 2 under 'projekt' ska vara en text, fick nycklar med värden"),
        ("  instrument: samverkan", "  instrument: samverkan\n  alias: {Stämmer helt: ja}",
         "- rad 10: 'Stämmer helt' under 'personalenkat: alias' ska peka på ett skalvärde (ett heltal), "
         "eller vara en skalas namn med rader som \"Svar i filen\": värde, fick 'ja'"),
        ("  instrument: samverkan", "  instrument: samverkan\n  alias: {Stämmer helt: true}",
         "- rad 10: 'Stämmer helt' under 'personalenkat: alias' ska peka på ett skalvärde (ett heltal), "
         "eller vara en skalas namn med rader som \"Svar i filen\": värde, fick true"),
        ("mall: rar-slutrapport", "mall: rar-slutrapport\ndeltagare: {fil: d.csv, aldersgrupper: [25, 350]}",
         "- rad 7: 'aldersgrupper' nr 2 under 'deltagare' ska vara en ålder från 1 till 119, fick '350'"),
    ],
)  # fmt: skip
def test_a_value_of_the_wrong_type_names_its_line_and_key(tmp_path, old, new, message):
    assert old in BASE
    assert project_problems(tmp_path, BASE.replace(old, new)) == [message]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("    start: 2025-01-01", "    start: 2025-02-30",
         "- rad 4: 'start' under 'projekt: period' ska vara ett datum som finns, skrivet ÅÅÅÅ-MM-DD, fick '2025-02-30'"),
        ("    slut: 2025-12-31", "    slut: 2025-13-01",
         "- rad 5: 'slut' under 'projekt: period' ska vara ett datum som finns, skrivet ÅÅÅÅ-MM-DD, fick '2025-13-01'"),
        ("      datum: 2025-03-21", '      datum: "2025-02-29"',
         "- rad 13: 'datum' i enkät nr 1 under 'enkater' ska vara ett datum som finns, skrivet ÅÅÅÅ-MM-DD, fick '2025-02-29'"),
        ("      datum: 2025-03-21", "      datum: mars 2025",
         "- rad 13: 'datum' i enkät nr 1 under 'enkater' ska vara ett datum som finns, skrivet ÅÅÅÅ-MM-DD, fick 'mars 2025'"),
        ("mall: rar-slutrapport", "mall: rar-slutrapport\ndeltagare: {fil: d.csv, rapportdatum: 2026-06-31}",
         "- rad 7: 'rapportdatum' under 'deltagare' ska vara ett datum som finns, t.ex. 2026-06-30, fick '2026-06-31'"),
    ],
)  # fmt: skip
def test_an_impossible_date_names_its_line_and_key(tmp_path, old, new, message):
    assert old in BASE
    assert project_problems(tmp_path, BASE.replace(old, new)) == [message]


def test_dates_are_accepted_as_yaml_dates_and_as_text(tmp_path):
    root = tmp_path / "p"
    shutil.copytree(SAMPLES / "enkater", root / "enkater")
    text = BASE.replace("    start: 2025-01-01", '    start: "2025-01-01"')
    text = text.replace("mall: rar", "deltagare: {fil: d.csv, rapportdatum: 1 mars 2026}\nmall: rar")
    (root / "projekt.yaml").write_text(text, encoding="utf-8")
    project = load_project(root)
    assert project.facts["Projektperiod"] == "2025-01-01 – 2025-12-31" and project.waves[0].date == "2025-03-21"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("anonymitetsgrans: 5", "anonymitetsgrans: .inf",
         "- rad 7: 'anonymitetsgrans' ska vara ett heltal från 1 till 1000 (grupper med färre svar visas inte), fick '.inf'"),
        ("anonymitetsgrans: 5", "anonymitetsgrans: 5000",
         "- rad 7: 'anonymitetsgrans' ska vara ett heltal från 1 till 1000 (grupper med färre svar visas inte), fick '5000'"),
        ("anonymitetsgrans: 5", "anonymitetsgrans: 0",
         "- rad 7: 'anonymitetsgrans' ska vara ett heltal från 1 till 1000 (grupper med färre svar visas inte), fick '0'"),
        ("      datum: 2025-03-21", "      datum: 2025-03-21\n      rubrikrad: 1.0e+400",
         "- rad 14: 'rubrikrad' i enkät nr 1 under 'enkater' ska vara ett heltal ≥ 1 (raden med frågornas rubriker, som i Excel), fick '.inf'"),
        ("mall: rar-slutrapport", "mall: rar-slutrapport\nmal: [{mal: Många, matt: antal, malvarde: 99999999999}]",
         "- rad 7: 'malvarde' i mål nr 1 ska vara ett tal från 0 till 1000000, t.ex. 40 % eller 25, fick '99999999999'"),
        ("mall: rar-slutrapport", "mall: rar-slutrapport\nmal: [{Mål: Många, matt: antal, Målvärde: .nan}]",
         "- rad 7: 'malvarde' i mål nr 1 ska vara ett tal från 0 till 1000000, t.ex. 40 % eller 25, fick '.nan'"),
    ],
)  # fmt: skip
def test_a_number_that_is_not_finite_or_out_of_range_names_its_line_and_key(tmp_path, old, new, message):
    assert old in BASE
    assert project_problems(tmp_path, BASE.replace(old, new)) == [message]


def test_every_problem_of_the_file_is_listed_at_once_in_line_order(tmp_path):
    text = (
        BASE.replace("anonymitetsgrans: 5", "anonymitetsgrans: -1")
        .replace("    slut: 2025-12-31", "    slut: 2025-12-32")
        .replace("      datum: 2025-03-21", "      datum: 2025-03-21\n      dubletter: behalls")
        .replace("    - fil: enkater/enkat3.csv", "    - fil: enkater/saknas.csv")
    )
    lines = project_problems(tmp_path, text)
    assert len(lines) == 4 and lines[-1].startswith("- enkät nr 1: filen enkater/saknas.csv finns inte")
    numbers = [int(re.match(r"- rad (\d+):", line).group(1)) for line in lines[:3]]
    assert numbers == [5, 7, 14]
    assert "okänd nyckel 'dubletter' i enkät nr 1 under 'enkater'; menade du 'dubbletter'?" in lines[2]


def test_a_goal_key_written_two_ways_is_an_error(tmp_path):
    text = BASE.replace("mall: rar", "mal:\n  - {mal: A, namn: B, matt: antal, malvarde: 3}\nmall: rar")
    assert project_problems(tmp_path, text) == ["- rad 7: mål nr 1: 'namn' och 'mal' är samma nyckel (mal); ta bort den ena"]


def test_project_answer_aliases_may_not_clash_with_the_instruments_labels_or_missing_words(tmp_path):
    project = tmp_path / "p"
    shutil.copytree(SAMPLES, project)
    config = project / "projekt.yaml"
    text = config.read_text(encoding="utf-8").replace(
        "  instrument: samverkan\n", "  instrument: samverkan\n  alias:\n    Vet ej: 3\n    Instämmer helt: 4\n    Stämmer helt: 5\n"
    )
    config.write_text(text, encoding="utf-8")
    result = run("validate", project)
    assert result.exit_code == 1 and "Traceback" not in result.output and "oväntat" not in result.output
    assert f"{config} har 2 problem:" in result.output
    assert "- rad 26: aliaset 'Vet ej' under personalenkat: alias: är ett svar som instrumentet räknar som saknat värde" in result.output
    assert "- rad 27: aliaset 'Instämmer helt' under personalenkat: alias: pekar på 4, men 'Instämmer helt' är redan skalans värde 5" in result.output


def test_per_scale_answer_aliases_are_checked_on_their_line(tmp_path):
    project = tmp_path / "p"
    shutil.copytree(SAMPLES, project)
    config = project / "projekt.yaml"
    text = config.read_text(encoding="utf-8").replace("  instrument: samverkan\n", "  instrument: samverkan\n  alias:\n    standard:\n      Vet ej: 2\n")
    config.write_text(text, encoding="utf-8")
    result = run("build", project)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "- rad 27: aliaset 'Vet ej' under personalenkat: alias: standard: är ett svar som instrumentet räknar som saknat värde" in result.output


# -- mall.yaml ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("namn: Egen mall", "namm: Egen mall", "- rad 2: okänd nyckel 'namm'; menade du 'namn'?"),
        ("{id: a, rubrik: A, kravs: true}", "{id: a, rubrik: A, krav: true}", "- rad 4: okänd nyckel 'krav' i rubriken 'A'; menade du 'kravs'?"),
        ("socioekonomi: {kravs: ja, underlag: nej}", "socioekonomi: {kravs: ja, underlaget: nej}",
         "- rad 7: okänd nyckel 'underlaget' under 'block_installningar: socioekonomi'; menade du 'underlag'?"),
        ("  socioekonomi:", "  socioekonomin:",
         "- rad 7: okänd nyckel 'socioekonomin' under 'block_installningar'; menade du 'socioekonomi'?"),
    ],
)  # fmt: skip
def test_a_misspelt_template_key_names_its_line_and_a_suggestion(tmp_path, old, new, message):
    assert old in TEMPLATE
    assert template_problems(tmp_path, TEMPLATE.replace(old, new)) == [message]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("{id: a, rubrik: A, kravs: true}", "{id: a, rubrik: A, kravs: kanske}",
         "- rad 4: rubriken 'A': 'kravs' ska vara true eller false (ja eller nej), fick 'kanske'"),
        ("{kravs: ja, underlag: nej}", "{kravs: ja, underlag: 0}",
         "- rad 7: 'underlag' under 'block_installningar: socioekonomi' ska vara true eller false (ja eller nej), fick '0'"),
        ("block: [ekonomi]}", "block: [ekonomi], numrerad: 1}", "- rad 5: rubriken 'B': 'numrerad' ska vara true eller false (ja eller nej), fick '1'"),
    ],
)  # fmt: skip
def test_a_bad_yes_or_no_in_a_template_names_its_line_and_key(tmp_path, old, new, message):
    assert old in TEMPLATE
    assert template_problems(tmp_path, TEMPLATE.replace(old, new)) == [message]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("block: [ekonomi]}", "block: ekonomi, nummer: .inf}", "- rad 5: rubriken 'B': 'nummer' ska vara ett nummer, t.ex. \"3.4\", fick '.inf'"),
        ("rubriker:", "numrering: 2025-02-30\nrubriker:", "- rad 3: 'numrering' ska vara en av auto, egen, fick '2025-02-30'"),
        ("block: [ekonomi]}", "block: [ekonomi, socioekonomi_fore, deltagar]}",
         "- rad 5: 'block' nr 3 i rubriken 'B' ska vara en av personalenkat, personalenkat_sammanfattning, kategorisering, "
         "utbildningarnas_omfattning, ekonomi, socioekonomi, socioekonomi_underlag, socioekonomi_fore, socioekonomi_efter, socioekonomi_sammanfattning, "
         "sjalvvardering, deltagare, maluppfyllelse, fick 'deltagar'; menade du 'deltagare'?"),
        ("  socioekonomi: {kravs: ja, underlag: nej}", "  ekonomi: {kategorier: [Personal, '  ']}",
         "- rad 7: 'kategorier' nr 2 under 'block_installningar: ekonomi' får inte vara tom, fick '  '"),
    ],
)  # fmt: skip
def test_a_template_value_of_the_wrong_kind_a_number_that_is_not_finite_or_an_impossible_date(tmp_path, old, new, message):
    assert old in TEMPLATE
    assert template_problems(tmp_path, TEMPLATE.replace(old, new)) == [message]


# -- the command line --------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["validate", "build", "check"])
def test_the_commands_name_file_line_and_key_and_exit_1_without_a_traceback(tmp_path, command):
    project = tmp_path / "p"
    shutil.copytree(SAMPLES, project)
    config = project / "projekt.yaml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("anonymitetsgrans: 5", "anonymitetsgrans: 5.5").replace("    slut: 2026-06-30", "    slut: 2026-06-31")
    config.write_text(text.replace("  matt: andel", "  mått: andel").replace("  instrument: samverkan", "  instrumnet: samverkan"), encoding="utf-8")
    result = run(command, project)
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "Ett oväntat fel" not in result.output
    assert f"Fel: {config} har 3 problem:" in result.output
    assert "- rad 11: 'slut' under 'projekt: period' ska vara ett datum som finns, skrivet ÅÅÅÅ-MM-DD, fick '2026-06-31'" in result.output
    assert "- rad 21: 'anonymitetsgrans' ska vara ett heltal från 1 till 1000" in result.output
    assert "- rad 24: okänd nyckel 'instrumnet' under 'personalenkat'; menade du 'instrument'?" in result.output


def test_the_docs_describe_every_key_of_every_schema():
    from slutrapport.sources.economy.parameter_schema import PARAMETER_SCHEMA
    from slutrapport.sources.economy.yaml_rows import ROW_SCHEMA
    from slutrapport.sources.forms.definition import FORM_SCHEMA

    docs = (ROOT / "docs" / "projektfil.md").read_text(encoding="utf-8")
    keys: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            keys.update(node.get("properties", {}))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for found in (PROJECT_SCHEMA, TEMPLATE_SCHEMA, FORM_SCHEMA, PARAMETER_SCHEMA, ROW_SCHEMA):
        walk(found.mapping)
    assert sorted(k for k in keys if f"`{k}`" not in docs and f"`{k}:" not in docs) == []


def test_the_schema_command_prints_each_kinds_schema():
    for kind in ("projekt", "mall", "instrument", "formular", "socioekonomi", "budget"):
        result = run("schema", kind)
        assert result.exit_code == 0 and json.loads(result.output)["$schema"].startswith("http://json-schema.org/draft-07")
    located = run("schema", "mall", "--sokvag")
    assert located.output.strip() == TEMPLATE_SCHEMA.uri()


def test_shipped_templates_point_editors_at_the_schema():
    for path in (ROOT / "slutrapport" / "report_templates").glob("*/mall.yaml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../../project/mall.schema.json"
        assert (path.parent / "../../project/mall.schema.json").resolve().is_file()
