"""Editing projekt.yaml in place (:mod:`slutrapport.core.yamledit`): comments, layout and user text kept."""

from __future__ import annotations

from datetime import date

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from slutrapport.core.errors import ProjectError
from slutrapport.core.yamledit import REWRITTEN_NOTE, Append, Move, Remove, Set, apply_edits, render_scalar
from slutrapport.core.yamlfile import parse_yaml

SAMPLE = """\
# Projektfil
projekt:
  namn: "Gammalt namn"        # visas överst
  period:
    start: 2025-01-01         # ÅÅÅÅ-MM-DD
    slut: 2025-12-31
  organisationer:             # parterna
    - AF
    - Soc
annat:
  namn: orörd                 # samma nyckel på annat ställe
personalenkat:
  instrument: samverkan
  enkater:
  #  - fil: enkater/exempel.csv
  # kommentar om kolumner
  kolumner:
"""


def _changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    return [(a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b]


# ---------------------------------------------------------------- set, append, remove, move


def test_set_scalar_keeps_comment_alignment_and_every_other_line():
    text, kept = apply_edits(SAMPLE, [Set(("projekt", "namn"), "Nytt namn")])
    assert kept
    assert _changed_lines(SAMPLE, text) == [('  namn: "Gammalt namn"        # visas överst', '  namn: "Nytt namn"           # visas överst')]
    assert yaml.safe_load(text)["annat"]["namn"] == "orörd"


def test_set_date_and_list_blocks():
    text, kept = apply_edits(
        SAMPLE, [Set(("projekt", "period", "start"), date(2024, 3, 1)), Set(("projekt", "organisationer"), ["AF", "Region"])]
    )
    assert kept
    data = yaml.safe_load(text)
    assert data["projekt"]["period"] == {"start": date(2024, 3, 1), "slut": date(2025, 12, 31)}
    assert data["projekt"]["organisationer"] == ["AF", "Region"]
    assert "  organisationer:             # parterna\n" in text and "    start: 2024-03-01         # ÅÅÅÅ-MM-DD\n" in text


def test_set_creates_missing_keys_in_place():
    text, kept = apply_edits(SAMPLE, [Set(("personalenkat", "alias"), {"Stämmer helt": 5}), Set(("ny", "del", "nyckel"), "x")])
    assert kept
    data = yaml.safe_load(text)
    assert data["personalenkat"]["alias"] == {"Stämmer helt": 5}
    assert data["ny"] == {"del": {"nyckel": "x"}}
    assert text.index("  alias:") > text.index("  kolumner:")
    assert text.startswith("# Projektfil\n")


def test_set_mapping_under_an_empty_key():
    text, kept = apply_edits(SAMPLE, [Set(("personalenkat", "kolumner"), {"Rubrik: med kolon # och hash": "q07"})])
    assert kept
    assert yaml.safe_load(text)["personalenkat"]["kolumner"] == {"Rubrik: med kolon # och hash": "q07"}


def test_append_to_a_sequence_with_commented_examples_then_edit_and_remove():
    first = {"fil": "enkater/a.csv", "etikett": "Enkät 1"}
    second = {"fil": "enkater/b.csv", "etikett": "Enkät 2", "datum": date(2025, 9, 1)}
    text, kept = apply_edits(
        SAMPLE,
        [Append(("personalenkat", "enkater"), first, "uppladdad som: a.csv"), Append(("personalenkat", "enkater"), second)],
    )
    assert kept
    assert '    - fil: "enkater/a.csv"  # uppladdad som: a.csv\n      etikett: "Enkät 1"\n' in text
    assert "  #  - fil: enkater/exempel.csv\n" in text and "  # kommentar om kolumner\n" in text
    assert yaml.safe_load(text)["personalenkat"]["enkater"] == [first, second]
    text, kept = apply_edits(text, [Set(("personalenkat", "enkater", 1, "etikett"), "Mitten"), Set(("personalenkat", "enkater", 0, "datum"), date(2025, 3, 1))])
    assert kept
    waves = yaml.safe_load(text)["personalenkat"]["enkater"]
    assert [w["etikett"] for w in waves] == ["Enkät 1", "Mitten"] and waves[0]["datum"] == date(2025, 3, 1)
    text, kept = apply_edits(text, [Remove(("personalenkat", "enkater", 0))])
    assert kept and [w["fil"] for w in yaml.safe_load(text)["personalenkat"]["enkater"]] == ["enkater/b.csv"]
    text, kept = apply_edits(text, [Remove(("personalenkat", "enkater", 0))])
    assert kept and yaml.safe_load(text)["personalenkat"]["enkater"] is None
    assert "# uppladdad som: a.csv" not in text


def test_flow_style_falls_back_to_a_full_rewrite_with_a_note():
    text, kept = apply_edits("projekt: {namn: A, projektagare: B}\nmall: rar-slutrapport\n", [Set(("projekt", "namn"), "C")])
    assert not kept
    assert text.startswith(REWRITTEN_NOTE)
    assert yaml.safe_load(text) == {"projekt": {"namn": "C", "projektagare": "B"}, "mall": "rar-slutrapport"}


def test_windows_line_endings_stay():
    text, kept = apply_edits(SAMPLE.replace("\n", "\r\n"), [Set(("projekt", "namn"), "X")])
    assert kept and text.count("\r\n") == SAMPLE.count("\n") and "\n" not in text.replace("\r\n", "")


HOSTILE = ["- lista", "*alias", "&ankare", "!!python/object:os.system", "a: b", "# inte kommentar", "rad ett\nrad två",
           "'enkel' och \"dubbel\"", "yes", "null", "2025-01-01", "0x1F", "=SUMMA(A1)", "tab\there", "\u2028", "\x85", "\ufeff", "\x7f\x9f", "😀", ""]


@pytest.mark.parametrize("value", HOSTILE)
def test_user_text_is_always_a_string(value):
    text, kept = apply_edits(SAMPLE, [Set(("projekt", "namn"), value), Set(("personalenkat", "kolumner"), {value or "x": value})])
    assert kept
    data = yaml.safe_load(text)
    assert data["projekt"]["namn"] == value
    assert data["personalenkat"]["kolumner"] == {value or "x": value}


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=40), st.lists(st.text(min_size=1, max_size=20), max_size=4))
def test_any_text_reads_back(name, organisations):
    text, kept = apply_edits(SAMPLE, [Set(("projekt", "namn"), name), Set(("projekt", "organisationer"), organisations)])
    data = yaml.safe_load(text)
    assert data["projekt"]["namn"] == name
    assert data["projekt"]["organisationer"] == organisations
    assert kept
    assert data["annat"] == {"namn": "orörd"}


