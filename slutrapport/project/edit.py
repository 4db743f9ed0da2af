"""Changing a project folder from the web page: the versioned edit of ``projekt.yaml``, the facts and the goals.

Every change is written atomically (:func:`slutrapport.core.outputs.write_bytes_atomic`)
and is refused when the file has changed on disk since the page that asks for
the change read it: the page sends the file's *version* (SHA-256 of its bytes,
:func:`file_version`) and :class:`EditConflict` is raised when it no longer
matches. ``projekt.yaml`` is edited in place (:mod:`slutrapport.core.yamledit`, ruamel.yaml round trip)
so the user's comments stay.

The other edits of the page build on :func:`edit_project`: uploaded files and
data sources in :mod:`.uploads`, the staff survey (waves, instrument, column
mappings, answer aliases) in :mod:`.survey`, the narrative texts in :mod:`.texts`.
"""

from __future__ import annotations

import hashlib
import threading
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from slutrapport.core.errors import ProjectError, problem_list
from slutrapport.core.inputs import TEXT_LIMIT, read_bytes_limited, read_text_limited
from slutrapport.core.outputs import unreadable, write_bytes_atomic
from slutrapport.core.yamledit import Append, Remove, Set, apply_edits
from slutrapport.core.yamlfile import parse_yaml
from slutrapport.project.folder import PROJECT_FILE

__all__ = [
    "EditConflict",
    "FACT_FIELDS",
    "LIST_FACTS",
    "file_version",
    "project_version",
    "read_project_data",
    "edit_project",
    "update_facts",
    "GOAL_MEASURES",
    "GOAL_POPULATIONS",
    "GOAL_FIELDS",
    "goal_details",
    "add_goal",
    "remove_goal",
]

#: Single-line project facts under ``projekt:`` edited on the page, with their Swedish labels.
FACT_FIELDS = {
    "namn": "Projektets namn",
    "projektagare": "Projektägare",
    "projektledare": "Projektledare",
    "finansiar": "Finansiär",
    "malgrupp": "Målgrupp",
}
#: List facts under ``projekt:``, one item per line on the page.
LIST_FACTS = {"organisationer": "Samverkansparter (en per rad)", "mal": "Projektets mål i ord, som i ansökan (ett per rad)"}
#: Choices of a measurable goal (``mal:``): what is measured and among whom.
GOAL_MEASURES = {
    "andel": "Andel (procent) av deltagarna",
    "antal": "Antal deltagare",
    "forandring": "Förändring mellan två datum",
    "andel_svar": "Andel av svaren i deltagarenkäten",
    "aktiviteter": "Antal aktiviteter",
    "kvalitativt": "Kvalitativt (projektets bedömning)",
}
GOAL_POPULATIONS = {"avslutade": "avslutade deltagare", "inskrivna": "inskrivna deltagare"}
#: The form fields of a goal besides ``mal``, ``matt`` and ``population``, in the order they are written.
GOAL_FIELDS = ("kategorier", "kon", "alder", "falt", "fran", "till", "andring", "fraga", "svar", "typ", "malvarde", "bedomning", "motivering")
_GOAL_LISTS = ("kategorier", "svar")

_LOCK = threading.Lock()  # one edit at a time within this process (the web server is threaded)


class EditConflict(ProjectError):
    """The file changed on disk since the page read it; ``current`` is its text now, ``version`` its version."""

    def __init__(self, message: str, current: str = "", version: str = "") -> None:
        super().__init__(message)
        self.current = current
        self.version = version


def file_version(path: Path) -> str:
    """SHA-256 of the file's bytes; ``""`` when it does not exist.

    Something else than a file (a pipe, a device, a folder) or a file over
    :data:`~slutrapport.core.inputs.TEXT_LIMIT` raises :class:`ProjectError`.
    """
    if not Path(path).exists():
        return ""
    return hashlib.sha256(read_bytes_limited(path, TEXT_LIMIT, "Filen", error=ProjectError)).hexdigest()


def project_version(root: Path) -> str:
    """The version of ``root/projekt.yaml`` (sent with every form that changes it)."""
    return file_version(Path(root) / PROJECT_FILE)


def read_project_data(root: Path) -> dict[str, Any]:
    """The parsed ``projekt.yaml`` as it is (no checks beyond valid YAML)."""
    path = Path(root) / PROJECT_FILE
    try:
        data = parse_yaml(read_text_limited(path, "Projektfilen", error=ProjectError), str(path), ProjectError) or {}
    except (OSError, UnicodeDecodeError) as exc:
        raise ProjectError(f"{path} kunde inte läsas: {unreadable(exc)}.") from exc
    return data if isinstance(data, dict) else {}


def _section(data: dict, key: str) -> dict:
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def edit_project(root: Path, version: str, edits: list) -> bool:
    """Apply ``edits`` (:mod:`slutrapport.core.yamledit`) to ``projekt.yaml`` if it is still at ``version``.

    Returns whether the file's comments could be kept.
    """
    path = Path(root) / PROJECT_FILE
    with _LOCK:
        raw = read_bytes_limited(path, TEXT_LIMIT, "Projektfilen", error=ProjectError)
        if hashlib.sha256(raw).hexdigest() != version:
            raise EditConflict(
                f"{PROJECT_FILE} har ändrats på disken sedan sidan laddades (t.ex. i en textredigerare). "
                "Ingenting sparades. Ladda om sidan och gör ändringen igen.",
                raw.decode("utf-8-sig", errors="replace"),
                hashlib.sha256(raw).hexdigest(),
            )
        bom = raw.startswith(b"\xef\xbb\xbf")
        text = raw.decode("utf-8-sig")
        try:
            new_text, kept = apply_edits(text, edits)
        except yaml.YAMLError:
            parse_yaml(text, str(path), ProjectError)  # raises the usual message with row and column
            raise
        write_bytes_atomic(path, (b"\xef\xbb\xbf" if bom else b"") + new_text.encode("utf-8"), inside=root)
        return kept


