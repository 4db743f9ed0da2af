"""The rows of a report's section sheet written as XML by hand, the bytes openpyxl's write-only ``append`` writes.

A section sheet of a large comparison has some fifteen thousand cells (the
tables of thirty organisations); openpyxl's write-only mode writes each
through lxml's incremental writer, about 30 µs a cell. :class:`RowWriter`
writes the same row elements as strings: a text as an inline string (escaped
as lxml escapes it, ``xml:space="preserve"`` where it has spaces at its ends,
every character beyond ASCII as a character reference, since the sheet is
written in ASCII), a number with openpyxl's own ``"%.16g"``, a cell's style
as its ``s`` attribute, registered in the workbook when the row is written,
as openpyxl does, so the workbook's styles keep their numbers. A row with
anything else (a date, a formula, an error value, an empty styled cell, a
comment or hyperlink, a row height) is written by openpyxl's own writer, so
the rules for those stay openpyxl's.

The rows are kept for the sheet (:func:`~slutrapport.render.xlsx_fast.add_rows`)
and put into the saved sheet part, as the rows of a data sheet are.
"""

from __future__ import annotations

import io
import re
from typing import Any

from openpyxl.cell.cell import ERROR_CODES, Cell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.xml.functions import xmlfile

__all__ = ["RowWriter"]

_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")  # openpyxl's ILLEGAL_CHARACTERS_RE: it refuses these
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})  # as libxml2 escapes a text
_MAX_TEXT = 32767  # openpyxl cuts a longer text
_PLAIN = object()  # a value openpyxl would put into a cell of its own making (not a Cell given to append)


def _text_xml(value: str) -> str:
    """A text as lxml writes it in an ASCII document: escaped, characters beyond ASCII as references."""
    escaped = value.translate(_ESCAPES)
    return escaped if escaped.isascii() else escaped.encode("ascii", "xmlcharrefreplace").decode("ascii")


def _inline_text(value: str) -> str:
    """A text cell's XML after its reference and style: an inline string, ``xml:space="preserve"`` where the text
    has spaces at its ends."""
    space = ' xml:space="preserve"' if value != value.strip() else ""
    return f' t="inlineStr"><is><t{space}>{_text_xml(value)}</t></is></c>'


class RowWriter:
    """Writes the rows appended to one write-only sheet as XML strings (see the module's text)."""

    def __init__(self, ws) -> None:
        self.ws = ws
        self.rows: list[str] = []
        self.letters: list[str] = []

    def _letter(self, column: int) -> str:
        while len(self.letters) < column:
            self.letters.append(get_column_letter(len(self.letters) + 1))
        return self.letters[column - 1]

    def append(self, values: list) -> None:
        """Write one appended row (the values openpyxl's ``append`` takes: plain values, cells and None)."""
        number = len(self.rows) + 1
        row = None if number in self.ws.row_dimensions else self._fast_row(values, number)
        self.rows.append(row if row is not None else self._openpyxl_row(values, number))

    def text_row(self, value: str, style: int) -> bool:
        """Write a row of one text cell in column A with the registered style ``style`` (``value`` as
        :func:`~.xlsx.cell_value` gives a plain text: not empty); False when the row needs openpyxl's writer."""
        number = len(self.rows) + 1
        if number in self.ws.row_dimensions:
            return False
        self.rows.append(f'<row r="{number}"><c r="{self._letter(1)}{number}" s="{style}"{_inline_text(value)}</row>')
        return True

    def _fast_row(self, values: list, number: int) -> str | None:
        """The row's XML, or None when a value needs openpyxl's own writer."""
        parts = [f'<row r="{number}">']
        for column, value in enumerate(values, start=1):
            if value is None:
                continue
            if isinstance(value, Cell):
                if value._comment is not None or value.hyperlink is not None:
                    return None
                cell = self._cell_xml(value._value, value.data_type, value)
            else:
                cell = self._cell_xml(value, _PLAIN, None)
            if cell is None:
                return None
            if cell:
                parts.append(f'<c r="{self._letter(column)}{number}"{cell}')
        parts.append("</row>")
        return "".join(parts)

    def _cell_xml(self, value: Any, data_type: Any, cell: Cell | None) -> str | None:
        """A cell's XML after its reference (empty: no cell is written), or None when openpyxl must write it."""
        kind = type(value)
        if kind is str:
            if data_type is _PLAIN:
                if len(value) > _MAX_TEXT or (len(value) > 1 and value[0] == "=") or value in ERROR_CODES or _ILLEGAL.search(value):
                    return None
            elif data_type != "s":
                return None
            if value == "":
                return None
            return f"{self._style(cell)}{_inline_text(value)}"
        if kind is int or kind is float:
            if (data_type is not _PLAIN and data_type != "n") or value != value or value in (float("inf"), float("-inf")):
                return None
            return f'{self._style(cell)} t="n"><v>{"%.16g" % value}</v></c>'  # noqa: UP031 (openpyxl's own number text)
        if value is None and cell is not None and not cell.has_style:
            return ""  # a cell without value or style: openpyxl leaves it out
        return None

    @staticmethod
    def _style(cell: Cell | None) -> str:
        return f' s="{cell.style_id}"' if cell is not None and cell.has_style else ""

    def _openpyxl_row(self, values: list, number: int) -> str:
        """The row written by openpyxl's own writer (its cells made as ``append`` makes them)."""
        writer = WorksheetWriter.__new__(WorksheetWriter)  # only write_row is used: it needs the sheet
        writer.ws = self.ws
        buffer = io.BytesIO()
        with xmlfile(buffer) as xf, xf.element("x"):  # lxml writes one root element
            writer.write_row(xf, self.ws._values_to_row(values, number), number)
        return buffer.getvalue().decode("ascii")[len("<x>") : -len("</x>")]
