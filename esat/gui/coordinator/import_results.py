"""The result of an import: one row per file, savable as text.

The rows are a model over the outcomes (:class:`OutcomesModel`), made in
O(1) on the main thread: a list of 1,000 files shows at once, and only the
rows on screen are ever formatted.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog, QHeaderView, QLabel,
                               QTableView, QVBoxLayout, QWidget)

from ...central.merge import Outcome
from ..messages import plain_tooltip, show_error


def result_text(outcomes: list[Outcome], total: int) -> str:
    lines = [o.line() for o in outcomes]
    if len(outcomes) < total:
        lines.append(f"cancelled: {total - len(outcomes)} of {total} files were not looked at")
    return "\n".join(lines) + "\n"


def result_summary(outcomes: list[Outcome], total: int) -> str:
    """How many files came to each result, e.g. "998 imported, 2 rejected"."""
    counts: dict[str, int] = {}
    for outcome in outcomes:
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
    summary = ", ".join(f"{n} {status}" for status, n in counts.items()) or "no files"
    if len(outcomes) < total:
        summary += f"; cancelled after {len(outcomes)} of {total} files"
    return summary


HEADERS = ("File", "Result", "Details")
_TEXT_ROLES = (Qt.DisplayRole, Qt.AccessibleTextRole)


class OutcomesModel(QAbstractTableModel):
    """One row per file: its name, the result and the details (the full path as tooltip)."""

    def __init__(self, outcomes: list[Outcome], parent=None):
        super().__init__(parent)
        self.outcomes = outcomes

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.outcomes)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return HEADERS[section]
        return None

    def text(self, row: int, column: int) -> str:
        outcome = self.outcomes[row]
        return (Path(outcome.file).name, outcome.status, outcome.message)[column]

    def data(self, index, role=Qt.DisplayRole):
        if role in _TEXT_ROLES:
            return self.text(index.row(), index.column())
        if role == Qt.ToolTipRole:          # a file's name and words as written, never HTML
            return plain_tooltip(self.outcomes[index.row()].file if index.column() == 0
                                 else self.text(index.row(), index.column()))
        return None


class ImportResults(QDialog):
    """Shown (not modal) after an import; Save writes the list as a text file.

    ``summary``: the counts as :func:`result_summary` words them (worked out on the
    worker by the import; made here when not given)."""

    def __init__(self, outcomes: list[Outcome], total: int, parent: QWidget | None = None,
                 *, summary: str | None = None):
        super().__init__(parent)
        self.outcomes = outcomes
        self.total = total
        self.setWindowTitle("Import unit files: result")
        self.setAccessibleName("Import result")
        layout = QVBoxLayout(self)
        self.summary = QLabel(summary if summary is not None
                              else result_summary(outcomes, total), self)
        layout.addWidget(self.summary)
        self.model = OutcomesModel(outcomes, self)
        self.table = QTableView(self)
        self.table.setAccessibleName("One row per file imported")
        self.table.setModel(self.model)
        self.table.setEditTriggers(QTableView.NoEditTriggers)
        self.table.setSelectionBehavior(QTableView.SelectRows)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setDefaultSectionSize(22)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Interactive)
        header.setSectionResizeMode(2, QHeaderView.Stretch)
        # widths from the first rows' texts (as resizeColumnsToContents would measure them,
        # without asking the model for every role of every cell)
        metrics = self.table.fontMetrics()
        for column in (0, 1):
            texts = [HEADERS[column]] + [self.model.text(row, column)
                                         for row in range(min(60, len(outcomes)))]
            self.table.setColumnWidth(column, min(360, 24 + max(
                metrics.horizontalAdvance(text) for text in texts)))
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
