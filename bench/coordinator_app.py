"""Coordinator workspace benchmark: opening a big central database, the dashboards, and
the event loop while the app merges.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/coordinator_app.py [--units 1000] [--merge 1000]
        [--keep DIR]

With ``--keep`` the generated files stay in DIR, and a later run with the same
DIR, ``--units`` and ``--merge`` uses them again instead of generating them
(the import of step 4 goes into a copy of the central database).

1. generates ``--units`` unit submissions (``bench/merge.py``'s synthetic ESPS
   units), merges them into a central database with the core and gives every
   required item an assessor rating (untimed);
2. **open**: File ▸ Open of that database until the units table holds every row,
   against a floor measured in the same run: the core alone opening the file as
   the app does, its ``quick_check`` running apart, beside the reading of the
   same rows (``Store.open(check_apart=True)``, :func:`esat.central.overview.unit_rows`,
   then ``wait_checked``); the core with the check first and the rows after it,
   as every open did before, is printed too (target: under 1 s at 1,000);
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


class Lap:
    def __init__(self, wall: float, cpu: float):
        self.wall, self.cpu = wall, cpu

    def __str__(self) -> str:
        return f"{self.wall:.3f} s (CPU {self.cpu:.3f} s)"

    def ratio(self, floor: "Lap") -> str:
        return f"{self.wall / floor.wall:.2f}x (CPU {self.cpu / floor.cpu:.2f}x)"


class Clock:
    """Wall-clock and this process's CPU time (every thread) since the last lap."""

    def __init__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def lap(self) -> Lap:
        wall, cpu = time.perf_counter(), time.process_time()
        lap = Lap(wall - self.wall, cpu - self.cpu)
        self.wall, self.cpu = wall, cpu
        return lap


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


def generate(work: Path, central_path: Path, later: Path, units: int, merge: int,
             catalog) -> None:
    """``units`` unit files merged into a central database and moderated, and ``merge``
    more files in ``later`` (untimed)."""
    from esat.central.merge import merge_files, open_central
    from esat.moderation import Moderation
    source = template(work, catalog)
    rng = random.Random(2011)
    inbox = work / "inbox"
    shutil.rmtree(inbox, ignore_errors=True)
    shutil.rmtree(later, ignore_errors=True)
    inbox.mkdir()
    later.mkdir()
    for index in range(units + merge):
        folder = inbox if index < units else later
        make_copy(source, folder / f"U{index}.esat", index, rng)
    partial = central_path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    with open_central(partial, actor="bench") as central:
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
    shutil.rmtree(inbox)
    partial.rename(central_path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--merge", type=int, default=1000)
    parser.add_argument("--skip-import", action="store_true",
                        help="stop after the dashboards (no step 4)")
    parser.add_argument("--keep", type=Path, help="keep the generated files here, and use "
                        "them again on the next run")
    args = parser.parse_args()
    if args.keep:
        work = args.keep / f"units-{args.units}-merge-{args.merge}"
        work.mkdir(parents=True, exist_ok=True)
    else:
        work = Path(tempfile.mkdtemp(prefix="esat-bench-coord-"))
    os.environ["ESAT_HOME"] = str(work / "home")
    os.environ.setdefault("ESAT_USER", "bench")
    app = QApplication(sys.argv[:1])
    from esat.appdirs import AppPaths
    from esat.bundled import frameworks_dir
    from esat.catalog import Catalog
    from esat.central.dashboard import dashboard, heat_map
    from esat.central.overview import unit_rows
    from esat.gui.app import create_window
    from esat.store import Store
    from esat.summary import assessment_rows
    try:
        catalog = Catalog([frameworks_dir()])
        generated = work / "generated.esat"      # the central database as generated
        later = work / "later"
        if not generated.exists():
            generate(work, generated, later, args.units, args.merge, catalog)
        central_path = work / "central.esat"
        shutil.copyfile(generated, central_path)
        # The coordinator's own database is known to this computer's ledger
        # (esat/verified.py): checked in full once, it then opens with the lighter
        # checks. A file recorded within 2 s of a change is not trusted; wait that out.
        paths = AppPaths.from_environment()
        ledger = paths.verified_files()
        time.sleep(2.1)
        started = time.perf_counter()
        Store.open(central_path, actor="bench", read_only=True, verified=ledger).close()
        full_check = time.perf_counter() - started
        if not ledger.is_current(central_path):
            raise SystemExit("the central database did not become known to the ledger")
        print(f"(untimed) first open with every check, as a file from elsewhere: "
              f"{full_check:.3f} s; every open below is of the known file")
        clock = Clock()
        with Store.open(central_path, actor="bench", read_only=True, verified=ledger) as store:
            rows = unit_rows(store)
            floor_open = clock.lap()
            dashboard(store)
            floor_dashboard = clock.lap()
            heat_map(store)
            floor_heat = clock.lap()
            assessment_rows(store)       # bench/merge.py's step 5: scoring every unit
            scoring = clock.lap()
        with Store.open(central_path, actor="bench", read_only=True, verified=ledger,
                        check_apart=True) as store:
            unit_rows(store)
            store.wait_checked()
        floor_apart = clock.lap()
        print(f"scoring every unit of a {len(rows)}-unit central database "
              f"(bench/merge.py's step 5): {scoring} (target under 0.5 s at 1,000)")
        window = create_window(paths, catalog)
        window.show()
        clock = Clock()
        window.open_file(central_path)
        (workspace,) = window.coordinators
        workspace.show()
        wait(app, lambda: workspace.units.model.rowCount() == len(rows))
        opened = clock.lap()
        print(f"open a {len(rows)}-unit central database to the units table: {opened}; "
              f"floor (core open, check apart, + rows) {floor_apart}; ratio "
              f"{opened.ratio(floor_apart)} (target under 1 s at 1,000); the core with the "
              f"check before the rows {floor_open}")
        for name, panel, floor in (("dashboard", workspace.dashboard, floor_dashboard),
                                   ("heat map", workspace.heat_map, floor_heat)):
            clock.lap()
            workspace.tabs.setCurrentWidget(panel)
            wait(app, lambda: workspace.document.tasks.idle and not panel._stale)
            took = clock.lap()
            print(f"{name} shown: {took}; floor (core figures alone, read afresh) {floor}; "
                  f"ratio {took.ratio(floor)} (target under 0.5 s at 1,000)")
        if args.skip_import:
            workspace.close()
            window.close()
            return
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
        if args.keep:
            central_path.unlink(missing_ok=True)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
