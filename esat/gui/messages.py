"""Message boxes: a problem, a piece of news, a question with a named answer.

QMessageBox is imported when a box is first shown, not at start-up. Every box
shows its text as plain text: a message often carries a name from a file, and Qt
would otherwise guess that text holding ``<b>`` is HTML and draw it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from ..errors import shown_path


def problem(exc: BaseException) -> str:
    """An error's message for a box: control characters a crafted name may carry escaped
    (the core's messages are one line each), as the command line shows them."""
    return shown_path(str(exc))


def plain_tooltip(text: str) -> str:
    """Text from a file as a tooltip: Qt guesses that a tooltip holding ``<i>`` is HTML and
    draws it; escaped inside ``<qt>`` it is always shown exactly as written."""
    import html
    return f"<qt>{html.escape(text)}</qt>" if text else text


def message_box(icon, title: str, message: str, buttons, parent: QWidget | None):
    """A message box with plain text and an accessible name."""
    from PySide6.QtWidgets import QMessageBox
    box = QMessageBox(icon, title, message, buttons, parent)
    box.setTextFormat(Qt.PlainText)
    box.setAccessibleName(title)
    return box


def show_error(parent: QWidget | None, title: str, message: str) -> None:
    from PySide6.QtWidgets import QMessageBox
    message_box(QMessageBox.Warning, title, message, QMessageBox.Ok, parent).exec()


def show_info(parent: QWidget | None, title: str, message: str) -> None:
    from PySide6.QtWidgets import QMessageBox
    message_box(QMessageBox.Information, title, message, QMessageBox.Ok, parent).exec()


def confirm(parent: QWidget | None, title: str, message: str, yes: str) -> bool:
    from PySide6.QtWidgets import QMessageBox
    box = message_box(QMessageBox.Question, title, message, QMessageBox.Cancel, parent)
    button = box.addButton(yes, QMessageBox.AcceptRole)
    box.setDefaultButton(button)
    box.exec()
    return box.clickedButton() is button
