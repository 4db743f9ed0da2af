"""An instrument's answer scales: the default one (``skala:``), named ones (``skalor:``) and the built-in yes/no.

Read from data the schema has checked (:func:`.schema.check_schema`): a value
it rejected is :data:`~.schema.INVALID` and skipped without a word, since the
schema has named it already. What is checked here is what the schema cannot
see: which values ``positiva`` selects, aliases and ``saknas`` words that
collide with labels, labels outside the scale, scales declared comparable
that do not share their values.

A scale's ``varden`` are labelled integers (``{1: Aldrig, …, 5: Alltid}``,
a label may be left empty) or the end points alone (``{min: 1, max: 10}``
with ``etiketter:`` for some values). ``positiva`` is a list of values, one
value, or a condition: ``">= 7"``, ``"> 6"``, ``"<= 3"``, ``"< 4"``,
``"7–10"`` (items of a list may be conditions too).
"""

from __future__ import annotations

import re
from typing import Any

from slutrapport.core.yamlfile import yaml_flag
from slutrapport.sources.definitions import Scale, as_list, label_conflicts
from slutrapport.sources.survey.schema import INVALID, KeyPath, LocatedProblems, did_you_mean

__all__ = [
    "DEFAULT", "YES_NO", "YES_NO_SCALE", "MAX_VALUES", "ScaleSet", "read_scales", "parse_scale_block", "positive_values", "flag",
    "comparable",
]  # fmt: skip

#: The name of the scale written as a block under ``skala:`` (the one-scale form).
DEFAULT = "standard"
#: The name of the built-in yes/no scale (Nej = 0, Ja = 1; yes is positive); a scale of that name under ``skalor:`` replaces it.
YES_NO = "janej"
YES_NO_SCALE = Scale({0: "Nej", 1: "Ja"}, frozenset({1}), name=YES_NO)
#: The most values a scale may have (``{min: 0, max: 100}`` has 101).
MAX_VALUES = 1000

_CONDITION = re.compile(r"^\s*(>=|<=|>|<|=|≥|≤)\s*([+-]?\d+)\s*$")
_RANGE = re.compile(r"^\s*([+-]?\d+)\s*[-–]\s*([+-]?\d+)\s*$")
_INTEGER = re.compile(r"^\s*[+-]?\d+\s*$")


class ScaleSet:
    """The scales an instrument declares: by name, which are only declared (broken), and the default."""

    def __init__(self) -> None:
        self.scales: dict[str, Scale] = {}
        self.declared: set[str] = set()
        self.default: str | None = None
        self.paths: dict[str, KeyPath] = {}  # where each scale is written
        self.unreadable = False  # 'skalor' is not a mapping: no name can be said to be missing

    def known(self, name: str, path: KeyPath, what: str, problems: LocatedProblems) -> bool:
        """Whether ``name`` is a declared scale; if not, a problem ``<what> skalan '<name>', som inte finns …``."""
        if name in self.declared or name == YES_NO or self.unreadable:
            return True
        problems.add(path, f"{what} skalan '{name}', som inte finns under 'skalor'{did_you_mean(name, self.declared)}")
        return False


def flag(value: Any) -> bool:
    """A yes/no setting the schema has checked (true/false, ja/nej); anything else is false."""
    return yaml_flag(value, False, "", []) if value is not INVALID else False


