"""The portfolio as data: overview sections, one page per project, forest charts.

Built from the blocks of :mod:`slutrapport.report.model` (``Section``,
``Table``, ``Column``, ``Paragraphs``, ``Subsection``, ``Hidden``) plus what a
portfolio adds: column kinds for money, signed percentages and completeness
status, and the :class:`ForestChart`; a goal as a share or a count is the
report model's ``Typed`` cell, whose kind differs from its column's. Values, not text: the
renderers format them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from slutrapport.core.problems import ValidationReport
from slutrapport.report.model import Section, Typed

__all__ = ["MONEY", "DIFF_MONEY", "DIFF_PERCENT", "STATUS", "SHARE_RANGE", "Typed", "ForestRow", "ForestChart", "Portfolio"]

#: kronor (``1 234 567 kr``); signed kronor (``+12 000 kr``); a signed share in percent (``−4,5 %``);
#: completeness status (``ifylld`` ✓, ``saknas`` ✗, ``ej bedömd`` ?, None: not in the project's template).
MONEY, DIFF_MONEY, DIFF_PERCENT, STATUS = "money", "diff_money", "diff_percent", "status"
#: a (low, high) pair of shares written as a range of percent (``42–76 %``)
SHARE_RANGE = "share_range"


@dataclass(frozen=True)
class ForestRow:
    """One project in a forest chart: the estimate and its interval; ``flagged``: a certain decline."""

    label: str
    estimate: float
    low: float | None
    high: float | None
    flagged: bool = False


@dataclass
class ForestChart:
    """Estimates with intervals, one row per project, around a zero line.

    Values are shares (−1 … 1) drawn in percentage points; ``hidden`` names the
    projects whose change is hidden or missing (listed, never drawn).
    """

    title: str
    rows: list[ForestRow]
    x_label: str
    flag_label: str
    hidden: list[str] = field(default_factory=list)
    png: bytes | None = field(default=None, compare=False, repr=False)


@dataclass
class Portfolio:
    """Overview sections, then one page per project, then the problems found while reading."""

    title: str
    subtitle: str
    generated: str
    facts: dict[str, str]
    sections: list[Section]
    pages: list[Section]
    tables: dict[str, pd.DataFrame]  # tidy tables by name (CSV files and Data sheets)
    problems: ValidationReport
