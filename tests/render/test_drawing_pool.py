"""Charts drawn in a worker process (render/drawing_pool.py): the same files and warnings as drawn in one process.

Each test that starts a worker costs a Python start with matplotlib (about a second of CPU), so there are few.
"""

from __future__ import annotations

import datetime
import json
import random
import time
from pathlib import Path

import pytest

from slutrapport.core import worker as worker_module
from slutrapport.core.errors import SlutrapportError
from slutrapport.core.worker import Worker
from slutrapport.pipeline import build as pipeline_build
from slutrapport.pipeline import compare_files
from slutrapport.render import drawing_pool
from slutrapport.render.charts import chart_png, forget_drawings
from slutrapport.render.drawing_pool import ENVIRONMENT, ChartDrawing, charts_in_blocks, charts_in_order, drawing_ahead, processes
from slutrapport.report import build as report_build
from slutrapport.report.model import Chart, watching_blocks
from tests.conftest import write_csv

NAMES = ["Org A", "Org $B$", "Org C", "Org D", "Org E", "Org F", "Org G", "Org H"]  # $: drawn literally, not as mathtext
#: Wave labels with characters every output repairs (a vertical tab, a form feed): the charts' texts are repaired too.
LABELS = ["Start\x0bA", "Mitt\x0c", "Slut"]


def _waves(folder: Path) -> list[Path]:
    rng = random.Random(20)
    paths = []
    for wave in range(3):
        rows = [[name, f"k{wave}-{i}-{j}", rng.randint(1, 5), rng.randint(1, 5), rng.randint(1, 5), ""] for i, name in enumerate(NAMES) for j in range(6)]
        paths.append(write_csv(folder / f"enkat{wave + 1}.csv", rows))
    return paths


@pytest.fixture
def waves(tmp_path: Path) -> list[Path]:
    return _waves(tmp_path)


def _worker_ready_first(monkeypatch) -> None:
    """Start the worker before the files are read and wait until it has started (a small survey is read and
    analysed quicker than a worker starts, and this process draws every chart it needs until then)."""
    monkeypatch.setattr(drawing_pool, "EARLY_BYTES", 0)
    start = ChartDrawing.start

    def started(self) -> bool:
        ok = start(self)
        if ok:
            self.worker.warm.result(timeout=120)
        return ok

    monkeypatch.setattr(ChartDrawing, "start", started)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and not p.name.startswith(".")}


def test_compare_with_a_worker_writes_the_same_bytes_and_warnings_as_one_process(tmp_path, mini_instrument, waves, monkeypatch):
    monkeypatch.setattr(drawing_pool, "MIN_CHARTS", 1)  # the small survey has fewer charts than a worker is started for
    _worker_ready_first(monkeypatch)
    taken = []
    take = ChartDrawing.take
    monkeypatch.setattr(ChartDrawing, "take", lambda self, chart: taken.append(take(self, chart)) or taken[-1])
    monkeypatch.setenv(ENVIRONMENT, "1")
    forget_drawings()
    serial = compare_files(mini_instrument, waves, LABELS, out=tmp_path / "en")
    assert not any(taken)  # no worker: every chart drawn here
    monkeypatch.setenv(ENVIRONMENT, "2")
    forget_drawings()  # drawn again, not taken from this process's cache
    sent = []
    submit = Worker.submit
    monkeypatch.setattr(Worker, "submit", lambda self, function, *args: sent.append(function.__name__) or submit(self, function, *args))
    monkeypatch.setattr(pipeline_build, "CSV_BESIDE_ROWS", 1)  # the CSV files written there, as a large survey's
    parallel = compare_files(mini_instrument, waves, LABELS, out=tmp_path / "två")
    assert any(png is not None for png in taken), "the worker drew no chart"
    assert {"_keep", "_part", "with_repairs"} <= set(sent)  # the reliability and the CSV files too (no one linked: no mixed model)
    assert _files(tmp_path / "två") == _files(tmp_path / "en")
    # the texts the worker repaired are counted here (the warnings differ only in the output folder they name)
    assert [(w.kontroll, w.varde, w.meddelande) for w in parallel.warnings] == [(w.kontroll, w.varde, w.meddelande) for w in serial.warnings]
    assert any(w.kontroll == "otillåtna tecken" and "vertikal tabb" in w.meddelande for w in serial.warnings)
    monkeypatch.undo()  # a small survey's CSV files are written here, beside the worker drawing its charts
    monkeypatch.setattr(drawing_pool, "MIN_CHARTS", 1)
    _worker_ready_first(monkeypatch)
    monkeypatch.setenv(ENVIRONMENT, "2")
    monkeypatch.setattr(Worker, "submit", lambda self, function, *args: sent.append(function.__name__) or submit(self, function, *args))
    sent.clear()
    forget_drawings()
    beside_charts = compare_files(mini_instrument, waves, LABELS, out=tmp_path / "tre")
    assert "_draw" in sent and "with_repairs" not in sent
    assert _files(tmp_path / "tre") == _files(tmp_path / "en")
    assert [(w.kontroll, w.varde, w.meddelande) for w in beside_charts.warnings] == [(w.kontroll, w.varde, w.meddelande) for w in serial.warnings]


