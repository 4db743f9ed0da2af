"""Time a funder's portfolio built from many synthetic bundles, and its peak memory.

Usage: python benchmarks/portfolio.py [--bundles 500] [--seed 1] [--keep DIR]

Builds the sample project's report once per template (analysis and
``rapport.json`` only), then writes ``--bundles`` variants of it to a
temporary folder (one sub-folder per project, as ``build`` would): other
names and periods, three templates, headings filled or missing at random,
survey changes and p-values varied, about 10 % of the projects on another
scale and 5 % as schema 1.0 bundles (instrument unknown), and the
participant, goal and economy tables of the contract with random figures
(some cells suppressed). The portfolio is then built in a fresh Python
process (``slutrapport portfolio DIR``) so that its wall time, processor
time (all its processes: bundles are read in parallel) and peak resident
memory are its own. Prints the numbers and the system load before the run
(wall time grows when other work shares the processors); nothing is
asserted. The goal is under 15 s for 500 bundles.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from slutrapport.pipeline import analyse_project, sample_project_dir
from slutrapport.project.folder import load_project
from slutrapport.project.templates import load_template
from slutrapport.render.bundle import render_bundle
from slutrapport.report.build import project_report

TEMPLATES = ["rar-slutrapport", "socialstyrelsen-kompetens", "extern-utvardering"]
KONS = [("Alla", 1.0), ("Kvinnor", 0.55), ("Män", 0.45)]
NATIONAL = ["förvärvsarbete", "studier", "aktivt arbetssökande", "övriga"]


def base_bundles() -> dict[str, dict]:
    """The sample project's bundle on each template (the survey analysed once)."""
    project = load_project(sample_project_dir())
    results = analyse_project(project)
    bundles = {}
    for template_id in TEMPLATES:
        project.template = load_template(template_id)
        bundles[template_id] = json.loads(render_bundle(project_report(project, results)))
    return bundles


def _table(columns: list[str], rows: list[list]) -> dict:
    return {"kolumner": columns, "rader": rows}


def contract_tables(rng: np.random.Generator, min_n: int = 5) -> dict[str, dict]:
    """Participant, goal and economy tables of the contract with random but consistent figures."""
    enrolled = int(rng.integers(3, 120))
    finished = int(rng.integers(0, enrolled + 1))
    flow, outcome = [], []
    for kon, part in KONS:
        n_in, n_out = round(enrolled * part), round(finished * part)
        hidden = n_in < min_n
        flow.append(["Totalt", kon, None if hidden else n_in, None if hidden else n_in - n_out, None if hidden else n_out, hidden])
        shares = rng.dirichlet(np.ones(len(NATIONAL)))
        for category, share in zip(NATIONAL, shares, strict=True):
            n = round(n_out * share)
            small = n_out < min_n
            outcome.append(["nationell", category, kon, None if small else n, None if small else n / max(n_out, 1), small])
    budget = {category: float(rng.integers(1, 40) * 50_000) for category in ("Personal", "Lokal", "Övrigt")}
    economy, total_budget, total_outcome = [], 0.0, 0.0
    for category, amount in budget.items():
        spent = round(amount * rng.uniform(0.8, 1.2), -3)
        economy.append([category, "Totalt", amount, spent, spent - amount, (spent - amount) / amount])
        total_budget, total_outcome = total_budget + amount, total_outcome + spent
    economy.append(["Totalt", "Totalt", total_budget, total_outcome, total_outcome - total_budget, (total_outcome - total_budget) / total_budget])
    denominator = max(enrolled, 1)
    numerator = int(rng.integers(0, denominator + 1))
    goals = [
        ["m1", "60 % går vidare till arbete eller studier", "andel", 0.6, numerator, denominator, numerator / denominator,
         max(0.0, numerator / denominator - 0.15), min(1.0, numerator / denominator + 0.15), str(rng.choice(["ja", "nej", "osäkert"]))],
        ["m2", "Minst 40 deltagare", "antal", 40, None, None, enrolled, None, None, "ja" if enrolled >= 40 else "nej"],
    ]  # fmt: skip
    hidden = enrolled < min_n
    figures = [["budget_totalt", total_budget], ["utfall_totalt", total_outcome], ["deltagare", None if hidden else enrolled],
               ["avslutade", None if finished < min_n else finished],
               ["kostnad_per_deltagare", None if hidden else total_outcome / enrolled],
               ["kostnad_per_avslutad", None if finished < min_n else total_outcome / finished]]  # fmt: skip
    return {
        "deltagare_flode": _table(["period", "kon", "inskrivna", "aktiva", "avslutade", "undertryckt"], flow),
        "deltagare_utfall": _table(["indelning", "kategori", "kon", "n", "andel", "undertryckt"], outcome),
        "maluppfyllelse": _table(["id", "mal", "matt", "malvarde", "taljare", "namnare", "utfall", "ci_lag", "ci_hog", "uppnatt"], goals),
        "ekonomi": _table(["kategori", "period", "budget", "utfall", "avvikelse_kr", "avvikelse_procent"], economy),
        "ekonomi_nyckeltal": _table(["matt", "varde"], figures),
    }


