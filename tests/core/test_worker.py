"""The run's worker process (core/worker.py): work sent there gives what this process computes, bit for bit;
a worker that failed or died leaves the work to this process; a worker whose parent died ends.

Each test that starts a worker costs a Python start (about half a second of CPU), so there are few.
"""

from __future__ import annotations

import dataclasses
import os
import random
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest

from slutrapport.analysis import survey as survey_module
from slutrapport.analysis.survey import analyse_survey
from slutrapport.core import worker as worker_module
from slutrapport.core.worker import Worker, beside, beside_parts, current_worker, run_with
from slutrapport.sources.survey.ingest import read_waves
from slutrapport.sources.survey.instrument import load_instrument
from tests.conftest import ROOT, write_csv

NAMES = ["Org A", "Org B", "Org C"]


def _linked_waves(folder: Path) -> list[Path]:
    """Three waves where most people answer every time (linked by their code): the index trend is a mixed model."""
    rng = random.Random(7)
    paths = []
    for wave in range(3):
        rows = []
        for i, name in enumerate(NAMES):
            for j in range(12):
                code = f"k-{i}-{j}" if j < 9 else f"k{wave}-{i}-{j}"
                rows.append([name, code, rng.randint(1, 5), rng.randint(1, 5), rng.randint(1, 5), "Bra" if j == 0 else ""])
        paths.append(write_csv(folder / f"enkat{wave + 1}.csv", rows))
    return paths


def _tables(results) -> dict[str, pd.DataFrame]:
    return {f.name: getattr(results, f.name) for f in dataclasses.fields(results) if isinstance(getattr(results, f.name), pd.DataFrame)}


def test_the_analysis_sent_to_a_worker_gives_the_same_tables_to_the_last_bit(tmp_path, mini_instrument, monkeypatch):
    paths = _linked_waves(tmp_path)
    instrument = load_instrument(mini_instrument)
    here = _tables(analyse_survey(read_waves(paths, instrument), 5))
    sent = []
    submit = Worker.submit
    monkeypatch.setattr(Worker, "submit", lambda self, function, *args: sent.append(function.__name__) or submit(self, function, *args))
    worker = Worker(True)
    try:
        assert worker.start()
        worker.warm.result(timeout=120)
        with run_with(worker):
            assert current_worker() is worker and worker.ready()
            there = _tables(analyse_survey(read_waves(paths, instrument), 5))  # a new survey: nothing computed yet
            assert {"_reml_batch", "_keep", "_part", "_forget"} <= set(sent)  # the reliability: the survey kept there, its indices
            sent.clear()
            monkeypatch.setattr(survey_module, "SEND_BYTES", 10)  # a survey too large to send: its reliability is computed here
            analyse_survey(read_waves(paths, instrument), 5)
            assert "_reml_batch" in sent and "_keep" not in sent and "_part" not in sent
    finally:
        worker.close()
    assert (here["trends"]["test"] == "trend_lmm").any()  # the mixed model was fitted, not skipped
    assert here.keys() == there.keys()
    for name, table in here.items():
        pd.testing.assert_frame_equal(there[name], table, check_exact=True, obj=name)


def _square(x: int) -> int:
    return x * x


def test_without_a_worker_or_after_it_died_the_work_is_done_here():
    assert current_worker() is None
    assert beside(_square, 7)() == 49  # no run: computed here
    calls: list[int] = []
    beside(calls.append, 1)
    assert calls == [1]  # at once, not when its result is asked for: its inputs need not be kept
    with run_with(Worker(True)) as idle:  # not started: not ready, so nothing is sent
        assert beside(_square, 6)() == 36 and idle._executor is None
    worker = Worker(True)
    try:
        assert worker.start()
        worker.warm.result(timeout=120)
        for process in worker._executor._processes.values():
            process.kill()  # as if the system stopped it
        with run_with(worker):
            result = beside(_square, 8)
        assert result() == 64
    finally:
        worker.close()
    with run_with(worker):
        assert not worker.ready() and beside(_square, 9)() == 81  # closed: computed here


