"""The web page and the question types beyond the ordinal scale: the Jämförelse view and the answer fixes.

A project of the mixed sample instrument (``data_samples/blandad.yaml``, an
index on the default scale and one on a frequency scale, a yes/no, a single-
and a multiple-choice, a number and a free-text question) with its three waves,
through Flask's test client. The numbers the page shows are checked against the
analysis tables, formatted as the report formats them: the page computes nothing.
"""

from __future__ import annotations

import csv
import html
import io
import re
from pathlib import Path

import pytest
import yaml

from slutrapport.core.errors import ProjectError
from slutrapport.core.yamledit import Set
from slutrapport.pipeline import survey_results, validate_project
from slutrapport.project.aliases import alias_key, alias_scale, with_answer_aliases
from slutrapport.project.edit import edit_project, project_version
from slutrapport.project.folder import init_project, load_project
from slutrapport.render.formatting import format_value
from slutrapport.report.model import MEAN, SHARE, SHARE_INTERVAL
from slutrapport.sources.survey.instrument import load_instrument
from slutrapport.web import create_app
from tests.conftest import SAMPLES
from tests.web.test_web import TOKEN, Browser

INSTRUMENT = SAMPLES / "blandad.yaml"
WAVES = [SAMPLES / "blandad" / f"enkat{i}.csv" for i in (1, 2, 3)]
YES_NO = "Har du deltagit i en utbildning inom projektet?"
ROLE = "Vilken är din roll?"
CONTACT = "Hur håller du kontakten med de andra organisationerna?"
HOURS = "Hur många timmar i veckan ägnar du åt samverkan?"
MEETINGS = "Jag träffar kollegor från de andra organisationerna"  # q05, on the frequency scale
IMPORTANT = "Samverkan med de andra organisationerna är viktig för mitt arbete"  # q01, on the default scale
HOSTILE = "Utbildad? <img src=x onerror=alert(1)> & \"citat\""


def _project(root: Path, instrument_text: str | None = None, waves: list[bytes] | None = None, sample: str = "blandad") -> Path:
    """A project folder with a sample instrument (or ``instrument_text``) and its three waves (or ``waves``)."""
    init_project(root)
    (root / "instrument").mkdir()
    text = instrument_text or (SAMPLES / f"{sample}.yaml").read_text(encoding="utf-8")
    (root / "instrument" / "instrument.yaml").write_text(text, encoding="utf-8")
    waves = waves or [(SAMPLES / sample / f"enkat{number}.csv").read_bytes() for number in (1, 2, 3)]
    for number, wave in enumerate(waves, start=1):
        (root / "enkater" / f"enkat{number}.csv").write_bytes(wave)
    path = root / "projekt.yaml"
    text = path.read_text(encoding="utf-8").replace("instrument: samverkan", "instrument: instrument/instrument.yaml", 1)
    listed = "".join(f"    - fil: enkater/enkat{number}.csv\n" for number in range(1, len(waves) + 1))
    path.write_text(text.replace("  enkater:\n", "  enkater:\n" + listed, 1), encoding="utf-8")
    return root


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


@pytest.fixture(scope="module")
def mixed(tmp_path_factory) -> tuple[Browser, Path]:
    """One app on the mixed project for the tests that only read it."""
    base = tmp_path_factory.mktemp("blandad")
    root = _project(base / "blandad")
    return Browser(create_app(root, token=TOKEN, start_dir=base)), root


@pytest.fixture(scope="module")
def results(mixed):
    return survey_results(mixed[1])


def _section(page: str, kind: str) -> str:
    match = re.search(rf'<section class="fragetyp" id="typ-{kind}">(.*?)\n</section>\n(?=<section|{{|\s*</main>)', page, re.S)
    assert match, f"no section for {kind}"
    return match.group(1)


