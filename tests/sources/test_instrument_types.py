"""Question types, named scales, end-point scales, 'positiva' conditions and indices on one scale."""

from __future__ import annotations

from pathlib import Path

import pytest

from slutrapport.core.errors import InstrumentError
from slutrapport.sources.definitions import Scale
from slutrapport.sources.survey.answers import ANSWERED, AnswerParser
from slutrapport.sources.survey.instrument import DEFAULT, FREETEXT, MULTIPLE, NUMBER, SCALE, SINGLE, YES_NO_KIND, load_instrument
from slutrapport.sources.survey.scales import YES_NO_SCALE

AGREE = "{1: Instämmer inte alls, 2: Instämmer i liten grad, 3: Instämmer delvis, 4: Instämmer i hög grad, 5: Instämmer helt}"

ALL_TYPES = f"""\
id: typer
namn: Alla frågetyper
skala:
  varden: {AGREE}
  positiva: [4, 5]
  saknas: [Vet ej]
skalor:
  frekvens:
    varden: {{1: Aldrig, 2: Sällan, 3: Ibland, 4: Ofta, 5: Alltid}}
    positiva: ">= 4"
    jamforbar_med: [standard]
  betyg:
    varden: {{min: 1, max: 10}}
    etiketter: {{1: Mycket dåligt, 10: Mycket bra}}
    positiva: ">= 7"
  roll:
    nominal: true
    varden: {{1: Handläggare, 2: Chef, 3: Annan roll}}
index:
  installning: Inställning
  kontakt: {{namn: Kontakter, skala: frekvens}}
fragor:
  - {{id: q01, text: "Samverkan är viktig", index: installning}}
  - {{id: q02, text: "Samverkan tar tid", index: installning, omvand: true}}
  - {{id: q03, text: "Jag träffar kollegor", index: kontakt}}
  - {{id: q04, text: "Jag är nöjd med samverkan", index: kontakt, skala: standard}}
  - {{id: q05, text: "Betyg", skala: betyg}}
  - {{id: j01, text: "Har du gått utbildningen?", typ: janej}}
  - {{id: e01, text: "Din roll", typ: enval, skala: roll}}
  - {{id: e02, text: "Hur länge har du arbetat här?", typ: enval, alternativ: [Under ett år, 1–5 år, Mer än 5 år]}}
  - {{id: e03, text: "Din arbetsplats", typ: enval, alternativ: {{1: Kontoret, 9: Annan}}}}
  - {{id: m01, text: "Kanaler", typ: flerval, alternativ: [Telefon, E-post, Möten], avgransare: ";"}}
  - {{id: m02, text: "Möten", typ: flerval, alternativ: [Styrgrupp, Arbetsgrupp]}}
  - {{id: n01, text: "Timmar per vecka", typ: numerisk, min: 0, max: 40}}
  - {{id: n02, text: "Antal kontakter", typ: numerisk}}
  - {{id: f01, text: "Övrigt", typ: fritext}}
"""


