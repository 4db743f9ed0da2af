"""YAML definitions written by users — the survey instrument, the form (självvärdering) — read one way.

:func:`load_yaml_definition` finds a definition (a file path, or the id of a
built-in shipped as package data), reads the YAML, hands the mapping to the
kind's own parser and raises one error listing every problem the parser
collected; a :class:`DefinitionKind` holds what differs between kinds.
:func:`parse_scale` reads the ``skala`` block into a :class:`Scale`. The
parsers collect problems with :func:`required_key`, :func:`block_mapping`,
:func:`block_list` and :func:`entries` (``- {id: …}`` items as :class:`Entry`).
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

from slutrapport.core.errors import SlutrapportError, problem_list
from slutrapport.core.inputs import read_text_limited
from slutrapport.core.outputs import unreadable
from slutrapport.core.text import normalise
from slutrapport.core.yamlfile import key_lines, parse_yaml
from slutrapport.core.yamlschema import INVALID

__all__ = [
    "RATING", "TEXT", "ID_HINT", "Scale", "DefinitionKind", "QuestionList", "Entry",
    "builtin_ids", "builtin_text", "load_yaml_definition", "parse_scale", "label_conflicts", "alias_conflicts",
    "required_key", "block_mapping", "block_list", "entries", "as_list", "words", "is_id", "repeated",
]  # fmt: skip

#: A question's ``typ``: a rating on the definition's scale (the default) or free text.
RATING = "skala"
TEXT = "fritext"
ID_HINT = "små bokstäver a–z, siffror och understreck, och börja med en bokstav"

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
T = TypeVar("T")


class _Question(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def kind(self) -> str: ...


Q = TypeVar("Q", bound=_Question)


@dataclass(frozen=True)
class Scale:
    """An answer scale: numeric values with labels, which are positive, which mean 'missing'.

    A value may have no label (``""``: the unlabelled middle of a scale whose
    ends alone are named, ``varden: {min: 1, max: 10}``); :meth:`label` then
    shows the number. A ``nominal`` scale's values are codes of unordered
    categories (single or multiple choice): they have no positive values and
    are never averaged. ``comparable`` names the scales an index may combine
    this one with (``jamforbar_med``). ``name`` is how the instrument names it
    (``""`` for a form's scale) and is left out of comparisons.
    """

    values: dict[int, str]
    positive: frozenset[int]
    missing: tuple[str, ...] = ()
    aliases: dict[str, int] = field(default_factory=dict)
    name: str = field(default="", compare=False)
    nominal: bool = False
    comparable: frozenset[str] = frozenset()

    @property
    def min(self) -> int:
        return min(self.values)

    @property
    def max(self) -> int:
        return max(self.values)

    @property
    def positive_threshold(self) -> int:
        """The lowest positive value; an index score at or above it counts as positive (see :meth:`is_positive`)."""
        return min(self.positive)

    def label(self, value: Any) -> str:
        """The value's label, or the value as text when it has none (``"7"``, ``"6,5"``); ``""`` for no value."""
        if value is None or isinstance(value, bool):
            return ""
        if not isinstance(value, numbers.Real):
            return str(value)
        if math.isnan(value):
            return ""
        if float(value).is_integer():
            return self.values.get(int(value)) or str(int(value))
        return f"{float(value):g}".replace(".", ",")

    def is_positive(self, score: float) -> bool:
        """Whether an answer or a mean counts as positive.

        Positive values at the top of the scale (``positiva: ">= 7"``): a
        score at or above the lowest of them; at the bottom (``"<= 3"``): at or
        below the highest; anywhere else: a score that rounds to one of them.
        """
        if score is None or math.isnan(score) or not self.positive:
            return False
        ordered = sorted(self.values)
        low, high = min(self.positive), max(self.positive)
        if self.positive == {v for v in ordered if v >= low}:
            return score >= low
        if self.positive == {v for v in ordered if v <= high}:
            return score <= high
        return math.floor(score + 0.5) in self.positive


@dataclass(frozen=True)
class DefinitionKind:
    """What differs between kinds of definition: the error, the wording, where the built-ins are."""

    error: type[SlutrapportError]
    title: str  # starts each message about one definition: "Instrumentfilen <file>"
    keys: str  # named when the file is not a mapping: "id, namn, skala, fragor"
    package: str  # the package holding the built-ins …
    folder: str  # … in this folder ("" for the package's own)
    builtin_name: str  # a built-in as messages name it: "inbyggt instrument '{id}'"
    not_found: str  # neither a file nor a built-in; fields {spec}, {path}, {where}, {builtins}
    builtin_title: str = ""  # names a built-in with invalid YAML, instead of title + builtin_name


def _builtin_folder(kind: DefinitionKind) -> Traversable:
    root = files(kind.package)
    return root / kind.folder if kind.folder else root


def builtin_ids(kind: DefinitionKind) -> list[str]:
    """Ids of the definitions of this kind shipped with the package (their ``.yaml`` files)."""
    return sorted(p.name[: -len(".yaml")] for p in _builtin_folder(kind).iterdir() if p.name.endswith(".yaml"))


def builtin_text(kind: DefinitionKind, definition_id: str) -> str:
    """The YAML text of a built-in definition (with its Swedish comments).

    The id becomes a file name in the package: one with a folder separator or ``..``
    (``../../x``), or that is no built-in, is refused with ``kind.error``.
    """
    text_id = str(definition_id)
    if any(c in text_id for c in "/\\") or ".." in text_id or text_id not in builtin_ids(kind):
        builtins = ", ".join(builtin_ids(kind))
        raise kind.error(f"Det finns inget {kind.builtin_name.format(id=text_id)} (inbyggda: {builtins}).")
    return (_builtin_folder(kind) / f"{text_id}.yaml").read_text(encoding="utf-8")


def load_yaml_definition(
    kind: DefinitionKind,
    spec: str | Path | None,
    base_dir: Path | None,
    parse: Callable[..., T],
    default: str | None = None,
    *,
    lines: bool = False,
) -> T:
    """Find, read and parse a definition: ``parse(data, name, problems)`` builds it and collects problems.

    ``spec`` is a file path (relative ones are resolved against ``base_dir``
    when given) or a built-in id, ``None`` the built-in ``default``; a file
    wins over a built-in of the same name. ``name`` is the file or built-in
    as messages show it. Raises ``kind.error`` when the definition is missing,
    unreadable, not YAML, not a mapping, or ``parse`` reported problems.
    With ``lines``, ``parse`` gets a fourth argument: where each key is
    written (:func:`~slutrapport.core.yamlfile.key_lines`), for messages that
    name the line.
    """
    path = None if spec is None else Path(str(spec))
    if path is not None and base_dir is not None and not path.is_absolute():
        path = base_dir / path
    builtin = (default if spec is None else str(spec)) in builtin_ids(kind)
    # Something else than a file at the path (a pipe, a device, a folder not named as a built-in) is
    # refused unopened; a file of at most TEXT_LIMIT is read.
    if path is not None and (path.is_file() or (path.exists() and not (builtin and path.is_dir()))):
        try:
            text = read_text_limited(path, kind.title, error=kind.error)
        except (OSError, UnicodeDecodeError) as exc:
            raise kind.error(f"{kind.title} {path} kunde inte läsas: {unreadable(exc)}.") from exc
        name = str(path)
        what = f"{kind.title} {name}"
    elif (definition_id := default if spec is None else str(spec)) in builtin_ids(kind):
        text = builtin_text(kind, definition_id)
        name = kind.builtin_name.format(id=definition_id)
        what = kind.builtin_title or f"{kind.title} {name}"
    else:
        where = f" i {base_dir}" if base_dir is not None else ""
        builtins = ", ".join(builtin_ids(kind))
        raise kind.error(kind.not_found.format(spec=spec, path=path, where=where, builtins=builtins))
    data = parse_yaml(text, what, kind.error)
    if not isinstance(data, dict):
        raise kind.error(f"{kind.title} {name} ska innehålla nycklar ({kind.keys}).")
    problems: list[str] = []
    definition = parse(data, name, problems, key_lines(text)) if lines else parse(data, name, problems)
    if problems:
        raise kind.error(problem_list(f"{kind.title} {name}", problems))
    return definition


def parse_scale(raw: Any, problems: list[str], *, example: str, complete: bool = False) -> Scale | None:
    """The ``skala`` block: ``varden`` (value: label), optional ``positiva``, ``saknas`` and ``alias``.

    ``positiva`` defaults to the top two values (the top one on a scale of
    fewer than four). ``complete`` also requires a label on every value and
    values without gaps (a form lists them all in a dropdown). ``example``
    shows a ``varden`` mapping in the message when the block is missing.
    """
    if raw is INVALID or (isinstance(raw, dict) and raw.get("varden") is INVALID):
        return None  # the file's schema named it
    if not isinstance(raw, dict) or not isinstance(raw.get("varden"), dict) or not raw["varden"]:
        problems.append(f"'skala: varden:' saknas (t.ex. varden: {example})")
        return None
    values: dict[int, str] = {}
    for key, label in raw["varden"].items():
        if label is INVALID:
            continue
        try:
            number = int(str(key).strip())
        except ValueError:
            problems.append(f"skalvärdet '{key}' är inte ett heltal")
            continue
        values[number] = str(label or "").strip()
        if complete and not values[number]:
            problems.append(f"skalvärdet {number} saknar etikett")
    if complete and values and sorted(values) != list(range(min(values), max(values) + 1)):
        problems.append(f"skalans värden ska vara en obruten följd av heltal, fick {sorted(values)}")
    positive_raw = raw.get("positiva")
    if positive_raw is INVALID or (isinstance(positive_raw, list) and INVALID in positive_raw):
        positive = frozenset()
    elif positive_raw is None:
        positive = frozenset(sorted(values)[-2:] if len(values) >= 4 else sorted(values)[-1:])
    else:
        try:
            positive = frozenset(int(str(v).strip()) for v in as_list(positive_raw))
        except ValueError:
            problems.append(f"'positiva' ska vara skalvärden, fick {as_list(positive_raw)}")
            positive = frozenset()
        if positive - set(values):
            problems.append(f"'positiva' innehåller värden som inte finns i skalan: {sorted(positive - set(values))}")
    missing = [str(m).strip() for m in as_list(raw.get("saknas") or []) if m is not INVALID and str(m).strip()]
    aliases: dict[str, int] = {}
    for label, value in block_mapping(raw.get("alias"), problems, "'alias' ska vara etikett: skalvärde").items():
        if value is INVALID:
            continue
        try:
            number: int | None = int(str(value))
        except ValueError:
            number = None
        if number not in values:
            problems.append(f"aliaset '{label}' pekar på {value}, som inte finns i skalan")
        else:
            aliases[str(label)] = number
    label_conflicts(values, missing, aliases, problems)
    return Scale(values, positive, tuple(missing), aliases)


def label_conflicts(values: dict[int, str], missing: list[str], aliases: dict[str, int], problems: list[str]) -> None:
    """An alias or a ``saknas`` word that is already a scale label or value would silently change every mean.

    Adds one problem per conflict to ``problems``.
    """
    labels = {normalise(label): number for number, label in values.items() if label}
    labels |= {str(number): number for number in values}
    for word in missing:
        if normalise(word) in labels:
            problems.append(f"'saknas' innehåller '{word}', som är skalans värde {labels[normalise(word)]}; ta bort det ur 'saknas'")
    for label, number in aliases.items():
        taken = labels.get(normalise(label))
        if taken is not None and taken != number:
            problems.append(f"aliaset '{label}' pekar på {number}, men '{label}' är redan skalans värde {taken}")


def alias_conflicts(scale: Scale, aliases: dict[str, int]) -> dict[str, str]:
    """Why each of ``aliases`` (answer labels added to ``scale``, e.g. a project's) would silently change answers.

    An alias conflicts when it is a value the scale does not have, an answer
    the scale counts as missing (``saknas``), a label or value of the scale
    meaning another value, or one of the scale's own aliases meaning another
    value. Returns alias → the reason (Swedish, to follow the alias's name).
    """
    labels = {normalise(label): number for number, label in scale.values.items() if label}
    labels |= {str(number): number for number in scale.values}
    missing = {normalise(word): word for word in scale.missing}
    own = {normalise(label): number for label, number in scale.aliases.items()}
    found: dict[str, str] = {}
    for label, number in aliases.items():
        key = normalise(label)
        if number not in scale.values:
            found[label] = f"pekar på {number}, som inte finns på skalan {scale.min}–{scale.max}"
        elif key in missing:
            found[label] = f"är ett svar som instrumentet räknar som saknat värde (saknas: {missing[key]}); ta bort aliaset"
        elif labels.get(key, number) != number:
            found[label] = f"pekar på {number}, men '{label}' är redan skalans värde {labels[key]}"
        elif own.get(key, number) != number:
            found[label] = f"pekar på {number}, men instrumentet har redan aliaset '{label}' för {own[key]}"
    return found


class QuestionList(Generic[Q]):
    """Lookups in a definition's (or a form section's) ``questions``: one by id, the ratings, the free texts."""

    questions: Sequence[Q]

    @property
    def rating_questions(self) -> list[Q]:
        return [q for q in self.questions if q.kind == RATING]

    @property
    def text_questions(self) -> list[Q]:
        return [q for q in self.questions if q.kind == TEXT]

    def question(self, question_id: str) -> Q:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)


