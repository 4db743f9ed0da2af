"""A context variable set for the length of a ``with`` block: the one way the package scopes its per-run
state (the run's worker, progress, text-repair collector, chart drawing and report listener), so that
threads and nested runs (the web page) each see their own."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

__all__ = ["within"]

T = TypeVar("T")


@contextmanager
def within(variable: ContextVar[T | None], value: T) -> Iterator[T]:
    """Within the ``with`` block ``variable`` holds ``value`` (given as the block's target); afterwards what it held before."""
    token = variable.set(value)
    try:
        yield value
    finally:
        variable.reset(token)
