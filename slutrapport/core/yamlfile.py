"""YAML files written by users (project, instrument, template, column map): one way to read them."""

from __future__ import annotations

from typing import Any

import yaml

from slutrapport.core.errors import SlutrapportError

__all__ = ["parse_yaml", "yaml_flag", "FLAG_WORDS"]


def parse_yaml(text: str, what: str, error: type[SlutrapportError]) -> Any:
    """``yaml.safe_load(text)``; invalid YAML raises ``error`` naming ``what`` and the row and column."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" rad {mark.line + 1}, kolumn {mark.column + 1}" if mark else ""
        raise error(f"{what}{where}: filen är inte giltig YAML ({getattr(exc, 'problem', None) or exc}).") from exc


#: The words a yes/no setting may be written with besides YAML's own true/false.
FLAG_WORDS = {"true": True, "false": False, "ja": True, "nej": False}


def yaml_flag(value: Any, default: bool, where: str, problems: list[str]) -> bool:
    """A yes/no setting read strictly: YAML true/false, or the words ``ja``/``nej``/``true``/``false``.

    Anything else (``"0"``, ``1``, ``"kanske"``) is a problem naming ``where`` and the
    value, and the default is used meanwhile: ``bool("false")`` is True, so a flag is
    never read by truthiness.
    """
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in FLAG_WORDS:
        return FLAG_WORDS[value.strip().lower()]
    problems.append(f"{where} ska vara true eller false (ja eller nej), fick '{value}'")
    return default
