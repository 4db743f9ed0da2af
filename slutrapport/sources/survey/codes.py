"""Columns of cells numbered by their distinct values, as ``pandas.factorize`` numbers them, faster.

The readers' cells are text objects, and pandas' CSV parser makes one object per
distinct text of a column: :func:`factorize` tells a column's cells apart by
object (their addresses: no text hashed or compared), then the few objects by
value; :func:`factorize_together` does so for the columns of one scale's
questions at once (they share their few texts, and a column alone costs more in
calls than in hashing); :func:`factorize_keys` numbers short keys by a
dictionary. All call pandas' own hash tables, the ones ``pandas.factorize``
uses, where this pandas has them, and ``pandas.factorize`` where it has not.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["factorize", "factorize_together", "factorize_keys"]


def factorize(array: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``pandas.factorize`` of an object array (the codes, -1 where missing, and the distinct values in
    order of first appearance), the same codes and values, faster when equal texts are mostly one object.

    pandas' CSV parser makes one text object per distinct text of a column and chunk of rows, so a
    column of 20,000 answers holds a few dozen objects. The cells are first told apart by object
    (their pointers, as integers: no text hashed or compared), then the few distinct objects by
    value. Objects in order of first appearance give values in order of first appearance.

    Both steps call pandas' own hash tables, as ``pandas.factorize`` does, without its checks and
    wrapping (which cost more than the hashing of a column of a thousand answers); where a pandas
    lacks them (feature-detected), ``pandas.factorize`` is called instead.
    """
    array = np.ascontiguousarray(array, dtype=object)
    if len(array) <= _FEW_KEYS:  # a few cells: numbered by value at once
        return factorize_keys(array)
    if _INT64_TABLE is None:
        return _factorize_public(array)
    objects, by_object = _INT64_TABLE(len(array)).factorize(_pointers(array), na_sentinel=-1, na_value=None, mask=None, ignore_na=True)
    if len(objects) > len(array) // 2:  # (nearly) every cell its own object: by value at once
        return pd.factorize(array)  # (its table of texts hashes new texts faster than the table of objects)
    first = _first_cells(by_object, len(objects))
    distinct, by_value = _VALUE_TABLE(len(objects)).factorize(array[first], na_sentinel=-1, na_value=None, mask=None, ignore_na=True)
    return by_value[by_object], distinct


def factorize_together(cells: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """The cells of a 2-D object array (one column per row, ``cells[k]``; any strides: a view of a frame's block)
    numbered by one list of distinct values: the codes, of ``cells``' shape (-1 where missing), into those values,
    in order of first appearance over the columns one after another; ``None`` unless every cell is text
    (``str``), or without pandas' hash tables.

    As :func:`factorize` for each column, the cells are told apart by object first, then the few distinct
    objects by value, but for all the columns at once: the questions of one scale share their few texts,
    and each column alone costs more in calls than in hashing its cells. (Text only: equal numbers of
    other types, 1 and 1.0, are one value to a hash table but not to a reader.)
    """
    if _INT64_TABLE is None or cells.ndim != 2 or cells.dtype != object:
        return None
    pointers = _pointers(cells).reshape(-1)  # (a copy when the cells are a strided view)
    objects, by_object = _INT64_TABLE(min(len(pointers), 1024)).factorize(pointers, na_sentinel=-1, na_value=None, mask=None, ignore_na=True)
    first = _first_cells(by_object, len(objects))
    rows = max(cells.shape[1], 1)
    representatives = cells[first // rows, first % rows]
    if not all(type(value) is str for value in representatives.tolist()):
        return None
    distinct, by_value = _VALUE_TABLE(len(objects)).factorize(representatives, na_sentinel=-1, na_value=None, mask=None, ignore_na=True)
    return by_value[by_object].reshape(cells.shape), distinct


def factorize_keys(array: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``pandas.factorize`` of a short object array or of 64-bit integers (keys, row numbers): the same codes and
    distinct values, without its checks and wrapping where they cost more than the hashing. A few texts are
    numbered by a dictionary; integers by pandas' own hash table (as :func:`factorize`)."""
    if array.dtype == np.int64 and _INT64_TABLE is not None:
        distinct, codes = _INT64_TABLE(len(array)).factorize(array, na_sentinel=-1, na_value=None, mask=None, ignore_na=True)
        return codes, distinct
    if array.dtype != object or len(array) > _FEW_KEYS:
        return pd.factorize(array)
    seen: dict[str, int] = {}
    codes = []
    for value in array.tolist():
        if type(value) is not str:  # (missing values, numbers: as pandas numbers them)
            return pd.factorize(array)
        codes.append(seen.setdefault(value, len(seen)))
    return np.array(codes, dtype=np.intp), np.array(list(seen), dtype=object)


#: Object arrays up to this long are numbered by :func:`factorize_keys`'s dictionary.
_FEW_KEYS = 128


def _factorize_public(array: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`factorize` with ``pandas.factorize`` alone (a pandas without the hash tables :func:`factorize` calls)."""
    if len(array) < _BY_OBJECT_MIN:
        return pd.factorize(array)
    by_object, objects = pd.factorize(_pointers(array))
    if len(objects) > len(array) // 2:
        return pd.factorize(array)
    by_value, distinct = pd.factorize(array[_first_cells(by_object, len(objects))])
    return by_value[by_object], distinct


def _first_cells(by_object: np.ndarray, count: int) -> np.ndarray:
    """The place of the first cell of each of ``count`` objects, from the cells' codes by object (numbered in order
    of first appearance): where the running maximum of the codes reaches each."""
    return np.searchsorted(np.maximum.accumulate(by_object), np.arange(count))


def _pointers(array: np.ndarray) -> np.ndarray:
    """The cells of an object array (any shape and strides) as the objects' addresses (integers), read in place:
    a view of the same memory, which keeps ``array`` (and so its objects) while it lives."""
    view = _Addresses()
    view.cells = array
    start = array.__array_interface__["data"][0]
    view.__array_interface__ = {"data": (start, True), "shape": array.shape, "strides": array.strides, "typestr": _POINTER_TYPE.str, "version": 3}
    return np.asarray(view)


class _Addresses:
    """An object array's memory seen as integers (numpy's array interface), holding the array."""

    __slots__ = ("__array_interface__", "cells")


_POINTER_TYPE = np.dtype(np.int64)


def _hash_tables() -> tuple[type | None, type | None]:
    """pandas' hash tables of 64-bit integers and of objects, the ones ``pandas.factorize`` uses (``None``
    when this pandas has none such, or pointers are not 64-bit)."""
    try:
        from pandas._libs.hashtable import Int64HashTable, PyObjectHashTable
    except ImportError:  # pragma: no cover - an older or newer pandas
        return None, None
    if np.dtype(np.intp).itemsize != 8 or not hasattr(Int64HashTable, "factorize") or not hasattr(PyObjectHashTable, "factorize"):
        return None, None  # pragma: no cover
    return Int64HashTable, PyObjectHashTable


_INT64_TABLE, _VALUE_TABLE = _hash_tables()


#: Arrays shorter than this are factorized by value at once.
_BY_OBJECT_MIN = 1024
