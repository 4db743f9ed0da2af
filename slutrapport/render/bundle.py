"""The machine-readable bundle ``rapport.json``: one report as JSON, for comparing many projects.

A funder (the later portfolio feature) reads the bundles of many projects and
compares them, so the layout is a contract described by the JSON Schema
``report_templates/rapport.schema.json`` (draft 2020-12, package data, see
:func:`schema`; every key and table column is described there) and versioned
by :data:`SCHEMA_VERSION`: a new minor version only adds keys, a new major
version changes or removes them. One exception, for privacy: 1.2 dropped the
column ``orsak`` (why a cell is hidden) from ``jamforelse``, since it told
which hidden group was the small one. The schema lists the versions it
describes (1.0 to 1.4, with the older table layouts) and allows only
finite numbers, whole non-negative counts, a real date in ``skapad`` and texts
of bounded length; whatever this module writes validates against it (tested).
The portfolio reads bundles strictly against it
(``slutrapport.portfolio.bundlefile``); :func:`load_bundle` is the lenient
reader, which checks only the top level and reads every minor version of the
major versions it knows.

Layout (keys always in this order; only ``skapad`` differs between two runs)::

    schema_version   "1.4" (1.4: the goals of every kind: maluppfyllelse's matt may be forandring,
                     andel_svar, aktiviteter or kvalitativt, uppnatt delvis, and the table
                     maluppfyllelse_underlag gives each goal's basis of verdict, the two counts of a
                     change goal and a qualitative goal's motivation; also the participant tables deltagare_totaler
                     (the whole project's counts), deltagare_uppfoljning (6 and 12 months after avslut) and
                     deltagare_platser (planned places against active participants), and ekonomi_finansiering
                     (the funding per party); 1.3: the tables ``svarsfrekvens`` and ``sammansattning``, the standardised rows of
                     forandringar, the tables kompetens_kategorisering and kompetens_omfattning (Socialstyrelsen's
                     sections 3.4 and 4), and the typfall method's tables socioekonomi_aktorsresultat and
                     socioekonomi_sammanfattning with more measures in socioekonomi_nyckeltal; 1.2: ``familj``,
                     ``justering`` and the interval and Hodges–Lehmann columns appended to forandringar and
                     gruppskillnader; ``orsak`` removed from jamforelse)
    verktyg          {"namn": "slutrapport", "version": "0.1.0"}
    skapad           the report's date (Report.generated)
    projekt          {"titel": ..., "uppgifter": {"Projektets namn": ..., ...}}
    mall             {"id": ..., "namn": ...}
    rubriker         per heading in document order: id, nummer, rubrik, niva,
                     kravs, har_text, har_genererat_innehall, status, saknas, text
    fullstandighet   {"kravda": n, "ifyllda": n, "saknas": [id], "ej_bedomda": [id]}
    personalenkat    (1.1) the instrument, or null without a staff survey:
                     {"id", "namn", "skala": {"min", "max", "positiva"}, "enkater": [{"etikett", "datum"}]};
                     only projects with the same instrument id and scale are compared
    tabeller         {name: {"kolumner": [...], "rader": [[...], ...]}}

Privacy: the bundle holds the project's own texts and aggregated figures
only. ``tabeller`` takes the result tables from ``Report.tables`` that are
named in :data:`TABLE_COLUMNS` and, of those, only the allow-listed columns
(the published CSV contracts); any other table or column (``respondent``,
``kod``, ``svar``, free text ...) is never written. A comparison or
self-evaluation cell marked ``undertryckt`` (or with the mark missing) always
has empty numbers, even if the table handed in carried some, and no table
says why a cell is hidden. The tables are already anonymity-safe; this is
defence in depth.
"""

from __future__ import annotations

