"""Python's cyclic garbage collector, run on the main thread only.

The collector runs on whichever thread happens to allocate when a threshold is
crossed. If that is the database worker and the garbage holds a Qt object (a
dialog in a reference cycle, a closure over a widget), the object is freed on
the wrong thread and Qt can crash. So, as PyQt and PySide applications commonly
do, automatic collection is switched off while the app runs and the same
generational thresholds are checked from a timer on the main thread.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer

_NAME = "esat-main-thread-gc"
_INTERVAL_MS = 500


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

    def collect(self) -> None:
        """Collect the generations whose thresholds were crossed, youngest first."""
        counts = gc.get_count()
        for generation in range(3):
            if counts[generation] <= self._thresholds[generation]:
                break
            gc.collect(generation)


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
