"""YAML files written by users (project, instrument, template, column map): one way to read them."""

from __future__ import annotations

from typing import Any

import yaml

from slutrapport.core.errors import SlutrapportError

__all__ = ["parse_yaml"]


def parse_yaml(text: str, what: str, error: type[SlutrapportError]) -> Any:
    """``yaml.safe_load(text)``; invalid YAML raises ``error`` naming ``what`` and the row and column."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" rad {mark.line + 1}, kolumn {mark.column + 1}" if mark else ""
        raise error(f"{what}{where}: filen är inte giltig YAML ({getattr(exc, 'problem', None) or exc}).") from exc
