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
    statistik:                         # optional, see .statistics
      primar: index                    # index or fragor: the tests that carry the conclusions
      sekundar: bh                     # bh or holm: adjustment of the exploratory tests
    fragor:
      - {id: q01, text: "…", index: installning}
      - {id: q02, text: "…", index: installning, omvand: true}
      - {id: f01, text: "…", typ: fritext}

:func:`load_instrument` reads and checks a file (or a built-in id such as
``samverkan``) and reports every problem in one :class:`InstrumentError`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from slutrapport.core.errors import InstrumentError
from slutrapport.core.yamlfile import yaml_flag
from slutrapport.sources.definitions import (
    RATING,
    TEXT,
    DefinitionKind,
    QuestionList,
    Scale,
    as_list,
    block_list,
    block_mapping,
    builtin_ids,
    builtin_text,
    entries,
    load_yaml_definition,
    parse_scale,
    repeated,
    required_key,
)
from slutrapport.sources.survey.statistics import StatisticsPlan, parse_statistics

__all__ = ["Scale", "Question", "Instrument", "load_instrument", "builtin_instruments", "builtin_instrument_text"]

SCALE = RATING
FREETEXT = TEXT

_KIND = DefinitionKind(
    error=InstrumentError,
    title="Instrumentfilen",
    keys="id, namn, skala, fragor",
    package="slutrapport.sources.survey",
    folder="instruments",
    builtin_name="inbyggt instrument '{id}'",
    not_found=(
        "Instrumentet '{spec}' finns inte: ingen sådan fil{where} och inget inbyggt instrument med det namnet "
        "(inbyggda: {builtins})."
    ),
)


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    index: str | None = None
    reverse: bool = False
    kind: str = SCALE


@dataclass(frozen=True)
class Instrument(QuestionList[Question]):
    id: str
    name: str
    scale: Scale
    questions: tuple[Question, ...]
    indices: dict[str, str]
    background: dict[str, str]
    source: str = ""
    #: alias spelling → organisation name, from ``organisationer: {Name: [alias, …]}``
    organisation_aliases: dict[str, str] = field(default_factory=dict)
    #: the multiplicity plan (``statistik:``); a project's ``personalenkat: statistik:`` overrides it
    statistics: StatisticsPlan = field(default_factory=StatisticsPlan)

    @property
    def scale_questions(self) -> list[Question]:
        return self.rating_questions

    @property
    def freetext_questions(self) -> list[Question]:
        return self.text_questions

    def index_items(self, index_id: str) -> list[Question]:
        return [q for q in self.scale_questions if q.index == index_id]


def builtin_instruments() -> list[str]:
    """Ids of the instruments shipped with the package."""
    return builtin_ids(_KIND)


def builtin_instrument_text(instrument_id: str) -> str:
    """The YAML text of a built-in instrument (with its Swedish comments)."""
    if instrument_id not in builtin_instruments():
        raise InstrumentError(
            f"Det finns inget inbyggt instrument som heter '{instrument_id}'. "
            f"Inbyggda: {', '.join(builtin_instruments())}."
        )
    return builtin_text(_KIND, instrument_id)


def load_instrument(spec: str | Path, base_dir: Path | None = None) -> Instrument:
    """Read an instrument from a YAML file path or a built-in id (e.g. ``"samverkan"``).

    A relative path is resolved against ``base_dir`` when given. Raises
    :class:`InstrumentError` listing every problem in the definition.
    """
    return load_yaml_definition(_KIND, spec, base_dir, _parse)


def _parse(data: dict, name: str, problems: list[str]) -> Instrument:
    instrument_id = required_key(data, "id", problems)
    scale = parse_scale(data.get("skala"), problems, example="{1: Instämmer inte alls, …, 5: Instämmer helt}")

    background_raw = block_mapping(data.get("bakgrund"), problems, "'bakgrund' ska vara nycklar som organisation: <frågetext>")
    background = {str(k): str(v).strip() for k, v in background_raw.items() if v is not None}
    unknown_bg = set(background) - {"organisation", "kod"}
    if unknown_bg:
        problems.append(
            f"okända nycklar under 'bakgrund': {', '.join(sorted(unknown_bg))} (tillåtna: organisation, kod)"
        )
    indices_raw = block_mapping(data.get("index"), problems, "'index' ska vara nycklar som installning: Inställning till samverkan")
    indices = {str(k): str(v) for k, v in indices_raw.items()}
    organisations = block_mapping(
        data.get("organisationer"), problems, "'organisationer' ska vara namn: [alias, …], t.ex. Arbetsförmedlingen: [AF]"
    )
    aliases = {
        str(alias): str(organisation)
        for organisation, spellings in organisations.items()
        for alias in as_list(spellings)
        if alias is not None
    }

    statistics = StatisticsPlan(**parse_statistics(data.get("statistik"), problems))
    questions = _parse_questions(data.get("fragor"), indices, problems)
    for index_id in indices:
        if not any(q.index == index_id for q in questions):
            problems.append(f"indexet '{index_id}' har inga frågor")
    return Instrument(
        id=instrument_id,
        name=str(data.get("namn") or instrument_id),
        scale=scale,  # type: ignore[arg-type]
        questions=tuple(questions),
        indices=indices,
        background=background,
        source=name,
        organisation_aliases=aliases,
        statistics=statistics,
    )


def _parse_questions(raw: Any, indices: dict[str, str], problems: list[str]) -> list[Question]:
    questions: list[Question] = []
    seen: set[str] = set()
    for entry in entries(block_list(raw, problems, "'fragor' saknas eller är tom"), problems, "fråga", "id och text"):
        if repeated(entry.id, seen):
            problems.append(f"id '{entry.id}' används av flera frågor")
        text = entry.text("text", problems, collapse=False)
        kind = entry.kind(problems)
        index = entry.data.get("index")
        if index is not None and str(index) not in indices:
            problems.append(f"{entry.label} hör till indexet '{index}', som inte finns under 'index'")
        if kind == FREETEXT and index is not None:
            problems.append(f"{entry.label} är en fritextfråga och kan inte ingå i ett index")
        questions.append(
            Question(
                id=entry.id,
                text=text,
                index=None if index is None else str(index),
                reverse=yaml_flag(entry.data.get("omvand"), False, f"{entry.label}: 'omvand'", problems),
                kind=kind,
            )
        )
    return questions