import json
import math
import re
from datetime import date, datetime
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from slutrapport import __version__
from slutrapport.analysis.changes import CHANGE_COLUMNS, GROUP_DIFFERENCE_COLUMNS
from slutrapport.analysis.competence import CATEGORISATION_COLUMNS, VOLUME_LONG_COLUMNS
from slutrapport.analysis.composition import COMPOSITION_COLUMNS
from slutrapport.analysis.describe import CONTRACT_COLUMNS
from slutrapport.analysis.economy import ECONOMY_COLUMNS, FINANCING_COLUMNS
from slutrapport.analysis.economy import KEY_FIGURE_COLUMNS as ECONOMY_KEY_FIGURE_COLUMNS
from slutrapport.analysis.goals import GOAL_COLUMNS, GOAL_DETAIL_COLUMNS
from slutrapport.analysis.participants import FLOW_COLUMNS, FOLLOW_UP_COLUMNS, INCOME_COLUMNS, OUTCOME_COLUMNS, PLACES_COLUMNS, PROJECT_COLUMNS, TIME_COLUMNS
from slutrapport.analysis.reliability import RELIABILITY_COLUMNS
from slutrapport.analysis.response_rates import RESPONSE_RATE_COLUMNS
from slutrapport.analysis.selfeval import SELFEVAL_COLUMNS
from slutrapport.analysis.socioeconomic import ACTOR_COLUMNS, ACTOR_RESULT_COLUMNS, PROFITABILITY_COLUMNS, SENSITIVITY_COLUMNS, SUMMARY_COLUMNS
from slutrapport.analysis.socioeconomic import KEY_FIGURE_COLUMNS as SOCIO_KEY_FIGURE_COLUMNS
from slutrapport.core.errors import InputFileError
from slutrapport.core.inputs import MEGABYTE, read_bytes_limited
from slutrapport.core.safetext import encode_utf8
from slutrapport.report.model import Completeness, Report

__all__ = ["SCHEMA_VERSION", "TABLE_COLUMNS", "FORBIDDEN_COLUMNS", "BUNDLE_LIMIT", "render_bundle", "load_bundle", "schema"]

#: Version of the bundle layout, ``major.minor``.
SCHEMA_VERSION = "1.4"
_MAJOR = int(SCHEMA_VERSION.split(".")[0])

#: The only tables written, in this order, with exactly these columns in this order.
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "jamforelse": tuple(CONTRACT_COLUMNS),
    "forandringar": tuple(CHANGE_COLUMNS),
    "reliabilitet": tuple(RELIABILITY_COLUMNS),
    "gruppskillnader": tuple(GROUP_DIFFERENCE_COLUMNS),
    "svarsfrekvens": tuple(RESPONSE_RATE_COLUMNS),
    "sammansattning": tuple(c for c in COMPOSITION_COLUMNS if c not in ("grupp_max", "andel_fran", "andel_till")),
    "sjalvvardering": tuple(SELFEVAL_COLUMNS),
    "ekonomi": tuple(ECONOMY_COLUMNS),
    "ekonomi_nyckeltal": tuple(ECONOMY_KEY_FIGURE_COLUMNS),
    "socioekonomi_aktorer": tuple(ACTOR_COLUMNS),
    "socioekonomi_lonsamhet": tuple(PROFITABILITY_COLUMNS),
    "socioekonomi_nyckeltal": tuple(SOCIO_KEY_FIGURE_COLUMNS),
    "socioekonomi_kanslighet": tuple(SENSITIVITY_COLUMNS),
    "socioekonomi_aktorsresultat": tuple(ACTOR_RESULT_COLUMNS),
    "socioekonomi_sammanfattning": tuple(SUMMARY_COLUMNS),
    "deltagare_flode": tuple(FLOW_COLUMNS),
    "deltagare_utfall": tuple(OUTCOME_COLUMNS),
    "deltagare_forsorjning": tuple(INCOME_COLUMNS),
    "deltagare_tid": tuple(TIME_COLUMNS),
    "maluppfyllelse": tuple(GOAL_COLUMNS),
    "maluppfyllelse_underlag": ("id", *GOAL_DETAIL_COLUMNS),
    "kompetens_kategorisering": tuple(CATEGORISATION_COLUMNS),
    "kompetens_omfattning": tuple(VOLUME_LONG_COLUMNS),
    "deltagare_totaler": tuple(PROJECT_COLUMNS),
    "deltagare_uppfoljning": tuple(FOLLOW_UP_COLUMNS),
    "deltagare_platser": tuple(PLACES_COLUMNS),
    "ekonomi_finansiering": tuple(FINANCING_COLUMNS),
}

