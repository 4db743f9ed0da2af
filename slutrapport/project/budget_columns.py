"""The budget file's columns as the web page maps them (``ekonomi: kolumner:`` in ``projekt.yaml``).

The budget reader recognises its columns by their headings (Kategori, Period,
Budget 2025, Utfall 2025 …); ``ekonomi: kolumner:`` names the heading of a
role the reader does not recognise (``budget: "Beviljat"``). The page lists
every heading of the file with the role it is read as, in the same list as
the participant register's (:class:`~.register.RegisterColumn`), and saves
the user's choices here; the file is never changed.
"""

from __future__ import annotations

from pathlib import Path

from slutrapport.core.errors import InputFileError, ProjectError
from slutrapport.core.yamledit import Remove, Set
from slutrapport.project.edit import edit_project, read_project_data
from slutrapport.project.register import RegisterColumn
from slutrapport.sources.economy.budget import read_budget_headings
from slutrapport.sources.economy.headings import ROLES

__all__ = ["BUDGET_FIELDS", "budget_columns", "budget_field_choices", "map_budget_columns"]

#: The roles of a budget column with their Swedish labels.
BUDGET_FIELDS = {
    "kategori": "Kategori (kostnadsslag)",
    "period": "Period",
    "budget": "Budget (enligt ansökan)",
    "utfall": "Utfall (faktisk kostnad)",
}


def _spec(root: Path) -> dict:
    raw = read_project_data(Path(root)).get("ekonomi")
    return {"fil": raw} if isinstance(raw, str) else raw if isinstance(raw, dict) else {}


def budget_field_choices() -> list[tuple[str, str]]:
    """``(role, Swedish label)`` for every role a budget column can have."""
    return list(BUDGET_FIELDS.items())


def budget_columns(root: Path) -> list[RegisterColumn]:
    """The budget file's headings with the role each is read as; empty without a readable budget file."""
    spec = _spec(root)
    name = spec.get("fil")
    path = Path(root) / str(name) if name else None
    if path is None or not path.is_file():
        return []
    mapped = spec.get("kolumner") if isinstance(spec.get("kolumner"), dict) else {}
    mapped = {str(k): str(v) for k, v in mapped.items() if k in ROLES}
    try:
        with_map = read_budget_headings(path, mapped, str(spec["blad"]) if spec.get("blad") else None)
        automatic = dict(read_budget_headings(path, None, str(spec["blad"]) if spec.get("blad") else None))
    except InputFileError:
        return []  # the check on the page says why
    return [RegisterColumn(heading, role, heading in mapped.values(), automatic.get(heading)) for heading, role in with_map]


def map_budget_columns(root: Path, version: str, choices: dict[str, str]) -> bool:
    """Save ``heading → role`` choices under ``ekonomi: kolumner:`` (role → heading); "" means "recognise the heading".

    A role may be chosen for one column only (a wide budget's many Budget/Utfall
    columns are recognised by their headings and need no mapping). Raises
    :class:`ProjectError` for an unknown role or a role chosen twice.
    """
    unknown = sorted({r for r in choices.values() if r and r not in BUDGET_FIELDS})
    if unknown:
        raise ProjectError(f"{', '.join(unknown)} är ingen kolumn i budgeten (välj {', '.join(BUDGET_FIELDS.values())}).")
    spec = _spec(root)
    if not spec.get("fil"):
        raise ProjectError("Ladda upp budgetfilen först.")
    chosen: dict[str, list[str]] = {}
    for heading, role in choices.items():
        if role:
            chosen.setdefault(role, []).append(heading)
    twice = [role for role, headings in chosen.items() if len(headings) > 1]
    if twice:
        role = twice[0]
        headings = " och ".join(f"”{h}”" for h in chosen[role])
        raise ProjectError(f"{BUDGET_FIELDS[role]} är valt för flera kolumner: {headings}. Välj det för en kolumn.")
    current = spec.get("kolumner") if isinstance(spec.get("kolumner"), dict) else {}
    automatic = {c.heading: c.automatic for c in budget_columns(root)}
    edits: list = []
    if isinstance(read_project_data(Path(root)).get("ekonomi"), str):
        edits.append(Set(("ekonomi",), {"fil": spec["fil"]}))
    for role in ROLES:
        headings = chosen.get(role, [])
        wanted = headings[0] if headings and automatic.get(headings[0]) != role else None
        cleared = any(current.get(role) == heading for heading, r in choices.items() if r != role)
        if wanted and current.get(role) != wanted:
            edits.append(Set(("ekonomi", "kolumner", role), wanted))
        elif not wanted and role in current and (headings or cleared):
            edits.append(Remove(("ekonomi", "kolumner", role)))
    return edit_project(root, version, edits) if edits else True
