"""What every fuzz module shares: the example budget, the in-process CLI run and the checks on its result.

Each module of :mod:`tests.fuzz` mutates one class of the demo's inputs (a copy of
``data_samples`` made once per module), runs the command line in process
(:class:`click.testing.CliRunner`) and checks:

- the exit code is 0 or 1 (2 only where a command's own option is refused as a
  Swedish usage error), and nothing escaped as an exception;
- the output never says "Ett oväntat fel inträffade" (the CLI's last line of
  defence) nor shows a traceback;
- the input files are byte for byte as before.

The default budget is small and fixed (``derandomize``: the same examples every
run, so CI stays fast and a failure is reproducible). ``SLUTRAPPORT_FUZZ=long``
multiplies every test's examples by :data:`LONG_FACTOR` (or the value of
``SLUTRAPPORT_FUZZ_FACTOR``) and draws new random examples each run.
"""

from __future__ import annotations

import hashlib
import os
import re
import traceback
from pathlib import Path

from click.testing import CliRunner, Result
from hypothesis import HealthCheck, settings

from slutrapport.cli import cli

__all__ = [
    "LONG",
    "budget",
    "run_cli",
    "assert_handled",
    "digests",
    "named_rows",
    "UNEXPECTED",
]

LONG = os.environ.get("SLUTRAPPORT_FUZZ", "").strip().lower() == "long"
LONG_FACTOR = int(os.environ.get("SLUTRAPPORT_FUZZ_FACTOR", "25"))
UNEXPECTED = "Ett oväntat fel inträffade"


def budget(examples: int) -> settings:
    """Hypothesis settings for a fuzz test: ``examples`` by default, many more under ``SLUTRAPPORT_FUZZ=long``."""
    return settings(
        max_examples=examples * LONG_FACTOR if LONG else examples,
        deadline=None,
        derandomize=not LONG,
        database=None,  # no .hypothesis folder in the repository
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    )


def run_cli(*args: str | Path) -> Result:
    """``slutrapport ARGS`` in process; exceptions are kept in the result (checked by :func:`assert_handled`)."""
    return CliRunner().invoke(cli, [str(a) for a in args])


def assert_handled(result: Result, allowed: tuple[int, ...] = (0, 1)) -> None:
    """The command ended in a result or a Swedish message: no escaped exception, no traceback, an allowed exit code."""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        trace = "".join(traceback.format_exception(result.exception))
        raise AssertionError(f"an exception escaped the command line:\n{trace}\noutput:\n{result.output}")
    assert result.exit_code in allowed, f"exit code {result.exit_code}:\n{result.output}"
    assert UNEXPECTED not in result.output, result.output
    assert "Traceback" not in result.output, result.output


def digests(*paths: Path) -> dict[str, str]:
    """SHA-256 of every file under ``paths`` (files or folders), to check that a command left its inputs alone."""
    found: dict[str, str] = {}
    for path in paths:
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        for file in files:
            found[str(file)] = hashlib.sha256(file.read_bytes()).hexdigest()
    return found


_ROWS = re.compile(r"\(rad(?:erna)? ([\d, ]+)(?: … \(totalt (\d+)\))?[);]")


def named_rows(problems: list[dict], file: str) -> tuple[set[int], int]:
    """The rows of ``file`` a validation report names (``rad``, and "(rad 3, 7 …)" in a message),
    and how many more a shortened list ("… (totalt 14)") leaves unnamed."""
    named: set[int] = set()
    unnamed = 0
    for problem in problems:
        if problem["fil"] and file not in problem["fil"]:
            continue
        if problem["rad"] is not None:
            named.add(int(problem["rad"]))
        for match in _ROWS.finditer(problem["meddelande"]):
            rows = [int(r) for r in match.group(1).split(",") if r.strip()]
            named.update(rows)
            if match.group(2):
                unnamed += int(match.group(2)) - len(rows)
    return named, unnamed