def _parse_date(text: str, label: str, problems: list[str]) -> date | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems.append(f"{label} ska skrivas ÅÅÅÅ-MM-DD, fick '{text}'")
        return None


def _lines(text: str) -> list[str]:
    return [line.strip() for line in str(text or "").splitlines() if line.strip()]


def update_facts(root: Path, version: str, values: dict[str, str]) -> bool:
    """Save the project facts from the page's form (only the keys whose value changed are rewritten).

    ``values`` holds :data:`FACT_FIELDS`, :data:`LIST_FACTS` (one item per line)
    and ``start``/``slut`` (ÅÅÅÅ-MM-DD).
    """
    info = _section(read_project_data(root), "projekt")
    problems: list[str] = []
    if not str(values.get("namn") or "").strip():
        problems.append("projektets namn får inte vara tomt")
    start = _parse_date(values.get("start", ""), "Projektperiodens start", problems)
    end = _parse_date(values.get("slut", ""), "Projektperiodens slut", problems)
    if start and end and end < start:
        problems.append("projektperioden slutar före den börjar")
    if problems:
        raise ProjectError(problem_list("Projektuppgifterna", problems))
    edits: list = []
    for key in FACT_FIELDS:
        new = " ".join(str(values.get(key) or "").split())
        if new != ("" if info.get(key) is None else str(info.get(key))):
            edits.append(Set(("projekt", key), new))
    for key in LIST_FACTS:
        new_list = _lines(values.get(key, ""))
        old = info.get(key)
        old_list = [str(v) for v in old] if isinstance(old, list) else _lines(old) if old else []
        if new_list != old_list:
            edits.append(Set(("projekt", key), new_list))
    period = info.get("period")
    old_start, old_end = (period.get("start"), period.get("slut")) if isinstance(period, dict) else (None, None)
    if (start, end) != (old_start, old_end):
        edits.append(Set(("projekt", "period"), {"start": start, "slut": end}))
    return edit_project(root, version, edits) if edits else True


# ---------------------------------------------------------------- measurable goals (mal:)


def _goal_value(key: str, text: str) -> Any:
    """A form field as ``mal:`` holds it: ``kategorier`` and ``svar`` are comma-separated lists (``svar: positiva`` stays a word)."""
    if key not in _GOAL_LISTS:
        return text
    items = [c.strip() for c in text.split(",") if c.strip()]
    if key == "svar":
        return "positiva" if items == ["positiva"] else [int(c) if c.isdigit() else c for c in items]
    return items


def add_goal(root: Path, version: str, values: dict[str, str]) -> None:
    """Append a goal of any kind to ``mal:`` (checked like ``build`` checks it, against the register's categories).

    ``values``: ``mal`` (the goal in words), ``matt`` (a key of :data:`GOAL_MEASURES`),
    ``population`` (avslutade/inskrivna, for andel and antal) and the keys of
    :data:`GOAL_FIELDS` the kind uses (``kategorier`` and ``svar`` comma-separated,
    ``malvarde`` "40 %" or "25"); blank fields are left out. A survey question or
    activity type is checked against its file when the report is built.
    """
    from slutrapport.analysis.goals import parse_goals
    from slutrapport.core.problems import ValidationReport
    from slutrapport.sources.register.settings import parse_settings

    measure = str(values.get("matt") or "").strip()
    goal: dict[str, Any] = {"mal": " ".join(str(values.get("mal") or "").split()), "matt": measure}
    if measure in ("andel", "antal"):
        goal["population"] = str(values.get("population") or "").strip()
    for key in GOAL_FIELDS:
        text = " ".join(str(values.get(key) or "").split())
        if text and not (key == "malvarde" and measure == "kvalitativt"):
            goal[key] = _goal_value(key, text)
    data = read_project_data(root)
    existing = data.get("mal") if isinstance(data.get("mal"), list) else []
    spec = data.get("deltagare") if isinstance(data.get("deltagare"), dict) else {}
    settings = parse_settings(spec, Path("."), ValidationReport())  # never raises; problems of the register are its own
    _, report = parse_goals([*existing, goal], settings.status_groups, settings.aliases, settings.income_groups)
    own = f"mal nr {len(existing) + 1}"
    problems = [p.meddelande for p in report.errors() if str(p.kolumn or "").startswith(own) or "används av flera mål" in p.meddelande]
    if not goal["mal"]:
        problems.insert(0, "skriv målet i ord")
    if problems:
        raise ProjectError(problem_list("Det nya målet", problems))
    edit_project(root, version, [Append(("mal",), goal)])


def goal_details(goal: dict[str, Any]) -> str:
    """What a goal under ``mal:`` counts, in short, for the page's list: ``'inskrivna; kon: kvinnor'``."""
    parts = [str(goal["population"])] if goal.get("population") else []
    for key in GOAL_FIELDS:
        value = goal.get(key)
        if key == "malvarde" or value in (None, "", []):
            continue
        if isinstance(value, dict):  # alder: {fran: 18, till: 29}
            shown = f"{value.get('fran', '')}–{value.get('till', '')}"
        else:
            shown = ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
        parts.append(f"{key}: {shown}")
    return "; ".join(parts)


def remove_goal(root: Path, version: str, position: int) -> None:
    """Remove the goal at ``position`` (0-based) from ``mal:``."""
    goals = read_project_data(root).get("mal")
    if not isinstance(goals, list) or not 0 <= position < len(goals):
        raise ProjectError("Målet finns inte längre i projekt.yaml; ladda om sidan.")
    edit_project(root, version, [Remove(("mal", position))])