#: Respondent-level columns of the tidy survey table; never written, even if a contract named one.
FORBIDDEN_COLUMNS = frozenset({"respondent", "kod", "svar", "rad", "fil", "organisation", "varde", "status"})
#: Project-level key-figure tables whose contract names ``varde`` (one number per fixed measure, no respondent
#: values): the only exception to :data:`FORBIDDEN_COLUMNS`.
_KEY_FIGURE_TABLES = frozenset({"ekonomi_nyckeltal", "socioekonomi_nyckeltal"})
#: Tables written from the columns of another table of ``Report.tables`` (1.4: the goals' details).
_SOURCE_TABLES = {"maluppfyllelse_underlag": "maluppfyllelse"}

_COUNT_COLUMNS = frozenset(
    {"n", "n_fran", "n_till", "n_par", "n_a", "n_b", "antal_fragor", "inbjudna", "df", "inskrivna", "aktiva", "avslutade", "taljare", "namnare",
     "fore", "efter", "manader", "platser"}
)
_SUPPRESSED_NUMBERS = ("n", "medel", "sd", "median", "andel_positiva")  # emptied in a hidden comparison cell
#: The numbers emptied in a row marked ``undertryckt`` (or with the mark missing), per table.
_HIDDEN_NUMBERS = {
    "jamforelse": _SUPPRESSED_NUMBERS,
    "svarsfrekvens": ("n", "svarsfrekvens"),
    "sjalvvardering": ("n", "medel", "median"),
    "deltagare_flode": ("inskrivna", "aktiva", "avslutade"),
    "deltagare_utfall": ("n", "andel"),
    "deltagare_forsorjning": ("n",),
    "deltagare_tid": ("n", "medel_dagar", "median_dagar", "moten_medel"),
    "deltagare_totaler": ("n", "andel"),
    "deltagare_uppfoljning": ("n", "andel"),
    "deltagare_platser": ("inskrivna", "aktiva", "belaggning"),
}
_STATUSES = ("ifylld", "saknas")
_SCHEMA_PATH = ("report_templates", "rapport.schema.json")
_VERSION = re.compile(r"(\d+)\.(\d+)")
_JSON_TYPES = {"object": dict, "array": list, "string": str}
_ROW_INDENT = " " * 8  # tabeller → name → rader → row
#: The largest ``rapport.json`` :func:`load_bundle` reads (the demo's is well under 1 MB).
BUNDLE_LIMIT = 256 * MEGABYTE


# -- writing -----------------------------------------------------------------


def render_bundle(report: Report) -> bytes:
    """``rapport.json``: the report as UTF-8 JSON (indent 2, non-ASCII as is, trailing newline).

    Each table row is written on one line, so a bundle stays small and a
    difference between two bundles shows as changed rows.
    """
    data = _bundle(report)
    compact: dict[str, str] = {}
    for name, table in data["tabeller"].items():
        for key, value in table.items():
            token = f"\x00{name}:{key}\x00"
            compact[json.dumps(token)] = _compact_rows(value) if key == "rader" else _one_line(value)
            table[key] = token
    text = json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False)
    for token, block in compact.items():  # ``tabeller`` comes last: its tokens are the last occurrences
        head, found, tail = text.rpartition(token)
        if not found:  # pragma: no cover - the tokens are written above
            raise RuntimeError(f"bundle placeholder {token} not found")
        text = head + block + tail
    return encode_utf8(text + "\n")  # JSON escapes control characters; a lone surrogate becomes U+FFFD


def _one_line(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def _compact_rows(rows: list[list[Any]]) -> str:
    if not rows:
        return "[]"
    lines = [_ROW_INDENT + _one_line(row) for row in rows]
    return "[\n" + ",\n".join(lines) + "\n" + _ROW_INDENT[:-2] + "]"


def _bundle(report: Report) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "verktyg": {"namn": "slutrapport", "version": __version__},
        "skapad": _text(report.generated),
        "projekt": {
            "titel": _text(report.title),
            "uppgifter": {str(label): (None if value is None else _text(value)) for label, value in report.facts.items()},
        },
        "mall": {"id": _text(report.template_id), "namn": _text(report.template_name)},
        "rubriker": _headings(report),
        "fullstandighet": _completeness(report),
        "personalenkat": _instrument(report.instrument),
        "tabeller": _tables(report.tables),
    }


