"""Progress of long commands on stderr (issue 20, part 7): steps on a terminal after a while, nothing otherwise.

CliRunner's stderr is no terminal, so the plain runs show that nothing extra
is printed; the "terminal" runs make ``stderr_is_terminal`` say yes and the
delay zero, to see every step. No time is asserted.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from slutrapport import _cli_support
from slutrapport.cli import cli
from slutrapport.core.progress import ANALYSING, COLLECTING, WRITING, no_progress, progress_of, reading_step, reporting
from slutrapport.pipeline import build_portfolio, compare_files
from tests.conftest import write_csv
from tests.portfolio.helpers import bundle, write_bundle

STEP_WORDS = ("Läser", ANALYSING, WRITING)


def _waves(tmp_path: Path) -> list[str]:
    rows = [["AF", "", 4, 4, 2, ""]] * 3 + [["Soc", "", 2, 2, 4, ""]] * 3
    later = [[*row[:3], 3, *row[4:]] for row in rows]
    return [str(write_csv(tmp_path / "w1.csv", rows)), str(write_csv(tmp_path / "w2.csv", later))]


def _compare(tmp_path: Path, mini_instrument: Path):
    return CliRunner().invoke(cli, ["compare", "--instrument", str(mini_instrument), *_waves(tmp_path), "--out", str(tmp_path / "out")])


@pytest.fixture
def terminal(monkeypatch):
    """stderr taken for a terminal, and steps shown at once (no delay)."""
    monkeypatch.setattr(_cli_support, "stderr_is_terminal", lambda: True)
    monkeypatch.setattr(_cli_support, "PROGRESS_DELAY", 0)


def _steps(stderr: str) -> list[str]:
    return [line.removesuffix(" …") for line in stderr.splitlines() if line.endswith(" …")]


def test_compare_shows_no_steps_when_stderr_is_no_terminal(tmp_path, mini_instrument):
    result = _compare(tmp_path, mini_instrument)
    assert result.exit_code == 0, result.output
    assert not any(word in result.stderr for word in STEP_WORDS)
    assert not _steps(result.stderr)


def test_compare_shows_its_steps_on_a_terminal(tmp_path, mini_instrument, terminal):
    result = _compare(tmp_path, mini_instrument)
    assert result.exit_code == 0, result.output
    assert _steps(result.stderr) == [reading_step(1, 2, "w1.csv"), reading_step(2, 2, "w2.csv"), ANALYSING, WRITING]
    assert reading_step(1, 2, "w1.csv") == "Läser enkätfil 1 av 2 (w1.csv)"
    assert "…" not in result.stdout  # the written paths alone on stdout


def test_portfolio_shows_its_steps_on_a_terminal_and_none_otherwise(tmp_path, monkeypatch):
    write_bundle(tmp_path / "a" / "rapport.json", bundle("Projekt A"))
    plain = CliRunner().invoke(cli, ["portfolio", str(tmp_path / "a"), "--out", str(tmp_path / "p1")])
    assert plain.exit_code == 0, plain.output
    assert not _steps(plain.stderr)
    monkeypatch.setattr(_cli_support, "stderr_is_terminal", lambda: True)
    monkeypatch.setattr(_cli_support, "PROGRESS_DELAY", 0)
    shown = CliRunner().invoke(cli, ["portfolio", str(tmp_path / "a"), "--out", str(tmp_path / "p2")])
    assert shown.exit_code == 0, shown.output
    assert _steps(shown.stderr) == [COLLECTING, ANALYSING, WRITING]


def test_other_commands_show_no_steps_even_on_a_terminal(tmp_path, mini_instrument, terminal):
    result = CliRunner().invoke(cli, ["validate", "--instrument", str(mini_instrument), *_waves(tmp_path)])
    assert not _steps(result.stderr)


def test_quick_work_shows_nothing_and_long_work_its_current_step(capsys):
    quick = _cli_support.TerminalProgress(delay=60)
    quick("Läser enkätfil 1 av 1 (a.csv)")
    quick.close()
    assert capsys.readouterr().err == ""
    slow = _cli_support.TerminalProgress(delay=0.01)
    slow("Analyserar")
    slow._timer.join()  # the delay has passed: the step under way is shown, and every later one
    slow("Skriver filerna")
    slow.close()
    assert capsys.readouterr().err == "Analyserar …\nSkriver filerna …\n"


def test_library_functions_take_a_progress_or_the_one_set_for_the_call(tmp_path, mini_instrument):
    steps: list[str] = []
    compare_files(mini_instrument, [Path(p) for p in _waves(tmp_path)], out=tmp_path / "a", progress=steps.append)
    assert steps == [reading_step(1, 2, "w1.csv"), reading_step(2, 2, "w2.csv"), ANALYSING, WRITING]
    told: list[str] = []
    write_bundle(tmp_path / "b" / "rapport.json", bundle("Projekt B"))
    with reporting(told.append):
        build_portfolio([tmp_path / "b"], out=tmp_path / "p")
    assert told == [COLLECTING, ANALYSING, WRITING]
    assert progress_of(None) is no_progress  # outside reporting(): nobody is told


def test_build_shows_its_steps_on_a_terminal(tmp_path, terminal):
    from slutrapport.project.folder import init_project

    init_project(tmp_path / "projekt")
    result = CliRunner().invoke(cli, ["build", str(tmp_path / "projekt")])
    assert result.exit_code == 0, result.output
    assert _steps(result.stderr) == [ANALYSING, WRITING]  # a project without survey files: nothing to read step by step