def write(tmp_path: Path, text: str, name: str = "instrument.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(InstrumentError) as info:
        load_instrument(write(tmp_path, text))
    return str(info.value).splitlines()[1:]


def one_problem(tmp_path: Path, text: str) -> str:
    found = problems(tmp_path, text)
    assert len(found) == 1, found
    return found[0]


@pytest.fixture
def typed(tmp_path: Path):
    return load_instrument(write(tmp_path, ALL_TYPES))


# -- the types ---------------------------------------------------------------------------------------------


def test_every_type_is_read_with_what_it_needs(typed):
    kinds = {q.id: q.kind for q in typed.questions}
    assert kinds == {
        "q01": SCALE, "q02": SCALE, "q03": SCALE, "q04": SCALE, "q05": SCALE, "j01": YES_NO_KIND, "e01": SINGLE,
        "e02": SINGLE, "e03": SINGLE, "m01": MULTIPLE, "m02": MULTIPLE, "n01": NUMBER, "n02": NUMBER, "f01": FREETEXT,
    }  # fmt: skip
    assert [q.id for q in typed.questions_of(NUMBER)] == ["n01", "n02"]
    q = typed.question
    assert q("e01").options == ("Handläggare", "Chef", "Annan roll") and q("e01").scale == "roll"
    assert q("e02").options == ("Under ett år", "1–5 år", "Mer än 5 år") and q("e02").scale is None
    assert typed.scale_for(q("e02")).values == {1: "Under ett år", 2: "1–5 år", 3: "Mer än 5 år"}
    assert typed.scale_for(q("e03")).values == {1: "Kontoret", 9: "Annan"} and typed.scale_for(q("e03")).nominal
    assert q("m01").delimiter == ";" and q("m02").delimiter is None and q("m02").options == ("Styrgrupp", "Arbetsgrupp")
    assert (q("n01").minimum, q("n01").maximum, q("n02").minimum, q("n02").maximum) == (0, 40, None, None)
    assert typed.scale_for(q("n01")) is None and typed.scale_for(q("f01")) is None
    assert q("q01").options == () and q("j01").options == ()


def test_only_ordinal_questions_are_scale_questions_and_index_items(typed):
    # what the analysis averages: yes/no, choices and numbers never enter a mean or an index
    assert [q.id for q in typed.scale_questions] == ["q01", "q02", "q03", "q04", "q05"]
    assert [q.id for q in typed.freetext_questions] == ["f01"]
    assert [q.id for q in typed.index_items("installning")] == ["q01", "q02"]
    assert [q.id for q in typed.index_items("kontakt")] == ["q03", "q04"]


def test_each_question_names_its_scale_and_the_instrument_finds_it(typed):
    assert list(typed.scales) == [DEFAULT, "frekvens", "betyg", "roll", "janej"]
    assert typed.scale is typed.scales[DEFAULT] and typed.scale.name == DEFAULT
    names = {q.id: q.scale for q in typed.questions}
    assert names["q01"] == DEFAULT and names["q03"] == "frekvens"  # the index's scale
    assert names["q04"] == DEFAULT and names["q05"] == "betyg" and names["j01"] == "janej"  # the question's own wins
    assert typed.scale_for(typed.question("q03")).positive == {4, 5}
    assert typed.scale_for(typed.question("q05")).positive == {7, 8, 9, 10}
    assert typed.index_scale("kontakt").name == "frekvens" and typed.index_scale("installning").name == DEFAULT


def test_yes_no_uses_the_built_in_scale_unless_the_instrument_defines_one(typed, tmp_path):
    assert typed.scale_for(typed.question("j01")) == YES_NO_SCALE == Scale({0: "Nej", 1: "Ja"}, frozenset({1}))
    own = ALL_TYPES.replace("skalor:\n", "skalor:\n  janej: {varden: {1: Nej, 2: Ja}, saknas: [Vet ej]}\n")
    inst = load_instrument(write(tmp_path, own, "egen.yaml"))
    assert inst.scale_for(inst.question("j01")).values == {1: "Nej", 2: "Ja"}
    assert inst.scale_for(inst.question("j01")).positive == {2} and inst.scale_for(inst.question("j01")).missing == ("Vet ej",)


def test_a_yes_no_question_on_a_scale_of_three_values_is_an_error(tmp_path):
    text = ALL_TYPES.replace("typ: janej}", "typ: janej, skala: frekvens}")
    assert one_problem(tmp_path, text) == (
        "- rad 28: fråga nr 6 (j01) är av typen janej men skalan 'frekvens' är inte en ja/nej-skala: "
        "den ska ha två värden, där 'positiva' är ja"
    )


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("typ: enval, skala: roll}", "typ: enval}", "fråga nr 7 (e01) är av typen enval och saknar 'alternativ' (t.ex. alternativ: [Telefon, E-post, Möten])"),
        ("typ: enval, skala: roll}", "typ: enval, skala: roll, alternativ: [A]}", "fråga nr 7 (e01) anger både 'alternativ' och 'skala'; ange det ena"),
        ("typ: enval, skala: roll}", "typ: enval, skala: frekvens}", "fråga nr 7 (e01) är av typen enval men skalan 'frekvens' är inte nominal"),
        ("{1: Kontoret, 9: Annan}", "{1: Kontoret, 9: }", "fråga nr 9 (e03): alternativet med koden 9 saknar etikett"),
        ("[Telefon, E-post, Möten]", "[Telefon, e-post, E-post]", "fråga nr 10 (m01): alternativet 'E-post' finns två gånger"),
        ("[Telefon, E-post, Möten]", "[Telefon, E-post; SMS]", "fråga nr 10 (m01): alternativet 'E-post; SMS' innehåller avgränsaren ';'"),
        ("min: 0, max: 40", "min: 50, max: 40", "fråga nr 12 (n01): 'min' (50) är större än 'max' (40)"),
        ("3: Annan roll}", "3: }", "skalan 'roll' är nominal, så varje värde behöver en etikett; 3 saknar etikett"),
        ("    nominal: true\n", "    nominal: true\n    positiva: [1]\n", "skalan 'roll' är nominal och har inga positiva värden; ta bort 'positiva'"),
        ("text: \"Betyg\", skala: betyg", "text: \"Betyg\", skala: roll", "fråga nr 5 (q05) använder skalan 'roll', som är nominal"),
        ("text: \"Övrigt\", typ: fritext", "text: \"Övrigt\", typ: fritext, omvand: true",
         "fråga nr 14 (f01): 'omvand' gäller inte frågor av typen fritext (bara skala)"),
        ("typ: numerisk}", "typ: numerisk, alternativ: [A]}", "fråga nr 13 (n02): 'alternativ' gäller inte frågor av typen numerisk (bara enval, flerval)"),
        ("text: \"Samverkan är viktig\"", "text: \"Samverkan är viktig\", avgransare: ','", "fråga nr 1 (q01): 'avgransare' gäller inte frågor av typen skala"),
    ],
)
def test_what_a_type_needs_is_checked(tmp_path, old, new, message):
    assert old in ALL_TYPES
    assert message in one_problem(tmp_path, ALL_TYPES.replace(old, new, 1))


