"""Test cells (:class:`slutrapport.analysis.cells._Cell`) made from linking codes as texts.

A survey's cells number their codes in one sorted order shared by every cell
(:func:`slutrapport.analysis.coded._link_codes`); tests make cells one by one,
so every cell made here is renumbered when a later one brings a new code, and
all of them share the numbering of every code seen so far, in sorted order.
"""

from __future__ import annotations

import numpy as np

from slutrapport.analysis.cells import _Cell

__all__ = ["make_cell"]

_NAMES: list[str] = []
_KEPT: list[tuple[_Cell, np.ndarray]] = []


def _number(keys: np.ndarray, rank: dict[str, int]) -> np.ndarray:
    return np.array([rank[k] if k is not None else -1 for k in keys], dtype=np.int64)


def make_cell(values, positive, keys) -> _Cell:
    """A cell of ``values`` with ``positive`` flags and the linking codes ``keys`` (None: cannot be linked)."""
    keys = np.array(list(keys), dtype=object)
    new = {k for k in keys if k is not None} - set(_NAMES)
    if new:
        _NAMES[:] = sorted(set(_NAMES) | new)
    rank = {name: i for i, name in enumerate(_NAMES)}
    names = np.array([*_NAMES, None], dtype=object)
    cell = _Cell(np.asarray(values), np.asarray(positive), _number(keys, rank), names)
    if new:  # renumber the cells made before in the new order
        for earlier, earlier_keys in _KEPT:
            earlier.link = _number(earlier_keys, rank)
            earlier._names = names
            earlier._sorted = None
    _KEPT.append((cell, keys))
    if len(_KEPT) > 20000:  # a long session: cells of finished tests need no renumbering
        del _KEPT[:10000]
    return cell