def test_move_a_sequence_item_with_its_comment():
    items = [{"fil": f"enkater/{n}.csv"} for n in "abc"]
    edits = [Append(("personalenkat", "enkater"), item, f"uppladdad som: {item['fil'][8:]}") for item in items]
    text, kept = apply_edits(SAMPLE, edits)
    text, kept = apply_edits(text, [Move(("personalenkat", "enkater", 2), 0)])
    assert kept
    assert [w["fil"] for w in yaml.safe_load(text)["personalenkat"]["enkater"]] == ["enkater/c.csv", "enkater/a.csv", "enkater/b.csv"]
    assert '    - fil: "enkater/c.csv"  # uppladdad som: c.csv\n    - fil: "enkater/a.csv"  # uppladdad som: a.csv\n' in text
    assert "  #  - fil: enkater/exempel.csv\n" in text


def test_no_edits_leave_the_text_as_it_is():
    assert apply_edits(SAMPLE, []) == (SAMPLE, True)
    assert apply_edits("a: ~\nb: TRUE", []) == ("a: ~\nb: TRUE\n", True)


def test_comment_lines_between_items_stay_when_items_move_or_go():
    text = "lista:  # nyckel\n  - x   # första\n  # mellan\n  - y   # andra\n\n  # efter\nannat: 1\n"
    moved, kept = apply_edits(text, [Move(("lista", 0), 1)])
    assert kept and moved == "lista:  # nyckel\n  - y   # andra\n  - x   # första\n  # mellan\n\n  # efter\nannat: 1\n"
    first_gone, kept = apply_edits(text, [Remove(("lista", 0))])
    assert kept and first_gone == "lista:  # nyckel\n  # mellan\n  - y   # andra\n\n  # efter\nannat: 1\n"
    last_gone, kept = apply_edits(text, [Remove(("lista", 1))])
    assert kept and last_gone == "lista:  # nyckel\n  - x   # första\n  # mellan\n\n  # efter\nannat: 1\n"
    both_gone, kept = apply_edits(text, [Remove(("lista", 1)), Remove(("lista", 0))])
    assert kept and both_gone == "lista:  # nyckel\n  # mellan\n\n  # efter\nannat: 1\n"
    again, kept = apply_edits(both_gone, [Append(("lista",), "z", "ny")])
    assert kept and again == 'lista:  # nyckel\n  - "z"  # ny\n  # mellan\n\n  # efter\nannat: 1\n'


def test_new_keys_go_before_the_comments_closing_their_block_and_after_the_files_last_comments():
    text = "p:\n  x: 1\n  # slut på p\nq:\n  kolumner:\n# exempel:\n#   a: 1\n"
    new, kept = apply_edits(text, [Set(("p", "namn"), "N"), Set(("slutligen",), 1)])
    assert kept and new == 'p:\n  x: 1\n  namn: "N"\n  # slut på p\nq:\n  kolumner:\n# exempel:\n#   a: 1\nslutligen: 1\n'


