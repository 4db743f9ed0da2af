"""Blank templates for a project's input files, filled in with what the project already knows.

The web page offers each data source's file as a template to download, so a
projektledare never has to guess the headings the program reads:

- ``sjalvvardering``: the fillable self-evaluation form (:func:`~.build.write_form`'s
  workbook, with the project's own form definition when it names one);
- ``deltagare``: the participant register, one column per field the reader
  recognises, with the instructions, the project's period and organisations as a note on the first heading;
- ``budget``: budget and outcome per kategori with a pair of columns per year
  of the project's period (the template's kategorier), amounts left empty;
- ``socioekonomi``: the socio-economic parameter file of the sample project,
  marked as example values (``exempel: true``) under a header naming the project.

Each template is read back without errors by the project's own readers except
for being empty (``tests/pipeline/test_blanks.py``).
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font

from slutrapport.core.errors import ProjectError
from slutrapport.core.inputs import read_text_limited
from slutrapport.pipeline.demo import sample_project_dir
from slutrapport.project.folder import Project, load_project
from slutrapport.sources.economy.budget import DEFAULT_CATEGORIES
from slutrapport.sources.forms.definition import load_definition
from slutrapport.sources.forms.excel_form import form_workbook, workbook_bytes

__all__ = ["BLANKS", "blank_file"]

#: The templates: name → (file name to save as, Swedish description).
BLANKS = {
    "sjalvvardering": ("sjalvvardering-formular.xlsx", "Självvärderingsformuläret att fylla i"),
    "deltagare": ("deltagarregister.xlsx", "Deltagarregistret med rätt kolumner"),
    "budget": ("budget.xlsx", "Budget och utfall per kategori och år"),
    "socioekonomi": ("socioekonomi.yaml", "Parameterfilen för den samhällsekonomiska beräkningen"),
}
_BOLD = Font(bold=True)
_REGISTER_HEADINGS = [
    "Deltagar-ID",
    "Kön",
    "Ålder",
    "Inskrivningsdatum",
    "Avslutsdatum",
    "Försörjning före",
    "Status vid avslut",
    "Antal möten",
]


def _period(project: Project) -> tuple[date | None, date | None]:
    period = project.data.get("projekt", {}).get("period") if isinstance(project.data.get("projekt"), dict) else None
    if not isinstance(period, dict):
        return None, None
    start, end = period.get("start"), period.get("slut")
    return (start if isinstance(start, date) else None), (end if isinstance(end, date) else None)


def _organisations(project: Project) -> list[str]:
    info = project.data.get("projekt") if isinstance(project.data.get("projekt"), dict) else {}
    found = info.get("organisationer")
    return [str(o) for o in found] if isinstance(found, list) else []


def _years(project: Project) -> list[str]:
    start, end = _period(project)
    if start is None and end is None:
        return [str(date.today().year)]
    first, last = (start or end).year, (end or start).year  # type: ignore[union-attr]
    return [str(year) for year in range(first, max(first, last) + 1)][:10]


def _bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _form(project: Project) -> bytes:
    spec = project.data.get("sjalvvardering")
    definition = spec.get("definition") if isinstance(spec, dict) else None
    return workbook_bytes(form_workbook(load_definition(definition, base_dir=project.root)))


def _register(project: Project) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Deltagare"
    sheet.append(_REGISTER_HEADINGS)
    for cell in sheet[1]:
        cell.font = _BOLD
    for letter, width in zip("ABCDEFGH", (14, 10, 8, 18, 16, 22, 22, 12), strict=True):
        sheet.column_dimensions[letter].width = width
    start, end = _period(project)
    lines = [
        f"Deltagarregister för {project.name}.",
        "En rad per deltagare. Skriv aldrig namn eller personnummer: använd ett eget löpnummer som Deltagar-ID.",
        "Datum skrivs ÅÅÅÅ-MM-DD. Avslutsdatum och Status vid avslut lämnas tomma för den som fortfarande är inskriven.",
        "Kön: Kvinna, Man eller Annat. Försörjning före och Status vid avslut med projektets egna ord.",
    ]
    if start or end:
        lines.append(f"Projektperiod: {start or '?'} – {end or '?'}.")
    if _organisations(project):
        lines.append("Samverkansparter: " + ", ".join(_organisations(project)) + ".")
    # the instructions are a note on the first heading: a second sheet or a title row would be read as data
    sheet["A1"].comment = Comment("\n".join(lines), "slutrapport", width=420, height=220)
    return _bytes(workbook)


def _budget(project: Project) -> bytes:
    settings = project.template.settings.get("ekonomi") or {}
    spec = project.data.get("ekonomi") if isinstance(project.data.get("ekonomi"), dict) else {}
    categories = spec.get("kategorier") or (settings.get("kategorier") if isinstance(settings, dict) else None) or DEFAULT_CATEGORIES
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Budget"
    sheet.append([f"Budget och utfall för {project.name} (kronor)"])
    sheet["A1"].font = _BOLD
    heading = ["Kategori"]
    for year in _years(project):
        heading += [f"Budget {year}", f"Utfall {year}"]
    sheet.append(heading)
    for cell in sheet[2]:
        cell.font = _BOLD
    for category in categories:
        sheet.append([str(category)])
    sheet.column_dimensions["A"].width = 24
    return _bytes(workbook)


def _socioeconomic(project: Project) -> bytes:
    sample = read_text_limited(sample_project_dir() / "socioekonomi.yaml", "Exempelfilen", error=ProjectError)
    body = sample[sample.index("\nexempel:") + 1 :] if "\nexempel:" in sample else sample
    head = (
        f"# Parameterfil för den samhällsekonomiska beräkningen i {project.name}, enligt typfallsmetoden.\n"
        "# Värdena nedan är EXEMPEL från exempelprojektet: ersätt dem med projektets egna bedömningar,\n"
        "# skriv källan under kalla: och ändra exempel: till false. Se docs/socioekonomi.md.\n\n"
    )
    return (head + body).encode("utf-8")


_MAKERS = {"sjalvvardering": _form, "deltagare": _register, "budget": _budget, "socioekonomi": _socioeconomic}


def blank_file(project_dir: Path, name: str) -> tuple[str, bytes]:
    """The blank template ``name`` (a key of :data:`BLANKS`) for the project: its file name and bytes."""
    if name not in BLANKS:
        raise ProjectError(f"Det finns ingen mall som heter {name}.")
    project = load_project(Path(project_dir))
    return BLANKS[name][0], _MAKERS[name](project)
