"""Hostile input through the command line: a clear Swedish message and exit 0 or 1, never a hang,
a traceback or "Ett oväntat fel inträffade".

Special files (a named pipe, a folder, ``/dev/zero``) where the user's files
should be go through ``validate``, ``compare``, ``build`` and ``check``. Each
command runs with a time limit: in a thread (a pipe it blocks on is unblocked
afterwards) or, for ``/dev/zero``, in a child process with bounded memory, so
a regression fails instead of hanging or filling the memory. Then values the
readers must refuse in words (numbers past float range or of thousands of
digits, dates not in the calendar, a broken form), output paths of the wrong
kind and a very long project name.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import threading
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from slutrapport.cli import cli
from tests.special_files import special

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data_samples"
EXPORTS = ROOT / "tests" / "fixtures" / "exports"
posix_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes and /dev/zero exist on POSIX only")
has_dev_zero = pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
UNEXPECTED = "oväntat fel"
HUGE = "9" * 5000
SAYS = {"pipe": "en namngiven pipe", "mapp": "en mapp", "enhet": "en teckenenhet"}


# ---------------------------------------------------------------- running the command line


def _unblock(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))  # a reader blocked in opening the pipe gets end-of-file


def run(*args: object, pipes: tuple[Path, ...] = (), seconds: float = 120) -> Result:
    """``slutrapport ARGS`` in this process, in a thread: fail (unblocking ``pipes``) when it does not end in time."""
    box: dict[str, Result] = {}
    thread = threading.Thread(target=lambda: box.setdefault("result", CliRunner().invoke(cli, [str(a) for a in args])), daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        for pipe in pipes:
            _unblock(pipe)
        thread.join(10)
        pytest.fail(f"slutrapport {' '.join(map(str, args))} did not end within {seconds} s: a special file was opened")
    return box["result"]


def run_process(*args: object, seconds: float = 120) -> tuple[int, str]:
    """``slutrapport ARGS`` in a child process with at most 4 GB of memory (reading /dev/zero fails instead of
    filling the machine's memory) and a time limit."""

    def limit_memory() -> None:  # pragma: no cover - runs in the child
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (4 * 1024**3, 4 * 1024**3))

    env = {**os.environ, "PYTHONPATH": str(ROOT), "SLUTRAPPORT_DEBUG": ""}
    try:
        done = subprocess.run(
            [sys.executable, "-m", "slutrapport", *map(str, args)],
            capture_output=True, text=True, encoding="utf-8", timeout=seconds, env=env, preexec_fn=limit_memory,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        pytest.fail(f"slutrapport {' '.join(map(str, args))} did not end within {seconds} s")
    return done.returncode, done.stdout + done.stderr


def assert_clean(code: int, output: str, expected: int | None = 1) -> None:
    """Exit 0 or 1 (``expected`` when given), and neither a traceback nor the unexpected-error message."""
    assert code in (0, 1), output
    if expected is not None:
        assert code == expected, output
    assert UNEXPECTED not in output and "Traceback" not in output, output


def assert_result(result: Result, expected: int | None = 1) -> str:
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert_clean(result.exit_code, result.output, expected)
    return result.output


# ---------------------------------------------------------------- small projects


PROJECT_HEAD = "projekt:\n  namn: Testprojekt\n  period: {start: 2025-01-01, slut: 2026-06-30}\n"
SOURCES = {
    "enkat": (
        ["enkater/enkat3.csv", "enkater/enkat2_microsoft_forms.xlsx"],
        "personalenkat:\n  instrument: samverkan\n  enkater:\n"
        "    - {fil: enkater/enkat2_microsoft_forms.xlsx, etikett: Enkät 1}\n    - {fil: enkater/enkat3.csv, etikett: Enkät 2}\n",
    ),
    "ekonomi": (["ekonomi.xlsx"], "ekonomi:\n  fil: ekonomi.xlsx\n"),
    "socioekonomi": (["socioekonomi.yaml"], "socioekonomi:\n  fil: socioekonomi.yaml\n"),
    "deltagare": (
        ["deltagare.csv"],
        "deltagare:\n  fil: deltagare.csv\n  kolumner:\n    \"Huvudsaklig försörjning före\": forsorjning\n",
    ),
    "sjalvvardering": (["sjalvvardering/slut-01.xlsx"], "sjalvvardering:\n  mapp: sjalvvardering\n"),
    "texter": (["texter/uppdraget.md"], ""),
}


def project(tmp_path: Path, *sources: str, head: str = PROJECT_HEAD) -> Path:
    """A project folder with only the named data sources (files copied from the sample project)."""
    root = tmp_path / "projekt"
    root.mkdir()
    text = head
    for source in sources:
        files, yaml_text = SOURCES[source]
        for name in files:
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(SAMPLES / name, root / name)
        text += yaml_text
    (root / "projekt.yaml").write_text(text, encoding="utf-8")
    return root


# ---------------------------------------------------------------- special files in a project

#: (data source, its file, the commands that read it)
PROJECT_INPUTS = [
    ("enkat", "projekt.yaml", ("validate", "build", "check")),
    ("enkat", "enkater/enkat3.csv", ("validate", "build")),
    ("enkat", "enkater/enkat2_microsoft_forms.xlsx", ("validate",)),
    ("sjalvvardering", "sjalvvardering/slut-01.xlsx", ("validate", "build")),
    ("deltagare", "deltagare.csv", ("validate", "build")),
    ("ekonomi", "ekonomi.xlsx", ("validate", "build", "check")),
    ("socioekonomi", "socioekonomi.yaml", ("validate", "build", "check")),
    ("texter", "texter/uppdraget.md", ("build", "check")),
]
CASES = [(source, name, command) for source, name, commands in PROJECT_INPUTS for command in commands]


def _command(command: str, root: Path, tmp_path: Path) -> list[object]:
    return {"validate": ["validate", root], "build": ["build", root, "--out", tmp_path / "ut"], "check": ["check", root]}[command]


def _names_the_file(output: str, name: str, kind: str) -> None:
    assert f"ingen vanlig fil ({SAYS[kind]}" in output, output
    assert Path(name).name in output, output


@posix_only
@pytest.mark.parametrize(("source", "name", "command"), CASES)
def test_a_named_pipe_in_a_project_is_refused(tmp_path, source, name, command):
    root = project(tmp_path, source)
    pipe = special(root / name, "pipe")
    output = assert_result(run(*_command(command, root, tmp_path), pipes=(pipe,)))
    _names_the_file(output, name, "pipe")


@pytest.mark.parametrize(("source", "name", "command"), [c for c in CASES if not c[1].startswith("sjalvvardering/")])
def test_a_folder_where_a_project_file_goes_is_refused(tmp_path, source, name, command):
    root = project(tmp_path, source)
    special(root / name, "mapp")
    _names_the_file(assert_result(run(*_command(command, root, tmp_path))), name, "mapp")


@posix_only
def test_a_forms_folder_that_is_a_pipe_is_no_folder(tmp_path):
    root = project(tmp_path, "sjalvvardering")
    pipe = special(root / "sjalvvardering", "pipe")
    output = assert_result(run("validate", root, pipes=(pipe,)))
    assert "som inte är en mapp" in output


@posix_only
@has_dev_zero
@pytest.mark.parametrize(("source", "name", "command"), [c for c in CASES if c[2] == "validate" or c[1].startswith("texter/")])
def test_dev_zero_in_a_project_is_refused_unread(tmp_path, source, name, command):
    root = project(tmp_path, source)
    special(root / name, "enhet")
    code, output = run_process(*_command(command, root, tmp_path))
    assert_clean(code, output)
    _names_the_file(output, name, "enhet")


# ---------------------------------------------------------------- special files named on the command line


def _waves() -> list[Path]:
    return [SAMPLES / "enkater" / "enkat1_google_forms.csv", SAMPLES / "enkater" / "enkat3.csv"]


@posix_only
@pytest.mark.parametrize(
    "role",
    ["enkät (validate)", "enkät (compare)", "instrument", "kolumnmappning", "etikettfil", "formulärdefinition", "mall"],
)
@pytest.mark.parametrize("kind", ["pipe", "mapp", pytest.param("enhet", marks=has_dev_zero)])
def test_special_files_named_on_the_command_line_are_refused(tmp_path, role, kind):
    target = tmp_path / {"instrument": "instrument.yaml", "kolumnmappning": "kolumner.yaml", "etikettfil": "etiketter.lss",
                         "formulärdefinition": "definition.yaml", "mall": "mallar/egen/mall.yaml"}.get(role, "enkat.csv")  # fmt: skip
    if kind == "mapp" and role in ("etikettfil", "formulärdefinition", "kolumnmappning"):
        pytest.skip("the option takes files only: click refuses a folder as a usage error")
    special(target, kind)
    first, second = _waves()
    args: list[object] = {
        "enkät (validate)": ["validate", target, first, "--instrument", "samverkan"],
        "enkät (compare)": ["compare", "--instrument", "samverkan", target, second, "--out", tmp_path / "ut"],
        "instrument": ["compare", "--instrument", target, first, second, "--out", tmp_path / "ut"],
        "kolumnmappning": ["validate", first, "--instrument", "samverkan", "--map", target],
        "etikettfil": ["validate", EXPORTS / "limesurvey_koder.csv", "--instrument", EXPORTS / "instrument.yaml", "--etiketter", target],
        "formulärdefinition": ["form", "sjalvvardering", "--definition", target, "--out", tmp_path / "formular.xlsx"],
        "mall": ["build", project(tmp_path, head=PROJECT_HEAD + "mall: egen\n"), "--templates", tmp_path / "mallar", "--out", tmp_path / "ut"],
    }[role]
    if kind == "enhet":
        code, output = run_process(*args)
        assert_clean(code, output)
    else:
        output = assert_result(run(*args, pipes=(target,) if kind == "pipe" else ()))
    _names_the_file(output, target.name, kind)


def test_a_project_file_over_the_text_limit_names_the_limit(tmp_path):
    root = project(tmp_path)
    with (root / "projekt.yaml").open("r+b") as handle:
        handle.truncate(5 * 1024 * 1024 + 1)  # sparse: costs no disk
    output = assert_result(run("validate", root))
    assert "är för stor (5 MB); största tillåtna storlek är 5 MB" in output


# ---------------------------------------------------------------- hostile values

NUMERIC_INSTRUMENT = """\
id: tal
namn: Instrument med ett tal
skala:
  varden: {1: Instämmer inte alls, 2: Instämmer i liten grad, 3: Instämmer delvis, 4: Instämmer i hög grad, 5: Instämmer helt}
  saknas: [Vet ej]
bakgrund:
  organisation: Organisation
index:
  a: Index A
fragor:
  - {id: q1, text: "Fråga ett", index: a}
  - {id: q2, text: "Fråga två", index: a}
  - {id: n1, text: "Antal år", typ: numerisk}
"""


def _survey(tmp_path: Path, number: int, cells: list[tuple[str, str, str]]) -> Path:
    rows = ["Organisation,Fråga ett,Fråga två,Antal år"] + [f"A,{q1},{q2},{n1}" for q1, q2, n1 in cells]
    rows += ["A,3,4,5"] * 6 + [f"A,{number},{number},{number}"]  # the waves differ
    path = tmp_path / f"enkat{number}.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("command", ["validate", "compare"])
def test_huge_numbers_in_survey_answers_are_errors_in_words(tmp_path, command):
    instrument = tmp_path / "tal.yaml"
    instrument.write_text(NUMERIC_INSTRUMENT, encoding="utf-8")
    cells = [("1e400", "3", "5"), (HUGE, "4", "5"), ("3", HUGE + ".5", "1e400"), ("3", "4", HUGE), ("3", f"{HUGE} - Instämmer helt", "5")]
    waves = [_survey(tmp_path, n, cells) for n in (1, 2)]
    if command == "validate":
        args = ["validate", *waves, "--instrument", instrument]
    else:
        args = ["compare", "--instrument", instrument, *waves, "--out", tmp_path / "ut"]
    output = assert_result(run(*args))
    assert "(5000 siffror) ligger utanför skalan 1–5" in output
    assert "(5000 siffror) är för stort för att räknas med" in output
    assert "'1e400' är inte ett tal" in output and "är inte ett heltal på skalan" in output
    assert HUGE not in output.replace("\n", "")  # the value is shortened in the messages


def test_numbers_whose_squares_overflow_are_refused_and_the_largest_allowed_are_computed(tmp_path):
    instrument = tmp_path / "tal.yaml"
    instrument.write_text(NUMERIC_INSTRUMENT, encoding="utf-8")
    waves = [_survey(tmp_path, n, [("3", "4", "9" * 300), ("3", "4", "-" + "9" * 300)]) for n in (1, 2)]
    output = assert_result(run("validate", *waves, "--instrument", instrument))
    assert "talet -999999999999… (300 siffror) är för stort för att räknas med (högst 15 siffror)" in output
    waves = [_survey(tmp_path, n, [("3", "4", "9" * 15), ("3", "4", "-" + "9" * 15)]) for n in (1, 2)]
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # no overflow in the statistics
        assert_result(run("compare", "--instrument", instrument, *waves, "--out", tmp_path / "ut"), expected=0)


REGISTER_HEAD = "Deltagar-ID;Kön;Ålder;Inskrivningsdatum;Avslutsdatum;Huvudsaklig försörjning före;Status vid avslut;Antal möten"


def test_hostile_register_cells_are_errors_in_words(tmp_path):
    root = project(tmp_path, "deltagare")
    rows = [
        REGISTER_HEAD,
        f"P-1;Man;1e400;2025-01-30;;A-kassa;;{HUGE}",
        f"P-2;Kvinna;{HUGE};2025-02-30;2025-11-18;Ingen;Annat projekt;1e400",
        "P-3;Kvinna;40;2025-03-01;;Ingen;;3",
    ]
    (root / "deltagare.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    output = assert_result(run("validate", root))
    assert "Åldern ska vara ett heltal mellan 10 och 100, inte 999999999999… (5000 siffror)" in output
    assert "Antal möten ska vara ett heltal" in output and "(5000 siffror)" in output
    assert "datumet '2025-02-30' finns inte i kalendern" in output


def _budget(root: Path, name: str, text: str) -> None:
    (root / name).write_text(text, encoding="utf-8")
    (root / "projekt.yaml").write_text(PROJECT_HEAD + f"ekonomi:\n  fil: {name}\n", encoding="utf-8")


def test_hostile_budget_cells_are_errors_in_words(tmp_path):
    root = project(tmp_path)
    _budget(root, "ekonomi.csv", f"Kategori;Budget;Utfall\nPersonal;1e400;{HUGE}\nLokal;1 000;{'9' * 400}\nÖvrigt;100;100\n")
    output = assert_result(run("validate", root))
    assert "kan inte läsas som ett belopp i kronor" in output
    assert output.count("är orimligt stort för ett belopp i kronor") == 2


def test_hostile_budget_workbook_cells_are_errors_in_words(tmp_path):
    from openpyxl import load_workbook

    root = project(tmp_path, "ekonomi")
    workbook = load_workbook(root / "ekonomi.xlsx")
    sheet = workbook.active
    sheet["B4"], sheet["C4"], sheet["D4"], sheet["E4"] = "1e400", HUGE, 1e308, -1e308
    workbook.save(root / "ekonomi.xlsx")
    output = assert_result(run("validate", root))
    assert output.count("är orimligt stort för ett belopp i kronor") == 3
    assert_result(run("build", root, "--out", tmp_path / "ut"))


@pytest.mark.parametrize(
    ("row", "message"),
    [
        # A period is a label ("2025", "2025 H1"): a date that does not exist is kept as the text written, no crash.
        ("{kategori: Personal, period: 2025-02-30, budget: 100, utfall: 90}", "saknad_kategori"),
        (f"{{kategori: Personal, period: '2025', budget: {HUGE}, utfall: 90}}", "är för stort för att läsas"),
        ("{kategori: Personal, period: '2025', budget: 1.0e+400, utfall: 1.0e+300}", "ska vara ett belopp i kronor under 10^15"),
    ],
)
def test_hostile_budget_yaml_values_are_errors_in_words(tmp_path, row, message):
    root = project(tmp_path)
    _budget(root, "ekonomi.yaml", f"rader:\n  - {row}\n")
    assert message in assert_result(run("validate", root), expected=0 if "2025-02-30" in row else 1)


def test_an_impossible_date_in_projekt_yaml_names_its_line(tmp_path):
    root = project(tmp_path, head="projekt:\n  namn: Test\n  period: {start: 2025-02-30, slut: 2026-06-30}\n")
    output = assert_result(run("validate", root))
    assert "rad 3" in output and "ska vara ett datum som finns" in output and "2025-02-30" in output


def test_a_project_period_to_year_9999_does_not_break_the_register_periods(tmp_path):
    head = "projekt:\n  namn: Test\n  period: {start: 0001-01-01, slut: 9999-12-31}\n"
    root = project(tmp_path, "deltagare", head=head)
    assert_result(run("build", root, "--out", tmp_path / "ut"), expected=0)


def test_a_report_date_in_year_9999_is_an_error_in_words(tmp_path):
    root = project(tmp_path, "deltagare")
    with (root / "projekt.yaml").open("a", encoding="utf-8") as handle:
        handle.write("  rapportdatum: 9999-12-31\n")
    output = assert_result(run("validate", root))
    assert "orimligt årtal 9999 i datumet '9999-12-31'" in output


@pytest.mark.parametrize("column", ["A:B", "1", "ZZZZ", "=C1"])
def test_a_broken_answer_column_in_a_form_is_an_error_naming_the_cell(tmp_path, column):
    from openpyxl import load_workbook

    root = project(tmp_path, "sjalvvardering")
    path = root / "sjalvvardering" / "slut-01.xlsx"
    workbook = load_workbook(path)
    meta = next(ws for ws in workbook.worksheets if ws["A1"].value == "slutrapport-formulär")
    row = next(cell.row for cell in meta["A"] if cell.value == "svarskolumn")
    meta[f"B{row}"] = column
    workbook.save(path)
    output = assert_result(run("validate", root))
    assert f"{meta.title}!B{row}" in output and f"ska vara en kolumnbokstav som C, inte '{column}'" in output


# ---------------------------------------------------------------- output paths of the wrong kind


@pytest.mark.parametrize("command", ["compare", "build", "demo", "portfolio"])
def test_an_existing_file_as_the_output_folder_is_refused(tmp_path, command):
    out = tmp_path / "resultat"
    out.write_text("min fil", encoding="utf-8")
    args = {
        "compare": ["compare", "--instrument", "samverkan", *_waves()],
        "build": ["build", project(tmp_path)],
        "demo": ["demo"],
        "portfolio": ["portfolio", tmp_path],
    }[command]
    output = assert_result(run(*args, "--out", out))
    assert f"--out {out} är en fil, inte en mapp" in output
    assert out.read_text(encoding="utf-8") == "min fil"


@posix_only
def test_a_named_pipe_as_the_output_folder_is_refused(tmp_path):
    out = special(tmp_path / "resultat", "pipe")
    output = assert_result(run("demo", "--out", out, pipes=(out,)))
    assert "är en namngiven pipe, inte en mapp" in output


def test_a_folder_as_the_form_file_is_refused(tmp_path):
    out = tmp_path / "formular.xlsx"
    out.mkdir()
    output = assert_result(run("form", "sjalvvardering", "--out", out))
    assert f"--out {out} är en mapp, inte en fil" in output


@posix_only
def test_a_named_pipe_as_the_form_file_is_not_written_into(tmp_path):
    out = special(tmp_path / "formular.xlsx", "pipe")
    output = assert_result(run("form", "sjalvvardering", "--out", out, pipes=(out,)))
    assert "en namngiven pipe" in output and "skrivs inte över" in output


def test_a_file_inside_the_output_path_is_a_message(tmp_path):
    (tmp_path / "fil").write_text("x", encoding="utf-8")
    output = assert_result(run("compare", "--instrument", "samverkan", *_waves(), "--out", tmp_path / "fil" / "ut"))
    assert "en del av sökvägen är ingen mapp" in output


# ---------------------------------------------------------------- a very long project name


def test_a_project_name_of_hundreds_of_characters_builds(tmp_path):
    import docx

    name = "Vägen framåt med ett mycket långt namn " * 10 + "\\x01slut"  # a control character, escaped in YAML
    root = project(tmp_path, "texter", head=f'projekt:\n  namn: "{name}"\n')
    assert len(name) > 300
    assert_result(run("build", root, "--out", tmp_path / "ut"), expected=0)
    title = docx.Document(str(tmp_path / "ut" / "rapport.docx")).core_properties.title
    assert title.startswith("Vägen framåt") and len(title) <= 255


def test_an_encoding_that_decodes_nothing_is_refused_as_an_option(tmp_path):
    # codecs.lookup("undefined") succeeds, but the codec raises UnicodeError on any use.
    wave = tmp_path / "w.csv"
    wave.write_text("a,b\n1,2\n", encoding="utf-8")
    result = run("validate", wave, "--instrument", "samverkan", "--encoding", "undefined")
    assert result.exit_code == 1 and "okänd teckenkodning 'undefined'" in result.output
    assert "Traceback" not in result.output and "oväntat fel" not in result.output


def test_yaml_nested_thousands_of_levels_is_a_swedish_error(tmp_path):
    instrument = tmp_path / "djup.yaml"
    instrument.write_text("id: x\nfragor: " + "[" * 20000 + "]" * 20000 + "\n", encoding="utf-8")
    wave = tmp_path / "w.csv"
    wave.write_text("a,b\n1,2\n", encoding="utf-8")
    output = assert_result(run("validate", wave, "--instrument", instrument))
    assert "för djupt nästlad" in output


# ---------------------------------------------------------------- paths the file system refuses, text that is not UTF-8


def test_a_file_name_too_long_for_the_file_system_is_named_not_an_unexpected_error(tmp_path):
    root = project(tmp_path, "enkat")
    config = root / "projekt.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("fil: enkater/enkat3.csv", "fil: " + "x" * 5000), encoding="utf-8")
    output = assert_result(run("validate", root))
    assert f"Sökvägen {root}/{'x' * 30}… (5000 tecken) kunde inte användas: namnet är för långt." in output


def test_a_text_that_is_not_utf8_names_the_file_and_the_byte(tmp_path):
    root = project(tmp_path, "texter")
    (root / "texter" / "uppdraget.md").write_bytes("Uppdraget: fungerar för oss".encode("cp1252"))
    output = assert_result(run("check", root))
    assert f"Textfilen {root / 'texter' / 'uppdraget.md'} kunde inte läsas: den är inte sparad som UTF-8 (byte 22 är inte UTF-8)" in output


def test_file_system_errors_are_said_in_swedish():
    import errno

    from slutrapport.core.outputs import os_reason

    assert os_reason(OSError(errno.ENOENT, "No such file or directory")) == "filen eller en mapp på vägen finns inte (och kunde inte skapas)"
    assert os_reason(OSError(errno.EEXIST, "File exists")) == "något annat än en mapp finns redan där"
    assert os_reason(OSError(errno.ENOTEMPTY, "Directory not empty")) == "operativsystemet svarade med felkoden ENOTEMPTY"
    # a path to be read is just missing; nothing was to be created
    assert os_reason(OSError(errno.ENOENT, "No such file or directory"), reading=True) == "filen eller en mapp på vägen finns inte"


def test_no_message_carries_pythons_english_os_error_text():
    """Every message naming a path gives the reason with os_reason, never the system's English strerror."""
    package = Path(__file__).resolve().parent.parent / "slutrapport"
    offenders = [
        f"{path.relative_to(package)}:{n}"
        for path in package.rglob("*.py")
        if path.name != "oserrors.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "strerror" in line
    ]
    assert not offenders, offenders
