"""Instrument definitions: the YAML file that says which questions a survey has.

The format (Swedish keys, written by users; every key in docs/instrument.md
and in the schema ``instrument.schema.json``)::

    id: samverkan
    namn: Personalenkät om samverkan
    skala:                             # the default scale ("standard")
      varden: {1: Instämmer inte alls, …, 5: Instämmer helt}
      positiva: [4, 5]                 # or ">= 4"
      saknas: [Vet ej, Ej aktuellt]   # answers that are not on the scale
      alias: {Stämmer helt: 5}        # optional extra labels
    skalor:                            # optional: more scales, by name
      frekvens: {varden: {1: Aldrig, …, 5: Alltid}, positiva: ">= 4", jamforbar_med: [standard]}
      betyg: {varden: {min: 1, max: 10}, etiketter: {1: Mycket dåligt, 10: Mycket bra}, positiva: ">= 7"}
    bakgrund:
      organisation: Vilken organisation arbetar du i?
      kod: Din personliga kod          # optional; links a person across waves
    organisationer:                    # optional: other spellings of an organisation
      Arbetsförmedlingen: [AF, Af Storsjö]
    index:
      installning: Inställning till samverkan
      kontakt: {namn: Kontakter, skala: frekvens}   # the default scale of its questions
    statistik:                         # optional, see .statistics
      primar: index                    # index or fragor: the tests that carry the conclusions
      sekundar: bh                     # bh or holm: adjustment of the exploratory tests
    fragor:
      - {id: q01, text: "…", index: installning}
      - {id: q02, text: "…", index: installning, omvand: true}
      - {id: q03, text: "…", skala: betyg}
      - {id: j01, text: "…", typ: janej}
      - {id: e01, text: "…", typ: enval, alternativ: [Handläggare, Chef, Annan]}
      - {id: m01, text: "…", typ: flerval, alternativ: [Telefon, E-post], avgransare: ";"}
      - {id: n01, text: "…", typ: numerisk, min: 0, max: 40}
      - {id: f01, text: "…", typ: fritext}

A question's ``typ`` is ``skala`` (ordinal, the default), ``janej``, ``enval``,
``flerval``, ``numerisk`` or ``fritext``. Only ``skala`` questions are
averaged and form indices (:attr:`Instrument.scale_questions`), and an index
combines questions on one scale (or scales declared ``jamforbar_med``).

:func:`load_instrument` reads a file (or a built-in id such as ``samverkan``),
checks it against the schema (:mod:`.schema`) and then its meaning, and
reports every problem with its line in one :class:`InstrumentError`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from slutrapport.core.errors import InstrumentError
from slutrapport.core.swedish import join_words
from slutrapport.core.text import normalise
from slutrapport.sources.definitions import RATING, TEXT, DefinitionKind, QuestionList, Scale, as_list, builtin_ids, builtin_text, load_yaml_definition
from slutrapport.sources.survey.scales import DEFAULT, YES_NO, YES_NO_SCALE, ScaleSet, comparable, flag, read_scales
from slutrapport.sources.survey.schema import INVALID, KeyPath, LocatedProblems, check_schema, did_you_mean, schema_line
from slutrapport.sources.survey.statistics import StatisticsPlan, parse_statistics

__all__ = [
    "Scale", "Question", "Instrument", "load_instrument", "builtin_instruments", "builtin_instrument_text",
    "KINDS", "SCALE", "YES_NO_KIND", "SINGLE", "MULTIPLE", "NUMBER", "FREETEXT", "DEFAULT", "YES_NO",
]  # fmt: skip

#: Question types (``typ:``): ordinal on a scale (the default), yes/no, single and multiple choice, a number, free text.
SCALE = RATING
YES_NO_KIND = "janej"
SINGLE = "enval"
MULTIPLE = "flerval"
NUMBER = "numerisk"
FREETEXT = TEXT
KINDS = (SCALE, YES_NO_KIND, SINGLE, MULTIPLE, NUMBER, FREETEXT)

#: The keys each type of question may have besides id, text and typ.
_KIND_KEYS = {
    SCALE: {"skala", "index", "omvand"},
    YES_NO_KIND: {"skala"},
    SINGLE: {"skala", "alternativ"},
    MULTIPLE: {"skala", "alternativ", "avgransare"},
    NUMBER: {"min", "max"},
    FREETEXT: set(),
}

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
    """One question: its ``kind`` (a type of :data:`KINDS`) and what the type needs.

    ``scale`` names the question's scale in :attr:`Instrument.scales`
    (``skala``, ``janej``, and ``enval``/``flerval`` on a named nominal
    scale); ``choices`` holds the options of ``enval``/``flerval`` as a
    nominal scale (code → label), ``delimiter`` the character between the
    options chosen when a ``flerval`` answer is one cell (``None``: one column
    per option), ``minimum``/``maximum`` the range of a ``numerisk`` answer.
    """

    id: str
    text: str
    index: str | None = None
    reverse: bool = False
    kind: str = SCALE
    scale: str | None = None
    choices: Scale | None = None
    delimiter: str | None = None
    minimum: float | None = None
    maximum: float | None = None

    @property
    def options(self) -> tuple[str, ...]:
        """The options of an ``enval`` or ``flerval`` question, in code order (empty for other types)."""
        return tuple(self.choices.values[code] for code in sorted(self.choices.values)) if self.choices else ()


@dataclass(frozen=True)
class Instrument(QuestionList[Question]):
    id: str
    name: str
    scale: Scale  # the default scale
    questions: tuple[Question, ...]
    indices: dict[str, str]
    background: dict[str, str]
    source: str = ""
    #: alias spelling → organisation name, from ``organisationer: {Name: [alias, …]}``
    organisation_aliases: dict[str, str] = field(default_factory=dict)
    #: the multiplicity plan (``statistik:``); a project's ``personalenkat: statistik:`` overrides it
    statistics: StatisticsPlan = field(default_factory=StatisticsPlan)
    #: every scale by name: the default (``standard`` when written under ``skala:``), those under ``skalor:``, ``janej`` when used
    scales: dict[str, Scale] = field(default_factory=dict)

    @property
    def scale_questions(self) -> list[Question]:
        """The ordinal (``skala``) questions: the only ones averaged, compared on a scale and combined in indices."""
        return self.rating_questions

    @property
    def freetext_questions(self) -> list[Question]:
        return self.text_questions

    def questions_of(self, kind: str) -> list[Question]:
        """The questions of one type (:data:`KINDS`), in order."""
        return [q for q in self.questions if q.kind == kind]

    def index_items(self, index_id: str) -> list[Question]:
        return [q for q in self.scale_questions if q.index == index_id]

    def scale_for(self, question: Question) -> Scale | None:
        """The scale a question is answered on (its options for ``enval``/``flerval``); ``None`` for ``numerisk`` and ``fritext``."""
        if question.kind in (NUMBER, FREETEXT):
            return None
        if question.choices is not None:
            return question.choices
        if question.scale is not None and question.scale in self.scales:
            return self.scales[question.scale]
        return YES_NO_SCALE if question.kind == YES_NO_KIND else self.scale

    def index_scale(self, index_id: str) -> Scale:
        """The scale of an index's questions (the first question's, if it combines comparable scales)."""
        items = self.index_items(index_id)
        return self.scale_for(items[0]) or self.scale if items else self.scale


def builtin_instruments() -> list[str]:
    """Ids of the instruments shipped with the package."""
    return builtin_ids(_KIND)


def builtin_instrument_text(instrument_id: str) -> str:
    """The YAML text of a built-in instrument (with its Swedish comments), as a start for one's own.

    Its first line points editors at the installed schema (:func:`.schema.schema_line`).
    """
    if instrument_id not in builtin_instruments():
        raise InstrumentError(
            f"Det finns inget inbyggt instrument som heter '{instrument_id}'. "
            f"Inbyggda: {', '.join(builtin_instruments())}."
        )
    return schema_line(builtin_text(_KIND, instrument_id))


def load_instrument(spec: str | Path, base_dir: Path | None = None) -> Instrument:
    """Read an instrument from a YAML file path or a built-in id (e.g. ``"samverkan"``).

    A relative path is resolved against ``base_dir`` when given. Raises
    :class:`InstrumentError` listing every problem in the definition, each
    with its line.
    """
    return load_yaml_definition(_KIND, spec, base_dir, _parse, lines=True)


# ---------------------------------------------------------------- reading


def _parse(raw: dict, name: str, problems: list[str], lines: dict[KeyPath, int]) -> Instrument:
    found = LocatedProblems(lines)
    data = check_schema(raw, found)
    scales = read_scales(data, found)
    background = {role: str(text).strip() for role, text in _mapping(data.get("bakgrund")).items() if isinstance(text, str)}
    indices, index_scales = _indices(data, scales, found)
    aliases = {
        str(alias): organisation
        for organisation, spellings in _mapping(data.get("organisationer")).items()
        for alias in as_list(spellings)
        if alias is not None and alias is not INVALID
    }
    statistics = StatisticsPlan(**parse_statistics(data.get("statistik"), []))  # the schema checked its words
    questions = _questions(data, scales, indices, index_scales, found)
    _check_indices(data, questions, indices, scales, found)
    problems.extend(found.messages())
    used = {q.scale for q in questions if q.scale}
    if YES_NO in used and YES_NO not in scales.scales:
        scales.scales[YES_NO] = YES_NO_SCALE
    instrument_id = str(data["id"]).strip() if isinstance(data.get("id"), str | int) else ""
    title = data.get("namn")
    return Instrument(
        id=instrument_id,
        name=str(title) if isinstance(title, str | int | float) and title != "" else instrument_id,
        scale=scales.scales.get(scales.default or "") or YES_NO_SCALE,  # only used when there are no problems
        questions=tuple(questions),
        indices=indices,
        background=background,
        source=name,
        organisation_aliases=aliases,
        statistics=statistics,
        scales=scales.scales,
    )


def _mapping(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _indices(data: dict, scales: ScaleSet, found: LocatedProblems) -> tuple[dict[str, str], dict[str, str]]:
    """``index:`` as id → name, and id → the scale it sets for its questions (``{namn: …, skala: …}``)."""
    names: dict[str, str] = {}
    index_scales: dict[str, str] = {}
    for index_id, entry in _mapping(data.get("index")).items():
        if isinstance(entry, dict):
            names[index_id] = str(entry.get("namn")) if isinstance(entry.get("namn"), str | int | float) else index_id
            scale = entry.get("skala")
            if isinstance(scale, str) and scales.known(scale, ("index", index_id, "skala"), f"indexet '{index_id}' anger", found):
                index_scales[index_id] = scale
        else:
            names[index_id] = str(entry) if entry is not INVALID and entry is not None else index_id
    return names, index_scales


def _questions(
    data: dict, scales: ScaleSet, indices: dict[str, str], index_scales: dict[str, str], found: LocatedProblems
) -> list[Question]:
    questions: list[Question] = []
    seen: set[str] = set()
    items = data.get("fragor") if isinstance(data.get("fragor"), list) else []
    for number, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        path: KeyPath = ("fragor", number)
        ident = str(item["id"]).strip() if isinstance(item.get("id"), str | int) else ""
        label = f"fråga nr {number + 1}" + (f" ({ident})" if ident else "")
        if ident and ident in seen:
            found.add((*path, "id"), f"id '{ident}' används av flera frågor")
        seen.add(ident)
        kind = SCALE if item.get("typ") is None else item["typ"]
        if kind not in KINDS:  # rejected by the schema: skip what depends on the type
            continue
        _foreign_keys(item, kind, path, label, found)
        index = str(item["index"]) if kind == SCALE and isinstance(item.get("index"), str | int) else None
        if index is not None and index not in indices and data.get("index") is not INVALID:
            found.add((*path, "index"), f"{label} hör till indexet '{index}', som inte finns under 'index'{did_you_mean(index, indices)}")
        scale, choices = _question_scale(item, kind, index_scales.get(index or ""), scales, path, label, found)
        number_range = [item.get(k) if kind == NUMBER and isinstance(item.get(k), int | float) else None for k in ("min", "max")]
        if None not in number_range and number_range[0] > number_range[1]:
            found.add((*path, "min"), f"{label}: 'min' ({number_range[0]}) är större än 'max' ({number_range[1]})")
        delimiter = item.get("avgransare") if kind == MULTIPLE and isinstance(item.get("avgransare"), str) else None
        if delimiter and choices is not None:
            for option in choices.values.values():
                if delimiter in option:
                    found.add((*path, "avgransare"), f"{label}: alternativet '{option}' innehåller avgränsaren '{delimiter}'; välj en annan avgränsare")
        questions.append(
            Question(
                id=ident,
                text=str(item.get("text")).strip() if isinstance(item.get("text"), str | int | float) else "",
                index=index,
                reverse=flag(item.get("omvand")),
                kind=kind,
                scale=scale,
                choices=choices,
                delimiter=delimiter,
                minimum=number_range[0],
                maximum=number_range[1],
            )
        )
    return questions


def _foreign_keys(item: dict, kind: str, path: KeyPath, label: str, found: LocatedProblems) -> None:
    """A key that another type of question uses (``alternativ`` on a ``skala`` question) is a problem."""
    for key in item:
        if key in ("id", "text", "typ") or key in _KIND_KEYS[kind] or item[key] is None:
            continue
        if key == "index":
            what = "en fritextfråga" if kind == FREETEXT else f"av typen {kind}"
            found.add((*path, key), f"{label} är {what} och kan inte ingå i ett index (bara frågor av typen skala kan det)")
        else:
            kinds = ", ".join(k for k in KINDS if key in _KIND_KEYS[k])
            found.add((*path, key), f"{label}: '{key}' gäller inte frågor av typen {kind} (bara {kinds})")


def _question_scale(
    item: dict, kind: str, index_scale: str | None, scales: ScaleSet, path: KeyPath, label: str, found: LocatedProblems
) -> tuple[str | None, Scale | None]:
    """The question's scale name and, for ``enval``/``flerval``, its options; problems when they do not fit the type."""
    if kind in (NUMBER, FREETEXT):
        return None, None
    own = item.get("skala") if isinstance(item.get("skala"), str) else None
    if own is not None and not scales.known(own, (*path, "skala"), f"{label} anger", found):
        return None, None
    if kind == SCALE:
        name = own or index_scale or scales.default
        scale = scales.scales.get(name or "")
        if scale is not None and scale.nominal and (own or index_scale):  # a nominal default is named once, at 'skala'
            found.add(
                (*path, "skala"),
                f"{label} använder skalan '{name}', som är nominal; en fråga av typen skala behöver en ordnad skala (eller ange typ: enval)",
            )
        return name, None
    if kind == YES_NO_KIND:
        name = own or YES_NO
        scale = scales.scales.get(name)
        if scale is not None and (len(scale.values) != 2 or len(scale.positive) != 1 or scale.nominal):
            found.add(
                (*path, "skala"),
                f"{label} är av typen janej men skalan '{name}' är inte en ja/nej-skala: den ska ha två värden, där 'positiva' är ja",
            )
        return name, None
    options = item.get("alternativ")
    if own is not None and options is not None and options is not INVALID:
        found.add((*path, "alternativ"), f"{label} anger både 'alternativ' och 'skala'; ange det ena")
    if own is not None:
        scale = scales.scales.get(own)
        if scale is not None and not scale.nominal:
            found.add((*path, "skala"), f"{label} är av typen {kind} men skalan '{own}' är inte nominal (lägg till nominal: true under skalan)")
        return own, scale
    if options is None:
        found.add(path, f"{label} är av typen {kind} och saknar 'alternativ' (t.ex. alternativ: [Telefon, E-post, Möten])")
        return None, None
    return None, _options(options, (*path, "alternativ"), label, found)