# ---------------------------------------------------------------- collecting problems


def required_key(data: dict, key: str, problems: list[str]) -> str:
    """``data[key]`` as stripped text; when absent or empty (or false, like 0): ``nyckeln '<key>' saknas``.

    A value the file's schema rejected (:data:`~slutrapport.core.yamlschema.INVALID`) is ``""`` without a problem.
    """
    text = str(data.get(key) or "").strip()
    if not text and data.get(key) is not INVALID:
        problems.append(f"nyckeln '{key}' saknas")
    return text


def block_mapping(raw: Any, problems: list[str], message: str) -> dict:
    """A block of ``key: value`` lines; absent (or rejected by the file's schema) is empty, anything but a mapping adds ``message``."""
    if raw and not isinstance(raw, dict):
        problems.append(message)
    return raw if isinstance(raw, dict) else {}


def block_list(raw: Any, problems: list[str], message: str, *, optional: bool = False) -> list:
    """A block of ``- …`` lines; ``message`` when it is not a list, or (unless ``optional``) absent or empty.

    A block the file's schema rejected (:data:`~slutrapport.core.yamlschema.INVALID`) is empty without a problem.
    """
    if (optional and raw is None) or raw is INVALID:
        return []
    if not isinstance(raw, list) or (not raw and not optional):
        problems.append(message)
        return []
    return raw


