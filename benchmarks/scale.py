"""How ``slutrapport compare`` grows with the number of respondents: time, peak memory and the ratio to plain pandas.

Usage: python benchmarks/scale.py [--sizes 1000,5000] [--waves 3] [--organisations 30] [--repeat 3]
       [--no-compare] [--timeout SECONDS]
       python benchmarks/scale.py --sizes all          # 1k, 5k, 20k, 50k and 200k respondents per wave

For each size it writes ``--waves`` plain UTF-8 CSV waves of the default
instrument ``samverkan`` (organisation among ``--organisations``, a personal
code, 37 scale questions and 2 free-text questions: 41 columns; answers as
labels with about 3 % "Vet ej" and 2 % blank), then

- reads the same files with plain ``pandas.read_csv`` in a child process
  (best of ``--repeat``): the CPU time of the reads (``time.process_time``,
  imports not included) and the child's whole wall time (start-up and the
  pandas import included: ``read_csv`` as a command of its own);
- reads them with ``read_waves`` in a child process, best of ``--repeat`` as
  for pandas: its wall and CPU time (imports not included), its peak memory
  (the child's own maximum resident set size, from ``resource.getrusage``,
  start-up included; the largest of the children) and the size of the tidy
  table (``memory_usage(deep=True)``, bytes per row);
- runs the whole command, ``slutrapport compare --instrument samverkan WAVES
  --out DIR``, in a child process (unless ``--no-compare``; given up after
  ``--timeout`` seconds): its wall time (start-up included), its peak memory
  and its worker process's (``worker``, MiB, read from ``/proc`` on Linux
  just before the run ends the worker; the two peaks need not be at the same
  moment, so their sum is an upper bound of the run's);

and prints one row per size with the ratios to plain pandas: ``read/pd``, the
CPU time of ``read_waves`` over that of ``read_csv`` (both in a fresh process,
which a shared machine disturbs less than wall time), and ``ratio``, the wall
time of ``compare`` over that of the ``read_csv`` process (both whole
processes). Nothing is asserted; run it on a quiet machine.
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


#: The child: the command line, then its own peak resident memory and its worker process's (KiB; the worker's
#: ``VmHWM`` read from /proc just before the run ends it, 0 without one or without /proc) on the last line of
#: stderr. (Not RUSAGE_CHILDREN: a child forked late counts the parent's memory at the fork as its own.)
_CHILD = """
import resource, sys
from slutrapport.cli import cli
from slutrapport.core import worker
peak = [0]
close = worker.Worker.close
def measured(self):
    for process in list((getattr(self._executor, "_processes", None) or {}).values()):
        try:
            with open(f"/proc/{process.pid}/status") as status:
                peak[0] = max([peak[0]] + [int(line.split()[1]) for line in status if line.startswith("VmHWM:")])
        except OSError:
            pass
    close(self)
worker.Worker.close = measured
try:
    cli(sys.argv[1:], prog_name="slutrapport", standalone_mode=False)
