"""The column mapping given with ``--map FIL``: headings of a survey file that are not a question's text, each with its question.

YAML (``"Rubrik i filen": q07``, directly or under ``kolumner:``) is read
strictly and checked against ``kolumnmappning.schema.json`` (package data,
:data:`COLUMN_MAP_SCHEMA`) with the machinery every user YAML shares: an
unknown key with a "menade du …?" suggestion, a value that is no question id,
each problem with its line. A CSV file has two columns, heading and question
(a first row ``rubrik;fråga`` is a header). Whether each question exists is
checked against the instrument when the survey is read
(:func:`~slutrapport.sources.survey.matching.build_targets`).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from slutrapport.core.errors import InputFileError, problem_list
from slutrapport.core.inputs import read_text_limited
from slutrapport.core.oserrors import os_reason
from slutrapport.core.text import normalise
from slutrapport.core.yamlfile import key_lines, parse_yaml
from slutrapport.core.yamlschema import INVALID, LocatedProblems, Namer, UserSchema, did_you_mean

__all__ = ["COLUMN_MAP_SCHEMA", "ColumnMap", "load_column_map"]


class ColumnMap(dict):
    """Heading → question id, as a plain dict, that also knows where it was written.

    ``source`` names the mapping in messages (``"Kolumnmappningen karta.yaml"``)
    and ``lines`` gives the line each heading is written on, so a heading pointed
    at a question the instrument lacks is named with its file and line
    (:func:`~slutrapport.sources.survey.matching.build_targets`).
    """

    def __init__(self, rows: dict[str, str] | None = None, source: str | None = None, lines: dict[str, int | None] | None = None) -> None:
        super().__init__(rows or {})
        self.source = source
        self.lines = {heading: line for heading, line in (lines or {}).items() if line}

    def where(self, heading: str) -> tuple[str, int | None]:
        """``("Kolumnmappningen karta.yaml, rad 3", 3)``: the mapping and the line of ``heading`` (``("Kolumnmappningen", None)`` when unknown)."""
        line = self.lines.get(heading)
        return f"{self.source or 'Kolumnmappningen'}{f', rad {line}' if line else ''}", line


class _ColumnMapNamer(Namer):
    whole = "kolumnmappningen"


#: The schema of a column mapping file (package data).
COLUMN_MAP_SCHEMA = UserSchema(__package__, "kolumnmappning.schema.json", _ColumnMapNamer())
_KEY = "kolumner"


def load_column_map(path: Path | None) -> ColumnMap:
    """A column mapping file: YAML (``"Rubrik i filen": q07``) or CSV with two columns (rubrik, fråga); ``{}`` without one.

    Raises :class:`~slutrapport.core.errors.InputFileError` naming the file and
    each problem's line.
    """
    if path is None:
        return ColumnMap()
    path = Path(path)
    try:
        text = read_text_limited(path, "Kolumnmappningen")  # only a regular file, at most TEXT_LIMIT
    except UnicodeDecodeError as exc:
        raise InputFileError(f"Kolumnmappningen {path} är inte UTF-8-kodad text (byte {exc.start + 1}); spara den som UTF-8.") from exc
    except OSError as exc:
        raise InputFileError(f"Kolumnmappningen {path} kunde inte läsas: {os_reason(exc, reading=True)}") from exc
    if path.suffix.lower() == ".csv":
        return _from_csv(text, path)
    return _from_yaml(text, path)


def _from_csv(text: str, path: Path) -> ColumnMap:
    reader = csv.reader(io.StringIO(text), delimiter=";" if text.count(";") > text.count(",") else ",")
    rows = [(reader.line_num, r) for r in reader if r]
    if rows and normalise(rows[0][1][0]) in {"kolumn", "rubrik", "column", "heading"}:
        rows = rows[1:]
    bad = [line for line, r in rows if len(r) < 2 or not r[0].strip() or not r[1].strip()]
    if bad:
        raise InputFileError(f"Kolumnmappningen {path.name}, rad {bad[0]}: ange rubrik och fråga-id i två kolumner.", rad=bad[0])
    lines = {}
    for line, r in rows:
        lines.setdefault(r[0].strip(), line)
    return ColumnMap({r[0].strip(): r[1].strip() for _, r in rows}, f"Kolumnmappningen {path}", lines)


def _from_yaml(text: str, path: Path) -> ColumnMap:
    data = parse_yaml(text, f"Kolumnmappningen {path.name}", InputFileError)
    if data is None:
        return ColumnMap()
    found = LocatedProblems(key_lines(text))
    if isinstance(data, dict):  # a misspelt kolumner: holds rows, not a question id
        misspelt = {key for key, value in data.items() if isinstance(value, dict) and str(key) != _KEY and did_you_mean(str(key), [_KEY])}
        for key in misspelt:
            found.add((str(key),), f"okänd nyckel '{key}'{did_you_mean(str(key), [_KEY])}")
        data = {key: value for key, value in data.items() if key not in misspelt}
    checked = COLUMN_MAP_SCHEMA.check(data, found)
    if found:
        raise InputFileError(problem_list(f"Kolumnmappningen {path}", found.messages()))
    nested = _KEY in checked
    rows = checked.get(_KEY) if nested else checked
    written = key_lines(text)
    mapping = {str(k): str(v).strip() for k, v in (rows or {}).items() if v is not INVALID}
    lines = {k: written.get((_KEY, k) if nested else (k,)) for k in mapping}
    return ColumnMap(mapping, f"Kolumnmappningen {path}", {k: line for k, line in lines.items() if line})
