"""Fuzz class 4: projekt.yaml mutated.

The demo's projekt.yaml (on a copy of ``data_samples``, trimmed so an example
stays cheap: one survey wave instead of three, four self-evaluation forms
instead of 24) gets the mutations of :mod:`.yaml_mutations`: misspelt keys,
values of the wrong type (booleans as strings, NaN, huge numbers, dates with
times), keys given twice, anchors and aliases, deep nesting, impossible dates
and other raw YAML tokens, control characters, other encodings.
``slutrapport validate PROJEKTMAPP --json`` and ``slutrapport check
PROJEKTMAPP`` must end in 0 or 1 with no unexpected error, and leave every
file of the project as it was; with fewer examples, ``build`` of a project
whose values were changed (not its structure) must too.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from tests.conftest import SAMPLES
from tests.fuzz.support import assert_handled, budget, digests, run_cli
from tests.fuzz.yaml_mutations import DATE_WITH_TIME, LAST_DATE, ODD_VALUES, RAW_SCALARS, mutate_yaml, yaml_mutations

#: The demo's survey waves and forms left out of the fuzzed copy (the first two waves, all forms but four).
DROPPED_WAVES = """\
    - fil: enkater/enkat1_google_forms.csv
      etikett: Enkät 1
      datum: 2025-03-21
    - fil: enkater/enkat2_microsoft_forms.xlsx
      etikett: Enkät 2
      datum: 2025-09-19
"""
FORMS = ["start-01.xlsx", "start-02.xlsx", "slut-01.xlsx", "slut-02.xlsx"]


def _project_text(survey: bool = True) -> str:
    """The demo's projekt.yaml (as in the repository: the module's copy is overwritten by the examples), trimmed."""
    text = (SAMPLES / "projekt.yaml").read_text(encoding="utf-8")
    assert DROPPED_WAVES in text and "  mapp: sjalvvardering\n" in text, "the demo's projekt.yaml changed: update this module"
    text = text.replace(DROPPED_WAVES, "").replace("  mapp: sjalvvardering\n", "  mapp: sjalvvardering-urval\n")
    if not survey:  # the personalenkat: section up to the next comment
        start = text.index("personalenkat:")
        text = text[:start] + text[text.index("\n#", start) + 1 :]
    return text


@pytest.fixture(scope="module")
def project(samples) -> Path:
    """The module's copy of the demo project, with four of its self-evaluation forms in their own folder."""
    forms = samples / "sjalvvardering-urval"
    forms.mkdir()
    for name in FORMS:
        shutil.copy2(samples / "sjalvvardering" / name, forms / name)
    return samples


def _run_on(project: Path, content: bytes, *commands: tuple[str, ...]) -> list:
    """Write projekt.yaml, run each command, check the project's files are unchanged after each; the results."""
    (project / "projekt.yaml").write_bytes(content)
    before = digests(project)
    results = []
    for command in commands:
        result = run_cli(*command)
        assert_handled(result)
        assert digests(project) == before, f"{command[0]} changed files of the project"
        results.append(result)
    return results


@budget(10)
@given(mutation=yaml_mutations())
def test_mutated_project_is_validated_and_checked_or_refused(project, mutation):
    content = mutate_yaml(_project_text(), mutation)
    validated, checked = _run_on(project, content, ("validate", project, "--json"), ("check", project))
    event(f"validate {validated.exit_code}, check {checked.exit_code}")


#: Value changes only (the structure is kept), so more projects load and reach the report.
VALUES = st.tuples(
    st.lists(st.tuples(st.sampled_from(["replace", "text"]), st.floats(0, 1, exclude_max=True), st.integers(0, 1000), st.sampled_from(ODD_VALUES)),
             max_size=2),  # fmt: skip
    st.lists(st.tuples(st.just("raw"), st.floats(0, 1, exclude_max=True), st.integers(0, len(RAW_SCALARS) - 1)), max_size=2),
).map(lambda m: m if m[0] or m[1] else (m[0], [("raw", 0.5, 0)]))


@budget(3, shrink=False)
@given(mutation=VALUES)
def test_project_with_odd_values_is_built_or_refused(project, tmp_path_factory, mutation):
    """``build`` (of the project without its survey, which is what makes a build slow)."""
    out = tmp_path_factory.mktemp("build") / "rapport"
    content = mutate_yaml(_project_text(survey=False), mutation)
    (built,) = _run_on(project, content, ("build", project, "--out", out))
    event(f"build {built.exit_code}")


# ---------------------------------------------------------------- minimal examples of what the fuzzing found


def _with(project: Path, old: str, new: str) -> bytes:
    text = _project_text()
    assert old in text
    return text.replace(old, new, 1).encode("utf-8")


@pytest.mark.xfail(strict=True, raises=AssertionError, reason="issue 25: an impossible date in projekt.yaml is an unexpected ValueError")
@pytest.mark.parametrize("old, new", [("start: 2025-01-01", "start: 2025-02-30"), ("datum: 2026-03-20", "datum: 2026-13-20")], ids=["period", "wave"])
def test_impossible_date_is_a_swedish_error(project, old, new):
    _run_on(project, _with(project, old, new), ("validate", project), ("check", project))


@pytest.mark.xfail(strict=True, raises=AssertionError, reason="issue 25: a period start with a time is an unexpected TypeError (datetime vs date)")
def test_period_with_a_time_is_read_or_a_swedish_error(project):
    with_time = f"start: {DATE_WITH_TIME:%Y-%m-%d %H:%M:%S}"
    _run_on(project, _with(project, "start: 2025-01-01", with_time), ("validate", project), ("check", project))


@pytest.mark.xfail(strict=True, raises=AssertionError, reason="issue 25: a period ending 9999-12-31 makes check fail with ValueError (year 10000)")
def test_period_ending_on_the_last_date_is_checked(project):
    _run_on(project, _with(project, "slut: 2026-06-30", f"slut: {LAST_DATE}"), ("check", project))


@pytest.mark.xfail(strict=True, raises=AssertionError, reason="issue 25: teckenkodning: undefined passes the check and fails in decoding (UnicodeError)")
def test_undefined_encoding_in_project_is_a_swedish_error(project):
    _run_on(project, _with(project, "  instrument: samverkan\n", "  instrument: samverkan\n  teckenkodning: undefined\n"), ("validate", project))


def test_the_trimmed_copy_is_the_demo_project(project):
    """The fuzzed copy differs from the demo only in what it leaves out (so a failure is the demo's)."""
    (project / "projekt.yaml").write_text(_project_text(), encoding="utf-8")
    (validated,) = _run_on(project, (project / "projekt.yaml").read_bytes(), ("validate", project))
    assert validated.exit_code == 0, validated.output