def variant(base: dict, number: int, rng: np.random.Generator) -> dict:
    """One synthetic project from a base bundle."""
    bundle = copy.deepcopy(base)
    name = f"Projekt {number:04d}"
    start = 2020 + number % 6
    bundle["projekt"]["titel"] = name
    bundle["projekt"]["uppgifter"]["Projektets namn"] = name
    bundle["projekt"]["uppgifter"]["Projektperiod"] = f"{start}-01-01 – {start + 1}-12-31"
    for heading in bundle["rubriker"]:
        if heading["kravs"] and rng.random() < 0.3:
            heading["status"], heading["saknas"], heading["text"] = "saknas", ["text saknas"], None
    changes = bundle["tabeller"]["forandringar"]
    position = {c: i for i, c in enumerate(changes["kolumner"])}
    shift = rng.normal(0, 0.3, size=len(changes["rader"]))
    for row, delta in zip(changes["rader"], shift, strict=True):
        if row[position["diff_medel"]] is not None:
            row[position["diff_medel"]] += float(delta)
        if row[position["p_corr"]] is not None:
            row[position["p_corr"]] = float(rng.random() ** 3)
    draw = rng.random()
    if draw < 0.05:  # an old bundle: schema 1.0 without the instrument
        bundle["schema_version"] = "1.0"
        del bundle["personalenkat"]
    elif draw < 0.15:  # another scale
        bundle["personalenkat"]["skala"]["positiva"] = [5]
    bundle["tabeller"] |= contract_tables(rng)
    return bundle


def write_bundles(folder: Path, count: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    bases = base_bundles()
    for number in range(1, count + 1):
        template = TEMPLATES[0] if number % 10 < 6 else TEMPLATES[1] if number % 10 < 9 else TEMPLATES[2]
        target = folder / f"projekt-{number:04d}" / "rapport" / "rapport.json"
        target.parent.mkdir(parents=True)
        target.write_text(json.dumps(variant(bases[template], number, rng), ensure_ascii=False), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundles", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, default=None, help="write the bundles and the portfolio here instead of a temporary folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp)
        bundles = root / "bundles"
        bundles.mkdir(parents=True, exist_ok=False)
        start = time.perf_counter()
        write_bundles(bundles, args.bundles, args.seed)
        size = sum(p.stat().st_size for p in bundles.rglob("rapport.json"))
        print(f"{args.bundles} rapportfiler skrivna ({size / 1e6:.0f} MB) på {time.perf_counter() - start:.1f} s")
        command = [sys.executable, "-m", "slutrapport", "portfolio", str(bundles), "--out", str(root / "portfolj")]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        load = os.getloadavg()[0]
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode != 0:
            sys.exit(f"portfolio misslyckades:\n{done.stderr}")
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        html = (root / "portfolj" / "portfolio.html").stat().st_size
        print(f"slutrapport portfolio: {seconds:.1f} s (mål: under 15 s); processortid {cpu:.1f} s i alla processer "
              f"(belastning före start: {load:.1f} på {os.cpu_count()} kärnor)")
        print(f"högsta minnesanvändning: {after.ru_maxrss / 1024:.0f} MB (största enskilda process)"
              + (" – minst, en tidigare delprocess använde lika mycket" if after.ru_maxrss == before.ru_maxrss else ""))
        print(f"portfolio.html: {html / 1e6:.1f} MB; {len(done.stderr.splitlines())} rader varningar")

if __name__ == "__main__":
    main()
