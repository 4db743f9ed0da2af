"""Fillable forms: the definition, the Excel form, filling it in as a person would and reading it back."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from slutrapport.cli import cli
from slutrapport.sources.forms.definition import FormDefinitionError, builtin_definition_text, load_definition
from slutrapport.sources.forms.excel_form import FORM_SHEET, META_SHEET, form_workbook, workbook_bytes
from slutrapport.sources.forms.read import FormValidationError, check_forms, read_forms
from tests.conftest import SAMPLES

DEFINITION = load_definition()
ROLE_LABEL = "Din roll i projektet (välj i listan)"
OCCASION_LABEL = "Tillfälle (välj i listan)"
DATE_LABEL = "Datum då du fyllde i formuläret (ÅÅÅÅ-MM-DD)"
HOSTILE = "=SUMMA(A1:A9)"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture
def blank(tmp_path: Path) -> Path:
    """The form as the command writes it."""
    result = run("form", "sjalvvardering", "--out", tmp_path / "blank" / "sjalvvardering.xlsx")
    assert result.exit_code == 0, result.output
    return tmp_path / "blank" / "sjalvvardering.xlsx"


# -- filling in as a person does: read the question in column B, pick from the dropdown, type text --------


def dropdown(wb, ws, ref: str) -> list[str]:
    """The items of the list validation on a cell, as Excel shows them in the dropdown."""
    for validation in ws.data_validations.dataValidation:
        if validation.type == "list" and ref in validation.sqref:
            name = wb.defined_names[validation.formula1]
            items = []
            for title, cells in name.destinations:
                for row in wb[title][cells.replace("$", "")]:
                    items += [c.value for c in row if c.value is not None]
            return items
    raise AssertionError(f"cell {ref} has no dropdown")


def answers_for(role: str, occasion: str, seed: int = 0) -> dict[str, object]:
    """Answers keyed by question text: a dropdown position (int) for ratings, text for free text."""
    out: dict[str, object] = {}
    for number, question in enumerate(DEFINITION.questions):
        if question.kind == "skala":
            out[question.text] = (number + seed) % 6  # 0–4: "1 – …" to "5 – …", 5: "Kan inte bedöma"
        else:
            out[question.text] = f"{role} vid {occasion}, fråga {number}.\nAndra stycket på en ny rad – med å, ä och ö."
    return out


def fill(blank: Path, out: Path, role: str | None, occasion: str | None, answers: dict[str, object], when=None) -> Path:
    wb = load_workbook(blank)
    ws = wb[FORM_SHEET]
    cells = {ws.cell(r, 2).value: ws.cell(r, 3) for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value}
    for label, value in ((ROLE_LABEL, role), (OCCASION_LABEL, occasion)):
        if value is not None:
            assert value in dropdown(wb, ws, cells[label].coordinate)
            cells[label].value = value
    if when is not None:
        cells[DATE_LABEL].value = when
    for text, value in answers.items():
        cell = cells[text]
        assert cell.protection.locked is False, f"answer cell {cell.coordinate} is locked"
        if isinstance(value, int):
            value = dropdown(wb, ws, cell.coordinate)[value]
        cell.value = value
        if isinstance(value, str) and cell.number_format == "@":
            cell.data_type = "s"  # typed into a text cell: Excel keeps "=…" as text
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


def expected_rows(role: str, occasion: str, answers: dict[str, object]) -> dict[str, tuple]:
    items = DEFINITION.scale_items()
    rows = {}
    for question in DEFINITION.questions:
        value = answers[question.text]
        if question.kind == "skala":
            rows[question.id] = ("svar", float(value + 1), None) if value < 5 else ("saknas", None, None)
        else:
            rows[question.id] = ("svar", None, value)
    assert items[5] == "Kan inte bedöma"
    return rows


def read_back(data, form: int) -> dict[str, tuple]:
    table = data.answers[data.answers["formular"] == form]
    return {
        r.fraga: (r.status, None if r.varde != r.varde else r.varde, r.text if isinstance(r.text, str) else None)
        for r in table.itertuples()
    }


# -- the definition ---------------------------------------------------------------------------------------


def test_builtin_definition_has_the_rar_sections_roles_and_occasions():
    assert DEFINITION.id == "sjalvvardering" and DEFINITION.version == "1"
    assert [s.title for s in DEFINITION.sections] == [
        "Syfte och mål", "Målens realism", "Målgrupp", "Styrning", "Förankring", "Genomförande per fas",
        "Prestationer", "Resultat", "Effekter", "Framgångsfaktorer", "Brister och hinder",
        "Implementering och hållbarhet",
    ]  # fmt: skip
    assert DEFINITION.roles == ("Projektledare", "Styrgrupp", "Handläggare")
    assert DEFINITION.occasions == ("Start", "Halvtid", "Slut")
    assert DEFINITION.scale.min == 1 and DEFINITION.scale.max == 5 and DEFINITION.scale.missing == ("Kan inte bedöma",)
    assert DEFINITION.scale_items()[:2] == ["1 – I mycket låg grad", "2 – I låg grad"]
    phases = DEFINITION.section("genomforande").questions
    # 4 phases × (one rating + one text), in phase order, ids <question>_<phase>
    assert [q.id for q in phases[:2]] == ["fas_plan_forberedelse", "fas_text_forberedelse"]
    assert len(phases) == 8 and phases[-1].id == "fas_text_avslut" and phases[-1].phase == "avslut"
    assert phases[0].text == "Förberedelse: I vilken grad har fasen genomförts som det var planerat?"
    assert not DEFINITION.section("framgangsfaktorer").rating_questions  # a text-only section
    assert len({q.id for q in DEFINITION.questions}) == len(DEFINITION.questions)


def test_builtin_text_is_printed_by_the_command_and_loads_as_a_file(tmp_path):
    result = run("form", "sjalvvardering", "--yaml")
    assert result.exit_code == 0 and result.output == builtin_definition_text()
    own = tmp_path / "egen.yaml"
    own.write_text(result.output.replace("version: 1", "version: 2"), encoding="utf-8")
    assert load_definition(own).version == "2"
    assert load_definition("egen.yaml", base_dir=tmp_path).version == "2"


@pytest.mark.parametrize(
    "change, fragment",
    [
        (("id: sjalvvardering\n", ""), "nyckeln 'id' saknas"),
        (("version: 1\n", ""), "nyckeln 'version' saknas"),
        (("{id: syfte_tydligt,", "{id: Syfte tydligt,"), "id 'Syfte tydligt' ska bestå av små bokstäver"),
        (("{id: realism_betyg,", "{id: syfte_tydligt,"), "frågans id 'syfte_tydligt' används flera gånger"),
        (("typ: fritext, text: \"Vad har bidragit", "typ: essä, text: \"Vad har bidragit"), "'typ' ska vara en av skala, fritext, fick 'essä'"),
        (("roller: [Projektledare, Styrgrupp, Handläggare]", "roller: [Styrgrupp, styrgrupp]"), "samma namn flera gånger: Styrgrupp"),
        (("    3: Delvis\n", ""), "obruten följd av heltal"),
        (("faser:\n", "fasr:\n"), "upprepa_per_fas: true men definitionen har inga 'faser'"),
        (("upprepa_per_fas: true", "upprepa_per_fas: \"kanske\""), "'upprepa_per_fas' ska vara true eller false (ja eller nej), fick 'kanske'"),
        (("    rubrik: Målgrupp\n", "    rubrik: Målgrupp\n    rubrk: x\n"), "rad 60: okänd nyckel 'rubrk' i avsnitt nr 3 (malgrupp); menade du 'rubrik'?"),
    ],
)
def test_broken_definitions_name_every_problem(tmp_path, change, fragment):
    path = tmp_path / "trasig.yaml"
    text = builtin_definition_text()
    assert change[0] in text
    path.write_text(text.replace(*change), encoding="utf-8")
    with pytest.raises(FormDefinitionError, match=re.escape(fragment)) as info:
        load_definition(path)
    assert str(path) in str(info.value)


def test_missing_definition_file_says_how_to_get_one(tmp_path):
    with pytest.raises(FormDefinitionError, match="slutrapport form sjalvvardering --yaml"):
        load_definition(tmp_path / "finns-inte.yaml")


# -- the Excel form ---------------------------------------------------------------------------------------


def test_form_has_instructions_dropdowns_wrapped_text_and_a_protected_structure(blank):
    wb = load_workbook(blank)
    assert wb.sheetnames == ["Instruktion", FORM_SHEET, META_SHEET]
    assert wb[META_SHEET].sheet_state == "hidden" and wb["Instruktion"].sheet_state == "visible"
    assert wb.security.lockStructure
    instruction = " ".join(str(c.value) for c in wb["Instruktion"]["A"] if c.value)
    assert "Skriv inte ditt eget eller någon annans namn" in instruction and "1 = I mycket låg grad" in instruction
    ws = wb[FORM_SHEET]
    for sheet in wb.worksheets:  # protected without a password: anyone can fill in the answer cells
        assert sheet.protection.sheet and not sheet.protection.password
    assert ws.column_dimensions["A"].hidden
    rows = {ws.cell(r, 2).value: r for r in range(1, ws.max_row + 1)}
    role_cell, occasion_cell = ws[f"C{rows[ROLE_LABEL]}"], ws[f"C{rows[OCCASION_LABEL]}"]
    assert dropdown(wb, ws, role_cell.coordinate) == list(DEFINITION.roles)
    assert dropdown(wb, ws, occasion_cell.coordinate) == list(DEFINITION.occasions)
    for question in DEFINITION.questions:
        row = rows[question.text]
        question_cell, answer = ws[f"B{row}"], ws[f"C{row}"]
        assert question_cell.protection.locked and not answer.protection.locked
        assert answer.alignment.wrap_text
        if question.kind == "skala":
            assert dropdown(wb, ws, answer.coordinate) == DEFINITION.scale_items()
        else:
            assert answer.number_format == "@" and ws.row_dimensions[row].height >= 100  # room for paragraphs
    # every validation rejects other values with a Swedish message
    assert all(v.showErrorMessage and v.error for v in ws.data_validations.dataValidation)
    assert {v.type for v in ws.data_validations.dataValidation} == {"list", "date"}


def test_form_bytes_are_deterministic_and_definition_texts_stay_text(tmp_path):
    text = builtin_definition_text().replace(
        'text: "Vad har bidragit mest till det som har fungerat bra?"', f'text: "{HOSTILE}"'
    )
    path = tmp_path / "d.yaml"
    path.write_text(text, encoding="utf-8")
    definition = load_definition(path)
    first = workbook_bytes(form_workbook(definition))
    assert first == workbook_bytes(form_workbook(definition))
    (tmp_path / "f.xlsx").write_bytes(first)
    ws = load_workbook(tmp_path / "f.xlsx")[FORM_SHEET]
    cells = [c for row in ws.iter_rows() for c in row if c.value == HOSTILE]
    assert cells and all(c.data_type == "s" for c in cells)


def test_form_command_refuses_to_overwrite_an_edited_form(blank):
    blank.write_bytes(blank.read_bytes() + b"x")
    result = run("form", "sjalvvardering", "--out", blank)
    assert result.exit_code == 1 and "--force" in result.output and "Traceback" not in result.output
    assert run("form", "sjalvvardering", "--out", blank, "--force").exit_code == 0
    wrong = run("form", "sjalvvardering", "--out", blank.with_suffix(".csv"))
    assert wrong.exit_code == 1 and "slutar på .xlsx" in wrong.output
    assert "slutrapport form sjalvvardering --out" in run("form", "sjalvvardering", "--help").output


# -- reading back ---------------------------------------------------------------------------------------------


def test_filled_forms_read_back_to_the_same_answers(blank, tmp_path):
    folder = tmp_path / "ifyllda"
    plan = [("Styrgrupp", "Start", 0), ("Handläggare", "Slut", 3)]
    for number, (role, occasion, seed) in enumerate(plan, start=1):
        fill(blank, folder / f"person{number}.xlsx", role, occasion, answers_for(role, occasion, seed), date(2025, 2, number))
    data = read_forms(folder, DEFINITION)
    assert data.report.problems == []
    assert data.forms[["roll", "tillfalle", "datum"]].values.tolist() == [
        ["Styrgrupp", "Start", "2025-02-01"], ["Handläggare", "Slut", "2025-02-02"],
    ]  # fmt: skip
    for number, (role, occasion, seed) in enumerate(plan, start=1):
        assert read_back(data, number) == expected_rows(role, occasion, answers_for(role, occasion, seed))


def test_renamed_file_reordered_and_renamed_sheets_still_read(blank, tmp_path):
    answers = answers_for("Projektledare", "Halvtid")
    path = fill(blank, tmp_path / "a.xlsx", "Projektledare", "Halvtid", answers)
    wb = load_workbook(path)
    wb.move_sheet(FORM_SHEET, offset=-1)  # the form first
    wb.move_sheet(META_SHEET, offset=-2)
    wb[FORM_SHEET].title = "Mina svar"
    moved = tmp_path / "mapp" / "Kopia av formulär (2).xlsx"
    moved.parent.mkdir()
    wb.save(moved)
    data = read_forms(moved.parent, DEFINITION)
    assert data.report.problems == [] and read_back(data, 1) == expected_rows("Projektledare", "Halvtid", answers)


def _soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        pytest.skip("LibreOffice (soffice) finns inte på den här datorn; testet av en fil sparad om i ett kalkylprogram hoppas över")
    return exe


def test_form_resaved_by_libreoffice_reads_back_to_the_same_answers(blank, tmp_path):
    exe = _soffice()
    answers = answers_for("Handläggare", "Slut", 2)
    answers[DEFINITION.text_questions[0].text] = "Första stycket.\n\nAndra stycket, efter en tom rad."
    answers[DEFINITION.text_questions[1].text] = HOSTILE
    path = fill(blank, tmp_path / "ifylld.xlsx", "Handläggare", "Slut", answers, datetime(2026, 5, 20))
    out = tmp_path / "libreoffice"
    command = [exe, f"-env:UserInstallation={(tmp_path / 'profil').as_uri()}", "--headless", "--convert-to", "xlsx", "--outdir", str(out), str(path)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    resaved = out / "ifylld.xlsx"
    if not resaved.is_file():
        pytest.skip(f"soffice kunde inte spara om kalkylbladet (saknas LibreOffice Calc?): {done.stderr.strip()[:200]}")
    assert resaved.read_bytes() != path.read_bytes()
    data = read_forms(resaved, DEFINITION)
    assert data.report.problems == []
    assert data.forms[["roll", "tillfalle", "datum"]].values.tolist() == [["Handläggare", "Slut", "2026-05-20"]]
    assert read_back(data, 1) == expected_rows("Handläggare", "Slut", answers)


# -- validation -------------------------------------------------------------------------------------------------


def _one_form(blank: Path, tmp_path: Path, **changes) -> tuple[Path, dict[str, int]]:
    """A filled form in its own folder, and the row of every question text and field label."""
    answers = answers_for("Styrgrupp", "Start")
    answers.update(changes.pop("answers", {}))
    path = fill(blank, tmp_path / "forms" / "form.xlsx", changes.pop("role", "Styrgrupp"), changes.pop("occasion", "Start"), answers)
    ws = load_workbook(path)[FORM_SHEET]
    return path, {ws.cell(r, 2).value: r for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value}


def _edit(path: Path, change) -> None:
    wb = load_workbook(path)
    change(wb[FORM_SHEET])
    wb.save(path)


def _set(ws, row: int, value: object, column: int = 3) -> None:
    ws.cell(row, column).value = value


def _problems(path: Path, severity: str = "fel"):
    return [p for p in check_forms(path, DEFINITION).problems if p.allvar == severity]


@pytest.mark.parametrize("value, fragment", [(7, "värdet 7 ligger utanför skalan 1–5"), ("3,5", "inte ett heltal"), ("Ganska bra", "okänt svar")])
def test_rating_outside_the_scale_names_file_sheet_cell_and_value(blank, tmp_path, value, fragment):
    first = DEFINITION.rating_questions[0]
    path, rows = _one_form(blank, tmp_path)
    _edit(path, lambda ws: ws.cell(rows[first.text], 3, value))
    [problem] = _problems(path.parent)
    row = rows[first.text]
    assert (problem.fil, problem.rad, problem.kolumn, problem.varde) == ("form.xlsx", row, f"{FORM_SHEET}!C{row}", str(value))
    assert problem.kontroll == "betyg" and fragment in problem.meddelande and first.id in problem.meddelande
    with pytest.raises(FormValidationError, match=re.escape(f"fil form.xlsx, rad {row}, kolumn '{FORM_SHEET}!C{row}'")):
        read_forms(path.parent, DEFINITION)


def test_numbers_and_labels_typed_past_the_dropdown_are_read(blank, tmp_path):
    questions = DEFINITION.rating_questions
    path, rows = _one_form(blank, tmp_path)
    cells = [(questions[0], 4), (questions[1], "i hög grad"), (questions[2], "2.0")]
    _edit(path, lambda ws: [ws.cell(rows[q.text], 3, value) for q, value in cells])
    values = read_back(read_forms(path, DEFINITION), 1)
    assert [values[q.id][1] for q in questions[:3]] == [4.0, 4.0, 2.0]


def test_deleted_row_is_an_error_naming_the_question(blank, tmp_path):
    question = DEFINITION.questions[4]
    path, rows = _one_form(blank, tmp_path)
    _edit(path, lambda ws: ws.delete_rows(rows[question.text]))
    [problem] = _problems(path)
    assert problem.kontroll == "saknad rad" and problem.varde == question.id and problem.kolumn == f"{FORM_SHEET}!A"
    assert "har tagits bort" in problem.meddelande


def test_changed_question_text_and_id_are_errors(blank, tmp_path):
    first, second = DEFINITION.questions[0], DEFINITION.questions[1]
    path, rows = _one_form(blank, tmp_path)
    _edit(path, lambda ws: [ws.cell(rows[first.text], 2, "En annan fråga"), ws.cell(rows[second.text], 1, "min_fraga")])
    problems = {p.kontroll: p for p in _problems(path)}
    assert set(problems) == {"ändrad frågetext", "okänt id", "saknad rad"}
    changed = problems["ändrad frågetext"]
    assert (changed.kolumn, changed.varde) == (f"{FORM_SHEET}!B{rows[first.text]}", "En annan fråga")
    assert first.text in changed.meddelande
    unknown = problems["okänt id"]
    assert (unknown.kolumn, unknown.varde, unknown.rad) == (f"{FORM_SHEET}!A{rows[second.text]}", "min_fraga", rows[second.text])
    assert problems["saknad rad"].varde == second.id


def test_form_from_another_definition_or_version_is_an_error(tmp_path):
    other = tmp_path / "annan.yaml"
    other.write_text(
        builtin_definition_text().replace("id: sjalvvardering", "id: lagesrapport").replace("namn: Självvärdering av samverkansprojekt", "namn: Lägesrapport"),
        encoding="utf-8",
    )
    newer = tmp_path / "nyare.yaml"
    newer.write_text(builtin_definition_text().replace("version: 1", "version: 2"), encoding="utf-8")
    folder = tmp_path / "forms"
    folder.mkdir()
    (folder / "annan.xlsx").write_bytes(workbook_bytes(form_workbook(load_definition(other))))
    (folder / "nyare.xlsx").write_bytes(workbook_bytes(form_workbook(load_definition(newer))))
    problems = {p.fil: p for p in _problems(folder)}
    assert problems["annan.xlsx"].kontroll == "annat formulär" and problems["annan.xlsx"].varde == "lagesrapport"
    assert problems["annan.xlsx"].kolumn == f"{META_SHEET}!B2" and "Lägesrapport" in problems["annan.xlsx"].meddelande
    assert problems["nyare.xlsx"].kontroll == "annan version" and problems["nyare.xlsx"].varde == "2"


def test_files_that_are_not_forms(tmp_path):
    folder = tmp_path / "forms"
    folder.mkdir()
    wb = Workbook()
    wb.active["A1"] = "Något helt annat"
    wb.save(folder / "tabell.xlsx")
    (folder / "trasig.xlsx").write_bytes(b"inte en zip-fil")
    (folder / "gammal.ods").write_bytes(b"x")
    (folder / "anteckningar.txt").write_text("hej", encoding="utf-8")
    (folder / "~$tabell.xlsx").write_bytes(b"lock")  # Excel's lock file beside an open file
    (folder / ".~lock.tabell.xlsx#").write_bytes(b"lock")  # LibreOffice's
    report = check_forms(folder, DEFINITION)
    found = {(p.fil, p.kontroll, p.allvar) for p in report.problems}
    assert found == {
        ("tabell.xlsx", "okänt formulär", "fel"),
        ("trasig.xlsx", "läsbar fil", "fel"),
        ("gammal.ods", "filformat", "fel"),
        ("anteckningar.txt", "annan fil", "varning"),
    }


def test_role_and_occasion(blank, tmp_path):
    path, rows = _one_form(blank, tmp_path)
    _edit(path, lambda ws: [_set(ws, rows[ROLE_LABEL], "Chef"), _set(ws, rows[OCCASION_LABEL], None)])
    problems = {p.kontroll: p for p in _problems(path)}
    assert set(problems) == {"okänd roll", "tomt tillfälle"}
    assert problems["okänd roll"].varde == "Chef" and "Projektledare, Styrgrupp, Handläggare" in problems["okänd roll"].meddelande
    assert problems["tomt tillfälle"].kolumn == f"{FORM_SHEET}!C{rows[OCCASION_LABEL]}"
    _edit(path, lambda ws: [_set(ws, rows[ROLE_LABEL], None), _set(ws, rows[OCCASION_LABEL], " slut ")])
    data = read_forms(path, DEFINITION)  # a blank role is a warning; case and spaces do not matter
    assert [p.kontroll for p in data.report.problems] == ["tom roll"]
    assert data.forms["roll"].isna().all() and data.forms["tillfalle"].tolist() == ["Slut"]


def test_unanswered_questions_are_warnings_and_empty_forms_are_left_out(blank, tmp_path):
    text_question, rating_question = DEFINITION.text_questions[2], DEFINITION.rating_questions[3]
    path, rows = _one_form(blank, tmp_path, answers={text_question.text: None, rating_question.text: None})
    fill(blank, path.parent / "tomt.xlsx", "Handläggare", "Start", {})
    data = read_forms(path.parent, DEFINITION)
    warnings = [(p.fil, p.kontroll, p.kolumn) for p in data.report.problems]
    assert warnings == [
        ("form.xlsx", "obesvarad fråga", f"{FORM_SHEET}!C{rows[rating_question.text]}"),
        ("form.xlsx", "obesvarad fråga", f"{FORM_SHEET}!C{rows[text_question.text]}"),
        ("tomt.xlsx", "tomt formulär", None),
    ]
    assert all(p.allvar == "varning" for p in data.report.problems)
    assert len(data.forms) == 1 and read_back(data, 1)[text_question.id] == ("tomt", None, None)
    (path).unlink()
    with pytest.raises(FormValidationError, match="inget av formulären innehåller några svar"):
        read_forms(path.parent, DEFINITION)


def test_the_same_form_twice_counts_once(blank, tmp_path):
    path, _ = _one_form(blank, tmp_path)
    shutil.copy(path, path.parent / "kopia.xlsx")
    data = read_forms(path.parent, DEFINITION)
    assert len(data.forms) == 1 and [(p.fil, p.kontroll) for p in data.report.problems] == [("kopia.xlsx", "dubblett")]


def test_an_empty_or_missing_folder_is_an_error(tmp_path):
    (tmp_path / "tom").mkdir()
    assert [p.kontroll for p in _problems(tmp_path / "tom")] == ["inga formulär"]
    assert [p.kontroll for p in _problems(tmp_path / "finns-inte")] == ["läsbar fil"]


# -- the project ------------------------------------------------------------------------------------------


def _project_with_forms(tmp_path: Path) -> Path:
    project = tmp_path / "p"
    shutil.copytree(SAMPLES, project)
    return project


def test_validate_project_lists_the_forms_problems(tmp_path):
    project = _project_with_forms(tmp_path)
    result = run("validate", project)
    assert result.exit_code == 0, result.output
    assert "obesvarad fråga" in result.output and "Formulär!C" in result.output
    _edit(project / "sjalvvardering" / "start-03.xlsx", lambda ws: ws.cell(9, 3, 9))
    result = run("validate", project, "--json")
    assert result.exit_code == 1
    assert '"kolumn": "Formulär!C9"' in result.output and '"varde": "9"' in result.output and '"fil": "start-03.xlsx"' in result.output


def test_build_stops_and_check_names_the_forms_with_errors(tmp_path):
    project = _project_with_forms(tmp_path)
    _edit(project / "sjalvvardering" / "slut-01.xlsx", lambda ws: ws.cell(9, 2, "Ändrad fråga"))
    result = run("build", project)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "Självvärderingsformulären innehåller 1 fel" in result.output and "kolumn 'Formulär!B9'" in result.output
    check = run("check", project)
    assert "✓ 3 Arbetsprocess och metod: har text; självvärderingens formulär har 1 fel" in check.output


def test_project_key_problems_are_named(tmp_path):
    project = _project_with_forms(tmp_path)
    config = project / "projekt.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("  mapp: sjalvvardering", "  mapp: saknas\n  defintion: x.yaml"), encoding="utf-8")
    result = run("build", project)
    assert result.exit_code == 1
    assert "okänd nyckel 'defintion' under 'sjalvvardering'; menade du 'definition'?" in result.output  # projekt.yaml's schema, first
    config.write_text(config.read_text(encoding="utf-8").replace("  defintion: x.yaml", ""), encoding="utf-8")
    result = run("build", project)
    assert result.exit_code == 1 and "saknas, som inte finns" in result.output
