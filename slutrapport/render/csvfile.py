"""The machine-readable comparison file ``jamforelse.csv`` (a contract: do not change columns)."""

from __future__ import annotations

import pandas as pd

from ..analysis.describe import CONTRACT_COLUMNS

__all__ = ["comparison_csv"]


def comparison_csv(table: pd.DataFrame) -> bytes:
    """UTF-8, comma-separated, decimal point, one row per cell, ``undertryckt`` as ``true``/``false``.

    Columns exactly: ``niva,id,text,grupp,enkat,n,medel,sd,median,andel_positiva,undertryckt``.
    """
    out = table[CONTRACT_COLUMNS].copy()
    out["undertryckt"] = out["undertryckt"].map({True: "true", False: "false"})
    out["n"] = out["n"].astype("Int64")
    return out.to_csv(index=False, lineterminator="\n").encode("utf-8")
