"""The tidy long table built once from every wave's rows, and the organisation names unified in it.

:func:`~.ingest.read_waves` reads each wave into a :class:`WaveRows` (whole
columns as numpy arrays) and :func:`tidy_frame` makes one DataFrame of them
all, so the rows are copied once (not once per wave and again to concatenate
the waves). :func:`organisations` maps alias spellings, unifies spellings that
differ in case and renames an organisation named like a report group, once
per distinct name.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from slutrapport.core.problems import WARNING, ValidationReport
from slutrapport.core.text import normalise

__all__ = ["WaveRows", "tidy_frame", "organisations", "RESERVED_SUFFIX"]

#: Group names the report gives to merged or total groups; an organisation may not be called so.
_RESERVED_GROUPS = {"alla": "Alla", "övriga": "Övriga", "ej angiven": "Ej angiven"}
RESERVED_SUFFIX = " (organisation)"
_FLOAT, _INT = ("varde",), ("rad",)


@dataclass
class WaveRows:
    """One wave's (one file's) rows of the tidy table: ``columns`` by name (each as the arrays of one
    question after another, concatenated only in :func:`tidy_frame`), the wave's number and the file's name."""

    columns: dict[str, list[np.ndarray]]
    number: int
    file: str

    def __len__(self) -> int:
        return sum(len(array) for array in next(iter(self.columns.values()))) if self.columns else 0


def tidy_frame(parts: list[WaveRows]) -> pd.DataFrame:
    """Every wave's rows in one DataFrame: numbers as float (``varde``) and int (``rad``), text as
    object columns (no per-cell string inference), ``enkat_nr`` and ``fil`` (a str column) per row.

    ``parts`` are emptied on the way (each column's arrays let go as soon as it is built).
    """
    names = list(parts[0].columns)
    sizes = [len(part) for part in parts]
    frame = {}
    for name in names:
        dtype = float if name in _FLOAT else np.int64 if name in _INT else object
        arrays = [array for part in parts for array in part.columns[name]]
        for part in parts:  # each column's pieces are freed once it is whole: the rows are never held twice over
            part.columns[name] = []
        frame[name] = pd.Series(np.concatenate(arrays).astype(dtype, copy=False) if arrays else np.array([], dtype=dtype), dtype=dtype)
        del arrays
    frame["enkat_nr"] = pd.Series(np.repeat(np.array([part.number for part in parts], dtype=np.int64), sizes))
    frame["fil"] = pd.Series(np.repeat(np.array([part.file for part in parts], dtype=object), sizes), dtype="str")
    return pd.DataFrame(frame, copy=False)


def organisations(tidy: pd.DataFrame, aliases: dict[str, str], report: ValidationReport) -> pd.Series:
    """The organisation column with alias spellings mapped to their organisation (instrument
    ``organisationer:``), spellings that differ only in case unified to the most common one (most
    rows; of equals the first), and an organisation named like a report group renamed
    (:func:`_rename_reserved`). Decided once per distinct name (the column is factorized once).
    """
    org = tidy["organisation"]
    codes, uniques = pd.factorize(org.to_numpy(dtype=object))
    if not len(uniques):
        return org
    wanted = {normalise(alias): name for alias, name in aliases.items()}
    named = [wanted.get(normalise(u), u) for u in uniques] if wanted else list(uniques)
    # the names after the aliases in order of first appearance, and the rows of each
    spellings = list(dict.fromkeys(named))
    position = {name: k for k, name in enumerate(spellings)}
    counts = np.bincount(np.array([position[name] for name in named])[codes[codes >= 0]], minlength=len(spellings))
    best: dict[str, str] = {}
    for k in np.argsort(-counts, kind="stable"):
        best.setdefault(str(spellings[k]).casefold(), str(spellings[k]))
    final = [best[str(name).casefold()] for name in named]
    renamed = _rename_reserved(final, codes, tidy["fil"].to_numpy(dtype=object), report)
    lookup = np.array([renamed.get(name, name) for name in final] + [None], dtype=object)
    return pd.Series(lookup[codes], index=org.index, dtype=object)


def _rename_reserved(names: list[str], codes: np.ndarray, files: np.ndarray, report: ValidationReport) -> dict[str, str]:
    """An organisation named like a report group ("Alla", "Övriga", "Ej angiven") gets " (organisation)" added.

    Otherwise its answers would be shown, and suppressed, as if they were the
    whole group; the renaming is reported as a warning. ``names`` are the
    organisation of each code in ``codes`` (one per row, as ``files``).
    """
    renamed: dict[str, str] = {}
    for value in sorted({v for v in names if normalise(v) in _RESERVED_GROUPS}):
        rows = np.isin(codes, [k for k, name in enumerate(names) if name == value])
        report.add(
            ", ".join(dict.fromkeys(str(f) for f in files[rows])),
            "reserverat gruppnamn",
            f"organisationen '{value}' heter som en grupp i rapporten och visas som '{value}{RESERVED_SUFFIX}'",
            kolumn="organisation",
            varde=value,
            allvar=WARNING,
        )
        renamed[value] = value + RESERVED_SUFFIX
    return renamed
