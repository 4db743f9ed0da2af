"""The fillable Excel form of a form definition (``slutrapport form sjalvvardering``).

The workbook has three sheets:

``Instruktion``
    How to fill in the form, the rating scale and what happens to the answers.
``Formulär``
    The form: role, occasion and date at the top, then one block per section.
    Column A (hidden) holds the id of every row (``_roll``, ``_tillfalle``,
    ``_datum``, ``avsnitt:<id>`` and each question id), column B the label or
    question text and column C the answer. Only the answer cells are unlocked;
    ratings, role and occasion are dropdown lists (data validation), text
    answers are wrapped text cells formatted as text and sized for paragraphs.
``Formulärdata`` (hidden)
    What identifies the form: a marker in A1, the definition's id, version and
    name, the form sheet's name and the answer column, one row per field and
    question (kind, id, cell, text) and the dropdown lists.

Sheets are protected without a password (so nothing changes by mistake and
anyone can still fill in the answer cells), and so is the workbook structure.
:mod:`slutrapport.sources.forms.read` finds the form by the hidden sheet's marker and
each answer by the id in column A, so renamed files, re-saved files and
re-ordered or renamed sheets still read. Every text from the definition is
stored as a string, never as a formula. The bytes are deterministic.
"""

from __future__ import annotations

import io
import math
import zipfile
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.xml.functions import tostring

from slutrapport.core.safetext import starts_like_formula
from slutrapport.sources.forms.definition import RATING, FormDefinition

__all__ = [
    "form_workbook",
    "workbook_bytes",
    "MARKER",
    "LAYOUT_VERSION",
    "FORM_SHEET",
    "META_SHEET",
    "INSTRUCTION_SHEET",
    "ROLE",
    "OCCASION",
    "DATE",
    "SECTION_PREFIX",
    "ID_COLUMN",
    "TEXT_COLUMN",
    "ANSWER_COLUMN",
]

MARKER = "slutrapport-formulär"
LAYOUT_VERSION = "1"
INSTRUCTION_SHEET, FORM_SHEET, META_SHEET = "Instruktion", "Formulär", "Formulärdata"
ROLE, OCCASION, DATE = "_roll", "_tillfalle", "_datum"
SECTION_PREFIX = "avsnitt:"
ID_COLUMN, TEXT_COLUMN, ANSWER_COLUMN = "A", "B", "C"

_FIXED_TIME = datetime(2000, 1, 1)
_ZIP_TIME = (2000, 1, 1, 0, 0, 0)
_CORE = "docProps/core.xml"
_WRAP = Alignment(wrap_text=True, vertical="top")
_ANSWER_FILL = PatternFill("solid", fgColor="FFF6CC")
_SECTION_FILL = PatternFill("solid", fgColor="DCE6F0")
_THIN = Side(style="thin", color="A6A6A6")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_UNLOCKED = Protection(locked=False)
_TEXT_ROW_HEIGHT = 120  # points: room for a few paragraphs
_CHARS_PER_LINE = 62  # of the question column at its width

#: Sheet-scoped lists behind the dropdowns, on the hidden sheet (column → defined name).
_LISTS = {"G": "SVLISTA_ROLLER", "H": "SVLISTA_TILLFALLEN", "I": "SVLISTA_SKALA"}


def _text(ws, ref: str, value: str, font: Font | None = None):
    """Store a definition text as a string (never a formula), wrapped."""
    cell = ws[ref]
    cell.value = value
    cell.data_type = "s"
    if starts_like_formula(value):
        cell.quotePrefix = True
    cell.alignment = _WRAP
    if font is not None:
        cell.font = font
    return cell


def _lines(text: str) -> int:
    return max(1, math.ceil(len(text) / _CHARS_PER_LINE))


def form_workbook(definition: FormDefinition) -> Workbook:
    """The fillable form as an openpyxl workbook (see the module docstring for the layout)."""
    wb = Workbook()
    instruction = wb.active
    instruction.title = INSTRUCTION_SHEET
    form = wb.create_sheet(FORM_SHEET)
    meta = wb.create_sheet(META_SHEET)
    fields = _write_form(form, definition)
    _write_meta(meta, definition, fields)
    _write_instruction(instruction, definition)
    _add_validations(form, definition, fields)
    for ws in (instruction, form, meta):
        ws.protection.sheet = True
        ws.protection.formatRows = False  # people may make a row taller for a long answer
        ws.protection.formatColumns = False
    meta.sheet_state = "hidden"
    wb.security = WorkbookProtection(lockStructure=True)
    wb.active = 1
    wb.properties.creator = "slutrapport"
    wb.properties.title = definition.name
    wb.properties.created = wb.properties.modified = _FIXED_TIME
    return wb


