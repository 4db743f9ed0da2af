"""The project's exception hierarchy.

Every error a user can cause derives from :class:`SlutrapportError` and carries
a Swedish message that names the file (and, where it applies, row, column and
value). The CLI turns these into a message and exit code 1 without a traceback.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from slutrapport.core.problems import ValidationReport

__all__ = [
    "problem_list",
    "SlutrapportError",
    "InstrumentError",
    "ProjectError",
    "InputFileError",
    "ValidationError",
    "OutputError",
]


def problem_list(source: str, problems: list[str]) -> str:
    """``"<source> har 2 problem:\n- a\n- b"``: every problem of one file in one message."""
    return f"{source} har {len(problems)} problem:\n" + "\n".join(f"- {p}" for p in problems)


class SlutrapportError(Exception):
    """Base class for errors caused by the user's input; the message is Swedish.

    ``rad``, when known, is the line or row of the file the message names (a YAML
    file's reading error sets it), for a problem row of ``validate``'s report.
    """

    rad: int | None = None

    def __init__(self, *args: object, rad: int | None = None) -> None:
        super().__init__(*args)
        self.rad = rad


class InstrumentError(SlutrapportError):
    """An instrument definition (YAML) is missing, unreadable or inconsistent."""


class ProjectError(SlutrapportError):
    """A project folder or its ``projekt.yaml`` is missing or inconsistent."""


class InputFileError(SlutrapportError):
    """A data file cannot be read at all (missing, empty, wrong format)."""


class OutputError(SlutrapportError):
    """An output cannot be written, e.g. it would overwrite a file the user edited."""


class ValidationError(SlutrapportError):
    """Survey files were read but contain errors; ``report`` lists every problem."""

    def __init__(self, report: ValidationReport) -> None:
        self.report = report
        n = len(report.errors())
        super().__init__(
            f"Enkätfilerna innehåller {n} fel som måste rättas innan resultaten kan beräknas.\n\n"
            + report.to_text()
        )
