"""Status 6 and 12 months after avslut: who was followed up, who is not due yet, who was lost, and their status.

The register's columns ``status_6man`` / ``status_12man`` hold the status at
the follow-up (the same categories as the status at avslut) or a word for
"not reached" (:data:`~slutrapport.sources.register.participants.LOST`).
Every finished participant is in exactly one of three groups per follow-up:

- ``uppföljda``: the months have passed at the report date and a status is given;
- ``ej uppföljda än``: the months have not passed at the report date (a status
  written early is not counted until then);
- ``bortfall``: the months have passed but no status is given, or the
  participant was not reached.

So uppföljda + ej uppföljda än + bortfall = the finished participants, and
the statuses (and their national groups, as at avslut) sum to uppföljda.
The cells join the participant tables' :class:`~.table_suppression.CellSystem`
with these relations, split by kön like the outcome table; the ``Alla``
counts are project totals (public when the totals are shown).

``follow_up`` (:data:`FOLLOW_UP_COLUMNS`), a tidy table: ``manader`` (6 or
12), ``indelning`` (``uppfoljning``, ``status``, ``nationell``),
``kategori``, ``kon``, ``n``, ``andel`` (for ``uppfoljning`` the share of
the finished participants of the kön, otherwise of the followed-up ones;
empty when either is hidden) and ``undertryckt``.
"""

from __future__ import annotations

import pandas as pd

from slutrapport.sources.register.participants import LOST, NATIONAL_STATUS, follow_up_date

__all__ = ["FOLLOW_UP_COLUMNS", "FOLLOWED", "NOT_DUE", "LOST_GROUP", "follow_up_groups", "add_follow_up", "follow_up_table"]

FOLLOW_UP_COLUMNS = ["manader", "indelning", "kategori", "kon", "n", "andel", "undertryckt"]
FOLLOWED, NOT_DUE, LOST_GROUP = "uppföljda", "ej uppföljda än", "bortfall"
_GROUPS = (FOLLOWED, NOT_DUE, LOST_GROUP)


def follow_up_groups(finished: pd.DataFrame, months: int, report_date) -> tuple[pd.Series, pd.Series]:
    """Per finished participant: the group (:data:`FOLLOWED`, :data:`NOT_DUE`, :data:`LOST_GROUP`) and the status (None unless followed up)."""
    column = finished[f"status_{months}man"]
    due = finished["avslut"].map(lambda d: follow_up_date(d.date(), months) <= report_date).astype(bool)  # bool also when empty
    given = column.notna() & (column != LOST)
    group = pd.Series(LOST_GROUP, index=finished.index)
    group[~due] = NOT_DUE
    group[due & given] = FOLLOWED
    return group, column.where(group == FOLLOWED)


def add_follow_up(cells) -> list[int]:
    """Add the follow-up cells and their relations to ``cells`` (the participant tables' cells); the months done."""
    register, system = cells.register, cells.system
    statuses = list(register.status_groups)
    for months in register.follow_up:
        for gender in cells.genders:
            group, status = follow_up_groups(cells.finished[gender], months, register.report_date)
            counts, by_status = group.value_counts(), status.value_counts()
            for name in _GROUPS:
                cells.add(("uppfoljning", months, name, gender), int(counts.get(name, 0)), "uppfoljning", gender, total=True)
            for name in statuses:
                cells.add(("uppf_status", months, name, gender), int(by_status.get(name, 0)), "uppf_status", gender, total=True)
            nationals = by_status.groupby(by_status.index.map(register.status_groups)).sum()
            for name in NATIONAL_STATUS:
                cells.add(("uppf_nationell", months, name, gender), int(nationals.get(name, 0)), "uppf_nationell", gender, total=True)
        for gender in cells.genders:
            followed = ("uppfoljning", months, FOLLOWED, gender)
            system.add_sum(cells.finished_key(gender), [("uppfoljning", months, name, gender) for name in _GROUPS])
            system.add_sum(followed, [("uppf_status", months, name, gender) for name in statuses])
            system.add_sum(followed, [("uppf_nationell", months, name, gender) for name in NATIONAL_STATUS])
            for group_name in NATIONAL_STATUS:
                members = [("uppf_status", months, s, gender) for s, g in register.status_groups.items() if g == group_name]
                if members:
                    system.add_sum(("uppf_nationell", months, group_name, gender), members)
        for name in _GROUPS:
            cells.kon_sums(("uppfoljning", months, name))
        for name in statuses:
            cells.kon_sums(("uppf_status", months, name))
        for name in NATIONAL_STATUS:
            cells.kon_sums(("uppf_nationell", months, name))
    return list(register.follow_up)


def follow_up_table(cells, hidden: dict, months_done: list[int]) -> pd.DataFrame:
    """The tidy follow-up table (:data:`FOLLOW_UP_COLUMNS`) with the hidden cells empty."""
    system, register = cells.system, cells.register

    def count(key):
        return None if key in hidden else system.value(key)

    rows = []
    for months in months_done:
        divisions = (("uppfoljning", list(_GROUPS)), ("status", list(register.status_groups)), ("nationell", list(NATIONAL_STATUS)))
        for division, names in divisions:
            prefix = {"uppfoljning": "uppfoljning", "status": "uppf_status", "nationell": "uppf_nationell"}[division]
            for name in names:
                for gender in cells.genders:
                    base = cells.finished_key(gender) if division == "uppfoljning" else ("uppfoljning", months, FOLLOWED, gender)
                    n, total = count((prefix, months, name, gender)), count(base)
                    share = n / total if n is not None and total else None
                    rows.append({"manader": months, "indelning": division, "kategori": name, "kon": gender, "n": n,
                                 "andel": share, "undertryckt": n is None})  # fmt: skip
    frame = pd.DataFrame(rows, columns=FOLLOW_UP_COLUMNS)
    frame["manader"] = frame["manader"].astype(int)
    frame["n"] = frame["n"].astype("Int64")
    frame["undertryckt"] = frame["undertryckt"].astype(bool)
    return frame
