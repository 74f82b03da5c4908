"""The desktop-window step of ``esat --self-test`` (see :mod:`esat.selftest`).

Opens a file in the real main window on Qt's offscreen platform, so that it
runs the same on a build server, over SSH and on a desktop, and proves that
Qt, its plugins, the compiled forms and the screens load from this copy of
ESAT. Settings and recent files go to the self-test's scratch folder, never
to the user's.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QTimer, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from ..appdirs import AppPaths
from ..catalog import Catalog
from .app import create_window


class WindowCheckFailed(Exception):
    pass


def show_demo_in_window(path: Path, workdir: Path, catalog: Catalog) -> str:
    """Open ``path`` in the main window offscreen; say what was shown, or raise."""
    qt_messages: list[str] = []     # Qt's warnings: kept for a failure's message, not printed
    previous = qInstallMessageHandler(lambda kind, context, text: qt_messages.append(text))
    try:
        return _show(path, workdir, catalog)
    except Exception as exc:
        if qt_messages:
            raise WindowCheckFailed(f"{exc} (Qt said: {'; '.join(qt_messages[-3:])})") from exc
        raise
    finally:
        qInstallMessageHandler(previous)


def _show(path: Path, workdir: Path, catalog: Catalog) -> str:
    app = QApplication.instance()
    if app is None:
        # without its platform plugin Qt would abort the process before any report
        plugins = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms"
        if not any("offscreen" in plugin.name for plugin in plugins.glob("*")):
            raise WindowCheckFailed(f"Qt's offscreen platform plugin is missing from {plugins}")
        app = QApplication(["esat", "-platform", "offscreen"])
    paths = AppPaths(workdir / "config", workdir / "data", workdir / "logs", "ESAT self-test")
    window = create_window(paths, catalog, start_page=False)
    boxes: list[str] = []

    def dismiss_boxes() -> None:           # a message box would wait for a click forever
        box = QApplication.activeModalWidget()
        if box is not None:
            boxes.append(" ".join(getattr(box, "text", lambda: box.windowTitle())().split()))
            box.close()

    watcher = QTimer(window)
    watcher.timeout.connect(dismiss_boxes)
    watcher.start(50)
    try:
        window.show()
        opened = window.open_file(path)
        app.processEvents()
        if boxes:
            raise WindowCheckFailed(f"the window showed a message: {boxes[0]}")
        if not opened or window.view is None:
            raise WindowCheckFailed(f"the main window did not open {path.name}")
        listed = len(window.view.tree.codes())
        if not listed:
            raise WindowCheckFailed(f"the main window lists no indicators for {path.name}")
        picture = window.grab()
        if picture.isNull() or not picture.save(str(workdir / "window.png")):
            raise WindowCheckFailed("the main window could not be drawn")
        platform = app.platformName()
    finally:
        watcher.stop()
        window.close()                     # finishes the file's writes, stops its worker
        window.deleteLater()
        app.processEvents()
    return (f"opened {path.name} in the main window ({platform} platform): {listed} indicators "
            f"listed, drawn at {picture.width()}x{picture.height()}")
