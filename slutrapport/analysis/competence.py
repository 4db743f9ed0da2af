"""Socialstyrelsen's competence-development tables, from the project file.

- :func:`categorisation_groups`: the tick-box lists of section 3.4 as the
  template's data gives them (captions, option labels and the free-text
  "Ange vad!" options verbatim; see ``block_installningar: kategorisering:``).
- :func:`categorisation`: one row per option with ``vald`` true/false and the
  project's own text of a free-text option.
- :func:`training_volume`: section 4 "Utbildningarnas omfattning", one row per
  course-length band plus a total row. A count may be approximate ("ca 60",
  "cirka 60", "ungefär 60", "~60"): it is kept as written and marked, and a
  total over an approximate count is approximate too.

Both validate the project's ``kompetenssatsning:`` entries and raise
:class:`ProjectError` naming the key and value of every problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from slutrapport.core.errors import ProjectError, problem_list
from slutrapport.core.text import normalise

__all__ = [
    "Option",
    "Group",
    "TrainingVolume",
    "categorisation_groups",
    "categorisation",
    "training_volume",
    "volume_bands",
    "parse_count",
    "APPROXIMATE_PATTERN",
    "MAX_COUNT",
    "CATEGORISATION_COLUMNS",
    "VOLUME_COLUMNS",
    "VOLUME_LONG_COLUMNS",
    "TOTAL",
]

#: Columns of :func:`categorisation`: the group's id, the option's label as the template gives it,
#: whether it is ticked and the project's own text of a free-text option ("Ange vad!"), else None.
CATEGORISATION_COLUMNS = ["grupp", "alternativ", "vald", "ange"]
#: Columns of :attr:`TrainingVolume.table`; the project file uses the same keys.
VOLUME_COLUMNS = ["kurslangd", "kursdagar", "deltagare", "landsting", "kommun", "annan", "utan_hogskoleexamen"]
#: Columns of :attr:`TrainingVolume.long`: one row per band and count, ``ungefarligt`` true for an approximate count.
VOLUME_LONG_COLUMNS = ["kurslangd", "matt", "antal", "ungefarligt"]
_COUNTS = VOLUME_COLUMNS[1:]
TOTAL = "Totalt"
MAX_COUNT = 1_000_000
#: An approximate count as projekt.yaml may write it: ca, ca., c:a, cirka, ungefär or ~ and a whole number
#: (thousands may be separated by a space). The schema (projekt.schema.json, ``ungefarligt_antal``) has the same pattern.
APPROXIMATE_PATTERN = r"^\s*([Cc][Aa]\.?|[Cc]:[Aa]|[Cc][Ii][Rr][Kk][Aa]|[Uu][Nn][Gg][Ee][Ff][ÄäAa][Rr]|~)\s*([0-9]{1,3}( [0-9]{3})+|[0-9]+)\s*$"
_APPROXIMATE = re.compile(APPROXIMATE_PATTERN)
_DASHES = str.maketrans("‐‑‒–—−", "------")


@dataclass(frozen=True)
class Option:
    """One tick box: ``label`` verbatim; ``aliases`` other ways projekt.yaml may name it;
    ``specify`` true for a free-text box ("Annat innehåll? Ange vad!")."""

    label: str
    aliases: tuple[str, ...] = ()
    specify: bool = False

    def names(self) -> list[str]:
        return [self.label, *self.aliases]


@dataclass(frozen=True)
class Group:
    """One list of tick boxes: ``caption`` verbatim (``{ar}`` stands for the report's year),
    ``focus`` the group's own words ("perspektiv och metoder"), ``aliases`` other names in projekt.yaml."""

    id: str
    caption: str
    options: tuple[Option, ...]
    focus: str = ""
    aliases: tuple[str, ...] = ()

    def names(self) -> list[str]:
        return [self.id, self.focus, *self.aliases]


def _texts(raw: Any) -> tuple[str, ...]:
    values = raw if isinstance(raw, list) else ([] if raw is None else [raw])
    return tuple(str(v) for v in values if v is not None and str(v).strip())


def _option(raw: Any) -> Option:
    if isinstance(raw, dict):
        return Option(str(raw.get("etikett", "")), _texts(raw.get("alias")), raw.get("ange") is True)
    return Option(str(raw))


def categorisation_groups(settings: dict[str, Any]) -> tuple[list[Group], str]:
    """The groups of tick boxes and the label of the tick column, from the template's settings.

    ``settings`` is ``block_installningar: kategorisering:``: ``grupper:`` (a list
    of ``{id, rubrik, fokus, alias, alternativ}``, each option a label or
    ``{etikett, alias, ange}``) and ``kryss:`` (the tick column's label); any
    other key is a group in the older form ``Grupp: [alternativ, …]``.
    """
    groups: list[Group] = []
    for raw in settings.get("grupper") or []:
        if isinstance(raw, dict):
            options = tuple(_option(o) for o in raw.get("alternativ") or [])
            groups.append(Group(str(raw.get("id", "")), str(raw.get("rubrik", "")), options, str(raw.get("fokus") or ""), _texts(raw.get("alias"))))
    for name, options in settings.items():
        if name not in ("grupper", "kryss") and isinstance(options, list):
            groups.append(Group(str(name), str(name), tuple(_option(o) for o in options)))
    return groups, str(settings.get("kryss") or "Ingår")


def _ticked_items(labels: Any) -> list[tuple[Any, Any, bool]]:
    """``(label, own text, has text key)`` per entry of one group's list in projekt.yaml."""
    items = labels if isinstance(labels, list) else ([] if labels is None else [labels])
    out = []
    for item in items:
        if isinstance(item, dict):
            out += [(key, value, True) for key, value in item.items()]
        else:
            out.append((item, None, False))
    return out


def categorisation(groups: list[Group], ticked: Any, source: str) -> pd.DataFrame | None:
    """Every option of the template's groups with whether the project ticked it.

    Parameters
    ----------
    groups : list of Group
        From :func:`categorisation_groups`.
    ticked : dict or None
        The project's ``kategorisering:``: group (its id, focus or alias) → list of
        ticked options (label or alias). A free-text option is written
        ``- Annat: "vad"``. Names are matched ignoring case, spacing and trailing
        punctuation; an unknown name is an error.
    source : str
        Where ``ticked`` comes from, for messages.

    Returns
    -------
    DataFrame or None
        :data:`CATEGORISATION_COLUMNS`, groups and options in the template's order; None when nothing is filled in.
    """
    if not ticked:
        return None
    valid = ", ".join(g.focus or g.id for g in groups)
    if not isinstance(ticked, dict):
        raise ProjectError(f"{source}: 'kategorisering' ska ha en lista per grupp ({valid}).")
    problems = []
    by_name = {normalise(name): group for group in groups for name in group.names() if name}
    chosen: dict[tuple[str, str], str | None] = {}
    for group_name, labels in ticked.items():
        group = by_name.get(normalise(group_name))
        if group is None:
            problems.append(f"okänd grupp '{group_name}' under kategorisering (giltiga: {valid})")
            continue
        known = {normalise(name): option for option in group.options for name in option.names()}
        for label, text, has_text in _ticked_items(labels):
            option = known.get(normalise(label))
            where = f"under kategorisering: {group_name}"
            if option is None:
                problems.append(f"okänt alternativ '{label}' {where} (giltiga: {', '.join(o.label for o in group.options)})")
            elif has_text and not option.specify:
                problems.append(f"alternativet '{label}' {where} har inget fält för egen text; skriv bara - {label}")
            elif has_text and text is not None and (isinstance(text, (dict, list, bool)) or not str(text).strip()):
                problems.append(f"'{label}' {where} ska följas av en text (vad), fick {text!r}")
            else:
                own = None if text is None else str(text).strip()
                chosen[(group.id, option.label)] = own or chosen.get((group.id, option.label))
    if problems:
        raise ProjectError(problem_list(source, problems))
    if not chosen:
        return None
    rows = [(group.id, option.label, (group.id, option.label) in chosen, chosen.get((group.id, option.label))) for group in groups for option in group.options]
    table = pd.DataFrame(rows, columns=CATEGORISATION_COLUMNS)
    table["ange"] = pd.Series([row[3] for row in rows], dtype=object)  # None, not NaN, where there is no text
    return table


def parse_count(value: Any) -> tuple[int, bool] | None:
    """``(number, approximate)`` of a count in projekt.yaml; None when it is neither a whole number 0–1 000 000
    nor an approximate one ("ca 60", "Cirka 60", "ungefär 1 200", "~60", see :data:`APPROXIMATE_PATTERN`)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return (value, False) if 0 <= value <= MAX_COUNT else None
    if isinstance(value, str):
        match = _APPROXIMATE.match(value)
        if match:
            number = int(match.group(2).replace(" ", ""))
            return (number, True) if number <= MAX_COUNT else None
    return None


def volume_bands(settings: dict[str, Any]) -> list[tuple[str, tuple[str, ...]]]:
    """``(label, aliases)`` of each course-length band of the template (``kurslangder:``, a label or ``{etikett, alias}``)."""
    bands = []
    for raw in settings.get("kurslangder") or []:
        option = _option(raw)
        bands.append((option.label, option.aliases))
    return bands


def _band_key(text: Any) -> str:
    return normalise(str(text).translate(_DASHES))


@dataclass
class TrainingVolume:
    """Section 4's table.

    ``table`` has :data:`VOLUME_COLUMNS` (whole numbers), one row per band and a
    last row :data:`TOTAL`; ``written`` holds each approximate count as the
    project wrote it, by ``(kurslangd, column)``; ``approximate`` is every
    approximate cell, the total row's included (a total over an approximate count).
    """

    table: pd.DataFrame
    written: dict[tuple[str, str], str] = field(default_factory=dict)
    approximate: set[tuple[str, str]] = field(default_factory=set)

    @property
    def long(self) -> pd.DataFrame:
        """:data:`VOLUME_LONG_COLUMNS`: one row per band (total last) and count, in the table's order."""
        rows = [(row["kurslangd"], key, int(row[key]), (row["kurslangd"], key) in self.approximate) for _, row in self.table.iterrows() for key in _COUNTS]
        return pd.DataFrame(rows, columns=VOLUME_LONG_COLUMNS)


def _check_sums(number: int, band: str, row: dict[str, int], approximate: set[str], problems: list[str]) -> None:
    """The form's sums, where every count in them is exact: an estimate is not held to a sum."""
    employers = ("landsting", "kommun", "annan")
    if not approximate & {"deltagare", *employers} and sum(row[k] for k in employers) != row["deltagare"]:
        problems.append(
            f"rad {number} ({band}): landsting + kommun + annan ({sum(row[k] for k in employers)}) ska vara lika med deltagare ({row['deltagare']})"
        )
    if not approximate & {"deltagare", "utan_hogskoleexamen"} and row["utan_hogskoleexamen"] > row["deltagare"]:
        problems.append(f"rad {number} ({band}): fler utan högskoleexamen än deltagare")


def training_volume(bands: list[tuple[str, tuple[str, ...]]], raw: Any, source: str) -> TrainingVolume | None:
    """Course days and participants per course-length band, with a total row.

    ``raw`` is the project's ``omfattning:``: a list of mappings with the keys
    of :data:`VOLUME_COLUMNS` (``kurslangd`` one of ``bands``, by label or alias;
    a hyphen and a dash are the same). A count is a whole number 0–1 000 000 or
    an approximate one ("ca 60"); ``landsting + kommun + annan`` must equal
    ``deltagare`` and ``utan_hogskoleexamen`` may not exceed it, unless one of
    the counts involved is approximate. Bands the project leaves out count as 0.
    A total is approximate when one of its terms is.

    Returns
    -------
    TrainingVolume or None
        None when nothing is filled in.
    """
    if not raw:
        return None
    if not isinstance(raw, list):
        raise ProjectError(f"{source}: 'omfattning' ska vara en lista med en rad per kurslängd.")
    problems = []
    known = {_band_key(name): label for label, aliases in bands for name in (label, *aliases)}
    labels = [label for label, _aliases in bands]
    values = {band: dict.fromkeys(_COUNTS, 0) for band in labels}
    written: dict[tuple[str, str], str] = {}
    approximate: set[tuple[str, str]] = set()
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            problems.append(f"rad {number} under omfattning ska ha nycklarna {', '.join(VOLUME_COLUMNS)}")
            continue
        band = known.get(_band_key(item.get("kurslangd", "")))
        if band is None:
            problems.append(f"rad {number}: okänd kurslängd '{item.get('kurslangd')}' (giltiga: {', '.join(labels)})")
            continue
        rough: set[str] = set()
        for key in _COUNTS:
            value = item.get(key, 0)
            parsed = parse_count(value)
            if parsed is None:
                problems.append(f"rad {number} ({band}): '{key}' ska vara ett heltal 0–1 000 000 eller ett ungefärligt antal som 'ca 60', fick {value!r}")
                parsed = (0, False)
            values[band][key] = parsed[0]
            if parsed[1]:
                rough.add(key)
                written[(band, key)] = str(value).strip()
                approximate.add((band, key))
        _check_sums(number, band, values[band], rough, problems)
    if problems:
        raise ProjectError(problem_list(source, problems))
    table = pd.DataFrame([{"kurslangd": band, **counts} for band, counts in values.items()], columns=VOLUME_COLUMNS)
    total = {"kurslangd": TOTAL, **{key: int(table[key].sum()) for key in _COUNTS}}
    approximate |= {(TOTAL, key) for band, key in list(approximate)}
    return TrainingVolume(pd.concat([table, pd.DataFrame([total])], ignore_index=True), written, approximate)
