"""Read a survey export into a raw table of strings, and recognise which tool wrote it.

Everything is read as text: numbers, dates and labels are interpreted later by
:mod:`slutrapport.sources.survey.answers`, so nothing is coerced on the way in.
Input files are never modified.

- :mod:`.tabular` gathers the loaders: :mod:`.textfile` reads CSV (encoding
  given or guessed by :mod:`.encodings`, separator sniffed), :mod:`.workbook`
  reads .xlsx/.xlsm, .xls, .ods and .xlsb with python-calamine, one grid of
  strings per non-empty worksheet, and :mod:`.limits` refuses a file too large
  to read before it is parsed;
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

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

from slutrapport.core.errors import InputFileError
from slutrapport.core.inputs import open_input_file
from slutrapport.core.oserrors import os_reason
from slutrapport.sources.readers import artologik, esmaker, google_forms, limesurvey, microsoft_forms, netigate, plain, qualtrics, spss, surveymonkey, webropol
from slutrapport.sources.readers import detect as _detect
from slutrapport.sources.readers import header as _header
from slutrapport.sources.readers.encodings import mojibake_problem
from slutrapport.sources.readers.limits import check_file_size, check_text_size
from slutrapport.sources.readers.options import DEFAULT_LIMITS, Limits, ReadOptions
from slutrapport.sources.readers.raw import RawTable
from slutrapport.sources.readers.records import ragged_rows
from slutrapport.sources.readers.tabular import Sheet, load_csv, load_workbook

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
    kind, sheets, sha256 = _load(path, options)
    if kind == _detect.SPSS:
        if format not in (None, spss.NAME):
            raise InputFileError(
                f"Filen {path.name} är en SPSS-fil och kan inte läsas som formatet '{format}'. "
                f"Ange formatet {spss.NAME} eller låt formatet upptäckas automatiskt."
            )
        table = spss.read(path)
    else:
        if format == spss.NAME:
            raise InputFileError(
                f"Filen {path.name} är ingen SPSS-fil (.sav), så formatet '{spss.NAME}' kan inte användas."
            )
        table = _choose(sheets, format, options, prefer)
    table.notes.extend(_unused_options(path, kind, options))
    table.digest = sha256
    if kind != _detect.CSV or sheets[0].may_have_mojibake:
        problem = mojibake_problem(table, kind=kind)
        if problem is not None:
            table.problems.append(problem)
    return table


def _choose(
    sheets: list[Sheet], format: str | None, options: ReadOptions, prefer: Callable[[RawTable], float] | None
) -> RawTable:
    """The candidate sheet ``prefer`` scores highest; among equals a tool's export over a plain
    sheet, then the sheet with the most filled cells, then the first.

    A sheet that cannot be built (say, ``--rubrikrad`` past its last row) is passed over
    while another can be; when none can, the first one's error is raised.
    """
    candidates: list[RawTable] = []
    first_error: InputFileError | None = None
    for sheet in sheets:
        try:
            candidates.append(_build(sheet, format, options))
        except InputFileError as exc:
            first_error = first_error or exc
    if not candidates:
        assert first_error is not None  # a workbook has at least one sheet, a text file exactly one
        raise first_error
    chosen = candidates[0]
    if len(candidates) > 1:
        # The caller's score first (e.g. questions matched); then a sheet a survey tool wrote over a
        # plain one, then the sheet with more answers (an information sheet has few). First of equals wins.
        chosen = max(candidates, key=lambda t: (prefer(t) if prefer else 0, t.format != plain.NAME, _filled(t)))
    if len(sheets) > 1:
        names = ", ".join(sheet.sheet or "" for sheet in sheets)
        chosen.notes.append(
            f"bladet '{chosen.sheet}' användes (arbetsboken har bladen: {names}); välj ett annat med --blad"
        )
    return chosen


def _filled(table: RawTable) -> int:
    return int((table.data.to_numpy(dtype=str) != "").sum()) if table.data.size else 0


def _unused_options(path: Path, kind: str, options: ReadOptions) -> list[str]:
    """Notes on the options that do not apply to this kind of file."""
    notes = []
    if options.sheet is not None and kind not in _detect.WORKBOOKS:
        notes.append(f"--blad '{options.sheet}' användes inte: {path.name} är ingen arbetsbok")
    if options.encoding is not None and kind != _detect.CSV:
        notes.append(f"--encoding '{options.encoding}' användes inte: den gäller bara textfiler (CSV)")
    return notes


def _build(sheet: Sheet, format: str | None, options: ReadOptions) -> RawTable:
    """One sheet as a raw table: the header located, the format detected (unless given), built;
    the loader's problems and the rows with more or fewer fields than the header go with it."""
    sheet, notes = _header.locate(sheet, options.header_row)
    table = _BUILDERS[format or _detect.detect(sheet)](sheet, options)
    table.notes[:0] = [*sheet.notes, *notes]
    table.problems[:0] = [*sheet.problems, *ragged_rows(sheet, table)]
    table.sheet = sheet.sheet
    return table


def detect_format(path: Path) -> str:
    """The name of the export format of the file at ``path`` (one of :data:`FORMATS`)."""
    return read_raw(Path(path)).format


def _load(path: Path, options: ReadOptions) -> tuple[str, list[Sheet], str | None]:
    """The container kind, the sheets worth reading (one for CSV, every non-empty worksheet of a
    workbook or only ``options.sheet``, none for SPSS) and the SHA-256 of the file's bytes (``None`` when ``options.digest`` is off).

    The file is read once; a text file or workbook over the size limits is refused before that.
    """
    limits = options.limits
    try:
        # a folder, a named pipe or a device (/dev/zero) is refused before it is opened
        with open_input_file(path, "Filen") as handle:
            head = handle.read(4096)
            kind = _detect.container(path, head)
            handle.seek(0)
            if kind == _detect.SPSS:
                return kind, [], hashlib.file_digest(handle, "sha256").hexdigest() if options.digest else None
            size = os.fstat(handle.fileno()).st_size
            if kind == _detect.CSV:
                check_text_size(path, size, limits)
                limit = limits.max_text_bytes
            else:
                check_file_size(path, size, limits)
                limit = limits.max_uncompressed_bytes
            data = handle.read(min(size, limit) + 1)  # (a buffer of the file's size: the limit's would be resized)
            if len(data) > size:  # the file grew after its size was checked: read on, up to the limit
                data += handle.read(limit + 1 - len(data))
        if len(data) > limit:  # the file grew after its size was checked
            (check_text_size if kind == _detect.CSV else check_file_size)(path, len(data), limits)
    except OSError as exc:
        raise InputFileError(f"Filen {path} kunde inte öppnas: {os_reason(exc, reading=True)}") from exc
    sha256 = hashlib.sha256(data).hexdigest() if options.digest else None
    if kind == _detect.CSV:
        return kind, [load_csv(path, data, encoding=options.encoding, limits=limits)], sha256
    return kind, load_workbook(path, data, kind, sheet=options.sheet, limits=limits), sha256
