"""The background helper (esat/gui/tasks.py) under stress, and its thread rules.

Issue 14: the worker crashed when a Python object carried through a queued
signal died on the worker thread. These tests check the rules that prevent it
(everything handed over dies on the main thread, the garbage collector runs
only there) and run thousands of jobs with progress, cancel, errors and dialogs
in random orders. ``ESAT_STRESS_ROUNDS`` sets the rounds (``make torture``
runs many more than ``make test``).
"""

from __future__ import annotations

import gc
import os
import random
import threading
import time

import pytest
import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton, QWidget

from esat.errors import Cancelled
from esat.gui.gcguard import MainThreadCollector, ensure_main_thread_gc
from esat.gui.tasks import Tasks

ROUNDS = int(os.environ.get("ESAT_STRESS_ROUNDS", "300"))
JOBS_PER_ROUND = 12


class DeathRecorder:
    """Records the thread on which it is freed."""

    def __init__(self, deaths: list[str]):
        self.deaths = deaths

    def __del__(self):
        self.deaths.append(threading.current_thread().name)


class Boom(Exception):
    pass


def press_cancel(dialog: QProgressDialog) -> None:
    button = dialog.findChild(QPushButton)
    assert button is not None and button.text() == "Cancel"
    button.click()


def wait_idle(qtbot, tasks: Tasks) -> None:
    qtbot.waitUntil(lambda: tasks.idle, timeout=20000)


def test_what_a_job_carries_and_returns_dies_on_the_main_thread(qtbot):
    deaths: list[str] = []
    errors: list[BaseException] = []
    tasks = Tasks(None, errors.append)
    results = []
    for n in range(200):
        carried = DeathRecorder(deaths)        # held by the job's closure

        def job(ctx, carried=carried, n=n):
            assert carried is not None
            if n % 3 == 0:
                raise Boom(DeathRecorder(deaths))   # an error holding an object
            return DeathRecorder(deaths)            # a result made on the worker

        tasks.run("working", job, parent=None, on_done=lambda r: results.append(r is not None),
                  on_error=lambda exc: results.append(isinstance(exc, Boom)))
        del carried, job
    wait_idle(qtbot, tasks)
    tasks.shutdown()
    assert results == [True] * 200
    assert errors == []
    gc.collect()
    assert len(deaths) == 400
    assert set(deaths) == {threading.main_thread().name}


def test_garbage_collection_never_runs_on_the_worker(qtbot):
    deaths: list[str] = []
    tasks = Tasks(None, lambda exc: None)
    assert not gc.isenabled()
    collector = QApplication.instance().findChild(MainThreadCollector)
    assert collector is not None and ensure_main_thread_gc(QApplication.instance()) is collector

    for _ in range(50):                      # cycles that only the collector can free
        a, b = DeathRecorder(deaths), DeathRecorder(deaths)
        a.other, b.other = b, a
        del a, b

    def churn(ctx):                          # enough allocation to cross every threshold
        keep = []
        for i in range(300_000):
            pair = [i]
            pair.append(pair)                # a cycle, so the counts really move
            keep.append(pair) if i % 1000 == 0 else None
        return len(keep)

    done = []
    tasks.run("churning", churn, parent=None, on_done=done.append)
    wait_idle(qtbot, tasks)
    assert done == [300]
    qtbot.waitUntil(lambda: len(deaths) == 100, timeout=10000)   # the main-thread timer did it
    tasks.shutdown()
    assert set(deaths) == {threading.main_thread().name}


