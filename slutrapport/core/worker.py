"""One worker process per run, for the work that can run beside this process.

A large survey's run keeps one core busy; a second core is idle while this
process reads, analyses and writes. :class:`Worker` owns one worker process
(the ``spawn`` start method, never ``fork``: the web page runs its work in
threads) for a run: the charts are drawn there
(:mod:`slutrapport.render.drawing_pool`, which starts it), and the analysis
hands it work whose inputs are small to send (:func:`beside`: the trend
models' REML search, :mod:`slutrapport.analysis.trend`). Work done there runs
the same code on the same numbers, so its results are the same to the last
bit; when the worker cannot start, dies or fails, the work is done here.

The environment variable ``SLUTRAPPORT_PROCESSER`` sets how many processes a
run may use (:func:`processes`): ``1`` does everything in this process.
"""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor, wait
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from slutrapport.core.errors import SlutrapportError
from slutrapport.core.scoped import within

__all__ = ["ENVIRONMENT", "PATIENCE", "SEND_BYTES", "Worker", "beside", "beside_parts", "current_worker", "processes", "run_with"]

#: The environment variable with the most processes a run may use (``1``: no worker process).
ENVIRONMENT = "SLUTRAPPORT_PROCESSER"
#: Seconds to wait for the worker's result of a piece of work before doing it here.
PATIENCE = 300.0
#: The most bytes of arrays worth sending to the worker in one piece (callers of :func:`beside` compare
#: what they would send): more is held here while it is pickled and sent (about twice over while the
#: pickle grows) and again there, memory a large run cannot spare for the seconds it saves. The tidy
#: table of 3 waves × 20,000 people × 37 questions is 63 MB, its trends' mixed models about 37 MB.
SEND_BYTES = 150_000_000
_POLL = 0.5  # seconds between looks at whether the worker was closed while its result is awaited

T = TypeVar("T")
_KEYS = itertools.count()  # of what :func:`beside_parts` keeps in the worker
_KEPT: dict[int, tuple] = {}  # in the worker: the shared arguments of the parts of a :func:`beside_parts`
_CURRENT: ContextVar[Worker | None] = ContextVar("slutrapport_worker", default=None)


def processes() -> int:
    """The most processes a run may use: ``SLUTRAPPORT_PROCESSER`` when set, else the cores this process may run on."""
    value = os.environ.get(ENVIRONMENT, "").strip()
    if not value:
        try:
            return len(os.sched_getaffinity(0))
        except (AttributeError, OSError):  # not on every platform
            return os.cpu_count() or 1
    if not value.isdigit() or int(value) < 1:
        raise SlutrapportError(f"Miljövariabeln {ENVIRONMENT} ska vara ett heltal från 1 (1 = bara en process), inte '{value}'.")
    return int(value)


def current_worker() -> Worker | None:
    """The worker of the run this code runs in (:func:`run_with`), None outside one."""
    return _CURRENT.get()


def run_with(worker: Worker) -> AbstractContextManager[Worker]:
    """Within the ``with`` block, :func:`current_worker` is ``worker`` (which the caller closes)."""
    return within(_CURRENT, worker)


def beside(function: Callable[..., T], *args: Any, send: bool = True) -> Callable[[], T]:
    """``function(*args)`` sent to the current run's worker when it has one :meth:`~Worker.ready` (and
    ``send``), else computed here at once (so that its inputs need not be kept); returns the function that
    gives its result: the worker's, or computed here (when the worker failed, died, was closed or gave no
    answer within :data:`PATIENCE`). ``function`` must be a module's function and ``args`` must pickle; a
    worker runs the same code, so the result is the same."""
    worker = current_worker()
    if not (send and worker is not None and worker.ready()):
        done = function(*args)
        return lambda: done
    future = worker.submit(function, *args)
    return lambda: _awaited(worker, future, lambda: function(*args))


def beside_parts(function: Callable[..., T], shared: tuple, parts: list[Any], *, send: bool = True) -> Callable[[], list[T]]:
    """``[function(*shared, part) for part in parts]``, shared between the worker and this process: sent to
    the current run's worker as in :func:`beside` (``shared`` pickled once, kept there while its parts are
    done, one after another), else computed here at once; returns the function that gives the list.

    When the list is asked for, this process does the parts the worker has not started yet, from the
    last, while the worker does the first ones, so that neither waits for the other. Each part is done
    once: whoever starts it first claims it (an empty file made with ``O_EXCL``, atomic between the two
    processes; futures are not cancelled, which a pool that breaks afterwards does not survive in Python
    3.11). A part the worker could not do (it failed, died or was closed) is done here. Each part is done
    by the same code on the same numbers wherever it is done, so the list is the same.
    """
    worker = current_worker()
    claims = _claims() if send and parts and worker is not None and worker.ready() else None
    if claims is None:
        done = [function(*shared, part) for part in parts]
        return lambda: done
    key = next(_KEYS)
    worker.submit(_keep, key, shared)
    futures = [worker.submit(_part, key, claims, k, function, part) for k, part in enumerate(parts)]
    worker.submit(_forget, key)

    def results() -> list[T]:
        found: list[Any] = [None] * len(parts)
        here = len(parts)  # the parts from here on are done in this process
        try:
            while here > 0 and _claim(claims, here - 1):  # not started there: done here, the last first
                here -= 1
                found[here] = function(*shared, parts[here])
        finally:
            shutil.rmtree(claims, ignore_errors=True)  # (a part the worker has not come to is then not its)
        for k in range(here):  # the worker claimed these (it claims in order)
            found[k] = _awaited(worker, futures[k], lambda k=k: function(*shared, parts[k]))
        return found

    weakref.finalize(results, shutil.rmtree, claims, True)  # never asked for (an error in between): no folder left
    return results


