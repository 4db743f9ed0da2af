"""The pairwise differences between organisations that the report shows: only those a reader can use.

:func:`~slutrapport.analysis.groups.group_differences` tests every pair of
organisations for every question and index at every wave (with thirty
organisations 435 pairs each), and every one of those rows is kept in the
data: Excel's sheet "Data gruppskillnader", ``rapport.json``'s
``gruppskillnader``. The report itself shows, per index, a pair only when

1. the Kruskal–Wallis test across the organisations of that index and wave
   has ``p_corr`` below :data:`~slutrapport.wording.survey.SIGNIFICANCE`
   (the organisations differ at all), and
2. the pair's own Mann–Whitney test has ``p_corr`` below the same level
   (the two organisations involved differ),

with ``p_corr`` Holm-adjusted within the wave's family ``gruppskillnader``
exactly as computed, so what is shown is never adjusted more leniently than
the data. At most :data:`MAX_PAIRS` pairs per index are shown, the largest
effects first; the note under the table says how many there are and where the
rest are. Only reshaping happens here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from slutrapport.analysis.changes import ACROSS_ALL
from slutrapport.core.swedish import format_number, wave_name
from slutrapport.report.model import EFFECT, MEAN, PVALUE, TEXT, Column, Table
from slutrapport.wording.rows import row_dicts
from slutrapport.wording.survey import SIGNIFICANCE

__all__ = ["MAX_PAIRS", "PAIRS_RULE", "pair_table"]

#: The most pairs of one index the report shows (the largest effects); the data has them all.
MAX_PAIRS = 10
#: The rule as the method text states it.
PAIRS_RULE = (
    "Parvisa jämförelser mellan organisationerna (Mann–Whitneys U-test) visas i rapporten bara för ett index och en "
    "enkät där Kruskal–Wallis test visar att organisationerna skiljer sig åt (Holm-justerat p under 0,05), och bara "
    f"för de par som själva skiljer sig åt (Holm-justerat p under 0,05), högst {MAX_PAIRS} per index med de största "
    "effekterna först. Alla parvisa test, också de som inte visas, finns i Excel-filens datablad "
    "”Data gruppskillnader” och i rapport.json (gruppskillnader)."
)


def pair_table(group_tests: pd.DataFrame, comparison: pd.DataFrame, niva: str, item: str, name: str) -> Table | None:
    """The pairs of organisations that differ for one index or question (see the module docstring); None when none."""
    tests = group_tests[(group_tests["niva"] == niva) & (group_tests["id"] == item)]
    if tests.empty:
        return None
    significant = tests[pd.to_numeric(tests["p_corr"], errors="coerce") < SIGNIFICANCE]
    waves = significant["enkat"].astype(str).tolist()
    omnibus = [group == ACROSS_ALL for group in significant["grupp_a"]]
    differing = {wave for wave, across in zip(waves, omnibus, strict=True) if across}
    pairs = np.array([i for i, (wave, across) in enumerate(zip(waves, omnibus, strict=True)) if not across and wave in differing], dtype=np.intp)
    if not len(pairs):
        return None
    # the largest |effect| first, equal ones and then those without an effect in table order (a stable sort, as pandas')
    sizes = pd.to_numeric(significant["effekt"], errors="coerce").abs().to_numpy(dtype=float, na_value=np.nan)[pairs]
    missing = np.isnan(sizes)
    order = np.lexsort((np.arange(len(pairs)), np.where(missing, 0.0, -sizes), missing))
    shown = row_dicts(significant[["enkat", "grupp_a", "grupp_b", "effekt", "p_corr"]].iloc[pairs[order[:MAX_PAIRS]]])
    cells = comparison[(comparison["niva"] == niva) & (comparison["id"] == item)]
    means = {(g, str(w)): m for g, w, m in zip(cells["grupp"], cells["enkat"], cells["medel"], strict=True)}
    rows = [
        [wave_name(wave), r["grupp_a"], r["grupp_b"], means.get((r["grupp_a"], wave)), means.get((r["grupp_b"], wave)), r["effekt"], r["p_corr"]]
        for r, wave in ((r, str(r["enkat"])) for r in shown)
    ]
    columns = [
        Column("Enkät", TEXT),
        Column("Organisation A", TEXT),
        Column("Organisation B", TEXT),
        Column("Medel A", MEAN),
        Column("Medel B", MEAN),
        Column("Effekt (B jämfört med A)", EFFECT),
        Column("Justerat p", PVALUE),
    ]
    notes = [
        "Effekt = rangbiserial korrelation, positiv när organisation B ligger högre. Justerat p = Holm-justerat "
        "inom enkätens jämförelser mellan organisationer."
    ]
    if len(pairs) > len(shown):
        notes.append(
            f"{format_number(len(pairs), 0)} par skiljer sig åt; de {len(shown)} med störst effekt visas här. "
            "Alla parvisa test finns i Excel-filens datablad ”Data gruppskillnader” och i rapport.json."
        )
    return Table(caption=f"{name}: organisationer som skiljer sig åt", columns=columns, rows=rows, notes=notes)
