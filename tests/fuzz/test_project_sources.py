"""Fuzz class 8: the project's other data files, each in a project of the demo's description and that file only.

- the participant register (``deltagare.csv``, Windows-1252 with semicolons) mutated as the survey CSV files are
  (:mod:`.test_survey_csv`: odd cells, blank records, ragged rows, another separator, quoting, line ending or
  encoding), with the goals under ``mal:`` that count from it;
- the budget (``ekonomi.xlsx``) with cells, headings (``Budget 2025-02-30``) and rows of odd values and types;
- the socio-economic parameters (``socioekonomi.yaml``) mutated as the other YAML files
  (:mod:`.yaml_mutations`);
- four self-evaluation forms (``sjalvvardering/*.xlsx``): answers, the form's own data sheet (the answer column
  ``A:B`` or ``1``, cell references, version), sheets renamed or removed.

``slutrapport validate PROJEKTMAPP --json`` must end in 0 or 1 with no unexpected error (a report, or for a file
that cannot be read at all a Swedish message) and every file of the project unchanged; when it accepts the
register, every participant of the clean register (every record below its heading) is in the register read (by
the record number the mutated file has it on) or named in a problem.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import openpyxl
from hypothesis import currently_in_test_context, event, given
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from slutrapport.pipeline.read import read_project_register
from slutrapport.project.folder import load_project
from tests.conftest import SAMPLES
from tests.fuzz.support import assert_handled, budget, digests, named_rows, run_cli
from tests.fuzz.test_survey_csv import BLANK_RECORDS, ENCODINGS, NEWLINES, TOKENS
from tests.fuzz.test_survey_csv import _apply as apply_csv_mutation
from tests.fuzz.test_survey_csv import _write as write_csv_records
from tests.fuzz.test_survey_xlsx import VALUES
from tests.fuzz.yaml_mutations import mutate_yaml, yaml_mutations

#: The survey cells' tokens a workbook can hold (openpyxl refuses control characters: Excel writes them as _x000B_).
CELL_TOKENS = [t for t in TOKENS if not ILLEGAL_CHARACTERS_RE.search(t)]
FORMS = ["start-01.xlsx", "start-02.xlsx", "slut-01.xlsx", "slut-02.xlsx"]


def _demo_section(text: str, key: str) -> str:
    """The top-level section ``key:`` of the demo's projekt.yaml, up to the next comment or the end."""
    start = text.index(f"\n{key}:") + 1
    end = text.find("\n#", start)
    return text[start : end + 1 if end >= 0 else len(text)]


def _project(folder: Path, *sections: str) -> Path:
    """A project in ``folder``: the demo's description (name, period, template) and its ``sections``, with their files."""
    text = (SAMPLES / "projekt.yaml").read_text(encoding="utf-8")
    head = text[: text.index("# Grupper med färre svar")]
    folder.mkdir(parents=True)
    (folder / "projekt.yaml").write_text(head + "".join(_demo_section(text, key) for key in sections), encoding="utf-8")
    for key in sections:
        if key == "sjalvvardering":
            (folder / "sjalvvardering").mkdir()
            for name in FORMS:
                shutil.copy2(SAMPLES / "sjalvvardering" / name, folder / "sjalvvardering" / name)
        elif key in ("deltagare", "ekonomi", "socioekonomi", "aktiviteter"):
            name = {"deltagare": "deltagare.csv", "ekonomi": "ekonomi.xlsx", "socioekonomi": "socioekonomi.yaml", "aktiviteter": "aktiviteter.csv"}[key]
            shutil.copy2(SAMPLES / name, folder / name)
        elif key == "deltagarenkat":  # the participant survey the goals matt: andel_svar count from
            for name in ("deltagarenkat.csv", "deltagarenkat.yaml"):
                shutil.copy2(SAMPLES / name, folder / name)
    return folder


def _validate(project: Path):
    """``validate PROJEKTMAPP --json``: handled, every file of the project unchanged; the result and its report."""
    before = digests(project)
    result = run_cli("validate", project, "--json")
    assert_handled(result)
    if currently_in_test_context():
        event(f"exit code {result.exit_code}")
    assert digests(project) == before, "validate changed files of the project"
    if not result.stdout:  # a file that cannot be read at all (not YAML, a key twice) stops the command: no report
        assert result.exit_code == 1 and result.stderr.startswith("Fel: "), result.output
        return result, {"valid": False, "problem": []}
    report = json.loads(result.stdout)
    assert report["valid"] == (result.exit_code == 0)
    return result, report


