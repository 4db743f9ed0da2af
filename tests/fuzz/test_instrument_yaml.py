"""Fuzz class 3: instrument files (YAML) mutated.

The built-in ``samverkan`` instrument (as ``slutrapport instrument`` writes it)
and the samples ``blandad.yaml`` and ``indikator.yaml`` get misspelt keys,
values of the wrong type, keys given twice, anchors and aliases, deep nesting,
raw YAML tokens (impossible dates, ``1e400``, ``.nan``, tags), control
characters, tabs, truncation and other encodings (:mod:`.yaml_mutations`).
``slutrapport validate WAVE --instrument FILE --json`` with the instrument's
sample wave must end in 0 or 1, with no unexpected error and the files
unchanged; an instrument that is accepted must also carry ``compare`` through
(a smaller budget: it computes and writes the results).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import event, example, given
from hypothesis import strategies as st

from slutrapport.core.errors import SlutrapportError
from slutrapport.sources.survey import load_instrument
from slutrapport.sources.survey.instrument import builtin_instrument_text
from tests.fuzz.support import assert_handled, budget, digests, run_cli
from tests.fuzz.yaml_mutations import CONSTRUCTOR_ERRORS, REFUSED_SCALARS, TOO_DEEP, mutate_yaml, yaml_mutations

#: (instrument, its sample wave)
INSTRUMENTS = {
    "samverkan": "enkater/enkat1_google_forms.csv",
    "blandad.yaml": "blandad/enkat1.csv",
    "indikator.yaml": "indikator/enkat1.csv",
}


def _clean_text(samples: Path, name: str) -> str:
    return (samples / name).read_text(encoding="utf-8") if name.endswith(".yaml") else builtin_instrument_text(name)


@budget(25)
# What the fuzzing found: nesting past the recursion limit (flow and block) ended in an unexpected RecursionError.
@example(name="blandad.yaml", mutation=([], [("deep", 0.5, 3)]))
@example(name="samverkan", mutation=([], [("deep", 0.5, 4)]))
@given(name=st.sampled_from(sorted(INSTRUMENTS)), mutation=yaml_mutations())
def test_mutated_instrument_is_read_or_refused(samples, tmp_path_factory, name, mutation):
    path = tmp_path_factory.mktemp("instrument") / "instrument.yaml"
    path.write_bytes(mutate_yaml(_clean_text(samples, name), mutation))
    wave = samples / INSTRUMENTS[name]
    before = digests(path, samples)

    result = run_cli("validate", wave, "--instrument", path, "--json")

    assert_handled(result)
    event(f"exit code {result.exit_code}")
    assert digests(path, samples) == before


#: Only mutations of values: these leave an instrument that loads more often, so the analysis sees odd values.
GENTLE = st.tuples(
    st.lists(
        st.tuples(
            st.sampled_from(["replace", "text", "misspell"]),
            st.floats(0, 1, exclude_max=True),
            st.integers(0, 1000),
            st.sampled_from([0, -1, 10**30, 1e308, float("nan"), float("inf"), "", "$x$", "<script>alert(1)</script>", True, "x" * 300]),
        ),  # fmt: skip
        min_size=1,
        max_size=2,
    ),
    st.just([]),
)


@budget(3, shrink=False)
@given(mutation=GENTLE)
def test_accepted_instrument_is_compared(samples, tmp_path_factory, mutation):
    """``compare`` with a mutated ``blandad.yaml`` (the instrument with every question type): 0 or 1, never more."""
    folder = tmp_path_factory.mktemp("instrument-compare")
    path = folder / "blandad.yaml"
    path.write_bytes(mutate_yaml(_clean_text(samples, "blandad.yaml"), mutation))
    before = digests(path, samples)

    result = run_cli("compare", "--instrument", path, samples / "blandad" / "enkat1.csv", samples / "blandad" / "enkat2.csv", "--out", folder / "ut")

    assert_handled(result)
    event(f"exit code {result.exit_code}")
    assert digests(path, samples) == before


@budget(6)
@given(name=st.sampled_from(sorted(INSTRUMENTS)), where=st.floats(0, 1, exclude_max=True))
def test_key_given_twice_is_refused(samples, tmp_path_factory, name, where):
    """Strict YAML: any line of an instrument given twice (a plain YAML reader keeps the last value without a word)
    is refused, naming the file and the line."""
    path = tmp_path_factory.mktemp("instrument-twice") / "instrument.yaml"
    path.write_bytes(mutate_yaml(_clean_text(samples, name), ([], [("duplicate", where, 0)])))
    result = run_cli("validate", samples / INSTRUMENTS[name], "--instrument", path)
    assert_handled(result)
    assert result.exit_code == 1, f"a line given twice was accepted:\n{result.output}"
    assert f"Instrumentfilen {path} rad " in result.output, result.output


#: A question's ``omvand:`` written as … (as YAML reads it: the flag it sets, or None where it must be refused).
FLAGS = {
    "true": True, "false": False, "True": True, "FALSE": False, "ja": True, "nej": False, "Ja": True, "NEJ": False,
    '"false"': False, "'nej'": False, "yes": True, "no": False, "on": True, "off": False,
    "y": None, "n": None, "0": None, "1": None, '"0"': None, "kanske": None, '""': None, "[true]": None, "{a: 1}": None,
}  # fmt: skip


def test_reversal_flag_is_set_only_by_an_unambiguous_value(samples, tmp_path):
    """Strict YAML: ``omvand: "false"`` once reversed the question (``bool("false")``). Every way of writing the flag
    either sets it as written or is refused naming the question's line."""
    text = _clean_text(samples, "blandad.yaml")
    old = "index: installning, omvand: true}"
    assert old in text
    line = text[: text.index(old)].count("\n") + 1
    wrong = []
    for written, meaning in FLAGS.items():
        path = tmp_path / "instrument.yaml"
        path.write_text(text.replace(old, f"index: installning, omvand: {written}}}"), encoding="utf-8")
        try:
            question = next(q for q in load_instrument(path).questions if q.id == "q03")
        except SlutrapportError as exc:
            if meaning is not None or f"rad {line}: " not in str(exc) or "'omvand'" not in str(exc):
                wrong.append(f"omvand: {written} refused: {exc}")
            continue
        if question.reverse is not meaning:
            wrong.append(f"omvand: {written} read as {question.reverse}")
    assert not wrong, "\n".join(wrong)


