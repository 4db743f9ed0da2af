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

import re
import shutil
from pathlib import Path

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from tests.conftest import SAMPLES
from tests.fuzz.support import assert_handled, budget, digests, run_cli
from tests.fuzz.yaml_mutations import DATE_WITH_TIME, LAST_DATE, ODD_VALUES, RAW_SCALARS, mutate_yaml, yaml_mutations

#: The demo's survey waves and forms left out of the fuzzed copy (the first two waves with their invited
#: counts, all forms but four).
DROPPED_WAVES = re.compile(r"    - fil: enkater/enkat1_google_forms\.csv\n.*?(?=    - fil: enkater/enkat3\.csv\n)", re.S)
FORMS = ["start-01.xlsx", "start-02.xlsx", "slut-01.xlsx", "slut-02.xlsx"]


def _project_text(survey: bool = True) -> str:
    """The demo's projekt.yaml (as in the repository: the module's copy is overwritten by the examples), trimmed."""
    text = (SAMPLES / "projekt.yaml").read_text(encoding="utf-8")
    assert DROPPED_WAVES.search(text) and "  mapp: sjalvvardering\n" in text, "the demo's projekt.yaml changed: update this module"
    text = DROPPED_WAVES.sub("", text, count=1).replace("  mapp: sjalvvardering\n", "  mapp: sjalvvardering-urval\n")
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


@budget(6)
@given(mutation=yaml_mutations())
def test_mutated_project_is_validated_and_checked_or_refused(project, mutation):
    content = mutate_yaml(_project_text(), mutation)
    validated, checked = _run_on(project, content, ("validate", project, "--json"), ("check", project))
    event(f"validate {validated.exit_code}, check {checked.exit_code}")


#: Value changes only (the structure is kept), so more projects load and reach the report.
VALUES = st.tuples(
    st.lists(
        st.tuples(st.sampled_from(["replace", "text"]), st.floats(0, 1, exclude_max=True), st.integers(0, 1000), st.sampled_from(ODD_VALUES)), max_size=2
    ),  # fmt: skip
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


@budget(10)
@given(where=st.floats(0, 1, exclude_max=True))
def test_key_given_twice_is_refused(project, where):
    """Strict YAML: any line of projekt.yaml given twice (``anonymitetsgrans: 5`` … ``anonymitetsgrans: 1`` once
    built with 1) is refused by validate and check, naming the file and the line."""
    content = mutate_yaml(_project_text(), ([], [("duplicate", where, 0)]))
    for result in _run_on(project, content, ("validate", project), ("check", project)):
        assert result.exit_code == 1, f"a line given twice was accepted:\n{result.output}"
        assert f"Fel: {project / 'projekt.yaml'} rad " in result.output, result.output


# ---------------------------------------------------------------- minimal examples of what the fuzzing found


def _with(project: Path, old: str, new: str) -> bytes:
    text = _project_text()
    assert old in text
    return text.replace(old, new, 1).encode("utf-8")


def _refused(result, project: Path, line: int | None, key: str | None) -> None:
    """Exit code 1 and a Swedish message naming projekt.yaml, the line (unless None) and the key (unless None)."""
    assert result.exit_code == 1, result.output
    assert f"Fel: {project / 'projekt.yaml'}" in result.output, result.output
    if line is not None:
        assert f"rad {line}" in result.output, result.output
    if key is not None:
        assert f"'{key}'" in result.output, result.output


#: (what is replaced, by what, the key the message names: None where the YAML itself is refused with line and
#: column). The encoding is checked after the schema, by key without a line.
REFUSED = {
    "period": ("start: 2025-01-01", "start: 2025-02-30", "start"),
    "wave": ("datum: 2026-03-20", "datum: 2026-13-20", "datum"),
    "period-with-time": ("start: 2025-01-01", f"start: {DATE_WITH_TIME:%Y-%m-%d %H:%M:%S}", "start"),
    "period-1e400": ("start: 2025-01-01", "start: 1e400", "start"),
    "int-tag": ("anonymitetsgrans: 5", "anonymitetsgrans: !!int 1.5", None),
    "huge-int": ("anonymitetsgrans: 5", "anonymitetsgrans: " + "9" * 5000, None),
    "encoding": ("  instrument: samverkan\n", "  instrument: samverkan\n  teckenkodning: undefined\n", "teckenkodning"),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_value_that_cannot_be_used_is_a_swedish_error_naming_key_and_line(project, case):
    """Each was an unexpected error once (ValueError, TypeError, UnicodeError); now refused by both commands
    with the file, the line and the key."""
    old, new, key = REFUSED[case]
    content = _with(project, old, new)
    text = content.decode("utf-8")
    line = None if case == "encoding" else text[: text.index(new)].count("\n") + 1
    validated, checked = _run_on(project, content, ("validate", project), ("check", project))
    _refused(validated, project, line, key)
    _refused(checked, project, line, key)


def test_period_ending_on_the_last_date_is_checked(project):
    """Once a ValueError (year 10000) in check: now the project is read and checked."""
    validated, checked = _run_on(project, _with(project, "slut: 2026-06-30", f"slut: {LAST_DATE}"), ("validate", project), ("check", project))
    assert validated.exit_code == 0, validated.output
    assert "obligatoriska rubriker har innehåll" in checked.output, checked.output


def test_the_trimmed_copy_is_the_demo_project(project):
    """The fuzzed copy differs from the demo only in what it leaves out (so a failure is the demo's)."""
    (project / "projekt.yaml").write_text(_project_text(), encoding="utf-8")
    (validated,) = _run_on(project, (project / "projekt.yaml").read_bytes(), ("validate", project))
    assert validated.exit_code == 0, validated.output
