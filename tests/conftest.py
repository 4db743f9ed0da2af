"""Shared fixtures: a small instrument, helpers that write survey files as users have them, and builds made once.

The demo project (``slutrapport demo``) and the comparison of the three sample
waves (``slutrapport compare``) are built once per test run by the
session-scoped fixtures at the bottom (``demo_run``/``demo_dir``,
``demo_draft_run``/``demo_draft_dir``, ``sample_compare``). Their folders are
shared: tests only read them, and a test that must change or rebuild one copies
it into its ``tmp_path`` first (``shutil.copytree``); a change to a shared
folder fails the session at its end. Under pytest-xdist each worker has its own
session, so the first worker that needs a build makes it in the run's temporary
folder and the others wait for it and reuse it.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

#: A command draws many charts in a worker process (render/drawing_pool.py). The suite already runs on every core
#: (pytest-xdist), where a worker would only add its start to each build, so it is off here unless asked for
#: (``SLUTRAPPORT_PROCESSER=2 pytest …``); tests/render/test_drawing_pool.py turns it on itself.
os.environ.setdefault("SLUTRAPPORT_PROCESSER", "1")

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data_samples"

LABELS = {
    1: "Instämmer inte alls",
    2: "Instämmer i liten grad",
    3: "Instämmer delvis",
    4: "Instämmer i hög grad",
    5: "Instämmer helt",
}

MINI_INSTRUMENT = """\
id: mini
namn: Miniinstrument
skala:
  varden: {1: Instämmer inte alls, 2: Instämmer i liten grad, 3: Instämmer delvis, 4: Instämmer i hög grad, 5: Instämmer helt}
  positiva: [4, 5]
  saknas: [Vet ej]
bakgrund:
  organisation: Organisation
  kod: Kod
index:
  a: Index A
fragor:
  - {id: q1, text: "Fråga ett", index: a}
  - {id: q2, text: "Fråga två", index: a}
  - {id: q3, text: "Fråga tre är negativ", index: a, omvand: true}
  - {id: f1, text: "Övriga synpunkter", typ: fritext}
"""

HEADER = ["Organisation", "Kod", "Fråga ett", "Fråga två", "Fråga tre är negativ", "Övriga synpunkter"]


@pytest.fixture
def mini_instrument(tmp_path: Path) -> Path:
    path = tmp_path / "mini.yaml"
    path.write_text(MINI_INSTRUMENT, encoding="utf-8")
    return path


def write_csv(path: Path, rows: list[list[object]], header: list[str] = HEADER, sep: str = ",", encoding: str = "utf-8") -> Path:
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle, delimiter=sep)
        writer.writerow(header)
        writer.writerows([[("" if v is None else v) for v in row] for row in rows])
    return path


@pytest.fixture
def write_wave(tmp_path: Path):
    """Write a plain CSV wave: rows of [organisation, kod, q1, q2, q3, f1]."""

    def _write(name: str, rows: list[list[object]], **kwargs) -> Path:
        return write_csv(tmp_path / name, rows, **kwargs)

    return _write


# ---------------------------------------------------------------- builds shared by the whole session


@dataclass(frozen=True)
class CliRun:
    """A command run once for the test run: the folder it wrote, its exit code and what it printed."""

    folder: Path
    exit_code: int
    output: str


def _invoke(*args: str) -> CliRun:
    from click.testing import CliRunner

    from slutrapport.cli import cli

    out = Path(args[args.index("--out") + 1])
    result = CliRunner().invoke(cli, list(args))
    return CliRun(out, result.exit_code, result.output)


def _build_once(tmp_path_factory, name: str, build: Callable[[Path], CliRun]) -> CliRun:
    """``build(folder)`` into a new, empty folder, once per test run.

    Without xdist that is once per session. Under xdist the first worker to get
    here builds in the run's temporary folder (the parent of the workers' own),
    holding a lock, and records the result; the others wait for the lock and
    reuse it. Where there is no ``fcntl`` (Windows) each worker builds its own.
    """
    try:
        import fcntl
    except ImportError:
        fcntl = None
    if fcntl is None or "PYTEST_XDIST_WORKER" not in os.environ:
        return build(tmp_path_factory.mktemp(name))
    root = tmp_path_factory.getbasetemp().parent / f"shared-{name}"
    root.mkdir(exist_ok=True)
    record = root / "run.json"
    with (root / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        if record.is_file():
            data = json.loads(record.read_text(encoding="utf-8"))
            return CliRun(Path(data["folder"]), data["exit_code"], data["output"])
        run = build(Path(tempfile.mkdtemp(prefix="build-", dir=root)))
        record.write_text(json.dumps({"folder": str(run.folder), "exit_code": run.exit_code, "output": run.output}), encoding="utf-8")
        return run


def _digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def _read_only(run: CliRun) -> Iterator[CliRun]:
    """Yield ``run``, and fail at the end of the session if a test changed its folder."""
    before = _digests(run.folder)
    yield run
    if _digests(run.folder) != before:
        pytest.fail(f"A test changed the shared build in {run.folder}: copy it into tmp_path (shutil.copytree) before changing it.")


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory) -> Iterator[CliRun]:
    """``slutrapport demo --out <tmp>``: the demo report and its demo portfolio, built once."""
    run = _build_once(tmp_path_factory, "demo", lambda folder: _invoke("demo", "--out", str(folder / "demo")))
    assert run.exit_code == 0, run.output
    yield from _read_only(run)


@pytest.fixture(scope="session")
def demo_dir(demo_run: CliRun) -> Path:
    """The folder of the session's demo build (read only)."""
    return demo_run.folder


