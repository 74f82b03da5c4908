"""One helper for work off the UI thread (after Anki's QueryOp/taskman).

All database work for an open file runs on one worker thread, in order, one job
at a time, with a connection opened in that thread. Small writes go through
:meth:`Tasks.write`; long work (exports, imports, reports) through
:meth:`Tasks.run`, which shows a progress dialog with Cancel. Results and errors
are handed back on the main thread.
"""

from __future__ import annotations

import itertools
import threading
from typing import Any, Callable, NamedTuple

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from ..errors import Cancelled
from ..store import Store


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


class _Worker(QObject):
    """Lives on the worker thread; owns the store opened there."""

    finished = Signal(int, object)
    failed = Signal(int, object)
    progressed = Signal(int, int, int, str)

    def __init__(self, open_store: Callable[[], Store] | None):
        super().__init__()
        self._open_store = open_store
        self._store: Store | None = None

    @Slot(int, object, object)
    def run(self, job_id: int, fn: Callable[[TaskContext], Any], cancel: threading.Event) -> None:
        try:
            if self._store is None and self._open_store is not None:
                self._store = self._open_store()
            context = TaskContext(self._store,
                                  lambda d, t, s: self.progressed.emit(job_id, d, t, s), cancel)
            result = fn(context)
        except BaseException as exc:  # handed to the main thread, never lost
            self.failed.emit(job_id, exc)
        else:
            self.finished.emit(job_id, result)

    @Slot()
    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


class _Job(NamedTuple):
    on_done: Callable[[Any], None] | None
    on_error: Callable[[BaseException], None] | None
    cancel: threading.Event
    dialog: QProgressDialog | None = None


class Tasks(QObject):
    """Queue of jobs for one worker thread. Create one per open file."""

    busy_changed = Signal(bool)
    _submit = Signal(int, object, object)
    _close = Signal()

    def __init__(self, open_store: Callable[[], Store] | None,
                 on_error: Callable[[BaseException], None], parent: QObject | None = None):
        super().__init__(parent)
        self._default_error = on_error
        self._ids = itertools.count(1)
        self._jobs: dict[int, _Job] = {}
        self._thread = QThread()
        self._thread.setObjectName("esat-db-worker")
        self._worker = _Worker(open_store)
        self._worker.moveToThread(self._thread)
        self._submit.connect(self._worker.run, Qt.QueuedConnection)
        self._close.connect(self._worker.close, Qt.BlockingQueuedConnection)
        self._worker.finished.connect(self._finished, Qt.QueuedConnection)
        self._worker.failed.connect(self._failed, Qt.QueuedConnection)
        self._worker.progressed.connect(self._progressed, Qt.QueuedConnection)
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
        job_id = next(self._ids)
        cancel = threading.Event()
        was_idle = self.idle
        self._jobs[job_id] = _Job(on_done, on_error, cancel, dialog)
        if dialog is not None:
            dialog.canceled.connect(cancel.set)
        if was_idle:
            self.busy_changed.emit(True)
        self._submit.emit(job_id, fn, cancel)

    @Slot(int, int, int, str)
    def _progressed(self, job_id: int, done: int, total: int, text: str) -> None:
        job = self._jobs.get(job_id)
        if job and job.dialog is not None:
            job.dialog.setMaximum(max(total, 0))
            job.dialog.setValue(min(done, total) if total else 0)
            if text:
                job.dialog.setLabelText(text)

    @Slot(int, object)
    def _finished(self, job_id: int, result: Any) -> None:
        job = self._pop(job_id)
        if job and job.on_done is not None:
            job.on_done(result)

    @Slot(int, object)
    def _failed(self, job_id: int, exc: BaseException) -> None:
        job = self._pop(job_id)
        if isinstance(exc, Cancelled):
            return
        handler = (job.on_error if job and job.on_error else None) or self._default_error
        handler(exc)

    def _pop(self, job_id: int) -> _Job | None:
        job = self._jobs.pop(job_id, None)
        if job and job.dialog is not None:
            job.dialog.close()
            job.dialog.deleteLater()
        if self.idle:
            self.busy_changed.emit(False)
        return job

    def wait_idle(self, timeout_ms: int = 30000) -> bool:
        """Process events until every queued job has finished (used on close)."""
        from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QEventLoop
        deadline = QDeadlineTimer(timeout_ms)
        while self._jobs and not deadline.hasExpired():
            QCoreApplication.processEvents(QEventLoop.AllEvents, 50)
        return self.idle

    def shutdown(self) -> None:
        """Finish queued work, close the worker's store and stop its thread."""
        self.wait_idle()
        if self._thread.isRunning():
            self._close.emit()
            self._thread.quit()
            self._thread.wait()
