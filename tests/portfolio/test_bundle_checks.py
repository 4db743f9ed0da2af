"""Damaged bundles: each is listed in the portfolio's problem table with the file and the JSON path, and left
out of every table and chart, while the other bundles still make the portfolio.

One portfolio is built (module fixture) from two good bundles and one file per damage class; each test
checks its own damage. Building it must not block on the named pipe nor overflow the stack on the
100 000-deep array; an alarm fails the fixture instead of hanging the run.
"""

from __future__ import annotations

import io
import json
import os
import signal
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from slutrapport.cli import cli
from slutrapport.portfolio import CSV_FILES, PortfolioError, bundlefile, collect_bundles, portfolio_outputs
from slutrapport.portfolio.bundlefile import BundleFileError, read_bundle_file
from tests.portfolio.helpers import bundle, contract_tables, write_bundle

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes (os.mkfifo) are POSIX only")

GOOD = ["Alfa", "Beta"]
LIMIT = 300 * 1024  # the size limit while the module's portfolio is built (good bundles: about 10 kB; "djup": 195 kB)
MARK = 12345.678  # a mean written into a bundle, then replaced in the file's text


@contextmanager
def no_hang(seconds: int = 60):
    """Fail instead of waiting forever (opening a named pipe for reading blocks until someone writes)."""

    def stop(signum, frame):
        raise TimeoutError("reading the bundles hung")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _text(name: str, **changes) -> str:
    """A good bundle of the project ``name`` as indented JSON text, with ``changes`` to its data first."""
    data = bundle(name)
    for change in changes.values():
        change(data)
    return json.dumps(data, ensure_ascii=False, indent=1)


def _first_row(data: dict) -> list:
    row = data["tabeller"]["jamforelse"]["rader"][0]
    assert row[3] == "Alla" and row[-1] is False  # shown: index a, all respondents, Enkät 1
    return row


def _set_mean(data: dict) -> None:
    _first_row(data)[6] = MARK


def _set_count(data: dict) -> None:
    _first_row(data)[5] = MARK


