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


def create_window(paths: AppPaths, catalog: Catalog) -> MainWindow:
    return MainWindow(paths=paths, catalog=catalog, settings=Settings(paths.config_dir))


def run_app(*, paths: AppPaths, catalog: Catalog, file: Path | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("ESAT")
    app.setApplicationDisplayName("ESAT")
    app.setApplicationVersion(__version__)
    errorhook.install(paths)
    window = create_window(paths, catalog)
    window.show()
    try:
        if file is not None:
            window.open_file(Path(file))
        return app.exec()
    finally:
        window.close()          # finishes queued writes and stops the worker thread
