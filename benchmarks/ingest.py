"""Time reading survey waves through slutrapport against plain pandas, for CSV and XLSX.

Usage: python benchmarks/ingest.py [--respondents 20000] [--waves 3] [--repeat 3]
       [--formats csv,xlsx] [--profile]

Writes ``--waves`` files per format with ``--respondents`` rows each, in the
columns of the default instrument ``samverkan`` (organisation, personal code,
37 scale questions and 2 free-text questions: 41 columns, close to the 40
asked for), answers written as labels with about 3 % "Vet ej" and 2 % blank.
XLSX files are written with openpyxl in write-only mode.

For each format it times, best of ``--repeat``:

- ``pandas``: ``pandas.read_csv(dtype=str)`` / ``pandas.read_excel(dtype=str)`` of every file;
- ``read_raw``: slutrapport's reader alone (detection, decoding, header handling);
- ``read_waves``: the whole ingest (reader, column matching, answer parsing, tidy table);

and prints seconds and the ratio to pandas. ``--profile`` prints the top
functions of one ``read_waves`` call per format (cProfile, cumulative time).
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import io
import pstats
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook

from slutrapport.sources.readers import read_raw
from slutrapport.sources.survey import load_instrument, read_waves

ORGANISATIONS = ["Arbetsförmedlingen", "Socialtjänsten", "Arbetsmarknadsenheten", "Försäkringskassan", "Regionen"]
FREE_TEXT = ["Bra samarbete", "Tydligare ansvar, tack", "Fler gemensamma möten"]


def make_rows(respondents: int, seed: int) -> tuple[list[str], list[list[str]]]:
    """The header and rows of one wave, answers as labels (3 % Vet ej, 2 % blank)."""
    inst = load_instrument("samverkan")
    rng = np.random.default_rng(seed)
    labels = np.array([inst.scale.values[v] for v in sorted(inst.scale.values)], dtype=object)
    header = [inst.background["organisation"], inst.background["kod"]] + [q.text for q in inst.questions]
    columns: list[np.ndarray] = [
        np.array(ORGANISATIONS, dtype=object)[rng.integers(len(ORGANISATIONS), size=respondents)],
        np.array([f"p{seed}-{i}" for i in range(respondents)], dtype=object),
    ]
    for question in inst.questions:
        draw = rng.random(respondents)
        if question.kind == "fritext":
            text = np.array(FREE_TEXT, dtype=object)[rng.integers(len(FREE_TEXT), size=respondents)]
            columns.append(np.where(draw < 0.2, text, ""))
            continue
        answers = labels[rng.integers(len(labels), size=respondents)]
        answers = np.where(draw < 0.03, "Vet ej", answers)
        columns.append(np.where((draw >= 0.03) & (draw < 0.05), "", answers))
    return header, np.column_stack(columns).tolist()


def write_waves(folder: Path, respondents: int, waves: int, formats: list[str]) -> dict[str, list[Path]]:
    paths: dict[str, list[Path]] = {f: [] for f in formats}
    for wave in range(1, waves + 1):
        header, rows = make_rows(respondents, seed=wave)
        if "csv" in formats:
            path = folder / f"wave{wave}.csv"
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            writer.writerow(header)
            writer.writerows(rows)
            path.write_text(buffer.getvalue(), encoding="utf-8")
            paths["csv"].append(path)
        if "xlsx" in formats:
            path = folder / f"wave{wave}.xlsx"
            workbook = Workbook(write_only=True)
            sheet = workbook.create_sheet("Svar")
            sheet.append(header)
            for row in rows:
                sheet.append([v or None for v in row])
            workbook.save(path)
            paths["xlsx"].append(path)
    return paths


def best_of(repeat: int, func) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=20000)
    parser.add_argument("--waves", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--formats", default="csv,xlsx")
    parser.add_argument("--profile", action="store_true", help="print the top functions of read_waves")
    args = parser.parse_args()
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    inst = load_instrument("samverkan")
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        paths = write_waves(Path(tmp), args.respondents, args.waves, formats)
        print(f"Wrote {args.waves} waves × {args.respondents} respondents × 41 columns "
              f"as {', '.join(formats)} in {time.perf_counter() - start:.1f} s\n")
        readers = {
            "csv": lambda p: pd.read_csv(p, dtype=str),
            "xlsx": lambda p: pd.read_excel(p, dtype=str, engine="openpyxl"),
        }
        print(f"{'format':<6} {'pandas':>9} {'read_raw':>9} {'ratio':>6} {'read_waves':>11} {'ratio':>6}")
        for fmt in formats:
            files = paths[fmt]
            repeat = args.repeat if fmt == "csv" else max(1, args.repeat - 2)
            plain = best_of(repeat, lambda fmt=fmt, files=files: [readers[fmt](p) for p in files])
            raw = best_of(repeat, lambda files=files: [read_raw(p) for p in files])
            full = best_of(repeat, lambda files=files: read_waves(files, inst))
            print(f"{fmt:<6} {plain:>8.2f}s {raw:>8.2f}s {raw / plain:>5.1f}× {full:>10.2f}s {full / plain:>5.1f}×")
        if args.profile:
            for fmt in formats:
                print(f"\n--- read_waves, {fmt}: top functions by cumulative time ---")
                profiler = cProfile.Profile()
                profiler.runcall(read_waves, paths[fmt], inst)
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
