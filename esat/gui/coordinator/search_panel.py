"""Search across every unit's evidence, narratives and actions (:func:`esat.search.search`);
a result opens that unit at that indicator."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QLineEdit, QPushButton, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from ...search import Found, matches_text, search


class SearchPanel(QWidget):
    open_unit = Signal(str, str)          # assessment uuid, indicator code

    def __init__(self, document, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.found: Found | None = None
        self.setAccessibleName("Search across all evidence")
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.words = QLineEdit(self)
        self.words.setAccessibleName("Words to search for (end a word with * for a prefix)")
        label = QLabel("&Words:", self)
        label.setBuddy(self.words)
        self.go = QPushButton("Searc&h", self)
        self.go.setAccessibleName("Search")
        self.go.clicked.connect(self.run)
        self.words.returnPressed.connect(self.run)
        row.addWidget(label)
        row.addWidget(self.words, 1)
        row.addWidget(self.go)
        layout.addLayout(row)
        self.summary = QLabel("", self)
        self.summary.setTextFormat(Qt.PlainText)     # a file's text, never HTML
        layout.addWidget(self.summary)
        self.results = QTableWidget(0, 4, self)
        self.results.setHorizontalHeaderLabels(["Unit", "Indicator", "Kind", "Snippet"])
        self.results.setAccessibleName("Search results: Enter opens the unit at the indicator")
        self.results.setEditTriggers(QTableWidget.NoEditTriggers)
        self.results.setSelectionBehavior(QTableWidget.SelectRows)
        self.results.setTabKeyNavigation(False)
        self.results.horizontalHeader().setStretchLastSection(True)
        self.results.activated.connect(self._activated)
        layout.addWidget(self.results, 1)

    def run(self) -> None:
        words = self.words.text()
        self.document.read(lambda store: search(store.db.conn, words, limit=200), self.show_found)

    def show_found(self, found: Found) -> None:
        self.found = found
        self.results.setRowCount(len(found.hits))
        for r, hit in enumerate(found.hits):
            for c, text in enumerate((hit.unit_code, hit.item_code or "-", hit.kind,
                                      " ".join(hit.snippet.split()))):
                item = QTableWidgetItem(text)
                item.setData(Qt.UserRole, (hit.assessment_uuid, hit.item_code))
                self.results.setItem(r, c, item)
        self.results.resizeColumnsToContents()
        self.summary.setText(matches_text(found))

    def _activated(self, index) -> None:
        item = self.results.item(index.row(), 0)
        if item is not None:
            uuid, code = item.data(Qt.UserRole)
            self.open_unit.emit(uuid, code or "")
