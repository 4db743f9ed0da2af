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

:func:`load_definition` reads and checks a file (or the built-in
``sjalvvardering``) and reports every problem in one :class:`FormDefinitionError`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from slutrapport.core.errors import InstrumentError, problem_list
from slutrapport.core.yamlfile import parse_yaml
from slutrapport.sources.survey.instrument import Scale

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
]

RATING = "skala"
TEXT = "fritext"
BUILTIN_DEFINITION = "sjalvvardering"

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_ID_HINT = "små bokstäver a–z, siffror och understreck, och börja med en bokstav"
_SECTION_KEYS = {"id", "rubrik", "beskrivning", "upprepa_per_fas", "fragor"}
_QUESTION_KEYS = {"id", "text", "typ"}


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
class FormSection:
    id: str
    title: str
    description: str
    questions: tuple[FormQuestion, ...]

    @property
    def rating_questions(self) -> list[FormQuestion]:
        return [q for q in self.questions if q.kind == RATING]

    @property
    def text_questions(self) -> list[FormQuestion]:
        return [q for q in self.questions if q.kind == TEXT]


@dataclass(frozen=True)
class FormDefinition:
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

    @property
    def rating_questions(self) -> list[FormQuestion]:
        return [q for q in self.questions if q.kind == RATING]

    @property
    def text_questions(self) -> list[FormQuestion]:
        return [q for q in self.questions if q.kind == TEXT]

    def question(self, question_id: str) -> FormQuestion:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)

    def section(self, section_id: str) -> FormSection:
        for s in self.sections:
            if s.id == section_id:
                return s
        raise KeyError(section_id)

    def scale_items(self) -> list[str]:
        """The rating dropdown's items: ``"4 – I hög grad"`` for each value, then the 'saknas' answers."""
        return [f"{v} – {label}" for v, label in sorted(self.scale.values.items())] + list(self.scale.missing)


def builtin_definition_text() -> str:
    """The YAML text of the built-in självvärdering definition (with its Swedish comments)."""
    return (files("slutrapport.sources.forms") / f"{BUILTIN_DEFINITION}.yaml").read_text(encoding="utf-8")


def load_definition(spec: str | Path | None = None, base_dir: Path | None = None) -> FormDefinition:
    """Read a form definition from a YAML file, or the built-in one when ``spec`` is None or ``"sjalvvardering"``.

    A relative path is resolved against ``base_dir`` when given. Raises
    :class:`FormDefinitionError` listing every problem in the definition.
    """
    if spec is None or (str(spec) == BUILTIN_DEFINITION and not _resolve(spec, base_dir).is_file()):
        return _parse(parse_yaml(builtin_definition_text(), "Den inbyggda formulärdefinitionen", FormDefinitionError),
                      f"inbyggd formulärdefinition '{BUILTIN_DEFINITION}'")
    path = _resolve(spec, base_dir)
    if not path.is_file():
        raise FormDefinitionError(
            f"Formulärdefinitionen {path} finns inte. Utan egen definition används den inbyggda "
            f"('{BUILTIN_DEFINITION}'); skriv ut den med: slutrapport form sjalvvardering --yaml"
        )
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise FormDefinitionError(f"Formulärdefinitionen {path} kunde inte läsas: {exc}") from exc
    return _parse(parse_yaml(text, f"Formulärdefinitionen {path}", FormDefinitionError), str(path))


def _resolve(spec: str | Path, base_dir: Path | None) -> Path:
    path = Path(str(spec))
    return base_dir / path if base_dir is not None and not path.is_absolute() else path


def _parse(data: Any, name: str) -> FormDefinition:
    if not isinstance(data, dict):
        raise FormDefinitionError(f"Formulärdefinitionen {name} ska innehålla nycklar (id, namn, version, skala, roller, tillfallen, avsnitt).")
    problems: list[str] = []
    form_id = str(data.get("id") or "").strip()
    if not form_id:
        problems.append("nyckeln 'id' saknas")
    version = data.get("version")
    if version is None or str(version).strip() == "":
        problems.append("nyckeln 'version' saknas (t.ex. version: 1; höj den när frågorna ändras)")
    scale = _scale(data.get("skala"), problems)
    roles = _names(data.get("roller"), "roller", problems)
    occasions = _names(data.get("tillfallen"), "tillfallen", problems)
    phases = _phases(data.get("faser"), problems)
    sections = _sections(data.get("avsnitt"), phases, problems)
    if problems:
        raise FormDefinitionError(problem_list(f"Formulärdefinitionen {name}", problems))
    return FormDefinition(
        id=form_id,
        name=str(data.get("namn") or form_id).strip(),
        version=str(version).strip(),
        scale=scale,  # type: ignore[arg-type]
        roles=tuple(roles),
        occasions=tuple(occasions),
        sections=tuple(sections),
        instruction=" ".join(str(data.get("instruktion") or "").split()),
        source=name,
    )