@pytest.fixture(scope="session")
def demo_draft_run(demo_run: CliRun, tmp_path_factory) -> Iterator[CliRun]:
    """``slutrapport demo --utkast --force`` over a copy of the session's demo build in which the user edited ``rapport.html``.

    Before it, the same command without ``--force`` was refused; what that
    refused run printed and left behind is in :func:`demo_refusal` (``test_cli``
    checks the overwrite protection on these two runs instead of two more builds).
    """

    def build(folder: Path) -> CliRun:
        out = folder / "demo"
        shutil.copytree(demo_run.folder, out)  # the outputs and the manifest of what the program wrote
        edited = out / "rapport.html"
        edited.write_text(EDITED_TEXT, encoding="utf-8")
        refused = _invoke("demo", "--out", str(out), "--utkast")
        kept = edited.read_text(encoding="utf-8")
        (folder / "refused.json").write_text(
            json.dumps({"exit_code": refused.exit_code, "output": refused.output, "kept": kept}), encoding="utf-8"
        )
        return _invoke("demo", "--out", str(out), "--utkast", "--force")

    run = _build_once(tmp_path_factory, "demo-utkast", build)
    assert run.exit_code == 0, run.output
    yield from _read_only(run)


#: What the user wrote into ``rapport.html`` in the copy :func:`demo_draft_run` rebuilds.
EDITED_TEXT = "min egen version"


@pytest.fixture(scope="session")
def demo_refusal(demo_draft_run: CliRun) -> dict:
    """The refused ``slutrapport demo --utkast`` (without ``--force``) over the edited copy: exit code, output, and the edited file's text after it."""
    return json.loads((demo_draft_run.folder.parent / "refused.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def demo_draft_dir(demo_draft_run: CliRun) -> Path:
    """The folder of the session's draft build of the demo (read only)."""
    return demo_draft_run.folder


#: The three sample waves (Google Forms, Microsoft Forms, plain CSV) in file-name order.
SAMPLE_WAVES = sorted((SAMPLES / "enkater").iterdir())


@pytest.fixture(scope="session")
def sample_compare(tmp_path_factory) -> Iterator[CliRun]:
    """``slutrapport compare --instrument samverkan`` of the three sample waves, labelled Start, Mitt and Slut, run once."""
    args = ("compare", "--instrument", "samverkan", *map(str, SAMPLE_WAVES), "--labels", "Start,Mitt,Slut")
    run = _build_once(tmp_path_factory, "compare", lambda folder: _invoke(*args, "--out", str(folder / "jamforelse")))
    assert run.exit_code == 0, run.output
    yield from _read_only(run)
