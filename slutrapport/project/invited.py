"""The invited counts of a wave (``inbjudna:``) as the web page's Enkäter page writes and shows them.

The page has one text field per wave: ``Arbetsförmedlingen: 20; Socialtjänsten: 24; Alla: 59`` (organisation as it
stands in the answers, ``Alla`` for the wave's total), or only the total (``59``). :func:`parse_invited` turns the
field into the value saved under the wave in ``projekt.yaml`` (a mapping, an integer, or None to remove the key);
:func:`invited_text` shows a saved value in the field. The counts are checked against the answers when the
survey is read (:mod:`slutrapport.sources.survey.invited`).
"""

from __future__ import annotations

import re
from typing import Any

from slutrapport.core.errors import ProjectError, problem_list

__all__ = ["parse_invited", "invited_text"]

_PART = re.compile(r"^(?P<name>.+?)\s*[:=]\s*(?P<count>\S+)$")
_MAX = 10_000_000


def _count(text: str, name: str, problems: list[str]) -> int | None:
    value = "".join(text.split())
    if not value.isdigit() or int(value) > _MAX:
        problems.append(f"antalet inbjudna för {name} ska vara ett heltal 0 eller mer, inte '{text.strip()}'")
        return None
    return int(value)


def parse_invited(text: str | None, where: str = "Inbjudna") -> dict[str, int] | int | None:
    """The field's counts: ``{organisation: count}``, a total alone as an integer, or None for an empty field.

    Parts are separated by ``;`` or new lines; an organisation given twice, a part without a count or a
    count that is no whole number ≥ 0 raise :class:`ProjectError` naming every problem.
    """
    text = (text or "").strip()
    if not text:
        return None
    problems: list[str] = []
    if "".join(text.split()).isdigit():
        total = _count(text, "Alla", problems)
        if problems:
            raise ProjectError(problem_list(where, problems))
        return total
    counts: dict[str, int] = {}
    for part in re.split(r"[;\n]+", text):
        part = part.strip()
        if not part:
            continue
        match = _PART.match(part)
        if match is None:
            problems.append(f"'{part}' ska skrivas Organisation: antal")
            continue
        name = " ".join(match["name"].split())
        if name.casefold() in {k.casefold() for k in counts}:
            problems.append(f"{name} står två gånger")
            continue
        count = _count(match["count"], name, problems)
        if count is not None:
            counts[name] = count
    if problems:
        raise ProjectError(problem_list(where, problems))
    return counts or None


def invited_text(value: Any) -> str:
    """A saved ``inbjudna:`` value as the field shows it (empty when none)."""
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)
