"""Three waves in every export layout give the same results, through the command line, as the same answers in a plain CSV.

Each wave is a seeded random answer set (12–20 respondents, three
organisations, "Vet ej" and blanks, personal codes partly shared between the
waves) written by the fixture generators (``tests/fixtures/exports/generate*.py``)
in every layout. ``slutrapport compare`` is run on the three waves of each
layout with nothing but ``--instrument`` (the format, sheet, header rows and
encoding are found by themselves), and its ``jamforelse.csv``,
``forandringar.csv`` and ``reliabilitet.csv`` must be byte-identical to those
of the plain CSVs. The input files must be the same bytes afterwards.

The seed gives answers whose index standard deviations and Cronbach's alpha
came out with other last digits from files with more header rows, while the
analysis sorted respondents by their id (which holds the file row); it now
keeps the files' order.

The negative cases of issue 16's "Done when" that the other tests do not
already cover through the command line (``test_file_checks.py``,
``test_encodings.py``) are at the bottom.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import random
import shutil
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from slutrapport.cli import cli
from slutrapport.pipeline import build
from tests.fixtures.exports import generate as gen
from tests.fixtures.exports import generate_nordic as nordic
from tests.fixtures.exports import generate_tools as tools

EXPORTS = gen.HERE
INSTRUMENT = EXPORTS / "instrument.yaml"
RESULTS = ("jamforelse.csv", "forandringar.csv", "reliabilitet.csv")
WAVES = (1, 2, 3)
#: Organisations with weights: the first is shown in every wave, the last mostly hidden (fewer than 5 answers).
ORGANISATIONS = {"Arbetsförmedlingen": 5, "Socialtjänsten": 4, "Arbetsmarknadsenheten": 2}
FREE_TEXTS = ["", "", "", "Bra möten, men för få.", 'Vi behöver "en väg in".', "Fungerar bra; tack!", "Mer tid behövs.\nOch tydligare ansvar.",
              "Ökad samsyn – äntligen", "Svårt att nå rätt person på Försäkringskassan"]
#: Personal codes; each wave takes some, so that some people can be followed between the waves.
CODE_POOL = [f"{a}{b}{n}" for a, b, n in zip("abcdefghijklmnopqrstuvwx", "zyxwvutsrqponmlkjihgfedc", range(10, 34), strict=True)]


def random_wave(wave: int) -> gen.Survey:
    """The answers of one wave: seeded, different for every wave, with "Vet ej" and blanks."""
    rng = random.Random(1640 + wave)
    n = rng.randint(12, 20)
    orgs = rng.choices(list(ORGANISATIONS), weights=list(ORGANISATIONS.values()), k=n)
    codes = [code if rng.random() < 0.75 else "" for code in rng.sample(CODE_POOL, n)]
    scale = [1, 2, 3, 4, 5, gen.DONT_KNOW, None]
    answers = [[rng.choices(scale, weights=[1, 2, 3, 4, 3, 1, 1])[0] for _ in gen.ITEMS] for _ in range(n)]
    start = gen.START + timedelta(days=120 * (wave - 1))
    times = [start + timedelta(hours=3 * i, minutes=11 * i, seconds=i) for i in range(n)]
    # Other people in every wave: Artologik's Respondent column holds the e-mail address, and the same
    # addresses in two waves are reported as the same respondents (an error).
    people = [(f"Förnamn{i}", f"Efternamn{wave}x{i}", f"person{wave}.{i}@example.se", f"192.0.2.{10 * wave + i}") for i in range(n)]
    return gen.Survey(orgs, codes, answers, [rng.choice(FREE_TEXTS) for _ in range(n)], times, people, first_id=100 * wave)


def _mac_roman(survey: gen.Survey, folder: Path) -> None:
    """The plain table saved as "CSV (Macintosh)": Mac Roman, ';'."""
    gen.write_csv(folder / "mac_roman.csv", gen.plain_rows(survey), encoding="mac_roman", sep=";")


#: Every generator writing a wave into a folder (each writes one or more layouts).
WRITERS: list[Callable[[gen.Survey, Path], None]] = [
    gen.plain, gen.google_forms, gen.microsoft_forms, gen.surveymonkey, gen.qualtrics,
    nordic.netigate, nordic.webropol, nordic.esmaker, nordic.artologik,
    tools.surveymonkey_sv, tools.surveymonkey_expanded, tools.limesurvey_codes, _mac_roman,
]  # fmt: skip

#: layout → (file written in each wave's folder, label file for --etiketter or None). The other files the
#: generators write are compared with their plain twin for one wave in test_readers.py, test_nordic_exports.py
#: and test_surveymonkey.py; each layout here costs a whole compare.
LAYOUTS = {
    "windows-1252 (Swedish Excel, ';', numbers)": ("plain_excel_sv.csv", None),
    "mac-roman": ("mac_roman.csv", None),
    "utf-16 tab-separated": ("plain_unicode.txt", None),
    "google-forms csv": ("google_forms.csv", None),
    "microsoft-forms swedish xlsx": ("microsoft_forms_sv.xlsx", None),
    "surveymonkey csv": ("surveymonkey.csv", None),
    "surveymonkey xlsx": ("surveymonkey.xlsx", None),
    "surveymonkey swedish csv": ("surveymonkey_sv.csv", None),
    "surveymonkey swedish xlsx": ("surveymonkey_sv.xlsx", None),
    "surveymonkey expanded csv": ("surveymonkey_expanded.csv", None),
    "qualtrics csv": ("qualtrics.csv", None),
    # Question codes as headings and the organisation as answer codes (A1, A2 …): nothing in the file says
    # which question G01Q03[SQ001] is or which organisation A2 is, so this one needs the label file (--etiketter).
    "limesurvey codes + lss": ("limesurvey_koder.csv", "limesurvey_koder.lss"),
    "netigate xlsx": ("netigate.xlsx", None),
    "webropol xlsx": ("webropol.xlsx", None),
    "esmaker csv": ("esmaker.csv", None),
    "artologik xlsx": ("artologik.xlsx", None),
}


def compare(files: list[Path], out: Path, *extra: str):
    return CliRunner().invoke(cli, ["compare", "--instrument", str(INSTRUMENT), *map(str, files), "--out", str(out), *extra])


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module", autouse=True)
def numbers_only():
    """``compare`` without drawing jamforelse.xlsx and jamforelse.html (charts take most of its time).

    They are renderings of the same results as the CSV files compared here, and
    are tested with the renderers; everything up to the CSV files runs as it is.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(build, "comparison_report", lambda results: None)
        patch.setattr(build, "render_excel", lambda report: b"")
        patch.setattr(build, "render_html", lambda report: "")
        patch.setattr(build, "charts_in_order", lambda report, pictures_only=False: [])
        yield


