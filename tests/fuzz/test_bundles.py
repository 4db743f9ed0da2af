"""Fuzz class 6: rapport.json bundles given to ``slutrapport portfolio``.

The demo's bundle (the session's demo build, copied) is mutated as data
(misspelt keys, values of other types, NaN and infinities, huge integers,
deleted or wrapped values, project names with markup and formulas) and as
text (numbers such as ``1e400``, ``NaN`` and 400-digit integers written as
they are, a key given twice, deep nesting, control characters, unpaired
surrogate escapes, truncation, a BOM, another encoding, trailing text).
``slutrapport portfolio`` of the mutated bundle and a clean copy must end in
0 or 1 with no unexpected error and the bundles unchanged; a bundle damaged
for certain (a key twice, a number that is not finite) must be listed as a
problem and left out; a portfolio it writes must hold nothing active from the
bundle in portfolio.html, no formula and only well-formed XML in portfolio.xlsx. Every odd project name (markup,
formulas, error codes, control characters) is also tried on its own in a valid
bundle, and the tables' numbers are replaced by extreme ones.
"""

from __future__ import annotations

import json
import math
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from hypothesis import event, example, given
from hypothesis import strategies as st

from tests.fuzz.support import MARK, assert_handled, assert_safe_html, assert_whole_office_file, budget, digests, run_cli
from tests.fuzz.yaml_mutations import DATA_OPERATIONS, mutate_data

#: Values put where the project is named, so they reach every output.
NAMES = [
    f"<script>{MARK}()</script>", f'<img src=x onerror="{MARK}()">', f'=HYPERLINK("http://{MARK}","x")', "=1+1", "+1", "-1",
    "@SUM(A1)", "#DIV/0!", f"${MARK}$", "\x0b", "\u2028", "x" * 5000, "",
]  # fmt: skip
#: Raw JSON written in place of a number.
NUMBERS = ["1e400", "-1e400", "1E+999", "NaN", "Infinity", "-Infinity", "-0", "0.1e-400", "9" * 400, "9" * 5000, "1.0", "true", "null", '"5"']
#: Those that damage a bundle wherever they stand (not a finite number, or too many digits): it must be left out.
DAMAGING = {"1e400", "-1e400", "1E+999", "NaN", "Infinity", "-Infinity", "9" * 5000}
TEXT_OPERATIONS = st.tuples(
    st.sampled_from(["number", "twice", "deep", "control", "surrogate", "truncate", "bom", "utf-16", "trailing", "comment"]),
    st.floats(0, 1, exclude_max=True),
    st.integers(0, 1000),
)
_NUMBER = re.compile(r"(?<=[:\[,] )-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?=[,\]\n])|(?<=[:\[,])-?\d+(?:\.\d+)?(?=[,\]])")
_KEY = re.compile(r'"[^"\\]+": ')


@pytest.fixture(scope="module")
def clean_bundle(demo_dir, tmp_path_factory) -> tuple[Path, str]:
    """A copy of the demo's bundle in its own folder (the portfolio's clean second project), and its text."""
    folder = tmp_path_factory.mktemp("bundles") / "ren"
    folder.mkdir()
    shutil.copy2(demo_dir / "rapport.json", folder / "rapport.json")
    return folder / "rapport.json", (folder / "rapport.json").read_text(encoding="utf-8")


def _named(data: dict, name: str) -> dict:
    """``data`` with the project named ``name`` everywhere the bundle names it."""
    data["projekt"]["titel"] = name
    uppgifter = data["projekt"].get("uppgifter")
    if isinstance(uppgifter, dict) and "Projektets namn" in uppgifter:
        uppgifter["Projektets namn"] = name
    return data


def _apply_text(text: str, operations) -> bytes:
    encoding, bom = "utf-8", False
    for kind, where, how in operations:
        if kind == "number":
            numbers = list(_NUMBER.finditer(text))
            if numbers:
                found = numbers[int(where * len(numbers))]
                text = text[: found.start()] + NUMBERS[how % len(NUMBERS)] + text[found.end() :]
        elif kind == "twice":  # a key given twice in the same object, with another value
            keys = list(_KEY.finditer(text))
            if keys:
                found = keys[int(where * len(keys))]
                text = text[: found.start()] + found.group(0) + "null, " + text[found.start() :]
        elif kind == "deep":
            depth = [5, 19, 21, 200, 100_000][how % 5]
            text = (
                text.replace("{", '{"djup": ' + "[" * depth + "]" * depth + ", ", 1)
                if how % 2
                else text.rstrip()[:-1] + ', "x": ' + '{"a": ' * depth + "1" + "}" * depth + "}"
            )
        elif kind == "control":
            at = int(where * len(text))
            text = text[:at] + ["\x00", "\x0b", "\x1b", "\u2028", "\ufeff", "\\u0000", "\\u000b"][how % 7] + text[at:]
        elif kind == "surrogate":
            at = text.find('"', int(where * len(text)))
            text = text if at < 0 else text[: at + 1] + ["\\ud800", "\\udfff", "\\ud800\\u0041", "\\ud83d\\ude00"][how % 4] + text[at + 1 :]
        elif kind == "truncate":
            text = text[: int(where * len(text))]
        elif kind == "bom":
            bom = True
        elif kind == "utf-16":
            encoding = "utf-16"
        elif kind == "trailing":
            text += ["\n{}", "\nx", "\x00", " " * 1000, "\n// kommentar"][how % 5]
        elif kind == "comment":
            text = text.replace("{", "{ /* kommentar */ ", 1)
    return ("\ufeff" if bom else "").encode(encoding) + text.encode(encoding, errors="surrogatepass")


