"""Load a CSV file or a workbook into :class:`Sheet` objects: every row as strings, nothing coerced.

This module gathers the loaders' public names in one place:

- :mod:`.sheet`: the :class:`Sheet` grid and how a cell becomes text
  (:func:`cell_text`, :func:`clean_heading`);
- :mod:`.textfile`: CSV and tab-separated text (:func:`load_csv`,
  :func:`sniff_separator`), with :mod:`.encodings` for the encoding;
- :mod:`.workbook`: .xlsx/.xlsm, .xls, .ods and .xlsb with python-calamine
  (:func:`load_workbook`), one sheet per non-empty worksheet;
- :mod:`.limits`: the bounds a file is checked against before it is parsed.
"""

from __future__ import annotations

from slutrapport.sources.readers.sheet import Sheet, cell_text, clean_heading
from slutrapport.sources.readers.textfile import load_csv, sniff_separator
from slutrapport.sources.readers.workbook import load_workbook

__all__ = ["Sheet", "load_csv", "load_workbook", "cell_text", "clean_heading", "sniff_separator"]
