"""Conflicts: each open one with what it would change, and the coordinator's choice
(:func:`esat.central.history.resolve`, recorded with who and when)."""

from __future__ import annotations

from PySide6.QtWidgets import (QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)
from PySide6.QtCore import Qt

from ...central.dashboard import conflict_differences
from ...central.history import conflicts, resolve
from ..messages import confirm


def read_conflicts(store) -> list[tuple[dict, list]]:
    return [(row, conflict_differences(store, row["uuid"])) for row in conflicts(store)]


class ConflictsPanel(QWidget):
    def __init__(self, document, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.found: list[tuple[dict, list]] = []
        self.setAccessibleName("Conflicts")
        layout = QVBoxLayout(self)
        self.summary = QLabel("No open conflicts.", self)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.list = QListWidget(self)
        self.list.setAccessibleName("Open conflicts")
        layout.addWidget(self.list)
        self.differences = QTableWidget(0, 3, self)
        self.differences.setHorizontalHeaderLabels(["What", "Current", "Incoming"])
        self.differences.setAccessibleName("What differs: the current submission and the "
                                           "incoming one side by side")
        self.differences.setEditTriggers(QTableWidget.NoEditTriggers)
        layout.addWidget(self.differences, 1)
        buttons = QHBoxLayout()
        self.keep_incoming = QPushButton("Keep &Incoming", self)
        self.keep_incoming.setAccessibleName("Keep the incoming submission (it replaces the current)")
        self.keep_current = QPushButton("Keep C&urrent", self)
        self.keep_current.setAccessibleName("Keep the current submission (set the incoming aside)")
        self.keep_incoming.clicked.connect(lambda: self.choose("incoming"))
        self.keep_current.clicked.connect(lambda: self.choose("current"))
        buttons.addWidget(self.keep_incoming)
        buttons.addWidget(self.keep_current)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.list.currentRowChanged.connect(self._show)
        document.changed.connect(self.reload)
        self._enable()

    def reload(self) -> None:
        self.document.read(read_conflicts, self.show_conflicts)

    def show_conflicts(self, found) -> None:
        self.found = found
        self.list.clear()
        for row, _ in found:
            item = QListWidgetItem(f"{row['unit_code']} revision {row['revision']} from "
                                   f"{row['source_name']}: {row['conflict_reason']}")
            item.setData(Qt.UserRole, row["uuid"])
            self.list.addItem(item)
        self.summary.setText(f"{len(found)} open conflict{'s' if len(found) != 1 else ''}."
                             if found else "No open conflicts.")
        if found:
            self.list.setCurrentRow(0)
        else:
            self.differences.setRowCount(0)
        self._enable()

    def _show(self, index: int) -> None:
        if not 0 <= index < len(self.found):
            self.differences.setRowCount(0)
            return
        _, diffs = self.found[index]
        self.differences.setRowCount(len(diffs))
        for r, diff in enumerate(diffs):
            for c, text in enumerate(diff):
                self.differences.setItem(r, c, QTableWidgetItem(text))
        self.differences.resizeColumnsToContents()

    def _enable(self) -> None:
        on = bool(self.found) and self.document.editable
        self.keep_incoming.setEnabled(on)
        self.keep_current.setEnabled(on)

    def choose(self, keep: str) -> None:
        index = self.list.currentRow()
        if not 0 <= index < len(self.found):
            return
        row, _ = self.found[index]
        what = ("replace the unit's current content with the incoming submission"
                if keep == "incoming" else "set the incoming submission aside")
        if not confirm(self, "Resolve the conflict",
                       f"{row['unit_code']} revision {row['revision']}: {what}? The choice is "
                       "recorded with your name.", "Keep Incoming" if keep == "incoming"
                       else "Keep Current"):
            return
        uuid = row["uuid"]
        self.document.write(lambda store: resolve(store, uuid, keep=keep))