def _report(mini_instrument: Path, waves: list[Path]):
    from slutrapport.analysis.survey import analyse_survey
    from slutrapport.report.comparison import comparison_report
    from slutrapport.sources.survey.ingest import read_waves
    from slutrapport.sources.survey.instrument import load_instrument

    return comparison_report(analyse_survey(read_waves(waves, load_instrument(mini_instrument)), 5))


def test_charts_are_drawn_here_when_the_worker_dies(mini_instrument, waves, monkeypatch):
    monkeypatch.setenv(ENVIRONMENT, "2")
    monkeypatch.setattr(drawing_pool, "MIN_CHARTS", 1)
    report = _report(mini_instrument, waves)
    charts = charts_in_order(report)
    forget_drawings()
    expected = [chart_png(chart) for chart in charts]
    for chart in charts:
        chart.png = None
    forget_drawings()
    with drawing_ahead() as drawing:
        assert drawing.start()
        drawing.worker.warm.result(timeout=120)
        for process in drawing.worker._executor._processes.values():
            process.kill()  # as if the system stopped it
        drawing.ahead(charts_in_order(report))
        assert [chart_png(chart) for chart in charts] == expected


def test_charts_handed_early_are_taken_only_if_unchanged(mini_instrument, waves, monkeypatch):
    monkeypatch.setenv(ENVIRONMENT, "2")
    made = []
    with watching_blocks(made.append):
        report = _report(mini_instrument, waves)
    assert made and all(charts_in_blocks(blocks) for blocks in made)  # each index's blocks, with their charts
    charts = charts_in_blocks(made[0])
    forget_drawings()
    expected = chart_png(charts[1])  # drawn here, with no worker
    charts[1].png = None
    forget_drawings()
    with drawing_ahead() as drawing:
        assert drawing.early(charts) == 0  # no worker started yet: none is started for a few charts
        assert drawing.start()
        drawing.worker.warm.result(timeout=120)
        assert drawing.early(charts) == len(charts) >= 2
        for job in drawing._jobs.values():
            assert job.done.wait(120) and job.png is not None
        first = charts[0].title
        charts[0].title = "Ändrad efter att den lämnats"
        assert drawing.take(charts[0]) is None  # changed since: drawn here as it is now
        assert drawing.take(charts[1]) == expected  # unchanged: the worker's drawing, the same bytes
    charts[0].title = first
    assert charts_in_order(report)[: len(charts)] == charts


