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
from slutrapport.core.text import normalise
from slutrapport.core.yamlfile import key_lines, parse_yaml
from slutrapport.core.yamlschema import INVALID, LocatedProblems, Namer, UserSchema, did_you_mean

__all__ = ["COLUMN_MAP_SCHEMA", "load_column_map"]

class _ColumnMapNamer(Namer):
    whole = "kolumnmappningen"


#: The schema of a column mapping file (package data).
COLUMN_MAP_SCHEMA = UserSchema(__package__, "kolumnmappning.schema.json", _ColumnMapNamer())
_KEY = "kolumner"


def load_column_map(path: Path | None) -> dict[str, str]:
    """A column mapping file: YAML (``"Rubrik i filen": q07``) or CSV with two columns (rubrik, fråga); ``{}`` without one.

    Raises :class:`~slutrapport.core.errors.InputFileError` naming the file and
    each problem's line.
    """
    if path is None:
        return {}
    path = Path(path)
    try:
        text = read_text_limited(path, "Kolumnmappningen")  # only a regular file, at most TEXT_LIMIT
    except UnicodeDecodeError as exc:
        raise InputFileError(f"Kolumnmappningen {path} är inte UTF-8-kodad text (byte {exc.start + 1}); spara den som UTF-8.") from exc
    except OSError as exc:
        raise InputFileError(f"Kolumnmappningen {path} kunde inte läsas: {exc.strerror or exc}") from exc
    if path.suffix.lower() == ".csv":
        return _from_csv(text, path)
    return _from_yaml(text, path)


def _from_csv(text: str, path: Path) -> dict[str, str]:
    rows = [r for r in csv.reader(io.StringIO(text), delimiter=";" if text.count(";") > text.count(",") else ",") if r]
    first = 1
    if rows and normalise(rows[0][0]) in {"kolumn", "rubrik", "column", "heading"}:
        rows, first = rows[1:], 2
    bad = [i for i, r in enumerate(rows, start=first) if len(r) < 2 or not r[0].strip() or not r[1].strip()]
    if bad:
        raise InputFileError(f"Kolumnmappningen {path.name}, rad {bad[0]}: ange rubrik och fråga-id i två kolumner.")
    return {r[0].strip(): r[1].strip() for r in rows}


def _from_yaml(text: str, path: Path) -> dict[str, str]:
    data = parse_yaml(text, f"Kolumnmappningen {path.name}", InputFileError)
    if data is None:
        return {}
    found = LocatedProblems(key_lines(text))
    if isinstance(data, dict):  # a misspelt kolumner: holds rows, not a question id
        misspelt = {key for key, value in data.items() if isinstance(value, dict) and str(key) != _KEY and did_you_mean(str(key), [_KEY])}
        for key in misspelt:
            found.add((str(key),), f"okänd nyckel '{key}'{did_you_mean(str(key), [_KEY])}")
        data = {key: value for key, value in data.items() if key not in misspelt}
    checked = COLUMN_MAP_SCHEMA.check(data, found)
    if found:
        raise InputFileError(problem_list(f"Kolumnmappningen {path}", found.messages()))
    rows = checked.get(_KEY) if _KEY in checked else checked
    return {str(k): str(v).strip() for k, v in (rows or {}).items() if v is not INVALID}
