"""Moderating one unit: its indicators read-only, and the coordinator's panel beside them.

Everything shown is read on the file's worker through the core (a
:class:`esat.snapshot.Snapshot`, :meth:`esat.moderation.Moderation.records`);
every change goes through :class:`esat.moderation.Moderation` on the worker as
one undoable step (:class:`esat.gui.commands.StoreCommand`, undone with
``Moderation.restore``).
"""

from __future__ import annotations

import html
import tempfile
from pathlib import Path
from typing import Any, NamedTuple

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFormLayout, QGroupBox, QHBoxLayout,
                               QInputDialog, QLabel, QLineEdit, QListWidget, QListWidgetItem,
                               QPlainTextEdit, QPushButton, QSplitter, QTextBrowser, QVBoxLayout,
                               QWidget)

from ...errors import EsatError
from ...moderation import DipSample, Moderation, ModerationRecord
from ...records import Evidence
from ...snapshot import IndicatorView, Snapshot, take_snapshot
from ...store import Store
from ..attachment_opener import AttachmentOpener
from ..commands import StoreCommand
from ..messages import show_error, show_info
from .units_model import _agreement

LINK_SCHEMES = ("http", "https", "mailto")   # a unit's link opens only as a web or mail address
DECISIONS = (("Undecided", None), ("Granted", True), ("Refused", False))


class Moderated(NamedTuple):
    """What the page shows, read in one job on the worker."""

    snapshot: Snapshot
    records: dict[str, ModerationRecord]
    samples: list[DipSample]


def read_moderated(store: Store, assessment_uuid: str) -> Moderated:
    moderation = Moderation(store)
    return Moderated(take_snapshot(store, assessment_uuid), moderation.records(assessment_uuid),
                     moderation.samples(assessment_uuid))


def indicator_text(view: IndicatorView, record: ModerationRecord | None) -> str:
    """One line of the indicator list: code, the rating that counts and whose it is, marks."""
    counted = {"assessor": "assessor's", "self": "unit's own"}.get(view.counted, "")
    text = f"{view.code}  {view.counting_label}" + (f" ({counted})" if counted else "")
    if not view.required:
        text += " [not required]"
    if record is not None and record.further_evidence:
        text += " [further evidence requested]"
    if record is not None and record.look_again:
        text += " [changed since rated: look again]"
    return text


