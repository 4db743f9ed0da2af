"""Form definitions: the YAML file that says what a fillable form (e.g. the självvärdering) asks.

The format follows the instrument format (Swedish keys, written by users)::

    id: sjalvvardering
    namn: Självvärdering av samverkansprojekt
    version: 1
    instruktion: "…"                          # optional, shown on the form's instruction sheet
    skala:
      varden: {1: I mycket låg grad, …, 5: I mycket hög grad}
      saknas: [Kan inte bedöma]               # answers that are not a rating
    roller: [Projektledare, Styrgrupp, Handläggare]
    tillfallen: [Start, Halvtid, Slut]        # in time order
    faser:                                    # optional
      - {id: uppstart, namn: Uppstart}
    avsnitt:
      - id: syfte
        rubrik: Syfte och mål
        beskrivning: "…"                      # optional
        upprepa_per_fas: false                # true: the questions once per phase
        fragor:
          - {id: syfte_tydligt, text: "…"}                 # typ: skala (default), a rating
          - {id: syfte_text, typ: fritext, text: "…"}      # free text

A section with ``upprepa_per_fas: true`` gets each question once per phase,
with the id ``<fråga>_<fas>`` and the text ``<Fasens namn>: <frågetext>``.
The ``skala`` block is read as an instrument's
(:func:`~slutrapport.sources.definitions.parse_scale`), and every value needs
a label, without gaps: the form lists them all in a dropdown.

:func:`load_definition` reads and checks a file (or the built-in
``sjalvvardering``) and reports every problem in one :class:`FormDefinitionError`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from slutrapport.core.errors import InstrumentError
from slutrapport.core.yamlfile import yaml_flag
from slutrapport.core.yamlschema import INVALID, KeyPath, LocatedProblems, Namer, UserSchema
from slutrapport.sources.definitions import (
    ID_HINT,
    RATING,
    TEXT,
    DefinitionKind,
    Entry,
    QuestionList,
    Scale,
    block_list,
    builtin_text,
    entries,
    is_id,
    load_yaml_definition,
    parse_scale,
    repeated,
    required_key,
    words,
)

__all__ = [
    "RATING",
    "TEXT",
    "BUILTIN_DEFINITION",
    "FormDefinitionError",
    "FormQuestion",
    "FormSection",
    "FormDefinition",
    "load_definition",
    "builtin_definition_text",
    "FORM_SCHEMA",
]

BUILTIN_DEFINITION = "sjalvvardering"

class _FormNamer(Namer):
    items = {"avsnitt": "avsnitt", "fragor": "fråga", "faser": "fas"}
    whole = "formulärdefinitionen"
    item_first = True


#: The schema of a form definition (package data) and how its messages name keys.
FORM_SCHEMA = UserSchema(__package__, "formular.schema.json", _FormNamer())


class FormDefinitionError(InstrumentError):
    """A form definition (YAML) is missing, unreadable or inconsistent."""


@dataclass(frozen=True)
class FormQuestion:
    """One question: a rating on the definition's scale (``skala``) or free text (``fritext``)."""

    id: str
    text: str
    kind: str
    section: str
    phase: str | None = None  # the phase's id when the section repeats per phase


@dataclass(frozen=True)
class FormSection(QuestionList[FormQuestion]):
    id: str
    title: str
    description: str
    questions: tuple[FormQuestion, ...]


@dataclass(frozen=True)
class FormDefinition(QuestionList[FormQuestion]):
    """A validated form definition; ``questions`` are in form order, phases already expanded."""

    id: str
    name: str
    version: str
    scale: Scale
    roles: tuple[str, ...]
    occasions: tuple[str, ...]
    sections: tuple[FormSection, ...]
    instruction: str = ""
    source: str = ""

    @property
    def questions(self) -> list[FormQuestion]:
        return [q for s in self.sections for q in s.questions]

    def section(self, section_id: str) -> FormSection:
        for s in self.sections:
            if s.id == section_id:
                return s
        raise KeyError(section_id)

    def scale_items(self) -> list[str]:
        """The rating dropdown's items: ``"4 – I hög grad"`` for each value, then the 'saknas' answers."""
        return [f"{v} – {label}" for v, label in sorted(self.scale.values.items())] + list(self.scale.missing)


