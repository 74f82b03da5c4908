"""The navigation tree: stages → sections → items, each with its status in words.

Each status also has a mark (✓ ◐ ○ –) drawn as text, so it follows the system
font size and high-contrast palette; screen readers are given the words alone.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from ..framework import Framework
from ..records import Response
from ..scoring import ItemResult, Score
from .messages import plain_tooltip

NOT_STARTED, IN_PROGRESS, RATED, EXEMPT = "Not started", "In progress", "Rated", "Exempt"
STATUS_MARKS = {RATED: "\u2713", IN_PROGRESS: "\u25d0", NOT_STARTED: "\u25cb", EXEMPT: "\u2013"}


def item_status(framework: Framework, result: ItemResult, response: Response | None,
                has_evidence: bool, has_actions: bool) -> tuple[str, str]:
    """(status word, status text with the rating) for one item."""
    if not result.required:
        return EXEMPT, EXEMPT
    if result.rating is not None:
        label = framework.scale_point(result.rating).label
        if result.rating_source == "assessor":
            return RATED, f"Rated: {label} (assessor)"
        return RATED, f"Rated: {label}"
    started = has_evidence or has_actions or bool(
        response and (response.narrative.strip() or response.unit_exempt or response.strands))
    status = IN_PROGRESS if started else NOT_STARTED
    if response and response.unit_exempt:
        return status, f"{status} (exemption requested)"
    return status, status


class NavTree(QTreeWidget):
    item_selected = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setColumnCount(2)
        self.setHeaderLabels(["Indicator", "Status"])
        self.setAccessibleName("Indicators")
        self.setAccessibleDescription("Choose an indicator to work on; its status is in the "
                                      "second column")
        # the name takes the room; the status column keeps one width (set in
        # resizeEvent) and elides a long status, whose whole text is its tooltip
        self.header().setSectionResizeMode(0, QHeaderView.Stretch)
        self.header().setSectionResizeMode(1, QHeaderView.Fixed)
        self.header().setStretchLastSection(False)
        self.setTextElideMode(Qt.ElideRight)
        self.setUniformRowHeights(True)
        self._items: dict[str, QTreeWidgetItem] = {}
        self._order: list[str] = []
        self.currentItemChanged.connect(self._current_changed)

    def build(self, framework: Framework, score: Score) -> None:
        self.clear()
        self._items.clear()
        self._order = []
        stage_nodes = {}
        section_nodes = {}
        for result in score.items:
            item = result.item
            if item.stage not in stage_nodes:
                stage = framework.stage(item.stage)
                node = QTreeWidgetItem(self, [f"{stage.title} ({framework.label('stage').lower()})", ""])
                node.setFlags(Qt.ItemIsEnabled)
                node.setExpanded(True)
                stage_nodes[item.stage] = node
            key = (item.stage, item.section)
            if key not in section_nodes:
                section = framework.section(item.section)
                node = QTreeWidgetItem(stage_nodes[item.stage], [section.title, ""])
                node.setFlags(Qt.ItemIsEnabled)
                node.setExpanded(True)
                section_nodes[key] = node
            row = QTreeWidgetItem(section_nodes[key], [f"{item.code}  {item.theme or item.text[:50]}", ""])
            row.setData(0, Qt.UserRole, item.code)
            row.setToolTip(0, plain_tooltip(item.text))     # a file's framework: as written
            self._items[item.code] = row
            self._order.append(item.code)
        self.expandAll()

    def set_status(self, code: str, status: str, text: str, note: str = "") -> None:
        """``note``: a coordinator's flag shown first ("Further evidence requested")."""
        row = self._items.get(code)
        if row is None:
            return
        # shown short (the ✓ says "rated"); the words in full for the tooltip and screen readers
        short = text.removeprefix(RATED + ': ')
        if note:
            text, short = f"{note}. {text}", f"{note}. {short}"
        row.setText(1, f"{STATUS_MARKS[status]} {short}")
        row.setToolTip(1, text)
        row.setData(1, Qt.AccessibleTextRole, text)
        row.setData(1, Qt.UserRole, text)
        row.setData(0, Qt.AccessibleTextRole, f"{row.text(0)}, {text}")

    def status_width(self) -> int:
        """The status column's width: "✓ Not very satisfactory", at most 35% of the tree."""
        wanted = self.fontMetrics().horizontalAdvance("\u2713 Not very satisfactory") + 16
        return max(60, min(wanted, int(self.viewport().width() * 0.35)))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.header().resizeSection(1, self.status_width())

    def status_text(self, code: str) -> str:
        """The status in words, as a screen reader hears it (without the mark)."""
        return self._items[code].data(1, Qt.UserRole) or ""

    def select(self, code: str) -> None:
        row = self._items.get(code)
        if row is not None:
            self.setCurrentItem(row, 0)
            self.scrollToItem(row)

    def current_code(self) -> str | None:
        row = self.currentItem()
        return row.data(0, Qt.UserRole) if row else None

    def codes(self) -> list[str]:
        return list(self._order)

    def neighbour(self, step: int) -> str | None:
        visible = [c for c in self._order if not self._items[c].isHidden()]
        if not visible:
            return None
        current = self.current_code()
        if current not in visible:
            return visible[0]
        index = visible.index(current) + step
        return visible[index] if 0 <= index < len(visible) else None

    def filter(self, text: str) -> list[str]:
        """Show only items whose code or wording contains ``text``; returns the matches."""
        wanted = text.strip().casefold()
        matches = []
        for code, row in self._items.items():
            hit = not wanted or wanted in row.text(0).casefold() or wanted in row.toolTip(0).casefold()
            row.setHidden(not hit)
            if hit:
                matches.append(code)
        for index in range(self.topLevelItemCount()):
            stage = self.topLevelItem(index)
            for section_index in range(stage.childCount()):
                section = stage.child(section_index)
                section.setHidden(all(section.child(i).isHidden() for i in range(section.childCount())))
        return matches

    def _current_changed(self, current: QTreeWidgetItem | None, _previous) -> None:
        if current is not None:
            code = current.data(0, Qt.UserRole)
            if code:
                self.item_selected.emit(code)
