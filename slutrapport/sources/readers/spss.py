"""SPSS data files (``.sav``, ``.zsav``), read with pyreadstat (``pip install 'slutrapport[spss]'``).

Each variable is a column named by its variable label (else its name); the
name is an alternative. A value with a value label becomes the label ("4" →
"Instämmer i hög grad"), any other value its text (``5.0`` → ``"5"``, dates
ISO); system-missing becomes blank. User-missing values are kept so that a
labelled "Vet ej" stays "Vet ej" instead of turning blank. Variables that
survey tools add to their SPSS exports (``ResponseId``, ``IPAddress``,
``respondent_id``, ``ipaddr`` …) are metadata. There are no header rows:
:meth:`RawTable.row_number` gives the case number SPSS shows (``header_row`` 0).
"""

from __future__ import annotations

import importlib.util
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from slutrapport.core.errors import InputFileError
from slutrapport.core.inputs import check_input_file
from slutrapport.core.text import normalise
from slutrapport.sources.readers import limesurvey, qualtrics
from slutrapport.sources.readers.raw import RawTable, add_alternative
from slutrapport.sources.readers.tabular import cell_text

__all__ = ["NAME", "read", "META"]

NAME = "spss"

#: Normalised variable names of survey tools' own variables in their SPSS exports.
META = (
    qualtrics.META
    | limesurvey.META
    | {"respondent_id", "collector_id", "date_created", "date_modified", "ip_address", "email_address", "first_name", "last_name"}
)


# pyreadstat's C parser can crash the whole process on a damaged file (seen with fuzzed
# .sav bytes), so it runs in a child process; a crash there becomes a Swedish error here.
_WORKER = """
import pickle, sys
import pyreadstat
try:
    frame, meta = pyreadstat.read_sav(sys.argv[1], user_missing=True)
except Exception as exc:
    sys.stderr.write(str(exc) or type(exc).__name__)
    sys.exit(3)
with open(sys.argv[2], "wb") as handle:
    pickle.dump((frame, list(meta.column_names), list(meta.column_labels or []), dict(meta.variable_value_labels or {})), handle)
"""


def _damaged(path: Path, detail: str) -> InputFileError:
    return InputFileError(
        f"Filen {path.name} kunde inte läsas som SPSS-fil (.sav): {detail}. "
        "Spara den igen i SPSS, eller som .xlsx eller CSV."
    )


def _read_sav(path: Path) -> tuple[pd.DataFrame, list[str], list, dict]:
    check_input_file(path, "Filen")  # the child would wait forever on a named pipe, or read /dev/zero
    if importlib.util.find_spec("pyreadstat") is None:
        raise InputFileError(
            f"Filen {path.name} är en SPSS-fil. För att läsa SPSS-filer behövs tillägget pyreadstat: "
            "kör pip install 'slutrapport[spss]' och försök igen (eller spara filen som .xlsx eller CSV i SPSS)."
        )
    with tempfile.TemporaryDirectory(prefix="slutrapport-sav-") as folder:
        result = Path(folder) / "sav.pickle"
        try:
            done = subprocess.run(
                [sys.executable, "-c", _WORKER, str(path), str(result)], capture_output=True, text=True, timeout=600
            )
        except subprocess.TimeoutExpired as exc:
            raise _damaged(path, "läsningen tog för lång tid") from exc
        if done.returncode != 0 or not result.is_file():
            detail = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "filen är skadad"
            raise _damaged(path, detail if done.returncode == 3 else "filen är skadad")
        with result.open("rb") as handle:
            return pickle.load(handle)  # written just now by our own child process


def read(path: Path) -> RawTable:
    """Read a ``.sav``/``.zsav`` file; raise :class:`InputFileError` if it cannot be read."""
    frame, names, labels, value_labels = _read_sav(path)
    names = [str(n) for n in names]
    labels = labels or [None] * len(names)
    meta_columns = {pos for pos, name in enumerate(names) if normalise(name) in META}
    columns: list[str] = []
    alternatives: dict[int, list[str]] = {}
    data: dict[int, pd.Series] = {}
    for pos, name in enumerate(names):
        label = " ".join(str(labels[pos] or "").split()) if pos < len(labels) else ""
        columns.append(label or name)
        if pos not in meta_columns:
            add_alternative(alternatives, pos, columns[-1], name)
        data[pos] = _as_text(frame.iloc[:, pos], value_labels.get(name, {}))
    index = pd.RangeIndex(len(frame))
    table = pd.DataFrame(data, index=index, dtype=str) if data else pd.DataFrame(index=index)
    return RawTable(
        path=path,
        columns=columns,
        data=table,
        header_row=0,
        format=NAME,
        meta_columns=meta_columns,
        alternatives=alternatives,
    )


def _as_text(values: pd.Series, labels: dict) -> pd.Series:
    """Every value as text once per distinct value; labels win, missing becomes blank."""
    missing = values.isna().to_numpy()
    present = values[~missing]
    texts = {}
    for value in pd.unique(present.to_numpy(dtype=object)):
        label = labels.get(value)
        if label is None and isinstance(value, (float, np.floating)) and float(value).is_integer():
            label = labels.get(int(value))
        texts[value] = str(label) if label is not None else cell_text(_plain(value))
    out = np.full(len(values), "", dtype=object)
    out[~missing] = [texts[v] for v in present.to_numpy(dtype=object)]
    return pd.Series(out, index=values.index, dtype=str)


def _plain(value: object) -> object:
    """numpy/pandas scalars as plain Python values for :func:`cell_text`."""
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, np.datetime64):
        return pd.Timestamp(value).to_pydatetime()
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value
