"""Units × indicators: the rating that counts, in text as well as colour, with a table
mode a screen reader can use (one row per unit and indicator). From
:func:`esat.central.dashboard.heat_map`."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QCheckBox, QLabel, QStackedWidget, QTableView, QVBoxLayout,
                               QWidget)

from ...central.dashboard import HeatMap, heat_map
from .read_when_shown import ReadWhenShown
from .text_table import TextTableModel

UNIT_ROLE = Qt.UserRole + 1


def short(cell) -> str:
    """The text in a grid cell: the rating's words, shortened, and whose (A/S)."""
    if cell is None:
        return ""
    if not cell.required:
        return "n/a"
    if cell.rating is None:
        return "–"
    words = cell.label.replace(" satisfactory", "")
    return f"{words} {'A' if cell.source == 'assessor' else 'S'}"


class GridModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.map: HeatMap | None = None
        self.colours: dict[str, QColor] = {}

    def set_map(self, data: HeatMap) -> None:
        self.beginResetModel()
        self.map = data
        n = max(len(data.scale) - 1, 1)
        # light shades from a warm to a cool hue: the text in each cell says the rating
        self.colours = {sid: QColor.fromHsv(int(20 + 100 * i / n), 70, 250)
                        for i, (sid, _) in enumerate(data.scale)}
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() or self.map is None else len(self.map.units)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() or self.map is None else len(self.map.codes)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if self.map is None or role != Qt.DisplayRole:
            return None
        if orientation == Qt.Horizontal:
            return self.map.codes[section]
        return self.map.units[section][0]

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid() or self.map is None:
            return None
        cell = self.map.cells[index.row()][index.column()]
        unit, code = self.map.units[index.row()], self.map.codes[index.column()]
        if role == Qt.DisplayRole:
            return short(cell)
        if role in (Qt.ToolTipRole, Qt.AccessibleTextRole):
            if cell is None:
                return f"{unit[0]} {code}: not in this unit's framework"
            whose = {"assessor": "assessor's rating", "self": "unit's own rating"}.get(
                cell.source, "")
            return (f"{unit[0]} {code}: {cell.label}" + (f" ({whose})" if whose else "")
                    + ("" if cell.required else ", not required"))
        coloured = cell is not None and cell.required and cell.rating in self.colours
        if role == Qt.BackgroundRole and coloured:
            return self.colours[cell.rating]
        if role == Qt.ForegroundRole and coloured:
            return QColor(Qt.black)
        if role == Qt.TextAlignmentRole:
            return int(Qt.AlignCenter)
        if role == UNIT_ROLE:
            return unit[2], code
        return None


class ListModel(TextTableModel):
    """The table mode: Unit, Name, Indicator, Rating, Whose, Required, Met (each row also
    keeps the assessment's uuid, after the shown columns, for opening the unit)."""

    def __init__(self, parent=None):
        super().__init__(("Unit", "Name", "Indicator", "Rating that counts", "Whose",
                          "Required", "Met"), parent)

    def set_map(self, data: HeatMap) -> None:
        rows = []
        for unit, cells in zip(data.units, data.cells):
            for code, cell in zip(data.codes, cells):
                if cell is not None:
                    whose = {"assessor": "assessor", "self": "unit"}.get(cell.source, "")
                    rows.append((unit[0], unit[1], code, cell.label, whose,
                                 "yes" if cell.required else "no",
                                 "yes" if cell.met else "no", unit[2]))
        self.set_rows(rows)

    def data(self, index, role=Qt.DisplayRole):
        if role == UNIT_ROLE and index.isValid():
            row = self.rows[index.row()]
            return row[7], row[2]
        return super().data(index, role)


class HeatMapPanel(ReadWhenShown):
    open_unit = Signal(str, str)          # assessment uuid, indicator code

    def __init__(self, document, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.setAccessibleName("Indicator heat map")
        layout = QVBoxLayout(self)
        self.legend = QLabel("Each cell: the rating that counts, A = the assessor's, S = the "
                             "unit's own; – not rated; n/a not required. Enter opens the unit "
                             "at the indicator.", self)
        self.legend.setWordWrap(True)
        layout.addWidget(self.legend)
        self.table_mode = QCheckBox("Ta&ble mode (one row per unit and indicator)", self)
        self.table_mode.setAccessibleName("Table mode")
        layout.addWidget(self.table_mode)
        self.stack = QStackedWidget(self)
        self.grid_model = GridModel(self)
        self.list_model = ListModel(self)
        self.grid = QTableView(self.stack)
        self.grid.setModel(self.grid_model)
        self.grid.setAccessibleName("Heat map: units by indicators")
        self.grid.setWordWrap(False)
        self._sized = False
        self.list = QTableView(self.stack)
        self.list.setModel(self.list_model)
        self.list.setAccessibleName("Heat map as a table: one row per unit and indicator")
        for view in (self.grid, self.list):
            view.horizontalHeader().setResizeContentsPrecision(60)     # sizes from 60 rows
            view.setEditTriggers(QTableView.NoEditTriggers)
            view.setTabKeyNavigation(False)
            view.activated.connect(self._activated)
            self.stack.addWidget(view)
        self.table_mode.toggled.connect(
            lambda on: self.stack.setCurrentWidget(self.list if on else self.grid))
        layout.addWidget(self.stack, 1)
        self.watch(document)

    def read(self) -> None:
        reads = self.document.reads
        self.document.read(lambda store: heat_map(store, reads.scored(store)), self.show_map)

    def show_map(self, data: HeatMap) -> None:
        self.grid_model.set_map(data)
        self.list_model.set_map(data)
        if not self._sized and data.units:        # once; then the user's widths stay
            self._sized = True
            widest = max((short(c) for cells in data.cells[:60] for c in cells), key=len,
                         default="")
            self.grid.horizontalHeader().setDefaultSectionSize(
                self.grid.fontMetrics().horizontalAdvance(widest + "MM"))
            self.list.resizeColumnsToContents()

    def _activated(self, index) -> None:
        value = index.data(UNIT_ROLE)
        if value:
            self.open_unit.emit(*value)
