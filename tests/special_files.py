"""Special files put where a user's file should be (a named pipe, a folder, a link to /dev/zero), and a time
limit for calls that might block on them: shared by the input-guard tests."""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
from pathlib import Path

import pytest

__all__ = ["special", "within"]


def special(path: Path, kind: str) -> Path:
    """Replace ``path`` (if anything is there) by a named pipe (``pipe``), a folder (``mapp``) or a link to
    /dev/zero (``enhet``)."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "pipe":
        os.mkfifo(path)
    elif kind == "mapp":
        path.mkdir()
    else:
        path.symlink_to("/dev/zero")
    return path


def _unblock(path: Path) -> None:
    """Open ``path`` for writing without waiting, so a reader blocked in opening the pipe gets end-of-file."""
    with contextlib.suppress(OSError):
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))


def within(call, path: Path | None = None, seconds: float = 20):
    """``call()`` in a thread; fail instead of hanging when it blocks (as opening a pipe does), unblocking the
    pipe at ``path`` afterwards so the thread ends."""
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["value"] = call()
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            outcome["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        if path is not None:
            _unblock(path)
            thread.join(5)
        pytest.fail(f"the call blocked on {path}: the path was opened before it was checked")
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]
