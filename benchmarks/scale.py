"""How ``slutrapport compare`` grows with the number of respondents: time, peak memory and the ratio to plain pandas.

Usage: python benchmarks/scale.py [--sizes 1000,5000] [--waves 3] [--organisations 30] [--repeat 1]
       python benchmarks/scale.py --sizes all          # 1k, 5k, 20k, 50k and 200k respondents per wave

For each size it writes ``--waves`` plain UTF-8 CSV waves of the default
instrument ``samverkan`` (organisation among ``--organisations``, a personal
code, 37 scale questions and 2 free-text questions: 41 columns; answers as
labels with about 3 % "Vet ej" and 2 % blank), then

- runs the whole command, ``slutrapport compare --instrument samverkan WAVES
  --out DIR``, in a child process: its wall time (start-up included) and its
  peak memory (the child's own maximum resident set size, from
  ``resource.getrusage``);
- reads the same files with plain ``pandas.read_csv`` (best of ``--repeat``);

and prints one row per size with the ratio of the two times. Nothing is
asserted; run it on a quiet machine (the ratio says more than the seconds on a
shared one).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from ingest import best_of  # the sibling benchmark's best-of timer (this folder is on sys.path when run as a script)

from slutrapport.sources.survey import load_instrument

#: Respondents per wave measured by ``--sizes all``.
ALL_SIZES = (1_000, 5_000, 20_000, 50_000, 200_000)
QUICK_SIZES = (1_000, 5_000)
FREE_TEXT = ["Bra samarbete", "Tydligare ansvar, tack", "Fler gemensamma möten"]


def write_wave(path: Path, respondents: int, organisations: int, seed: int) -> None:
    """One wave as a plain CSV: organisation, personal code, then the instrument's questions (labels as answers)."""
    inst = load_instrument("samverkan")
    rng = np.random.default_rng(seed)
    labels = np.array([inst.scale.values[v] for v in sorted(inst.scale.values)], dtype=object)
    names = np.array([f"Förvaltning {k + 1}" for k in range(organisations)], dtype=object)
    columns = {
        inst.background["organisation"]: names[rng.integers(organisations, size=respondents)],
        inst.background["kod"]: np.array([f"p{seed}-{i}" for i in range(respondents)], dtype=object),
    }
    for question in inst.questions:
        draw = rng.random(respondents)
        if question.kind == "fritext":
            text = np.array(FREE_TEXT, dtype=object)[rng.integers(len(FREE_TEXT), size=respondents)]
            columns[question.text] = np.where(draw < 0.2, text, "")
            continue
        answers = np.where(draw < 0.03, "Vet ej", labels[rng.integers(len(labels), size=respondents)])
        columns[question.text] = np.where((draw >= 0.03) & (draw < 0.05), "", answers)
    pd.DataFrame(columns).to_csv(path, index=False)


#: The child: the command line, then its own peak resident memory (KiB on Linux) on the last line of stderr.
_CHILD = """
import resource, sys
from slutrapport.cli import cli
try:
    cli(sys.argv[1:], prog_name="slutrapport", standalone_mode=False)
finally:
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""


def run_compare(paths: list[Path], out: Path) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MiB) of ``slutrapport compare`` in a child process."""
    command = [sys.executable, "-c", _CHILD, "compare", "--instrument", "samverkan", *map(str, paths), "--out", str(out)]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"compare failed ({done.returncode}):\n{done.stderr}")
    return seconds, int(done.stderr.strip().splitlines()[-1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, QUICK_SIZES)), help="respondents per wave, comma-separated, or 'all'")
    parser.add_argument("--waves", type=int, default=3)
    parser.add_argument("--organisations", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=1, help="runs of plain pandas (best of)")
    args = parser.parse_args()
    sizes = ALL_SIZES if args.sizes == "all" else tuple(int(s) for s in args.sizes.split(",") if s.strip())
    print(f"{args.waves} waves × 41 columns × {args.organisations} organisations; compare in a child process (start-up included)\n")
    print(f"{'per wave':>9} {'compare':>9} {'peak MiB':>9} {'read_csv':>9} {'ratio':>7}")
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            paths = [folder / f"enkat{w + 1}.csv" for w in range(args.waves)]
            for wave, path in enumerate(paths, start=1):
                write_wave(path, size, args.organisations, seed=wave)
            plain = best_of(args.repeat, lambda paths=paths: [pd.read_csv(p) for p in paths])
            seconds, peak = run_compare(paths, folder / "out")
        print(f"{size:>9} {seconds:>8.2f}s {peak:>9.0f} {plain:>8.2f}s {seconds / plain:>6.1f}×", flush=True)


if __name__ == "__main__":
    main()