_KIND = DefinitionKind(
    error=FormDefinitionError,
    title="Formulärdefinitionen",
    keys="id, namn, version, skala, roller, tillfallen, avsnitt",
    package="slutrapport.sources.forms",
    folder="",
    builtin_name="inbyggd formulärdefinition '{id}'",
    not_found=(
        "Formulärdefinitionen {path} finns inte. Utan egen definition används den inbyggda "
        f"('{BUILTIN_DEFINITION}'); skriv ut den med: slutrapport form sjalvvardering --yaml"
    ),
    builtin_title="Den inbyggda formulärdefinitionen",
)


def builtin_definition_text() -> str:
    """The YAML text of the built-in självvärdering definition (with its Swedish comments).

    Its first line points editors at the installed schema (:data:`FORM_SCHEMA`).
    """
    return FORM_SCHEMA.modeline(builtin_text(_KIND, BUILTIN_DEFINITION))


def load_definition(spec: str | Path | None = None, base_dir: Path | None = None) -> FormDefinition:
    """Read a form definition from a YAML file, or the built-in one when ``spec`` is None or ``"sjalvvardering"``.

    A relative path is resolved against ``base_dir`` when given. Raises
    :class:`FormDefinitionError` listing every problem in the definition.
    """
    return load_yaml_definition(_KIND, spec, base_dir, _parse, default=BUILTIN_DEFINITION, lines=True)


class _At(list):
    """A problem list for the shared readers (``problems.append``) that files each problem under ``path``'s line."""

    def __init__(self, found: LocatedProblems, path: KeyPath) -> None:
        super().__init__()
        self.found, self.path = found, path

    def append(self, message: str) -> None:
        self.found.add(self.path, message)


class _ScaleAt(_At):
    """:func:`parse_scale`'s problems on the line of the key under ``skala`` they are about."""

    _KEYS = (("'positiva'", "positiva"), ("'saknas'", "saknas"), ("alias", "alias"), ("skalvärdet", "varden"), ("skalans värden", "varden"))

    def append(self, message: str) -> None:
        key = next((key for word, key in self._KEYS if word in message), None)
        self.found.add((*self.path, key) if key else self.path, message)


def _parse(raw: dict, name: str, problems: list[str], lines: dict[KeyPath, int]) -> FormDefinition:
    # The schema checks keys and types (each problem with its line); the checks below skip what it
    # rejected (INVALID) and name what only they can tell, on the line of the key they are about:
    # missing keys, ids, duplicates, the scale's gaps.
    found = LocatedProblems(lines)
    data = FORM_SCHEMA.check(raw, found, required=False)
    form_id = required_key(data, "id", _At(found, ()))
    version = "" if data.get("version") in (None, INVALID) else str(data["version"]).strip()  # 0 is a version
    if not version and data.get("version") is not INVALID:
        found.add(("version",), "nyckeln 'version' saknas (t.ex. version: 1; höj den när frågorna ändras)")
    example = "{1: I mycket låg grad, …, 5: I mycket hög grad}"
    scale = parse_scale(data.get("skala"), _ScaleAt(found, ("skala",)), example=example, complete=True)
    roles = _names(data.get("roller"), "roller", found)
    occasions = _names(data.get("tillfallen"), "tillfallen", found)
    phases = _phases(data.get("faser"), found)
    sections = _sections(data.get("avsnitt"), phases, found)
    problems.extend(found.messages())
    return FormDefinition(
        id=form_id,
        name=str(data.get("namn") or form_id).strip(),
        version=version,
        scale=scale,  # type: ignore[arg-type]
        roles=tuple(roles),
        occasions=tuple(occasions),
        sections=tuple(sections),
        instruction=words(data.get("instruktion")),
        source=name,
    )


def _position(items: list, entry: Entry) -> int:
    """Where ``entry`` is in the list it came from (its path's last part)."""
    return next(n for n, item in enumerate(items) if item is entry.data)


