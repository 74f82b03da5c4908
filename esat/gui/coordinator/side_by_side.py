"""A conflict's two submissions side by side: the current one and the incoming one,
indicator by indicator, each row saying in words whether the two differ.

Both contents are read on the central database's worker through the core
(:func:`esat.central.history.received_content`); :func:`side_by_side` turns them
into plain rows (no Qt), and :class:`SideBySideView` shows them.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (QCheckBox, QHeaderView, QLabel, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from ...central.history import received_content
from ...errors import EsatError
from ...framework import Framework
from ...store import Store
from ..messages import plain_tooltip

DIFFERS = "DIFFERS"
SAME = "same"
NO_INDICATOR = "(no indicator)"
COLUMNS = ("Indicator", "What", "Current", "Incoming", "Differs?")
MAX_CELL = 2000            # a cell shows at most this much of a narrative


class SideRow(NamedTuple):
    indicator: str          # "" for the assessment's own rows
    what: str
    current: str
    incoming: str

    @property
    def differs(self) -> bool:
        return self.current != self.incoming


class Sides(NamedTuple):
    """What the view shows for one conflict, read in one job."""

    received_uuid: str
    current_label: str          # the column headers
    incoming_label: str
    sources: str                # which file each came from
    rows: list[SideRow]


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _list(content: dict, key: str) -> list[dict]:
    value = content.get(key) if isinstance(content, dict) else None
    return [r for r in value if isinstance(r, dict)] if isinstance(value, list) else []


def _rating(value: Any, framework: Framework | None) -> str:
    if value in (None, ""):
        return "not rated"
    if framework is not None:
        for point in framework.scale:
            if point.id == value:
                return point.label
    return _text(value)


def _per_indicator(content: dict, framework: Framework | None) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}

    def slot(code: Any) -> dict[str, str]:
        return out.setdefault(_text(code) or NO_INDICATOR, {})

    for r in _list(content, "responses"):
        fields = slot(r.get("item_code"))
        fields["Rating"] = _rating(r.get("self_rating"), framework)
        fields["Narrative"] = _text(r.get("narrative"))
        fields["Exemption requested"] = (
            f"requested: {_text(r.get('unit_exemption_reason')) or '(no reason)'}"
            if r.get("unit_exempt") else "no")
    evidence: dict[str, list[tuple]] = {}
    for e in _list(content, "evidence"):
        shown = f"{_text(e.get('kind'))}: {_text(e.get('title'))}"
        if e.get("kind") == "file" and e.get("file_name"):
            shown += f" ({_text(e.get('file_name'))})"
        position = e.get("position") if isinstance(e.get("position"), int) else 0
        evidence.setdefault(_text(e.get("item_code")) or NO_INDICATOR, []).append((position, shown))
    for code, entries in evidence.items():
        slot(code)["Evidence"] = "; ".join(text for _, text in sorted(entries))
    actions: dict[str, list[str]] = {}
    for a in _list(content, "actions"):
        actions.setdefault(_text(a.get("item_code")) or NO_INDICATOR, []).append(
            f"{_text(a.get('description'))} ({_text(a.get('status')) or 'no status'})")
    for code, entries in actions.items():
        slot(code)["Actions"] = "; ".join(sorted(entries))
    return out


EMPTY = {"Rating": "not rated", "Narrative": "", "Exemption requested": "no", "Evidence": "",
         "Actions": ""}


def side_by_side(current: dict, incoming: dict,
                 framework: Framework | None = None) -> list[SideRow]:
    """Rows for the assessment (revision, period, status, sign-off) and then, indicator by
    indicator in the framework's order, its rating, narrative, exemption request, evidence
    and action titles in the current and the incoming submission."""
    rows = []
    mine = current.get("assessment") if isinstance(current.get("assessment"), dict) else {}
    theirs = incoming.get("assessment") if isinstance(incoming.get("assessment"), dict) else {}
    for key in ("revision", "period", "status"):
        rows.append(SideRow("", key, _text(mine.get(key)), _text(theirs.get(key))))

    def signed(content: dict, revision: Any) -> str:
        """The sign-off of the submission's own revision (earlier ones travel too)."""
        signoffs = _list(content, "signoffs")
        own = [s for s in signoffs if s.get("revision") == revision] or signoffs
        return "; ".join(f"{_text(s.get('name'))} ({_text(s.get('role'))}, "
                         f"{_text(s.get('signed_on'))})" for s in own)

    rows.append(SideRow("", "signed off by", signed(current, mine.get("revision")),
                        signed(incoming, theirs.get("revision"))))
    a, b = _per_indicator(current, framework), _per_indicator(incoming, framework)
    order = [item.code for item in framework.items] if framework is not None else []
    known = set(order)
    codes = [c for c in order if c in a or c in b]
    codes += sorted((set(a) | set(b)) - known, key=lambda c: (c == NO_INDICATOR, c))
    for code in codes:
        for what, empty in EMPTY.items():
            rows.append(SideRow(code, what, a.get(code, {}).get(what, empty),
                                b.get(code, {}).get(what, empty)))
    return rows