@st.composite
def bundle_mutations(draw):
    data_operations = draw(st.lists(DATA_OPERATIONS, max_size=3))
    name = draw(st.none() | st.sampled_from(NAMES))
    text_operations = draw(st.lists(TEXT_OPERATIONS, max_size=2))
    strict = draw(st.booleans())
    return data_operations, name, text_operations, strict


def _damaged(text_operations) -> bool:
    """Whether a text operation damaged the bundle for certain: a key given twice, a number that is not one."""
    return any(kind == "twice" or (kind == "number" and NUMBERS[how % len(NUMBERS)] in DAMAGING) for kind, _, how in text_operations)


@budget(8)
# What the fuzzing found: a key given twice and 1e400 (read as infinity) were used without a word.
@example(mutation=([], None, [("twice", 0.5, 0)], False))
@example(mutation=([], None, [("number", 0.5, 0)], False))
@given(mutation=bundle_mutations())
def test_mutated_bundle_makes_a_portfolio_or_is_refused(clean_bundle, tmp_path_factory, mutation):
    data_operations, name, text_operations, strict = mutation
    clean_path, clean_text = clean_bundle
    data = mutate_data(json.loads(clean_text), data_operations)
    if name is not None and isinstance(data, dict) and isinstance(data.get("projekt"), dict):
        data = _named(data, name)
    folder = tmp_path_factory.mktemp("portfolio")
    path = folder / "fuzzad" / "rapport.json"
    path.parent.mkdir()
    path.write_bytes(_apply_text(json.dumps(data, ensure_ascii=False, indent=1, default=str), text_operations))
    before = digests(path, clean_path)

    result = run_cli("portfolio", path, clean_path, "--out", folder / "ut", *(["--strict"] if strict else []))

    assert_handled(result)
    event(f"exit code {result.exit_code}")
    assert digests(path, clean_path) == before
    if result.exit_code == 0:
        assert_safe_html(folder / "ut" / "portfolio.html")
        assert_whole_office_file(folder / "ut" / "portfolio.xlsx")
        if _damaged(text_operations):  # listed as a problem and left out
            assert f"FEL: fil {path}" in result.output and "Filen ingår inte i portföljen" in result.output, result.output


def _portfolio_of(data: dict, folder: Path):
    path = folder / "rapport.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = run_cli("portfolio", path, "--out", folder / "ut")
    assert_handled(result)
    if result.exit_code == 0:
        assert_safe_html(folder / "ut" / "portfolio.html")
        assert_whole_office_file(folder / "ut" / "portfolio.xlsx")
    return result


@pytest.mark.parametrize("name", NAMES, ids=range(len(NAMES)))
def test_bundle_with_an_odd_project_name_makes_a_safe_portfolio(clean_bundle, tmp_path, name):
    """A valid bundle whose project name is markup, a formula, an error code, a control character, very long:
    every one of them (not a sample), since the name reaches every output."""
    result = _portfolio_of(_named(json.loads(clean_bundle[1]), name), tmp_path)
    assert result.exit_code in (0, 1)


@budget(4)
@given(value=st.sampled_from([10**15, -(10**15), 1e300, 5e-324, 0.5, 0, -1]), share=st.floats(0, 1))
def test_bundle_with_extreme_numbers_makes_a_portfolio_or_is_refused(clean_bundle, tmp_path_factory, value, share):
    """Every finite decimal of the demo's tables replaced by an extreme one (or a share by any share)."""
    data = json.loads(clean_bundle[1])
    for table in data["tabeller"].values():
        for row in table["rader"]:
            for position, cell in enumerate(row):
                if isinstance(cell, float) and math.isfinite(cell):
                    row[position] = share if 0 <= cell <= 1 else float(value)
    result = _portfolio_of(data, tmp_path_factory.mktemp("portfolio-tal"))
    event(f"exit code {result.exit_code}")


def test_the_workbook_check_finds_a_formula(tmp_path):
    """The check on portfolio.xlsx can fail: a text written as a formula is caught."""
    workbook = openpyxl.Workbook()
    workbook.active.append(["=1+1"])
    workbook.save(tmp_path / "formel.xlsx")
    with pytest.raises(AssertionError, match="formula"):
        assert_whole_office_file(tmp_path / "formel.xlsx")
