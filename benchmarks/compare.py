"""Time the staff-survey comparison on synthetic waves of the default instrument.

Usage: python benchmarks/compare.py [--respondents 2000] [--waves 3]

Writes plain CSV waves (labels as answers, 3 % "Vet ej", 2 % blank) to a
temporary folder and times each stage: reading + validation, the comparison
table, and the whole ``compare`` command (CSV, Excel and HTML with charts).
Prints seconds per stage; nothing is asserted.
"""

from __future__ import annotations

import argparse
import csv
import tempfile
import time
from pathlib import Path

import numpy as np

from slutrapport.analysis.describe import compare_waves
from slutrapport.pipeline import compare_files
from slutrapport.sources.survey import load_instrument, read_waves

ORGANISATIONS = ["Arbetsförmedlingen", "Socialtjänsten", "Arbetsmarknadsenheten", "Försäkringskassan", "Regionen"]


def write_waves(folder: Path, respondents: int, waves: int, seed: int = 1) -> list[Path]:
    inst = load_instrument("samverkan")
    rng = np.random.default_rng(seed)
    labels = inst.scale.values
    header = [inst.background["organisation"], inst.background["kod"]] + [q.text for q in inst.questions]
    paths = []
    for wave in range(waves):
        path = folder / f"wave{wave + 1}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            for person in range(respondents):
                row = [ORGANISATIONS[rng.integers(len(ORGANISATIONS))], f"p{person}"]
                for question in inst.questions:
                    if question.kind == "fritext":
                        row.append("Bra samarbete" if rng.random() < 0.2 else "")
                        continue
                    draw = rng.random()
                    row.append("Vet ej" if draw < 0.03 else "" if draw < 0.05 else labels[int(rng.integers(1, 6))])
                writer.writerow(row)
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=2000)
    parser.add_argument("--waves", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = write_waves(folder, args.respondents, args.waves)
        inst = load_instrument("samverkan")
        start = time.perf_counter()
        survey = read_waves(paths, inst)
        read_s = time.perf_counter() - start
        start = time.perf_counter()
        compare_waves(survey, 5)
        table_s = time.perf_counter() - start
        start = time.perf_counter()
        compare_files("samverkan", paths, out=folder / "out")
        total_s = time.perf_counter() - start
    cells = args.waves * args.respondents * len(inst.questions)
    print(f"{args.waves} enkäter × {args.respondents} svarande × {len(inst.questions)} frågor = {cells} svar")
    print(f"inläsning och validering: {read_s:.2f} s")
    print(f"jämförelsetabell:         {table_s:.2f} s")
    print(f"hela compare (csv, xlsx, html): {total_s:.2f} s")


if __name__ == "__main__":
    main()