def _claims() -> str | None:
    """A new empty folder for the claims of a :func:`beside_parts`; None when none can be made (then all is done here)."""
    try:
        return tempfile.mkdtemp(prefix="slutrapport-")
    except OSError:
        return None


def _claim(claims: str, part: int) -> bool:
    """Claim part ``part`` of a :func:`beside_parts` (in either process): False when the other has claimed it,
    or the claims are gone (this process has done what the worker had not started)."""
    try:
        os.close(os.open(os.path.join(claims, str(part)), os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except OSError:
        return False
    return True


def _awaited(worker: Worker, future: Future, here: Callable[[], T]) -> T:
    """The worker's result of ``future``, or ``here()`` when it failed, died, was closed or took longer than :data:`PATIENCE`."""
    deadline = time.monotonic() + PATIENCE
    while not future.done() and not worker.closed and time.monotonic() < deadline:
        wait([future], timeout=_POLL)
    if future.done():
        try:
            return future.result()
        except Exception:  # not sent (pickling), the worker died or failed: computed here, where an error is raised again
            pass
    return here()


def _keep(key: int, shared: tuple) -> None:
    """In the worker: keep the shared arguments of :func:`beside_parts`' parts until :func:`_forget`."""
    _KEPT[key] = shared


def _part(key: int, claims: str, k: int, function: Callable[..., T], part: Any) -> T | None:
    """In the worker: part ``k`` of a :func:`beside_parts`, unless this process has claimed it (then None, not used)."""
    return function(*_KEPT[key], part) if _claim(claims, k) else None


def _forget(key: int) -> None:
    _KEPT.pop(key, None)


class Worker:
    """One run's worker process: started on :meth:`start` (its first task ``warm_up``, which imports what
    it will need), given work by :meth:`submit`, ended by :meth:`close`."""

    def __init__(self, allowed: bool, warm_up: Callable[[], Any] | None = None) -> None:
        self.allowed = allowed
        self.broken = self.closed = False
        self.warm: Future | None = None
        self._warm_up = warm_up or os.getpid
        self._executor: ProcessPoolExecutor | None = None
        self._futures: list[Future] = []
        self._lock = threading.Lock()

    def start(self) -> bool:
        """Start the process (running ``warm_up``) when allowed and not started; False when it cannot start."""
        with self._lock:
            if self._executor is None and self.allowed and not (self.broken or self.closed):
                import multiprocessing

                try:
                    self._executor = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
                    with _interrupts_ignored():
                        self.warm = self._executor.submit(_first_task, os.getpid(), self._warm_up)  # starts the process
                except Exception:  # no semaphores (/dev/shm), no processes allowed, no interpreter to start: done here
                    self.broken = True
                    if self._executor is not None:
                        self._executor.shutdown(wait=False, cancel_futures=True)
                    self._executor = None
            return self._executor is not None

    def ready(self) -> bool:
        """Started, done with ``warm_up`` and not known to have failed: work handed to it now starts at once
        (unless other work is queued)."""
        warm = self.warm
        return self._executor is not None and not self.broken and warm is not None and warm.done() and not warm.cancelled() and warm.exception() is None

    def submit(self, function: Callable[..., T], *args: Any) -> Future:
        """``function(*args)`` queued for the process (started if need be); a future that fails when the
        process cannot start or the pool is shut down or broken."""
        if not self.start():
            return _failed(RuntimeError("no worker process"))
        try:
            future = self._executor.submit(function, *args)  # type: ignore[union-attr]
        except Exception as error:  # shut down or broken
            self.broken = True
            return _failed(error)
        self._futures.append(future)
        return future

    def close(self) -> None:
        """End the process. Nothing is waited for: not work still running or queued (a run stopped by an
        error, or a start that was not needed), nor the process's own ending (freeing what it holds, a
        few tenths of a second for a large survey's): it is stopped."""
        with self._lock:
            self.closed = True
            executor, self._executor = self._executor, None
        if executor is None:
            return
        workers = list((getattr(executor, "_processes", None) or {}).values())  # shutdown forgets them
        executor.shutdown(wait=False, cancel_futures=True)
        for process in workers:
            process.terminate()


def _first_task(parent: int, warm_up: Callable[[], Any]) -> Any:
    """In the worker: watch the parent (a thread), then ``warm_up``."""
    threading.Thread(target=_watch_parent, args=(parent,), name="slutrapport-parent", daemon=True).start()
    return warm_up()


def _watch_parent(parent: int) -> None:
    """In the worker: end it when its parent has ended without ending it (killed, or ended by ``os._exit``),
    so that no worker is left waiting for work that never comes."""
    while os.getppid() == parent:
        time.sleep(_POLL)
    os._exit(1)


def _failed(error: BaseException) -> Future:
    future: Future = Future()
    future.set_exception(error if isinstance(error, Exception) else CancelledError())
    return future


@contextmanager
def _interrupts_ignored() -> Iterator[None]:
    """Ctrl-C ignored while the worker starts (in the main thread: elsewhere signals cannot be set), so the
    worker starts with it ignored and never prints a traceback of its own; this process handles it and
    ends the worker."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    import signal

    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
