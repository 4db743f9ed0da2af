"""A report's charts drawn in a second process while this one writes the other files.

Drawing is most of the writing of a large comparison (two dozen matplotlib
figures of thirty panels each), and one Python process draws on one core.
:func:`drawing_ahead` starts the run's worker process
(:class:`~slutrapport.core.worker.Worker`: the ``spawn`` start method, never
``fork``, the web page runs its work in threads) whose imports run while this
process reads, and which the analysis also sends work to within the ``with``
block (:func:`~slutrapport.core.worker.beside`); :meth:`ChartDrawing.ahead` hands it the
report's charts in the order the writers need them (the workbook's pictures
first, then the rest as the HTML shows them). :func:`drawn_ahead`, called by
:func:`~slutrapport.render.charts.chart_png`, gives a chart's drawing from the
worker. A chart a writer needs that the worker has not started is drawn here;
one the worker is drawing is waited for, and while it would wait this process
draws the chart the worker would draw last (keeping it, with its repaired
texts, for its turn), so both cores draw until the last chart. The worker draws with the same code and settings, so the bytes are the
same as drawn here, and the texts it repaired (:mod:`slutrapport.core.safetext`)
are noted here again in the same order, when the chart is taken.

A worker is started only when it pays: at once for large input files (its
imports hidden behind the reading), else when the report has at least
:data:`MIN_CHARTS` charts. When it cannot start or dies (no ``/dev/shm``, a
sandbox without processes) every chart is drawn here, with the same output.
The environment variable ``SLUTRAPPORT_PROCESSER`` sets how many processes a
run may use: ``1`` draws everything in the one process.
"""

from __future__ import annotations

import os
import pickle
import sys
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, CancelledError, Future, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from slutrapport.core.safetext import note_repairs, with_repairs
from slutrapport.core.scoped import within
from slutrapport.core.worker import ENVIRONMENT, PATIENCE, Worker, processes, run_with
from slutrapport.report.model import CHARTS, Chart, Report, Subsection

__all__ = [
    "ENVIRONMENT",
    "EARLY_BYTES",
    "LATE_BYTES",
    "MIN_CHARTS",
    "worth_a_worker",
    "ChartDrawing",
    "drawing_ahead",
    "drawn_ahead",
    "processes",
    "charts_in_blocks",
    "charts_in_order",
]

#: Input files of at least this many bytes start the worker at once, before they are read; from
#: :data:`LATE_BYTES` on it starts only with the charts, so that its memory does not add to the analysis's peak.
EARLY_BYTES, LATE_BYTES = 4_000_000, 200_000_000
#: A report with fewer charts draws them here (a worker's start costs about as much as drawing a few).
MIN_CHARTS = 8
_IN_FLIGHT = 2  # charts handed to the worker at a time: it starts the next without waiting for this process
_GUESS, _IMPORT = 0.15, 0.4  # seconds: a chart in the worker before one is timed; importing matplotlib here
_PROTOCOL = 5  # pickle protocol of the charts handed over
_DRAWS_HERE = "slutrapport.render.chart_lines"  # imported once this process has drawn a chart

_CURRENT: ContextVar[ChartDrawing | None] = ContextVar("slutrapport_chart_drawing", default=None)


def charts_in_order(report: Report, *, pictures_only: bool = False) -> list[Any]:
    """The report's charts in document order, each once; ``pictures_only``: those the workbook shows as
    pictures (every chart but a line chart with data, which is a native Excel chart)."""
    return charts_in_blocks([block for section in report.sections for block in section.blocks], pictures_only=pictures_only)


def charts_in_blocks(blocks: list[Any], *, pictures_only: bool = False) -> list[Any]:
    """The charts among ``blocks`` and their subsections, in order, each once (``pictures_only``: as
    :func:`charts_in_order`)."""
    found: dict[int, Any] = {}

    def walk(blocks: list[Any]) -> None:
        for block in blocks:
            if isinstance(block, Subsection):
                walk(block.blocks)
            elif isinstance(block, CHARTS) and not (pictures_only and isinstance(block, Chart) and not block.data.empty):
                found.setdefault(id(block), block)

    walk(blocks)
    return list(found.values())


def drawn_ahead(chart: Any) -> bytes | None:
    """The chart's PNG from the worker of the current :func:`drawing_ahead` (its repaired texts noted here
    again), None when this process draws it: no worker, not handed to it, not started there or failed."""
    drawing = _CURRENT.get()
    return None if drawing is None else drawing.take(chart)


