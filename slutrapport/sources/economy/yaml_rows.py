"""Budget rows from YAML: ``rader:`` with one ``{kategori, period, budget, utfall}`` per row.

The rows are in a budget file of their own or inline in ``projekt.yaml``
under ``ekonomi: rader:``; problems name the line of the row
(:func:`~slutrapport.sources.economy.problems.yaml_lines`). The rows are first
checked against ``budget.schema.json`` (package data beside this module), in
the keys' standard spelling (a key may be written as a budget file's heading:
``Kostnadsslag``, ``År``, ``Budget enligt ansökan``, ``Utfall (tkr)``): an
unknown key with a suggestion, a value of the wrong type, an amount that is
not finite or 10^15 kronor or more; a budget file's own keys besides ``rader:`` too.
"""

from __future__ import annotations

from typing import Any

from slutrapport.core.yamlschema import INVALID, KeyPath, LocatedProblems, Namer, UserSchema, canonical_keys, prune
from slutrapport.sources.economy.headings import classify, role_names
from slutrapport.sources.economy.records import Collector, Record, as_period, text_of
from slutrapport.sources.readers.tabular import clean_heading

__all__ = ["ROW_SCHEMA", "yaml_records"]


class _Unnamed(Namer):
    """The report names the row and the key in its own columns, so messages start with what is wrong."""

    def name(self, path: KeyPath, data: Any) -> str:
        return ""

    def where(self, path: KeyPath, data: Any) -> str:
        return ""


#: The schema of budget rows in YAML (package data), in the standard spelling of the keys.
ROW_SCHEMA = UserSchema(__package__, "budget.schema.json", _Unnamed())


def _checked(collector: Collector, rows: Any, lines: dict[tuple, int], prefix: tuple, document: Any) -> tuple[Any, set[int]]:
    """``rows`` checked against :data:`ROW_SCHEMA`: every problem to ``collector``.

    Returns the rows with what the schema rejected :data:`INVALID`, and the
    positions of the rows it found a problem in (not read further: one mistake, one message).
    """
    if document is None:  # rows inline in another file: checked as {rader: rows}
        data, at = {"rader": rows}, ("rader",)
        lines = {at + path[len(prefix) :]: line for path, line in lines.items() if path[: len(prefix)] == prefix}
    else:
        data, at = document, prefix
    names = role_names(None)

    def rename(path: KeyPath, key: str) -> str | None:
        if len(path) != len(at) + 1 or path[: len(at)] != at or not isinstance(path[-1], int):
            return None
        column = classify(key, 0, names)
        return column.role if column is not None and column.period is None else None

    renamed = canonical_keys(data, lines, rename)
    found = LocatedProblems(renamed.lines)
    ROW_SCHEMA.check(renamed.data, found, required=False)
    for line, path, message in found.located():
        raw = renamed.raw_path(path)
        key = next((str(part) for part in reversed(raw) if isinstance(part, str) and part != "rader"), None)
        if path in found.removed:
            collector.error("nyckel", message.strip(), line or None, key)
        else:
            collector.error("varde", message.strip(), line or None, key, _value(renamed.data, path))
    written = LocatedProblems({})
    written.invalid = {renamed.raw_path(p) for p in found.invalid}
    written.removed = {renamed.raw_path(p) for p in found.removed}
    pruned = prune(data, written)
    flagged = {path[len(at)] for path in found.invalid | found.removed if len(path) > len(at) and isinstance(path[len(at)], int)}
    return (pruned.get("rader") if isinstance(pruned, dict) else pruned), flagged


def _value(data: Any, path: KeyPath) -> Any:
    for part in path:
        data = data.get(part) if isinstance(data, dict) else data[part] if isinstance(data, list) and isinstance(part, int) else None
    return None if isinstance(data, dict | list) else data


def yaml_records(collector: Collector, rows: Any, lines: dict[tuple, int], prefix: tuple, document: Any = None) -> None:
    """The records of YAML rows (``{kategori, period, budget, utfall}`` each) found at ``prefix`` in the document.

    ``document`` is the whole budget file when the rows are in one (its keys
    besides ``rader:`` are checked too); None for rows inline in ``projekt.yaml``.
    """
    where = " › ".join(str(p) for p in prefix) or "filen"
    rows, flagged = _checked(collector, rows, lines, prefix, document)
    if rows is INVALID:
        return  # the schema named it
    if not isinstance(rows, list) or not rows:
        collector.error("rader", f"{where} ska vara en lista med en rad per kategori och period: "
                        "- {kategori: Personal, period: 2025, budget: 1 200 000, utfall: 1 150 000}", lines.get(prefix))  # fmt: skip
        return
    names = role_names(None)
    for position, item in enumerate(rows):
        row = lines.get(prefix + (position,))
        if position in flagged:
            continue  # the schema named its problem
        if not isinstance(item, dict):
            collector.error("rader", "raden ska ha nycklarna kategori, period, budget och utfall", row, None, item)
            continue
        values: dict[str, Any] = {}
        for key, value in item.items():
            column = classify(key, 0, names)
            if column is None or column.period is not None or column.role in values:
                collector.error("nyckel", "okänd nyckel; en rad har nycklarna kategori, period, budget och utfall", row, str(key))
                continue
            values[column.role] = (value, str(key), column.unit)
        missing = [r for r in ("kategori", "budget", "utfall") if r not in values]
        if missing:
            collector.error("nyckel", f"raden saknar {', '.join(missing)}", row)
            continue
        name = collector.category(values["kategori"][0], row, values["kategori"][1], True)
        if name is None:
            continue
        period = None
        if "period" in values:
            period = clean_heading(text_of(values["period"][0]))
            if not period:
                collector.error("period_saknas", "period saknas", row, values["period"][1])
                continue
            period = as_period(period)
        budget, outcome = values["budget"], values["utfall"]
        collector.records.append(
            Record(
                name,
                period,
                collector.money(budget[0], row, budget[1], budget[2]),
                collector.money(outcome[0], row, outcome[1], outcome[2]),
                row,
                (budget[1], outcome[1]),
            )
        )