def workbook_bytes(wb: Workbook) -> bytes:
    """The saved workbook with pinned timestamps (zip entries and the 'modified' property), so the same content gives the same bytes."""
    pinned = wb.properties.created or _FIXED_TIME
    raw = io.BytesIO()
    wb.save(raw)  # openpyxl stamps the 'modified' property with the current time; undone below
    wb.properties.modified = pinned
    core = tostring(wb.properties.to_tree())
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, core if info.filename == _CORE else src.read(info.filename))
    return out.getvalue()


def _answer_cell(ws, row: int, kind: str):
    cell = ws[f"{ANSWER_COLUMN}{row}"]
    cell.protection = _UNLOCKED
    cell.fill = _ANSWER_FILL
    cell.border = _BOX
    cell.alignment = _WRAP
    if kind == "text":
        cell.number_format = "@"  # typed text stays text, even "=…"
    return cell


def _write_form(ws, definition: FormDefinition) -> list[tuple[str, str, int, str, str]]:
    """Write the form sheet; returns (kind, id, row, text, answer kind) for every field and question."""
    ws.column_dimensions[ID_COLUMN].hidden = True
    ws.column_dimensions[ID_COLUMN].width = 24
    ws.column_dimensions[TEXT_COLUMN].width = 62
    ws.column_dimensions[ANSWER_COLUMN].width = 80
    _text(ws, "B1", definition.name, Font(bold=True, size=14))
    _text(ws, "B2", "Fyll i de gula cellerna. Läs bladet ”Instruktion” först.", Font(italic=True))
    fields: list[tuple[str, str, int, str, str]] = []
    header = [
        (ROLE, "Din roll i projektet (välj i listan)", "list"),
        (OCCASION, "Tillfälle (välj i listan)", "list"),
        (DATE, "Datum då du fyllde i formuläret (ÅÅÅÅ-MM-DD)", "date"),
    ]
    row = 4
    for field_id, label, kind in header:
        ws[f"{ID_COLUMN}{row}"] = field_id
        _text(ws, f"{TEXT_COLUMN}{row}", label, Font(bold=True))
        cell = _answer_cell(ws, row, kind)
        if kind == "date":
            cell.number_format = "yyyy-mm-dd"
        ws.row_dimensions[row].height = 20
        fields.append(("falt", field_id, row, label, kind))
        row += 1
    for section in definition.sections:
        row += 1
        ws[f"{ID_COLUMN}{row}"] = SECTION_PREFIX + section.id
        for column in (TEXT_COLUMN, ANSWER_COLUMN):
            ws[f"{column}{row}"].fill = _SECTION_FILL
        _text(ws, f"{TEXT_COLUMN}{row}", section.title, Font(bold=True, size=12))
        ws.row_dimensions[row].height = 20
        row += 1
        if section.description:
            _text(ws, f"{TEXT_COLUMN}{row}", section.description, Font(italic=True))
            ws.row_dimensions[row].height = 15 * _lines(section.description) + 4
            row += 1
        for question in section.questions:
            ws[f"{ID_COLUMN}{row}"] = question.id
            _text(ws, f"{TEXT_COLUMN}{row}", question.text)
            kind = "rating" if question.kind == RATING else "text"
            _answer_cell(ws, row, kind)
            lines = _lines(question.text)
            ws.row_dimensions[row].height = _TEXT_ROW_HEIGHT if kind == "text" else max(22, 15 * lines + 4)
            fields.append(("fraga", question.id, row, question.text, kind))
            row += 1
    ws.freeze_panes = "B4"
    return fields


def _write_meta(ws, definition: FormDefinition, fields: list[tuple[str, str, int, str, str]]) -> None:
    rows = [
        (MARKER, LAYOUT_VERSION),
        ("formular_id", definition.id),
        ("version", definition.version),
        ("namn", definition.name),
        ("blad", FORM_SHEET),
        ("svarskolumn", ANSWER_COLUMN),
    ]
    for number, (key, value) in enumerate(rows, start=1):
        _text(ws, f"A{number}", key)
        _text(ws, f"B{number}", value)
    top = len(rows) + 2
    for column, title in zip("ABCDE", ("typ", "id", "cell", "text", "svar"), strict=True):
        _text(ws, f"{column}{top}", title, Font(bold=True))
    for number, (kind, field_id, row, text, answer) in enumerate(fields, start=top + 1):
        for column, value in zip("ABCDE", (kind, field_id, f"{ANSWER_COLUMN}{row}", text, answer), strict=True):
            _text(ws, f"{column}{number}", value)
    lists = {"G": list(definition.roles), "H": list(definition.occasions), "I": definition.scale_items()}
    for column, items in lists.items():
        for number, item in enumerate(items, start=1):
            _text(ws, f"{column}{number}", item)
        ref = f"'{META_SHEET}'!${column}$1:${column}${len(items)}"
        ws.parent.defined_names[_LISTS[column]] = DefinedName(_LISTS[column], attr_text=ref)
    ws.column_dimensions["D"].width = 60


