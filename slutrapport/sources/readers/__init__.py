"""Read a survey export into a raw table of strings, and recognise which tool wrote it.

Everything is read as text: numbers, dates and labels are interpreted later by
:mod:`slutrapport.sources.survey.answers`, so nothing is coerced on the way in.
Input files are never modified.

- :mod:`.tabular` loads CSV (encoding and separator sniffed) and XLSX
  (openpyxl, read-only) into a grid of strings;
- :mod:`.detect` decides the container from the first bytes and the export
  tool from the header rows;
- :mod:`.header` finds the header row (skipping title rows above it) and
  :mod:`.two_row` reads a second header row (codes above texts, matrix
  headings above statements);
- one module per tool (:mod:`.google_forms`, :mod:`.microsoft_forms`,
  :mod:`.surveymonkey`, :mod:`.qualtrics`, :mod:`.limesurvey`,
  :mod:`.netigate`, :mod:`.webropol`, :mod:`.esmaker`, :mod:`.artologik`,
  :mod:`.plain`, :mod:`.spss`) turns its header rows into question headings,
  metadata columns and alternative names.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from slutrapport.core.errors import InputFileError
from slutrapport.sources.readers import artologik, esmaker, google_forms, limesurvey, microsoft_forms, netigate, plain, qualtrics, spss, surveymonkey, webropol
from slutrapport.sources.readers import detect as _detect
from slutrapport.sources.readers import header as _header
from slutrapport.sources.readers.options import DEFAULT_LIMITS, Limits, ReadOptions
from slutrapport.sources.readers.raw import RawTable
from slutrapport.sources.readers.tabular import Sheet, load_csv, load_xlsx

__all__ = ["RawTable", "ReadOptions", "Limits", "DEFAULT_LIMITS", "read_raw", "detect_format", "FORMATS"]

_BUILDERS = {
    m.NAME: m.build
    for m in (google_forms, microsoft_forms, surveymonkey, qualtrics, limesurvey, netigate, webropol, esmaker, artologik, plain)
}
#: Every export format :func:`read_raw` accepts as ``format=``.
FORMATS = (
    google_forms.NAME,
    microsoft_forms.NAME,
    surveymonkey.NAME,
    qualtrics.NAME,
    limesurvey.NAME,
    netigate.NAME,
    webropol.NAME,
    esmaker.NAME,
    artologik.NAME,
    plain.NAME,
    spss.NAME,
)


def read_raw(
    path: Path,
    format: str | None = None,
    *,
    options: ReadOptions | None = None,
    prefer: Callable[[RawTable], float] | None = None,
) -> RawTable:
    """Read ``path`` as text; ``format`` (one of :data:`FORMATS`) overrides detection.

    ``options`` carries the user's other choices (sheet, header row, label file,
    encoding); ``prefer`` scores a candidate table (higher is better) so that a
    workbook's best-matching sheet can be chosen without the readers knowing
    the instrument. Raises :class:`InputFileError` with a Swedish message if
    the file cannot be read.
    """
    path = Path(path)
    options = options or ReadOptions()
    format = format or options.format
    if format is not None and format not in FORMATS:
        raise InputFileError(
            f"Okänt format '{format}' för filen {path.name}. Giltiga format: {', '.join(FORMATS)}."
        )
    kind, sheets = _load(path, options)
    if kind == _detect.SPSS:
        if format not in (None, spss.NAME):
            raise InputFileError(
                f"Filen {path.name} är en SPSS-fil och kan inte läsas som formatet '{format}'. "
                f"Ange formatet {spss.NAME} eller låt formatet upptäckas automatiskt."
            )
        return spss.read(path)
    if format == spss.NAME:
        raise InputFileError(f"Filen {path.name} är ingen SPSS-fil (.sav), så formatet '{spss.NAME}' kan inte användas.")
    candidates = [_build(sheet, format, options) for sheet in sheets]
    chosen = candidates[0]
    if prefer is not None and len(candidates) > 1:
        chosen = max(candidates, key=prefer)  # the first of equals wins
    return chosen


def _build(sheet: Sheet, format: str | None, options: ReadOptions) -> RawTable:
    """One sheet as a raw table: the header located, the format detected (unless given), built."""
    sheet, notes = _header.locate(sheet, options.header_row)
    table = _BUILDERS[format or _detect.detect(sheet)](sheet, options)
    table.notes[:0] = notes
    return table


def detect_format(path: Path) -> str:
    """The name of the export format of the file at ``path`` (one of :data:`FORMATS`)."""
    path = Path(path)
    kind, sheets = _load(path, ReadOptions())
    return spss.NAME if kind == _detect.SPSS else _detect.detect(_header.locate(sheets[0])[0])


def _load(path: Path, options: ReadOptions) -> tuple[str, list[Sheet]]:
    """The container kind and the sheets worth reading (one for CSV; none for SPSS)."""
    if not path.is_file():
        raise InputFileError(f"Filen {path} finns inte.")
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
            kind = _detect.container(path, head)
            if kind == _detect.CSV:
                handle.seek(0)
                raw = handle.read()
        if kind == _detect.SPSS:
            return kind, []
        if kind == _detect.XLSX:
            return kind, [load_xlsx(path)]
        return kind, [load_csv(path, raw)]
    except OSError as exc:
        raise InputFileError(f"Filen {path} kunde inte öppnas: {exc.strerror or exc}") from exc
