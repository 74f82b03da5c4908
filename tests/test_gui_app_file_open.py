"""A file the system hands over as a FileOpen event (a double-click in macOS's Finder) opens."""

from __future__ import annotations

import os
import subprocess
import sys

from esat.demo import build_demo

CODE = """
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtWidgets import QApplication
import esat.cli

run = QApplication.exec

def exec_then_open(app):
    def hand_over():
        QApplication.sendEvent(app, QFileOpenEvent(sys.argv[1]))
        window = next(w for w in QApplication.topLevelWidgets() if hasattr(w, "open_file"))
        print(type(app).__name__, window.path, not app.windowIcon().isNull(), flush=True)
        QApplication.closeAllWindows()
        app.quit()
    QTimer.singleShot(0, hand_over)
    return run()

QApplication.exec = exec_then_open
sys.exit(esat.cli.main(["gui"]))
"""


def test_a_file_open_event_opens_the_file_in_the_window(tmp_path, catalog):
    path = build_demo(tmp_path / "handed over.esat", catalog)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-c", CODE, str(path)], capture_output=True,
                            text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[0] == f"Application {path} True"