def _slow_square(started: str, seconds: float, x: int) -> tuple[int, int]:
    Path(started, str(x)).touch()  # (in whichever process does it)
    time.sleep(seconds)
    return x * x, os.getpid()


def _no_folder(*_args, **_kwargs):
    raise PermissionError(13, "Permission denied")


def _not_sent(*_args):
    raise AssertionError("sent to the worker")


def _kept() -> int:
    return len(worker_module._KEPT)


def test_parts_the_worker_has_not_started_are_done_here_from_the_last(tmp_path):
    assert beside_parts(_square, (), [2, 3])() == [4, 9]  # no run: computed here
    worker = Worker(True)
    try:
        assert worker.start()
        there = worker.warm.result(timeout=120)
        started = tmp_path / "started"
        started.mkdir()
        with run_with(worker):
            result = beside_parts(_slow_square, (str(started), 0.5), list(range(8)))
            deadline = time.monotonic() + 120
            while not (started / "0").exists() and time.monotonic() < deadline:  # the worker has begun
                time.sleep(0.01)
            found = result()
        assert [square for square, _ in found] == [x * x for x in range(8)]
        done_by = [pid for _, pid in found]
        assert done_by[0] == there and done_by[-1] == os.getpid()  # the first there, the last here (asked when it had begun)
        split = done_by.index(os.getpid())
        assert done_by[split:] == [os.getpid()] * (8 - split)  # here: a run of the last parts
        assert worker.submit(_kept).result(timeout=120) == 0  # the shared arguments let go there
        with run_with(worker), pytest.MonkeyPatch.context() as patch:
            patch.setattr(worker_module.tempfile, "mkdtemp", _no_folder)  # no folder for the claims: all done here
            patch.setattr(Worker, "submit", _not_sent)
            assert beside_parts(_slow_square, (str(started), 0), [6, 7])() == [(36, os.getpid()), (49, os.getpid())]
        for process in worker._executor._processes.values():
            process.kill()
        with run_with(worker):
            assert [square for square, _ in beside_parts(_slow_square, (str(started), 0), [4, 5])()] == [16, 25]  # died: here
    finally:
        worker.close()


def test_a_worker_that_may_not_start_sends_nothing(monkeypatch):
    def refused(*_args, **_kwargs):
        raise OSError(38, "Function not implemented")  # as without /dev/shm

    monkeypatch.setattr(worker_module, "ProcessPoolExecutor", refused)
    worker = Worker(True)
    assert not worker.start() and worker.broken and not worker.ready()
    with run_with(worker):
        assert beside(_square, 3)() == 9
    assert not Worker(False).start()


@pytest.mark.skipif(sys.platform == "win32", reason="a parent that dies without ending its children: POSIX")
def test_a_worker_ends_when_its_parent_was_killed(tmp_path):
    script = textwrap.dedent(
        """
        import os
        from slutrapport.core.worker import Worker
        if __name__ == "__main__":
            worker = Worker(True)
            worker.start()
            worker.warm.result(timeout=120)
            with open("pid.txt", "w") as handle:
                handle.write(str(worker.submit(os.getpid).result(timeout=120)))
            os._exit(0)  # no clean-up: the worker is not told to end
        """
    )
    (tmp_path / "parent.py").write_text(script, encoding="utf-8")
    env = os.environ | {"PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    # no pipes: a worker left running would hold them open
    subprocess.run([sys.executable, "parent.py"], cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120, env=env, check=True)
    pid = int((tmp_path / "pid.txt").read_text())
    deadline = time.monotonic() + 30
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(pid), "the worker outlived its parent"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/stat")
    return not (status.exists() and status.read_text().split(") ")[-1].startswith("Z"))  # a zombie has ended
