"""Helpers for driving the desktop app in tests (modal dialogs are replaced)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox

from esat.gui.app import create_window


class Messages:
    """Records every message box instead of showing it; answers with a chosen button."""

    def __init__(self, monkeypatch, accept: bool = True):
        self.shown: list[tuple[str, str]] = []
        self.accept = accept
        messages = self

        def fake_exec(box: QMessageBox) -> int:
            messages.shown.append((box.windowTitle(), box.text()))
            buttons = [b for b in box.buttons()
                       if box.buttonRole(b) in (QMessageBox.AcceptRole, QMessageBox.YesRole)]
            if messages.accept and buttons:
                buttons[0].click()
            else:
                box.setResult(QMessageBox.Ok)
            return QMessageBox.Ok

        monkeypatch.setattr(QMessageBox, "exec", fake_exec)

    def texts(self) -> str:
        return "\n".join(f"{title}: {text}" for title, text in self.shown)


def answer_dialog(monkeypatch, cls, fill) -> list:
    """Replace ``cls.exec``: ``fill(dialog)`` sets the fields and presses its buttons."""
    seen = []

    def fake_exec(dialog: QDialog) -> int:
        seen.append(dialog)
        dialog.setResult(QDialog.Rejected)
        fill(dialog)
        return dialog.result()

    monkeypatch.setattr(cls, "exec", fake_exec)
    return seen


def press_ok(dialog) -> None:
    from PySide6.QtWidgets import QDialogButtonBox
    dialog.ui.buttonBox.button(QDialogButtonBox.Ok).click()


def make_window(qtbot, paths, catalog):
    window = create_window(paths, catalog)
    qtbot.addWidget(window)
    window.show()
    return window


def open_central_window(qtbot, paths, catalog, path):
    """File > Open of a central database: its coordinator workspace, nothing waited for."""
    window = make_window(qtbot, paths, catalog)
    assert window.open_file(path)
    (workspace,) = window.coordinators
    qtbot.addWidget(workspace)
    return workspace


def wait_saved(qtbot, window) -> None:
    qtbot.waitUntil(lambda: window.tasks is None or window.tasks.idle, timeout=10000)


def key(qtbot, widget, k, modifier=Qt.NoModifier) -> None:
    qtbot.keyClick(widget, k, modifier)


def path_of(window) -> Path:
    assert window.path is not None
    return window.path
