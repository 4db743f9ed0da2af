"""Property test: whatever bytes a file holds, reading it ends in a result or a Swedish error.

Random bytes; random mutations (truncation, byte flips, inserted separators,
quotes, NULs and line breaks, deleted or repeated chunks) of the valid export
fixtures, also under another file name and inside a workbook's zipped parts;
and random tables built from the instrument's own headings and answers are fed
to :func:`read_waves` with the fixture instrument. It must return a
:class:`SurveyData` or raise :class:`ValidationError`/:class:`InputFileError`,
never anything else, and :func:`read_raw` must keep the raw table's contract.
Each test runs 50 examples when ``CI`` is set, else 150.
"""

from __future__ import annotations

import csv
import io
import os
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slutrapport.core.errors import InputFileError, ValidationError
from slutrapport.sources.readers import read_raw
from slutrapport.sources.survey import load_instrument, read_waves
from slutrapport.sources.survey.ingest import SurveyData
from tests.sources.test_readers import EXPORTS, FIXTURES, INSTRUMENT, write_sav

settings.register_profile(
    "slutrapport-fuzz",
    max_examples=50 if os.environ.get("CI") else 150,
    deadline=None,
    database=None,  # no .hypothesis folder in the repository
    derandomize=bool(os.environ.get("CI")),  # CI runs the same examples every time
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PROFILE = settings.get_profile("slutrapport-fuzz")

INSTRUMENT_OBJ = load_instrument(INSTRUMENT)
SUFFIXES = [".csv", ".xlsx", ".xls", ".txt", ".sav"]
INSERTS = [b",", b";", b"\t", b'"', b"\x00", b"\n", b"\r", b"\r\n", b"\xff", b"\xc3", b"\xef\xbb\xbf", b"PK", b"[", b"]", b" - "]


@pytest.fixture(scope="module")
def originals(tmp_path_factory) -> dict[str, bytes]:
    sav = write_sav(tmp_path_factory.mktemp("fuzz-spss") / "survey.sav")
    return {name: (sav if name == "survey.sav" else EXPORTS / name).read_bytes() for name in FIXTURES}


def _mutate(content: bytes, operations: list[tuple[str, float, int, int]]) -> bytes:
    data = bytearray(content)
    for kind, where, size, extra in operations:
        at = int(where * len(data)) if data else 0
        if kind == "truncate":
            del data[at:]
        elif kind == "flip" and data:
            data[min(at, len(data) - 1)] ^= 1 << (extra % 8)
        elif kind == "insert":
            data[at:at] = INSERTS[extra % len(INSERTS)] * max(1, size % 4)
        elif kind == "delete":
            del data[at : at + size]
        elif kind == "repeat":
            data[at:at] = data[at : at + size]
    return bytes(data)


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["truncate", "flip", "insert", "delete", "repeat"]),
        st.floats(min_value=0, max_value=1, allow_nan=False, exclude_max=True),
        st.integers(min_value=1, max_value=300),
        st.integers(min_value=0, max_value=255),
    ),
    min_size=1,
    max_size=5,
)


def _check(path: Path) -> None:
    try:
        raw = read_raw(path)
    except InputFileError:
        pass
    else:
        assert list(raw.data.columns) == list(range(len(raw.columns)))
        assert isinstance(raw.data.index, pd.RangeIndex) and raw.data.index.start == 0
        assert all(isinstance(v, str) for v in raw.data.to_numpy().ravel())
        assert all(isinstance(c, str) for c in raw.columns)
        assert raw.meta_columns <= set(range(len(raw.columns)))
    try:
        result = read_waves([path], INSTRUMENT_OBJ)
    except (ValidationError, InputFileError):
        return
    assert isinstance(result, SurveyData)


@PROFILE
@given(content=st.binary(max_size=3000), suffix=st.sampled_from(SUFFIXES))
def test_random_bytes(tmp_path, content, suffix):
    path = tmp_path / f"random{suffix}"
    path.write_bytes(content)
    _check(path)