@pytest.fixture(scope="module")
def waves(tmp_path_factory) -> Path:
    """Every layout of the three waves, in the folders w1, w2, w3 (written once for the module)."""
    root = tmp_path_factory.mktemp("waves")
    for wave in WAVES:
        folder = root / f"w{wave}"
        folder.mkdir()
        survey = random_wave(wave)
        for write in WRITERS:
            write(survey, folder)
        tools.limesurvey_labels(folder)
    return root


def wave_files(root: Path, name: str) -> list[Path]:
    return [root / f"w{wave}" / name for wave in WAVES]


@pytest.fixture(scope="module")
def reference(waves, tmp_path_factory) -> dict[str, bytes]:
    """The results of the three plain CSVs, computed once."""
    out = tmp_path_factory.mktemp("reference")
    result = compare(wave_files(waves, "plain.csv"), out)
    assert result.exit_code == 0, result.output
    return {name: (out / name).read_bytes() for name in RESULTS}


def test_the_waves_differ_and_some_groups_are_shown_and_some_hidden(waves, reference):
    surveys = [random_wave(wave) for wave in WAVES]
    assert len({str(s.answers) for s in surveys}) == 3 and all(12 <= len(s.orgs) <= 20 for s in surveys)
    flat = [v for s in surveys for row in s.answers for v in row]
    assert {1, 2, 3, 4, 5, gen.DONT_KNOW, None} <= set(flat)
    assert set(surveys[0].codes) & set(surveys[1].codes) - {""}  # some people can be followed
    table = list(csv.DictReader(io.StringIO(reference["jamforelse.csv"].decode("utf-8"))))
    shown = {(row["grupp"], row["enkat"]) for row in table if row["undertryckt"] == "false" and row["grupp"] != "Alla"}
    hidden = {(row["grupp"], row["enkat"]) for row in table if row["undertryckt"] == "true"}
    assert shown and hidden, table
    assert reference["forandringar.csv"].count(b"\n") > 1 and reference["reliabilitet.csv"].count(b"\n") > 1