@dataclass(frozen=True)
class Entry:
    """One ``- {id: …, …}`` item of a list block, with the label its messages start with."""

    data: dict
    id: str
    label: str  # "fråga nr 2 (q02)"

    def text(self, key: str, problems: list[str] | None = None, *, collapse: bool = True) -> str:
        """``key``'s value as text (see :func:`words`; only stripped if not ``collapse``); with ``problems``, required."""
        value = self.data.get(key)
        text = words(value) if collapse else str(value or "").strip()
        if problems is not None and not text and value is not INVALID:
            problems.append(f"{self.label} saknar '{key}'")
        return text

    def kind(self, problems: list[str]) -> str:
        """The question's ``typ``: :data:`RATING` (the default) or :data:`TEXT`; anything else is a problem."""
        kind = str(self.data.get("typ") or RATING).strip()  # INVALID (named by the schema) is falsy
        if kind not in (RATING, TEXT):
            problems.append(f"{self.label} har okänd typ '{kind}' (tillåtna: {RATING}, {TEXT})")
        return kind

    def unknown_keys(self, allowed: set[str], problems: list[str]) -> None:
        unknown = set(map(str, self.data)) - allowed
        if unknown:
            problems.append(f"{self.label} har okända nycklar: {', '.join(sorted(unknown))}")


