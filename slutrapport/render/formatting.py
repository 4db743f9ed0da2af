"""Swedish number formatting for reports: decimal comma, percent with a space."""

from __future__ import annotations

import math

from .model import COUNT, MEAN, SHARE

__all__ = ["format_value", "format_number"]

_NBSP = "\u00a0"


def format_number(value: float, decimals: int) -> str:
    text = f"{value:,.{decimals}f}"
    # 1,234.5 → 1 234,5
    return text.replace(",", _NBSP).replace(".", ",")


def format_value(value: object, kind: str) -> str:
    """Format a model value; ``None`` and NaN become an empty string."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if kind == COUNT:
        return format_number(float(value), 0)
    if kind == MEAN:
        return format_number(float(value), 1)
    if kind == SHARE:
        return f"{format_number(100 * float(value), 0)}{_NBSP}%"
    return str(value)