def read_sides(store: Store, received_uuid: str) -> Sides:
    """The conflicting submission and the current one of the same assessment, side by side."""
    incoming = received_content(store, received_uuid)
    row = store.db.execute(
        "SELECT c.uuid, c.revision, c.source_name FROM received_submissions r "
        "JOIN received_submissions c ON c.assessment_uuid = r.assessment_uuid "
        "AND c.state = 'current' WHERE r.uuid = ?", [received_uuid]).fetchone()
    current = received_content(store, row[0]) if row else {}
    theirs = store.db.execute("SELECT revision, source_name FROM received_submissions "
                              "WHERE uuid = ?", [received_uuid]).fetchone()
    framework = None
    info = incoming.get("assessment") if isinstance(incoming.get("assessment"), dict) else {}
    try:
        framework = store.framework(str(info.get("framework_id")),
                                    str(info.get("framework_version")))
    except EsatError:          # an unknown framework: codes in plain order, ratings as ids
        framework = None
    current_label = f"Current (revision {row[1]})" if row else "Current (none)"
    incoming_label = f"Incoming (revision {theirs[0]})"
    sources = (f"Current: revision {row[1]} from {row[2]}" if row
               else "Current: nothing applied yet") + f". Incoming: revision {theirs[0]} from {theirs[1]}."
    return Sides(received_uuid, current_label, incoming_label, sources,
                 side_by_side(current, incoming, framework))


class SideBySideView(QWidget):
    """The two submissions in two columns, one row per indicator and field."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.sides: Sides | None = None
        self.setAccessibleName("The two submissions side by side")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.only_differences = QCheckBox("Show only rows that &differ", self)
        self.only_differences.setAccessibleName("Show only the rows where the two submissions differ")
        self.only_differences.toggled.connect(lambda _: self._fill())
        layout.addWidget(self.only_differences)
        self.sources = QLabel("", self)
        self.sources.setTextFormat(Qt.PlainText)     # a file's text, never HTML
        self.sources.setWordWrap(True)
        self.sources.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard)
        self.sources.setAccessibleName("Which file each submission came from")
        layout.addWidget(self.sources)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setAccessibleName("Current and incoming submission, indicator by indicator; "
                                     "the last column says DIFFERS where they differ")
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectRows)
        self.table.setWordWrap(True)
        self.table.setTabKeyNavigation(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Interactive)
        for column in (2, 3):                     # the two submissions share what room there is
            header.setSectionResizeMode(column, QHeaderView.Stretch)
        header.setStretchLastSection(False)
        self._rows_timer = QTimer(self)            # row heights follow the columns' widths
        self._rows_timer.setSingleShot(True)
        self._rows_timer.setInterval(0)
        self._rows_timer.timeout.connect(self.table.resizeRowsToContents)
        header.sectionResized.connect(lambda *_: self._rows_timer.start())
        layout.addWidget(self.table, 1)

    def show_sides(self, sides: Sides | None) -> None:
        self.sides = sides
        self.sources.setText(sides.sources if sides is not None else "")
        if sides is not None:
            self.table.setHorizontalHeaderLabels(
                ["Indicator", "What", sides.current_label, sides.incoming_label, "Differs?"])
        self._fill()

    def shown_rows(self) -> list[SideRow]:
        if self.sides is None:
            return []
        rows = self.sides.rows
        return [r for r in rows if r.differs] if self.only_differences.isChecked() else rows

    def _fill(self) -> None:
        rows = self.shown_rows()
        self.table.setRowCount(len(rows))
        bold = QFont(self.table.font())
        bold.setBold(True)
        for r, row in enumerate(rows):
            mark = DIFFERS if row.differs else SAME
            values = (row.indicator or "assessment", row.what, row.current[:MAX_CELL],
                      row.incoming[:MAX_CELL], mark)
            for c, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setToolTip(plain_tooltip(text) if c in (2, 3) else "")    # never HTML
                if row.differs:
                    item.setFont(bold)
                self.table.setItem(r, c, item)
        for column in (0, 1, 4):
            self.table.resizeColumnToContents(column)
        self.table.resizeRowsToContents()
