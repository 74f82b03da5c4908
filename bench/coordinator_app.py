"""Coordinator workspace benchmark: opening a big central database, the dashboards, and
the event loop while the app merges.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/coordinator_app.py [--units 1000] [--merge 1000]

1. generates ``--units`` unit submissions (``bench/merge.py``'s synthetic ESPS
   units), merges them into a central database with the core and gives every
   required item an assessor rating (untimed);
2. **open**: File ▸ Open of that database until the units table holds every row,
   against a floor measured in the same run: the core alone opening the file
   (with its ``quick_check``) and reading the same rows
   (:func:`esat.central.overview.unit_rows`) (target: under 1 s at 1,000);
3. **dashboard** and **heat map**: from showing the tab until its figures are
   on screen, against the core computing them (target: under 0.5 s at 1,000);
4. **stall**: while the app imports ``--merge`` more files (progress dialog,
   worker thread) and then shows them (result list, the units read again and
   every new row in the table), a 5 ms timer records the longest gap between
   its ticks, and the main thread's CPU time in that gap; the floor is the
   longest gap of the same timer while the app is idle for as long (target: no
   stall over 100 ms).

Prints figures and ratios; it is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from PySide6.QtCore import QElapsedTimer, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from merge import make_copy, template  # noqa: E402  (bench/merge.py)


def wait(app, done, timeout=600.0) -> None:
    end = time.perf_counter() + timeout
    while not done():
        app.processEvents()
        if time.perf_counter() > end:
            raise SystemExit("timed out")
        time.sleep(0.001)


class Stalls:
    """The longest gap between ticks of a 5 ms timer, and the main thread's CPU time in
    that gap (time.thread_time): near the gap, the main thread was busy; far below it,
    it was waiting (for the GIL, or for a CPU shared with other work)."""

    def __init__(self):
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.clock = QElapsedTimer()
        self.longest = 0
        self.longest_cpu = 0
        self._cpu = 0.0
        self.timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        cpu = time.thread_time()
        gap = self.clock.restart()
        if gap > self.longest:
            self.longest, self.longest_cpu = gap, round((cpu - self._cpu) * 1000)
        self._cpu = cpu

    def reset(self) -> None:
        self.longest = self.longest_cpu = 0

    def start(self) -> None:
        self.reset()
        self._cpu = time.thread_time()
        self.clock.start()
        self.timer.start()

    def stop(self) -> int:
        self.timer.stop()
        return self.longest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--merge", type=int, default=1000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="esat-bench-coord-"))
    os.environ["ESAT_HOME"] = str(work / "home")
    os.environ.setdefault("ESAT_USER", "bench")
    app = QApplication(sys.argv[:1])
    from esat.appdirs import AppPaths
    from esat.bundled import frameworks_dir
    from esat.catalog import Catalog
    from esat.central.dashboard import dashboard, heat_map
    from esat.central.merge import merge_files, open_central
    from esat.central.overview import unit_rows
    from esat.moderation import Moderation
    from esat.gui.app import create_window
    from esat.store import Store
    try:
        catalog = Catalog([frameworks_dir()])
        source = template(work, catalog)
        rng = random.Random(2011)
        inbox, later = work / "inbox", work / "later"
        inbox.mkdir()
        later.mkdir()
        for index in range(args.units + args.merge):
            folder = inbox if index < args.units else later
            make_copy(source, folder / f"U{index}.esat", index, rng)
        central_path = work / "central.esat"
        with open_central(central_path, actor="bench") as central:
            merge_files(central, [inbox], catalog)
            # moderated as a central database would be: every unit's items given an
            # assessor rating (so the look-again check has every item to digest)
            moderation = Moderation(central)
            points = ("very", "fairly", "not_very", "not_at_all")
            with central.db.atomic():
                for a in central.assessments():
                    for result in central.score(a.uuid).items:
                        if result.required:
                            moderation.rate(a.uuid, result.item.code, rng.choice(points))
        started = time.perf_counter()
        with Store.open(central_path, actor="bench", read_only=True) as store:
            rows = unit_rows(store)
            floor_open = time.perf_counter() - started
            started = time.perf_counter()
            dashboard(store)
            floor_dashboard = time.perf_counter() - started
            started = time.perf_counter()
            heat_map(store)
            floor_heat = time.perf_counter() - started
        paths = AppPaths.from_environment()
        window = create_window(paths, catalog)
        window.show()
        started = time.perf_counter()
        window.open_file(central_path)
        (workspace,) = window.coordinators
        workspace.show()
        wait(app, lambda: workspace.units.model.rowCount() == len(rows))
        opened = time.perf_counter() - started
        print(f"open a {len(rows)}-unit central database to the units table: {opened:.3f} s; "
              f"floor (core open + rows) {floor_open:.3f} s; ratio {opened / floor_open:.2f}x "
              "(target under 1 s at 1,000)")
        for name, panel, floor in (("dashboard", workspace.dashboard, floor_dashboard),
                                   ("heat map", workspace.heat_map, floor_heat)):
            started = time.perf_counter()
            workspace.tabs.setCurrentWidget(panel)
            wait(app, lambda: workspace.document.tasks.idle and not panel._stale)
            took = time.perf_counter() - started
            print(f"{name} shown: {took:.3f} s; floor (core figures alone) {floor:.3f} s; "
                  f"ratio {took / floor:.2f}x (target under 0.5 s at 1,000)")
        workspace.tabs.setCurrentWidget(workspace.units)
        wait(app, lambda: workspace.document.tasks.idle)
        stalls = Stalls()
        stalls.start()
        started = time.perf_counter()
        workspace.import_paths([later])
        wait(app, lambda: workspace.last_import is not None, timeout=3600)
        merging = time.perf_counter() - started
        during, during_cpu = stalls.longest, stalls.longest_cpu   # merging, the result list
        stalls.reset()
        wait(app, lambda: workspace.document.tasks.idle and not workspace.units.adding
             and workspace.units.model.rowCount() == len(rows) + args.merge, timeout=3600)
        after = stalls.stop()            # reading the units again and showing them all
        after_cpu = stalls.longest_cpu
        longest = max(during, after)
        merged = sum(o.status == "imported" for o in workspace.last_import.outcomes)
        stalls.start()
        idle_end = time.perf_counter() + min(merging, 5.0)
        while time.perf_counter() < idle_end:
            app.processEvents()
            time.sleep(0.001)
        floor_stall = stalls.stop()
        print(f"merging {merged} files in the app ({merging:.1f} s): longest event-loop stall "
              f"{longest} ms; floor (idle loop) {floor_stall} ms; ratio "
              f"{longest / max(floor_stall, 1):.1f}x (target no stall over 100 ms); "
              f"while merging {during} ms (main thread busy {during_cpu} ms of it), showing "
              f"the new rows {after} ms (busy {after_cpu} ms)")
        workspace.close()
        window.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
