"""The schema and the writer cannot drift apart: whatever render_bundle writes validates, and the schema
documents every field, bounds every text and allows only finite numbers and whole, non-negative counts."""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slutrapport.portfolio.bundlefile import read_bundle_file
from slutrapport.portfolio.schemacheck import compile_check
from slutrapport.render.bundle import SCHEMA_VERSION, TABLE_COLUMNS, render_bundle, schema
from slutrapport.report.model import Completeness, Paragraphs, Report, Section
from tests.bundle_strategies import hidden_columns, rows_from

jsonschema = pytest.importorskip("jsonschema")

SCHEMA = schema()
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
FAST = compile_check(SCHEMA)
FLOAT_MAX, INT_MAX = 1.7976931348623157e308, 2**53 - 1
TEXT = st.text(st.characters(codec="utf-8"), max_size=30)


def _as_handed_in(rows: list[list], columns: tuple[str, ...], style: int) -> pd.DataFrame:
    """Rows as an analysis could hand them in: numpy scalars, NaN for a missing number, nullable integers."""
    frame = pd.DataFrame(rows, columns=list(columns), dtype=object)
    for column in frame.columns:
        values = frame[column]
        numbers = [v for v in values if v is not None]
        if numbers and all(isinstance(v, int) and not isinstance(v, bool) for v in numbers):
            frame[column] = values.astype("Int64") if style % 3 == 0 else values.astype("float64") if style % 3 == 1 else values
        elif numbers and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in numbers):
            frame[column] = values.astype("float64")  # None → NaN
        elif numbers and all(isinstance(v, bool) for v in numbers) and style % 2 and len(numbers) == len(values):
            frame[column] = values.astype(bool)  # numpy booleans
    return frame


