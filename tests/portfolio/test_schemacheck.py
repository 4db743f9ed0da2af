"""The fast schema check agrees with ``jsonschema`` on valid and damaged bundles of every known version."""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slutrapport.portfolio.schemacheck import UnsupportedSchema, compile_check
from slutrapport.render.bundle import TABLE_COLUMNS, schema
from tests.bundle_strategies import rows_from
from tests.portfolio.helpers import bundle, contract_tables

jsonschema = pytest.importorskip("jsonschema")

SCHEMA = schema()
FAST = compile_check(SCHEMA)
SLOW = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
BASES = {version: bundle("P", version=version, contract=contract_tables(hidden_kon=("Män",))) for version in ("1.0", "1.1", "1.2")}


def _agree(data) -> bool:
    fast, slow = FAST(data), SLOW.is_valid(data)
    assert fast == slow, (fast, [e.message for e in SLOW.iter_errors(data)][:3])
    return fast


def _paths(value, parts=()):
    yield parts
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*parts, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*parts, index))


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**60), 2**60) | st.sampled_from([0, 1, -1, 1.0, 2.5, -0.5, 1e308, 2**53, "2025-02-30", "2026-06-30"])
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=6,
)  # fmt: skip


def test_the_known_bundles_are_valid_to_both():
    for data in BASES.values():
        assert _agree(data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(BASES)), st.data())
def test_a_damaged_bundle_is_judged_alike(version, draw):
    data = copy.deepcopy(BASES[version])
    paths = list(_paths(data))[1:]
    cells = [p for p in paths if len(p) == 5 and p[0] == "tabeller"]  # half the damage in table cells, where most values are
    parts = draw.draw(st.sampled_from(cells) | st.sampled_from(paths))
    *parent_parts, last = parts
    parent = data
    for part in parent_parts:
        parent = parent[part]
    action = draw.draw(st.sampled_from(["replace", "delete", "append"]))
    if action == "replace":
        parent[last] = draw.draw(JSON)
    elif action == "delete":
        del parent[last]
    elif isinstance(parent[last], list):
        parent[last].append(draw.draw(JSON))
    elif isinstance(parent[last], dict):
        parent[last][draw.draw(st.text(max_size=6))] = draw.draw(JSON)
    _agree(data)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_every_table_drawn_from_the_schema_is_judged_alike(draw):
    """Rows cell by cell valid, of every table; the hidden-cell rule kept or broken at random."""
    data = copy.deepcopy(BASES["1.2"])
    data["tabeller"] = {name: {"kolumner": list(columns), "rader": draw.draw(rows_from(SCHEMA, name))} for name, columns in TABLE_COLUMNS.items()}
    _agree(json.loads(json.dumps(data)))


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["tabeller"]["socioekonomi_lonsamhet"]["rader"].append([True, 1.0, 1.0, 0.0]),  # true is not 1
        lambda d: d["tabeller"]["socioekonomi_lonsamhet"]["rader"].append([3.0, 1.0, 1.0, 0.0]),  # 3.0 is 3
        lambda d: d["tabeller"]["jamforelse"]["rader"][0].__setitem__(5, 20.0),  # a whole float is an integer
        lambda d: d["tabeller"]["jamforelse"]["rader"][0].__setitem__(5, True),  # a boolean is not
        lambda d: d.__setitem__("skapad", "2026-06-30\n"),
        lambda d: d.__setitem__("skapad", "２０２６-06-30"),  # full-width digits
        lambda d: d["projekt"]["uppgifter"].__setitem__("x" * 1001, None),  # key too long
        lambda d: d["verktyg"].__setitem__("namn", "annat"),
        lambda d: d.pop("personalenkat"),  # optional
        lambda d: d.__setitem__("personalenkat", None),
        lambda d: d["tabeller"]["deltagare_flode"]["rader"][0].__setitem__(2, None),  # hidden needs all three null
        lambda d: d["tabeller"]["jamforelse"]["rader"][0].__setitem__(5, -1),  # a negative count
        lambda d: d["tabeller"]["jamforelse"]["rader"][0].__setitem__(5, 2**53),  # a count past 2**53 - 1
        lambda d: d["tabeller"]["jamforelse"]["rader"][0].__setitem__(9, 1.5),  # a share over 1
        lambda d: d["tabeller"]["jamforelse"]["rader"][0].__setitem__(6, 1e308 * 10),  # inf, had a parser let it through
        lambda d: d["fullstandighet"].__setitem__("kravda", -1),
        lambda d: d["rubriker"][0].__setitem__("niva", 0),
        lambda d: d["rubriker"][0].__setitem__("text", "x" * 1_000_001),
        lambda d: d["tabeller"]["jamforelse"]["kolumner"].append("orsak"),  # the old layout in a 1.2 bundle
    ],
)
def test_edge_cases_are_judged_alike(change):
    data = copy.deepcopy(BASES["1.2"])
    data["tabeller"]["socioekonomi_lonsamhet"] = {"kolumner": list(TABLE_COLUMNS["socioekonomi_lonsamhet"]), "rader": []}
    change(data)
    _agree(data)


def test_a_schema_with_other_keywords_is_not_compiled():
    for spec in ({"oneOf": [{"type": "null"}]}, {"type": "string", "format": "email"}, {"$ref": "https://example.org/x"}, {"then": {}}):
        with pytest.raises(UnsupportedSchema):
            compile_check(spec)