def _names(raw: Any, key: str, found: LocatedProblems) -> list[str]:
    items = block_list(raw, _At(found, (key,)), f"'{key}' ska vara en lista med minst ett namn")
    names: list[str] = []
    seen: dict[str, str] = {}
    for position, item in enumerate(items):
        if item is INVALID:  # named by the schema
            continue
        text = " ".join(str(item).split()) if item is not None else ""
        if not text:
            found.add((key, position), f"'{key}' innehåller tomma namn")
            continue
        if text.casefold() in seen:
            found.add((key, position), f"'{key}' innehåller samma namn flera gånger: {seen[text.casefold()]}")
        seen.setdefault(text.casefold(), text)
        names.append(text)
    return names


def _phases(raw: Any, found: LocatedProblems) -> list[tuple[str, str]]:
    items = block_list(raw, _At(found, ("faser",)), "'faser' ska vara en lista med - {id: …, namn: …}", optional=True)
    phases = []
    seen: set[str] = set()
    for entry in entries(items, _At(found, ("faser",)), "fas", "id och namn", required=("id", "namn")):
        path = ("faser", _position(items, entry), "id")
        if entry.id and not is_id(entry.id):
            found.add(path, f"fasens id '{entry.id}' ska bestå av {ID_HINT}")
        elif repeated(entry.id, seen):
            found.add(path, f"samma fas-id används flera gånger: '{entry.id}'")
        phases.append((entry.id, entry.text("namn")))
    return phases


def _sections(raw: Any, phases: list[tuple[str, str]], found: LocatedProblems) -> list[FormSection]:
    sections: list[FormSection] = []
    seen_sections: set[str] = set()
    seen_questions: set[str] = set()
    items = block_list(raw, _At(found, ("avsnitt",)), "'avsnitt' saknas eller är tom")
    for entry in entries(items, _At(found, ("avsnitt",)), "avsnitt", "id, rubrik och fragor"):
        path: KeyPath = ("avsnitt", _position(items, entry))
        if entry.id and not is_id(entry.id):
            found.add((*path, "id"), f"{entry.label}: id ska bestå av {ID_HINT}")
        elif repeated(entry.id, seen_sections):
            found.add((*path, "id"), f"avsnittets id '{entry.id}' används flera gånger")
        title = entry.text("rubrik", _At(found, path))
        label = f"{entry.label}: 'upprepa_per_fas'"
        repeat = yaml_flag(entry.data.get("upprepa_per_fas"), False, label, _At(found, (*path, "upprepa_per_fas")))
        if repeat and not phases:
            found.add((*path, "upprepa_per_fas"), f"{entry.label} har upprepa_per_fas: true men definitionen har inga 'faser'")
        questions = _questions(entry, path, phases if repeat else [], seen_questions, found)
        sections.append(FormSection(entry.id, title, entry.text("beskrivning"), tuple(questions)))
    return sections


def _questions(section: Entry, path: KeyPath, phases: list[tuple[str, str]], seen: set[str], found: LocatedProblems) -> list[FormQuestion]:
    base: list[tuple[str, str, str, KeyPath]] = []
    items = block_list(section.data.get("fragor"), _At(found, (*path, "fragor")), f"{section.label} har inga 'fragor'")
    for entry in entries(items, _At(found, (*path, "fragor")), f"{section.label}, fråga", "id och text", show_id=False):
        at: KeyPath = (*path, "fragor", _position(items, entry))
        if entry.id and not is_id(entry.id):
            found.add((*at, "id"), f"{entry.label}: id '{entry.id}' ska bestå av {ID_HINT}")
        text = entry.text("text", _At(found, at))
        kind = entry.kind(_At(found, (*at, "typ")))
        base.append((entry.id, text, kind, at))
    questions = []
    for phase_id, phase_name in phases or [(None, None)]:
        for question_id, text, kind, at in base:
            full_id = f"{question_id}_{phase_id}" if phase_id else question_id
            if question_id and repeated(full_id, seen):
                found.add((*at, "id"), f"frågans id '{full_id}' används flera gånger")
            questions.append(
                FormQuestion(full_id, f"{phase_name}: {text}" if phase_name else text, kind, section.id, phase_id)
            )
    return questions