# -- end-point scales and 'positiva' -----------------------------------------------------------------------


def test_an_end_point_scale_labels_its_ends_and_shows_the_rest_as_numbers(typed):
    betyg = typed.scales["betyg"]
    assert sorted(betyg.values) == list(range(1, 11)) and (betyg.min, betyg.max) == (1, 10)
    assert betyg.values[1] == "Mycket dåligt" and betyg.values[5] == ""
    assert [betyg.label(v) for v in (1, 5, 10, 7.0, 6.5, None, float("nan"))] == ["Mycket dåligt", "5", "Mycket bra", "7", "6,5", "", ""]
    assert "None" not in [typed.scale.label(v) for v in (None, 3, 9)] and typed.scale.label(3) == "Instämmer delvis"


def test_labels_for_some_values_in_the_plain_form_leave_the_others_empty(tmp_path):
    text = ALL_TYPES.replace("{min: 1, max: 10}\n    etiketter: {1: Mycket dåligt, 10: Mycket bra}", "{0: Inte alls, 1: , 2: , 3: Helt}")
    text = text.replace('positiva: ">= 7"', "positiva: [3]")
    betyg = load_instrument(write(tmp_path, text)).scales["betyg"]
    assert betyg.values == {0: "Inte alls", 1: "", 2: "", 3: "Helt"} and betyg.label(2) == "2"


SCALE_TEN = ALL_TYPES.replace('positiva: ">= 7"', "positiva: {positive}")


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ('">= 7"', {7, 8, 9, 10}),
        ('"> 6"', {7, 8, 9, 10}),
        ('"≥ 9"', {9, 10}),
        ('"<= 3"', {1, 2, 3}),
        ('"< 3"', {1, 2}),
        ('"= 10"', {10}),
        ('"7–10"', {7, 8, 9, 10}),
        ('"8-10"', {8, 9, 10}),
        ("[9, 10]", {9, 10}),
        ("10", {10}),
        ('[1, ">= 9"]', {1, 9, 10}),
        ("", {9, 10}),  # not given: the top two
    ],
)
def test_positiva_as_values_conditions_and_ranges(tmp_path, written, expected):
    inst = load_instrument(write(tmp_path, SCALE_TEN.replace("{positive}", written)))
    assert inst.scales["betyg"].positive == expected


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ('"> 10"', "- rad 15: 'positiva' (> 10) omfattar inga av skalans värden (1–10)"),
        ("[10, 11, 12]", "- rad 15: 'positiva' innehåller värden som inte finns i skalan: [11, 12]"),
        ('"10-7"', "- rad 15: 'positiva' (10-7): skriv det lägsta värdet först, t.ex. 7–10"),
        ('"hög"', """- rad 15: 'positiva' under 'skalor: betyg' ska vara ett skalvärde eller ett villkor som ">= 7", "> 6", "<= 3" eller "7–10", fick 'hög'"""),
    ],
)
def test_positiva_that_selects_nothing_or_values_off_the_scale_is_an_error(tmp_path, written, message):
    assert one_problem(tmp_path, SCALE_TEN.replace("{positive}", written)) == message


@pytest.mark.parametrize(
    ("positive", "score", "expected"),
    [({4, 5}, 3.9, False), ({4, 5}, 4.0, True), ({1, 2}, 2.0, True), ({1, 2}, 2.5, False), ({3}, 3.2, True), ({3}, 3.6, False)],
)
def test_a_mean_is_positive_on_the_side_of_the_scale_the_positives_are(positive, score, expected):
    scale = Scale({1: "a", 2: "b", 3: "c", 4: "d", 5: "e"}, frozenset(positive))
    assert scale.is_positive(score) is expected and not scale.is_positive(float("nan"))


