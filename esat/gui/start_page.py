"""The start screen: new assessment, open a file, recent files, the demo."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QListWidgetItem, QWidget

from .forms.ui_start_page import Ui_StartPage
from .messages import plain_tooltip


class StartPage(QWidget):
    open_path = Signal(Path)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.ui = Ui_StartPage()
        self.ui.setupUi(self)
        title = QFont(self.font())
        title.setPointSizeF(title.pointSizeF() * 2.2)
        title.setBold(True)
        self.ui.titleLabel.setFont(title)
        self.ui.recentList.itemActivated.connect(
            lambda item: self.open_path.emit(Path(item.data(Qt.UserRole))))

    def show_recent(self, paths: list[Path]) -> None:
        self.ui.recentList.clear()
        for path in paths:
            missing = not path.exists()
            text = f"{path.name}  —  {path.parent}" + ("  (missing)" if missing else "")
            row = QListWidgetItem(text)
            row.setData(Qt.UserRole, str(path))
            row.setToolTip(plain_tooltip(str(path)))      # a file's name, never HTML
            if missing:
                row.setFlags(row.flags() & ~Qt.ItemIsEnabled)
            self.ui.recentList.addItem(row)
        if not paths:
            row = QListWidgetItem("No recent files yet.")
            row.setFlags(Qt.NoItemFlags)
            self.ui.recentList.addItem(row)
        else:
            self.ui.recentList.setCurrentRow(0)