def _instrument(info: dict[str, Any] | None) -> dict[str, Any] | None:
    if info is None:
        return None
    scale = info["skala"]
    return {
        "id": _text(info["id"]),
        "namn": _text(info["namn"]),
        "skala": {"min": int(scale["min"]), "max": int(scale["max"]), "positiva": [int(v) for v in scale["positiva"]]},
        "enkater": [{"etikett": _text(w["etikett"]), "datum": None if w.get("datum") is None else _text(w["datum"])} for w in info["enkater"]],
    }


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _status_by_id(report: Report) -> dict[str, Completeness]:
    rows: dict[str, Completeness] = {}
    for row in report.completeness:
        if row.status not in _STATUSES:
            raise ValueError(f"completeness status {row.status!r} for {row.id!r} is not one of {_STATUSES}")
        rows.setdefault(row.id, row)
    return rows


def _headings(report: Report) -> list[dict[str, Any]]:
    status = _status_by_id(report)
    headings = []
    for section in report.sections:
        row = status.get(section.id)
        headings.append(
            {
                "id": section.id,
                "nummer": None if section.number is None else str(section.number),
                "rubrik": _text(section.title),
                "niva": int(section.level),
                "kravs": bool(section.required),
                "har_text": bool(section.narrative and section.narrative.strip()),
                "har_genererat_innehall": bool(section.blocks),
                "status": row.status if row else None,
                "saknas": [str(m) for m in row.missing] if row else None,
                "text": section.narrative,
            }
        )
    return headings


def _completeness(report: Report) -> dict[str, Any]:
    """Required headings by status; ``ej_bedomda``: required headings without a completeness row."""
    status = _status_by_id(report)
    required: list[tuple[str, str | None]] = [
        (s.id, status[s.id].status if s.id in status else None) for s in report.sections if s.required
    ]
    section_ids = {s.id for s in report.sections}
    required += [(row.id, row.status) for row_id, row in status.items() if row.required and row_id not in section_ids]
    return {
        "kravda": len(required),
        "ifyllda": sum(1 for _, s in required if s == "ifylld"),
        "saknas": [i for i, s in required if s == "saknas"],
        "ej_bedomda": [i for i, s in required if s is None],
    }


