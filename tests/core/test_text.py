"""Text normalisation (core/text.py): the same text for a value however often it is asked for (issue 20 keeps
the last texts), by value and type, and any value that cannot be kept is normalised all the same."""

from __future__ import annotations

from slutrapport.core.text import normalise


def test_a_text_is_normalised_alike_every_time():
    for _ in range(3):
        assert normalise("  Jag vet\u00a0 vem jag ska KONTAKTA? ") == "jag vet vem jag ska kontakta"
        assert normalise("Cafe\u0301") == "café"  # NFC


def test_values_equal_in_python_but_written_differently_keep_their_own_text():
    assert normalise(1) == "1" and normalise(1.0) == "1.0" and normalise(True) == "true"
    assert normalise(1.0) == "1.0" and normalise(1) == "1"  # asked again, in the other order


def test_a_value_that_cannot_be_a_key_is_normalised_too():
    assert normalise(["Ja", "Nej"]) == "['ja', 'nej']"
    assert normalise({"a": 1}) == "{'a': 1}"


def test_strip_html_is_tags_entities_and_invisible_characters_removed_in_any_text():
    """Against the rule written out (tags, then entities, then every invisible character), on random texts."""
    import html
    import random

    from slutrapport.core import text as text_module

    def reference(value: str) -> str:
        value = text_module._TAG.sub(lambda m: " " if m.group(2).casefold() in text_module._BLOCK_TAGS else "", value)
        return html.unescape(value).translate(text_module._INVISIBLE)

    rng = random.Random(4)
    parts = ["Jag", " vet", "<b>", "</B>", "<br/>", "< p >", "&nbsp;", "&amp;", "&#8203;", "&shy;", "\u200b", "\u00ad", "\ufeff", "å", "<", ">", "&", "x"]
    for _ in range(2000):
        value = "".join(rng.choice(parts) for _ in range(rng.randint(0, 12)))
        assert text_module.strip_html(value) == reference(value)
