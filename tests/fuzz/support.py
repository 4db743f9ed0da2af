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
import json
import os
import re
import traceback
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

from click.testing import CliRunner, Result
from hypothesis import HealthCheck, Phase, event, settings

from slutrapport.cli import cli
from slutrapport.sources.survey import load_instrument, read_waves
from slutrapport.sources.survey.answers import ANSWERED

__all__ = [
    "counted_rows",
    "validated_survey",
    "LONG",
    "budget",
    "run_cli",
    "assert_handled",
    "digests",
    "named_rows",
    "UNEXPECTED",
    "MARK",
    "unsafe_html",
    "assert_safe_html",
    "assert_whole_office_file",
    "assert_strict_json",
]

LONG = os.environ.get("SLUTRAPPORT_FUZZ", "").strip().lower() == "long"
LONG_FACTOR = int(os.environ.get("SLUTRAPPORT_FUZZ_FACTOR", "25"))
UNEXPECTED = "Ett oväntat fel inträffade"


def budget(examples: int, *, shrink: bool = True) -> settings:
    """Hypothesis settings for a fuzz test: ``examples`` by default, many more under ``SLUTRAPPORT_FUZZ=long``.

    ``shrink=False`` (for tests whose example takes seconds, like a build) reports a failing example as
    drawn instead of spending minutes shrinking it, in the default run only.
    """
    phases = tuple(Phase) if shrink or LONG else (Phase.explicit, Phase.reuse, Phase.generate)
    return settings(
        max_examples=examples * LONG_FACTOR if LONG else examples,
        deadline=None,
        derandomize=not LONG,
        database=None,  # no .hypothesis folder in the repository
        phases=phases,
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


# ---------------------------------------------------------------- outputs a user opens

#: Every piece of markup an example puts into a user's text carries this marker, so what reaches an output
#: can be told from the program's own templates.
MARK = "fuzzmark"
_ACTIVE_TAGS = {"script", "iframe", "frame", "object", "embed", "svg", "math", "style", "link", "meta", "base", "form", "img"}
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data"}


class _Unsafe(HTMLParser):
    """Collects what is active in an HTML page and came from the input (carries :data:`MARK`)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._inside: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        shown = f"<{tag} {' '.join(f'{k}={v!r}' for k, v in attrs)}>"[:200]
        if MARK in tag:
            self.found.append(f"an element of the input's own: {shown}")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") and MARK in value:
                self.found.append(f"an event handler from the input: {shown}")
            if name in _URL_ATTRIBUTES and re.match(r"\s*(?:javascript|vbscript):", value, re.IGNORECASE):
                self.found.append(f"a script URL: {shown}")
            if tag in _ACTIVE_TAGS and name in _URL_ATTRIBUTES and MARK in value:
                self.found.append(f"a {tag} loading something from the input: {shown}")
        if tag in ("script", "style"):
            self._inside.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._inside and self._inside[-1] == tag:
            self._inside.pop()

    def handle_data(self, data: str) -> None:
        if self._inside and MARK in data:
            self.found.append(f"input inside <{self._inside[-1]}>: {data[:200]!r}")
        if f"49{MARK}" in data:
            self.found.append("a template expression from the input was evaluated (7*7 = 49)")


def unsafe_html(html: str) -> list[str]:
    """What in ``html`` is active and came from the input: an element named by it, an event handler or an
    element loading a URL that carries :data:`MARK`, a ``javascript:`` URL, the input inside a script or a
    style sheet, a template expression evaluated. Escaped text (``&lt;script&gt;``) is never active."""
    parser = _Unsafe()
    parser.feed(html)
    parser.close()
    return parser.found


def assert_safe_html(path: Path) -> None:
    """``path`` (an HTML output) holds nothing active from the input (:func:`unsafe_html`)."""
    found = unsafe_html(path.read_text(encoding="utf-8"))
    assert not found, f"{path.name} has {found[0]}"


def assert_whole_office_file(path: Path) -> None:
    """Every XML part of ``path`` (.docx, .xlsx) is well-formed, and a workbook holds no formula."""
    with zipfile.ZipFile(path) as archive:
        for part in archive.namelist():
            if part.endswith((".xml", ".rels")):
                root = ElementTree.fromstring(archive.read(part))  # raises on a control character or broken markup
                if part.startswith("xl/worksheets/"):
                    formulas = root.findall(".//{*}f")
                    assert not formulas, f"{path.name}:{part} has a formula: {formulas[0].text!r}"


def assert_strict_json(path: Path) -> None:
    """``path`` is JSON a strict reader accepts (no NaN or Infinity)."""

    def refuse(constant: str) -> None:
        raise AssertionError(f"{path.name} holds {constant}, which is not JSON")

    json.loads(path.read_text(encoding="utf-8"), parse_constant=refuse)


def counted_rows(data) -> set[int]:
    """The rows of the respondents the results count: those with an answer (not free text) to some question."""
    return set(data.tidy.loc[data.tidy["status"] == ANSWERED, "rad"].astype(int))


def validated_survey(path: Path, instrument: str, *inputs: Path) -> tuple[dict, tuple[set[int], set[int], int] | None]:
    """``validate --json`` of one survey file, checked as every survey fuzz test checks it: handled, the file
    and ``inputs`` unchanged, ``valid`` agreeing with the exit code. Returns the report and, when the file is
    accepted, (rows the results count, rows the report names, rows a shortened list leaves unnamed)."""
    before = digests(path, *inputs)
    result = run_cli("validate", path, "--instrument", instrument, "--json")
    assert_handled(result)
    event(f"exit code {result.exit_code}")
    assert digests(path, *inputs) == before
    report = json.loads(result.stdout)
    assert report["valid"] == (result.exit_code == 0)
    if result.exit_code != 0:
        return report, None
    data = read_waves([path], load_instrument(instrument))
    named, unnamed = named_rows(report["problem"], path.name)
    return report, (counted_rows(data), named, unnamed)