# ---------------------------------------------------------------- minimal examples of what the fuzzing found


def _with_id(samples: Path, tmp_path: Path, scalar: str) -> tuple[Path, int]:
    """``blandad.yaml`` with ``scalar`` as its id, and the line the id is on."""
    text = _clean_text(samples, "blandad.yaml")
    assert "\nid: blandad\n" in text
    path = tmp_path / "instrument.yaml"
    path.write_text(text.replace("\nid: blandad\n", f"\nid: {scalar}\n"), encoding="utf-8")
    return path, text[: text.index("\nid: blandad\n")].count("\n") + 2


@pytest.mark.parametrize("nesting", ["[" * TOO_DEEP + "]" * TOO_DEEP, "\n" + "".join(" " * (i + 1) + "a:\n" for i in range(TOO_DEEP))], ids=["flow", "block"])
def test_deeply_nested_instrument_is_a_swedish_error(samples, tmp_path, nesting):
    """Once a RecursionError (an unexpected error): now refused, naming the file."""
    path = tmp_path / "instrument.yaml"
    path.write_text(_clean_text(samples, "blandad.yaml") + "\ndjup: " + nesting + "\n", encoding="utf-8")
    result = run_cli("validate", samples / "blandad" / "enkat1.csv", "--instrument", path)
    assert_handled(result)
    assert result.exit_code == 1
    assert f"Instrumentfilen {path}" in result.output and "för djupt nästlad" in result.output, result.output


DATES = [s for s in REFUSED_SCALARS if s[0].isdigit() and "-" in s]  # an explicit !!timestamp tag is refused with its line


@pytest.mark.parametrize("scalar", REFUSED_SCALARS, ids=[s[:16] for s in REFUSED_SCALARS])
def test_scalar_the_yaml_constructor_refuses_is_a_swedish_error(samples, tmp_path, scalar):
    """Once an unexpected error (ValueError from PyYAML's constructors). A date that is not in the calendar is
    read as the text it is (an id may be any text); any other is refused naming the file and the line."""
    path, line = _with_id(samples, tmp_path, scalar)
    result = run_cli("validate", samples / "blandad" / "enkat1.csv", "--instrument", path)
    assert_handled(result)
    if scalar in DATES:
        assert result.exit_code == 0, result.output
    else:
        assert result.exit_code == 1
        assert f"Fel: Instrumentfilen {path} rad {line}, kolumn" in result.output, result.output


@pytest.mark.parametrize("scalar", ["!!float x", "!!int 1.5", "!!int 0x"])
def test_scalar_that_is_not_a_number_is_not_called_too_big(samples, tmp_path, scalar):
    path, _ = _with_id(samples, tmp_path, scalar)
    result = run_cli("validate", samples / "blandad" / "enkat1.csv", "--instrument", path)
    assert_handled(result)
    assert "för stort" not in result.output, result.output


@pytest.mark.parametrize("scalar", [s for s, _ in CONSTRUCTOR_ERRORS], ids=[w.split(":")[0] + "-" + s for s, w in CONSTRUCTOR_ERRORS])
def test_tag_the_strict_loader_cannot_build_is_a_swedish_error(samples, tmp_path, scalar):
    path, _ = _with_id(samples, tmp_path, scalar)
    result = run_cli("validate", samples / "blandad" / "enkat1.csv", "--instrument", path)
    assert_handled(result)
