import pytest

from slutrapport.sources.survey.answers import ANSWERED, BLANK, MISSING, AnswerParser
from slutrapport.sources.survey.instrument import load_instrument


@pytest.fixture(scope="module")
def parser():
    return AnswerParser(load_instrument("samverkan").scale)


@pytest.mark.parametrize(
    "raw, value",
    [
        ("Instämmer helt", 5),
        ("  instämmer   HELT ", 5),
        ("Instämmer helt.", 5),
        ("5", 5),
        ("5,0", 5),
        ("4.0", 4),
        ("5 - Instämmer helt", 5),
        ("5. Instämmer helt", 5),
        ("5 Instämmer helt", 5),
        ("Instämmer helt (5)", 5),
        ("1 – Instämmer inte alls", 1),
        ("Instämmer i liten grad", 2),
    ],
)
def test_accepted_forms(parser, raw, value):
    parsed = parser.parse(raw)
    assert (parsed.value, parsed.status, parsed.error) == (value, ANSWERED, None)


@pytest.mark.parametrize("raw, status", [("", BLANK), ("   ", BLANK), ("Vet ej", MISSING), ("vet ej ", MISSING), ("Ej aktuellt", MISSING)])
def test_missing_answers_are_never_values(parser, raw, status):
    parsed = parser.parse(raw)
    assert parsed.value is None and parsed.status == status and parsed.error is None


@pytest.mark.parametrize(
    "raw, fragment",
    [
        ("6", "utanför skalan 1–5"),
        ("0", "utanför skalan"),
        ("-1", "utanför skalan"),
        ("3,5", "inte ett heltal"),
        ("Instämmer lite", "okänt svar"),
        ("4 - Instämmer helt", "motsäger varandra"),
        ("ja", "okänt svar"),
    ],
)
def test_rejected_forms(parser, raw, fragment):
    parsed = parser.parse(raw)
    assert parsed.value is None
    assert fragment in parsed.error


def test_alias_labels(tmp_path):
    path = tmp_path / "alias.yaml"
    path.write_text(
        "id: a\nskala:\n  varden: {1: Nej, 2: Ja}\n  alias: {Japp: 2}\nfragor:\n  - {id: q1, text: T}\n",
        encoding="utf-8",
    )
    parser = AnswerParser(load_instrument(path).scale)
    assert parser.parse("japp").value == 2
