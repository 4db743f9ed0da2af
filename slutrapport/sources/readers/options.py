"""How a user asks for a survey file to be read: the choices that override detection.

One :class:`ReadOptions` travels from the command line (``--format``, ``--blad``,
``--rubrikrad``, ``--etiketter``, ``--encoding``, ``--behall-dubbletter``),
``projekt.yaml`` (``personalenkat:`` and each ``enkater:`` entry) and the web
page to :func:`slutrapport.sources.readers.read_raw` and
:func:`slutrapport.sources.survey.ingest.read_waves`. Every field left ``None``
means "detect it".
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["ReadOptions", "Limits", "DEFAULT_LIMITS"]


@dataclass(frozen=True)
class Limits:
    """Bounds on the work one file may cause; a file over a bound is refused before it is parsed."""

    #: Uncompressed size of a workbook's parts (zip directory), in bytes.
    max_uncompressed_bytes: int = 500 * 1024 * 1024
    #: Rows and columns of one sheet (from the sheet's ``dimension``, or counted while reading).
    max_rows: int = 1_000_000
    max_columns: int = 1_000
    #: Size of a text (CSV) file, in bytes.
    max_text_bytes: int = 500 * 1024 * 1024


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class ReadOptions:
    """The user's choices for reading one survey file; ``None`` means detect."""

    #: Export format name (one of ``slutrapport.sources.readers.FORMATS``).
    format: str | None = None
    #: Worksheet name in a workbook (``--blad``); by default the sheet that matches the instrument best.
    sheet: str | None = None
    #: Row (1-based, as Excel shows it) holding the question texts (``--rubrikrad``); rows above are skipped.
    header_row: int | None = None
    #: A label file beside the data (LimeSurvey ``.lss`` or a "question and answer codes" export) (``--etiketter``).
    labels_file: Path | None = None
    #: Text encoding of a CSV file (``--encoding``), e.g. ``utf-8``, ``cp1252``, ``mac_roman``, ``utf-16``.
    encoding: str | None = None
    #: Keep every row of a respondent ID that occurs twice in one file (``--behall-dubbletter``);
    #: by default the first row is counted and the rest are listed in a warning.
    keep_duplicates: bool = False
    limits: Limits = DEFAULT_LIMITS
    #: Normalised texts (and ids) of the questions the instrument asks as multiple choice, set by
    #: ingest (not by the user): an export's one-column-per-option groups for them are never merged.
    multiple_choice: frozenset[str] = frozenset()
    #: Whether :attr:`~.raw.RawTable.digest` (the SHA-256 of the file) is made; set off by ingest (not
    #: by the user), which hashes only files of equal size (hashing a large file takes a while).
    digest: bool = True
