"""What the web server remembers between requests: the open project and cached analyses.

One person uses the server at a time (it is a local tool), so the state is a
plain object on the app. Reading and analysing the data takes a second or
two, so :meth:`WebState.results` keeps the last analyses keyed by a
fingerprint of the project's input files (name, size and modification time of
every file except the texts and the report folder): any change to a data
file or to ``projekt.yaml`` gives a new fingerprint and a fresh analysis.
The survey's reading is kept apart in :attr:`WebState.surveys`
(:class:`~slutrapport.pipeline.cache.SurveyCache`, keyed by the survey files
and their reading options only), so a change elsewhere in the project, e.g.
an uploaded register, does not parse the survey files again.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from slutrapport.pipeline import SurveyCache, project_results
from slutrapport.project.folder import PROJECT_FILE
from slutrapport.project.uploaded import TRASH, names_by_file
from slutrapport.report.results import ProjectResults
from slutrapport.web.jobs import JobRegistry

__all__ = ["WebState", "fingerprint"]

_SKIPPED = {"texter", "rapport", TRASH}
_MAX_FILES = 5000
_CACHE_SIZE = 10  # the analyses, the check, the names, the comparison per organisation, the headings' blocks
_PENDING = 4


def fingerprint(root: Path) -> str:
    """A digest of the names, sizes and modification times of the project's input files."""
    digest = hashlib.sha256()
    count = 0
    for folder, dirs, files in os.walk(root):
        relative = Path(folder).relative_to(root)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not (relative == Path(".") and d in _SKIPPED))
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = Path(folder) / name
            try:
                stat = path.stat()
            except OSError:
                continue
            digest.update(f"{(relative / name).as_posix()}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
            count += 1
            if count >= _MAX_FILES:
                return digest.hexdigest()
    return digest.hexdigest()


@dataclass
class WebState:
    """The open project folder (None before one is chosen) and a small cache of analyses."""

    project: Path | None
    start_dir: Path
    suggested_new: Path | None = None  # a folder named at start that has no projekt.yaml yet
    #: the survey's readings, shared by every page that shows the survey
    surveys: SurveyCache = field(default_factory=SurveyCache)
    #: uploads that failed, kept so the user need not choose the files again: token → what was sent
    pending: OrderedDict[str, dict] = field(default_factory=OrderedDict)
    #: the report builds and comparisons running in the background (:mod:`slutrapport.web.jobs`)
    jobs: JobRegistry = field(default_factory=JobRegistry)
    _cache: OrderedDict[tuple, Any] = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def open(self, root: Path) -> None:
        self.project = Path(root).resolve()
        self._cache.clear()
        self.surveys.clear()

    @property
    def has_project(self) -> bool:
        return self.project is not None and (self.project / PROJECT_FILE).is_file()

    def cached(self, kind: str, compute: Callable[[], Any], *extra: object) -> Any:
        """``compute()`` once per input fingerprint (and ``extra`` key parts)."""
        assert self.project is not None
        key = (kind, str(self.project), fingerprint(self.project), *extra)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        value = compute()
        with self._lock:
            self._cache[key] = value
            while len(self._cache) > _CACHE_SIZE:
                self._cache.popitem(last=False)
        return value

    def is_cached(self, kind: str, *extra: object) -> bool:
        """True when :meth:`cached` would answer ``kind`` (and ``extra``) without computing."""
        if self.project is None:
            return False
        key = (kind, str(self.project), fingerprint(self.project), *extra)
        with self._lock:
            return key in self._cache

    def keep_pending(self, upload: dict) -> str:
        """Keep a failed upload (its files and choices) for the next try; returns its token."""
        token = secrets.token_urlsafe(12)
        with self._lock:
            self.pending[token] = upload
            while len(self.pending) > _PENDING:
                self.pending.popitem(last=False)
        return token

    def take_pending(self, token: str | None) -> dict | None:
        """The failed upload kept under ``token`` (removed from the store), or None."""
        with self._lock:
            return self.pending.pop(token, None) if token else None

    def names(self) -> dict[str, str]:
        """The uploaded files' own names by stored path and stored file name (:func:`~slutrapport.project.uploaded.names_by_file`)."""
        if not self.has_project:
            return {}
        return self.cached("namn", lambda: names_by_file(self.project))

    def results(self) -> ProjectResults:
        """Every data source read and analysed, tolerant of errors (see :func:`slutrapport.pipeline.project_results`)."""
        return self.cached("results", lambda: project_results(self.project, surveys=self.surveys))