def test_setting_a_mapping_merges_it_so_the_comments_on_its_keys_stay():
    edits = [Set(("projekt", "period"), {"start": date(2025, 1, 1), "slut": date(2026, 6, 30)}), Set(("personalenkat", "instrument"), "samverkan")]
    text, kept = apply_edits(SAMPLE, edits)
    assert kept
    assert _changed_lines(SAMPLE, text) == [("    slut: 2025-12-31", "    slut: 2026-06-30")]  # unchanged values keep their text
    text, kept = apply_edits(text, [Set(("projekt", "period"), {"slut": date(2026, 6, 30)})])
    assert kept and "  period:\n    slut: 2026-06-30\n  organisationer:" in text


def test_the_files_own_indentation_is_kept():
    text = "projekt:\n    namn: A   # namnet\n    organisationer:\n    - AF\n"
    new, kept = apply_edits(text, [Append(("projekt", "organisationer"), "Soc"), Set(("projekt", "period"), {"start": date(2025, 1, 1)})])
    assert kept and new == 'projekt:\n    namn: A   # namnet\n    organisationer:\n    - AF\n    - "Soc"\n    period:\n        start: 2025-01-01\n'


def test_comments_before_a_document_start_and_in_a_file_without_keys_stay():
    new, kept = apply_edits("# överst\n---\n# sedan\nnamn: A  # c\n", [Set(("namn",), "B")])
    assert kept and new == '# överst\n---\n# sedan\nnamn: "B"  # c\n'
    new, kept = apply_edits("# bara en kommentar\n", [Set(("projekt", "namn"), "A")])
    assert kept and new == '# bara en kommentar\nprojekt:\n  namn: "A"\n'


def test_a_longer_value_pushes_its_comment_two_spaces_away():
    text, kept = apply_edits("p:\n  x: 1  # kort\n  y: 2 # tätt\n", [Set(("p", "x"), "ett mycket längre värde")])
    assert kept and text == 'p:\n  x: "ett mycket längre värde"  # kort\n  y: 2 # tätt\n'


TEXT_LIKE_YAML = ["x: y # z", "- a", "{a: 1}", "[a, b]", "&anchor", "*alias", "!tag", "? nyckel", "| block", "> veckad", "%YAML 1.1", "---", "...",
                  "rad ett\nrad två\n", "  inledande och avslutande blanksteg  ", "åäö ÅÄÖ", "2024-01-01", "2024-01-01 10:00", "1.0", "1e3", "010", "0x1F",
                  "1_000", "12:30", "ja", "nej", "no", "on", "off", "y", "n", "Yes", "NULL", "~", "true", ".inf", "-", "#", "@", "`", "'", '"', "\\", ""]


@pytest.mark.parametrize("value", TEXT_LIKE_YAML)
def test_text_that_looks_like_yaml_reads_back_as_the_same_text(value):
    key = value or "tom"
    edits = [Set(("projekt", "namn"), value), Set(("personalenkat", "kolumner"), {key: value}), Set(("projekt", "organisationer"), [value, "AF"]),
             Append(("personalenkat", "enkater"), {"fil": value, "etikett": key}, f"uppladdad som: {value}")]
    text, kept = apply_edits(SAMPLE, edits)
    assert kept
    data = parse_yaml(text, "projekt.yaml", ProjectError)
    assert data["projekt"]["namn"] == value and data["projekt"]["organisationer"] == [value, "AF"]
    assert data["personalenkat"]["kolumner"] == {key: value}
    assert data["personalenkat"]["enkater"] == [{"fil": value, "etikett": key}]
    assert "    start: 2025-01-01         # ÅÅÅÅ-MM-DD\n" in text and "  #  - fil: enkater/exempel.csv\n" in text
    upload_comment = [line for line in text.splitlines() if "uppladdad som:" in line]  # on the item's line, on one line
    assert len(upload_comment) == 1 and upload_comment[0].startswith("    - fil: ")


def test_long_keys_numbers_and_dates_read_back():
    heading = "Jag känner till de andra organisationernas uppdrag, arbetssätt och ansvar i samverkan kring deltagarna " * 3
    values = {heading: "q07", "tal": 1e20, "decimal": 0.1, "heltal": 5, "sant": True, "datum": date(2025, 3, 1), "tomt": None}
    text, kept = apply_edits(SAMPLE, [Set(("personalenkat", "kolumner"), values)])
    assert kept and f'    "{heading}": "q07"\n' in text and "    tal: 1.0e+20\n" in text and "    tomt:\n" in text
    assert yaml.safe_load(text)["personalenkat"]["kolumner"] == values


def test_render_scalar():
    assert [render_scalar(v) for v in (None, True, 5, 1e20, date(2025, 1, 2), "ja", "a: b", "rad\nrad")] == [
        "", "true", "5", "1.0e+20", "2025-01-02", '"ja"', '"a: b"', '"rad\\nrad"']
