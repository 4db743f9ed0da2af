"""Machine-readable result files (contracts: do not change their columns).

- ``jamforelse.csv``: :data:`~slutrapport.analysis.describe.CONTRACT_COLUMNS`
- ``forandringar.csv``: :data:`~slutrapport.analysis.changes.CHANGE_COLUMNS`
- ``reliabilitet.csv``: :data:`~slutrapport.analysis.reliability.RELIABILITY_COLUMNS`

All are UTF-8, comma-separated, decimal point, booleans as ``true``/``false``.
Texts are cleaned of control characters and lone surrogates
(:func:`~slutrapport.core.safetext.clean_text`; a NUL stops many CSV readers,
a lone surrogate cannot be written as UTF-8); line breaks in a text are kept
as ``\n`` (the value is quoted). The files are opened in Excel too, so they are
formula-safe like the workbooks: a text starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return (an organisation's name, a wave label) gets
an apostrophe before it (:func:`~slutrapport.core.safetext.formula_safe`, the
OWASP recommendation); numbers, also negative ones, are written as numbers.

:func:`table_csv` is one table of the report as the page shows it (the web
page's download of a table): semicolon-separated, the cells as the report
writes them (decimal comma, hidden cells "–"), with a byte-order mark so
Excel reads it as UTF-8; a text that a spreadsheet would run as a formula
(starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return) gets a
leading apostrophe (:func:`~slutrapport.core.safetext.formula_safe`).
"""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd

from slutrapport.analysis.changes import CHANGE_COLUMNS
from slutrapport.analysis.describe import CONTRACT_COLUMNS
from slutrapport.analysis.reliability import RELIABILITY_COLUMNS
from slutrapport.core.safetext import clean_text, encode_utf8, formula_safe
from slutrapport.render.formatting import cell_text
from slutrapport.report.model import Table

__all__ = ["contract_csv", "comparison_csv", "changes_csv", "reliability_csv", "clean_columns", "table_csv", "formula_safe"]

_COUNTS = {"n", "n_fran", "n_till", "n_par", "antal_fragor"}


def _is_boolean(column: pd.Series) -> bool:
    """A column of truth values: bool dtype, or only real ``bool`` values — never numbers that happen to be 0 and 1
    (``{0.0, 1.0} <= {True, False}`` holds in Python, which once blanked medians, shares and p-values)."""
    if column.dtype == bool:
        return True
    values = column.dropna()
    return len(values) > 0 and column.dtype == object and all(isinstance(v, bool | np.bool_) for v in values)


def _safe_text(value: object) -> object:
    """A text cleaned, made formula-safe, and with its line breaks as ``\n`` (a lone carriage return would not be
    quoted and would end the row for a reader); anything else as it is."""
    if not isinstance(value, str):
        return value
    return formula_safe(clean_text(value)).replace("\r\n", "\n").replace("\r", "\n")


