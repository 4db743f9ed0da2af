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