def _row(table: str, first: str) -> list[str]:
    """The cells of the row that starts with ``first`` (unescaped)."""
    match = re.search(rf"<tr>\s*<th scope=\"row\">{re.escape(html.escape(first, quote=False))}</th>(.*?)</tr>", table, re.S)
    assert match, f"no row {first}"
    return [html.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", match.group(1), re.S)]


def _table(section: str, caption_start: str) -> str:
    """A table with its notes, from its caption."""
    match = re.search(rf"<caption>{re.escape(html.escape(caption_start, quote=False))}.*?</table>.*?</div>", section, re.S)
    assert match, f"no table {caption_start}"
    return match.group(0)


# ---------------------------------------------------------------- Jämförelse


def test_comparison_page_has_a_section_per_question_type(mixed):
    browser, _ = mixed
    page = browser.page("/jamforelse")
    assert page.count('<section class="index"') == 2  # the two indices, as before
    for kind, title in [
        ("janej", "Ja/nej-frågor"),
        ("enval", "Frågor med ett svarsalternativ"),
        ("flerval", "Frågor med flera svarsalternativ"),
        ("numerisk", "Frågor som besvaras med ett tal"),
    ]:
        assert f'<a href="#typ-{kind}">{title}</a>' in page
        assert f"<h2>{title}</h2>" in _section(page, kind)
    assert 'id="typ-skala"' not in page  # every scale question of the instrument is in an index
    assert "None" not in page and not re.search(r"\bnan\b", page, re.I)


def test_yes_no_question_shows_the_share_answering_yes_per_wave_with_its_interval(mixed, results):
    page = mixed[0].page("/jamforelse")
    section = _section(page, "janej")
    assert f"<h3>{YES_NO}</h3>" in section
    assert "Andelen som svarade ja på ”" + YES_NO in section  # the report's sentence
    table = _table(section, f"{YES_NO}: andel som svarade ja")
    assert table.count('<th scope="col" class="share">Andel ja</th>') == 3
    shares = results.shares
    yes = shares[(shares["fraga"] == "j01") & (shares["grupp"] == "Alla") & (shares["alternativ"].astype(str).isin(["1", "Ja", "1.0"]))]
    assert len(yes) == 3
    cells = _row(table, "Alla")
    expected = []
    for _, row in yes.set_index("enkat").loc[["Enkät 1", "Enkät 2", "Enkät 3"]].iterrows():
        expected += [format_value(row["andel"], SHARE), format_value((row["andel_lag"], row["andel_hog"]), SHARE_INTERVAL), str(int(row["n"]))]
    assert cells == expected
    assert "Arbetsförmedlingen" in table and "Socialtjänsten" in table


def test_single_choice_question_shows_option_shares_per_wave_and_the_stacked_chart(mixed, results):
    section = _section(mixed[0].page("/jamforelse"), "enval")
    assert f"<h3>{ROLE}</h3>" in section
    assert f'<figcaption>{ROLE}: svarsfördelning per enkät, alla svarande</figcaption>' in section
    assert re.search(r'<img src="data:image/png;base64,[^"]+" alt="Stapeldiagram: ', section)
    table = _table(section, f"{ROLE}: andel som valde varje alternativ per enkät")
    shares = results.shares
    mine = shares[(shares["fraga"] == "e01") & (shares["grupp"] == "Alla")]
    for code, option in enumerate(["Handläggare", "Chef", "Annan roll"], start=1):
        rows = mine[mine["alternativ"].astype(str).isin([str(code), option, f"{code}.0"])].set_index("enkat")
        assert len(rows) == 3, option
        cells = _row(table, option)
        assert cells[1::3] == [format_value(rows.loc[w, "andel"], SHARE) for w in ("Enkät 1", "Enkät 2", "Enkät 3")]
    assert "summerar inte till 100" not in section
    assert "Alla alternativ" in section  # the test over every option, named as such


def test_multiple_choice_question_notes_that_the_shares_do_not_sum_to_100(mixed, results):
    section = _section(mixed[0].page("/jamforelse"), "flerval")
    table = _table(section, f"{CONTACT}: andel som valde varje alternativ")
    assert "En person kan välja flera alternativ, så andelarna summerar inte till 100 %." in table.replace("\xa0", " ")
    shares = results.shares
    phone = shares[(shares["fraga"] == "m01") & (shares["grupp"] == "Alla")]
    phone = phone[phone["alternativ"].astype(str).isin(["1", "Telefon", "1.0"])].set_index("enkat")
    assert _row(table, "Telefon")[1::3] == [format_value(phone.loc[w, "andel"], SHARE) for w in ("Enkät 1", "Enkät 2", "Enkät 3")]
    assert "<figure" not in section  # no stacked bar for shares that overlap, as in the report


def test_number_question_shows_n_mean_and_median_per_wave(mixed, results):
    section = _section(mixed[0].page("/jamforelse"), "numerisk")
    table = _table(section, f"{HOURS}: svaren per grupp och enkät")
    assert '<th scope="col" class="mean">Medelvärde</th>' in table and '<th scope="col" class="mean">Median</th>' in table
    numeric = results.numeric
    mine = numeric[(numeric["fraga"] == "n01") & (numeric["grupp"] == "Alla")].set_index("enkat")
    body = re.findall(r'<tr>\s*<th scope="row">Alla</th>(.*?)</tr>', table, re.S)
    assert len(body) == 3
    for wave, row in zip(("Enkät 1", "Enkät 2", "Enkät 3"), body, strict=True):
        cells = [html.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        assert cells[0] == wave
        assert cells[1] == str(int(mine.loc[wave, "n"]))
        assert cells[2] == format_value(mine.loc[wave, "medel"], MEAN)
        assert cells[4] == format_value(mine.loc[wave, "median"], MEAN)
    assert "medelvärde" in section and "median" in section  # the report's sentences


def test_organisation_filter_keeps_all_and_that_organisation(mixed):
    page = mixed[0].page("/jamforelse?organisation=Socialtj%C3%A4nsten")
    assert '<option value="Socialtjänsten" selected>' in page
    for kind, caption in [("janej", f"{YES_NO}: andel som svarade ja"), ("numerisk", f"{HOURS}: svaren per grupp")]:
        table = _table(_section(page, kind), caption)
        assert "Alla" in table and "Socialtjänsten" in table
        assert "Arbetsförmedlingen" not in table and "Arbetsmarknadsenheten" not in table
    for kind in ("enval", "flerval"):
        section = _section(page, kind)
        assert "Frågorna redovisas för alla svarande tillsammans, som i rapporten." in section
        assert "alla svarande</caption>" in section
    assert "Frågorna redovisas för alla svarande" not in mixed[0].page("/jamforelse")


def test_hostile_question_texts_are_escaped(tmp_path):
    text = INSTRUMENT.read_text(encoding="utf-8")
    quoted = yaml.safe_dump(HOSTILE, allow_unicode=True, default_style="'").strip()
    text = text.replace(f'"{YES_NO}"', quoted).replace(f'"{ROLE}"', quoted.replace("Utbildad?", "Roll?"))
    waves = []
    for wave in WAVES:
        rows = _rows(wave)
        rows[0] = [HOSTILE if h == YES_NO else HOSTILE.replace("Utbildad?", "Roll?") if h == ROLE else h for h in rows[0]]
        waves.append(_csv(rows))
    root = _project(tmp_path / "fientlig", text, waves)
    page = Browser(create_app(root, token=TOKEN, start_dir=tmp_path)).page("/jamforelse")
    assert "<img src=x" not in page and "onerror=alert(1)>" not in page
    assert "Utbildad? &lt;img src=x onerror=alert(1)&gt; &amp; &#34;citat&#34;" in page
    assert "Roll? &lt;img src=x onerror=alert(1)&gt;" in _section(page, "enval")


def test_scale_questions_outside_the_indices_on_an_endpoint_labelled_scale(tmp_path):
    """``indikator.yaml`` (1–7, only the ends labelled) with one question taken out of its index."""
    question = '{id: i07, text: "Vi ser deltagarnas behov på samma sätt", index: kultur}'
    text = (SAMPLES / "indikator.yaml").read_text(encoding="utf-8")
    assert question in text
    root = _project(tmp_path / "indikator", text.replace(question, question.replace(", index: kultur", "")), sample="indikator")
    browser = Browser(create_app(root, token=TOKEN, start_dir=tmp_path))
    page = browser.page("/jamforelse")
    assert page.count('<section class="index"') == 2
    section = _section(page, "skala")
    assert "<h2>Frågor som inte ingår i något index</h2>" in section
    assert '<th scope="col" class="percent">1 (Instämmer inte alls)</th>' in section
    assert '<th scope="col" class="percent">4</th>' in section and '<th scope="col" class="percent">7 (Instämmer helt)</th>' in section
    assert "Arbetsförmedlingen" in _table(section, "Vi ser deltagarnas behov på samma sätt: per grupp och enkät")
    assert "None" not in page and not re.search(r"\bnan\b", page, re.I)
    filtered = browser.page("/jamforelse?organisation=Socialtj%C3%A4nsten")
    table = _table(_section(filtered, "skala"), "Vi ser deltagarnas behov på samma sätt: per grupp och enkät")
    assert "Socialtjänsten" in table and "Alla" in table and "Arbetsförmedlingen" not in table


# ---------------------------------------------------------------- answer fixes on the question's own scale


def _with_unknown_answers(tmp_path: Path) -> Path:
    """The mixed project whose first wave has an unknown answer on four scales (rows 2–3 of the file)."""
    rows = _rows(WAVES[0])
    header = rows[0]
    for row in rows[1:3]:
        row[header.index(IMPORTANT)] = "Stämmer helt"  # the default scale
        row[header.index(MEETINGS)] = "Nästan aldrig"  # the frequency scale
        row[header.index(YES_NO)] = "Japp"  # the yes/no scale
        row[header.index(ROLE)] = "Handläggar"  # the question's own options
    waves = [_csv(rows), *(w.read_bytes() for w in WAVES[1:])]
    return _project(tmp_path / "svar", waves=waves)


def _choices(page: str, answer: str) -> tuple[str, str, list[str]]:
    """The scale key, the scale's name and the options offered for an unknown answer."""
    match = re.search(
        rf'name="svar-(\d+)" value="{re.escape(answer)}"><input type="hidden" name="skala-\1" value="([^"]*)"></th>.*?'
        r"<td>([^<]*)</td>\s*<td>.*?<select[^>]*>(.*?)</select>",
        page,
        re.S,
    )
    assert match, f"no fix for {answer}"
    options = [html.unescape(o) for o in re.findall(r"<option value=\"\d+\"[^>]*>(.*?)</option>", match.group(4))]
    return match.group(2), html.unescape(match.group(3)), options


def test_unknown_answers_get_the_values_of_their_questions_scale_and_become_aliases_there(tmp_path):
    root = _with_unknown_answers(tmp_path)
    assert not validate_project(root).valid
    browser = Browser(create_app(root, token=TOKEN, start_dir=tmp_path))
    page = browser.page("/enkater")
    assert _choices(page, "Stämmer helt") == (
        "",
        "standardskalan",
        ["1 = Instämmer inte alls", "2 = Instämmer i liten grad", "3 = Instämmer delvis", "4 = Instämmer i hög grad", "5 = Instämmer helt (förslag)"],
    )
    assert _choices(page, "Nästan aldrig") == ("frekvens", "skalan frekvens", ["1 = Aldrig (förslag)", "2 = Sällan", "3 = Ibland", "4 = Ofta", "5 = Alltid"])
    assert _choices(page, "Japp") == ("janej", "skalan janej", ["0 = Nej", "1 = Ja (förslag)"])
    key, name, options = _choices(page, "Handläggar")
    assert (key, name) == ("e01", "alternativen i e01")
    assert options == ["1 = Handläggare (förslag)", "2 = Chef", "3 = Annan roll"]
    assert "None" not in page

    numbers = {m.group(2): m.group(1) for m in re.finditer(r'name="svar-(\d+)" value="([^"]+)"', page)}
    form = {}
    for answer, value in [("Stämmer helt", "5"), ("Nästan aldrig", "1"), ("Japp", "1"), ("Handläggar", "1")]:
        n = numbers[answer]
        form |= {f"svar-{n}": answer, f"skala-{n}": _choices(page, answer)[0], f"varde-{n}": value}
    saved = browser.post("/enkater/svar", form).get_data(as_text=True)
    assert "4 svarsalternativ är sparade i projektfilen" in saved
    assert "Svar som inte finns på skalan" not in saved  # the cached reading is redone with the new aliases
    data = yaml.safe_load((root / "projekt.yaml").read_text(encoding="utf-8"))
    assert data["personalenkat"]["alias"] == {
        "Stämmer helt": 5,
        "frekvens": {"Nästan aldrig": 1},
        "janej": {"Japp": 1},
        "e01": {"Handläggar": 1},
    }
    project = load_project(root)
    assert project.answer_aliases == {"Stämmer helt": 5}
    assert project.scale_aliases == {"frekvens": {"Nästan aldrig": 1}, "janej": {"Japp": 1}, "e01": {"Handläggar": 1}}
    assert validate_project(root).valid
    tidy = survey_results(root).survey.tidy
    first = tidy[(tidy["enkat"] == "Enkät 1") & tidy["rad"].isin([2, 3])]
    values = {q: sorted(first[first["fraga"] == q]["varde"].tolist()) for q in ("q01", "q05", "j01", "e01")}
    assert values == {"q01": [5.0, 5.0], "q05": [1.0, 1.0], "j01": [1.0, 1.0], "e01": [1.0, 1.0]}


def test_an_alias_off_its_scale_or_for_no_scale_is_refused(tmp_path):
    root = _with_unknown_answers(tmp_path)
    browser = Browser(create_app(root, token=TOKEN, start_dir=tmp_path))
    page = browser.post("/enkater/svar", {"svar-0": "Nästan aldrig", "skala-0": "frekvens", "varde-0": "7"}).get_data(as_text=True)
    assert "finns inte på skalan ”frekvens” (1–5)" in page
    page = browser.post("/enkater/svar", {"svar-0": "Handläggar", "skala-0": "e01", "varde-0": "4"}).get_data(as_text=True)
    assert "bland koderna för alternativen i e01 (1–3)" in page
    page = browser.post("/enkater/svar", {"svar-0": "Aldrig", "skala-0": "frekvens", "varde-0": "1"}).get_data(as_text=True)
    assert "är redan ett svarsalternativ" in page
    page = browser.post("/enkater/svar", {"svar-0": "X", "skala-0": "finns-inte", "varde-0": "1"}).get_data(as_text=True)
    assert "varken en skala eller en fråga med egna alternativ" in page
    assert load_project(root).scale_aliases == {} and load_project(root).answer_aliases == {}


def test_per_scale_aliases_in_projekt_yaml_are_checked_when_read(tmp_path):
    root = _with_unknown_answers(tmp_path)

    def alias(value: dict) -> None:
        edit_project(root, project_version(root), [Set(("personalenkat", "alias"), value)])

    alias({"frekvens": {"Nästan aldrig": 9}})
    with pytest.raises(ProjectError, match="pekar på 9, som inte finns på skalan 1–5"):
        validate_project(root)
    alias({"veckodag": {"Måndag": 1}})
    with pytest.raises(ProjectError, match="'veckodag' under personalenkat: alias: är varken en skala"):
        validate_project(root)
    alias({"frekvens": {"Nästan aldrig": "ofta"}})
    with pytest.raises(ProjectError, match="ska peka på ett värde"):
        load_project(root)


def test_alias_keys_follow_the_question_to_its_scale():
    instrument = load_instrument(INSTRUMENT)
    keys = {q.id: alias_key(instrument, q) for q in instrument.questions}
    assert keys == {"q01": "", "q02": "", "q03": "", "q04": "", "q05": "frekvens", "q06": "frekvens", "q07": "frekvens",
                    "j01": "janej", "e01": "e01", "m01": "m01", "n01": None, "f01": None}  # fmt: skip
    assert alias_scale(instrument, "standard") is instrument.scale and alias_scale(instrument, "q01") is None
    extended, problems = with_answer_aliases(instrument, {"Toppen": 5}, {"standard": {"Botten": 1}, "m01": {"Mejl": 2}})
    assert problems == []
    assert extended.scale.aliases == {"Toppen": 5, "Botten": 1} and extended.scales["standard"] is extended.scale
    multiple = next(q for q in extended.questions if q.id == "m01")
    assert multiple.choices.aliases == {"Mejl": 2} and instrument.scale.aliases == {}
