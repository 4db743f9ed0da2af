"""Counting every record's fields with numpy gives what the csv module gives (issue 20, part 4)."""

from __future__ import annotations

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from slutrapport.sources.readers.records import _counted_fast, field_counts


def _csv_module(text: str, sep: str) -> list[int]:
    # the reference: the standard library's csv.reader, as records.read_records splits a file
    return [len(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=sep)]


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet='ab,;\t" \n\rö', max_size=60), st.sampled_from([",", ";", "\t"]))
def test_fast_count_equals_the_csv_module_or_declines(text, sep):
    try:
        expected = _csv_module(text, sep)
    except csv.Error:
        return
    fast = _counted_fast(text.encode("utf-8"), sep)
    if fast is not None:
        assert fast.tolist() == expected
    assert field_counts(text, sep, 10_000).tolist() == expected
    assert field_counts(text.encode("utf-8"), sep, 3).tolist() == expected[:3]


def test_fast_count_of_the_usual_shapes():
    cases = {
        'a,b,c\n1,,\n2\n"x\ny",,\n3,4\n\n': [3, 3, 1, 3, 2, 0],
        'a;"b;c";d\r\n1\r\n\r\n': [3, 1, 0],
        '"x""y",z': [2],
        "a\rb\r": [1, 1],
        '"a",,"",\r\n"ö"': [4, 1],
    }
    for text, expected in cases.items():
        sep = ";" if ";" in text else ","
        assert _csv_module(text, sep) == expected
        assert _counted_fast(text.encode("utf-8"), sep).tolist() == expected


def test_a_quote_inside_an_unquoted_field_goes_to_the_csv_module():
    # csv reads ab"c as the three characters; the numpy count would not, so it declines
    assert _counted_fast(b'x,ab"c,d\n1,2,3\n', ",") is None
    assert field_counts('x,ab"c,d\n1,2,3\n', ",", 10).tolist() == [3, 3]
    assert _counted_fast(b'"open,never closed\n1,2\n', ",") is None
