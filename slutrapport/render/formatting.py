"""Swedish number formatting for reports: decimal comma, percent with a space."""

from __future__ import annotations

import math

from slutrapport.core.rounding import largest_remainder
from slutrapport.core.swedish import format_money, format_number, format_percent
from slutrapport.report.model import (
    COUNT,
    DIFF_MEAN,
    DIFF_SHARE,
    EFFECT,
    INTERVAL,
    MEAN,
    MONEY,
    PERCENT,
    PVALUE,
    SHARE,
)

__all__ = ["format_value", "format_number", "largest_remainder"]


def format_value(value: object, kind: str) -> str:
    """Format a model value; ``None`` and NaN become an empty string."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if kind == COUNT:
        return format_number(float(value), 0)
    if kind == MEAN:
        return format_number(float(value), 1)
    if kind == SHARE:
        return format_percent(float(value))
    if kind == PERCENT:
        return f"{int(value)}\u00a0%"
    if kind == DIFF_MEAN:
        return _signed(format_number(float(value), 1), float(value))
    if kind == DIFF_SHARE:
        return _signed(format_number(100 * float(value), 0), float(value)) + "\u00a0p.e."
    if kind == EFFECT:
        return _signed(format_number(float(value), 2), float(value))
    if kind == PVALUE:
        return "<\u00a00,001" if float(value) < 0.001 else format_number(float(value), 3)
    if kind == INTERVAL:
        low, high = value
        if any(v is None or math.isnan(v) for v in (low, high)):
            return ""
        low_text, high_text = (format_number(100 * v, 0).replace("-", "−") for v in (low, high))
        return f"{low_text} till {high_text}\u00a0p.e."
    if kind == MONEY:
        return format_money(float(value))
    return str(value)


def _signed(text: str, value: float) -> str:
    """Explicit sign with a real minus sign: +0,4 / −0,4 / 0,0."""
    if text.strip("−-+0,\u00a0") == "":
        return text.lstrip("-")
    return ("+" + text) if value > 0 else text.replace("-", "−")
