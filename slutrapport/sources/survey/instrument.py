"""Instrument definitions: the YAML file that says which questions a survey has.

The format (Swedish keys, written by users)::

    id: samverkan
    namn: Personalenkät om samverkan
    skala:
      varden: {1: Instämmer inte alls, …, 5: Instämmer helt}
      positiva: [4, 5]
      saknas: [Vet ej, Ej aktuellt]   # answers that are not on the scale
      alias: {Stämmer helt: 5}        # optional extra labels
    bakgrund:
      organisation: Vilken organisation arbetar du i?
      kod: Din personliga kod          # optional; links a person across waves
    organisationer:                    # optional: other spellings of an organisation
      Arbetsförmedlingen: [AF, Af Storsjö]
    index:
      installning: Inställning till samverkan
    fragor:
      - {id: q01, text: "…", index: installning}
      - {id: q02, text: "…", index: installning, omvand: true}
      - {id: f01, text: "…", typ: fritext}

:func:`load_instrument` reads and checks a file (or a built-in id such as
``samverkan``) and reports every problem in one :class:`InstrumentError`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from slutrapport.core.errors import InstrumentError, problem_list
from slutrapport.core.yamlfile import parse_yaml

__all__ = [
    "Scale",
    "Question",
    "Instrument",
    "load_instrument",
    "builtin_instruments",
    "builtin_instrument_text",
]

SCALE = "skala"
FREETEXT = "fritext"


@dataclass(frozen=True)
class Scale:
    """The answer scale: numeric values with labels, which are positive, which mean 'missing'."""

    values: dict[int, str]
    positive: frozenset[int]
    missing: tuple[str, ...] = ()
    aliases: dict[str, int] = field(default_factory=dict)

    @property
    def min(self) -> int:
        return min(self.values)

    @property
    def max(self) -> int:
        return max(self.values)

    @property
    def positive_threshold(self) -> int:
        """The lowest positive value; an index score at or above it counts as positive."""
        return min(self.positive)


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    index: str | None = None
    reverse: bool = False
    kind: str = SCALE


@dataclass(frozen=True)
class Instrument:
    id: str
    name: str
    scale: Scale
    questions: tuple[Question, ...]
    indices: dict[str, str]
    background: dict[str, str]
    source: str = ""
    #: alias spelling → organisation name, from ``organisationer: {Name: [alias, …]}``
    organisation_aliases: dict[str, str] = field(default_factory=dict)

    @property
    def scale_questions(self) -> list[Question]:
        return [q for q in self.questions if q.kind == SCALE]

    @property
    def freetext_questions(self) -> list[Question]:
        return [q for q in self.questions if q.kind == FREETEXT]

    def index_items(self, index_id: str) -> list[Question]:
        return [q for q in self.scale_questions if q.index == index_id]

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)


def builtin_instruments() -> list[str]:
    """Ids of the instruments shipped with the package."""
    folder = files("slutrapport.sources.survey") / "instruments"
    return sorted(p.name[: -len(".yaml")] for p in folder.iterdir() if p.name.endswith(".yaml"))


def builtin_instrument_text(instrument_id: str) -> str:
    """The YAML text of a built-in instrument (with its Swedish comments)."""
    if instrument_id not in builtin_instruments():
        raise InstrumentError(
            f"Det finns inget inbyggt instrument som heter '{instrument_id}'. "
            f"Inbyggda: {', '.join(builtin_instruments())}."
        )
    return (files("slutrapport.sources.survey") / "instruments" / f"{instrument_id}.yaml").read_text(
        encoding="utf-8"
    )


def load_instrument(spec: str | Path, base_dir: Path | None = None) -> Instrument:
    """Read an instrument from a YAML file path or a built-in id (e.g. ``"samverkan"``).

    A relative path is resolved against ``base_dir`` when given. Raises
    :class:`InstrumentError` listing every problem in the definition.
    """
    text_spec = str(spec)
    path = Path(text_spec)
    if base_dir is not None and not path.is_absolute():
        path = base_dir / path
    if path.is_file():
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise InstrumentError(f"Instrumentfilen {path} kunde inte läsas: {exc}") from exc
        name = str(path)
    elif text_spec in builtin_instruments():
        text = builtin_instrument_text(text_spec)
        name = f"inbyggt instrument '{text_spec}'"
    else:
        raise InstrumentError(
            f"Instrumentet '{text_spec}' finns inte: ingen sådan fil"
            f"{f' i {base_dir}' if base_dir else ''} och inget inbyggt instrument med det namnet "
            f"(inbyggda: {', '.join(builtin_instruments())})."
        )
    return _parse(parse_yaml(text, f"Instrumentfilen {name}", InstrumentError), name)


def _parse(data: Any, name: str) -> Instrument:
    problems: list[str] = []
    if not isinstance(data, dict):
        raise InstrumentError(f"Instrumentfilen {name} ska innehålla nycklar (id, namn, skala, fragor).")

    instrument_id = str(data.get("id") or "").strip()
    if not instrument_id:
        problems.append("nyckeln 'id' saknas")
    scale = _parse_scale(data.get("skala"), problems)

    background_raw = data.get("bakgrund") or {}
    if not isinstance(background_raw, dict):
        problems.append("'bakgrund' ska vara nycklar som organisation: <frågetext>")
        background_raw = {}
    background = {str(k): str(v).strip() for k, v in background_raw.items() if v is not None}
    unknown_bg = set(background) - {"organisation", "kod"}
    if unknown_bg:
        problems.append(
            f"okända nycklar under 'bakgrund': {', '.join(sorted(unknown_bg))} (tillåtna: organisation, kod)"
        )

    indices_raw = data.get("index") or {}
    if not isinstance(indices_raw, dict):
        problems.append("'index' ska vara nycklar som installning: Inställning till samverkan")
        indices_raw = {}
    indices = {str(k): str(v) for k, v in indices_raw.items()}

    aliases: dict[str, str] = {}
    organisations = data.get("organisationer") or {}
    if not isinstance(organisations, dict):
        problems.append("'organisationer' ska vara namn: [alias, …], t.ex. Arbetsförmedlingen: [AF]")
    else:
        for name, spellings in organisations.items():
            for alias in spellings if isinstance(spellings, list) else [spellings]:
                if alias is not None:
                    aliases[str(alias)] = str(name)

    questions = _parse_questions(data.get("fragor"), indices, problems)
    for index_id in indices:
        if not any(q.index == index_id for q in questions):
            problems.append(f"indexet '{index_id}' har inga frågor")

    if problems:
        raise InstrumentError(problem_list(f"Instrumentfilen {name}", problems))
    return Instrument(
        id=instrument_id,
        name=str(data.get("namn") or instrument_id),
        scale=scale,  # type: ignore[arg-type]
        questions=tuple(questions),
        indices=indices,
        background=background,
        source=name,
        organisation_aliases=aliases,
    )


def _parse_scale(raw: Any, problems: list[str]) -> Scale | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("varden"), dict) or not raw["varden"]:
        problems.append("'skala: varden:' saknas (t.ex. varden: {1: Instämmer inte alls, …, 5: Instämmer helt})")
        return None
    values: dict[int, str] = {}
    for key, label in raw["varden"].items():
        try:
            number = int(str(key).strip())
        except ValueError:
            problems.append(f"skalvärdet '{key}' är inte ett heltal")
            continue
        values[number] = str(label).strip()
    positive_raw = raw.get("positiva")
    if positive_raw is None:
        top = sorted(values)[-2:] if len(values) >= 4 else sorted(values)[-1:]
        positive = frozenset(top)
    else:
        if not isinstance(positive_raw, list):
            positive_raw = [positive_raw]
        try:
            positive = frozenset(int(str(v)) for v in positive_raw)
        except ValueError:
            problems.append(f"'positiva' ska vara skalvärden, fick {positive_raw}")
            positive = frozenset()
        if positive - set(values):
            problems.append(f"'positiva' innehåller värden som inte finns i skalan: {sorted(positive - set(values))}")
    missing_raw = raw.get("saknas") or []
    if not isinstance(missing_raw, list):
        missing_raw = [missing_raw]
    aliases_raw = raw.get("alias") or {}
    aliases: dict[str, int] = {}
    if not isinstance(aliases_raw, dict):
        problems.append("'alias' ska vara etikett: skalvärde")
    else:
        for label, value in aliases_raw.items():
            try:
                number = int(str(value))
            except ValueError:
                number = None
            if number not in values:
                problems.append(f"aliaset '{label}' pekar på {value}, som inte finns i skalan")
            else:
                aliases[str(label)] = number
    return Scale(values, positive, tuple(str(m) for m in missing_raw), aliases)


def _parse_questions(raw: Any, indices: dict[str, str], problems: list[str]) -> list[Question]:
    if not isinstance(raw, list) or not raw:
        problems.append("'fragor' saknas eller är tom")
        return []
    questions: list[Question] = []
    seen: set[str] = set()
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            problems.append(f"fråga nr {number} ska ha nycklarna id och text")
            continue
        qid = str(item.get("id") or "").strip()
        text = str(item.get("text") or "").strip()
        kind = str(item.get("typ") or SCALE).strip()
        index = item.get("index")
        label = f"fråga nr {number}" + (f" ({qid})" if qid else "")
        if not qid:
            problems.append(f"{label} saknar 'id'")
        elif qid in seen:
            problems.append(f"id '{qid}' används av flera frågor")
        seen.add(qid)
        if not text:
            problems.append(f"{label} saknar 'text'")
        if kind not in (SCALE, FREETEXT):
            problems.append(f"{label} har okänd typ '{kind}' (tillåtna: {SCALE}, {FREETEXT})")
        if index is not None and str(index) not in indices:
            problems.append(f"{label} hör till indexet '{index}', som inte finns under 'index'")
        if kind == FREETEXT and index is not None:
            problems.append(f"{label} är en fritextfråga och kan inte ingå i ett index")
        questions.append(
            Question(
                id=qid,
                text=text,
                index=None if index is None else str(index),
                reverse=bool(item.get("omvand", False)),
                kind=kind,
            )
        )
    return questions
