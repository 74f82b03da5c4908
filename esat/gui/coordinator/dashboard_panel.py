"""The organisation and area dashboard: every figure is :func:`esat.central.dashboard.dashboard`'s."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QGridLayout, QHBoxLayout, QLabel,
                               QPushButton, QScrollArea, QSpinBox, QTableView, QVBoxLayout,
                               QWidget)

from ...central.dashboard import Dashboard, dashboard
from ...moderation import Moderation
from .bar_chart import ChartWithData
from .read_when_shown import ReadWhenShown
from .text_table import TextTableModel


def _pct(value) -> str:
    return "n/a" if value is None else f"{value}%"


class DashboardPanel(ReadWhenShown):
    def __init__(self, document, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.data: Dashboard | None = None
        self.setAccessibleName("Organisation and area dashboard")
        outer = QVBoxLayout(self)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        inner = QWidget(scroll)
        scroll.setWidget(inner)
        outer.addWidget(scroll)
        layout = QVBoxLayout(inner)
        self.kpi = QLabel("", inner)
        self.kpi.setTextFormat(Qt.PlainText)     # a file's text, never HTML
        self.kpi.setWordWrap(True)
        self.kpi.setAccessibleName("The KPI against the financial year's target")
        layout.addWidget(self.kpi)
        target_row = QHBoxLayout()
        self.target = QSpinBox(inner)
        self.target.setRange(0, 100)
        self.target.setSuffix("%")
        self.target.setAccessibleName("KPI target for the financial year")
        self.target_label = QLabel("KPI &target:", inner)
        self.target_label.setBuddy(self.target)
        self.set_target_button = QPushButton("Set Tar&get", inner)
        self.set_target_button.setAccessibleName("Set the KPI target for the financial year")
        self.set_target_button.clicked.connect(self.set_target)
        target_row.addWidget(self.target_label)
        target_row.addWidget(self.target)
        target_row.addWidget(self.set_target_button)
        target_row.addStretch(1)
        layout.addLayout(target_row)
        self.mean = QLabel("", inner)
        self.mean.setTextFormat(Qt.PlainText)     # a file's text, never HTML
        self.mean.setAccessibleName("Average score")
        layout.addWidget(self.mean)
        grid = QGridLayout()
        self.areas = ChartWithData("Units meeting the baseline, by area",
                                   ["Area", "Units", "Assessed", "Meeting", "KPI", "Average"],
                                   inner)
        self.distribution = ChartWithData("Distribution of scores", ["Score", "Units"], inner)
        self.sections = ChartWithData("Units meeting the baseline, by section",
                                      ["Section", "Assessed", "Meeting", "Share"], inner)
        self.indicators = ChartWithData("Strongest and weakest indicators",
                                        ["Indicator", "Which", "Met in", "Required in", "Share"],
                                        inner)
        grid.addWidget(self.areas, 0, 0)
        grid.addWidget(self.distribution, 0, 1)
        grid.addWidget(self.sections, 1, 0)
        grid.addWidget(self.indicators, 1, 1)
        layout.addLayout(grid)
        self.pairings_label = QLabel("Pairing suggestions: units weak on an indicator, and "
                                     "units strong on it to learn from (same area first)", inner)
        layout.addWidget(self.pairings_label)
        self.pairings_model = TextTableModel(("Unit", "Indicator", "Could learn from"), self)
        self.pairings = QTableView(inner)
        self.pairings.setModel(self.pairings_model)
        self.pairings.setAccessibleName("Pairing suggestions")
        self.pairings.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.pairings.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.pairings.verticalHeader().setDefaultSectionSize(
            self.pairings.fontMetrics().height() + 8)     # no per-row size asked of the model
        self.pairings.horizontalHeader().setStretchLastSection(True)
        self.pairings.setMinimumHeight(200)
        layout.addWidget(self.pairings)
        layout.addStretch(1)
        self.watch(document)

    def read(self) -> None:
        reads = self.document.reads
        self.document.read(lambda store: dashboard(store, reads.scored(store)), self.show_data)

    def show_data(self, data: Dashboard) -> None:
        self.data = data
        self.kpi.setText(data.kpi.statement())
        year = data.financial_year
        self.target.setValue(data.targets.get(year, 0))
        self.target.setEnabled(bool(year) and self.document.editable)
        self.set_target_button.setEnabled(bool(year) and self.document.editable)
        self.target_label.setText(f"KPI &target for FY{year}:" if year else "KPI &target:")
        self.mean.setText(f"Average score: {_pct(data.mean_percent)}")
        self.areas.set_data(
            [[a.area, str(a.kpi.units), str(a.kpi.assessed), str(a.kpi.meeting),
              _pct(a.kpi.percent), _pct(a.mean_percent)] for a in data.areas],
            [(a.area, a.kpi.meeting, f"{a.kpi.meeting} of {a.kpi.assessed} ({_pct(a.kpi.percent)})")
             for a in data.areas], max([a.kpi.assessed for a in data.areas] + [1]))
        self.distribution.set_data([[band, str(n)] for band, n in data.distribution],
                                   [(band, n, str(n)) for band, n in data.distribution])
        self.sections.set_data(
            [[s.section.title, str(s.assessed), str(s.meeting), _pct(s.percent)]
             for s in data.sections],
            [(s.section.title, s.percent or 0, _pct(s.percent)) for s in data.sections], 100)
        rows, bars = [], []
        for which, group in (("strongest", data.strongest), ("weakest", data.weakest)):
            for f in group:
                rows.append([f.item.code, which, str(f.met_in), str(f.required_in), f"{f.percent}%"])
                bars.append((f"{f.item.code} ({which})", f.percent, f"{f.percent}%"))
        self.indicators.set_data(rows, bars, 100)
        self.pairings_model.set_rows([
            (f"{p.unit.code} {p.unit.name}", p.item.code,
             ", ".join(f"{u.code} {u.name}" for u in p.partners) or "none yet")
            for p in data.pairings])

    def set_target(self) -> None:
        if self.data is None or not self.data.financial_year:
            return
        year, percent = self.data.financial_year, self.target.value()
        self.document.write(lambda store: Moderation(store).set_kpi_target(year, percent))
