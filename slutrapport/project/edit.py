"""Changing a project folder from the web page: ``projekt.yaml`` keys, texts and uploaded files.

Every change is written atomically (:func:`slutrapport.core.outputs.write_bytes_atomic`)
and is refused when the file has changed on disk since the page that asks for
the change read it: the page sends the file's *version* (SHA-256 of its bytes,
:func:`file_version`) and :class:`EditConflict` is raised when it no longer
matches. ``projekt.yaml`` is edited line by line (:mod:`slutrapport.core.yamledit`)
so the user's comments stay.

Uploaded files are stored under names this module makes up (``enkater/enkat-
20250321-1a2b3c.csv``); the name the file had on the user's computer is only
written as a comment in ``projekt.yaml`` (``# uppladdad som: …``) and never
used as a path. A file's type is judged from its content by the survey
readers, not from its name.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from slutrapport.core.errors import (
    InputFileError,
    InstrumentError,
    ProjectError,
    problem_list,
)
from slutrapport.core.outputs import write_bytes_atomic, write_text_atomic
from slutrapport.core.text import normalise
from slutrapport.core.yamledit import Append, Move, Remove, Set, apply_edits
from slutrapport.core.yamlfile import parse_yaml
from slutrapport.project.folder import PROJECT_FILE
from slutrapport.sources.readers import read_raw
from slutrapport.sources.readers.detect import CSV, SPSS, XLSX, container
from slutrapport.sources.survey.instrument import builtin_instruments, load_instrument

__all__ = [
    "EditConflict",
    "EditableText",
    "FACT_FIELDS",
    "LIST_FACTS",
    "file_version",
    "project_version",
    "read_project_data",
    "edit_project",
    "update_facts",
    "add_waves",
    "update_wave",
    "remove_wave",
    "move_wave",
    "instrument_choices",
    "set_instrument",
    "store_instrument",
    "add_column_mappings",
    "add_answer_aliases",
    "read_text",
    "save_text",
    "store_source_file",
    "store_source_files",
    "GOAL_MEASURES",
    "GOAL_POPULATIONS",
    "add_goal",
    "remove_goal",
    "YAML",
    "upload_names",
    "display_name",
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
GOAL_MEASURES = {"andel": "Andel (procent)", "antal": "Antal"}
GOAL_POPULATIONS = {"avslutade": "avslutade deltagare", "inskrivna": "inskrivna deltagare"}

UPLOAD_COMMENT = "uppladdad som: "
YAML = "yaml"
_EXTENSIONS = {CSV: ".csv", XLSX: ".xlsx", SPSS: ".sav", YAML: ".yaml"}
_LOCK = threading.Lock()  # one edit at a time within this process (the web server is threaded)
_UPLOAD_LINE = re.compile(r"""fil:\s*(?P<path>"(?:[^"\\]|\\.)*"|'[^']*'|[^#]+?)\s+#\s*""" + UPLOAD_COMMENT + r"(?P<name>.*)$")
_COMMENT_HEAD = re.compile(r"^\s*<!--.*?-->[ \t]*\n?", re.DOTALL)


class EditConflict(ProjectError):
    """The file changed on disk since the page read it; ``current`` is its text now, ``version`` its version."""

    def __init__(self, message: str, current: str = "", version: str = "") -> None:
        super().__init__(message)
        self.current = current
        self.version = version


