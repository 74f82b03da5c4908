"""One helper for work off the UI thread (after Anki's QueryOp/taskman).

All database work for an open file runs on one worker thread, in order, one job
at a time, with a connection opened in that thread. Small writes go through
:meth:`Tasks.write`; long work (exports, imports, reports) through
:meth:`Tasks.run`, which shows a progress dialog with Cancel. Results and errors
are handed back on the main thread.

Thread rules. Each exists because breaking it crashed the app (issue 14: a
``threading.Event`` carried through a queued signal died on the worker, and the
weak reference PySide keeps for ``dialog.canceled.connect(event.set)`` tore down
a connection of a dialog the main thread was deleting):

* Jobs never travel through Qt. They go to the worker through a plain Python
  queue and come back through a list guarded by a lock. The only signals that
  cross threads carry plain values (ints and a string), which Qt copies as C++
  values when they are emitted.
* Whatever the main thread hands over (the job's callable and all it closes
  over) and whatever the job produced or raised is handed back and dropped on
  the main thread; the worker keeps no reference once a job is done.
* Qt connections are made and broken on the main thread, to slots of QObjects
  that live there: a dialog's Cancel reaches the job through :class:`Tasks`,
  never through a bound method of a plain object.
* Python's cyclic garbage collector runs only on the main thread
  (:mod:`.gcguard`), so no cycle holding a Qt object is freed on the worker.
"""

from __future__ import annotations

import itertools
import queue
import threading
import time
from typing import Any, Callable, NamedTuple

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from ..errors import Cancelled
from ..store import Store
from .gcguard import ensure_main_thread_gc

_PROGRESS_INTERVAL = 0.05     # seconds between progress reports sent to the main thread
_JOB_PROPERTY = "esatJobId"   # on a progress dialog: the job its Cancel button stops


class TaskContext:
    """What a job gets: the worker's store (if a file is open), progress and cancel."""

    def __init__(self, store: Store | None, report: Callable[[int, int, str], None],
                 cancel: threading.Event | None = None):
        self.store = store
        self._report = report
        self._cancel = cancel or threading.Event()

    def progress(self, done: int, total: int, text: str = "") -> None:
        self._report(done, total, text)

    def cancelled(self) -> bool:
        return self._cancel.is_set()


class _Job(NamedTuple):
    on_done: Callable[[Any], None] | None
    on_error: Callable[[BaseException], None] | None
    cancel: threading.Event
    dialog: QProgressDialog | None = None


class _Progress:
    """Sends a job's progress to the main thread, at most every 50 ms (and the last step)."""

    def __init__(self, emit: Callable[[int, int, int, str], None], job_id: int):
        self._emit = emit
        self._job_id = job_id
        self._last = 0.0

    def __call__(self, done: int, total: int, text: str) -> None:
        now = time.monotonic()
        if now - self._last >= _PROGRESS_INTERVAL or (total and done >= total):
            self._last = now
            self._emit(self._job_id, _as_int32(done), _as_int32(total), str(text))


def _as_int32(value: int) -> int:
    return max(-_INT32_MAX, min(int(value), _INT32_MAX))


_INT32_MAX = 2**31 - 1


