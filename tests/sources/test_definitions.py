"""The one reader of YAML definitions: finding them, the scale block, collecting every problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from slutrapport.core.errors import InstrumentError
from slutrapport.sources import definitions
from slutrapport.sources.definitions import (
    DefinitionKind,
    Scale,
    block_list,
    block_mapping,
    builtin_ids,
    entries,
    load_yaml_definition,
    parse_scale,
    repeated,
    required_key,
    words,
)
from slutrapport.sources.forms.definition import FormDefinitionError, load_definition
from slutrapport.sources.survey.instrument import load_instrument

SCALE = "{varden: {1: Nej, 2: Kanske, 3: Ja}, positiva: [3], saknas: [Vet ej], alias: {Absolut: 3}}"
INSTRUMENT = "id: mini\nskala: {scale}\nindex: {{a: A}}\nfragor:\n  - {{id: q1, text: Fråga, index: a}}\n"
FORM = (
    "id: mini\nversion: 1\nskala: {scale}\nroller: [Projektledare]\ntillfallen: [Start]\n"
    "avsnitt:\n  - id: syfte\n    rubrik: Syfte\n    fragor:\n      - {{id: q1, text: Fråga}}\n"
)
KIND = DefinitionKind(
    error=InstrumentError,
    title="Testfilen",
    keys="id",
    package="slutrapport.sources.survey",
    folder="instruments",
    builtin_name="inbyggd test '{id}'",
    not_found="'{spec}' saknas{where} ({path}); inbyggda: {builtins}",
)


def both(tmp_path: Path, scale: str) -> tuple:
    """The instrument and the form definition with the same scale block: each the loaded value or the error."""
    out = []
    for name, text, load in (("instrument.yaml", INSTRUMENT, load_instrument), ("form.yaml", FORM, load_definition)):
        path = tmp_path / name
        path.write_text(text.format(scale=scale), encoding="utf-8")
        try:
            out.append(load(path))
        except InstrumentError as exc:  # FormDefinitionError is one too
            out.append(exc)
    return tuple(out)


def problem_lines(error: Exception) -> list[str]:
    return str(error).splitlines()[1:]


def take(data: dict, name: str, problems: list[str]) -> dict:
    """A parser that takes the mapping as it is."""
    return data


# -- the scale ---------------------------------------------------------------------------------------------


def test_a_scale_is_parsed_the_same_way_for_both_kinds(tmp_path):
    instrument, form = both(tmp_path, SCALE)
    assert instrument.scale == form.scale == Scale({1: "Nej", 2: "Kanske", 3: "Ja"}, frozenset({3}), ("Vet ej",), {"Absolut": 3})
    default_positive = both(tmp_path, "{varden: {1: a, 2: b, 3: c, 4: d, 5: e}}")
    assert [d.scale.positive for d in default_positive] == [{4, 5}, {4, 5}]


@pytest.mark.parametrize(
    "scale, problem, in_instrument",
    [
        ("{varden: {1: Nej, x: Ja}}", "- rad 3: 'varden' under 'skala': skalvärdet ska vara ett heltal, fick 'x'",
         "- rad 2: 'varden' under 'skala': skalvärdet ska vara ett heltal, fick 'x'"),
        ("{varden: {1: Nej, 2: Ja}, positiva: [3]}", "- rad 3: 'positiva' innehåller värden som inte finns i skalan: [3]",
         "- rad 2: 'positiva' innehåller värden som inte finns i skalan: [3]"),
        (
            "{varden: {1: Nej, 2: Ja}, positiva: [ja]}",
            "- rad 3: 'positiva' nr 1 under 'skala' ska vara ett skalvärde (ett heltal), fick 'ja'",
            """- rad 2: 'positiva' nr 1 under 'skala' ska vara ett skalvärde eller ett villkor som ">= 7", fick 'ja'""",
        ),
        ("{varden: {1: Nej, 2: Ja}, alias: {Absolut: 7}}", "- rad 3: aliaset 'Absolut' pekar på 7, som inte finns i skalan",
         "- rad 2: aliaset 'Absolut' pekar på 7, som inte finns i skalan"),
        (
            "{varden: {1: Nej, 2: Ja}, alias: [Absolut]}",
            "- rad 3: 'alias' under 'skala' ska vara etikett: skalvärde, fick en lista",
            "- rad 2: 'alias' under 'skala' ska vara etikett: skalvärde, fick en lista",
        ),
    ],
)
def test_a_bad_scale_gives_the_same_message_from_both_loaders(tmp_path, scale, problem, in_instrument):
    # both kinds check their shape with a schema, whose messages name the line and the key path (the form's scale is on line 3)
    instrument, form = both(tmp_path, scale)
    assert type(instrument) is InstrumentError and type(form) is FormDefinitionError
    assert problem_lines(form) == [problem]
    assert problem_lines(instrument) == [in_instrument or problem.replace("- ", "- rad 2: ", 1)]
    if in_instrument and in_instrument.startswith("- rad 2: '"):
        assert problem == in_instrument.replace("rad 2", "rad 3") or "positiva" in problem  # the same words where the scales agree


def test_a_missing_scale_shows_each_kinds_example(tmp_path):
    instrument, form = both(tmp_path, "{}")
    assert problem_lines(instrument) == [
        "- rad 2: 'skala' saknar 'varden' (t.ex. varden: {1: Instämmer inte alls, 2: Instämmer i liten grad, "
        "3: Instämmer delvis, 4: Instämmer i hög grad, 5: Instämmer helt})"
    ]
    assert problem_lines(form) == ["- rad 3: 'skala: varden:' saknas (t.ex. varden: {1: I mycket låg grad, …, 5: I mycket hög grad})"]


def test_a_complete_scale_needs_every_label_and_no_gaps():
    raw = {"varden": {1: "Nej", 2: None, 4: "Ja"}, "saknas": "Vet ej"}
    lenient: list[str] = []
    scale = parse_scale(raw, lenient, example="…")
    assert lenient == [] and scale == Scale({1: "Nej", 2: "", 4: "Ja"}, frozenset({4}), ("Vet ej",))
    strict: list[str] = []
    parse_scale(raw, strict, example="…", complete=True)
    assert strict == ["skalvärdet 2 saknar etikett", "skalans värden ska vara en obruten följd av heltal, fick [1, 2, 4]"]


def test_scale_stays_importable_where_it_was():
    from slutrapport.sources.survey import Scale as from_package
    from slutrapport.sources.survey.instrument import Scale as from_instrument

    assert from_package is from_instrument is definitions.Scale


# -- finding a definition ----------------------------------------------------------------------------------


def test_built_ins_are_the_yaml_files_shipped_in_the_package():
    assert builtin_ids(KIND) == ["samverkan"]
    assert builtin_ids(DefinitionKind(InstrumentError, "", "", "slutrapport.sources.forms", "", "", "")) == ["sjalvvardering"]


def test_a_built_in_is_found_by_id_or_as_the_default():
    assert load_yaml_definition(KIND, "samverkan", None, lambda data, name, problems: (data["id"], name)) == (
        "samverkan",
        "inbyggd test 'samverkan'",
    )
    assert load_yaml_definition(KIND, None, None, lambda data, name, problems: data["id"], default="samverkan") == "samverkan"


def test_a_path_is_resolved_against_the_base_folder_and_wins_over_a_built_in(tmp_path):
    (tmp_path / "egen.yaml").write_text("id: egen\n", encoding="utf-8")
    (tmp_path / "samverkan").write_text("id: en fil\n", encoding="utf-8")
    def read(data, name, problems):
        return data["id"], name

    assert load_yaml_definition(KIND, "egen.yaml", tmp_path, read) == ("egen", str(tmp_path / "egen.yaml"))
    assert load_yaml_definition(KIND, tmp_path / "egen.yaml", Path("/någon/annan"), read)[0] == "egen"
    assert load_yaml_definition(KIND, "samverkan", tmp_path, read) == ("en fil", str(tmp_path / "samverkan"))


def test_what_cannot_be_found_or_read_is_named(tmp_path):
    with pytest.raises(InstrumentError) as info:
        load_yaml_definition(KIND, "nej.yaml", tmp_path, take)
    assert str(info.value) == f"'nej.yaml' saknas i {tmp_path} ({tmp_path / 'nej.yaml'}); inbyggda: samverkan"
    (tmp_path / "binär.yaml").write_bytes(b"id: \xff\xfe\n")
    with pytest.raises(InstrumentError, match=r"^Testfilen .*binär.yaml kunde inte läsas: "):
        load_yaml_definition(KIND, tmp_path / "binär.yaml", None, take)
    (tmp_path / "lista.yaml").write_text("- id: x\n", encoding="utf-8")
    with pytest.raises(InstrumentError, match=r"lista.yaml ska innehålla nycklar \(id\)\.$"):
        load_yaml_definition(KIND, tmp_path / "lista.yaml", None, take)
    (tmp_path / "trasig.yaml").write_text("id: [x\n", encoding="utf-8")
    with pytest.raises(InstrumentError, match=r"^Testfilen .*trasig.yaml rad \d+, kolumn \d+: filen är inte giltig YAML"):
        load_yaml_definition(KIND, tmp_path / "trasig.yaml", None, take)


# -- collecting every problem ------------------------------------------------------------------------------


def test_every_problem_is_collected_then_raised_in_one_error(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("fragor: [{id: q1}, nej, {text: T}, {id: q1}]\n", encoding="utf-8")

    def parse(data, name, problems):
        required_key(data, "id", problems)
        for entry in entries(block_list(data.get("fragor"), problems, "inga frågor"), problems, "fråga", "id och text"):
            if repeated(entry.id, seen):
                problems.append(f"id '{entry.id}' igen")
            entry.text("text", problems)
        return "aldrig"

    seen: set[str] = set()
    with pytest.raises(InstrumentError) as info:
        load_yaml_definition(KIND, path, None, parse)
    assert str(info.value) == (
        f"Testfilen {path} har 6 problem:\n- nyckeln 'id' saknas\n- fråga nr 1 (q1) saknar 'text'\n"
        "- fråga nr 2 ska ha nycklarna id och text\n- fråga nr 3 saknar 'id'\n- id 'q1' igen\n- fråga nr 4 (q1) saknar 'text'"
    )


def test_both_loaders_report_every_problem_not_just_the_first(tmp_path):
    path = tmp_path / "form.yaml"
    path.write_text(
        FORM.format(scale="{varden: {1: a, 3: c}}").replace("version: 1\n", "").replace("[Start]", "[]").replace("{id: q1,", "{id: Q1,"),
        encoding="utf-8",
    )
    with pytest.raises(FormDefinitionError) as info:
        load_definition(path)
    assert problem_lines(info.value) == [
        "- nyckeln 'version' saknas (t.ex. version: 1; höj den när frågorna ändras)",
        "- rad 2: skalans värden ska vara en obruten följd av heltal, fick [1, 3]",
        "- rad 4: 'tillfallen' ska vara en lista med minst ett namn",
        f"- rad 9: avsnitt nr 1 (syfte), fråga nr 1: id 'Q1' ska bestå av {definitions.ID_HINT}",
    ]


def test_blocks_of_the_wrong_shape_are_problems_and_absent_ones_are_empty():
    problems: list[str] = []
    assert block_mapping(None, problems, "m") == {} and block_mapping({"a": 1}, problems, "m") == {"a": 1}
    assert block_list(None, problems, "l", optional=True) == [] and block_list([], problems, "l", optional=True) == []
    assert problems == []
    assert block_mapping(["a"], problems, "m") == {} and block_list({}, problems, "l") == [] and block_list(None, problems, "l2") == []
    assert block_list("x", problems, "l3", optional=True) == []
    assert problems == ["m", "l", "l2", "l3"]
    assert words("  två\n  rader ") == "två rader" and words(None) == ""
