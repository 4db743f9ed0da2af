"""The staff survey of a project (``personalenkat:`` in ``projekt.yaml``) as the web page edits it.

Waves are uploaded survey exports, stored under ``enkater/`` (:mod:`.uploads`)
and listed in order under ``enkater:``; the page also changes a wave's label
and date, removes and moves waves, chooses or uploads the instrument and adds
column mappings (``kolumner:``) and answer aliases (``alias:``).

How a wave's file is read (:mod:`.reading`) is stored in its own entry: the
worksheet (``blad:``), the header row (``rubrikrad:``) and an uploaded label
file (``etiketter:``, stored under ``enkater/`` like the exports).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from slutrapport.core.errors import InputFileError, ProjectError, problem_list
from slutrapport.core.inputs import damage_reason, open_input_file
from slutrapport.core.text import normalise
from slutrapport.core.yamledit import Append, Move, Remove, Set
from slutrapport.project.aliases import DEFAULT_KEY, alias_scale
from slutrapport.project.edit import _parse_date, _section, edit_project, project_version, read_project_data
from slutrapport.project.folder import PROJECT_FILE
from slutrapport.project.uploaded import TRASH, move_to_trash, record_uploads
from slutrapport.project.uploads import _EXTENSIONS, UPLOAD_COMMENT, _store, display_name
from slutrapport.sources.readers import read_raw
from slutrapport.sources.readers.detect import SPSS, container
from slutrapport.sources.readers.options import ReadOptions
from slutrapport.sources.survey.instrument import builtin_instruments, load_instrument
from slutrapport.sources.survey.matching import UNUSED

__all__ = [
    "KEEP",
    "WaveReading",
    "parse_wave_reading",
    "add_waves",
    "update_wave",
    "store_wave_labels",
    "remove_wave",
    "move_wave",
    "replace_wave_file",
    "automatic_label",
    "instrument_choices",
    "set_instrument",
    "store_instrument",
    "add_column_mappings",
    "add_answer_aliases",
]


# ---------------------------------------------------------------- waves (enkater:)


@dataclass(frozen=True)
class WaveReading:
    """How an uploaded wave's file is to be read: worksheet and header row (None: detect)."""

    sheet: str | None = None
    header_row: int | None = None


def parse_wave_reading(sheet: str | None, header_row: str | None) -> WaveReading:
    """The page's fields (text) as a :class:`WaveReading`; raises ProjectError for a header row that is no integer ≥ 1."""
    sheet = " ".join(str(sheet or "").split()) or None
    text = str(header_row or "").strip()
    row = None
    if text:
        try:
            row = int(text)
        except ValueError:
            row = 0
        if row < 1:
            raise ProjectError(f"Rubrikraden ska vara ett heltal från 1 och uppåt (raden som i Excel), fick '{text}'.")
    return WaveReading(sheet, row)


def _reading_keys(reading: WaveReading) -> dict[str, Any]:
    keys: dict[str, Any] = {}
    if reading.sheet:
        keys["blad"] = reading.sheet
    if reading.header_row:
        keys["rubrikrad"] = reading.header_row
    return keys


def _label_file_kind(path: Path) -> str:
    """The extension for an uploaded label file judged by content: .lss (LimeSurvey XML), .csv or .xlsx (a code list)."""
    with open_input_file(path, "Filen") as handle:
        head = handle.read(4096)
    text = head.removeprefix(codecs.BOM_UTF8)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = head[2:].replace(b"\x00", b"")
    if text.lstrip().startswith((b"<?xml", b"<document")):
        return ".lss"
    kind = container(path, head)
    if kind == SPSS:
        raise InputFileError("En SPSS-fil har sina etiketter i sig själv; ladda upp den som enkätfil i stället.")
    return _EXTENSIONS[kind]


def _survey_file_kind(path: Path, options: ReadOptions | None = None) -> str:
    """The extension for a survey export judged by content; raises InputFileError if no reader can read it."""
    with open_input_file(path, "Filen") as handle:
        kind = container(path, handle.read(4096))
    try:
        table = read_raw(path, options=options)
    except InputFileError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged file can make a reader library fail in many ways
        raise InputFileError(f"Filen {path.name} kunde inte läsas som en enkätexport: {damage_reason(exc)}.") from exc
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


_AUTOMATIC = re.compile(r"Enkät (\d+)")


def automatic_label(label: object) -> bool:
    """Whether a wave's label is the program's own (none, or "Enkät N"): such a label follows the wave's position."""
    text = " ".join(str(label or "").split())
    return not text or _AUTOMATIC.fullmatch(text) is not None


