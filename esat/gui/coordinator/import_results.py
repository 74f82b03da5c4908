"""The result of an import: one row per file, savable as text."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog, QHeaderView, QLabel,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from ...central.merge import Outcome
from ..messages import show_error


def result_text(outcomes: list[Outcome], total: int) -> str:
    lines = [o.line() for o in outcomes]
    if len(outcomes) < total:
        lines.append(f"cancelled: {total - len(outcomes)} of {total} files were not looked at")
    return "\n".join(lines) + "\n"


class ImportResults(QDialog):
    """Shown (not modal) after an import; Save writes the list as a text file."""

    def __init__(self, outcomes: list[Outcome], total: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.outcomes = outcomes
        self.total = total
        self.setWindowTitle("Import unit files: result")
        self.setAccessibleName("Import result")
        layout = QVBoxLayout(self)
        counts: dict[str, int] = {}
        for outcome in outcomes:
            counts[outcome.status] = counts.get(outcome.status, 0) + 1
        summary = ", ".join(f"{n} {status}" for status, n in counts.items()) or "no files"
        if len(outcomes) < total:
            summary += f"; cancelled after {len(outcomes)} of {total} files"
        self.summary = QLabel(summary, self)
        layout.addWidget(self.summary)
        self.table = QTableWidget(len(outcomes), 3, self)
        self.table.setAccessibleName("One row per file imported")
        self.table.setHorizontalHeaderLabels(["File", "Result", "Details"])
        for row, outcome in enumerate(outcomes):
            for column, text in enumerate((Path(outcome.file).name, outcome.status,
                                           outcome.message)):
                item = QTableWidgetItem(text)
                item.setToolTip(outcome.file if column == 0 else text)
                self.table.setItem(row, column, item)
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.Stretch)
        self.table.horizontalHeader().setResizeContentsPrecision(60)
        self.table.resizeColumnsToContents()
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Close, self)
        buttons.button(QDialogButtonBox.Save).setText("Save &List…")
        buttons.button(QDialogButtonBox.Save).setAccessibleName("Save the list")
        buttons.button(QDialogButtonBox.Close).setAccessibleName("Close")
        buttons.button(QDialogButtonBox.Save).clicked.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(900, 400)

    def text(self) -> str:
        return result_text(self.outcomes, self.total)

    def save(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Save the import result",
                                              "import-result.txt", "Text (*.txt)")
        if not name:
            return
        try:
            Path(name).write_text(self.text(), encoding="utf-8")
        except OSError as exc:
            show_error(self, "Cannot save the list", f"{name}: {exc.strerror or exc}")