def test_a_scale_too_long_or_upside_down_is_an_error(tmp_path):
    assert "rad 13: 'min' (10) ska vara mindre än 'max' (1)" in one_problem(tmp_path, ALL_TYPES.replace("{min: 1, max: 10}", "{min: 10, max: 1}"))
    message = one_problem(tmp_path, ALL_TYPES.replace("{min: 1, max: 10}", "{min: 0, max: 5000}"))
    assert "skalan 0–5000 har 5001 värden; högst 1000 går" in message
    message = one_problem(tmp_path, ALL_TYPES.replace("{1: Mycket dåligt, 10: Mycket bra}", "{1: Mycket dåligt, 11: Mycket bra}"))
    assert message == "- rad 14: etiketten för 11 ligger utanför skalan 1–10"


# -- answers on an end-point scale -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value"),
    [("7", 7), ("7,0", 7), ("7.0", 7), ("7 - ganska bra", 7), ("7 = text", 7), ("7 (text)", 7), ("7. text", 7), ("text (7)", 7),
     ("10 - Mycket bra", 10), ("Mycket bra", 10), ("1 (Mycket dåligt)", 1)],
)  # fmt: skip
def test_answers_on_an_end_point_scale(typed, raw, value):
    parsed = AnswerParser(typed.scales["betyg"]).parse(raw)
    assert (parsed.value, parsed.status, parsed.error) == (value, ANSWERED, None)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("11", "värdet 11 ligger utanför skalan 1–10 ('betyg')"),
        ("0 - inte alls", "värdet 0 ligger utanför skalan 1–10 ('betyg')"),
        ("1 - Mycket bra", "siffran 1 och etiketten 'Mycket bra' (= 10) motsäger varandra"),
        ("7,5", "inte ett heltal"),
        ("3.5 timmar", "okänt svar (tillåtna svar: heltal 1–10 (1 = Mycket dåligt, 10 = Mycket bra))"),
    ],
)
def test_a_value_off_an_end_point_scale_is_an_error_naming_value_and_scale(typed, raw, message):
    parsed = AnswerParser(typed.scales["betyg"]).parse(raw)
    assert parsed.value is None and message in parsed.error


def test_on_a_fully_labelled_scale_a_number_with_unknown_words_is_still_unknown(typed):
    parser = AnswerParser(typed.scale)
    assert parser.parse("5 (Instämmer helt)").value == 5 and parser.parse("5 = Instämmer helt").value == 5
    assert "okänt svar" in parser.parse("5 - Stämmer bra").error
    assert parser.parse("6").error == "värdet 6 ligger utanför skalan 1–5"  # the default scale is not named


# -- indices on one scale ----------------------------------------------------------------------------------


def test_an_index_over_scales_that_are_not_comparable_is_an_error(tmp_path):
    text = ALL_TYPES.replace("index: kontakt, skala: standard}", "index: kontakt, skala: betyg}")
    assert one_problem(tmp_path, text) == (
        "- rad 21: indexet 'kontakt' blandar frågor på skalorna 'frekvens' (q03) och 'betyg' (q04); ett index får bara "
        "kombinera frågor på samma skala (eller på skalor som anges som jämförbara med jamforbar_med)"
    )


def test_scales_declared_comparable_may_share_an_index_either_way_round(tmp_path):
    text = ALL_TYPES.replace("    jamforbar_med: [standard]\n", "").replace("  saknas: [Vet ej]\n", "  saknas: [Vet ej]\n  jamforbar_med: [frekvens]\n", 1)
    assert "jamforbar_med: [frekvens]" in text
    inst = load_instrument(write(tmp_path, text))
    assert inst.scales[DEFAULT].comparable == {"frekvens"} and [q.id for q in inst.index_items("kontakt")] == ["q03", "q04"]
    message = one_problem(tmp_path, ALL_TYPES.replace("    jamforbar_med: [standard]\n", ""))
    assert "indexet 'kontakt' blandar frågor på skalorna 'frekvens' (q03) och 'standard' (q04)" in message


def test_comparable_scales_need_the_same_values(tmp_path):
    text = ALL_TYPES.replace("jamforbar_med: [standard]", "jamforbar_med: [standard, betyg]")
    assert one_problem(tmp_path, text) == "- rad 11: skalorna 'frekvens' (1–5) och 'betyg' (1–10) anges som jämförbara men har olika värden"


