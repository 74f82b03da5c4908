"""A plain horizontal bar chart drawn with QPainter (PySide6-Essentials has no QtCharts).

Each bar carries its label and its value in text, so nothing is told by colour
or length alone; the chart's accessible description reads the same data, and a
"Show data" table (:class:`ChartWithData`) shows it to a screen reader.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import (QCheckBox, QSizePolicy, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)


class BarChart(QWidget):
    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.title = title
        self.bars: list[tuple[str, float, str]] = []     # label, value, value as text
        self.maximum = 1.0
        self.setAccessibleName(title)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Preferred)

    def set_bars(self, bars: list[tuple[str, float, str]], maximum: float | None = None) -> None:
        self.bars = bars
        self.maximum = maximum or max([v for _, v, _ in bars] + [1])
        self.setAccessibleDescription("; ".join(f"{label}: {text}" for label, _, text in bars))
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(360, 28 + 22 * max(len(self.bars), 1))

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        palette = self.palette()
        painter.setPen(palette.color(QPalette.WindowText))
        metrics = painter.fontMetrics()
        painter.drawText(QRectF(0, 0, self.width(), 20), Qt.AlignLeft | Qt.AlignVCenter,
                         self.title)
        label_width = max([metrics.horizontalAdvance(label) for label, _, _ in self.bars] + [40]) + 8
        value_width = max([metrics.horizontalAdvance(text) for _, _, text in self.bars] + [30]) + 8
        room = max(self.width() - label_width - value_width, 10)
        for index, (label, value, text) in enumerate(self.bars):
            y = 24 + index * 22
            painter.setPen(palette.color(QPalette.WindowText))
            painter.drawText(QRectF(0, y, label_width - 4, 18), Qt.AlignRight | Qt.AlignVCenter,
                             label)
            length = room * (value / self.maximum if self.maximum else 0)
            painter.fillRect(QRectF(label_width, y + 2, length, 14), palette.color(QPalette.Highlight))
            painter.drawRect(QRectF(label_width, y + 2, length, 14))
            painter.drawText(QRectF(label_width + length + 4, y, value_width, 18),
                             Qt.AlignLeft | Qt.AlignVCenter, text)
        painter.end()


class ChartWithData(QWidget):
    """A chart and, beside it on request, the same data as a table."""

    def __init__(self, title: str, headers: list[str], parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.chart = BarChart(title, self)
        self.show_data = QCheckBox("Show data", self)
        self.show_data.setAccessibleName(f"Show the data of {title.lower()} as a table")
        self.table = QTableWidget(0, len(headers), self)
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setAccessibleName(f"{title}: the data")
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.setVisible(False)
        self.show_data.toggled.connect(self.table.setVisible)
        layout.addWidget(self.chart)
        layout.addWidget(self.show_data)
        layout.addWidget(self.table)

    def set_data(self, rows: list[list[str]], bars: list[tuple[str, float, str]],
                 maximum: float | None = None) -> None:
        self.chart.set_bars(bars, maximum)
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
