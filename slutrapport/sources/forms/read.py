"""Reading filled forms back: many files (a folder) into tidy tables and one validation report.

:func:`read_forms` reads every ``.xlsx`` form in a folder (sub-folders
included) or a list of files and returns :class:`FormData`:

``forms``
    One row per form read: ``formular`` (a running number in file order),
    ``fil`` (the file's path relative to the folder; never written to a
    report), ``roll`` (the definition's spelling, or None when left blank),
    ``tillfalle`` and ``datum`` (ISO date or None).
``answers``
    One row per form and question: ``formular, fil, roll, tillfalle,
    avsnitt, fraga, typ, status, varde, text``. ``typ`` is ``skala`` or
    ``fritext``; ``status`` is ``svar`` (answered), ``saknas`` (an answer such
    as "Kan inte bedöma") or ``tomt`` (unanswered); ``varde`` is the rating
    (float, NaN unless a rating was answered); ``text`` the free text (None
    unless answered).

Every problem goes into a :class:`~slutrapport.core.problems.ValidationReport`
naming the file, sheet and cell (``kolumn`` is ``Blad!C12``, ``rad`` the row)
and the value. Errors: a file that is not a form or not a readable workbook, a
form from another definition or version, a changed structure (deleted or
duplicated rows, changed ids or question texts), an unknown role or occasion,
a missing occasion, a rating outside the scale. Warnings: unanswered
questions, a blank role (reported as "Ej angiven"), an unreadable date, an
empty form or a duplicate form (both left out), a value in the answer column
on a row that is no question (it is not read), other files in the folder.
With errors, :class:`FormValidationError` is raised after every file is read.

The form is found by the marker on its hidden sheet and each answer by the id
in the form sheet's column A (see :mod:`.excel_form`), so a renamed file, a
file re-saved by Excel or LibreOffice and re-ordered or renamed sheets read.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string

from slutrapport.core.errors import InputFileError, ValidationError
from slutrapport.core.inputs import MEGABYTE, damage_reason, read_bytes_limited
from slutrapport.core.problems import WARNING, ValidationReport
from slutrapport.sources.forms.definition import RATING, FormDefinition
from slutrapport.sources.forms.excel_form import ANSWER_COLUMN, DATE, MARKER, META_SHEET, OCCASION, ROLE, SECTION_PREFIX, TEXT_COLUMN
from slutrapport.sources.survey.answers import ANSWERED, BLANK, AnswerParser

__all__ = [
    "FORM_COLUMNS",
    "ANSWER_COLUMNS",
    "FormData",
    "FormValidationError",
    "read_forms",
    "check_forms",
    "form_files",
    "FORM_LIMIT",
    "FORM_UNPACKED_LIMIT",
]

FORM_COLUMNS = ["formular", "fil", "roll", "tillfalle", "datum"]
ANSWER_COLUMNS = ["formular", "fil", "roll", "tillfalle", "avsnitt", "fraga", "typ", "status", "varde", "text"]
#: Largest filled form read, and the most its parts may unpack to: a form is some tens of kilobytes.
FORM_LIMIT = 20 * MEGABYTE
FORM_UNPACKED_LIMIT = 100 * MEGABYTE
_LAST_COLUMN = 16384  # XFD, Excel's last column
_FORM_SUFFIXES = {".xlsx", ".xlsm"}
_OTHER_WORKBOOKS = {".xls", ".xlsb", ".ods", ".numbers"}
_FIELD_NAMES = {ROLE: "rollen", OCCASION: "tillfället", DATE: "datumet"}


class FormValidationError(ValidationError):
    """Filled forms were read but contain errors; ``report`` lists every problem."""

    def __init__(self, report: ValidationReport) -> None:
        self.report = report
        n = len(report.errors())
        super(ValidationError, self).__init__(
            f"Självvärderingsformulären innehåller {n} fel som måste rättas innan resultaten kan beräknas.\n\n"
            + report.to_text()
        )


@dataclass
class FormData:
    """The filled forms of one definition as tidy tables (see the module docstring)."""

    definition: FormDefinition
    forms: pd.DataFrame
    answers: pd.DataFrame
    report: ValidationReport = field(default_factory=ValidationReport)


@dataclass
class _Form:
    file: str
    role: str | None
    occasion: str
    date: str | None
    answers: list[tuple[str, str, float, str | None]]  # question id, status, value, text


def form_files(folder: Path, report: ValidationReport) -> list[Path]:
    """The form workbooks in ``folder`` and its sub-folders, sorted; other files are reported.

    Hidden files and the lock files Excel (``~$…``) and LibreOffice
    (``.~lock…``) leave beside an open file are skipped without a word.
    """
    found = []
    for path in sorted(Path(folder).rglob("*")):
        relative = path.relative_to(folder)
        if path.is_dir() or any(part.startswith(".") for part in relative.parts) or path.name.startswith("~$"):
            continue
        suffix = path.suffix.lower()
        if suffix in _FORM_SUFFIXES:
            found.append(path)
        elif suffix in _OTHER_WORKBOOKS:
            report.add(str(relative), "filformat", f"filen är sparad som {suffix}; spara den som Excel-arbetsbok (.xlsx) så att den kan läsas", varde=suffix)
        else:
            report.add(str(relative), "annan fil", "filen är inte ett ifyllt formulär (.xlsx) och läses inte", allvar=WARNING)
    return found


def check_forms(paths: Path | Iterable[Path], definition: FormDefinition) -> ValidationReport:
    """Every problem in the filled forms, without raising (``slutrapport validate``)."""
    try:
        return read_forms(paths, definition).report
    except FormValidationError as exc:
        return exc.report


def read_forms(paths: Path | Iterable[Path], definition: FormDefinition) -> FormData:
    """Read filled forms (a folder, one file or a list of files) into :class:`FormData`.

    Raises :class:`FormValidationError` with every problem when a file has errors.
    """
    report = ValidationReport()
    files: list[tuple[Path, str]] = []
    for path in [paths] if isinstance(paths, (str, Path)) else list(paths):
        path = Path(path)
        if path.is_dir():
            files += [(p, str(p.relative_to(path))) for p in form_files(path, report)]
            if not any(path in p.parents for p, _ in files):
                report.add(str(path), "inga formulär", f"mappen {path} innehåller inga ifyllda formulär (.xlsx)")
        elif path.exists():  # a pipe or a device is refused unopened when it is read
            files.append((path, path.name))
        else:
            report.add(str(path), "läsbar fil", f"filen eller mappen {path} finns inte")
    forms: list[_Form] = []
    seen: dict[tuple, str] = {}
    for path, name in files:
        form = _read_file(path, name, definition, report)
        if form is None:
            continue
        key = (form.role, form.occasion, tuple(form.answers))
        if key in seen:
            report.add(name, "dubblett", f"formuläret har samma roll, tillfälle och svar som {seen[key]} och räknas bara en gång", allvar=WARNING)
            continue
        seen[key] = name
        forms.append(form)
    if files and not forms and report.valid:
        report.add(", ".join(n for _, n in files), "inga svar", "inget av formulären innehåller några svar")
    if not report.valid:
        raise FormValidationError(report)
    return FormData(definition, *_tables(forms, definition), report)


def _tables(forms: list[_Form], definition: FormDefinition) -> tuple[pd.DataFrame, pd.DataFrame]:
    form_rows = [(number, f.file, f.role, f.occasion, f.date) for number, f in enumerate(forms, start=1)]
    questions = {q.id: q for q in definition.questions}
    answer_rows = [
        (number, f.file, f.role, f.occasion, questions[qid].section, qid, questions[qid].kind, status, value, text)
        for number, f in enumerate(forms, start=1)
        for qid, status, value, text in f.answers
    ]
    answers = pd.DataFrame(answer_rows, columns=ANSWER_COLUMNS)
    answers["varde"] = answers["varde"].astype(float)
    return pd.DataFrame(form_rows, columns=FORM_COLUMNS), answers


def _clean(value: object) -> str:
    """A cell as single-spaced text ('' when empty); whole floats without '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _free_text(value: object) -> str:
    """A free-text answer with its line breaks kept and surrounding space removed."""
    if value is None:
        return ""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    lines = [line.rstrip() for line in str(value).replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(lines).strip()


def _open(path: Path, name: str, report: ValidationReport):
    try:  # only a regular file (never a pipe or a device), and never more than the limits
        data = read_bytes_limited(path, FORM_LIMIT, "Formulärfilen")
    except InputFileError as exc:
        report.add(name, "läsbar fil", str(exc))
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > FORM_UNPACKED_LIMIT:
            report.add(
                name, "läsbar fil", f"filen packas upp till {unpacked // MEGABYTE} MB, gränsen för ett formulär är "
                f"{FORM_UNPACKED_LIMIT // MEGABYTE} MB; skapa formuläret på nytt med: slutrapport form sjalvvardering",
            )  # fmt: skip
            return None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about extensions it does not read
            return load_workbook(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - any unreadable file becomes a reported problem
        report.add(name, "läsbar fil", f"filen kunde inte läsas som en Excel-arbetsbok (.xlsx): {damage_reason(exc)}")
        return None


def _meta(wb, name: str, definition: FormDefinition, report: ValidationReport) -> dict[str, tuple[str, int]] | None:
    """The hidden sheet's keys (key → (value, row)) when the form belongs to ``definition``."""
    meta = next((ws for ws in wb.worksheets if ws["A1"].value == MARKER), None)
    if meta is None:
        report.add(
            name,
            "okänt formulär",
            f"filen är inte ett formulär från slutrapport (det dolda bladet '{META_SHEET}' saknas). Skapa formuläret "
            "med: slutrapport form sjalvvardering",
        )
        return None
    values = {}
    for row in range(2, 20):
        key = meta[f"A{row}"].value
        if isinstance(key, str) and key not in values:
            values[key] = (_clean(meta[f"B{row}"].value), row)
    form_id, id_row = values.get("formular_id", ("", 2))
    form_name = values.get("namn", ("", 0))[0]
    if form_id != definition.id:
        report.add(
            name,
            "annat formulär",
            f"formuläret är skapat från formulärdefinitionen '{form_id}' (”{form_name}”), men här används "
            f"'{definition.id}' (”{definition.name}”); filen hör inte till den här självvärderingen",
            rad=id_row,
            kolumn=f"{meta.title}!B{id_row}",
            varde=form_id,
        )
        return None
    version, version_row = values.get("version", ("", 3))
    if version != definition.version:
        report.add(
            name,
            "annan version",
            f"formuläret är skapat från version {version} av '{definition.id}', men här används version "
            f"{definition.version}; skapa ett nytt formulär eller använd samma definition som när formuläret skapades",
            rad=version_row,
            kolumn=f"{meta.title}!B{version_row}",
            varde=version,
        )
        return None
    values["_blad"] = (meta.title, 0)
    return values


def _form_sheet(wb, meta: dict[str, tuple[str, int]]):
    """The sheet with the questions: by defined name, by the recorded name, or by its id column."""
    candidates = []
    named = wb.defined_names.get("SVFALT_ROLL")
    if named is not None:
        candidates += [title for title, _ in named.destinations]
    candidates.append(meta.get("blad", ("", 0))[0])
    candidates += [ws.title for ws in wb.worksheets if ws.title != meta["_blad"][0]]
    for title in dict.fromkeys(candidates):
        if title in wb.sheetnames and any(c.value == ROLE for c in wb[title]["A"]):
            return wb[title]
    return None


def _read_file(path: Path, name: str, definition: FormDefinition, report: ValidationReport) -> _Form | None:
    wb = _open(path, name, report)
    if wb is None:
        return None
    meta = _meta(wb, name, definition, report)
    if meta is None:
        return None
    ws = _form_sheet(wb, meta)
    if ws is None:
        sheet = meta.get("blad", ("", 0))[0]
        report.add(name, "saknat blad", f"bladet med frågorna ('{sheet}') finns inte längre i filen", varde=sheet)
        return None
    column = _answer_column(meta, name, report)
    if column is None:
        return None
    errors_before = len(report.errors())
    rows = _structure(ws, name, definition, report)
    if len(report.errors()) > errors_before:
        return None
    _stray_answers(ws, column, name, report)
    cell = lambda key: ws[f"{column}{rows[key]}"]  # noqa: E731
    where = lambda key: {"rad": rows[key], "kolumn": f"{ws.title}!{column}{rows[key]}"}  # noqa: E731
    role = _choice(cell(ROLE).value, definition.roles, name, "roll", where(ROLE), report)
    occasion = _choice(cell(OCCASION).value, definition.occasions, name, "tillfälle", where(OCCASION), report)
    when = _date(cell(DATE).value, name, where(DATE), report)
    parser = AnswerParser(definition.scale)
    answers: list[tuple[str, str, float, str | None]] = []
    blank = []
    for question in definition.questions:
        raw = cell(question.id).value
        if question.kind == RATING:
            parsed = parser.parse(_clean(raw))
            if parsed.error:
                report.add(name, "betyg", f"frågan {question.id}: {parsed.error}", varde=_clean(raw), **where(question.id))
            answers.append((question.id, parsed.status, np.nan if parsed.value is None else float(parsed.value), None))
        else:
            text = _free_text(raw)
            answers.append((question.id, ANSWERED if text else BLANK, np.nan, text or None))
        if answers[-1][1] == BLANK:
            blank.append(question)
    if len(blank) == len(definition.questions):
        report.add(name, "tomt formulär", "formuläret har inga svar och ingår inte i resultaten", allvar=WARNING)
        return None
    for question in blank:
        report.add(name, "obesvarad fråga", f"frågan {question.id} (”{_short(question.text)}”) är obesvarad", allvar=WARNING, **where(question.id))
    if role is None and _clean(cell(ROLE).value) == "":
        report.add(name, "tom roll", "rollen är inte ifylld; formuläret redovisas som ”Ej angiven”", allvar=WARNING, **where(ROLE))
    if occasion is None:
        if _clean(cell(OCCASION).value) == "":
            report.add(name, "tomt tillfälle", f"tillfället är inte ifyllt (välj ett av: {', '.join(definition.occasions)})", **where(OCCASION))
        return None
    return _Form(name, role, occasion, when, answers)


def _answer_column(meta: dict[str, tuple[str, int]], name: str, report: ValidationReport) -> str | None:
    """The answer column the hidden sheet records (``C``); None, with the problem reported, when it is no
    column letter within Excel's columns (``A:B``, ``1``, ``ZZZZ``, a formula)."""
    value, row = meta.get("svarskolumn", (ANSWER_COLUMN, 0))
    column = value.strip().upper() or ANSWER_COLUMN
    if re.fullmatch(r"[A-Z]{1,3}", column) and column_index_from_string(column) <= _LAST_COLUMN:
        return column
    report.add(
        name, "svarskolumn",
        f"svarskolumnen på det dolda bladet '{meta['_blad'][0]}' ska vara en kolumnbokstav som C, inte '{value}'; "
        "formulärets dolda blad får inte ändras (skapa ett nytt med: slutrapport form sjalvvardering)",
        rad=row or None, kolumn=f"{meta['_blad'][0]}!B{row}" if row else None, varde=value,
    )  # fmt: skip
    return None


def _structure(ws, name: str, definition: FormDefinition, report: ValidationReport) -> dict[str, int]:
    """The row of every field and question, checked against the definition (errors for any change)."""
    found: dict[str, list[int]] = {}
    texts: dict[int, object] = {}
    for a, b in ws.iter_rows(min_col=1, max_col=2):
        if isinstance(a.value, str) and a.value.strip():
            found.setdefault(a.value.strip(), []).append(a.row)
            texts[a.row] = b.value
    expected = {ROLE: None, OCCASION: None, DATE: None} | {q.id: q for q in definition.questions}
    sections = {SECTION_PREFIX + s.id for s in definition.sections}
    rows: dict[str, int] = {}
    for key, question in expected.items():
        what = f"frågan {key} (”{_short(question.text)}”)" if question else _FIELD_NAMES[key]
        places = found.get(key, [])
        if not places:
            report.add(
                name, "saknad rad",
                f"raden för {what} finns inte i bladet '{ws.title}' (raden har tagits bort eller dess id ändrats); "
                "formulärets struktur får inte ändras",
                kolumn=f"{ws.title}!{'A'}", varde=key,
            )  # fmt: skip
            continue
        if len(places) > 1:
            where = ", ".join(map(str, places))
            report.add(name, "dubblerad rad", f"{what} finns på flera rader ({where})", rad=places[1], kolumn=f"{ws.title}!A{places[1]}", varde=key)
            continue
        rows[key] = places[0]
        if question is not None and _clean(texts[places[0]]) != question.text:
            report.add(
                name, "ändrad frågetext",
                f"texten för frågan {key} har ändrats; formulärdefinitionen har ”{question.text}”",
                rad=places[0], kolumn=f"{ws.title}!{TEXT_COLUMN}{places[0]}", varde=_clean(texts[places[0]]),
            )  # fmt: skip
    for key, places in found.items():
        if key not in expected and key not in sections:
            for row in places:
                report.add(
                    name, "okänt id",
                    f"raden har ett id som inte finns i formulärdefinitionen '{definition.id}' (id:t eller raden har ändrats)",
                    rad=row, kolumn=f"{ws.title}!A{row}", varde=key,
                )  # fmt: skip
    return rows


def _stray_answers(ws, column: str, name: str, report: ValidationReport) -> None:
    """A warning for every value in the answer column on a row without a field's or question's id
    (a heading, a section or an empty row): it belongs to no question and is not read."""
    try:
        index = column_index_from_string(column)
    except ValueError:
        return
    if index <= 1:
        return
    for cells in ws.iter_rows(min_col=1, max_col=index):
        key, answer = cells[0].value, cells[-1]
        text = _clean(answer.value)
        if not text or (isinstance(key, str) and key.strip() and not key.strip().startswith(SECTION_PREFIX)):
            continue
        report.add(
            name, "svar utan fråga", "cellen i svarskolumnen står på en rad som inte är en fråga och läses inte; "
            "skriv svaret i cellen för den fråga det gäller",
            rad=answer.row, kolumn=f"{ws.title}!{column}{answer.row}", varde=_short(text), allvar=WARNING,
        )  # fmt: skip


def _choice(value: object, allowed: tuple[str, ...], name: str, what: str, where: dict, report: ValidationReport) -> str | None:
    text = _clean(value)
    if not text:
        return None
    for option in allowed:
        if option.casefold() == text.casefold():
            return option
    report.add(name, f"okänd {what}", f"'{text}' är inte en {what} i formulärdefinitionen (tillåtna: {', '.join(allowed)})", varde=text, **where)
    return None


def _date(value: object, name: str, where: dict, report: ValidationReport) -> str | None:
    if value is None or _clean(value) == "":
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(_clean(value)).isoformat()
    except ValueError:
        report.add(name, "ogiltigt datum", "datumet kunde inte tolkas (skriv ÅÅÅÅ-MM-DD) och används inte", varde=_clean(value), allvar=WARNING, **where)
        return None


def _short(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
