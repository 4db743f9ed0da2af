"""Generate the sources of the demo's goals besides the register: ``aktiviteter.csv`` and ``deltagarenkat.csv``.

The project "Vägen framåt" (see ``generate.py``) logs its activities and asks
its participants a short survey (the questions are in ``deltagarenkat.yaml``,
written by hand). What the samples show:

- ``aktiviteter.csv``: 8 informationsträffar, 11 arbetsgivarkontakter and 2
  utbildningsdagar between February 2025 and May 2026, typed with varying
  case and spelling (``Informationsträff``, ``informationstraff``), two rows
  standing for two employer contacts each (``Antal`` 2), and a free-text column
  that is never read. Against the goals in ``projekt.yaml``: at least 6
  informationsträffar (reached), at least 10 arbetsgivarkontakter (reached),
  at least 3 utbildningsdagar (not reached).
- ``deltagarenkat.csv``: 31 participants answering five-point statements
  (1 Stämmer inte alls … 5 Stämmer helt, ``Vet ej`` as missing) and a yes/no
  question, as a plain comma-separated UTF-8 file; the goal "80 % upplever
  att hälsan har blivit bättre" counts the answers 4 and 5.

Deterministic: a fixed seed and numpy's ``default_rng``, so ``python
data_samples/generate.py`` rewrites the files byte for byte.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import numpy as np

SEED = 20250622
HERE = Path(__file__).resolve().parent
ACTIVITIES = HERE / "aktiviteter.csv"
SURVEY = HERE / "deltagarenkat.csv"

FIRST, LAST = dt.date(2025, 2, 3), dt.date(2026, 5, 29)
#: (type as written, how many rows) — the spellings vary on purpose.
TYPES = [("Informationsträff", 6), ("informationstraff", 2), ("Arbetsgivarkontakt", 9), ("Utbildningsdag", 2)]
NOTES = ["", "", "Hölls i Medborgarhuset", "Tillsammans med AF", "Digitalt"]
QUESTIONS = [
    "Jag upplever att min hälsa har blivit bättre under tiden i projektet",
    "Jag vet mer om hur samhället fungerar än när jag började",
    "Jag har blivit bemött med respekt",
]
RESPONDENTS = 31


def _activity_rows(rng: np.random.Generator) -> list[list[str]]:
    rows = []
    span = (LAST - FIRST).days
    for kind, count in TYPES:
        for _ in range(count):
            day = FIRST + dt.timedelta(days=int(rng.integers(span)))
            rows.append([day.isoformat(), kind, "", NOTES[int(rng.integers(len(NOTES)))]])
    rows.sort(key=lambda row: (row[0], row[1]))
    contacts = [row for row in rows if row[1] == "Arbetsgivarkontakt"]
    contacts[3][2] = "2"  # one row for two contacts on the same day: 9 rows, 10 contacts, plus one below
    contacts[5][2] = "2"
    return rows


def _survey_rows(rng: np.random.Generator) -> list[list[str]]:
    rows = []
    for _ in range(RESPONDENTS):
        health = int(rng.choice([1, 2, 3, 4, 5], p=[0.05, 0.1, 0.2, 0.35, 0.3]))
        society = int(rng.choice([2, 3, 4, 5], p=[0.1, 0.25, 0.4, 0.25]))
        rows.append([str(health), "Vet ej" if rng.random() < 0.1 else str(society), "Ja" if rng.random() < 0.9 else "Nej"])
    return rows


def _write(path: Path, header: list[str], rows: list[list[str]], delimiter: str, encoding: str) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))


def main() -> None:
    rng = np.random.default_rng(SEED)
    activities = _activity_rows(rng)
    _write(ACTIVITIES, ["Datum", "Typ", "Antal", "Kommentar"], activities, ";", "cp1252")
    survey = _survey_rows(rng)
    _write(SURVEY, QUESTIONS, survey, ",", "utf-8")
    positive = sum(1 for row in survey if row[0] in ("4", "5"))
    print(f"aktiviteter: {len(activities)} rader; deltagarenkät: {len(survey)} svarande, {positive} upplever bättre hälsa (4–5)")


if __name__ == "__main__":
    main()
