"""Start the desktop app: ``esat``, ``esat gui [FILE]``, ``make run``."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from .. import __version__
from ..appdirs import AppPaths
from ..catalog import Catalog
from . import errorhook
from .main_window import MainWindow
from .settings import Settings


def create_window(paths: AppPaths, catalog: Catalog, *, start_page: bool = True) -> MainWindow:
    return MainWindow(paths=paths, catalog=catalog, settings=Settings(paths.config_dir),
                      start_page=start_page)


def run_app(*, paths: AppPaths, catalog: Catalog, file: Path | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("ESAT")
    app.setApplicationDisplayName("ESAT")
    app.setApplicationVersion(__version__)
    errorhook.install(paths)
    window = create_window(paths, catalog, start_page=file is None)
    window.show()               # first, so that a problem opening the file is shown over it
    try:
        if file is not None:
            window.open_file(Path(file))      # shows the start page if it cannot
        return app.exec()
    finally:
        window.close()          # finishes queued writes and stops the worker thread