@pytest.mark.parametrize("kind", ["janej", "enval, alternativ: [A, B]", "flerval, alternativ: [A, B]", "numerisk", "fritext"])
def test_only_ordinal_questions_can_be_in_an_index(tmp_path, kind):
    text = ALL_TYPES.replace('{id: n02, text: "Antal kontakter", typ: numerisk}', f'{{id: n02, text: "X", typ: {kind}, index: kontakt}}')
    message = one_problem(tmp_path, text)
    assert message.startswith("- rad 35: fråga nr 13 (n02) är ") and message.endswith("och kan inte ingå i ett index (bara frågor av typen skala kan det)")


# -- several scales, and the one-scale form ----------------------------------------------------------------

NAMED_ONLY = f"""\
id: namngivna
skalor:
  roll: {{nominal: true, varden: {{1: Chef, 2: Annan}}}}
  instammer: {{varden: {AGREE}}}
  frekvens: {{varden: {{1: Aldrig, 2: Ibland, 3: Ofta}}}}
fragor:
  - {{id: q1, text: Ett}}
  - {{id: q2, text: Två, skala: frekvens}}
"""


def test_without_a_skala_block_the_default_is_named_or_the_first_ordered_scale(tmp_path):
    first = load_instrument(write(tmp_path, NAMED_ONLY))
    assert first.scale.name == "instammer" and first.question("q1").scale == "instammer" and first.scale.positive == {4, 5}
    named = load_instrument(write(tmp_path, NAMED_ONLY.replace("skalor:", "skala: frekvens\nskalor:")))
    assert named.scale.name == "frekvens" and named.question("q1").scale == "frekvens"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("skalor:", "skala: frekvns\nskalor:", "- rad 2: 'skala' anger skalan 'frekvns', som inte finns under 'skalor'; menade du 'frekvens'?"),
        ("skalor:", "skala: roll\nskalor:", "- rad 2: standardskalan 'roll' är nominal; skalfrågornas standardskala ska vara ordnad"),
        ("skala: frekvens}", "skala: instamer}", "- rad 8: fråga nr 2 (q2) anger skalan 'instamer', som inte finns under 'skalor'; menade du 'instammer'?"),
        ("skalor:", "skala: {varden: {1: a, 2: b}}\nskalor:\n  standard: {varden: {1: a, 2: b}}", "skalan under 'skala' heter 'standard'"),
    ],
)
def test_a_scale_named_wrongly_is_an_error(tmp_path, old, new, message):
    assert message in one_problem(tmp_path, NAMED_ONLY.replace(old, new, 1))


def test_an_instrument_without_any_ordered_scale_is_an_error(tmp_path):
    assert one_problem(tmp_path, "id: x\nfragor:\n  - {id: q1, text: T}\n") == (
        "- nyckeln 'skala' saknas (t.ex. skala: {varden: {1: Instämmer inte alls, …, 5: Instämmer helt}})"
    )
    nominal_only = "id: x\nskalor:\n  roll: {nominal: true, varden: {1: A}}\nfragor:\n  - {id: q1, text: T, typ: enval, skala: roll}\n"
    assert "alla skalor under 'skalor' är nominala" in one_problem(tmp_path, nominal_only)


def test_the_built_in_and_the_export_fixture_are_one_scale_instruments_as_before():
    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "exports" / "instrument.yaml"
    for inst in (load_instrument("samverkan"), load_instrument(fixture)):
        assert list(inst.scales) == [DEFAULT] and inst.scale.name == DEFAULT
        labels = ["Instämmer inte alls", "Instämmer i liten grad", "Instämmer delvis", "Instämmer i hög grad", "Instämmer helt"]
        assert inst.scale.values == dict(enumerate(labels, 1))
        assert inst.scale.positive == {4, 5} and not inst.scale.nominal and inst.scale.comparable == frozenset()
        assert {q.kind for q in inst.questions} == {SCALE, FREETEXT}
        assert all(q.scale == DEFAULT and inst.scale_for(q) is inst.scale for q in inst.scale_questions)
        assert all(q.options == () and q.delimiter is None for q in inst.questions)
    samverkan = load_instrument("samverkan")
    assert len(samverkan.questions) == 39 and len(samverkan.indices) == 12 and samverkan.scale.missing == ("Vet ej", "Ej aktuellt")
    exports = load_instrument(fixture)
    assert exports.scale.aliases == {"A1": 1, "A2": 2, "A3": 3, "A4": 4, "A5": 5} and exports.scale.missing == ("Vet ej", "A6")
