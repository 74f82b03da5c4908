"""Start the desktop app: ``esat``, ``esat gui [FILE]``, ``make run``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QEvent
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from .. import __version__
from ..appdirs import AppPaths
from ..bundled import icon_path
from ..catalog import Catalog
from . import errorhook
from .main_window import MainWindow
from .settings import Settings


def create_window(paths: AppPaths, catalog: Catalog, *, start_page: bool = True) -> MainWindow:
    return MainWindow(paths=paths, catalog=catalog, settings=Settings(paths.config_dir),
                      start_page=start_page)


class Application(QApplication):
    """The application object, which also takes the files the system hands over.

    macOS passes a double-clicked .esat file as a FileOpen event to the running
    app (at start-up too), not on the command line as other systems do
    (``esat gui FILE``); ``open_file`` is called with each such file.
    """

    def __init__(self, argv: list[str]):
        super().__init__(argv)
        self.open_file: Callable[[Path], object] | None = None

    def event(self, event) -> bool:
        if event.type() == QEvent.FileOpen and self.open_file is not None:
            if event.file():
                self.open_file(Path(event.file()))
            return True
        return super().event(event)


def run_app(*, paths: AppPaths, catalog: Catalog, file: Path | None = None) -> int:
    app = QApplication.instance() or Application(sys.argv[:1])
    app.setApplicationName("ESAT")
    app.setApplicationDisplayName("ESAT")
    app.setApplicationVersion(__version__)
    app.setWindowIcon(QIcon(str(icon_path())))
    errorhook.install(paths)
    window = create_window(paths, catalog, start_page=file is None)
    if isinstance(app, Application):
        app.open_file = window.open_file
    window.show()               # first, so that a problem opening the file is shown over it
    try:
        if file is not None:
            window.open_file(Path(file))      # shows the start page if it cannot
        return app.exec()
    finally:
        window.close()          # finishes queued writes and stops the worker thread