def _options(raw: Any, path: KeyPath, label: str, found: LocatedProblems) -> Scale | None:
    """``alternativ:`` as a nominal scale: a list is coded 1, 2, …; a mapping gives the codes."""
    if isinstance(raw, list):
        pairs = [(code, item) for code, item in enumerate(raw, start=1) if item is not INVALID]
    elif isinstance(raw, dict):
        pairs = [(int(code), item) for code, item in raw.items() if item is not INVALID]
    else:
        return None
    values: dict[int, str] = {}
    seen: dict[str, int] = {}
    for code, item in pairs:
        text = " ".join(str(item).split()) if item is not None else ""
        if not text:
            found.add((*path, str(code)), f"{label}: alternativet med koden {code} saknar etikett")
            continue
        if normalise(text) in seen:
            found.add(path, f"{label}: alternativet '{text}' finns två gånger")
            continue
        seen[normalise(text)] = code
        values[code] = text
    return Scale(values, frozenset(), nominal=True) if values else None


def _check_indices(data: dict, questions: list[Question], indices: dict[str, str], scales: ScaleSet, found: LocatedProblems) -> None:
    """Every index has questions, all on one scale or on scales declared comparable."""
    items = data.get("fragor") if isinstance(data.get("fragor"), list) else []
    referenced = {str(item["index"]) for item in items if isinstance(item, dict) and isinstance(item.get("index"), str | int)}
    for index_id in indices:
        if index_id not in referenced:
            found.add(("index", index_id), f"indexet '{index_id}' har inga frågor")
            continue
        by_scale: dict[str, list[str]] = {}
        for question in questions:
            if question.index == index_id and question.scale in scales.scales:
                by_scale.setdefault(question.scale, []).append(question.id)
        names = list(by_scale)
        clash = [(a, b) for n, a in enumerate(names) for b in names[n + 1 :] if not comparable(scales.scales[a], scales.scales[b])]
        if clash:
            used = join_words([f"'{name}' ({', '.join(ids)})" for name, ids in by_scale.items()])
            found.add(
                ("index", index_id),
                f"indexet '{index_id}' blandar frågor på skalorna {used}; ett index får bara kombinera frågor på samma skala "
                "(eller på skalor som anges som jämförbara med jamforbar_med)",
            )