def test_the_clean_sources_are_valid(tmp_path):
    """Each project of one clean source validates, and the clean register's every record is a participant."""
    for sections in (("deltagare", "deltagarenkat", "aktiviteter", "mal"), ("ekonomi",), ("socioekonomi",), ("sjalvvardering",)):
        project = _project(tmp_path / sections[0], *sections)
        result, _ = _validate(project)
        assert result.exit_code == 0, result.output
    register, _ = read_project_register(load_project(tmp_path / "deltagare"))
    assert set(register.table["rad"]) == set(range(2, _register_records()[1] + 2))


# ---------------------------------------------------------------- the participant register


def _register_records() -> tuple[list[list[str]], int]:
    """The clean register's records (heading first) and how many participants it has."""
    text = (SAMPLES / "deltagare.csv").read_text(encoding="cp1252")
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    return records, len(records) - 1


@st.composite
def register_mutations(draw):
    """As :func:`tests.fuzz.test_survey_csv.mutations`, for the register (any column may get an odd value)."""
    position = st.tuples(st.integers(0, 10_000), st.integers(0, 10_000), st.booleans())
    edits = draw(st.lists(st.tuples(position, st.sampled_from(TOKENS) | st.text(max_size=8), st.sampled_from(["append", "prefix", "replace"])), max_size=5))
    blanks = draw(st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from(BLANK_RECORDS)), max_size=3))
    ragged = draw(st.lists(st.tuples(st.integers(0, 10_000), st.integers(-3, 3)), max_size=3))
    header_edit = draw(st.tuples(st.integers(0, 100), st.sampled_from(TOKENS))) if draw(st.integers(0, 7)) == 0 else None
    encoding = draw(st.sampled_from(ENCODINGS))
    layout = (
        draw(st.sampled_from([";", ",", "\t"])),
        draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL])),
        draw(st.sampled_from(NEWLINES)),
        encoding,
        draw(st.booleans()) and encoding.startswith("utf-8"),
    )
    return edits, blanks, ragged, header_edit, layout


@budget(12)
@given(mutation=register_mutations())
def test_mutated_register_is_read_or_refused_and_every_participant_is_accounted_for(tmp_path_factory, mutation):
    edits, blanks, ragged, header_edit, layout = mutation
    records, participants = _register_records()
    project = _project(tmp_path_factory.mktemp("register") / "projekt", "deltagare", "deltagarenkat", "aktiviteter", "mal")
    mutated, where = apply_csv_mutation(records, list(range(len(records[0]))), edits, blanks, ragged, header_edit)
    write_csv_records(project / "deltagare.csv", mutated, layout)

    result, report = _validate(project)

    if result.exit_code == 0:
        register, _ = read_project_register(load_project(project))
        counted = set(register.table["rad"].astype(int))
        named, unnamed = named_rows(report["problem"], "deltagare.csv")
        missing = {where[r] for r in range(2, participants + 2)} - counted - named
        assert len(missing) <= unnamed, f"participants on rows {sorted(missing)} are neither read nor named: {report['problem']}"


# ---------------------------------------------------------------- the budget

#: Headings a budget column may get (a period that is not a date, a unit, a role twice).
HEADINGS = ["Budget 2025-02-30", "Utfall 2025-13", "Budget 0000", "Budget 99999999999999999999", "Budget", "Utfall (tkr)", "Kategori", "", None, "$x$"]


@st.composite
def budget_mutations(draw):
    cell = st.tuples(st.integers(0, 10_000), st.integers(0, 10_000))
    edits = draw(st.lists(st.tuples(cell, st.sampled_from(VALUES) | st.sampled_from(CELL_TOKENS) | st.floats(allow_nan=False)), max_size=5))
    headings = draw(st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from(HEADINGS)), max_size=2))
    rows = draw(st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from(["tom", "kopia", "summa"])), max_size=2))
    return edits, headings, rows


