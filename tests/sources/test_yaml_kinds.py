"""Form definitions, the socio-economic parameter file and YAML budget rows against their JSON Schemas, and the shared machinery."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
import yaml
from click.testing import CliRunner
from jsonschema import Draft7Validator

from slutrapport.cli import cli
from slutrapport.core.errors import ProjectError, ValidationError
from slutrapport.core.yamlfile import key_lines, parse_yaml
from slutrapport.core.yamlschema import INVALID, LocatedProblems, Namer, UserSchema, canonical_keys, did_you_mean
from slutrapport.sources.definitions import ID_HINT
from slutrapport.sources.economy.budget import MoneyError, parse_money, read_budget
from slutrapport.sources.economy.parameter_schema import ACTORS, PARAMETER_SCHEMA
from slutrapport.sources.economy.socioeconomic import read_parameters
from slutrapport.sources.economy.yaml_rows import ROW_SCHEMA
from slutrapport.sources.forms.definition import FORM_SCHEMA, FormDefinitionError, builtin_definition_text, load_definition
from slutrapport.sources.survey.columnmap import COLUMN_MAP_SCHEMA, load_column_map
from slutrapport.sources.survey.schema import SCHEMA as INSTRUMENT_SCHEMA
from tests.conftest import SAMPLES

ROOT = Path(__file__).resolve().parents[2]


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


FORM = """\
id: egen
namn: Eget formulär
version: 1
skala:
  varden: {1: Låg, 2: Mellan, 3: Hög}
  saknas: [Vet ej]
roller: [Projektledare, Styrgrupp]
tillfallen: [Start, Slut]
faser:
  - {id: start, namn: Start}
avsnitt:
  - id: syfte
    rubrik: Syfte
    upprepa_per_fas: false
    fragor:
      - {id: tydligt, text: "Är syftet tydligt?"}
      - {id: kommentar, typ: fritext, text: "Kommentar"}
"""

PARAMETERS = """\
exempel: true
avslutade: 10
projektkostnad: 1 050 000 kr
diskonteringsranta: 3,5 %
typfall:
  - namn: Försörjningsstöd
    fore: {kommunen: 100 000, FK: {kostnad: 5 000, intakt: 1 000}, individ: 90 000}
    efter:
      - {namn: Arbete, andel: 50 %, Kommun: 20 000, Övriga staten: {intäkt: 3 000}}
      - {namn: Oförändrat, andel: 0.5, som_fore: ja}
"""

BUDGET = """\
rader:
  - {kategori: Personal, period: 2025, budget: 100 000, utfall: 90 000}
  - {Kostnadsslag: Lokal, År: 2025, Budget enligt ansökan: 50 000, Utfall (tkr): 40}