def _write(folder: Path, content: str | bytes) -> Path:
    folder.mkdir(parents=True)
    path = folder / "rapport.json"
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def _damage(root: Path) -> dict[str, Path]:
    """One bundle file per damage class, each in its own project folder."""
    files = {}
    text = _text("Skadad dubblett")
    files["dubblett"] = _write(root / "dubblett", text.replace('"skapad": "2026-06-30",', '"skapad": "2026-06-30",\n "skapad": "2027-01-01",'))
    files["medel"] = _write(root / "medel", _text("Skadad medel", mean=_set_mean).replace(str(MARK), "1e400"))
    files["antal"] = _write(root / "antal", _text("Skadad antal", count=_set_count).replace(str(MARK), "1e400"))
    files["nan"] = _write(root / "nan", _text("Skadad nan", mean=_set_mean).replace(str(MARK), "NaN"))
    files["datum"] = _write(root / "datum", _text("Skadad datum").replace('"skapad": "2026-06-30"', '"skapad": "2025-02-30"'))
    files["version"] = _write(root / "version", _text("Skadad version").replace('"schema_version": "1.2"', '"schema_version": "1.7"'))
    files["djup"] = _write(root / "djup", '{"schema_version": "1.2", "tabeller": ' + "[" * 100_000 + "]" * 100_000 + "}")
    big = bundle("Skadad stor")
    big["rubriker"][0]["text"] = "Lång text. " * 40_000  # about 440 kB, a valid narrative
    files["stor"] = write_bundle(root / "stor", big)
    (root / "fifo").mkdir()
    os.mkfifo(root / "fifo" / "rapport.json")
    files["fifo"] = root / "fifo" / "rapport.json"
    (root / "mapp" / "rapport.json").mkdir(parents=True)
    files["mapp"] = root / "mapp" / "rapport.json"
    whole = _text("Skadad avkortad")
    files["avkortad"] = _write(root / "avkortad", whole[: len(whole) // 2])
    files["kodning"] = _write(root / "kodning", _text("Skadad kodning").encode("cp1252"))  # "personalenkät": not UTF-8
    return files


#: damage class → what its problem row says (after "Rapportfilen <file>")
EXPECTED = {
    "dubblett": ': $.skapad: nyckeln "skapad" förekommer mer än en gång i samma objekt.',
    "medel": ": $.tabeller.jamforelse.rader[0][6] (tabellen jamforelse, rad 1, kolumn medel): 1e400 är inget ändligt tal.",
    "antal": ": $.tabeller.jamforelse.rader[0][5] (tabellen jamforelse, rad 1, kolumn n): 1e400 är inget ändligt tal.",
    "nan": ": $.tabeller.jamforelse.rader[0][6] (tabellen jamforelse, rad 1, kolumn medel): NaN är inget ändligt tal.",
    "datum": ': $.skapad: "2025-02-30" är inget giltigt datum (ÅÅÅÅ-MM-DD).',
    "version": " har schemaversion 1.7, som skapats med en nyare version av slutrapport.",
    "djup": " är nästlad i 100001 nivåer, fler än de 20 som tillåts; den läses inte.",
    "stor": " är {kb} kB, större än gränsen 300 kB för en rapportfil; den läses inte.",
    "fifo": " är en namngiven pipe (FIFO), inte en vanlig fil; den läses inte.",
    "mapp": " är en mapp, inte en vanlig fil; den läses inte.",
    "avkortad": " tar slut mitt i innehållet",
    "kodning": " är inte en rapport.json: filen är inte UTF-8-kodad text (ogiltig byte vid position",
}


@pytest.fixture(scope="module")
def damaged(tmp_path_factory):
    root = tmp_path_factory.mktemp("skadade")
    write_bundle(root / "alfa", bundle("Alfa", contract=contract_tables()))
    write_bundle(root / "beta", bundle("Beta"))
    files = _damage(root)
    with pytest.MonkeyPatch.context() as patch, no_hang():
        patch.setattr(bundlefile, "MAX_BUNDLE_BYTES", LIMIT)
        outputs, report = portfolio_outputs([root])
    return files, outputs, report


def _all_text(outputs: dict[str, bytes]) -> str:
    parts = []
    for name, data in outputs.items():
        if name.endswith(".xlsx"):
            workbook = load_workbook(io.BytesIO(data))
            parts += [str(c.value) for ws in workbook.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
        else:
            parts.append(data.decode("utf-8"))
    return "\n".join(parts)


@pytest.mark.parametrize("damage", list(EXPECTED))
def test_a_damaged_bundle_is_a_problem_row_and_left_out(damaged, damage):
    files, outputs, report = damaged
    path = files[damage]
    rows = [p for p in report.problems if p.fil == str(path)]
    assert rows, [p.fil for p in report.problems]
    assert all(p.allvar == "fel" and p.meddelande.endswith("Filen ingår inte i portföljen.") for p in rows)
    expected = EXPECTED[damage].replace("{kb}", str(path.stat().st_size // 1024) if path.is_file() else "")
    assert rows[0].meddelande.startswith(f"Rapportfilen {path}{expected}"), rows[0].meddelande
    # in the problem table of every output, and the other bundles still make the portfolio
    problems = pd.read_csv(io.BytesIO(outputs[CSV_FILES["problem"]]), keep_default_na=False, dtype=str)
    assert rows[0].meddelande in set(problems["meddelande"])
    html = outputs["portfolio.html"].decode("utf-8")
    assert "Problem vid inläsningen" in html and str(path) in html
    projects = pd.read_csv(io.BytesIO(outputs[CSV_FILES["projekt"]]), keep_default_na=False, dtype=str)
    assert list(projects["projekt"]) == GOOD
    assert set(pd.read_csv(io.BytesIO(outputs[CSV_FILES["personalenkat"]]), dtype=str)["projekt"]) == set(GOOD)


def test_the_damaged_projects_are_in_no_table_or_chart(damaged):
    files, outputs, report = damaged
    assert len({p.fil for p in report.errors()}) == len(files) == len(EXPECTED)
    text = _all_text(outputs)
    assert "Skadad" not in text  # the refused projects' names: in no table, chart text or page
    for name in GOOD:
        assert f"<h2>{name}</h2>" in text
    assert "Traceback" not in text and "oväntat" not in text


def test_what_the_problem_rows_say_about_where(damaged):
    files, _, report = damaged
    medel = next(p for p in report.problems if p.fil == str(files["medel"]))
    assert (medel.kontroll, medel.rad, medel.kolumn, medel.varde) == ("json", 1, "jamforelse.medel", "1e400")
    datum = next(p for p in report.problems if p.fil == str(files["datum"]))
    assert (datum.kontroll, datum.rad, datum.kolumn, datum.varde) == ("schema", None, None, '"2025-02-30"')
    version = next(p for p in report.problems if p.fil == str(files["version"]))
    assert version.kontroll == "schemaversion" and "1.0, 1.1, 1.2, 1.3 och 1.4" in version.meddelande


# -- the reader alone ------------------------------------------------------------------


def _refusal(path: Path, **kwargs) -> list[str]:
    with pytest.raises(BundleFileError) as caught:
        read_bundle_file(path, **kwargs)
    return [p.message for p in caught.value.problems]


def test_a_file_over_the_default_limit_is_refused_from_its_size_alone(tmp_path):
    path = tmp_path / "rapport.json"
    with path.open("wb") as file:
        file.truncate(bundlefile.MAX_BUNDLE_BYTES + 1)  # sparse: 50 MB on paper, nothing to read
    assert _refusal(path) == [f"Rapportfilen {path} är 50 MB, större än gränsen 50 MB för en rapportfil; den läses inte."]
    assert bundlefile.MAX_BUNDLE_BYTES == 50 * 1024 * 1024


def test_a_named_pipe_given_on_the_command_line_is_refused_without_opening_it(tmp_path):
    pipe = tmp_path / "rapport.json"
    os.mkfifo(pipe)
    write_bundle(tmp_path / "a", bundle("Alfa"))
    with no_hang():
        collection = collect_bundles([pipe, tmp_path / "a"])
    assert [b.name for b in collection.bundles] == ["Alfa"]
    assert "namngiven pipe (FIFO)" in collection.report.errors()[0].meddelande


@pytest.mark.parametrize(
    ("literal", "what"),
    [("Infinity", "Infinity är inget ändligt tal"), ("-Infinity", "-Infinity är inget ändligt tal"),
     ("-1e999", "-1e999 är inget ändligt tal"), ("1" * 5000, "är ett för stort tal")],
)  # fmt: skip
def test_every_number_that_is_not_finite_is_refused_with_its_path(tmp_path, literal, what):
    path = _write(tmp_path / "p", _text("P", mean=_set_mean).replace(str(MARK), literal))
    [message] = _refusal(path)
    assert "$.tabeller.jamforelse.rader[0][6] (tabellen jamforelse, rad 1, kolumn medel): " in message and what in message


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["tabeller"]["jamforelse"]["rader"][2].__setitem__(5, -3),
         "$.tabeller.jamforelse.rader[2][5] (tabellen jamforelse, rad 3, kolumn n): -3 är negativt, men ska vara 0 eller mer"),
        (lambda d: d["tabeller"]["jamforelse"]["rader"][2].__setitem__(5, 2.5),
         "kolumn n): 2.5 är ett tal med decimaler, men ska vara ett heltal eller null"),
        (lambda d: d["fullstandighet"].__setitem__("kravda", -1), "$.fullstandighet.kravda: -1 är negativt"),
        (lambda d: d["tabeller"].__setitem__("svar", {"kolumner": ["respondent"], "rader": []}), '$.tabeller: okänd tabell "svar"'),
        (lambda d: d["mall"].pop("id"), "$.mall: nyckeln id saknas"),
        (lambda d: d["projekt"]["uppgifter"].__setitem__("Projektägare", "x" * 20_001),
         '$.projekt.uppgifter["Projektägare"]: texten är 20001 tecken lång, men får vara högst 20000 tecken'),
        (lambda d: d.__setitem__("skapad", "30 juni 2026"), '$.skapad: "30 juni 2026" är inget giltigt datum'),
        (lambda d: d["projekt"]["uppgifter"].__setitem__("x" * 1001, None),
         "$.projekt.uppgifter: en nyckel är 1001 tecken lång, men får vara högst 1000 tecken"),
        (lambda d: d["tabeller"]["forandringar"]["kolumner"].pop(),
         "$.tabeller.forandringar.kolumner: kolumnerna ska i schemaversion 1.2 vara exakt niva, id,"),
    ],
)  # fmt: skip
def test_schema_violations_name_the_json_path(tmp_path, change, expected):
    data = bundle("P")
    change(data)
    message = _refusal(write_bundle(tmp_path / "p", data))[0]
    assert message.startswith(f"Rapportfilen {tmp_path / 'p' / 'rapport.json'}: ") and expected in message, message


def test_a_hidden_cell_with_numbers_is_refused_without_repeating_them(tmp_path):
    data = bundle("P")
    rows = data["tabeller"]["jamforelse"]["rader"]
    number, row = next((n, r) for n, r in enumerate(rows) if r[-1] is True)
    row[5:10] = [3, 4.321, 0.5, 4.321, 0.321]
    messages = _refusal(write_bundle(tmp_path / "p", data))
    assert messages[0].endswith(f"rader[{number}][5] (tabellen jamforelse, rad {number + 1}, kolumn n): värdet ska vara null: cellen är "
                                "undertryckt (dold) och får inte visa något tal.")  # fmt: skip
    assert not any(secret in m for m in messages for secret in ("4.321", "0.321", "4,321"))


def test_many_errors_are_listed_five_at_a_time_with_the_rest_counted(tmp_path):
    data = bundle("P")
    for row in data["tabeller"]["forandringar"]["rader"]:
        row[6] = -1  # n_fran of every row
    messages = _refusal(write_bundle(tmp_path / "p", data))
    assert len(messages) == 6 and all("kolumn n_fran): -1 är negativt" in m for m in messages[:5])
    rows = len(data["tabeller"]["forandringar"]["rader"])
    assert messages[5] == f"Rapportfilen {tmp_path / 'p' / 'rapport.json'} har minst {rows - 5} fel till mot schemat för rapport.json."


def test_text_with_an_unpaired_surrogate_is_refused_and_the_message_can_be_written(tmp_path):
    path = _write(tmp_path / "p", _text("P").replace('"titel": "P"', '"titel": "P\\ud800"'))
    [message] = _refusal(path)
    assert "$.projekt.titel: texten " in message and "ensamt surrogattecken" in message
    message.encode("utf-8")  # the problem table is written as UTF-8


def test_older_versions_and_a_byte_order_mark_are_read(tmp_path):
    for version in ("1.0", "1.1"):
        data, _ = read_bundle_file(write_bundle(tmp_path / version, bundle("P", version=version)))
        assert data["schema_version"] == version
    path = _write(tmp_path / "bom", "\ufeff" + _text("P"))
    assert read_bundle_file(path)[0]["projekt"]["titel"] == "P"


def test_the_demos_bundles_pass_every_check(demo_dir):
    """The sample project's bundle, and the demo portfolio built from it and two variants without a problem."""
    jsonschema = pytest.importorskip("jsonschema")
    from slutrapport.render.bundle import schema

    data, _ = read_bundle_file(demo_dir / "rapport.json")
    jsonschema.Draft202012Validator(schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER).validate(data)
    problems = pd.read_csv(demo_dir / "portfolj" / CSV_FILES["problem"], keep_default_na=False, dtype=str)
    assert not (problems["allvar"] == "fel").any(), problems.to_dict("records")
    projects = pd.read_csv(demo_dir / "portfolj" / CSV_FILES["projekt"], dtype=str)
    assert len(projects) == 3


# -- the command line ----------------------------------------------------------------------


def test_cli_lists_damaged_bundles_and_builds_from_the_others(tmp_path):
    write_bundle(tmp_path / "in" / "alfa", bundle("Alfa"))
    _write(tmp_path / "in" / "medel", _text("Skadad", mean=_set_mean).replace(str(MARK), "1e400"))
    _write(tmp_path / "in" / "djup", "[" * 100_000 + "]" * 100_000)
    os.mkfifo(tmp_path / "in" / "rapport.json")
    with no_hang():
        result = CliRunner().invoke(cli, ["portfolio", str(tmp_path / "in"), "--out", str(tmp_path / "ut")])
        strict = CliRunner().invoke(cli, ["portfolio", str(tmp_path / "in"), "--out", str(tmp_path / "ut2"), "--strict"])
    assert result.exit_code == 0, result.output  # as before: a portfolio with problems is built, the problems listed
    assert "3 fel och 0 varning(ar) i rapportfilerna" in result.output
    assert "$.tabeller.jamforelse.rader[0][6]" in result.output and "1e400 är inget ändligt tal" in result.output
    assert "namngiven pipe (FIFO)" in result.output and "nästlad i 100000 nivåer" in result.output
    assert (tmp_path / "ut" / "portfolio.html").is_file()
    assert strict.exit_code == 1 and "--strict" in strict.output and not (tmp_path / "ut2").exists()
    for output in (result.output, strict.output):
        assert "Traceback" not in output and "oväntat" not in output


def test_cli_with_every_bundle_damaged_fails_with_the_reasons(tmp_path):
    _write(tmp_path / "medel", _text("Skadad", mean=_set_mean).replace(str(MARK), "1e400"))
    _write(tmp_path / "version", _text("Skadad").replace('"schema_version": "1.2"', '"schema_version": "9.0"'))
    result = CliRunner().invoke(cli, ["portfolio", str(tmp_path), "--out", str(tmp_path / "ut")])
    assert result.exit_code == 1 and "Fel: Ingen rapportfil (rapport.json) kunde läsas" in result.output
    assert "1e400 är inget ändligt tal" in result.output and "schemaversion 9.0" in result.output
    assert "Traceback" not in result.output and "oväntat" not in result.output and not (tmp_path / "ut").exists()
    with pytest.raises(PortfolioError):
        collect_bundles([tmp_path])