def entries(
    items: list, problems: list[str], what: str, keys: str, *, required: tuple[str, ...] = (), show_id: bool = True
) -> Iterator[Entry]:
    """The items of a list block that are mappings with every ``required`` key; the rest are problems.

    An item is labelled ``<what> nr <n>`` (plus `` (<id>)`` when ``show_id``);
    one that is no mapping adds ``<what> nr <n> ska ha nycklarna <keys>``, one
    without ``id`` adds ``<label> saknar 'id'`` and is still yielded.
    """
    for number, item in enumerate(items, start=1):
        if item is INVALID or (isinstance(item, dict) and any(item.get(key) is INVALID for key in ("id", *required))):
            continue  # the file's schema named it
        if not isinstance(item, dict) or not all(item.get(key) for key in required):
            problems.append(f"{what} nr {number} ska ha nycklarna {keys}")
            continue
        entry_id = str(item.get("id") or "").strip()
        label = f"{what} nr {number}" + (f" ({entry_id})" if entry_id and show_id else "")
        if not entry_id:
            problems.append(f"{label} saknar 'id'")
        yield Entry(item, entry_id, label)


def as_list(value: Any) -> list:
    """A list as it is, anything else as a list of one (``saknas: Vet ej`` is ``[Vet ej]``)."""
    return value if isinstance(value, list) else [value]


def words(value: Any) -> str:
    """A YAML value as one line of text: runs of whitespace (line breaks too) made single spaces."""
    return " ".join(str(value or "").split())


def is_id(value: str) -> bool:
    """Whether ``value`` is a valid id (see :data:`ID_HINT`)."""
    return bool(_ID.match(value))


def repeated(value: str, seen: set[str]) -> bool:
    """Whether a (non-empty) id was seen before; records it as seen."""
    again = bool(value) and value in seen
    seen.add(value)
    return again
