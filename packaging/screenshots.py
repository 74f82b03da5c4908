"""Take the README screenshots of the real app (run under Xvfb: `make screenshots`).

Opens the demo in a real window, shows the start screen, an indicator page and
the summary, and saves PNGs of the whole screen area the window covers.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs"
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("ESAT_HOME", tempfile.mkdtemp(prefix="esat-shots-"))
    os.environ.setdefault("ESAT_USER", "Rowena Stallwood")
    from esat.appdirs import AppPaths
    from esat.catalog import Catalog
    from esat.gui.app import create_window

    app = QApplication(sys.argv[:1])
    paths = AppPaths.from_environment()
    catalog = Catalog(paths.framework_folders())
    window = create_window(paths, catalog)
    window.resize(1360, 860)
    window.show()
    demo = paths.demo_file(catalog)
    window.settings.add_recent(demo)
    window.start.show_recent(window.settings.recent_files())

    def grab(name: str) -> None:
        app.processEvents()
        screen = window.screen()
        shot = screen.grabWindow(0, window.x(), window.y(), window.frameGeometry().width(),
                                 window.frameGeometry().height())
        if shot.isNull() or app.platformName() == "offscreen":
            shot = window.grab()
        shot.save(str(out / name))
        print(f"saved {out / name}")

    steps = [
        lambda: grab("screenshot-start.png"),
        lambda: window.open_file(demo),
        lambda: window.view.go_to("6B"),
        lambda: grab("screenshot-indicator.png"),
        lambda: window.view.go_to("12B"),
        lambda: grab("screenshot-summary.png"),
        lambda: window.close(),
        app.quit,
    ]

    def run(index: int = 0) -> None:
        steps[index]()
        if index + 1 < len(steps):
            QTimer.singleShot(400, lambda: run(index + 1))

    QTimer.singleShot(800, run)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
