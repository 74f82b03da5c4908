"""Panels whose figures are read from the core when first shown, and again after a change.

Figures over every unit cost time, so a panel that is not on screen only notes
that what it showed is stale, and reads again when it is next shown.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


class ReadWhenShown(QWidget):
    """Subclasses call :meth:`watch` with the document and implement :meth:`read`."""

    def watch(self, document) -> None:
        self._stale = True
        document.changed.connect(self._changed)

    def read(self) -> None:
        raise NotImplementedError

    def _changed(self) -> None:
        self._stale = True
        if self.isVisible():
            self.reload()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self.reload()

    def reload(self) -> None:
        self._stale = False
        self.read()
