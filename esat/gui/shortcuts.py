"""Keyboard shortcuts bound to one widget."""

from __future__ import annotations

from PySide6.QtCore import Qt
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