@contextmanager
def drawing_ahead(inputs: Iterable[Path] = (), *, early: bool = False) -> Iterator[ChartDrawing]:
    """Within the ``with`` block, :func:`drawn_ahead` takes the charts :meth:`ChartDrawing.ahead` handed to a worker.

    The worker starts at once when ``early`` or when the ``inputs`` files are at least :data:`EARLY_BYTES`
    together, unless they are :data:`LATE_BYTES` or more (then its memory would add to the analysis's peak),
    else when charts are handed to it; it ends with the block.
    """
    drawing = ChartDrawing(Worker(processes() > 1 and _may_start_processes(), _warm_up))
    size = _size(inputs)
    if drawing.allowed and (early or size >= EARLY_BYTES) and size < LATE_BYTES:
        drawing.start()
    try:
        with within(_CURRENT, drawing), run_with(drawing.worker):  # the analysis may hand it work too (:func:`~slutrapport.core.worker.beside`)
            yield drawing
    finally:
        drawing.close()


def worth_a_worker(charts: int) -> bool:
    """Whether ``charts`` charts are worth a worker process's start (at least :data:`MIN_CHARTS`)."""
    return charts >= MIN_CHARTS


def _may_start_processes() -> bool:
    """False in a daemonic process (which may not have children); an error while a worker process runs
    its parent's unguarded main module, as :mod:`multiprocessing` says itself (the script would run twice)."""
    import multiprocessing

    process = multiprocessing.current_process()
    if getattr(process, "_inheriting", False):
        raise RuntimeError(
            "A new process started its parent's main module, which ran compare_files again: call slutrapport's "
            "functions under `if __name__ == '__main__':` in a script (or set SLUTRAPPORT_PROCESSER=1)."
        )
    return not process.daemon


def _size(paths: Iterable[Path]) -> int:
    total = 0
    for path in paths:
        with suppress(OSError):  # the reading says what is wrong with it
            total += Path(path).stat().st_size
    return total


@dataclass(eq=False)
class _Job:
    chart: Any
    sent: bytes  # the chart as handed over (pickled): the worker draws this, and its drawing is the chart's only if unchanged
    state: str = "waiting"  # waiting → sent (to the worker) or taken (drawn here)
    done: threading.Event = field(default_factory=threading.Event)
    png: bytes | None = None
    texts: list[str] = field(default_factory=list)


