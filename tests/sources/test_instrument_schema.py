"""The instrument file is checked against its JSON Schema: every violation one Swedish message with line, key and a suggestion."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
import yaml
from click.testing import CliRunner
from jsonschema import Draft7Validator

from slutrapport.cli import cli
from slutrapport.core.errors import InstrumentError
from slutrapport.core.yamlfile import parse_yaml
from slutrapport.sources.survey.instrument import builtin_instrument_text, load_instrument
from slutrapport.sources.survey.schema import INVALID, LocatedProblems, check_schema, did_you_mean, schema, schema_line, schema_uri
from tests.conftest import MINI_INSTRUMENT, write_csv

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "exports" / "instrument.yaml"
DOCS = ROOT / "docs" / "instrument.md"
SHIPPED = (ROOT / "slutrapport" / "sources" / "survey" / "instruments" / "samverkan.yaml").read_text(encoding="utf-8")


def problem_lines(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "instrument.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InstrumentError) as info:
        load_instrument(path)
    message = str(info.value)
    assert message.startswith(f"Instrumentfilen {path} har ")
    return message.splitlines()[1:]


def schema_problems(data: dict) -> list[str]:
    found = LocatedProblems({})
    check_schema(data, found)
    return found.messages()


# -- the schema itself -------------------------------------------------------------------------------------


def test_the_schema_is_valid_draft_7_shipped_as_package_data():
    Draft7Validator.check_schema(schema())
    assert json.loads(Path(unquote(urlparse(schema_uri()).path)).read_text(encoding="utf-8")) == schema()


@pytest.mark.parametrize("text", [SHIPPED, FIXTURE.read_text(encoding="utf-8"), MINI_INSTRUMENT])
def test_the_instruments_we_ship_and_test_with_satisfy_the_schema(text):
    assert schema_problems(yaml.safe_load(text)) == []


# -- unknown and misspelt keys -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("  - {id: q3, text: \"Fråga tre är negativ\", index: a, omvand: true}",
         "  - {id: q3, text: \"Fråga tre är negativ\", index: a, omvänd: true}",
         "- rad 15: okänd nyckel 'omvänd' i fråga nr 3 (q3); menade du 'omvand'?"),
        ("  positiva: [4, 5]", "  positva: [4, 5]", "- rad 5: okänd nyckel 'positva' under 'skala'; menade du 'positiva'?"),
        ("fragor:", "fragr: []\nfragor:", "- rad 12: okänd nyckel 'fragr'; menade du 'fragor'?"),
        ("bakgrund:", "Bakgrund: {}\nbakgrund:", "- rad 7: okänd nyckel 'Bakgrund'; menade du 'bakgrund'?"),
        ("  kod: Kod", "  kod: Kod\n  ålder: Ålder", "- rad 10: okänd nyckel 'ålder' under 'bakgrund' (tillåtna: organisation, kod)"),
        ("  a: Index A", "  a: {namn: Index A, skal: x}", "- rad 11: okänd nyckel 'skal' under 'index: a'; menade du 'skala'?"),
        ("namn: Miniinstrument", "namn: Miniinstrument\nfrågor: []", "- rad 3: okänd nyckel 'frågor'; menade du 'fragor'?"),
    ],
)  # fmt: skip
def test_a_misspelt_key_is_an_error_with_its_line_and_a_suggestion(tmp_path, old, new, message):
    assert old in MINI_INSTRUMENT
    assert problem_lines(tmp_path, MINI_INSTRUMENT.replace(old, new)) == [message]


def test_suggestions_ignore_case_and_swedish_letters():
    assert did_you_mean("omvänd", ["omvand", "index"]) == "; menade du 'omvand'?"
    assert did_you_mean("FRAGOR", ["fragor"]) == "; menade du 'fragor'?"
    assert did_you_mean("xyz", ["fragor"]) == ""


# -- values of the wrong kind ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('typ: fritext}', 'typ: ja/nej}',
         "- rad 16: fråga nr 4 (f1): 'typ' ska vara en av skala, janej, enval, flerval, numerisk, fritext, fick 'ja/nej'; "
         "menade du 'janej'?"),
        ("omvand: true", "omvand: kanske", "- rad 15: fråga nr 3 (q3): 'omvand' ska vara true eller false (ja eller nej), fick 'kanske'"),
        ("  saknas: [Vet ej]", "  saknas: {Vet ej: 1}",
         "- rad 6: 'saknas' under 'skala' ska vara en lista med svar, t.ex. [Vet ej, Ej aktuellt], fick nycklar med värden"),
        ("index:\n  a: Index A", "index: [a]", "- rad 10: 'index' ska vara nycklar som installning: Inställning till samverkan, fick en lista"),
        ('{id: q2, text: "Fråga två", index: a}', 'nej',
         "- rad 14: fråga nr 2 ska vara en fråga med nycklarna id och text, t.ex. - {id: q01, text: \"…\"}, fick 'nej'"),
        ('{id: q2, text: "Fråga två", index: a}', '{id: q2, index: a}', "- rad 14: fråga nr 2 (q2) saknar 'text'"),
        ("id: mini", "id: ''", "- rad 1: 'id' ska vara ett id, t.ex. samverkan, fick ''"),
        ("id: mini\n", "", "- nyckeln 'id' saknas (t.ex. id: samverkan)"),
        ("  positiva: [4, 5]", "  positiva: []", "- rad 5: 'positiva' under 'skala' får inte vara tom"),
        ("  positiva: [4, 5]", "  positiva: [4, bra]",
         "- rad 5: 'positiva' nr 2 under 'skala' ska vara ett skalvärde eller ett villkor som \">= 7\", fick 'bra'"),
    ],
)  # fmt: skip
def test_a_value_of_the_wrong_kind_is_one_error_naming_line_and_key(tmp_path, old, new, message):
    assert old in MINI_INSTRUMENT
    assert problem_lines(tmp_path, MINI_INSTRUMENT.replace(old, new)) == [message]


def test_a_problem_the_schema_finds_is_not_reported_again_by_the_later_checks(tmp_path):
    # the scale value 'x', the alias list and the unclear flag each once; the rest of the file is still checked
    text = (
        MINI_INSTRUMENT.replace("5: Instämmer helt}", "x: Instämmer helt}")
        .replace("  saknas: [Vet ej]", "  saknas: [Vet ej]\n  alias: [Absolut]")
        .replace("omvand: true", "omvand: 1")
        .replace("index: a, omvand", "index: b, omvand")
    )
    assert problem_lines(tmp_path, text) == [
        "- rad 4: 'varden' under 'skala': skalvärdet ska vara ett heltal, fick 'x'",
        "- rad 7: 'alias' under 'skala' ska vara etikett: skalvärde, fick en lista",
        "- rad 16: fråga nr 3 (q3): 'omvand' ska vara true eller false (ja eller nej), fick '1'",
        "- rad 16: fråga nr 3 (q3) hör till indexet 'b', som inte finns under 'index'",
    ]


def test_empty_optional_values_count_as_not_given(tmp_path):
    text = (
        "id: tomt\nnamn:\nversion:\nskala:\n  varden: {1: Nej, 2: Ja}\n  positiva:\n  saknas:\n  alias:\nbakgrund:\nindex:\n"
        "fragor:\n  - {id: q1, text: T, typ:, omvand:, index:, skala:}\n"
    )
    path = tmp_path / "tomt.yaml"
    path.write_text(text, encoding="utf-8")
    inst = load_instrument(path)
    assert inst.name == "tomt" and inst.scale.positive == {2} and inst.question("q1").kind == "skala" and not inst.question("q1").reverse


def test_flagged_values_are_kept_in_place_as_invalid_and_unknown_keys_left_out():
    data = {"id": "x", "skala": {"varden": {1: "a", "x": "b"}, "positva": 1}, "fragor": ["nej", {"id": "q2", "text": "T", "omvand": 3}]}
    found = LocatedProblems({})
    checked = check_schema(data, found)
    assert checked["skala"] == {"varden": {"1": "a"}} and checked["fragor"][0] is INVALID and checked["fragor"][1]["omvand"] is INVALID
    assert found.flagged(("skala", "varden")) and found.flagged(("fragor",)) and not found.flagged(("id",))


def test_problems_are_listed_in_line_order_with_whole_file_problems_first(tmp_path):
    text = MINI_INSTRUMENT.replace("id: mini\n", "").replace("omvand: true", "omvänd: true").replace("  positiva: [4, 5]", "  positva: [4, 5]")
    lines = problem_lines(tmp_path, text)
    assert lines[0] == "- nyckeln 'id' saknas (t.ex. id: samverkan)"
    numbers = [int(re.match(r"- rad (\d+):", line).group(1)) for line in lines[1:]]
    assert numbers == sorted(numbers) == [4, 14]


# -- the schema line for editors ---------------------------------------------------------------------------


def test_the_written_instrument_points_editors_at_the_installed_schema():
    text = builtin_instrument_text("samverkan")
    first, rest = text.split("\n", 1)
    assert first == f"# yaml-language-server: $schema={schema_uri()}" and schema_uri().startswith("file://")
    assert "$schema=" not in rest and rest.startswith("# Standardinstrument")
    assert parse_yaml(text, "x", InstrumentError) == yaml.safe_load(SHIPPED)
    shipped = SHIPPED.splitlines()[0]
    assert shipped == "# yaml-language-server: $schema=../instrument.schema.json"  # resolves beside the package's own file


def test_schema_line_replaces_an_old_one_and_keeps_the_rest():
    assert schema_line("# yaml-language-server: $schema=gammal.json\nid: x\n", "ny.json") == "# yaml-language-server: $schema=ny.json\nid: x\n"
    assert schema_line("# kommentar\nid: x\n", "s.json") == "# yaml-language-server: $schema=s.json\n# kommentar\nid: x\n"


def test_docs_describe_every_key_of_the_schema_and_their_example_loads(tmp_path):
    docs = DOCS.read_text(encoding="utf-8")
    keys: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            keys.update(node.get("properties", {}))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema())
    missing = sorted(k for k in keys if f"`{k}`" not in docs and f"`{k}:" not in docs)
    assert missing == []
    for kind in schema()["definitions"]["fraga"]["properties"]["typ"]["enum"]:
        assert kind is None or f"### typ: {kind}" in docs
    example = docs.split("## Ett fullständigt exempel", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "exempel.yaml"
    path.write_text(example, encoding="utf-8")
    assert len(load_instrument(path).questions) == 11


# -- the command line --------------------------------------------------------------------------------------


def test_validate_with_a_bad_instrument_exits_1_with_the_swedish_error_and_no_traceback(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(MINI_INSTRUMENT.replace("omvand: true", "omvänd: true"), encoding="utf-8")
    answers = write_csv(tmp_path / "x.csv", [["AF", "", 4, 4, 2, ""]])
    result = CliRunner().invoke(cli, ["validate", str(answers), "--instrument", str(bad)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"Instrumentfilen {bad} har 1 problem:" in result.output
    assert "- rad 15: okänd nyckel 'omvänd' i fråga nr 3 (q3); menade du 'omvand'?" in result.output


def test_instrument_command_prints_the_schema_on_request():
    result = CliRunner().invoke(cli, ["instrument", "--schema"])
    assert result.exit_code == 0 and json.loads(result.output) == schema()
    result = CliRunner().invoke(cli, ["instrument", "samverkan"])
    assert result.exit_code == 0 and result.output.startswith("# yaml-language-server: $schema=file://")
