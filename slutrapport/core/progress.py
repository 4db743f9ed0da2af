"""Progress of long work, told step by step to whoever shows it (the terminal, one day the web page).

A step is a short Swedish text ("Läser enkätfil 2 av 3 (enkat2.csv)",
"Analyserar", "Skriver filerna"). The functions that do long work
(:func:`~slutrapport.pipeline.build.compare_files`, ``build_project``,
``build_portfolio``, and below them ``read_waves`` and ``portfolio_outputs``)
take a ``progress`` callable that is given each step; when none is given they
tell the one set for the current call with :func:`reporting` (the command
line sets one for the terminal), else nobody (:func:`no_progress`). Nothing
here prints: showing a step is the caller's business.

This module imports nothing heavy, so the command line can set a progress up
before it loads the library.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from contextvars import ContextVar

from slutrapport.core.scoped import within

__all__ = ["Progress", "no_progress", "reporting", "progress_of", "reading_step", "ANALYSING", "WRITING", "COLLECTING"]

#: Told each step's text as the work reaches it.
Progress = Callable[[str], None]

ANALYSING = "Analyserar"
WRITING = "Skriver filerna"
COLLECTING = "Läser rapportfilerna"

_CURRENT: ContextVar[Progress | None] = ContextVar("slutrapport_progress", default=None)


def no_progress(step: str) -> None:
    """The progress of work nobody watches: every step is dropped."""


def reporting(progress: Progress) -> AbstractContextManager[Progress]:
    """Within the block, work not given a ``progress`` tells its steps to ``progress``."""
    return within(_CURRENT, progress)


def progress_of(progress: Progress | None = None) -> Progress:
    """``progress`` when given, else the one set by :func:`reporting`, else :func:`no_progress`."""
    return progress or _CURRENT.get() or no_progress


def reading_step(number: int, total: int, name: str) -> str:
    """The step of reading one survey file: "Läser enkätfil 2 av 3 (enkat2.csv)"."""
    return f"Läser enkätfil {number} av {total} ({name})"