class ChartDrawing:
    """One run's worker process and the charts handed to it (see the module docstring)."""

    def __init__(self, worker: Worker) -> None:
        self.worker = worker
        self.allowed = worker.allowed
        self._jobs: dict[int, _Job] = {}
        self._waiting: deque[_Job] = deque()
        self._lock = threading.Condition()
        self._feeder: threading.Thread | None = None
        self._closed = self._broken = False
        self._seconds: list[float] = []  # the worker's time per chart

    def start(self) -> bool:
        """Start the worker (its imports and a first small drawing); False when it cannot start."""
        return not self._broken and self.worker.start()

    def ahead(self, charts: list[Any]) -> int:
        """Hand ``charts`` to the worker in the order the writers will need them (:func:`charts_in_order`),
        each once and only one not drawn yet, when there are at least :data:`MIN_CHARTS`; how many were handed."""
        unique = self._not_handed(charts)
        if not self.allowed or self._closed or not worth_a_worker(len(unique)) or not self.start():
            return 0
        return self._hand(unique)

    def early(self, charts: list[Any]) -> int:
        """Hand ``charts`` (a report being built: :func:`~slutrapport.report.model.watching_blocks`) to the
        worker when it has been started already, however few; how many were handed. A chart changed after
        it was handed is drawn again where it is needed (:meth:`take`)."""
        unique = self._not_handed(charts)
        if not unique or not self.allowed or self._closed or self._broken or self.worker.warm is None or self.worker.broken:
            return 0
        return self._hand(unique)

    def _not_handed(self, charts: list[Any]) -> list[Any]:
        """``charts`` not drawn and not handed over yet, each once."""
        return list({id(chart): chart for chart in charts if chart.png is None and id(chart) not in self._jobs}.values())

    def _hand(self, charts: list[Any]) -> int:
        handed = 0
        with self._lock:
            for chart in charts:
                sent = _pickled(chart)
                if sent is None:  # (drawn here)
                    continue
                job = _Job(chart, sent)
                self._jobs[id(chart)] = job
                self._waiting.append(job)
                handed += 1
            if self._feeder is None:
                self._feeder = threading.Thread(target=self._feed, name="slutrapport-diagram", daemon=True)
                self._feeder.start()
            self._lock.notify_all()
        return handed

    def take(self, chart: Any) -> bytes | None:
        """The drawing of ``chart`` made ahead (by the worker, or here while waiting for it), its repaired
        texts noted now; None to draw it here now (not handed over, not started yet or failed).

        While the worker draws ``chart``, this process draws the chart the worker would draw last
        (keeping its drawing and repairs for its turn), when that pays.
        """
        job = self._jobs.get(id(chart))
        if job is None or job.chart is not chart:
            return None
        while True:
            with self._lock:
                if job.state in ("waiting", "taken"):
                    job.state = "taken"
                    if job in self._waiting:
                        self._waiting.remove(job)
                    return None
                spare = self._waiting.pop() if not job.done.is_set() and self._worth_stealing() else None
                if spare is None:
                    break
                spare.state = "ahead here"
            _draw_here(spare)
        if not job.done.wait(PATIENCE) or job.png is None or _pickled(chart) != job.sent:
            return None  # (changed since it was handed over: drawn here as it is now)
        note_repairs(job.texts)  # noted in this process's collector, as drawing it now would have
        return job.png

    def _worth_stealing(self) -> bool:
        """Whether this process should draw a waiting chart rather than wait: when it has drawn before, or
        when the waiting charts take the worker longer than this process needs to import matplotlib."""
        if not self._waiting:
            return False
        if _DRAWS_HERE in sys.modules:
            return True
        seconds = sum(self._seconds) / len(self._seconds) if self._seconds else _GUESS
        return len(self._waiting) * seconds > _IMPORT

    def close(self) -> None:
        """End the worker; a chart still waiting is drawn here."""
        with self._lock:
            self._closed = True
            for job in self._waiting:
                job.done.set()
            self._waiting.clear()
            self._lock.notify_all()
        self.worker.close()  # a chart being drawn (a run stopped by an error) is not waited for

    def _feed(self) -> None:
        """Keep :data:`_IN_FLIGHT` charts with the worker and put each drawing on its job (this thread's loop).
        None is handed over before the worker has started: until then this process draws every chart it needs."""
        try:
            self.worker.warm.result()  # type: ignore[union-attr]
        except BaseException:  # it could not start: every chart is drawn here
            with self._lock:
                self._broken = True
                for job in self._waiting:
                    job.done.set()
            return
        sent: dict[Future, _Job] = {}
        while True:
            with self._lock:
                while len(sent) < _IN_FLIGHT and self._waiting and not (self._closed or self._broken):
                    job = self._waiting.popleft()
                    job.state = "sent"
                    sent[self.worker.submit(_draw, job.sent)] = job  # fails when the pool is shut down or broken
                if not sent:
                    if self._closed or self._broken:
                        return
                    self._lock.wait()
                    continue
            finished, _ = wait(list(sent), return_when=FIRST_COMPLETED)
            for future in finished:
                job = sent.pop(future)
                try:
                    job.png, job.texts, seconds = future.result()
                    self._seconds.append(seconds)
                except (BrokenProcessPool, CancelledError):  # the worker died or was stopped: drawn here
                    self._give_up(job)
                except Exception:  # this chart is drawn here, where a real error is raised again
                    pass
                job.done.set()

    def _give_up(self, job: _Job) -> None:
        """The worker failed: this chart and every waiting one are drawn here (called holding the lock or not)."""
        self._broken = True
        job.done.set()
        for waiting in list(self._waiting):
            waiting.done.set()


def _pickled(chart: Any) -> bytes | None:
    """The chart as it is handed to the worker; None when it cannot be pickled."""
    try:
        return pickle.dumps(chart, protocol=_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):
        return None


def _warm_up() -> int:
    """The worker's first task: import what drawing needs and draw a small text (loads the font); Ctrl-C is
    left to the parent, which ends the worker (where the worker did not start with it ignored)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import matplotlib.figure
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from slutrapport.render import chart_bars, chart_lines  # noqa: F401  (imported now, not at the first chart)

    figure = matplotlib.figure.Figure(figsize=(1, 1), dpi=50)
    figure.text(0.5, 0.5, "Åå 1,5")
    FigureCanvasAgg(figure).draw()
    return os.getpid()


def _draw(sent: bytes) -> tuple[bytes, list[str], float]:
    """In the worker: the PNG of the chart ``sent`` (pickled), the texts repaired while drawing it (in order) and the seconds it took."""
    from slutrapport.render.charts import chart_png

    start = time.perf_counter()
    png, texts = with_repairs(chart_png, pickle.loads(sent))
    return png, texts, time.perf_counter() - start


def _draw_here(job: _Job) -> None:
    """Draw a job's chart in this process ahead of its turn: its PNG and repaired texts kept on the job."""
    from slutrapport.render.charts import _draw as draw

    try:
        job.png, job.texts = with_repairs(draw, job.chart)  # its own collector: the texts are noted at the chart's turn
    except Exception:  # drawn again at its turn, where the error is raised
        job.png = None
    job.done.set()
