"""Message boxes: a problem, a piece of news, a question with a named answer.

QMessageBox is imported when a box is first shown, not at start-up.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


def show_error(parent: QWidget | None, title: str, message: str) -> None:
    from PySide6.QtWidgets import QMessageBox
    box = QMessageBox(QMessageBox.Warning, title, message, QMessageBox.Ok, parent)
    box.setAccessibleName(title)
    box.exec()


def show_info(parent: QWidget | None, title: str, message: str) -> None:
    from PySide6.QtWidgets import QMessageBox
    box = QMessageBox(QMessageBox.Information, title, message, QMessageBox.Ok, parent)
    box.setAccessibleName(title)
    box.exec()


def confirm(parent: QWidget | None, title: str, message: str, yes: str) -> bool:
    from PySide6.QtWidgets import QMessageBox
    box = QMessageBox(QMessageBox.Question, title, message, QMessageBox.Cancel, parent)
    box.setAccessibleName(title)
    button = box.addButton(yes, QMessageBox.AcceptRole)
    box.setDefaultButton(button)
    box.exec()
    return box.clickedButton() is button
