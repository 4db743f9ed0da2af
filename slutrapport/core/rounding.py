"""Whole percents that add up: the rounding tables and charts share."""

from __future__ import annotations

import math

__all__ = ["largest_remainder"]


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
