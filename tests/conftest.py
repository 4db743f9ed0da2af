"""Shared fixtures: a small instrument and helpers that write survey files as users have them."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data_samples"

LABELS = {
    1: "Instämmer inte alls",
    2: "Instämmer i liten grad",
    3: "Instämmer delvis",
    4: "Instämmer i hög grad",
    5: "Instämmer helt",
}

MINI_INSTRUMENT = """\
id: mini
namn: Miniinstrument
skala:
  varden: {1: Instämmer inte alls, 2: Instämmer i liten grad, 3: Instämmer delvis, 4: Instämmer i hög grad, 5: Instämmer helt}
  positiva: [4, 5]
  saknas: [Vet ej]
bakgrund:
  organisation: Organisation
  kod: Kod
index:
  a: Index A
fragor:
  - {id: q1, text: "Fråga ett", index: a}
  - {id: q2, text: "Fråga två", index: a}
  - {id: q3, text: "Fråga tre är negativ", index: a, omvand: true}
  - {id: f1, text: "Övriga synpunkter", typ: fritext}
"""

HEADER = ["Organisation", "Kod", "Fråga ett", "Fråga två", "Fråga tre är negativ", "Övriga synpunkter"]


@pytest.fixture
def mini_instrument(tmp_path: Path) -> Path:
    path = tmp_path / "mini.yaml"
    path.write_text(MINI_INSTRUMENT, encoding="utf-8")
    return path


def write_csv(path: Path, rows: list[list[object]], header: list[str] = HEADER, sep: str = ",", encoding: str = "utf-8") -> Path:
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle, delimiter=sep)
        writer.writerow(header)
        writer.writerows([[("" if v is None else v) for v in row] for row in rows])
    return path


@pytest.fixture
def write_wave(tmp_path: Path):
    """Write a plain CSV wave: rows of [organisation, kod, q1, q2, q3, f1]."""

    def _write(name: str, rows: list[list[object]], **kwargs) -> Path:
        return write_csv(tmp_path / name, rows, **kwargs)

    return _write