@st.composite
def reports(draw) -> Report:
    tables = {}
    for name, columns in TABLE_COLUMNS.items():
        if draw(st.booleans()):
            rows = draw(rows_from(SCHEMA, name))
            tables[name] = _as_handed_in(rows, columns, draw(st.integers(0, 5)))
    headings = draw(st.lists(st.tuples(TEXT.filter(str.strip), TEXT, st.booleans(), st.one_of(st.none(), TEXT)), max_size=4, unique_by=lambda h: h[0]))
    sections = [Section(id=i, number=str(n + 1), title=t, required=r, narrative=x, blocks=[Paragraphs(["…"])] if n % 2 else [])
                for n, (i, t, r, x) in enumerate(headings)]  # fmt: skip
    completeness = [Completeness(s.id, s.number, s.title, s.required, draw(st.sampled_from(["ifylld", "saknas"])), draw(st.lists(TEXT, max_size=2)))
                    for s in sections if draw(st.booleans())]  # fmt: skip
    instrument = None
    if draw(st.booleans()):
        instrument = {"id": draw(TEXT), "namn": draw(TEXT), "skala": {"min": np.int64(1), "max": 5.0, "positiva": [4, np.int64(5)]},
                      "enkater": [{"etikett": draw(TEXT), "datum": draw(st.one_of(st.none(), st.dates().map(date.isoformat), TEXT))}]}  # fmt: skip
    return Report(
        title=draw(TEXT),
        subtitle="",
        facts=draw(st.dictionaries(TEXT, st.one_of(st.none(), TEXT, st.integers(), st.dates()), max_size=3)),
        sections=sections,
        generated=draw(st.dates(min_value=date(1900, 1, 1), max_value=date(9999, 12, 31))).isoformat(),
        template_name=draw(TEXT),
        template_id=draw(TEXT),
        completeness=completeness,
        tables=tables,
        instrument=instrument,
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(reports())
def test_whatever_the_writer_writes_validates(report):
    """Tables of every kind, values anywhere within the contract (hidden cells with numbers included: the writer empties them)."""
    data = json.loads(render_bundle(report))
    errors = [f"{e.json_path}: {e.message}" for e in VALIDATOR.iter_errors(data)]
    assert not errors, errors[:5]
    assert FAST(data)


def test_hidden_rows_in_the_drawn_tables_carry_numbers():
    """The property above only proves something if hidden rows with numbers are handed in: the rule covers these columns."""
    assert [TABLE_COLUMNS["jamforelse"][n] for n in hidden_columns(SCHEMA, "jamforelse")] == ["n", "medel", "sd", "median", "andel_positiva"]
    assert [TABLE_COLUMNS["deltagare_tid"][n] for n in hidden_columns(SCHEMA, "deltagare_tid")] == ["n", "medel_dagar", "median_dagar", "moten_medel"]


def test_a_written_bundle_passes_the_portfolios_reader(tmp_path):
    report = Report(title="Vägen framåt", subtitle="", facts={"Projektets namn": "Vägen framåt"}, sections=[], generated="2026-06-30")
    path = tmp_path / "rapport.json"
    path.write_bytes(render_bundle(report))
    data, _ = read_bundle_file(path)
    assert data["schema_version"] == SCHEMA_VERSION


# -- the schema itself -------------------------------------------------------------


def _nodes(node, where="$"):
    if isinstance(node, dict):
        yield where, node
        for key, value in node.items():
            yield from _nodes(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _nodes(value, f"{where}/{index}")


def test_every_field_and_column_is_documented():
    undocumented = []
    for where, node in _nodes(SCHEMA):
        if where.endswith("/properties") and "/if/" not in where and "/then/" not in where and "/else/" not in where:
            undocumented += [f"{where}/{key}" for key, sub in node.items() if "description" not in sub and "$ref" not in sub]
    for name, row in SCHEMA["$defs"].items():
        if name.startswith("rad_"):  # one description per column, naming it
            columns = [item["description"].split(":")[0] for item in row["prefixItems"] if "description" in item]
            assert len(columns) == len(row["prefixItems"]), name
            if name.removeprefix("rad_") in TABLE_COLUMNS:
                assert columns == list(TABLE_COLUMNS[name.removeprefix("rad_")]), name
    assert not undocumented, undocumented
    for name in TABLE_COLUMNS:
        assert SCHEMA["$defs"][f"tabell_{name}"]["description"]


def test_texts_are_bounded_numbers_finite_and_counts_whole_and_not_negative():
    for where, node in _nodes(SCHEMA):
        kinds = node.get("type")
        kinds = [kinds] if isinstance(kinds, str) else kinds or []
        if "string" in kinds:
            assert node.get("maxLength", 0) > 0 or "enum" in node, where
        if "number" in kinds:
            assert node["minimum"] >= -FLOAT_MAX and node["maximum"] <= FLOAT_MAX, where
        if "integer" in kinds:
            assert node["minimum"] >= -INT_MAX and node["maximum"] <= INT_MAX, where
    defs = SCHEMA["$defs"]
    assert defs["antal"]["type"] == ["integer", "null"] and defs["antal"]["minimum"] == 0
    for key in ("kravda", "ifyllda"):
        assert SCHEMA["properties"]["fullstandighet"]["properties"][key]["minimum"] == 0
    skapad = SCHEMA["properties"]["skapad"]
    assert skapad["format"] == "date" and skapad["pattern"] == "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
    assert SCHEMA["properties"]["projekt"]["properties"]["uppgifter"]["propertyNames"]["maxLength"] > 0


@pytest.mark.parametrize(("version", "orsak"), [("1.0", True), ("1.1", True), ("1.2", False), ("1.3", False), ("1.4", False)])  # orsak: allowed
def test_each_version_has_its_comparison_layout(version, orsak):
    table = SCHEMA["$defs"]["tabeller_1_0" if version in ("1.0", "1.1") else "tabeller"]["properties"]["jamforelse"]["$ref"].rsplit("/", 1)[1]
    columns = SCHEMA["$defs"][table]["properties"]["kolumner"]
    layouts = columns["enum"] if "enum" in columns else [columns["const"]]
    assert any("orsak" in layout for layout in layouts) == orsak
    assert version in SCHEMA["properties"]["schema_version"]["enum"]
