"""Python's cyclic garbage collector, run on the main thread only.

The collector runs on whichever thread happens to allocate when a threshold is
crossed. If that is the database worker and the garbage holds a Qt object (a
dialog in a reference cycle, a closure over a widget), the object is freed on
the wrong thread and Qt can crash. So, as PyQt and PySide applications commonly
do, automatic collection is switched off while the app runs and the same
generational thresholds are checked from a timer on the main thread.

A full collection walks every object the process tracks: with a 1,000-unit
central database open, about 60-95 ms, long enough to be felt. So, as CPython's
own collector does, a full collection runs only when the objects that reached
the oldest generation since the last one are a quarter of those it kept then;
and while background work is running (``busy``) it waits, for at most
``_DEFER_FULL_S``, so a long import is not interrupted by one.
"""

from __future__ import annotations

import gc
import time

from PySide6.QtCore import QCoreApplication, QObject, QTimer

_NAME = "esat-main-thread-gc"
_INTERVAL_MS = 500
_DEFER_FULL_S = 120.0


class MainThreadCollector(QObject):
    """Turns automatic collection off and collects from a main-thread timer."""

    def __init__(self, parent: QObject):
        super().__init__(parent)
        self.setObjectName(_NAME)
        self._thresholds = gc.get_threshold()
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(_INTERVAL_MS)
        self._timer.timeout.connect(self.collect)
        self._timer.start()
        self.destroyed.connect(_restore_automatic(self._was_enabled))
        self._kept = len(gc.get_objects(2))      # the oldest generation after the last full one
        self._busy: set[int] = set()
        self._full_due_since: float | None = None
        self.full_collections = 0

    def note_busy(self, key: int, busy: bool) -> None:
        """Background work ``key`` started (True) or ended (False)."""
        if busy:
            self._busy.add(key)
        else:
            self._busy.discard(key)

    def collect(self) -> None:
        """Collect the oldest generation whose threshold was crossed (which takes the
        younger ones with it); a full collection only as described above."""
        counts = gc.get_count()
        generation = -1
        for g in range(3):
            if counts[g] <= self._thresholds[g]:
                break
            generation = g
        if generation == 2 and not self._full_is_due():
            generation = 1
        if generation < 0:
            return
        gc.collect(generation)
        if generation == 2:
            self._kept = len(gc.get_objects(2))
            self._full_due_since = None
            self.full_collections += 1

    def _full_is_due(self) -> bool:
        if len(gc.get_objects(2)) - self._kept <= self._kept // 4:
            return False
        now = time.monotonic()
        if self._full_due_since is None:
            self._full_due_since = now
        return not self._busy or now - self._full_due_since >= _DEFER_FULL_S


def _restore_automatic(enabled: bool):
    def restore(*_args) -> None:
        if enabled:
            gc.enable()
    return restore


def ensure_main_thread_gc(app: QCoreApplication | None) -> MainThreadCollector | None:
    """The application's collector, created on first use (call on the main thread)."""
    if app is None:
        return None
    found = app.findChild(MainThreadCollector, _NAME)
    return found if found is not None else MainThreadCollector(app)
