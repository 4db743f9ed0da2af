"""User YAML is read strictly: a key given twice or an alias is an error naming the file, row and column."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from slutrapport.cli import cli
from slutrapport.core.errors import ProjectError
from slutrapport.core.yamlfile import key_lines, parse_yaml, yaml_flag
from tests.conftest import SAMPLES


def test_plain_yaml_is_read_as_before():
    text = "projekt:\n  namn: Vägen framåt\nanonymitetsgrans: 5\nlista: [1, 2]\ntom:\n"
    assert parse_yaml(text, "projekt.yaml", ProjectError) == {
        "projekt": {"namn": "Vägen framåt"}, "anonymitetsgrans": 5, "lista": [1, 2], "tom": None,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("text", "where", "key"),
    [
        ("anonymitetsgrans: 5\nprojekt: {namn: A}\nanonymitetsgrans: 1\n", "rad 3, kolumn 1", "anonymitetsgrans"),
        ("personalenkat:\n  instrument: samverkan\n  instrument: eget.yaml\n", "rad 3, kolumn 3", "instrument"),
        ("a: {b: 1, b: 2}\n", "rad 1, kolumn 11", "b"),
    ],
)
def test_a_key_given_twice_is_an_error_not_the_last_value(text, where, key):
    with pytest.raises(ProjectError, match=f"projekt.yaml {where}: .*nyckeln '{key}' anges två gånger"):
        parse_yaml(text, "projekt.yaml", ProjectError)


def test_aliases_are_refused_so_an_alias_bomb_cannot_hang_or_exhaust_memory():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    )  # 9**9 values once expanded
    with pytest.raises(ProjectError, match=r"rad 2, kolumn \d+: .*aliaset \*a används"):
        parse_yaml(bomb, "projekt.yaml", ProjectError)


def test_key_lines_give_the_line_of_every_key_and_list_item_by_its_path():
    text = "# kommentar\nid: x\nskala:\n  varden: {1: a,\n    2: b}\nfragor:\n  - {id: q1, text: T}\n  - id: q2\n\n    omvand: ja\n"
    lines = key_lines(text)
    assert lines[("id",)] == 2 and lines[("skala", "varden")] == 4 and lines[("skala", "varden", "1")] == 4
    assert lines[("skala", "varden", "2")] == 5  # keys as str() of the value read: 1: is "1"
    assert lines[("fragor", 0)] == 7 and lines[("fragor", 0, "text")] == 7 and lines[("fragor", 1)] == 8
    assert lines[("fragor", 1, "omvand")] == 10
    assert key_lines("") == {} and key_lines("a: [x\n") == {}


@pytest.mark.parametrize(("value", "expected"), [(True, True), (False, False), ("ja", True), ("NEJ", False), ("false", False), (None, False)])
def test_yes_or_no_settings(value, expected):
    problems: list[str] = []
    assert yaml_flag(value, False, "omvand", problems) is expected and problems == []


@pytest.mark.parametrize("value", ["0", 1, 0.0, "kanske", [True]])
def test_an_unclear_yes_or_no_is_a_problem(value):
    problems: list[str] = []
    assert yaml_flag(value, False, "fråga q3: 'omvand'", problems) is False
    assert problems == [f"fråga q3: 'omvand' ska vara true eller false (ja eller nej), fick '{value}'"]


def test_build_refuses_a_project_whose_threshold_is_given_twice(tmp_path):
    project = tmp_path / "p"
    shutil.copytree(SAMPLES, project)
    config = project / "projekt.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "\nanonymitetsgrans: 1\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(project), "--out", str(tmp_path / "ut")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "anonymitetsgrans' anges två gånger" in result.output and "projekt.yaml" in result.output
    assert not (tmp_path / "ut").exists()


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("personalenkat:", "personalenkaet:", "okänd nyckel 'personalenkaet'; menade du 'personalenkat'?"),
        ("  enkater:", "  enkatr:", "okänd nyckel 'enkatr' under 'personalenkat'; menade du 'enkater'?"),
        ("anonymitetsgrans: 5", "anonymitetsgräns: 5", "okänd nyckel 'anonymitetsgräns'; menade du 'anonymitetsgrans'?"),
        ("  enkater:", "  enkater:\n  kolumn: {}\n  enkatr:", "okänd nyckel 'kolumn' under 'personalenkat'; menade du 'kolumner'?"),
    ],
)
def test_a_misspelt_key_in_projekt_yaml_is_named_instead_of_leaving_data_out(tmp_path, old, new, message):
    from slutrapport.project.folder import load_project

    project = tmp_path / "p"
    shutil.copytree(SAMPLES, project)
    config = project / "projekt.yaml"
    text = config.read_text(encoding="utf-8")
    assert old in text
    config.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ProjectError) as info:
        load_project(project)
    assert message in str(info.value)


# ---------------------------------------------------------------- tags, merge keys and PyYAML's own messages in Swedish


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("anonymitetsgrans: !!set 5\n", "rad 1, kolumn 19", "taggen '!!set' stöds inte"),
        ("x: !!map abc\n", "rad 1, kolumn 4", "taggen '!!map' hör till nycklar med värden men står på ett enskilt värde"),
        ("x:\n  - !!seq abc\n", "rad 2, kolumn 5", "taggen '!!seq' hör till en lista men står på ett enskilt värde"),
        ("x: !!str [1]\n", "rad 1, kolumn 4", "taggen '!!str' hör till ett enskilt värde men står på en lista"),
        ("x: !!bool maybe\n", "rad 1, kolumn 4", "värdet 'maybe' kan inte läsas som !!bool (true eller false)"),
        ("x: !!bool\n", "rad 1, kolumn 4", "värdet '' kan inte läsas som !!bool"),
        ("x: !!int abc\n", "rad 1, kolumn 4", "värdet 'abc' kan inte läsas som !!int (ett heltal)"),
        ("x: !!null abc\n", "rad 1, kolumn 4", "värdet 'abc' kan inte läsas som !!null"),
        ("x: !!binary aGVq\n", "rad 1, kolumn 4", "taggen '!!binary' stöds inte"),
        ("x: !!timestamp abc\n", "rad 1, kolumn 4", "taggen '!!timestamp' stöds inte"),
        ("x: !!omap [a: 1]\n", "rad 1, kolumn 4", "taggen '!!omap' stöds inte"),
        ("x: !!pairs [a: 1]\n", "rad 1, kolumn 4", "taggen '!!pairs' stöds inte"),
        ("x: !!set {a, b}\n", "rad 1, kolumn 4", "taggen '!!set' stöds inte"),
        ("x: !!python/object/apply:os.system [ls]\n", "rad 1, kolumn 4", "taggen '!!python/object/apply:os.system' stöds inte"),
        ("a: 1\nx: !foo bar\n", "rad 2, kolumn 4", "taggen '!foo' stöds inte"),
        ("a: 1\nc:\n  <<: {d: 1}\n", "rad 3, kolumn 3", "sammanslagningsnyckeln '<<' används"),
    ],
)
def test_a_tag_that_is_not_a_plain_one_on_its_own_kind_is_a_swedish_error(text, where, message):
    with pytest.raises(ProjectError) as info:
        parse_yaml(text, "projekt.yaml", ProjectError)
    assert str(info.value).startswith(f"projekt.yaml {where}: ") and message in str(info.value)


def test_plain_tags_on_their_own_kind_are_read_as_written():
    text = "a: !!str 5\nb: !!int '7'\nc: !!float 5\nd: !!bool true\ne: !!null\nf: !!seq [1]\ng: !!map {h: 1}\ni: ! x\nj: =\n"
    assert parse_yaml(text, "f.yaml", ProjectError) == {
        "a": "5", "b": 7, "c": 5.0, "d": True, "e": None, "f": [1], "g": {"h": 1}, "i": "x", "j": "=",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("a: 1\nb: ok\x07\n", "rad 2, kolumn 6", "styrtecknet U+0007 får inte finnas i en YAML-fil"),
        ("a: b: c\n", "rad 1, kolumn 5", "ett kolon (:) står där det inte får stå"),
        ("a:\n\tb: 1\n", "rad 2, kolumn 1", "ett tabbtecken står där det inte får stå; använd mellanslag"),
        ('a: 1\nb: "abc\nc: 1\n', "rad 4, kolumn 1", "ett citattecken är troligen inte avslutat (värdet börjar på rad 2)"),
        ("a: [1, 2\nb: 1\n", "rad 2, kolumn 2", "listan inom [ ] är inte avslutad"),
        ("a:\n  b: 1\n c: 2\n", "rad 3, kolumn 2", "indraget stämmer inte med raderna ovanför"),
        ('a: "\\q"\n', "rad 1, kolumn 6", "okänd kombination med omvänt snedstreck"),
        ("a: @x\n", "rad 1, kolumn 4", "tecknet '@' kan inte inleda ett värde"),
        ("a: 1\n---\nb: 2\n", "rad 2, kolumn 1", "filen innehåller flera dokument"),
        ("a: &x 1\nb: &x 2\n", "rad 2, kolumn 4", "samma ankare (&namn) anges två gånger"),
        ("? [a]\n: 1\n", "rad 1, kolumn 3", "en nyckel får inte vara en lista"),
    ],
)
def test_pyyaml_reading_errors_are_said_in_swedish_with_line_and_column(text, where, message):
    with pytest.raises(ProjectError) as info:
        parse_yaml(text, "projekt.yaml", ProjectError)
    said = str(info.value)
    assert said.startswith(f"projekt.yaml {where}: filen är inte giltig YAML (") and message in said
    assert not any(word in said for word in ("found", "expected", "allowed", "while ")), said


def test_an_error_pyyaml_words_otherwise_still_gets_a_swedish_message_with_its_line():
    import yaml

    from slutrapport.core.yamlerrors import yaml_problem

    error = yaml.MarkedYAMLError(problem="something new in PyYAML", problem_mark=yaml.Mark("x", 0, 4, 2, None, None))
    assert yaml_problem(error, "") == (" rad 5, kolumn 3", "filen kan inte läsas här; kontrollera indraget, kolon och citattecken på raden")


@pytest.mark.parametrize("value", ["1.0e+400", ".nan", "-.inf", "1" + "0" * 400])
def test_a_number_that_is_not_finite_is_refused_with_its_question_and_line(tmp_path, value):
    """Instrument ``min``/``max``: checked by the shared schema machinery, as every number of every user schema."""
    path = tmp_path / "eget.yaml"
    path.write_text(
        "id: eget\nnamn: Eget\nskala:\n  varden: {1: Aldrig, 2: Ibland, 3: Ofta}\nfragor:\n  - {id: q1, text: \"Hur ofta?\"}\n"
        f"  - id: n1\n    text: Antal\n    typ: numerisk\n    min: {value}\n    max: 10\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["validate", str(tmp_path / "svar.csv"), "--instrument", str(path)])
    assert result.exit_code == 1 and "oväntat" not in result.output and "Traceback" not in result.output
    assert str(path) in result.output and "rad 10: fråga nr 2 (n1): 'min' ska vara ett tal" in result.output


def test_a_tag_in_projekt_yaml_is_named_by_the_command_line(tmp_path):
    project = tmp_path / "p"
    shutil.copytree(SAMPLES, project)
    config = project / "projekt.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("anonymitetsgrans: 5", "anonymitetsgrans: !!set 5"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(project)])
    assert result.exit_code == 1 and "oväntat" not in result.output and "Traceback" not in result.output
    assert "projekt.yaml rad" in result.output and "taggen '!!set' stöds inte" in result.output


@pytest.mark.parametrize("written", ["2025-01-01 12:00:00", "2025-1-1 12:00:00", "2025-01-01T12:00:00+01:00", "2025-01-01 12:00:00.5Z"])
def test_a_date_with_a_time_is_echoed_as_written(tmp_path, written):
    """A period start with a time is refused (a date is wanted), with the value as the user wrote it, not as
    Python writes it (``'2025-01-01T12:00:00'``)."""
    from slutrapport.project.folder import load_project

    value = parse_yaml(f"start: {written}\n", "projekt.yaml", ProjectError)["start"]
    assert value.written == written and value.isoformat().startswith("2025-01-01T12:00")
    (tmp_path / "projekt.yaml").write_text(f"projekt:\n  namn: Test\n  period:\n    start: {written}\n    slut: 2026-06-30\n", encoding="utf-8")
    with pytest.raises(ProjectError) as info:
        load_project(tmp_path)
    assert f"rad 4: 'start' under 'projekt: period' ska vara ett datum som finns, skrivet ÅÅÅÅ-MM-DD, fick '{written}'" in str(info.value)