@budget(8)
@given(mutation=budget_mutations())
def test_mutated_budget_is_read_or_refused(tmp_path_factory, mutation):
    edits, headings, rows = mutation
    project = _project(tmp_path_factory.mktemp("budget") / "projekt", "ekonomi")
    workbook = openpyxl.load_workbook(project / "ekonomi.xlsx")
    sheet = workbook.active
    first, last, columns = 4, sheet.max_row, sheet.max_column  # the heading is on row 3
    for (row, column), value in edits:
        sheet.cell(first + row % (last - first + 1), 1 + column % columns).value = value
    for column, heading in headings:
        sheet.cell(3, 2 + column % (columns - 1)).value = heading
    for row, kind in rows:
        at = first + row % (last - first + 2)
        sheet.insert_rows(at)
        if kind != "tom":
            source = at + 1 if at + 1 <= sheet.max_row else first
            values = [c.value for c in sheet[source]]
            for column, value in enumerate(values, start=1):
                sheet.cell(at, column).value = "Summa" if kind == "summa" and column == 1 else value
    workbook.save(project / "ekonomi.xlsx")

    _validate(project)


# ---------------------------------------------------------------- the socio-economic parameters


@budget(10)
@given(mutation=yaml_mutations())
def test_mutated_socioeconomic_parameters_are_read_or_refused(tmp_path_factory, mutation):
    project = _project(tmp_path_factory.mktemp("socioekonomi") / "projekt", "socioekonomi")
    (project / "socioekonomi.yaml").write_bytes(mutate_yaml((SAMPLES / "socioekonomi.yaml").read_text(encoding="utf-8"), mutation))

    _validate(project)


# ---------------------------------------------------------------- the self-evaluation forms

#: Values of the form's own data sheet (Formulärdata, column B: version, answer column, cell references).
FORM_DATA = ["A:B", "1", "", "ZZZ", "C0", "C1048577", "C9:C10", "=B1", "2", "-1", "sjalvvardering2", None, 1.5, "x" * 300, "Formulär!C9"]


@st.composite
def form_mutations(draw):
    form = draw(st.sampled_from(FORMS))
    answers = draw(st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from(VALUES) | st.sampled_from(CELL_TOKENS)), max_size=4))
    data = draw(st.lists(st.tuples(st.integers(0, 10_000), st.integers(1, 4), st.sampled_from(FORM_DATA)), max_size=2))
    sheets = draw(st.lists(st.sampled_from(["byt namn", "ta bort", "tomt först"]), max_size=1))
    return form, answers, data, sheets


@budget(6)
@given(mutation=form_mutations())
def test_mutated_form_is_read_or_refused(tmp_path_factory, mutation):
    form, answers, data, sheets = mutation
    project = _project(tmp_path_factory.mktemp("sjalvvardering") / "projekt", "sjalvvardering")
    path = project / "sjalvvardering" / form
    workbook = openpyxl.load_workbook(path)
    sheet, meta = workbook["Formulär"], workbook["Formulärdata"]
    for row, value in answers:  # the answer cells (column C) of the form's rows
        sheet.cell(4 + row % (sheet.max_row - 3), 3).value = value
    for row, column, value in data:
        meta.cell(1 + row % meta.max_row, column).value = value
    for kind in sheets:
        if kind == "byt namn":
            sheet.title = "Blad1"
        elif kind == "ta bort":
            del workbook["Formulärdata"]
        else:
            workbook.create_sheet("Tomt", index=0)
    workbook.save(path)

    _validate(project)


def test_form_with_the_answer_column_a_range_or_a_number_is_refused(tmp_path):
    """The issue's example: the answer column given as ``A:B`` or ``1`` in the form's data sheet."""
    for answer_column in ("A:B", "1"):
        project = _project(tmp_path / answer_column.replace(":", "-"), "sjalvvardering")
        path = project / "sjalvvardering" / FORMS[0]
        workbook = openpyxl.load_workbook(path)
        meta = workbook["Formulärdata"]
        (row,) = [r for r in range(1, meta.max_row + 1) if meta.cell(r, 1).value == "svarskolumn"]
        meta.cell(row, 2).value = answer_column
        workbook.save(path)
        result, _ = _validate(project)
        assert result.exit_code == 1, result.output
        assert FORMS[0] in result.output, result.output
