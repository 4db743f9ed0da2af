"""Survey waves parsed once and kept: what the web page reads on every page view.

Parsing a large workbook takes seconds, and the web page shows the survey on
several pages (the check on Enkäter, the comparison, the report's headings).
A :class:`SurveyCache` keeps the last few results of reading a project's
survey, keyed by everything the reading depends on:

- every wave file, label file and instrument file by its resolved path, size
  and modification time (a changed or replaced file is read again);
- each wave's reading options (sheet, header row, encoding …), the labels, the
  column mapping, the answer aliases, the statistics plan and the wave column
  of ``projekt.yaml``.

A reading that failed (:class:`~slutrapport.core.errors.ValidationError` with
its report, or :class:`~slutrapport.core.errors.InputFileError`) is kept too,
so a page showing the problems of a large file does not parse it again either.
The command line reads once per run and uses no cache.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path

from slutrapport.core.errors import InputFileError, ValidationError
from slutrapport.project.folder import Project
from slutrapport.sources.survey.ingest import SurveyData

__all__ = ["SurveyCache", "survey_key", "file_stamp"]

_KEPT_ERRORS = (ValidationError, InputFileError)


def file_stamp(path: Path | None) -> tuple | None:
    """``(resolved path, size, modification time in ns)`` of a file; None for no path, the path alone when it is missing."""
    if path is None:
        return None
    path = Path(path)
    try:
        stat = path.stat()
    except OSError:
        return (str(path),)
    return (str(path.resolve()), stat.st_size, stat.st_mtime_ns)


def _instrument_stamp(project: Project) -> tuple:
    spec = str(project.instrument or "samverkan")
    candidates = [project.root / spec, Path(spec)]
    return (spec, *[file_stamp(p) for p in candidates if p.is_file()])


def survey_key(project: Project) -> Hashable:
    """Everything :func:`~slutrapport.pipeline.read.read_project_survey` depends on, as a dictionary key."""
    waves = tuple(
        (file_stamp(w.file), w.label, w.options, file_stamp(w.options.labels_file)) for w in project.waves
    )
    return (
        waves,
        _instrument_stamp(project),
        tuple(sorted(project.column_map.items())),
        tuple(sorted(project.answer_aliases.items())),
        tuple(sorted((key, tuple(sorted(labels.items()))) for key, labels in project.scale_aliases.items())),
        tuple(sorted(project.statistics.items())),
        project.format,
        project.wave_column,
    )


@dataclass
class _Failure:
    error: Exception


class SurveyCache:
    """The last ``size`` survey readings (or their errors), keyed by :func:`survey_key`. Safe for threads."""

    def __init__(self, size: int = 4) -> None:
        self.size = size
        self._entries: OrderedDict[Hashable, SurveyData | _Failure] = OrderedDict()
        self._lock = threading.RLock()

    def get(self, key: Hashable, read: Callable[[], SurveyData]) -> SurveyData:
        """The reading kept under ``key``, or ``read()`` now (once, even when pages ask at the same time)."""
        with self._lock:
            if key not in self._entries:
                try:
                    self._entries[key] = read()
                except _KEPT_ERRORS as exc:
                    self._entries[key] = _Failure(exc)
                while len(self._entries) > self.size:
                    self._entries.popitem(last=False)
            self._entries.move_to_end(key)
            found = self._entries[key]
        if isinstance(found, _Failure):
            raise found.error.with_traceback(None)
        return found

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
