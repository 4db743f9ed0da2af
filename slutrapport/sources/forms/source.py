"""The project's self-evaluation source: the ``sjalvvardering:`` key of ``projekt.yaml``.

::

    sjalvvardering:
      mapp: sjalvvardering                  # folder with the filled forms (default: sjalvvardering)
      definition: min-sjalvvardering.yaml   # optional: the form definition the forms were made from

Paths are relative to the project folder. Without the key the project has no
self-evaluation.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from slutrapport.core.errors import ProjectError, problem_list
from slutrapport.sources.forms.definition import FormDefinition, load_definition

__all__ = ["PROJECT_KEY", "FormSource", "project_form_source"]

PROJECT_KEY = "sjalvvardering"
_DEFAULT_FOLDER = "sjalvvardering"
_KEYS = {"mapp", "definition"}


@dataclass(frozen=True)
class FormSource:
    """Where a project's filled forms are and which definition they follow."""

    folder: Path
    definition: FormDefinition


def project_form_source(root: Path, data: dict, project_file: Path) -> FormSource | None:
    """The self-evaluation source of a project, or None when ``projekt.yaml`` has no ``sjalvvardering:``.

    Raises :class:`~slutrapport.core.errors.ProjectError` naming every problem with the key.
    """
    if PROJECT_KEY not in data:
        return None
    raw = data[PROJECT_KEY]
    if raw is None:
        raw = {}
    elif isinstance(raw, str):
        raw = {"mapp": raw}
    if not isinstance(raw, dict):
        raise ProjectError(f"{project_file}: '{PROJECT_KEY}' ska ha nycklarna mapp: och (frivilligt) definition:.")
    problems = []
    unknown = sorted(set(map(str, raw)) - _KEYS)
    if unknown:
        problems.append(f"okända nycklar under '{PROJECT_KEY}': {', '.join(unknown)} (tillåtna: mapp, definition)")
    folder = Path(root) / str(raw.get("mapp") or _DEFAULT_FOLDER)
    if folder.exists() and not folder.is_dir():
        problems.append(f"'{PROJECT_KEY}: mapp:' pekar på {folder}, som inte är en mapp; ange mappen med de ifyllda formulären")
    elif not folder.is_dir():
        problems.append(f"'{PROJECT_KEY}: mapp:' pekar på {folder}, som inte finns; lägg de ifyllda formulären där")
    if problems:
        raise ProjectError(problem_list(str(project_file), problems))
    definition = raw.get("definition")
    return FormSource(folder, load_definition(None if definition in (None, "") else str(definition), base_dir=Path(root)))
