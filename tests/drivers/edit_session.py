"""Drive the real app in this process and report each change once it is saved.

Used by test_gui_kill.py, which kills this process in the middle of editing.
Prints ``COMMITTED <code> <rating>`` after each indicator's rating and narrative
have been written, then keeps typing until it is killed.
"""

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from esat.appdirs import AppPaths  # noqa: E402
from esat.catalog import Catalog  # noqa: E402
from esat.gui.app import create_window  # noqa: E402

RATINGS = ("very", "fairly", "not_very", "not_at_all")


def wait_saved(app, window) -> None:
    while not window.tasks.idle:
        app.processEvents()


def main() -> None:
    app = QApplication(sys.argv[:1])
    paths = AppPaths.from_environment()
    window = create_window(paths, Catalog(paths.framework_folders()))
    window.show()
    assert window.open_file(Path(sys.argv[1]))
    view, page = window.view, window.view.page
    codes = [c for c in view.tree.codes() if "Exempt" not in view.tree.status_text(c)]
    for index, code in enumerate(codes):
        view.go_to(code)
        rating = RATINGS[index % len(RATINGS)]
        QTest.mouseClick(page.rating_buttons[rating], Qt.LeftButton)
        QTest.keyClicks(page.ui.narrativeEdit, f"Narrative for {code}")
        page.flush()
        wait_saved(app, window)
        print(f"COMMITTED {code} {rating}", flush=True)
    print("TYPING", flush=True)
    while True:                                  # keep editing until killed
        QTest.keyClicks(page.ui.narrativeEdit, " more")
        app.processEvents()


if __name__ == "__main__":
    main()
