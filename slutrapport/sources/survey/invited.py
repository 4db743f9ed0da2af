"""Invited counts per organisation and wave (``inbjudna``), read and checked against the answers.

The counts come from ``projekt.yaml`` (a wave's ``inbjudna:``, read by the
project) and from an optional file named under ``personalenkat: inbjudna:
fil:`` — CSV or Excel with the columns ``enkät``, ``organisation`` and
``inbjudna`` (one row per wave and organisation; organisation ``Alla`` is the
wave's total). :func:`read_invited_file` reads the file with the plain reader
and :func:`check_invited` matches the organisations to the answers' spelling
and finds the errors: more respondents than invited (naming where the count
was given, the organisation, the wave and both numbers), a count given twice
with different values, a wave that does not exist. Nothing is guessed: an
organisation without a count has no response rate.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from slutrapport.core.errors import InputFileError
from slutrapport.core.problems import WARNING, ValidationReport
from slutrapport.core.text import normalise
from slutrapport.sources.readers import read_raw
from slutrapport.sources.survey.answers import ANSWERED

__all__ = ["TOTAL", "InvitedCount", "read_invited_file", "check_invited", "answered_counts", "INVITED_FILE_COLUMNS"]

#: The organisation name of a wave's total.
TOTAL = "Alla"
#: The file's columns (headings matched case- and accent-tolerantly: enkät/enkat/etikett, organisation, inbjudna/antal).
INVITED_FILE_COLUMNS = {"enkat": ("enkät", "enkat", "etikett"), "organisation": ("organisation",), "inbjudna": ("inbjudna", "antal inbjudna", "antal")}
_MAX = 10_000_000


@dataclass(frozen=True)
class InvitedCount:
    """One count: the wave label, the organisation as written (``Alla`` for the total), the number and where it was given."""

    wave: str
    organisation: str
    count: int
    where: str  # "projekt.yaml, rad 31 (enkät 2, inbjudna: Socialtjänsten)" or "inbjudna.csv, rad 4"
    file: str = ""
    row: int | None = None


def _whole(text: str) -> int | None:
    value = "".join(str(text).split())
    if not value:
        return None
    if value.endswith((",0", ".0")):
        value = value[:-2]
    if not value.isdigit() or len(value) > 8:
        raise ValueError(value)
    return int(value)


def read_invited_file(path: Path, waves: list[str]) -> tuple[list[InvitedCount], ValidationReport]:
    """The counts of an ``inbjudna`` file; every problem in the report (file, row, column, value)."""
    report = ValidationReport()
    path = Path(path)
    try:
        raw = read_raw(path, format="plain")
    except InputFileError as exc:
        report.add(path.name, "filen kan inte läsas", str(exc))
        return [], report
    found: dict[str, int] = {}
    for role, names in INVITED_FILE_COLUMNS.items():
        for position, heading in enumerate(raw.columns):
            if normalise(heading) in {normalise(n) for n in names} and role not in found:
                found[role] = position
    missing = [names[0] for role, names in INVITED_FILE_COLUMNS.items() if role not in found]
    if missing:
        report.add(raw.name, "kolumn saknas", f"filen med inbjudna ska ha kolumnerna enkät, organisation och inbjudna; {', '.join(missing)} saknas",
                   rad=raw.header_row)  # fmt: skip
        return [], report
    labels = {normalise(w): w for w in waves}
    counts = []
    for position in range(len(raw.data)):
        cells = {role: str(raw.data.iat[position, column] or "").strip() for role, column in found.items()}
        row = raw.row_number(position)
        if not any(cells.values()):
            continue
        wave = labels.get(normalise(cells["enkat"]))
        if wave is None:
            report.add(raw.name, "okänd enkät", f"enkäten '{cells['enkat']}' finns inte i projekt.yaml (enkäterna heter {', '.join(waves)})",
                       rad=row, kolumn=raw.columns[found["enkat"]], varde=cells["enkat"])  # fmt: skip
            continue
        if not cells["organisation"]:
            report.add(raw.name, "organisation saknas", "ange organisationen (eller Alla för enkätens totala antal)",
                       rad=row, kolumn=raw.columns[found["organisation"]])  # fmt: skip
            continue
        try:
            number = _whole(cells["inbjudna"])
        except ValueError:
            number = -1
        if number is None or number < 0 or number > _MAX:
            report.add(raw.name, "ogiltigt antal", f"antalet inbjudna ska vara ett heltal 0 eller mer, inte '{cells['inbjudna']}'",
                       rad=row, kolumn=raw.columns[found["inbjudna"]], varde=cells["inbjudna"])  # fmt: skip
            continue
        counts.append(InvitedCount(wave, cells["organisation"], number, f"{raw.name}, rad {row}", raw.name, row))
    return counts, report


def answered_counts(tidy: pd.DataFrame) -> pd.DataFrame:
    """Respondents with an answer per wave and organisation as written in the answers (blank: missing).

    Columns ``enkat`` (str), ``organisation`` and ``n``.
    """
    people = tidy[tidy["status"] == ANSWERED].drop_duplicates("respondent")
    frame = pd.DataFrame({"enkat": people["enkat"].astype(str).to_numpy(), "organisation": people["organisation"].to_numpy()})
    return frame.groupby(["enkat", "organisation"], dropna=True, sort=False).size().rename("n").reset_index()


def check_invited(counts: list[InvitedCount], tidy: pd.DataFrame, waves: list[str]) -> tuple[dict[str, dict[str, int]], ValidationReport]:
    """The counts by wave and organisation in the answers' spelling (``Alla`` for a total), and the problems.

    Errors: a count given twice with different numbers; more respondents
    than invited in an organisation or in a wave's total (``Alla``: every
    respondent of the wave, also those without an organisation). Warning: an
    organisation nobody in the wave gave (its response rate is 0 %).
    Organisations are matched to the answers' spelling case- and
    space-insensitively; ``Alla`` or ``Totalt`` is the total.
    """
    report = ValidationReport()
    answered = answered_counts(tidy)
    spelling = {normalise(o): str(o) for o in answered["organisation"]}
    invited: dict[str, dict[str, int]] = {w: {} for w in waves}
    origin: dict[tuple[str, str], InvitedCount] = {}
    for entry in counts:
        name = TOTAL if normalise(entry.organisation) in (normalise(TOTAL), "totalt") else spelling.get(normalise(entry.organisation), entry.organisation)
        before = origin.get((entry.wave, name))
        if before is not None and before.count != entry.count:
            report.add(entry.file or "projekt.yaml", "inbjudna två gånger",
                       f"{entry.where}: {name} i {entry.wave} har {entry.count} inbjudna, men {before.where} anger {before.count}",
                       rad=entry.row, kolumn="inbjudna", varde=entry.count)  # fmt: skip
            continue
        origin[(entry.wave, name)] = entry
        invited.setdefault(entry.wave, {})[name] = entry.count
    for wave in waves:
        mine = answered[answered["enkat"] == wave]
        by_org = dict(zip(mine["organisation"].astype(str), mine["n"].astype(int), strict=True))
        total_answers = int(mine["n"].sum()) + _blank_answers(tidy, wave)
        for name, count in invited.get(wave, {}).items():
            n = total_answers if name == TOTAL else by_org.get(name, 0)
            entry = origin[(wave, name)]
            if n > count:
                who = "alla organisationer tillsammans" if name == TOTAL else name
                report.add(entry.file or "projekt.yaml", "fler svar än inbjudna",
                           f"{entry.where}: {who} har {n} svarande i {wave} men bara {count} inbjudna; rätta antalet inbjudna",
                           rad=entry.row, kolumn="inbjudna", varde=count)  # fmt: skip
            elif name != TOTAL and name not in by_org:
                report.add(entry.file or "projekt.yaml", "inga svar från organisationen",
                           f"{entry.where}: ingen svarande i {wave} angav organisationen {name}; svarsfrekvensen blir 0 %. "
                           f"Kontrollera stavningen (organisationerna i svaren: {', '.join(sorted(by_org)) or 'inga'})",
                           rad=entry.row, kolumn="organisation", varde=name, allvar=WARNING)  # fmt: skip
    return invited, report


def _blank_answers(tidy: pd.DataFrame, wave: str) -> int:
    people = tidy[(tidy["status"] == ANSWERED) & (tidy["enkat"].astype(str) == wave)].drop_duplicates("respondent")
    return int(people["organisation"].isna().sum())