class Tasks(QObject):
    """Queue of jobs for one worker thread. Create one per open file; call
    :meth:`shutdown` before letting go of it."""

    busy_changed = Signal(bool)
    _results_ready = Signal()                 # worker → main thread: results are waiting
    _progressed = Signal(int, int, int, str)  # worker → main thread: job, done, total, text

    def __init__(self, open_store: Callable[[], Store] | None,
                 on_error: Callable[[BaseException], None], parent: QObject | None = None):
        super().__init__(parent)
        collector = ensure_main_thread_gc(QCoreApplication.instance())
        if collector is not None:   # no full collection while this worker's jobs run
            key = id(self)
            self.busy_changed.connect(lambda busy: collector.note_busy(key, busy))
            self.destroyed.connect(lambda *_: collector.note_busy(key, False))
        self._default_error = on_error
        self._open_store = open_store
        self._ids = itertools.count(1)
        self._jobs: dict[int, _Job] = {}
        self._inbox: queue.SimpleQueue = queue.SimpleQueue()
        self._results: list[tuple] = []
        self._results_lock = threading.Lock()
        self._results_ready.connect(self._deliver, Qt.QueuedConnection)
        self._progressed.connect(self._show_progress, Qt.QueuedConnection)
        self._thread = threading.Thread(target=self._work, name="esat-db-worker", daemon=True)
        self._thread.start()

    @property
    def idle(self) -> bool:
        return not self._jobs

    def write(self, fn: Callable[[Store], Any], on_done: Callable[[Any], None] | None = None,
              on_error: Callable[[BaseException], None] | None = None) -> None:
        """A small database write, run in order after every earlier job."""
        self._enqueue(lambda ctx: fn(ctx.store), on_done, on_error, None)

    def run(self, label: str, fn: Callable[[TaskContext], Any], *, parent: QWidget | None,
            on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[BaseException], None] | None = None,
            cancellable: bool = True) -> None:
        """Long work with a progress dialog (and Cancel); the window stays responsive."""
        dialog = QProgressDialog(label, "Cancel" if cancellable else "", 0, 0, parent)
        dialog.setWindowTitle("ESAT")
        dialog.setAccessibleName(label)
        dialog.setWindowModality(Qt.WindowModal)
        dialog.setMinimumDuration(300)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        if not cancellable:
            dialog.setCancelButton(None)
        self._enqueue(fn, on_done, on_error, dialog)

    def _enqueue(self, fn, on_done, on_error, dialog) -> None:
        if not self._thread.is_alive():
            raise RuntimeError("the background worker has been shut down")
        job_id = next(self._ids)
        cancel = threading.Event()
        was_idle = self.idle
        self._jobs[job_id] = _Job(on_done, on_error, cancel, dialog)
        if dialog is not None:
            dialog.setProperty(_JOB_PROPERTY, job_id)
            dialog.canceled.connect(self._cancel_from_dialog)
        if was_idle:
            self.busy_changed.emit(True)
        self._inbox.put((job_id, fn, cancel))

    # -- the worker thread ---------------------------------------------------------

    def _work(self) -> None:
        """The worker's loop. It touches no Qt object but the two signals above."""
        store: Store | None = None
        try:
            while True:
                item = self._inbox.get()
                if item is None:
                    return
                job_id, fn, cancel = item
                del item
                ok, value = True, None
                try:
                    if store is None and self._open_store is not None:
                        store = self._open_store()
                    value = fn(TaskContext(store, _Progress(self._progressed.emit, job_id), cancel))
                except BaseException as exc:  # handed to the main thread, never lost
                    ok, value = False, exc
                with self._results_lock:
                    # The list holds the only references now: the main thread drops them.
                    self._results.append((job_id, ok, value, fn, cancel))
                    del fn, value, cancel
                self._results_ready.emit()
        finally:
            if store is not None:
                store.close()

    # -- the main thread -----------------------------------------------------------

    @Slot()
    def _cancel_from_dialog(self) -> None:
        dialog = self.sender()
        job = self._jobs.get(dialog.property(_JOB_PROPERTY)) if dialog is not None else None
        if job is not None:
            job.cancel.set()

    @Slot(int, int, int, str)
    def _show_progress(self, job_id: int, done: int, total: int, text: str) -> None:
        job = self._jobs.get(job_id)
        if job and job.dialog is not None:
            job.dialog.setMaximum(max(total, 0))
            job.dialog.setValue(min(done, total) if total else 0)
            if text:
                job.dialog.setLabelText(text)

    @Slot()
    def _deliver(self) -> None:
        with self._results_lock:
            results, self._results = self._results, []
        for job_id, ok, value, _fn, _cancel in results:
            job = self._pop(job_id)
            if ok:
                if job and job.on_done is not None:
                    job.on_done(value)
            elif not isinstance(value, Cancelled):
                handler = (job.on_error if job and job.on_error else None) or self._default_error
                handler(value)
        # ``results`` (callables, values, errors) dies here, on the main thread.

    def _pop(self, job_id: int) -> _Job | None:
        job = self._jobs.pop(job_id, None)
        if job and job.dialog is not None:
            job.dialog.canceled.disconnect(self._cancel_from_dialog)
            job.dialog.close()
            job.dialog.deleteLater()
        if self.idle:
            self.busy_changed.emit(False)
        return job

    def wait_idle(self, timeout_ms: int = 30000) -> bool:
        """Process events until every queued job has finished (used on close)."""
        from PySide6.QtCore import QDeadlineTimer, QEventLoop
        deadline = QDeadlineTimer(timeout_ms)
        while self._jobs and not deadline.hasExpired():
            QCoreApplication.processEvents(QEventLoop.AllEvents, 50)
            self._deliver()
        return self.idle

    def shutdown(self) -> None:
        """Finish queued work, close the worker's store and stop its thread."""
        self.wait_idle()
        if self._thread.is_alive():
            self._inbox.put(None)
            self._thread.join()
        self._deliver()          # anything that finished after the wait