@PROFILE
@given(name=st.sampled_from(sorted(FIXTURES)), operations=OPERATIONS)
def test_mutated_exports(tmp_path, originals, name, operations):
    path = tmp_path / name
    path.write_bytes(_mutate(originals[name], operations))
    _check(path)


@PROFILE
@given(
    name=st.sampled_from([n for n in sorted(FIXTURES) if not n.endswith((".xlsx", ".sav"))]),
    operations=OPERATIONS,
    suffix=st.sampled_from(SUFFIXES),
)
def test_mutated_text_under_another_name(tmp_path, originals, name, operations, suffix):
    path = tmp_path / f"renamed{suffix}"
    path.write_bytes(_mutate(originals[name], operations))
    _check(path)


def _mutate_workbook(content: bytes, member: int, operations: list[tuple[str, float, int, int]]) -> bytes:
    """Mutate one part (sheet XML, shared strings, …) inside an xlsx and zip it again."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w") as target:
        names = source.namelist()
        chosen = names[member % len(names)]
        for name in names:
            data = source.read(name)
            target.writestr(name, _mutate(data, operations) if name == chosen else data)
    return out.getvalue()


@PROFILE
@given(
    name=st.sampled_from([n for n in sorted(FIXTURES) if n.endswith(".xlsx")]),
    member=st.integers(min_value=0, max_value=50),
    operations=OPERATIONS,
)
def test_mutated_workbook_parts(tmp_path, originals, name, member, operations):
    path = tmp_path / name
    path.write_bytes(_mutate_workbook(originals[name], member, operations))
    _check(path)


BASE = [*INSTRUMENT_OBJ.background.values(), *(q.text for q in INSTRUMENT_OBJ.questions)]
EXTRA = ["Tidstämpel", "ID", "Starttid", "Respondent ID", "Collector ID", "ResponseId", "StartDate", "id", "submitdate",
         "Fråga [Rad]", "", " ", "Response", '{"ImportId":"QID1"}', "Ö", "\ufeff", "organisation", "q01", "q02"]
SCALE_TEXTS = {q.text for q in INSTRUMENT_OBJ.scale_questions}
ANSWERS = ["", "Instämmer helt", "Instämmer i liten grad", "Vet ej", "A3", "A6", "4", "4,0", "2"]
OTHER = ["", "AF", "Socialtjänsten", "socialtjänsten ", "k1", "K1", "Bra, men långsamt; tack"]
ODD = ["7", "0", "x", "4.5", "\n", '"', " ", "nan", "None", "1e3"]


@st.composite
def tables(draw) -> list[list[str]]:
    """A header of the instrument's headings (shuffled, some dropped or doubled, tool columns added)
    and rows of mostly valid answers."""
    header = draw(st.permutations(BASE))
    if draw(st.booleans()):
        header = header[: draw(st.integers(min_value=1, max_value=len(header)))]
    header += draw(st.lists(st.sampled_from(EXTRA + BASE), max_size=3))
    odd = st.one_of(st.sampled_from(ODD), st.text(max_size=6)) if draw(st.booleans()) else st.nothing()
    cells = [st.one_of(st.sampled_from(ANSWERS if h in SCALE_TEXTS else OTHER), odd) for h in header]
    row = st.tuples(*cells).map(list)
    if draw(st.integers(0, 4)) == 0:  # ragged rows now and then
        row = st.tuples(row, st.integers(-1, 1)).map(lambda r: r[0][: len(r[0]) + r[1]] if r[1] < 1 else [*r[0], "extra"])
    return [header, *draw(st.lists(row, max_size=8))]


@PROFILE
@given(table=tables(), sep=st.sampled_from([",", ";", "\t"]), encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
def test_random_tables(tmp_path, table, sep, encoding):
    """Structured input: headings and answers that ingest knows, in random places."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=sep).writerows(table)
    path = tmp_path / "table.csv"
    path.write_bytes(buffer.getvalue().encode(encoding, errors="replace"))
    _check(path)
