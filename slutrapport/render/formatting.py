"""Swedish number formatting for reports: decimal comma, percent with a space."""

from __future__ import annotations

import math

from ..swedish import format_number, format_percent
from .model import COUNT, MEAN, SHARE

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
    return str(value)


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
