"""Start-up and indicator-switching benchmark for the desktop app.

    .venv/bin/python bench/startup.py [--runs 7] [--instructions]

Measures, in the same run and the same way:
- the time from process start to the demo assessment shown, as a ratio to a
  bare PySide6 window started the same way (target: within 1.5x);
- for reference, a window of the same kinds of widgets with no ESAT code: the
  part of the start-up that is the binding building those widget classes;
- the time to switch between indicators in the open demo (target: under 50 ms).
With --instructions it counts executed instructions under valgrind instead:
slower, but the same from run to run however busy the machine is.
Prints figures and ratios; it is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE = """
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
window = QMainWindow()
window.resize(1280, 820)
window.show()
QTimer.singleShot(0, lambda: (print("shown", flush=True), app.quit()))
app.exec()
"""

FLOOR = """
# the kinds of widgets ESAT's first screen shows, filled with dummy text, and no
# ESAT code at all: what the binding costs to build such a window, before any
# of ESAT's own work (its core, its file, its logic)
from PySide6.QtCore import QTimer, Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (QApplication, QButtonGroup, QCheckBox, QGridLayout, QGroupBox,
                               QLabel, QLineEdit, QListWidget, QMainWindow, QPlainTextEdit,
                               QPushButton, QRadioButton, QScrollArea, QSplitter, QStackedWidget,
                               QTableWidget, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)
app = QApplication([])
window = QMainWindow()
undo = QUndoStack(window)
for title in ("&File", "&Edit", "&Go", "&Assessment", "&Help"):
    menu = window.menuBar().addMenu(title)
    for n in range(4):
        action = QAction(f"Action {n}", window)
        action.setShortcut(QKeySequence(f"Ctrl+{n}"))
        menu.addAction(action)
window.statusBar().addPermanentWidget(QLabel("All changes saved"))
stack = QStackedWidget()
splitter = QSplitter(Qt.Horizontal)
left = QWidget(); left_layout = QVBoxLayout(left)
left_layout.addWidget(QLineEdit())
tree = QTreeWidget(); tree.setHeaderLabels(["Indicator", "Status"])
for s in range(3):
    section = QTreeWidgetItem(tree, [f"Section {s}", ""])
    for i in range(22):
        QTreeWidgetItem(section, [f"{i}B  Indicator {i}", "Not started"])
tree.expandAll()
left_layout.addWidget(tree)
page = QWidget(); form = QVBoxLayout(page)
for text in ("1B Community profiling", "ESPS 2009 Baseline", "The organisation can show ..."):
    form.addWidget(QLabel(text))
ratings = QGroupBox("Self-rating"); ratings_layout = QVBoxLayout(ratings); group = QButtonGroup(page)
for text in ("Not rated", "Not at all", "Not very", "Fairly", "Very"):
    button = QRadioButton(text); group.addButton(button); ratings_layout.addWidget(button)
