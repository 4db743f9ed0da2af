"""Generate the fictional participant register ``data_samples/deltagare.csv``.

The register belongs to "Vägen framåt" (2025-01-01 -- 2026-06-30, see
``generate.py``). It is saved the way Swedish Excel saves "CSV
(semikolonavgränsad)": Windows-1252, ``;``, CRLF, minimal quoting. One row per
participant with a pseudonymous id (``VF-001`` …), never a name or
personnummer.

What the sample shows:

- 52 participants enrolled between January 2025 and May 2026, 27 women and
  25 men, written ``Kvinna``/``Man`` and sometimes ``K``/``M`` or with stray
  spaces and other letter case, to exercise normalisation;
- 38 have finished (avslutsdatum and status), 14 are still active (both
  blank);
- the statuses at avslut follow a fixed distribution: arbete 9, studier 3,
  arbetssökande 6, insats hos AF 5, annat projekt 3, sjukskriven 3, behöver
  långsiktigt stöd 6, avbrott 3 -- several cells by kön are under the
  anonymity threshold of 5, so suppression shows in the report;
- the försörjning column has a SUS-style heading (``Huvudsaklig försörjning
  före``) that ``projekt.yaml`` maps with ``kolumner:``, and a few values
  written as ``ekonomiskt bistånd`` (a built-in alias of försörjningsstöd);
- a few dates carry Excel's ``00:00`` time;
- the column ``Enhet`` places each participant in one of the project's two
  units (Storsjö and Åsby, planned at 12 and 8 places under ``platser:``);
- the columns ``Status 6 månader`` and ``Status 12 månader`` hold the
  follow-up after avslut for those whose 6 or 12 months have passed at the
  report date 2026-06-30: a status, ``ej nådd`` or blank (both bortfall);
  blank for those not due yet. They come from a second generator
  (:data:`FOLLOW_UP_SEED`), so the columns above are the same as before they
  were added.

The goals in ``projekt.yaml`` fit the data: 12 of 38 finished participants
(32 %) reached arbete or studier against a target of 40 % (the Wilson
interval 19--48 % contains the target: uncertain), and 52 enrolled against a
target of at least 45 (reached).

Deterministic: a fixed seed, numpy's ``default_rng`` and no timestamps, so
``python data_samples/generate.py`` rewrites the file byte for byte.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import numpy as np

SEED = 20250153
FOLLOW_UP_SEED = 20260630
UNITS = ("Storsjö", "Åsby")
#: The follow-up statuses and their weights; "" = no status (bortfall).
FOLLOW_UP = {"Arbete": 6, "Studier": 2, "Arbetssökande": 3, "Insats hos AF": 2, "Sjukskriven": 1, "Behöver långsiktigt stöd": 2,
             "ej nådd": 1, "": 2}  # fmt: skip
HERE = Path(__file__).resolve().parent
OUT_FILE = HERE / "deltagare.csv"

START = dt.date(2025, 1, 13)
LAST_ENROLMENT = dt.date(2026, 5, 18)
REPORT_DATE = dt.date(2026, 6, 30)
PARTICIPANTS = 52
WOMEN = 27
STATUSES = (
    ["Arbete"] * 9 + ["Studier"] * 5 + ["Arbetssökande"] * 6 + ["Insats hos AF"] * 5 + ["Annat projekt"] * 3
    + ["Sjukskriven"] * 2 + ["Behöver långsiktigt stöd"] * 5 + ["Avbrott"] * 3
)  # fmt: skip
FINISHED = len(STATUSES)  # 38
INCOME = (
    ["Försörjningsstöd"] * 17 + ["ekonomiskt bistånd"] * 3 + ["A-kassa"] * 6 + ["Aktivitetsstöd"] * 5
    + ["Sjukpenning"] * 6 + ["Aktivitetsersättning"] * 4 + ["Etableringsersättning"] * 5 + ["Lön"] * 2 + ["Ingen"] * 4
)  # fmt: skip
HEADER = [
    "Deltagar-ID",
    "Kön",
    "Ålder",
    "Inskrivningsdatum",
    "Avslutsdatum",
    "Huvudsaklig försörjning före",
    "Status vid avslut",
    "Antal möten",
    "Enhet",
    "Status 6 månader",
    "Status 12 månader",
]


def _gender_text(rng: np.random.Generator, woman: bool) -> str:
    spellings = ["Kvinna"] * 8 + ["K", "kvinna "] if woman else ["Man"] * 8 + ["M", "MAN"]
    return spellings[int(rng.integers(len(spellings)))]


def _date_text(rng: np.random.Generator, day: dt.date) -> str:
    return day.isoformat() + (" 00:00" if rng.random() < 0.1 else "")


def make_rows(rng: np.random.Generator) -> list[list[str]]:
    """One row per participant in enrolment order."""
    span = (LAST_ENROLMENT - START).days
    offsets = np.sort(rng.choice(span, size=PARTICIPANTS, replace=False))
    enrolled = [START + dt.timedelta(days=int(o)) for o in offsets]
    women = set(rng.choice(PARTICIPANTS, size=WOMEN, replace=False).tolist())
    # The earliest 42 enrolled are the candidates to have finished; 4 of them are still active.
    still_active = set(rng.choice(42, size=42 - FINISHED, replace=False).tolist())
    finishing = [i for i in range(42) if i not in still_active]
    statuses = dict(zip(finishing, rng.permutation(STATUSES).tolist(), strict=True))
    income = rng.permutation(INCOME).tolist()
    rows = []
    for i, day in enumerate(enrolled):
        ended = ""
        status = statuses.get(i, "")
        if status:
            length = int(rng.integers(45, 330)) if status != "Avbrott" else int(rng.integers(10, 90))
            end = min(day + dt.timedelta(days=length), REPORT_DATE - dt.timedelta(days=int(rng.integers(3, 20))))
            ended = _date_text(rng, max(end, day + dt.timedelta(days=7)))
        meetings = int(rng.integers(3, 12)) + (0 if not status else int(rng.integers(4, 30)))
        rows.append(
            [
                f"VF-{i + 1:03d}",
                _gender_text(rng, i in women),
                str(int(rng.integers(19, 64))),
                _date_text(rng, day),
                ended,
                income[i],
                status,
                "" if i == PARTICIPANTS - 1 else str(meetings),
            ]
        )
    return rows


def _months_after(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, 28))


def add_units_and_follow_up(rows: list[list[str]], rng: np.random.Generator) -> None:
    """Append Enhet, Status 6 månader and Status 12 månader to every row (see the module docstring)."""
    names, weights = list(FOLLOW_UP), np.array(list(FOLLOW_UP.values()), dtype=float)
    for row in rows:
        row.append(UNITS[int(rng.random() < 0.4)])
        ended = dt.date.fromisoformat(row[4][:10]) if row[4] else None
        for months in (6, 12):
            due = ended is not None and _months_after(ended, months) <= REPORT_DATE
            row.append(names[int(rng.choice(len(names), p=weights / weights.sum()))] if due else "")


def write_register(rows: list[list[str]], path: Path = OUT_FILE) -> None:
    """Swedish Excel "CSV (semikolonavgränsad)": cp1252, ';', CRLF, minimal quoting."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode("cp1252"))


def main() -> None:
    rows = make_rows(np.random.default_rng(SEED))
    add_units_and_follow_up(rows, np.random.default_rng(FOLLOW_UP_SEED))
    write_register(rows)
    finished = sum(1 for r in rows if r[6])
    print(f"deltagare: {len(rows)} inskrivna, {finished} avslutade, {len(rows) - finished} aktiva")


if __name__ == "__main__":
    main()
