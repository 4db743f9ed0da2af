"""Socialstyrelsen's competence-development tables, from the project file.

- :func:`categorisation`: the tick-box lists of section 3.4 (method, special
  areas, special groups), one row per option with ``vald`` true/false.
- :func:`training_volume`: section 4 "Utbildningarnas omfattning", one row per
  course-length band plus a total row.

Both validate the project's ``kompetenssatsning:`` entries and raise
:class:`ProjectError` naming the key and value of every problem.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from slutrapport.core.errors import ProjectError, problem_list
from slutrapport.core.text import normalise

__all__ = ["categorisation", "training_volume", "VOLUME_COLUMNS", "TOTAL"]

#: Columns of :func:`training_volume`; the project file uses the same keys.
VOLUME_COLUMNS = ["kurslangd", "kursdagar", "deltagare", "landsting", "kommun", "annan", "utan_hogskoleexamen"]
_COUNTS = VOLUME_COLUMNS[1:]
TOTAL = "Totalt"


def categorisation(options: dict[str, list[str]], ticked: Any, source: str) -> pd.DataFrame | None:
    """Every option of the template's lists with whether the project ticked it.

    Parameters
    ----------
    options : dict
        Group name → option labels, from the template's ``block_installningar``.
    ticked : dict or None
        The project's ``kategorisering:``: group name → list of ticked labels.
        Labels are matched ignoring case and spacing; an unknown label is an error.
    source : str
        Where ``ticked`` comes from, for messages.

    Returns
    -------
    DataFrame or None
        Columns ``grupp``, ``alternativ``, ``vald`` (bool); None when nothing is filled in.
    """
    if not ticked:
        return None
    if not isinstance(ticked, dict):
        raise ProjectError(f"{source}: 'kategorisering' ska ha en lista per grupp ({', '.join(options)}).")
    problems = []
    groups = {normalise(g): g for g in options}
    chosen: dict[str, set[str]] = {}
    for group, labels in ticked.items():
        name = groups.get(normalise(group))
        if name is None:
            problems.append(f"okänd grupp '{group}' under kategorisering (giltiga: {', '.join(options)})")
            continue
        known = {normalise(o): o for o in options[name]}
        for label in labels if isinstance(labels, list) else ([] if labels is None else [labels]):
            match = known.get(normalise(label))
            if match is None:
                problems.append(f"okänt alternativ '{label}' under {name} (giltiga: {', '.join(options[name])})")
            else:
                chosen.setdefault(name, set()).add(match)
    if problems:
        raise ProjectError(problem_list(source, problems))
    if not chosen:
        return None
    rows = [(group, option, option in chosen.get(group, set())) for group, items in options.items() for option in items]
    return pd.DataFrame(rows, columns=["grupp", "alternativ", "vald"])


def training_volume(bands: list[str], raw: Any, source: str) -> pd.DataFrame | None:
    """Course days and participants per course-length band, with a total row.

    ``raw`` is the project's ``omfattning:``: a list of mappings with the keys
    of :data:`VOLUME_COLUMNS` (``kurslangd`` one of ``bands``). Counts must be
    whole numbers ≥ 0, and ``landsting + kommun + annan`` must equal
    ``deltagare``. Bands the project leaves out count as 0.

    Returns
    -------
    DataFrame or None
        Columns :data:`VOLUME_COLUMNS`, one row per band in ``bands`` order
        and a last row ``Totalt``; None when nothing is filled in.
    """
    if not raw:
        return None
    if not isinstance(raw, list):
        raise ProjectError(f"{source}: 'omfattning' ska vara en lista med en rad per kurslängd.")
    problems = []
    known = {normalise(b): b for b in bands}
    values = {band: dict.fromkeys(_COUNTS, 0) for band in bands}
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            problems.append(f"rad {number} under omfattning ska ha nycklarna {', '.join(VOLUME_COLUMNS)}")
            continue
        band = known.get(normalise(item.get("kurslangd", "")))
        if band is None:
            problems.append(f"rad {number}: okänd kurslängd '{item.get('kurslangd')}' (giltiga: {', '.join(bands)})")
            continue
        for key in _COUNTS:
            value = item.get(key, 0)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                problems.append(f"rad {number} ({band}): '{key}' ska vara ett heltal ≥ 0, fick {value!r}")
                value = 0
            values[band][key] = value
        row = values[band]
        if row["landsting"] + row["kommun"] + row["annan"] != row["deltagare"]:
            problems.append(
                f"rad {number} ({band}): landsting + kommun + annan ({row['landsting'] + row['kommun'] + row['annan']}) "
                f"ska vara lika med deltagare ({row['deltagare']})"
            )
        if row["utan_hogskoleexamen"] > row["deltagare"]:
            problems.append(f"rad {number} ({band}): fler utan högskoleexamen än deltagare")
    if problems:
        raise ProjectError(problem_list(source, problems))
    table = pd.DataFrame([{"kurslangd": band, **counts} for band, counts in values.items()], columns=VOLUME_COLUMNS)
    total = {"kurslangd": TOTAL, **{key: int(table[key].sum()) for key in _COUNTS}}
    return pd.concat([table, pd.DataFrame([total])], ignore_index=True)