def _scale(raw: Any, problems: list[str]) -> Scale | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("varden"), dict) or not raw["varden"]:
        problems.append("'skala: varden:' saknas (t.ex. varden: {1: I mycket låg grad, …, 5: I mycket hög grad})")
        return None
    values: dict[int, str] = {}
    for key, label in raw["varden"].items():
        try:
            number = int(str(key).strip())
        except ValueError:
            problems.append(f"skalvärdet '{key}' är inte ett heltal")
            continue
        if not str(label or "").strip():
            problems.append(f"skalvärdet {number} saknar etikett")
        values[number] = str(label or "").strip()
    if values and sorted(values) != list(range(min(values), max(values) + 1)):
        problems.append(f"skalans värden ska vara en obruten följd av heltal, fick {sorted(values)}")
    missing = raw.get("saknas") or []
    missing = [str(m).strip() for m in (missing if isinstance(missing, list) else [missing]) if str(m).strip()]
    top = sorted(values)[-2:] if len(values) >= 4 else sorted(values)[-1:]
    return Scale(values, frozenset(top), tuple(missing))


def _names(raw: Any, key: str, problems: list[str]) -> list[str]:
    if not isinstance(raw, list) or not raw:
        problems.append(f"'{key}' ska vara en lista med minst ett namn")
        return []
    names = [" ".join(str(item).split()) for item in raw if item is not None and str(item).strip()]
    folded = [n.casefold() for n in names]
    duplicates = sorted({n for n, f in zip(names, folded, strict=True) if folded.count(f) > 1})
    if duplicates:
        problems.append(f"'{key}' innehåller samma namn flera gånger: {', '.join(duplicates)}")
    if len(names) != len(raw):
        problems.append(f"'{key}' innehåller tomma namn")
    return names


def _phases(raw: Any, problems: list[str]) -> list[tuple[str, str]]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        problems.append("'faser' ska vara en lista med - {id: …, namn: …}")
        return []
    phases = []
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, dict) or not item.get("id") or not item.get("namn"):
            problems.append(f"fas nr {number} ska ha nycklarna id och namn")
            continue
        phase_id = str(item["id"]).strip()
        if not _ID.match(phase_id):
            problems.append(f"fasens id '{phase_id}' ska bestå av {_ID_HINT}")
        phases.append((phase_id, " ".join(str(item["namn"]).split())))
    ids = [p for p, _ in phases]
    if len(set(ids)) != len(ids):
        problems.append("samma fas-id används flera gånger")
    return phases


def _sections(raw: Any, phases: list[tuple[str, str]], problems: list[str]) -> list[FormSection]:
    if not isinstance(raw, list) or not raw:
        problems.append("'avsnitt' saknas eller är tom")
        return []
    sections: list[FormSection] = []
    seen_sections: set[str] = set()
    seen_questions: set[str] = set()
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            problems.append(f"avsnitt nr {number} ska ha nycklarna id, rubrik och fragor")
            continue
        section_id = str(item.get("id") or "").strip()
        title = " ".join(str(item.get("rubrik") or "").split())
        label = f"avsnitt nr {number}" + (f" ({section_id})" if section_id else "")
        if not section_id:
            problems.append(f"{label} saknar 'id'")
        elif not _ID.match(section_id):
            problems.append(f"{label}: id ska bestå av {_ID_HINT}")
        elif section_id in seen_sections:
            problems.append(f"avsnittets id '{section_id}' används flera gånger")
        seen_sections.add(section_id)
        if not title:
            problems.append(f"{label} saknar 'rubrik'")
        unknown = set(map(str, item)) - _SECTION_KEYS
        if unknown:
            problems.append(f"{label} har okända nycklar: {', '.join(sorted(unknown))}")
        repeat = bool(item.get("upprepa_per_fas", False))
        if repeat and not phases:
            problems.append(f"{label} har upprepa_per_fas: true men definitionen har inga 'faser'")
        questions = _questions(item.get("fragor"), section_id, label, phases if repeat else [], seen_questions, problems)
        sections.append(FormSection(section_id, title, " ".join(str(item.get("beskrivning") or "").split()), tuple(questions)))
    return sections


def _questions(
    raw: Any, section_id: str, label: str, phases: list[tuple[str, str]], seen: set[str], problems: list[str]
) -> list[FormQuestion]:
    if not isinstance(raw, list) or not raw:
        problems.append(f"{label} har inga 'fragor'")
        return []
    base: list[tuple[str, str, str]] = []
    for number, item in enumerate(raw, start=1):
        where = f"{label}, fråga nr {number}"
        if not isinstance(item, dict):
            problems.append(f"{where} ska ha nycklarna id och text")
            continue
        question_id = str(item.get("id") or "").strip()
        text = " ".join(str(item.get("text") or "").split())
        kind = str(item.get("typ") or RATING).strip()
        if not question_id:
            problems.append(f"{where} saknar 'id'")
        elif not _ID.match(question_id):
            problems.append(f"{where}: id '{question_id}' ska bestå av {_ID_HINT}")
        if not text:
            problems.append(f"{where} saknar 'text'")
        if kind not in (RATING, TEXT):
            problems.append(f"{where} har okänd typ '{kind}' (tillåtna: {RATING}, {TEXT})")
        unknown = set(map(str, item)) - _QUESTION_KEYS
        if unknown:
            problems.append(f"{where} har okända nycklar: {', '.join(sorted(unknown))}")
        base.append((question_id, text, kind))
    questions = []
    for phase_id, phase_name in phases or [(None, None)]:
        for question_id, text, kind in base:
            full_id = f"{question_id}_{phase_id}" if phase_id else question_id
            if question_id and full_id in seen:
                problems.append(f"frågans id '{full_id}' används flera gånger")
            seen.add(full_id)
            questions.append(
                FormQuestion(full_id, f"{phase_name}: {text}" if phase_name else text, kind, section_id, phase_id)
            )
    return questions