def _differences(name: str, expected: bytes, got: bytes) -> str:
    lines = difflib.unified_diff(expected.decode("utf-8").splitlines(), got.decode("utf-8").splitlines(), "plain.csv", name, lineterm="", n=0)
    return "\n".join(list(lines)[:40])


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_every_layout_gives_the_results_of_the_plain_csv(layout, waves, reference, tmp_path):
    name, labels = LAYOUTS[layout]
    files = wave_files(waves, name)
    inputs = [*files, *([waves / "w1" / labels] if labels else [])]
    before = [digest(path) for path in inputs]
    extra = ["--etiketter", str(waves / "w1" / labels)] if labels else []
    result = compare(files, tmp_path / "ut", *extra)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    differences = {
        output: _differences(output, reference[output], (tmp_path / "ut" / output).read_bytes())
        for output in RESULTS
        if (tmp_path / "ut" / output).read_bytes() != reference[output]
    }
    assert not differences, "\n\n".join(f"{layout} ({name}), {output}:\n{diff}" for output, diff in differences.items())
    assert [digest(path) for path in inputs] == before  # input files are never modified


# --------------------------------------------------------------------------- the negative "Done when" cases


def test_the_same_workbook_for_two_waves_stops_compare(waves, tmp_path):
    first, second, _ = wave_files(waves, "netigate.xlsx")
    result = compare([first, second, first], tmp_path / "ut")
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "samma fil (samma innehåll) har angetts för Enkät 1 och Enkät 3 (filen netigate.xlsx två gånger)" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "ut").exists()


def test_surveymonkey_waves_with_the_same_respondent_ids_stop_compare(tmp_path):
    # Wave 2's answers under wave 1's respondent IDs: an export of the wrong collector, or the same one twice.
    first, second = random_wave(1), random_wave(2)
    n = min(len(first.orgs), len(second.orgs))
    for folder, survey in (("a", first), ("b", second)):
        (tmp_path / folder).mkdir()
        rows = {field: getattr(survey, field)[:n] for field in ("orgs", "codes", "answers", "free", "times", "people")}
        gen.surveymonkey(gen.Survey(**rows, first_id=7), tmp_path / folder)
    result = compare([tmp_path / "a" / "surveymonkey.csv", tmp_path / "b" / "surveymonkey.csv"], tmp_path / "ut")
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert f"{n} svarande-id finns både i Enkät 1 ({n} id) och i Enkät 2 ({n} id)" in result.output
    assert "Traceback" not in result.output


def test_a_repeated_row_counts_once_and_compare_warns(waves, reference, tmp_path):
    # The SurveyMonkey export of wave 2 with its third respondent's row again at the end (the same Respondent ID).
    files = [shutil.copy(path, tmp_path / f"w{wave}.csv") for wave, path in zip(WAVES, wave_files(waves, "surveymonkey_sv.csv"), strict=True)]
    text = files[1].read_bytes()
    lines = text.split(b"\r\n")
    files[1].write_bytes(text + lines[4] + b"\r\n")
    result = compare(files, tmp_path / "ut")
    assert result.exit_code == 0, result.output
    assert "1 svarande-id förekommer på flera rader" in result.output and "--behall-dubbletter" in result.output
    for output in RESULTS:
        assert (tmp_path / "ut" / output).read_bytes() == reference[output], output


def test_validate_reports_the_guessed_mac_roman(waves):
    path = waves / "w1" / "mac_roman.csv"
    result = CliRunner().invoke(cli, ["validate", str(path), "--instrument", str(INSTRUMENT)])
    assert result.exit_code == 0, result.output
    assert "teckenkodningen gissades till Mac Roman; ange --encoding om å, ä och ö ser fel ut" in result.output


def test_validate_gives_the_hint_for_mojibake(waves, tmp_path):
    # A plain export whose free texts were once read as Windows-1252 and saved as UTF-8 again ("ä" → "Ã¤").
    path = tmp_path / "omsparad.csv"
    header, *rows = gen.plain_rows(random_wave(1))
    rows = [[*row[:-1], "Vi är nöjda med samverkan".encode().decode("cp1252")] for row in rows]
    gen.write_csv(path, [header, *rows])
    assert "Ã¤" in path.read_text(encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(path), "--instrument", str(INSTRUMENT)])
    assert result.exit_code == 0, result.output
    assert "filen har sparats om med fel teckenkodning. Exportera den igen som UTF-8, eller ange --encoding" in result.output