class ModerationPage(QWidget):
    """The page for one assessment. ``load(row)`` shows a unit (a units-table row)."""

    loaded = Signal()

    def __init__(self, document, parent: QWidget | None = None, *,
                 open_folder: Path | None = None):
        """``open_folder``: where attachments are written to be opened (a private folder
        is made in it for the run)."""
        super().__init__(parent)
        self.document = document
        self.opener = AttachmentOpener(open_folder or Path(tempfile.gettempdir()) / "esat-opened")
        self.row: dict | None = None
        self.data: Moderated | None = None
        self.sample: tuple[str, ...] = ()
        self.setAccessibleName("Moderate one unit")
        layout = QVBoxLayout(self)
        self.header = QLabel("Choose a unit in the units table (Enter) to moderate it.", self)
        self.header.setTextFormat(Qt.PlainText)     # a file's text, never HTML
        self.header.setWordWrap(True)
        self.header.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard)
        self.header.setAccessibleName("Unit, score and agreement")
        layout.addWidget(self.header)
        splitter = QSplitter(self)
        self.items = QListWidget(splitter)
        self.items.setAccessibleName("Indicators: the rating that counts and whose it is")
        middle = QWidget(splitter)
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        self.page = QTextBrowser(middle)
        self.page.setAccessibleName("The unit's entry for the indicator (read-only)")
        self.page.setOpenExternalLinks(False)
        self.page.setOpenLinks(False)
        middle_layout.addWidget(self.page, 3)
        self.evidence = QListWidget(middle)
        self.evidence.setAccessibleName("The unit's evidence for the indicator (Enter opens one)")
        evidence_label = QLabel("Eviden&ce (Enter opens the chosen one):", middle)
        evidence_label.setBuddy(self.evidence)
        middle_layout.addWidget(evidence_label)
        middle_layout.addWidget(self.evidence, 1)
        self.open_evidence_button = QPushButton("&Open Evidence", middle)
        self.open_evidence_button.setAccessibleName(
            "Open the chosen evidence: a file in the system viewer, a link in the browser")
        self.open_evidence_button.clicked.connect(self.open_current_evidence)
        middle_layout.addWidget(self.open_evidence_button, 0, Qt.AlignLeft)
        self.evidence.itemActivated.connect(lambda _: self.open_current_evidence())
        self.evidence.currentRowChanged.connect(
            lambda row: self.open_evidence_button.setEnabled(row >= 0))
        self.open_evidence_button.setEnabled(False)
        panel = QGroupBox("Coordinator", splitter)
        panel_layout = QVBoxLayout(panel)
        form = QFormLayout()
        panel_layout.addLayout(form)
        self.rating = QComboBox(panel)
        self.rating.setAccessibleName("Assessor rating")
        rating_label = QLabel("Assessor &rating:", panel)
        rating_label.setBuddy(self.rating)
        form.addRow(rating_label, self.rating)
        self.comment = QPlainTextEdit(panel)
        self.comment.setAccessibleName("Comment, or what further evidence is wanted")
        self.comment.setTabChangesFocus(True)
        comment_label = QLabel("Co&mment:", panel)
        comment_label.setBuddy(self.comment)
        form.addRow(comment_label, self.comment)
        self.further = QCheckBox("F&urther evidence requested (the comment says what)", panel)
        self.further.setAccessibleName("Further evidence requested")
        form.addRow(self.further)
        self.decision = QComboBox(panel)
        self.decision.addItems([text for text, _ in DECISIONS])
        self.decision.setAccessibleName("Exemption decision")
        decision_label = QLabel("E&xemption:", panel)
        decision_label.setBuddy(self.decision)
        form.addRow(decision_label, self.decision)
        self.reason = QLineEdit(panel)
        self.reason.setAccessibleName("Reason for the exemption decision")
        reason_label = QLabel("Rea&son:", panel)
        reason_label.setBuddy(self.reason)
        form.addRow(reason_label, self.reason)
        self.apply_button = QPushButton("&Apply", panel)
        self.apply_button.setAccessibleName("Apply the coordinator's changes (Ctrl+Return)")
        self.apply_button.clicked.connect(self.apply)
        form.addRow(self.apply_button)
        self.counts = QLabel("", panel)
        self.counts.setTextFormat(Qt.PlainText)     # a file's text, never HTML
        self.counts.setWordWrap(True)
        self.counts.setAccessibleName("The rating that counts")
        form.addRow(self.counts)
        sample_row = QHBoxLayout()
        self.sample_button = QPushButton("Draw &Dip Sample…", panel)
        self.sample_button.setAccessibleName("Draw a dip sample")
        self.sample_button.clicked.connect(self.draw_sample)
        self.next_sample = QPushButton("&Next in Sample", panel)
        self.next_sample.setAccessibleName("Next indicator in the dip sample")
        self.next_sample.clicked.connect(self.step_sample)
        sample_row.addWidget(self.sample_button)
        sample_row.addWidget(self.next_sample)
        form.addRow(sample_row)
        self.sample_label = QLabel("No dip sample drawn.", panel)
        self.sample_label.setTextFormat(Qt.PlainText)     # a file's text, never HTML
        self.sample_label.setWordWrap(True)
        form.addRow(self.sample_label)
        panel_layout.addStretch(1)
        self.comment.setMaximumHeight(140)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([340, 560, 420])
        layout.addWidget(splitter, 1)
        self.items.currentRowChanged.connect(lambda _: self._show_item())
        QShortcut(QKeySequence("Ctrl+Return"), self, self.apply)
        document.changed.connect(self.reload)
        self._enable(False)

    # -- reading ------------------------------------------------------------------------

    def load(self, row: dict, code: str | None = None) -> None:
        self.row = row
        self._wanted = code
        self.reload()

    def reload(self) -> None:
        if self.row is None or self.document.closed:
            return
        uuid = self.row["assessment_uuid"]
        self.document.read(lambda store: read_moderated(store, uuid), self._show)

    def _show(self, data: Moderated) -> None:
        self.data = data
        snap = data.snapshot
        if data.samples:
            self.sample = data.samples[-1].item_codes
        score = snap.score
        percent = "n/a" if score.overall.percent is None else f"{score.overall.percent}%"
        agreement = _agreement(self.row) if self.row else ""
        self.header.setText(
            f"{snap.unit.code} {snap.unit.name} ({snap.unit.area or 'no area'}), "
            f"{snap.framework.title}, period {snap.assessment.period or 'not set'}, "
            f"revision {snap.assessment.revision}. Score {percent} "
            f"({score.basis}). Agreement: {agreement}.")
        current = self._wanted or self.current_code()
        self._wanted = None
        self.rating.blockSignals(True)
        self.rating.clear()
        self.rating.addItem("Not rated", None)
        for point in snap.framework.scale:
            self.rating.addItem(point.label, point.id)
        self.rating.blockSignals(False)
        self.items.blockSignals(True)
        self.items.clear()
        for view in snap.indicators:
            item = QListWidgetItem(indicator_text(view, data.records.get(view.code)))
            item.setData(Qt.UserRole, view.code)
            self.items.addItem(item)
        self.items.blockSignals(False)
        codes = [v.code for v in snap.indicators]
        self.items.setCurrentRow(codes.index(current) if current in codes else 0)
        self._show_item()
        self._show_sample()
        self._enable(self.document.editable)
        self.loaded.emit()

    def current_code(self) -> str | None:
        item = self.items.currentItem()
        return item.data(Qt.UserRole) if item is not None else None

    def go_to(self, code: str) -> None:
        for row in range(self.items.count()):
            if self.items.item(row).data(Qt.UserRole) == code:
                self.items.setCurrentRow(row)
                return

    def _show_item(self) -> None:
        code = self.current_code()
        if self.data is None or code is None:
            return
        view = self.data.snapshot.indicator(code)
        record = self.data.records.get(code)
        self.page.setHtml(self._page_html(view, record))
        self.evidence.clear()
        for entry in view.evidence:
            detail = entry.file_name if entry.kind == "file" else entry.body
            text = f"{entry.kind}: {entry.title}" + (f" — {detail}" if detail else "")
            if entry.kind == "file" and not entry.has_body:
                text += " [name and fingerprint only]"
            item = QListWidgetItem(text.replace("\n", " ")[:300])
            item.setData(Qt.UserRole, entry.uuid)
            self.evidence.addItem(item)
        if view.evidence:
            self.evidence.setCurrentRow(0)
        index = self.rating.findData(record.assessor_rating if record else None)
        self.rating.setCurrentIndex(max(index, 0))
        self.comment.setPlainText(record.comment if record else "")
        self.further.setChecked(bool(record and record.further_evidence))
        decision = record.exemption_decision if record else None
        self.decision.setCurrentIndex([d for _, d in DECISIONS].index(decision))
        self.reason.setText(record.exemption_reason if record else "")
        counted = {"assessor": "the assessor's rating", "self": "the unit's own rating"}.get(
            view.counted, "no rating yet")
        self.counts.setText(f"Counts for {code}: {view.counting_label} ({counted}); "
                            f"{'met' if view.met else 'not met'}.")

    @staticmethod
    def _page_html(view: IndicatorView, record: ModerationRecord | None) -> str:
        e = html.escape
        parts = [f"<h2>{e(view.code)} ({e(view.section.title)})</h2>",
                 f"<p>{e(view.item.text)}</p>",
                 f"<p><b>Unit's own rating:</b> {e(view.self_label or 'not rated')}</p>"]
        if view.exemption_requested:
            parts.append(f"<p><b>Exemption requested:</b> {e(view.exemption_request_reason)}</p>")
        parts.append(f"<p><b>Narrative:</b><br>{e(view.narrative or '(none)')}</p>")
        parts.append("<p><b>Evidence:</b></p><ul>")
        for entry in view.evidence:
            detail = entry.body if entry.kind != "file" else entry.file_name
            parts.append(f"<li>{e(entry.kind)}: {e(entry.title)}"
                         + (f" — {e(detail)}" if detail else "") + "</li>")
        if not view.evidence:
            parts.append("<li>none</li>")
        parts.append("</ul><p><b>Actions:</b></p><ul>")
        for action in view.actions:
            parts.append(f"<li>{e(action.description)} ({e(action.owner or 'no owner')}, "
                         f"due {e(action.due_on or 'no date')}, {e(action.status)})</li>")
        if not view.actions:
            parts.append("<li>none</li>")
        parts.append("</ul>")
        if record is not None and record.look_again:
            parts.append("<p><b>Note:</b> the unit changed this indicator since it was rated; "
                         "look at it again.</p>")
        return "".join(parts)

    def _enable(self, enabled: bool) -> None:
        for widget in (self.rating, self.comment, self.further, self.decision, self.reason,
                       self.apply_button, self.sample_button):
            widget.setEnabled(enabled and self.data is not None)
        self.next_sample.setEnabled(bool(self.sample))

    # -- evidence -----------------------------------------------------------------------

    def current_evidence(self) -> Evidence | None:
        item = self.evidence.currentItem()
        code = self.current_code()
        if item is None or self.data is None or code is None:
            return None
        uuid = item.data(Qt.UserRole)
        return next((e for e in self.data.snapshot.indicator(code).evidence if e.uuid == uuid),
                    None)

    def open_current_evidence(self) -> None:
        """A file: its bytes read on the worker, checked against the hash, written under a
        safe name in the private folder and opened (the unit view's way); a web or mail
        link: opened; a note: shown."""
        entry = self.current_evidence()
        if entry is None:
            return
        if entry.kind == "note":
            show_info(self, entry.title or "Note", entry.body)
        elif entry.kind == "link":
            url = QUrl(entry.body.strip())
            if not url.isValid() or url.scheme().lower() not in LINK_SCHEMES:
                show_error(self, "Cannot open",
                           f"{entry.title}: the link is not a web or mail address, so it was "
                           "not opened.")
                return
            QDesktopServices.openUrl(url)
        else:
            sha256 = self.opener.fingerprint(self, entry)
            if sha256 is None:
                return

            def failed(exc: BaseException) -> None:
                if isinstance(exc, EsatError):
                    self.opener.failed(self, exc)
                else:
                    self.document.on_error(exc)

            self.document.read(lambda store: store.blob(sha256),
                               lambda data: self.opener.show(self, entry, data), failed)

    # -- writing ------------------------------------------------------------------------

    def apply(self) -> None:
        """The panel's changes to the current indicator, as one undoable step."""
        code = self.current_code()
        if self.data is None or code is None or not self.document.editable:
            return
        uuid = self.data.snapshot.assessment.uuid
        record = self.data.records.get(code)
        rating = self.rating.currentData()
        comment = self.comment.toPlainText().strip()
        further = self.further.isChecked()
        decision = DECISIONS[self.decision.currentIndex()][1]
        reason = self.reason.text().strip()
        old_rating = record.assessor_rating if record else None
        old_comment = record.comment if record else ""
        old_further = bool(record and record.further_evidence)
        old_decision = record.exemption_decision if record else None
        old_reason = record.exemption_reason if record else ""
        if (rating, comment, further, decision, reason) == (
                old_rating, old_comment, old_further, old_decision, old_reason):
            return                                   # nothing to change: no empty undo step

        def steps(moderation: Moderation) -> None:
            if rating != old_rating:
                moderation.rate(uuid, code, rating)
            if further and (not old_further or comment != old_comment):
                moderation.ask_further_evidence(uuid, code, comment)
            else:
                if old_further and not further:
                    moderation.evidence_received(uuid, code)
                if comment != old_comment:
                    moderation.comment(uuid, code, comment)
            if (decision, reason) != (old_decision, old_reason):
                if decision is True:
                    moderation.grant_exemption(uuid, code, reason)
                elif decision is False:
                    moderation.refuse_exemption(uuid, code, reason)
                else:
                    moderation.store.decide_exemption(uuid, code, None)

        def do(store: Store, state: dict) -> None:
            moderation = Moderation(store)
            state["old"] = moderation.snapshot(uuid, code)
            with store.db.atomic():
                steps(moderation)

        def undo(store: Store, state: dict) -> None:
            if "old" in state:
                Moderation(store).restore(uuid, code, state["old"])

        self._wanted = code
        self.document.undo_stack.push(StoreCommand(
            self.document, f"Moderate {self.data.snapshot.unit.code} {code}", code, do, undo))

    # -- dip sample ---------------------------------------------------------------------

    def draw_sample(self) -> None:
        if self.data is None:
            return
        size, ok = QInputDialog.getInt(self, "Draw a dip sample",
                                       "How many required indicators to draw?", 5, 1, 200)
        if not ok:
            return
        uuid = self.data.snapshot.assessment.uuid

        def drawn(sample: DipSample) -> None:
            self.sample = sample.item_codes
            self._show_sample()
            if self.sample:
                self.go_to(self.sample[0])

        self.document.write(lambda store: Moderation(store).draw_sample(uuid, size), drawn)

    def step_sample(self) -> None:
        if not self.sample:
            return
        code = self.current_code()
        index = self.sample.index(code) + 1 if code in self.sample else 0
        self.go_to(self.sample[index % len(self.sample)])

    def _show_sample(self) -> None:
        if self.sample:
            self.sample_label.setText(f"Dip sample: {', '.join(self.sample)}")
        else:
            self.sample_label.setText("No dip sample drawn.")
        self.next_sample.setEnabled(bool(self.sample))
