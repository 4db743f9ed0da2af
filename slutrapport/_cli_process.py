"""The console script's own process: how Python's cycle collector runs in it, and how it ends.

Only ``slutrapport``'s command line (:func:`slutrapport.cli.main`) uses this;
the library leaves the collector and the interpreter's ending as they are.
"""

from __future__ import annotations

import atexit
import gc
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

__all__ = ["command_line_process", "exit_at_once"]


@contextmanager
def command_line_process() -> Iterator[None]:
    """Around the whole command: full collections rarer, and the process ended at once (:func:`exit_at_once`)
    when the command exits (``sys.exit``, as click ends every command)."""
    _full_collections_rarer()
    try:
        yield
    except SystemExit as done:
        exit_at_once(done.code)


def _full_collections_rarer() -> None:
    """Python's cycle collector walks every object after 1,000 younger collections instead of 10 (as mypy
    raises its thresholds; full collections were 4 % of a large comparison)."""
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, 1000)


def exit_at_once(code: object) -> NoReturn:
    """End the process as ``sys.exit(code)`` would, without freeing every object one by one first (as mypy
    ends: a large comparison's tables took a few tenths of a second to free). The exit handlers run first
    (:mod:`multiprocessing`'s among them, which releases the worker process's semaphores), and the output
    streams are flushed; when flushing fails (a closed pipe) the process ends as usual, which reports it."""
    if code is None or isinstance(code, int):
        status = code or 0
    else:  # sys.exit("text"): the text on stderr, status 1
        print(code, file=sys.stderr)
        status = 1
    atexit._run_exitfuncs()  # (what the interpreter's own ending would run)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        raise SystemExit(status) from None
    os._exit(status)
