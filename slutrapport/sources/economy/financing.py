"""The ``finansiering:`` key of ``projekt.yaml``: what each party funds, budgeted and actual, in kronor.

::

    finansiering:
      Samordningsförbundet: {budget: 600000, utfall: 585000}
      Arbetsförmedlingen: 600000        # the budget only

Not the same key as ``finansiering:`` in the socio-economic parameter file
(:mod:`.method_settings`), which gives the public actors' *shares* of the
project cost for the typfall calculation. The shapes are checked by
``projekt.schema.json`` when the project is loaded; :func:`read_financing`
turns the checked mapping into a tidy table and refuses what the schema
cannot: a party with neither amount, and a party named twice (compared
without regard to case and spaces).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from slutrapport.core.errors import ProjectError, problem_list
from slutrapport.core.text import normalise

__all__ = ["PARTY_COLUMNS", "read_financing"]

#: Columns of the table :func:`read_financing` returns: one row per party, in the file's order.
PARTY_COLUMNS = ["part", "budget", "utfall"]


def _amount(value: Any) -> float | None:
    return None if value is None or isinstance(value, bool) else float(value)


def read_financing(raw: Any, project_file: str = "projekt.yaml") -> pd.DataFrame | None:
    """The parties and their amounts (:data:`PARTY_COLUMNS`; ``utfall`` may be empty), or None without ``finansiering:``."""
    if not raw:
        return None
    problems, rows, seen = [], [], {}
    for name, value in raw.items():
        party = " ".join(str(name).split())
        key = normalise(party)
        if key in seen:
            problems.append(f"finansiering: {party}: parten står två gånger (också som '{seen[key]}')")
            continue
        seen[key] = party
        amounts = value if isinstance(value, dict) else {"budget": value}
        budget, outcome = _amount(amounts.get("budget")), _amount(amounts.get("utfall"))
        if budget is None and outcome is None:
            problems.append(f"finansiering: {party}: ange budget: eller utfall: i kronor, t.ex. {{budget: 600000, utfall: 585000}}")
            continue
        rows.append({"part": party, "budget": budget, "utfall": outcome})
    if problems:
        raise ProjectError(problem_list(project_file, problems))
    return pd.DataFrame(rows, columns=PARTY_COLUMNS).astype({"budget": float, "utfall": float})
