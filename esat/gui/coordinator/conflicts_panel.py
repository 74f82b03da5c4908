"""Conflicts: each open one with what it would change, the two submissions side by
side (:mod:`.side_by_side`), and the coordinator's choice
(:func:`esat.central.history.resolve`, recorded with who and when)."""

from __future__ import annotations

from PySide6.QtWidgets import (QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton,
                               QSplitter, QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget)
from PySide6.QtCore import Qt

from ...central.dashboard import conflict_differences
from ...central.history import conflicts, resolve
from ..messages import confirm
from .side_by_side import Sides, SideBySideView, read_sides


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
        self.summary.setTextFormat(Qt.PlainText)     # a file's text, never HTML
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.list = QListWidget(self)
        self.list.setAccessibleName("Open conflicts")
        splitter = QSplitter(Qt.Vertical, self)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.list)
        self.views = QTabWidget(self)
        self.views.setAccessibleName("The conflict: what differs, or both submissions side by side")
        self.differences = QTableWidget(0, 3, self.views)
        self.differences.setHorizontalHeaderLabels(["What", "Current", "Incoming"])
        self.differences.setAccessibleName("What differs: the current submission and the "
                                           "incoming one side by side")
        self.differences.setEditTriggers(QTableWidget.NoEditTriggers)
        self.side_by_side = SideBySideView(self.views)
        self.views.addTab(self.differences, "What differs")
        self.views.addTab(self.side_by_side, "Side by side")
        splitter.addWidget(self.views)
        splitter.setStretchFactor(1, 4)
        splitter.setSizes([120, 600])
        layout.addWidget(splitter, 1)
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
            self.side_by_side.show_sides(None)
        self._enable()

    def _show(self, index: int) -> None:
        if not 0 <= index < len(self.found):
            self.differences.setRowCount(0)
            self.side_by_side.show_sides(None)
            return
        row, diffs = self.found[index]
        uuid = row["uuid"]
        self.side_by_side.show_sides(None)          # until both submissions are read
        self.document.read(lambda store: read_sides(store, uuid), self._show_sides)
        self.differences.setRowCount(len(diffs))
        for r, diff in enumerate(diffs):
            for c, text in enumerate(diff):
                self.differences.setItem(r, c, QTableWidgetItem(text))
        self.differences.resizeColumnsToContents()

    def _show_sides(self, sides: Sides) -> None:
        item = self.list.currentItem()
        if item is not None and item.data(Qt.UserRole) == sides.received_uuid:
            self.side_by_side.show_sides(sides)     # else the choice moved on: a later read shows it

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
