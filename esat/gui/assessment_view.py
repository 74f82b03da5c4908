"""The assessment view: navigation tree, indicator page and summary, for one open file.

The view shows the document's snapshot (read on the file's worker after each
write); every change is an undoable command whose write runs on that worker.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence, QUndoStack
from PySide6.QtWidgets import (QFileDialog, QLabel, QLineEdit, QScrollArea, QSizePolicy,
                               QSplitter, QToolButton, QVBoxLayout, QWidget)

from ..errors import EsatError
from ..framework import Framework
from ..records import Assessment
from ..store import Store
from .commands import NarrativeCommand, StoreCommand, captured
from .document import Document, Snapshot
from .messages import confirm, show_error
from .shortcuts import widget_shortcut
from .indicator_page import IndicatorPage
from .nav_tree import NavTree, item_status
from .summary_panel import SummaryPanel


class AssessmentView(QWidget):
    changed = Signal()                  # after any write has been applied

    def __init__(self, *, document: Document, open_folder: Path | None = None,
                 meanings: dict[str, str] | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.path = document.path
        self.open_folder = open_folder or Path(tempfile.gettempdir()) / "esat-opened"
        self.framework: Framework = document.framework
        self._sent_narratives: dict[str, str] = {}
        self._opener = None              # made on first use: opens attachments (a private folder)

        self.find_edit = QLineEdit(self)
        self.find_edit.setPlaceholderText(f"Find {self.framework.label('item').lower()} (Ctrl+F)")
        self.find_edit.setAccessibleName(f"Find {self.framework.label('item').lower()}")
        self.find_edit.setClearButtonEnabled(True)
        for button in self.find_edit.findChildren(QToolButton):
            button.setAccessibleName("Clear the search")
        self.tree = NavTree(self)
        self.tree.setHeaderLabels([self.framework.label("item"), "Status"])
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.find_edit)
        left_layout.addWidget(self.tree)

        self.page = IndicatorPage()
        self.page.set_scale(self.framework, meanings)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAsNeeded)
        self.scroll.setWidget(self.page)
        self.scroll.setAccessibleName(f"{self.framework.label('item')} page")
        self.summary = SummaryPanel(self)

        self.banner = QLabel(self)
        self.banner.setWordWrap(True)
        self.banner.setVisible(False)
        self.banner.setAccessibleName("Why this assessment cannot be changed")
        self.banner.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Maximum)
        self.splitter = splitter = QSplitter(Qt.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(self.scroll)
        splitter.addWidget(self.summary)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 5)
        splitter.setStretchFactor(2, 2)
        splitter.setSizes([400, 700, 260])      # the page gets room first (a 1024-wide screen)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(splitter, 1)

        self.tree.item_selected.connect(self._show)
        self.summary.go_to.connect(self.go_to)
        self.find_edit.textChanged.connect(self._find)
        self.find_edit.returnPressed.connect(self._find_accept)
        widget_shortcut(self.find_edit, QKeySequence(Qt.Key_Down), self._find_accept)
        page = self.page
        page.rating_chosen.connect(self.set_rating)
        page.narrative_edited.connect(self.narrative_edited)
        page.exemption_requested.connect(self.request_exemption)
        page.exemption_withdrawn.connect(self.withdraw_exemption)
        page.strands_changed.connect(self.set_strands)
        page.attach_files.connect(self.attach_files)
        page.add_link.connect(lambda code: self.add_text_evidence(code, "link"))
        page.add_note.connect(lambda code: self.add_text_evidence(code, "note"))
        page.open_evidence.connect(self.open_evidence)
        page.remove_evidence.connect(self.remove_evidence)
        page.add_action.connect(self.add_action)
        page.edit_action.connect(self.edit_action)
        page.remove_action.connect(self.remove_action)
        page.pending_changed.connect(document.state_changed)
        document.add_editor(page.flush, page.has_pending)
        document.snapshot_changed.connect(self.refresh)
        document.write_failed.connect(self._write_failed)

        self.tree.build(self.framework, self.snapshot.score)
        self.refresh(self.snapshot)
        first = self.tree.codes()[0]
        self.tree.select(first)

    # -- reading ------------------------------------------------------------------

    @property
    def assessment(self) -> Assessment:
        return self.document.assessment

    @property
    def snapshot(self) -> Snapshot:
        return self.document.snapshot

    @property
    def undo_stack(self):
        return self.document.undo_stack

    @property
    def editable(self) -> bool:
        return self.document.editable

    def locked_reason(self) -> str:
        return self.document.locked_reason()

    def refresh(self, snapshot: Snapshot | None = None) -> None:
        """Update every part of the view from the document's latest snapshot."""
        if self.document.closed:
            return
        snapshot = self.snapshot
        score, responses, evidence, actions = (snapshot.score, snapshot.responses,
                                               snapshot.evidence, snapshot.actions)
        with_evidence = {e.item_code for e in evidence}
        with_actions = {a.item_code for a in actions}
        for result in score.items:
            code = result.item.code
            status, text = item_status(self.framework, result, responses.get(code),
                                       code in with_evidence, code in with_actions)
            record = snapshot.coordinator.get(code)
            self.tree.set_status(code, status, text, "Further evidence requested"
                                 if record is not None and record.further_evidence else "")
        self.summary.show_score(self.assessment, score, snapshot.signoffs)
        reason = self.locked_reason()
        self.banner.setText(reason)
        self.banner.setVisible(bool(reason))
        code = self.tree.current_code()
        if code:
            self._show(code)
        self.changed.emit()

    def _show(self, code: str) -> None:
        snapshot = self.snapshot
        result = next(r for r in snapshot.score.items if r.item.code == code)
        response = snapshot.responses.get(code)
        new_item = self.page.code != code
        unit_type = self.framework.unit_type(self.assessment.unit.unit_type).label
        self.page.show_item(
            self.framework, result.item, result, response,
            [e for e in snapshot.evidence if e.item_code == code],
            [a for a in snapshot.actions if a.item_code == code],
            editable=self.editable, locked_reason=self.locked_reason(),
            unit_type_label=unit_type.lower())
        self.page.show_coordinator(snapshot.coordinator.get(code))
        if new_item:                       # a newly shown item starts at its top
            self.scroll.ensureVisible(0, 0)
            self.scroll.verticalScrollBar().setValue(0)

    def go_to(self, code: str) -> None:
        self.tree.select(code)
        self.focus_page()

    def focus_page(self) -> None:
        """Focus the page's first field (the chosen rating) and bring the page's top into view."""
        self.page.focus_first_field()
        self.scroll.verticalScrollBar().setValue(0)

    def step(self, direction: int) -> None:
        code = self.tree.neighbour(direction)
        if code:
            self.tree.select(code)

    def next_missing(self) -> None:
        missing = [r.item.code for r in self.snapshot.score.missing()]
        if not missing:
            return
        codes = self.tree.codes()
        current = self.tree.current_code()
        start = codes.index(current) + 1 if current in codes else 0
        ordered = codes[start:] + codes[:start]
        self.go_to(next(c for c in ordered if c in missing))

    def focus_find(self) -> None:
        self.find_edit.setFocus(Qt.ShortcutFocusReason)
        self.find_edit.selectAll()

    def _find(self, text: str) -> None:
        matches = self.tree.filter(text)
        if matches and self.tree.current_code() not in matches:
            self.tree.select(matches[0])

    def _find_accept(self) -> None:
        code = self.tree.current_code()
        if code:
            self.tree.setFocus(Qt.ShortcutFocusReason)

    # -- writing ---------------------------------------------------------------------

    def write(self, job: Callable[[Store], Any], code: str | None = None,
              on_done: Callable[[Any], None] | None = None) -> None:
        """Queue a write; the view refreshes when it has been applied."""
        self.document.write(job, on_done=on_done)

    def _write_failed(self, exc: BaseException) -> None:
        message = self.document.not_saved_message(exc)
        if message is None:
            raise exc
        show_error(self.window(), "Not saved", message)

    def flush(self) -> None:
        self.document.flush()

    def push_command(self, text: str, code: str | None, do, undo) -> None:
        if not self.editable:
            return
        self.undo_stack.push(StoreCommand(self.document, text, code, do, undo))

    def set_rating(self, code: str, rating: str | None) -> None:
        uuid = self.assessment.uuid
        label = self.framework.scale_point(rating).label if rating else "not rated"

        def read(s: Store):
            response = s.response(uuid, code)
            return response.self_rating if response else None

        do, undo = captured(read, lambda s, value: s.set_self_rating(uuid, code, value), rating)
        self.push_command(f"Rate {code} {label}", code, do, undo)

    def narrative_edited(self, code: str, text: str) -> None:
        if not self.editable:
            return
        response = self.snapshot.responses.get(code)
        last = self._sent_narratives.get(code, response.narrative if response else "")
        if last == text:
            return
        self._sent_narratives[code] = text
        self.undo_stack.push(NarrativeCommand(self, code, text))

    def write_narrative(self, code: str, text: str | None, state: dict, *, show: bool = False) -> None:
        """Write ``text`` (None: the text the first save replaced) as ``code``'s narrative."""
        uuid = self.assessment.uuid
        if text is not None:
            self._sent_narratives[code] = text
        if show:
            if self.tree.current_code() != code:
                self.tree.select(code)

        def job(s: Store) -> str:
            response = s.response(uuid, code)
            current = response.narrative if response else ""
            state.setdefault("old", current)
            value = state["old"] if text is None else text
            s.set_narrative(uuid, code, value)
            return value

        def done(value: str) -> None:
            self._sent_narratives[code] = value
            if show and self.page.code == code:
                self.page.set_narrative_quietly(value)

        self.write(job, code, on_done=done)

    def request_exemption(self, code: str, reason: str) -> None:
        self._set_exemption_request(code, (True, reason), f"Request exemption from {code}")

    def withdraw_exemption(self, code: str) -> None:
        response = self.snapshot.responses.get(code)
        if not (response and response.unit_exempt) and not self.document.busy:
            return
        self._set_exemption_request(code, (False, ""), f"Withdraw exemption request for {code}")

    def _set_exemption_request(self, code: str, value: tuple[bool, str], title: str) -> None:
        """One undoable step: the request (requested, reason) as it was, read in the job."""
        uuid = self.assessment.uuid

        def read(s: Store):
            response = s.response(uuid, code)
            return (response.unit_exempt, response.unit_exemption_reason) if response else (False, "")

        def put(s: Store, value) -> None:
            exempt, why = value
            if exempt:
                s.request_exemption(uuid, code, why)
            else:
                s.withdraw_exemption(uuid, code)

        do, undo = captured(read, put, value)
        self.push_command(title, code, do, undo)

    def set_strands(self, code: str, strands: list[str]) -> None:
        uuid = self.assessment.uuid

        def read(s: Store):
            response = s.response(uuid, code)
            return list(response.strands) if response else []

        do, undo = captured(read, lambda s, value: s.set_item_strands(uuid, code, value), list(strands))
        self.push_command(f"Change strands of {code}", code, do, undo)

    def attach_files(self, code: str, paths: list[Path]) -> None:
        if not self.editable:
            return
        if not paths:
            names, _ = QFileDialog.getOpenFileNames(self.window(), f"Attach files to {code}")
            paths = [Path(name) for name in names]
        for path in paths:
            if not path.is_file():
                show_error(self.window(), "Not attached", f"{path}: is not a file")
                continue
            self._add_evidence(code, f"Attach {path.name} to {code}",
                               lambda s, uuid=self.assessment.uuid, p=path: s.attach_file(uuid, code, p))

    def add_text_evidence(self, code: str, kind: str) -> None:
        if not self.editable:
            return
        from .dialogs import EvidenceDialog
        dialog = EvidenceDialog(self.window(), kind)
        if dialog.exec() != EvidenceDialog.Accepted:
            return
        title, body = dialog.values()
        uuid = self.assessment.uuid
        if kind == "link":
            self._add_evidence(code, f"Add link to {code}", lambda s: s.add_link(uuid, code, title, body))
        else:
            self._add_evidence(code, f"Add note to {code}", lambda s: s.add_note(uuid, code, title, body))

    def _add_evidence(self, code: str, text: str, add: Callable[[Store], str]) -> None:
        def do(s: Store, state: dict) -> None:
            if "removed" in state:
                s.restore_evidence(state.pop("removed"))
            else:
                state["uuid"] = add(s)

        def undo(s: Store, state: dict) -> None:
            state["removed"] = s.remove_evidence(state["uuid"])

        self.push_command(text, code, do, undo)

    def remove_evidence(self, evidence_uuid: str) -> None:
        entry = next((e for e in self.snapshot.evidence if e.uuid == evidence_uuid), None)
        if entry is None:
            return

        def do(s: Store, state: dict) -> None:
            state["removed"] = s.remove_evidence(evidence_uuid)

        def undo(s: Store, state: dict) -> None:
            s.restore_evidence(state.pop("removed"))

        self.push_command(f"Remove {entry.title or entry.kind} from {entry.item_code}", entry.item_code, do, undo)
        self.window().statusBar().showMessage(
            f"Removed “{entry.title}”. Edit ▸ Undo (Ctrl+Z) brings it back.", 8000)

    def open_evidence(self, evidence_uuid: str) -> None:
        entry = next((e for e in self.snapshot.evidence if e.uuid == evidence_uuid), None)
        if entry is None:
            return
        if entry.kind == "link":
            QDesktopServices.openUrl(QUrl(entry.body))
        elif entry.kind == "note":
            from .dialogs import EvidenceDialog
            dialog = EvidenceDialog(self.window(), "note", title=entry.title, body=entry.body)
            if not self.editable:
                dialog.ui.titleEdit.setReadOnly(True)
                dialog.ui.bodyEdit.setReadOnly(True)
            if dialog.exec() == EvidenceDialog.Accepted and self.editable:
                title, body = dialog.values()
                if (title, body) != (entry.title, entry.body):
                    def read(s: Store):
                        found = next(e for e in s.evidence(entry_assessment) if e.uuid == evidence_uuid)
                        return found.title, found.body

                    entry_assessment = self.assessment.uuid
                    do, undo = captured(read, lambda s, value: s.update_evidence(
                        evidence_uuid, title=value[0], body=value[1]), (title, body))
                    self.push_command(f"Edit note on {entry.item_code}", entry.item_code, do, undo)
        else:
            if self._opener is None:
                from .attachment_opener import AttachmentOpener
                self._opener = AttachmentOpener(self.open_folder)
            sha256 = self._opener.fingerprint(self.window(), entry)
            if sha256 is None:
                return
            try:
                data = self.document.reader.blob(sha256)
            except EsatError as exc:
                self._opener.failed(self.window(), exc)
                return
            self._opener.show(self.window(), entry, data)

    def add_action(self, code: str) -> None:
        if not self.editable:
            return
        from .dialogs import ActionDialog
        dialog = ActionDialog(self.window(), period=self.assessment.period)
        if dialog.exec() != ActionDialog.Accepted:
            return
        values = dialog.values()
        uuid = self.assessment.uuid

        def do(s: Store, state: dict) -> None:
            if "removed" in state:
                s.restore_action(state.pop("removed"))
            else:
                state["uuid"] = s.add_action(uuid, code, values["description"], owner=values["owner"],
                                             due_on=values["due_on"], status=values["status"],
                                             strands=values["strands"])

        def undo(s: Store, state: dict) -> None:
            state["removed"] = s.remove_action(state["uuid"])

        self.push_command(f"Add action to {code}", code, do, undo)

    def edit_action(self, action_uuid: str) -> None:
        action = next((a for a in self.snapshot.actions if a.uuid == action_uuid), None)
        if action is None or not self.editable:
            return
        from .dialogs import ActionDialog
        dialog = ActionDialog(self.window(), action, period=self.assessment.period)
        if dialog.exec() != ActionDialog.Accepted:
            return
        new = dialog.values()
        shown = {"description": action.description, "owner": action.owner, "due_on": action.due_on,
                 "status": action.status, "strands": list(action.strands)}
        if new == shown:
            return
        uuid = self.assessment.uuid

        def read(s: Store) -> dict:
            found = next(a for a in s.actions(uuid) if a.uuid == action_uuid)
            return {"description": found.description, "owner": found.owner, "due_on": found.due_on,
                    "status": found.status, "strands": list(found.strands)}

        def put(s: Store, values: dict) -> None:
            with s.db.atomic():
                s.update_action(action_uuid, **{k: v for k, v in values.items() if k != "strands"})
                s.set_action_strands(action_uuid, values["strands"])

        do, undo = captured(read, put, new)
        self.push_command(f"Edit action on {action.item_code}", action.item_code, do, undo)

    def remove_action(self, action_uuid: str) -> None:
        action = next((a for a in self.snapshot.actions if a.uuid == action_uuid), None)
        if action is None:
            return
        if not confirm(self.window(), "Remove action",
                       f"Remove the action “{action.description[:80]}”? Edit ▸ Undo brings it back.",
                       "Remove"):
            return

        def do(s: Store, state: dict) -> None:
            state["removed"] = s.remove_action(action_uuid)

        def undo(s: Store, state: dict) -> None:
            s.restore_action(state.pop("removed"))

        self.push_command(f"Remove action from {action.item_code}", action.item_code, do, undo)
