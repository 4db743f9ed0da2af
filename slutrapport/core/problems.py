"""One report of every problem found while reading survey files.

Readers never stop at the first problem: they add a :class:`Problem` for each
one and go on, so the user can fix a file in one round. The report is a table
with the columns ``fil, rad, kolumn, kontroll, varde, meddelande, allvar``
where ``allvar`` is ``"fel"`` (the data cannot be used), ``"varning"`` (the
data can be used; something was excluded or looks odd) or ``"info"`` (what the
reader decided on its own, e.g. which sheet of a workbook it used).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

import pandas as pd

__all__ = ["Problem", "ValidationReport", "COLUMNS", "ERROR", "WARNING", "INFO"]

ERROR = "fel"
WARNING = "varning"
INFO = "info"
COLUMNS = ["fil", "rad", "kolumn", "kontroll", "varde", "meddelande", "allvar"]


@dataclass(frozen=True)
class Problem:
    """One problem: where it is (file, row, column), which check found it, the value."""

    fil: str
    rad: int | None
    kolumn: str | None
    kontroll: str
    varde: str | None
    meddelande: str
    allvar: str = ERROR


@dataclass
class ValidationReport:
    """Every problem found in a set of files, in the order they were found."""

    problems: list[Problem] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        """True when there is no problem of severity ``fel``."""
        return not self.errors()

    def add(
        self,
        fil: str,
        kontroll: str,
        meddelande: str,
        *,
        rad: int | None = None,
        kolumn: str | None = None,
        varde: object = None,
        allvar: str = ERROR,
    ) -> None:
        value = None if varde is None else str(varde)
        self.problems.append(Problem(fil, rad, kolumn, kontroll, value, meddelande, allvar))

    def extend(self, other: ValidationReport) -> None:
        self.problems.extend(other.problems)

    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.allvar == ERROR]

    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.allvar == WARNING]

    def infos(self) -> list[Problem]:
        return [p for p in self.problems if p.allvar == INFO]

    def to_frame(self) -> pd.DataFrame:
        """The report as a table with the columns in :data:`COLUMNS`."""
        frame = pd.DataFrame([asdict(p) for p in self.problems], columns=COLUMNS)
        frame["rad"] = frame["rad"].astype("Int64")
        return frame

    def to_json(self) -> str:
        """``{"valid": …, "fel": n, "varningar": n, "problem": [{fil, rad, kolumn, kontroll, varde, meddelande, allvar}]}``."""
        return json.dumps(
            {
                "valid": self.valid,
                "fel": len(self.errors()),
                "varningar": len(self.warnings()),
                "problem": [asdict(p) for p in self.problems],
            },
            ensure_ascii=False,
            indent=2,
        )

    def to_table(self) -> str:
        """Every problem as an aligned Swedish table (errors first)."""
        ordered = self.errors() + self.warnings() + self.infos()
        header = ["Allvar", "Fil", "Rad", "Kolumn", "Kontroll", "Värde", "Meddelande"]
        rows = [
            [p.allvar, p.fil, "" if p.rad is None else str(p.rad), _short(p.kolumn or "", 40), p.kontroll, _short(p.varde or "", 25), p.meddelande]
            for p in ordered
        ]
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header) - 1)]
        lines = []
        for row in [header, *rows]:
            lines.append("  ".join(cell.ljust(width) for cell, width in zip(row[:-1], widths, strict=True)) + "  " + row[-1])
        lines.insert(1, "-" * min(120, sum(widths) + 2 * len(widths) + 10))
        return "\n".join(lines)

    def to_text(self, limit: int = 50) -> str:
        """A readable Swedish listing, errors first, at most ``limit`` lines."""
        ordered = self.errors() + self.warnings() + self.infos()
        lines = []
        for p in ordered[:limit]:
            where = [f"fil {p.fil}"]
            if p.rad is not None:
                where.append(f"rad {p.rad}")
            if p.kolumn is not None:
                where.append(f"kolumn '{_short(p.kolumn)}'")
            if p.varde is not None:
                where.append(f"värde '{_short(p.varde)}'")
            label = {ERROR: "FEL", WARNING: "Varning"}.get(p.allvar, "Info")
            lines.append(f"{label}: {', '.join(where)}: {p.meddelande}")
        if len(ordered) > limit:
            lines.append(f"… och {len(ordered) - limit} problem till.")
        return "\n".join(lines)


def _short(text: str, width: int = 70) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
