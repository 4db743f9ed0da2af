"""The one text sanitiser of the writers: what no output can hold is removed, once reported, and `$` stays a dollar."""

from __future__ import annotations

import pytest
from lxml import etree
from matplotlib.text import Text
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from slutrapport.core.problems import WARNING
from slutrapport.core.safetext import FORBIDDEN_CHARACTERS, chart_text, clean_text, collect_repairs, encode_utf8, shorten

EVERY_BMP_CHARACTER = "".join(map(chr, range(0x10000)))


def test_every_character_xml_or_openpyxl_refuses_is_removed():
    cleaned = clean_text(EVERY_BMP_CHARACTER + "\U0001f600\U0010ffff")
    assert not ILLEGAL_CHARACTERS_RE.search(cleaned)
    element = etree.Element("t")
    element.text = cleaned  # lxml raises ValueError for a character XML 1.0 forbids
    element.set("a", cleaned)
    etree.fromstring(etree.tostring(element))  # and reads back
    cleaned.encode("utf-8")  # no lone surrogate left
    assert not any(0x80 <= ord(c) <= 0x9F or c in "\x7f\ufffe\uffff" for c in cleaned)
    assert "\U0001f600" in cleaned and "\U0010ffff" in cleaned


def test_without_the_sanitiser_the_same_text_is_refused():
    """The check above can fail: the raw text is what lxml and openpyxl refuse."""
    element = etree.Element("t")
    with pytest.raises(ValueError):
        element.text = "Org\x0bA"
    assert ILLEGAL_CHARACTERS_RE.search("Org\x0bA")


def test_text_letters_tabs_and_line_breaks_are_kept():
    text = "Åsa Öberg & Ärlig AB\tkolumn\r\nny rad — “citat” 😀 ½ €"
    assert clean_text(text) == text


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Org\x0bA", "Org A"),  # vertical tab separates words
        ("a\x0cb", "a b"),
        ("a\x1fb\x1cc", "a b c"),
        ("a\x85b", "a b"),  # NEL
        ("a\x00b\x01c\x08d", "abcd"),
        ("a\x1bb\x7fc\x9fd", "abcd"),
        ("a\ud800b\udfffc", "abc"),
        ("a\ufffeb\uffffc", "abc"),
        (12, "12"),
        (None, "None"),
    ],
)
def test_control_characters_are_removed_or_become_a_space(raw, clean):
    assert clean_text(raw) == clean


def test_single_line_makes_one_line():
    assert clean_text("  Rad ett\n\nrad\ttvå\r\n\x0b slut ", single_line=True) == "Rad ett rad två slut"
    assert clean_text("a\u2028b", single_line=True) == "a b"


def test_shorten_keeps_short_texts_and_cuts_long_ones_with_an_ellipsis():
    assert shorten("Kort", 10) == "Kort"
    assert shorten("x" * 10, 10) == "x" * 10
    long = "Projektet " * 40
    for limit in (31, 255):
        cut = shorten(long, limit)
        assert len(cut) <= limit and cut.endswith("…") and long.startswith(cut[:-1])
    assert shorten("En mycket lång rubrik som inte får plats", 31) == "En mycket lång rubrik som…"  # at a word
    assert shorten("abcdefghijklmnopqrstuvwxyz", 10) == "abcdefghi…"
    with pytest.raises(ValueError):
        shorten("abc", 1)


def _drawn(text: str) -> tuple[str, bool]:
    """What matplotlib draws for ``text``: the string and whether it is mathtext."""
    return Text(0, 0, text)._preprocess_math(text)


@pytest.mark.parametrize(
    "name",
    ["Org $A$ och $B$", "Kostnad $5 och $10", r"$\frac$", "$", "a\\$b$", "Index $x$\x0b", "_dold grupp"],
)
def test_chart_text_is_drawn_as_written(name):
    text = chart_text(name)
    drawn, is_math = _drawn(text)
    assert not is_math
    assert drawn.strip() == clean_text(name).strip()


def test_without_escaping_matplotlib_would_read_mathtext():
    assert _drawn("Org $A$ och $B$")[1] is True


def test_chart_text_shortens_and_cleans():
    text = chart_text("Org $A$ " + "x" * 300 + "\x0b", 60)
    assert "\x0b" not in text and len(text.replace("\\$", "$")) <= 60 and text.endswith("…")


def test_encode_utf8_replaces_a_lone_surrogate():
    assert encode_utf8("å") == "å".encode()
    assert encode_utf8("a\ud800b") == "a\ufffdb".encode()


def test_repairs_are_collected_once_per_text_and_reported_as_one_warning():
    with collect_repairs() as repairs:
        for _ in range(3):  # the same text written to three files
            clean_text("Org\x0bA")
        clean_text("fri\x01text")
        clean_text("inget fel")
        clean_text("rad\nbrytning", single_line=True)  # a line break is no repair
    assert repairs.count == 2
    warning = repairs.warning("rapport")
    assert warning is not None and warning.allvar == WARNING and warning.fil == "rapport"
    assert "2 texter" in warning.meddelande and "vertikal tabb U+000B" in warning.meddelande and "U+0001" in warning.meddelande
    assert warning.varde == "Org[U+000B]A" and repairs.warnings("rapport") == [warning]
    assert not FORBIDDEN_CHARACTERS.search(warning.meddelande + warning.varde)


def test_no_repairs_no_warning_and_nothing_collected_outside_a_collector():
    clean_text("Org\x0bA")  # no collector: silent
    with collect_repairs() as repairs:
        clean_text("Vanlig text")
        encode_utf8("Vanlig text")
    assert not repairs and repairs.warning("x") is None and repairs.warnings("x") == [] and repairs.message() == ""


def test_an_encoded_surrogate_is_noted():
    with collect_repairs() as repairs:
        encode_utf8("<p>a\ud800b</p>")
    assert repairs.count == 1 and "surrogat" in repairs.message()


def test_nested_collectors_collect_their_own():
    with collect_repairs() as outer:
        clean_text("a\x0b")
        with collect_repairs() as inner:
            clean_text("b\x0b")
        clean_text("c\x0b")
    assert (outer.count, inner.count) == (2, 1)


def test_a_text_that_starts_like_a_formula_gets_an_apostrophe():
    from slutrapport.core.safetext import formula_safe, starts_like_formula

    hostile = ['=HYPERLINK("http://evil.example","klicka")', "+1", "-x", "@SUM(A1)", "\tx", "\rx"]
    assert [formula_safe(text) for text in hostile] == ["'" + text for text in hostile]
    assert all(starts_like_formula(text) for text in hostile)
    plain = ["Org A", "a = b", "−0,3", "–", "'redan citerad", "", " =1"]  # a real minus and an en dash are no formula
    assert [formula_safe(text) for text in plain] == plain