def clean_columns(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with every text value of its text columns cleaned (:func:`~slutrapport.core.safetext.clean_text`)
    and made formula-safe (:func:`~slutrapport.core.safetext.formula_safe`); numbers stay as they are."""
    out = table.copy()
    for name in out.columns:
        if out[name].dtype == object or isinstance(out[name].dtype, pd.StringDtype):
            out[name] = _map_distinct(out[name], _safe_text)
    return out


def _map_distinct(column: pd.Series, func) -> pd.Series:
    """``column.map(func)`` with ``func`` called once per distinct value (a large table repeats its
    organisations, waves and questions in every row) when every value is a text; missing values stay missing."""
    if pd.api.types.infer_dtype(column, skipna=True) != "string":  # mixed values: 1 and True would be one key
        return column.map(func)
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    mapped = np.array([func(value) for value in uniques] + [np.nan], dtype=object)
    return pd.Series(mapped[codes], index=column.index, name=column.name, dtype=object).where(codes >= 0, column)


def contract_csv(table: pd.DataFrame, columns: list[str]) -> bytes:
    """``table[columns]`` as CSV; bool columns as ``true``/``false``, count columns as integers, texts cleaned."""
    out = clean_columns(table.reindex(columns=columns))
    for name in columns:
        if name in _COUNTS:
            out[name] = pd.to_numeric(out[name]).astype("Int64")
        elif _is_boolean(out[name]):
            out[name] = out[name].map({True: "true", False: "false"})
    text = _columns_csv(out)
    return encode_utf8(text if text is not None else out.to_csv(index=False, lineterminator="\n"))


def _columns_csv(table: pd.DataFrame) -> str | None:
    """``table.to_csv(index=False, lineterminator="\\n")``, the same text, written a column at a time: a float as
    pandas writes it (numpy's text of a float, which is Python's ``repr``), an integer as ``str``, a text quoted
    by the csv module once per distinct text, a missing value empty. None for a table pandas must write (one
    column, a column of other values than numbers and texts)."""
    if len(table.columns) < 2:  # a lone empty field is quoted: pandas' writer knows when
        return None
    columns = [_column_texts(table[name]) for name in table.columns]
    if any(column is None for column in columns) or not all(isinstance(name, str) for name in table.columns):
        return None
    header = ",".join(_quoted(list(table.columns))) + "\n"
    pieces = np.empty((len(table), 2 * len(columns)), dtype=object)
    for position, column in enumerate(columns):
        pieces[:, 2 * position] = column
    pieces[:, 1::2] = ","
    pieces[:, -1] = "\n"
    return header + "".join(pieces.ravel().tolist())


def _column_texts(column: pd.Series) -> np.ndarray | None:
    """Each value of a column as the CSV writes it, or None for a column ``_columns_csv`` does not write."""
    dtype = column.dtype
    if dtype.kind == "f" and dtype == np.float64:
        values = column.to_numpy()
        texts = np.array(list(map(repr, values.tolist())), dtype=object)
        texts[np.isnan(values)] = ""
        return texts
    if dtype.kind in "iu" or isinstance(dtype, pd.Int64Dtype):
        values = column.to_numpy(dtype=object, na_value=None)
        return np.array(["" if value is None else str(value) for value in values.tolist()], dtype=object)
    if (dtype.kind == "O" or isinstance(dtype, pd.StringDtype)) and pd.api.types.infer_dtype(column, skipna=True) in ("string", "empty"):
        codes, uniques = pd.factorize(column, use_na_sentinel=True)
        return np.array([*_quoted(list(uniques)), ""], dtype=object)[codes]
    return None


def _quoted(texts: list[str]) -> list[str]:
    """Each text as a field of the csv module's writer (pandas' own): quoted where it must be."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    fields = []
    for text in texts:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([text, ""])
        fields.append(buffer.getvalue()[:-2])  # the field, without the empty one and the line's end
    return fields


def comparison_csv(table: pd.DataFrame) -> bytes:
    """``jamforelse.csv``: ``niva,id,text,grupp,enkat,n,medel,sd,median,andel_positiva,undertryckt``."""
    return contract_csv(table, CONTRACT_COLUMNS)


def changes_csv(table: pd.DataFrame) -> bytes:
    """``forandringar.csv``: one row per test (see :func:`~slutrapport.analysis.changes.wave_changes`)."""
    return contract_csv(table, CHANGE_COLUMNS)


def reliability_csv(table: pd.DataFrame) -> bytes:
    """``reliabilitet.csv``: ``index,enkat,grupp,n,alfa,antal_fragor``."""
    return contract_csv(table, RELIABILITY_COLUMNS)


def table_csv(table: Table) -> bytes:
    """One report table as CSV for a spreadsheet: caption-free header row (a column's group before its label), cells as the report shows them."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    header = [f"{c.group} – {c.label}" if c.group else c.label for c in table.columns]
    writer.writerow([formula_safe(clean_text(h, single_line=True)) for h in header])
    for row in table.rows:
        cells = [cell_text(value, column.kind) for value, column in zip(row, table.columns, strict=False)]
        writer.writerow([formula_safe(clean_text(cell).replace("\u00a0", " ")) for cell in cells])
    return b"\xef\xbb\xbf" + encode_utf8(out.getvalue())
