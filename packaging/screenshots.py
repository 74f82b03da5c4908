"""Take the README screenshots of the real app (run under Xvfb: `make screenshots`).

Opens the demo in a real window, shows the start screen, an indicator page and
the summary, and saves PNGs of the whole screen area the window covers. Then
the things issue 9 asked to look at: an indicator just after Go ▸ Next (Alt+Down)
from the bottom of the page before, the tree with long statuses, and the
read-only banner of a second window. With ``--small`` (run on a 1024x768
screen) it takes the window as it opens on a small screen.
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
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    small = "--small" in sys.argv
    out = Path(args[0]) if args else ROOT / "docs"
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("ESAT_HOME", tempfile.mkdtemp(prefix="esat-shots-"))
    os.environ.setdefault("ESAT_USER", "Rowena Stallwood")
    from esat.appdirs import AppPaths
    from esat.catalog import Catalog
    from esat.gui.app import create_window

    app = QApplication(sys.argv[:1])
    app.setApplicationDisplayName("ESAT")
    paths = AppPaths.from_environment()
    catalog = Catalog(paths.framework_folders())
    window = create_window(paths, catalog)
    if not small:
        window.resize(1360, 860)
    window.show()
    demo = paths.demo_file(catalog)
    window.settings.add_recent(demo)
    window.start.show_recent(window.settings.recent_files())
    others = []

    def grab(name: str, which=None) -> None:
        which = which or window
        app.processEvents()
        screen = which.screen()
        if small:          # the whole screen: what is off it shows as missing
            geometry = screen.geometry()
            shot = screen.grabWindow(0, 0, 0, geometry.width(), geometry.height())
        else:
            shot = screen.grabWindow(0, which.x(), which.y(), which.frameGeometry().width(),
                                     which.frameGeometry().height())
        if shot.isNull() or app.platformName() == "offscreen":
            shot = which.grab()
        shot.save(str(out / name))
        print(f"saved {out / name}")

    def to_bottom() -> None:
        bar = window.view.scroll.verticalScrollBar()
        window.view.page.ui.actionsTable.setFocus()
        bar.setValue(bar.maximum())

    def long_statuses() -> None:
        view = window.view
        for code in ("3B", "8B", "13B", "19B"):
            if view.snapshot.responses.get(code) is None or not view.snapshot.responses[code].unit_exempt:
                view.request_exemption(code, "Handled by the area team")
            view.set_rating(code, None)
        window.document.settle()
        view.go_to("8B")

    def second_window() -> None:
        other = create_window(paths, catalog)
        other.resize(1100, 700)
        other.move(window.x() + 60, window.y() + 40)
        other.show()
        other.open_file(demo)          # already open in the first: read-only, with the banner
        others.append(other)

    if small:
        steps = [
            lambda: window.open_file(demo),
            lambda: window.view.go_to("6B"),
            lambda: grab("screenshot-1024x768.png"),
            lambda: window.close(),
            app.quit,
        ]
    else:
        steps = [
            lambda: grab("screenshot-start.png"),
            lambda: window.open_file(demo),
            lambda: window.view.go_to("6B"),
            lambda: grab("screenshot-indicator.png"),
            lambda: window.view.go_to("12B"),
            lambda: grab("screenshot-summary.png"),
            lambda: window.view.go_to("6B"),
            to_bottom,
            lambda: window.next_action.trigger(),           # Go ▸ Next Indicator (Alt+Down)
            lambda: grab("screenshot-after-alt-down.png"),
            long_statuses,
            lambda: grab("screenshot-long-statuses.png"),
            second_window,
            lambda: grab("screenshot-read-only.png", others[0]),
            lambda: others[0].close(),
            lambda: window.undo_stack.undo() if window.undo_stack.count() else None,
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