def _renumbered(order: list) -> list:
    """The edits that give each wave with a written automatic label ("Enkät 3") the number of its position in ``order``."""
    edits = []
    for position, item in enumerate(order):
        label = item.get("etikett") if isinstance(item, dict) else None
        if label and automatic_label(label) and " ".join(str(label).split()) != f"Enkät {position + 1}":
            edits.append(Set(("personalenkat", "enkater", position, "etikett"), f"Enkät {position + 1}"))
    return edits


def _insert_position(waves: list, label: str, position: int | None) -> int:
    """Where new waves go: ``position`` (0-based) when given, the N of a label "Enkät N", otherwise after the others."""
    if position is None and label:
        match = _AUTOMATIC.fullmatch(label)
        position = int(match.group(1)) - 1 if match else None
    if position is None:
        return len(waves)
    return min(max(position, 0), len(waves))


def add_waves(
    root: Path,
    version: str,
    uploads: list[tuple[str, bytes]],
    label: str = "",
    when: str = "",
    reading: WaveReading | None = None,
    label_file: tuple[str, bytes] | None = None,
    position: int | None = None,
) -> list[str]:
    """Store uploaded survey exports under ``enkater/`` and add them as waves, in order.

    ``uploads`` are ``(name on the user's computer, bytes)``. ``label`` and
    ``when`` (ÅÅÅÅ-MM-DD) apply when exactly one file is uploaded; a wave
    without a label of its own is "Enkät N" after its position and follows it
    when the waves are reordered (no ``etikett:`` is written). ``position``
    (0-based) puts the new waves before the wave there (None: after the
    others, or at N for the label "Enkät N"); the other waves' "Enkät N"
    labels are renumbered. ``reading`` (worksheet, header row) and
    ``label_file`` (an uploaded label file, stored under ``enkater/``) apply to
    every file uploaded now and are written in each new wave's entry (``blad:``,
    ``rubrikrad:``, ``etiketter:``); each file is checked with them. The user's
    file names are kept in the project's index of uploads
    (:mod:`.uploaded`). Returns the stored paths of the exports (relative).
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
    waves = _waves(read_project_data(root))
    wanted = " ".join(label.split()) if label and len(uploads) == 1 else ""
    at = _insert_position(waves, wanted, position)
    own = {lab for lab in _wave_labels(waves) if not automatic_label(lab)}
    if wanted and not automatic_label(wanted) and wanted in own:
        raise ProjectError(f"Det finns redan en enkät med etiketten ”{wanted}”. Välj en annan etikett.")
    reading = reading or WaveReading()
    stored: list[Path] = []  # every file written now, deleted again if anything fails
    names: dict[str, str] = {}
    new_items: list[dict] = []
    edits: list = []
    try:
        keys = _reading_keys(reading)
        labels_path = None
        if label_file is not None:
            shown = display_name(label_file[0])
            labels_path = _store(root / "enkater", "etiketter", label_file[1], shown, _label_file_kind)
            stored.append(labels_path)
            keys["etiketter"] = labels_path.relative_to(root).as_posix()
            names[keys["etiketter"]] = shown
        options = ReadOptions(sheet=reading.sheet, header_row=reading.header_row, labels_file=labels_path)
        for name, data in uploads:
            shown = display_name(name)
            path = _store(root / "enkater", "enkat", data, shown, lambda p: _survey_file_kind(p, options))
            stored.append(path)
            item: dict[str, Any] = {"fil": path.relative_to(root).as_posix()}
            if wanted and not automatic_label(wanted):
                item["etikett"] = wanted
            if day:
                item["datum"] = day
            item.update(keys)
            names[item["fil"]] = shown
            new_items.append(item)
            edits.append(Append(("personalenkat", "enkater"), item, UPLOAD_COMMENT + shown))
        for offset in range(len(new_items)):
            if at + offset < len(waves) + offset:
                edits.append(Move(("personalenkat", "enkater", len(waves) + offset), at + offset))
        edits += _renumbered([*waves[:at], *new_items, *waves[at:]])
        edit_project(root, version, edits)
        record_uploads(root, names)
    except BaseException:
        for path in stored:
            path.unlink(missing_ok=True)
        raise
    return [item["fil"] for item in new_items]


def _waves_with(root: Path, index: int) -> list:
    """The waves under ``personalenkat: enkater:``, when wave ``index`` is one of them; else a Swedish error."""
    waves = _waves(read_project_data(root))
    if not 0 <= index < len(waves):
        raise ProjectError(f"Enkät nr {index + 1} finns inte i {PROJECT_FILE}.")
    return waves


def replace_wave_file(root: Path, version: str, index: int, name: str, data: bytes) -> str:
    """Put a new export in place of wave ``index``'s file, read with the wave's settings; the old file goes to ``papperskorg/``."""
    root = Path(root)
    waves = _waves_with(root, index)
    if project_version(root) != version:
        edit_project(root, version, [])
    item = waves[index] if isinstance(waves[index], dict) else {"fil": waves[index]}
    labels = item.get("etiketter")
    options = ReadOptions(
        sheet=item.get("blad") or None,
        header_row=item.get("rubrikrad") or None,
        labels_file=(root / str(labels)) if labels else None,
    )
    shown = display_name(name)
    path = _store(root / "enkater", "enkat", data, shown, lambda p: _survey_file_kind(p, options))
    relative = path.relative_to(root).as_posix()
    try:
        edit_project(root, version, [Set(("personalenkat", "enkater", index, "fil"), relative)])
        record_uploads(root, {relative: shown})
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    if item.get("fil") and str(item["fil"]) not in [str(w.get("fil") if isinstance(w, dict) else w) for w in waves if w is not waves[index]]:
        move_to_trash(root, str(item["fil"]))
    return relative


#: ``invited`` of :func:`update_wave` when the form has no such field: the wave's ``inbjudna:`` stays as it is.
KEEP = object()


def update_wave(
    root: Path, version: str, index: int, label: str, when: str, reading: WaveReading | None = None, invited: Any = KEEP
) -> bool:
    """Change a wave's label and date (``when`` empty removes the date), with ``reading`` its worksheet
    and header row (None in it removes the key: detect), and with ``invited`` its ``inbjudna:`` (a mapping
    or a total from :func:`~.invited.parse_invited`; None removes it)."""
    waves = _waves_with(root, index)
    label = " ".join(str(label or "").split())
    problems: list[str] = []
    if not label:
        problems.append("etiketten får inte vara tom")
    elif label in [other for i, other in enumerate(_wave_labels(waves)) if i != index]:
        problems.append(f"det finns redan en enkät med etiketten ”{label}”")
    day = _parse_date(when, "Datum", problems)
    if problems:
        raise ProjectError(problem_list(f"Enkät nr {index + 1}", problems))
    item = waves[index] if isinstance(waves[index], dict) else {"fil": waves[index]}
    edits: list = [Set(("personalenkat", "enkater", index, "etikett"), label)]
    if day or item.get("datum"):
        edits.append(Set(("personalenkat", "enkater", index, "datum"), day))
    if reading is not None:
        wanted = _reading_keys(reading)
        for key in ("blad", "rubrikrad"):
            if key in wanted:
                edits.append(Set(("personalenkat", "enkater", index, key), wanted[key]))
            elif item.get(key) not in (None, ""):
                edits.append(Remove(("personalenkat", "enkater", index, key)))
    if invited is not KEEP:
        if invited is None:
            if item.get("inbjudna") is not None:
                edits.append(Remove(("personalenkat", "enkater", index, "inbjudna")))
        else:
            edits.append(Set(("personalenkat", "enkater", index, "inbjudna"), invited))
    return edit_project(root, version, edits)


def store_wave_labels(root: Path, version: str, index: int, name: str, data: bytes) -> str:
    """Store an uploaded label file (LimeSurvey .lss or a code list) under ``enkater/`` as the wave's ``etiketter:``.

    The check on the page then reads the wave's file with it. Returns the stored path (relative).
    """
    root = Path(root)
    _waves_with(root, index)  # the wave must exist
    if project_version(root) != version:
        edit_project(root, version, [])
    path = _store(root / "enkater", "etiketter", data, display_name(name), _label_file_kind)
    try:
        edit_project(root, version, [Set(("personalenkat", "enkater", index, "etiketter"), path.relative_to(root).as_posix())])
        record_uploads(root, {path.relative_to(root).as_posix(): display_name(name)})
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path.relative_to(root).as_posix()


def remove_wave(root: Path, version: str, index: int) -> bool:
    """Take a wave out of ``projekt.yaml`` and move its file (and label file) to ``papperskorg/`` (never deleted).

    A file another wave also reads stays where it is; the other waves' "Enkät N" labels follow their new positions.
    """
    waves = _waves_with(root, index)
    rest = waves[:index] + waves[index + 1 :]
    kept = edit_project(root, version, [Remove(("personalenkat", "enkater", index)), *_renumbered(rest)])
    item = waves[index] if isinstance(waves[index], dict) else {"fil": waves[index]}
    used = {str(w.get(key)) for w in rest if isinstance(w, dict) for key in ("fil", "etiketter")} | {str(w) for w in rest if not isinstance(w, dict)}
    for key in ("fil", "etiketter"):
        if item.get(key) and str(item[key]) not in used and not str(item[key]).startswith(TRASH + "/"):
            move_to_trash(root, str(item[key]))
    return kept


def move_wave(root: Path, version: str, index: int, to: int) -> bool:
    """Move a wave to another position (the waves' order is the order of the comparison); "Enkät N" labels follow."""
    waves = _waves(read_project_data(root))
    count = len(waves)
    if not (0 <= index < count and 0 <= to < count):
        raise ProjectError(f"Enkät nr {index + 1} kan inte flyttas dit.")
    order = list(waves)
    order.insert(to, order.pop(index))
    return edit_project(root, version, [Move(("personalenkat", "enkater", index), to), *_renumbered(order)])


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
        record_uploads(root, {relative: display_name(name)})
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return relative


def _project_instrument(root: Path):
    return load_instrument(_instrument_spec(read_project_data(root)), base_dir=Path(root))


def add_column_mappings(root: Path, version: str, mapping: dict[str, str]) -> bool:
    """Add ``"Rubrik i filen": frågans id`` rows under ``personalenkat: kolumner:``."""
    instrument = _project_instrument(root)
    known = {q.id for q in instrument.questions} | {"organisation", "kod", UNUSED}
    unknown = sorted({v for v in mapping.values() if v not in known})
    if unknown:
        raise ProjectError(f"Frågan {', '.join(unknown)} finns inte i instrumentet '{instrument.name}'.")
    current = _section(read_project_data(root), "personalenkat").get("kolumner")
    merged = {str(k): str(v) for k, v in (current.items() if isinstance(current, dict) else [])}
    merged.update(mapping)
    return edit_project(root, version, [Set(("personalenkat", "kolumner"), merged)])


def add_answer_aliases(root: Path, version: str, aliases: dict[str, int], by_scale: dict[str, dict[str, int]] | None = None) -> bool:
    """Add ``"Svar i filen": skalvärde`` rows under ``personalenkat: alias:`` (read by the survey ingest).

    ``aliases`` are for the instrument's default scale (the original form);
    ``by_scale`` maps a scale's name, or the id of a question with its own
    options, to the labels for that scale (``alias: {frekvens: {…}}``, see
    :mod:`slutrapport.project.aliases`).
    """
    instrument = _project_instrument(root)
    wanted = {DEFAULT_KEY: dict(aliases)} if aliases else {}
    for key, labels in (by_scale or {}).items():
        if labels:
            wanted.setdefault(key, {}).update(labels)
    current = _section(read_project_data(root), "personalenkat").get("alias")
    merged: dict[str, Any] = dict(current) if isinstance(current, dict) else {}
    for key, labels in wanted.items():
        scale = alias_scale(instrument, key)
        if scale is None:
            raise ProjectError(f"'{key}' är varken en skala eller en fråga med egna alternativ i instrumentet '{instrument.name}'.")
        bad = [f"{label} → {value}" for label, value in labels.items() if value not in scale.values]
        if bad:
            raise ProjectError(f"Värdena finns inte {_scale_words(instrument, key, scale)}: {', '.join(bad)}.")
        taken = {normalise(label) for label in [*scale.values.values(), *scale.missing] if label}
        clashing = [label for label in labels if normalise(label) in taken]
        if clashing:
            raise ProjectError(f"{', '.join(clashing)} är redan ett svarsalternativ i instrumentet.")
        if key == DEFAULT_KEY:
            if any(isinstance(merged.get(label), dict) for label in labels):
                raise ProjectError(f"{', '.join(labels)} står redan under personalenkat: alias: som en skala.")
            merged.update(labels)
        else:
            if key in merged and not isinstance(merged[key], dict):
                raise ProjectError(f"'{key}' står redan under personalenkat: alias: som ett svar på standardskalan.")
            merged[key] = {**(merged.get(key) or {}), **labels}
    return edit_project(root, version, [Set(("personalenkat", "alias"), merged)])


def _scale_words(instrument, key: str, scale) -> str:
    """Where a value was looked for, for a message: "på skalan 1–5", "på skalan 'frekvens' (1–5)" …"""
    if scale is instrument.scale:
        return f"på skalan {scale.min}–{scale.max}"
    if key in instrument.scales:
        return f"på skalan '{key}' ({scale.min}–{scale.max})"
    return f"bland koderna för alternativen i {key} ({scale.min}–{scale.max})"
