"""Time drawing charts (matplotlib's Agg and the PNG), each chart drawn anew, in CPU seconds.

Usage:
  python benchmarks/charts.py CHARTS.pkl [--repeat 3] [--png-folder DIR]
  python benchmarks/charts.py --collect-demo CHARTS.pkl

CHARTS.pkl is a pickled list of the report's chart objects (``Chart``,
``DivergingChart``, ...), e.g. the 24 charts of the 3 × 20,000 compare, or
those of one ``slutrapport demo`` build, which ``--collect-demo`` writes (it
builds the demo in a temporary folder and keeps every chart drawn). Before
timing, two small charts not in the file are drawn (imports and matplotlib's
start-up are not counted). Each round draws every chart once with
``charts._draw`` (not the cache of drawings); the text caches of
:mod:`slutrapport.render.chart_canvas` fill in the first round as in a run.
Prints CPU seconds per chart type and in all; nothing is asserted.
"""

from __future__ import annotations

import argparse
import copy
import pickle
import tempfile
import time
from pathlib import Path

import pandas as pd

from slutrapport.render import charts
from slutrapport.report.model import Chart, DivergingChart


def _warm_up() -> None:
    waves = ["E1", "E2"]
    data = pd.DataFrame({"grupp": ["Alla"] * 2, "enkat": waves, "value": [3.0, 3.2], "n": [10, 11], "low": [2.8, 3.0], "high": [3.2, 3.4]})
    charts._draw(Chart("Uppvärmning", data, waves, "Medelvärde", 1, 5))
    charts._draw(DivergingChart("Uppvärmning", ["a", "b", "c"], [("x", [0.2, 0.3, 0.5], 10)], 1))


def time_charts(found: list, repeat: int, png_folder: Path | None) -> None:
    _warm_up()
    for round_ in range(repeat):
        spent: dict[str, list[float]] = {}
        start = time.process_time()
        for number, chart in enumerate(found):
            began = time.process_time()
            png = charts._draw(chart)
            spent.setdefault(type(chart).__name__, []).append(time.process_time() - began)
            if png_folder is not None and round_ == 0:
                (png_folder / f"{number:03d}-{type(chart).__name__}.png").write_bytes(png)
        kinds = ", ".join(f"{kind} {len(times)} × {sum(times) / len(times):.3f} = {sum(times):.3f} s" for kind, times in spent.items())
        print(f"round {round_ + 1}: {len(found)} charts {time.process_time() - start:.3f} s CPU ({kinds})")


def collect_demo(target: Path) -> None:
    from slutrapport.cli import cli

    drawn = []
    real = charts._draw

    def keep(chart):
        drawn.append(copy.copy(chart))
        return real(chart)

    charts._draw = keep
    try:
        with tempfile.TemporaryDirectory() as folder:
            cli(["demo", "--out", str(Path(folder) / "demo")], standalone_mode=False)
    finally:
        charts._draw = real
    for chart in drawn:
        chart.png = None
    target.write_bytes(pickle.dumps(drawn))
    print(f"{len(drawn)} charts written to {target}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("charts", type=Path, help="a pickled list of chart objects")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--png-folder", type=Path, help="write the first round's PNGs here")
    parser.add_argument("--collect-demo", action="store_true", help="build the demo and write its charts to CHARTS instead")
    args = parser.parse_args()
    if args.collect_demo:
        collect_demo(args.charts)
        return
    if args.png_folder is not None:
        args.png_folder.mkdir(parents=True, exist_ok=True)
    time_charts(pickle.loads(args.charts.read_bytes()), args.repeat, args.png_folder)


if __name__ == "__main__":
    main()