def test_a_dialog_cancel_stops_its_job_and_only_that_job(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    tasks = Tasks(None, lambda exc: None)
    started = threading.Event()
    outcome = []

    def long_job(ctx):
        started.set()
        deadline = time.monotonic() + 10
        while not ctx.cancelled():
            if time.monotonic() > deadline:
                return "not cancelled"
            ctx.progress(1, 2, "half way")
            time.sleep(0.001)
        raise Cancelled()

    tasks.run("long", long_job, parent=parent, on_done=outcome.append, on_error=outcome.append)
    tasks.run("next", lambda ctx: ctx.cancelled(), parent=parent, on_done=outcome.append)
    qtbot.waitUntil(started.is_set, timeout=5000)
    dialogs = [d for d in parent.findChildren(QProgressDialog) if d.labelText() in ("long", "half way")]
    assert len(dialogs) == 1
    press_cancel(dialogs[0])
    wait_idle(qtbot, tasks)
    tasks.shutdown()
    assert outcome == [False]                # the first job was silent; the second ran, uncancelled
    assert not any(d.isVisible() for d in parent.findChildren(QProgressDialog))


def test_shutdown_finishes_every_queued_write_and_stops_the_thread(qtbot):
    tasks = Tasks(None, lambda exc: None)
    seen = []
    for n in range(500):
        tasks.write(lambda store, n=n: n, on_done=seen.append)
    tasks.shutdown()
    assert seen == list(range(500))
    assert not tasks._thread.is_alive()
    with pytest.raises(RuntimeError):
        tasks.write(lambda store: None)


@pytest.mark.parametrize("seed", range(3))
def test_stress_thousands_of_jobs_with_dialogs_progress_cancel_and_errors(qtbot, seed):
    rng = random.Random(seed)
    rounds = max(1, ROUNDS // 3)
    default_errors: list[BaseException] = []
    for round_no in range(rounds):
        parent = QWidget()
        tasks = Tasks(None, default_errors.append, parent if rng.random() < 0.5 else None)
        expected: list[tuple[int, str]] = []
        got: list[tuple[int, str]] = []
        carried_deaths: list[str] = []
        for n in range(JOBS_PER_ROUND):
            kind = rng.choice(["write", "run", "run", "fail", "cancel", "qt"])
            steps = rng.randint(0, 30)
            holder = DeathRecorder(carried_deaths)
            if kind == "write":
                tasks.write(lambda store, n=n, h=holder: (n, "done"), on_done=got.append)
                expected.append((n, "done"))
            elif kind == "qt":
                # A job whose closure holds a Qt object made on the main thread.
                owned = QObject()
                tasks.run("qt", lambda ctx, n=n, o=owned, h=holder: (n, type(o).__name__),
                          parent=parent, on_done=got.append)
                del owned
                expected.append((n, "QObject"))
            elif kind == "fail":
                def fail(ctx, n=n, steps=steps, h=holder):
                    for i in range(steps):
                        ctx.progress(i, steps, f"step {i}")
                    raise Boom(n)
                tasks.run("fail", fail, parent=parent,
                          on_error=lambda exc: got.append((exc.args[0], "failed")))
                del fail
                expected.append((n, "failed"))
            else:
                def work(ctx, n=n, steps=steps, h=holder):
                    for i in range(steps):
                        if ctx.cancelled():
                            raise Cancelled()
                        ctx.progress(i, steps, "")
                    return (n, "done")
                tasks.run("work", work, parent=parent, on_done=got.append,
                          cancellable=True)
                del work
                if kind == "cancel":
                    dialog = parent.findChildren(QProgressDialog)[-1]
                    when = rng.choice(["now", "later", "never"])
                    if when == "now":
                        press_cancel(dialog)   # cancelled before the worker even starts it
                    elif when == "later":
                        QApplication.processEvents()   # the job may have finished meanwhile
                        if shiboken6.isValid(dialog):
                            press_cancel(dialog)
                    expected.append((n, "maybe"))
                else:
                    expected.append((n, "done"))
            del holder
            if rng.random() < 0.2:
                QApplication.processEvents()
        how = rng.choice(["wait", "shutdown", "close-parent"])
        if how == "wait":
            wait_idle(qtbot, tasks)
        elif how == "close-parent":
            parent.close()
        tasks.shutdown()
        # Every job reported once, in order; a cancelled one either ran or was silent.
        got_numbers = [n for n, _ in got]
        assert got_numbers == sorted(got_numbers), (round_no, got)
        by_number = dict(got)
        for n, outcome in expected:
            if outcome == "maybe":
                assert by_number.get(n, "done") == "done"
            else:
                assert by_number.get(n) == outcome, (round_no, n, got)
        assert tasks.idle
        parent.deleteLater()
        tasks.deleteLater()
        gc.collect()
        assert set(carried_deaths) <= {threading.main_thread().name}
        assert len(carried_deaths) == JOBS_PER_ROUND
    assert default_errors == []


def _young(n: int | None = None) -> list:
    """Enough new objects to cross the youngest generation's threshold."""
    return [[] for _ in range(n or gc.get_threshold()[0] + 100)]


def test_a_full_collection_waits_while_background_work_runs(qtbot):
    """The timer collects the youngest generation and freezes what survived; a full
    collection (60-95 ms with a big central database open) comes only once the kept
    objects grew by a quarter and the worker is idle, and frees cycles among them."""
    deaths: list[str] = []
    collector = ensure_main_thread_gc(QApplication.instance())
    kept = [_young()]
    collector.collect()
    before = collector.full_collections
    collector.note_busy(1, True)
    a, b = DeathRecorder(deaths), DeathRecorder(deaths)
    a.other, b.other = b, a                                # a cycle, alive when frozen
    kept.append(_young(gc.get_freeze_count()))             # as many new long-lived objects
    collector.collect()
    assert collector.full_collections == before            # busy: the youngest only
    del a, b                                               # now garbage, but frozen
    kept.append(_young())
    collector.collect()
    assert collector.full_collections == before and deaths == []
    collector.note_busy(1, False)
    kept.append(_young())
    collector.collect()
    assert collector.full_collections == before + 1
    assert deaths == [threading.main_thread().name] * 2    # freed by the full collection
    kept.append(_young())
    collector.collect()                                    # not a quarter more since
    assert collector.full_collections == before + 1
    del kept
