"""The participant tables: flow per period, outcome at avslut, försörjning before → status after, time, age.

Every table is split by kön (``Alla``, ``Kvinnor``, ``Män`` and
``Annat/ej angivet`` when the register has any) and is anonymity-safe: all
counts of all tables go into one
:class:`~.table_suppression.CellSystem` with every relation a reader could
use (kön totals, period totals, the stock identity, status → national group,
the cross table's margins, the follow-up's totals, the units' totals),
so a hidden cell cannot be computed from any combination of
the shown ones. The decision is made once for the whole family of tables of
the register: a cell is hidden in every table that shows it.

**Project totals are shown** (``show_totals``, ``sekretess: deltagare:
totaler: visa`` in ``projekt.yaml``, the default): the counts of the whole
project with no breakdown (enrolled, active and finished participants in
``Totalt``/``Alla``, the finished per status and national group in
``Alla``, the follow-up's ``Alla`` counts) are public
cells, shown however small, as the funders' reports publish them ("of 14
participants, 2 went on to work"). A count of the whole project points at
nobody; a breakdown by kön, ålder, period, unit or income before does,
together with what people know of each other. So the suppression protects
the breakdowns: a breakdown cell of 1 to ``min_n`` − 1 is hidden, and so is
every cell it could be derived from, the shown project totals included
("total minus the other shown kön"). With ``totaler: dolj`` the totals are
suppressed like every other cell (the behaviour before public totals).

Tables (fixed columns, the ``rapport.json`` contracts):

- ``flow`` (:data:`FLOW_COLUMNS`): per period (``"2025 H1"`` …) and
  ``Totalt``: ``inskrivna`` enrolled in the period, ``avslutade`` finished in
  it, ``aktiva`` active at the end of the period (at the report date for the
  last period and for ``Totalt``). Hence ``aktiva`` = previous ``aktiva`` +
  ``inskrivna`` − ``avslutade``. A row is hidden as a whole.
- ``outcome`` (:data:`OUTCOME_COLUMNS`): finished participants by status
  (``indelning`` ``status``, the project's categories) and by national group
  (``nationell``); ``andel`` = n / finished participants of the same kön,
  empty when either is hidden.
- ``income`` (:data:`INCOME_COLUMNS`): finished participants, national income
  group at inskrivning (``fore``) × national status group at avslut (``efter``).
- ``time`` (:data:`TIME_COLUMNS`): finished participants' calendar days from
  inskrivning to avslut (mean, median) and mean number of meetings (of those
  with a number); hidden with the kön's count of finished participants.
- ``ages`` (:data:`AGE_COLUMNS`): enrolled participants by age group (report
  only, not part of ``rapport.json``).
- ``totals`` (:data:`PROJECT_COLUMNS`): the whole project's counts with
  their share: ``indelning`` ``deltagare`` (``inskrivna``; ``aktiva`` and
  ``avslutade`` with their share of the enrolled), ``status`` and
  ``nationell`` (share of the finished). The same numbers as the ``Alla``
  cells of ``flow`` and ``outcome``.
- ``follow_up`` (:data:`~.follow_up.FOLLOW_UP_COLUMNS`, None without the
  register's follow-up columns) and ``places``
  (:data:`~.places.PLACES_COLUMNS`, None without ``platser:``).

:func:`project_counts` gives the whole project's counts straight from the
register, never suppressed, for a goal that needs a count whatever its
breakdowns show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import pairwise

import pandas as pd

from slutrapport.analysis.follow_up import FOLLOW_UP_COLUMNS, add_follow_up, follow_up_table
from slutrapport.analysis.places import PLACES_COLUMNS, add_unit_cells, check_periods, places_table
from slutrapport.analysis.project_totals import PROJECT_COLUMNS, project_counts, totals_table
from slutrapport.analysis.table_suppression import CellSystem
from slutrapport.core.problems import Problem, ValidationReport
from slutrapport.sources.register.participants import NATIONAL_INCOME, NATIONAL_STATUS, Register, RegisterValidationError
from slutrapport.sources.register.places import PlacesPlan
from slutrapport.sources.register.values import ALL, GENDERS

__all__ = [
    "ParticipantResults",
    "analyse_participants",
    "project_counts",
    "PROJECT_COLUMNS",
    "FOLLOW_UP_COLUMNS",
    "PLACES_COLUMNS",
    "periods",
    "age_group",
    "FLOW_COLUMNS",
    "OUTCOME_COLUMNS",
    "INCOME_COLUMNS",
    "TIME_COLUMNS",
    "AGE_COLUMNS",
    "TOTAL",
    "STATUS",
    "NATIONAL",
    "UNKNOWN_AGE",
]

FLOW_COLUMNS = ["period", "kon", "inskrivna", "aktiva", "avslutade", "undertryckt"]
OUTCOME_COLUMNS = ["indelning", "kategori", "kon", "n", "andel", "undertryckt"]
INCOME_COLUMNS = ["fore", "efter", "kon", "n", "undertryckt"]
TIME_COLUMNS = ["kon", "n", "medel_dagar", "median_dagar", "moten_medel", "undertryckt"]
AGE_COLUMNS = ["aldersgrupp", "kon", "n", "undertryckt"]
TOTAL = "Totalt"
STATUS, NATIONAL = "status", "nationell"
UNKNOWN_AGE = "uppgift saknas"
_FLOW = ("inskrivna", "aktiva", "avslutade")
#: Complement order for the suppression: detailed cross tables first, totals last. In the flow
#: table ``aktiva`` comes after ``inskrivna``/``avslutade``: a hidden stock must stay hidden in every later
#: period (aktiva = previous aktiva + inskrivna − avslutade), a hidden flow needs only one partner period.
#: The finished participants per kön (``Totalt``/``avslutade``) are the denominators of every outcome share: last.
_TIERS = {
    "forsorjning": 0, "enhet": 1, "alder": 2, "uppf_status": 3, "status": 4, "uppf_nationell": 5, "nationell": 6,
    "uppfoljning": 7, "flode": 8, "flode_aktiva": 10, "flode_totalt": 12, "flode_avslutade": 14,
}  # fmt: skip


def _tier(table: str, gender: str) -> int:
    """The cell's tier: the table's, plus one for the Alla cell (a kön total)."""
    return _TIERS[table] + (gender == ALL)


@dataclass
class ParticipantResults:
    """The participant tables of one project (all anonymity-safe)."""

    flow: pd.DataFrame
    outcome: pd.DataFrame
    income: pd.DataFrame
    time: pd.DataFrame
    ages: pd.DataFrame | None
    min_n: int
    report_date: date
    period: str
    genders: list[str]
    status_groups: dict[str, str]
    income_groups: dict[str, str]
    file: str
    has_meetings: bool = False
    anonymous: bool = False  # some participants are counted without consent to registration (SUS "anonyma")
    warnings: list[Problem] = field(default_factory=list)
    totals: pd.DataFrame | None = None  # PROJECT_COLUMNS
    show_totals: bool = True  # sekretess: deltagare: totaler: visa
    follow_up: pd.DataFrame | None = None  # FOLLOW_UP_COLUMNS, when the register has follow-up columns
    places: pd.DataFrame | None = None  # PLACES_COLUMNS, when projekt.yaml has platser:

    def _total(self, column: str) -> int | None:
        row = self.flow[(self.flow["period"] == TOTAL) & (self.flow["kon"] == ALL)]
        value = row[column].iloc[0] if len(row) else pd.NA
        return None if pd.isna(value) else int(value)

    @property
    def enrolled(self) -> int | None:
        """All enrolled participants (None when hidden): the ``Totalt``/``Alla`` row."""
        return self._total("inskrivna")

    @property
    def finished(self) -> int | None:
        """All finished participants (None when hidden)."""
        return self._total("avslutade")

    @property
    def active(self) -> int | None:
        """Participants still active at the report date (None when hidden)."""
        return self._total("aktiva")


# --------------------------------------------------------------------------- periods and groups


def periods(kind: str, first: date, last: date) -> list[tuple[str, date, date]]:
    """``(label, start, end)`` of every period from the one holding ``first`` to the one holding ``last``.

    ``kind``: ``halvar`` ("2025 H1"), ``kvartal`` ("2025 K3"), ``ar`` ("2025") or ``manad`` ("2025-03").
    """
    months = {"halvar": 6, "kvartal": 3, "ar": 12, "manad": 1}[kind]
    year, month = first.year, (first.month - 1) // months * months + 1
    found = []
    while date(year, month, 1) <= last:
        start = date(year, month, 1)
        next_year, next_month = (year + 1, 1) if month + months > 12 else (year, month + months)
        end = date(next_year, next_month, 1) - timedelta(days=1)
        number = (month - 1) // months + 1
        label = {"halvar": f"{year} H{number}", "kvartal": f"{year} K{number}", "ar": str(year), "manad": f"{year}-{month:02d}"}[kind]
        found.append((label, start, end))
        year, month = next_year, next_month
    return found


def age_group(age: int, bounds: tuple[int, ...]) -> str:
    """The band ``age`` falls in: bounds (25, 35, 50) → "under 25 år", "25–34 år", "35–49 år", "50 år och äldre"."""
    if age < bounds[0]:
        return f"under {bounds[0]} år"
    for low, high in pairwise(bounds):
        if low <= age < high:
            return f"{low}–{high - 1} år"
    return f"{bounds[-1]} år och äldre"


def _age_labels(register: Register) -> tuple[pd.Series, list[str]]:
    table = register.table
    bounds = register.age_bounds
    from_age = table["alder"].map(lambda a: None if pd.isna(a) else age_group(int(a), bounds))
    labels = from_age.where(from_age.notna(), table["aldersgrupp"]).fillna(UNKNOWN_AGE)
    order = [age_group(a, bounds) for a in (bounds[0] - 1, *bounds)]
    written = sorted(set(labels) - set(order) - {UNKNOWN_AGE}, key=_first_number)
    present = [g for g in order if g in set(labels)] + written
    return labels, present + ([UNKNOWN_AGE] if UNKNOWN_AGE in set(labels) else [])


def _between(dates: pd.Series, start: date, end: date) -> pd.Series:
    return (dates >= pd.Timestamp(start)) & (dates <= pd.Timestamp(end))


def _first_number(text: str) -> tuple[int, str]:
    digits = "".join(c if c.isdigit() else " " for c in text).split()
    return (int(digits[0]) if digits else 10**6, text)


# --------------------------------------------------------------------------- building the cells


class _Cells:
    """Counts every table cell from the register and states how the cells relate."""

    def __init__(self, register: Register, show_totals: bool = True) -> None:
        self.register = register
        self.show_totals = show_totals
        table = register.table
        present = set(table["kon"])
        self.genders = [ALL] + [g for g in GENDERS[1:] if g in present]
        self.parts = self.genders[1:]
        self.system = CellSystem()
        self.by_gender = {g: table if g == ALL else table[table["kon"] == g] for g in self.genders}
        self.finished = {g: rows[rows["avslut"].notna()] for g, rows in self.by_gender.items()}
        self.income_group = {c: g for c, g in register.income_groups.items()}

    def add(self, key: tuple, value: int, table: str, gender: str, total: bool = False) -> None:
        """A cell of ``table`` (its tier); ``total``: a count of the whole project, public when totals are shown."""
        self.system.add(key, value, _tier(table, gender), public=total and gender == ALL and self.show_totals)

    def kon_sums(self, prefix: tuple, suffix: tuple = (), protect: bool = True) -> None:
        """Alla = the sum over kön of the cells ``(*prefix, kön, *suffix)``.

        ``protect``: the hidden kön cells of a shown Alla must hold ``min_n``.
        """
        self.system.add_sum((*prefix, ALL, *suffix), [(*prefix, g, *suffix) for g in self.parts], protect=protect)

    def flow(self) -> list[str]:
        register, system = self.register, self.system
        table = register.table
        first = min([d for d in (register.start_date, table["inskrivning"].min().date()) if d is not None])
        spans = periods(register.period, first, register.report_date)
        self.spans = spans
        rows = [label for label, _, _ in spans] + [TOTAL]
        for gender in self.genders:
            data = self.by_gender[gender]
            enrolled, ended = data["inskrivning"], data["avslut"]
            for label, start, end in spans:
                moment = pd.Timestamp(min(end, register.report_date))
                active = ((enrolled <= moment) & (ended.isna() | (ended > moment))).sum()
                counts = (_between(enrolled, start, end).sum(), active, _between(ended, start, end).sum())
                for column, value in zip(_FLOW, counts, strict=True):
                    system.add(("flode", label, gender, column), int(value), _tier("flode_aktiva" if column == "aktiva" else "flode", gender))
            totals = (len(data), int(ended.isna().sum()), int(ended.notna().sum()))
            for column, value in zip(_FLOW, totals, strict=True):
                self.add(("flode", TOTAL, gender, column), value, "flode_avslutade" if column == "avslutade" else "flode_totalt", gender, total=True)
        for row in rows:
            for column in _FLOW:
                self.kon_sums(("flode", row), (column,), protect=False)
        labels = rows[:-1]
        for gender in self.genders:
            for column in ("inskrivna", "avslutade"):
                system.add_sum(("flode", TOTAL, gender, column), [("flode", label, gender, column) for label in labels])
            for number, label in enumerate(labels):  # aktiva = previous aktiva + inskrivna - avslutade
                stock = {("flode", label, gender, c): sign for c, sign in (("aktiva", 1), ("inskrivna", -1), ("avslutade", 1))}
                if number:
                    stock[("flode", labels[number - 1], gender, "aktiva")] = -1
                system.add_relation(stock)
            system.add_relation({("flode", TOTAL, gender, c): sign for c, sign in (("aktiva", 1), ("inskrivna", -1), ("avslutade", 1))})
        return rows

    def finished_key(self, gender: str) -> tuple:
        return ("flode", TOTAL, gender, "avslutade")

    def outcome(self) -> None:
        system, statuses = self.system, list(self.register.status_groups)
        for gender in self.genders:
            counts = self.finished[gender]["status"].value_counts()
            for status in statuses:
                self.add(("status", status, gender), int(counts.get(status, 0)), "status", gender, total=True)
            nationals = counts.groupby(counts.index.map(self.register.status_groups)).sum()
            for group in NATIONAL_STATUS:
                self.add(("nationell", group, gender), int(nationals.get(group, 0)), "nationell", gender, total=True)
        for status in statuses:
            self.kon_sums(("status", status))
        for group in NATIONAL_STATUS:
            self.kon_sums(("nationell", group))
        for gender in self.genders:
            system.add_sum(self.finished_key(gender), [("status", s, gender) for s in statuses])
            system.add_sum(self.finished_key(gender), [("nationell", g, gender) for g in NATIONAL_STATUS])
            for group in NATIONAL_STATUS:
                members = [("status", s, gender) for s, g in self.register.status_groups.items() if g == group]
                if members:
                    system.add_sum(("nationell", group, gender), members)

    def income(self) -> None:
        system = self.system
        for gender in self.genders:
            data = self.finished[gender]
            pairs = pd.crosstab(data["forsorjning"].map(self.income_group), data["status"].map(self.register.status_groups))
            for before in NATIONAL_INCOME:
                for after in NATIONAL_STATUS:
                    value = pairs.at[before, after] if before in pairs.index and after in pairs.columns else 0
                    system.add(("forsorjning", before, after, gender), int(value), _tier("forsorjning", gender))
        for before in NATIONAL_INCOME:
            for after in NATIONAL_STATUS:
                self.kon_sums(("forsorjning", before, after))
        for gender in self.genders:
            for after in NATIONAL_STATUS:
                system.add_sum(("nationell", after, gender), [("forsorjning", b, after, gender) for b in NATIONAL_INCOME])

    def ages(self) -> list[str]:
        labels, order = _age_labels(self.register)
        for gender in self.genders:
            counts = labels[self.by_gender[gender].index].value_counts()
            for group in order:
                self.system.add(("alder", group, gender), int(counts.get(group, 0)), _tier("alder", gender))
        for group in order:
            self.kon_sums(("alder", group))
        for gender in self.genders:
            self.system.add_sum(("flode", TOTAL, gender, "inskrivna"), [("alder", a, gender) for a in order])
        return order


# --------------------------------------------------------------------------- tables


def _count(system: CellSystem, hidden: dict, key) -> int | None:
    return None if key in hidden else system.value(key)


def _frame(rows: list[dict], columns: list[str], counts: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=columns)
    for column in counts:
        frame[column] = frame[column].astype("Int64")
    frame["undertryckt"] = frame["undertryckt"].astype(bool)
    return frame


def _time_table(cells: _Cells, hidden: dict) -> pd.DataFrame:
    rows = []
    for gender in cells.genders:
        data = cells.finished[gender]
        n = _count(cells.system, hidden, cells.finished_key(gender))
        days = (data["avslut"] - data["inskrivning"]).dt.days
        meetings = data["moten"].dropna()
        shown = n is not None and n > 0
        rows.append(
            {
                "kon": gender,
                "n": n,
                "medel_dagar": float(days.mean()) if shown else None,
                "median_dagar": float(days.median()) if shown else None,
                "moten_medel": float(meetings.mean()) if shown and len(meetings) else None,
                "undertryckt": n is None,
            }
        )
    return _frame(rows, TIME_COLUMNS, ["n"])


def _check_places(places: PlacesPlan, labels: list[str], kind: str) -> None:
    unknown = check_periods(places, labels, kind)
    if unknown:
        report = ValidationReport()
        for label in unknown:
            report.add("projekt.yaml", "projektfil", f"perioden finns inte i deltagartabellerna; perioderna är {', '.join(labels)}",
                       kolumn=f"platser: perioder: {label}", varde=label)  # fmt: skip
        raise RegisterValidationError(report)


def analyse_participants(
    register: Register,
    min_n: int = 5,
    *,
    show_totals: bool = True,
    places: PlacesPlan | None = None,
) -> ParticipantResults:
    """Every participant table, suppressed together.

    ``show_totals``: the whole project's counts are public (``sekretess: deltagare: totaler: visa``);
    ``places``: the planned places (``platser:``), compared per period. A delrapport passes a
    register whose rows and report date end with its period. The goals are evaluated by
    :func:`~slutrapport.analysis.goal_outcomes.evaluate_goals`.
    """
    cells = _Cells(register, show_totals)
    rows = cells.flow()
    cells.outcome()
    cells.income()
    age_order = cells.ages() if register.has_age else []
    months = add_follow_up(cells) if register.follow_up else []
    if places is not None:
        _check_places(places, rows[:-1], register.period)
    units = add_unit_cells(cells, rows[:-1], places) if places is not None else []
    system = cells.system
    hidden = system.suppress(min_n)

    def count(key: tuple) -> int | None:
        return _count(system, hidden, key)

    flow = []
    for row in rows:
        for g in cells.genders:
            row_hidden = any(("flode", row, g, c) in hidden for c in _FLOW)
            numbers = {c: None if row_hidden else system.value(("flode", row, g, c)) for c in _FLOW}
            flow.append({"period": row, "kon": g, **numbers, "undertryckt": row_hidden})
    outcome = []
    for division, names, prefix in ((STATUS, list(register.status_groups), "status"), (NATIONAL, list(NATIONAL_STATUS), "nationell")):
        for name in names:
            for g in cells.genders:
                n, total = count((prefix, name, g)), count(cells.finished_key(g))
                share = n / total if n is not None and total else None
                outcome.append({"indelning": division, "kategori": name, "kon": g, "n": n, "andel": share, "undertryckt": n is None})
    income = [
        {"fore": before, "efter": after, "kon": g, "n": count(("forsorjning", before, after, g)), "undertryckt": ("forsorjning", before, after, g) in hidden}
        for before in NATIONAL_INCOME
        for after in NATIONAL_STATUS
        for g in cells.genders
    ]
    ages = [
        {"aldersgrupp": a, "kon": g, "n": count(("alder", a, g)), "undertryckt": ("alder", a, g) in hidden}
        for a in age_order
        for g in cells.genders
    ]
    results = ParticipantResults(
        flow=_frame(flow, FLOW_COLUMNS, list(_FLOW)),
        outcome=_frame(outcome, OUTCOME_COLUMNS, ["n"]),
        income=_frame(income, INCOME_COLUMNS, ["n"]),
        time=_time_table(cells, hidden),
        ages=_frame(ages, AGE_COLUMNS, ["n"]) if register.has_age else None,
        min_n=min_n,
        report_date=register.report_date,
        period=register.period,
        genders=cells.genders,
        status_groups=dict(register.status_groups),
        income_groups=dict(register.income_groups),
        file=register.file,
        has_meetings=register.has_meetings,
        anonymous=bool(register.table["anonym"].any()),
        warnings=register.report.warnings(),
        show_totals=show_totals,
        follow_up=follow_up_table(cells, hidden, months) if months else None,
        places=places_table(cells, hidden, rows[:-1], places, units) if places is not None else None,
    )
    results.totals = totals_table(results.flow, results.outcome)
    return results
