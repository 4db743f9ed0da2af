"""The participant register's columns as the web page maps them (``deltagare: kolumner:`` in ``projekt.yaml``).

The register reader recognises a column by its heading ("Kön", "Inskrivningsdatum"
…) or by the project's own mapping ``"Rubrik i filen": fält`` under
``deltagare: kolumner:``. :func:`register_columns` lists the register file's
headings with the field each is read as now; :func:`map_register_columns`
saves the user's choices, so a column can be pointed at a field without
renaming the heading in the file (which is never changed).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from slutrapport.core.errors import InputFileError, ProjectError
from slutrapport.core.problems import ValidationReport
from slutrapport.core.yamledit import Remove, Set
from slutrapport.project.edit import edit_project, read_project_data
from slutrapport.sources.readers import read_raw
from slutrapport.sources.register.participants import FIELDS, REQUIRED_FIELDS
from slutrapport.sources.register.settings import UNUSED, UNUSED_FIELD, field_for, parse_settings
from slutrapport.sources.register.values import category_key

__all__ = ["RegisterColumn", "register_columns", "register_field_choices", "map_register_columns"]

_KEY = ("deltagare", "kolumner")


@dataclass(frozen=True)
class RegisterColumn:
    """A column of the register file: its heading, the field it is read as now (None: not used) and how."""

    heading: str
    field: str | None
    #: True when the field comes from ``deltagare: kolumner:``, False when the heading is recognised
    mapped: bool
    #: the field the heading is recognised as without a mapping (None: none)
    automatic: str | None


def register_field_choices() -> list[tuple[str, str]]:
    """``(field, Swedish label)`` for every register field (the required ones say so), and "används inte"."""
    fields = [(name, f"{label} (krävs)" if name in REQUIRED_FIELDS else label) for name, (label, _) in FIELDS.items()]
    return [*fields, (UNUSED, UNUSED)]


def register_columns(root: Path) -> list[RegisterColumn]:
    """The register file's column headings with their fields; empty without a readable register file."""
    spec = read_project_data(Path(root)).get("deltagare")
    settings = parse_settings(spec, Path(root), ValidationReport())
    if settings.file is None or not settings.file.is_file():
        return []
    try:
        raw = read_raw(settings.file, format="plain")
    except InputFileError:
        return []  # the check on the page says why
    columns = []
    for heading in raw.columns:
        if not str(heading).strip():
            continue
        mapped = settings.column_map.get(category_key(heading))
        mapped = UNUSED if mapped == UNUSED_FIELD else mapped
        automatic = field_for(heading)
        columns.append(RegisterColumn(str(heading), mapped or automatic, mapped is not None, automatic))
    return columns


def map_register_columns(root: Path, version: str, choices: dict[str, str]) -> bool:
    """Save ``heading → field`` choices under ``deltagare: kolumner:``; an empty field means "recognise the heading".

    A choice that is what the heading is recognised as anyway removes the
    heading's mapping; every other one is written as ``"Rubrik i filen": fält``.
    Raises :class:`ProjectError` for an unknown field, or when two columns
    would be read as the same field.
    """
    root = Path(root)
    unknown = sorted({f for f in choices.values() if f and f not in FIELDS and f != UNUSED})
    if unknown:
        raise ProjectError(f"Fältet {', '.join(unknown)} finns inte i deltagarregistret (fält: {', '.join(FIELDS)}).")
    data = read_project_data(root)
    spec = data.get("deltagare")
    if not spec:
        raise ProjectError("Ladda upp deltagarregistret först (deltagare: fil: i projekt.yaml).")
    columns = {c.heading: c for c in register_columns(root)}
    effective = {heading: column.field for heading, column in columns.items()}
    for heading, chosen in choices.items():
        effective[heading] = chosen or field_for(heading)
    chosen_now = {f for f in choices.values() if f}
    twice = [name for name, count in Counter(f for f in effective.values() if f and f != UNUSED).items() if count > 1 and name in chosen_now]
    if twice:
        name = twice[0]
        headings = [f"'{h}'" for h, f in effective.items() if f == name]
        raise ProjectError(f"Fältet {FIELDS[name][0]} är valt för flera kolumner: {' och '.join(headings)}. Välj det för en kolumn.")
    current = spec.get("kolumner") if isinstance(spec, dict) else None
    current = current if isinstance(current, dict) else {}
    edits: list = []
    if isinstance(spec, str):  # deltagare: deltagare.csv is short for deltagare: {fil: deltagare.csv}
        edits.append(Set(("deltagare",), {"fil": spec}))
    for heading, chosen in choices.items():
        keep = bool(chosen) and chosen != field_for(heading)
        existing = [key for key in current if category_key(key) == category_key(heading)]
        edits += [Remove((*_KEY, key)) for key in existing if not (keep and key == heading)]
        if keep and current.get(heading) != chosen:
            edits.append(Set((*_KEY, heading), chosen))
    if not edits:
        return True
    return edit_project(root, version, edits)
