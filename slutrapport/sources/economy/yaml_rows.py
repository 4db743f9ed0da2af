"""Budget rows from YAML: ``rader:`` with one ``{kategori, period, budget, utfall}`` per row.

The rows are in a budget file of their own or inline in ``projekt.yaml``
under ``ekonomi: rader:``; problems name the line of the row
(:func:`~slutrapport.sources.economy.problems.yaml_lines`).
"""

from __future__ import annotations

from typing import Any

from slutrapport.sources.economy.headings import classify, role_names
from slutrapport.sources.economy.records import Collector, Record, as_period, text_of
from slutrapport.sources.readers.tabular import clean_heading

__all__ = ["yaml_records"]


def yaml_records(collector: Collector, rows: Any, lines: dict[tuple, int], prefix: tuple) -> None:
    """The records of YAML rows (``{kategori, period, budget, utfall}`` each) found at ``prefix`` in the document."""
    where = " › ".join(str(p) for p in prefix) or "filen"
    if not isinstance(rows, list) or not rows:
        collector.error("rader", f"{where} ska vara en lista med en rad per kategori och period: "
                        "- {kategori: Personal, period: 2025, budget: 1 200 000, utfall: 1 150 000}", lines.get(prefix))  # fmt: skip
        return
    names = role_names(None)
    for position, item in enumerate(rows):
        row = lines.get(prefix + (position,))
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
