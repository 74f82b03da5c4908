"""The assessment view: navigation tree, indicator page and summary, for one open file.

Reads come from a read-only connection on the main thread; every change is an
undoable command whose write runs on the file's worker thread (``Tasks``).
"""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path
from typing import Any, Callable, NamedTuple

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence, QUndoStack
from PySide6.QtWidgets import (QFileDialog, QLabel, QLineEdit, QScrollArea, QSplitter,
                               QToolButton, QVBoxLayout, QWidget)

from ..errors import EsatError
from ..framework import Framework
from ..records import Action, Assessment, Evidence, Response
from ..scoring import Score
from ..store import Store
from .commands import NarrativeCommand, StoreCommand
from .messages import confirm, show_error
from .shortcuts import widget_shortcut
from .indicator_page import IndicatorPage
from .nav_tree import NavTree, item_status
from .summary_panel import SummaryPanel
from .tasks import Tasks


class Snapshot(NamedTuple):
    """What the view shows, as read at its last refresh (every write ends in one)."""

    score: Score
    responses: dict[str, Response]
    evidence: list[Evidence]
    actions: list[Action]


class AssessmentView(QWidget):
    changed = Signal()                  # after any write has been applied

    def __init__(self, *, path: Path, reader: Store, tasks: Tasks, undo_stack: QUndoStack,
                 read_only_reason: str = "", open_folder: Path | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.path = path
        self.reader = reader
        self.tasks = tasks
        self.undo_stack = undo_stack
        self.read_only_reason = read_only_reason
        self.open_folder = open_folder or Path(tempfile.gettempdir()) / "esat-opened"
        self._opened_copies = None       # made on first use: a private folder for this run
        self.assessment: Assessment = reader.only_assessment()
        self.framework: Framework = reader.framework_of(self.assessment)
        self._saved_narratives: dict[str, str] = {}

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
        self.page.set_scale(self.framework)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAsNeeded)
        self.scroll.setWidget(self.page)
        self.scroll.setAccessibleName(f"{self.framework.label('item')} page")
        self.summary = SummaryPanel(self)

        self.banner = QLabel(self)
        self.banner.setWordWrap(True)
        self.banner.setVisible(False)
        splitter = QSplitter(Qt.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(self.scroll)
        splitter.addWidget(self.summary)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 5)
        splitter.setStretchFactor(2, 2)
        splitter.setSizes([440, 640, 280])
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(splitter)

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

        self.snapshot = self._read()
        self.tree.build(self.framework, self.snapshot.score)
        self.refresh(self.snapshot)
        first = self.tree.codes()[0]
        self.tree.select(first)

    # -- reading ------------------------------------------------------------------

    @property
    def editable(self) -> bool:
        return not self.read_only_reason and not self.assessment.signed_off

    def locked_reason(self) -> str:
        if self.read_only_reason:
            return self.read_only_reason
        if self.assessment.signed_off:
            return (f"Revision {self.assessment.revision} is signed off and read-only. "
                    "To change it, choose Assessment ▸ Reopen for Changes (this starts a new revision).")
        return ""

    def _read(self) -> Snapshot:
        reader, uuid = self.reader, self.assessment.uuid
        self.assessment = reader.assessment(uuid)
        return Snapshot(reader.score(uuid), reader.responses(uuid), reader.evidence(uuid),
                        reader.actions(uuid))

    def refresh(self, snapshot: Snapshot | None = None) -> None:
        """Re-read the assessment (unless just read) and update every part of the view."""
        self.snapshot = snapshot = snapshot or self._read()
        score, responses, evidence, actions = snapshot
        reader = self.reader
        with_evidence = {e.item_code for e in evidence}
        with_actions = {a.item_code for a in actions}
        for result in score.items:
            code = result.item.code
            status, text = item_status(self.framework, result, responses.get(code),
                                       code in with_evidence, code in with_actions)
            self.tree.set_status(code, status, text)
        self.summary.show_score(self.assessment, score, reader.signoffs(self.assessment.uuid))
        reason = self.locked_reason()
        self.banner.setText(reason)
        self.banner.setVisible(bool(reason))
        code = self.tree.current_code()
        if code:
            self._show(code)

    def _show(self, code: str) -> None:
        score, responses, evidence, actions = self.snapshot
        result = next(r for r in score.items if r.item.code == code)
        response = responses.get(code)
        self._saved_narratives.setdefault(code, response.narrative if response else "")
        unit_type = self.framework.unit_type(self.assessment.unit.unit_type).label
        self.page.show_item(
            self.framework, result.item, result, response,
            [e for e in evidence if e.item_code == code], [a for a in actions if a.item_code == code],
            editable=self.editable, locked_reason=self.locked_reason(),
            unit_type_label=unit_type.lower())

    def go_to(self, code: str) -> None:
        self.tree.select(code)
        self.page.focus_first_field()

    def step(self, direction: int) -> None:
        code = self.tree.neighbour(direction)
        if code:
            self.tree.select(code)

    def next_missing(self) -> None:
        missing = [r.item.code for r in self.reader.score(self.assessment.uuid).missing()]
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
        def done(result: Any) -> None:
            if on_done is not None:
                on_done(result)
            self.refresh()
            self.changed.emit()

        def failed(exc: BaseException) -> None:
            self.refresh()
            if isinstance(exc, EsatError):
                show_error(self.window(), "Not saved", str(exc))
            elif isinstance(exc, sqlite3.Error):       # disk full, file made read-only, ...
                show_error(self.window(), "Not saved",
                           f"{self.path}: the change could not be written ({exc}). Everything "
                           "saved before it is safe; check the disk and try again.")
            else:
                raise exc

        self.tasks.write(job, on_done=done, on_error=failed)

    def flush(self) -> None:
        self.page.flush()

    def push_command(self, text: str, code: str | None, do, undo) -> None:
        if not self.editable:
            return
        self.undo_stack.push(StoreCommand(self, text, code, do, undo))

    def set_rating(self, code: str, rating: str | None) -> None:
        uuid = self.assessment.uuid
        response = self.reader.response(uuid, code)
        old = response.self_rating if response else None
        if old == rating:
            return
        label = self.framework.scale_point(rating).label if rating else "not rated"
        self.push_command(f"Rate {code} {label}", code,
                   lambda s, st: s.set_self_rating(uuid, code, rating),
                   lambda s, st: s.set_self_rating(uuid, code, old))

    def narrative_edited(self, code: str, text: str) -> None:
        old = self._saved_narratives.get(code, "")
        if old == text or not self.editable:
            return
        self._saved_narratives[code] = text
        self.undo_stack.push(NarrativeCommand(self, code, old, text))

    def write_narrative(self, code: str, text: str, *, show: bool = False) -> None:
        uuid = self.assessment.uuid
        self._saved_narratives[code] = text
        if show:
            if self.tree.current_code() != code:
                self.tree.select(code)
            self.page.set_narrative_quietly(text)
        self.write(lambda s: s.set_narrative(uuid, code, text), code)

    def request_exemption(self, code: str, reason: str) -> None:
        uuid = self.assessment.uuid
        response = self.reader.response(uuid, code)
        before = (response.unit_exempt, response.unit_exemption_reason) if response else (False, "")
        if before == (True, reason):
            return

        def undo(s: Store, _state: dict) -> None:
            if before[0]:
                s.request_exemption(uuid, code, before[1])
            else:
                s.withdraw_exemption(uuid, code)

        self.push_command(f"Request exemption from {code}", code,
                   lambda s, st: s.request_exemption(uuid, code, reason), undo)

    def withdraw_exemption(self, code: str) -> None:
        uuid = self.assessment.uuid
        response = self.reader.response(uuid, code)
        if not (response and response.unit_exempt):
            return
        reason = response.unit_exemption_reason
        self.push_command(f"Withdraw exemption request for {code}", code,
                   lambda s, st: s.withdraw_exemption(uuid, code),
                   lambda s, st: s.request_exemption(uuid, code, reason))

    def set_strands(self, code: str, strands: list[str]) -> None:
        uuid = self.assessment.uuid
        response = self.reader.response(uuid, code)
        old = list(response.strands) if response else []
        if sorted(old) == sorted(strands):
            return
        self.push_command(f"Change strands of {code}", code,
                   lambda s, st: s.set_item_strands(uuid, code, strands),
                   lambda s, st: s.set_item_strands(uuid, code, old))

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
        entry = next((e for e in self.reader.evidence(self.assessment.uuid) if e.uuid == evidence_uuid), None)
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
        entry = next((e for e in self.reader.evidence(self.assessment.uuid) if e.uuid == evidence_uuid), None)
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
                    old = (entry.title, entry.body)
                    self.push_command(f"Edit note on {entry.item_code}", entry.item_code,
                               lambda s, st: s.update_evidence(evidence_uuid, title=title, body=body),
                               lambda s, st: s.update_evidence(evidence_uuid, title=old[0], body=old[1]))
        else:
            if not entry.has_body:
                show_error(self.window(), "Cannot open",
                           f"{entry.file_name}: this assessment holds only the file's name and "
                           "fingerprint, not the file itself. Attach the file again to keep it here.")
                return
            from ..attachments import OpenedCopies, check_sha256
            if self._opened_copies is None:
                self._opened_copies = OpenedCopies(self.open_folder)
            try:
                data = self.reader.blob(check_sha256(entry.blob_sha256))
                target = self._opened_copies.write(entry.blob_sha256, entry.file_name, data)
            except EsatError as exc:
                show_error(self.window(), "Cannot open", str(exc))
                return
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))

    def add_action(self, code: str) -> None:
        if not self.editable:
            return
        from .dialogs import ActionDialog
        dialog = ActionDialog(self.window())
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
        action = next((a for a in self.reader.actions(self.assessment.uuid) if a.uuid == action_uuid), None)
        if action is None or not self.editable:
            return
        from .dialogs import ActionDialog
        dialog = ActionDialog(self.window(), action)
        if dialog.exec() != ActionDialog.Accepted:
            return
        new = dialog.values()
        old = {"description": action.description, "owner": action.owner, "due_on": action.due_on,
               "status": action.status, "strands": list(action.strands)}
        if new == old:
            return

        def apply(values: dict) -> Callable[[Store, dict], None]:
            def job(s: Store, _state: dict) -> None:
                fields = {k: v for k, v in values.items() if k != "strands"}
                s.update_action(action_uuid, **fields)
                s.set_action_strands(action_uuid, values["strands"])
            return job

        self.push_command(f"Edit action on {action.item_code}", action.item_code, apply(new), apply(old))

    def remove_action(self, action_uuid: str) -> None:
        action = next((a for a in self.reader.actions(self.assessment.uuid) if a.uuid == action_uuid), None)
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
