"""Guard against a Qt binding that mis-counts references to None.

PySide6 6.12.0 on Python 3.11 decrements None's reference count on every call
of a method returning void; a long session then aborts with "deallocating None".
pyproject.toml keeps that release out; this test fails if such a binding returns.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QButtonGroup, QListWidget, QRadioButton, QVBoxLayout, QWidget


def test_void_calls_keep_none_alive(qtbot):
    root = QWidget()
    qtbot.addWidget(root)
    layout = QVBoxLayout(root)
    radio = QRadioButton("a", root)
    layout.addWidget(radio)
    group = QButtonGroup(root)
    group.addButton(radio, 0)
    empty = QListWidget(root)
    layout.addWidget(empty)
    root.show()
    before = sys.getrefcount(None)
    for _ in range(200):
        radio.setFocus(Qt.TabFocusReason)
        radio.setText("b")
        radio.setChecked(True)
        empty.currentItem()
    assert sys.getrefcount(None) >= before - 20
