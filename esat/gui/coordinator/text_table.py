"""A read-only table of text rows: a model over plain tuples of strings.

Used where a table would otherwise hold one QTableWidgetItem per cell (27,000 for
the pairing suggestions of 1,000 units): a tuple of strings is one object, which
Python's garbage collector stops tracking, and the view asks only for the cells it
shows.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from ..messages import plain_tooltip


class TextTableModel(QAbstractTableModel):
    def __init__(self, headers: tuple[str, ...], parent=None):
        super().__init__(parent)
        self.headers = headers
        self.rows: list[tuple[str, ...]] = []

    def set_rows(self, rows: list[tuple[str, ...]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if role == Qt.DisplayRole and orientation == Qt.Horizontal:
            return self.headers[section]
        return None

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        if role in (Qt.DisplayRole, Qt.AccessibleTextRole):
            return self.rows[index.row()][index.column()]
        if role == Qt.ToolTipRole:
            return plain_tooltip(self.rows[index.row()][index.column()])
        return None
