"""Qualtrics exports (CSV with BOM, or XLSX), current and legacy layouts.

Current layout, three header rows: 1) export tags (``StartDate, EndDate,
Status, IPAddress, Progress, Duration (in seconds), Finished, RecordedDate,
ResponseId, RecipientLastName, RecipientFirstName, RecipientEmail,
ExternalReference, LocationLatitude, LocationLongitude, DistributionChannel,
UserLanguage`` and then ``Q1``, ``Q2_1`` …), 2) question texts, where a matrix
statement is ``Frågetext - Påstående``, 3) ``{"ImportId":"QID2_1"}``. Some
exports (and the legacy layout, whose tags are ``V1``, ``V2`` … with
``ResponseID`` in row 2) lack the ImportId row and have two header rows.

A column is named by its row-2 text; the statement after the last `` - `` and
the export tag are alternative names. The tool's own columns are metadata.
"""

from __future__ import annotations

import re

from slutrapport.core.text import normalise
from slutrapport.sources.readers.options import ReadOptions
from slutrapport.sources.readers.raw import RawTable, add_alternative, table_from_sheet
from slutrapport.sources.readers.tabular import Sheet

__all__ = ["NAME", "matches", "build", "META"]

NAME = "qualtrics"

#: Normalised export tags of Qualtrics' own columns (current and legacy exports).
META = {
    "startdate",
    "enddate",
    "status",
    "ipaddress",
    "progress",
    "duration (in seconds)",
    "finished",
    "recordeddate",
    "responseid",
    "recipientlastname",
    "recipientfirstname",
    "recipientemail",
    "externalreference",
    "externaldatareference",
    "locationlatitude",
    "locationlongitude",
    "distributionchannel",
    "userlanguage",
    "responseset",
    "name",
    "emailaddress",
}
_TYPICAL = {"startdate", "enddate", "status", "ipaddress", "progress", "duration (in seconds)", "finished", "recordeddate"}
#: Row-2 labels of the metadata columns: their presence means row 2 is the question-text row.
_LABELS = {"start date", "end date", "response id", "response type", "ip address", "recorded date", "duration (in seconds)"}
_SYSTEM_TAG = re.compile(r"^(?:q_[a-z]|v\d+$)|_(?:first click|last click|page submit|click count)$")
_IMPORT_ID = re.compile(r'^\{\s*"importid"\s*:', re.IGNORECASE)


def matches(sheet: Sheet) -> bool:
    """Row 1 has ``ResponseId`` and two typical tags, or row 3 has ``{"ImportId": …}`` cells,
    or (legacy) row 1 starts ``V1`` and row 2 has ``ResponseID``."""
    tags = sheet.keys(0)
    if "responseid" in tags and len(_TYPICAL & set(tags)) >= 2:
        return True
    if _has_import_ids(sheet):
        return True
    return bool(tags) and tags[0] == "v1" and "responseid" in sheet.keys(1)


def _has_import_ids(sheet: Sheet) -> bool:
    return sum(bool(_IMPORT_ID.match(c)) for c in sheet.cells(2)) >= max(1, sheet.width // 2)


def header_rows(sheet: Sheet) -> int:
    """3 with the ImportId row, 2 when row 2 holds question texts, else 1 (tags only)."""
    if _has_import_ids(sheet):
        return 3
    tags = sheet.keys(0)
    labels = set(sheet.keys(1))
    if (tags[:1] == ["v1"] and "responseid" in labels) or _LABELS & labels:
        return 2
    if len(sheet.frame) > 1 and not (set(tags) & META):
        return 2  # forced on an export without metadata columns: assume the usual text row
    return 1


def build(sheet: Sheet, options: ReadOptions | None = None) -> RawTable:
    rows = header_rows(sheet)
    tags = sheet.cells(0)
    texts = sheet.cells(1) if rows >= 2 else tags
    legacy = normalise(tags[0]) == "v1" if tags else False
    columns: list[str] = []
    meta: set[int] = set()
    alternatives: dict[int, list[str]] = {}
    for pos, (tag, text) in enumerate(zip(tags, texts, strict=True)):
        heading = text or tag
        columns.append(heading)
        key = normalise(tag)
        if key in META or _SYSTEM_TAG.search(key) or (legacy and normalise(text) in META):
            meta.add(pos)
            continue
        statement = heading.rsplit(" - ", 1)[1].strip() if " - " in heading else None
        add_alternative(alternatives, pos, heading, statement, tag)
    table = table_from_sheet(sheet, rows, columns, NAME, meta, alternatives)
    # Qualtrics' own response ID (R_…): checked for duplicates within a file and across waves.
    table.id_column = next((p for p, tag in enumerate(tags) if normalise(tag) in ("responseid", "response id")), None)
    if table.id_column is None and legacy:
        table.id_column = next((p for p, text in enumerate(texts) if normalise(text) in ("responseid", "response id")), None)
    return table
