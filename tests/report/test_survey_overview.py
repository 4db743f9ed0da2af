"""The overview table of the staff survey (issue 19): every index per wave for all respondents, the certain changes marked by a symbol."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from slutrapport.report.blocks.survey_overview import DOWN, NO_CHANGE, SPREAD, UP, overview_table
from slutrapport.report.model import PROTECTED

WAVES = ["Enkät 1", "Enkät 2"]


def _cells(item: str, means: tuple[float, float], hidden: bool = False) -> list[dict]:
    return [
        {"niva": "index", "id": item, "grupp": "Alla", "enkat": wave, "medel": mean, "andel_positiva": 0.5, "undertryckt": hidden and wave == WAVES[1]}
        for wave, mean in zip(WAVES, means, strict=True)
    ]


def _change(item: str, p_corr: float, effekt: float, diff: float, familj: str = "primär", test: str = "partover_t") -> dict:
    return {
        "niva": "index", "id": item, "grupp": "Alla", "fran": WAVES[0], "till": WAVES[1], "test": test, "p_corr": p_corr,
        "effekt": effekt, "diff_medel": diff, "diff_andel_positiva": 0.1, "familj": familj,
    }  # fmt: skip


def _results(indices: dict[str, str], cells: list[dict], changes: list[dict]) -> SimpleNamespace:
    instrument = SimpleNamespace(indices=indices, scale_questions=[])
    return SimpleNamespace(
        survey=SimpleNamespace(instrument=instrument, waves=WAVES),
        comparison=pd.DataFrame(cells),
        changes=pd.DataFrame(changes),
        min_n=5,
    )


def test_only_certain_changes_of_the_primary_family_are_marked_with_the_direction_of_the_deciding_test():
    indices = {"upp": "Uppåt", "ned": "Nedåt", "spridd": "Spridd", "utforskande": "Utforskande", "osaker": "Osäker", "dold": "Dold"}
    cells = [c for item, means in [("upp", (3, 4)), ("ned", (4, 3)), ("spridd", (3.5, 3.4)), ("utforskande", (3, 4)), ("osaker", (3, 3.2))]
             for c in _cells(item, means)] + _cells("dold", (3, 3), hidden=True)  # fmt: skip
    changes = [
        _change("upp", 0.01, 0.4, 1.0),
        _change("ned", 0.02, -0.3, -1.0),
        _change("spridd", 0.03, 0.3, -0.1),  # the rank test says up, the mean fell: the answers spread out
        _change("utforskande", 0.001, 0.5, 1.0, familj="utforskande", test="wilcoxon"),  # never certain outside the primary family
        _change("osaker", 0.2, 0.2, 0.2),
        _change("ned", 0.04, -0.2, -0.5, test="trend_lmm"),
    ]
    table = overview_table(_results(indices, cells, changes))
    assert [c.label for c in table.columns] == ["Index", "Medel", "Andel positiva", "Medel", "Andel positiva", "Säkerställd förändring"]
    marks = {row[0]: row[-1] for row in table.rows}
    assert marks == {
        "Uppåt": f"{UP} Enkät 1 → Enkät 2",
        "Nedåt": f"{DOWN} Enkät 1 → Enkät 2; {DOWN} trend över alla enkäter",
        "Spridd": f"{SPREAD} Enkät 1 → Enkät 2",
        "Utforskande": NO_CHANGE,
        "Osäker": NO_CHANGE,
        "Dold": NO_CHANGE,
    }
    hidden = next(row for row in table.rows if row[0] == "Dold")
    assert hidden[1:5] == [3, 0.5, PROTECTED, PROTECTED]  # the hidden wave is protected, never a number
    assert any(UP in note and DOWN in note for note in table.notes) and any("skyddat" in note for note in table.notes)


def test_one_wave_has_no_change_column():
    results = _results({"a": "A"}, _cells("a", (3, 4))[:1], [])
    results.survey.waves = WAVES[:1]
    table = overview_table(results)
    assert [c.label for c in table.columns] == ["Index", "Medel", "Andel positiva"] and table.rows == [["A", 3, 0.5]]