def read_scales(data: dict, problems: LocatedProblems) -> ScaleSet:
    """The scales under ``skala:`` and ``skalor:``, and which is the default.

    The default is the ``skala:`` block (named :data:`DEFAULT`), the scale
    ``skala: <namn>`` names, or else the first ordered (not nominal) scale
    under ``skalor:``.
    """
    found = ScaleSet()
    named = data.get("skalor") if isinstance(data.get("skalor"), dict) else {}
    found.unreadable = data.get("skalor") is INVALID
    block = data.get("skala")
    if isinstance(block, dict):
        found.declared.add(DEFAULT)
        found.paths[DEFAULT] = ("skala",)
        scale = parse_scale_block(block, ("skala",), DEFAULT, problems)
        if scale is not None:
            found.scales[DEFAULT] = scale
        found.default = DEFAULT
        if DEFAULT in named:
            problems.add(("skalor", DEFAULT), f"skalan under 'skala' heter '{DEFAULT}'; ge skalan under 'skalor' ett annat namn")
    for name, raw in named.items():
        if name == DEFAULT and isinstance(block, dict):
            continue
        found.declared.add(name)
        found.paths[name] = ("skalor", name)
        scale = parse_scale_block(raw, ("skalor", name), name, problems) if isinstance(raw, dict) else None
        if scale is not None:
            found.scales[name] = scale
    if isinstance(block, str):
        if found.known(block.strip(), ("skala",), "'skala' anger", problems):
            found.default = block.strip()
    elif block is None:
        found.default = next((n for n in named if n in found.scales and not found.scales[n].nominal), None)
        if found.default is None and not named:
            problems.add((), "nyckeln 'skala' saknas (t.ex. skala: {varden: {1: Instämmer inte alls, …, 5: Instämmer helt}})")
        elif found.default is None and all(n in found.scales for n in named):
            problems.add(("skalor",), "alla skalor under 'skalor' är nominala; ange en ordnad standardskala med skala:")
    default = found.scales.get(found.default or "")
    if default is not None and default.nominal:
        problems.add(("skala",), f"standardskalan '{found.default}' är nominal; skalfrågornas standardskala ska vara ordnad")
    _check_comparable(found, problems)
    return found


def parse_scale_block(raw: dict, path: KeyPath, name: str, problems: LocatedProblems) -> Scale | None:
    """One scale (``varden``, ``etiketter``, ``positiva``, ``saknas``, ``alias``, ``nominal``, ``jamforbar_med``).

    ``None`` when its values cannot be read (the schema has said why, or a
    problem is added here).
    """
    if problems.flagged((*path, "varden")):
        return None  # the schema has named what is wrong with the values; nothing else can be checked against them
    values = _values(raw, path, problems)
    if values is None:
        return None
    nominal = flag(raw.get("nominal"))
    if nominal:
        for value, label in values.items():
            if not label:
                problems.add((*path, "varden"), f"skalan '{name}' är nominal, så varje värde behöver en etikett; {value} saknar etikett")
        if raw.get("positiva") not in (None, INVALID):
            problems.add((*path, "positiva"), f"skalan '{name}' är nominal och har inga positiva värden; ta bort 'positiva'")
    positive = frozenset() if nominal else positive_values(raw.get("positiva"), values, (*path, "positiva"), problems)
    missing = [str(m).strip() for m in as_list(raw.get("saknas") or []) if m is not INVALID and str(m).strip()]
    aliases: dict[str, int] = {}
    alias_raw = raw.get("alias")
    for label, value in (alias_raw.items() if isinstance(alias_raw, dict) else []):
        if value is INVALID:
            continue
        if int(str(value)) not in values:
            problems.add((*path, "alias", label), f"aliaset '{label}' pekar på {value}, som inte finns i skalan")
        else:
            aliases[label] = int(str(value))
    for key, words, spellings in (("saknas", missing, {}), ("alias", [], aliases)):
        conflicts: list[str] = []
        label_conflicts(values, words, spellings, conflicts)
        for conflict in conflicts:
            problems.add((*path, key), conflict)
    comparable = frozenset(str(c) for c in as_list(raw.get("jamforbar_med") or []) if isinstance(c, str))
    return Scale(values, positive, tuple(missing), aliases, name=name, nominal=nominal, comparable=comparable)


