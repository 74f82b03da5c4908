"""Keyboard shortcuts bound to one widget."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget


def widget_shortcut(widget: QWidget, keys: QKeySequence, slot) -> QShortcut:
    """A shortcut that works only while ``widget`` has the focus.

    (The binding ignores QShortcut's ``context=`` keyword, so it is set here.)
    """
    shortcut = QShortcut(keys, widget)
    shortcut.setContext(Qt.WidgetShortcut)
    shortcut.activated.connect(slot)
    return shortcut


class _PassThrough(QObject):
    def __init__(self, keys: list[QKeySequence], parent: QObject):
        super().__init__(parent)
        self._keys = {QKeySequence(k).toString() for k in keys}

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.ShortcutOverride:
            pressed = QKeySequence(event.keyCombination()).toString()
            if pressed in self._keys:
                event.ignore()           # not the editor's: the window's shortcut runs
                return True
        return False


def pass_shortcuts(widget: QWidget, keys: list[QKeySequence]) -> None:
    """Let ``keys`` reach the window's shortcuts while ``widget`` (a text editor) has focus.

    Text editors claim some keys for editing (on Linux Ctrl+E moves to the end of
    the line), which would make e.g. File ▸ Export for Submission do nothing.
    """
    widget.installEventFilter(_PassThrough(keys, widget))
