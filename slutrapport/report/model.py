"""The report as data: sections under the template's headings, each holding blocks.

Every block has a flag ``appendix``: in a report built with the detail level
``sammanfattning`` (the default) a block so marked is moved to the appendix
(``bilaga.html``/``bilaga.docx``, :mod:`slutrapport.report.appendix`) and the
main text refers to it; with ``full`` the flag is ignored. The block builders
set it (:func:`for_appendix`) on the full tables a reader of the main report
does not need.

The model holds values, not formatted text: renderers decide how a mean or a
share is written (decimal comma in HTML, number formats in Excel). Nothing
here computes a statistic.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from slutrapport.core.scoped import within

__all__ = [
    "blocks_made",
    "watching_blocks",
    "Hidden",
    "PROTECTED",
    "Typed",
    "Column",
    "Table",
    "Chart",
    "DivergingChart",
    "StackedChart",
    "BarChart",
    "GroupedBarChart",
    "CHARTS",
    "Paragraphs",
    "TextList",
    "Subsection",
    "Section",
    "Completeness",
    "Report",
    "TEXT",
    "COUNT",
    "MEAN",
    "SHARE",
    "PERCENT",
    "DIFF_MEAN",
    "DIFF_SHARE",
    "EFFECT",
    "PVALUE",
    "INTERVAL",
    "SHARE_INTERVAL",
    "MONEY",
    "for_appendix",
    "COEFFICIENT",
]

TEXT, COUNT, MEAN, SHARE = "text", "count", "mean", "share"
#: whole percent already rounded (largest remainder); signed differences; effect sizes; p-values;
#: an interval of shares given as a (low, high) tuple and written in percentage points.
PERCENT, DIFF_MEAN, DIFF_SHARE, EFFECT, PVALUE, INTERVAL = "percent", "diff_mean", "diff_share", "effect", "pvalue", "interval"
#: a confidence interval of one share given as a (low, high) tuple of proportions, written in whole
#: percent ("48–79 %")
SHARE_INTERVAL = "share_interval"
#: an amount in kronor (written "1 234 567 kr"; Excel number format with " kr")
MONEY = "money"
#: a coefficient written with two decimals, without a sign (Cronbach's alpha: "0,83")
COEFFICIENT = "coefficient"


@dataclass(frozen=True)
class Hidden:
    """A value not shown; ``reason`` is Swedish.

    A cell hidden by the anonymity rules is always :data:`PROTECTED`: it says
    only that it is hidden, never why (a reason would tell which hidden group
    is the small one).
    """

    reason: str


#: Every cell hidden by the anonymity rules (staff survey, self-evaluation, participants, portfolio).
PROTECTED = Hidden("skyddad")


@dataclass(frozen=True)
class Typed:
    """A cell formatted by its own kind instead of its column's (a table whose rows hold different
    measures, e.g. a goal as a share or a count), with an optional ``mark`` written after the value
    (``"*"``: "0,66 *"; a spreadsheet keeps the number and shows the mark through its number format)."""

    value: Any
    kind: str
    mark: str = ""


@dataclass
class Column:
    label: str
    kind: str = TEXT
    group: str | None = None  # a spanning header over several columns (e.g. the wave)


@dataclass
class Table:
    caption: str
    columns: list[Column]
    rows: list[list[Any]]
    notes: list[str] = field(default_factory=list)
    sheet_title: str | None = None  # optional shorter title for spreadsheets
    appendix: bool = field(default=False, compare=False)  # to the appendix in a summary report (see the module docstring)

    @property
    def has_groups(self) -> bool:
        return any(c.group for c in self.columns)


@dataclass
class Chart:
    """A line chart of ``value`` per wave, one line per group; hidden cells are left out.

    ``data`` has columns ``grupp, enkat, value, n`` and optionally ``low, high``
    (a confidence interval drawn as error bars). ``trend``, when given, is a
    fitted trend line with columns ``enkat, value, low, high`` (its 95 %
    band) and ``test`` (the trend test), drawn dashed for ``trend_group``.
    """

    title: str
    data: pd.DataFrame
    waves: list[str]
    y_label: str
    y_min: float
    y_max: float
    value_kind: str = MEAN
    notes: list[str] = field(default_factory=list)  # shown under the chart (e.g. the response rates)
    trend: pd.DataFrame | None = None
    trend_group: str = "Alla"
    #: the groups drawn together, one list per panel (small multiples; :func:`slutrapport.report.charting.line_panels`);
    #: empty = one panel with every group
    panels: list[list[str]] = field(default_factory=list)
    #: the group drawn thin and grey in every panel it shares with another group (e.g. "Alla"), None for none
    reference: str | None = None
    alt: str = ""  # the text alternative (:mod:`slutrapport.report.charting`); every renderer uses it
    n_text: str = ""  # n per wave, shown under the chart
    values_table: str | None = None  # the caption of the table beside the chart that gives its values
    # Rendered image, filled in by render.charts on first use so HTML and Excel draw it once.
    png: bytes | None = field(default=None, compare=False, repr=False)
    appendix: bool = field(default=False, compare=False)


@dataclass
class DivergingChart:
    """Stacked horizontal bars of each answer's share, centred on the scale's midpoint.

    ``rows`` are ``(label, shares, n)`` with one share (0–1) per scale value in
    ``categories`` order; values below ``neutral`` go left, above go right, and
    the neutral value (odd scales) is split across the centre.
    """

    title: str
    categories: list[str]
    rows: list[tuple[str, list[float], int]]
    neutral: int | None  # position of the neutral category, None for even scales
    notes: list[str] = field(default_factory=list)
    alt: str = ""
    n_text: str = ""
    values_table: str | None = None
    png: bytes | None = field(default=None, compare=False, repr=False)
    appendix: bool = field(default=False, compare=False)


@dataclass
class StackedChart:
    """Horizontal bars of 100 %, one per row, split into each category's share (no centre, no order).

    How the answers to an unordered question (single choice) spread per wave:
    ``rows`` are ``(label, shares, n)`` with one share (0–1) per category in
    ``categories`` order.
    """

    title: str
    categories: list[str]
    rows: list[tuple[str, list[float], int]]
    notes: list[str] = field(default_factory=list)
    alt: str = ""
    n_text: str = ""
    values_table: str | None = None
    png: bytes | None = field(default=None, compare=False, repr=False)
    appendix: bool = field(default=False, compare=False)


@dataclass
class BarChart:
    """Vertical bars of amounts, one per label (e.g. the socio-economic cost, short- and medium-term income).

    ``values`` are in the unit of ``value_kind`` (:data:`MONEY`: kronor).
    """

    title: str
    labels: list[str]
    values: list[float]
    value_kind: str = MONEY
    alt: str = ""
    n_text: str = ""
    values_table: str | None = None
    png: bytes | None = field(default=None, compare=False, repr=False)
    appendix: bool = field(default=False, compare=False)


@dataclass
class GroupedBarChart:
    """Vertical bars side by side per label, one bar per series (e.g. planned places and active participants per period).

    ``series`` are ``(name, values)`` with one value per label in ``labels``
    order, in the unit of ``value_kind``; None is a value not shown (hidden
    or unknown): no bar, and "–" in the text alternative.
    """

    title: str
    labels: list[str]
    series: list[tuple[str, list[float | None]]]
    value_kind: str = COUNT
    y_label: str = ""
    notes: list[str] = field(default_factory=list)
    alt: str = ""
    n_text: str = ""
    values_table: str | None = None
    png: bytes | None = field(default=None, compare=False, repr=False)
    appendix: bool = field(default=False, compare=False)


#: Every kind of chart block; a renderer draws each as a picture (:func:`slutrapport.render.charts.chart_png`).
CHARTS = (Chart, DivergingChart, StackedChart, BarChart, GroupedBarChart)


@dataclass
class Paragraphs:
    texts: list[str]
    appendix: bool = field(default=False, compare=False)


@dataclass
class TextList:
    title: str
    items: list[str]
    empty_text: str = "Inga svar."
    appendix: bool = field(default=False, compare=False)


@dataclass
class Subsection:
    title: str
    blocks: list[Any]
    appendix: bool = field(default=False, compare=False)


@dataclass
class Section:
    """One heading of the report. Sections are a flat list in document order;
    ``level`` 1 is a main heading ("3"), 2 a subheading ("3.1")."""

    id: str
    number: str | None
    title: str
    required: bool = False
    help: str = ""
    narrative: str | None = None  # Markdown written by the project
    blocks: list[Any] = field(default_factory=list)
    expects_text: bool = True
    level: int = 1

    @property
    def is_empty(self) -> bool:
        return self.narrative is None and not self.blocks


@dataclass
class Completeness:
    """Whether a heading has content: ``status`` is ``ifylld`` or ``saknas``; ``missing`` says what is missing."""

    id: str
    number: str | None
    title: str
    required: bool
    status: str
    missing: list[str] = field(default_factory=list)


@dataclass
class Report:
    title: str
    subtitle: str
    facts: dict[str, str]
    sections: list[Section]
    generated: str
    template_name: str = ""
    comparison: pd.DataFrame | None = None  # the tidy comparison table, for spreadsheets
    template_id: str = ""
    completeness: list[Completeness] = field(default_factory=list)
    draft: bool = False  # show the completeness table at the top (--utkast)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)  # tidy result tables by name (Data sheet, bundle)
    #: the staff survey's instrument (id, namn, skala, enkater) for the bundle; None without a survey
    instrument: dict[str, Any] | None = None


def for_appendix(*blocks: Any) -> list[Any]:
    """``blocks`` (None left out) marked to go to the appendix in a summary report; the same objects, changed in place."""
    marked = [block for block in blocks if block is not None]
    for block in marked:
        block.appendix = True
    return marked


_BLOCKS_MADE: ContextVar[Callable[[list[Any]], Any] | None] = ContextVar("slutrapport_blocks_made", default=None)


def watching_blocks(listener: Callable[[list[Any]], Any]) -> AbstractContextManager[Callable[[list[Any]], Any]]:
    """Within the ``with`` block, ``listener`` is given the blocks a builder has finished (:func:`blocks_made`)
    while it builds the rest: a run's writers start drawing the charts among them early."""
    return within(_BLOCKS_MADE, listener)


def blocks_made(blocks: list[Any]) -> list[Any]:
    """Tell the listener of :func:`watching_blocks`, if any, that ``blocks`` are done; returns them. A block
    changed afterwards is still right in the output: whoever acts early must check it is unchanged."""
    listener = _BLOCKS_MADE.get()
    if listener is not None:
        listener(blocks)
    return blocks
