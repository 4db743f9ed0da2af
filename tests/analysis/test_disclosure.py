"""An attacker on the published survey tables: nothing hidden may be derivable by combining them.

:func:`disclosures` plays a reader who has every published table of a wave
(the comparison of questions and indices with n, mean and share positive,
the changes, the group tests, the intervals, the reliability) and the
public instrument, and tries to compute a hidden cell's n, sum of values or
number of positive answers:

- in each question and index, Alla minus the shown groups gives the hidden
  groups' combined n, sum and positives (n-weighted: sum = n · mean,
  positives = n · share);
- an index score is the mean of a person's items (reversed items as
  ``min + max − value`` of the item's scale), so for every group, if everyone answered every item,
  ``n(index) = n(item)`` and ``k · sum(index) = Σ sum(item)``. The attacker
  assumes this always (with item non-response it is approximately true, which
  leaks approximately); it is stronger than any real reader.

With the hidden cells as unknowns, these relations are a linear system; a
hidden value is derivable when every solution gives it the same value, i.e.
its row of a null-space basis of the system is zero (as
:meth:`slutrapport.analysis.table_suppression.CellSystem.derivable`). A
combined remainder of 1 to ``min_n − 1`` answers is a disclosure too, and so
is any change, group test, interval or alpha published for a hidden cell.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from scipy.linalg import null_space

from slutrapport.analysis.describe import compare_waves
from slutrapport.analysis.suppression import ALL, suppress
from slutrapport.analysis.survey import analyse_survey
from slutrapport.render import render_bundle, render_docx, render_excel, render_html
from slutrapport.report.comparison import comparison_report
from slutrapport.sources.survey import load_instrument, read_waves
from tests.conftest import MINI_INSTRUMENT, write_csv

MIN_N = 5
REASONS = ("för få svar", "skyddar en mindre grupp", "för få deltagare", "dolt av anonymitetsskäl", "orsak")
_QUANTITIES = ("n", "summa", "positiva")


# -- the attacker ---------------------------------------------------------------------------------------------


def _wave_findings(cells: pd.DataFrame, instrument, min_n: int, wave: str) -> list[str]:
    """What a reader can derive about the hidden cells of one wave of the comparison table."""
    findings: list[str] = []
    hidden_rows = cells[cells["undertryckt"]]
    unknowns = {(g, niva, item, q): i for i, (g, niva, item, q) in enumerate(
        (g, niva, item, q) for g, niva, item in zip(hidden_rows["grupp"], hidden_rows["niva"], hidden_rows["id"], strict=True)
        for q in _QUANTITIES
    )}  # fmt: skip
    if not unknowns:
        return findings
    equations: list[dict[int, float]] = []
    for (niva, item), cell in cells.groupby(["niva", "id"], sort=False):
        everyone = cell[cell["grupp"] == ALL]
        hidden = cell[cell["undertryckt"] & (cell["grupp"] != ALL)]
        if len(everyone) and not everyone["undertryckt"].iloc[0]:
            shown = cell[~cell["undertryckt"] & (cell["grupp"] != ALL)]
            remainder = int(everyone["n"].iloc[0]) - int(shown["n"].sum())
            if 0 < remainder < min_n:
                findings.append(f"{wave} {niva} {item}: Alla minus the shown groups leaves {remainder} answers")
        for q in _QUANTITIES:  # Σ groups = Alla, with the hidden ones (Alla too when hidden) as unknowns
            row = {unknowns[(g, niva, item, q)]: 1.0 for g in hidden["grupp"]}
            if (ALL, niva, item, q) in unknowns:
                row[unknowns[(ALL, niva, item, q)]] = -1.0
            if row:
                equations.append(row)
    groups = set(cells["grupp"])
    for index_id in instrument.indices:
        items = instrument.index_items(index_id)
        for group in groups:
            n_index, s_index = (group, "index", index_id, "n"), (group, "index", index_id, "summa")
            total: dict[tuple, float] = {s_index: -float(len(items))}
            for question in items:
                n_item, s_item = (group, "fraga", question.id, "n"), (group, "fraga", question.id, "summa")
                equations.append({unknowns[k]: c for k, c in ((n_index, 1.0), (n_item, -1.0)) if k in unknowns})
                if question.reverse:  # reversed on the item's own scale
                    scale = instrument.scale_for(question) or instrument.scale
                    total[n_item] = total.get(n_item, 0.0) + scale.min + scale.max
                    total[s_item] = -1.0
                else:
                    total[s_item] = 1.0
            equations.append({unknowns[k]: c for k, c in total.items() if k in unknowns})
    equations = [e for e in equations if e]
    matrix = np.zeros((max(len(equations), 1), len(unknowns)))
    for r, equation in enumerate(equations):
        for column, coefficient in equation.items():
            matrix[r, column] += coefficient
    basis = null_space(matrix)
    norms = np.linalg.norm(basis, axis=1) if basis.shape[1] else np.zeros(len(unknowns))
    for key, column in unknowns.items():
        if norms[column] < 1e-9:
            findings.append(f"{wave}: the {key[3]} of hidden {key[0]} in {key[1]} {key[2]} is derivable")
    return findings


def disclosures(
    comparison: pd.DataFrame,
    instrument,
    min_n: int = MIN_N,
    changes: pd.DataFrame | None = None,
    group_tests: pd.DataFrame | None = None,
    intervals: pd.DataFrame | None = None,
    reliability: pd.DataFrame | None = None,
) -> list[str]:
    """Everything hidden that a reader of these tables can derive or read (empty when safe)."""
    table = comparison.assign(undertryckt=comparison["undertryckt"].astype(bool), enkat=comparison["enkat"].astype(str))
    findings: list[str] = []
    for wave, cells in table.groupby("enkat", sort=False):
        findings += _wave_findings(cells, instrument, min_n, wave)
        # one decision per wave: a group hidden somewhere is hidden everywhere
        flags = cells[cells["grupp"] != ALL].groupby("grupp")["undertryckt"]
        findings += [f"{wave}: {g} is hidden in some cells only" for g, f in flags if f.any() and not f.all()]
    hidden = {(r.niva, r.id, r.grupp, r.enkat) for r in table[table["undertryckt"]].itertuples()}
    waves = list(dict.fromkeys(table["enkat"]))
    if changes is not None:
        for r in changes.itertuples():
            spans = waves if r.fran == "alla" else [r.fran, r.till]
            if any((r.niva, r.id, r.grupp, str(w)) in hidden for w in spans):
                findings.append(f"a change of hidden {r.grupp} in {r.niva} {r.id} ({r.fran} → {r.till}) is published")
    if group_tests is not None:
        n = {(r.niva, r.id, r.grupp, r.enkat): r.n for r in table[~table["undertryckt"]].itertuples()}
        for r in group_tests.itertuples():
            if any((r.niva, r.id, g, str(r.enkat)) in hidden for g in (r.grupp_a, r.grupp_b)):
                findings.append(f"a group test of hidden {r.grupp_a}/{r.grupp_b} in {r.niva} {r.id} is published")
            if r.grupp_a == "alla":  # Kruskal–Wallis: n_a must be the sum over the shown groups
                shown = sum(int(v) for (niva, item, g, w), v in n.items() if (niva, item, w) == (r.niva, r.id, str(r.enkat)) and g != ALL)
                if int(r.n_a) != shown:
                    findings.append(f"the group test of {r.niva} {r.id} counts {int(r.n_a) - shown} hidden answers")
    if intervals is not None:
        numbers = intervals[["medel_ci_lag", "medel_ci_hog", "andel_ci_lag", "andel_ci_hog"]].notna().any(axis=1)
        for r in intervals[numbers].itertuples():
            if (r.niva, r.id, r.grupp, str(r.enkat)) in hidden:
                findings.append(f"an interval of hidden {r.grupp} in {r.niva} {r.id} is published")
    if reliability is not None:
        for r in reliability.itertuples():
            if ("index", r.index, r.grupp, str(r.enkat)) in hidden:
                findings.append(f"the alpha of hidden {r.grupp} in {r.index} is published")
    return findings


def _bundle_table(bundle: dict, name: str) -> pd.DataFrame | None:
    table = bundle["tabeller"].get(name)
    return None if table is None else pd.DataFrame(table["rader"], columns=table["kolumner"])


# -- the old rule, for showing that the attacker finds what it let through ----------------------------------------


def _per_cell_suppress(table: pd.DataFrame, min_n: int) -> pd.DataFrame:
    """The rule before issue 17: small cells and their complements chosen question by question."""
    out = table.copy()
    out["undertryckt"] = ((out["n"] > 0) & (out["n"] < min_n)).to_numpy()
    for _, cell in out.groupby(["niva", "id", "enkat"], sort=False):
        everyone = cell[cell["grupp"] == ALL]
        if everyone.empty or bool(everyone["undertryckt"].iloc[0]):
            continue
        groups = cell[(cell["grupp"] != ALL) & (cell["n"] > 0)]
        total = int(groups.loc[out.loc[groups.index, "undertryckt"], "n"].sum())
        if total == 0:
            continue
        for idx in groups[~out.loc[groups.index, "undertryckt"]].sort_values("n", kind="stable").index:
            if total >= min_n:
                break
            out.loc[idx, "undertryckt"] = True
            total += int(out.loc[idx, "n"])
    return out


# -- a generated project with a small group and item non-response -------------------------------------------------


def _people(org: str, count: int, rng, skips: dict[int, int] | None = None, prefix: str = "") -> list[list[object]]:
    """``count`` people of ``org`` answering q1–q3; ``skips`` maps question number → how many leave it blank."""
    rows = []
    for i in range(count):
        answers: list[object] = [int(v) for v in rng.integers(1, 6, size=3)]
        for question, skipped in (skips or {}).items():
            if i < skipped:
                answers[question - 1] = ""
        rows.append([org, f"{prefix}{org}{i}", *answers, ""])
    return rows


@pytest.fixture(scope="module")
def small_group_survey(tmp_path_factory):
    """Two waves of AF, FK, Region, Soc and AME (the mini instrument: q1–q3 in one index, q3 reversed).

    Wave 1: AME has 3 respondents; FK (6) skips q1 once and Region (6) skips q2 once, so per question the
    smallest shown group is FK on q1 and Region on q2. Wave 2: Soc has 5 respondents, but one skips q3.
    """
    rng = np.random.default_rng(17)
    wave1 = _people("AME", 3, rng) + _people("FK", 6, rng, {1: 1}) + _people("Region", 6, rng, {2: 1})
    wave1 += _people("AF", 20, rng, {3: 2}) + _people("Soc", 9, rng)
    wave2 = _people("AME", 8, rng) + _people("FK", 7, rng) + _people("Region", 9, rng)
    wave2 += _people("AF", 15, rng, {1: 1}) + _people("Soc", 5, rng, {3: 1})
    folder = tmp_path_factory.mktemp("disclosure")
    instrument = folder / "mini.yaml"
    instrument.write_text(MINI_INSTRUMENT, encoding="utf-8")
    paths = [write_csv(folder / "enkat1.csv", wave1), write_csv(folder / "enkat2.csv", wave2)]
    return read_waves(paths, load_instrument(instrument))


def test_the_attacker_finds_what_the_per_question_rule_let_through(small_group_survey):
    raw = compare_waves(small_group_survey, 1)  # nothing hidden, full precision
    old = _per_cell_suppress(raw, MIN_N)
    wave1 = old[old["enkat"] == "Enkät 1"]
    # the old rule chose FK as AME's complement on q1 and Region on q2
    assert set(wave1.loc[wave1["undertryckt"] & (wave1["id"] == "q1"), "grupp"]) == {"AME", "FK"}
    assert set(wave1.loc[wave1["undertryckt"] & (wave1["id"] == "q2"), "grupp"]) == {"AME", "Region"}
    found = disclosures(old, small_group_survey.instrument)
    # Region's q2 follows from its shown index and q1, q3; then AME's q2 is Alla − the rest: its mean is out
    assert "Enkät 1: the summa of hidden AME in fraga q2 is derivable" in found, found
    assert "Enkät 1: the n of hidden AME in fraga q2 is derivable" in found, found
    assert any("Soc" in f and "Enkät 2" in f for f in found), found  # Soc hidden on q3 only
    # the same numbers under today's rule: nothing to find
    assert disclosures(suppress(raw.drop(columns="undertryckt"), MIN_N), small_group_survey.instrument) == []


def test_nothing_hidden_is_derivable_in_a_project_with_a_small_group(small_group_survey):
    results = analyse_survey(small_group_survey, MIN_N)
    table = results.comparison
    wave1, wave2 = (table[table["enkat"] == w] for w in ("Enkät 1", "Enkät 2"))
    assert set(wave1.loc[wave1["undertryckt"], "grupp"]) == {"AME", "FK"}  # FK: the smallest group of the wave
    assert set(wave2.loc[wave2["undertryckt"], "grupp"]) == {"Soc", "FK"}  # Soc: 4 answers on q3 only
    assert disclosures(
        table, small_group_survey.instrument, MIN_N, results.changes, results.group_tests, results.intervals, results.reliability
    ) == []
    # the attacker is not idle here: the group tests, changes and intervals have rows for the shown groups
    assert len(results.group_tests) and len(results.changes) and results.intervals["medel_ci_lag"].notna().any()


def test_no_output_of_the_small_group_project_says_why_a_cell_is_hidden(small_group_survey):
    results = analyse_survey(small_group_survey, MIN_N)
    report = comparison_report(results)
    bundle = json.loads(render_bundle(report))
    found = disclosures(
        _bundle_table(bundle, "jamforelse"), small_group_survey.instrument, MIN_N,
        _bundle_table(bundle, "forandringar"), _bundle_table(bundle, "gruppskillnader"), None, _bundle_table(bundle, "reliabilitet"),
    )  # fmt: skip
    assert found == []
    assert "orsak" not in bundle["tabeller"]["jamforelse"]["kolumner"]
    texts = {"html": render_html(report), "json": json.dumps(bundle, ensure_ascii=False)}
    for name, text in texts.items():
        for reason in REASONS:
            assert reason not in text, (name, reason)
    for name, data in (("xlsx", render_excel(report)), ("docx", render_docx(report))):
        text = _office_text(data)
        for reason in REASONS:
            assert reason not in text, (name, reason)


def _office_text(data: bytes) -> str:
    """All XML text of an Office file (sheets, shared strings, document body)."""
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist() if n.endswith(".xml"))


def test_the_demo_bundle_discloses_nothing(demo_dir):
    raw = (demo_dir / "rapport.json").read_text(encoding="utf-8")
    bundle = json.loads(raw)
    instrument = load_instrument(bundle["personalenkat"]["id"])
    comparison = _bundle_table(bundle, "jamforelse")
    assert comparison["undertryckt"].any()  # the demo has a small group to protect
    found = disclosures(
        comparison, instrument, MIN_N, _bundle_table(bundle, "forandringar"), _bundle_table(bundle, "gruppskillnader"),
        None, _bundle_table(bundle, "reliabilitet"),
    )  # fmt: skip
    assert found == []
    for reason in REASONS:
        assert reason not in raw, reason
