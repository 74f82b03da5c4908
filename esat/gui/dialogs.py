"""The small form dialogs: sign-off, improvement action, note or link, details.

Imported when one is first opened, not at start-up.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QLineEdit, QWidget

from ..records import Action
from ..store import ACTION_STATUS_LABELS, ACTION_STATUSES
from ..strands import STRANDS
from .forms.ui_action_dialog import Ui_ActionDialog
from .forms.ui_details_dialog import Ui_DetailsDialog
from .forms.ui_evidence_dialog import Ui_EvidenceDialog
from .forms.ui_signoff_dialog import Ui_SignOffDialog


def qdate(value: str) -> QDate:
    return QDate.fromString(value, "yyyy-MM-dd")


def iso(value: QDate) -> str:
    return value.toString("yyyy-MM-dd")


class SignOffDialog(QDialog):
    def __init__(self, parent: QWidget | None, *, name: str = "", role: str = ""):
        super().__init__(parent)
        self.ui = Ui_SignOffDialog()
        self.ui.setupUi(self)
        self.ui.nameEdit.setText(name)
        self.ui.roleEdit.setText(role)
        self.ui.dateEdit.setDate(QDate.currentDate())
        self.ui.buttonBox.button(QDialogButtonBox.Ok).setText("Sign off")
        self.ui.buttonBox.accepted.connect(self._accept)
        self.ui.buttonBox.rejected.connect(self.reject)

    def values(self) -> dict[str, str]:
        return {"name": self.ui.nameEdit.text().strip(), "role": self.ui.roleEdit.text().strip(),
                "signed_on": iso(self.ui.dateEdit.date())}

    def _accept(self) -> None:
        values = self.values()
        if not values["name"] or not values["role"]:
            self.ui.problemLabel.setText("Problem: give the name and the role of the person "
                                         "signing off.")
            (self.ui.nameEdit if not values["name"] else self.ui.roleEdit).setFocus()
            return
        self.accept()


def default_due_date(period: str, today: date | None = None) -> QDate:
    """Three months on from today, or from the end of the assessment's period when that is past.

    A 2010/11 assessment's actions default to 30 June 2011, not to three months
    from whenever the file is being worked on.
    """
    today = today or date.today()
    start = today
    if period and "/" in period:
        try:
            end = date(int(period.split("/")[0]) + 1, 3, 31)      # financial years end 31 March
        except ValueError:
            end = None
        if end is not None and end < today:
            start = end
    return QDate(start.year, start.month, start.day).addMonths(3)


class ActionDialog(QDialog):
    def __init__(self, parent: QWidget | None, action: Action | None = None, *, period: str = "",
                 today: date | None = None):
        super().__init__(parent)
        self.ui = Ui_ActionDialog()
        self.ui.setupUi(self)
        self.setWindowTitle("Edit improvement action" if action else "Add improvement action")
        for status in ACTION_STATUSES:
            self.ui.statusCombo.addItem(ACTION_STATUS_LABELS[status], status)
        self.strand_boxes: dict[str, QCheckBox] = {}
        for index, (strand_id, label) in enumerate(STRANDS):
            box = QCheckBox(label, self.ui.strandsGroup)
            box.setAccessibleName(f"Serves {label.lower()}")
            self.ui.strandsLayout.addWidget(box, index // 3, index % 3)
            self.strand_boxes[strand_id] = box
        self.ui.dueEdit.setDate(default_due_date(period, today))
        self.ui.dueCheck.toggled.connect(self.ui.dueEdit.setEnabled)
        self.ui.dueCheck.setChecked(True)
        if action is not None:
            self.ui.descriptionEdit.setPlainText(action.description)
            self.ui.ownerEdit.setText(action.owner)
            self.ui.dueCheck.setChecked(bool(action.due_on))
            if action.due_on:
                self.ui.dueEdit.setDate(qdate(action.due_on))
            self.ui.statusCombo.setCurrentIndex(ACTION_STATUSES.index(action.status))
            for strand in action.strands:
                self.strand_boxes[strand].setChecked(True)
        previous = self.ui.statusCombo
        for box in self.strand_boxes.values():
            QWidget.setTabOrder(previous, box)
            previous = box
        self.ui.buttonBox.accepted.connect(self._accept)
        self.ui.buttonBox.rejected.connect(self.reject)

    def values(self) -> dict:
        return {
            "description": self.ui.descriptionEdit.toPlainText().strip(),
            "owner": self.ui.ownerEdit.text().strip(),
            "due_on": iso(self.ui.dueEdit.date()) if self.ui.dueCheck.isChecked() else "",
            "status": self.ui.statusCombo.currentData(),
            "strands": [s for s, box in self.strand_boxes.items() if box.isChecked()],
        }

    def _accept(self) -> None:
        if not self.values()["description"]:
            self.ui.problemLabel.setText("Problem: describe the action.")
            self.ui.descriptionEdit.setFocus()
            return
        self.accept()


LINK_SCHEMES = ("http", "https", "file", "ftp", "mailto")


def link_problem(address: str) -> str:
    """Why ``address`` is not a link a browser can open, or "" when it is."""
    from PySide6.QtCore import QUrl
    if not address:
        return "give the link's address"
    if any(ch.isspace() for ch in address):
        return "an address has no spaces; give it as https://…"
    url = QUrl(address, QUrl.StrictMode)
    if not url.isValid() or url.scheme().lower() not in LINK_SCHEMES:
        return (f"“{address[:60]}” is not a web address; give the whole address, "
                "starting with https:// (or file:// for a shared drive)")
    if url.scheme().lower() in ("http", "https", "ftp") and not url.host():
        return f"“{address[:60]}” has no site name after {url.scheme()}://"
    return ""


class EvidenceDialog(QDialog):
    """Add or edit a note (title and text) or a link (title and a one-line address)."""

    def __init__(self, parent: QWidget | None, kind: str, *, title: str = "", body: str = ""):
        super().__init__(parent)
        self.kind = kind
        self.ui = Ui_EvidenceDialog()
        self.ui.setupUi(self)
        self.address_edit: QLineEdit | None = None
        if kind == "link":
            self.setWindowTitle("Link")
            self.address_edit = QLineEdit(self)        # one line: Enter accepts the dialog
            self.address_edit.setAccessibleName("Address of the link")
            self.address_edit.setPlaceholderText("https://…")
            self.address_edit.setText(body)
            self.ui.formLayout.replaceWidget(self.ui.bodyEdit, self.address_edit)
            self.ui.bodyEdit.hide()
            self.ui.bodyLabel.setText("&Address:")
            self.ui.bodyLabel.setBuddy(self.address_edit)
            QWidget.setTabOrder(self.ui.titleEdit, self.address_edit)
        else:
            self.setWindowTitle("Note")
            self.ui.bodyEdit.setAccessibleName("Text of the note")
            self.ui.bodyEdit.setPlainText(body)
        self.ui.titleEdit.setText(title)
        self.ui.buttonBox.accepted.connect(self._accept)
        self.ui.buttonBox.rejected.connect(self.reject)

    def values(self) -> tuple[str, str]:
        body = (self.address_edit.text() if self.address_edit is not None
                else self.ui.bodyEdit.toPlainText())
        return self.ui.titleEdit.text().strip(), body.strip()

    def _accept(self) -> None:
        title, body = self.values()
        if self.kind == "link":
            problem = link_problem(body)
            if problem:
                self.ui.problemLabel.setText(f"Problem: {problem}.")
                self.address_edit.setFocus()
                self.address_edit.selectAll()
                return
        if self.kind == "note" and not (title or body):
            self.ui.problemLabel.setText("Problem: give the note a title or some text.")
            self.ui.titleEdit.setFocus()
            return
        self.accept()


def current_financial_year(today: date | None = None) -> str:
    today = today or date.today()
    start = today.year if today.month >= 4 else today.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


class DetailsDialog(QDialog):
    """The people responsible and the document-control fields of an assessment."""

    TEXT_FIELDS = {"period": "periodEdit", "equality_lead": "equalityLeadEdit",
                   "smt_lead": "smtLeadEdit", "title": "titleEdit", "version_label": "versionEdit",
                   "protective_marking": "markingEdit", "author": "authorEdit",
                   "approver": "approverEdit", "owning_unit": "owningUnitEdit"}
    DATE_FIELDS = {"created_on": ("createdEdit", "createdEditLabel"),
                   "review_on": ("reviewEdit", "reviewEditLabel")}

    def __init__(self, parent: QWidget | None, assessment, *, locked_reason: str = ""):
        super().__init__(parent)
        self.ui = Ui_DetailsDialog()
        self.ui.setupUi(self)
        self.locked_reason = locked_reason
        for field, name in self.TEXT_FIELDS.items():
            getattr(self.ui, name).setText(getattr(assessment, field))
        self.ui.publicationCheck.setChecked(assessment.publication_scheme)
        self.ui.summaryEdit.setPlainText(assessment.summary)
        for field, (name, _) in self.DATE_FIELDS.items():
            value = getattr(assessment, field)
            getattr(self.ui, name).setDate(qdate(value) if value else QDate.currentDate())
        self.ui.buttonBox.accepted.connect(self._accept)
        self.ui.buttonBox.rejected.connect(self.reject)
        if locked_reason:
            self._make_read_only(locked_reason)

    def _make_read_only(self, reason: str) -> None:
        """Shown, not changed: every field read-only, the reason said, one Close button."""
        for name in self.TEXT_FIELDS.values():
            getattr(self.ui, name).setReadOnly(True)
        for name, _ in self.DATE_FIELDS.values():
            getattr(self.ui, name).setReadOnly(True)
        self.ui.summaryEdit.setReadOnly(True)
        self.ui.publicationCheck.setEnabled(False)
        self.ui.buttonBox.setStandardButtons(QDialogButtonBox.Close)
        self.ui.problemLabel.setText(f"Read-only: {reason}")
        self.setWindowTitle(self.windowTitle() + " (read-only)")

    def values(self) -> dict:
        values = {field: getattr(self.ui, name).text().strip()
                  for field, name in self.TEXT_FIELDS.items()}
        values["publication_scheme"] = self.ui.publicationCheck.isChecked()
        values["summary"] = self.ui.summaryEdit.toPlainText().strip()
        for field, (name, _) in self.DATE_FIELDS.items():
            values[field] = iso(getattr(self.ui, name).date())
        return values

    def _accept(self) -> None:
        from ..errors import ValidationError
        from ..store import check_period
        try:
            check_period(self.ui.periodEdit.text())
        except ValidationError as exc:
            self.ui.problemLabel.setText(f"Problem: {exc}.")
            self.ui.periodEdit.setFocus()
            return
        self.accept()