def _tables(tables: dict[str, pd.DataFrame]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, allowed in TABLE_COLUMNS.items():  # fixed order; unknown tables are never written
        table = tables.get(_SOURCE_TABLES.get(name, name))
        if table is None:
            continue
        columns = [c for c in allowed if c not in FORBIDDEN_COLUMNS or (name in _KEY_FIGURE_TABLES and c == "varde")]
        out[name] = {"kolumner": columns, "rader": _rows(name, table.reindex(columns=columns))}
    return out


def _rows(name: str, table: pd.DataFrame) -> list[list[Any]]:
    values = {column: _column_values(column, table[column]) for column in table.columns}
    if name in _HIDDEN_NUMBERS:
        hidden = [value is not False for value in values["undertryckt"]]  # missing mark → treat as hidden
        values["undertryckt"] = hidden
        for column in _HIDDEN_NUMBERS[name]:
            values[column] = [None if h else v for h, v in zip(hidden, values[column], strict=True)]
    return [list(row) for row in zip(*values.values(), strict=True)] if len(table) else []


def _column_values(column: str, series: pd.Series) -> list[Any]:
    if isinstance(series.dtype, pd.CategoricalDtype):
        return [None if _missing(v) else str(v) for v in series]
    values = [_json_value(v) for v in series]
    if column in _COUNT_COLUMNS:  # a count column turned float by missing values: write whole numbers
        values = [int(v) if isinstance(v, float) and v.is_integer() else v for v in values]
    return values


def _missing(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # list-like values
        return False


def _json_value(value: Any) -> Any:
    """A cell as a JSON-native value: NaN/NA/NaT and ±inf → None, numpy scalars → Python."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        number = float(value)
        return number if math.isfinite(number) else None
    if isinstance(value, str):
        return str(value)
    if _missing(value):
        return None
    if isinstance(value, (pd.Timestamp, datetime, date)):
        return value.isoformat()
    return str(value)


# -- reading -----------------------------------------------------------------


@cache
def _schema_text() -> str:
    resource = files("slutrapport").joinpath(*_SCHEMA_PATH)
    return resource.read_text(encoding="utf-8")


def schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``rapport.json``; a new dict on every call."""
    return json.loads(_schema_text())


def _reject_constant(name: str) -> Any:
    raise ValueError(name)


def load_bundle(path: str | Path) -> dict[str, Any]:
    """Read a ``rapport.json`` written by :func:`render_bundle` (any ``1.x`` schema version).

    Checks that the file is complete JSON, that its major schema version is
    known and that the top-level keys are there; it does not validate the
    whole schema (use :func:`schema` with a validator for that).

    Raises
    ------
    InputFileError
        With a Swedish message naming the file, when it is missing, is no regular
        file (a folder, a pipe, a device), is larger than :data:`BUNDLE_LIMIT`, cannot be read, is not
        valid JSON (malformed or truncated), comes from an unknown major
        version or is not a report bundle.
    """
    path = Path(path)
    raw = read_bytes_limited(path, BUNDLE_LIMIT, "Rapportfilen")  # a pipe, a device or a folder is refused unopened
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputFileError(f"Rapportfilen {path} är inte en rapport.json: filen är inte UTF-8-kodad text.") from exc
    if not text.strip():
        raise InputFileError(f"Rapportfilen {path} är tom.")
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        end = text.rstrip()
        if exc.pos >= len(end) or not end.endswith("}"):
            raise InputFileError(
                f"Rapportfilen {path} tar slut mitt i innehållet (rad {exc.lineno}): filen är avkortad, "
                "troligen ofullständigt sparad eller kopierad. Skapa den på nytt med slutrapport."
            ) from exc
        raise InputFileError(
            f"Rapportfilen {path} är inte giltig JSON (rad {exc.lineno}, kolumn {exc.colno}): filen är skadad. "
            "Skapa den på nytt med slutrapport."
        ) from exc
    except ValueError as exc:  # NaN / Infinity, which the bundle never contains
        raise InputFileError(f"Rapportfilen {path} är inte giltig JSON: värdet {exc} är inte tillåtet.") from exc
    _check_bundle(path, data)
    return data


def _check_bundle(path: Path, data: Any) -> None:
    if not isinstance(data, dict) or "schema_version" not in data:
        raise InputFileError(f"Rapportfilen {path} är inte en rapport.json från slutrapport: schemaversion (schema_version) saknas.")
    version = data["schema_version"]
    match = _VERSION.fullmatch(version) if isinstance(version, str) else None
    if match is None:
        raise InputFileError(f"Rapportfilen {path} har en ogiltig schemaversion ({version!r}); den ska se ut som {SCHEMA_VERSION!r}.")
    major = int(match[1])
    if major > _MAJOR:
        raise InputFileError(
            f"Rapportfilen {path} har schemaversion {version}, som skapats med en nyare version av slutrapport. "
            f"Den här versionen ({__version__}) kan bara läsa schemaversion {_MAJOR}.x. Uppdatera slutrapport."
        )
    if major != _MAJOR:
        raise InputFileError(
            f"Rapportfilen {path} har schemaversion {version}, som den här versionen av slutrapport ({__version__}) "
            f"inte kan läsa (den läser schemaversion {_MAJOR}.x). Skapa filen på nytt med slutrapport."
        )
    spec = schema()
    missing = [key for key in spec["required"] if key not in data]
    if missing:
        raise InputFileError(f"Rapportfilen {path} är ofullständig: {', '.join(missing)} saknas.")
    wrong = [
        key
        for key, prop in spec["properties"].items()
        if isinstance(prop.get("type"), str) and prop["type"] in _JSON_TYPES and not isinstance(data.get(key), _JSON_TYPES[prop["type"]])
    ]
    if wrong:
        raise InputFileError(f"Rapportfilen {path} är inte en giltig rapport.json: fel typ av värde för {', '.join(wrong)}.")
