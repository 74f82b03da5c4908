"""The indicator page: wording, rating, exemption, narrative, strands, evidence, actions.

The page shows one item and reports what the user asks for through signals;
the assessment view turns those into undoable writes.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QButtonGroup, QCheckBox, QHeaderView,
                               QListWidgetItem, QRadioButton, QTableWidgetItem, QWidget)

from ..framework import Framework, Item
from ..records import Action, Evidence, Response
from ..scoring import ItemResult
from ..store import ACTION_STATUS_LABELS
from ..strands import STRANDS, strand_label
from .messages import plain_tooltip
from .shortcuts import widget_shortcut
from .forms.ui_indicator_page import Ui_IndicatorPage

NARRATIVE_SAVE_DELAY_MS = 400
NOT_RATED = "__not_rated__"
KIND_LABELS = {"file": "File", "link": "Link", "note": "Note"}


def human_size(size: int | None) -> str:
    if size is None:
        return "size unknown"
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def evidence_text(evidence: Evidence) -> str:
    kind = KIND_LABELS[evidence.kind]
    if evidence.kind == "file":
        extra = human_size(evidence.size)
        if not evidence.has_body:
            extra += ", file not in this assessment"
        detail = f"{evidence.file_name} ({extra})"
        return f"{kind}: {evidence.title}" + (f" — {detail}" if evidence.title != evidence.file_name
                                              else f" ({extra})")
    if evidence.kind == "link":
        return f"{kind}: {evidence.title}" + ("" if evidence.title == evidence.body
                                              else f" — {evidence.body}")
    first_line = evidence.body.splitlines()[0] if evidence.body else ""
    return f"{kind}: {evidence.title or first_line[:60]}"


class IndicatorPage(QWidget):
    rating_chosen = Signal(str, object)           # code, rating id or None
    narrative_edited = Signal(str, str)           # code, text (after a pause in typing)
    exemption_requested = Signal(str, str)        # code, reason
    exemption_withdrawn = Signal(str)
    strands_changed = Signal(str, list)
    attach_files = Signal(str, list)              # code, [Path]
    add_link = Signal(str)
    add_note = Signal(str)
    open_evidence = Signal(str)                   # evidence uuid
    remove_evidence = Signal(str)
    add_action = Signal(str)
    edit_action = Signal(str)                     # action uuid
    remove_action = Signal(str)
    pending_changed = Signal()                    # an edit started or was sent

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.ui = Ui_IndicatorPage()
        self.ui.setupUi(self)
        self.code: str | None = None
        self._loading = False
        self._editable = True
        heading = QFont(self.font())
        heading.setPointSizeF(heading.pointSizeF() * 1.4)
        heading.setBold(True)
        self.ui.codeLabel.setFont(heading)
        italic = QFont(self.font())
        italic.setItalic(True)
        self.ui.wordingNoteLabel.setFont(italic)
        self.ui.lockedLabel.setFont(italic)

        self.rating_group = QButtonGroup(self)
        self.rating_buttons: dict[str, QRadioButton] = {}
        self._meanings: dict[str, str] = {}
        self.rating_group.idClicked.connect(self._rating_clicked)
        self.ui.ratingGroup.installEventFilter(self)      # Alt+R: the checked rating, not the last

        self.strand_boxes: dict[str, QCheckBox] = {}
        for index, (strand_id, label) in enumerate(STRANDS):
            box = QCheckBox(label, self.ui.strandsGroup)
            box.setAccessibleName(f"Serves {label.lower()}")
            box.toggled.connect(self._strands_toggled)
            self.ui.strandsLayout.addWidget(box, index // 3, index % 3)
            self.strand_boxes[strand_id] = box

        self._narrative_timer = QTimer(self)
        self._narrative_timer.setSingleShot(True)
        self._narrative_timer.setInterval(NARRATIVE_SAVE_DELAY_MS)
        self._narrative_timer.timeout.connect(self.flush)
        self.ui.narrativeEdit.textChanged.connect(self._narrative_typed)
        self.ui.exemptCheck.toggled.connect(self._exempt_toggled)
        self.ui.reasonEdit.editingFinished.connect(self._reason_finished)
        self.ui.reasonEdit.textEdited.connect(lambda _: self.pending_changed.emit())
        self._shown_reason = ""           # the reason as last shown or sent
        self._shown_rating: str | None = None

        table = self.ui.actionsTable
        table.setColumnCount(4)
        table.setHorizontalHeaderLabels(["Action", "Owner", "Due", "Status"])
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        table.verticalHeader().setVisible(False)
        table.setSelectionBehavior(QAbstractItemView.SelectRows)

        self.ui.attachButton.clicked.connect(lambda: self.attach_files.emit(self.code, []))
        self.ui.linkButton.clicked.connect(lambda: self.add_link.emit(self.code))
        self.ui.noteButton.clicked.connect(lambda: self.add_note.emit(self.code))
        self.ui.openEvidenceButton.clicked.connect(self._open_selected_evidence)
        self.ui.removeEvidenceButton.clicked.connect(self._remove_selected_evidence)
        self.ui.evidenceList.itemActivated.connect(lambda item: self.open_evidence.emit(item.data(Qt.UserRole)))
        self.ui.evidenceList.currentRowChanged.connect(lambda _: self._update_buttons())
        self.ui.addActionButton.clicked.connect(lambda: self.add_action.emit(self.code))
        self.ui.editActionButton.clicked.connect(self._edit_selected_action)
        self.ui.removeActionButton.clicked.connect(self._remove_selected_action)
        self.ui.actionsTable.itemActivated.connect(lambda _: self._edit_selected_action())
        self.ui.actionsTable.itemSelectionChanged.connect(self._update_buttons)
        widget_shortcut(self.ui.evidenceList, QKeySequence(QKeySequence.Delete),
                        self._remove_selected_evidence)
        widget_shortcut(self.ui.actionsTable, QKeySequence(QKeySequence.Delete),
                        self._remove_selected_action)
        self.ui.evidenceList.files_dropped.connect(self._files_dropped)

    # -- building for a framework ------------------------------------------------

    def set_scale(self, framework: Framework, meanings: dict[str, str] | None = None) -> None:
        """The rating choices; ``meanings`` (scale point id → what it means) for tooltips."""
        for button in self.rating_buttons.values():
            self.rating_group.removeButton(button)
            button.deleteLater()
        self.rating_buttons.clear()
        points = [(NOT_RATED, "Not rated")] + [(p.id, p.label) for p in framework.scale]
        self._meanings = {NOT_RATED: "No rating chosen yet; the indicator counts as not rated.",
                          **{p.id: (meanings or {}).get(p.id) or p.meaning for p in framework.scale}}
        for index, (rating_id, label) in enumerate(points):
            button = QRadioButton(label, self.ui.ratingGroup)
            button.setAccessibleName(f"Self-rating: {label}")
            meaning = self._meanings.get(rating_id, "")
            if meaning:
                button.setToolTip(plain_tooltip(meaning))
                button.setAccessibleDescription(meaning)
            button.toggled.connect(lambda on, r=rating_id: on and self._show_meaning(r))
            self.rating_group.addButton(button, index)
            self.ui.ratingLayout.addWidget(button, 0, Qt.AlignLeft)
            button.installEventFilter(self)
            self.rating_buttons[rating_id] = button
        self._rating_ids = [rating_id for rating_id, _ in points]
        # tab order follows the page: ratings, exemption, narrative, strands, evidence, actions
        chain = [*self.rating_buttons.values(), self.ui.exemptCheck, self.ui.reasonEdit,
                 self.ui.narrativeEdit, *self.strand_boxes.values(), self.ui.evidenceList]
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)

    def _show_meaning(self, rating_id: str) -> None:
        """The line beneath the scale: what the chosen (or focused) level means."""
        meaning = self._meanings.get(rating_id, "")
        label = "Not rated" if rating_id == NOT_RATED else self.rating_buttons[rating_id].text()
        self.ui.ratingMeaningLabel.setText(f"{label}: {meaning}" if meaning else "")

    # -- showing an item ------------------------------------------------------------

    def show_coordinator(self, record) -> None:
        """The coordinators' comment and request for this item (from their feedback),
        read-only, after the assessor's rating."""
        label = self.ui.assessorLabel
        base = label.property("esatBase")
        if base is None or not label.text().startswith(base):
            base = label.text()
        label.setProperty("esatBase", base)
        extra = []
        if record is not None and record.further_evidence:
            extra.append(f"Further evidence requested: {record.comment or '(no details)'}")
        elif record is not None and record.comment:
            extra.append(f"Coordinator's comment: {record.comment}")
        if record is not None and record.exemption_decision is not None and record.exemption_reason:
            extra.append(f"Exemption {'granted' if record.exemption_decision else 'refused'}: "
                         f"{record.exemption_reason}")
        label.setText(" ".join([base, *extra]))

    def show_item(self, framework: Framework, item: Item, result: ItemResult,
                  response: Response | None, evidence: list[Evidence], actions: list[Action],
                  *, editable: bool, locked_reason: str, unit_type_label: str) -> None:
        if self.code != item.code:
            self.flush()
        self._loading = True
        try:
            self._editable = editable
            self.ui.evidenceList.takes_files = editable
            self.ui.codeLabel.setText(f"{item.code} · {item.theme or framework.label('item')}")
            stage = framework.stage(item.stage)
            self.ui.contextLabel.setText(
                f"{framework.abbreviation} {framework.version} · {stage.title} "
                f"{framework.label('stage').lower()} · {framework.section(item.section).title}")
            self.ui.wordingLabel.setText(item.text)
            note = item.wording_note
            self.ui.wordingNoteLabel.setText(f"Note: {note}" if note else "")
            self.ui.wordingNoteLabel.setVisible(bool(note))

            type_exempt = result.exempt_by == "type"
            if type_exempt:
                locked = (f"Exempt: {unit_type_label}s do not assess this "
                          f"{framework.label('item').lower()} ({result.exempt_reason}).")
            else:
                locked = locked_reason
            self.ui.lockedLabel.setText(locked)
            self.ui.lockedLabel.setVisible(bool(locked))

            rating = response.self_rating if response else None
            self.rating_buttons[rating or NOT_RATED].setChecked(True)
            self._shown_rating = rating
            if response and response.assessor_rating:
                label = framework.scale_point(response.assessor_rating).label
                who = f" by {response.assessor_name}" if response.assessor_name else ""
                self.ui.assessorLabel.setText(f"Assessor's rating{who}: {label}. "
                                              "The assessor's rating is the one that counts.")
            else:
                self.ui.assessorLabel.setText("Assessor's rating: not yet rated by a coordinator.")

            requested = bool(response and response.unit_exempt)
            reason = response.unit_exemption_reason if response else ""
            same_item = self.code == item.code
            if not (same_item and self._reason_pending()):      # never undo what is being typed
                self.ui.exemptCheck.setChecked(requested)
                self.ui.reasonEdit.setText(reason)
                self._shown_reason = reason
            self._show_exemption_status(result, response)

            text = response.narrative if response else ""
            typing = self.code == item.code and self._pending_narrative is not None
            if not typing and self.ui.narrativeEdit.toPlainText() != text:
                self.ui.narrativeEdit.setPlainText(text)
            self.code = item.code
            strands = set(response.strands) if response else set()
            for strand_id, box in self.strand_boxes.items():
                box.setChecked(strand_id in strands)
            self._show_evidence(evidence)
            self._show_actions(actions)

            for widget in (self.ui.ratingGroup, self.ui.exemptionGroup):
                widget.setEnabled(editable and not type_exempt)
            for widget in (self.ui.strandsGroup, self.ui.attachButton, self.ui.linkButton,
                           self.ui.noteButton, self.ui.addActionButton):
                widget.setEnabled(editable)
            self.ui.narrativeEdit.setReadOnly(not editable)
            self._update_buttons()
        finally:
            self._loading = False

    def _show_exemption_status(self, result: ItemResult, response: Response | None) -> None:
        if result.exempt_by == "coordinator":
            status = f"Exemption granted by a coordinator: {result.exempt_reason}"
        elif response and response.coord_exempt is False:
            status = ("A coordinator refused the exemption"
                      + (f": {response.coord_exemption_reason}" if response.coord_exemption_reason else "."))
        elif response and response.unit_exempt:
            status = ("Exemption requested. It counts once a coordinator grants it; until then "
                      "the indicator is still required.")
        elif self.ui.exemptCheck.isChecked():
            status = "Give a reason to request the exemption."
        else:
            status = ""
        self.ui.exemptionStatusLabel.setText(status)
        self.ui.exemptionStatusLabel.setVisible(bool(status))
        self.ui.reasonEdit.setEnabled(self.ui.exemptCheck.isChecked())

    def _show_evidence(self, evidence: list[Evidence]) -> None:
        current = self.ui.evidenceList.currentItem()
        keep = current.data(Qt.UserRole) if current else None
        self.ui.evidenceList.clear()
        for entry in evidence:
            text = evidence_text(entry)
            if entry.strands:
                text += f"  [{', '.join(strand_label(s) for s in entry.strands)}]"
            row = QListWidgetItem(text)
            row.setData(Qt.UserRole, entry.uuid)
            row.setData(Qt.AccessibleTextRole, text)
            row.setToolTip(plain_tooltip(entry.body if entry.kind != "file"
                                         else entry.file_name))      # never as HTML
            self.ui.evidenceList.addItem(row)
            if entry.uuid == keep:
                self.ui.evidenceList.setCurrentItem(row)
        if not evidence:
            self.ui.evidenceList.setCurrentRow(-1)

    def _show_actions(self, actions: list[Action]) -> None:
        table = self.ui.actionsTable
        table.setRowCount(len(actions))
        for row, action in enumerate(actions):
            cells = [action.description, action.owner or "—", action.due_on or "—",
                     ACTION_STATUS_LABELS[action.status]]
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setData(Qt.UserRole, action.uuid)
                table.setItem(row, column, cell)
        table.resizeColumnsToContents()
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)

    def _update_buttons(self) -> None:
        has_evidence = self.ui.evidenceList.currentItem() is not None
        self.ui.openEvidenceButton.setEnabled(has_evidence)
        self.ui.removeEvidenceButton.setEnabled(has_evidence and self._editable)
        has_action = bool(self.ui.actionsTable.selectedItems())
        self.ui.editActionButton.setEnabled(has_action and self._editable)
        self.ui.removeActionButton.setEnabled(has_action and self._editable)

    # -- user input -----------------------------------------------------------------

    def focus_first_field(self) -> None:
        checked = self.rating_group.checkedButton()
        if checked is not None and checked.isEnabled():
            checked.setFocus(Qt.TabFocusReason)
        else:
            self.ui.narrativeEdit.setFocus(Qt.TabFocusReason)

    def flush(self) -> None:
        """Send every change not yet sent: the narrative being typed, the reason being typed."""
        self._narrative_timer.stop()
        if self.code is not None and self._pending_narrative is not None:
            text, self._pending_narrative = self._pending_narrative, None
            self.narrative_edited.emit(self.code, text)
        if self._reason_pending():
            self._reason_finished()
        self.pending_changed.emit()

    def has_pending(self) -> bool:
        """True while an edit is shown on the page but not yet sent to be saved."""
        return self._pending_narrative is not None or self._reason_pending()

    def _reason_pending(self) -> bool:
        return (self.code is not None and self._editable and self.ui.exemptCheck.isChecked()
                and bool(self.ui.reasonEdit.text().strip())
                and self.ui.reasonEdit.text().strip() != self._shown_reason)

    _pending_narrative: str | None = None

    def _narrative_typed(self) -> None:
        if self._loading or self.ui.narrativeEdit.isReadOnly():
            return
        self._pending_narrative = self.ui.narrativeEdit.toPlainText()
        self._narrative_timer.start()
        self.pending_changed.emit()

    def set_narrative_quietly(self, text: str) -> None:
        self._loading = True
        try:
            self.ui.narrativeEdit.setPlainText(text)
        finally:
            self._loading = False

    def _rating_clicked(self, button_id: int) -> None:
        if self._loading or self.code is None:
            return
        rating = self._rating_ids[button_id]
        rating = None if rating == NOT_RATED else rating
        if rating == self._shown_rating:
            return
        self._shown_rating = rating
        self.rating_chosen.emit(self.code, rating)

    def _exempt_toggled(self, checked: bool) -> None:
        self.ui.reasonEdit.setEnabled(checked)
        if self._loading or self.code is None:
            return
        if checked:
            reason = self.ui.reasonEdit.text().strip()
            if reason:
                self._shown_reason = reason
                self.exemption_requested.emit(self.code, reason)
            else:
                self.ui.exemptionStatusLabel.setText("Give a reason to request the exemption; "
                                                     "nothing is requested until you do.")
                self.ui.exemptionStatusLabel.setVisible(True)
                self.ui.reasonEdit.setFocus()
        else:
            self._shown_reason = ""
            self.exemption_withdrawn.emit(self.code)

    def _reason_finished(self) -> None:
        if self._loading or self.code is None or not self.ui.exemptCheck.isChecked():
            return
        reason = self.ui.reasonEdit.text().strip()
        if reason and reason != self._shown_reason:
            self._shown_reason = reason
            self.exemption_requested.emit(self.code, reason)
            self.pending_changed.emit()

    def _strands_toggled(self) -> None:
        if self._loading or self.code is None:
            return
        self.strands_changed.emit(self.code, [s for s, box in self.strand_boxes.items()
                                              if box.isChecked()])

    def _selected_evidence(self) -> str | None:
        item = self.ui.evidenceList.currentItem()
        return item.data(Qt.UserRole) if item else None

    def _open_selected_evidence(self) -> None:
        uuid = self._selected_evidence()
        if uuid:
            self.open_evidence.emit(uuid)

    def _remove_selected_evidence(self) -> None:
        uuid = self._selected_evidence()
        if uuid and self._editable:
            self.remove_evidence.emit(uuid)

    def _selected_action(self) -> str | None:
        items = self.ui.actionsTable.selectedItems()
        return items[0].data(Qt.UserRole) if items else None

    def _edit_selected_action(self) -> None:
        uuid = self._selected_action()
        if uuid and self._editable:
            self.edit_action.emit(uuid)

    def _remove_selected_action(self) -> None:
        uuid = self._selected_action()
        if uuid and self._editable:
            self.remove_action.emit(uuid)

    # -- dropping files on the evidence list ---------------------------------------

    def _move_rating(self, button: QRadioButton, step: int) -> None:
        """Arrow keys move through the rating choices as a list and choose."""
        buttons = list(self.rating_buttons.values())
        index = buttons.index(button) + step
        if 0 <= index < len(buttons):
            target = buttons[index]
            target.setFocus(Qt.OtherFocusReason)
            target.click()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.ui.ratingGroup and event.type() == QEvent.Shortcut:
            self.focus_first_field()
            return True
        if event.type() == QEvent.FocusIn and watched in self.rating_buttons.values():
            self._show_meaning(next(r for r, b in self.rating_buttons.items() if b is watched))
        elif event.type() == QEvent.FocusOut and watched in self.rating_buttons.values():
            checked = self.rating_group.checkedButton()
            if checked is not None:
                self._show_meaning(next(r for r, b in self.rating_buttons.items() if b is checked))
        if event.type() == QEvent.KeyPress and watched in self.rating_buttons.values():
            step = {Qt.Key_Down: 1, Qt.Key_Right: 1, Qt.Key_Up: -1, Qt.Key_Left: -1}.get(event.key())
            if step is not None and event.modifiers() == Qt.NoModifier:
                self._move_rating(watched, step)
                return True
        return super().eventFilter(watched, event)

    def _files_dropped(self, paths: list[Path]) -> None:
        if self.code and self._editable:
            self.attach_files.emit(self.code, paths)
