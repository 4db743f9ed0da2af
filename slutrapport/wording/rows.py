"""The rows of a small result table as plain dicts, for loops that look values up row by row.

:func:`row_dicts` gives exactly the values :meth:`pandas.DataFrame.iterrows`
gives (both read ``DataFrame.values``), without building a Series per row, so
that sentences and report tables built from them stay the same.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["row_dicts"]


def row_dicts(frame: pd.DataFrame) -> list[dict]:
    """One dict per row of ``frame`` (column → value as ``iterrows`` gives it), in the frame's order."""
    columns = list(frame.columns)
    return [dict(zip(columns, values, strict=True)) for values in frame.values]
