"""Swedish number formatting for reports: decimal comma, percent with a space."""

from __future__ import annotations

import math

from ..swedish import format_money, format_number, format_percent
from .model import COUNT, DIFF_MEAN, DIFF_SHARE, EFFECT, INTERVAL, MEAN, MONEY, PERCENT, PVALUE, SHARE

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


def largest_remainder(shares: list[float], total: int = 100) -> list[int]:
    """Round shares (summing to 1) to whole percents that add up to ``total``.

    Hamilton's largest-remainder method: floor every part, then give the
    remaining points to the parts with the largest fractional remainders
    (ties to the earlier part). ``[1/3, 1/3, 1/3]`` → ``[34, 33, 33]``.
    """
    if not shares:
        return []
    exact = [s * total for s in shares]
    floors = [math.floor(x + 1e-9) for x in exact]
    missing = round(sum(exact)) - sum(floors)
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[: max(missing, 0)]:
        floors[i] += 1
    return floors