finally:
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, peak[0], file=sys.stderr)
"""


def run_compare(paths: list[Path], out: Path, timeout: float | None = None) -> tuple[float, float, float] | None:
    """Wall seconds, peak resident memory (MiB) and its worker process's peak (MiB, 0 without one) of
    ``slutrapport compare`` in a child process (``None``: timed out)."""
    command = [sys.executable, "-c", _CHILD, "compare", "--instrument", "samverkan", *map(str, paths), "--out", str(out)]
    start = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"compare failed ({done.returncode}):\n{done.stderr}")
    own, worker = done.stderr.strip().splitlines()[-1].split()
    return seconds, int(own) / 1024, int(worker) / 1024


#: The child that only reads: wall and CPU seconds of ``read_waves``, peak resident memory (KiB), tidy rows and bytes.
_READ_CHILD = """
import resource, sys, time
from pathlib import Path
from slutrapport.sources.survey import load_instrument, read_waves
inst = load_instrument("samverkan")
wall, cpu = time.perf_counter(), time.process_time()
tidy = read_waves([Path(p) for p in sys.argv[1:]], inst).tidy
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
print(wall, cpu, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, len(tidy), int(tidy.memory_usage(deep=True).sum()))
"""


def run_read(paths: list[Path], repeat: int = 1) -> tuple[float, float, float, int, int]:
    """The least wall and the least CPU seconds of ``read_waves`` in ``repeat`` child processes (as
    :func:`run_pandas` measures ``read_csv``), the largest peak memory of the children (MiB), the tidy
    table's rows and bytes."""
    walls, cpus, peaks = [], [], []
    for _ in range(max(repeat, 1)):
        done = subprocess.run([sys.executable, "-c", _READ_CHILD, *map(str, paths)], capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"read_waves failed ({done.returncode}):\n{done.stderr}")
        wall, cpu, peak, rows, size = done.stdout.split()
        walls.append(float(wall))
        cpus.append(float(cpu))
        peaks.append(int(peak) / 1024)
    return min(walls), min(cpus), max(peaks), int(rows), int(size)


#: The child that only reads with plain pandas: CPU seconds of the reads.
_PANDAS_CHILD = """
import sys, time
import pandas as pd
cpu = time.process_time()
frames = [pd.read_csv(p) for p in sys.argv[1:]]
print(time.process_time() - cpu)
"""


def run_pandas(paths: list[Path], repeat: int) -> tuple[float, float]:
    """The least whole wall seconds and the least CPU seconds of the reads of ``repeat`` child processes that
    read ``paths`` with plain ``pandas.read_csv``."""
    walls, cpus = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", _PANDAS_CHILD, *map(str, paths)], capture_output=True, text=True)
        walls.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise SystemExit(f"read_csv failed ({done.returncode}):\n{done.stderr}")
        cpus.append(float(done.stdout.split()[-1]))
    return min(walls), min(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, QUICK_SIZES)), help="respondents per wave, comma-separated, or 'all'")
    parser.add_argument("--waves", type=int, default=3)
    parser.add_argument("--organisations", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=3, help="child processes reading with plain pandas and with read_waves (best of)")
    parser.add_argument("--no-compare", action="store_true", help="only read (read_waves), do not run compare")
    parser.add_argument("--timeout", type=float, default=None, help="seconds after which compare is given up")
    args = parser.parse_args()
    sizes = ALL_SIZES if args.sizes == "all" else tuple(int(s) for s in args.sizes.split(",") if s.strip())
    print(f"{args.waves} waves × 41 columns × {args.organisations} organisations; read_csv, read_waves and compare in child processes\n")
    print(f"{'per wave':>9} {'read_csv':>9} {'cpu':>7} {'read':>7} {'cpu':>7} {'read/pd':>7} {'peak MiB':>8} {'B/row':>6}"
          f" {'compare':>9} {'peak MiB':>8} {'worker':>6} {'ratio':>7}")
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            paths = [folder / f"enkat{w + 1}.csv" for w in range(args.waves)]
            for wave, path in enumerate(paths, start=1):
                write_wave(path, size, args.organisations, seed=wave)
            plain, plain_cpu = run_pandas(paths, args.repeat)
            wall, cpu, read_peak, rows, size_bytes = run_read(paths, args.repeat)
            line = (f"{size:>9} {plain:>8.2f}s {plain_cpu:>6.3f}s {wall:>6.2f}s {cpu:>6.3f}s {cpu / plain_cpu:>6.2f}× {read_peak:>8.0f}"
                    f" {size_bytes / max(rows, 1):>6.1f}")
            compared = None if args.no_compare else run_compare(paths, folder / "out", args.timeout)
            if compared is None:
                line += f" {'(timed out)' if not args.no_compare else '-':>9}"
            else:
                seconds, peak, worker = compared
                line += f" {seconds:>8.2f}s {peak:>8.0f} {worker:>6.0f} {seconds / plain:>6.1f}×"
        print(line, flush=True)


if __name__ == "__main__":
    main()
