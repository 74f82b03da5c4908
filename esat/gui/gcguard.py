"""Python's cyclic garbage collector, run on the main thread only.

The collector runs on whichever thread happens to allocate when a threshold is
crossed. If that is the database worker and the garbage holds a Qt object (a
dialog in a reference cycle, a closure over a widget), the object is freed on
the wrong thread and Qt can crash. So, as PyQt and PySide applications commonly
do, automatic collection is switched off while the app runs and collection is
done from a timer on the main thread.

A full collection walks every object the process tracks: with a 1,000-unit
central database open, about 60-95 ms, long enough to be felt; and a middle
generation holding a big read's results (100,000 objects after an import) costs
about as much. So the timer collects only the youngest generation (what was made
since its last tick), then freezes what survived (``gc.freeze``: long-lived, it is
looked at again only by a full collection). A full collection unfreezes and walks
everything; as CPython's own collector does, it runs only when the objects kept
since the last one grew by a quarter, and while background work is running
(``busy``) it waits, for at most ``_DEFER_FULL_S``, so a long import is not
interrupted by one. Cycles among frozen objects are freed by that collection.
"""

from __future__ import annotations

import gc
import time

from PySide6.QtCore import QCoreApplication, QObject, QTimer

_NAME = "esat-main-thread-gc"
_INTERVAL_MS = 100
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
        gc.freeze()                              # what the app started with
        self._kept = gc.get_freeze_count()       # objects kept after the last full collection
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
        """Collect the youngest generation, or everything when a full collection is due;
        then freeze what survived."""
        if gc.get_count()[0] <= self._thresholds[0]:
            return
        if self._full_is_due():
            gc.unfreeze()
            gc.collect()
            gc.freeze()
            self._kept = gc.get_freeze_count()
            self._full_due_since = None
            self.full_collections += 1
            return
        gc.collect(0)
        gc.freeze()

    def _full_is_due(self) -> bool:
        if gc.get_freeze_count() - self._kept <= self._kept // 4:
            return False
        now = time.monotonic()
        if self._full_due_since is None:
            self._full_due_since = now
        return not self._busy or now - self._full_due_since >= _DEFER_FULL_S


def _restore_automatic(enabled: bool):
    def restore(*_args) -> None:
        gc.unfreeze()
        if enabled:
            gc.enable()
    return restore


def ensure_main_thread_gc(app: QCoreApplication | None) -> MainThreadCollector | None:
    """The application's collector, created on first use (call on the main thread)."""
    if app is None:
        return None
    found = app.findChild(MainThreadCollector, _NAME)
    return found if found is not None else MainThreadCollector(app)