def test_a_worker_still_starting_is_stopped_not_waited_for(monkeypatch):
    monkeypatch.setenv(ENVIRONMENT, "2")
    with drawing_ahead(early=True) as drawing:  # a run that handed it no chart (or was interrupted)
        workers = list(drawing.worker._executor._processes.values())
    deadline = time.monotonic() + 30
    for worker in workers:
        worker.join(timeout=30)
    # the executor's own thread may reap the process first: join then returns before exitcode is set
    while any(worker.exitcode is None for worker in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert workers and all(worker.exitcode not in (0, None) for worker in workers)  # ended, not left to finish its imports


def test_charts_are_drawn_here_when_no_process_can_start(mini_instrument, waves, monkeypatch):
    def refused(*_args, **_kwargs):
        raise OSError(38, "Function not implemented")  # as without /dev/shm

    monkeypatch.setenv(ENVIRONMENT, "2")
    monkeypatch.setattr(drawing_pool, "MIN_CHARTS", 1)
    monkeypatch.setattr(worker_module, "ProcessPoolExecutor", refused)
    report = _report(mini_instrument, waves)
    forget_drawings()
    with drawing_ahead() as drawing:
        assert drawing.ahead(charts_in_order(report)) == 0 and not drawing.start()
        assert all(chart_png(chart) for chart in charts_in_order(report))


def test_few_charts_or_one_process_start_no_worker(mini_instrument, waves, monkeypatch):
    report = _report(mini_instrument, waves)
    monkeypatch.setenv(ENVIRONMENT, "2")
    monkeypatch.setattr(drawing_pool, "MIN_CHARTS", len(charts_in_order(report)) + 1)
    with drawing_ahead(waves) as drawing:  # small files: not started before the reading either
        assert drawing.ahead(charts_in_order(report)) == 0 and drawing.worker._executor is None
    monkeypatch.setattr(drawing_pool, "EARLY_BYTES", 0)
    monkeypatch.setattr(drawing_pool, "LATE_BYTES", 1)
    with drawing_ahead(waves) as drawing:  # huge files: not started before the reading (its memory beside the analysis's)
        assert drawing.allowed and drawing.worker._executor is None
    monkeypatch.setenv(ENVIRONMENT, "1")
    monkeypatch.setattr(drawing_pool, "MIN_CHARTS", 1)
    monkeypatch.setattr(drawing_pool, "EARLY_BYTES", 0)
    with drawing_ahead(waves) as drawing:
        assert not drawing.allowed and drawing.ahead(charts_in_order(report)) == 0 and drawing.worker._executor is None


def test_the_charts_in_document_order_and_the_workbook_pictures_among_them(mini_instrument, waves):
    report = _report(mini_instrument, waves)
    charts, pictures = charts_in_order(report), charts_in_order(report, pictures_only=True)
    assert len({id(chart) for chart in charts}) == len(charts)
    assert pictures == [chart for chart in charts if not (isinstance(chart, Chart) and not chart.data.empty)] != charts


@pytest.mark.parametrize("value", ["0", "två", "-1", "1.5"])
def test_a_wrong_number_of_processes_is_a_swedish_error(monkeypatch, value):
    monkeypatch.setenv(ENVIRONMENT, value)
    with pytest.raises(SlutrapportError, match=f"{ENVIRONMENT} ska vara ett heltal"):
        processes()


def test_the_number_of_processes_comes_from_the_environment_or_the_cores(monkeypatch):
    monkeypatch.setenv(ENVIRONMENT, " 3 ")
    assert processes() == 3
    monkeypatch.delenv(ENVIRONMENT)
    assert processes() >= 1


class _Day:
    """Stands in for :class:`datetime.date` where a report takes its day: ``today()`` is ``day``."""

    def __init__(self, day: datetime.date) -> None:
        self.day = day

    def today(self) -> datetime.date:
        return self.day


def test_build_with_a_worker_writes_the_same_report_as_the_demo_in_one_process(tmp_path, demo_dir, monkeypatch):
    from slutrapport.pipeline import build_project, sample_project_dir
    from slutrapport.pipeline.build import REPORT_FILES

    monkeypatch.setenv(ENVIRONMENT, "2")  # the session's demo was built in one process (tests/conftest.py)
    _worker_ready_first(monkeypatch)
    built = datetime.date.fromisoformat(json.loads((demo_dir / "rapport.json").read_text(encoding="utf-8"))["skapad"])
    monkeypatch.setattr(report_build, "date", _Day(built))  # the demo's day, should the suite run past midnight
    taken = []
    take = ChartDrawing.take
    monkeypatch.setattr(ChartDrawing, "take", lambda self, chart: taken.append(take(self, chart)) or taken[-1])
    forget_drawings()
    build_project(sample_project_dir(), out=tmp_path / "rapport")
    assert any(png is not None for png in taken), "the worker drew no chart"
    for name in REPORT_FILES:
        assert (tmp_path / "rapport" / name).read_bytes() == (demo_dir / name).read_bytes(), name


def test_compare_starts_its_worker_at_once_when_the_instrument_promises_many_charts(tmp_path, mini_instrument, waves, monkeypatch):
    from slutrapport.pipeline import build

    asked: list[bool] = []
    real = build.drawing_ahead
    monkeypatch.setattr(build, "drawing_ahead", lambda inputs, early=False: asked.append(early) or real(inputs, early=early))
    compare_files(mini_instrument, waves, LABELS, out=tmp_path / "en")  # one index: two charts, drawn here
    monkeypatch.setattr(drawing_pool, "MIN_CHARTS", 2)
    compare_files(mini_instrument, waves, LABELS, out=tmp_path / "två")  # as many as are worth a worker: started at once
    assert asked == [False, True]


def test_an_early_worker_waits_for_the_charts_when_the_files_are_huge(monkeypatch, tmp_path):
    started: list[bool] = []
    monkeypatch.setattr(ChartDrawing, "start", lambda self: started.append(True) or False)
    monkeypatch.setattr(drawing_pool, "processes", lambda: 2)
    big = tmp_path / "stor.csv"
    big.write_bytes(b"x")
    monkeypatch.setattr(drawing_pool, "LATE_BYTES", 1)  # the file counts as huge: its memory would add to the analysis's
    with drawing_ahead([big], early=True):
        pass
    with drawing_ahead([], early=True):
        pass
    assert started == [True]  # only the one without huge files
