"""Who answered in the report: the composition warning with the standardised Alla, and the response-rate blocks."""

from __future__ import annotations

from slutrapport.analysis.survey import analyse_survey
from slutrapport.report.blocks.survey import survey_blocks
from slutrapport.report.model import Paragraphs, Subsection, Table
from slutrapport.sources.survey import load_instrument, read_waves
from tests.analysis.test_composition import HIGH, LOW, _rows
from tests.conftest import write_csv


def _flat(blocks: list) -> list:
    out = []
    for block in blocks:
        out += _flat(block.blocks) if isinstance(block, Subsection) else [block]
    return out


def _results(tmp_path, instrument, waves, invited=None):
    paths = [write_csv(tmp_path / f"w{i}.csv", rows) for i, rows in enumerate(waves, start=1)]
    return analyse_survey(read_waves(paths, load_instrument(instrument)), 5, invited=invited)


def test_a_changed_mix_gets_a_visible_warning_and_the_standardised_alla_beside_the_raw_one(tmp_path, mini_instrument):
    wave1 = _rows("Hög", HIGH * 4, "a") + _rows("Låg", LOW * 16, "b")
    wave2 = _rows("Hög", HIGH * 12, "c") + _rows("Låg", LOW * 8, "d")
    blocks = _flat(survey_blocks(_results(tmp_path, mini_instrument, [wave1, wave2])))
    texts = [t for b in blocks if isinstance(b, Paragraphs) for t in b.texts]
    warnings = [t for t in texts if t.startswith("Obs: fördelningen av de svarande")]
    assert len(warnings) == 2  # in the survey in brief and at the index
    assert "andelen svar från Låg gick från 80\xa0% till 40\xa0%" in warnings[0]
    assert any("(standardiserad) är förändringen 0,00" in t and "ingen säker förändring" in t for t in warnings)
    changes = next(b for b in blocks if isinstance(b, Table) and b.caption == "Index A: förändringar mellan enkäterna, alla svarande")
    spans = [row[0] for row in changes.rows]
    assert "Enkät 1 → Enkät 2" in spans and "Enkät 1 → Enkät 2, standardiserad" in spans
    assert any(note.startswith("Standardiserad = ") for note in changes.notes)


def test_an_unchanged_mix_gets_no_warning_and_no_response_rate_without_invited_counts(tmp_path, mini_instrument):
    wave1 = _rows("Hög", HIGH * 8, "a") + _rows("Låg", LOW * 8, "b")
    wave2 = _rows("Hög", [5, 5, 4, 5, 5] * 8, "c") + _rows("Låg", LOW * 8, "d")
    blocks = _flat(survey_blocks(_results(tmp_path, mini_instrument, [wave1, wave2])))
    texts = [t for b in blocks if isinstance(b, Paragraphs) for t in b.texts]
    assert not any("fördelningen av de svarande" in t for t in texts)
    tables = [b for b in blocks if isinstance(b, Table)]
    assert not any("standardiserad" in str(row[0]) for t in tables for row in t.rows)
    assert not any("Svarsfrekvens" in c.label for t in tables for c in t.columns)
    assert not any("Svarsfrekvens" in n for t in tables for n in t.notes)


def test_invited_counts_give_a_rate_column_in_the_group_tables_and_a_note_everywhere_else(tmp_path, mini_instrument):
    wave1 = _rows("Hög", HIGH * 2, "a") + _rows("Låg", LOW * 2, "b")
    wave2 = _rows("Hög", [5, 5, 4, 5, 5] * 2, "c") + _rows("Låg", LOW * 2, "d")
    invited = {"Enkät 1": {"Hög": 20, "Låg": 25}, "Enkät 2": {"Hög": 10, "Låg": 40, "Alla": 60}}
    blocks = _flat(survey_blocks(_results(tmp_path, mini_instrument, [wave1, wave2], invited)))
    tables = [b for b in blocks if isinstance(b, Table)]
    group_table = next(t for t in tables if t.caption == "Index A: indexvärde per grupp och enkät")
    labels = [(c.label, c.group) for c in group_table.columns]
    assert labels.index(("Svarsfrekvens", "Enkät 1")) == labels.index(("n", "Enkät 1")) + 1
    row = {r[0]: r for r in group_table.rows}
    position = labels.index(("Svarsfrekvens", "Enkät 2"))
    assert row["Alla"][position] == 20 / 60 and row["Hög"][position] == 1.0 and row["Låg"][position] == 10 / 40
    for table in tables:
        assert any(c.label == "Svarsfrekvens" for c in table.columns) or "Svarsfrekvens, alla svarande: Enkät 1 44\xa0%, Enkät 2 33\xa0%." in table.notes
    texts = [t for b in blocks if isinstance(b, Paragraphs) for t in b.texts]
    assert any("Varning: svarsfrekvensen är under 50\xa0%" in t and "Låg i Enkät 2 (25\xa0%, 10 av 40)" in t for t in texts)
