"""Menu entries, made one way for every window."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget


def add_action(owner: QWidget, menu: QMenu, text: str, slot, shortcut=None,
               tip: str = "") -> QAction:
    """An entry of ``menu`` owned by ``owner``.

    ``shortcut`` is a standard key (every binding the platform has), a key
    sequence's text, or a list of those texts.
    """
    action = QAction(text, owner)
    if isinstance(shortcut, QKeySequence.StandardKey):
        action.setShortcuts(shortcut)
    elif shortcut is not None:
        shortcuts = shortcut if isinstance(shortcut, list) else [shortcut]
        action.setShortcuts([QKeySequence(s) for s in shortcuts])
    if tip:
        action.setStatusTip(tip)
    action.triggered.connect(slot)
    menu.addAction(action)
    return action