form.addWidget(ratings)
form.addWidget(QCheckBox("Request exemption")); form.addWidget(QLineEdit())
form.addWidget(QPlainTextEdit("Narrative"))
strands = QGroupBox("Strands"); strands_layout = QGridLayout(strands)
for n in range(6):
    strands_layout.addWidget(QCheckBox(f"Strand {n}"), n // 3, n % 3)
form.addWidget(strands)
form.addWidget(QListWidget())
for text in ("Attach", "Link", "Note", "Open", "Remove"):
    form.addWidget(QPushButton(text))
table = QTableWidget(0, 4); form.addWidget(table)
scroll = QScrollArea(); scroll.setWidgetResizable(True); scroll.setWidget(page)
summary = QWidget(); summary_layout = QVBoxLayout(summary)
for text in ("Summary", "Rated 16 of 18", "Score: 67%", "Baseline: met"):
    summary_layout.addWidget(QLabel(text))
summary_layout.addWidget(QListWidget())
for part in (left, scroll, summary):
    splitter.addWidget(part)
stack.addWidget(splitter)
window.setCentralWidget(stack)
window.resize(1280, 820)
window.show()
QTimer.singleShot(0, lambda: (print("shown", flush=True), app.quit()))
app.exec()
"""

ESAT = """
# the real entry point, `esat gui --demo`, told to quit once the demo is on screen
import esat.cli
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
run = QApplication.exec
def exec_and_report(app):
    QTimer.singleShot(0, lambda: (print("shown", flush=True), QApplication.closeAllWindows(), app.quit()))
    return run()
QApplication.exec = exec_and_report
esat.cli.main(["gui", "--demo"])
"""

SWITCH = """
import statistics, time
from PySide6.QtWidgets import QApplication
from esat.appdirs import AppPaths
from esat.catalog import Catalog
from esat.gui.app import create_window
app = QApplication([])
paths = AppPaths.from_environment()
catalog = Catalog(paths.framework_folders())
window = create_window(paths, catalog)
window.show()
window.open_file(paths.demo_file(catalog))
codes = window.view.tree.codes()
times = []
for _ in range(3):
    for code in codes:
        start = time.perf_counter()
        window.view.go_to(code)
        app.processEvents()
        times.append((time.perf_counter() - start) * 1000)
print(f"{statistics.median(times):.2f} {max(times):.2f} {len(times)}")
window.close()
"""


def time_to_shown(code: str, env: dict) -> float:
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=env)
    line = child.stdout.readline()
    elapsed = time.perf_counter() - start
    child.wait()
    if line.strip() != "shown":
        raise SystemExit(f"the child did not show its window (exit {child.returncode})")
    return elapsed


def instructions(code: str, env: dict) -> int:
    """Instructions the child executes until it quits, counted by valgrind (callgrind)."""
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "callgrind.out"
        result = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
                                 sys.executable, "-c", code], env=env, capture_output=True,
                                text=True)
    found = re.search(r"Collected : (\d+)", result.stderr)
    if not found:
        raise SystemExit(f"valgrind gave no count (exit {result.returncode})")
    return int(found.group(1))


def count_instructions(env: dict) -> int:
    """The same comparison in executed instructions: slow, but not moved by other load."""
    if shutil.which("valgrind") is None:
        raise SystemExit("--instructions needs valgrind (apt-get install valgrind)")
    bare, floor, esat = (instructions(code, env) for code in (BARE, FLOOR, ESAT))
    print(f"instructions to the first shown frame (valgrind; {bare / 1e6:.0f} M for the bare window):")
    print(f"  same widgets, no ESAT code:  {floor / bare:.2f}x")
    print(f"  ESAT demo assessment:        {esat / bare:.2f}x  (target <= 1.50x)  "
          f"{'OK' if esat / bare <= 1.5 else 'OVER TARGET'}")
    print(f"  ESAT's own work:             {(esat - floor) / bare:.2f}x the bare window")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--instructions", action="store_true",
                        help="count executed instructions under valgrind instead of timing "
                             "(repeatable on a busy machine; takes a few minutes)")
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="esat-bench-")
    env = dict(os.environ, ESAT_HOME=home)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    # an installed ESAT runs from compiled bytecode (pip compiles wheels); let the
    # warm-up runs write it here too, whatever this shell says
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([sys.executable, "-m", "esat", "demo"], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    if args.instructions:
        time_to_shown(ESAT, env)                 # writes the bytecode first
        return count_instructions(env)
    for code in (BARE, FLOOR, ESAT):             # warm the disk cache for all three
        time_to_shown(code, env)
    bare, floor, esat = [], [], []
    for _ in range(args.runs):                   # interleaved, so all see the same machine
        bare.append(time_to_shown(BARE, env))
        floor.append(time_to_shown(FLOOR, env))
        esat.append(time_to_shown(ESAT, env))
    bare_median, floor_median, esat_median = (statistics.median(bare), statistics.median(floor),
                                              statistics.median(esat))
    ratio = esat_median / bare_median
    print(f"bare PySide6 window shown:   median {bare_median * 1000:7.1f} ms over {args.runs} runs")
    print(f"same widgets, no ESAT code:  median {floor_median * 1000:7.1f} ms  "
          f"({floor_median / bare_median:.2f}x the bare window)")
    print(f"ESAT demo assessment shown:  median {esat_median * 1000:7.1f} ms over {args.runs} runs")
    print(f"start-up ratio:              {ratio:.2f}x  (target <= 1.50x)  "
          f"{'OK' if ratio <= 1.5 else 'OVER TARGET'}")
    print(f"  fastest runs only:         {min(esat) / min(bare):.2f}x  (the least disturbed by "
          f"other load; same-widgets window {min(floor) / min(bare):.2f}x)")
    print(f"ESAT's own work:             {(esat_median - floor_median) * 1000:7.1f} ms "
          f"({(esat_median - floor_median) / bare_median:.2f}x the bare window) beyond the widgets")
    result = subprocess.run([sys.executable, "-c", SWITCH], env=env, capture_output=True,
                            text=True, check=True)
    median_ms, max_ms, count = result.stdout.split()
    print(f"indicator switch:            median {float(median_ms):.1f} ms, max {float(max_ms):.1f} ms "
          f"over {count} switches  (target < 50 ms)  {'OK' if float(max_ms) < 50 else 'OVER TARGET'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