"""


def form_problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "formular.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FormDefinitionError) as info:
        load_definition(path)
    assert str(info.value).startswith(f"Formulärdefinitionen {path} har ")
    return str(info.value).splitlines()[1:]


def report_rows(error: ValidationError) -> list[tuple]:
    """``(rad, kolumn, meddelande)`` of every error in the report."""
    return [(p.rad, p.kolumn, p.meddelande) for p in error.report.errors()]


def parameter_problems(tmp_path: Path, text: str) -> list[tuple]:
    path = tmp_path / "socioekonomi.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        read_parameters(path)
    assert str(info.value).startswith("Parameterfilen socioekonomi.yaml innehåller")
    return report_rows(info.value)


def budget_problems(tmp_path: Path, text: str) -> list[tuple]:
    path = tmp_path / "ekonomi.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        read_budget(path, ["Personal", "Lokal", "Övrigt"])
    assert str(info.value).startswith("Ekonomifilen ekonomi.yaml innehåller")
    return report_rows(info.value)


# -- the schemas and the valid files -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "found",
    [FORM_SCHEMA, PARAMETER_SCHEMA, ROW_SCHEMA, INSTRUMENT_SCHEMA, COLUMN_MAP_SCHEMA],
    ids=["formular", "socioekonomi", "budget", "instrument", "kolumner"],
)
def test_the_schemas_are_valid_draft_7_shipped_as_package_data(found):
    Draft7Validator.check_schema(found.mapping)
    assert json.loads(Path(unquote(urlparse(found.uri()).path)).read_text(encoding="utf-8")) == found.mapping


def test_the_parameter_schema_names_every_actor():
    definitions = PARAMETER_SCHEMA.mapping["definitions"]
    assert tuple(definitions["aktorer"]["properties"]) == (*ACTORS, "forsorjning", "resursforbrukning")  # or the method's inputs
    assert set(ACTORS) <= set(definitions["scenario"]["properties"])


def test_the_files_we_ship_load_as_before(tmp_path):
    definition = load_definition(None)
    assert definition.id == "sjalvvardering" and len(definition.sections) > 5
    text = builtin_definition_text()
    assert text.startswith(f"# yaml-language-server: $schema={FORM_SCHEMA.uri()}\n")
    assert (ROOT / "slutrapport" / "sources" / "forms" / "sjalvvardering.yaml").read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=formular.schema.json\n"
    )
    parameters = read_parameters(SAMPLES / "socioekonomi.yaml")
    assert parameters.example and [c.name for c in parameters.cases][0] == "Långtidsarbetslös med försörjningsstöd"
    for name, text in (("f.yaml", FORM), ("s.yaml", PARAMETERS), ("b.yaml", BUDGET)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert [q.id for q in load_definition(tmp_path / "f.yaml").questions] == ["tydligt", "kommentar"]
    read = read_parameters(tmp_path / "s.yaml")
    assert read.example and read.discount_rate == pytest.approx(0.035)
    assert read.cases[0].before == {**dict.fromkeys(ACTORS, 0.0), "kommun": 100_000.0, "Försäkringskassan": 4_000.0, "individen": -90_000.0}
    assert read.cases[0].after[0].amounts["övriga staten"] == -3_000.0 and read.cases[0].after[1].amounts == read.cases[0].before
    budget = read_budget(tmp_path / "b.yaml", ["Personal", "Lokal"])
    assert budget.table[["kategori", "budget", "utfall"]].values.tolist() == [["Personal", 100_000.0, 90_000.0], ["Lokal", 50_000.0, 40_000.0]]


def test_budget_rows_inline_in_the_project_are_checked_with_the_lines_of_projekt_yaml(tmp_path):
    project = tmp_path / "p"
    shutil.copytree(SAMPLES, project)
    config = project / "projekt.yaml"
    rows = "ekonomi:\n  rader:\n    - {kategori: Personal, budget: 100, utfall: .inf}\n    - {kategori: Lokal, budgett: 1, utfall: 2}\n"
    config.write_text(config.read_text(encoding="utf-8").replace("ekonomi:\n  fil: ekonomi.xlsx\n", rows), encoding="utf-8")
    result = run("validate", project)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "projekt.yaml" in result.output and "'.inf'" in result.output and "'budgett'" in result.output
    lines = [line for line in result.output.splitlines() if "ska vara ett belopp i kronor under 10^15" in line or "budgett" in line]
    assert len(lines) == 2, result.output


# -- form definitions --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("roller:", "rolller: [x]\nroller:", "- rad 7: okänd nyckel 'rolller'; menade du 'roller'?"),
        ("  saknas: [Vet ej]", "  saknas: [Vet ej]\n  positva: [3]", "- rad 7: okänd nyckel 'positva' under 'skala'; menade du 'positiva'?"),
        ("    rubrik: Syfte", "    rubrik: Syfte\n    beskrivnig: x", "- rad 14: okänd nyckel 'beskrivnig' i avsnitt nr 1 (syfte); menade du 'beskrivning'?"),
        ("{id: tydligt, text:", "{id: tydligt, txt: x, text:",
         "- rad 16: okänd nyckel 'txt' i fråga nr 1 (tydligt) i avsnitt nr 1 (syfte); menade du 'text'?"),
    ],
)  # fmt: skip
def test_form_a_misspelt_key_names_its_line_and_a_suggestion(tmp_path, old, new, message):
    assert old in FORM
    assert form_problems(tmp_path, FORM.replace(old, new)) == [message]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("roller: [Projektledare, Styrgrupp]", "roller: Projektledare", "- rad 7: 'roller' ska vara en lista med minst ett namn, fick 'Projektledare'"),
        ("typ: fritext", "typ: essä",
         "- rad 17: fråga nr 2 (kommentar) i avsnitt nr 1 (syfte): 'typ' ska vara en av skala, fritext, fick 'essä'"),
        ("  varden: {1: Låg, 2: Mellan, 3: Hög}", "  varden: {1: Låg, 2: Mellan, 2025-02-30: Hög}",
         "- rad 5: 'varden' under 'skala': skalvärdet ska vara ett heltal, fick '2025-02-30'"),
        ("version: 1", "version: .nan", "- rad 3: 'version' ska vara ett versionsnummer, t.ex. 1, fick '.nan'"),
        ("upprepa_per_fas: false", "upprepa_per_fas: kanske",
         "- rad 14: avsnitt nr 1 (syfte): 'upprepa_per_fas' ska vara true eller false (ja eller nej), fick 'kanske'"),
    ],
)  # fmt: skip
def test_form_a_wrong_type_an_impossible_date_a_number_that_is_not_finite_or_a_bad_yes_or_no(tmp_path, old, new, message):
    assert old in FORM
    assert form_problems(tmp_path, FORM.replace(old, new)) == [message]


def test_form_problems_the_schema_finds_are_not_reported_again(tmp_path):
    text = FORM.replace("id: egen\n", "id: [egen]\n").replace("roller: [Projektledare, Styrgrupp]", "roller: [Projektledare, [x]]")
    assert form_problems(tmp_path, text) == [
        "- rad 1: 'id' ska vara ett id, t.ex. sjalvvardering, fick en lista",
        "- rad 7: 'roller' nr 2 ska vara ett namn, fick en lista",
    ]



@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("roller: [Projektledare, Styrgrupp]", "roller: [Projektledare, projektledare]", "- rad 7: 'roller' innehåller samma namn flera gånger: Projektledare"),
        ("tillfallen: [Start, Slut]", "tillfallen:\n  - Start\n  - ' '", "- rad 10: 'tillfallen' innehåller tomma namn"),
        ("  - {id: start, namn: Start}", "  - {id: start, namn: Start}\n  - {id: start, namn: Igen}", "- rad 11: samma fas-id används flera gånger: 'start'"),
        ("  - {id: start, namn: Start}", "  - {id: Start, namn: Start}", "- rad 10: fasens id 'Start' ska bestå av " + ID_HINT),
        ("  saknas: [Vet ej]", "  saknas: [Mellan]", "- rad 6: 'saknas' innehåller 'Mellan', som är skalans värde 2; ta bort det ur 'saknas'"),
        ("  saknas: [Vet ej]", "  saknas: [Vet ej]\n  positiva: [7]", "- rad 7: 'positiva' innehåller värden som inte finns i skalan: [7]"),
        ("  varden: {1: Låg, 2: Mellan, 3: Hög}", "  varden: {1: Låg, 3: Hög}", "- rad 5: skalans värden ska vara en obruten följd av heltal, fick [1, 3]"),
        ("    upprepa_per_fas: false", "    upprepa_per_fas: true", None),
        ("      - {id: kommentar,", "      - {id: tydligt,", "- rad 17: frågans id 'tydligt' används flera gånger"),
        ("      - {id: kommentar,", "      - {id: Kommentar,",
         "- rad 17: avsnitt nr 1 (syfte), fråga nr 2: id 'Kommentar' ska bestå av " + ID_HINT),
    ],
)  # fmt: skip
def test_form_problems_found_after_the_schema_name_their_line(tmp_path, old, new, message):
    assert old in FORM
    if message is None:  # a valid change: the definition loads
        path = tmp_path / "formular.yaml"
        path.write_text(FORM.replace(old, new), encoding="utf-8")
        assert load_definition(path).id == "egen"
        return
    assert form_problems(tmp_path, FORM.replace(old, new)) == [message]


def test_form_problems_after_the_schema_of_a_second_section_name_its_lines(tmp_path):
    text = FORM + "  - id: syfte\n    rubrik: ''\n    fragor:\n      - {id: tydligt, text: x}\n      - {id: ny, text: ''}\n"
    assert form_problems(tmp_path, text) == [
        "- rad 18: avsnittets id 'syfte' används flera gånger",
        "- rad 18: avsnitt nr 2 (syfte) saknar 'rubrik'",
        "- rad 21: frågans id 'tydligt' används flera gånger",
        "- rad 22: avsnitt nr 2 (syfte), fråga nr 2 saknar 'text'",
    ]


# -- the socio-economic parameter file ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("avslutade: 10", "avslutade: 10\nprojektkostand: 3", (3, "projektkostand", "okänd nyckel 'projektkostand'; menade du 'projektkostnad'?")),
        ("FK: {", "Polisen: 1, FK: {",
         (7, "typfall 1 (Försörjningsstöd) › fore › Polisen",
          "okänd aktör 'Polisen' (tillåtna: kommun, region, Försäkringskassan, Arbetsförmedlingen, övriga staten, individen, "
          "forsorjning, resursforbrukning)")),
        ("{intäkt: 3 000}", "{intäkt: 3 000, skatt: 1}",
         (9, "typfall 1 (Försörjningsstöd) › efter › Arbete › Övriga staten › skatt", "okänd nyckel 'skatt' (tillåtna: kostnad, intakt)")),
        ("som_fore: ja", "som_fre: ja", (10, "typfall 1 (Försörjningsstöd) › efter › Oförändrat › som_fre",
                                        "okänd aktör eller nyckel 'som_fre'; menade du 'som_fore'?")),
    ],
)  # fmt: skip
def test_parameters_a_misspelt_key_names_its_line_and_a_suggestion(tmp_path, old, new, expected):
    assert old in PARAMETERS
    assert expected in parameter_problems(tmp_path, PARAMETERS.replace(old, new))


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("exempel: true", "exempel: 1", (1, "exempel", "ska vara true eller false (ja eller nej), fick '1'")),
        ("som_fore: ja", "som_fore: kanske",
         (10, "typfall 1 (Försörjningsstöd) › efter › Oförändrat › som_fore", "ska vara true eller false (ja eller nej), fick 'kanske'")),
        ("individ: 90 000", "individ: [90 000]",
         (7, "typfall 1 (Försörjningsstöd) › fore › individ", "ska vara ett belopp i kronor under 10^15 eller {inkomst: …, kostnad: …}, fick en lista")),
        ("projektkostnad: 1 050 000 kr", "projektkostnad: 1.0e+16",
         (3, "projektkostnad", "ska vara ett belopp i kronor under 10^15, t.ex. 3 966 250, fick '1e+16'")),
        ("projektkostnad: 1 050 000 kr", "projektkostnad: .inf",
         (3, "projektkostnad", "ska vara ett belopp i kronor under 10^15, t.ex. 3 966 250, fick '.inf'")),
        ("avslutade: 10", "avslutade: 2025-13-01", (2, "avslutade", "avslutade ska vara ett heltal från 0 till 1000000 (antal avslutade deltagare)")),
        ("avslutade: 10", "avslutade: '1e20'", (2, "avslutade", "avslutade ska vara ett heltal från 0 till 1000000 (antal avslutade deltagare)")),
        ("andel: 0.5,", "andel: 1.5,", (10, "typfall 1 (Försörjningsstöd) › efter › Oförändrat › andel",
                                         "andelen ska vara mellan 0 och 1 (t.ex. 0,35 eller 35 %), fick '1.5'")),
        ("diskonteringsranta: 3,5 %", "diskonteringsranta: .nan",
         (4, "diskonteringsranta", "diskonteringsranta ska vara en andel mellan 0 och 1 (t.ex. 0,035 eller 3,5 %), fick '.nan'")),
    ],
)  # fmt: skip
def test_parameters_a_wrong_type_an_impossible_date_a_huge_number_or_a_bad_yes_or_no(tmp_path, old, new, expected):
    assert old in PARAMETERS
    problems = parameter_problems(tmp_path, PARAMETERS.replace(old, new))
    assert problems == [expected]


def test_parameters_a_huge_amount_written_as_text_is_an_error(tmp_path):
    problems = parameter_problems(tmp_path, PARAMETERS.replace("kommunen: 100 000", "kommunen: 9 999 999 999 999 999 kr"))
    assert problems == [(7, "typfall 1 (Försörjningsstöd) › fore › kommunen",
                         "är orimligt stort för ett belopp i kronor (högst 10^15 kr); står det två tal i cellen?")]  # fmt: skip


# -- YAML budget rows --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("rader:", "rad: []\nrader:", (1, "rad", "okänd nyckel 'rad'; menade du 'rader'?")),
        ("utfall: 90 000}", "utfal: 90 000}", (2, "utfal", "okänd nyckel 'utfal'; menade du 'utfall'?")),
        ("budget: 100 000", "budget: [100 000]", (2, "budget", "ska vara ett belopp i kronor under 10^15, t.ex. 1 200 000, fick en lista")),
        ("budget: 100 000", "budget: .inf", (2, "budget", "ska vara ett belopp i kronor under 10^15, t.ex. 1 200 000, fick '.inf'")),
        ("Budget enligt ansökan: 50 000", "Budget enligt ansökan: 1.0e+15",
         (3, "Budget enligt ansökan", "ska vara ett belopp i kronor under 10^15, t.ex. 1 200 000, fick '1000000000000000.0'")),
        ("budget: 100 000", "budget: 2025-02-30", (2, "budget", "kan inte läsas som ett belopp i kronor (skriv t.ex. 1 234 567 eller 1 234 567 kr)")),
        ("Utfall (tkr): 40", "Utfall (tkr): 9 999 999 999 999",
         (3, "Utfall (tkr)", "är orimligt stort för ett belopp i kronor (högst 10^15 kr); står det två tal i cellen?")),
    ],
)  # fmt: skip
def test_budget_rows_a_misspelt_key_a_wrong_type_an_impossible_date_or_a_huge_number(tmp_path, old, new, expected):
    assert old in BUDGET
    assert budget_problems(tmp_path, BUDGET.replace(old, new)) == [expected]


# -- the shared machinery ----------------------------------------------------------------------------------


def test_an_impossible_yaml_date_is_read_as_its_text_not_a_crash():
    data = parse_yaml("a: 2025-02-30\nb: 2025-13-01\nc: 2025-03-01\n", "x", ProjectError)
    assert data["a"] == "2025-02-30" and data["b"] == "2025-13-01" and str(data["c"]) == "2025-03-01"
    assert key_lines("a: 2025-02-30\nb: 1\n") == {(): 1, ("a",): 1, ("b",): 2}


def test_money_must_be_finite_and_below_10_to_the_15():
    assert parse_money(999_999_999_999_999) == 999_999_999_999_999
    for value in (1e15, -1e15, math.inf, math.nan, "1 000 000 000 000 000", "1 000 000 000 000 mkr"):
        with pytest.raises(MoneyError):
            parse_money(value)


def test_a_number_in_a_schema_is_finite_and_dates_must_exist(tmp_path):
    (tmp_path / "s.json").write_text(
        json.dumps({"type": "object", "properties": {"n": {"type": "number"}, "d": {"type": "string", "format": "date"},
                                                     "t": {"type": "string", "format": "datum"}}}),  # fmt: skip
        encoding="utf-8",
    )
    schema = UserSchema.__new__(UserSchema)
    schema.package, schema.name, schema.namer = "", "s.json", Namer()
    schema.__dict__["mapping"] = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))

    def problems(data: dict) -> list[str]:
        found = LocatedProblems({})
        schema.check(data, found)
        return found.messages()

    assert problems({"n": 1.5, "d": "2024-02-29", "t": "1 mars 2025"}) == []
    assert problems({"n": math.inf}) == ["'n' ska vara ett tal, fick '.inf'"]
    assert problems({"n": math.nan}) == ["'n' ska vara ett tal, fick '.nan'"]
    assert problems({"d": "2025-02-29"}) == ["'d' ska vara ett datum som finns, skrivet ÅÅÅÅ-MM-DD, fick '2025-02-29'"]
    assert problems({"d": "20250101"}) == ["'d' ska vara ett datum som finns, skrivet ÅÅÅÅ-MM-DD, fick '20250101'"]
    assert problems({"t": "2025/02/30"}) == ["'t' ska vara ett datum som finns, skrivet ÅÅÅÅ-MM-DD, fick '2025/02/30'"]


def test_keys_written_several_ways_are_checked_in_one_spelling_and_collisions_listed():
    data = yaml.safe_load("A: 1\nlista:\n  - {B: 2, b: 3}\n")
    renamed = canonical_keys(data, key_lines("A: 1\nlista:\n  - {B: 2, b: 3}\n"), lambda path, key: key.lower())
    assert renamed.data == {"a": 1, "lista": [{"b": 2}]}
    assert renamed.lines[("lista", 0, "b")] == 3 and renamed.raw_path(("lista", 0, "b")) == ("lista", 0, "B")
    assert renamed.collisions == [(("lista", 0), "b", "B", "b")]
    assert INVALID is not None and not INVALID
    assert did_you_mean("Diskonteringsränta", ["diskonteringsranta"]) == "; menade du 'diskonteringsranta'?"


# -- the column mapping (--map FIL) ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ['"Hur väl fungerar samarbetet?": q01\nOrg: organisation\n', 'kolumner:\n  "Hur väl fungerar samarbetet?": q01\n  Org: organisation\n'],
)
def test_column_map_rows_are_read_directly_or_under_kolumner(tmp_path, text):
    path = tmp_path / "kolumner.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_column_map(path) == {"Hur väl fungerar samarbetet?": "q01", "Org": "organisation"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kolumnr:\n  A: q01\n", ["- rad 1: okänd nyckel 'kolumnr'; menade du 'kolumner'?"]),
        ("kolumner:\n  A: q01\nextra: 1\n", ["- rad 3: okänd nyckel 'extra' (tillåtna: kolumner)"]),
        ("kolumner:\n  A: q01\n  B: [1]\n  C:\n", [
            "- rad 3: 'B' under 'kolumner' ska vara en frågas id, t.ex. q07, fick en lista",
            "- rad 4: 'C' under 'kolumner' ska vara en frågas id, t.ex. q07, fick ett tomt värde",
        ]),
        ('A: q01\n"": q02\nB: {x: 1}\nC: .nan\nD: " "\n', [
            "- rad 2: kolumnmappningen: rubriken får inte vara tom, fick ''",
            "- rad 3: 'B' ska vara en frågas id, t.ex. q07, fick nycklar med värden",
            "- rad 4: 'C' ska vara en frågas id, t.ex. q07, fick '.nan'",
            "- rad 5: 'D' ska vara en frågas id, t.ex. q07, fick ' '",
        ]),
        ("- A\n", ['- kolumnmappningen ska ha rader som "Rubrik i filen": q07 (eller kolumner: med sådana rader under), fick en lista']),
    ],
)  # fmt: skip
def test_column_map_problems_name_their_line_and_key(tmp_path, text, expected):
    path = tmp_path / "kolumner.yaml"
    path.write_text(text, encoding="utf-8")
    result = run("validate", SAMPLES / "enkater" / "enkat3.csv", "--instrument", "samverkan", "--map", path)
    assert result.exit_code == 1 and "oväntat" not in result.output and "Traceback" not in result.output
    assert result.output.splitlines() == [f"Fel: Kolumnmappningen {path} har {len(expected)} problem:", *expected]


def test_column_map_that_is_not_utf8_is_named(tmp_path):
    path = tmp_path / "kolumner.yaml"
    path.write_bytes("A: fråga".encode("cp1252"))
    result = run("validate", SAMPLES / "enkater" / "enkat3.csv", "--instrument", "samverkan", "--map", path)
    assert result.exit_code == 1 and f"Kolumnmappningen {path} är inte UTF-8-kodad text (byte 6)" in result.output


def test_form_definition_problems_reach_the_command_line_with_their_lines(tmp_path):
    path = tmp_path / "formular.yaml"
    path.write_text(FORM.replace("      - {id: kommentar,", "      - {id: tydligt,"), encoding="utf-8")
    result = run("form", "sjalvvardering", "--definition", path, "--out", tmp_path / "formular.xlsx")
    assert result.exit_code == 1 and "oväntat" not in result.output and "Traceback" not in result.output
    assert f"Formulärdefinitionen {path} har 1 problem:\n- rad 17: frågans id 'tydligt' används flera gånger" in result.output
    assert not (tmp_path / "formular.xlsx").exists()
