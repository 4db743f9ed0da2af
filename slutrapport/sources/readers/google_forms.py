"""Google Forms response exports (CSV download, or the response sheet saved as XLSX).

One header row. The first column is the submission time, ``Tidstämpel``
(Swedish) or ``Timestamp``; a form that collects addresses adds
``E-postadress``/``Email Address`` and a quiz adds ``Poäng``/``Score``. Grid
questions become one column per row, headed ``Fråga [Rad]``.
"""

from __future__ import annotations

from slutrapport.core.text import normalise
from slutrapport.sources.readers.options import ReadOptions
from slutrapport.sources.readers.raw import RawTable, add_alternative, bracket_label, table_from_sheet
from slutrapport.sources.readers.tabular import Sheet

__all__ = ["NAME", "matches", "build", "META"]

NAME = "google_forms"

_FIRST = {"tidstämpel", "tidsstämpel", "timestamp"}
#: Normalised headings of Google's own columns.
META = _FIRST | {"e-postadress", "email address", "e-mailadress", "poäng", "score"}


def matches(sheet: Sheet) -> bool:
    """The first heading is ``Tidstämpel`` or ``Timestamp``."""
    first = sheet.cells(0)[:1]
    return bool(first) and normalise(first[0]) in _FIRST


def build(sheet: Sheet, options: ReadOptions | None = None) -> RawTable:
    columns = sheet.cells(0)
    meta = {pos for pos, heading in enumerate(columns) if normalise(heading) in META}
    alternatives: dict[int, list[str]] = {}
    for pos, heading in enumerate(columns):
        if pos not in meta:
            add_alternative(alternatives, pos, heading, bracket_label(heading))
    return table_from_sheet(sheet, 1, columns, NAME, meta, alternatives)