def _add_validations(ws, definition: FormDefinition, fields: list[tuple[str, str, int, str, str]]) -> None:
    rows = {field_id: row for _, field_id, row, _, _ in fields}
    scale = definition.scale
    scale_text = ", ".join(f"{v} = {label}" for v, label in sorted(scale.values.items()))
    missing = f", eller {' / '.join(scale.missing)}" if scale.missing else ""
    role = _list_validation("SVLISTA_ROLLER", "Roll", "Välj din roll i listan.")
    occasion = _list_validation("SVLISTA_TILLFALLEN", "Tillfälle", "Välj tillfället i listan.")
    rating = _list_validation("SVLISTA_SKALA", "Betyg", f"Välj ett betyg i listan: {scale_text}{missing}.")
    date = DataValidation(type="date", operator="between", formula1="36526", formula2="73051", allow_blank=True)
    date.error, date.errorTitle = "Skriv ett datum som ÅÅÅÅ-MM-DD, t.ex. 2025-09-15.", "Datum"
    date.prompt, date.promptTitle = "Skriv datumet som ÅÅÅÅ-MM-DD.", "Datum"
    date.showErrorMessage = date.showInputMessage = True
    role.add(f"{ANSWER_COLUMN}{rows[ROLE]}")
    occasion.add(f"{ANSWER_COLUMN}{rows[OCCASION]}")
    date.add(f"{ANSWER_COLUMN}{rows[DATE]}")
    for kind, _field_id, row, _, answer in fields:
        if kind == "fraga" and answer == "rating":
            rating.add(f"{ANSWER_COLUMN}{row}")
    for validation in (role, occasion, date, rating):
        if validation.sqref:
            ws.add_data_validation(validation)
    wb = ws.parent
    for name, field_id in (("SVFALT_ROLL", ROLE), ("SVFALT_TILLFALLE", OCCASION), ("SVFALT_DATUM", DATE)):
        wb.defined_names[name] = DefinedName(name, attr_text=f"'{FORM_SHEET}'!${ANSWER_COLUMN}${rows[field_id]}")


def _list_validation(name: str, title: str, prompt: str) -> DataValidation:
    validation = DataValidation(type="list", formula1=name, allow_blank=True)
    validation.error, validation.errorTitle = f"{prompt} Andra värden går inte att läsa in.", title
    validation.prompt, validation.promptTitle = prompt[:250], title
    validation.showErrorMessage = validation.showInputMessage = True
    return validation


def _write_instruction(ws, definition: FormDefinition) -> None:
    ws.column_dimensions["A"].width = 100
    scale = definition.scale
    scale_text = ", ".join(f"{v} = {label}" for v, label in sorted(scale.values.items()))
    missing = f" Välj ”{scale.missing[0]}” om du inte kan svara på en fråga." if scale.missing else ""
    lines: list[tuple[str, Font | None]] = [(definition.name, Font(bold=True, size=14))]
    if definition.instruction:
        lines.append((definition.instruction, None))
    lines += [
        ("Så fyller du i formuläret", Font(bold=True, size=12)),
        (f"1. Gå till bladet ”{FORM_SHEET}”. Fyll bara i de gula cellerna; resten av bladet är låst.", None),
        ("2. Välj din roll och vilket tillfälle självvärderingen gäller i listorna högst upp, och skriv dagens datum "
         "(ÅÅÅÅ-MM-DD).", None),
        (f"3. Betygsfrågorna besvaras genom att välja i listan i den gula cellen: {scale_text}.{missing}", None),
        ("4. Fritextfrågorna besvaras med egna ord, gärna med flera stycken. Ny rad i samma cell: Alt+Enter (Windows) "
         "eller Ctrl+Alt+Enter (Mac). Raden kan göras högre om texten inte syns.", None),
        ("5. Skriv inte ditt eget eller någon annans namn i formuläret. I rapporten redovisas betygen per roll bara när "
         "tillräckligt många i rollen har svarat; annars slås rollen ihop med andra eller visas inte, och fritexten "
         "visas utan roll.", None),
        ("6. Spara filen som Excel-arbetsbok (.xlsx) och lämna den till den som samlar in självvärderingen. "
         "Filnamnet spelar ingen roll.", None),
        ("Formulärets struktur är skyddad utan lösenord så att frågorna inte ändras av misstag. Ändra inte frågorna "
         "eller raderna: ett formulär med ändrad struktur kan inte läsas in.", Font(italic=True)),
        (f"Formulär: {definition.id}, version {definition.version}.", Font(italic=True, color="666666")),
    ]
    for number, (text, font) in enumerate(lines, start=1):
        _text(ws, f"A{number}", text, font)
        ws.row_dimensions[number].height = max(18, 15 * math.ceil(len(text) / 95) + 4)
