"""Shared building for the readers of tools that write their own columns beside the questions.

Netigate, Webropol, Esmaker and Artologik Survey&Report differ mostly in the
names of their own columns (respondent ID, status, dates, e-mail, language)
and in how they head a question. :func:`build_tool_table` takes a reader's set
of normalised column names and:

- marks those columns as metadata (never matched to a question) and the
  respondent-ID column as :attr:`RawTable.id_column`;
- reads a two-row header when there is one (:mod:`.two_row`);
- gives every question column its alternative names: the statement inside a
  trailing ``[...]`` or after the last `` - ``, the heading without its
  leading number (``3.2. Jag vet …`` → ``Jag vet …``) and the number itself
  when no other column has it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection

from slutrapport.core.text import normalise
from slutrapport.sources.readers.raw import RawTable, add_alternative, bracket_label, table_from_sheet
from slutrapport.sources.readers.tabular import Sheet
from slutrapport.sources.readers.two_row import TwoRowHeader, two_row_header

__all__ = ["CONTACT_COLUMNS", "build_tool_table", "headings", "meta_positions", "numbered", "dash_statement", "tool_two_row"]

#: Normalised headings of the contact columns a tool writes from its respondent list (e-mail, IP
#: address, name): never questions, and never shown.
CONTACT_COLUMNS = frozenset({"e-post", "epost", "e-postadress", "email", "e-mail", "ip", "ip-adress", "ip address", "namn", "name"})
_NUMBERED = re.compile(r"^(\d{1,3}(?:\.\d{1,3})*)\.?\s+(\S.*)$", re.S)
_DASH = re.compile(r"\s[-–—]\s")


def headings(sheet: Sheet, rows: int = 1) -> set[str]:
    """Normalised non-blank headings of the first ``rows`` rows."""
    return {k for r in range(rows) for c, k in zip(sheet.cells(r), sheet.keys(r), strict=True) if c}


def meta_positions(cells: list[str], meta: Collection[str]) -> set[int]:
    """Positions whose heading, normalised, is one of ``meta``."""
    return {p for p, c in enumerate(cells) if c and normalise(c) in meta}


def numbered(heading: str) -> tuple[str, str] | None:
    """``("3.2", "Jag vet …")`` for ``"3.2. Jag vet …"``; ``None`` without a leading number."""
    match = _NUMBERED.match(heading)
    return (match.group(1), match.group(2).strip()) if match else None


def dash_statement(heading: str) -> str | None:
    """The text after the last `` - `` (or en/em dash), as in ``Rubrik - Påstående``."""
    parts = _DASH.split(heading)
    return (parts[-1].strip() or None) if len(parts) > 1 else None


def tool_two_row(sheet: Sheet, meta: Collection[str]) -> TwoRowHeader | None:
    """The two-row header of a tool's sheet, its own columns (named in row 1) left out of the checks."""
    return two_row_header(sheet, skip=meta_positions(sheet.cells(0), meta))


def build_tool_table(sheet: Sheet, name: str, meta: Collection[str], ids: Collection[str]) -> RawTable:
    """A tool's sheet as a raw table: one or two header rows, its own columns as metadata."""
    top = sheet.cells(0)
    own = meta_positions(top, meta)
    two = two_row_header(sheet, skip=own)
    if two is None:
        rows, columns, alternatives, sub = 1, top, {}, [""] * len(top)
    else:
        rows, columns, alternatives, sub = 2, two.columns, dict(two.alternatives), sheet.cells(1)
        own |= meta_positions(sub, meta)
    for pos in own:
        alternatives.pop(pos, None)
    numbers = {pos: numbered(heading) for pos, heading in enumerate(columns) if pos not in own and heading}
    repeated = Counter(number[0] for number in numbers.values() if number)
    for pos, number in numbers.items():
        heading = columns[pos]
        text = number[1] if number else heading
        code = number[0] if number and repeated[number[0]] == 1 else None  # "3" over five statements names none of them
        add_alternative(alternatives, pos, heading, bracket_label(heading), dash_statement(text), text, code)
    table = table_from_sheet(sheet, rows, columns, name, own, alternatives)
    table.id_column = next((p for p in sorted(own) if normalise(top[p]) in ids or normalise(sub[p]) in ids), None)
    if two is not None:
        table.notes.append(two.note(sheet.first_row))
    return table
