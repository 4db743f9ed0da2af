"""The whole project's participant counts: enrolled, active, finished and the finished per status and national group.

``totals`` (:data:`PROJECT_COLUMNS`): ``indelning`` ``deltagare``
(``kategori`` ``inskrivna``; ``aktiva`` and ``avslutade`` with ``andel`` of
the enrolled), ``status`` (the project's statuses) and ``nationell`` (the
national groups), each with ``andel`` of the finished participants.
:func:`totals_table` takes them from the suppressed flow and outcome tables
(their ``Totalt``/``Alla`` cells: shown however small when the project
totals are public, see :mod:`.participants`); :func:`project_counts` counts
them straight from the register, never suppressed, for a goal verdict that
needs them.
"""

from __future__ import annotations

import pandas as pd

from slutrapport.sources.register.participants import NATIONAL_STATUS, Register
from slutrapport.sources.register.values import ALL

__all__ = ["PROJECT_COLUMNS", "totals_table", "project_counts"]

PROJECT_COLUMNS = ["indelning", "kategori", "n", "andel", "undertryckt"]
_FLOW = ("inskrivna", "aktiva", "avslutade")
_TOTAL = "Totalt"


def _frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=PROJECT_COLUMNS)
    frame["n"] = frame["n"].astype("Int64")
    frame["andel"] = frame["andel"].astype(float)
    frame["undertryckt"] = frame["undertryckt"].astype(bool)
    return frame


def totals_table(flow: pd.DataFrame, outcome: pd.DataFrame) -> pd.DataFrame:
    """The whole project's counts as published: the ``Totalt``/``Alla`` flow row and the ``Alla`` outcome cells."""
    row = flow[(flow["period"] == _TOTAL) & (flow["kon"] == ALL)].iloc[0]
    enrolled = None if row["undertryckt"] else int(row["inskrivna"])
    rows = []
    for column in _FLOW:
        n = None if row["undertryckt"] else int(row[column])
        share = n / enrolled if n is not None and enrolled and column != "inskrivna" else None
        rows.append({"indelning": "deltagare", "kategori": column, "n": n, "andel": share, "undertryckt": n is None})
    for r in outcome[outcome["kon"] == ALL].itertuples(index=False):
        rows.append({"indelning": r.indelning, "kategori": r.kategori, "n": None if r.undertryckt else int(r.n),
                     "andel": None if pd.isna(r.andel) else float(r.andel), "undertryckt": bool(r.undertryckt)})  # fmt: skip
    return _frame(rows)


def project_counts(register: Register) -> pd.DataFrame:
    """The whole project's counts straight from the register, never suppressed (:data:`PROJECT_COLUMNS`).

    For a goal verdict that needs a count of the whole project even when a breakdown of it is hidden;
    a report shows these numbers only through ``ParticipantResults.totals``, which follows
    ``sekretess: deltagare: totaler:``.
    """
    table = register.table
    finished = table[table["avslut"].notna()]
    enrolled, done = len(table), len(finished)
    rows = [
        {"indelning": "deltagare", "kategori": "inskrivna", "n": enrolled, "andel": None},
        {"indelning": "deltagare", "kategori": "aktiva", "n": enrolled - done, "andel": (enrolled - done) / enrolled if enrolled else None},
        {"indelning": "deltagare", "kategori": "avslutade", "n": done, "andel": done / enrolled if enrolled else None},
    ]
    counts = finished["status"].value_counts()
    for status in register.status_groups:
        n = int(counts.get(status, 0))
        rows.append({"indelning": "status", "kategori": status, "n": n, "andel": n / done if done else None})
    nationals = finished["status"].map(register.status_groups).value_counts()
    for group in NATIONAL_STATUS:
        n = int(nationals.get(group, 0))
        rows.append({"indelning": "nationell", "kategori": group, "n": n, "andel": n / done if done else None})
    return _frame([{**r, "undertryckt": False} for r in rows])