def _values(raw: dict, path: KeyPath, problems: LocatedProblems) -> dict[int, str] | None:
    varden, labels = raw.get("varden"), raw.get("etiketter")
    if not isinstance(varden, dict) or not varden:
        return None
    if "min" in varden or "max" in varden:
        low, high = varden.get("min"), varden.get("max")
        if not isinstance(low, int) or not isinstance(high, int):
            return None
        if low >= high:
            problems.add((*path, "varden"), f"'min' ({low}) ska vara mindre än 'max' ({high})")
            return None
        if high - low + 1 > MAX_VALUES:
            problems.add((*path, "varden"), f"skalan {low}–{high} har {high - low + 1} värden; högst {MAX_VALUES} går")
            return None
        values = dict.fromkeys(range(low, high + 1), "")
        for key, label in (labels.items() if isinstance(labels, dict) else []):
            if label is INVALID:
                continue
            if int(key) not in values:
                problems.add((*path, "etiketter", key), f"etiketten för {int(key)} ligger utanför skalan {low}–{high}")
            else:
                values[int(key)] = " ".join(str(label).split())
        return values
    if labels is not None:
        problems.add((*path, "etiketter"), "'etiketter' används med varden: {min: …, max: …}; skriv annars etiketterna direkt under varden")
    values = {}
    for key, label in varden.items():
        if label is not INVALID and _INTEGER.match(key):
            values[int(key)] = "" if label is None else " ".join(str(label).split())
    return values or None


def positive_values(raw: Any, values: dict[int, str], path: KeyPath, problems: LocatedProblems) -> frozenset[int]:
    """The values ``positiva`` selects; the top two (the top one on a scale of fewer than four values) if not given."""
    ordered = sorted(values)
    if raw is None:
        return frozenset(ordered[-2:] if len(ordered) >= 4 else ordered[-1:])
    chosen: set[int] = set()
    outside: list[int] = []
    for item in as_list(raw):
        if isinstance(item, bool) or item is INVALID or item is None:
            continue
        text = str(item)
        condition, span = _CONDITION.match(text), _RANGE.match(text)
        if condition:
            selected = {v for v in ordered if _holds(v, condition.group(1), int(condition.group(2)))}
            if not selected:
                problems.add(path, f"'positiva' ({text.strip()}) omfattar inga av skalans värden ({ordered[0]}–{ordered[-1]})")
            chosen |= selected
            continue
        low, high = (int(span.group(1)), int(span.group(2))) if span else (int(text), int(text))
        if low > high:
            problems.add(path, f"'positiva' ({text.strip()}): skriv det lägsta värdet först, t.ex. {high}–{low}")
        for value in range(low, high + 1) if high - low < MAX_VALUES else ():
            (chosen.add if value in values else outside.append)(value)
    if outside:
        problems.add(path, f"'positiva' innehåller värden som inte finns i skalan: {sorted(set(outside))}")
    return frozenset(chosen)


def _holds(value: int, operator: str, bound: int) -> bool:
    return {
        ">=": value >= bound, "≥": value >= bound, ">": value > bound,
        "<=": value <= bound, "≤": value <= bound, "<": value < bound, "=": value == bound,
    }[operator]  # fmt: skip


def _check_comparable(found: ScaleSet, problems: LocatedProblems) -> None:
    for name, scale in found.scales.items():
        where = found.paths[name]
        for other in sorted(scale.comparable):
            if not found.known(other, (*where, "jamforbar_med"), f"'jamforbar_med' under skalan '{name}' anger", problems):
                continue
            partner = found.scales.get(other)
            if partner is None:
                continue
            if scale.nominal or partner.nominal:
                problems.add((*where, "jamforbar_med"), f"skalorna '{name}' och '{other}' kan inte vara jämförbara: en nominal skala ingår aldrig i ett index")
            elif set(scale.values) != set(partner.values):
                problems.add(
                    (*where, "jamforbar_med"),
                    f"skalorna '{name}' ({_span(scale)}) och '{other}' ({_span(partner)}) anges som jämförbara men har olika värden",
                )


def _span(scale: Scale) -> str:
    ordered = sorted(scale.values)
    return f"{ordered[0]}–{ordered[-1]}" if ordered == list(range(ordered[0], ordered[-1] + 1)) else ", ".join(map(str, ordered))


def comparable(first: Scale, second: Scale) -> bool:
    """Whether an index may combine questions on these two scales: the same one, or declared comparable (either way)."""
    return first.name == second.name or second.name in first.comparable or first.name in second.comparable
