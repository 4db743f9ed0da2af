"""Profile the staff-survey comparison of a large municipality: many respondents and organisations.

Usage: python benchmarks/stats_profile.py [--respondents 20000] [--waves 3] [--organisations 30]
       [--folder DIR] [--profile out.prof] [--top 30]

Writes plain CSV waves of the default instrument (labels as answers, 3 % "Vet
ej", 2 % blank, each organisation with its own answer tendency) into
``--folder`` (kept between runs: the files are written only when missing),
then times the stages of ``compare``: reading, ``analyse_survey`` (with each
of its tables timed apart), the report model and each writer. With
``--profile`` the whole ``compare`` runs under cProfile and the ``--top``
functions by cumulative time are printed. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import pstats
import tempfile
import time
from pathlib import Path

import numpy as np

from slutrapport.sources.survey import load_instrument, read_waves


def write_waves(folder: Path, respondents: int, waves: int, organisations: int, seed: int = 1) -> list[Path]:
    """Waves of the default instrument with ``organisations`` organisations; existing files are reused."""
    inst = load_instrument("samverkan")
    rng = np.random.default_rng(seed)
    labels = inst.scale.values
    header = [inst.background["organisation"], inst.background["kod"]] + [q.text for q in inst.questions]
    names = [f"Organisation {i + 1:02d}" for i in range(organisations)]
    tendency = rng.normal(0, 0.4, size=organisations)
    paths = []
    for wave in range(waves):
        path = folder / f"r{respondents}_o{organisations}_wave{wave + 1}.csv"
        paths.append(path)
        if path.exists():
            continue
        org = rng.integers(organisations, size=respondents)
        scale_qs = [q for q in inst.questions if q.kind != "fritext"]
        latent = rng.normal(3 + tendency[org] + 0.1 * wave, 1.0, size=(len(scale_qs), respondents))
        answers = np.clip(np.rint(latent), 1, 5).astype(int)
        draw = rng.random(size=answers.shape)
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            for person in range(respondents):
                row = [names[org[person]], f"p{person}"]
                k = 0
                for question in inst.questions:
                    if question.kind == "fritext":
                        row.append("Bra samarbete" if rng.random() < 0.02 else "")
                        continue
                    d = draw[k, person]
                    row.append("Vet ej" if d < 0.03 else "" if d < 0.05 else labels[int(answers[k, person])])
                    k += 1
                writer.writerow(row)
    return paths


def _timed(label: str, func, *args, **kwargs):
    start = time.perf_counter()
    value = func(*args, **kwargs)
    print(f"  {label:<28} {time.perf_counter() - start:7.2f} s")
    return value


def stages(paths: list[Path]) -> None:
    """Time each stage of ``compare`` apart."""
    from slutrapport.analysis.changes import group_differences, mean_intervals, wave_changes
    from slutrapport.analysis.describe import compare_waves, hidden_waves
    from slutrapport.analysis.reliability import reliability
    from slutrapport.analysis.suppression import published_precision
    from slutrapport.analysis.survey import analyse_survey
    from slutrapport.render.excel import render_excel
    from slutrapport.render.html import render_html
    from slutrapport.report.comparison import comparison_report

    inst = load_instrument("samverkan")
    survey = _timed("read_waves", read_waves, paths, inst)
    exact = _timed("compare_waves", compare_waves, survey, 5, exact=True)
    comparison = published_precision(exact, hidden_waves=hidden_waves(survey, 5))
    _timed("reliability", reliability, survey, comparison, 5)
    _timed("wave_changes", wave_changes, survey, comparison, 5)
    groups = _timed("group_differences", group_differences, survey, comparison, 5)
    print(f"    ({len(groups)} group-difference rows)")
    _timed("mean_intervals", mean_intervals, exact, survey)
    survey = read_waves(paths, inst)
    results = _timed("analyse_survey (all)", analyse_survey, survey, 5)
    report = _timed("comparison_report", comparison_report, results)
    _timed("render_excel", render_excel, report)
    html = _timed("render_html", render_html, report)
    print(f"    (HTML {len(html) / 1e6:.1f} MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=20000)
    parser.add_argument("--waves", type=int, default=3)
    parser.add_argument("--organisations", type=int, default=30)
    parser.add_argument("--folder", type=Path, default=None)
    parser.add_argument("--profile", type=Path, default=None)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--no-stages", action="store_true")
    args = parser.parse_args()
    folder = args.folder or Path(tempfile.gettempdir()) / "slutrapport-bench"
    folder.mkdir(parents=True, exist_ok=True)
    paths = write_waves(folder, args.respondents, args.waves, args.organisations)
    print(f"{args.waves} enkäter × {args.respondents} svarande × {args.organisations} organisationer")
    if not args.no_stages:
        stages(paths)
    from slutrapport.pipeline import compare_files

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        start = time.perf_counter()
        if args.profile:
            profiler = cProfile.Profile()
            profiler.runcall(compare_files, "samverkan", paths, out=out)
            profiler.dump_stats(args.profile)
        else:
            compare_files("samverkan", paths, out=out)
        print(f"hela compare: {time.perf_counter() - start:.2f} s")
        for path in sorted(out.iterdir()):
            print(f"    {path.name}: {path.stat().st_size / 1e6:.1f} MB")
    if args.profile:
        pstats.Stats(str(args.profile)).sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