def file_version(path: Path) -> str:
    """SHA-256 of the file's bytes; ``""`` when it does not exist."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except FileNotFoundError:
        return ""


def project_version(root: Path) -> str:
    """The version of ``root/projekt.yaml`` (sent with every form that changes it)."""
    return file_version(Path(root) / PROJECT_FILE)


def read_project_data(root: Path) -> dict[str, Any]:
    """The parsed ``projekt.yaml`` as it is (no checks beyond valid YAML)."""
    path = Path(root) / PROJECT_FILE
    try:
        data = parse_yaml(path.read_text(encoding="utf-8-sig"), str(path), ProjectError) or {}
    except (OSError, UnicodeDecodeError) as exc:
        raise ProjectError(f"{path} kunde inte läsas: {exc}") from exc
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
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise ProjectError(f"{path} kunde inte läsas: {exc.strerror or exc}") from exc
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
        write_bytes_atomic(path, (b"\xef\xbb\xbf" if bom else b"") + new_text.encode("utf-8"))
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


def add_goal(root: Path, version: str, values: dict[str, str]) -> None:
    """Append a measurable goal to ``mal:`` (checked like ``build`` checks it, against the register's categories).

    ``values``: ``mal`` (the goal in words), ``matt`` (andel/antal),
    ``population`` (avslutade/inskrivna), ``kategorier`` (comma-separated statuses
    or national groups; required for andel) and ``malvarde`` ("40 %" or "25").
    """
    from slutrapport.analysis.goals import parse_goals
    from slutrapport.sources.register.participants import register_categories

    goal: dict[str, Any] = {
        "mal": " ".join(str(values.get("mal") or "").split()),
        "matt": str(values.get("matt") or "").strip(),
        "population": str(values.get("population") or "").strip(),
    }
    categories = [c.strip() for c in str(values.get("kategorier") or "").split(",") if c.strip()]
    if categories:
        goal["kategorier"] = categories
    goal["malvarde"] = " ".join(str(values.get("malvarde") or "").split())
    data = read_project_data(root)
    existing = data.get("mal") if isinstance(data.get("mal"), list) else []
    spec = data.get("deltagare") if isinstance(data.get("deltagare"), dict) else {}
    _, report = parse_goals([*existing, goal], *register_categories(spec))  # register_categories never raises
    own = f"mal nr {len(existing) + 1}"
    problems = [p.meddelande for p in report.errors() if str(p.kolumn or "").startswith(own) or "används av flera mål" in p.meddelande]
    if not goal["mal"]:
        problems.insert(0, "skriv målet i ord")
    if problems:
        raise ProjectError(problem_list("Det nya målet", problems))
    edit_project(root, version, [Append(("mal",), goal)])


def remove_goal(root: Path, version: str, position: int) -> None:
    """Remove the goal at ``position`` (0-based) from ``mal:``."""
    goals = read_project_data(root).get("mal")
    if not isinstance(goals, list) or not 0 <= position < len(goals):
        raise ProjectError("Målet finns inte längre i projekt.yaml; ladda om sidan.")
    edit_project(root, version, [Remove(("mal", position))])


# ---------------------------------------------------------------- uploaded files


def display_name(name: str | None) -> str:
    """An uploaded file's own name, for showing only: no folders, no control characters, at most 80 characters."""
    base = re.split(r"[\\/]", str(name or ""))[-1]
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C")
    base = " ".join(base.split())[:80]
    return base or "fil"


def _store(folder: Path, stem: str, data: bytes, shown: str, check) -> Path:
    """Write ``data`` under a made-up name in ``folder`` and check it; delete it again if the check fails."""
    folder.mkdir(parents=True, exist_ok=True)
    token = f"{date.today():%Y%m%d}-{secrets.token_hex(3)}"
    temporary = folder / f".uppladdning-{token}.tmp"
    write_bytes_atomic(temporary, data)
    try:
        suffix = check(temporary)
        final = folder / f"{stem}-{token}{suffix}"
        temporary.replace(final)
        return final
    except (InputFileError, InstrumentError) as exc:
        raise type(exc)(str(exc).replace(str(temporary), shown).replace(temporary.name, shown)) from exc
    finally:
        temporary.unlink(missing_ok=True)


def _survey_file_kind(path: Path) -> str:
    """The extension for a survey export judged by content; raises InputFileError if no reader can read it."""
    with path.open("rb") as handle:
        kind = container(path, handle.read(4096))
    try:
        table = read_raw(path)
    except InputFileError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged file can make a reader library fail in many ways
        raise InputFileError(f"Filen {path.name} kunde inte läsas som en enkätexport ({type(exc).__name__}).") from exc
    if not table.columns:
        raise InputFileError(f"Filen {path.name} har inga kolumner.")
    return _EXTENSIONS[kind]


def _waves(data: dict) -> list:
    waves = _section(data, "personalenkat").get("enkater")
    return waves if isinstance(waves, list) else []


def _wave_labels(waves: list) -> list[str]:
    labels = []
    for number, item in enumerate(waves, start=1):
        label = item.get("etikett") if isinstance(item, dict) else None
        labels.append(str(label or f"Enkät {number}"))
    return labels


def add_waves(root: Path, version: str, uploads: list[tuple[str, bytes]], label: str = "", when: str = "") -> list[str]:
    """Store uploaded survey exports under ``enkater/`` and add them as waves, in order.

    ``uploads`` are ``(name on the user's computer, bytes)``. ``label`` and
    ``when`` (ÅÅÅÅ-MM-DD) apply when exactly one file is uploaded; otherwise
    the waves are labelled "Enkät N". Returns the stored paths (relative).
    """
    root = Path(root)
    if not uploads:
        raise InputFileError("Välj minst en fil att ladda upp.")
    if project_version(root) != version:
        edit_project(root, version, [])  # raises the conflict
    problems: list[str] = []
    day = _parse_date(when, "Datum", problems) if len(uploads) == 1 else None
    if problems:
        raise ProjectError(problems[0])
    labels = _wave_labels(_waves(read_project_data(root)))
    stored: list[Path] = []
    edits = []
    try:
        for name, data in uploads:
            shown = display_name(name)
            path = _store(root / "enkater", "enkat", data, shown, _survey_file_kind)
            stored.append(path)
            wanted = " ".join(label.split()) if label and len(uploads) == 1 else ""
            if wanted and wanted in labels:
                raise ProjectError(f"Det finns redan en enkät med etiketten '{wanted}'. Välj en annan etikett.")
            number = len(labels) + 1
            while not wanted and f"Enkät {number}" in labels:
                number += 1
            item = {"fil": path.relative_to(root).as_posix(), "etikett": wanted or f"Enkät {number}"}
            if day:
                item["datum"] = day
            labels.append(item["etikett"])
            edits.append(Append(("personalenkat", "enkater"), item, UPLOAD_COMMENT + shown))
        edit_project(root, version, edits)
    except BaseException:
        for path in stored:
            path.unlink(missing_ok=True)
        raise
    return [p.relative_to(root).as_posix() for p in stored]


def update_wave(root: Path, version: str, index: int, label: str, when: str) -> bool:
    """Change a wave's label and date (``when`` empty removes the date)."""
    waves = _waves(read_project_data(root))
    if not 0 <= index < len(waves):
        raise ProjectError(f"Enkät nr {index + 1} finns inte i {PROJECT_FILE}.")
    label = " ".join(str(label or "").split())
    problems: list[str] = []
    if not label:
        problems.append("etiketten får inte vara tom")
    elif label in [other for i, other in enumerate(_wave_labels(waves)) if i != index]:
        problems.append(f"det finns redan en enkät med etiketten '{label}'")
    day = _parse_date(when, "Datum", problems)
    if problems:
        raise ProjectError(problem_list(f"Enkät nr {index + 1}", problems))
    item = waves[index] if isinstance(waves[index], dict) else {"fil": waves[index]}
    edits = [Set(("personalenkat", "enkater", index, "etikett"), label)]
    if day or item.get("datum"):
        edits.append(Set(("personalenkat", "enkater", index, "datum"), day))
    return edit_project(root, version, edits)


def remove_wave(root: Path, version: str, index: int) -> bool:
    """Take a wave out of ``projekt.yaml`` (its file stays in the folder; input files are never deleted)."""
    if not 0 <= index < len(_waves(read_project_data(root))):
        raise ProjectError(f"Enkät nr {index + 1} finns inte i {PROJECT_FILE}.")
    return edit_project(root, version, [Remove(("personalenkat", "enkater", index))])


def move_wave(root: Path, version: str, index: int, to: int) -> bool:
    """Move a wave to another position (the waves' order is the order of the comparison)."""
    count = len(_waves(read_project_data(root)))
    if not (0 <= index < count and 0 <= to < count):
        raise ProjectError(f"Enkät nr {index + 1} kan inte flyttas dit.")
    return edit_project(root, version, [Move(("personalenkat", "enkater", index), to)])


def upload_names(root: Path) -> dict[str, str]:
    """Stored path → the name the file had when it was uploaded (from the ``# uppladdad som:`` comments)."""
    try:
        text = (Path(root) / PROJECT_FILE).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return {}
    names = {}
    for line in text.splitlines():
        match = _UPLOAD_LINE.search(line)
        if match:
            raw = match.group("path").strip()
            try:
                path = yaml.safe_load(raw) if raw[0] in "\"'" else raw
            except yaml.YAMLError:
                continue
            names[str(path)] = match.group("name").strip()
    return names


# ---------------------------------------------------------------- instrument, mappings, aliases


def _instrument_spec(data: dict) -> str:
    return str(_section(data, "personalenkat").get("instrument") or "samverkan")


def instrument_choices(root: Path) -> list[tuple[str, str]]:
    """``(value for projekt.yaml, Swedish label)`` of the built-in instruments and the project's own files."""
    root = Path(root)
    choices = [(i, f"Inbyggt: {i}") for i in builtin_instruments()]
    own = sorted((root / "instrument").glob("*.yaml")) if (root / "instrument").is_dir() else []
    choices += [(p.relative_to(root).as_posix(), f"Eget: {p.name}") for p in own]
    current = _instrument_spec(read_project_data(root))
    if current not in [value for value, _ in choices]:
        choices.append((current, f"Eget: {current}"))
    return choices


def set_instrument(root: Path, version: str, spec: str) -> bool:
    """Use a built-in instrument or one of the project's instrument files."""
    if spec not in [value for value, _ in instrument_choices(root)]:
        raise ProjectError(f"Instrumentet '{spec}' finns inte bland valen.")
    load_instrument(spec, base_dir=Path(root))
    return edit_project(root, version, [Set(("personalenkat", "instrument"), spec)])


def store_instrument(root: Path, version: str, name: str, data: bytes) -> str:
    """Store an uploaded instrument (YAML) under ``instrument/`` after checking it; use it for the survey."""
    root = Path(root)
    if project_version(root) != version:
        edit_project(root, version, [])

    def check(path: Path) -> str:
        load_instrument(path)
        return ".yaml"

    path = _store(root / "instrument", "instrument", data, display_name(name), check)
    relative = path.relative_to(root).as_posix()
    try:
        edit_project(root, version, [Set(("personalenkat", "instrument"), relative)])
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return relative


def _project_instrument(root: Path):
    return load_instrument(_instrument_spec(read_project_data(root)), base_dir=Path(root))


def add_column_mappings(root: Path, version: str, mapping: dict[str, str]) -> bool:
    """Add ``"Rubrik i filen": frågans id`` rows under ``personalenkat: kolumner:``."""
    instrument = _project_instrument(root)
    known = {q.id for q in instrument.questions} | {"organisation", "kod"}
    unknown = sorted({v for v in mapping.values() if v not in known})
    if unknown:
        raise ProjectError(f"Frågan {', '.join(unknown)} finns inte i instrumentet '{instrument.name}'.")
    current = _section(read_project_data(root), "personalenkat").get("kolumner")
    merged = {str(k): str(v) for k, v in (current.items() if isinstance(current, dict) else [])}
    merged.update(mapping)
    return edit_project(root, version, [Set(("personalenkat", "kolumner"), merged)])


def add_answer_aliases(root: Path, version: str, aliases: dict[str, int]) -> bool:
    """Add ``"Svar i filen": skalvärde`` rows under ``personalenkat: alias:`` (read by the survey ingest)."""
    scale = _project_instrument(root).scale
    bad = [f"{label} → {value}" for label, value in aliases.items() if value not in scale.values]
    if bad:
        raise ProjectError(f"Värdena finns inte på skalan {scale.min}–{scale.max}: {', '.join(bad)}.")
    taken = {normalise(label) for label in [*scale.values.values(), *scale.missing]}
    clashing = [label for label in aliases if normalise(label) in taken]
    if clashing:
        raise ProjectError(f"{', '.join(clashing)} är redan ett svarsalternativ i instrumentet.")
    current = _section(read_project_data(root), "personalenkat").get("alias")
    merged: dict[str, Any] = dict(current) if isinstance(current, dict) else {}
    merged.update(aliases)
    return edit_project(root, version, [Set(("personalenkat", "alias"), merged)])


# ---------------------------------------------------------------- narrative texts


@dataclass(frozen=True)
class EditableText:
    """A heading's text as the editor shows it (without the file's leading help comment) and the file's version."""

    text: str
    version: str


def _text_path(root: Path, heading_id: str) -> Path:
    folder = (Path(root) / "texter").resolve()
    path = (folder / f"{heading_id}.md").resolve()
    if path.parent != folder:
        raise ProjectError(f"Rubriken '{heading_id}' kan inte ha en textfil.")
    return path


def _split_head(raw: str) -> tuple[str, str]:
    match = _COMMENT_HEAD.match(raw)
    if not match:
        return "", raw
    return match.group(0), raw[match.end() :]


def read_text(root: Path, heading_id: str) -> EditableText:
    """The text of ``texter/<heading_id>.md`` for the editor."""
    path = _text_path(root, heading_id)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return EditableText("", "")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ProjectError(f"Textfilen {path} är inte sparad som UTF-8: {exc}") from exc
    return EditableText(_split_head(text.replace("\r\n", "\n"))[1].strip("\n"), hashlib.sha256(raw).hexdigest())


def save_text(root: Path, heading_id: str, text: str, version: str) -> str:
    """Save the editor's text (keeping the file's leading help comment); returns the new version.

    Raises :class:`EditConflict` carrying the text on disk when the file changed since ``version``.
    """
    path = _text_path(root, heading_id)
    body = str(text).replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    with _LOCK:
        current = file_version(path)
        if current != version:
            on_disk = read_text(root, heading_id)
            raise EditConflict(
                f"Texten har ändrats på disken sedan du öppnade den ({path.name}). Ingenting sparades: "
                "jämför versionerna nedan och spara igen.",
                on_disk.text,
                on_disk.version,
            )
        head = ""
        if path.is_file():
            head = _split_head(path.read_text(encoding="utf-8-sig").replace("\r\n", "\n"))[0].rstrip("\n")
        new = "\n\n".join(part for part in (head, body) if part) + "\n"
        write_text_atomic(path, new)
        return file_version(path)


# ---------------------------------------------------------------- other data sources


def _inside(root: Path, relative: str) -> Path:
    candidate = Path(relative)
    target = (Path(root) / candidate).resolve()
    if candidate.is_absolute() or ".." in candidate.parts or not target.is_relative_to(Path(root).resolve()):
        raise ProjectError(f"Sökvägen '{relative}' i {PROJECT_FILE} ska ligga i projektmappen.")
    return target


def _content_kind(root: Path, data: bytes, kinds: tuple[str, ...]) -> str:
    """csv, xlsx or sav from the content (never the name); text that is a YAML mapping is yaml when allowed."""
    with_content = root / f".uppladdning-{secrets.token_hex(4)}.tmp"
    write_bytes_atomic(with_content, data)
    try:
        kind = container(with_content, data[:4096])
    except InputFileError as exc:
        raise InputFileError(str(exc).replace(with_content.name, "Den uppladdade filen")) from exc
    finally:
        with_content.unlink(missing_ok=True)
    if kind == CSV and YAML in kinds:
        try:
            parsed = yaml.safe_load(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, yaml.YAMLError):
            parsed = None
        if isinstance(parsed, dict):
            return YAML
    return kind


def store_source_files(
    root: Path, version: str, key: tuple[str, ...], default: str, files: list[bytes], kinds: tuple[str, ...] = (XLSX,)
) -> str:
    """Store uploaded files in the folder ``projekt.yaml`` names under ``key`` (e.g. filled self-evaluation forms).

    Each file gets a new generated name in the folder (the uploaded names are
    never used as paths); the key is added with ``default`` when absent.
    Every file is type-checked before any is written. Returns the folder.
    """
    root = Path(root)
    data_dict: Any = read_project_data(root)
    for part in key:
        data_dict = data_dict.get(part) if isinstance(data_dict, dict) else None
    named = isinstance(data_dict, str) and data_dict.strip()
    relative = str(data_dict).strip() if named else default
    folder = _inside(root, relative)
    checked = []
    for number, data in enumerate(files, start=1):
        kind = _content_kind(root, data, kinds)
        if kind not in kinds:
            allowed = ", ".join(_EXTENSIONS[k].lstrip(".") for k in kinds)
            raise InputFileError(f"Fil nr {number} är av typen {_EXTENSIONS[kind].lstrip('.')}, men här går bara {allowed} att ladda upp.")
        checked.append((kind, data))
    if project_version(root) != version:
        edit_project(root, version, [])
    stamp = date.today().strftime("%Y%m%d")
    for kind, data in checked:
        write_bytes_atomic(folder / f"formular-{stamp}-{secrets.token_hex(3)}{_EXTENSIONS[kind]}", data)
    if not named:
        edit_project(root, version, [Set(key, relative)])
    return relative


def store_source_file(
    root: Path,
    version: str,
    key: tuple[str, ...],
    default: str,
    data: bytes,
    kinds: tuple[str, ...] = (CSV, XLSX),
    replace: bool = False,
) -> str:
    """Store a data source's uploaded file at the path ``projekt.yaml`` names under ``key``.

    When the key is absent the file goes to ``default`` (its extension set from
    the content) and the key is added. The type is checked from the content
    (``kinds``: csv, xlsx, sav). An existing file is only replaced with ``replace``.
    Returns the relative path written.
    """
    root = Path(root)
    data_dict: Any = read_project_data(root)
    for part in key:
        data_dict = data_dict.get(part) if isinstance(data_dict, dict) else None
    named = isinstance(data_dict, str) and data_dict.strip()
    kind = _content_kind(root, data, kinds)
    if kind not in kinds:
        allowed = ", ".join(_EXTENSIONS[k].lstrip(".") for k in kinds)
        raise InputFileError(f"Filen är av typen {_EXTENSIONS[kind].lstrip('.')}, men här går bara {allowed} att ladda upp.")
    relative = str(data_dict).strip() if named else str(Path(default).with_suffix(_EXTENSIONS[kind]).as_posix())
    target = _inside(root, relative)
    if named and target.suffix.lower() != _EXTENSIONS[kind] and not (kind == CSV and target.suffix.lower() in (".txt", ".tsv")):
        raise InputFileError(
            f"{PROJECT_FILE} anger filen {relative}, men den uppladdade filen är av typen {_EXTENSIONS[kind].lstrip('.')}."
        )
    if project_version(root) != version:
        edit_project(root, version, [])
    if target.exists() and not replace:
        raise ProjectError(f"Filen {relative} finns redan. Kryssa i att den ska ersättas och ladda upp igen.")
    write_bytes_atomic(target, data)
    if not named:
        edit_project(root, version, [Set(key, relative)])
    return relative
