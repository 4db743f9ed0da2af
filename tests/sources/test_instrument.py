from pathlib import Path

import pytest

from slutrapport.core.errors import InstrumentError
from slutrapport.sources.survey.instrument import builtin_instruments, load_instrument


def test_default_instrument_covers_the_domain_dimensions():
    inst = load_instrument("samverkan")
    assert "samverkan" in builtin_instruments()
    expected = {
        "installning", "aktivitet", "kunskap", "effektivitet", "natverk", "nytta",
        "samarbetsformaga", "forandring", "forbattring", "styrning", "struktur", "samsyn",
    }
    assert set(inst.indices) == expected
    for index_id in inst.indices:
        assert 3 <= len(inst.index_items(index_id)) <= 4, index_id
    assert inst.background == {"organisation": "Vilken organisation arbetar du i?", "kod": "Din personliga kod"}
    assert inst.scale.positive == {4, 5} and inst.scale.positive_threshold == 4
    assert any(q.reverse for q in inst.scale_questions)
    assert len(inst.freetext_questions) >= 1


def test_custom_instrument_file(mini_instrument: Path):
    inst = load_instrument(mini_instrument)
    assert inst.id == "mini"
    assert [q.id for q in inst.index_items("a")] == ["q1", "q2", "q3"]
    assert inst.question("q3").reverse


def test_bad_instrument_lists_every_problem(tmp_path: Path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        """
id: bad
skala:
  varden: {1: Nej, 2: Ja}
  positiva: [3]
index:
  a: A
fragor:
  - {id: q1, text: Ett, index: b}
  - {id: q1, text: Två}
  - {id: q3}
""",
        encoding="utf-8",
    )
    with pytest.raises(InstrumentError) as info:
        load_instrument(path)
    message = str(info.value)
    assert str(path) in message
    assert "'positiva' innehåller värden som inte finns i skalan: [3]" in message
    assert "indexet 'b'" in message
    assert "id 'q1' används av flera frågor" in message
    assert "saknar 'text'" in message
    assert "indexet 'a' har inga frågor" in message


def test_unknown_instrument_and_bad_yaml(tmp_path: Path):
    with pytest.raises(InstrumentError, match="finns inte"):
        load_instrument("finns-inte")
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: x\nskala: [1, 2\n", encoding="utf-8")
    with pytest.raises(InstrumentError, match="inte giltig YAML"):
        load_instrument(broken)


@pytest.mark.parametrize(
    ("written", "reverse"),
    [("true", True), ("false", False), ("ja", True), ("nej", False), ('"false"', False), ('"Ja"', True), ("", False)],
)
def test_omvand_is_read_as_a_yes_or_no_never_by_truthiness(tmp_path: Path, mini_instrument: Path, written, reverse):
    # bool("false") is True: a string flag once reversed the item (index mean 4,55 → 3,47, no warning)
    text = mini_instrument.read_text(encoding="utf-8").replace("omvand: true", f"omvand: {written}" if written else "omvand:")
    path = tmp_path / "flagga.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_instrument(path).question("q3").reverse is reverse


@pytest.mark.parametrize("written", ['"0"', "1", "kanske", "[true]"])
def test_an_unclear_omvand_is_an_error_naming_the_question(tmp_path: Path, mini_instrument: Path, written):
    path = tmp_path / "flagga.yaml"
    path.write_text(mini_instrument.read_text(encoding="utf-8").replace("omvand: true", f"omvand: {written}"), encoding="utf-8")
    with pytest.raises(InstrumentError, match=r"q3.*'omvand' ska vara true eller false \(ja eller nej\)"):
        load_instrument(path)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("saknas: [Vet ej]", "saknas: [Vet ej, Instämmer delvis]", "'saknas' innehåller 'Instämmer delvis', som är skalans värde 3"),
        ("saknas: [Vet ej]", "saknas: [Vet ej, '3']", "'saknas' innehåller '3', som är skalans värde 3"),
        (
            "saknas: [Vet ej]",
            "saknas: [Vet ej]\n  alias: {instämmer helt: 1}",
            "aliaset 'instämmer helt' pekar på 1, men 'instämmer helt' är redan skalans värde 5",
        ),
    ],
)
def test_an_alias_or_missing_word_that_is_a_scale_label_is_an_error(tmp_path: Path, mini_instrument: Path, old, new, message):
    # both would change every mean without a word: answers read as missing, or as another value
    text = mini_instrument.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "krock.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(InstrumentError) as info:
        load_instrument(path)
    assert message in str(info.value)


def test_an_alias_to_the_same_value_as_its_label_is_harmless(tmp_path: Path, mini_instrument: Path):
    path = tmp_path / "samma.yaml"
    text = mini_instrument.read_text(encoding="utf-8").replace("saknas: [Vet ej]", "saknas: [Vet ej]\n  alias: {INSTÄMMER HELT: 5}")
    path.write_text(text, encoding="utf-8")
    assert load_instrument(path).scale.aliases == {"INSTÄMMER HELT": 5}
