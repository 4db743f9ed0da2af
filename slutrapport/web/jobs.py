"""Long work the web page starts and shows while it runs: building the report, computing the comparison.

A :class:`Job` runs in one background thread and records the steps its work
tells (:mod:`slutrapport.core.progress`, the same steps the terminal shows).
:class:`JobRegistry` keeps at most one running job per (project, kind): a
second request for the same work joins the running job instead of starting it
again. The page polls a job's :meth:`Job.status` (JSON) and shows the result
when it is done; a :class:`~slutrapport.core.errors.SlutrapportError` becomes
the job's Swedish error message, anything else a Swedish "oväntat fel".
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from slutrapport.core.errors import SlutrapportError
from slutrapport.core.progress import Progress, reporting

__all__ = ["Job", "JobRegistry", "Message", "RUNNING", "DONE", "FAILED"]

RUNNING, DONE, FAILED = "pagar", "klar", "fel"
_KEPT = 20  # finished jobs remembered (their status can still be asked for)
_LOG = logging.getLogger(__name__)

#: A result line for the page: (category as the flash messages use it: ok, info, fel; Swedish text).
Message = tuple[str, str]
#: The work of a job: told a Progress, returns the messages to show when it is done.
Work = Callable[[Progress], list[Message]]


@dataclass
class Job:
    """One run of long work: its steps so far, its state and, when done, its messages."""

    id: str
    kind: str
    project: str
    steps: list[str] = field(default_factory=list)
    state: str = RUNNING
    messages: list[Message] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None
    shown: bool = False  # the page has shown the finished job's messages once
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def running(self) -> bool:
        return self.state == RUNNING

    def step(self, text: str) -> None:
        """The :data:`~slutrapport.core.progress.Progress` of the job's work."""
        with self._lock:
            self.steps.append(str(text))

    def finish(self, state: str, messages: list[Message]) -> None:
        with self._lock:
            self.messages = list(messages)
            self.finished = time.monotonic()
            self.state = state

    def status(self) -> dict:
        """What the page's script polls: state, steps, the current step and, when done, the messages."""
        with self._lock:
            steps = list(self.steps)
            return {
                "id": self.id,
                "typ": self.kind,
                "status": self.state,
                "klar": self.state != RUNNING,
                "steg": steps,
                "aktuellt": steps[-1] if steps else "Startar",
                "meddelanden": [{"typ": kind, "text": text} for kind, text in self.messages] if self.state != RUNNING else [],
                "sekunder": round((self.finished or time.monotonic()) - self.started, 1),
            }


class JobRegistry:
    """The jobs of one server: at most one running per (project, kind), finished ones kept for a while."""

    def __init__(self) -> None:
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()

    def start(self, project: Path, kind: str, work: Work) -> tuple[Job, bool]:
        """The running job of ``kind`` for ``project`` (joined: second value False), else a new one started on ``work``."""
        with self._lock:
            running = self._latest(str(project), kind)
            if running is not None and running.running:
                return running, False
            job = Job(f"{kind}-{secrets.token_urlsafe(9)}", kind, str(project))
            self._jobs[job.id] = job
            while len(self._jobs) > _KEPT:
                oldest = next((key for key, old in self._jobs.items() if not old.running), None)
                if oldest is None:
                    break
                del self._jobs[oldest]
        threading.Thread(target=self._run, args=(job, work), name=f"slutrapport-{kind}", daemon=True).start()
        return job, True

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def latest(self, project: Path, kind: str) -> Job | None:
        """The newest job of ``kind`` for ``project``, running or finished."""
        with self._lock:
            return self._latest(str(project), kind)

    def _latest(self, project: str, kind: str) -> Job | None:
        found = [job for job in self._jobs.values() if job.project == project and job.kind == kind]
        return found[-1] if found else None

    @staticmethod
    def _run(job: Job, work: Work) -> None:
        try:
            with reporting(job.step):  # work below that is given no progress tells the job
                messages = work(job.step)
        except SlutrapportError as exc:
            job.finish(FAILED, [("fel", str(exc))])
        except Exception as exc:  # never a traceback on the page; the terminal gets it
            _LOG.exception("Oväntat fel i %s", job.kind)
            text = f"Ett oväntat fel inträffade ({type(exc).__name__}). Ingenting har skickats någonstans. Försök igen, och rapportera felet om det upprepas."
            job.finish(FAILED, [("fel", text)])
        else:
            job.finish(DONE, messages)
