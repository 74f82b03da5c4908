"""The evidence list: a list widget that takes files dropped on it.

``ui/indicator_page.ui`` promotes its evidence list to this class.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QListWidget, QWidget


class FileDropList(QListWidget):
    files_dropped = Signal(list)       # list[Path]: the local files dropped

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.takes_files = True        # False while the assessment is read-only

    def _files(self, event) -> list[Path]:
        mime = event.mimeData()
        if not (self.takes_files and mime.hasUrls()):
            return []
        return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]

    def dragEnterEvent(self, event) -> None:
        if self._files(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        self.dragEnterEvent(event)

    def dropEvent(self, event) -> None:
        files = self._files(event)
        if files:
            event.acceptProposedAction()
            self.files_dropped.emit(files)
        else:
            event.ignore()
